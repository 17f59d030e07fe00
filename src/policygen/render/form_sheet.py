"""How much of a sheet a copy of a form takes, and the view a form template prints (`form_view`).

A copy of a form is one sheet in an office (each 联 of a carbonless set goes to another department; a register is
printed by the hundred), so how tall a copy is, is decided here before anything is rendered: from the rules of
pdf/form-fields.css.j2 (row heights, paddings, the lines of a multiline field, the type of notes) and the widths the
layout (form_layout.py) gave each cell. `fit_sheet` takes the first density (`paper(tight=…)`, or `attached_paper`
for a form attached to a regulation) at which a copy fits, gives a table written `rows: fill` the blank rows that fit
there, and otherwise says how many sheets a copy takes and what takes the room: the build warns with it
(PG-FORM-101). The PDF, the fillable PDF, the DOCX and the HTML page print the same number of rows, since every
writer takes its cells from `form_view`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field as dc_field

from ..presets import MM_PER_PT
from .form_layout import (RATING_CRITERIA_PCT, CAPITAL_BLANK_EM, CELL_PADDING_MM, GRID_FIELDS, MONEY_BLANK_EM, TIGHT_LEVELS, Cell, Paper,
                          text_lines, words_lines, attached_paper, header_repeats, label_text, layout_form,
                          option_label, paper, rating_level_pct, table_columns, table_rows, text_ems,
                          vertical_label, APPROVAL_NAME_PCT, APPROVAL_SIGNATURE_PCT)


BORDER_MM = 0.75 * MM_PER_PT  # a cell's rule (the collapsed borders add one per row)
LINE_HEIGHT = 1.35  # the forms' line height, in ems (form.css.j2, page.css.j2)
FILL_SLACK_MM = 3.0  # what `rows: fill` leaves free at the foot of the sheet, against rounding in the layout
FILL_MIN_ROWS = 10  # a `rows: fill` table takes a denser setting until it has as many (a register of 3 rows is none)
SPECIMEN_MIN_ROWS = 3  # the fewest blank rows a table of an attached form is cut to, to keep it on one page


def _line_mm(pt: float, factor: float = LINE_HEIGHT) -> float:
    return pt * factor * MM_PER_PT


def _lines_of(ems: float, room_ems: float) -> int:
    """Lines a run of text `ems` wide takes in a line `room_ems` wide (Chinese text breaks between characters)."""
    if ems <= 0:
        return 0
    per_line = max(math.floor(room_ems + 0.05), 1)
    return max(math.ceil(ems / per_line - 1e-6), 1)


@dataclass
class SheetFit:
    """What fit_sheet decided for a form: the density, the blank rows of each table, how tall a copy is and how
    many sheets it takes, and the heights of the fields (to say which take the room)."""
    tight: int
    paper: Paper
    rows: dict[str, int]  # table field id -> blank rows printed
    height_mm: float  # of a copy's content
    sheets: int
    heights: list[tuple[object, float]]  # (field, mm) for every field, in form order
    fill_fit: dict[str, int] = dc_field(default_factory=dict)  # table id -> rows that would fit one sheet

    @property
    def fits(self) -> bool:
        return self.sheets == 1


class _Heights:
    """Heights in mm of the parts of a copy on `sheet`, as the print stylesheet sets them."""

    def __init__(self, sheet: Paper, printed):
        self.s, self.printed = sheet, printed
        self.em = sheet.font_pt * MM_PER_PT
        self.line = _line_mm(sheet.font_pt)
        self.help_line = _line_mm(sheet.font_pt * 0.8)

    def row(self, content: float) -> float:
        return content + 2 * self.s.pad_mm + BORDER_MM

    def help(self, field, width_mm: float) -> float:
        text = field.attrs.get("help")
        if not text:
            return 0.0
        room = (width_mm - CELL_PADDING_MM) / (self.em * 0.8)
        return 0.5 + text_lines(text, room) * self.help_line

    def label(self, cell: Cell, label_mm: float) -> float:
        room = (label_mm - CELL_PADDING_MM) / (cell.label_pt * MM_PER_PT)
        if not cell.label_wraps:
            lines = 1
        elif cell.words:
            lines = words_lines([text_ems(w) for w in cell.words], room)
        else:
            lines = _lines_of(text_ems(label_text(cell.field)), room)
        return lines * _line_mm(cell.label_pt)

    def value(self, field, width_mm: float) -> float:
        """The content height of a label | value pair's value cell."""
        s, a = self.s, field.attrs
        room = (width_mm - CELL_PADDING_MM) / self.em
        if field.type == "signature":  # the line to sign on (1.4 em), the date below it; the cell 1.5 rows high
            natural = 1.4 * self.em + (self.line if a.get("date", True) else 0) + self.help(field, width_mm)
            return max(s.row_mm * 1.5, natural)
        if field.type == "multiline":
            content = writing_lines_mm(s, a.get("lines", 3))
        elif field.type == "choice":
            widths = [text_ems(option_label(o)) + 1 for o in a["options"]]
            content = words_lines(widths, room, gap=1.3) * self.line
        elif field.type == "money":
            parts = [1 + MONEY_BLANK_EM] + ([text_ems("大写：") + 0.5 + CAPITAL_BLANK_EM] if a.get("capital", True) else [])
            content = words_lines(parts, room, gap=0.3) * self.line * 1.04
        elif field.type == "text":  # a writing line of 1.1 em
            content = 1.1 * self.em
        else:
            content = self.line
        return max(content + self.help(field, width_mm), s.row_mm)  # every td is a row high at least

    def block_label(self, field) -> float:
        return self.line * (1.1 if field.attrs.get("required") else 1.0) + 1.0

    def inner_row(self, content: float = 0.0) -> float:
        return max(self.s.row_mm - 1, content) + 2 * self.s.pad_mm + BORDER_MM

    def grid(self, field, width_mm: float, rows: int, view_approvers: int = 0) -> float:
        """A table, rating or approval field: its title, heading row, rows and help, in its cell."""
        a, inner_mm = field.attrs, width_mm - 2  # td.inner has 1 mm padding each side
        if field.type == "table":
            cols = table_columns(field, inner_mm, self.s.font_pt)
            heading = cols.heading_lines([c["label"] for c in a["columns"]]) * _line_mm(cols.heading_pt)
            body = rows * self.inner_row()
        elif field.type == "rating":
            level_mm = inner_mm * (100 - RATING_CRITERIA_PCT) / 100 / len(a["levels"])
            heading = max(text_lines(option_label(lv), (level_mm - CELL_PADDING_MM) / self.em) for lv in a["levels"]) * self.line
            criteria_mm = inner_mm * RATING_CRITERIA_PCT / 100
            body = sum(self.inner_row(text_lines(option_label(c), (criteria_mm - CELL_PADDING_MM) / self.em) * self.line)
                       for c in a["criteria"])
        else:
            heading = self.line
            body = view_approvers * self.inner_row(writing_lines_mm(self.s, 1))
        content = self.block_label(field) + self.inner_row(heading) + body + BORDER_MM + self.help(field, inner_mm)
        return self.row(content)

    def notes(self, field, width_mm: float) -> float:
        em = self.em * self.s.notes_em
        room = (width_mm - CELL_PADDING_MM) / em
        paragraphs = self.printed(field.attrs["text"]).split("\n")
        if field.label:
            paragraphs[0] = field.label + "：" + paragraphs[0]
        lines = sum(text_lines(p, room) for p in paragraphs)
        return self.row(max(lines * _line_mm(self.s.font_pt * self.s.notes_em, 1.45), self.s.row_mm))


