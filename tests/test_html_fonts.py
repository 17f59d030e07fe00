"""The HTML pages carry the faces they print in (render/web_fonts.py): Chromium draws every text of every corpus
page with an embedded font, never a font of the machine it runs on (a machine without Chinese fonts showed boxes
and blanks); each page embeds only the characters it prints."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from test_serve import CHROMIUM, EDITOR_TOOLS
from yaml_language_server import installed

_FACE = re.compile(r"@font-face \{ font-family: (pg-[a-z]+);[^}]*unicode-range: ([^;]+); \}")


def _ranges(text: str) -> set[int]:
    out = set()
    for part in text.split(", "):
        low, _, high = part[2:].partition("-")
        out.update(range(int(low, 16), int(high or low, 16) + 1))
    return out


def _pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def test_chromium_draws_every_text_of_every_page_with_the_embedded_faces(corpus_output):
    installed()
    node = shutil.which("node")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"this test drives Chromium headless: apt-get install -y chromium (or set CHROMIUM to its path; "
                    f".ci/run installs it); {CHROMIUM} does not exist")
    pages = _pages(corpus_output)
    assert len(pages) >= 20
    result = subprocess.run([node, str(EDITOR_TOOLS / "fonts.mjs"), *(p.as_uri() for p in pages)],
                            cwd=EDITOR_TOOLS, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(seen) == {p.as_uri() for p in pages}
    for url, fonts in seen.items():
        assert fonts, f"{url}: no text drawn"
        platform = [(family, text) for family, custom, _, text in fonts if not custom]
        assert platform == [], f"{url} draws with the machine's fonts: {platform[:5]}"


def test_each_page_embeds_only_what_it_prints_and_all_of_it(corpus_output):
    from policygen.render.web_fonts import _RoleText

    for page in _pages(corpus_output):
        markup = page.read_text(encoding="utf-8")
        families: dict[str, set[int]] = {}
        for family, ranges in _FACE.findall(markup):
            covered = _ranges(ranges)
            assert not covered & families.get(family, set()), f"{page.name}: {family} cuts overlap"
            families.setdefault(family, set()).update(covered)
        parser = _RoleText()
        parser.feed(markup[markup.index("</style>"):])  # the page's text, not the fonts' data
        printed = {ord(c) for c in parser.text["body"] if c not in "\t\n\r\f"}
        assert printed and families["pg-body"] == printed, page.name
        for role in ("title", "heading"):
            assert families.get(f"pg-{role}", set()) <= printed, page.name
