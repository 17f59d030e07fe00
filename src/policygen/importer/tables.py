"""A table of the imported file as a table paragraph (`table:` in schemas/regulation.schema.json): the header
row gives the columns, the other rows the rows, merged cells their colspan and rowspan.

The format has one header row with one label per column, and every row fills the columns exactly. What a
source table has beyond that is made to fit and reported: a header cell merged across columns gives its label
to each of them; a header cell merged down into the rows below ends at the header, the cells it covered
becoming blank; a blank header cell is labelled with an ideographic space (it prints blank, as in the source);
a row that stops short of the last column (a ragged Word table, a text row with fewer cells) is filled with
blank cells.

Also here: the step table policygen prints for a procedure (步骤 / 责任部门 / 时限 / 表单), which is no table
paragraph but part of a procedure's printed block (structure.py leaves it out, with a warning).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..language import LANGUAGES, strings

BLANK_LABEL = "\u3000"


def _step_headers() -> set[tuple[str, ...]]:
    """Every header a step table prints (render/flowchart.step_table): 步骤 / 责任部门, then 时限 and 表单 when some
    step has one."""
    out = set()
    for language in LANGUAGES:
        s = strings(language)
        for optional in ((), ("deadline",), ("form",), ("deadline", "form")):
            out.add((s["step"], s["responsible"], *(s[key] for key in optional)))
    return out


STEP_HEADERS = _step_headers()


def is_step_header(cells: list[str]) -> bool:
    """The header row of a procedure's step table, as policygen prints it in any of its languages."""
    return tuple(c.strip() for c in cells) in STEP_HEADERS


def is_step_header_line(text: str) -> bool:
    """The same header as a line of text (taken from a PDF: the cells run together or space-separated)."""
    squeezed = "".join(text.split())
    return any(squeezed.lower() == "".join(h).lower() for h in STEP_HEADERS)


@dataclass
class _Cell:
    text: str
    row: int
    col: int
    colspan: int
    rowspan: int = 1


def table_paragraph(rows: list[list[str]], layout: list[list[tuple[str, int, str | None]]] | None,
                    widths: list[float] | None, caption: str = "") -> tuple[dict | None, list[str]]:
    """The `table:` of a table paragraph, and what was changed to make it fit the format (each a message); None
    and the reason when it cannot be one (a table of one row)."""
    if layout is None:  # a text table: cells without merges
        layout = [[(text, 1, None) for text in row] for row in rows]
    if len(layout) < 2:
        return None, ["a table of one row has no rows below its header"]
    changes: list[str] = []
    grid: list[list[_Cell]] = []
    open_at: dict[int, _Cell] = {}  # grid column -> the cell a vMerge continues there
    for r, row in enumerate(layout):
        placed, col = [], 0
        for text, span, v_merge in row:
            above = open_at.get(col)
            if v_merge == "continue" and above is not None and above.colspan == span and above.row + above.rowspan == r:
                above.rowspan += 1
            else:
                cell = _Cell(text, r, col, span)
                placed.append(cell)
                for c in range(col, col + span):
                    open_at.pop(c, None)
                open_at[col] = cell
            col += span
        grid.append(placed)
    width = max(c.col + c.colspan for row in grid for c in row)
    header = grid[0]
    labels = [BLANK_LABEL] * width
    for cell in header:
        label = cell.text or BLANK_LABEL
        for c in range(cell.col, cell.col + cell.colspan):
            labels[c] = label
        if cell.colspan > 1:
            changes.append(f"the header cell “{cell.text}” spans {cell.colspan} columns: the format gives each "
                           "column a label of its own, so each has this one")
        if cell.rowspan > 1:
            changes.append(f"the header cell “{cell.text}” reaches down into the rows below: it ends at the header, "
                           "and the cells it covered are blank")
            for r in range(1, cell.rowspan):
                grid[r].append(_Cell("", r, cell.col, cell.colspan))
            cell.rowspan = 1
    out_rows = []
    taken: set[tuple[int, int]] = set()
    for cell in (c for row in grid[1:] for c in row):
        for dr in range(cell.rowspan):
            for dc in range(cell.colspan):
                if (cell.row + dr, cell.col + dc) in taken:
                    return None, ["its merged cells overlap"]
                taken.add((cell.row + dr, cell.col + dc))
    ragged = False
    for r, row in enumerate(grid[1:], start=1):
        cells = sorted(row, key=lambda c: c.col)
        for c in range(width):  # a grid column no cell of the row covers: a blank cell
            if (r, c) not in taken:
                cells.append(_Cell("", r, c, 1))
                taken.add((r, c))
                ragged = True
        out_rows.append([_value(c) for c in sorted(cells, key=lambda c: c.col)])
    if ragged:
        changes.append("rows that stop short of the last column are filled with blank cells")
    table: dict = {}
    if caption:
        table["title"] = caption
    relative = _relative(widths, width)
    table["columns"] = [{"label": label, **({"width": relative[c]} if relative else {})} for c, label in enumerate(labels)]
    table["rows"] = out_rows
    return table, changes


def _value(cell: _Cell):
    if cell.colspan == 1 and cell.rowspan == 1:
        return cell.text
    out: dict = {"text": cell.text}
    if cell.colspan > 1:
        out["colspan"] = cell.colspan
    if cell.rowspan > 1:
        out["rowspan"] = cell.rowspan
    return out


def _relative(widths: list[float] | None, count: int) -> list[float] | None:
    """Relative column widths (the narrowest column 1), when the grid gives them and they are not all equal."""
    if not widths or len(widths) != count:
        return None
    narrowest = min(widths)
    relative = [round(w / narrowest, 1) for w in widths]
    if max(relative) - min(relative) < 0.1:
        return None
    return [int(w) if w == int(w) else w for w in relative]
