"""A procedure in a Word document: its flowchart as a picture and its step table as a real Word table.

The picture prints at the PDF's size and, like the PDF's chart, moves to the next page whole when it does not fit;
the step table's heading row and first step stay together (and with the chart).

The picture is the PNG (render/flowchart_png.py) with the SVG beside it in Office's svgBlip extension
(a:blip/a:extLst/a:ext uri={96DAC541-7B7A-43D3-8B79-37D633B846F1}/asvg:svgBlip): Word 2016 and later show the
SVG, older versions and other readers the PNG, as Word itself writes an SVG picture.
"""

from __future__ import annotations

import io

from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from .flowchart import chart_font, layout, step_table
from .ooxml import keep_together
from .flowchart_png import flowchart_png

SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
# The chart prints at the size the PDF gives it (templates/pdf/page.css.j2, svg.flowchart): its SVG width and height
# in CSS pixels, made smaller to fit the type area's width and MAX_HEIGHT_MM, never larger.
PX_MM = 25.4 / 96
MAX_HEIGHT_MM = 205.0
KEEP_ROWS = 2  # the step table's heading row and first rows that stay together (and with the chart)


def add_procedure(writer, proc) -> None:
    """Add `proc` where `writer` (a docx.DocumentWriter) stands: the chart, then 步骤 / 责任部门 / 时限 / 表单 (the last
    two when some step has one)."""
    add_chart(writer, proc)
    view = step_table(writer.project, proc, writer.lang)
    rows = []
    for row in view["rows"]:
        name = "".join(r.text for r in writer.resolver.runs(row["name"]))
        if row["notes"] is not None:
            name += "（" + "".join(r.text for r in writer.resolver.runs(row["notes"])) + "）"
        rows.append([f"{row['number']}. {name}", *(row[key] for key in view["columns"])])
    table = writer._view_table({"header": view["header"], "rows": rows}, widths=view["widths"])
    # The table never starts at a page's foot with one row: its heading row and first step keep with the next row
    # (w:keepNext on each of their paragraphs; rows never split, see DocumentWriter._table).
    for row in table.rows[:KEEP_ROWS]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    if "deadline" in view["columns"]:  # a deadline is a rule's value: one line, as in the PDF (每月10日前)
        column = 1 + view["columns"].index("deadline")
        for row in table.rows[1:]:
            for run in row.cells[column].paragraphs[0].runs:
                keep_together(run)


def add_chart(writer, proc) -> None:
    from .procedure import flowchart_svg

    project = writer.project
    font = chart_font(project, proc.language)
    chart = layout(project, proc, font)
    png = flowchart_png(chart, font)
    svg = str(flowchart_svg(project, proc)).encode("utf-8")
    width, height = chart.width * PX_MM, chart.height * PX_MM
    scale = min(1.0, writer.area_width_mm / width, MAX_HEIGHT_MM / height)
    width, height = width * scale, height * scale
    paragraph = writer._paragraph("Normal")
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Mm(0)
    # Single line spacing: in Normal's exact line pitch the picture would stand in one line's height, drawn up over
    # the text above it (and off the page), and never move to the next page as a whole, as the PDF's chart does.
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_after = Mm(writer.preset.line_mm)  # figure.procedure's bottom margin in the PDF
    fmt.keep_with_next = True  # with the step table's first rows
    paragraph.alignment = 1  # centred
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(png), width=Mm(width), height=Mm(height))
    document_part = writer.doc.part
    svg_part = Part(PackURI(f"/word/media/procedure-{proc.id}.svg"), "image/svg+xml", svg, document_part.package)
    r_id = document_part.relate_to(svg_part, RT.IMAGE)
    blip = run._r.xpath(".//a:blip")[0]
    ext_list = OxmlElement("a:extLst")
    ext = OxmlElement("a:ext")
    ext.set("uri", SVG_EXTENSION)
    svg_blip = ext.makeelement(f"{{{ASVG}}}svgBlip", nsmap={"asvg": ASVG})
    svg_blip.set(qn("r:embed"), r_id)
    ext.append(svg_blip)
    ext_list.append(ext)
    blip.append(ext_list)
    doc_pr = run._r.xpath(".//wp:docPr")[0]
    doc_pr.set("descr", proc.title)
