"""From a stream of paragraphs to a regulation: title, document number, chapters › sections › articles ›
paragraphs (款) › items (项) › sub-items (目), closing clauses, attachments; and what could not be placed.

Two ways of writing a regulation are recognised:

- with article labels (第一条, 第1条, 第一條): the labels make the articles; 第一章 / 第一节 labels, or short
  numbered headings between articles ("（一）总则", "一、总则"), make chapters and sections; the outline
  markers inside an article make its items and sub-items, in the order their kinds first appear;
- as an outline without article labels (一、 › （一） › 1.): the marker kinds whose paragraphs are headings
  make chapters and sections, the first kind whose paragraphs are sentences makes the articles.

The regulation ends where the source goes on with something else: a second regulation (article numbers start
again at 1), or, after the last article, a paragraph that is neither a numbered point nor a sentence.

A table in an article becomes a table paragraph (tables.py), unless it is a threshold table (drafted as an
approval matrix, drafts.py) or was only guessed from space-separated text. What policygen prints for a
procedure, its flowchart and step table (步骤 / 责任部门 / 时限 / 表单), cannot be read back into a procedure:
it is left out and reported, in Word as the picture and the table, in text taken from a PDF as the chart's
labels before the table's header line and the lines of its steps after it.
"""

from __future__ import annotations

import re

from .body import article_body
from .drafts import table_thresholds
from .front import DOC_WORDS, find_date, read_front
from .normalise import normalise, script
from .outline import ARTICLE, CHAPTER, SECTION, label, marker, split_run_on
from .source import SourceDocument
from .tables import is_step_header, is_step_header_line, table_paragraph
from .tree import (PUNCT, SENTENCE_END, ArticleDraft, Chapter, Note, Para, Recognised, Section, excerpt, left_out_procedure,
                   sentence_like, title_like)

_ATTACHMENT = re.compile(r"^(附表|附件|附录|附錄)\s*([0-9一二三四五六七八九十]*)\s*[：:、.]?\s*(.*)$")
_REVISIONS = ("修订记录", "修訂記錄", "Revision record")


# --- paragraphs ---------------------------------------------------------------------------------------------

def prepare(doc: SourceDocument) -> list[Para]:
    out: list[Para] = []
    for p in doc.paragraphs:
        if p.is_picture:
            out.append(Para(p.number, "", style=p.style, kind="picture", caption=p.picture))
            continue
        if p.is_table:
            rows = [[normalise(c) for c in row] for row in p.rows]
            layout = None if p.layout is None else [[(normalise(t), n, v) for t, n, v in row] for row in p.layout]
            out.append(Para(p.number, "", rows=rows, style=p.style, adjacent=p.adjacent, kind="table", layout=layout,
                            widths=p.widths, guessed=p.guessed, last=p.last))
            continue
        text = normalise(p.text)
        if not text:
            continue
        pieces = split_run_on(text) if len(text) > 150 else [text]
        for k, piece in enumerate(pieces):
            out.append(classify(Para(p.number, piece, style=p.style, adjacent=p.adjacent and k == 0,
                                     full=p.full and k == len(pieces) - 1)))
    _procedures(out)
    out = [p for p in out if p.kind != "picture"]  # other pictures are left out, as they always were
    captioned: list[Para] = []
    for p in out:
        if p.kind == "table" and captioned and captioned[-1].kind == "text" and title_like(captioned[-1].text):
            p.caption = captioned.pop().text
        captioned.append(p)
    for k, p in enumerate(captioned):
        p.index = k
    return captioned


def classify(p: Para) -> Para:
    for kind, pattern in (("article", ARTICLE), ("chapter", CHAPTER), ("section", SECTION)):
        m = pattern.match(p.text)
        if m:
            value, rest = label(m)
            if not value or kind != "article" and len(rest) > (80 if rest.isascii() else 30):
                continue
            p.kind, p.value, p.rest = kind, value, rest.strip()
            return p
    if p.text in _REVISIONS:
        p.kind = "revisions"
        return p
    m = _ATTACHMENT.match(p.text)
    if m and len(p.text) <= 40 and "。" not in p.text and (m.group(2) or m.group(3) == "" or p.text[2:3] in "：: "):
        p.kind, p.rest = "attachment", m.group(3).strip()
        return p
    mk = marker(p.text)
    if mk:
        p.kind, p.value, p.rest, p.marker_kind = "marker", mk.value, mk.rest, mk.kind
    return p


