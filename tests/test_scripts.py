"""Simplified and Traditional Chinese with OpenCC: Simplified forms left in a zh-Hant document are warned about
with their file and line; a clean Traditional text and a Simplified document are not."""

from __future__ import annotations

from conftest import REPO
from policygen import load_project

TRADITIONAL = """\
    kind: regulation
    id: trad
    language: zh-Hant
    title: 客服管理制度
    version: "1.0"
    effective: "2026-01-01"
    chapters:
      - title: 總則
        articles:
          - id: one
            text: 本制度適用于公司全體員工。
          - id: two
            text: 客服人員應及時接聽客戶咨詢電話。
          - id: three
            text: 維護良好的客戶關系，并定期回訪，之后整理記錄。
          - id: four
            text: 本制度適用於公司客服部門，處理範圍見附表。
    """


def _warnings(root):
    return [d for d in load_project(root).diagnostics.items if d.code == "PG-LANG-101"]


def test_simplified_forms_in_a_traditional_document_are_warned_about_with_their_line(project):
    root = project({"trad.yaml": TRADITIONAL})
    found = {d.line: d for d in _warnings(root)}
    assert set(found) == {11, 13, 15}  # the lines of articles one, two and three; four is clean
    assert all(d.file.endswith("trad.yaml") and not d.is_error for d in found.values())
    assert "于→於" in found[11].message and "咨→諮" in found[13].message
    assert all(pair in found[15].message for pair in ("系→係", "并→並", "后→後"))


def test_the_same_characters_in_a_simplified_document_are_fine(project):
    root = project({"simp.yaml": TRADITIONAL.replace("language: zh-Hant", "language: zh-Hans").replace("id: trad", "id: simp")})
    assert not _warnings(root)


def test_the_corpus_writes_traditional_characters_in_its_traditional_documents():
    assert not _warnings(REPO)


def test_a_simplified_regulation_is_published_also_in_traditional(project):
    import pdfplumber

    from policygen import build_project

    root = project(project_file="""\
project: 测试
outputs: [html, pdf]
traditional:
  convert: s2hk
  terms: {销售部: 營業部}
""")
    result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    regulations = root / "output" / "regulations"
    assert (regulations / "base.pdf").is_file() and (regulations / "base.zh-Hant.pdf").is_file()
    with pdfplumber.open(regulations / "base.zh-Hant.pdf") as pdf:
        text = "".join("".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "測試管理制度" in text and "第一章總則" in text
    assert "第三條依第二條填寫《申請單》。" in text  # numbering and references in Traditional
    assert "本制度適用於營業部" in text  # the term override, not the conversion's 銷售部
    assert "3個工作日" in text and "附則" in text and "負責解釋" in text
    html = (regulations / "base.zh-Hant.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant">' in html
    with pdfplumber.open(regulations / "base.pdf") as pdf:  # the original is untouched
        assert "第三条依第二条填写《申请单》。" in "".join("".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "base.zh-Hant.pdf" in (root / "output" / "index.html").read_text(encoding="utf-8")


SIMPLIFIED_WITH_RARE = """\
    kind: regulation
    id: birds
    language: zh-Hans
    title: 护鸟制度
    version: "1.0"
    effective: "2026-01-01"
    chapters:
      - title: 总则
        articles:
          - id: one
            text: 本制度适用于公司全体员工。
          - id: two
            text: 园区内的朱鹮应予保护。
    """


def test_a_traditional_edition_is_checked_against_the_faces_it_prints_with(project):
    """The edition prints the converted text (朱鹮 → 朱䴉) in the Traditional faces: a character they lack is an
    error at the Simplified text it comes from, not a box on the page; the Simplified original is fine."""
    from policygen import build_project

    settings = "project: 测试\noutputs: [html, pdf]\ntraditional:\n  convert: s2twp\n"
    root = project({"birds.yaml": SIMPLIFIED_WITH_RARE}, project_file=settings)
    errors = build_project(root).diagnostics.errors
    assert [d.code for d in errors] == ["PG-RENDER-002"], [str(d) for d in errors]
    assert errors[0].file.endswith("birds.yaml") and errors[0].line == 13
    assert "䴉" in errors[0].message and "birds.zh-Hant" in errors[0].message and "terms" in errors[0].message
    assert not (root / "output" / "regulations" / "birds.zh-Hant.pdf").exists()

    root = project({"birds.yaml": SIMPLIFIED_WITH_RARE},  # a term that prints the form a shipped face has
                   project_file=settings + "  terms: {朱鹮: 朱鹮}\n")
    result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    fallback = [d for d in result.diagnostics.items if d.code == "PG-RENDER-101" and "birds.zh-Hant" in d.message]
    assert fallback and fallback[0].line == 13 and "鹮" in fallback[0].message


def test_taiwan_conversion_keeps_the_office_sense_of_words_its_software_glossary_rewrites():
    from policygen.scripts import convert_text

    text = "依客户投诉金额核决权限审核；培训对象见服务作业程序；电话或文件；单据类型；PDCA循环；客户信息在线登记"
    assert convert_text(text, "s2twp", {}) == ("依客戶投訴金額核決權限審核；培訓對象見服務作業程序；電話或文件；單據類型；"
                                               "PDCA循環；客戶資訊線上登記")  # Taiwan vocabulary where it is meant
    assert convert_text("作业程序", "s2twp", {"程序": "程式"}) == "作業程式"  # the project's own term wins
    assert convert_text("核决权限", "s2tw", {}) == "核決權限"
