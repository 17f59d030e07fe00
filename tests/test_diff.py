"""Revisions: `compare` by id on the corpus and a revised copy (tests/fixtures/revised), the JSON against its
schema, and the 修订对照表 read back from the PDF (pdfplumber: which characters are underlined or struck through)
and the DOCX (python-docx: runs with underline / strike), each change found, correctly marked, and nothing else.

The revised copy differs from policies/ in exactly these ways (each marked REVISED in its file):
- customer-service: an article inserted in chapter 2 (第七条 service-hotline; every later article is renumbered),
  and 第一条 purpose reworded (迅速处理 → 及时处理);
- the rule complaint-report: 3 calendar days → 2 working days (printed in 第二十五条, now 第二十六条, and in the
  deadline table of 第二十六条, now 第二十七条);
- the matrix complaint-approval: the boundary 5000 → 8000 (rows 2 and 3);
- the form complaint-form: a field contact-email added;
- the rule tests that follow from these (rule tests are not compared).
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
from docx.oxml.ns import qn
from jsonschema import Draft202012Validator

from conftest import REPO, write_project
from office import read_docx
from policygen import load_project
from policygen.diff import (RefChange, RevisionError, Segment, changes_json, changes_text, char_diff, compare,
                            load_revision, side, split_range)
from policygen.render.revisions import cell_lines, write_revisions

REVISED = Path(__file__).parent / "fixtures" / "revised"
SCHEMA = json.loads((REPO / "schemas" / "revision-diff.schema.json").read_text(encoding="utf-8"))
NEW_ARTICLE = "客户服务部应设立客户服务专线，由专人负责接听，并将客户的服务要求当日登记。"


def _load(root: Path):
    result = load_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.errors]
    return result.project


@pytest.fixture(scope="module")
def pair():
    return _load(REPO), _load(REVISED)


@pytest.fixture(scope="module")
def changes(pair):
    return compare(*pair, old_label="corpus", new_label="revised")


@pytest.fixture(scope="module")
def outputs(pair, changes, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("revisions")
    written = write_revisions(*pair, changes, out)
    assert sorted(p.relative_to(out).as_posix() for p in written) == [
        "revisions/customer-service.docx", "revisions/customer-service.html", "revisions/customer-service.pdf"]
    return {p.suffix[1:]: p for p in written}


# --- compare -------------------------------------------------------------------------------------------------

def test_compare_finds_exactly_the_revisions(pair, changes):
    old, new = pair
    assert [r.id for r in changes.regulations] == ["customer-service"]
    reg = changes.regulation("customer-service")
    assert reg.status == "changed" and reg.metadata == [] and reg.chapters == []
    assert [(a.id, a.kinds) for a in reg.table] == [
        ("purpose", ["wording"]),
        ("service-hotline", ["added"]),
        ("complaint-investigation", ["renumbered", "references"]),
        ("complaint-deadline", ["renumbered", "references"]),  # its table prints the rule's value too
    ]
    assert reg.reference_updates == []  # the corpus has no [[article:…]] reference inside customer-service

    # Every article after the inserted one is renumbered by one, and that is all that happened to it.
    old_reg, new_reg = old.regulations["customer-service"], new.regulations["customer-service"]
    later = [a.id for a in old_reg.articles if a.number >= 7]
    assert len(later) == 30 and len(new_reg.articles) == len(old_reg.articles) + 1
    assert [a.id for a in reg.renumbered] == later
    for change in reg.articles:
        if change.id in ("purpose", "service-hotline", "complaint-investigation", "complaint-deadline"):
            continue
        assert change.kinds == ["renumbered"], change.id
        assert change.new.number == change.old.number + 1
        assert change.segments == [] and change.text == "none"
    assert not any(a.moved or a.removed for a in reg.articles)


def test_wording_inserted_article_and_rule_reference(changes):
    reg = changes.regulation("customer-service")
    purpose = reg.article("purpose")
    assert purpose.old.label == purpose.new.label == "第一条"
    assert [(s.op, s.text) for s in purpose.segments] == [
        ("equal", "本公司为求增进经营效能，加强客户服务的工作，"), ("delete", "迅速"), ("insert", "及时"),
        ("equal", "处理客户投诉案件，维护公司信誉，特制定本制度。")]

    added = reg.article("service-hotline")
    assert added.old is None and added.new.label == "第七条"
    assert (added.new.chapter, added.new.chapter_title) == (2, "服务作业程序")
    assert added.segments == [Segment("insert", NEW_ARTICLE)]

    # 第二十五条 prints the rule's value: the text as written did not change, what the reference prints did.
    investigation = reg.article("complaint-investigation")
    assert (investigation.old.label, investigation.new.label) == ("第二十五条", "第二十六条")
    assert investigation.text == "references" and not investigation.renumbering_only
    assert investigation.references == [RefChange("rule:complaint-report", "rule", "3日", "2个工作日")]
    assert [s for s in investigation.segments if s.op != "equal"] == [Segment("delete", "3"), Segment("insert", "2个工作")]
    assert "".join(s.text for s in side(investigation.segments, "old")) == investigation.old.text
    assert "".join(s.text for s in side(investigation.segments, "new")) == investigation.new.text


def test_rule_matrix_and_form_changes(changes):
    assert [r.id for r in changes.rules] == ["complaint-report"]
    rule = changes.rule("complaint-report")
    assert rule.status == "changed" and rule.changed == ["targets"] and rule.effective_from is None
    assert rule.old["targets"] == [{"value": "3", "unit": "calendar-days", "from": None, "text": "3日"}]
    assert rule.new["targets"] == [{"value": "2", "unit": "working-days", "from": None, "text": "2个工作日"}]

    assert [m.id for m in changes.matrices] == ["complaint-approval"]
    matrix = changes.matrix("complaint-approval")
    assert matrix.properties == []  # inputs and hit policy unchanged
    assert [(r.index, r.status, r.changed) for r in matrix.rows] == [(2, "changed", ["conditions"]), (3, "changed", ["conditions"])]
    assert [r.old["conditions"] for r in matrix.rows] == [{"amount": {"gt": "1000", "le": "5000"}}, {"amount": {"gt": "5000"}}]
    assert [r.new["conditions"] for r in matrix.rows] == [{"amount": {"gt": "1000", "le": "8000"}}, {"amount": {"gt": "8000"}}]
    assert [r.new["approvers"] for r in matrix.rows] == [["deputy-general-manager"], ["general-manager"]]

    assert [f.id for f in changes.forms] == ["complaint-form"]
    form = changes.form("complaint-form")
    assert form.properties == [] and form.sections == []
    assert [(f.key, f.status, f.new["label"], f.new["section"]) for f in form.fields] == [("contact-email", "added", "电子邮箱", 1)]

    reg = changes.regulation("customer-service")
    assert (reg.rules, reg.matrices, reg.forms) == (["complaint-report"], ["complaint-approval"], ["complaint-form"])


def test_text_summary(changes):
    assert changes_text(changes).splitlines() == [
        "regulation customer-service (客户服务管理制度): changed",
        "  第一条 purpose: wording",
        "  第七条 service-hotline: added",
        "  第二十五条→第二十六条 complaint-investigation: renumbered, references (rule:complaint-report 3日 → 2个工作日)",
        "  第二十六条→第二十七条 complaint-deadline: renumbered, references (rule:complaint-report 3日 → 2个工作日)",
        "  28 articles only renumbered",
        "rule complaint-report (客诉调查处理报告): changed: 3日 → 2个工作日",
        "matrix complaint-approval (客户投诉金额核决权限表): changed",
        "  row 2: changed: 超过1,000元至5,000元（含）：副总经理 → 超过1,000元至8,000元（含）：副总经理",
        "  row 3: changed: 超过5,000元：总经理 → 超过8,000元：总经理",
        "form complaint-form (客户投诉处理表): changed",
        "  field contact-email: added",
        "procedure complaint-handling (客户投诉处理流程): changed",  # its step 5 prints the rule's value
        "  step 5 report: changed [deadline]",
    ]


def test_identical_versions_have_no_changes(pair, tmp_path):
    old, _ = pair
    changes = compare(old, old)
    assert changes.empty and changes_text(changes) == "no changes"
    assert write_revisions(old, old, changes, tmp_path) == []


# --- JSON ----------------------------------------------------------------------------------------------------

def test_json_is_valid_against_the_published_schema(changes):
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"] == "https://schemas.policygen.org/diff/1/revision-diff.schema.json"
    validator = Draft202012Validator(SCHEMA)
    for example in SCHEMA["examples"]:
        assert list(validator.iter_errors(example)) == []
    data = json.loads(json.dumps(changes_json(changes), ensure_ascii=False))  # plain JSON, nothing else
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)] == []
    assert data["format_version"] == "1.0" and data["$schema"] == SCHEMA["$id"]
    assert data["old"] == {"label": "corpus", "project": "客户服务制度汇编"}

    reg = data["regulations"][0]
    assert reg["version"] == {"old": {"version": "1.0", "effective": "2010-01-01"},
                              "new": {"version": "1.0", "effective": "2010-01-01"}}
    articles = {a["id"]: a for a in reg["articles"]}
    assert articles["service-hotline"]["change"] == ["added"] and articles["service-hotline"]["old"] is None
    assert articles["service-hotline"]["new"]["number"] == 7
    assert articles["complaint-deadline"]["change"] == ["renumbered", "references"]
    assert (articles["complaint-deadline"]["old"]["label"], articles["complaint-deadline"]["new"]["label"]) == ("第二十六条", "第二十七条")
    assert [r["id"] for r in data["rules"]] == ["complaint-report"]
    assert data["rules"][0]["new"]["targets"][0]["value"] == "2"
    assert [row["new"]["conditions"]["amount"] for row in data["matrices"][0]["rows"]] == [{"gt": "1000", "le": "8000"}, {"gt": "8000"}]
    assert data["forms"][0]["fields"][0]["new"]["attrs"] == {"width": 20}


def test_json_of_moves_removals_and_renumbered_references(small_pair):
    data = changes_json(compare(*small_pair))
    assert list(Draft202012Validator(SCHEMA).iter_errors(data)) == []
    articles = {a["id"]: a for a in data["regulations"][0]["articles"]}
    assert articles["records"]["change"] == ["moved"]
    assert (articles["records"]["old"]["chapter"]["number"], articles["records"]["new"]["chapter"]["number"]) == (2, 3)
    assert articles["obsolete"]["change"] == ["removed"] and articles["obsolete"]["new"] is None
    assert articles["procedure"]["renumbering_only"] is True
    assert articles["procedure"]["references"] == [{"ref": "article:scope", "kind": "article", "old": "第二条", "new": "第三条"}]


# --- character diff ------------------------------------------------------------------------------------------

def test_char_diff_works_on_characters_not_words():
    assert char_diff("迅速处理客户投诉", "及时处理客户投诉") == [
        Segment("delete", "迅速"), Segment("insert", "及时"), Segment("equal", "处理客户投诉")]
    assert char_diff("三日内结案", "三日内结案") == [Segment("equal", "三日内结案")]
    assert char_diff("", "新增条款") == [Segment("insert", "新增条款")]
    # A one-character equality between two edits is folded into them, a longer one is kept.
    assert char_diff("3日", "2个工作日") == [Segment("delete", "3"), Segment("insert", "2个工作"), Segment("equal", "日")]
    for a, b in [("客户的肯定与满意才是我们最希望的奖赏", "客户的满意与信任是我们最希望得到的奖赏"),
                 ("甲乙丙丁戊己庚辛", "乙丙甲丁己戊辛庚"), ("营销部\n研发部", "营销部\n客户服务部\n研发部")]:
        segments = char_diff(a, b)
        assert "".join(s.text for s in side(segments, "old")) == a
        assert "".join(s.text for s in side(segments, "new")) == b


def test_long_articles_show_the_first_and_the_changed_lines():
    segments = char_diff("甲：\n（一）一\n（二）二\n（三）三\n（四）四", "甲：\n（一）一\n（二）贰\n（三）三\n（四）四")
    assert cell_lines(segments, "old") == [[("equal", "甲：")], [("ellipsis", "……")],
                                           [("equal", "（二）"), ("delete", "二")], [("ellipsis", "……")]]
    assert cell_lines(segments, "new") == [[("equal", "甲：")], [("ellipsis", "……")],
                                           [("equal", "（二）"), ("insert", "贰")], [("ellipsis", "……")]]


# --- the PDF, read back --------------------------------------------------------------------------------------

def _marks(path: Path):
    """Characters drawn with a line through them (struck) or just under them (underlined), with the table column
    (0 条款, 1 修订前, 2 修订后) they stand in; and the horizontal lines that are neither a table rule nor a mark."""
    marks: dict[str, list] = {"underline": [], "strike": []}
    stray = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            verticals = [l for l in page.lines if abs(l["x0"] - l["x1"]) < 0.1]
            horizontals = [l for l in page.lines if abs(l["top"] - l["bottom"]) < 0.1]
            horizontals += [{"x0": r["x0"], "x1": r["x1"], "top": (r["top"] + r["bottom"]) / 2}
                            for r in page.rects if r["bottom"] - r["top"] < 2 and r["x1"] - r["x0"] > 2]
            seen: set[int] = set()
            for line in horizontals:
                y = line["top"]
                is_rule = any(abs(v["top"] - y) < 0.6 or abs(v["bottom"] - y) < 0.6 for v in verticals
                              if v["x0"] >= line["x0"] - 0.6 and v["x0"] <= line["x1"] + 0.6)
                if is_rule:
                    continue
                hit = False
                for k, ch in enumerate(page.chars):
                    centre = (ch["x0"] + ch["x1"]) / 2
                    if ch["text"].isspace() or not line["x0"] - 0.5 <= centre <= line["x1"] + 0.5:
                        continue
                    baseline, size = page.height - ch["matrix"][5], ch["size"]
                    kind = ("underline" if baseline - 0.05 * size <= y <= baseline + 0.25 * size
                            else "strike" if baseline - 0.6 * size <= y < baseline - 0.1 * size else None)
                    if kind:
                        hit = True
                        if k not in seen:
                            seen.add(k)
                            cols = sorted({round(v["x0"], 1) for v in verticals if v["top"] - 1 <= ch["top"] and ch["bottom"] <= v["bottom"] + 1})
                            column = sum(1 for x in cols if x < ch["x0"]) - 1
                            marks[kind].append((number, ch["top"], ch["x0"], ch["text"], column))
                if not hit:
                    stray.append((number, line))
    return {kind: sorted(chars) for kind, chars in marks.items()}, stray


def _text(chars) -> str:
    return "".join(c[3] for c in chars)


def test_pdf_marks_each_change_and_nothing_else(outputs):
    marks, stray = _marks(outputs["pdf"])
    assert stray == []
    assert {c[4] for c in marks["underline"]} == {2}  # insertions only in 修订后
    assert {c[4] for c in marks["strike"]} == {1}  # deletions only in 修订前
    assert _text(marks["underline"]) == "及时" + NEW_ARTICLE + "2个工作" + "2个工作"  # 第二十六条 and its table
    assert _text(marks["strike"]) == "迅速33"


def test_pdf_lists_the_articles_numbers_and_other_changes(outputs):
    from pdftools import lines

    text = [l.text for l in lines(outputs["pdf"])]
    joined = "\n".join(text)
    assert text[0] == "《客户服务管理制度》修订对照表"
    assert "条款修订前修订后" in text
    for expected in ("第一条", "第七条", "新增", "第二十五条→", "第二十六条", "因引用的规则变更",
                     "原第七条至第三十六条依次改为第八条至第三十七条。", "相关规则、核决权限表及表单的修订",
                     "3日2个工作日", "电子邮箱（文本）"):
        assert expected in joined, expected
    assert "超过1,000元至5,000元超过1,000元至8,000元" in joined
    assert "仅因条款编号变化" not in joined  # no article of the corpus refers to another by number
    # Articles that were only renumbered are not listed.
    assert "第二十八条" not in joined.replace("第三十八条", "")
    # The header repeats at the top of every continued table.
    pages = {}
    for line in lines(outputs["pdf"]):
        pages.setdefault(line.page, []).append(line.text)
    for page, page_lines in pages.items():
        if page > 1:
            assert page_lines[0] in ("条款修订前修订后", "项目修订前修订后") or (  # or a table starts on the page
                page_lines[0] == "相关规则、核决权限表及表单的修订" and page_lines[1] == "项目修订前修订后"), page_lines[:2]
    with pdfplumber.open(outputs["pdf"]) as pdf:
        fonts = {c["fontname"].split("+")[-1] for p in pdf.pages for c in p.chars}
        assert pdf.metadata["Title"] == "《客户服务管理制度》修订对照表"
    assert "pg-fang-sc" in fonts  # the shipped body face of the regulations


# --- the DOCX, read back -------------------------------------------------------------------------------------

def _runs(container):
    for paragraph in container.paragraphs:
        yield from paragraph.runs


def test_docx_marks_each_change_and_nothing_else(outputs):
    document = read_docx(outputs["docx"])
    assert document.paragraphs[0].text == "《客户服务管理制度》修订对照表"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["条款", "修订前", "修订后"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[0] for r in rows] == ["第一条", "第七条\n新增", "第二十五条→\n第二十六条\n因引用的规则变更",
                                    "第二十六条→\n第二十七条\n因引用的规则变更"]
    assert rows[1][1] == "" and rows[1][2] == NEW_ARTICLE  # an added article: nothing before

    underlined, struck = [], []
    for row in table.rows[1:]:
        struck.append("".join(r.text for r in _runs(row.cells[1]) if r.font.strike))
        underlined.append("".join(r.text for r in _runs(row.cells[2]) if r.font.underline))
        assert not any(r.font.underline for r in _runs(row.cells[1]))
        assert not any(r.font.strike for r in _runs(row.cells[2]))
        assert not any(r.font.underline or r.font.strike for r in _runs(row.cells[0]))
    assert underlined == ["及时", NEW_ARTICLE, "2个工作", "2个工作"]
    assert struck == ["迅速", "", "3", "3"]

    # Nothing else in the document is underlined or struck through.
    elsewhere = [r.text for r in _runs(document) if r.font.underline or r.font.strike]
    for other in document.tables[1:]:
        elsewhere += [r.text for row in other.rows for cell in row.cells for r in _runs(cell)
                      if r.font.underline or r.font.strike]
    assert elsewhere == []

    # The header row repeats on every page; no row is split across pages.
    for t in document.tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in t.rows)
    others = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert others[0] == ["项目", "修订前", "修订后"]
    assert ["规则：客诉调查处理报告", "3日", "2个工作日"] in others
    assert ["核决权限表《客户投诉金额核决权限表》第3行", "超过5,000元：总经理", "超过8,000元：总经理"] in others
    assert ["表单《客户投诉处理表》栏位“电子邮箱”", "", "电子邮箱（文本）"] in others


# --- the HTML ------------------------------------------------------------------------------------------------

class _Marks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.found: dict[str, list[str]] = {"ins": [], "del": []}

    def handle_starttag(self, tag, attrs):
        if tag in self.found:
            self.open.append(tag)
            self.found[tag].append("")

    def handle_endtag(self, tag):
        if tag in self.found:
            self.open.pop()

    def handle_data(self, data):
        if self.open:
            self.found[self.open[-1]][-1] += data


def test_html_marks_insertions_and_deletions(outputs):
    page = outputs["html"].read_text(encoding="utf-8")
    parser = _Marks()
    parser.feed(page)
    assert parser.found == {"ins": ["及时", NEW_ARTICLE, "2个工作", "2个工作"], "del": ["迅速", "3", "3"]}
    assert "<title>《客户服务管理制度》修订对照表</title>" in page
    assert "<th>条款</th><th>修订前</th><th>修订后</th>" in page


# --- moves, removals and references renumbered ---------------------------------------------------------------

OLD_BASE = """\
    kind: regulation
    id: base
    title: 测试管理制度
    version: "1.0"
    effective: "2026-01-01"
    issued_by: general-office
    chapters:
      - title: 总则
        articles:
          - id: purpose
            text: 为规范管理，特制定本制度。
          - id: scope
            text: 本制度适用于[[department:sales]]，期限见[[rule:reply]]，审批见[[matrix:approval]]。
      - title: 程序
        articles:
          - id: procedure
            text: 依[[article:scope]]填写[[form:request]]。
          - id: filing
            text: 申请单应当按月归档。
          - id: records
            text: 销售部应保存申请记录。
          - id: obsolete
            text: 本条已不再适用。
      - title: 监督
        articles:
          - id: audit
            text: 总经理办公室每年检查本制度的执行情况，检查记录的保存依[[article:records]]。
    """

NEW_BASE = """\
    kind: regulation
    id: base
    title: 测试管理制度
    version: "1.0"
    effective: "2026-01-01"
    issued_by: general-office
    chapters:
      - title: 总则
        articles:
          - id: purpose
            text: 为规范管理，特制定本制度。
          - id: definitions
            text: 本制度所称申请，是指销售部提出的书面申请。
          - id: scope
            text: 本制度适用于[[department:sales]]，期限见[[rule:reply]]，审批见[[matrix:approval]]。
      - title: 程序
        articles:
          - id: procedure
            text: 依[[article:scope]]填写[[form:request]]。
          - id: filing
            text: 申请单应当按月归档。
      - title: 监督
        articles:
          - id: records
            text: 销售部应保存申请记录。
          - id: audit
            text: 总经理办公室每年检查本制度的执行情况，检查记录的保存依[[article:records]]。
    """


@pytest.fixture(scope="module")
def small_pair(tmp_path_factory):
    old = write_project(tmp_path_factory.mktemp("old"), {"base.yaml": OLD_BASE})
    new = write_project(tmp_path_factory.mktemp("new"), {"base.yaml": NEW_BASE})
    return _load(old), _load(new)


def test_moved_removed_and_renumbered_references(small_pair):
    changes = compare(*small_pair)
    assert changes.rules == changes.matrices == changes.forms == []
    reg = changes.regulation("base")
    kinds = {a.id: a.kinds for a in reg.articles}
    assert kinds == {"definitions": ["added"], "scope": ["renumbered"], "procedure": ["renumbered", "references"],
                     "filing": ["renumbered"], "records": ["moved"], "obsolete": ["removed"], "audit": ["references"]}
    # A move is one change with both places, never a removal plus an addition.
    records = reg.article("records")
    assert (records.old.label, records.old.chapter_title, records.new.label, records.new.chapter_title) == \
        ("第五条", "程序", "第六条", "监督")
    assert [a.id for a in reg.table] == ["definitions", "records", "obsolete"]  # the removed one where it stood
    assert [a.id for a in reg.reference_updates] == ["procedure", "audit"]
    assert reg.article("audit").references == [RefChange("article:records", "article", "第五条", "第六条")]
    assert [a.id for a in reg.renumbered] == ["scope", "procedure", "filing"]


def test_moved_removed_and_reference_tables_printed(small_pair, tmp_path):
    changes = compare(*small_pair)
    written = {p.suffix[1:]: p for p in write_revisions(*small_pair, changes, tmp_path)}
    document = read_docx(written["docx"])
    main, references = document.tables[0], document.tables[1]
    rows = [[c.text for c in row.cells] for row in main.rows[1:]]
    assert rows == [
        ["第二条\n新增", "", "本制度所称申请，是指销售部提出的书面申请。"],
        ["第五条→\n第六条\n由第二章　程序移至第三章　监督", "销售部应保存申请记录。", "销售部应保存申请记录。"],
        ["第六条\n删除", "本条已不再适用。", ""],
    ]
    assert [[c.text for c in row.cells] for row in references.rows] == [
        ["条款", "修订前", "修订后"], ["第三条→\n第四条", "第二条", "第三条"], ["第七条", "第五条", "第六条"]]
    assert "仅因条款编号变化而更新的引用" in [p.text for p in document.paragraphs]
    assert "原第二条至第四条依次改为第三条至第五条。" in [p.text for p in document.paragraphs]
    underlined = [r.text for t in document.tables for row in t.rows for c in row.cells for r in _runs(c) if r.font.underline]
    struck = [r.text for t in document.tables for row in t.rows for c in row.cells for r in _runs(c) if r.font.strike]
    assert (underlined, struck) == (["本制度所称申请，是指销售部提出的书面申请。"], ["本条已不再适用。"])

    marks, stray = _marks(written["pdf"])
    assert stray == []
    assert (_text(marks["underline"]), {c[4] for c in marks["underline"]}) == ("本制度所称申请，是指销售部提出的书面申请。", {2})
    assert (_text(marks["strike"]), {c[4] for c in marks["strike"]}) == ("本条已不再适用。", {1})
    pdf_text = "\n".join(line.text for line in __import__("pdftools").lines(written["pdf"]))
    assert "仅因条款编号变化而更新的引用" in pdf_text and "第七条第五条第六条" in pdf_text


# --- git revisions -------------------------------------------------------------------------------------------

def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=policygen", "-c", "user.email=tests@example.com",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def test_load_revision_reads_git_without_checking_out(tmp_path):
    repo = tmp_path / "repo"
    project = write_project(repo / "handbook")  # the project is a folder inside the repository
    (repo / "README.md").write_text("not part of the project\n", encoding="utf-8")
    rules = project / "policies" / "rules.yaml"
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "v1")
    _git(repo, "tag", "v1")
    rules.write_text(rules.read_text(encoding="utf-8").replace("value: 3", "value: 5"), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "v2")
    # The working tree differs from both commits, and must stay as it is.
    rules.write_text(rules.read_text(encoding="utf-8").replace("value: 5", "value: 9"), encoding="utf-8")
    (project / "policies" / "draft.yaml").write_text("kind: nonsense\n", encoding="utf-8")
    status = _git(repo, "status", "--porcelain")
    head = _git(repo, "rev-parse", "HEAD")

    old, new = load_revision(project, "v1"), load_revision(project, "HEAD")
    assert old.config.root != project and new.config.root != project
    assert sorted(p.name for p in old.config.root.iterdir()) == ["policies", "policygen.yaml"]
    changes = compare(old, new, *split_range("v1..HEAD"))
    assert [(r.id, r.old["targets"][0]["value"], r.new["targets"][0]["value"]) for r in changes.rules] == [("reply", "3", "5")]
    reg = changes.regulation("base")
    assert [(a.id, a.references) for a in reg.articles] == [
        ("scope", [RefChange("rule:reply", "rule", "3个工作日", "5个工作日")])]
    assert "value: 9" in rules.read_text(encoding="utf-8")
    assert _git(repo, "status", "--porcelain") == status and _git(repo, "rev-parse", "HEAD") == head

    folder = old.config.root
    del old, changes
    gc.collect()
    assert not folder.exists()  # the temporary copy goes with the project

    with pytest.raises(RevisionError, match="not a commit"):
        load_revision(project, "v3")
    (project / "policies" / "rules.yaml").write_text("kind: rules\nid: base-rules\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "broken")
    with pytest.raises(RevisionError) as failure:
        load_revision(project, "HEAD")
    assert failure.value.diagnostics.errors


def test_split_range():
    assert split_range("v1..v2") == ("v1", "v2")
    assert split_range("v1..") == ("v1", "HEAD")
    assert split_range("v1") == ("v1", "HEAD")


REPR_MARKS = ("{'", "['", "None", "Decimal(")


def _pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _docx_text(path: Path) -> str:
    document = read_docx(str(path))
    return "\n".join([p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells])


def test_diff_rev_writes_the_revision_tables_into_the_project_it_runs_in(tmp_path):
    repo = tmp_path / "myproject-v1"
    project = write_project(repo)
    base = project / "policies" / "base.yaml"
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "v1")
    _git(repo, "tag", "v1")
    text = base.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"').replace(
        "特制定本制度。", "特制定本制度，并定期修订。")
    text += ('revisions:\n  - {version: "1.0", date: "2026-01-01", summary: 首次发布}\n'
             '  - {version: "1.1", date: "2026-03-01", summary: 修订第一条}\n')
    base.write_text(text, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "v2")
    done = subprocess.run([sys.executable, "-m", "policygen", "diff", "--rev", "v1..HEAD"], cwd=project,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (project / "output" / "revisions").iterdir())
    assert written == ["base.docx", "base.html", "base.pdf"]
    shown = {"cli": done.stdout + done.stderr, "pdf": _pdf_text(project / "output" / "revisions" / "base.pdf"),
             "docx": _docx_text(project / "output" / "revisions" / "base.docx"),
             "html": (project / "output" / "revisions" / "base.html").read_text(encoding="utf-8")}
    for where, text in shown.items():
        for mark in REPR_MARKS:
            assert mark not in text, (where, mark)
        assert "myproject" not in text and "policygen-rev" not in text, where  # no folder names
    flat = shown["pdf"].replace(" ", "").replace("\n", "")
    assert "版本1.0" in flat and "版本1.1" in flat
    assert "1.1版（2026年3月1日）修订第一条" in flat.replace(" ", "")
    # a build keeps them; --output writes elsewhere
    assert subprocess.run([sys.executable, "-m", "policygen", "build"], cwd=project, capture_output=True).returncode == 0
    assert (project / "output" / "revisions" / "base.pdf").is_file()
    elsewhere = tmp_path / "tables"
    done = subprocess.run([sys.executable, "-m", "policygen", "diff", "--rev", "v1..HEAD", "--output", str(elsewhere)],
                          cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (elsewhere / "revisions" / "base.pdf").is_file()
