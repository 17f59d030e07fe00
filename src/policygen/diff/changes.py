"""What `compare` finds: the changes of each kind of document, as data every output reads."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMAT = "policygen-revision-diff"
FORMAT_VERSION = "1.0"
SCHEMA_ID = "https://schemas.policygen.org/diff/1/revision-diff.schema.json"


@dataclass(frozen=True)
class Segment:
    op: str  # equal | insert | delete
    text: str


@dataclass(frozen=True)
class ValueChange:
    """One property that differs: its name and both values (JSON-ready: text, numbers as strings, lists)."""
    name: str
    old: object
    new: object


@dataclass(frozen=True)
class RefChange:
    """A reference whose printed text differs while the text around it is unchanged."""
    ref: str  # as written, without the brackets: "article:complaint-deadline", "rule:complaint-report"
    kind: str  # article | rule | form | matrix | regulation | department | role | company
    old: str
    new: str


@dataclass(frozen=True)
class ArticleState:
    """An article as one version prints it."""
    number: int
    label: str  # 第五条
    chapter: int  # chapter number, 0 in a regulation without chapters
    chapter_title: str
    section: int  # section number, 0 when the chapter has no sections
    section_title: str
    text: str  # printed text, paragraphs and items one to a line ("\n"), items with their labels （一）
    raw: str  # the same lines as written, with their [[…]] markup


@dataclass
class ArticleChange:
    id: str
    old: ArticleState | None
    new: ArticleState | None
    moved: bool = False
    renumbered: bool = False
    text: str = "none"  # none | wording | references | markup
    references: list[RefChange] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)  # character diff of the printed text

    @property
    def added(self) -> bool:
        return self.old is None

    @property
    def removed(self) -> bool:
        return self.new is None

    @property
    def kinds(self) -> list[str]:
        """added | removed | moved | renumbered | wording | references | markup, in this order."""
        if self.added:
            return ["added"]
        if self.removed:
            return ["removed"]
        kinds = [k for k, on in (("moved", self.moved), ("renumbered", self.renumbered)) if on]
        return kinds + ([self.text] if self.text != "none" else [])

    @property
    def renumbering_only(self) -> bool:
        """The text changed only because referenced articles were renumbered."""
        return self.text == "references" and all(r.kind == "article" for r in self.references)

    @property
    def in_table(self) -> bool:
        """Listed in the 修订对照表 proper: everything but pure renumbering and renumbered references."""
        return (self.added or self.removed or self.moved or self.text == "wording"
                or (self.text == "references" and not self.renumbering_only))

    @property
    def number_changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.number != self.new.number


@dataclass
class ChapterChange:
    old: dict | None  # {"id", "number", "title"}
    new: dict | None
    kinds: list[str]  # added | removed | retitled | renumbered


@dataclass
class RegulationChanges:
    id: str
    status: str  # added | removed | changed
    language: str
    old_title: str | None
    new_title: str | None
    old_version: dict | None = None  # {"version", "effective"} of each side, None when absent
    new_version: dict | None = None
    metadata: list[ValueChange] = field(default_factory=list)  # title, number, version, effective, issued_by, …
    chapters: list[ChapterChange] = field(default_factory=list)
    articles: list[ArticleChange] = field(default_factory=list)  # every changed article, in article order
    rules: list[str] = field(default_factory=list)  # ids of the rule, matrix and form changes that concern it
    matrices: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    procedures: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.new_title or self.old_title or self.id

    @property
    def table(self) -> list[ArticleChange]:
        return [a for a in self.articles if a.in_table]

    @property
    def reference_updates(self) -> list[ArticleChange]:
        """Articles whose only change is a reference renumbered (and perhaps their own number)."""
        return [a for a in self.articles if not a.in_table and a.renumbering_only]

    @property
    def renumbered(self) -> list[ArticleChange]:
        return [a for a in self.articles if a.renumbered]

    def article(self, article_id: str) -> ArticleChange | None:
        return next((a for a in self.articles if a.id == article_id), None)


@dataclass
class RuleChange:
    id: str
    status: str  # added | removed | changed
    ruleset: str
    language: str
    old: dict | None  # snapshot: name, kind, targets [{value, unit, from, …, text}], measure, …
    new: dict | None
    changed: list[str] = field(default_factory=list)  # names of the properties that differ
    effective_from: str | None = None  # the `from` date of the first new value, when it is dated

    @property
    def name(self) -> str:
        return (self.new or self.old)["name"]


@dataclass
class RowChange:
    index: int  # 1-based
    status: str  # added | removed | changed
    old: dict | None  # {"conditions", "approvers", "note", "text"}
    new: dict | None
    changed: list[str] = field(default_factory=list)  # conditions | approvers | note


@dataclass
class MatrixChange:
    id: str
    status: str
    language: str
    old_title: str | None
    new_title: str | None
    properties: list[ValueChange] = field(default_factory=list)  # title, hit_policy, inputs, priority, stated_in
    rows: list[RowChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.new_title or self.old_title or self.id


@dataclass
class FieldChange:
    key: str  # the field id, or "<type>-<n>" for the n-th unnamed field of that type (notes-1)
    status: str  # added | removed | changed
    old: dict | None  # {"type", "label", "section", "attrs"}
    new: dict | None
    changed: list[str] = field(default_factory=list)


@dataclass
class FormChange:
    id: str
    status: str
    language: str
    old_title: str | None
    new_title: str | None
    properties: list[ValueChange] = field(default_factory=list)  # title, number, version, paper, serial, copies, …
    sections: list[ValueChange] = field(default_factory=list)  # "sections/<n>/title|columns"
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.new_title or self.old_title or self.id


@dataclass
class Changes:
    old_label: str
    new_label: str
    old_project: str
    new_project: str
    revisions: bool = False  # the labels name git revisions (else the folders compared)
    regulations: list[RegulationChanges] = field(default_factory=list)
    rules: list[RuleChange] = field(default_factory=list)
    matrices: list[MatrixChange] = field(default_factory=list)
    forms: list[FormChange] = field(default_factory=list)
    procedures: list["ProcedureChange"] = field(default_factory=list)

    def regulation(self, reg_id: str) -> RegulationChanges | None:
        return next((r for r in self.regulations if r.id == reg_id), None)

    def rule(self, rule_id: str) -> RuleChange | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def matrix(self, matrix_id: str) -> MatrixChange | None:
        return next((m for m in self.matrices if m.id == matrix_id), None)

    def form(self, form_id: str) -> FormChange | None:
        return next((f for f in self.forms if f.id == form_id), None)

    def procedure(self, procedure_id: str) -> "ProcedureChange | None":
        return next((p for p in self.procedures if p.id == procedure_id), None)

    @property
    def empty(self) -> bool:
        return not (self.regulations or self.rules or self.matrices or self.forms or self.procedures)


@dataclass
class StepChange:
    """One step of a procedure: `added`, `removed`, or `changed` with what changed: `reordered` (its place among
    the steps both versions have), `reassigned` (another owner), `renamed`, `form`, `deadline`, `flow` (where it
    leads), `type`. `old`/`new`: {number, type, name, owner, owner_name, form, deadline, next}."""

    id: str
    status: str
    changed: list[str]
    old: dict | None
    new: dict | None


@dataclass
class ProcedureChange:
    id: str
    status: str
    old_title: str | None
    new_title: str | None
    properties: list[ValueChange] = field(default_factory=list)  # title, stated_in, lanes
    steps: list[StepChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.new_title or self.old_title or self.id

    def step(self, step_id: str) -> StepChange | None:
        return next((s for s in self.steps if s.id == step_id), None)
