"""Build the typed model from sources that passed their schema, and compute what authors never type."""

from __future__ import annotations

from .language import closing_titles, effective_clause, interpretation_clause, strings
from .loader import SourceFile
import re

from .model import (Article, Attachment, Branch, Chapter, Procedure, Step, Table, TableCell, Copy, Department, Field, Form, FormSection, Item, Matrix,
                    MatrixInput, MatrixRow, Organization, RuleTests, Case, Paragraph, Person, Regulation, Revision, Role, Rule,
                    RuleSet, Section, Target, Text, Unchecked, Where)
from .references import Ref, parse


def _version(value) -> str:
    return str(value)


def organization(source: SourceFile, language: str) -> Organization:
    d = source.data
    w = Where(source)
    departments: dict[str, Department] = {}
    roles: dict[str, Role] = {}
    duplicates = []
    for i, dep in enumerate(d["departments"]):
        if dep["id"] in departments:
            duplicates.append((dep["id"], w.at("departments", i, "id")))
        departments.setdefault(dep["id"], Department(dep["id"], dep["name"], dep.get("names", {}),
                                                     w.at("departments", i), parent=dep.get("parent")))
    for i, role in enumerate(d["roles"]):
        if role["id"] in roles or role["id"] in departments:
            duplicates.append((role["id"], w.at("roles", i, "id")))
        roles.setdefault(role["id"], Role(role["id"], role["name"], role.get("names", {}), w.at("roles", i),
                                          department=role.get("department")))
    people = [Person(p["id"], p["name"], p.get("roles", []), w.at("people", i)) for i, p in enumerate(d.get("people", []))]
    name = d["name"]
    return Organization(id=d["id"], full_name=name["full"], short_name=name.get("short", name["full"]),
                        names=name.get("names", {}), departments=departments, roles=roles, people=people,
                        business_hours=d.get("business_hours"), calendar=d.get("calendar", {}), where=w,
                        duplicates=duplicates)


# --- regulation ----------------------------------------------------------------------------------------------

def _item(raw, w: Where) -> Item:
    if isinstance(raw, str):
        return Item(Text(raw, w), [])
    return Item(Text(raw["text"], w.at("text")), [Text(s, w.at("subitems", i)) for i, s in enumerate(raw.get("subitems", []))])


def _paragraph(raw, w: Where) -> Paragraph:
    if isinstance(raw, str):
        return Paragraph(Text(raw, w), [])
    if "table" in raw:
        return Paragraph(Text("", w), [], _table(raw["table"], w.at("table")))
    return Paragraph(Text(raw["text"], w.at("text")), [_item(it, w.at("items", i)) for i, it in enumerate(raw.get("items", []))])


def _table(raw: dict, w: Where) -> Table:
    columns = [(Text(c["label"], w.at("columns", i, "label")), c.get("width", 1)) for i, c in enumerate(raw["columns"])]
    rows = []
    for r, row in enumerate(raw["rows"]):
        cells = []
        for c, cell in enumerate(row):
            cw = w.at("rows", r, c)
            if isinstance(cell, str):
                cells.append(TableCell(Text(cell, cw)))
            else:
                cells.append(TableCell(Text(cell["text"], cw.at("text")), cell.get("colspan", 1), cell.get("rowspan", 1)))
        rows.append(cells)
    return Table(raw.get("title"), columns, rows, w)


def _article(raw: dict, w: Where) -> Article:
    if "paragraphs" in raw:
        paragraphs = [_paragraph(p, w.at("paragraphs", i)) for i, p in enumerate(raw["paragraphs"])]
    else:
        paragraphs = [_paragraph({"text": raw["text"], **({"items": raw["items"]} if "items" in raw else {})}, w)]
    return Article(id=raw["id"], paragraphs=paragraphs, where=w, clause=raw.get("clause"))


