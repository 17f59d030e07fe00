"""The layout of a blank form, decided once for every writer (PDF, fillable PDF, DOCX, HTML).

A form section is a grid of label | value pairs, `columns` pairs to a row. Given the width it is printed in and its
type size, `layout_section` decides:

- the label column's width, from the longest label (a label that still does not fit is set smaller, down to
  `MIN_LABEL_PT`, and only then breaks, between words);
- how many pairs fit a row: fields whose printed blank has a fixed width (a date "年 月 日", a signature with its
  date, a row of boxes, an amount with its 大写 line) widen over more pairs, and when one pair no longer holds
  them the section drops to fewer pairs per row, rather than letting a blank run out of its cell;
- which fields take a row of their own (multiline text, grids, notes).

Paper, margins and type sizes of a standalone form are here too (`paper`, and `attached_paper` for a form attached
to a regulation), as is the width of the blanks (`date_blank`, worded in language.py), so a PDF page, a Word table
and an HTML page of one form agree. Which of those densities a copy is printed at, and how many blank rows its
tables get, form_sheet.py decides from the heights of what is laid out here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field as dc_field

from ..language import date_blank  # the printed phrase lives with the others; writers take it from here
from ..presets import MM_PER_PT

# ISO 216 sizes in mm, portrait (B5 is ISO B5 of GB/T 148, 176 × 250 mm, not the JIS B5 of some copiers).
PAPER_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "B5": (176.0, 250.0)}
# Fields that take a whole row; of them, the ones printed as a grid of their own.
ROW_FIELDS = frozenset({"multiline", "rating", "table", "approval", "notes"})
GRID_FIELDS = frozenset({"rating", "table", "approval"})
MIN_LABEL_PT = 9.0
CELL_PADDING_MM = 2.4  # left + right padding of a cell (1.2 mm each side)
SIGNATURE_NAME_EM = 6  # the line to sign on, before or above the date


@dataclass(frozen=True)
class Paper:
    size: str
    width: float
    height: float
    margin_top: float
    margin_bottom: float
    margin_side: float
    binding: float  # the left margin of a printed sheet, wide enough to punch and file
    font_pt: float
    title_pt: float
    row_mm: float
    pad_mm: float = 1.0  # the top and bottom padding of a cell
    tight: int = 0
    notes_em: float = 0.9  # the type size of notes, in ems of the form's
    caption_pad_mm: float = 1.0  # above and below a section's title
    gap_mm: float = 2.0  # between sections

    @property
    def area_width(self) -> float:
        return self.width - self.margin_side - self.binding

    @property
    def area_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom


TIGHT_LEVELS = (0, 1, 2, 3, 4)


def _density(tight: int, row_mm: float) -> dict:
    """The settings of density `tight` (0 to 4) that a standalone sheet and a regulation's attached form share: the
    rows, paddings, notes and gaps, from a row height of `row_mm` at level 0."""
    level = min(tight, 3)
    return {"row_mm": row_mm - 0.75 * level - (0.5 if tight >= 4 else 0),
            "pad_mm": 1.0 - 0.2 * level - (0.1 if tight >= 4 else 0), "tight": tight,
            "notes_em": 0.9 if tight < 2 else 0.8, "caption_pad_mm": 1.0 if tight < 2 else 0.5 if tight < 4 else 0.3,
            "gap_mm": 2.0 if tight < 2 else 1.0 if tight < 4 else 0.5}


def _smaller_type(tight: int) -> float:
    return 0.5 * min(tight, 2) + (0.5 if tight >= 4 else 0)


def paper(form, tight: int = 0) -> Paper:
    """The sheet of a standalone form. `tight` 1 to 4 are denser settings (smaller type and rows, notes set small,
    sections closer), taken when they let a copy fit one sheet (`fit_sheet` chooses). The densest sets 小五 (9 pt)
    in rows of 6 mm, as a multi-part office form of many fields is printed."""
    width, height = PAPER_MM[form.paper_size]
    if form.orientation == "landscape":
        width, height = height, width
    small = form.paper_size != "A4"
    return Paper(form.paper_size, width, height, margin_top=16 - 2 * min(tight, 2) - (2 if tight >= 4 else 0),
                 margin_bottom=12 - (2 if tight >= 4 else 0),
                 margin_side=12 if small else 15, binding=15 if small else 20,
                 font_pt=(9.5 if small else 10.5) - _smaller_type(tight),
                 title_pt=(15 if small else 18) - 2 * min(tight, 2) - (1 if tight >= 4 else 0),
                 **_density(tight, 7.5 if small else 8.5))


ATTACHED_ROW_MM = 8.5  # the row height of a form attached to a regulation, at level 0 (pdf/page.css.j2)


def attached_paper(form, page, tight: int = 0) -> Paper:
    """Where a form attached to a regulation prints: the type area of the regulation's page (`page`, a preset; a
    landscape form on the page turned), below its heading 附表N (two lines of the grid), at the regulation's form
    size (`page.form_pt`) and the densities of a standalone sheet. It has no title of its own (the heading is it)."""
    landscape = form.orientation == "landscape"
    width = page.landscape_area_width_mm if landscape else page.area_width_mm
    height = (page.area_width_mm if landscape else page.area_height_mm) - 2 * page.line_mm
    return Paper("attached", width, height, margin_top=0, margin_bottom=0, margin_side=0, binding=0,
                 font_pt=page.form_pt - _smaller_type(tight), title_pt=0, **_density(tight, ATTACHED_ROW_MM))


def text_ems(text: str) -> float:
    """Width of a text in ems: a CJK or full-width character is one, anything else about half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


