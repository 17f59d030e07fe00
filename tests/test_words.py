"""Authors' words: decide, due and the rule tests take the labels written in the documents as well as ids; decide,
due, test and diff are functions of the public API."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import policygen
from test_messages import run

MATRIX = {"complaint.yaml": """\
    kind: approval-matrix
    id: complaint
    title: 客户投诉核决权限表
    inputs:
      - id: category
        label: 投诉类别
        type: enum
        values: [{id: quality, label: 质量问题}, {id: other, label: 非质量问题}]
      - {id: amount, label: 客户投诉金额, type: money, currency: CNY}
    rows:
      - {when: {category: [other]}, approvers: [sales-manager]}
      - {when: {category: [quality], amount: {ge: 0, le: 5000}}, approvers: [sales-manager]}
      - {when: {category: [quality], amount: {gt: 5000}}, approvers: [general-manager]}
    """}


@pytest.fixture()
def root(project):
    regulation = "base.yaml"
    from conftest import BASE_DOCUMENTS

    text = BASE_DOCUMENTS[regulation].replace("审批见[[matrix:approval]]", "审批见[[matrix:approval]]和[[matrix:complaint]]")
    return project({**MATRIX, regulation: text})


def test_decide_takes_labels_as_well_as_ids(root):
    by_id = policygen.decide(root, "complaint", {"category": "quality", "amount": "6000"})
    by_words = policygen.decide(root, "客户投诉核决权限表", {"投诉类别": "质量问题", "客户投诉金额": "6000"})
    assert by_id.approvers == by_words.approvers == ["general-manager"]
    assert by_words.decision.fired == [3]
    # full-width digits and spaces are the same words (NFKC)
    assert policygen.decide(root, "complaint", {" 投诉类别 ": "非质量问题", "客户投诉金额": "１２"}).approvers == ["sales-manager"]


def test_decide_says_which_words_it_knows(root):
    with pytest.raises(policygen.QueryError, match=r"quality \(质量问题\), other \(非质量问题\)"):
        policygen.decide(root, "complaint", {"投诉类别": "质量", "客户投诉金额": "1"})
    with pytest.raises(policygen.QueryError, match="given twice"):
        policygen.decide(root, "complaint", {"category": "quality", "投诉类别": "质量问题", "amount": "1"})
    with pytest.raises(policygen.QueryError, match=r"complaint \(客户投诉核决权限表\)"):
        policygen.decide(root, "投诉", {})


def test_a_label_two_things_carry_is_refused(project):
    twin = MATRIX["complaint.yaml"].replace("id: complaint\n", "id: complaint-2\n")
    root = project({**MATRIX, "twin.yaml": twin})
    with pytest.raises(policygen.QueryError, match="complaint, complaint-2"):
        policygen.decide(root, "客户投诉核决权限表", {"category": "other", "amount": "1"})


def test_due_takes_the_rule_name(root):
    by_name = policygen.due(root, "答复", "2026-09-30 17:00")
    assert by_name.rule.id == "reply" and by_name.due == policygen.due(root, "reply", "2026-09-30 17:00").due
    with pytest.raises(policygen.QueryError, match=r"reply \(答复\)"):
        policygen.due(root, "回复", "2026-09-30 17:00")


def test_rule_tests_take_labels(root):
    (root / "policies" / "cases.yaml").write_text(
        "kind: rule-tests\nid: cases\ncases:\n"
        "  - {matrix: complaint, inputs: {投诉类别: 质量问题, 客户投诉金额: 5000}, expect: {approvers: [sales-manager]}}\n"
        "  - {matrix: complaint, inputs: {category: quality, 客户投诉金额: 5000.01}, expect: {approvers: [general-manager]}}\n"
        "  - {matrix: complaint, inputs: {投诉类别: 非质量问题, amount: 1}, expect: {approvers: [general-manager]}}\n",
        encoding="utf-8")
    results = policygen.test(root)
    assert results.passed == 2 and results.total == 3
    [failure] = results.diagnostics.items
    assert failure.code == "PG-TEST-001" and failure.line == 6


def test_the_command_line_speaks_the_same_words(root):
    shown = run("decide", "客户投诉核决权限表", "投诉类别=质量问题", "客户投诉金额=3000", cwd=root)
    assert shown.returncode == 0 and "approvers: 销售部门经理 (sales-manager)" in shown.stdout
    wrong = run("decide", "complaint", "投诉类别=质量", "amount=1", cwd=root)
    assert wrong.returncode == 2 and "质量问题" in wrong.stderr


def test_diff_is_a_function_of_the_api(root, tmp_path_factory):
    new = tmp_path_factory.mktemp("new") / "project"
    shutil.copytree(root, new)
    text = (new / "policies" / "base.yaml").read_text(encoding="utf-8")
    (new / "policies" / "base.yaml").write_text(text.replace("为规范管理", "为规范公司管理"), encoding="utf-8")
    revision = policygen.diff(root, new, write=False)
    assert "第一条 purpose: wording" in revision.text() and "为规范公司管理" in revision.json()
    assert not (new / "output" / "revisions").exists()
    with pytest.raises(policygen.QueryError):
        policygen.diff(root)


def test_the_api_names_stay_functions():
    import importlib

    importlib.import_module("policygen.due")
    importlib.import_module("policygen.diff")
    assert callable(policygen.due) and callable(policygen.diff) and policygen.due.__module__ == "policygen.queries"
