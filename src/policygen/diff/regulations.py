"""Regulations compared article by article (by id): added, removed, moved, renumbered, reworded; the printed
texts character by character; the rule, matrix, form and procedure changes that concern each regulation."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..language import article_label
from ..model import Article, Project, Regulation, Text
from ..references import Ref, parse
from .changes import (ArticleChange, ArticleState, Changes, ChapterChange, RefChange, RegulationChanges, Segment)
from .values import value_changes


def article_lines(project: Project, reg: Regulation, article: Article, resolved: bool = True) -> list[str]:
    """An article's text as printed (or as written, `resolved=False`): one line per paragraph, item and
    sub-item, items with their labels. A paragraph that is only a matrix prints its title here."""
    from ..language import item_label, strings, subitem_label
    from ..resolve import Resolver

    lang = reg.language
    sep = strings(lang)["item_sep"]
    resolver = Resolver(project, lang, reg)

    def text(t: Text | str) -> str:
        raw = t.raw if isinstance(t, Text) else t
        return "".join(run.text for run in resolver.runs(raw)) if resolved else raw

    lines = []
    for para in article.paragraphs:
        if para.table is not None:  # a table: its header and each row on a line, cells apart
            lines.append(" | ".join(text(label) for label, _ in para.table.columns))
            lines.extend(" | ".join(text(c.text) for c in row) for row in para.table.rows)
            continue
        lines.append(text(para.text))
        for i, item in enumerate(para.items, start=1):
            lines.append(item_label(i, lang) + sep + text(item.text))
            for j, sub in enumerate(item.subitems, start=1):
                lines.append(subitem_label(j, lang) + sep + text(sub))
    return lines


def _texts(article: Article) -> list[str]:
    """Every raw text of an article, in order."""
    out = []
    for para in article.paragraphs:
        if para.table is not None:
            out.extend(label.raw for label, _ in para.table.columns)
            out.extend(c.text.raw for row in para.table.rows for c in row)
            continue
        out.append(para.text.raw)
        for item in para.items:
            out.append(item.text.raw)
            out.extend(s.raw for s in item.subitems)
    return out


@dataclass
class _Placed:
    article: Article
    chapter_index: int
    section_index: int  # index into the flat list of sections of the regulation
    state: ArticleState


def _placements(project: Project, reg: Regulation) -> dict[str, _Placed]:
    placed: dict[str, _Placed] = {}
    flat = 0
    for ci, chapter in enumerate(reg.chapters):
        for section in chapter.sections:
            for article in section.articles:
                state = ArticleState(
                    number=article.number, label=article_label(article.number, reg.language),
                    chapter=chapter.number, chapter_title=chapter.title, section=section.number,
                    section_title=section.title,
                    text="\n".join(article_lines(project, reg, article)),
                    raw="\n".join(article_lines(project, reg, article, resolved=False)))
                placed[article.id] = _Placed(article, ci, flat, state)
            flat += 1
    return placed


def _majority_map(old_groups: list[list[str]], new_of: dict[str, int], fallback) -> dict[int, int]:
    """Map each old group (chapter or section, by index) to the new group holding most of its articles;
    `fallback(i)` gives the new index of a group whose articles are all gone (matched by id or title)."""
    mapping: dict[int, int] = {}
    for i, ids in enumerate(old_groups):
        counts: dict[int, int] = {}
        for article_id in ids:
            if article_id in new_of:
                counts[new_of[article_id]] = counts.get(new_of[article_id], 0) + 1
        if counts:
            best = max(counts.values())
            mapping[i] = min(k for k, v in counts.items() if v == best)
        else:
            j = fallback(i)
            if j is not None:
                mapping[i] = j
    return mapping


def _lcs(a: list[str], b: list[str]) -> set[str]:
    """The items of a longest common subsequence of `a` and `b` (both without repeats)."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    keep, i, j = set(), 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            keep.add(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


