"""Table paragraphs of regulations: where each cell sits once merged cells take their room, and whether every
row fills the columns exactly. Validation reports what does not fit; every writer places cells from here."""

from __future__ import annotations

from .model import Table


def place(table: Table) -> tuple[list[list[tuple[int, int]]], list[tuple[int, str]]]:
    """The (row, column) of every cell, row by row, and the problems: (row index, message) for a row that does
    not fill the table's columns or runs past them, or a cell that spans below the last row."""
    width = len(table.columns)
    taken: set[tuple[int, int]] = set()
    positions: list[list[tuple[int, int]]] = []
    problems: list[tuple[int, str]] = []
    for r, row in enumerate(table.rows):
        col = 0
        placed = []
        for cell in row:
            while (r, col) in taken:
                col += 1
            placed.append((r, col))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            if r + cell.rowspan > len(table.rows):
                problems.append((r, f"a cell of row {r + 1} spans {cell.rowspan} rows, past the table's last row"))
            col += cell.colspan
        while (r, col) in taken:
            col += 1
        filled = sum(1 for c in range(max(col, width)) if (r, c) in taken)
        if col != width or filled != width:
            problems.append((r, f"row {r + 1} fills {col} of the table's {width} columns"))
        positions.append(placed)
    return positions, problems


def row_groups(table: Table) -> list[list]:
    """The rows in runs that merged cells hold together: a cell spanning rows 3 to 5 puts them in one run, so a
    printed page never breaks between them (the merged cell would stay on the first page, leaving the rows on
    the next without it). A row no merged cell reaches past is a run of its own."""
    groups: list[list] = []
    reach = -1  # the last row the current run's merged cells cover
    for r, row in enumerate(table.rows):
        if r > reach:
            groups.append([])
        groups[-1].append(row)
        reach = max([reach, r] + [r + cell.rowspan - 1 for cell in row])
    return groups
