"""Run the YAML test cases (`kind: rule-tests`): decisions, due times and values on a date.

A failing case is a PG-TEST-001 diagnostic at the case's line with the actual result; a case that cannot run
(bad input value, a date outside the calendar) is PG-TEST-002. Both print like every other diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .diagnostics import Diagnostic
from .formats import format_datetime, parse_datetime
from .matrices import InputError, decide, parse_inputs
from .model import Case, Project
from .words import matrix_inputs


@dataclass
class TestReport:
    passed: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def run_rule_tests(project: Project) -> TestReport:
    report = TestReport()
    for suite_id in sorted(project.tests):
        for case in project.tests[suite_id].cases:
            problem = _run(project, case)
            if problem is None:
                report.passed += 1
            else:
                report.diagnostics.append(problem)
    return report


def _label(case: Case) -> str:
    return f"case '{case.name}'" if case.name else f"{case.kind} case for {case.target}"


def _run(project: Project, case: Case) -> Diagnostic | None:
    if case.kind == "decision":
        matrix = project.matrices[case.target]
        try:
            values = parse_inputs(matrix, matrix_inputs(matrix, case.given))  # ids or the labels authors wrote
        except InputError as exc:
            return case.where.at("inputs").diagnostic("PG-TEST-002", f"{_label(case)}: {exc}")
        actual = decide(matrix, values).approvers
        if actual != case.expect:
            return case.where.at("expect").diagnostic(
                "PG-TEST-001", f"{_label(case)}: expected approvers {case.expect}, got {actual or 'no decision'}")
        return None
    rule = project.rules[case.target]
    if case.kind == "value":
        try:
            actual = rule.target_on(case.given).value
        except ValueError as exc:  # not a date, or before the first value takes effect
            return case.where.at("on").diagnostic("PG-TEST-002", f"{_label(case)}: {exc}")
        if actual is None or Decimal(str(actual)) != Decimal(str(case.expect)):
            return case.where.at("expect").diagnostic(
                "PG-TEST-001", f"{_label(case)}: expected the value {case.expect} on {case.given}, got {actual}")
        return None
    from .due import WorkCalendar, due_time

    try:
        start = parse_datetime(case.given)
        due = due_time(rule.target_on(start.date()), start, WorkCalendar.from_organization(project.organization))
    except ValueError as exc:  # CalendarError (with a hint showing how to add the year), DueError, NotInForce, DateError
        return case.where.at("start").diagnostic("PG-TEST-002", f"{_label(case)}: {exc}", hint=getattr(exc, "hint", None))
    actual = format_datetime(due.due) if due.due else None
    if actual != case.expect:
        return case.where.at("expect").diagnostic(
            "PG-TEST-001", f"{_label(case)}: expected due {case.expect}, got {actual} ({'; '.join(due.steps)})")
    return None
