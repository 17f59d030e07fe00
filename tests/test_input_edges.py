"""Input at its edges: dates that do not exist, numbers too large or too long, control characters, money written
loosely, rules asked about days before they exist, calendar years no library knows. Each gets a located
diagnostic or a clear message and an exit code 1 or 2, never exit 3 (a bug)."""

from __future__ import annotations

import contextlib
import io
import sys
import textwrap
from datetime import date
from decimal import Decimal

import pytest

from conftest import BASE_DOCUMENTS, write_project
from policygen import load_project
from policygen.formats import DateError, parse_date, parse_datetime
from policygen.matrices import InputError, parse_amount


def invoke(*args: str) -> tuple[int, str, str]:
    """Run the command line in this process: (exit code, stdout, stderr)."""
    from policygen.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["policygen", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


def extend(name: str, lines: str) -> dict[str, str]:
    return {name: BASE_DOCUMENTS[name].rstrip(" ") + textwrap.indent(lines, " " * 8)}


def replace(name: str, old: str, new: str) -> dict[str, str]:
    assert old in BASE_DOCUMENTS[name]
    return {name: BASE_DOCUMENTS[name].replace(old, new)}


# --- dates and times ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2026-9-30", "tomorrow", "2026-02-29", "0000-01-01",
                                  "２０２６-01-01", "2026-01-01T00:00"])
def test_dates_are_iso_and_exist(text):
    with pytest.raises(DateError):
        parse_date(text)


def test_dates_and_times_that_exist_are_read():
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_datetime("2026-09-30 17:00").hour == 17
    for bad in ("2026-09-30 24:00", "2026-09-30 17:00:00", "2026-09-30", "2026-02-30 10:00", "2026-09-30 7:00"):
        with pytest.raises(DateError):
            parse_datetime(bad)


def test_a_calendar_override_on_a_day_that_does_not_exist_is_located(tmp_path):
    org = extend("organization.yaml", 'calendar: {overrides: [{date: "2026-04-31", workday: false}]}\n')
    result = load_project(write_project(tmp_path, org))
    [error] = result.diagnostics.errors
    assert (error.code, error.file, error.line) == ("PG-SCHEMA-006", "policies/organization.yaml", 10)
    assert "2026-04 has 30 days" in error.message


# --- business hours -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("hours, path", [
    ('{start: "18:00", end: "09:00"}', "/business_hours/end"),
    ('{start: "09:00", end: "18:00", lunch: {start: "19:00", end: "20:00"}}', "/business_hours/lunch"),
])
def test_business_hours_must_be_a_period(tmp_path, hours, path):
    org = extend("organization.yaml", f"business_hours: {hours}\n")
    [error] = load_project(write_project(tmp_path, org)).diagnostics.errors
    assert (error.code, error.path, error.line) == ("PG-RULES-004", path, 10)


# --- numbers and money --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, amount", [("1,500", "1500.00"), ("1,500.5", "1500.50"), ("3000", "3000.00"),
                                          (" 12 ", "12.00"), ("-0", "0.00"),
                                          ("１，０００．５", "1000.50")])  # full-width, as an input method types it
def test_amounts_are_read_strictly(text, amount):
    assert parse_amount("amount", text) == Decimal(amount)


@pytest.mark.parametrize("text", ["1,5", "1,50,000", "1e26", "NaN", "inf", "1.001", "1" * 16, "", "1 000", "0x10",
                                  "１，５", "١٠٠٠"])
def test_what_is_not_an_amount_is_refused(text):
    with pytest.raises(InputError):
        parse_amount("amount", text)


@pytest.mark.parametrize("value", ["1e26", "1,5", "NaN", "9" * 5000])
def test_decide_refuses_with_a_usage_error(project, value):
    code, out, err = invoke("-C", str(project()), "decide", "approval", f"amount={value}")
    assert code == 2 and "is not an amount" in err or "too large" in err, err
    assert "Traceback" not in err and "internal error" not in err