# Places a label may break: after a space, before an opening bracket, after a closing one or a slash or a
# 顿号/comma. A Chinese label otherwise never breaks: 营销部业务人员 is one word to its reader.
_BREAKS = re.compile(r"(?<=[\s/、，,）)])|(?=[（(])")


def label_words(label: str) -> list[str]:
    return [w for w in _BREAKS.split(label) if w]


@dataclass
class Cell:
    field: object
    span: int  # pairs of the grid this field covers
    label_pt: float = 0.0
    label_wraps: bool = False  # the label breaks (it does not fit on one line even at 9 pt)
    words: list[str] | None = None  # where it may break: between these words; None: anywhere (one word too long)


@dataclass
class SectionLayout:
    section: object
    columns: int  # label | value pairs to a row
    width_mm: float
    label_mm: float
    font_pt: float
    rows: list[list[Cell]] = dc_field(default_factory=list)

    @property
    def pair_mm(self) -> float:
        return self.width_mm / self.columns

    @property
    def value_mm(self) -> float:
        return self.pair_mm - self.label_mm

    @property
    def caption(self) -> str | None:
        """The title printed above the section: none when the section opens with a grid of the same name, whose own
        title says it (对服务人员的品评 once, not twice)."""
        title = self.section.title
        first = self.section.fields[0] if self.section.fields else None
        if not title or (first is not None and first.type in GRID_FIELDS and first.label == title):
            return None
        return title

    def col_widths_mm(self) -> list[float]:
        return [self.label_mm, self.value_mm] * self.columns

    def col_percents(self) -> list[float]:
        return [round(w / self.width_mm * 100, 3) for w in self.col_widths_mm()]

    def cell_value_mm(self, cell: Cell) -> float:
        return cell.span * self.pair_mm - self.label_mm


def label_text(field) -> str:
    return (field.label or "") + ("*" if field.attrs.get("required") else "")


def value_ems(field, language: str) -> float:
    """The narrowest the value cell of a field can be, in ems of the form's type: its widest unbreakable part."""
    a = field.attrs
    date = text_ems(date_blank(language))
    if field.type == "date":
        return date
    if field.type == "signature":  # the line to sign on stands above the date
        return max(SIGNATURE_NAME_EM, date if a.get("date", True) else 0)
    if field.type == "money":
        parts = [1 + MONEY_BLANK_EM]
        if a.get("capital", True):
            parts.append(text_ems("大写：") + CAPITAL_BLANK_EM)
        return max(parts)
    if field.type == "number":
        return 6 + text_ems(a.get("unit", "")) + 0.3
    if field.type == "comb":
        return a["length"] * 1.2
    if field.type == "choice":
        return max(text_ems(option_label(o)) + 1.3 for o in a["options"])
    if field.type == "text":
        return min(a.get("width", 8), 8)
    return 4


MONEY_BLANK_EM = 7
CAPITAL_BLANK_EM = 11