def _printer(project, form):
    """The text a form's notes print, references resolved (their length is what counts here)."""
    if project is None:
        return lambda text: re.sub(r"\[\[[^\]]*\]\]", "《　　　　　　》", text)
    from ..resolve import Resolver

    resolver = Resolver(project, form.language, base="")

    def printed(text: str) -> str:
        try:
            return "".join(run.text for run in resolver.runs(text))
        except Exception:  # noqa: BLE001 (a reference validation reported; count it as it is written)
            return text
    return printed


def _copy_height(form, sheet: Paper, rows: dict[str, int], approvers: dict[str, int], printed):
    """(height of a copy's content in mm, [(field, mm)]) on `sheet` with `rows` blank rows in its tables."""
    h = _Heights(sheet, printed)
    total = _line_mm(sheet.title_pt) + 1.0  # the title
    total += (4.8 if form.serial else 4.0) + 1.5  # the serial number's line (.title-line)
    heights: list[tuple[object, float]] = []
    for layout in layout_form(form, sheet.area_width, sheet.font_pt, rows):
        if layout.caption:
            total += h.line + 2 * sheet.caption_pad_mm
        total += BORDER_MM + sheet.gap_mm
        for row in layout.rows:
            row_mm = 0.0
            for cell in row:
                f = cell.field
                if f.type in GRID_FIELDS:
                    mm = h.grid(f, layout.width_mm, table_rows(f, rows), approvers.get(f.attrs.get("matrix"), 0))
                elif f.type == "notes":
                    mm = h.notes(f, layout.width_mm)
                else:
                    width = layout.width_mm - layout.label_mm if f.type == "multiline" else layout.cell_value_mm(cell)
                    mm = h.row(max(h.value(f, width), h.label(cell, layout.label_mm)))
                heights.append((f, mm))
                row_mm = max(row_mm, mm)
            total += row_mm
    return total, heights


