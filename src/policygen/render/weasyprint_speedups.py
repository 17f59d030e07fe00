"""Two narrow changes to how WeasyPrint spends its time, each doing exactly what WeasyPrint does, faster.

Each patch is installed by `install()` only where the WeasyPrint code it replaces, and the code it imitates or
relies on, is exactly the code it was written against: the SHA-256 of each function's source, as in WeasyPrint
70.0 (pyproject.toml pins `weasyprint>=70,<71`), is in `SHAPES`. Anything else (another release, a patched build,
source not available) and the patch stands down: WeasyPrint runs as it is, slower, with the same pages.
tests/test_pdf.py checks that a document laid out with the patches and one laid out with them standing down read
back the same, line by line (text, positions, sizes, fonts).

1. Font subsetting (`Font.subset`). What it answers: WeasyPrint 70 cuts each embedded font down to the glyphs the
   PDF uses with HarfBuzz's subsetter only when the system has the libharfbuzz-subset library (Debian's
   libharfbuzz-subset0), and otherwise with fontTools, which took seconds per CJK face per document (most of a
   build's time), and warns that the fontTools path will go. pip cannot install that system library, but
   uharfbuzz (HarfBuzz's own Python binding, a wheel) carries the same subsetter: the patch does what
   `Font._harfbuzz_subset` does (glyph ids kept, unknown tables passed through, CFF desubroutinized, the same
   tables dropped, then the empty glyphs after the last one used cut off), on the font's bytes through uharfbuzz.
   Where the system library is there, WeasyPrint uses it itself and the patch stands down. Drop the patch when
   WeasyPrint subsets without the system library (or requires it and pip can provide it).
2. Page styles (`layout.page.set_page_type_computed_styles`). What it answers: for every page, WeasyPrint 70 finds
   the page's margin-box styles by walking the cascaded styles of every element of the document, so a long
   regulation spent time in the square of its length (0.5 s of 8 s at 278 pages). The replacement looks up only
   the margin boxes the stylesheets name (`StyleFor.add_page_declarations` puts exactly those in the cascade), which
   are the only entries that walk could find. Drop it when WeasyPrint looks up page pseudo-elements by page type.
"""

from __future__ import annotations

import hashlib
import inspect

# The source of every WeasyPrint function a patch replaces, imitates or relies on, as in WeasyPrint 70.0.
SHAPES = {
    "subset": {
        "weasyprint.pdf.fonts:Font.subset": "61ed6bc2e9a7e43a",  # replaced
        "weasyprint.pdf.fonts:Font._harfbuzz_subset": "f80805663ede8080",  # imitated
        "weasyprint.pdf.fonts:Font._fonttools_subset": "1faa45f3c4cae67e",  # called when HarfBuzz fails
    },
    "page_styles": {
        "weasyprint.layout.page:set_page_type_computed_styles": "4e68b396b35c4a06",  # replaced
        "weasyprint.css:StyleFor.add_page_declarations": "78e388ade2325011",  # what puts page styles in the cascade
        "weasyprint.css:StyleFor.get_cascaded_styles": "e8b389efb965dfb8",
    },
}

_DROP = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def install() -> dict[str, bool]:
    """Install each patch whose WeasyPrint code has the expected shape; return which are installed."""
    return {"subset": _install_subset(), "page_styles": _install_page_styles()}


def shape_matches(patch: str) -> bool:
    """Whether every function `patch` depends on has exactly the source it was written against."""
    import importlib

    for where, digest in SHAPES[patch].items():
        module_name, _, qualname = where.partition(":")
        try:
            target = importlib.import_module(module_name)
            for part in qualname.split("."):
                target = getattr(target, part)
            target = getattr(target, "policygen_original", target)  # already patched: the function it replaced
            source = inspect.getsource(target)
        except (ImportError, AttributeError, OSError, TypeError):
            return False
        if hashlib.sha256(source.encode()).hexdigest()[:len(digest)] != digest:
            return False
    return True


def _install_subset() -> bool:
    from weasyprint.pdf import fonts

    if getattr(fonts.Font.subset, "policygen", False):
        return True
    if fonts.harfbuzz_subset is not None or not shape_matches("subset"):
        return False  # WeasyPrint has the system subsetter (or is not the code this was written for)
    original = fonts.Font.subset

    def subset(self, to_unicode, hinting):
        if not to_unicode:
            return
        data = cut(self.file_content, self.index, sorted(to_unicode), hinting=hinting, notdef=bool(self.missing))
        if data:
            self.file_content = data
        else:  # HarfBuzz refused the font: WeasyPrint's own way
            self._fonttools_subset(to_unicode, hinting)

    subset.policygen = True
    subset.policygen_original = original
    fonts.Font.subset = subset
    return True


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


def _install_page_styles() -> bool:
    from weasyprint.layout import page

    original = page.set_page_type_computed_styles
    if getattr(original, "policygen", False):
        return True
    if not shape_matches("page_styles"):
        return False

    def set_page_type_computed_styles(page_type, html, style_for):
        style_for.add_page_declarations(page_type)
        root = html.etree_element
        style_for.set_computed_styles(page_type, root=root, parent=root, base_url=html.base_url)
        cascaded = style_for.get_cascaded_styles()
        for pseudo_type in _page_pseudo_types(style_for):
            if (page_type, pseudo_type) in cascaded:
                style_for.set_computed_styles(page_type, pseudo_type=pseudo_type, root=root, parent=page_type,
                                              base_url=html.base_url)

    set_page_type_computed_styles.policygen = True
    set_page_type_computed_styles.policygen_original = original
    page.set_page_type_computed_styles = set_page_type_computed_styles
    return True


def _page_pseudo_types(style_for) -> list[str]:
    """The margin boxes (and other page pseudo-elements) the stylesheets style, in their first order: the
    pseudo types `StyleFor.add_page_declarations` can put in the cascade."""
    known = style_for.__dict__.get("_policygen_page_pseudo_types")
    if known is None:
        known = list(dict.fromkeys(selector[1] for sheet, _, _ in style_for._sheets
                                   for _, selectors, _ in sheet.page_rules for selector in selectors if selector[1]))
        style_for._policygen_page_pseudo_types = known
    return known
