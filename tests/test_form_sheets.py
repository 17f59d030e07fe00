"""A copy (联) of a form is one sheet in an office: read back from the PDFs that every corpus form prints one sheet
per copy with every glyph inside the paper and its cell, that a `rows: fill` register fills its sheet and every
writer prints the same rows, and that a form too long for one sheet prints all of it with warning PG-FORM-101."""

from __future__ import annotations

import json
import re

import pdfplumber
import pytest

from conftest import REPO, write_project
from pdftools import PT_TO_MM
from policygen import build_project, load_project
from test_form_layout import _crossings

COLUMNS = "[{id: date, label: 登记日期}, {id: who, label: 登记人员}, {id: what, label: 登记内容, width: 14}]"

FORMS = {
    "fill-register.yaml": f"""\
        kind: form
        id: fill-register
        title: 来访登记簿
        number: T-101
        version: "1.0"
        paper: {{size: A5, orientation: landscape}}
        sections:
          - columns: 2
            fields:
              - {{id: month, type: text, label: 登记年月, width: 8}}
              - {{id: keeper, type: signature, label: 部门经理核签, date: false}}
          - fields:
              - {{id: entries, type: table, label: 来访登记, rows: fill, columns: {COLUMNS}}}
              - {{type: notes, label: 填写说明, text: 每位来访者一行，离开时填写离开时间。}}
        """,
    "long-register.yaml": f"""\
        kind: form
        id: long-register
        title: 长登记簿
        number: T-102
        version: "1.0"
        sections:
          - fields:
              - {{id: entries, type: table, label: 登记, rows: 60, columns: {COLUMNS}}}
        """,
    "long-form.yaml": "\n".join([
        "kind: form", "id: long-form", "title: 长表", "number: T-103", 'version: "1.0"',
        "paper: {size: A5, orientation: portrait}",
        "copies: [{label: 第一联 存根}, {label: 第二联 回执}]",
        "sections:", "  - fields:",
        *(f"      - {{id: m{n}, type: multiline, label: 第{n}项说明, lines: 3}}" for n in range(1, 25)),
        "      - {id: sign, type: signature, label: 填表人}", ""]),
}
ATTACH = "attachments: [{form: fill-register}, {form: long-register}, {form: long-form}]\n"


@pytest.fixture(scope="module")
def hard(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("sheets"), FORMS,
                         project_file="project: 测试\noutputs: [pdf, html, docx, rules]\n")
    base = root / "policies" / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8") + ATTACH, encoding="utf-8")
    result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    return root, result, load_project(root).project


_OPEN: list = []


def _pages(path):
    """The pages of a PDF, kept open until the module's tests end (see `_close`)."""
    pdf = pdfplumber.open(path)
    _OPEN.append(pdf)
    return pdf.pages


@pytest.fixture(scope="module", autouse=True)
def _close():
    yield
    while _OPEN:
        _OPEN.pop().close()


def _register_rows(path, first_heading: str) -> list[int]:
    """Blank rows of the register table on each page (its heading row repeats on every page)."""
    counts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            n = 0
            for table in page.extract_tables():
                heads = [i for i, row in enumerate(table) if first_heading in row]
                if heads:  # the blank rows below the heading row (the page's header line may join the table)
                    n += sum(1 for row in table[heads[0] + 1:] if not any(c for c in row))
            counts.append(n)
    return counts


@pytest.fixture(scope="module")
def corpus():
    return load_project(REPO).project


def test_every_corpus_form_prints_one_sheet_per_copy_with_every_glyph_in_its_cell(corpus_output, corpus):
    problems = []
    for form_id, form in sorted(corpus.forms.items()):
        path = corpus_output / "forms" / f"{form_id}.pdf"
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) != max(1, len(form.copies)):
                problems.append(f"{form_id}: {len(pdf.pages)} pages for {len(form.copies) or 1} copies")
            for number, page in enumerate(pdf.pages, start=1):
                if "第1页 共1页" not in page.extract_text():
                    problems.append(f"{form_id} p.{number}: not one page per copy")
                problems += [f"{form_id} p.{number}: {p}" for p in _crossings(page)[:3]]
    assert not problems, problems


def test_the_computed_height_of_a_copy_is_the_printed_one(corpus_output, corpus):
    """What fit_sheet adds up (and the build warns by) is what WeasyPrint prints: the last rule of every corpus form
    ends where the computed height says, within 2 mm."""
    from policygen.render.form_sheet import fit_sheet

    for form_id, form in sorted(corpus.forms.items()):
        fit = fit_sheet(form, corpus)
        page = _pages(corpus_output / "forms" / f"{form_id}.pdf")[0]
        rules = [e for e in page.edges if e["orientation"] == "h" and e["width"] > 20]
        bottom = max(e["top"] for e in rules) * PT_TO_MM
        assert abs(bottom - (fit.paper.margin_top + fit.height_mm - fit.paper.gap_mm)) < 2.0, (form_id, bottom)


