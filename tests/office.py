"""LibreOffice for the tests that print a DOCX: headless, with a profile of its own and, so that it lays the text
out in the faces the PDF uses, a font folder of its own holding the faces policygen ships, under the names the
DOCX asks for (仿宋, 黑体, 新細明體 …, see presets.DOCX_FONTS) as fontconfig aliases. And `read_docx`, a DOCX
with its text as a reader sees it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from docx.oxml.ns import qn

from policygen.fonts import FONTS_DIR
from policygen.presets import DOCX_FONTS
from policygen.render.ooxml import WORD_JOINER


def read_docx(path):
    """A DOCX (python-docx) with its text as a reader sees it: without the WORD JOINERs that keep LibreOffice from
    breaking a rule's value (they print nothing), and with the no-break spaces inside an English rule value read as
    spaces (render/ooxml.py, keep_together)."""
    document = docx.Document(path)
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        for t in element.iter(qn("w:t")) if element is not None else ():
            t.text = (t.text or "").replace(WORD_JOINER, "").replace("\u00a0", " ")
    return document


def _fontconfig(folder: Path) -> Path:
    faces = json.loads((FONTS_DIR / "fonts.json").read_text(encoding="utf-8"))
    fonts = folder / "fonts"
    fonts.mkdir()
    for face in faces["faces"].values():
        shutil.copy(FONTS_DIR / face["file"], fonts / face["file"])
    aliases = {}
    for language, names in DOCX_FONTS.items():
        roles = faces["roles"][language]
        for role, name in names.items():
            if role != "latin" and name not in aliases:
                aliases[name] = faces["faces"][roles[role]]["family"]
    rules = "".join(f"<alias binding=\"same\"><family>{escape(name)}</family><prefer><family>{escape(family)}</family>"
                    f"</prefer></alias>" for name, family in aliases.items())
    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>
<include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{escape(str(fonts))}</dir>
<cachedir>{escape(str(folder / "cache"))}</cachedir>{rules}</fontconfig>""", encoding="utf-8")
    return conf


def convert_to_pdf(paths: list[Path], outdir: Path) -> dict[str, Path]:
    """Convert DOCX files to PDF in one LibreOffice run; {stem: pdf path}."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.fail("LibreOffice is not installed: install it (apt-get install libreoffice-writer-nogui)")
    work = Path(tempfile.mkdtemp(prefix="lo-"))
    try:
        env = dict(os.environ, FONTCONFIG_FILE=str(_fontconfig(work)))
        done = subprocess.run([office, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
                              capture_output=True, text=True, timeout=600, env=env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = {p.stem: outdir / f"{p.stem}.pdf" for p in paths}
    missing = [s for s, p in out.items() if not p.is_file()]
    assert done.returncode == 0 and not missing, f"LibreOffice could not convert {missing}:\n{done.stderr}"
    return out
