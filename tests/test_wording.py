"""The printed wording: phrases as a drafter writes them, and every printed text of the corpus checked against the
rules of Chinese typesetting that language.py follows (W3C clreq: no space between Han characters and figures)."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import REPO
from office import read_docx
from policygen import build_project
from policygen.language import describe_interval, format_target
from policygen.model import MatrixInput

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
SPACED = re.compile(f"[{HAN}][ \u00a0\u2002-\u200a]+[0-9]|[0-9][ \u00a0\u2002-\u200a]+[{HAN}]")
UNITS = ("个工作日", "個工作日", "个工作小时", "個工作小時", "日", "声", "聲", "小时", "小時", "分钟", "分鐘", "秒", "%", "元")


class Target:
    def __init__(self, **kw):
        self.comparator = self.anchor = self.time = self.day = self.weekday = self.unit = self.value = None
        self.__dict__.update(kw)


@pytest.mark.parametrize("target, language, printed", [
    (Target(value=3, unit="working-days"), "zh-Hans", "3个工作日"),
    (Target(value=6, unit="calendar-days"), "zh-Hans", "6日"),
    (Target(value=3, unit="rings"), "zh-Hant", "3聲"),
    (Target(comparator=">=", value=95, unit="percent"), "zh-Hans", "不低于95%"),
    (Target(comparator="<=", value=2, unit="percent"), "zh-Hant", "不高於2%"),
    (Target(anchor="monthly", day=10), "zh-Hans", "每月10日前"),
    (Target(anchor="weekly", weekday="friday", time="16:00"), "zh-Hans", "每周五16:00前"),
    (Target(value=3, unit="working-days"), "en", "3 working days"),
    (Target(comparator=">=", value=95, unit="percent"), "en", "at least 95%"),
])
def test_rule_values_as_a_drafter_writes_them(target, language, printed):
    assert format_target(target, language) == printed


AMOUNT = MatrixInput(id="amount", label="金额", type="money", currency="CNY")


@pytest.mark.parametrize("cond, printed", [
    ({"ge": 0, "le": 1000}, "1,000元以下（含）"),
    ({"gt": 1000, "le": 5000}, "超过1,000元至5,000元（含）"),
    ({"gt": 5000}, "超过5,000元"),
    ({"ge": 5000}, "5,000元（含）以上"),
    ({"ge": 1000, "lt": Decimal("5000.5")}, "1,000元（含）至5,000.5元（不含）"),
    ({"lt": 1000}, "低于1,000元"),
])
def test_bounds_say_whether_they_include_their_number(cond, printed):
    assert describe_interval(cond, AMOUNT, "zh-Hans") == printed


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("wording")
    shutil.copytree(REPO / "policies", root / "policies")
    (root / "policygen.yaml").write_text("project: 测试\noutputs: [pdf, docx]\n", encoding="utf-8")
    result = build_project(root, jobs=2)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    return root / "output"


def _pdf_lines(path):
    """Text lines of a PDF, with the spaces the PDF draws, in reading order."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rows: list[list[dict]] = []
            for ch in sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"])):
                if rows and abs(ch["top"] - rows[-1][0]["top"]) < 0.3 * ch["size"]:
                    rows[-1].append(ch)
                else:
                    rows.append([ch])
            out += ["".join(c["text"] for c in sorted(r, key=lambda c: c["x0"])) for r in rows]
    return out


def _docx_texts(path):
    document = read_docx(path)
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    for section in document.sections:
        texts += [p.text for p in section.footer.paragraphs + section.header.paragraphs]
    return texts


def _printed(output):
    for path in sorted(output.rglob("*.pdf")):
        yield path, _pdf_lines(path)
    for path in sorted(output.rglob("*.docx")):
        yield path, _docx_texts(path)


def test_no_space_between_han_and_figures(corpus):
    bad = [(p.name, line) for p, lines in _printed(corpus) for line in lines if SPACED.search(line)]
    assert not bad, bad[:10]


def test_bounds_and_targets_are_unambiguous(corpus):
    bad = []
    for path, lines in _printed(corpus):
        for line in lines:
            if re.search(r"[0-9]元以[上下](?![（(])", line):  # 以上/以下 include the number: say so
                bad.append((path.name, line))
            if re.search("应达到不低于|應達到不低於|前[^，。；、]{0,6}之前", line):
                bad.append((path.name, line))
    assert not bad, bad[:10]


def test_a_value_and_its_unit_stay_on_one_line(corpus):
    bad = []
    for path in sorted(corpus.rglob("*.pdf")):
        lines = _pdf_lines(path)
        for line, following in zip(lines, lines[1:]):
            if re.search("[0-9]$", line) and following.startswith(UNITS):
                bad.append((path.name, line[-10:], following[:6]))
    assert not bad, bad[:10]


def test_matrix_title_printed_and_forms_carry_no_internal_ids_or_fake_dates(corpus):
    text = "".join(_pdf_lines(corpus / "regulations" / "customer-service.pdf"))
    body = text[: text.index("第二十八条")]
    assert "客户投诉金额核决权限表" in body  # the matrix printed in 第二十七条 has its title
    for path in sorted((corpus / "forms").glob("*.pdf")):
        assert path.stem.split(".")[0] not in "".join(_pdf_lines(path)), path.name  # no "product-return" footer
        info = PdfReader(path).metadata
        assert "2000" not in str(info.get("/CreationDate", "")), path.name
    props = read_docx(corpus / "forms" / "product-return.docx").core_properties
    assert props.created.year == 2010  # the effective date of the regulation that states the form
