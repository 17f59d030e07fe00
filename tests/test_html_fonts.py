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


def test_a_title_in_another_language_is_set_in_that_languages_faces(corpus_output):
    """The zh-Hans index lists the zh-Hant steel-cs documents: their titles carry lang="zh-Hant" and the page
    embeds the zh-Hant body faces for their characters (諮 drawn as the Traditional edition draws it, not by the
    Simplified chain's fallback cut)."""
    from policygen import load_project
    from conftest import REPO

    project = load_project(REPO).project
    titles = [d.title for d in [*project.regulations.values(), *project.rulesets.values()] if d.language == "zh-Hant"]
    assert titles
    markup = (corpus_output / "index.html").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face \{ font-family: pg-body-zh-Hant;[^}]*unicode-range: ([^;]+); \}", markup)
    covered = set().union(*(_ranges(r) for r in faces))
    for title in titles:
        assert f' lang="zh-Hant">{title}</a>' in markup, title
        assert {ord(c) for c in title} <= covered, title
