"""Revisions know procedures: steps added, removed, reordered and reassigned show in `compare`, in the JSON (valid
against the published schema), in the text summary and in the 修订对照表 of the regulation that attaches the
procedure (read back from the PDF and the DOCX)."""

from __future__ import annotations

import json

import pdfplumber
import pytest
from jsonschema import Draft202012Validator

from conftest import REPO, write_project
from office import read_docx
from policygen import load_project
from policygen.diff import changes_json, changes_text, compare
from policygen.render.revisions import write_revisions

OLD = """\
    kind: procedure
    id: flow
    title: 申请流程
    steps:
      - {id: start, type: start}
      - {id: apply, name: 提交申请, owner: sales, form: request}
      - {id: check, name: 初审, owner: sales}
      - {id: approve, name: 审批, owner: sales-manager, deadline: {rule: reply}}
      - {id: archive, name: 归档, owner: sales}
      - {id: done, type: end}
    """
NEW = """\
    kind: procedure
    id: flow
    title: 申请流程
    steps:
      - {id: start, type: start}
      - {id: apply, name: 提交申请, owner: sales, form: request}
      - {id: approve, name: 审批, owner: general-manager, deadline: {rule: reply}}
      - {id: check, name: 初审, owner: sales}
      - {id: notify, name: 通知申请人, owner: sales}
      - {id: done, type: end}
    """
REGULATION = """\
    kind: regulation
    id: reg
    title: 流程制度
    version: "1.0"
    effective: "2026-01-01"
    chapters:
      - title: 总则
        articles:
          - {id: a, text: "申请依[[procedure:flow]]办理。"}
    attachments: [{procedure: flow}]
    """


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    old = write_project(tmp_path_factory.mktemp("old"), {"flow.yaml": OLD, "reg.yaml": REGULATION})
    new = write_project(tmp_path_factory.mktemp("new"), {"flow.yaml": NEW, "reg.yaml": REGULATION})
    return load_project(old).project, load_project(new).project


@pytest.fixture(scope="module")
def changes(pair):
    return compare(*pair, old_label="old", new_label="new")


def test_steps_added_removed_reordered_and_reassigned(changes):
    proc = changes.procedure("flow")
    assert proc.status == "changed" and proc.properties == []
    kinds = {s.id: (s.status, s.changed) for s in proc.steps}
    assert kinds["notify"] == ("added", [])
    assert kinds["archive"] == ("removed", [])
    assert "reassigned" in kinds["approve"][1]
    assert ("reordered" in kinds["approve"][1]) != ("reordered" in kinds["check"][1])  # one of the two moved
    assert "apply" not in kinds or kinds["apply"][1] == ["flow"]  # it now leads to another step
    assert proc.step("approve").old["owner_name"] == "销售部门经理" and proc.step("approve").new["owner_name"] == "总经理"
    assert changes.regulation("reg").procedures == ["flow"]  # the regulation attaches it


def test_json_and_text(changes):
    schema = json.loads((REPO / "schemas" / "revision-diff.schema.json").read_text(encoding="utf-8"))
    data = json.loads(json.dumps(changes_json(changes), ensure_ascii=False))
    assert [e.message for e in Draft202012Validator(schema).iter_errors(data)] == []
    assert data["procedures"][0]["id"] == "flow"
    assert data["regulations"][0]["related"]["procedures"] == ["flow"]
    text = changes_text(changes).splitlines()
    assert "procedure flow (申请流程): changed" in text
    assert any(line.startswith("  step 5 notify: added") for line in text)
    assert any(line.startswith("  step 5 archive: removed") for line in text)
    assert any("approve" in line and "reassigned" in line and "(销售部门经理 → 总经理)" in line for line in text)


def test_revision_table_lists_the_steps(pair, changes, tmp_path):
    written = {p.suffix: p for p in write_revisions(*pair, changes, tmp_path, formats=("pdf", "docx"))}
    with pdfplumber.open(written[".pdf"]) as pdf:
        text = "".join("".join((p.extract_text() or "").split()) for p in pdf.pages)
    for expected in ("第5步：归档（销售部）", "责任部门：销售部门经理", "责任部门：总经理"):
        assert expected in text, expected
    document = read_docx(written[".docx"])
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    items = {r[0]: (r[1], r[2]) for r in cells}
    assert items["流程《申请流程》步骤“通知申请人”"] == ("", "第5步：通知申请人（销售部）")
    assert items["流程《申请流程》步骤“归档”"] == ("第5步：归档（销售部）", "")
    before, after = items["流程《申请流程》步骤“初审”"]  # reordered: its place, and where it leads
    assert before.splitlines() == ["第3步", "下一步：approve"] and after.splitlines() == ["第4步", "下一步：notify"]
    reassigned = next(r for r in cells if r[0].startswith("流程《申请流程》步骤“审批”"))
    assert "责任部门：销售部门经理" in reassigned[1] and "责任部门：总经理" in reassigned[2]
