"""Two narrow changes to how WeasyPrint spends its time, each doing exactly what WeasyPrint does, faster.

Both are installed by `install()` only where WeasyPrint's code looks as expected (else nothing is changed), so a
newer WeasyPrint runs as it is. tests/test_pdf.py and tests/test_form_pdf.py read back what they affect.

1. Font subsetting. WeasyPrint cuts each embedded font down to the glyphs the PDF uses with HarfBuzz's subsetter
   when the system has the libharfbuzz-subset library, and otherwise with fontTools, which took seconds per CJK
   face per document (most of a build's time). pip cannot install that system library, but uharfbuzz (HarfBuzz's
   own Python binding, a wheel) carries the same subsetter: Font.subset does what WeasyPrint's HarfBuzz path
   does (glyph ids kept, unknown tables passed through, CFF desubroutinized, tables a PDF does not need dropped,
   the empty glyphs after the last one used cut off), on the font's bytes through uharfbuzz.
2. Page styles. For every page, WeasyPrint 70 looks for the page's margin-box styles by walking the styles of
   every element of the document, so a long regulation spent time in the square of its length (0.5 s of 8 s
   at 278 pages). The replacement looks up only the margin boxes the stylesheets name, which are the only
   entries that walk could find.
"""

from __future__ import annotations

_DROP = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def install() -> None:
    _install_subset()
    _install_page_styles()


def _install_subset() -> None:
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


def _install_page_styles() -> None:
    from weasyprint.layout import page

    original = getattr(page, "set_page_type_computed_styles", None)
    if original is None or getattr(original, "policygen", False) or original.__code__.co_varnames[:3] != (
            "page_type", "html", "style_for"):
        return

    def set_page_type_computed_styles(page_type, html, style_for):
        if not hasattr(style_for, "_sheets") or not hasattr(style_for, "add_page_declarations"):
            return original(page_type, html, style_for)
        style_for.add_page_declarations(page_type)
        root = html.etree_element
        style_for.set_computed_styles(page_type, root=root, parent=root, base_url=html.base_url)
        cascaded = style_for.get_cascaded_styles()
        for pseudo_type in _page_pseudo_types(style_for):
            if (page_type, pseudo_type) in cascaded:
                style_for.set_computed_styles(page_type, pseudo_type=pseudo_type, root=root, parent=page_type,
                                              base_url=html.base_url)

    set_page_type_computed_styles.policygen = True
    set_page_type_computed_styles.original = original  # for the test that compares the two
    page.set_page_type_computed_styles = set_page_type_computed_styles


def _page_pseudo_types(style_for) -> list[str]:
    """The margin boxes (and other page pseudo-elements) the stylesheets style, in their first order."""
    known = style_for.__dict__.get("_policygen_page_pseudo_types")
    if known is None:
        known = list(dict.fromkeys(selector[1] for sheet, _, _ in style_for._sheets
                                   for _, selectors, _ in sheet.page_rules for selector in selectors if selector[1]))
        style_for._policygen_page_pseudo_types = known
    return known