# The columns of the grids every writer prints alike (the PDF/HTML template, the DOCX, the heights of form_sheet):
RATING_CRITERIA_PCT = 30  # a rating grid's criteria, in percent of its width; its levels share the rest evenly
APPROVAL_NAME_PCT, APPROVAL_SIGNATURE_PCT = 22, 18  # an approval grid's names and signatures; its date is as wide as
# its blank (col.date-col), its opinion takes the rest


def rating_level_pct(field) -> float:
    """The width of each level column of a rating grid, in percent (rounded down, so that they never add past 100)."""
    return math.floor((100 - RATING_CRITERIA_PCT) / len(field.attrs["levels"]) * 1000) / 1000


DEFAULT_COLUMN_WEIGHT = 6  # a table column's `width` when the form gives none (relative to the others)


@dataclass(frozen=True)
class TableColumns:
    """The columns of a table field: their widths (mm), the type size of the heading row, and, per column, the
    words its heading breaks between (None: it breaks anywhere, as no width could hold its longest word)."""
    widths_mm: list[float]
    heading_pt: float
    words: list[list[str] | None]

    def percents(self) -> list[float]:
        return [round(w / sum(self.widths_mm) * 100, 3) for w in self.widths_mm]

    def heading_lines(self, labels: list[str]) -> int:
        """Lines the heading row takes: its tallest heading."""
        em = self.heading_pt * MM_PER_PT
        lines = 1
        for label, words, width in zip(labels, self.words, self.widths_mm):
            room = (width - CELL_PADDING_MM) / em
            lines = max(lines, words_lines([_ems(w) for w in words], room) if words else text_lines(label, room))
        return lines


def _ems(text: str) -> float:
    return sum(_glyph_ems(ch) for ch in text)


def word_lines(words: list[str], room_mm: float, pt: float) -> list[str]:
    """The lines a label set at `pt` in `room_mm` takes when it breaks only between `words` (greedy, as a browser
    breaks it): for a writer that must place the breaks itself (Word has no unbreakable run)."""
    room = room_mm / (pt * MM_PER_PT)
    lines: list[str] = []
    used = 0.0
    for w in words:
        ems = _ems(w)
        if lines and used + ems <= room + 0.05:
            lines[-1] += w
            used += ems
        else:
            lines.append(w)
            used = ems
    return lines


def _share(weights: list[float], need: list[float], width_mm: float) -> list[float]:
    """Widths in proportion to `weights`, except that no column gets less than it `need`s."""
    fixed: dict[int, float] = {}
    while True:  # give the narrow columns what they need, share the rest out by weight
        free = [i for i in range(len(weights)) if i not in fixed]
        rest = width_mm - sum(fixed.values())
        total = sum(weights[i] for i in free)
        short = [i for i in free if rest * weights[i] / total < need[i]]
        if not short:
            return [fixed.get(i, rest * weights[i] / total) for i in range(len(weights))]
        for i in short:
            fixed[i] = need[i]


def table_columns(field, width_mm: float, font_pt: float) -> TableColumns:
    """The columns of a table field across `width_mm`: in proportion to the columns' `width` weights, but each wide
    enough for the longest word of its heading (label_words: 服务凭证号 is one word, 状态（已完成/进行中） three), so a
    heading breaks only between words. When the headings do not fit so at the form's size, the heading row is set
    smaller, down to MIN_LABEL_PT; when not even then (many columns, a pasted string of thousands of characters),
    each column gets room for four characters of its heading and a heading too long for its column breaks anywhere."""
    columns = field.attrs["columns"]
    weights = [c.get("width", DEFAULT_COLUMN_WEIGHT) for c in columns]
    labels = [c["label"] for c in columns]
    words = [label_words(label) or [""] for label in labels]
    sizes = [font_pt] + [pt / 2 for pt in range(math.ceil(font_pt * 2) - 1, math.floor(MIN_LABEL_PT * 2) - 1, -1)
                         if MIN_LABEL_PT <= pt / 2 < font_pt]
    for pt in sizes:
        em = pt * MM_PER_PT
        need = [max(_ems(w) for w in ws) * em + CELL_PADDING_MM + 0.8 for ws in words]
        if sum(need) <= width_mm:
            return TableColumns(_share(weights, need, width_mm), pt, words)
    em = font_pt * MM_PER_PT
    need = [min(_ems(label), 4) * em + CELL_PADDING_MM + 0.8 for label in labels]
    widths = [width_mm * w / sum(weights) for w in weights] if sum(need) >= width_mm else _share(weights, need, width_mm)
    fits = [ws if max(_ems(w) for w in ws) * em + CELL_PADDING_MM + 0.3 <= width else None
            for ws, width in zip(words, widths)]
    return TableColumns(widths, font_pt, fits)