def test_nan_and_infinity_bounds_are_explained(tmp_path):
    docs = replace("approval.yaml", "{gt: 1000}", "{gt: 1000, lt: .inf}")
    [error] = load_project(write_project(tmp_path, docs)).diagnostics.errors
    assert error.code == "PG-SCHEMA-004" and error.path == "/rows/1/when/amount/lt"
    assert "leave that bound out" in error.hint and '"any"' not in error.hint


def test_a_bound_off_the_cent_grid_names_the_nearest_amounts(tmp_path):
    docs = replace("approval.yaml", "le: 1000}", "le: 1000.002}")
    docs = {"approval.yaml": docs["approval.yaml"].replace("{gt: 1000}", "{gt: 1000.002}")}
    errors = load_project(write_project(tmp_path, docs)).diagnostics.errors
    assert [e.code for e in errors] == ["PG-REF-010", "PG-REF-010"]
    assert "1000.00 and 1000.01" in errors[0].hint


def test_a_due_time_after_the_year_9999_is_an_error(project):
    root = project(replace("rules.yaml", "value: 3, unit: working-days", "value: 100000000, unit: calendar-days"))
    code, out, err = invoke("-C", str(root), "due", "reply", "--from", "2026-01-05 10:00")
    assert code == 1 and "after 9999-12-31" in err


# --- text -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("char, shown", [("\x0b", "\\x0b"), ("\x0c", "\\x0c"), ("\x1b", "\\x1b"), ("\u2028", "U+2028")])
def test_control_characters_are_located_and_shown_escaped(project, char, shown):
    text = f"kind: form\nid: x\n\ntitle: 表{char}单\nnumber: T-1\n"
    code, out, err = invoke("-C", str(project({"x.yaml": text})), "validate")
    assert code == 1
    assert f"policies/x.yaml:4:9: error PG-LOAD-010: the character {shown}" in err
    assert char not in out + err


def test_quoted_escape_sequences_never_reach_the_terminal(project):
    text = 'kind: form\nid: x\ntitle: 表\nnumber: T-1\nversion: "1"\nsections: [{fields: [{type: "\\e[31mred"}]}]\n'
    code, out, err = invoke("-C", str(project({"x.yaml": text})), "validate")
    assert code == 1 and "\x1b" not in out + err and "[31mred" in err


# --- values by date -----------------------------------------------------------------------------------------

DATED = """\
    kind: rules
    id: base-rules
    title: 测试时限
    service_levels:
      - id: reply
        name: 答复
        target:
          - {value: 3, unit: working-days, from: "2025-01-01"}
          - {value: 2, unit: working-days, from: "2026-01-01"}
        stated_in: base/scope
    """


def test_before_the_first_value_nothing_is_in_force(project):
    root = project({"rules.yaml": DATED})
    rule = load_project(root).project.rules["reply"]
    assert rule.target_on("2025-06-01").value == 3 and rule.target_on(date(2026, 1, 1)).value == 2
    with pytest.raises(ValueError, match="first value takes effect on 2025-01-01"):
        rule.target_on("2024-12-31")
    for bad in ("2026-9-30", "tomorrow"):
        with pytest.raises(DateError):
            rule.target_on(bad)
    code, out, err = invoke("-C", str(root), "due", "reply", "--from", "2024-12-31 10:00")
    assert code == 1 and "first value takes effect on 2025-01-01" in err
    code, out, err = invoke("-C", str(root), "due", "reply", "--from", "2026-9-30 10:00")
    assert code == 2 and "YYYY-MM-DD HH:MM" in err


def test_rule_test_cases_before_the_first_value_cannot_run(project):
    cases = """\
        kind: rule-tests
        id: cases
        cases:
          - {rule: reply, on: "2024-12-31", expect: {value: 3}}
          - {rule: reply, start: "2024-12-31 10:00", expect: {due: "2025-01-03 18:00"}}
        """
    code, out, err = invoke("-C", str(project({"rules.yaml": DATED, "cases.yaml": cases})), "test")
    assert code == 1 and err.count("error PG-TEST-002") == 2 and "takes effect on 2025-01-01" in err


# --- fonts ------------------------------------------------------------------------------------------------------

