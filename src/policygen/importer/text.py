"""Plain text (.txt) and Markdown (.md): one paragraph per line.

Page numbers of text taken from a printed page ("— 1 —", "第 1 页 共 9 页") are left out, and the line after
them continues the line before, so a sentence broken by a page break is joined again.

Lines wrapped inside a paragraph (text copied from a PDF or a web page) are marked `adjacent`, so the
recogniser can join a line that does not end a sentence with the next; a line as wide as the text's lines run
(nine tenths of its widest lines, counting a Chinese character twice) is marked `full`: it may have been wrapped
at the edge of a page, where a shorter one ends its paragraph. Tables are recognised when they are written as
tables: tab-separated cells (what Word's "Save as plain text" writes), Markdown `| a | b |` rows, or two or more
lines of the same number of short space-separated cells ("客户投诉金额 1000元以下 1000-5000元"), which are
marked `guessed`; a full line is wrapped text, never such a row.
"""

from __future__ import annotations

import re
from pathlib import Path

from .normalise import is_wide
from .outline import ARTICLE, CHAPTER, SECTION
from .source import ReadError, SourceDocument, SourceParagraph

_SENTENCE = re.compile(r"[。，；：,;:！？!?]")
# Page furniture that text taken from a printed page carries: "— 1 —", "- 2 -", "第 3 页 共 9 页", "3/9".
_PAGE_NUMBER = re.compile(r"^\s*(?:[—\-－–]+\s*\d+\s*[—\-－–]+|第\s*\d+\s*[页頁](?:\s*共\s*\d+\s*[页頁])?|\d+\s*/\s*\d+)\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


# The commonest characters of Chinese text, in both scripts: a legacy file is decoded as GB18030 or as Big5,
# whichever reads as more of them (GB18030 accepts nearly any Big5 bytes, as nonsense).
_COMMON = set("的一是在不了有和人中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
              "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开"
              "它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又利比或但质第向道此变条"
              "只没结解问意建月公无系很情者最立代想已通并提直题程展五果料象员位入常文总次品式活设及管特件长求基资"
              "為個國時來們於對會發過說產種後學經進著電裡實兩體機當點從業應開還義與關間樣數質變條沒結問無係總設長資"
              "務處辦規則服客戶訂單應責權專員內確認")


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    readings = []
    for encoding in ("gb18030", "big5"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.append((sum(c in _COMMON for c in text), text))
    if not readings:
        raise ReadError("PG-IMPORT-003", "the file is neither UTF-8, GB18030 nor Big5 text")
    return max(readings, key=lambda r: r[0])[1]


def read_text(path: Path, markdown: bool = False) -> SourceDocument:
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise ReadError("PG-IMPORT-003", f"cannot read the file: {exc.strerror}") from None
    paragraphs: list[SourceParagraph] = []
    previous_blank = True
    in_fence = False
    skipping_page_break = False
    for number, line in enumerate(text.splitlines(), start=1):
        if markdown:
            if line.lstrip().startswith("```"):
                in_fence = not in_fence
                previous_blank = True
                continue
            if not in_fence:
                line = _markdown_line(line)
        line = line.replace("\f", "")
        if _PAGE_NUMBER.match(line):
            skipping_page_break = True  # the text goes on after the page break as if it had none
            continue
        if not line.strip():
            if not skipping_page_break:
                previous_blank = True
            continue
        skipping_page_break = False
        cells = _cells(line, markdown)
        paragraphs.append(SourceParagraph(number, line, rows=[cells] if cells else None, adjacent=not previous_blank))
        previous_blank = False
    _mark_full(paragraphs)
    return SourceDocument(_merge_tables(paragraphs), unit="line")


def width(text: str) -> int:
    """How wide a line is set: a Chinese character or full-width mark counts twice."""
    return sum(2 if is_wide(c) else 1 for c in text.strip())


def _mark_full(paragraphs: list[SourceParagraph]) -> None:
    """Mark the lines that reach the width the text's lines run to: the line width of the text's widest tenth
    of lines (in a text of ten lines or more). Text copied from a PDF fills its lines to the type area; text Word
    saves has one paragraph a line, the widest of them far wider than most, so that few lines count as full there."""
    widths = sorted(width(p.text) for p in paragraphs)
    if len(widths) < 10:
        return  # too few lines to tell how wide they run
    edge = widths[int(len(widths) * 0.9)]
    for p in paragraphs:
        p.full = width(p.text) >= 0.8 * edge


def _markdown_line(line: str) -> str:
    if _MD_RULE.match(line) and "-" in line:
        return ""
    line = _MD_HEADING.sub("", line)
    line = re.sub(r"^\s{0,3}>\s?", "", line)
    line = re.sub(r"^\s*[-*+]\s+", "", line)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)


def _cells(line: str, markdown: bool) -> list[str] | None:
    stripped = line.strip()
    if markdown and stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        return [c.strip() for c in stripped[1:-1].split("|")]
    if "\t" in stripped:  # a row's empty first cell is a tab at the start of the line
        return [c.strip() for c in line.strip(" \u3000").split("\t")]
    return None


def _space_cells(line: str) -> list[str] | None:
    """Cells of a table row typed with spaces; only in Chinese text, where spaces do not separate words."""
    if not any("\u4e00" <= c <= "\u9fff" for c in line) or any(p.match(line.strip()) for p in (ARTICLE, CHAPTER, SECTION)):
        return None
    cells = line.split()
    if len(cells) < 3 or any(len(c) > 15 or _SENTENCE.search(c) for c in cells):
        return None
    return cells


def _merge_tables(paragraphs: list[SourceParagraph]) -> list[SourceParagraph]:
    """Consecutive table rows become one table; so do runs of two or more lines of equally many short
    space-separated cells."""
    out: list[SourceParagraph] = []
    i = 0
    while i < len(paragraphs):
        p = paragraphs[i]
        if p.is_table:
            rows = list(p.rows)
            j = i + 1
            while j < len(paragraphs) and paragraphs[j].is_table:
                rows.extend(paragraphs[j].rows)
                j += 1
            out.append(SourceParagraph(p.number, p.text, rows=rows, adjacent=p.adjacent, last=paragraphs[j - 1].number))
            i = j
            continue
        cells = None if p.full else _space_cells(p.text)
        if cells:
            rows = [cells]
            j = i + 1
            while j < len(paragraphs) and not paragraphs[j].is_table:
                more = None if paragraphs[j].full else _space_cells(paragraphs[j].text)
                if not more or len(more) != len(cells):
                    break
                rows.append(more)
                j += 1
            if len(rows) >= 2:
                out.append(SourceParagraph(p.number, p.text, rows=rows, adjacent=p.adjacent, guessed=True,
                                           last=paragraphs[j - 1].number))
                i = j
                continue
        out.append(p)
        i += 1
    return out
