"""Approval matrices and rule exports: DMN hit policies, the domain proof, YAML cases, the export contract."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO, write_project
from policygen import build_project, load_project
from policygen.rules import ExportError, load
from policygen.schemas import export_validator

MATRIX = """\
kind: approval-matrix
id: fixture
title: 审批表
hit_policy: {policy}
{extra}
inputs:
  - {{id: amount, label: 金额, type: money, currency: CNY}}
  - {{id: category, label: 类别, type: enum, values: [{{id: quality, label: 质量}}, {{id: other, label: 非质量}}]}}
  - {{id: urgent, label: 紧急, type: boolean}}
rows:
{rows}
"""


def matrix_project(tmp_path, policy: str, rows: list[str], extra: str = ""):
    text = MATRIX.format(policy=policy, extra=extra, rows="\n".join("  - " + r for r in rows))
    root = write_project(tmp_path, {"fixture.yaml": text})
    return load_project(root)


def codes(result) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in result.diagnostics.items if d.code.startswith("PG-RULES")]


def test_the_seed_wording_overlaps_at_both_boundaries(tmp_path):
    result = matrix_project(tmp_path, "unique", [
        "{when: {amount: {ge: 0, le: 1000}}, approvers: [sales-manager]}",
        "{when: {amount: {ge: 1000, le: 5000}}, approvers: [sales-manager]}",
        "{when: {amount: {ge: 5000}}, approvers: [general-manager]}"])
    assert codes(result) == [("PG-RULES-002", "fixture: amount = 1000.00 CNY, category = quality, urgent = false matches rows 1 and 2"),
                             ("PG-RULES-002", "fixture: amount = 5000.00 CNY, category = quality, urgent = false matches rows 2 and 3")]
    assert [d.line for d in result.diagnostics.items if d.code == "PG-RULES-002"] == [12, 13]  # at the later row


def test_a_gap_is_reported_with_a_concrete_counterexample(tmp_path):
    result = matrix_project(tmp_path, "unique", [
        "{when: {amount: {le: 1000}, category: [quality]}, approvers: [sales-manager]}",
        "{when: {amount: {gt: 1000}}, approvers: [general-manager]}"])
    assert codes(result) == [("PG-RULES-001", "fixture: amount = 0.00 CNY, category = other, urgent = false matches no row")]


def test_gap_between_two_decimals_is_none_on_the_cent_grid(tmp_path):
    result = matrix_project(tmp_path, "unique", [
        "{when: {amount: {le: 1000}}, approvers: [sales-manager]}",
        "{when: {amount: {ge: 1000.01}}, approvers: [general-manager]}"])
    assert codes(result) == []


def test_first_policy_warns_about_rows_that_never_decide(tmp_path):
    result = matrix_project(tmp_path, "first", [
        "{when: {amount: {le: 5000}}, approvers: [sales-manager]}",
        "{when: {amount: {le: 1000}, urgent: true}, approvers: [general-manager]}",
        "{when: {amount: any}, approvers: [general-manager]}"])
    assert codes(result) == [("PG-RULES-101", "fixture: row 2 can never decide: rows before it take every input it matches")]
    assert not result.diagnostics.errors


@pytest.mark.parametrize("policy, extra, amount, urgent, expected", [
    ("first", "", "500", "true", ["sales-manager"]),
    ("priority", "priority: [general-manager, sales-manager]", "500", "true", ["general-manager", "sales-manager"]),
    ("priority", "priority: [general-manager, sales-manager]", "500", "false", ["sales-manager"]),
    ("collect", "", "500", "true", [["sales-manager"], ["general-manager", "sales-manager"]]),
    ("collect", "", "9000", "false", [["general-manager", "sales-manager"]]),
])
def test_hit_policies(tmp_path, policy, extra, amount, urgent, expected):
    from policygen.matrices import decide, parse_inputs

    result = matrix_project(tmp_path, policy, [
        "{when: {amount: {le: 1000}}, approvers: [sales-manager]}",
        "{when: {urgent: true}, approvers: [general-manager, sales-manager]}",
        "{when: {amount: {gt: 1000}}, approvers: [general-manager, sales-manager]}"], extra)
    matrix = result.project.matrices["fixture"]
    decision = decide(matrix, parse_inputs(matrix, {"amount": amount, "category": "other", "urgent": urgent}))
    assert decision.approvers == expected


@pytest.fixture(scope="module")
def corpus_exports(corpus_output) -> Path:
    return corpus_output / "rules"


@pytest.mark.parametrize("name", ["complaint-approval.json", "customer-service-rules.json"])
def test_export_matches_the_golden_file(corpus_exports, name):
    actual = json.loads((corpus_exports / name).read_text(encoding="utf-8"))
    golden = json.loads((REPO / "tests" / "golden" / name).read_text(encoding="utf-8"))
    actual.pop("working_calendar", None)  # follows the installed holiday library: checked on its own below
    assert actual == golden


def test_a_rules_export_carries_the_working_calendar_it_was_made_with(corpus_exports):
    from policygen.due import LIBRARY_VERSION

    calendar = json.loads((corpus_exports / "steel-cs-rules.json").read_text(encoding="utf-8"))["working_calendar"]
    assert calendar["library"] == {"name": "chinesecalendar", "version": LIBRARY_VERSION}
    years = {y["year"]: y for y in calendar["years"]}
    assert years[2026]["source"] == f"chinesecalendar {LIBRARY_VERSION}" and min(years) == 2004
    assert [d["date"] for d in years[2026]["days_off"] if d["name"] == "国庆节"] == [f"2026-10-0{i}" for i in range(1, 8)]
    assert {"date": "2026-10-10", "name": "调休上班（国庆节）"} in years[2026]["working_days"]
    assert "working_calendar" not in json.loads((corpus_exports / "complaint-approval.json").read_text(encoding="utf-8"))


def test_every_export_is_valid_against_the_published_schema(corpus_exports):
    files = sorted(corpus_exports.glob("*.json"))
    assert {f.stem for f in files} == {"complaint-approval", "customer-service-rules", "steel-cs-rules", "cs-service-targets",
                                           "cs-handbook-rules"}
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert list(export_validator().iter_errors(data)) == [], path
        assert data["format_version"] == "1.1" and data["$schema"].endswith("/export/1/rules-export.schema.json")


@pytest.mark.parametrize("amount, approver", [
    ("999.99", "sales-manager"), ("1000", "sales-manager"), ("1000.01", "deputy-general-manager"),
    ("4999.99", "deputy-general-manager"), ("5000", "deputy-general-manager"), ("5000.01", "general-manager")])
def test_reader_decides_from_the_export_alone(corpus_exports, tmp_path, amount, approver):
    alone = tmp_path / "elsewhere.json"  # no YAML anywhere near it
    shutil.copy(corpus_exports / "complaint-approval.json", alone)
    decision = load(alone).decide(amount=amount)
    assert decision.approvers == [approver]


def test_reader_gives_values_in_force_on_a_date(tmp_path):
    dated = """\
        kind: rules
        id: kpi
        title: 指标
        kpis:
          - id: satisfaction-rate
            metric: 满意率
            period: month
            target:
              - {comparator: ">=", value: 85, unit: percent, from: "2025-01-01"}
              - {comparator: ">=", value: 90.5, unit: percent, from: "2026-01-01"}
        """
    root = write_project(tmp_path, {"kpi.yaml": dated}, project_file="project: 测试\noutputs: [rules]\n")
    base = root / "policies" / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("期限见[[rule:reply]]", "期限见[[rule:reply]]、[[rule:satisfaction-rate]]"),
                    encoding="utf-8")
    assert build_project(root).ok
    export = json.loads((root / "output" / "rules" / "kpi.json").read_text(encoding="utf-8"))
    assert export["rules"][0]["values"] == [
        {"from": "2025-01-01", "target": {"unit": "percent", "value": "85", "comparator": ">="}},
        {"from": "2026-01-01", "target": {"unit": "percent", "value": "90.5", "comparator": ">="}}]
    rules = load(root / "output" / "rules" / "kpi.json")
    assert rules.value_on("satisfaction-rate", "2025-12-31") == Decimal("85")
    assert rules.value_on("satisfaction-rate", "2026-01-01") == Decimal("90.5")


def test_reader_refuses_other_formats(tmp_path, corpus_exports):
    data = json.loads((corpus_exports / "complaint-approval.json").read_text(encoding="utf-8"))
    (tmp_path / "v2.json").write_text(json.dumps(data | {"format_version": "2.0"}), encoding="utf-8")
    with pytest.raises(ExportError, match="format 2.0"):
        load(tmp_path / "v2.json")
    (tmp_path / "broken.json").write_text(json.dumps(data | {"rows": [{"number": 0}]}), encoding="utf-8")
    with pytest.raises(ExportError, match="schema"):
        load(tmp_path / "broken.json")


def policygen(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "policygen", *args], cwd=cwd, capture_output=True, text=True)


def test_cli_decide_explains_the_row_that_fired():
    result = policygen("decide", "complaint-approval", "amount=3000")
    assert result.returncode == 0, result.stderr
    assert "row 2 fires (policies/complaint-approval.yaml:21): amount = 3000.00 CNY is 超过1,000元至5,000元（含）" in result.stdout
    assert "approvers: 副总经理 (deputy-general-manager)" in result.stdout
    data = json.loads(policygen("decide", "complaint-approval", "amount=5000.01", "--format", "json").stdout)
    assert data == {"matrix": "complaint-approval", "hit_policy": "unique", "inputs": {"amount": "5000.01"},
                    "matched_rows": [3], "fired_rows": [3], "approvers": ["general-manager"]}
    bad = policygen("decide", "complaint-approval", "amount=1000.001")
    assert bad.returncode == 2 and "at most two decimals" in bad.stderr


def test_failing_cases_are_reported_at_their_line_with_the_actual_result(tmp_path):
    cases = """\
        kind: rule-tests
        id: cases
        cases:
          - {matrix: approval, inputs: {amount: 1000}, expect: {approvers: [sales-manager]}}
          - {matrix: approval, inputs: {amount: 1000.01}, expect: {approvers: [sales-manager]}}
        """
    root = write_project(tmp_path, {"cases.yaml": cases})
    result = policygen("test", cwd=root)
    assert result.returncode == 1
    assert ("policies/cases.yaml:5:59: error PG-TEST-001: decision case for approval: expected approvers "
            "['sales-manager'], got ['general-manager']") in result.stderr
    assert "1 of 2 cases passed" in result.stderr


def test_a_case_that_cannot_run_is_reported(tmp_path):
    cases = """\
        kind: rule-tests
        id: cases
        cases:
          - {matrix: approval, inputs: {amount: lots}, expect: {approvers: [sales-manager]}}
        """
    root = write_project(tmp_path, {"cases.yaml": cases})
    result = policygen("test", cwd=root)
    assert result.returncode == 1
    assert "policies/cases.yaml:4:32: error PG-TEST-002: decision case for approval: amount = 'lots' is not an amount" in result.stderr


def test_cli_due_explains_and_refuses_unknown_years():
    result = policygen("due", "steel-email-reply", "--from", "2026-09-30 17:00")
    assert result.returncode == 0, result.stderr
    assert "due 2026-10-08 17:30" in result.stdout and "2026-10-01 至 2026-10-07 国庆节休息，不计" in result.stdout
    data = json.loads(policygen("due", "steel-email-reply", "--from", "2026-10-09 10:00", "--format", "json").stdout)
    assert data["due"] == "2026-10-10 17:30"  # the 调休 Saturday is a working day
    unknown = policygen("due", "steel-email-reply", "--from", "2031-01-05 10:00")
    assert unknown.returncode == 1 and "PG-RULES-003" in unknown.stderr and "2031" in unknown.stderr


def test_corpus_cases_pass():
    result = policygen("test")
    assert result.returncode == 0, result.stderr
    assert "13 of 13 cases passed" in result.stdout