def _procedures(paras: list[Para]) -> None:
    """Mark what policygen prints for a procedure as kind "procedure": in Word (and Word's plain text) the step
    table, with the flowchart's picture just above it; in text taken from a PDF, the step table's header line,
    the chart's labels before it (back to the text that leads to it) and the lines of its steps after it."""
    i = 0
    while i < len(paras):
        p = paras[i]
        if p.kind == "table" and not p.guessed and is_step_header(p.rows[0]):
            start, end = i, i + 1
            if start > 0 and paras[start - 1].kind == "picture":
                start -= 1
        elif (p.kind == "table" and is_step_header(p.rows[0])) or (p.kind == "text" and is_step_header_line(p.text)):
            start, end = i, i + 1
            while start > 0 and _chart_label(paras[start - 1]):
                start -= 1
            while end < len(paras) and _step_line(paras[end]):
                end += 1
        else:
            i += 1
            continue
        title = next((q.caption for q in paras[start:end] if q.kind == "picture"), "")  # the chart's description
        for q in paras[start:end]:
            q.kind, q.caption = "procedure", title
        i = end


def _chart_label(p: Para) -> bool:
    """A line of a flowchart's labels as a PDF's text gives them: short texts that end no sentence or lead-in."""
    return p.kind == "picture" or p.kind == "table" and p.guessed or (
        p.kind == "text" and not p.text.endswith(("。", "：", ":", "；", ";")))


def _step_line(p: Para) -> bool:
    """A line of a printed step table: a numbered step (1. …), its other cells, a repeated header."""
    return (p.kind == "text" or p.kind == "marker" and p.marker_kind == "ar-dot"
            or p.kind == "table" and (p.guessed or is_step_header(p.rows[0])))


def _heading(p: Para) -> bool:
    """A numbered heading such as （一）总则: a marker with a short title and no sentence punctuation."""
    return p.kind == "marker" and title_like(p.rest) and len(p.rest) <= 20


# --- the whole document ---------------------------------------------------------------------------------------

def recognise(doc: SourceDocument) -> Recognised:
    paras = prepare(doc)
    result = Recognised()
    result.language = script("".join(p.text for p in paras))
    unit = doc.unit
    if any(p.kind == "article" for p in paras):
        _with_labels(paras, result, unit)
    else:
        result.outline = True
        _as_outline(paras, result, unit)
    report_left_out(result, unit)
    _effective_from_clause(result)
    return result


def _effective_from_clause(result: Recognised) -> None:
    for a in result.articles:
        if a.clause == "effective" and result.effective is None:
            result.effective = find_date(a.paragraphs[0]["text"])


def report_left_out(result: Recognised, unit: str) -> None:
    """One note per run of paragraphs left out for the same reason, next to each other in the source."""
    runs: list[list] = []
    for p, why in sorted(result.left_out, key=lambda e: e[0].index):
        if runs and runs[-1][-1][1] == why and runs[-1][-1][0].index + 1 >= p.index:
            runs[-1].append((p, why))
        else:
            runs.append([(p, why)])
    for run in runs:
        first, last, why = run[0][0].number, run[-1][0].last or run[-1][0].number, run[0][1]
        where = f"{unit} {first}" if first == last else f"{unit}s {first}–{last}"
        head = next((p for p, _ in run if p.text or p.rows), run[0][0])  # not a picture, which has no text
        shown = head.text or " | ".join(head.rows[0]) if head.rows else head.text
        result.notes.append(Note("PG-IMPORT-101", f"{where} not placed ({why}): “{excerpt(shown)}”", first, last))