def writing_lines_mm(sheet: Paper, lines: int) -> float:
    """The height of a multiline field's ruled lines to write on, on `sheet` (the PDF's and the DOCX's)."""
    return lines * (sheet.row_mm * 0.76 + 0.5 * MM_PER_PT)


def fit_sheet(form, project=None, page=None) -> SheetFit:
    """How a copy of `form` is printed on its sheet: the first density at which it fits, with as many blank rows as
    fit in its `rows: fill` tables (shared out among them; a denser setting is taken until they have FILL_MIN_ROWS,
    if one gives them that many); or, when none fits, the densest, and how many sheets a copy takes there.
    With `page` (a regulation's page preset), the same for the form attached to a regulation (`attached_paper`)."""
    printed = _printer(project, form)
    approvers = _approver_counts(project, form)
    fills = [f for f in form.fields if f.type == "table" and not isinstance(f.attrs.get("rows"), int)]
    best = None  # with fill tables: the fitting density that gives them the most rows, if none gives FILL_MIN_ROWS
    for tight in TIGHT_LEVELS:
        sheet = paper(form, tight) if page is None else attached_paper(form, page, tight)
        base = {f.id: 0 for f in fills}
        height, heights = _copy_height(form, sheet, base, approvers, printed)
        free = sheet.area_height - FILL_SLACK_MM - height
        rows = dict(base)
        if fills:
            row_mm = _Heights(sheet, printed).inner_row()
            extra = max(int(free // row_mm), 0)
            for k in range(extra):  # one row at a time, round the tables
                rows[fills[k % len(fills)].id] += 1
            if any(n == 0 for n in rows.values()):
                rows = {i: max(n, 1) for i, n in rows.items()}
            height, heights = _copy_height(form, sheet, rows, approvers, printed)
        fits = height <= sheet.area_height
        if fits and fills and min(rows.values()) < FILL_MIN_ROWS and tight != TIGHT_LEVELS[-1]:
            if best is None or min(rows.values()) > min(best[2].values()):
                best = (tight, sheet, rows, height, heights)
            continue
        if fits or tight == TIGHT_LEVELS[-1]:
            if not fits and best is not None:
                tight, sheet, rows, height, heights = best
            elif best is not None and min(best[2].values()) >= min(rows.values()):
                tight, sheet, rows, height, heights = best
            break
    if page is not None and height > sheet.area_height and fit_sheet(form, project).fits:
        # An attached form made to fit one sheet is the regulation's specimen of it: rather than spill onto a second
        # page of the smaller type area, its tables print fewer blank rows (the one with the most first, none under
        # SPECIMEN_MIN_ROWS); the form itself keeps all. A form longer than a sheet (a register of 60 rows) runs on.
        rows = {f.id: table_rows(f, rows) for f in form.fields if f.type == "table"} | rows
        while height > sheet.area_height - FILL_SLACK_MM:
            longest = max(rows, key=rows.get, default=None)
            if longest is None or rows[longest] <= SPECIMEN_MIN_ROWS:
                break
            rows[longest] -= 1
            height, heights = _copy_height(form, sheet, rows, approvers, printed)
    sheets = max(1, math.ceil((height - 0.01) / sheet.area_height))
    fit = SheetFit(tight, sheet, rows, height, sheets, heights)
    if sheets > 1:  # how many rows of each table would fit one sheet, the others as they are
        h = _Heights(sheet, printed)
        over = height - (sheet.area_height - FILL_SLACK_MM)
        for f in form.fields:
            if f.type == "table":
                n = table_rows(f, rows)
                fit.fill_fit[f.id] = max(n - math.ceil(over / h.inner_row()), 0)
    return fit


def _approver_counts(project, form) -> dict[str, int]:
    counts = {}
    for f in form.fields:
        if f.type == "approval":
            matrix = project.matrices.get(f.attrs["matrix"]) if project is not None else None
            roles: list[str] = []
            for row in (matrix.rows if matrix is not None else []):
                roles.extend(r for r in row.approvers if r not in roles)
            counts[f.attrs["matrix"]] = len(roles) or 3
    return counts


def check_sheets(project) -> list:
    """PG-FORM-101 for every form a copy of which does not fit one sheet even at the densest setting: at the table
    whose blank rows push it over (with how many fit), else at the form's sections (with what takes the room)."""
    from ..diagnostics import CATALOGUE, Severity

    out = []
    for form in project.forms.values():
        fit = fit_sheet(form, project)
        if fit.fits:
            continue
        copies = len(form.copies) or 1
        total = f" ({copies} copies: {copies * fit.sheets} sheets)" if copies > 1 else ""
        what = (f"a copy of the form '{form.id}' takes {fit.sheets} sheets{total}: at the densest setting its fields "
                f"are {fit.height_mm:.0f} mm tall and the sheet holds {fit.paper.area_height:.0f} mm")
        tables = [f for f in form.fields if f.type == "table" and fit.fill_fit.get(f.id, 0) >= 1
                  and isinstance(f.attrs.get("rows"), int)]
        if tables:
            table = max(tables, key=lambda f: f.attrs["rows"])
            n = fit.fill_fit[table.id]
            out.append(table.where.at("rows").diagnostic(
                "PG-FORM-101", f"{what}; its table '{table.id}' has {table.attrs['rows']} blank rows, of which {n} fit",
                severity=Severity.WARNING,
                hint=f"write `rows: {n}`, or `rows: fill` for as many as fit the sheet"))
            continue
        largest = sorted(((mm, f) for f, mm in fit.heights), key=lambda t: -t[0])[:3]
        named = ", ".join(f"{f.label or ('notes' if f.type == 'notes' else f.id)} ({mm:.0f} mm)" for mm, f in largest)
        out.append(form.where.at("sections").diagnostic(
            "PG-FORM-101", f"{what}; the most room is taken by {named}", severity=Severity.WARNING,
            hint=CATALOGUE["PG-FORM-101"][1]))
    return out


def form_view(project, form, language: str, width_mm: float, font_pt: float, fit: SheetFit | None = None) -> dict:
    """What a form template needs beyond the model: its section layouts and the approver names of approval blocks.
    The blank rows of its tables are those `fit` chose (by default the standalone sheet's, `fit_sheet`)."""
    org = project.organization
    approver_roles: dict[str, list[tuple[str, str]]] = {}
    for f in form.fields:
        if f.type == "approval":
            matrix = project.matrices[f.attrs["matrix"]]
            roles: list[str] = []
            for row in matrix.rows:
                roles.extend(r for r in row.approvers if r not in roles)
            approver_roles[f.attrs["matrix"]] = [(r, org.roles[r].name_in(language)) for r in roles]
    return {"form": form, "approver_roles": approver_roles, "header_repeats": header_repeats,
            "rating_criteria_pct": RATING_CRITERIA_PCT, "rating_level_pct": rating_level_pct,
            "approval_pcts": (APPROVAL_NAME_PCT, APPROVAL_SIGNATURE_PCT),
            "table_columns": lambda f: table_columns(f, width_mm - 2, font_pt),
            "vertical_label": vertical_label,
            "approvers": {m: [name for _, name in roles] for m, roles in approver_roles.items()},
            "sections": layout_form(form, width_mm, font_pt, (fit or fit_sheet(form, project)).rows), "font_pt": font_pt,
            "width_mm": width_mm}