def _compare_regulation(old: Project, new: Project, reg_id: str) -> RegulationChanges:
    o, n = old.regulations.get(reg_id), new.regulations.get(reg_id)
    if o is None or n is None:
        reg = n or o
        project = new if n else old
        status = "added" if n else "removed"
        out = RegulationChanges(reg_id, status, reg.language, o.title if o else None, n.title if n else None,
                                _version_of(o), _version_of(n))
        for placed in _placements(project, reg).values():
            out.articles.append(ArticleChange(placed.article.id, None if n else placed.state,
                                              placed.state if n else None,
                                              segments=[Segment("insert" if n else "delete", placed.state.text)]))
        return out
    out = RegulationChanges(reg_id, "changed", n.language, o.title, n.title, _version_of(o), _version_of(n))
    out.metadata = value_changes(_regulation_snapshot(old, o), _regulation_snapshot(new, n))
    old_placed, new_placed = _placements(old, o), _placements(new, n)
    common = [a for a in old_placed if a in new_placed]

    # Chapters and sections of the two versions, matched by the articles they hold.
    new_chapter_of = {a: p.chapter_index for a, p in new_placed.items()}
    new_section_of = {a: p.section_index for a, p in new_placed.items()}
    old_chapters = [[a.id for a in c.articles] for c in o.chapters]
    old_sections = [[a.id for a in s.articles] for c in o.chapters for s in c.sections]

    def chapter_fallback(i: int):
        chapter = o.chapters[i]
        for j, other in enumerate(n.chapters):
            if (chapter.id and other.id == chapter.id) or (not chapter.id and chapter.title and other.title == chapter.title):
                return j
        return None

    chapter_map = _majority_map(old_chapters, new_chapter_of, chapter_fallback)
    section_map = _majority_map(old_sections, new_section_of, lambda i: None)
    in_order = _lcs([a for a in old_placed if a in new_placed], [a for a in new_placed if a in old_placed])

    for article_id in common:
        before, after = old_placed[article_id], new_placed[article_id]
        change = ArticleChange(article_id, before.state, after.state)
        change.moved = (chapter_map.get(before.chapter_index) != after.chapter_index
                        or section_map.get(before.section_index) != after.section_index
                        or article_id not in in_order)
        change.renumbered = not change.moved and before.state.number != after.state.number
        _compare_text(change, old, o, before, new, n, after)
        if change.kinds:
            out.articles.append(change)
    for article_id, placed in old_placed.items():
        if article_id not in new_placed:
            out.articles.append(ArticleChange(article_id, placed.state, None,
                                              segments=[Segment("delete", placed.state.text)]))
    for article_id, placed in new_placed.items():
        if article_id not in old_placed:
            out.articles.append(ArticleChange(article_id, None, placed.state,
                                              segments=[Segment("insert", placed.state.text)]))
    out.articles.sort(key=_article_order(old_placed, new_placed))
    out.chapters = _chapter_changes(o, n, chapter_map)
    return out


def _version_of(reg: Regulation | None) -> dict | None:
    return None if reg is None else {"version": reg.version, "effective": reg.effective}


def _article_order(old_placed: dict[str, _Placed], new_placed: dict[str, _Placed]):
    """Sort key: new article order; a removed article stands after the article that preceded it."""
    anchors: dict[str, int] = {}
    last = 0
    for article_id, placed in old_placed.items():
        if article_id in new_placed:
            last = new_placed[article_id].state.number
        else:
            anchors[article_id] = last

    def key(change: ArticleChange):
        if change.new is not None:
            return (change.new.number, 0, 0)
        return (anchors.get(change.id, 0), 1, change.old.number)

    return key


def _compare_text(change: ArticleChange, old: Project, o: Regulation, before: _Placed,
                  new: Project, n: Regulation, after: _Placed) -> None:
    if before.state.text == after.state.text:
        change.text = "markup" if before.state.raw != after.state.raw else "none"
        return
    change.segments = char_diff(before.state.text, after.state.text)
    if before.state.raw != after.state.raw:
        change.text = "wording"
        return
    change.text = "references"
    from ..resolve import Resolver

    old_resolver, new_resolver = Resolver(old, o.language, o), Resolver(new, n.language, n)
    seen = []
    for old_raw, new_raw in zip(_texts(before.article), _texts(after.article)):
        old_refs = [s for s in parse(old_raw)[0] if isinstance(s, Ref)]
        new_refs = [s for s in parse(new_raw)[0] if isinstance(s, Ref)]
        for a, b in zip(old_refs, new_refs):
            was, now = old_resolver.resolve(a).text, new_resolver.resolve(b).text
            if was != now:
                ref = a.kind + (f":{a.target}" if a.target else "")
                entry = RefChange(ref, a.kind, was, now)
                if entry not in seen:
                    seen.append(entry)
    change.references = seen


def _chapter_changes(o: Regulation, n: Regulation, chapter_map: dict[int, int]) -> list[ChapterChange]:
    out = []
    images = set(chapter_map.values())

    def snap(chapter) -> dict:
        return {"id": chapter.id, "number": chapter.number, "title": chapter.title}

    for i, chapter in enumerate(o.chapters):
        if i not in chapter_map:
            out.append(ChapterChange(snap(chapter), None, ["removed"]))
            continue
        other = n.chapters[chapter_map[i]]
        kinds = [k for k, on in (("retitled", chapter.title != other.title),
                                 ("renumbered", chapter.number != other.number)) if on]
        if kinds:
            out.append(ChapterChange(snap(chapter), snap(other), kinds))
    for j, chapter in enumerate(n.chapters):
        if j not in images:
            out.append(ChapterChange(None, snap(chapter), ["added"]))
    return out


