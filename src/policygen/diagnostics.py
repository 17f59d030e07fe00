"""Diagnostics are data: every user error is a `Diagnostic` with a stable code, a place and a hint.

Core code collects diagnostics and returns them; it never prints. `format_text` and `format_json` turn them
into what the CLI shows. The catalogue below is the list of codes documented in the README.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path


# Control characters (a line break only where a message is laid out in lines), line and paragraph separators,
# and the bidirectional controls that can reorder what a terminal shows.
_UNPRINTABLE = re.compile("[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]")


def escape_unprintable(text: str) -> str:
    """`text` with every character a terminal would act on shown as \\x1b or U+2028."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"U+{code:04X}"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# code -> (one-line summary for the README, default hint). Messages are built where the problem is found.
CATALOGUE: dict[str, tuple[str, str]] = {
    "PG-PROJECT-001": ("No policygen.yaml in the folder or its parents",
                       "run the command inside a policy project, or pass -C PATH/TO/PROJECT"),
    "PG-PROJECT-002": ("The documents folder named in policygen.yaml does not exist",
                       "create the folder or correct `documents:` in policygen.yaml"),
    "PG-PROJECT-003": ("A font file named in policygen.yaml is missing, outside the project, or not a font",
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
    "PG-LOAD-010": ("The file holds a control character or a line separator YAML does not allow (e.g. \\x0b, \\x1b, U+2028)",
                    "delete the character or replace it with a space or a line break (it often comes with text pasted from Word)"),
    "PG-LOAD-011": ("A number has more than 40 digits, or values are nested more than 50 levels deep",
                    "write the number with fewer digits (or quote it as text), or flatten the structure"),
    "PG-SCHEMA-001": ("The document has no `kind`, or an unknown one",
                      "start the document with `kind:` and one of organization, regulation, rules, approval-matrix, form, procedure"),
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
    "PG-PROC-001": ("A procedure step or branch leads to a step that does not exist, or nothing follows a step",
                    "name an existing step id in `next:`, or end the steps with an end event"),
    "PG-PROC-002": ("A procedure step is reached by no path from a start event", "lead to it from another step, or remove it"),
    "PG-PROC-003": ("No path from a procedure step reaches an end event", "give the loop a way out to an end event"),
    "PG-PROC-004": ("A decision has no otherwise-branch", "add a branch `{otherwise: 否, next: STEP}` for when no condition holds"),
    "PG-PROC-005": ("A procedure has no start or no end event", "begin the steps with `type: start` and end them with `type: end`"),
    "PG-TABLE-001": ("A row of a table paragraph does not fill the table's columns",
                     "give every row one cell per column, counting colspan and the rowspan of cells above"),
    "PG-REF-101": ("Warning: a form, matrix or rules document is never referenced", "refer to it from a regulation, or remove it"),
    "PG-RULES-001": ("An approval matrix has a gap: some inputs match no row", "add a row for the inputs shown, or widen a row's bounds"),
    "PG-RULES-002": ("Two rows of a UNIQUE approval matrix match the same inputs", "make one bound exclusive (gt/lt), or use hit_policy: first"),
    "PG-RULES-003": ("A due time needs a day outside every year the working-day calendar knows",
                     "list that year's holidays under calendar.overrides and its number under calendar.covers, or update chinesecalendar"),
    "PG-RULES-004": ("The business hours or calendar overrides make no working calendar (a start not before the end, "
                     "a lunch break outside the day, a date listed twice with different values)",
                     "write the business hours as a period (start before end, lunch inside it) and each override date once"),
    "PG-LANG-101": ("Warning: a zh-Hant document writes Simplified forms (于 for 於, 并 for 並, 關系 for 關係)",
                    "write the Traditional forms the message names (found with OpenCC, tw2s then s2tw)"),
    "PG-RULES-101": ("Warning: a row of a FIRST or PRIORITY matrix can never decide", "remove the row or move it up"),
    "PG-TEST-001": ("A rule test case gives another result than it expects", "fix the rule, the matrix or the expectation"),
    "PG-TEST-002": ("A rule test case cannot be run", "fix the case's inputs, rule or matrix id"),
    "PG-RENDER-001": ("A template failed to render", "check the template named in the message (overrides in the project's templates/ folder)"),
    "PG-RENDER-002": ("A character is in none of the fonts that would print it",
                      "replace the character, or add a font that has it under `fonts:` in policygen.yaml"),
    "PG-RENDER-003": ("A PRIORITY matrix cannot be written as DMN (no order of its outputs gives its decisions)",
                      "list the roles in `priority` so that equal-ranked rows never compete, or use hit_policy: first"),
    "PG-IMPORT-001": ("The file is of a kind `policygen import` does not read",
                      "save it as .docx, .txt or .md (or .doc, with LibreOffice installed)"),
    "PG-IMPORT-002": ("A .doc file is read through LibreOffice, which is not installed",
                      "save the file as .docx in Word, or install LibreOffice (apt-get install libreoffice-writer-nogui)"),
    "PG-IMPORT-003": ("The file to import cannot be read (damaged, or text in an unknown encoding)",
                      "open it in Word or an editor and save it again as .docx or UTF-8 text"),
    "PG-IMPORT-004": ("No articles were found in the file to import", "check that the file holds a regulation (第一条 … or numbered points)"),
    "PG-IMPORT-101": ("Warning: imported text could not be placed in the regulation", "copy what belongs to the regulation into the YAML by hand"),
    "PG-IMPORT-102": ("Warning: a table of the imported file is not placed (drafted as a matrix when it is one)",
                      "review the draft matrix, or write the table's content as text"),
    "PG-IMPORT-103": ("Warning: an article or paragraph reference in the imported text could not be resolved",
                      "correct the number in the YAML, or write [[article:ID]]"),
    "PG-IMPORT-104": ("Warning: a threshold in the imported text falls in two rows, or in none",
                      "decide which row the amount belongs to and make the other bound exclusive (gt/lt)"),
    "PG-IMPORT-105": ("Warning: the Word file has tracked changes (taken as accepted) or comments (left out)",
                      "accept or reject the changes in Word if the accepted text is not the final one"),
    "PG-IMPORT-106": ("Warning: a value the format needs is not in the imported file; a placeholder is written",
                      "replace the placeholder in the YAML"),
    "PG-IMPORT-107": ("Warning: the article numbers of the imported file skip or repeat", "check that no article is missing"),
    "PG-IMPORT-108": ("Warning: a heading of the imported file runs into its text; its title is a guess",
                      "correct the title in the YAML"),
    "PG-IMPORT-109": ("Warning: a drafted matrix names an approver that is no role of the organization",
                      "add the role to the organization, or replace the placeholder id"),
    "PG-IMPORT-110": ("Warning: a drafted deadline in 日/天 is taken as calendar days", "make it working-days if working days are meant"),
    "PG-FORM-101": ("Warning: a copy of a form does not fit one sheet, even at the densest setting",
                    "give multiline fields fewer lines, shorten or move the notes, put more fields to a row (columns: 3), "
                    "or print on larger paper; a table can have `rows: fill`"),
    "PG-RENDER-101": ("Warning: a Han character is drawn by a fallback face, not the document's body face",
                      "it prints, in another CJK face; name a font that has it under `fonts:` for a uniform look"),
    "PG-BUILD-001": ("The output folder cannot be written", "check the permissions of the output folder and its parent"),
    "PG-BUILD-002": ("The output folder is not one policygen may replace",
                     "point `output:` in policygen.yaml at a folder used only for policygen's output"),
    "PG-BUILD-003": ("The render of a document was interrupted: its process died",
                     "build again; if it happens again, the machine may be short of memory: try -j 1"),
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
        for name in ("message", "hint", "path", "file"):  # text from the documents never reaches a terminal raw
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, escape_unprintable(value))

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


def format_text(d: Diagnostic, *, source_line: str | None = None, color: bool = False) -> str:
    """`file:line:col: error CODE: message (at path)`, then (given the text of that line of the file) the line with
    a caret under the column, then the hint; with `color`, in a terminal's colours (see `style`)."""
    where = f" (at {d.path})" if d.path else ""
    paint = style if color else _no_style
    text = (f"{paint(format_location(d), 'bold')}: {paint(d.severity.value, d.severity.value)} "
            f"{paint(d.code, d.severity.value)}: {paint(d.message, 'bold')}{where}")
    if source_line is not None and d.line is not None:
        text += "\n" + _excerpt(d, source_line, paint)
    if d.hint:
        text += f"\n    {paint('hint', 'hint')}: {d.hint}"
    return text


# ANSI SGR codes by what they mark: the severity, the caret (in the severity's colour), the gutter, the hint
STYLES = {"error": "1;31", "warning": "1;33", "bold": "1", "gutter": "34", "hint": "1;36"}
EXCERPT_WIDTH = 100  # terminal cells of a source line shown before it is cut around the column


def style(text: str, name: str) -> str:
    return f"\x1b[{STYLES[name]}m{text}\x1b[0m"


def _no_style(text: str, name: str) -> str:
    return text


def _cells(text: str) -> int:
    """Terminal cells `text` takes: two for wide (CJK) characters, one for the others."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def _excerpt(d: Diagnostic, line: str, paint) -> str:
    """The source line and, under it, a caret at the column, underlining the token that starts there."""
    line = line.rstrip("\r\n").expandtabs(1)
    column = max(1, min(d.column or 1, len(line) + 1)) - 1
    if _UNPRINTABLE.search(line):  # shown escaped, as in messages; the column moves with what comes before it
        column = len(escape_unprintable(line[:column]))
        line = escape_unprintable(line)
    named = re.match(r"(\[\[[^\]]*\]\])", d.message)  # a message about one [[reference]]: point at it in the text
    if named and line.find(named[1], column) >= 0:
        column = line.find(named[1], column)
    token = 0
    if named and line.startswith(named[1], column):
        token = len(named[1])
    else:
        while column + token < len(line) and line[column + token] not in " ,]}#" and token < 40:
            token += 1
    start = 0
    if _cells(line[:column]) > EXCERPT_WIDTH - 20:  # cut long lines to the part around the column
        start = column - 20
        while start < column and _cells(line[start:column]) > 40:
            start += 1
    shown = ("…" if start else "") + line[start:]
    if _cells(shown) > EXCERPT_WIDTH + 20:
        end = len(shown)
        while _cells(shown[:end]) > EXCERPT_WIDTH:
            end -= 1
        shown = shown[:max(end, column - start + (1 if start else 0) + token)] + "…"
    offset = _cells(("…" if start else "") + line[start:column])
    number = str(d.line)
    gutter = " " * len(number)
    caret = "^" * max(1, min(_cells(line[column:column + token]), 30, _cells(shown) - offset))
    return (f" {paint(number, 'gutter')} {paint('|', 'gutter')} {shown}\n"
            f" {gutter} {paint('|', 'gutter')} {' ' * offset}{paint(caret, d.severity.value)}")


def format_json(diagnostics: list[Diagnostic]) -> str:
    rows = []
    for d in diagnostics:
        row = asdict(d)
        row["severity"] = d.severity.value
        rows.append(row)
    return json.dumps({"diagnostics": rows}, ensure_ascii=False, indent=2)


EXPLANATIONS = Path(__file__).resolve().parent / "explanations"  # <CODE>.md: why it happens and an example fix


def explanation(code: str) -> str:
    """What `policygen explain CODE` prints: the catalogue's summary, the longer explanation with an example fix
    from explanations/<CODE>.md, and the default hint. A code without a longer text yet gets the summary and hint.
    Raises KeyError for a code not in the catalogue."""
    code = code.strip().upper()
    summary, hint = CATALOGUE[code]
    path = EXPLANATIONS / f"{code}.md"
    long = path.read_text(encoding="utf-8").strip() if path.is_file() else (
        "No longer explanation has been written for this code yet; the summary above and the hint below say "
        "what it means and what to do.")
    return f"{code}: {summary}\n\n{long}\n\nhint: {hint}"
