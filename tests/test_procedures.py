"""Procedures: the model (lanes, computed next steps) and the checks with located diagnostics."""

from __future__ import annotations

from policygen import load_project

PROCEDURE = """\
    kind: procedure
    id: flow
    title: 申请流程
    steps:
      - {id: start, type: start}
      - {id: apply, name: "提交[[form:request]]", owner: sales, form: request, deadline: {rule: reply}}
      - id: check
        type: decision
        name: 金额是否超过1000元？
        owner: sales-manager
        branches:
          - {when: 是, next: approve}
          - {otherwise: 否, next: done}
      - {id: approve, name: 总经理审批, owner: general-manager, deadline: {value: 2, unit: working-days}, next: check}
      - {id: done, type: end}
    """


def test_a_procedure_is_modelled_with_lanes_and_computed_next_steps(project):
    result = load_project(project({"flow.yaml": PROCEDURE}))
    assert result.ok, [d.message for d in result.diagnostics.errors]
    proc = result.project.procedures["flow"]
    assert proc.lanes == ["sales", "sales-manager", "general-manager"]
    steps = {s.id: s for s in proc.steps}
    assert steps["start"].next == "apply" and steps["start"].lane == "sales"  # an event takes its neighbour's lane
    assert steps["apply"].next == "check"
    assert steps["approve"].next == "check"  # back to an earlier step: a loop
    assert steps["done"].lane == "sales-manager" and steps["done"].next is None
    assert steps["check"].successors() == ["approve", "done"]


def test_unknown_owners_forms_and_rules_are_located(project):
    broken = PROCEDURE.replace("owner: sales,", "owner: salse,").replace("form: request,", "form: requst,") \
                      .replace("{rule: reply}", "{rule: replay}")
    result = load_project(project({"flow.yaml": broken}))
    found = sorted((d.code, d.line, d.hint) for d in result.diagnostics.errors)
    assert found == [("PG-REF-004", 6, "did you mean 'sales'?"), ("PG-REF-007", 6, "did you mean 'reply'?"),
                     ("PG-REF-007", 6, "did you mean 'request'?")]


def test_a_decision_needs_an_otherwise_branch_and_every_step_a_way_to_an_end(project):
    broken = PROCEDURE.replace("{otherwise: 否, next: done}", "{when: 否, next: apply}")
    diagnostics = load_project(project({"flow.yaml": broken})).diagnostics.errors
    by_code = {}
    for d in diagnostics:
        by_code.setdefault(d.code, []).append(d)
    assert set(by_code) == {"PG-PROC-002", "PG-PROC-003", "PG-PROC-004"}, [d.message for d in diagnostics]
    assert [d.line for d in by_code["PG-PROC-002"]] == [15]  # the end event, now reached by nothing
    assert sorted(d.line for d in by_code["PG-PROC-003"]) == [5, 6, 7, 14]  # every step loops for ever
    assert "check" in by_code["PG-PROC-004"][0].message


def test_a_procedure_referenced_by_a_regulation_is_used(project):
    reg = """\
        kind: regulation
        id: reg
        title: 流程制度
        version: "1.0"
        effective: "2026-01-01"
        chapters:
          - title: 总则
            articles:
              - {id: a, text: "申请依[[procedure:flow]]办理。"}
              - {id: b, text: "见[[procedure:flwo]]。"}
        attachments: [{procedure: flow}, {procedure: nothing}]
        """
    result = load_project(project({"flow.yaml": PROCEDURE, "reg.yaml": reg}))
    errors = sorted((d.code, d.line) for d in result.diagnostics.errors)
    assert errors == [("PG-REF-005", 10), ("PG-REF-007", 11)]
    assert not [d for d in result.diagnostics.items if d.code == "PG-REF-101" and "flow" in d.message]
