"""Inter-character justification for Chinese text in WeasyPrint.

WeasyPrint justifies a line only by widening its spaces, and a Chinese line has none: a line that kinsoku (no
closing punctuation at a line's start) or a wide figure left short stayed short, 1–12 mm from the type area's
right edge. A Chinese page is flush on both sides: `install()` makes a justified line that holds CJK characters
share its spare width out between all its characters (as letter spacing, `text-justify: inter-character` in CSS
terms), so its last glyph ends on the right edge. Lines without CJK characters keep WeasyPrint's own justification.
The last line of a paragraph is never justified (WeasyPrint does not call this for it).
"""

from __future__ import annotations

import re

_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    from weasyprint.layout import inline

    original = inline.justify_line

    def justify_line(context, line, extra_width):
        texts = list(_text_boxes(line))
        gaps = sum(len(t.text) for t in texts) - 1
        if extra_width <= 0 or gaps < 1 or not any(_CJK.search(t.text) for t in texts):
            return original(context, line, extra_width)
        _spread(context, line, extra_width / gaps, 0)

    inline.justify_line = justify_line
    _installed = True


def _text_boxes(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _spread(context, box, per_char: float, x_advance: float) -> float:
    """Move `box` right by `x_advance` and widen every character in it by `per_char`; return the new advance."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.line_break import create_layout

    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        style = box.style.copy()
        spacing = style["letter_spacing"]
        style["letter_spacing"] = (0 if spacing == "normal" else spacing) + per_char
        layout = create_layout(box.text, style, context, max_width=None, justification_spacing=0)
        layout.deactivate()
        box.pango_layout = layout
        box.style = style
        extra = per_char * len(box.text)
        box.width += extra
        return x_advance + extra
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _spread(context, child, per_char, x_advance)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)  # an atomic inline box moves with the text
    return x_advance
