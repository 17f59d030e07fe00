"""The swimlane flowchart read back as drawn: from the SVG of the HTML pages and from the vector paths of the PDF.

No two boxes overlap, every label lies inside its box, every arrow starts and ends on a box's edge and crosses no
box, every box lies in its owner's lane; and the step table and references print what the procedure says.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pdfplumber
import pytest
from fontTools.ttLib import TTFont

from office import read_docx
from policygen import load_project

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
FONT = REPO / "src" / "policygen" / "fonts" / "fang-sc.otf"  # the body face of zh-Hans, which prints the labels


@pytest.fixture(scope="module")
def advances():
    with TTFont(FONT) as font:
        cmap, hmtx, upem = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        return {cp: hmtx[name][0] / upem for cp, name in cmap.items()}


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def shapes(svg: ET.Element) -> dict[str, dict]:
    """Every node: its kind, bounding box and outline (a polygon of 4 points for a diamond)."""
    nodes = {}
    for g in svg.iter(f"{SVG}g"):
        if "node" not in g.get("class", "").split():
            continue
        kind = g.get("class").split()[1]
        shape = g.find(f"{SVG}*[@class='shape']")
        if shape.tag == f"{SVG}polygon":
            pts = [tuple(map(float, p.split(","))) for p in shape.get("points").split()]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            box = (min(xs), min(ys), max(xs), max(ys))
        else:
            x, y, w, h = (float(shape.get(k)) for k in ("x", "y", "width", "height"))
            box, pts = (x, y, x + w, y + h), None
        labels = [(float(t.get("x")), float(t.get("y")), t.text) for t in g.findall(f"{SVG}text")]
        nodes[g.get("data-step")] = {"kind": kind, "box": box, "diamond": pts, "labels": labels}
    return nodes


def edges(svg: ET.Element) -> list[dict]:
    out = []
    for g in svg.iter(f"{SVG}g"):
        if g.get("class") == "edge":
            line = g.find(f"{SVG}polyline")
            pts = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
            out.append({"source": g.get("data-source"), "target": g.get("data-target"), "points": pts})
    return out


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def on_edge(point, box, tol=0.01) -> bool:
    x, y = point
    inside = box[0] - tol <= x <= box[2] + tol and box[1] - tol <= y <= box[3] + tol
    return inside and min(abs(x - box[0]), abs(x - box[2]), abs(y - box[1]), abs(y - box[3])) <= tol


def crosses(p, q, box, inset=0.5) -> bool:
    """Does the axis-parallel segment p–q pass through the inside of box?"""
    x0, y0, x1, y1 = box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset
    lo_x, hi_x, lo_y, hi_y = min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1])
    return lo_x < x1 and hi_x > x0 and lo_y < y1 and hi_y > y0


def inside_diamond(x, y, pts) -> bool:
    (cx, top), (right, cy) = pts[0], pts[1]
    half_w, half_h = right - cx, cy - top
    return abs(x - cx) / half_w + abs(y - cy) / half_h <= 1.0001


def label_box(x, baseline, text, advances, size):
    width = sum(advances.get(ord(c), 1.0) for c in text) * size
    return (x - width / 2, baseline - 0.88 * size, x + width / 2, baseline + 0.12 * size)


@pytest.fixture(scope="module")
def charts(corpus_output):
    found = {}
    for name in ("procedures/complaint-handling.html", "procedures/school-onboarding.html",
                 "regulations/customer-service.html", "regulations/cs-handbook.html"):
        html = (corpus_output / name).read_text(encoding="utf-8")
        found[name] = svgs(html)
    return found


def test_each_page_that_shows_a_procedure_has_its_chart(charts):
    assert [len(v) for v in charts.values()] == [1, 1, 1, 1]
    assert charts["regulations/customer-service.html"][0].find(f"{SVG}title").text == "客户投诉处理流程"
    assert charts["regulations/cs-handbook.html"][0].find(f"{SVG}title").text == "学校开通流程"


@pytest.mark.parametrize("name", ["procedures/complaint-handling.html", "procedures/school-onboarding.html"])
def test_svg_geometry_boxes_labels_and_arrows(charts, advances, name):
    svg = charts[name][0]
    size = float(svg.get("font-size"))
    nodes = shapes(svg)
    boxes = {k: v["box"] for k, v in nodes.items()}
    ids = sorted(boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            assert not overlap(boxes[a], boxes[b]), (a, b)
    for step, node in nodes.items():
        assert node["labels"], step
        for x, y, text in node["labels"]:
            lx0, ly0, lx1, ly1 = label_box(x, y, text, advances, size)
            if node["diamond"]:
                assert all(inside_diamond(px, py, node["diamond"]) for px, py in
                           ((lx0, ly0), (lx1, ly0), (lx0, ly1), (lx1, ly1))), (step, text)
            else:
                b = node["box"]
                assert b[0] <= lx0 and lx1 <= b[2] and b[1] <= ly0 and ly1 <= b[3], (step, text, b)
    for edge in edges(svg):
        pts = edge["points"]
        assert on_edge(pts[0], boxes[edge["source"]]), edge
        assert on_edge(pts[-1], boxes[edge["target"]]), edge
        for p, q in zip(pts, pts[1:]):
            assert p[0] == q[0] or p[1] == q[1], "segments run across or down"
            for step, box in boxes.items():
                assert not crosses(p, q, box), (edge["source"], edge["target"], step)


@pytest.mark.parametrize("name", ["procedures/complaint-handling.html", "procedures/school-onboarding.html"])
def test_branch_labels_stand_clear_of_the_lane_rules(charts, advances, name):
    """未通过 beside its decision: never printed across the rule between two lanes."""
    svg = charts[name][0]
    size = float(svg.get("font-size"))
    rules = [float(line.get("x1")) for line in svg.iter(f"{SVG}line") if line.get("class") == "lane-rule"]
    labels = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "branch-label"]
    assert labels
    for t in labels:
        x0, _, x1, _ = label_box(float(t.get("x")), float(t.get("y")), t.text, advances, size)
        assert not any(x0 - 0.5 < x < x1 + 0.5 for x in rules), (t.text, x0, x1, rules)


def test_boxes_lie_in_their_owners_lanes(charts, corpus_output):
    project = load_project(corpus_output.parent).project
    proc = project.procedures["complaint-handling"]
    svg = charts["procedures/complaint-handling.html"][0]
    rules = sorted(float(l.get("x1")) for l in svg.iter(f"{SVG}line") if l.get("class") == "lane-rule")
    frame = svg.find(f"{SVG}rect[@class='frame']")
    bounds = [float(frame.get("x")), *rules, float(frame.get("x")) + float(frame.get("width"))]
    assert len(bounds) == len(proc.lanes) + 1
    lane_names = [" ".join(t.text for t in g.findall(f"{SVG}text")) for g in svg.iter(f"{SVG}g")
                  if g.get("class") == "lane"]
    assert lane_names == ["营销部", "客户服务部", "研发部", "副总经理", "财务部", "总经理办公室"]
    nodes = shapes(svg)
    for step in proc.steps:
        lane = proc.lanes.index(step.lane)
        box = nodes[step.id]["box"]
        assert bounds[lane] < box[0] and box[2] < bounds[lane + 1], step.id
    assert {n["kind"] for n in nodes.values()} == {"start", "task", "decision", "end"}


def _chart_page(pdf_path, heading):
    pdf = pdfplumber.open(pdf_path)
    for page in pdf.pages:
        if heading in (page.extract_text() or "").replace(" ", "")[:40]:
            return pdf, page
    raise AssertionError(f"no page starts with {heading}")


FILLS = {(0.917647, 0.945098, 0.984314), (0.992157, 0.945098, 0.862745), (0.901961, 0.956863, 0.917647)}


def test_pdf_chart_is_vector_with_the_same_geometry(corpus_output):
    pdf, page = _chart_page(corpus_output / "regulations" / "customer-service.pdf", "附表1客户投诉处理流程")
    with pdf:
        objects = page.rects + page.curves + page.lines
        shapes_ = [o for o in objects if o.get("fill") and tuple(round(c, 6) for c in o["non_stroking_color"]) in FILLS]
        assert len(shapes_) == 16  # every step of the procedure is a vector shape, not a picture
        assert not page.images
        boxes = [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in shapes_]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not overlap(a, b)
        arrows = [o for o in objects if o.get("stroke") and not o.get("fill")
                  and tuple(o["stroking_color"]) == (0.2, 0.2, 0.2)]
        assert len(arrows) == 17
        tol = 0.6  # points
        for arrow in arrows:
            pts = arrow.get("pts") or [(arrow["x0"], arrow["top"]), (arrow["x1"], arrow["bottom"])]
            for end in (pts[0], pts[-1]):
                assert any(on_edge(end, box, tol) for box in boxes), end
        # Labels: every character of a step's text is drawn inside a box.
        chart_top = min(b[1] for b in boxes) - 1
        branch = set("成立不接受")
        label_chars = [c for c in page.chars if c["top"] > chart_top and c["size"] < 9 and c["text"] not in branch]
        assert len(label_chars) > 200
        for c in label_chars:
            assert any(b[0] - 0.3 <= c["x0"] and c["x1"] <= b[2] + 0.3 and b[1] <= c["top"] and c["bottom"] <= b[3]
                       for b in boxes), c["text"]
        text = page.extract_text().replace(" ", "")
        assert "客户服务部" in text and "研发部" in text and "不成立" in text


def test_step_table_follows_the_chart(corpus_output):
    html = (corpus_output / "regulations" / "customer-service.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="steps">.*?</table>', html, re.S).group(0)
    head = re.findall(r"<th>(.*?)</th>", table)
    assert head == ["步骤", "责任部门", "时限", "表单"]
    rows = re.findall(r"<tr id=\"step-([a-z-]+)\">(.*?)</tr>", table, re.S)
    assert rows[0][0] == "fill-form" and "营销部" in rows[0][1] and "《客户投诉处理表》" in rows[0][1]
    report = dict(rows)["report"]
    assert "3日" in report  # the rule's value: [[rule:complaint-report]]
    assert "6日" in dict(rows)["close"]
    # school-onboarding names no deadline and no form: its table has no empty 时限 and 表单 columns
    html = (corpus_output / "regulations" / "cs-handbook.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="steps">.*?</table>', html, re.S).group(0)
    assert re.findall(r"<th>(.*?)</th>", table) == ["步骤", "责任部门"]
    assert all(len(re.findall(r"<td", row)) == 2 for row in re.findall(r"<tr id=.*?</tr>", table, re.S))


def test_procedure_reference_prints_its_title_inline(corpus_output):
    html = (corpus_output / "regulations" / "cs-handbook.html").read_text(encoding="utf-8")
    assert re.search(r'学校开通按<a href="../procedures/school-onboarding.html" class="ref ref-procedure">《学校开通流程》</a>办理',
                     html)


def test_handbook_keeps_the_seed_wording(corpus_output):
    pdf = pdfplumber.open(corpus_output / "regulations" / "cs-handbook.pdf")
    with pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages).replace(" ", "").replace("\n", "")
    for phrase in ("用户服务受理：第一时间处理，最迟处理时间为8小时。", "电话响3声必须接听", "每一个来电用户实行“首问制”",
                   "商务签订协议开通学校", "发放教师帐号密码"):
        assert phrase in text, phrase


def test_docx_shows_the_chart_as_svg_with_a_png_fallback(corpus_output):
    import io

    from docx.oxml.ns import qn
    from PIL import Image

    from policygen.render.flowchart import chart_font, layout
    from policygen.render.flowchart_png import FILLS, SCALE

    document = read_docx(corpus_output / "regulations" / "customer-service.docx")
    blips = document.element.body.xpath(".//a:blip")
    assert len(blips) == 1
    blip = blips[0]
    png_part = document.part.related_parts[blip.get(qn("r:embed"))]
    assert png_part.content_type == "image/png"
    svg_blip = blip.find(".//{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip")
    ext = svg_blip.getparent()
    assert ext.get("uri") == "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
    svg_part = document.part.related_parts[svg_blip.get(qn("r:embed"))]
    assert svg_part.content_type == "image/svg+xml"
    svg = ET.fromstring(svg_part.blob)
    assert set(shapes(svg)) >= {"fill-form", "valid", "closed"}
    # The picture has the PDF's size (at most the type area's width and 205 mm) and keeps the chart's proportions.
    inline = document.inline_shapes[0]
    image = Image.open(io.BytesIO(png_part.blob)).convert("RGB")
    assert abs(inline.height / inline.width - image.height / image.width) < 0.01
    assert inline.height.mm <= 205.5
    # The PNG is drawn from the same geometry: every box is there, in its colour, where the SVG puts it.
    project = load_project(corpus_output.parent).project
    proc = project.procedures["complaint-handling"]
    chart = layout(project, proc, chart_font(project, "zh-Hans"))
    assert image.size == (round(chart.width * SCALE), round(chart.height * SCALE))
    for node in chart.nodes:
        x = node.x + 2 if node.kind == "task" else node.cx - node.w / 4 if node.kind == "decision" else node.cx
        y = node.cy if node.kind != "start" and node.kind != "end" else node.y + 2
        assert image.getpixel((round(x * SCALE), round(y * SCALE))) == FILLS[node.kind], node.id
