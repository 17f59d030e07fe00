"""Checks of a procedure's flow: every step named exists, every step is reached from a start event, an end event
is reachable from every step, and every decision has a branch for when no condition holds.

Run after the typed model is built (`validate.py` calls it); the names a procedure uses (owners, forms, rules) are
checked there, with the other cross-document references.
"""

from __future__ import annotations

from .diagnostics import Diagnostic
from .model import Procedure


def check_procedure(proc: Procedure) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    ids = {s.id for s in proc.steps}
    seen: dict[str, int] = {}
    for i, step in enumerate(proc.steps):
        if step.id in seen:
            line = proc.steps[seen[step.id]].where.source.position(proc.steps[seen[step.id]].where.path)[0]
            out.append(step.where.at("id").diagnostic("PG-REF-002", f"the step id '{step.id}' is already used at line {line}"))
        seen.setdefault(step.id, i)
    broken = False
    for step in proc.steps:
        if step.type == "decision":
            for branch in step.branches:
                if branch.next not in ids:
                    broken = True
                    out.append(branch.where.at("next").diagnostic(
                        "PG-PROC-001", f"the branch '{branch.label}' of '{step.id}' leads to '{branch.next}', which is not a step",
                        hint=_suggest(branch.next, ids)))
            if not any(b.otherwise for b in step.branches):
                out.append(step.where.at("branches").diagnostic(
                    "PG-PROC-004", f"the decision '{step.id}' has no branch for when none of its conditions holds"))
        elif step.next is not None and step.next not in ids:
            broken = True
            out.append(step.where.at("next").diagnostic(  # a computed `next` always exists: this one was written
                "PG-PROC-001", f"the step '{step.id}' leads to '{step.next}', which is not a step", hint=_suggest(step.next, ids)))
        elif step.type in ("task", "start") and step.next is None:
            broken = True
            out.append(step.where.at("id").diagnostic(
                "PG-PROC-001", f"the step '{step.id}' is the last one but not an end event: nothing follows it",
                hint="add an end event (type: end) after it, or name the step that follows with `next:`"))
    starts = [s for s in proc.steps if s.type == "start"]
    ends = [s for s in proc.steps if s.type == "end"]
    if not starts:
        out.append(proc.where.at("steps").diagnostic("PG-PROC-005", "the procedure has no start event",
                                                     hint="begin the steps with one of type: start"))
    if not ends:
        out.append(proc.where.at("steps").diagnostic("PG-PROC-005", "the procedure has no end event",
                                                     hint="end the steps with one of type: end"))
    if broken or not starts or not ends:
        return out
    successors = {s.id: s.successors() for s in proc.steps}
    reached = _closure([s.id for s in starts], successors)
    predecessors: dict[str, list[str]] = {s.id: [] for s in proc.steps}
    for source, targets in successors.items():
        for target in targets:
            predecessors[target].append(source)
    finishing = _closure([s.id for s in ends], predecessors)
    for step in proc.steps:
        if step.id not in reached:
            out.append(step.where.at("id").diagnostic(
                "PG-PROC-002", f"no path from a start event reaches the step '{step.id}'",
                hint="name it as the `next` of a step or a branch, or remove it"))
        elif step.id not in finishing:
            out.append(step.where.at("id").diagnostic(
                "PG-PROC-003", f"no path from the step '{step.id}' reaches an end event: the procedure never ends there",
                hint="give the loop a branch that leads on to an end event"))
    return out


def _closure(start: list[str], edges: dict[str, list[str]]) -> set[str]:
    done, todo = set(start), list(start)
    while todo:
        for nxt in edges.get(todo.pop(), []):
            if nxt not in done:
                done.add(nxt)
                todo.append(nxt)
    return done


def _suggest(wrong: str, known) -> str | None:
    import difflib

    close = difflib.get_close_matches(wrong, sorted(known), n=3, cutoff=0.6)
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else None