def regulation(source: SourceFile, language: str, org: Organization | None) -> Regulation:
    d = source.data
    w = Where(source)
    language = d.get("language", language)
    chapters = []
    for ci, ch in enumerate(d["chapters"]):
        cw = w.at("chapters", ci)
        if "sections" in ch:
            sections = [Section(s.get("id"), s["title"], [_article(a, cw.at("sections", si, "articles", ai))
                                                           for ai, a in enumerate(s["articles"])])
                        for si, s in enumerate(ch["sections"])]
        else:
            sections = [Section(None, "", [_article(a, cw.at("articles", ai)) for ai, a in enumerate(ch["articles"])])]
        chapters.append(Chapter(ch.get("id"), ch["title"], sections))
    reg = Regulation(
        id=d["id"], language=language, title=d["title"], number=d.get("number"), version=_version(d["version"]),
        issued_by=d.get("issued_by"), interpreted_by=d.get("interpreted_by"), effective=d["effective"],
        supersedes=d.get("supersedes", []), preamble=[Text(t, w.at("preamble", i)) for i, t in enumerate(d.get("preamble", []))],
        chapters=chapters,
        attachments=[_attachment(a, w.at("attachments", i)) for i, a in enumerate(d.get("attachments", []))],
        revisions=[Revision(_version(r["version"]), r["date"], r["summary"]) for r in d.get("revisions", [])],
        where=w)
    _add_closing_clauses(reg, org)
    _number(reg)
    return reg


def _attachment(raw: dict, w: Where) -> Attachment:
    kind = next(k for k in ("form", "matrix", "rules", "procedure") if k in raw)
    return Attachment(kind, raw[kind], raw.get("title"), w.at(kind))


def _add_closing_clauses(reg: Regulation, org: Organization | None) -> None:
    """Write the interpretation and effective-date clauses of the 附则 when the author did not."""
    present = {a.clause for a in reg.articles}
    missing = [c for c in ("interpretation", "effective") if c not in present]
    if not missing:
        return
    language = reg.language
    last = reg.chapters[-1]
    if last.title in closing_titles():
        target = last
    elif not reg.has_chapters:
        target = last  # a regulation without chapters ends with its closing articles
    else:
        target = Chapter(None, strings(language)["closing"], [Section(None, "", [])], generated=True)
        reg.chapters.append(target)
    for clause in missing:
        if clause == "interpretation":
            interpreter = _interpreter(reg, org)
            text = interpretation_clause(reg.title, interpreter, language)
        else:
            text = effective_clause(reg.title, reg.effective, language)
        article = Article(id=f"generated-{clause}", paragraphs=[Paragraph(Text(text, reg.where), [])],
                          where=reg.where, clause=clause, generated=True)
        articles = target.sections[-1].articles
        effective = next((n for n, a in enumerate(articles) if a.clause == "effective"), len(articles))
        articles.insert(effective, article)  # the effective-date clause is the last article, even the author's


def _interpreter(reg: Regulation, org: Organization | None) -> str:
    if org is None:
        return ""
    if reg.interpreted_by and reg.interpreted_by in org.departments:
        return org.departments[reg.interpreted_by].name_in(reg.language)
    return org.company_name(reg.language)


def _number(reg: Regulation) -> None:
    article_number = 0
    chapter_number = 0
    for chapter in reg.chapters:
        if chapter.title:
            chapter_number += 1
            chapter.number = chapter_number
        section_number = 0
        for section in chapter.sections:
            if section.title:
                section_number += 1
                section.number = section_number
            for article in section.articles:
                article_number += 1
                article.number = article_number


# --- rules ---------------------------------------------------------------------------------------------------

def _target(raw: dict) -> Target:
    return Target(unit=raw.get("unit"), value=raw.get("value"), anchor=raw.get("anchor"), day=raw.get("day"),
                  weekday=raw.get("weekday"), time=raw.get("time"), comparator=raw.get("comparator"),
                  since=raw.get("from"))


def _targets(raw) -> list[Target]:
    if isinstance(raw, list):
        return sorted((_target(t) for t in raw), key=lambda t: t.since or "")
    return [_target(raw)]


