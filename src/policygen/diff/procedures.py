"""Procedures compared step by step (by step id): steps added or removed, reordered (out of the longest run of
steps both versions keep in the same order), reassigned to another owner, renamed, given another form, deadline or
way on; and the procedure's title, the article that states it and its lane order."""

from __future__ import annotations

from ..model import Procedure, Project
from .changes import ProcedureChange, StepChange
from .regulations import _lcs
from .values import ordered_ids, value_changes

_ASPECTS = (("type", "type"), ("name", "renamed"), ("form", "form"), ("deadline", "deadline"), ("next", "flow"))


def _step_snapshots(project: Project, proc: Procedure) -> dict[str, dict]:
    from ..render.flowchart import deadline_text, owner_name, step_label

    out = {}
    for n, step in enumerate(proc.steps, start=1):
        out[step.id] = {"number": n, "type": step.type, "name": step_label(project, proc, step, proc.language),
                        "owner": step.owner, "owner_name": owner_name(project, step.owner, proc.language) if step.owner else None,
                        "form": step.form, "form_title": project.forms[step.form].title if step.form else None,
                        "deadline": deadline_text(project, step, proc.language) or None,
                        "next": step.successors()}
    return out


def _properties(proc: Procedure) -> dict:
    # the lane order as written (the lanes the owners make are compared with the steps: reassigned)
    return {"title": proc.title, "stated_in": proc.stated_in, "lanes": proc.where.source.data.get("lanes")}


def _compare_procedures(old: Project, new: Project) -> list[ProcedureChange]:
    out = []
    for proc_id in ordered_ids(old.procedures, new.procedures):
        o, n = old.procedures.get(proc_id), new.procedures.get(proc_id)
        if o is None or n is None:
            status = "added" if o is None else "removed"
            doc, project = (n, new) if o is None else (o, old)
            change = ProcedureChange(proc_id, status, o.title if o else None, n.title if n else None)
            for step_id, snap in _step_snapshots(project, doc).items():
                change.steps.append(StepChange(step_id, status, [], snap if o else None, snap if n else None))
            out.append(change)
            continue
        change = ProcedureChange(proc_id, "changed", o.title, n.title,
                                 properties=value_changes(_properties(o), _properties(n)))
        before, after = _step_snapshots(old, o), _step_snapshots(new, n)
        kept = [s.id for s in o.steps if s.id in after]
        in_order = _lcs(kept, [s.id for s in n.steps if s.id in before])
        for step_id in [s.id for s in o.steps] + [s.id for s in n.steps if s.id not in before]:
            b, a = before.get(step_id), after.get(step_id)
            if b is None or a is None:
                change.steps.append(StepChange(step_id, "added" if b is None else "removed", [], b, a))
                continue
            what = ["reordered"] if step_id not in in_order else []
            if b["owner"] != a["owner"]:
                what.append("reassigned")
            what += [kind for key, kind in _ASPECTS if b[key] != a[key]]
            if what:
                change.steps.append(StepChange(step_id, "changed", what, b, a))
        if change.properties or change.steps:
            out.append(change)
    return out
