"""Revisions: what changed between two versions of a policy project, compared by id, never by line.

    changes = compare(load_project(old_dir).project, load_project(new_dir).project)
    changes_json(changes)                      # the published format: schemas/revision-diff.schema.json
    old = load_revision(repo_root, "v1")       # a git revision, read without checking it out

A regulation's articles are matched by id. An article is

- `added` or `removed`;
- `moved` when it changed chapter or section (the chapters of the two versions are matched by the articles they
  hold, so renaming a chapter moves nothing) or its order among the other articles: one change, never a removal
  plus an addition;
- `renumbered` when its number changed only because articles before it were inserted or removed;
- changed in its text, compared on the printed text with every `[[kind:id]]` reference resolved:
  `wording` when the text as written (the raw YAML text with its markup) differs; `references` when the raw text
  is equal but what a reference prints differs (`ArticleChange.references` says which, and
  `renumbering_only` whether every one of them is an article reference shifted by renumbering); `markup` when the
  raw text differs but prints the same.

The printed texts are compared character by character (`char_diff`: difflib on characters, no word splitting,
which Chinese does not have), giving segments `equal` / `insert` / `delete`.

Rules are compared by rule id (every value with its unit and its `from` date), approval matrices row by row
(by index: conditions with their bounds, approvers, note) with their inputs and hit policy, forms field by field
(by field id; unnamed fields such as notes by their type and order) with their copies (联), paper and columns.
Each regulation lists the rule, matrix and form changes that concern it: those stated in it, referenced in its text
or attached to it.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import tempfile
import weakref
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath

from .language import article_label, chapter_label, format_target
from .model import Article, Form, Matrix, Project, Regulation, Rule, Text
from .references import Ref, parse

FORMAT = "policygen-revision-diff"
FORMAT_VERSION = "1.0"
SCHEMA_ID = "https://schemas.policygen.org/diff/1/revision-diff.schema.json"


# --- the changes ---------------------------------------------------------------------------------------------

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
    regulations: list[RegulationChanges] = field(default_factory=list)
    rules: list[RuleChange] = field(default_factory=list)
    matrices: list[MatrixChange] = field(default_factory=list)
    forms: list[FormChange] = field(default_factory=list)

    def regulation(self, reg_id: str) -> RegulationChanges | None:
        return next((r for r in self.regulations if r.id == reg_id), None)

    def rule(self, rule_id: str) -> RuleChange | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def matrix(self, matrix_id: str) -> MatrixChange | None:
        return next((m for m in self.matrices if m.id == matrix_id), None)

    def form(self, form_id: str) -> FormChange | None:
        return next((f for f in self.forms if f.id == form_id), None)

    @property
    def empty(self) -> bool:
        return not (self.regulations or self.rules or self.matrices or self.forms)


# --- comparing -----------------------------------------------------------------------------------------------

def compare(old: Project, new: Project, old_label: str | None = None, new_label: str | None = None) -> Changes:
    """Every change from `old` to `new`, by id. Both projects must have loaded without errors."""
    changes = Changes(old_label or old.config.root.name, new_label or new.config.root.name,
                      old.config.name, new.config.name)
    changes.rules = _compare_rules(old, new)
    changes.matrices = _compare_matrices(old, new)
    changes.forms = _compare_forms(old, new)
    for reg_id in _ordered_ids(old.regulations, new.regulations):
        reg_changes = _compare_regulation(old, new, reg_id)
        _relate(reg_changes, old, new, changes)
        if (reg_changes.status != "changed" or reg_changes.metadata or reg_changes.chapters or reg_changes.articles
                or reg_changes.rules or reg_changes.matrices or reg_changes.forms):
            changes.regulations.append(reg_changes)
    return changes


def _ordered_ids(old: dict, new: dict) -> list[str]:
    return sorted(set(old) | set(new))


# -- regulations --

def article_lines(project: Project, reg: Regulation, article: Article, resolved: bool = True) -> list[str]:
    """An article's text as printed (or as written, `resolved=False`): one line per paragraph, item and
    sub-item, items with their labels. A paragraph that is only a matrix prints its title here."""
    from .language import item_label, strings, subitem_label
    from .resolve import Resolver

    lang = reg.language
    sep = strings(lang)["item_sep"]
    resolver = Resolver(project, lang, reg)

    def text(t: Text | str) -> str:
        raw = t.raw if isinstance(t, Text) else t
        return "".join(run.text for run in resolver.runs(raw)) if resolved else raw

    lines = []
    for para in article.paragraphs:
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
    out.metadata = _value_changes(_regulation_snapshot(old, o), _regulation_snapshot(new, n))
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
    from .resolve import Resolver

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
    named: dict[str, set[str]] = {"rule": set(), "matrix": set(), "form": set(), "rules": set()}
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
            named[{"form": "form", "matrix": "matrix", "rules": "rules"}[att.kind]].add(att.target)

    def stated_here(snapshot: dict | None) -> bool:
        return bool(snapshot and (snapshot.get("stated_in") or "").split("/")[0] == reg_changes.id)

    reg_changes.rules = [r.id for r in changes.rules
                         if r.id in named["rule"] or r.ruleset in named["rules"] or stated_here(r.old) or stated_here(r.new)]
    reg_changes.matrices = [m.id for m in changes.matrices
                            if m.id in named["matrix"] or _stated(old.matrices.get(m.id), reg_changes.id)
                            or _stated(new.matrices.get(m.id), reg_changes.id)]
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


# -- rules --

def _number_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return str(value)


def _target_snapshot(target, language: str) -> dict:
    snap = {"value": _number_text(target.value), "unit": target.unit, "from": target.since,
            "comparator": target.comparator, "anchor": target.anchor, "day": target.day,
            "weekday": target.weekday, "time": target.time}
    snap = {k: v for k, v in snap.items() if v is not None or k in ("value", "unit", "from")}
    snap["text"] = format_target(target, language)
    return snap


def _rule_snapshot(rule: Rule, ruleset_id: str, language: str) -> dict:
    snap = {"name": rule.name, "kind": rule.kind, "ruleset": ruleset_id,
            "targets": [_target_snapshot(t, language) for t in rule.targets]}
    for name in ("measure", "channel", "period", "responsible", "action", "escalate_to", "stated_in"):
        snap[name] = getattr(rule, name)
    return snap


def _all_rules(project: Project) -> dict[str, tuple[Rule, str, str]]:
    return {r.id: (r, rs.id, rs.language) for rs in project.rulesets.values() for r in rs.rules}


def _compare_rules(old: Project, new: Project) -> list[RuleChange]:
    before, after = _all_rules(old), _all_rules(new)
    out = []
    for rule_id in _ordered_ids(before, after):
        if rule_id not in after:
            rule, rs_id, lang = before[rule_id]
            out.append(RuleChange(rule_id, "removed", rs_id, lang, _rule_snapshot(rule, rs_id, lang), None))
            continue
        rule, rs_id, lang = after[rule_id]
        new_snap = _rule_snapshot(rule, rs_id, lang)
        if rule_id not in before:
            out.append(RuleChange(rule_id, "added", rs_id, lang, None, new_snap,
                                  effective_from=rule.targets[0].since))
            continue
        old_rule, old_rs, old_lang = before[rule_id]
        old_snap = _rule_snapshot(old_rule, old_rs, old_lang)
        changed = [k for k in new_snap if new_snap[k] != old_snap.get(k)]
        if changed:
            fresh = [t for t in new_snap["targets"] if t not in old_snap["targets"]]
            out.append(RuleChange(rule_id, "changed", rs_id, lang, old_snap, new_snap, changed,
                                  effective_from=fresh[0]["from"] if fresh else None))
    return out


# -- matrices --

def _json_value(value, numbers_as_text: bool = True):
    """Model values as JSON: amounts and rule values as decimal strings ("5000", "999.99"), exact as written;
    with `numbers_as_text=False` whole numbers stay numbers (form layout: widths, spans, lines)."""
    if isinstance(value, Decimal) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return _number_text(value) if numbers_as_text or not isinstance(value, int) else value
    if isinstance(value, dict):
        return {str(k): _json_value(v, numbers_as_text) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v, numbers_as_text) for v in value]
    return value


def _row_snapshot(project: Project, matrix: Matrix, row) -> dict:
    from .language import describe_condition

    lang = matrix.language
    org = project.organization
    conditions = {i.id: _json_value(row.conditions.get(i.id, "any")) for i in matrix.inputs}
    described = "，".join(describe_condition(row.conditions.get(i.id, "any"), i, lang) for i in matrix.inputs) \
        if lang != "en" else "; ".join(describe_condition(row.conditions.get(i.id, "any"), i, lang) for i in matrix.inputs)
    names = [org.roles[r].name_in(lang) if org and r in org.roles else r for r in row.approvers]
    approvers_text = " → ".join(names)
    return {"conditions": conditions, "approvers": list(row.approvers), "note": row.note,
            "text": f"{described}{'：' if lang != 'en' else ': '}{approvers_text}"}


def _matrix_properties(matrix: Matrix) -> dict:
    return {"title": matrix.title, "hit_policy": matrix.hit_policy,
            "inputs": [_json_value({"id": i.id, "label": i.label, "type": i.type, "currency": i.currency,
                                    "minimum": i.minimum, "values": [list(v) for v in i.values]}) for i in matrix.inputs],
            "priority": list(matrix.priority), "stated_in": matrix.stated_in}


def _compare_matrices(old: Project, new: Project) -> list[MatrixChange]:
    out = []
    for matrix_id in _ordered_ids(old.matrices, new.matrices):
        o, n = old.matrices.get(matrix_id), new.matrices.get(matrix_id)
        doc = n or o
        change = MatrixChange(matrix_id, "added" if o is None else "removed" if n is None else "changed",
                              doc.language, o.title if o else None, n.title if n else None)
        if o is None or n is None:
            project = new if n else old
            for k, row in enumerate(doc.rows, start=1):
                snap = _row_snapshot(project, doc, row)
                change.rows.append(RowChange(k, change.status, None if n else snap, snap if n else None))
            out.append(change)
            continue
        change.properties = _value_changes(_matrix_properties(o), _matrix_properties(n))
        for k in range(1, max(len(o.rows), len(n.rows)) + 1):
            a = _row_snapshot(old, o, o.rows[k - 1]) if k <= len(o.rows) else None
            b = _row_snapshot(new, n, n.rows[k - 1]) if k <= len(n.rows) else None
            if a is None or b is None:
                change.rows.append(RowChange(k, "added" if a is None else "removed", a, b))
                continue
            differ = [name for name in ("conditions", "approvers", "note") if a[name] != b[name]]
            if differ:
                change.rows.append(RowChange(k, "changed", a, b, differ))
        if change.properties or change.rows:
            out.append(change)
    return out


# -- forms --

def _field_key(field, counters: dict[str, int]) -> str:
    if field.id:
        return field.id
    counters[field.type] = counters.get(field.type, 0) + 1
    return f"{field.type}-{counters[field.type]}"


def _field_snapshots(form: Form) -> dict[str, dict]:
    out: dict[str, dict] = {}
    counters: dict[str, int] = {}
    for si, section in enumerate(form.sections, start=1):
        for f in section.fields:
            out[_field_key(f, counters)] = {"type": f.type, "label": f.label, "section": si,
                                            "attrs": _json_value(f.attrs, numbers_as_text=False)}
    return out


def _form_properties(form: Form) -> dict:
    return {"title": form.title, "number": form.number, "version": form.version, "owner": form.owner,
            "stated_in": form.stated_in, "paper": {"size": form.paper_size, "orientation": form.orientation},
            "serial": form.serial, "copies": [{"label": c.label, "keeper": c.keeper} for c in form.copies]}


def _compare_forms(old: Project, new: Project) -> list[FormChange]:
    out = []
    for form_id in _ordered_ids(old.forms, new.forms):
        o, n = old.forms.get(form_id), new.forms.get(form_id)
        doc = n or o
        change = FormChange(form_id, "added" if o is None else "removed" if n is None else "changed",
                            doc.language, o.title if o else None, n.title if n else None)
        if o is None or n is None:
            for key, snap in _field_snapshots(doc).items():
                change.fields.append(FieldChange(key, change.status, None if n else snap, snap if n else None))
            out.append(change)
            continue
        change.properties = _value_changes(_form_properties(o), _form_properties(n))
        for si in range(max(len(o.sections), len(n.sections))):
            a = o.sections[si] if si < len(o.sections) else None
            b = n.sections[si] if si < len(n.sections) else None
            for name in ("title", "columns"):
                va, vb = getattr(a, name) if a else None, getattr(b, name) if b else None
                if va != vb:
                    change.sections.append(ValueChange(f"sections/{si + 1}/{name}", va, vb))
        before, after = _field_snapshots(o), _field_snapshots(n)
        for key in list(before) + [k for k in after if k not in before]:
            a, b = before.get(key), after.get(key)
            if a is None or b is None:
                change.fields.append(FieldChange(key, "added" if a is None else "removed", a, b))
                continue
            differ = [name for name in ("type", "label", "section") if a[name] != b[name]]
            differ += [f"attrs/{k}" for k in sorted(set(a["attrs"]) | set(b["attrs"]))
                       if a["attrs"].get(k) != b["attrs"].get(k)]
            if differ:
                change.fields.append(FieldChange(key, "changed", a, b, differ))
        if change.properties or change.sections or change.fields:
            out.append(change)
    return out


def _value_changes(old: dict, new: dict) -> list[ValueChange]:
    return [ValueChange(k, _json_value(old.get(k), False), _json_value(new.get(k), False))
            for k in list(old) + [k for k in new if k not in old] if old.get(k) != new.get(k)]


# --- JSON ----------------------------------------------------------------------------------------------------

def _segments_json(segments: list[Segment]) -> list[dict]:
    return [{"op": s.op, "text": s.text} for s in segments]


def _article_state_json(state: ArticleState | None) -> dict | None:
    if state is None:
        return None
    return {"number": state.number, "label": state.label,
            "chapter": {"number": state.chapter, "title": state.chapter_title},
            "section": {"number": state.section, "title": state.section_title} if state.section_title else None,
            "text": state.text}


def _values_json(values: list[ValueChange]) -> list[dict]:
    return [{"name": v.name, "old": v.old, "new": v.new} for v in values]


def changes_json(changes: Changes) -> dict:
    """The changes as data, in the published format (schemas/revision-diff.schema.json, format 1.0)."""
    regulations = []
    for reg in changes.regulations:
        regulations.append({
            "id": reg.id, "change": reg.status, "language": reg.language,
            "title": {"old": reg.old_title, "new": reg.new_title},
            "version": {"old": reg.old_version, "new": reg.new_version},
            "metadata": _values_json(reg.metadata),
            "chapters": [{"change": c.kinds, "old": c.old, "new": c.new} for c in reg.chapters],
            "articles": [{
                "id": a.id, "change": a.kinds,
                "old": _article_state_json(a.old), "new": _article_state_json(a.new),
                "text": a.text,
                "renumbering_only": a.renumbering_only,
                "references": [{"ref": r.ref, "kind": r.kind, "old": r.old, "new": r.new} for r in a.references],
                "segments": _segments_json(a.segments),
            } for a in reg.articles],
            "related": {"rules": reg.rules, "matrices": reg.matrices, "forms": reg.forms},
        })
    rules = [{"id": r.id, "change": r.status, "ruleset": r.ruleset, "name": r.name, "old": r.old, "new": r.new,
              "changed": r.changed, "effective_from": r.effective_from} for r in changes.rules]
    matrices = [{"id": m.id, "change": m.status, "title": {"old": m.old_title, "new": m.new_title},
                 "properties": _values_json(m.properties),
                 "rows": [{"index": r.index, "change": r.status, "old": r.old, "new": r.new, "changed": r.changed}
                          for r in m.rows]} for m in changes.matrices]
    forms = [{"id": f.id, "change": f.status, "title": {"old": f.old_title, "new": f.new_title},
              "properties": _values_json(f.properties), "sections": _values_json(f.sections),
              "fields": [{"key": x.key, "change": x.status, "old": x.old, "new": x.new, "changed": x.changed}
                         for x in f.fields]} for f in changes.forms]
    return {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "old": {"label": changes.old_label, "project": changes.old_project},
        "new": {"label": changes.new_label, "project": changes.new_project},
        "regulations": regulations,
        "rules": rules,
        "matrices": matrices,
        "forms": forms,
    }


# --- git revisions -------------------------------------------------------------------------------------------

class RevisionError(Exception):
    """A revision cannot be read or loaded: unknown revision, no git repository, or documents with errors
    (`diagnostics` then holds them, with file paths relative to the project)."""

    def __init__(self, message: str, diagnostics=None):
        super().__init__(message)
        self.diagnostics = diagnostics


def split_range(spec: str) -> tuple[str, str]:
    """'v1..v2' → ('v1', 'v2'); 'v1' alone compares v1 with HEAD."""
    if ".." in spec:
        old, new = spec.split("..", 1)
        return old or "HEAD", new or "HEAD"
    return spec, "HEAD"


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None
    if done.returncode != 0:
        raise RevisionError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return done.stdout


def read_revision(repo_root: Path | str, rev: str, into: Path) -> Path:
    """Write the files of the policy project at `repo_root` as they are at git revision `rev` into `into`,
    without touching the working tree or the index; return the project folder inside `into`.

    Copied: policygen.yaml, its documents and templates folders and its font files (everything under the
    project folder when policygen.yaml cannot be read). Symbolic links and submodules are left out.
    """
    import yaml

    repo_root = Path(repo_root).resolve()
    if rev.startswith("-"):
        raise RevisionError(f"'{rev}' is not a revision")
    prefix = _git(repo_root, "rev-parse", "--show-prefix").decode().strip()  # the project folder in the repository
    try:
        commit = _git(repo_root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").decode().strip()
    except RevisionError:
        raise RevisionError(f"'{rev}' is not a commit of the repository at {repo_root}") from None
    listing = _git(repo_root, "ls-tree", "-r", "-z", "--full-tree", commit)
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, oid = meta.decode().split()
        name = path.decode("utf-8", "surrogateescape")
        if kind == "blob" and mode in ("100644", "100755") and name.startswith(prefix):
            entries.append((name[len(prefix):], oid))
    files = dict(entries)
    if "policygen.yaml" not in files:
        raise RevisionError(f"there is no policygen.yaml in {prefix or 'the repository root'} at {rev}")

    wanted = None  # None: everything under the project folder
    try:
        config = yaml.safe_load(_cat(repo_root, [files["policygen.yaml"]])[0])
        if isinstance(config, dict):
            folders = [str(config.get("documents", "policies")), str(config.get("templates", "templates"))]
            fonts = [str(f.get("file")) for f in config.get("fonts", []) or [] if isinstance(f, dict)]
            wanted = (["policygen.yaml"] + fonts, [_norm(f) for f in folders])
    except (yaml.YAMLError, UnicodeDecodeError, AttributeError, TypeError):
        wanted = None

    def keep(rel: str) -> bool:
        if wanted is None:
            return True
        exact, folders = wanted
        return rel in {_norm(e) for e in exact} or any(rel.startswith(f + "/") for f in folders if f)

    chosen = [(rel, oid) for rel, oid in entries if keep(rel)]
    root = Path(into)
    blobs = _cat(repo_root, [oid for _, oid in chosen])
    for (rel, _), blob in zip(chosen, blobs):
        target = root.joinpath(*PurePosixPath(rel).parts)
        if ".." in PurePosixPath(rel).parts:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
    return root


def _norm(path: str) -> str:
    parts = [p for p in PurePosixPath(path).parts if p not in (".", "")]
    return "/".join(parts)


def _cat(repo: Path, oids: list[str]) -> list[bytes]:
    """The contents of blobs, through one `git cat-file --batch`."""
    if not oids:
        return []
    out = _git(repo, "cat-file", "--batch", data=("\n".join(oids) + "\n").encode())
    blobs, pos = [], 0
    for _ in oids:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        size = int(header[2])
        blobs.append(out[end + 1:end + 1 + size])
        pos = end + 1 + size + 1
    return blobs


def load_revision(repo_root: Path | str, rev: str) -> Project:
    """The policy project at `repo_root` as it is at git revision `rev` (a commit, tag or branch), loaded with
    load_project from a temporary copy of its files; the working tree is never touched.

    The temporary folder lives as long as the returned Project (its templates and font files are read when it is
    rendered) and is removed after. Raises RevisionError when the revision cannot be read or its documents have
    errors.
    """
    from .project import load_project

    folder = Path(tempfile.mkdtemp(prefix="policygen-rev-"))
    try:
        root = read_revision(repo_root, rev, folder)
        result = load_project(root)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not result.ok:
        shutil.rmtree(folder, ignore_errors=True)
        raise RevisionError(f"the documents at {rev} have errors", result.diagnostics)
    project = result.project
    weakref.finalize(project, shutil.rmtree, folder, True)
    return project


def chapter_name(state: ArticleState, language: str) -> str:
    """第二章　服务作业程序: the chapter an article stands in (empty in a regulation without chapters)."""
    from .language import strings

    if not state.chapter:
        return ""
    label = chapter_label(state.chapter, language)
    return label + strings(language)["sep"] + state.chapter_title if state.chapter_title else label


def changes_text(changes: Changes) -> str:
    """A plain-text summary, one change a line, for the terminal (`policygen diff` without --format json)."""
    out: list[str] = []
    for reg in changes.regulations:
        out.append(f"regulation {reg.id} ({reg.title}): {reg.status}")
        for item in reg.metadata:
            out.append(f"  {item.name}: {item.old} → {item.new}")
        for chapter in reg.chapters:
            out.append(f"  chapter {(chapter.old or chapter.new)['title']}: {', '.join(chapter.kinds)}")
        renumbered_only = [a for a in reg.articles if a.kinds == ["renumbered"]]
        for a in reg.articles:
            if a.kinds == ["renumbered"] or reg.status != "changed":
                continue
            number = (f"{a.old.label}→{a.new.label}" if a.number_changed else (a.new or a.old).label)
            line = f"  {number} {a.id}: {', '.join(a.kinds)}"
            if a.moved:
                line += f" ({chapter_name(a.old, reg.language)} → {chapter_name(a.new, reg.language)})"
            if a.references:
                line += " (" + "; ".join(f"{r.ref} {r.old} → {r.new}" for r in a.references) + ")"
            out.append(line)
        if renumbered_only:
            out.append(f"  {len(renumbered_only)} articles only renumbered")
        if reg.status != "changed":
            out.append(f"  {len(reg.articles)} articles")
    for rule in changes.rules:
        before = "; ".join(t["text"] + (f" from {t['from']}" if t.get("from") else "") for t in (rule.old or {}).get("targets", []))
        after = "; ".join(t["text"] + (f" from {t['from']}" if t.get("from") else "") for t in (rule.new or {}).get("targets", []))
        out.append(f"rule {rule.id} ({rule.name}): {rule.status}" + (f": {before} → {after}" if rule.status == "changed" else "")
                   + (f" [{', '.join(rule.changed)}]" if rule.changed and rule.changed != ["targets"] else ""))
    for matrix in changes.matrices:
        out.append(f"matrix {matrix.id} ({matrix.title}): {matrix.status}")
        for prop in matrix.properties:
            out.append(f"  {prop.name}: {prop.old} → {prop.new}")
        for row in matrix.rows:
            before, after = (row.old or {}).get("text", "—"), (row.new or {}).get("text", "—")
            out.append(f"  row {row.index}: {row.status}: {before} → {after}")
    for form in changes.forms:
        out.append(f"form {form.id} ({form.title}): {form.status}")
        for prop in form.properties + form.sections:
            out.append(f"  {prop.name}: {prop.old} → {prop.new}")
        for f in form.fields:
            out.append(f"  field {f.key}: {f.status}" + (f" [{', '.join(f.changed)}]" if f.changed else ""))
    return "\n".join(out) if out else "no changes"
