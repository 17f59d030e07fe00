"""Read an exported rule file (output/rules/<id>.json) and answer questions with it, without the YAML.

    >>> from policygen.rules import load
    >>> matrix = load("output/rules/complaint-approval.json")
    >>> matrix.decide(amount="3000").approvers
    ['deputy-general-manager']
    >>> rules = load("output/rules/steel-cs-rules.json")
    >>> rules.due("steel-email-reply", datetime(2026, 9, 30, 17, 0)).due
    datetime.datetime(2026, 10, 8, 17, 30)
    >>> rules.value_on("satisfaction-rate", "2026-03-01")      # the value in force on that date
    Decimal('90')

Another Python system can depend on policygen and use these rules directly. `load` checks the file against the
published schema (schemas/rules-export.schema.json) and refuses a format major version it does not know.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from .matrices import Decision, decide, parse_inputs
from .model import Matrix, MatrixInput, MatrixRow, Rule, Target

SUPPORTED_MAJOR = "1"


class ExportError(ValueError):
    """The file is not a policygen rule export this version can read."""


def _decimal(text):
    return None if text is None else Decimal(text)


def _target(data: dict, since) -> Target:
    return Target(unit=data.get("unit"), value=_decimal(data.get("value")), anchor=data.get("anchor"), day=data.get("day"),
                  weekday=data.get("weekday"), time=data.get("time"), comparator=data.get("comparator"), since=since)


@dataclass
class RuleFile:
    data: dict

    @property
    def id(self) -> str:
        return self.data["id"]

    def _calendar(self):
        from .due import WorkCalendar

        org = self.data["organization"]
        if "working_calendar" in self.data:  # 1.1: the calendar the file was made with, not the installed library
            return WorkCalendar.from_export(org.get("business_hours"), self.data["working_calendar"])
        return WorkCalendar.from_data(org.get("business_hours"), org.get("calendar"))


class RuleSetFile(RuleFile):
    """A rules document: service levels, escalations and KPI targets, each with its dated values."""

    def rule(self, rule_id: str) -> Rule:
        for r in self.data["rules"]:
            if r["id"] == rule_id:
                targets = [_target(v["target"], v["from"]) for v in r["values"]]
                return Rule(id=r["id"], kind=r["type"], name=r["name"], targets=targets, stated_in=None, where=None,
                            channel=r.get("channel"), measure=r.get("measure"), period=r.get("period"))
        raise KeyError(f"{self.id} has no rule '{rule_id}'")

    def value_on(self, rule_id: str, on: date | str) -> Decimal | None:
        """The rule's value in force on a date (its history is in the file): a date, or text YYYY-MM-DD
        (formats.DateError otherwise); model.NotInForce before its first value takes effect."""
        return self.rule(rule_id).target_on(on).value

    def due(self, rule_id: str, start: datetime):
        """The due time of a service rule from `start` (see policygen.due.due_time)."""
        from .due import due_time

        return due_time(self.rule(rule_id).target_on(start.date()), start, self._calendar())


class MatrixFile(RuleFile):
    """An approval matrix with its hit policy."""

    def matrix(self) -> Matrix:
        d = self.data
        inputs = [MatrixInput(id=i["id"], label=i["label"], type=i["type"], currency=i.get("currency"),
                              minimum=_decimal(i.get("minimum")) or 0, values=[(v["id"], v["label"]) for v in i.get("values", [])])
                  for i in d["inputs"]]
        rows = [MatrixRow(conditions={k: ({b: Decimal(v) for b, v in c.items()} if isinstance(c, dict) else c)
                                      for k, c in r["when"].items()},
                          approvers=r["approvers"], note=r.get("note"), where=None) for r in d["rows"]]
        return Matrix(id=d["id"], language=d["language"], title=d["title"], hit_policy=d["hit_policy"], inputs=inputs,
                      rows=rows, priority=d.get("priority", []), stated_in=None, where=None)

    def decide(self, **inputs) -> Decision:
        """Who approves, e.g. decide(amount="3000", category="quality"). Values may be text, numbers or booleans."""
        matrix = self.matrix()
        return decide(matrix, parse_inputs(matrix, inputs))


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _bounded_int(text: str) -> int:
    if len(text) > 40:
        raise ValueError(f"a number of {len(text)} digits")
    return int(text)


def load(path: str | Path) -> RuleSetFile | MatrixFile:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"), parse_constant=_no_constant,
                          parse_int=_bounded_int)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ExportError(f"{path} cannot be read as JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != "policygen-rules":
        raise ExportError(f"{path} is not a policygen rule export")
    major = str(data.get("format_version", "")).split(".")[0]
    if major != SUPPORTED_MAJOR:
        raise ExportError(f"{path} has format {data.get('format_version')}; this reader reads format {SUPPORTED_MAJOR}.x")
    from .schemas import export_validator

    errors = sorted(export_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        where = "/".join(map(str, errors[0].absolute_path))
        raise ExportError(f"{path} does not match the export schema at /{where}: {errors[0].message}")
    return MatrixFile(data) if data["kind"] == "approval-matrix" else RuleSetFile(data)
