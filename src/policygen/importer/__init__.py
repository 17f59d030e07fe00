"""`policygen import`: existing regulations (Word, plain text, Markdown) read back into policygen YAML.

    readers (word, text) → one paragraph stream (source, normalise) → structure (front matter: front;
    articles: body; table paragraphs: tables; the parts: tree) → references (article numbers →
    [[article:…]]) → drafts (rules, matrices) → write (YAML text)

`import_document` does no file output: it returns the regulation's YAML text, the drafts (file name → YAML
text) and the diagnostics, each with the source line or paragraph it concerns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics, Severity
from .drafts import draft_documents
from .word import read_doc, read_docx
from .text import read_text
from .references import Linker
from .source import ReadError
from .structure import recognise
from .tree import ArticleDraft, Note, Recognised
from .write import to_yaml

FORMATS = (".docx", ".doc", ".txt", ".md")
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PLACEHOLDER_DATE = "2000-01-01"
_ERRORS = {"PG-IMPORT-001", "PG-IMPORT-002", "PG-IMPORT-003", "PG-IMPORT-004"}


@dataclass
class ImportResult:
    yaml: str | None  # the regulation document, or None when nothing could be imported
    drafts: dict[str, str] = field(default_factory=dict)  # file name -> YAML text of a draft to review
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    regulation: dict | None = None  # the same document as data
    id: str | None = None
    articles: int = 0


def default_id(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    if not slug:
        return "imported-regulation"
    return slug if slug[0].isalpha() else f"regulation-{slug}"


def import_document(path, id: str | None = None, organization=None) -> ImportResult:
    """Read a .docx, .doc, .txt or .md regulation and return it as policygen YAML with its drafts.

    `organization` (a policygen Organization, optional) lets drafted matrices name its roles and the regulation
    its issuing department; without it, approvers get placeholder role ids that are reported.
    """
    path = Path(path)
    shown = str(path)
    result = ImportResult(None)
    if id is not None and not _ID.match(id):
        raise ValueError(f"--id '{id}': an id is lower-case letters, digits and hyphens, starting with a letter")
    reg_id = id or default_id(path)
    result.id = reg_id
    suffix = path.suffix.lower()
    try:
        if suffix not in FORMATS:
            raise ReadError("PG-IMPORT-001", f"{path.name}: policygen imports .docx, .doc, .txt and .md files")
        doc = (read_docx(path) if suffix == ".docx" else read_doc(path) if suffix == ".doc"
               else read_text(path, markdown=suffix == ".md"))
    except ReadError as exc:
        result.diagnostics.add(Diagnostic(exc.code, str(exc), file=shown, hint=exc.hint))
        return result
    rec = recognise(doc)
    notes: list[Note] = [Note(code, message, n) for code, message, n in doc.notes] + rec.notes
    if not rec.articles:
        notes.append(Note("PG-IMPORT-004", "no articles found: no 第一条 labels and no numbered points"))
        result.diagnostics.extend(_diagnostic(n, shown) for n in notes)
        return result
    data, ids = _regulation(rec, reg_id, organization, notes, doc.unit)
    drafts = draft_documents(rec, data["title"], reg_id, _role_names(organization), notes, doc.unit)
    header = [f"{data['title']}: imported from {path.name} by `policygen import`.",
              "Review it against the source, and the warnings the import printed, before building."]
    footer = []
    if rec.attachments:
        footer = ["Attachments in the source, to add once the documents they print exist (附表 N, in order):"]
        for title, n in rec.attachments:
            kind = "procedure: PROCEDURE-ID" if n in rec.procedure_attachments else "form: FORM-ID"
            footer.append(f"- {{{kind}, title: {title}}}    # {doc.unit} {n}")
            if n in rec.procedure_attachments:
                notes.append(Note("PG-IMPORT-101", f"{doc.unit} {n}: the attachment “{title}” is not placed: it prints a "
                                  "procedure's flowchart and step table, which cannot be imported as a procedure; write "
                                  "the procedure (kind: procedure) and attach it", n))
            else:
                notes.append(Note("PG-IMPORT-101", f"{doc.unit} {n}: the attachment “{title}” is not placed: an "
                                  "attachment prints a form, matrix or rules document, and there is none yet", n))
    result.yaml = to_yaml(data, header, footer=footer)
    result.regulation = data
    result.drafts = drafts
    result.articles = len(rec.articles)
    result.diagnostics.extend(_diagnostic(n, shown) for n in notes)
    return result


def _diagnostic(note: Note, file: str) -> Diagnostic:
    severity = Severity.ERROR if note.code in _ERRORS else Severity.WARNING
    return Diagnostic(note.code, note.message, file=file, line=note.first, hint=note.hint, severity=severity)


def _escape(text: str) -> str:
    return text.replace("[[", "\\[[")


def _regulation(rec: Recognised, reg_id: str, organization, notes: list[Note], unit: str) -> tuple[dict, dict]:
    data: dict = {"kind": "regulation", "id": reg_id, "language": rec.language}
    if rec.title:
        data["title"] = rec.title
    else:
        data["title"] = reg_id
        notes.append(Note("PG-IMPORT-106", f"no title found before the first article; the title is '{reg_id}'"))
    if rec.number:
        data["number"] = rec.number
    data["version"] = rec.version or "1.0"
    if rec.effective:
        data["effective"] = rec.effective
    else:
        data["effective"] = PLACEHOLDER_DATE
        notes.append(Note("PG-IMPORT-106", f"the source states no effective date; `effective` is the placeholder "
                          f"{PLACEHOLDER_DATE}" + ("" if any(a.clause == "effective" for a in rec.articles)
                                                  else ", which the generated effective-date clause prints")))
    if not any(a.clause == "interpretation" for a in rec.articles):
        notes.append(Note("PG-IMPORT-106", "the source has no interpretation clause (本制度由…负责解释): policygen "
                          "prints one naming the company", hint="write the article (clause: interpretation) if "
                          "another body interprets the regulation, or set interpreted_by"))
    ids: dict[int, str] = {}  # article number in the source -> id
    for k, a in enumerate(rec.articles, start=1):
        ids.setdefault(a.number if not rec.outline else k, f"article-{k}")
    linker = Linker(ids if not rec.outline else {}, unit)
    if rec.preamble:
        data["preamble"] = [linker.link(_escape(t), 0, 0, 0) for t in rec.preamble]
    chapters = []
    k = 0
    for c_index, chapter in enumerate(rec.chapters, start=1):
        out: dict = {"id": f"chapter-{c_index}", "title": chapter.title}
        sections = [s for s in chapter.sections]
        if len(sections) == 1 and not sections[0].title:
            out["articles"] = []
            for a in sections[0].articles:
                k += 1
                out["articles"].append(_article(a, k, linker))
        else:
            out["sections"] = []
            for s_index, s in enumerate(sections, start=1):
                arts = []
                for a in s.articles:
                    k += 1
                    arts.append(_article(a, k, linker))
                out["sections"].append({"id": f"section-{c_index}-{s_index}", "title": s.title, "articles": arts})
        chapters.append(out)
    data["chapters"] = chapters
    if rec.revisions:
        data["revisions"] = rec.revisions
    notes.extend(linker.notes)
    _issued_by(rec, data, organization, notes, unit)
    return data, ids


def _issued_by(rec: Recognised, data: dict, organization, notes: list[Note], unit: str) -> None:
    """The issuing department, when a line of the front matter names one of the organization's (policygen's own
    DOCX prints it after the date), longest name first; other short lines there are reported."""
    names = [] if organization is None else sorted(
        ((n, d.id) for d in organization.departments.values() for n in {d.name, *d.names.values()} if n),
        key=lambda e: -len(e[0]))
    found = None
    for text in rec.meta_lines + [p.text for p in rec.front_lines]:
        found = found or next((department for name, department in names if name in text), None)
    for p in rec.front_lines:
        if not any(name in p.text for name, _ in names):
            notes.append(Note("PG-IMPORT-101", f"{unit} {p.number} not placed (a line between the title and the "
                              f"text): “{p.text}”", p.number))
    if found:
        items = list(data.items())
        data.clear()
        for key, value in items:
            data[key] = value
            if key == "effective":
                data["issued_by"] = found


def _article(a: ArticleDraft, k: int, linker: Linker) -> dict:
    out: dict = {"id": f"article-{k}"}
    if a.clause:
        out["clause"] = a.clause
    count = len(a.paragraphs)
    paragraphs = []
    for index, p in enumerate(a.paragraphs):
        if "table" in p:
            paragraphs.append({"table": _table(p["table"], linker, p["source"], index, count, k == 1)})
            continue
        text = linker.link(_escape(p["text"]), p.get("source", a.source), index, count, k == 1)
        items = []
        for item in p["items"]:
            item_text = linker.link(_escape(item["text"]), item["source"], index, count, k == 1)
            subs = [linker.link(_escape(s), item["source"], index, count, k == 1) for s in item["subitems"]]
            items.append({"text": item_text, "subitems": subs} if subs else item_text)
        paragraphs.append({"text": text, "items": items} if items else text)
    if len(paragraphs) == 1 and not (isinstance(paragraphs[0], dict) and "table" in paragraphs[0]):
        only = paragraphs[0]
        if isinstance(only, dict):
            out["text"], out["items"] = only["text"], only["items"]
        else:
            out["text"] = only
    else:
        out["paragraphs"] = paragraphs
    a.id = out["id"]
    return out


def _table(table: dict, linker: Linker, source: int, index: int, count: int, first: bool) -> dict:
    """A table paragraph's texts as the article's: brackets escaped, article numbers made references."""
    def text(t: str) -> str:
        return linker.link(_escape(t), source, index, count, first) if t else t

    out = dict(table)
    if "title" in out:
        out["title"] = text(out["title"])
    out["columns"] = [{**c, "label": text(c["label"])} for c in table["columns"]]
    out["rows"] = [[text(c) if isinstance(c, str) else {**c, "text": text(c["text"])} for c in row] for row in table["rows"]]
    return out


def _role_names(organization) -> dict[str, str]:
    """Role name (in every language the organization gives) -> role id."""
    roles: dict[str, str] = {}
    for role in organization.roles.values() if organization is not None else ():
        roles[role.name] = role.id
        for name in role.names.values():
            roles.setdefault(name, role.id)
    return roles