def header_repeats(field) -> bool:
    """Whether a table field's heading row repeats on every page: not when a heading is so long (a pasted string of
    thousands of characters) that the row could not fit a page, which would drop it altogether."""
    return all(len(c["label"]) <= 200 for c in field.attrs["columns"])


# Brackets, dashes and the like that turn a quarter with the text when a label is set vertically, as in 竖排.
_TURNED = set("（）()〔〕［］[]【】《》〈〉「」『』｛｝{}—–-…～~：:")


def vertical_label(label: str) -> list[tuple[str, bool]]:
    """A copy's label set top to bottom in the sheet's margin: each character, and whether it is turned 90°."""
    return [(ch, ch in _TURNED) for ch in label if not ch.isspace()]


def option_label(option) -> str:
    return option["label"] if isinstance(option, dict) else option


def option_id(option) -> str:
    return option["id"] if isinstance(option, dict) else option


def layout_section(section, width_mm: float, font_pt: float, language: str) -> SectionLayout:
    """Pack a section's fields into rows that fit `width_mm` at `font_pt` (see the module docstring)."""
    em = font_pt * MM_PER_PT
    label_fields = [f for f in section.fields if f.type not in ROW_FIELDS or f.type == "multiline"]
    longest = max((text_ems(label_text(f)) for f in label_fields), default=4.0)
    # never more pairs to a row than there are fields to share one
    run = widest = 0
    for f in section.fields:
        run = 0 if f.type in ROW_FIELDS else run + max(f.attrs.get("span", 1), 1)
        widest = max(widest, run)
    for columns in range(max(1, min(section.columns, widest)), 0, -1):
        pair = width_mm / columns
        # a label as wide as the longest needs, within 45 % of the pair (half of it when one pair to a row)
        cap = pair * (0.5 if columns == 1 else 0.45)
        label_mm = min(max(longest * em + CELL_PADDING_MM + 0.6, 4 * em + CELL_PADDING_MM), cap)
        # a label that would break even at 9 pt widens the column: fewer pairs to a row (unless it could not
        # stand on one line whatever the width, as a pasted 5,000-character string)
        small = MIN_LABEL_PT * MM_PER_PT
        if columns > 1 and any(cap < text_ems(label_text(f)) * small + CELL_PADDING_MM + 0.3 <= width_mm * 0.5
                               for f in label_fields):
            continue
        spans = []
        for f in section.fields:
            if f.type in ROW_FIELDS:
                spans.append(columns)
                continue
            need = value_ems(f, language) * em + CELL_PADDING_MM + 0.6
            span = max(min(f.attrs.get("span", 1), columns), 1)
            while span < columns and span * pair - label_mm < need:
                span += 1
            if span * pair - label_mm < need:
                break  # this field does not fit even across the whole row: try fewer pairs
            spans.append(span)
        else:
            layout = SectionLayout(section, columns, width_mm, label_mm, font_pt)
            layout.rows = _pack(section.fields, spans, columns)
            for row in layout.rows:
                for cell in row:
                    _fit_label(cell, label_mm, font_pt)
            return layout
    # One pair to a row and still too narrow (a tiny sheet): the blanks wrap inside their cells.
    layout = SectionLayout(section, 1, width_mm, min(width_mm * 0.4, longest * em + CELL_PADDING_MM), font_pt)
    layout.rows = _pack(section.fields, [1] * len(section.fields), 1)
    for row in layout.rows:
        for cell in row:
            _fit_label(cell, layout.label_mm, font_pt)
    return layout


def _fit_label(cell: Cell, label_mm: float, font_pt: float) -> None:
    """The type size of a label: the form's, or smaller (not under 9 pt) so it stays on one line; failing that it
    breaks between words at the smaller size."""
    ems = text_ems(label_text(cell.field))
    room = label_mm - CELL_PADDING_MM - 0.3
    if ems == 0 or ems * font_pt * MM_PER_PT <= room:
        cell.label_pt = font_pt
        return
    pt = room / (ems * MM_PER_PT)
    if pt >= MIN_LABEL_PT:
        cell.label_pt = math.floor(pt * 10) / 10
        return
    cell.label_pt = min(font_pt, MIN_LABEL_PT)
    cell.label_wraps = True
    words = label_words(cell.field.label or "")
    if max(text_ems(w) for w in words) * cell.label_pt * MM_PER_PT <= room:
        cell.words = words