def _with_labels(paras: list[Para], result: Recognised, unit: str) -> None:
    previous = 0
    for p in paras:  # "第五条所列…" at the start of a paragraph after 第八条 is a reference, not a label
        if p.kind == "article":
            if previous and 1 < p.value <= previous:
                p.kind, p.rest = "text", ""
                result.notes.append(Note("PG-IMPORT-107", f"{unit} {p.number}: “{excerpt(p.text, 8)}” starts like "
                                         f"article {p.value}, after article {previous}: read as text of article {previous}", p.number))
                continue
            previous = p.value
    articles = [i for i, p in enumerate(paras) if p.kind == "article"]
    first = articles[0]
    cut = len(paras)
    for i in articles[1:]:
        if paras[i].value == 1:  # numbering starts again: a second regulation
            cut = i
            while cut > first and (paras[cut - 1].kind in ("chapter", "section") or _heading(paras[cut - 1])
                                   or paras[cut - 1].kind == "text" and title_like(paras[cut - 1].text)):
                cut -= 1
            break
    start = first
    while start > 0 and (paras[start - 1].kind in ("chapter", "section") or _heading(paras[start - 1])
                         or _plain_heading(paras, start - 1) and not paras[start - 1].text.endswith(DOC_WORDS)):
        start -= 1
    read_front(paras[:start], result, unit)
    body = paras[start:cut]
    has_chapter_labels = any(p.kind == "chapter" for p in body)
    heading_kinds: list[str] = []
    last_heading: dict[str, int] = {}  # marker kind -> the number of the last heading of that kind
    for k, p in enumerate(body):
        if (_heading(p) and k + 1 < len(body) and _before_article(body, k)
                and not (last_heading.get(p.marker_kind) != p.value - 1 and _continues_points(body, k))):
            p.kind = "heading"
            last_heading[p.marker_kind] = p.value
            if p.marker_kind not in heading_kinds:
                heading_kinds.append(p.marker_kind)
    chapter_kind = None if has_chapter_labels else (heading_kinds[0] if heading_kinds else None)
    for p in body:
        if p.kind == "heading":
            p.kind = "chapter" if p.marker_kind == chapter_kind else "section"
    numbered = has_chapter_labels or bool(heading_kinds)  # a document that numbers its headings numbers them all
    for k, p in enumerate(body):
        if _plain_heading(body, k, styled_only=numbered):
            level = p.style.lower()
            if level == "heading 1" or level != "heading 2" and not has_chapter_labels and chapter_kind is None:
                p.kind, p.rest = "chapter", p.text
            else:
                p.kind, p.rest = "section", p.text
    _build(body, result, unit, article_kind="article")
    if cut < len(paras):
        result.leave_out(paras[cut:], "a second document starts here: import it from a file of its own")


def _plain_heading(paras: list[Para], k: int, styled_only: bool = False) -> bool:
    """A heading without a number: a paragraph in Word's Heading 1 or 2 style, or a short line without
    punctuation that stands just before an article (and is not the text of an article label standing alone)."""
    p = paras[k]
    if p.kind != "text" or not title_like(p.text):
        return False
    if p.style.lower() in ("heading 1", "heading 2"):
        return True
    if styled_only:
        return False
    after = paras[k + 1] if k + 1 < len(paras) else None
    before = paras[k - 1] if k > 0 else None
    return (len(p.text) <= 12 and after is not None and after.kind == "article"
            and not (before is not None and before.kind == "article" and not before.rest))


def _continues_points(body: list[Para], k: int) -> bool:
    """The marker at k is a numbered point of the article before it, not a heading: the next of its points
    (（八） after its （七）), or the first after the text that announces them (客服职责：). The points of an
    article can be as short as headings, and the last of them stands just before the next heading."""
    p = body[k]
    for q in reversed(body[:k]):
        if q.kind == "marker":
            if q.marker_kind == p.marker_kind:
                return q.value + 1 == p.value
            continue  # a point of another kind: a sub-item
        if q.kind not in ("article", "text"):
            return False
        if p.value == 1 and (q.rest if q.kind == "article" else q.text).endswith(("：", ":")):
            return True
        if q.kind == "article":
            return False
    return False


def _before_article(body: list[Para], k: int) -> bool:
    """The paragraphs after a heading lead to an article before any text."""
    for p in body[k + 1:]:
        if p.kind == "article":
            return True
        if not (p.kind in ("chapter", "section") or _heading(p)):
            return False
    return False


def _as_outline(paras: list[Para], result: Recognised, unit: str) -> None:
    markers = [p for p in paras if p.kind == "marker"]
    order: list[str] = []
    for p in markers:
        if p.marker_kind not in order:
            order.append(p.marker_kind)
    headings, article_kind = [], None
    for kind in order:
        mine = [p for p in markers if p.marker_kind == kind]
        if sum(_heading(p) for p in mine) * 2 > len(mine) and len(headings) < 2:
            headings.append(kind)
        else:
            article_kind = kind
            break
    if article_kind is None:
        if not headings:
            return  # no articles: the caller reports it
        article_kind = headings.pop()
    top = headings[0] if headings else article_kind
    start = next(i for i, p in enumerate(paras) if p.kind == "marker" and p.marker_kind == top)
    read_front(paras[:start], result, unit)
    body = paras[start:]
    for p in body:
        if p.kind == "marker" and p.marker_kind in headings:
            p.kind = "chapter" if p.marker_kind == headings[0] else "section"
        elif p.kind == "marker" and p.marker_kind == article_kind:
            p.kind = "article"
        elif p.kind in ("chapter", "section"):
            p.kind, p.rest = "text", p.text
    _build(body, result, unit, article_kind=article_kind)


