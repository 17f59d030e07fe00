"""A table paragraph in a Word document: a real Word table across the type area, its header row repeated on
every page (w:tblHeader), rows that never split (w:cantSplit), merged cells as Word merges them, and the rows a
merged cell spans kept on one page (w:keepNext on all but the last of them, as Word keeps table rows together), and
the heading never left at a page's foot with only the first of them."""

from __future__ import annotations

from ..tables import place, row_groups


def add_table_paragraph(writer, table) -> None:
    """Add `table` (model.Table) where `writer` (a docx.DocumentWriter) stands."""
    if table.title:
        writer._caption(table.title)
    grid = writer._table(len(table.rows) + 1, len(table.columns), widths=[w for _, w in table.columns])
    for cell, (label, _) in zip(grid.rows[0].cells, table.columns):
        writer._cell_text(cell, "", heading=True)
        writer._add_runs(cell.paragraphs[0], writer.resolver.runs(label))
    positions, _ = place(table)
    for row, placed in zip(table.rows, positions):
        for cell, (r, c) in zip(row, placed):
            target = grid.cell(r + 1, c)
            if cell.colspan > 1 or cell.rowspan > 1:
                target = target.merge(grid.cell(r + cell.rowspan, c + cell.colspan - 1))
                for extra in target.paragraphs[1:]:  # merging keeps each merged cell's empty paragraph
                    extra._element.getparent().remove(extra._element)
            writer._cell_text(target, "")
            if cell.text.raw:
                writer._add_runs(target.paragraphs[0], writer.resolver.runs(cell.text))
    groups = row_groups(table)
    first = 1
    for k, group in enumerate(groups):
        # within a group every row but the last keeps with the next; the heading and the first group keep with the
        # row after them too, as the PDF never leaves a table's heading and one row at a page's foot
        last = first + len(group) - (0 if k == 0 and len(groups) > 1 else 1)
        for row in grid.rows[(0 if k == 0 else first):last]:
            for paragraph in (p for cell in row.cells for p in cell.paragraphs):
                paragraph.paragraph_format.keep_with_next = True
        first += len(group)
    writer._header_rows(grid, 1)
    writer._gap(0.5)
