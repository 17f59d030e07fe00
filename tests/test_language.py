from __future__ import annotations

from decimal import Decimal

import pytest

from policygen import language as L
from policygen.model import Target


@pytest.mark.parametrize("n, numeral", [
    (1, "一"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"), (36, "三十六"),
    (99, "九十九"), (100, "一百"), (101, "一百零一"), (110, "一百一十"), (111, "一百一十一"), (120, "一百二十"),
    (1000, "一千"), (1001, "一千零一"), (1010, "一千零一十"), (1100, "一千一百"), (2024, "二千零二十四"),
])
def test_chinese_numerals(n, numeral):
    assert L.chinese_numeral(n) == numeral


def test_labels_in_three_languages():
    assert [L.article_label(n, "zh-Hans") for n in (10, 11, 20, 101, 110)] == ["第十条", "第十一条", "第二十条", "第一百零一条", "第一百一十条"]
    assert L.article_label(27, "zh-Hant") == "第二十七條"
    assert L.section_label(2, "zh-Hant") == "第二節" and L.section_label(2, "zh-Hans") == "第二节"
    assert L.chapter_label(3, "zh-Hant") == "第三章" and L.chapter_label(3, "en") == "Chapter 3"
    assert L.article_label(7, "en") == "Article 7"
    assert [L.item_label(n, "zh-Hans") for n in (1, 2, 10)] == ["（一）", "（二）", "（十）"]
    assert [L.item_label(n, "en") for n in (1, 2, 27)] == ["(a)", "(b)", "(aa)"]
    assert [L.subitem_label(n, "zh-Hans") for n in (1, 2)] == ["1.", "2."]
    assert [L.subitem_label(n, "en") for n in (1, 4, 9)] == ["(i)", "(iv)", "(ix)"]


@pytest.mark.parametrize("target, language, text", [
    (Target(value=3, unit="working-days"), "zh-Hans", "3个工作日"),
    (Target(value=8, unit="hours"), "zh-Hans", "8小时"),
    (Target(value=3, unit="rings"), "zh-Hant", "3聲"),
    (Target(value=1, unit="working-days"), "en", "1 working day"),
    (Target(value=6, unit="calendar-days"), "en", "6 calendar days"),
    (Target(unit="immediate"), "zh-Hant", "實時"),
    (Target(anchor="monthly", day=10), "zh-Hans", "每月10日前"),
    (Target(anchor="weekly", weekday="friday", time="16:00"), "zh-Hans", "每周五16:00前"),
    (Target(anchor="weekly", weekday="friday", time="16:00"), "en", "by Friday 16:00 each week"),
    (Target(comparator=">=", value=90, unit="percent"), "zh-Hans", "不低于90%"),
    (Target(comparator="<=", value=Decimal("2.0"), unit="percent"), "en", "at most 2%"),
])
def test_rule_values_print_with_their_unit(target, language, text):
    assert L.format_target(target, language) == text


def test_dates():
    assert L.format_date("2010-01-01", "zh-Hans") == "2010年1月1日"
    assert L.format_date("2026-10-08", "en") == "8 October 2026"


# Tables keyed by language that are not wording: the fonts a DOCX names per language, and the language tags.
NOT_WORDING = {("presets.py", "DOCX_FONTS"), ("docx.py", "LANGUAGE_TAGS")}


def test_every_printed_phrase_per_language_lives_in_language_py():
    """A table of words per language outside language.py is a second home of the wording: it drifts (the
    revisions table, the DMN output label and the BPMN overdue event each had their own)."""
    import ast
    from pathlib import Path

    import policygen

    package = Path(policygen.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "language.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.Assign, ast.AnnAssign)) or not isinstance(node.value, ast.Dict):
                continue
            keys = {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
            if len(keys & {"zh-Hans", "zh-Hant", "zh", "en"}) >= 2:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {t.id for t in targets if isinstance(t, ast.Name)}
                if not any((path.name, name) in NOT_WORDING for name in names):
                    found.append(f"{path.relative_to(package)}:{node.lineno} {', '.join(sorted(names))}")
    assert found == []
