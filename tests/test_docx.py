"""DOCX renderer: styles and fonts, numbering, references, tables, page setup, footers, attachments, metadata,
(LibreOffice prints them in tests/test_docx_print.py). Every check reads the written file back; none compares bytes with a stored file."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, timezone
from html import unescape
from pathlib import Path

import docx
import docx.enum.section
import docx.enum.text
import pytest
from docx.oxml.ns import qn
from docx.shared import Length

from office import read_docx
from policygen import load_project
from policygen.language import article_label
from policygen.presets import DOCX_FONTS, preset
from policygen.render.docx import write_regulations

REPO = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

ENGLISH = """\
    kind: regulation
    id: english
    language: en
    title: Customer Service Regulation
    version: "2.0"
    effective: "2026-10-08"
    chapters:
      - title: General Provisions
        articles:
          - id: purpose
            text: "This regulation governs [[department:sales]]; see [[article:reply]] and [[form:request]]."
          - id: reply
            text: "Enquiries are answered within [[rule:reply]]:"
            items: [by telephone;, by e-mail.]
    """

EXTRAS = """\
    kind: regulation
    id: extras
    title: 附加测试制度
    number: 测试〔2026〕2号
    version: "1.1"
    effective: "2026-03-01"
    issued_by: general-office
    preamble:
      - 为了测试，特制定本制度。
    chapters:
      - title: 总则
        sections:
          - title: 目的
            articles:
              - id: first
                text: 第一款见[[article:second]]。
                items:
                  - text: 第一项：
                    subitems: [第一目；, 第二目。]
                  - 第二项。
          - title: 范围
            articles:
              - id: second
                paragraphs:
                  - 审批如下：
                  - "[[matrix:approval]]"
                  - 以上为准。
    revisions:
      - {version: "1.0", date: "2026-01-01", summary: 首次发布}
      - {version: "1.1", date: "2026-03-01", summary: 增加范围}
    attachments:
      - {form: request}
      - {matrix: approval}
      - {rules: base-rules, title: 时限表}
    """


# --- helpers -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(corpus_output) -> dict[str, Path]:
    """The example corpus written once: regulation id -> DOCX path."""
    return {p.stem: p for p in sorted((corpus_output / "regulations").glob("*.docx"))}


def build(root: Path) -> dict[str, Path]:
    loaded = load_project(root, check_outputs=False)  # the DOCX writer alone (the PDF's font check would refuse \x07)
    assert loaded.project is not None and not loaded.diagnostics.errors, loaded.diagnostics.items
    return {p.stem: p for p in write_regulations(loaded.project, root / "out")}


def style_fonts(style) -> dict[str, str]:
    r_fonts = style.element.rPr.find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in r_fonts.attrib.items()}


def mm(length: Length) -> float:
    return length.mm


def article_paragraphs(document, language: str = "zh-Hans") -> list[str]:
    """Texts of the paragraphs that open an article, in order."""
    texts = []
    n = 1
    for p in document.paragraphs:
        if p.text.startswith(article_label(n, language)) and p.style.name == "Normal":
            texts.append(p.text)
            n += 1
    return texts


def html_article_openings(regulation_id: str) -> list[str]:
    """The first paragraph of every article as the HTML page prints it."""
    from policygen.render import html

    project = load_project(REPO).project
    reg = project.regulations[regulation_id]
    page = html.render_regulation(html.environment(project), project, reg)
    texts = []
    for article in reg.articles:
        found = re.search(rf'id="{re.escape(article.id)}">\s*<p>(.*?)</p>', page, re.S)
        texts.append(unescape(re.sub(r"<[^>]+>", "", found.group(1))))
    return texts


def xml_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def table_cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def is_header_row(row) -> bool:
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def cannot_split(row) -> bool:
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None


# --- the corpus regulation -----------------------------------------------------------------------------------

def test_writes_one_docx_per_regulation(corpus):
    assert sorted(corpus) == ["cs-handbook", "cs-staff-rules", "customer-service", "customer-service.zh-Hant",
                              "steel-cs"]  # and the Traditional edition policygen.yaml asks for
    for path in corpus.values():
        assert path.parent.name == "regulations" and path.suffix == ".docx"
        assert zipfile.is_zipfile(path)


def test_styles_and_fonts(corpus):
    document = read_docx(corpus["customer-service"])
    fonts = DOCX_FONTS["zh-Hans"]
    page = preset("gbt9704")
    styles = document.styles
    expected = {"Normal": fonts["body"], "Title": fonts["title"], "Heading 1": fonts["heading"],
                "Heading 2": fonts["kai"]}
    for name, east_asian in expected.items():
        f = style_fonts(styles[name])
        assert f["eastAsia"] == east_asian, name
        assert f["ascii"] == f["hAnsi"] == fonts["latin"], name
        assert not any(k.endswith("Theme") or k == "cstheme" for k in f), name  # no theme font overrides them
    normal = styles["Normal"]
    assert normal.font.size.pt == page.body_pt
    fmt = normal.paragraph_format
    assert fmt.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.line_spacing_rule == docx.enum.text.WD_LINE_SPACING.EXACTLY
    assert abs(fmt.line_spacing.mm - page.line_mm) < 0.1
    assert abs(fmt.first_line_indent.mm - 2 * page.char_mm) < 0.1
    assert styles["Title"].font.size.pt == page.title_pt
    assert styles["Title"].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert styles["Heading 1"].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    # Every style policygen defines or changes names both fonts.
    for style in styles:
        r_pr = style.element.rPr
        r_fonts = r_pr.find(qn("w:rFonts")) if r_pr is not None else None
        if r_fonts is not None and r_fonts.get(qn("w:eastAsia")):
            assert r_fonts.get(qn("w:ascii")), style.name


def test_title_metadata_chapters_and_articles(corpus):
    document = read_docx(corpus["customer-service"])
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == "客户服务管理制度"
    meta = paragraphs[1].text
    for part in ("XXX办〔2010〕1号", "版本：1.0", "生效日期：2010年1月1日", "总经理办公室"):
        assert part in meta
    chapters = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert chapters == ["第一章　总则", "第二章　服务作业程序", "第三章　客户意见调查", "第四章　客户投诉管理",
                        "第五章　客户服务准则", "第六章　附则"]
    articles = article_paragraphs(document)
    assert len(articles) == 36
    assert articles == html_article_openings("customer-service")  # the same text as the HTML page
    assert articles[0] == "第一条　本公司为求增进经营效能，加强客户服务的工作，迅速处理客户投诉案件，维护公司信誉，特制定本制度。"
    assert articles[6].startswith("第七条　客户服务部于接到客户之要求服务的电话或文件时")
    assert "登记于《服务登记簿》上" in articles[6]  # [[form:...]] resolved as in the HTML page
    assert articles[26] == "第二十七条　客户投诉金额核决权限："
    assert articles[34] == "第三十五条　本制度由XXX有限公司负责解释。"
    assert articles[35] == "第三十六条　本制度自2010年1月1日起实施。"
    # The article label is a bold run in the heading font.
    first = next(p for p in paragraphs if p.text.startswith("第一条"))
    label = first.runs[0]
    assert label.text == "第一条" and label.bold
    assert style_fonts(label.style)["eastAsia"] == DOCX_FONTS["zh-Hans"]["heading"]
    # Items and sub-items are paragraphs of their own with computed labels.
    texts = [p.text for p in paragraphs]
    assert "（一）有偿服务（A）；" in texts and "（四）内务服务（D）。" in texts
    assert "1.详查客户投诉产品的订单编号、规格、数量、交运日期。" in texts
    assert any(t.startswith("（三）为及时了解客户反映异常内容及处理情况") and "3日内提出报告" in t for t in texts)


def test_matrix_table(corpus):
    document = read_docx(corpus["customer-service"])
    matrix = next(t for t in document.tables if t.rows[0].cells[0].text == "客户投诉金额")
    assert table_cells(matrix) == [
        ["客户投诉金额", "核决权限"],
        ["1,000元以下（含）", "销售部门经理"],
        ["超过1,000元至5,000元（含）", "副总经理"],
        ["超过5,000元", "总经理"],
    ]
    assert is_header_row(matrix.rows[0])
    assert not any(is_header_row(r) for r in matrix.rows[1:])
    assert all(cannot_split(r) for r in matrix.rows)
    borders = matrix._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None and borders.find(qn("w:insideH")).get(qn("w:val")) == "single"
    # The table follows the article that names it, after its caption.
    body = list(document.element.body.iterchildren())
    index = body.index(matrix._tbl)
    caption, before = body[index - 1], body[index - 2]
    assert xml_text(caption) == "客户投诉金额核决权限表"
    assert xml_text(before) == "第二十七条　客户投诉金额核决权限："


def test_page_setup(corpus):
    page = preset("gbt9704")
    for path in corpus.values():
        section = read_docx(path).sections[0]
        assert abs(mm(section.page_width) - page.page_width_mm) < 0.1
        assert abs(mm(section.page_height) - page.page_height_mm) < 0.1
        assert abs(mm(section.top_margin) - page.margin_top_mm) < 0.1
        assert abs(mm(section.bottom_margin) - page.margin_bottom_mm) < 0.1
        assert abs(mm(section.left_margin) - page.margin_left_mm) < 0.1
        assert abs(mm(section.right_margin) - page.margin_right_mm) < 0.1


def test_odd_and_even_footers_with_page_numbers(corpus):
    document = read_docx(corpus["customer-service"])
    assert document.settings.odd_and_even_pages_header_footer
    assert document.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    section = document.sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        assert not footer.is_linked_to_previous
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert xml.count('w:fldCharType="begin"') == 1 and 'w:fldCharType="end"' in xml
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.paragraph_format.alignment == getattr(docx.enum.text.WD_ALIGN_PARAGRAPH, alignment.upper())
        assert all(r.font.size is None for r in paragraph.runs)
        assert document.styles["Footer"].font.size.pt == preset("gbt9704").page_number_pt


def test_attachment_starts_on_a_new_page_with_the_form(corpus):
    document = read_docx(corpus["customer-service"])
    headings = [p for p in document.paragraphs if p.text.startswith("附表")]
    assert [p.text for p in headings] == ["附表1　客户投诉处理流程", "附表2　客户投诉处理表"]
    assert all(h.paragraph_format.page_break_before for h in headings)
    texts = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for label in ("客户名称*", "异常内容及投诉理由*", "☐ 随表附送", "大写："):
        assert label in texts
    approval = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("核决（"))
    assert [c.text for c in approval.rows[1].cells] == ["核决权限", "意见", "签名", "日期"]
    assert [r.cells[0].text for r in approval.rows[2:]] == ["销售部门经理", "副总经理", "总经理"]
    assert is_header_row(approval.rows[0]) and is_header_row(approval.rows[1])
    assert "第四联 财务部存" in "\n".join(p.text for p in document.paragraphs)


def test_landscape_forms_get_a_landscape_section(corpus):
    document = read_docx(corpus["cs-staff-rules"])
    headings = [p for p in document.paragraphs if p.text.startswith("附表")]
    assert len(headings) == 4 and all(p.paragraph_format.page_break_before for p in headings)
    sections = document.sections
    assert len(sections) == 2
    assert sections[1].orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    assert sections[1].page_width > sections[1].page_height
    assert sections[1].footer.is_linked_to_previous  # the page numbers go on
    # A table field: its label and columns repeat on every page, then its blank rows (`rows: fill`: as many as
    # the regulation's type area holds, as in the PDF).
    from policygen.presets import preset
    from policygen.render.form_sheet import fit_sheet

    project = load_project(REPO).project
    page = preset(project.config.preset)
    blank = fit_sheet(project.forms["cs-weekly-summary"], project, page=page).rows["daily-work"]
    weekly = next(t for t in document.tables if t.rows[0].cells[0].text == "每天工作内容")
    assert [c.text for c in weekly.rows[1].cells][:3] == ["日期", "项目/客户", "工作内容"]
    assert is_header_row(weekly.rows[0]) and is_header_row(weekly.rows[1])
    assert blank >= 3 and len(weekly.rows) == 2 + blank
    # The preamble comes before the first article, and there is no chapter heading.
    texts = [p.text for p in document.paragraphs]
    assert texts[2].startswith("为了进一步加强客服人员工作管理")
    assert texts[3].startswith("第一条　以维护公司利益的基础上")
    assert not any(p.style.name == "Heading 1" for p in document.paragraphs)


FIELDS_FORM = """\
    kind: form
    id: survey
    title: 调查表
    number: T-002
    version: "1.0"
    serial: "DC-{yyyy}-{seq:4}"
    paper: {size: A4, orientation: landscape}
    copies: [{label: 第一联 存根}, {label: 第二联 回执}]
    sections:
      - title: 基本信息
        fields:
          - {id: name, type: text, label: 姓名, required: true, help: 填写全名}
          - {id: reason, type: multiline, label: 事由, lines: 4}
          - {id: count, type: number, label: 人数, unit: 人}
          - {id: amount, type: money, label: 金额, currency: CNY}
          - {id: fee, type: money, label: 费用, currency: CNY, capital: false}
          - {id: day, type: date, label: 日期}
          - {id: code, type: comb, label: 编码, length: 6}
          - {id: kind, type: choice, label: 类别, options: [{id: a, label: 甲}, 乙]}
          - {id: sign, type: signature, label: 经办人}
          - {id: stamp, type: signature, label: 盖章, date: false}
          - type: notes
            label: 说明
            text: |-
              1. 第一点，见[[form:request]]。
              2. 第二点。
      - fields:
          - id: rating
            type: rating
            label: 品评
            criteria: [{id: attitude, label: 态度}, {id: skill, label: 技术}]
            levels: [非常满意, 满意, 一般]
          - {type: notes, text: 谢谢。}
    """

OPENS_WITH_A_TABLE = """\
    kind: regulation
    id: table-first
    title: 表格制度
    version: "1.0"
    effective: "2026-01-01"
    chapters:
      - title: ""
        articles:
          - id: only
            paragraphs: ["[[matrix:approval]]", 以上。]
    attachments:
      - {form: request}
      - {form: survey}
      - {matrix: approval}
      - {rules: base-rules}
    """


def test_every_field_type_and_orientation(project):
    root = project({"survey.yaml": FIELDS_FORM, "table-first.yaml": OPENS_WITH_A_TABLE})
    document = read_docx(build(root)["table-first"])
    texts = [p.text for p in document.paragraphs]
    # An article that opens with a table still shows its number.
    assert "第一条" in texts and "以上。" in texts
    # Portrait text and form, a landscape form, then portrait again for the matrix and the rules.
    assert [s.orientation for s in document.sections] == [docx.enum.section.WD_ORIENT.PORTRAIT,
                                                          docx.enum.section.WD_ORIENT.LANDSCAPE,
                                                          docx.enum.section.WD_ORIENT.PORTRAIT]
    headings = [p for p in document.paragraphs if p.text.startswith("附表")]
    assert [p.text for p in headings] == ["附表1　申请单", "附表2　调查表", "附表3　审批权限表", "附表4　测试时限"]
    assert all(p.paragraph_format.page_break_before for p in headings)
    form = next(t for t in document.tables if t.rows[0].cells[0].text == "姓名*")
    cells = label_value_pairs(form)
    assert cells["姓名*"] == "\n填写全名"  # the blank, then the help text
    assert cells["事由"] == "" and cells["人数"] == "　　　　　　人"
    assert cells["金额"] == "￥" + "　" * 7 + "大写：" and cells["费用"] == "￥" + "　" * 7
    assert cells["日期"] == "　　　　年　　月　　日" and cells["编码"] == "□" * 6
    assert cells["类别"] == "☐ 甲　☐ 乙"
    assert cells["经办人"].endswith("年　　月　　日") and cells["盖章"] == ""
    notes = [row.cells[0].text for row in form.rows[-3:]]
    assert notes == ["说明：", "1. 第一点，见《申请单》。", "2. 第二点。"]
    grid = next(t for t in document.tables if t.rows[0].cells[0].text == "品评")
    assert table_cells(grid)[1:] == [["", "非常满意", "满意", "一般"], ["态度", "☐", "☐", "☐"],
                                     ["技术", "☐", "☐", "☐"]]
    assert is_header_row(grid.rows[0]) and is_header_row(grid.rows[1]) and not is_header_row(grid.rows[2])
    all_text = "\n".join(texts)
    assert "表单编号：T-002　版本：1.0　No. " in all_text
    assert "第一联 存根　第二联 回执" in all_text
    assert "谢谢。" in "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)


def label_value_pairs(table) -> dict[str, str]:
    """Label → value text of a form table, however many label | value pairs its rows hold (merged cells once)."""
    pairs = {}
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell)
        for label, value in zip(cells[::2], cells[1::2]):
            pairs[label.text] = value.text
    return pairs


def test_core_properties(corpus):
    props = read_docx(corpus["customer-service"]).core_properties
    assert props.title == "客户服务管理制度"
    assert props.author == "XXX有限公司"
    assert props.language == "zh-CN"
    stamp = datetime(2010, 1, 1, tzinfo=timezone.utc)
    assert props.created.replace(tzinfo=timezone.utc) == stamp
    assert props.modified.replace(tzinfo=timezone.utc) == stamp
    assert props.comments == ""


def test_builds_are_reproducible(tmp_path):
    loaded = load_project(REPO)
    first = write_regulations(loaded.project, tmp_path / "a")
    second = write_regulations(loaded.project, tmp_path / "b")
    for a, b in zip(first, second):
        with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
            assert za.namelist() == zb.namelist()
            for name in za.namelist():
                assert za.read(name) == zb.read(name), name
            dates = {i.date_time for i in za.infolist()}
        assert len(dates) == 1 and dates.pop()[:3] == tuple(
            int(x) for x in loaded.project.regulations[a.stem.removesuffix(".zh-Hant")].effective.split("-"))


# --- other languages -----------------------------------------------------------------------------------------

def test_traditional_chinese(corpus):
    document = read_docx(corpus["steel-cs"])
    fonts = DOCX_FONTS["zh-Hant"]
    assert style_fonts(document.styles["Normal"])["eastAsia"] == fonts["body"]
    assert style_fonts(document.styles["Heading 1"])["eastAsia"] == fonts["heading"]
    assert style_fonts(document.styles["Title"])["eastAsia"] == fonts["title"]
    articles = article_paragraphs(document, "zh-Hant")
    assert articles == html_article_openings("steel-cs")
    assert articles[0].startswith("第一條　為了規範鋼管銷售客服工作流程")
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"][0] == "第一節　目的"
    assert document.core_properties.language == "zh-TW"


def test_english(project):
    root = project({"english.yaml": ENGLISH})
    document = read_docx(build(root)["english"])
    fonts = DOCX_FONTS["en"]
    assert style_fonts(document.styles["Normal"])["ascii"] == fonts["body"]
    assert style_fonts(document.styles["Heading 1"])["eastAsia"] == fonts["heading"]
    texts = [p.text for p in document.paragraphs]
    assert "Chapter 1 General Provisions" in texts
    assert "Article 1 This regulation governs 销售部; see Article 2 and 申请单." in texts
    assert "Article 2 Enquiries are answered within 3 working days:" in texts
    assert "(a) by telephone;" in texts and "(b) by e-mail." in texts
    assert "Chapter 2 Supplementary Provisions" in texts
    assert "Article 3 This regulation is interpreted by 测试有限公司." in texts
    assert "Article 4 This regulation takes effect on 8 October 2026." in texts
    assert "Effective date: 8 October 2026" in texts[1]
    assert document.core_properties.language == "en-US"


# --- a small project -----------------------------------------------------------------------------------------

def test_small_project(project):
    root = project({"extras.yaml": EXTRAS})
    paths = build(root)
    assert sorted(paths) == ["base", "extras"]
    base = read_docx(paths["base"])
    assert article_paragraphs(base) == [
        "第一条　为规范管理，特制定本制度。",
        "第二条　本制度适用于销售部，期限见3个工作日，审批见《审批权限表》。",
        "第三条　依第二条填写《申请单》。",
        "第四条　本制度由测试有限公司负责解释。",
        "第五条　本制度自2026年1月1日起施行。",
    ]
    assert base.core_properties.author == "测试有限公司"
    # An article reference is an internal link to the article's bookmark.
    third = next(p for p in base.paragraphs if p.text.startswith("第三条"))
    link = third._p.find(qn("w:hyperlink"))
    anchor = link.get(qn("w:anchor"))
    assert xml_text(link) == "第二条"
    bookmarks = {b.get(qn("w:name")): b for b in base.element.body.iter(qn("w:bookmarkStart"))}
    second = next(p for p in base.paragraphs if p.text.startswith("第二条"))
    assert second._p.find(qn("w:bookmarkStart")) is bookmarks[anchor]
    ids = [b.get(qn("w:id")) for b in bookmarks.values()]
    assert len(set(ids)) == len(ids)

    extras = read_docx(paths["extras"])
    texts = [p.text for p in extras.paragraphs]
    assert texts[1] == "测试〔2026〕2号　版本：1.1　生效日期：2026年3月1日　总经理办公室"
    assert texts[2] == "为了测试，特制定本制度。"
    assert [p.text for p in extras.paragraphs if p.style.name == "Heading 2"] == ["第一节　目的", "第二节　范围"]
    start = texts.index("第一条　第一款见第二条。")
    assert texts[start + 1: start + 5] == ["（一）第一项：", "1.第一目；", "2.第二目。", "（二）第二项。"]
    assert "第二条　审批如下：" in texts and "以上为准。" in texts
    # Revision record, then the three attachments, each on a new page.
    revisions = next(t for t in extras.tables if t.rows[0].cells[0].text == "版本")
    assert table_cells(revisions) == [["版本", "日期", "修订内容"], ["1.0", "2026年1月1日", "首次发布"],
                                      ["1.1", "2026年3月1日", "增加范围"]]
    assert is_header_row(revisions.rows[0])
    headings = [p for p in extras.paragraphs if p.text.startswith("附表")]
    assert [p.text for p in headings] == ["附表1　申请单", "附表2　审批权限表", "附表3　时限表"]
    assert all(p.paragraph_format.page_break_before for p in headings)
    matrices = [t for t in extras.tables if t.rows[0].cells[0].text == "金额"]
    assert len(matrices) == 2  # in 第二条 and as 附表2
    rules = next(t for t in extras.tables if t.rows[0].cells[0].text == "规则")
    assert table_cells(rules) == [["规则", "标准", "依据"], ["答复", "3个工作日", "《测试管理制度》第二条"]]
    form = next(t for t in extras.tables if t.rows[0].cells[0].text == "姓名")
    assert table_cells(form) == [["姓名", ""]]
    for table in extras.tables:
        assert all(cannot_split(r) for r in table.rows)


def test_compact_preset(project):
    root = project({}, project_file="project: 测试\nlanguage: zh-Hans\npreset: compact\n")
    section = read_docx(build(root)["base"]).sections[0]
    page = preset("compact")
    assert abs(mm(section.top_margin) - page.margin_top_mm) < 0.1
    assert abs(mm(section.right_margin) - page.margin_right_mm) < 0.1
    assert abs(mm(section.bottom_margin) - page.margin_bottom_mm) < 0.1


def test_text_is_data(project):
    hostile = """\
        kind: regulation
        id: hostile
        title: "<w:p>制度 &amp;"
        version: "1.0"
        effective: "2026-01-01"
        chapters:
          - title: "{{ 7*7 }}"
            articles:
              - id: purpose
                text: "<script>x</script> &amp; \\x07 [[form:request]]"
        """
    document = read_docx(build(project({"hostile.yaml": hostile}))["hostile"])
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "<w:p>制度 &amp;"
    assert "第一章　{{ 7*7 }}" in texts
    assert "第一条　<script>x</script> &amp;  《申请单》" in texts


def test_words_that_open_a_list_keep_with_its_first_item(corpus):
    """"第二十九条　产品退货账务处理：" never ends a page with its items on the next (w:keepNext), as in the PDF."""
    document = read_docx(corpus["customer-service"])
    paragraphs = document.paragraphs
    intro = next(k for k, p in enumerate(paragraphs) if p.text.endswith("产品退货账务处理："))
    assert paragraphs[intro].paragraph_format.keep_with_next
    assert paragraphs[intro + 1].text.startswith("（一）")
    assert not paragraphs[intro + 1].paragraph_format.keep_with_next  # the items themselves may part