def ruleset(source: SourceFile, language: str) -> RuleSet:
    d = source.data
    w = Where(source)
    default_source = d.get("stated_in")
    rules = []
    for i, r in enumerate(d.get("service_levels", [])):
        rules.append(Rule(id=r["id"], kind="service-level", name=r["name"], targets=_targets(r["target"]),
                          stated_in=r.get("stated_in", default_source), where=w.at("service_levels", i),
                          channel=r.get("channel"), measure=r.get("measure"), responsible=r.get("responsible")))
    for i, r in enumerate(d.get("escalations", [])):
        when = r["when"]
        target = Target(unit=when.get("unit", "count"), value=when["value"], comparator=when["comparator"])
        rules.append(Rule(id=r["id"], kind="escalation", name=r["name"], targets=[target], measure=when["metric"],
                          stated_in=r.get("stated_in", default_source), where=w.at("escalations", i),
                          action=r["action"], escalate_to=r.get("to")))
    for i, r in enumerate(d.get("kpis", [])):
        rules.append(Rule(id=r["id"], kind="kpi", name=r["metric"], targets=_targets(r["target"]),
                          stated_in=r.get("stated_in", default_source), where=w.at("kpis", i),
                          period=r["period"], responsible=r.get("responsible")))
    return RuleSet(d["id"], d.get("language", language), d["title"], rules, w)


# --- approval matrix -----------------------------------------------------------------------------------------

def matrix(source: SourceFile, language: str) -> Matrix:
    d = source.data
    w = Where(source)
    inputs = [MatrixInput(id=i["id"], label=i["label"], type=i["type"], currency=i.get("currency"),
                          minimum=i.get("minimum", 0), values=[(v["id"], v["label"]) for v in i.get("values", [])])
              for i in d["inputs"]]
    rows = [MatrixRow(conditions=dict(r["when"]), approvers=list(r["approvers"]), note=r.get("note"), where=w.at("rows", i))
            for i, r in enumerate(d["rows"])]
    return Matrix(id=d["id"], language=d.get("language", language), title=d["title"],
                  hit_policy=d.get("hit_policy", "unique"), inputs=inputs, rows=rows, priority=d.get("priority", []),
                  stated_in=d.get("stated_in"), where=w)


# --- form ----------------------------------------------------------------------------------------------------

def form(source: SourceFile, language: str) -> Form:
    d = source.data
    w = Where(source)
    columns = d.get("columns", 2)
    sections = []
    for si, s in enumerate(d["sections"]):
        fields = []
        for fi, f in enumerate(s["fields"]):
            attrs = {k: v for k, v in f.items() if k not in ("type", "id", "label")}
            fields.append(Field(f["type"], f.get("id"), f.get("label"), attrs, w.at("sections", si, "fields", fi)))
        sections.append(FormSection(s.get("title"), s.get("columns", columns), fields))
    paper = d.get("paper", {})
    return Form(id=d["id"], language=d.get("language", language), title=d["title"], number=d["number"],
                version=_version(d["version"]), owner=d.get("owner"), stated_in=d.get("stated_in"),
                paper_size=paper.get("size", "A4"), orientation=paper.get("orientation", "portrait"),
                serial=d.get("serial"), copies=[Copy(c["label"], c.get("keeper")) for c in d.get("copies", [])],
                sections=sections, where=w)


# --- rule tests ----------------------------------------------------------------------------------------------

def rule_tests(source: SourceFile, language: str) -> RuleTests:
    d = source.data
    w = Where(source)
    cases = []
    for i, c in enumerate(d["cases"]):
        if "matrix" in c:
            case = Case("decision", c["matrix"], dict(c["inputs"]), c["expect"]["approvers"], c.get("name"), w.at("cases", i))
        elif "start" in c:
            case = Case("due", c["rule"], c["start"], c["expect"]["due"], c.get("name"), w.at("cases", i))
        else:
            case = Case("value", c["rule"], c["on"], c["expect"]["value"], c.get("name"), w.at("cases", i))
        cases.append(case)
    return RuleTests(d["id"], cases, w)