def _pack(fields, spans, columns) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    used = 0
    for f, span in zip(fields, spans):
        if used + span > columns:
            rows.append(_fill(current, used, columns))
            current, used = [], 0
        current.append(Cell(f, span))
        used += span
        if used == columns:
            rows.append(current)
            current, used = [], 0
    if current:
        rows.append(_fill(current, used, columns))
    return rows


def _fill(row: list[Cell], used: int, columns: int) -> list[Cell]:
    row[-1].span += columns - used
    return row


def layout_form(form, width_mm: float, font_pt: float, rows: dict[str, int] | None = None) -> list[SectionLayout]:
    """Every section laid out; the cells of `rows: fill` tables carry the number of rows `rows` gives them
    (fit_sheet decides it), so each writer prints that many."""
    layouts = [layout_section(section, width_mm, font_pt, form.language) for section in form.sections]
    for layout in layouts:
        for row in layout.rows:
            for cell in row:
                cell.field = with_rows(cell.field, rows)
    return layouts


def serial_parts(pattern: str) -> list[tuple[str, int]]:
    """'KS-{yyyy}-{seq:4}' → [('KS-', 0), ('', 4), ('-', 0), ('', 4)]: literal text, or a number of boxes."""
    parts: list[tuple[str, int]] = []
    for literal, token in re.findall(r"([^{}]*)(\{[^}]*\})?", pattern):
        if literal:
            parts.append((literal, 0))
        if token:
            name = token.strip("{}")
            width = {"yyyy": 4, "mm": 2, "dd": 2}.get(name) or int(name.split(":")[1])
            parts.append(("", width))
    return parts


def form_date(project, form) -> str | None:
    """The date a form carries in its metadata: the effective date of the regulation that states it, or of the first
    regulation that attaches it; None when no regulation does (a form has no date of its own)."""
    if form.stated_in:
        reg = project.regulations.get(form.stated_in.split("/")[0])
        if reg is not None:
            return reg.effective
    attaching = project.attached_by.get(form.id)
    return project.regulations[attaching[0]].effective if attaching else None


def _glyph_ems(ch: str) -> float:
    """The advance of a character of the shipped faces in ems: Han characters and full-width punctuation one,
    figures a half, a full stop and a space about a third, other Latin letters about 0.6."""
    if ord(ch) > 0x2E7F:
        return 1.0
    return 0.5 if ch.isdigit() else 0.3 if ch in " .,:;'!|" else 0.4 if ch in "/()[]" else 0.6


def text_lines(text: str, room_ems: float) -> int:
    """Lines a paragraph takes in a line `room_ems` wide, breaking between any two characters (as Chinese text
    does; a Latin word is rarely long enough for this to be far out)."""
    lines, used = 1, 0.0
    for ch in text:
        w = _glyph_ems(ch)
        if used + w > room_ems + 0.02 and used:
            lines, used = lines + 1, w
        else:
            used += w
    return lines


def words_lines(widths: list[float], room: float, gap: float = 0.0) -> int:
    """Lines a sequence of unbreakable pieces takes when set one after another, `gap` between them."""
    lines, used = 1, 0.0
    for w in widths:
        need = w if used == 0 else used + gap + w
        if used and need > room + 0.05:
            lines, used = lines + 1, w
        else:
            used = need
    return lines


def table_rows(field, rows: dict[str, int] | None = None) -> int:
    """The blank rows of a table field: those fit_sheet gave it (a `rows: fill` table; an attached form's table cut
    to fit the page), or its `rows`."""
    if rows and field.id in rows:
        return rows[field.id]
    n = field.attrs.get("rows")
    return n if isinstance(n, int) else 1


def with_rows(field, rows: dict[str, int] | None):
    """The field as the writers print it: a `rows: fill` table with its number of rows."""
    if field.type != "table" or table_rows(field, rows) == field.attrs.get("rows"):
        return field
    from dataclasses import replace

    return replace(field, attrs={**field.attrs, "rows": table_rows(field, rows)})
