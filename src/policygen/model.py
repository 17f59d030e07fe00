"""Model stage: typed objects built only from documents that passed their schema.

The schemas decide what is valid; this module only gives validated data names and computes what authors never
type: article numbers, item numbers, and the closing clauses of a regulation when the author left them out.
Every object keeps `where` (its file and JSON path) so later checks can point at the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from .formats import parse_date
from .loader import SourceFile


@dataclass(frozen=True)
class Where:
    source: SourceFile
    path: tuple = ()

    def at(self, *more) -> "Where":
        return Where(self.source, self.path + more)

    def diagnostic(self, code: str, message: str, **kw):
        return self.source.diagnostic(code, message, self.path, **kw)


@dataclass
class Text:
    raw: str
    where: Where


# --- organization --------------------------------------------------------------------------------------------

@dataclass
class Named:
    id: str
    name: str
    names: dict[str, str]
    where: Where

    def name_in(self, language: str) -> str:
        return self.names.get(language, self.name)


@dataclass
class Department(Named):
    parent: str | None = None


@dataclass
class Role(Named):
    department: str | None = None


@dataclass
class Person:
    id: str
    name: str
    roles: list[str]
    where: Where


@dataclass
class Organization:
    id: str
    full_name: str
    short_name: str
    names: dict[str, str]
    departments: dict[str, Department]
    roles: dict[str, Role]
    people: list[Person]
    business_hours: dict | None
    calendar: dict  # {"overrides": [{date, workday, name?}], "covers": [years]}, as validated
    where: Where
    duplicates: list[tuple[str, Where]] = field(default_factory=list)  # (id, where) of repeated ids

    def company_name(self, language: str, short: bool = False) -> str:
        if short:
            return self.short_name
        return self.names.get(language, self.full_name)


# --- regulation ----------------------------------------------------------------------------------------------

@dataclass
class Item:
    text: Text
    subitems: list[Text]


@dataclass
class TableCell:
    text: Text
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    """A table paragraph: a header row (the column labels) and rows of cells, some merged."""

    title: str | None
    columns: list[tuple[Text, float]]  # (label, relative width)
    rows: list[list[TableCell]]
    where: Where


@dataclass
class Paragraph:
    text: Text  # empty for a table paragraph
    items: list[Item]
    table: Table | None = None


@dataclass
class Article:
    id: str
    paragraphs: list[Paragraph]
    where: Where
    clause: str | None = None
    number: int = 0  # computed: 1-based, continuous across chapters
    generated: bool = False  # a closing clause policygen wrote


@dataclass
class Section:
    id: str | None
    title: str
    articles: list[Article]
    number: int = 0


@dataclass
class Chapter:
    id: str | None
    title: str
    sections: list[Section]  # a chapter without sections has one untitled section
    number: int = 0
    generated: bool = False

    @property
    def articles(self) -> list[Article]:
        return [a for s in self.sections for a in s.articles]

    @property
    def has_sections(self) -> bool:
        return any(s.title for s in self.sections)


@dataclass
class Attachment:
    kind: str  # form | matrix | rules | procedure
    target: str
    title: str | None
    where: Where
    number: int = 0


@dataclass
class Revision:
    version: str
    date: str
    summary: str


@dataclass
class Regulation:
    id: str
    language: str
    title: str
    number: str | None
    version: str
    issued_by: str | None
    interpreted_by: str | None
    effective: str
    supersedes: list[str]
    preamble: list[Text]
    chapters: list[Chapter]
    attachments: list[Attachment]
    revisions: list[Revision]
    where: Where

    @property
    def articles(self) -> list[Article]:
        return [a for c in self.chapters for a in c.articles]

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)

    @property
    def has_chapters(self) -> bool:
        return any(c.title for c in self.chapters)


# --- rules ---------------------------------------------------------------------------------------------------

@dataclass
class Target:
    """One value of a rule: a duration, `immediate`, a calendar anchor, or a KPI comparison."""

    unit: str | None = None
    value: Decimal | int | None = None
    anchor: str | None = None  # monthly | weekly
    day: int | None = None
    weekday: str | None = None
    time: str | None = None
    comparator: str | None = None
    since: str | None = None  # the date it comes into force, when dated


@dataclass
class Rule:
    id: str
    kind: str  # service-level | escalation | kpi
    name: str
    targets: list[Target]  # oldest first; a rule with one undated value has one target
    stated_in: str | None
    where: Where
    channel: str | None = None
    measure: str | None = None
    period: str | None = None
    responsible: str | None = None
    action: str | None = None
    escalate_to: str | None = None

    def target_on(self, on: str | date | None = None) -> Target:
        """The target in force on `on` (a date, or text YYYY-MM-DD: formats.DateError for anything else); the
        latest one when no date is given. NotInForce before the first value's `from`."""
        if on is None:
            return self.targets[-1]
        day = parse_date(on)
        current = None
        for target in self.targets:
            if target.since is None or parse_date(target.since) <= day:
                current = target
        if current is None:
            raise NotInForce(self.id, day, parse_date(self.targets[0].since))
        return current


class NotInForce(ValueError):
    """Asked for a rule's value on a day before its first value takes effect."""

    def __init__(self, rule_id: str, day: date, first: date):
        super().__init__(f"the rule '{rule_id}' has no value in force on {day.isoformat()}: "
                         f"its first value takes effect on {first.isoformat()}")
        self.rule_id, self.day, self.first = rule_id, day, first


