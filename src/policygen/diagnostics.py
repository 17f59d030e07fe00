"""Diagnostics are data: every user error is a `Diagnostic` with a stable code, a place and a hint.

Core code collects diagnostics and returns them; it never prints. `format_text` and `format_json` turn them
into what the CLI shows. The catalogue below is the list of codes documented in the README.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# code -> (one-line summary for the README, default hint). Messages are built where the problem is found.
CATALOGUE: dict[str, tuple[str, str]] = {
    "PG-PROJECT-001": ("No policygen.yaml in the folder or its parents",
                       "run the command inside a policy project, or pass -C PATH/TO/PROJECT"),
    "PG-PROJECT-002": ("The documents folder named in policygen.yaml does not exist",
                       "create the folder or correct `documents:` in policygen.yaml"),
    "PG-PROJECT-003": ("A font file named in policygen.yaml is missing or outside the project",
                       "put the font file inside the project folder and give its path relative to policygen.yaml"),
    "PG-PROJECT-004": ("The templates folder named in policygen.yaml is outside the project",
                       "put the template overrides in a folder inside the project and name it under `templates:`"),
    "PG-LOAD-001": ("The file is not valid UTF-8", "save the file as UTF-8 (without a legacy encoding such as GBK or Big5)"),
    "PG-LOAD-002": ("A tab character is used for indentation", "indent with spaces only"),
    "PG-LOAD-003": ("The file is larger than the limit (1 MiB)", "split the document into several files"),
    "PG-LOAD-004": ("The file is not valid YAML", "check the indentation and quoting around the position shown"),
    "PG-LOAD-005": ("A key appears twice in the same mapping", "remove or rename one of the two keys"),
    "PG-LOAD-006": ("Aliases expand to too many values (limit 100,000)", "write the values out instead of nesting aliases"),
    "PG-LOAD-007": ("A YAML tag other than the standard ones is used", "remove the tag; write the value as plain text"),
    "PG-LOAD-008": ("The file does not hold exactly one YAML mapping", "write one document per file, starting with `kind:`"),
    "PG-LOAD-009": ("A mapping key is not a plain text key", "use simple text keys such as `title:`"),
    "PG-SCHEMA-001": ("The document has no `kind`, or an unknown one",
                      "start the document with `kind:` and one of organization, regulation, rules, approval-matrix, form"),
    "PG-SCHEMA-002": ("A required property is missing", "add the property"),
    "PG-SCHEMA-003": ("A property is not part of the format", "check the spelling against the schema in schemas/"),
    "PG-SCHEMA-004": ("A value has the wrong type", "see the schema in schemas/ for the expected type"),
    "PG-SCHEMA-005": ("A value is not one of the allowed values", "use one of the allowed values"),
    "PG-SCHEMA-006": ("A value has the wrong form (pattern, length or range)", "see the schema's description and examples"),
    "PG-SCHEMA-007": ("A value matches none of the allowed shapes", "see the schema's description and examples"),
    "PG-REF-001": ("Two documents have the same id", "give each document its own id"),
    "PG-REF-002": ("Two entries in one document have the same id", "give each entry its own id"),
    "PG-REF-003": ("A department id is not defined in the organization", "add the department to the organization document or fix the id"),
    "PG-REF-004": ("A role id is not defined in the organization", "add the role to the organization document or fix the id"),
    "PG-REF-005": ("A [[kind:id]] reference in text names nothing", "fix the id, or define what it refers to"),
    "PG-REF-006": ("A [[…]] reference in text is malformed", "write [[kind:id]] (e.g. [[article:purpose]]), or \\[[ for literal brackets"),
    "PG-REF-007": ("A document refers to a form, matrix, rules or regulation that does not exist", "fix the id, or add the document"),
    "PG-REF-008": ("References form a cycle", "break the cycle"),
    "PG-REF-009": ("The project needs exactly one organization document", "keep one `kind: organization` document"),
    "PG-REF-010": ("An approval-matrix row does not fit the matrix inputs", "use the inputs declared in `inputs:`, with conditions of their type"),
    "PG-REVISION-001": ("The revision record goes backwards (a version not after the one before, or an earlier date)",
                        "list revisions oldest first, each with a higher version and a date not before the previous one"),
    "PG-REF-101": ("Warning: a form, matrix or rules document is never referenced", "refer to it from a regulation, or remove it"),
    "PG-RULES-001": ("An approval matrix has a gap: some inputs match no row", "add a row for the inputs shown, or widen a row's bounds"),
    "PG-RULES-002": ("Two rows of a UNIQUE approval matrix match the same inputs", "make one bound exclusive (gt/lt), or use hit_policy: first"),
    "PG-RULES-003": ("A due time needs a day outside every year the working-day calendar knows",
                     "list that year's holidays under calendar.overrides and its number under calendar.covers, or update chinesecalendar"),
    "PG-RULES-101": ("Warning: a row of a FIRST or PRIORITY matrix can never decide", "remove the row or move it up"),
    "PG-TEST-001": ("A rule test case gives another result than it expects", "fix the rule, the matrix or the expectation"),
    "PG-TEST-002": ("A rule test case cannot be run", "fix the case's inputs, rule or matrix id"),
    "PG-RENDER-001": ("A template failed to render", "check the template named in the message (overrides in the project's templates/ folder)"),
    "PG-RENDER-002": ("A character is in none of the fonts that would print it",
                      "replace the character, or add a font that has it under `fonts:` in policygen.yaml"),
    "PG-RENDER-003": ("A PRIORITY matrix cannot be written as DMN (no order of its outputs gives its decisions)",
                      "list the roles in `priority` so that equal-ranked rows never compete, or use hit_policy: first"),
    "PG-RENDER-101": ("Warning: a Han character is drawn by a fallback face, not the document's body face",
                      "it prints, in another CJK face; name a font that has it under `fonts:` for a uniform look"),
    "PG-BUILD-001": ("The output folder cannot be written", "check the permissions of the output folder and its parent"),
    "PG-BUILD-002": ("The output folder is not one policygen may replace",
                     "point `output:` in policygen.yaml at a folder used only for policygen's output"),
}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None  # JSON path inside the document, e.g. /chapters/0/articles/3
    hint: str | None = None
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"unknown diagnostic code {self.code}")
        if self.hint is None:
            object.__setattr__(self, "hint", CATALOGUE[self.code][1])

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.column or 0, self.code, self.message)


@dataclass
class Diagnostics:
    """Collects the diagnostics of a phase; a phase reports all it finds before the pipeline stops."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.is_error]

    def failed(self, strict: bool = False) -> bool:
        """True when the errors (or, with `strict`, the warnings too) must stop the pipeline."""
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=Diagnostic.sort_key)


def format_location(d: Diagnostic) -> str:
    if d.file is None:
        return "policygen"
    parts = [d.file]
    if d.line is not None:
        parts.append(str(d.line))
        if d.column is not None:
            parts.append(str(d.column))
    return ":".join(parts)


def format_text(d: Diagnostic) -> str:
    where = f" (at {d.path})" if d.path else ""
    text = f"{format_location(d)}: {d.severity.value} {d.code}: {d.message}{where}"
    if d.hint:
        text += f"\n    hint: {d.hint}"
    return text


def format_json(diagnostics: list[Diagnostic]) -> str:
    rows = []
    for d in diagnostics:
        row = asdict(d)
        row["severity"] = d.severity.value
        rows.append(row)
    return json.dumps({"diagnostics": rows}, ensure_ascii=False, indent=2)