def _regulation_snapshot(project: Project, reg: Regulation) -> dict:
    return {"title": reg.title, "number": reg.number, "version": reg.version, "effective": reg.effective,
            "issued_by": reg.issued_by, "interpreted_by": reg.interpreted_by, "supersedes": list(reg.supersedes),
            "preamble": [t.raw for t in reg.preamble],
            "attachments": [{"kind": a.kind, "target": a.target, "title": a.title} for a in reg.attachments],
            "revisions": [{"version": r.version, "date": r.date, "summary": r.summary} for r in reg.revisions]}


def _relate(reg_changes: RegulationChanges, old: Project, new: Project, changes: Changes) -> None:
    """The rule, matrix and form changes that concern a regulation: stated in it, named in it or attached."""
    named: dict[str, set[str]] = {"rule": set(), "matrix": set(), "form": set(), "rules": set(), "procedure": set()}
    for project in (old, new):
        reg = project.regulations.get(reg_changes.id)
        if reg is None:
            continue
        texts = [t.raw for t in reg.preamble] + [raw for a in reg.articles for raw in _texts(a)]
        for raw in texts:
            for seg in parse(raw)[0]:
                if isinstance(seg, Ref) and seg.kind in named:
                    named[seg.kind].add(seg.target)
        for att in reg.attachments:
            named[att.kind].add(att.target)

    def stated_here(snapshot: dict | None) -> bool:
        return bool(snapshot and (snapshot.get("stated_in") or "").split("/")[0] == reg_changes.id)

    reg_changes.rules = [r.id for r in changes.rules
                         if r.id in named["rule"] or r.ruleset in named["rules"] or stated_here(r.old) or stated_here(r.new)]
    reg_changes.matrices = [m.id for m in changes.matrices
                            if m.id in named["matrix"] or _stated(old.matrices.get(m.id), reg_changes.id)
                            or _stated(new.matrices.get(m.id), reg_changes.id)]
    reg_changes.procedures = [p.id for p in changes.procedures
                              if p.id in named["procedure"] or _stated(old.procedures.get(p.id), reg_changes.id)
                              or _stated(new.procedures.get(p.id), reg_changes.id)]
    reg_changes.forms = [f.id for f in changes.forms
                         if f.id in named["form"] or _stated(old.forms.get(f.id), reg_changes.id)
                         or _stated(new.forms.get(f.id), reg_changes.id)]


def _stated(doc, reg_id: str) -> bool:
    return bool(doc is not None and doc.stated_in and doc.stated_in.split("/")[0] == reg_id)


# -- character diff --

def char_diff(old: str, new: str) -> list[Segment]:
    """Segments (equal / delete / insert) turning `old` into `new`, character by character.

    difflib on characters with autojunk off (a long Chinese text has many repeated characters, which autojunk
    would ignore). A replacement gives its deletion first, then its insertion. An equal run of one or two
    characters caught between two edits, each at least as long, is folded into them ("3 日" → "2 个工作日" reads
    better as "3 " → "2 个工作" before a common "日" than as an edit on each side of a shared space).
    """
    ops: list[list] = []  # [op, old_text, new_text]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append(["equal" if tag == "equal" else "edit", old[i1:i2], new[j1:j2]])
    changed = True
    while changed:
        changed = False
        for k in range(1, len(ops) - 1):
            before, here, after = ops[k - 1], ops[k], ops[k + 1]
            if here[0] == "equal" and before[0] == "edit" and after[0] == "edit":
                size = len(here[1])
                if size <= 2 and "\n" not in here[1] and size <= max(len(before[1]), len(before[2])) \
                        and size <= max(len(after[1]), len(after[2])):
                    ops[k - 1:k + 2] = [["edit", before[1] + here[1] + after[1], before[2] + here[2] + after[2]]]
                    changed = True
                    break
    segments: list[Segment] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for op, a, b in ops:
        if op == "equal":
            add("equal", a)
        else:
            add("delete", a)
            add("insert", b)
    return segments


def side(segments: list[Segment], which: str) -> list[Segment]:
    """The segments one column shows: `old` (equal and deleted text) or `new` (equal and inserted text)."""
    hidden = "insert" if which == "old" else "delete"
    return [s for s in segments if s.op != hidden]