@dataclass
class RuleSet:
    id: str
    language: str
    title: str
    rules: list[Rule]
    where: Where


# --- approval matrix -----------------------------------------------------------------------------------------

@dataclass
class MatrixInput:
    id: str
    label: str
    type: str
    currency: str | None = None
    minimum: Decimal | int = 0
    values: list[tuple[str, str]] = field(default_factory=list)  # (id, label) for enums


@dataclass
class MatrixRow:
    conditions: dict[str, object]  # input id -> "any" | {gt/ge/lt/le} | [enum ids] | bool
    approvers: list[str]
    note: str | None
    where: Where


@dataclass
class Matrix:
    id: str
    language: str
    title: str
    hit_policy: str
    inputs: list[MatrixInput]
    rows: list[MatrixRow]
    priority: list[str]
    stated_in: str | None
    where: Where


# --- form ----------------------------------------------------------------------------------------------------

@dataclass
class Field:
    type: str
    id: str | None
    label: str | None
    attrs: dict  # the remaining properties of the field, as validated by the schema
    where: Where


@dataclass
class FormSection:
    title: str | None
    columns: int
    fields: list[Field]


@dataclass
class Copy:
    label: str
    keeper: str | None


@dataclass
class Form:
    id: str
    language: str
    title: str
    number: str
    version: str
    owner: str | None
    stated_in: str | None
    paper_size: str
    orientation: str
    serial: str | None
    copies: list[Copy]
    sections: list[FormSection]
    where: Where

    @property
    def fields(self) -> list[Field]:
        return [f for s in self.sections for f in s.fields]


# --- procedure ----------------------------------------------------------------------------------------------

@dataclass
class Branch:
    label: str
    next: str
    otherwise: bool
    where: Where


@dataclass
class Step:
    id: str
    type: str  # task | decision | start | end
    name: Text | None
    owner: str | None  # a role or a department id: the swimlane
    form: str | None
    deadline: dict | None  # {"rule": id} or a rule target as validated by the schema
    notes: Text | None
    next: str | None  # computed for tasks and start events: the next step in the list unless `next:` names one
    branches: list[Branch]
    where: Where
    lane: str | None = None  # computed: the owner, or for an event the lane of the step it leads to / comes from

    def successors(self) -> list[str]:
        if self.type == "decision":
            return [b.next for b in self.branches]
        return [self.next] if self.next else []


@dataclass
class Procedure:
    id: str
    language: str
    title: str
    stated_in: str | None
    lanes: list[str]  # owners in drawing order (computed when not given)
    steps: list[Step]
    where: Where

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


# --- rule tests ----------------------------------------------------------------------------------------------

@dataclass
class Case:
    kind: str  # decision | due | value
    target: str  # the matrix or rule id
    given: object  # inputs dict, start time or date
    expect: object  # approvers list, due time or value
    name: str | None
    where: Where


@dataclass
class RuleTests:
    id: str
    cases: list[Case]
    where: Where


# --- project -------------------------------------------------------------------------------------------------

@dataclass
class Config:
    root: Path
    name: str
    language: str
    documents: Path
    output: Path
    templates: Path
    outputs: list[str]
    preset: str
    fonts: list[dict]  # project font files: {file, role?, languages?}
    source: SourceFile
    traditional: dict | None = None  # Traditional editions of zh-Hans regulations: {convert, terms?, regulations?}


@dataclass
class Unchecked:
    """What is known of the documents that failed to load or to pass their schema (each has its own diagnostic):
    their ids, the ids inside them (articles, rules, fields …) and the ids they refer to. A reference to one of
    them, or a document only they refer to, is no further error: that would follow from the first one."""

    ids: set[str] = field(default_factory=set)
    inner: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)
    anonymous: bool = False  # a file whose id could not be read at all: what it refers to is unknown

    def covers(self, doc_id: str | None, inner_id: str | None = None) -> bool:
        """Whether a reference to `doc_id` (or to `inner_id` inside some document) may point into them."""
        return (doc_id is not None and doc_id in self.ids) or (inner_id is not None and inner_id in self.inner)


@dataclass
class Project:
    config: Config
    organization: Organization | None
    regulations: dict[str, Regulation]
    rulesets: dict[str, RuleSet]
    matrices: dict[str, Matrix]
    forms: dict[str, Form]
    tests: dict[str, RuleTests] = field(default_factory=dict)
    unchecked: Unchecked = field(default_factory=Unchecked)
    procedures: dict[str, Procedure] = field(default_factory=dict)
    # document id -> ids of the regulations that attach it, in id order (a form takes its date from the first):
    # filled once the documents are assembled (index_attachments), so that no writer scans every regulation
    attached_by: dict[str, list[str]] = field(default_factory=dict)

    def index_attachments(self) -> None:
        self.attached_by = {}
        for reg_id in sorted(self.regulations):
            for att in self.regulations[reg_id].attachments:
                self.attached_by.setdefault(att.target, [])
                if reg_id not in self.attached_by[att.target]:
                    self.attached_by[att.target].append(reg_id)

    @property
    def rules(self) -> dict[str, Rule]:
        return {r.id: r for rs in self.rulesets.values() for r in rs.rules}

    def documents(self) -> list:
        """All documents in a stable order: organization, regulations, rules, matrices, forms (each by id)."""
        docs = [self.organization] if self.organization else []
        for group in (self.regulations, self.rulesets, self.matrices, self.forms, self.tests, self.procedures):
            docs.extend(group[k] for k in sorted(group))
        return docs