# --- the body -------------------------------------------------------------------------------------------------

def _build(body: list[Para], result: Recognised, unit: str, article_kind: str) -> None:
    chapter: Chapter | None = None
    section: Section | None = None
    article: ArticleDraft | None = None
    attachment: tuple[str, int] | None = None
    attachment_paras: list[Para] = []
    revisions = False
    pending_title: Para | None = None  # a chapter or section label with its title on the next line

    listed: list[tuple[str, int]] = []  # "附件：" followed by a numbered list of titles

    def close_attachment():
        if attachment is not None:
            result.attachments.extend(listed or [attachment])
            if any(q.kind == "procedure" for q in attachment_paras) and not listed:
                result.procedure_attachments.add(attachment[1])
            if attachment_paras:
                result.leave_out(attachment_paras, f"content of the attachment “{attachment[0]}”")

    last_article_index = max(i for i, p in enumerate(body) if p.kind == "article") if any(
        p.kind == "article" for p in body) else -1
    ended_at = None
    for i, p in enumerate(body):
        if pending_title is not None:
            if p.kind == "text" and title_like(p.text):
                (chapter if pending_title.kind == "chapter" else section).title = p.text
                pending_title = None
                continue
            pending_title = None
        if p.kind == "attachment" and (article is not None or attachment is not None):  # 附表1, then 附表2 …
            close_attachment()
            attachment, attachment_paras, article, revisions = (p.rest or p.text, p.number), [], None, False
            listed = []
            continue
        if attachment is not None:
            if p.kind == "marker" and not attachment_paras and (listed or not body[i - 1].rest):
                listed.append((p.rest, p.number))  # 附件：1. 客户投诉处理表 2. …
            else:
                attachment_paras.append(p)
            continue
        if p.kind == "revisions" and article is not None:
            revisions, article = True, None
            continue
        if revisions:
            if p.kind == "table" and not result.revisions:
                result.revisions = _revision_rows(p.rows)
                if result.revisions:
                    continue
            result.leave_out([p], "after the revision record")
            continue
        if p.kind == "procedure":
            result.leave_out([p], left_out_procedure(p.caption))
            continue
        if p.kind in ("chapter", "section"):
            title, text = p.rest, None
            after = body[i + 1].kind if i + 1 < len(body) else None
            if sentence_like(p.rest) and after not in (("article", "section") if p.kind == "chapter" else ("article",)):
                title, text = _guess_title(p.rest), p.rest
                result.notes.append(Note("PG-IMPORT-108", f"{unit} {p.number}: the heading runs into its text "
                                         f"(“{excerpt(p.rest, 16)}”); the title “{title}” is a guess, and the "
                                         "whole text became the article below it", p.number))
            if p.kind == "chapter":
                chapter, section = Chapter(title), None
                result.chapters.append(chapter)
            else:
                if chapter is None:
                    chapter = Chapter("")
                    result.chapters.append(chapter)
                section = Section(title)
                chapter.sections.append(section)
            if not p.rest:
                pending_title = p
            if text is not None:
                article = ArticleDraft(0, p.number, body=[Para(p.number, text)])
                if section is None:
                    section = Section("")
                    chapter.sections.append(section)
                section.articles.append(article)
            continue
        if p.kind == "article":
            if chapter is None:
                chapter = Chapter("")
                result.chapters.append(chapter)
            if section is None:
                section = Section("")
                chapter.sections.append(section)
            article = ArticleDraft(p.value, p.number)
            if p.rest:
                article.body.append(Para(p.number, p.rest, kind="text"))
            section.articles.append(article)
            if i == last_article_index:
                ended_at = _last_article_end(body, i)
            continue
        if ended_at is not None and i >= ended_at:
            result.leave_out([p], "after the end of the regulation")
            continue
        if article is None:
            result.leave_out([p], "between headings, outside any article")
            continue
        if p.kind == "table":
            _place_table(p, article, result, unit)
            continue
        article.body.append(p)
    close_attachment()
    _fix_sections(result)
    marked: set[str] = set()
    for a in result.articles:
        article_body(a, result, unit, article_kind)
        if a.clause in marked:  # one article of each closing clause
            a.clause = None
        marked.add(a.clause)
    if not result.outline:
        _check_numbers(result, unit)


