"""The parts of a regulation as the recogniser finds them, before they are written as YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SENTENCE_END = "。；;！？!?."  # "." ends an English sentence
CLOSING = "”’」』》）)】〕"  # closing quotation marks and brackets: the end of a phrase
PUNCT = re.compile(r"[。，；：,;:！？!?、]|\.(?=\s|$)")


@dataclass
class Para:
    number: int
    text: str
    rows: list[list[str]] | None = None
    style: str = ""
    adjacent: bool = False
    kind: str = "text"  # text, table, chapter, section, article, marker, attachment, revisions, picture, procedure
    value: int = 0  # the number of a label or marker
    rest: str = ""  # the text after the label or marker
    marker_kind: str = ""
    index: int = 0  # position in the stream
    caption: str = ""  # a table's title: the short line just above it
    full: bool = False  # a text line as wide as the text's lines run (see SourceParagraph.full)
    layout: list[list[tuple[str, int, str | None]]] | None = None  # a Word table's cells with their merges
    widths: list[float] | None = None
    guessed: bool = False  # a table guessed from space-separated cells
    table: dict | None = None  # the table paragraph (`table:`) a table is imported as
    unplaced: str = ""  # why a table is not imported as a table paragraph
    last: int | None = None  # the source number of a table's last row, when it has one of its own


@dataclass
class Note:
    """Something the author must look at: a diagnostic code, a message and the source numbers it concerns."""

    code: str
    message: str
    first: int | None = None
    last: int | None = None
    hint: str | None = None  # when the catalogue's hint does not fit


@dataclass
class ArticleDraft:
    number: int  # as numbered in the source
    source: int  # where its label stands
    body: list[Para] = field(default_factory=list)
    paragraphs: list[dict] = field(default_factory=list)  # [{"text", "items": [{"text", "subitems"}]}]
    clause: str | None = None
    tables: list[Para] = field(default_factory=list)
    id: str = ""  # given when the document is written


@dataclass
class Section:
    title: str
    articles: list[ArticleDraft] = field(default_factory=list)


@dataclass
class Chapter:
    title: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class Recognised:
    title: str | None = None
    number: str | None = None
    version: str | None = None
    effective: str | None = None
    language: str = "zh-Hans"
    preamble: list[str] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    attachments: list[tuple[str, int]] = field(default_factory=list)  # (title, source number)
    procedure_attachments: set[int] = field(default_factory=set)  # source numbers of attachments printing a procedure
    revisions: list[dict] = field(default_factory=list)
    tables: list[tuple[Para, ArticleDraft | None]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    outline: bool = False  # written as an outline, without article labels
    left_out: list[tuple[Para, str]] = field(default_factory=list)
    meta_lines: list[str] = field(default_factory=list)  # the lines the number, version or date came from
    front_lines: list[Para] = field(default_factory=list)  # other short lines between the title and the text

    def leave_out(self, paras: list[Para], why: str) -> None:
        self.left_out.extend((p, why) for p in paras)

    @property
    def articles(self) -> list[ArticleDraft]:
        return [a for c in self.chapters for s in c.sections for a in s.articles]


def title_like(text: str) -> bool:
    return 0 < len(text) <= 60 and not PUNCT.search(text.rstrip("？?！!"))


def join(before: str, after: str) -> str:
    """Two pieces of one line broken by a line end: English words keep a space between them."""
    if before[-1:].isascii() and before[-1:].strip() and after[:1].isascii() and after[:1].isalnum():
        return before + " " + after
    return before + after


def continues(text: str, full: bool, running: bool = True) -> bool:
    """Whether a line of a text file ending with `text` goes on on the next line. It does when it stops
    mid-sentence, and either mid-phrase or at the full width of the text: a line ending with a closing quotation
    mark or bracket ends a phrase, and when it is shorter than the text's lines run, its paragraph too. A full
    line of running text (`running`: not a numbered point) that ends with ； goes on as well: a paragraph (款)
    ends with 。, while a point of a list may end with ；."""
    last = text[-1:]
    if last in "；;":
        return full and running
    return bool(last) and last not in SENTENCE_END + "：:" and (full or last not in CLOSING)


def left_out_procedure(title: str = "") -> str:
    """Why what policygen prints for a procedure is left out; `title`, the description of its chart's picture."""
    named = f" “{title}”" if title else ""
    return (f"a procedure's flowchart{named} and step table, which cannot be imported as a procedure: write the "
            "procedure as a document of its own (kind: procedure) and a paragraph [[procedure:ID]] in its place")


def sentence_like(text: str) -> bool:
    return bool(PUNCT.search(text)) and len(text) > 20


def excerpt(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"
