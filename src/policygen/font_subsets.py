"""Font subsets cut for one document, cached by font and character set outside the output folder.

A printed document uses a few hundred of the thousands of glyphs a CJK face has. Each document's PDF is laid
out with subsets of its faces that hold only the characters it prints (every character of its markup, which
includes the generated text of its stylesheet, plus `ALWAYS`), cut by HarfBuzz's subsetter (through uharfbuzz).
WeasyPrint then loads a font of a few hundred kilobytes instead of megabytes for every document, and cuts it to
the glyphs drawn when it writes the PDF (render/weasyprint_speedups.py).

Where: `<policygen cache>/fonts/` (see policygen.cache.cache_dir). A subset is named by the hash of the font
file's bytes, of its character set and of the subsetter's version, so an edited font or a new character makes a
new entry and never reuses a stale one. Safe when builds run at once: a subset is written to a private temporary
file and renamed into place in one step; a file left by a killed build is never read (it has a temporary name)
and is removed later. Each entry ends with the SHA-256 of the font before it: an entry that does not match (a
damaged disk, a hand edit) is cut again and replaced.

Every font served to WeasyPrint, cut or whole, is first made *GID-addressed* (`gid_addressed`): WeasyPrint
writes each glyph's id as its code in the PDF (Identity-H) and embeds an OpenType font with CFF outlines as a
CIDFontType0. ISO 32000-1 §9.7.4.2 says a reader then takes the code as a CID and, when the CFF is CID-keyed,
finds the glyph through the CFF charset (CID → GID). CID-keyed CJK faces (Noto CJK, Source Han, Fandol, most
foundry OTFs) number their CIDs by a character collection (Adobe-GB1, Adobe-Identity in Adobe's order), and
any subset renumbers the glyphs but keeps the CIDs, so the charset is no longer the identity: MuPDF (and
Acrobat), which follow the standard, drew other glyphs or none, while Poppler and PDFium, which index the
glyphs by code, drew the right ones. Renumbering the CIDs to the glyph ids (CID n is glyph n; the outlines,
the FDSelect and every other table, which address glyphs by id, stay as they are; the font's ordering becomes
Adobe-Identity-0, as its CIDs no longer follow a character collection) makes both readings agree."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from .cache import cache_dir, mark_used, remove_stale
from .plan import file_digest

# Characters the layout engine may draw without their being in the markup: counter values (page numbers, list
# numbers in Latin or Chinese numerals), list bullets, the ellipsis and the hyphen, the spaces.
ALWAYS = frozenset(range(0x20, 0x7F)) | frozenset(map(ord, "\u00a0\u3000\u2010\u2026•◦▪〇零一二三四五六七八九十百千万"))


# Changes with what `served` does to a font beyond HarfBuzz's cut, so older cache entries are not reused.
_PROCESS = "gid-addressed-2"


def subset(path: Path, text: str | None) -> bytes:
    """The font file at `path` cut down to the characters of `text` (and `ALWAYS`) it has, GID-addressed, from the
    cache; `text` None: the whole font, GID-addressed.

    A WOFF or WOFF2 file (allowed for project fonts) is unpacked first: HarfBuzz reads neither."""
    import uharfbuzz

    if text is None:
        codepoints = None
        chars = "whole"
    else:
        from .fonts import coverage

        codepoints = sorted((frozenset(map(ord, text)) | ALWAYS) & coverage(path))
        chars = ",".join(map(str, codepoints))
    key = hashlib.sha256(f"{file_digest(path)}|{uharfbuzz.__version__}|{_PROCESS}|{chars}".encode()).hexdigest()
    entry = cache_dir() / "fonts" / key[:2] / f"{key}.subset"
    try:
        stored = entry.read_bytes()
        data, digest = stored[:-32], stored[-32:]
        if hashlib.sha256(data).digest() == digest:
            mark_used(entry)
            return data
    except OSError:
        pass
    data = _sfnt(path.read_bytes())
    if codepoints is not None:
        data = _cut(data, codepoints)
    data = gid_addressed(data)
    _store(entry, data + hashlib.sha256(data).digest())
    return data


def _sfnt(data: bytes) -> bytes:
    """An OpenType/TrueType file as it is; a WOFF or WOFF2 file unpacked to one."""
    if data[:4] not in (b"wOFF", b"wOF2"):
        return data
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False) as font:
        font.flavor = None
        out = io.BytesIO()
        font.save(out, reorderTables=False)
        return out.getvalue()


def gid_addressed(data: bytes) -> bytes:
    """`data` with the CIDs of a CID-keyed CFF renumbered so that CID n is glyph n (see the module docstring);
    any other font unchanged. Only the CFF table's charset changes; outlines and every other table stay."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    with TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False) as font:
        if "CFF " not in font.reader:
            return data
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(font.reader["CFF "]), None)
        top = cff.topDictIndex[0]
        if not hasattr(top, "ROS"):  # name-keyed: readers take codes as glyph ids already
            return data
        names = [".notdef", *(f"cid{gid:05d}" for gid in range(1, len(top.charset)))]
        if top.charset == names and tuple(top.ROS) == _IDENTITY:
            return data
        strings = top.CharStrings  # name -> glyph index; the index (and FDSelect, by index) stays
        strings.charStrings = {new: strings.charStrings[old] for new, old in zip(names, top.charset)}
        top.charset = names
        top.ROS = _IDENTITY  # the CIDs no longer follow a character collection such as Adobe-GB1
        table = DefaultTable("CFF ")
        buffer = io.BytesIO()
        cff.compile(buffer, _NoRecalc())
        table.data = buffer.getvalue()
        font["CFF "] = table
        out = io.BytesIO()
        font.save(out, reorderTables=False)
        return out.getvalue()


_IDENTITY = ("Adobe", "Identity", 0)


class _NoRecalc:
    """What CFFFontSet.compile asks of the font it belongs to: keep the FontBBox as it is."""
    recalcBBoxes = False


def _cut(data: bytes, codepoints: list[int]) -> bytes:
    import uharfbuzz as hb

    face = hb.Face(hb.Blob(data))
    options = hb.SubsetInput()
    unicodes = options.unicode_set
    for codepoint in codepoints:
        unicodes.add(codepoint)
    options.layout_feature_tag_set.invert()  # keep every OpenType feature (and the glyphs they reach)
    cut = hb.subset(face, options)
    return (cut.blob.data if cut is not None else b"") or data  # a font HarfBuzz cannot cut is used whole


def _store(entry: Path, data: bytes) -> None:
    """Keep a subset for later builds. Never fails a build: the cache is optional."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        folder = entry.parent.parent  # temporary files in one place, where a later build finds them
        remove_stale(folder)
        fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, entry)  # atomic; a concurrent build writing the same entry writes the same bytes
    except OSError:
        pass

