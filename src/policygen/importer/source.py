"""What every reader hands the recogniser: the document as one stream of paragraphs.

A paragraph keeps its number in the source (the line of a text file, the paragraph of a Word file) so that
everything the importer cannot place is reported where the author can find it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceParagraph:
    number: int  # line (text) or paragraph (Word) number in the source, 1-based
    text: str  # as read; normalised by the recogniser
    rows: list[list[str]] | None = None  # a table: its rows of cell texts
    style: str = ""  # the Word paragraph style ("Title", "Heading 1", "Caption", …), empty for text
    adjacent: bool = False  # a text line that directly follows the previous one (no blank line between)
    full: bool = False  # a text line as wide as the text's lines run: it may be wrapped, the paragraph going on
    layout: list[list[tuple[str, int, str | None]]] | None = None  # a Word table: per row, (text, colspan, vMerge)
    widths: list[float] | None = None  # a Word table's column widths (its grid)
    guessed: bool = False  # a table guessed from a text's space-separated cells, not written as one
    picture: str | None = None  # a paragraph that is only a picture: its description (alt text), maybe empty
    last: int | None = None  # a table of a text file: the line of its last row

    @property
    def is_picture(self) -> bool:
        return self.picture is not None

    @property
    def is_table(self) -> bool:
        return self.rows is not None


@dataclass
class SourceDocument:
    paragraphs: list[SourceParagraph]
    unit: str = "paragraph"  # how the numbers count: "line" for text files, "paragraph" for Word
    notes: list[tuple[str, str, int | None]] = field(default_factory=list)  # (code, message, number) from the reader


class ReadError(Exception):
    """The file cannot be read at all; carries the diagnostic code to report."""

    def __init__(self, code: str, message: str, hint: str | None = None):
        super().__init__(message)
        self.code = code
        self.hint = hint
