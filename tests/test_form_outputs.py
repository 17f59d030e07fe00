"""Form outputs: the JSON Schema of a filled-in form (out/forms/<id>.schema.json) and the standalone form DOCX
(out/forms/<id>.docx). Submissions are written by hand and checked with the reference validator; the DOCX files
are read back with python-docx (LibreOffice prints them in tests/test_docx_print.py)."""

from __future__ import annotations

import copy
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from jsonschema import Draft202012Validator

from office import read_docx
from policygen import load_project
from policygen.render.docx import write_forms
from policygen.render.form_schema import form_data_schema, write_form_schemas

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus():
    loaded = load_project(REPO)
    assert loaded.project is not None and not loaded.diagnostics.errors
    return loaded.project


def load(root: Path):
    loaded = load_project(root)
    assert loaded.project is not None and not loaded.diagnostics.errors, loaded.diagnostics.items
    return loaded.project


def problems(schema: dict, submission: dict) -> set[tuple[str, str]]:
    """(JSON pointer of the value, failing keyword) for every error, formats checked."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return {("/" + "/".join(str(p) for p in e.absolute_path), e.validator) for e in validator.iter_errors(submission)}


def changed(submission: dict, **changes) -> dict:
    """A deep copy with top-level values replaced; a value of ... removes the property."""
    result = copy.deepcopy(submission)
    for key, value in changes.items():
        key = key.replace("_", "-")
        if value is ...:
            result.pop(key)
        else:
            result[key] = value
    return result


# --- the schema of a filled-in form --------------------------------------------------------------------------

RETURN = {
    "customer": "华东机械有限公司",
    "issue-date": "2026-03-02",
    "complaint-no": "KS-2026-0012",
    "order-no": "SO-88231",
    "reason": "外包装破损，轴承锈蚀。",
    "handling": "return",
    "basis": "KS-2026-0012 经销售副总经理批示退货",
    "items": [
        {"product": "深沟球轴承", "spec": "6205-2RS", "qty": "20", "unit-price": "12.50", "amount": "250.00",
         "actual-qty": "20"},
        {"product": "圆锥滚子轴承", "spec": "30205"},
    ],
    "total": "1005.05",
    "issuer": {"name": "张三", "date": "2026-03-02"},
    "vp-sales": {"name": "李四", "date": "2026-03-03"},
    "actual-qty": 20,
    "warehouse-sign": {"name": "王五", "date": "2026-03-05"},
    "voucher-no": "转-0318",
    "finance-check": {"name": "赵六"},
}

RETURN_REQUIRED = ["customer", "issue-date", "complaint-no", "reason", "handling", "basis", "items", "total",
                   "issuer", "vp-sales", "actual-qty", "warehouse-sign"]


def test_schema_head_and_properties(corpus):
    schema = form_data_schema(corpus, corpus.forms["product-return"])
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://schemas.policygen.org/forms/product-return.schema.json"
    assert schema["title"] == "产品退货单"
    assert "KF-QR-007" in schema["description"] and "1.0" in schema["description"]
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    # One property per field id, in the form's order; the notes have none.
    assert list(schema["properties"]) == [f.id for f in corpus.forms["product-return"].fields if f.type != "notes"]
    assert schema["required"] == RETURN_REQUIRED
    props = schema["properties"]
    assert props["customer"] == {"title": "客户名称", "type": "string", "minLength": 1, "maxLength": 24}
    assert props["reason"] == {"title": "退货原因", "type": "string", "minLength": 1}  # multiline: no maximum
    assert props["handling"]["enum"] == ["return", "reprocess"]
    assert props["total"]["pattern"] == r"^[0-9]+(\.[0-9]{1,2})?$" and "CNY" in props["total"]["description"]
    assert "format checking on" in schema["description"] and "format" in schema["$comment"]
    assert props["issue-date"]["format"] == "date"
    assert props["items"]["maxItems"] == 5
    assert list(props["items"]["items"]["properties"]) == ["product", "spec", "qty", "unit-price", "amount",
                                                            "actual-qty"]
    assert props["basis"]["description"] == "注明核决的客户投诉处理表及批示"  # the help text


def test_every_corpus_schema_is_a_valid_schema(corpus):
    for form in corpus.forms.values():
        Draft202012Validator.check_schema(form_data_schema(corpus, form))


def test_a_complete_product_return_is_accepted(corpus):
    schema = form_data_schema(corpus, corpus.forms["product-return"])
    assert problems(schema, RETURN) == set()
    assert problems(schema, {k: RETURN[k] for k in RETURN_REQUIRED}) == set()  # only what is required


@pytest.mark.parametrize("submission, expected", [
    # Required fields missing, or present but empty.
    (changed(RETURN, customer=...), {("/", "required")}),
    (changed(RETURN, customer=""), {("/customer", "minLength")}),
    (changed(RETURN, items=[]), {("/items", "minItems")}),
    (changed(RETURN, issuer={"name": "张三"}), {("/issuer", "required")}),  # a required signature is dated
    # Text longer than its width (24 characters).
    (changed(RETURN, customer="华" * 25), {("/customer", "maxLength")}),
    # Money is a decimal string with at most two decimals.
    (changed(RETURN, total="1005.055"), {("/total", "pattern")}),
    (changed(RETURN, total="1,005.05"), {("/total", "pattern")}),
    (changed(RETURN, total=1005.05), {("/total", "type")}),
    # and is zero or more: the form does not say `negative: true`.
    (changed(RETURN, total="-20"), {("/total", "pattern")}),
    # A choice takes an option id, not its label.
    (changed(RETURN, handling="退货"), {("/handling", "enum")}),
    # Dates are YYYY-MM-DD and real days.
    (changed(RETURN, issue_date="2026-02-30"), {("/issue-date", "format")}),
    (changed(RETURN, issue_date="2026/03/02"), {("/issue-date", "format"), ("/issue-date", "pattern")}),
    # A table has at most its printed rows, and only its columns.
    (changed(RETURN, items=[{"product": "x"}] * 6), {("/items", "maxItems")}),
    (changed(RETURN, items=[{"product": "x", "colour": "red"}]), {("/items/0", "additionalProperties")}),
    (changed(RETURN, items=[{"qty": 20}]), {("/items/0/qty", "type")}),
    # A number is a JSON number.
    (changed(RETURN, actual_qty="20"), {("/actual-qty", "type")}),
    # Nothing that is not a field.
    (changed(RETURN, remark="加急"), {("/", "additionalProperties")}),
    (changed(RETURN, finance_check={"name": "赵六", "stamp": True}), {("/finance-check", "additionalProperties")}),
])
def test_product_return_rejections(corpus, submission, expected):
    schema = form_data_schema(corpus, corpus.forms["product-return"])
    assert problems(schema, submission) == expected


SURVEY = {
    "customer": "华东机械有限公司",
    "contact": "陈经理",
    "service-date": "2026-04-10",
    "technician": "刘工",
    "rating": {"attitude": "very-satisfied", "skill": "satisfied", "arrival": "average", "promises": "satisfied"},
    "feedback": "到达时间可以再早一些。",
    "respondent": {"name": "陈某", "date": "2026-04-12"},
    "received-date": "2026-04-15",
    "severity": "ordinary",
    "reply-by": "电话",  # an option written as a plain label is its own value
    "handler": {"name": "周某", "date": "2026-04-16"},
}


def test_customer_survey(corpus):
    schema = form_data_schema(corpus, corpus.forms["customer-survey"])
    assert schema["required"] == ["customer", "service-date", "technician", "rating"]
    rating = schema["properties"]["rating"]
    assert list(rating["properties"]) == ["attitude", "skill", "arrival", "promises"]
    assert rating["properties"]["skill"] == {"enum": ["very-satisfied", "satisfied", "average", "poor"]}
    assert schema["properties"]["reply-by"]["enum"] == ["书面（函告）", "电话"]
    assert problems(schema, SURVEY) == set()
    # A signature that is not required may be left out or left half empty.
    assert problems(schema, changed(SURVEY, respondent=...)) == set()
    assert problems(schema, changed(SURVEY, respondent={})) == set()
    cases = [
        # A required rating rates every criterion, each with one of the levels.
        (changed(SURVEY, rating={"attitude": "poor", "skill": "poor", "arrival": "poor"}), {("/rating", "required")}),
        (changed(SURVEY, rating=dict(SURVEY["rating"], skill="excellent")), {("/rating/skill", "enum")}),
        (changed(SURVEY, rating=dict(SURVEY["rating"], price="poor")), {("/rating", "additionalProperties")}),
        (changed(SURVEY, rating=dict(SURVEY["rating"], skill="满意")), {("/rating/skill", "enum")}),  # ids, not labels
        (changed(SURVEY, reply_by="phone"), {("/reply-by", "enum")}),
        (changed(SURVEY, technician=..., service_date=...), {("/", "required")}),
        (changed(SURVEY, contact="陈" * 13), {("/contact", "maxLength")}),
    ]
    for submission, expected in cases:
        assert problems(schema, submission) == expected, submission


COMPLAINT_REQUIRED = {
    "customer": "华东机械有限公司", "order-no": "SO-88231", "product": "深沟球轴承 6205-2RS", "batch-no": "B2603",
    "ship-date": "2026-02-20", "defect-qty": 20, "complaint": "轴承锈蚀。", "customer-request": "退货。",
    "amount": "3000", "sales-sign": {"name": "孙某", "date": "2026-02-28"}, "fill-date": "2026-02-28",
    "received-date": "2026-03-01", "category": "quality", "time-limit": "6 日",
    "investigation": "包装受潮。", "cause": "运输途中淋雨。", "handling": "退货。", "responsible-dept": "物流部",
    "loss-amount": "250.00", "cs-sign": {"name": "周某", "date": "2026-03-04"},
    "approval": [{"role": "deputy-general-manager", "opinion": "同意退货", "name": "吴某", "date": "2026-03-05"}],
    "close-date": "2026-03-06",
}


def test_complaint_form(corpus):
    schema = form_data_schema(corpus, corpus.forms["complaint-form"])
    approval = schema["properties"]["approval"]
    # The approver roles of the matrix complaint-approval, in the order its rows name them.
    assert approval["items"]["properties"]["role"] == {"enum": ["sales-manager", "deputy-general-manager",
                                                                "general-manager"]}
    assert approval["maxItems"] == 3 and approval["minItems"] == 1
    assert set(COMPLAINT_REQUIRED) == set(schema["required"])
    assert problems(schema, COMPLAINT_REQUIRED) == set()
    full = changed(COMPLAINT_REQUIRED, handling_kind="return", tracking="not-tracked", accepted="accepted",
                   reply_by="书信", sample="随表附送", ship_qty=500, return_qty=20, rnd_sign={},
                   approval=[{"role": "sales-manager", "name": "郑某", "date": "2026-03-05"},
                             {"role": "general-manager", "opinion": "", "name": "王某", "date": "2026-03-06"}])
    assert problems(schema, full) == set()
    approver = COMPLAINT_REQUIRED["approval"][0]
    cases = [
        (changed(COMPLAINT_REQUIRED, approval=[]), {("/approval", "minItems")}),
        (changed(COMPLAINT_REQUIRED, approval=[dict(approver, role="ceo")]), {("/approval/0/role", "enum")}),
        (changed(COMPLAINT_REQUIRED, approval=[dict(approver)] * 4), {("/approval", "maxItems")}),
        (changed(COMPLAINT_REQUIRED, approval=[{"role": "sales-manager", "date": "2026-03-05"}]),
         {("/approval/0", "required")}),
        (changed(COMPLAINT_REQUIRED, approval=[dict(approver, date="3月5日")]),
         {("/approval/0/date", "format"), ("/approval/0/date", "pattern")}),
        (changed(COMPLAINT_REQUIRED, amount="3000.5.0", loss_amount=250),
         {("/amount", "pattern"), ("/loss-amount", "type")}),
        (changed(COMPLAINT_REQUIRED, handling_kind="refund", defect_qty="20"),
         {("/handling-kind", "enum"), ("/defect-qty", "type")}),
    ]
    for submission, expected in cases:
        assert problems(schema, submission) == expected, submission


KINDS = """\
    kind: form
    id: kinds
    title: 字段表
    number: T-010
    version: "2.1"
    sections:
      - fields:
          - {id: name, type: text, label: 姓名}
          - {id: code, type: comb, label: 邮编, length: 6, pattern: "[0-9]+", required: true}
          - {id: count, type: number, label: 人数, decimals: 0, unit: 人}
          - {id: hours, type: number, label: 工时, decimals: 1}
          - {id: fee, type: money, label: 费用, currency: USD, capital: false}
          - {id: refund, type: money, label: 退款, negative: true}
          - {id: tags, type: choice, label: 标签, multiple: true, required: true, options: [{id: a, label: 甲}, 乙]}
          - {id: stamp, type: signature, label: 盖章, date: false}
          - {id: lines, type: table, label: 明细, rows: 2, columns: [{id: item, label: 项目}]}
          - {type: notes, text: 说明。}
          - {type: notes, id: tip, text: 提示。}
    """


def test_every_field_type(project):
    root = project({"kinds.yaml": KINDS})
    p = load(root)
    schema = form_data_schema(p, p.forms["kinds"])
    props = schema["properties"]
    assert list(props) == ["name", "code", "count", "hours", "fee", "refund", "tags", "stamp", "lines"]  # notes: none
    assert props["name"] == {"title": "姓名", "type": "string"}  # no width, no maximum
    assert props["code"]["maxLength"] == 6 and props["code"]["pattern"] == "^(?:[0-9]+)$"  # the whole value
    assert props["count"]["type"] == "integer" and "人" in props["count"]["description"]
    assert props["fee"]["description"].startswith("Money as a decimal string, in USD")
    assert props["tags"] == {"title": "标签", "type": "array", "items": {"enum": ["a", "乙"]}, "uniqueItems": True,
                             "minItems": 1}
    assert props["stamp"]["properties"] == {"name": {"type": "string"}}  # date: false
    assert schema["required"] == ["code", "tags"]
    ok = {"name": "", "code": "200030", "count": 3, "hours": 1.5, "fee": "12.5", "tags": ["a", "乙"],
          "stamp": {"name": "x"}, "lines": [{"item": "a"}, {}]}
    assert problems(schema, ok) == set()
    assert problems(schema, {"code": "2", "tags": ["乙"]}) == set()
    assert problems(schema, {"code": "2", "tags": ["乙"], "refund": "-20.5"}) == set()  # negative: true
    assert problems(schema, {"code": "2", "tags": ["乙"], "fee": "-20.5"}) == {("/fee", "pattern")}
    cases = [
        ({"code": "20003a", "tags": ["a"]}, {("/code", "pattern")}),
        ({"code": "2000301", "tags": ["a"]}, {("/code", "maxLength")}),
        ({"code": "", "tags": ["a"]}, {("/code", "minLength"), ("/code", "pattern")}),
        ({"code": "1", "tags": []}, {("/tags", "minItems")}),
        ({"code": "1", "tags": ["a", "a"]}, {("/tags", "uniqueItems")}),
        ({"code": "1", "tags": ["甲"]}, {("/tags/0", "enum")}),
        ({"code": "1", "tags": "a"}, {("/tags", "type")}),
        ({"code": "1", "tags": ["a"], "count": 2.5}, {("/count", "type")}),
        ({"code": "1", "tags": ["a"], "hours": "1.5"}, {("/hours", "type")}),
        ({"code": "1", "tags": ["a"], "stamp": {"name": "x", "date": "2026-01-01"}},
         {("/stamp", "additionalProperties")}),
        ({"code": "1", "tags": ["a"], "lines": [{}, {}, {}]}, {("/lines", "maxItems")}),
        ({"code": "1", "tags": ["a"], "tip": "x"}, {("/", "additionalProperties")}),
    ]
    for submission, expected in cases:
        assert problems(schema, submission) == expected, submission


def test_write_form_schemas(corpus, tmp_path):
    paths = write_form_schemas(corpus, tmp_path / "a")
    assert [p.name for p in paths] == [f"{k}.schema.json" for k in sorted(corpus.forms)]
    assert all(p.parent == tmp_path / "a" / "forms" for p in paths)
    again = write_form_schemas(corpus, tmp_path / "b")
    for a, b in zip(paths, again):
        assert a.read_bytes() == b.read_bytes()
    text = (tmp_path / "a" / "forms" / "product-return.schema.json").read_text(encoding="utf-8")
    assert "产品退货单" in text and text.endswith("}\n")  # UTF-8, not \u escapes
    assert json.loads(text) == form_data_schema(corpus, corpus.forms["product-return"])


# --- the standalone form DOCX --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def form_docs(corpus_output) -> dict[str, Path]:
    return {p.stem: p for p in sorted((corpus_output / "forms").glob("*.docx"))}


def is_header_row(row) -> bool:
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def titles(document) -> list:
    return [p for p in document.paragraphs if p.style.name == "Title"]


def test_one_docx_per_form(corpus, form_docs):
    assert sorted(form_docs) == sorted(corpus.forms)
    for path in form_docs.values():
        assert path.parent.name == "forms" and zipfile.is_zipfile(path)


def test_paper_size_and_orientation(form_docs):
    register = read_docx(form_docs["service-register"])
    assert len(register.sections) == 1
    section = register.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    for section in read_docx(form_docs["product-return"]).sections:
        assert section.orientation == WD_ORIENT.PORTRAIT
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    # Every table fits between the margins.
    for path in form_docs.values():
        document = read_docx(path)
        section = document.sections[0]
        area = section.page_width - section.left_margin - section.right_margin
        for table in document.tables:
            width = int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")))  # twentieths of a point
            assert width * 635 <= area + 635, path.stem


SMALL_PAPER = """\
    kind: form
    id: {id}
    title: 小表
    number: T-{id}
    version: "1.0"
    paper: {{size: {size}, orientation: {orientation}}}
    sections:
      - fields:
          - {{id: name, type: text, label: 姓名}}
    """


@pytest.mark.parametrize("size, orientation, width, height", [
    ("A5", "landscape", 210, 148), ("A5", "portrait", 148, 210),
    ("B5", "portrait", 176, 250),  # ISO B5, not JIS B5 (182 × 257)
    ("B5", "landscape", 250, 176), ("A4", "portrait", 210, 297),
])
def test_small_paper(project, size, orientation, width, height):
    form_id = f"{size.lower()}-{orientation}"
    root = project({"small.yaml": SMALL_PAPER.format(id=form_id, size=size, orientation=orientation)})
    paths = {p.stem: p for p in write_forms(load(root), root / "out")}
    section = read_docx(paths[form_id]).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (width, height)
    expected = WD_ORIENT.LANDSCAPE if orientation == "landscape" else WD_ORIENT.PORTRAIT
    assert section.orientation == expected


def test_one_copy_per_part_each_on_a_new_page_with_its_label(corpus, form_docs):
    document = read_docx(form_docs["product-return"])
    labels = ["第一联 存根（销售部门自存）", "第二联 仓储部", "第三联 财务部", "第四联 销售部"]
    sections = document.sections
    assert len(sections) == 4
    assert [s.header.paragraphs[0].text for s in sections] == labels
    assert all(not s.header.is_linked_to_previous for s in sections)
    assert all(s.start_type == WD_SECTION.NEW_PAGE for s in sections[1:])
    right = docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert all(s.header.paragraphs[0].style.paragraph_format.alignment == right for s in sections)  # top right
    # The whole form, head and fields, once per copy.
    assert [p.text for p in titles(document)] == ["产品退货单"] * 4
    body = list(document.element.body.iterchildren())
    breaks = [i for i, el in enumerate(body) if el.find(qn("w:pPr")) is not None
              and el.find(qn("w:pPr")).find(qn("w:sectPr")) is not None]
    starts = [body.index(p._p) for p in titles(document)]
    assert len(breaks) == 3 and starts[0] < breaks[0] < starts[1] < breaks[1] < starts[2] < breaks[2] < starts[3]
    heads = [p.text for p in document.paragraphs if p.text.startswith("XXX有限公司")]
    assert len(heads) == 4
    assert heads[0] == "XXX有限公司\t表单编号：KF-QR-007　版本：1.0　No. TH-□□□□-□□□□"
    firsts = [t for t in document.tables if t.rows[0].cells[0].text == "客户名称*"]
    assert len(firsts) == 4
    # Two fields to a row, as the section's columns say.
    assert [c.text for c in firsts[0].rows[0].cells] == ["客户名称*", "", "开单日期*", "　　　　年　　月　　日"]


def test_a_form_without_copies_prints_once(form_docs):
    document = read_docx(form_docs["service-register"])
    assert len(document.sections) == 1 and len(titles(document)) == 1
    assert document.sections[0].header.paragraphs[0].text == ""
    assert document.paragraphs[1].text == "XXX有限公司\t表单编号：KF-QR-001　版本：1.0"  # no serial, no No.


def test_table_rows_and_repeating_header(form_docs):
    document = read_docx(form_docs["service-register"])
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "服务登记*")
    assert [c.text for c in table.rows[1].cells][:4] == ["序号", "日期", "客户名称", "地址"]
    assert len(table.rows[1].cells) == 15
    from policygen.render.form_sheet import fit_sheet

    corpus = load_project(REPO).project
    rows = fit_sheet(corpus.forms["service-register"], corpus).rows["entries"]  # rows: fill, as the PDF has them
    assert rows >= 10 and len(table.rows) == 2 + rows  # title and heading rows, then the blank rows
    assert all(c.text == "" for row in table.rows[2:] for c in row.cells)
    assert is_header_row(table.rows[0]) and is_header_row(table.rows[1])
    assert not any(is_header_row(r) for r in table.rows[2:])
    # No column so narrow that its heading stands one character to a line.
    widths = [c.width.mm for c in table.rows[1].cells]
    section = document.sections[0]
    area = (section.page_width - section.left_margin - section.right_margin) / 36000  # EMU to mm
    assert min(widths) > 10 and abs(sum(widths) - area) < 0.5


def test_footer_fields(form_docs):
    document = read_docx(form_docs["product-return"])
    assert not document.settings.odd_and_even_pages_header_footer
    first = document.sections[0].footer
    assert not first.is_linked_to_previous
    assert all(s.footer.is_linked_to_previous for s in document.sections[1:])
    instructions = [t.text.strip() for t in first._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "SECTIONPAGES"]  # each copy counts its own pages: 第1页 共1页 on every copy
    assert all(s._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1" for s in document.sections)
    text = first.paragraphs[0].text
    assert text == "表单编号：KF-QR-007　版本：1.0\t第1页 共1页"  # no internal id; the fields show 1 until updated
    xml = first._element.xml
    assert xml.count('w:fldCharType="begin"') == 2 and xml.count('w:fldCharType="end"') == 2


def test_reproducible_with_the_date_of_the_regulation_that_states_the_form(corpus, form_docs, tmp_path):
    again = {p.stem: p for p in write_forms(corpus, tmp_path)}
    stamp = datetime(2010, 1, 1, tzinfo=timezone.utc)  # product-return is stated in customer-service, in force 2010
    for form_id, path in form_docs.items():
        assert path.read_bytes() == again[form_id].read_bytes(), form_id
        regulation = corpus.regulations[corpus.forms[form_id].stated_in.split("/")[0]]
        with zipfile.ZipFile(path) as z:
            assert {i.date_time[:3] for i in z.infolist()} == {tuple(int(x) for x in regulation.effective.split("-"))}
    props = read_docx(form_docs["product-return"]).core_properties
    assert props.created.replace(tzinfo=timezone.utc) == stamp == props.modified.replace(tzinfo=timezone.utc)
    assert (props.title, props.subject, props.identifier, props.version) == ("产品退货单", "KF-QR-007",
                                                                             "product-return", "1.0")


def test_the_regulation_attachment_is_the_same_form(corpus, tmp_path):
    """The attachment and the standalone form print the same fields (one to a row in the attachment)."""
    from policygen.render.docx import write_regulations

    regulation = read_docx(next(p for p in write_regulations(corpus, tmp_path) if p.stem == "customer-service"))
    standalone = read_docx(write_forms(corpus, tmp_path)[0].parent / "complaint-form.docx")

    def texts(document) -> set[str]:  # options one to a line (a narrow cell) or all on one
        return {c.text.replace("\n☐", "　☐") for t in document.tables for r in t.rows for c in r.cells if c.text}

    form_cells = texts(standalone)
    assert {"客户投诉金额*", "☐ 随表附送　☐ 无样品", "销售部门经理", "副总经理", "总经理"} <= form_cells
    assert form_cells <= texts(regulation)


ENGLISH_FORM = """\
    kind: form
    id: leave
    language: en
    title: Leave Request
    number: HR-001
    version: "3.0"
    serial: "LV-{yyyy}{mm}-{seq:3}"
    copies: [{label: "Copy 1: employee"}, {label: "Copy 2: HR"}]
    sections:
      - fields:
          - {id: name, type: text, label: Name, required: true}
          - {id: from, type: date, label: From}
          - {id: signed, type: signature, label: Employee}
    """


def test_english_form(project):
    root = project({"leave.yaml": ENGLISH_FORM})
    document = read_docx({p.stem: p for p in write_forms(load(root), root / "out")}["leave"])
    assert [s.header.paragraphs[0].text for s in document.sections] == ["Copy 1: employee", "Copy 2: HR"]
    assert document.sections[0].footer.paragraphs[0].text == "Form No.: HR-001  Version: 3.0\tPage 1 of 1"
    assert document.paragraphs[1].text == "测试有限公司\tForm No.: HR-001  Version: 3.0  No. LV-□□□□□□-□□□"
    assert document.core_properties.language == "en-US"


def test_writers_render_only_the_documents_asked_for(corpus, tmp_path):
    assert [p.name for p in write_forms(corpus, tmp_path, {"product-return", "customer-service"})] == [
        "product-return.docx"]
    assert [p.name for p in write_form_schemas(corpus, tmp_path, {"complaint-form"})] == ["complaint-form.schema.json"]
    assert write_forms(corpus, tmp_path, set()) == []