# --- documents that did not pass ----------------------------------------------------------------------------

_REFERRING_KEYS = ("form", "matrix", "rules", "rule", "procedure")  # attachments, approval fields, rule-test cases


def note_unchecked(unchecked: Unchecked, data) -> None:
    """Record the ids in a document that failed its schema, and what it refers to, from whatever parsed."""
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        unchecked.ids.add(data["id"])
    else:
        unchecked.anonymous = True
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if key == "id" and isinstance(child, str) and value is not data:
                    unchecked.inner.add(child)
                elif key in _REFERRING_KEYS and isinstance(child, str):
                    unchecked.used.add(child)
                else:
                    stack.append(child)
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and "[[" in value:
            segments, _ = parse(value)
            unchecked.used.update(seg.target.split("/")[0] for seg in segments if isinstance(seg, Ref) and seg.target)


_TOP_ID = re.compile(r"^id:[ \t]*[\"']?([a-z][a-z0-9-]*)", re.M)
_ANY_ID = re.compile(r"\bid:[ \t]*[\"']?([a-z][a-z0-9-]*)")
_TEXT_REFS = re.compile(r"\[\[[a-z]+:([a-z][a-z0-9-]*)|\b(?:form|matrix|rules|rule):[ \t]*[\"']?([a-z][a-z0-9-]*)")


def note_unreadable(unchecked: Unchecked, text: str) -> None:
    """The same for a file that is not even valid YAML: read from its text, as well as it can be."""
    top = _TOP_ID.search(text)
    if top:
        unchecked.ids.add(top.group(1))
    else:
        unchecked.anonymous = True
    unchecked.inner.update(m.group(1) for m in _ANY_ID.finditer(text))
    unchecked.used.update(a or b for a, b in _TEXT_REFS.findall(text))
# --- procedure -----------------------------------------------------------------------------------------------

def procedure(source: SourceFile, language: str) -> Procedure:
    """Steps with their computed `next` (the following step, for a task or start event that names none) and
    `lane` (the owner; an event without one takes the lane of the step it leads to or comes from)."""
    d = source.data
    w = Where(source)
    raw_steps = d["steps"]
    steps = []
    for i, s in enumerate(raw_steps):
        sw = w.at("steps", i)
        kind = s.get("type", "task")
        following = raw_steps[i + 1]["id"] if i + 1 < len(raw_steps) else None
        nxt = None if kind in ("decision", "end") else s.get("next", following)
        branches = [Branch(b.get("when", b.get("otherwise")), b["next"], "otherwise" in b, sw.at("branches", j))
                    for j, b in enumerate(s.get("branches", []))]
        steps.append(Step(id=s["id"], type=kind, name=Text(s["name"], sw.at("name")) if "name" in s else None,
                          owner=s.get("owner"), form=s.get("form"), deadline=s.get("deadline"),
                          notes=Text(s["notes"], sw.at("notes")) if "notes" in s else None, next=nxt,
                          branches=branches, where=sw, lane=s.get("owner")))
    _assign_event_lanes(steps)
    lanes = list(d.get("lanes", []))
    lanes += [s.lane for s in steps if s.lane and s.lane not in lanes]
    return Procedure(id=d["id"], language=d.get("language", language), title=d["title"],
                     stated_in=d.get("stated_in"), lanes=list(dict.fromkeys(lanes)), steps=steps, where=w)


def _assign_event_lanes(steps: list[Step]) -> None:
    by_id = {s.id: s for s in steps}
    for step in steps:
        if step.lane is None and step.type == "start":
            target = by_id.get(step.next) if step.next else None
            step.lane = target.owner if target else None
    for step in steps:
        if step.lane is None:  # an end event, or a start event leading nowhere known: the lane of a predecessor
            step.lane = next((s.lane for s in steps if step.id in s.successors() and s.lane), None)
    first = next((s.lane for s in steps if s.lane), None)
    for step in steps:
        step.lane = step.lane or first