def test_a_fill_register_fills_its_sheet_and_every_writer_prints_those_rows(hard):
    from docx import Document

    from policygen.render.form_sheet import fit_sheet

    root, result, project = hard
    assert not [d for d in result.diagnostics.items if "fill-register" in d.message]
    fit = fit_sheet(project.forms["fill-register"], project)
    out = root / "output" / "forms"
    rows = fit.rows["entries"]
    pages = _pages(out / "fill-register.pdf")
    assert len(pages) == 1 and _register_rows(out / "fill-register.pdf", "登记日期") == [rows]
    # filled: the space left at the foot of the sheet is less than two more rows would take
    page = pages[0]
    last = max(e["bottom"] for e in page.edges if e["orientation"] == "v") * PT_TO_MM
    row_mm = fit.paper.row_mm - 1 + 2 * fit.paper.pad_mm
    assert fit.paper.height - fit.paper.margin_bottom - last < 2 * row_mm + 3
    for ch in page.chars:
        assert ch["bottom"] * PT_TO_MM < fit.paper.height - 4 and ch["x1"] <= page.width
    # the same rows in the fillable PDF, the HTML page, the DOCX and the data schema
    from pypdf import PdfReader

    names = set(PdfReader(out / "fill-register.fillable.pdf").get_fields())
    assert f"entries_{rows}_what" in names and f"entries_{rows + 1}_what" not in names
    html = (out / "fill-register.html").read_text(encoding="utf-8")
    register = html.split('class="register"')[1].split("</table>")[0]
    assert register.count("<tr>") == rows + 1  # the heading row and the blank rows
    tables = [t for t in Document(out / "fill-register.docx").tables if len(t.rows) > 1 and any("登记日期" in c.text for c in t.rows[1].cells)]
    assert tables and len(tables[0].rows) - 2 == rows  # its title row, its heading row, the blank rows
    schema = json.loads((out / "fill-register.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["entries"]["maxItems"] == rows


def test_a_register_longer_than_a_sheet_prints_every_row_and_is_warned_about(hard):
    root, result, project = hard
    path = root / "output" / "forms" / "long-register.pdf"
    warnings = [d for d in result.diagnostics.items if d.code == "PG-FORM-101" and "'long-register'" in d.message]
    assert len(warnings) == 1
    warning = warnings[0]
    assert warning.file == "policies/long-register.yaml" and warning.line == 8  # the table, at its `rows: 60`
    fit = int(re.search(r"60 blank rows, of which (\d+) fit", warning.message)[1])
    assert f"rows: {fit}" in warning.hint and "rows: fill" in warning.hint
    per_page = _register_rows(path, "登记日期")
    assert sum(per_page) == 60 and len(per_page) >= 2  # nothing lost: the rest goes on the next sheet
    assert re.search(rf"takes {len(per_page)} sheets", warning.message)
    assert per_page[0] >= fit  # the rows said to fit do fit the first sheet
    for page in _pages(path):
        assert "登记日期" in page.extract_text()  # the heading repeats on every sheet
        assert not _crossings(page)


def test_a_form_too_long_for_a_sheet_names_what_takes_the_room(hard):
    root, result, project = hard
    warnings = [d for d in result.diagnostics.items if d.code == "PG-FORM-101" and "'long-form'" in d.message]
    assert len(warnings) == 1 and warnings[0].file == "policies/long-form.yaml"
    sheets = int(re.search(r"takes (\d+) sheets \(2 copies: (\d+) sheets\)", warnings[0].message)[1])
    assert "第1项说明" in warnings[0].message and "mm" in warnings[0].message
    pages = _pages(root / "output" / "forms" / "long-form.pdf")
    assert len(pages) == 2 * sheets  # as many sheets as the warning says, for each copy
    text = "".join(c["text"] for page in pages[:sheets] for c in page.chars)
    assert all(f"第{n}项说明" in text for n in range(1, 25)) and "填表人" in text  # nothing lost
    for page in pages:
        assert not _crossings(page)


def test_a_regulation_table_never_starts_with_its_heading_and_one_row_at_a_page_foot(corpus_output):
    """The step table of cs-handbook's procedure once began at the foot of a page with one row (p. 5)."""
    heading = re.compile(r"\s*步骤\s*责任部门\s*时限\s*表单\s*")
    checked = 0
    for path in sorted((corpus_output / "regulations").glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            pages = [(page.extract_text() or "").splitlines() for page in pdf.pages]
        starts = [(n, k) for n, lines in enumerate(pages) for k, line in enumerate(lines) if heading.fullmatch(line)]
        if not starts:
            continue
        n, k = starts[0]  # where the table begins (its heading repeats on the pages after)
        rows = lambda lines: [l for l in lines if re.match(r"\d+\. ", l)]  # noqa: E731
        total = len(rows(pages[n][k + 1:])) + sum(len(rows(p)) for p in pages[n + 1:])
        assert len(rows(pages[n][k + 1:])) >= min(2, total), (path.name, n + 1, rows(pages[n][k + 1:]))
        checked += 1
    assert checked
