"""Table paragraphs in regulations, read back as a reader sees them: in the PDF the header row repeats on every
page and no row is split across pages; in the DOCX a real Word table with a repeating header row, rows that
cannot split and merged cells; in the HTML the same cells with their spans; references print their values."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from docx.oxml.ns import qn

from office import read_docx
from policygen import build_project

ROWS = 45


def _regulation() -> str:
    rows = ['                - [{text: 合并的部门, rowspan: 2}, 第1行, "[[rule:reply]]内", 尾1]',
            "                - [第2行, 立即, 尾2]",
            '                - [{text: 跨两列的说明, colspan: 2}, 第3行, 尾3]']
    for n in range(4, ROWS + 1):
        rows.append(f"                - [部门{n}, 第{n}行作业内容较长需要在单元格内折行显示以便检查行不被拆分, 立即, 尾{n}]")
    return """\
        kind: regulation
        id: tables
        title: 表格测试制度
        version: "1.0"
        effective: "2026-01-01"
        chapters:
          - title: 总则
            articles:
              - id: deadlines
                paragraphs:
                  - 各部门处理期限如下：
                  - table:
                      title: 处理期限表
                      columns: [{label: 部门, width: 2}, {label: 作业, width: 5}, {label: 期限, width: 2}, {label: 备注, width: 1}]
                      rows:
""" + "\n".join(" " * 8 + r for r in rows) + "\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import os

    from conftest import write_project

    root = write_project(tmp_path_factory.mktemp("tables"), {"tables.yaml": _regulation()},
                         project_file="project: 测试项目\nlanguage: zh-Hans\noutputs: [html, pdf, docx]\n")
    old = os.environ.get("POLICYGEN_CACHE_DIR")
    os.environ["POLICYGEN_CACHE_DIR"] = str(root / ".cache")
    try:
        result = build_project(root)
    finally:
        if old is None:
            os.environ.pop("POLICYGEN_CACHE_DIR")
        else:
            os.environ["POLICYGEN_CACHE_DIR"] = old
    assert result.ok, [d.message for d in result.diagnostics.errors]
    return root / "output" / "regulations"


def test_pdf_header_repeats_and_rows_never_split(built):
    with pdfplumber.open(built / "tables.pdf") as pdf:
        pages = ["".join((p.extract_text() or "").split()) for p in pdf.pages]
    table_pages = [i for i, text in enumerate(pages) if "尾" in text]
    assert len(table_pages) >= 2, "the table runs over more than one page"
    for i in table_pages:
        assert "部门作业期限备注" in pages[i], f"page {i + 1} has rows but no header"
    for n in range(1, ROWS + 1):
        start = [i for i in table_pages if re.search(rf"第{n}行", pages[i])]
        end = [i for i in table_pages if re.search(rf"尾{n}(?!\d)", pages[i])]
        assert start and start == end, f"row {n} is split or missing: {start} {end}"
    assert "3个工作日" in pages[table_pages[0]]  # [[rule:reply]] prints the rule's value
    assert "处理期限表" in pages[table_pages[0]]


def test_docx_is_a_word_table_with_a_repeating_header_and_merged_cells(built):
    document = read_docx(built / "tables.docx")
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "部门")
    assert [c.text for c in table.rows[0].cells] == ["部门", "作业", "期限", "备注"]
    assert len(table.rows) == ROWS + 1
    first = table.rows[0]._tr
    assert first.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    assert table.cell(1, 0).text == "合并的部门" and table.cell(2, 0)._tc is table.cell(1, 0)._tc  # rowspan
    assert table.cell(3, 0)._tc is table.cell(3, 1)._tc and table.cell(3, 0).text == "跨两列的说明"  # colspan
    assert table.cell(1, 2).text == "3个工作日内"
    widths = [c.width for c in table.rows[0].cells]
    assert widths[1] > 2 * widths[0]  # relative widths 2 : 5 : 2 : 1


def test_html_table_keeps_spans_and_values(built):
    html = (built / "tables.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="regulation-table">.*?</table>', html, re.S).group(0)
    assert "<thead><tr><th>部门</th><th>作业</th><th>期限</th><th>备注</th></tr></thead>" in table
    assert '<td rowspan="2">合并的部门</td>' in table and '<td colspan="2">跨两列的说明</td>' in table
    assert "3个工作日</span>内" in table
    assert html.index("第一条") < html.index("regulation-table")


def test_the_rows_a_merged_cell_spans_stay_on_one_page(tmp_path, monkeypatch):
    """A merged cell is drawn on the page its first row is on: rows it spans that ran onto the next page stood
    there without it (customer-service 第二十六条 printed 客户服务部's last row under an empty cell)."""
    from conftest import write_project

    groups = 16
    rows = []
    for g in range(1, groups + 1):
        rows.append(f"                - [{{text: 合并{g:02d}, rowspan: 3}}, 组{g:02d}行1作业内容较长需要在单元格内折行显示, 立即, 注]")
        rows += [f"                - [组{g:02d}行{j}作业内容较长需要在单元格内折行显示, 立即, 注]" for j in (2, 3)]
        rows.append(f"                - [单{g:02d}, 单独一行, 立即, 注]")
    text = _regulation().split("                      rows:\n")[0] + "                      rows:\n" + "\n".join(" " * 8 + r for r in rows) + "\n"
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = write_project(tmp_path / "p", {"tables.yaml": text},
                         project_file="project: 测试项目\nlanguage: zh-Hans\noutputs: [pdf]\n")
    assert build_project(root).ok
    with pdfplumber.open(root / "output" / "regulations" / "tables.pdf") as pdf:
        pages = ["".join((p.extract_text() or "").split()) for p in pdf.pages]
    assert len(pages) >= 3
    for g in range(1, groups + 1):
        where = {label: [n for n, page in enumerate(pages) if label in page]
                 for label in (f"合并{g:02d}", f"组{g:02d}行1", f"组{g:02d}行2", f"组{g:02d}行3")}
        assert all(len(found) == 1 for found in where.values()) and len({found[0] for found in where.values()}) == 1, where


def test_docx_keeps_the_rows_a_merged_cell_spans_together(built):
    document = read_docx(built / "tables.docx")
    table = document.tables[0]
    def kept(row):
        return all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)
    # 合并的部门 spans rows 1 and 2 of the body: they keep together; the heading and that first group keep with the
    # row after them (a table never starts at a page's foot with its heading and one row); no other row is kept
    assert kept(table.rows[0]) and kept(table.rows[1]) and kept(table.rows[2])
    assert not any(kept(row) for row in table.rows[3:])
