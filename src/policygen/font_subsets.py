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
damaged disk, a hand edit) is cut again and replaced."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from .cache import cache_dir, mark_used, remove_stale
from .plan import file_digest

# Characters the layout engine may draw without their being in the markup: counter values (page numbers, list
# numbers in Latin or Chinese numerals), list bullets, the ellipsis and the hyphen, the spaces.
ALWAYS = frozenset(range(0x20, 0x7F)) | frozenset(map(ord, "\u00a0\u3000\u2010\u2026•◦▪〇零一二三四五六七八九十百千万"))


def subset(path: Path, text: str) -> bytes:
    """The font file at `path` cut down to the characters of `text` (and `ALWAYS`) it has, from the cache.

    A WOFF or WOFF2 file (allowed for project fonts) is served whole: HarfBuzz reads neither, WeasyPrint both."""
    import uharfbuzz

    with path.open("rb") as f:
        if f.read(4) in (b"wOFF", b"wOF2"):
            return path.read_bytes()

    from .fonts import coverage

    codepoints = sorted((frozenset(map(ord, text)) | ALWAYS) & coverage(path))
    key = hashlib.sha256(f"{file_digest(path)}|{uharfbuzz.__version__}|{','.join(map(str, codepoints))}".encode()
                         ).hexdigest()
    entry = cache_dir() / "fonts" / key[:2] / f"{key}.subset"
    try:
        stored = entry.read_bytes()
        data, digest = stored[:-32], stored[-32:]
        if hashlib.sha256(data).digest() == digest:
            mark_used(entry)
            return data
    except OSError:
        pass
    data = _cut(path, codepoints)
    _store(entry, data + hashlib.sha256(data).digest())
    return data


def _cut(path: Path, codepoints: list[int]) -> bytes:
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)))
    options = hb.SubsetInput()
    unicodes = options.unicode_set
    for codepoint in codepoints:
        unicodes.add(codepoint)
    options.layout_feature_tag_set.invert()  # keep every OpenType feature (and the glyphs they reach)
    cut = hb.subset(face, options)
    data = cut.blob.data if cut is not None else b""
    return data or path.read_bytes()  # a font HarfBuzz cannot cut is used whole


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

