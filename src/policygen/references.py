"""The one markup regulation text has: references written `[[kind:id]]`.

    [[article:ID]]             the current number of an article of the same regulation (第二十七条)
    [[article:REGULATION/ID]]  an article of another regulation (《标题》第三条)
    [[rule:ID]]                a rule's value with its unit (3 个工作日)
    [[form:ID]]                a form's title in book quotes (《产品退货单》)
    [[matrix:ID]]              an approval matrix: its title inline, or the whole table when it is a paragraph alone
    [[regulation:ID]]          another regulation's title in book quotes
    [[procedure:ID]]           a procedure: its title inline, or its flowchart and step table as a paragraph alone
    [[department:ID]]          [[role:ID]]   a department's or role's name
    [[company]]  [[company:short]]           the company's full or short name

`\\[[` prints literal brackets. Anything else in the text is data and is printed exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("article", "rule", "form", "matrix", "regulation", "department", "role", "company", "procedure")
_ID = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
_REF = re.compile(rf"\[\[(?P<kind>[a-z]+)(?::(?P<target>(?:{_ID}/)?{_ID}))?\]\]")


@dataclass(frozen=True)
class Ref:
    kind: str
    target: str | None  # None only for [[company]]
    offset: int  # character offset in the raw text, for diagnostics


@dataclass(frozen=True)
class MarkupError:
    message: str
    offset: int


Segment = str | Ref


def parse(text: str) -> tuple[list[Segment], list[MarkupError]]:
    """Split text into literal strings and references; report malformed references."""
    segments: list[Segment] = []
    errors: list[MarkupError] = []
    literal: list[str] = []
    i = 0
    while True:
        j = text.find("[[", i)
        if j < 0:
            literal.append(text[i:])
            break
        if j > 0 and text[j - 1] == "\\":
            literal.append(text[i : j - 1] + "[[")
            i = j + 2
            continue
        literal.append(text[i:j])
        match = _REF.match(text, j)
        if match is None or match["kind"] not in KINDS or _bad_target(match):
            end = text.find("]]", j)
            shown = text[j : end + 2] if 0 <= end < j + 80 else text[j : j + 20] + "…"
            errors.append(MarkupError(f"'{shown}' is not a valid reference", j))
            literal.append(text[j : j + 2])
            i = j + 2
            continue
        if any(literal):
            segments.append("".join(literal))
        literal = []
        segments.append(Ref(match["kind"], match["target"], j))
        i = match.end()
    if any(literal):
        segments.append("".join(literal))
    return segments, errors


def _bad_target(match: re.Match) -> bool:
    kind, target = match["kind"], match["target"]
    if kind == "company":
        return target not in (None, "full", "short")
    if target is None:
        return True
    return "/" in target and kind != "article"
