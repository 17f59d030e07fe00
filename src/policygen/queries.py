"""The questions an author asks of a project: who approves (`decide`), when a deadline falls (`due`), do the rule
tests pass (`test`), what changed (`diff`). Public API (policygen/__init__.py); the CLI only parses and prints.

Each loads the project and answers only from documents that validate: a project with errors raises ProjectError
carrying its diagnostics. A question that does not fit the project (no such matrix, a value an input cannot take)
raises QueryError, whose message says what would. Matrices, rules, inputs and enum values may be named by id or by
the words the author wrote (see words.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import explain, matrices, words
from .diagnostics import Diagnostic, Diagnostics
from .model import Matrix, Project, Rule
from .project import find_project_file, load_project, output_folder



class ProjectError(Exception):
    """The project has errors, so it is not evaluated; `diagnostics` holds them, with file paths relative to `root`
    (None when the files are not on disk as they were read, e.g. a git revision)."""

    def __init__(self, diagnostics: list[Diagnostic], root: Path | None = None):
        super().__init__(f"{len(diagnostics)} problem(s) in the documents")
        self.diagnostics = diagnostics
        self.root = root


class QueryError(ValueError):
    """The question does not fit the project: an unknown matrix or rule, an input or value it cannot take."""


class Unanswerable(Exception):
    """The question is well formed but the documents give no answer: no value in force on that day, a working-day
    calendar that does not know the year, a due time past the last representable day. `code` and `hint` as in a
    diagnostic."""

    def __init__(self, message: str, code: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.code, self.hint = code, hint


def checked_project(start: Path | str = ".") -> Project:
    """The project containing `start`, or ProjectError with its diagnostics when it has errors."""
    result = load_project(start, check_outputs=False)  # evaluating rules needs no fonts
    if result.diagnostics.errors or result.project is None:
        raise ProjectError(result.diagnostics.sorted(), find_project_file(Path(start)).parent)
    return result.project


@dataclass
class Decided:
    project: Project
    matrix: Matrix
    decision: matrices.Decision

    @property
    def approvers(self) -> list:
        return self.decision.approvers

    def text(self) -> str:
        return explain.decision_text(self.project, self.matrix, self.decision)

    def json(self) -> str:
        return explain.decision_json(self.decision)


def decide(start: Path | str, matrix: str, inputs: dict[str, object]) -> Decided:
    """Evaluate the approval matrix `matrix` (id or title) for `inputs` (names: input ids or labels; values: an
    amount, an enum value id or label, true/false)."""
    project = checked_project(start)
    try:
        found = words.matrix_id(project, matrix)
        if found is None:
            raise QueryError(f"no approval matrix '{matrix}'; the matrices are: "
                             + ", ".join(f"{m.id} ({m.title})" for _, m in sorted(project.matrices.items())))
        chosen = project.matrices[found]
        values = matrices.parse_inputs(chosen, words.matrix_inputs(chosen, inputs))
    except matrices.InputError as exc:
        raise QueryError(str(exc)) from None
    return Decided(project, chosen, matrices.decide(chosen, values))


@dataclass
class DueTime:
    project: Project
    rule: Rule
    start: datetime
    result: object  # due.DueResult

    @property
    def due(self) -> datetime | None:
        return self.result.due

    def text(self) -> str:
        return explain.due_text(self.project, self.rule, self.start, self.result)

    def json(self) -> str:
        return explain.due_json(self.rule, self.start, self.result)


def due(start: Path | str, rule: str, begin: datetime | str) -> DueTime:
    """When the service rule `rule` (id or name) falls due for a clock started at `begin` ('YYYY-MM-DD HH:MM',
    read strictly: a date that exists, ISO form only)."""
    from .due import CalendarError, DueError, WorkCalendar, due_time
    from .formats import DateError, parse_datetime
    from .model import NotInForce

    project = checked_project(start)
    try:
        found = words.rule_id(project, rule, "service-level")
    except matrices.InputError as exc:
        raise QueryError(str(exc)) from None
    if found is None:
        levels = sorted(f"{r.id} ({r.name})" for r in project.rules.values() if r.kind == "service-level")
        raise QueryError(f"no service rule '{rule}'; the service rules are: {', '.join(levels)}")
    chosen = project.rules[found]
    if isinstance(begin, str):
        try:
            begin = parse_datetime(begin)
        except DateError as exc:
            raise QueryError(f"--from: {exc}") from None
    try:
        result = due_time(chosen.target_on(begin.date()), begin, WorkCalendar.from_organization(project.organization))
    except CalendarError as exc:
        raise Unanswerable(str(exc), "PG-RULES-003", exc.hint) from None
    except (NotInForce, DueError) as exc:
        raise Unanswerable(str(exc)) from None
    return DueTime(project, chosen, begin, result)


@dataclass
class TestResults:
    passed: int
    diagnostics: Diagnostics

    @property
    def total(self) -> int:
        return self.passed + len(self.diagnostics.items)


def test(start: Path | str = ".") -> TestResults:
    """Run every rule test case (kind: rule-tests) of the project; failures are PG-TEST diagnostics."""
    from .rule_tests import run_rule_tests

    report = run_rule_tests(checked_project(start))
    return TestResults(report.passed, Diagnostics(report.diagnostics))


test.__test__ = False  # a function of the API, not a test for pytest to collect


@dataclass
class Revision:
    changes: object  # diff.Changes
    diagnostics: Diagnostics = field(default_factory=Diagnostics)  # from writing the 修订对照表

    def text(self) -> str:
        from .diff import changes_text

        return changes_text(self.changes)

    def json(self) -> str:
        from .diff import changes_json

        return json.dumps(changes_json(self.changes), ensure_ascii=False, indent=2)


def diff(old: Path | str | None = None, new: Path | str | None = None, *, rev: str | None = None,
         start: Path | str = ".", output: Path | str | None = None, write: bool = True) -> Revision:
    """What changed between two project folders OLD and NEW, or with `rev='V1..V2'` between two git revisions of
    the project containing `start`. With `write`, the 修订对照表 of each changed regulation is written to
    <output>/revisions/ (default: NEW's output folder, or with `rev` that of the project at `start`)."""
    from .build import write_revision_documents
    from .diff import RevisionError, compare, load_revision, split_range

    if bool(rev) == bool(old or new) or (not rev and not (old and new)):
        raise QueryError("give two project folders OLD NEW, or a revision range V1..V2")
    try:
        if rev:
            first, last = split_range(rev)
            project_file = find_project_file(Path(start))
            before, after = load_revision(project_file.parent, first), load_revision(project_file.parent, last)
            here = output_folder(project_file)  # the tables belong to this project, not to the copy of `last`
        else:
            before, after = checked_project(old), checked_project(new)
            here = after.config.output
    except RevisionError as exc:
        if exc.diagnostics:
            raise ProjectError(list(exc.diagnostics)) from None
        raise QueryError(str(exc)) from None
    changes = compare(before, after, *(split_range(rev) if rev else ()), revisions=bool(rev))
    result = Revision(changes)
    if write:
        target = Path(output).resolve() if output else here
        result.diagnostics = write_revision_documents(before, after, changes, output=target)
    return result
