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


CHART_REGULATION = """\
    kind: regulation
    id: reg
    title: 流程制度
    version: "1.0"
    effective: "2026-01-01"
    chapters:
      - title: 总则
        articles:
          - id: a
            paragraphs:
              - 申请依下列流程办理：
              - "[[procedure:flow]]"
    """


def test_a_regulation_that_prints_a_chart_is_rebuilt_when_the_procedure_or_what_it_names_changes(project, tmp_path,
                                                                                                    monkeypatch):
    from policygen import build_project
    from policygen.plan import dependencies

    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = project({"flow.yaml": PROCEDURE, "reg.yaml": CHART_REGULATION},
                   project_file="project: 测试项目\nlanguage: zh-Hans\noutputs: [html]\n")
    assert build_project(root).ok
    deps = dependencies(load_project(root).project)
    assert {"flow", "request", "base-rules"} <= deps["reg"]  # the chart prints the form's title and the rule's value
    page = root / "output" / "regulations" / "reg.html"
    assert "总经理审批" in page.read_text(encoding="utf-8")
    flow = root / "policies" / "flow.yaml"
    flow.write_text(flow.read_text(encoding="utf-8").replace("总经理审批", "总经理核准"), encoding="utf-8")
    request = root / "policies" / "request.yaml"
    request.write_text(request.read_text(encoding="utf-8").replace("title: 申请单", "title: 报销申请单"), encoding="utf-8")
    assert build_project(root).ok
    shown = page.read_text(encoding="utf-8")
    assert "总经理核准" in shown and "总经理审批" not in shown
    assert "《报销申请单》" in shown


def test_dependencies_cover_what_rendering_a_chart_reads(project, tmp_path, monkeypatch):
    """Rendering with tables that record every look-up: whatever the regulation's and the procedure's pages read
    is among the documents their keys cover."""
    import dataclasses
    import tempfile
    from pathlib import Path

    (tmp_path / "tmp").mkdir()  # WeasyPrint's font folders, which a build keeps in a folder of its own
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))

    from policygen.plan import dependencies
    from policygen.render import dispatch

    proj = load_project(project({"flow.yaml": PROCEDURE, "reg.yaml": CHART_REGULATION})).project
    owner = {r.id: rs.id for rs in proj.rulesets.values() for r in rs.rules}

    class Recording(dict):
        def __init__(self, table, seen):
            super().__init__(table)
            self.seen = seen

        def __getitem__(self, key):
            self.seen.add(owner.get(key, key))
            return super().__getitem__(key)

        def get(self, key, default=None):
            if key in self:
                self.seen.add(owner.get(key, key))
            return super().get(key, default)

    deps = dependencies(proj)
    with tempfile.TemporaryDirectory() as out:
        for doc_id in ("reg", "flow"):
            seen: set[str] = set()
            tables = {name: Recording(getattr(proj, name), seen)
                      for name in ("regulations", "forms", "rulesets", "matrices", "procedures")}

            class RecordingProject(type(proj)):
                rules = property(lambda self, seen=seen: Recording(proj.rules, seen))

            fields = {f.name: getattr(proj, f.name) for f in dataclasses.fields(proj)}
            dispatch.render_documents(RecordingProject(**(fields | tables)), Path(out), {doc_id})
            assert seen - {doc_id}, doc_id
            assert seen - {doc_id} <= deps[doc_id], (doc_id, seen - deps[doc_id])