def _place_table(p: Para, article: ArticleDraft, result: Recognised, unit: str) -> None:
    """A table in an article: a table paragraph where it stands, unless it is a threshold table (drafted as a
    matrix) or a guess; those are kept for drafts.py, which drafts or reports them."""
    if p.guessed:
        p.unplaced = ("it was read from space-separated cells, which may not be a table: write it as a table "
                      "paragraph (table:) if it is one")
    elif table_thresholds(p.rows) is None:
        p.table, changes = table_paragraph(p.rows, p.layout, p.widths, p.caption)
        if p.table is not None:
            article.body.append(p)
            for change in changes:
                result.notes.append(Note("PG-IMPORT-102", f"{unit} {p.number}: the table of article {article.number} "
                                         f"became a table paragraph, changed to fit the format: {change}", p.number))
            return
        p.unplaced = changes[0]
    article.tables.append(p)
    result.tables.append((p, article))


def _last_article_end(body: list[Para], i: int) -> int:
    """Where the last article's text stops: at the first paragraph after it that is neither a numbered point, a
    sentence, nor the continuation of a line; attachments and the revision record end it too."""
    previous = body[i]
    for j in range(i + 1, len(body)):
        p = body[j]
        if p.kind in ("attachment", "revisions"):
            return len(body)  # _build handles these
        if p.kind in ("table", "marker", "procedure"):
            previous = p
            continue
        text = p.text
        ends_sentence = text[-1:] in "。；;：:."
        continues = (p.adjacent and previous.text[-1:] not in SENTENCE_END + "：:" and not previous.kind == "table"
                     and not title_like(text))
        if not (ends_sentence or continues) or (text[-1:] in "！!？?" and len(text) < 20):
            return j
        previous = p
    return len(body)


def _fix_sections(result: Recognised) -> None:
    """A chapter holds either sections or articles: articles that stand before its first titled section go
    into a section without title only when the chapter has no titled section at all."""
    for chapter in result.chapters:
        titled = [s for s in chapter.sections if s.title]
        untitled = [s for s in chapter.sections if not s.title and s.articles]
        if titled and untitled:
            for s in untitled:  # articles before the first section: join them to the section that follows
                k = chapter.sections.index(s)
                target = next((t for t in chapter.sections[k + 1:] if t.title), None)
                if target is None:
                    target = next(t for t in reversed(chapter.sections[:k]) if t.title)
                    target.articles.extend(s.articles)
                else:
                    target.articles[:0] = s.articles
                result.notes.append(Note("PG-IMPORT-101", f"articles before the first section of chapter “{chapter.title}” were put in the section “{target.title}”", s.articles[0].source))
        kept = [s for s in chapter.sections if s.articles and (s.title or not titled)]
        for s in chapter.sections:
            if s not in kept and s.title:
                result.notes.append(Note("PG-IMPORT-101", f"the section “{s.title}” has no articles: left out"))
        chapter.sections = kept
    for c in result.chapters:
        if not c.sections:
            result.notes.append(Note("PG-IMPORT-101", f"the chapter “{c.title}” has no articles: left out"))
    result.chapters = [c for c in result.chapters if c.sections]


def _guess_title(text: str) -> str:
    """The words before the first punctuation mark, at most eight characters of them."""
    head = PUNCT.split(text, 1)[0]
    return head[:8] if len(head) > 8 else head


def _revision_rows(rows: list[list[str]]) -> list[dict]:
    out = []
    for row in rows[1:]:
        if len(row) < 3:
            return []
        date = find_date(row[1])
        if not date or not row[2]:
            return []
        out.append({"version": row[0], "date": date, "summary": row[2]})
    return out


def _check_numbers(result: Recognised, unit: str) -> None:
    expected = 1
    for a in result.articles:
        if a.number != expected:
            result.notes.append(Note("PG-IMPORT-107", f"{unit} {a.source}: the source numbers this article {a.number}, "
                                     f"where {expected} was expected; policygen numbers it {expected}", a.source))
        expected += 1
