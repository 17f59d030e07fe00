"""Decisions and due times as people and programs read them (the CLI prints these; nothing here prints)."""

from __future__ import annotations

import json
from datetime import datetime

from .formats import format_datetime
from .language import describe_condition
from .matrices import Decision, describe_inputs, format_value
from .model import Matrix, Project, Rule


def decision_text(project: Project, matrix: Matrix, decision: Decision) -> str:
    language = matrix.language
    roles = project.organization.roles
    lines = [f"{matrix.title} ({matrix.id}, hit policy {matrix.hit_policy.upper()}): {describe_inputs(matrix, decision.inputs)}"]
    if not decision.fired:
        reason = "no row matches" if not decision.matched else f"rows {decision.matched} all match"
        lines.append(f"  no decision: {reason}")
    for n in decision.fired:
        row = matrix.rows[n - 1]
        why = "; ".join(f"{inp.id} = {format_value(inp, decision.inputs[inp.id])} is "
                        f"{describe_condition(row.conditions.get(inp.id, 'any'), inp, language)}" for inp in matrix.inputs)
        chain = " → ".join(f"{roles[r].name_in(language)} ({r})" for r in row.approvers)
        lines.append(f"  row {n} fires ({row.where.source.name}:{row.where.source.position(row.where.path)[0]}): {why}")
        lines.append(f"  approvers: {chain}")
    if len(decision.matched) > len(decision.fired) and decision.fired:
        lines.append(f"  also matching: rows {[n for n in decision.matched if n not in decision.fired]}")
    return "\n".join(lines)


def decision_json(decision: Decision) -> str:
    return json.dumps({"matrix": decision.matrix, "hit_policy": decision.hit_policy,
                       "inputs": {k: (f"{v:.2f}" if not isinstance(v, (bool, str)) else v) for k, v in decision.inputs.items()},
                       "matched_rows": decision.matched, "fired_rows": decision.fired, "approvers": decision.approvers},
                      ensure_ascii=False, indent=2)


def due_text(project: Project, rule: Rule, start: datetime, due) -> str:
    when = format_datetime(due.due) if due.due else "—"
    lines = [f"{rule.name} ({rule.id}): from {format_datetime(start)}, due {when}"]
    lines += [f"  {step}" for step in due.steps]
    return "\n".join(lines)


def due_json(rule: Rule, start: datetime, due) -> str:
    return json.dumps({"rule": rule.id, "start": format_datetime(start),
                       "due": format_datetime(due.due) if due.due else None, "steps": due.steps,
                       "skipped": [{"date": d.isoformat(), "reason": r} for d, r in due.skipped]},
                      ensure_ascii=False, indent=2)


def calendar_years_text(calendar) -> str:
    """The known years of a working calendar (due.WorkCalendar), one a line, with where each comes from."""
    lines = ["year  source (holidays and make-up working days)"]
    lines += [f"{year}  {calendar.source(year)}" for year in calendar.known_years]
    lines.append("other years: unknown; `policygen calendar YEAR` shows one year's days")
    return "\n".join(lines)


def calendar_year_text(calendar, year: int) -> str:
    """The days of one known year that differ from the weekend rule, and the overrides, in date order."""
    from .due import _d

    lines = [f"{year}: {calendar.source(year)}; business hours {calendar.describe_hours()}; "
             "every other Monday to Friday is a working day, every other Saturday and Sunday a day off"]
    for day, workday, reason in calendar.schedule(year):
        lines.append(f"  {_d(day)}  {'上班' if workday else '休息'}  {reason}")
    return "\n".join(lines)


def calendar_json(calendar, years: list[int]) -> str:
    return json.dumps({"years": [{"year": y, "source": calendar.source(y),
                                  "days": [{"date": d.isoformat(), "workday": w, "reason": r}
                                           for d, w, r in calendar.schedule(y)]} for y in years]},
                      ensure_ascii=False, indent=2)
