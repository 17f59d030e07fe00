"""WeasyPrint's last font subsetting (to the glyphs a PDF draws) through uharfbuzz instead of fontTools.

WeasyPrint cuts each embedded font down to the glyphs the PDF uses with HarfBuzz's subsetter when the system has
the libharfbuzz-subset library, and otherwise with fontTools, which took seconds per CJK face per document (most
of a build's time). pip cannot install that system library, but uharfbuzz (HarfBuzz's own Python binding, a wheel)
carries the same subsetter. `install()` gives WeasyPrint's Font a `subset` that does what WeasyPrint's HarfBuzz
path does (glyph ids kept, unknown tables passed through, CFF desubroutinized, tables a PDF does not need
dropped, the empty glyphs after the last one used cut off), on the font's bytes through uharfbuzz.

It replaces only the fontTools fallback: where WeasyPrint found libharfbuzz-subset itself, or where its Font
class no longer looks as expected, nothing is changed.
"""

from __future__ import annotations

_DROP = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def install() -> None:
    from weasyprint.pdf import fonts

    if getattr(fonts, "harfbuzz_subset", None) or not hasattr(fonts.Font, "_fonttools_subset"):
        return
    if getattr(fonts.Font.subset, "policygen", False):
        return

    def subset(self, to_unicode, hinting):
        if not to_unicode:
            return
        data = cut(self.file_content, self.index, sorted(to_unicode), hinting=hinting, notdef=bool(self.missing))
        if data:
            self.file_content = data
        else:  # HarfBuzz refused the font: WeasyPrint's own way
            self._fonttools_subset(to_unicode, hinting)

    subset.policygen = True
    fonts.Font.subset = subset


def cut(data: bytes, index: int, glyphs: list[int], *, hinting: bool, notdef: bool) -> bytes | None:
    """The font in `data` (face `index`) with only `glyphs`, at their glyph ids; None if HarfBuzz fails."""
    import uharfbuzz as hb

    flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    if notdef:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    # First the glyphs used, at their ids (the others emptied), then without the empty ones after the last used.
    first = _input(glyphs, flags | hb.SubsetFlags.RETAIN_GIDS)
    face = hb.subset(hb.Face(hb.Blob(data), index), first)
    if face is None:
        return None
    second = _input(range(max(glyphs) + 1), flags if hinting else flags | hb.SubsetFlags.NO_HINTING)
    face = hb.subset(face, second)
    return face.blob.data if face is not None else None


def _input(glyphs, flags):
    import uharfbuzz as hb

    options = hb.SubsetInput()
    glyph_set = options.glyph_set
    for glyph in glyphs:
        glyph_set.add(glyph)
    drop = options.drop_table_tag_set
    for tag in _DROP:
        drop.add(int.from_bytes(tag.encode("ascii"), "big"))
    options.flags = flags
    return options
