"""The flowchart as a PNG, drawn with Pillow from the same geometry as the SVG (render/flowchart.py), for Word
versions that show no SVG: a DOCX picture carries the PNG and, in Office's svgBlip extension, the SVG.

Why Pillow and not an SVG rasteriser: cairosvg needs the system cairo library (through cairocffi) and draws text
with whatever faces fontconfig finds, which on a fresh machine has no CJK face at all; resvg bindings likewise
look fonts up on the system. Pillow installs from wheels and draws the labels with the face that measured them.
"""

from __future__ import annotations

import io
from pathlib import Path

from .flowchart import Chart

SCALE = 3  # pixels per chart unit: 640 units → 1920 px, about 300 dpi across a 156 mm type area
FILLS = {"task": (0xEA, 0xF1, 0xFB), "decision": (0xFD, 0xF1, 0xDC), "start": (0xE6, 0xF4, 0xEA), "end": (0xE6, 0xF4, 0xEA)}
INK = (0x33, 0x33, 0x33)
RULE = (0xB0, 0xB0, 0xB0)
FRAME = (0x7A, 0x7A, 0x7A)


def flowchart_png(chart: Chart, font: Path) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    s = SCALE
    image = Image.new("RGB", (round(chart.width * s), round(chart.height * s)), "white")
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(font), round(chart.font_size * s))
    first, last = chart.lanes[0], chart.lanes[-1]
    left, right = first.x * s, (last.x + last.w) * s
    for lane in chart.lanes[1:]:
        draw.line([(lane.x * s, 0), (lane.x * s, chart.height * s)], fill=RULE, width=max(1, round(0.5 * s)))
    draw.rectangle([left, 0, right, chart.height * s - 1], outline=FRAME, width=max(1, round(0.8 * s)))
    draw.line([(left, chart.header * s), (right, chart.header * s)], fill=FRAME, width=max(1, round(0.8 * s)))
    for lane in chart.lanes:
        for line in lane.lines:
            draw.text((line.x * s, line.y * s), line.text, font=face, fill="black", anchor="ms")
    stroke = max(1, round(0.9 * s))
    for edge in chart.edges:
        draw.line([(x * s, y * s) for x, y in edge.points], fill=INK, width=stroke, joint="curve")
        head = [tuple(float(v) * s for v in p.split(",")) for p in edge.head.split()]
        draw.polygon(head, fill=INK)
        if edge.label:
            draw.text((edge.label.x * s, edge.label.y * s), edge.label.text, font=face, fill="black", anchor="ms")
    for node in chart.nodes:
        box = [node.x * s, node.y * s, (node.x + node.w) * s, node.bottom * s]
        fill = FILLS[node.kind]
        if node.kind == "decision":
            points = [tuple(float(v) * s for v in p.split(",")) for p in node.diamond.split()]
            draw.polygon(points, fill=fill, outline=INK, width=stroke)
        else:
            radius = node.h / 2 * s if node.kind in ("start", "end") else 3 * s
            draw.rounded_rectangle(box, radius=radius, fill=fill, outline=INK, width=stroke)
        for line in node.lines:
            draw.text((line.x * s, line.y * s), line.text, font=face, fill="black", anchor="ms")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