def test_a_font_entry_that_is_not_a_font_is_located(project):
    root = project(project_file="project: 测试\nfonts:\n  - {file: fonts/notes.ttf}\n")
    (root / "fonts").mkdir()
    (root / "fonts" / "notes.ttf").write_text("这不是字体", encoding="utf-8")
    code, out, err = invoke("-C", str(root), "validate")
    assert code == 1 and "policygen.yaml:3:12: error PG-PROJECT-003: the file 'fonts/notes.ttf' is not a font" in err


# --- one mistake, one message ---------------------------------------------------------------------------------

def test_a_misspelt_key_gives_one_message_about_its_line(project):
    docs = replace("base.yaml", "  - title: 程序\n            articles:", "  - title: 程序\n            artciles:")
    errors = load_project(project(docs)).diagnostics.items
    assert [(d.code, d.line) for d in errors] == [("PG-SCHEMA-003", 15)]
    assert "did you mean 'articles'?" in errors[0].hint


def test_every_unknown_key_of_a_mapping_is_reported(project):
    docs = replace("base.yaml", "issued_by: general-office", "issued_by: general-office\n        titel: x\n        verison: 2")
    errors = load_project(project(docs)).diagnostics.items
    assert [(d.code, d.line) for d in errors] == [("PG-SCHEMA-003", 7), ("PG-SCHEMA-003", 8)]
    assert "did you mean 'title'?" in errors[0].hint and "did you mean 'version'" in errors[1].hint


def test_a_file_that_is_not_yaml_keeps_its_id(project):
    docs = replace("base.yaml", "              - id: procedure", "             - id: procedure")
    errors = load_project(project(docs)).diagnostics.items
    assert [d.code for d in errors] == ["PG-LOAD-004"]


def test_a_broken_rules_document_keeps_its_rule_ids(project):
    docs = replace("rules.yaml", "name: 答复", "name: 答复\n            nmae: x")
    errors = load_project(project(docs)).diagnostics.items
    assert [d.code for d in errors] == ["PG-SCHEMA-003"]


# --- calendar years -------------------------------------------------------------------------------------------

def test_calendar_lists_known_years_sources_and_days(project):
    org = extend("organization.yaml", (
        'calendar:\n  covers: [2027]\n'
        '  overrides: [{date: "2027-01-01", workday: false, name: 元旦}, {date: "2026-12-31", workday: false}]\n'))
    root = project(org)
    code, out, err = invoke("-C", str(root), "calendar")
    assert code == 0, err
    assert "2026  chinesecalendar" in out and "+ calendar.overrides" in out and "2027  calendar.overrides" in out
    code, out, err = invoke("-C", str(root), "calendar", "2026")
    assert code == 0 and "2026-10-01" in out and "国庆节" in out and "调休上班" in out and "2026-12-31" in out
    code, out, err = invoke("-C", str(root), "calendar", "2031")
    assert code == 1 and "covers: [2027, 2031]" in err


def test_names_with_escape_sequences_are_printed_escaped(project):
    root = project(replace("organization.yaml", "{id: sales-manager, name: 销售部门经理,", '{id: sales-manager, name: "\\e[31m经理",'))
    code, out, err = invoke("-C", str(root), "decide", "approval", "amount=10")
    assert code == 0 and "\x1b" not in out and "\\x1b[31m经理" in out


def test_a_rule_test_in_an_unknown_year_says_how_to_add_it(project):
    cases = """\
        kind: rule-tests
        id: cases
        cases:
          - {rule: reply, start: "2027-03-01 10:00", expect: {due: "2027-03-04 18:00"}}
        """
    code, out, err = invoke("-C", str(project({"cases.yaml": cases})), "test")
    assert code == 1 and "PG-TEST-002" in err and "covers: [2027]" in err


@pytest.mark.parametrize("target", ['{anchor: monthly, day: 31}', '{anchor: weekly, weekday: monday}',
                                    '{value: 2, unit: calendar-days}', '{value: 5, unit: hours}'])
def test_a_due_time_past_the_last_day_of_the_calendar_is_an_error(project, target):
    root = project(replace("rules.yaml", "{value: 3, unit: working-days}", target))
    code, out, err = invoke("-C", str(root), "due", "reply", "--from", "9999-12-31 23:59")
    assert code == 1 and "after 9999-12-31" in err, err
