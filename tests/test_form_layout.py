"""The form layout read back from the printed PDFs: every glyph inside its cell, inside the type area and the paper,
no text lost, labels on one line, for every corpus form and for a set of hard forms made to break it."""

from __future__ import annotations

import shutil
import textwrap
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from conftest import REPO
from pdftools import PT_TO_MM, cell_breaks, form_labels
from policygen import build_project, load_project

LONG = "ABCDEFGHIJ0123456789" * 250  # 5,000 characters without a space or a break opportunity
HAN = "营销部业务人员联系电话" * 40  # 440 Han characters
MANY = "\n".join(f"      - {{id: f{n}, type: text, label: 第{n}项内容, width: 10}}" for n in range(1, 41))

HARD = {
    "hard-labels.yaml": """\
        kind: form
        id: hard-labels
        title: 长标签表
        number: H-001
        version: "1.0"
        stated_in: hard-reg/purpose
        sections:
          - columns: 3
            fields:
              - {id: a, type: text, label: 营销部业务人员联系电话及地址, required: true}
              - {id: b, type: date, label: 客服组长审核日期, required: true}
              - {id: c, type: text, label: 用户意见或建议（书面）}
              - {id: d, type: money, label: 客户投诉金额合计, required: true}
              - {id: e, type: choice, label: 方式, options: [电话, 微信, 上门, 邮件, 传真]}
              - {id: f, type: comb, label: 统一社会信用代码, length: 18}
              - {id: g, type: number, label: 数量, unit: 件}
        """,
    "hard-signatures.yaml": """\
        kind: form
        id: hard-signatures
        title: 三签表
        number: H-002
        version: "1.0"
        stated_in: hard-reg/purpose
        sections:
          - columns: 3
            fields:
              - {id: s1, type: signature, label: 开立人（销售人员）, required: true}
              - {id: s2, type: signature, label: 销售副总经理核签, required: true}
              - {id: s3, type: signature, label: 客户签章, required: true}
          - columns: 4
            fields:
              - {id: d1, type: date, label: 本周起始日期}
              - {id: d2, type: date, label: 本周截止日期}
              - {id: d3, type: date, label: 填表日期}
              - {id: d4, type: date, label: 审核日期}
        """,
    "hard-landscape.yaml": """\
        kind: form
        id: hard-landscape
        title: 横排登记表
        number: H-003
        version: "1.0"
        stated_in: hard-reg/purpose
        paper: {size: A4, orientation: landscape}
        sections:
          - columns: 4
            fields:
              - {id: who, type: text, label: 记录人, width: 10}
              - {id: from, type: date, label: 本周起始日期}
              - {id: to, type: date, label: 本周截止日期}
              - {id: sign, type: signature, label: 部门经理}
          - fields:
              - id: rows
                type: table
                label: 记录
                rows: 6
                columns:
                  - {id: a, label: 发现日期, width: 3}
                  - {id: b, label: 状态（已解决/处理中/未处理）, width: 2}
                  - {id: c, label: 严重程度, width: 2}
                  - {id: d, label: 问题描述, width: 12}
        """,
    "hard-many.yaml": f"""\
kind: form
id: hard-many
title: 多栏表
number: H-004
version: "1.0"
stated_in: hard-reg/purpose
paper: {{size: A5, orientation: portrait}}
sections:
  - columns: 2
    fields:
{MANY}
""",
    "hard-long.yaml": f"""\
        kind: form
        id: hard-long
        title: 长串表
        number: H-005
        version: "1.0"
        stated_in: hard-reg/purpose
        sections:
          - columns: 2
            fields:
              - {{id: a, type: text, label: "{LONG}"}}
              - {{id: b, type: text, label: 姓名}}
          - fields:
              - id: t
                type: table
                label: 明细
                rows: 2
                columns: [{{id: x, label: "{LONG}"}}, {{id: y, label: 数量}}]
              - {{id: n, type: notes, text: "{LONG}"}}
        """,
    # A pasted string where authors paste one: the title (the running header cuts it short), a section title, a
    # choice option, a help text, a unit, a rating criterion, a signature's label.
    "hard-pasted.yaml": f"""\
        kind: form
        id: hard-pasted
        title: "粘贴表{HAN[:120]}"
        number: H-007
        version: "1.0"
        stated_in: hard-reg/purpose
        sections:
          - title: "{LONG[:600]}"
            columns: 3
            fields:
              - {{id: a, type: choice, label: 方式, options: ["{LONG[:800]}", 电话, "{HAN[:200]}"]}}
              - {{id: b, type: text, label: 姓名, help: "{LONG[:1500]}"}}
              - {{id: c, type: number, label: 数量, unit: "{HAN[:60]}"}}
              - {{id: d, type: signature, label: "{HAN[:80]}"}}
          - fields:
              - {{id: r, type: rating, label: 评价, levels: ["{HAN[:40]}", 满意], criteria: ["{LONG[:400]}", 态度]}}
        """,
    # Seven headings of one word each (no place to break), together too wide for the sheet at the form's size: the
    # heading row is set smaller rather than break one inside a word.
    "hard-headings.yaml": """\
        kind: form
        id: hard-headings
        title: 长表头登记表
        number: H-006
        version: "1.0"
        stated_in: hard-reg/purpose
        sections:
          - fields:
              - id: log
                type: table
                label: 登记
                rows: 4
                columns:
                  - {id: a, label: 需上报解决的问题, width: 8}
                  - {id: b, label: 服务凭证号码, width: 2}
                  - {id: c, label: 客户投诉处理表编号, width: 2}
                  - {id: d, label: 处理结果通知方式, width: 2}
                  - {id: e, label: 发现日期, width: 2}
                  - {id: f, label: 严重程度, width: 2}
                  - {id: g, label: 状态（已完成/进行中）, width: 2}
        """,
    "hard-reg.yaml": f"""\
        kind: regulation
        id: hard-reg
        title: 表单附件测试办法
        number: "{LONG[:300]}"  # pasted: the header's line breaks inside it, the DOCX's properties cut it short
        version: "1.0"
        effective: "2026-03-01"
        chapters:
          - title: 总则
            articles:
              - id: purpose
                text: 为检验表单版式，特制定本办法。
              - id: long
                text: "编号清单：{LONG}"
        revisions:
          - {{version: "0.9", date: "2025-12-01", summary: 初稿}}
          - {{version: "1.0", date: "2026-03-01", summary: 发布施行，增加附表}}
        attachments: [{{form: hard-labels}}, {{form: hard-signatures}}, {{form: hard-landscape}}, {{form: hard-many}},
                      {{form: hard-long}}]
        """,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("layout")
    shutil.copytree(REPO / "policies", root / "policies")
    for name, text in HARD.items():
        (root / "policies" / "hard" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "policies" / "hard" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "policygen.yaml").write_text("project: 测试\noutputs: [pdf, docx, html]\n", encoding="utf-8")
    result = build_project(root, jobs=2)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    return root, load_project(root).project


def _crossings(page) -> list[str]:
    """Glyphs that a rule (a cell border, a writing line, a box) runs through, and glyphs off the paper."""
    bad = []
    v_edges = [e for e in page.edges if e["orientation"] == "v" and e["height"] > 2]
    h_edges = [e for e in page.edges if e["orientation"] == "h" and e["width"] > 2]
    for ch in page.chars:
        if not ch["text"].strip():
            continue
        if ch["x0"] < -0.5 or ch["x1"] > page.width + 0.5 or ch["top"] < -0.5 or ch["bottom"] > page.height + 0.5:
            bad.append(f"{ch['text']} off the paper at {ch['x0'] * PT_TO_MM:.1f} mm")
            continue
        mid_y, mid_x = (ch["top"] + ch["bottom"]) / 2, (ch["x0"] + ch["x1"]) / 2
        inset = 0.25 * (ch["x1"] - ch["x0"])
        for e in v_edges:
            if e["top"] <= mid_y <= e["bottom"] and ch["x0"] + inset < e["x0"] < ch["x1"] - inset:
                bad.append(f"{ch['text']} crossed by a rule at x = {e['x0'] * PT_TO_MM:.1f} mm")
                break
        inset = 0.25 * (ch["bottom"] - ch["top"])
        for e in h_edges:
            if e["x0"] <= mid_x <= e["x1"] and ch["top"] + inset < e["top"] < ch["bottom"] - inset:
                bad.append(f"{ch['text']} crossed by a rule at y = {e['top'] * PT_TO_MM:.1f} mm")
                break
    return bad


def _pdfs(root: Path, project):
    out = root / "output"
    yield from ((f"forms/{f}.pdf", out / "forms" / f"{f}.pdf") for f in sorted(project.forms))
    yield from ((f"regulations/{r}.pdf", out / "regulations" / f"{r}.pdf") for r in sorted(project.regulations))


def test_no_glyph_crosses_a_rule_or_leaves_the_paper(built):
    root, project = built
    problems = []
    for name, path in _pdfs(root, project):
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                problems += [f"{name} p.{number}: {p}" for p in _crossings(page)[:3]]
    assert not problems, problems[:20]


def test_form_text_stays_inside_the_type_area(built):
    """Outside the running header, the footer and the copy strip, nothing passes the margins of the sheet."""
    from policygen.render.form_layout import paper

    root, project = built
    problems = []
    for form_id, form in sorted(project.forms.items()):
        sheet = paper(form)
        with pdfplumber.open(root / "output" / "forms" / f"{form_id}.pdf") as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                right = (sheet.width - sheet.margin_side) / PT_TO_MM
                for ch in page.chars:
                    in_body = sheet.margin_top - 4 < ch["top"] * PT_TO_MM < sheet.height - sheet.margin_bottom
                    if in_body and ch["x0"] < right - 1 and (ch["x1"] > right + 1.5 or ch["x0"] < sheet.binding / PT_TO_MM - 1.5):
                        problems.append(f"{form_id} p.{number}: {ch['text']} at {ch['x0'] * PT_TO_MM:.1f}–{ch['x1'] * PT_TO_MM:.1f} mm")
    assert not problems, problems[:10]


def test_regulation_text_stays_inside_the_type_area_and_loses_nothing(built):
    from policygen.presets import preset

    root, project = built
    p = preset("gbt9704")
    with pdfplumber.open(root / "output" / "regulations" / "hard-reg.pdf") as pdf:
        text = ""
        for page in pdf.pages:
            landscape = page.width > page.height
            width = (p.page_height_mm if landscape else p.page_width_mm) / PT_TO_MM
            for ch in page.chars:
                assert -0.5 < ch["x0"] and ch["x1"] < width + 0.5, (ch["text"], ch["x0"] * PT_TO_MM)
            # the type area of the page (the binding edge alternates; a landscape page is the portrait one turned)
            area = (p.landscape_area_width_mm if landscape else p.area_width_mm) / PT_TO_MM
            xs = [c for c in page.chars if c["text"].strip()]
            body = [c for c in xs if c["top"] * PT_TO_MM < (page.height * PT_TO_MM - (p.margin_right_mm if landscape else p.margin_bottom_mm))]
            if body:
                assert max(c["x1"] for c in body) - min(c["x0"] for c in body) <= area + 1.5
            text += "".join(c["text"] for c in page.chars)
    # the article, the label, the column heading, the note: every character of each is printed
    assert _printed(LONG, text, times=4)


def test_no_text_is_lost_and_labels_stay_on_one_line(built):
    root, project = built
    for form_id, form in sorted(project.forms.items()):
        with pdfplumber.open(root / "output" / "forms" / f"{form_id}.pdf") as pdf:
            first_copy = "".join(c["text"] for page in pdf.pages for c in page.chars)
            lines = ["".join(c["text"] for c in sorted(group, key=lambda c: c["x0"]))
                     for page in pdf.pages for group in _lines(page.chars)]
        for field in form.fields:
            if field.label:
                assert _printed(field.label, first_copy), (form_id, field.label[:20])
            if field.label and len(field.label) <= 12 and field.type not in ("notes", "rating", "table", "approval"):
                assert any(field.label in line for line in lines), (form_id, field.label)  # never 营销部业务人/员
            if field.type == "table":
                for column in field.attrs["columns"]:
                    assert _printed(column["label"], first_copy), (form_id, column["label"][:20])
            if field.type == "notes" and "[[" not in field.attrs["text"]:
                assert _printed(field.attrs["text"], first_copy), form_id
            if field.type == "choice":
                for option in field.attrs["options"]:
                    label = option["label"] if isinstance(option, dict) else option
                    assert _printed(label, first_copy), (form_id, label[:20])
                    if len(label) <= 30:  # a box and its option on one line (one longer than the line wraps)
                        assert any("☐" + label in line for line in lines), (form_id, label)


def test_options_are_spaced_and_a_form_that_fits_one_sheet_prints_on_one(built):
    root, project = built
    with pdfplumber.open(root / "output" / "forms" / "hard-labels.pdf") as pdf:
        boxes = sorted((c for c in pdf.pages[0].chars if c["text"] == "☐"), key=lambda c: c["x0"])
        labels = {c["x0"]: c for c in pdf.pages[0].chars}
        assert len(boxes) == 5
        for box, following in zip(boxes, boxes[1:]):
            same_line = abs(box["top"] - following["top"]) < 2
            if same_line:  # the previous option's last glyph ends a gap before the next box
                before = max(c["x1"] for c in labels.values() if abs(c["top"] - box["top"]) < 2 and c["x1"] <= following["x0"])
                assert following["x0"] - before >= 2 / PT_TO_MM
        assert len(pdf.pages) == 1
    for form_id in ("product-return", "customer-survey", "sales-discount-certificate", "service-voucher"):
        form = project.forms[form_id]
        with pdfplumber.open(root / "output" / "forms" / f"{form_id}.pdf") as pdf:
            assert len(pdf.pages) == max(1, len(form.copies)), form_id


def test_labels_and_column_headings_break_only_between_words(built):
    """A label or a table's column heading that takes two lines breaks between its words (状态（已完成/|进行中）),
    never inside one (营销部业务人/员); a heading row too wide for the sheet is set smaller, not under 9 pt."""
    from policygen.render.form_layout import MIN_LABEL_PT

    root, project = built
    from policygen.render.form_layout import label_words

    # not the pasted strings: a word of hundreds of characters cannot stay on one line
    labels = {label for label in form_labels(project) if max(map(len, label_words(label))) <= 24}
    seen, broken = 0, []
    for name, path in _pdfs(root, project):
        found, bad = cell_breaks(path, labels)
        seen += found
        broken += [(name, *b) for b in bad]
    assert seen > 300 and not broken, broken[:10]
    with pdfplumber.open(root / "output" / "forms" / "hard-headings.pdf") as pdf:
        row = next(g for g in _lines(pdf.pages[0].chars) if "发现日期" in "".join(c["text"] for c in g))
    heading = "".join(c["text"] for c in sorted(row, key=lambda c: c["x0"]))
    for label in ("需上报解决的问题", "服务凭证号码", "客户投诉处理表编号", "处理结果通知方式", "严重程度"):
        assert label in heading, (label, heading)
    assert min(c["size"] for c in row) >= MIN_LABEL_PT - 0.05


def test_the_fillable_form_takes_the_sheets_the_printed_one_does(built):
    """Its fields take the room of the printed blanks (a register's rows as tall, ¥ beside its field), so a form whose
    copy prints on one sheet is filled in on one."""
    root, project = built
    out = root / "output" / "forms"
    for form_id, form in sorted(project.forms.items()):
        with pdfplumber.open(out / f"{form_id}.pdf") as printed, pdfplumber.open(out / f"{form_id}.fillable.pdf") as fillable:
            per_copy = len(printed.pages) // max(1, len(form.copies))
            if per_copy == 1:
                assert len(fillable.pages) == 1, form_id


def test_a_section_named_as_its_grid_says_the_name_once(built):
    """customer-survey's section 对服务人员的品评 holds only the rating grid of that name: the grid's title says it, the
    section adds no caption repeating it (in the PDF as in the DOCX)."""
    root, _ = built
    with pdfplumber.open(root / "output" / "forms" / "customer-survey.pdf") as pdf:
        lines = ["".join(c["text"] for c in sorted(g, key=lambda c: c["x0"])).replace("*", "")
                 for g in _lines(pdf.pages[0].chars)]
    assert lines.count("对服务人员的品评") == 1 and lines.count("客户资料") == 1


def _printed(text: str, printed: str, times: int = 1) -> bool:
    """Every character of `text` is printed (as often as it occurs, `times` over), wherever lines and pages broke."""
    need, have = Counter(text.replace(" ", "").replace("\n", "")), Counter(printed)
    return all(have[ch] >= n * times for ch, n in need.items())


def _lines(chars):
    groups: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if groups and abs(ch["top"] - groups[-1][0]["top"]) < 0.3 * ch["size"]:
            groups[-1].append(ch)
        else:
            groups.append([ch])
    return groups


def test_revision_record_header_and_dates_are_not_broken(built):
    root, _ = built
    with pdfplumber.open(root / "output" / "regulations" / "hard-reg.pdf") as pdf:
        lines = ["".join(c["text"] for c in sorted(g, key=lambda c: c["x0"])) for page in pdf.pages for g in _lines(page.chars)]
    assert any("版本" in line and "日期" in line and "修订内容" in line for line in lines)
    assert any("2026年3月1日" in line for line in lines) and any("2025年12月1日" in line for line in lines)


def test_rating_grid_columns_are_even_and_boxes_centred(built):
    root, _ = built
    with pdfplumber.open(root / "output" / "forms" / "customer-survey.pdf") as pdf:
        page = pdf.pages[0]
        boxes = [c for c in page.chars if c["text"] == "☐"]
        rows = [sorted(g, key=lambda c: c["x0"]) for g in _lines(boxes) if len(g) == 4]  # the 4 × 4 grid
        assert len(rows) == 4
        for row in rows:
            middle = (row[0]["top"] + row[0]["bottom"]) / 2
            edges = sorted({e["x0"] for e in page.edges if e["orientation"] == "v" and e["top"] <= middle <= e["bottom"]})
            centres = [(c["x0"] + c["x1"]) / 2 for c in row]
            steps = [b - a for a, b in zip(centres, centres[1:])]
            assert max(steps) - min(steps) < 0.5 / PT_TO_MM  # even columns
            for c, centre in zip(row, centres):
                left = max(x for x in edges if x < c["x0"])
                right = min(x for x in edges if x > c["x1"])
                assert abs((centre - left) - (right - centre)) < 0.6 / PT_TO_MM  # the box centred in its cell
