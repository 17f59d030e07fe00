"""Font subsets: cut once per font and character set, kept outside output/, repaired when damaged, safe at once."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from fontTools.ttLib import TTFont

from conftest import write_project
from pdftools import embedded_fonts
from policygen import font_subsets
from policygen.cache import cache_dir
from policygen.fonts import FONTS_DIR, coverage

BODY = FONTS_DIR / "fang-sc.otf"


def cmap(data: bytes) -> set[str]:
    return {chr(c) for c in TTFont(io.BytesIO(data)).getBestCmap()}


def test_a_subset_has_the_characters_of_the_text_and_no_others():
    data = font_subsets.subset(BODY, "制度第一条")
    chars = cmap(data)
    assert set("制度第一条") <= chars
    assert "鑫" not in chars and "国" not in chars  # in the shipped face, not in the text
    assert set("0123456789") <= chars  # page numbers are drawn by the layout engine, not written in the markup
    assert len(data) < BODY.stat().st_size / 20


def test_a_subset_is_cut_once_then_read_from_the_cache(monkeypatch):
    calls = []
    cut = font_subsets._cut
    monkeypatch.setattr(font_subsets, "_cut", lambda *a: calls.append(a) or cut(*a))
    first = font_subsets.subset(BODY, "客户服务")
    second = font_subsets.subset(BODY, "务服户客")  # the same characters in another order: the same subset
    assert first == second and len(calls) == 1
    entries = list((cache_dir() / "fonts").rglob("*.subset"))
    assert len(entries) == 1
    font_subsets.subset(BODY, "客户服务部")  # one more character: a new entry
    assert len(calls) == 2 and len(list((cache_dir() / "fonts").rglob("*.subset"))) == 2


def test_a_damaged_entry_is_cut_again_and_replaced(monkeypatch):
    good = font_subsets.subset(BODY, "审批")
    [entry] = (cache_dir() / "fonts").rglob("*.subset")
    entry.write_bytes(entry.read_bytes()[: len(good) // 2])  # as a disk that lost the end of the file would leave it
    assert font_subsets.subset(BODY, "审批") == good
    assert entry.read_bytes()[:-32] == good and hashlib.sha256(good).digest() == entry.read_bytes()[-32:]


def test_temporary_files_of_killed_builds_are_ignored_then_removed():
    font_subsets.subset(BODY, "报告")
    leftover = cache_dir() / "fonts" / ".tmp-killed"
    leftover.write_bytes(b"half a font")
    os.utime(leftover, (time.time() - 7200, time.time() - 7200))
    font_subsets.subset(BODY, "报告书")  # stores a new entry in the same cache
    assert len(list((cache_dir() / "fonts").rglob("*.subset"))) == 2
    assert not list((cache_dir() / "fonts").rglob(".tmp-*"))


def test_a_pdf_embeds_only_the_glyphs_it_draws(tmp_path):
    # in a folder whose name needs percent-encoding in a file URL: the fonts are still recognised and cut
    root = write_project(tmp_path / "制度 汇编", None, project_file="project: 测试\noutputs: [pdf]\n")
    build = subprocess.run([sys.executable, "-m", "policygen", "build"], cwd=root, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    fonts = embedded_fonts(root / "output" / "regulations" / "base.pdf")
    body = TTFont(io.BytesIO(fonts["pg-fang-sc"]))
    drawn = [g for g in body.getGlyphOrder() if body.getGlyphSet()[g].width and _has_outline(body, g)]
    assert 10 < len(drawn) < 400  # the characters of a short regulation, not the 7,757 of the shipped face
    assert len(fonts["pg-fang-sc"]) < BODY.stat().st_size / 20
    assert len(list((cache_dir() / "fonts").rglob("*.subset"))) >= 4  # laid out with subsets: body, title, heading…


def _has_outline(font: TTFont, glyph: str) -> bool:
    charstring = font["CFF "].cff.topDictIndex[0].CharStrings[glyph]
    charstring.decompile()
    return any(op in charstring.program for op in ("rlineto", "rrcurveto", "rmoveto", "hlineto", "vlineto",
                                                   "hvcurveto", "vhcurveto", "rcurveline", "rlinecurve"))


def test_two_builds_at_once_share_the_cache(tmp_path):
    """Two builds of two projects, started together with one cache: both succeed with the same bytes."""
    roots = [write_project(tmp_path / name, None) for name in ("a", "b")]
    env = os.environ | {"POLICYGEN_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.Popen([sys.executable, "-m", "policygen", "build"], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for root in roots]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    a, b = ((root / "output" / "regulations" / "base.pdf").read_bytes() for root in roots)
    assert a == b
    assert list((tmp_path / "cache" / "fonts").rglob("*.subset"))
    assert not list((tmp_path / "cache" / "fonts").rglob(".tmp-*"))


def test_the_cache_is_kept_under_its_size_limit_dropping_what_was_used_longest_ago(tmp_path, monkeypatch):
    from policygen import cache

    old, recent, reused = (font_subsets.subset(BODY, text) for text in ("甲", "乙", "丙"))
    entries = {data: path for path in (cache_dir() / "fonts").rglob("*.subset") for data in (old, recent, reused)
               if path.read_bytes()[:-32] == data}
    now = time.time()
    for age, data in ((4000, reused), (3000, old), (1000, recent)):  # reused is the oldest until it is used
        os.utime(entries[data], (now - age, now - age))
    font_subsets.subset(BODY, "丙")  # used again: now the most recent
    limit = sum(p.stat().st_size for p in entries.values()) - 1  # one entry too many
    monkeypatch.setenv("POLICYGEN_CACHE_MAX_MB", str(limit / 1024 / 1024))
    assert cache.prune() == [entries[old]]
    assert not entries[old].exists() and entries[recent].exists() and entries[reused].exists()


def test_a_build_prunes_the_cache_and_a_pruned_entry_is_rendered_again(project, monkeypatch):
    from policygen import build_project

    root = project(project_file="project: 测试\noutputs: [html]\n")
    assert build_project(root).ok
    renders = list((cache_dir() / "renders").glob("*/*"))
    assert renders
    monkeypatch.setenv("POLICYGEN_CACHE_MAX_MB", "0")
    shutil.rmtree(root / "output")
    result = build_project(root)  # takes every document from the cache, then prunes it
    assert result.ok and result.cached and not list((cache_dir() / "renders").glob("*/*"))  # pruned after the build
    shutil.rmtree(root / "output")
    again = build_project(root)
    assert again.ok and again.written and not again.cached  # rendered again, not taken from a pruned entry


def _cids_by_glyph(data: bytes) -> tuple[list[str], dict[int, int], list]:
    from fontTools.pens.recordingPen import RecordingPen

    font = TTFont(io.BytesIO(data))
    top = font["CFF "].cff.topDictIndex[0]
    glyphs = font.getGlyphSet()
    outlines = []
    order = font.getGlyphOrder()
    for name in order[::97] if len(order) > 2000 else order:  # of a whole face a sample: all would take seconds
        pen = RecordingPen()
        glyphs[name].draw(pen)
        outlines.append(pen.value)
    by_unicode = {u: font.getGlyphID(g) for u, g in font.getBestCmap().items()}
    return list(top.charset), by_unicode, outlines


def test_a_served_cid_keyed_font_has_cid_n_at_glyph_n_and_draws_the_same_glyphs(tmp_path):
    """WeasyPrint writes glyph ids as codes; ISO 32000-1 §9.7.4.2 has a reader map them as CIDs through the CFF
    charset. A cut renumbers the glyphs and keeps their CIDs: served, CID n is glyph n again."""
    identity = lambda charset: charset == [".notdef", *(f"cid{g:05d}" for g in range(1, len(charset)))]  # noqa: E731
    for face in ("fang-sc.otf", "song-tc.otf"):
        original = (FONTS_DIR / face).read_bytes()
        assert identity(_cids_by_glyph(original)[0])  # tools/make_fonts.py ships them GID-addressed
        for text in ("有限公司制度第一條", None):
            served = font_subsets.subset(FONTS_DIR / face, text)
            wanted = (set(map(ord, text or "")) | font_subsets.ALWAYS) & coverage(FONTS_DIR / face)
            raw = font_subsets._cut(original, sorted(wanted)) if text else original  # the same cut, as it was
            raw_charset, raw_by_unicode, raw_outlines = _cids_by_glyph(raw)
            if text:
                assert not identity(raw_charset)  # what MuPDF and pdf.js read wrong
            charset, by_unicode, outlines = _cids_by_glyph(served)
            assert identity(charset)
            assert by_unicode == raw_by_unicode and outlines == raw_outlines  # same glyphs at the same ids


def test_fonts_without_cids_are_served_as_they_are():
    for face in ("kai.ttf", "symbols.ttf"):
        data = (FONTS_DIR / face).read_bytes()
        assert font_subsets.gid_addressed(data) is data
    named = font_subsets.gid_addressed(font_subsets.gid_addressed((FONTS_DIR / "hei-sc.otf").read_bytes()))
    assert font_subsets.gid_addressed(named) is named  # already GID-addressed: left alone
