"""A procedure in a Word document: its flowchart as a picture and its step table as a real Word table."""

from __future__ import annotations

from .flowchart import step_table


def add_procedure(writer, proc) -> None:
    """Add `proc` where `writer` (a docx.DocumentWriter) stands: the chart, then 步骤 / 责任部门 / 时限 / 表单."""
    view = step_table(writer.project, proc, writer.lang)
    rows = []
    for row in view["rows"]:
        name = "".join(r.text for r in writer.resolver.runs(row["name"]))
        if row["notes"] is not None:
            name += "（" + "".join(r.text for r in writer.resolver.runs(row["notes"])) + "）"
        rows.append([f"{row['number']}. {name}", row["owner"], row["deadline"], row["form"]])
    writer._view_table({"header": view["header"], "rows": rows}, widths=(46, 18, 14, 22))
