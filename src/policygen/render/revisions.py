"""The 修订对照表 (before / after table) of each changed regulation, as HTML, PDF and DOCX.

    changes = compare(old, new)                               # policygen.diff
    write_revisions(old, new, changes, out)                   # out/revisions/<regulation-id>.html, .pdf, .docx

One document per regulation that changed (present in both versions): the title 《标题》修订对照表, a line naming the
two versions, and

1. a three-column table 条款 / 修订前 / 修订后 listing every changed article in article order: added, removed, moved
   (one row, with the chapter it came from), changed in wording, or changed because a rule, form or other text it
   refers to changed. Where the number differs both are given (第五条→第六条). Inside the text, inserted
   characters are underlined in the 修订后 column and deleted characters struck through in the 修订前 column
   (HTML <ins>/<del>, the PDF through the same HTML and CSS text-decoration, DOCX runs with underline / strike).
   An added article has an empty 修订前 cell, a removed one an empty 修订后 cell. Of a long article (more than
   three lines: paragraphs, items, sub-items) only the first line and the changed lines are shown, "……" standing
   for the lines left out. Articles renumbered and nothing else are not listed: one sentence under the table says
   how the numbers shifted (原第七条至第三十六条依次改为第八条至第三十七条。);
2. a small table of the articles whose only change is a reference to an article that was renumbered
   (仅因条款编号变化而更新的引用): the reference as printed before and after, unmarked;
3. the changes of the rules, approval matrices and forms that concern the regulation (stated in it, named in its
   text or attached to it): rule values with their effective dates, matrix rows with their bounds and approvers,
   form fields, copies and layout.

The table header repeats on every page and no row is split across pages (CSS `thead` / `break-inside: avoid`,
DOCX `w:tblHeader` / `w:cantSplit`). The PDF uses the regulation's page preset and fonts (pdf/page.css.j2,
font_context, the confined fetcher); the DOCX the regulation writer's styles, page setup and page numbers.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from .. import language as lang_mod
from ..language import revision_words as words
from ..diff import (ArticleChange, Changes, FormChange, MatrixChange, RegulationChanges, RuleChange, Segment,
                    chapter_name, side)
from ..model import Project
from ..presets import preset as get_preset
from .docx import META_STYLE, TABLE_CAPTION_STYLE, RegulationWriter, _xml_text
from .html import environment, render_template
from .ooxml import save_reproducibly
from .pdf import font_context, render, write_pdf

ELLIPSIS = "……"
_MAX_FULL_LINES = 3  # an article of more lines shows only its first line and the changed ones


# --- the view: what every output prints ----------------------------------------------------------------------

def cell_lines(segments: list[Segment], which: str, shorten: bool = True) -> list[list[tuple[str, str]]]:
    """The lines of one column (`old`: equal and deleted text; `new`: equal and inserted text), each a list of
    (op, text) pieces, op equal / delete / insert / ellipsis. Of more than three lines only the first and the
    changed ones are kept, "……" standing for each run of lines left out."""
    lines: list[list[tuple[str, str]]] = [[]]
    for seg in side(segments, which):
        for k, part in enumerate(seg.text.split("\n")):
            if k:
                lines.append([])
            if part:
                lines[-1].append((seg.op, part))
    lines = [line for line in lines if line] or []
    if not shorten or len(lines) <= _MAX_FULL_LINES:
        return lines
    out: list[list[tuple[str, str]]] = []
    for k, line in enumerate(lines):
        if k == 0 or any(op != "equal" for op, _ in line):
            out.append(line)
        elif not out or out[-1] != [("ellipsis", ELLIPSIS)]:
            out.append([("ellipsis", ELLIPSIS)])
    return out


def _number_lines(change: ArticleChange, w: dict) -> list[str]:
    """["第五条→", "第六条"] where the number changed (a line each: the 条款 column is narrow), else ["第五条"]."""
    if change.number_changed:
        return [change.old.label + w["arrow"].rstrip(), change.new.label]
    return [(change.new or change.old).label]


def _article_note(change: ArticleChange, language: str, w: dict) -> str:
    if change.added:
        return w["added"]
    if change.removed:
        return w["removed"]
    notes = []
    if change.moved and (change.old.chapter, change.old.section) != (change.new.chapter, change.new.section):
        old_place = chapter_name(change.old, language) or change.old.section_title
        new_place = chapter_name(change.new, language) or change.new.section_title
        if change.old.section_title and change.old.chapter == change.new.chapter:
            old_place, new_place = change.old.section_title, change.new.section_title
        notes.append(w["moved"].format(old=old_place, new=new_place))
    if change.text == "references" and not change.renumbering_only:
        kinds = list(dict.fromkeys(w["kinds"][r.kind] for r in change.references))
        notes.append(w["ref_note"].format(kinds=w["list_sep"].join(kinds)))
    return w["clause_sep"].join(notes)


def renumbering_sentence(reg: RegulationChanges, language: str) -> str:
    """原第七条至第三十六条依次改为第八条至第三十七条。 — runs of consecutive articles shifted by the same amount."""
    w = words(language)
    shifted = sorted((a.old.number, a.new.number) for a in reg.renumbered)
    runs: list[list[tuple[int, int]]] = []
    for old, new in shifted:
        if runs and old == runs[-1][-1][0] + 1 and new - old == runs[-1][-1][1] - runs[-1][-1][0]:
            runs[-1].append((old, new))
        else:
            runs.append([(old, new)])
    if not runs:
        return ""
    label = lambda n: lang_mod.article_label(n, language)  # noqa: E731
    sentences = []
    for run in runs:
        if len(run) == 1:
            sentences.append(w["renumbered_one"].format(old=label(run[0][0]), new=label(run[0][1])))
        else:
            first, last = run[0], run[-1]
            old = w["range"].format(a=label(first[0]), b=label(last[0]))
            new = w["range"].format(a=label(first[1]), b=label(last[1]))
            if language == "en":
                old, new = f"Articles {first[0]} to {last[0]}", f"Articles {first[1]} to {last[1]}"
            sentences.append(w["renumbered"].format(old=old, new=new))
    return "".join(sentences) if language != "en" else " ".join(sentences)


def _target_lines(snapshot: dict | None, language: str, w: dict) -> list[str]:
    if snapshot is None:
        return []
    lines = []
    for target in snapshot["targets"]:
        prefix = w["from"].format(date=lang_mod.format_date(target["from"], language)) if target.get("from") else ""
        lines.append(prefix + target["text"])
    return lines


def _plain(value, language: str, w: dict) -> str:
    if value is None or value == [] or value == "":
        return w["none"]
    if isinstance(value, dict):
        if set(value) == {"size", "orientation"}:
            return f"{value['size']} {w['paper'].get(value['orientation'], value['orientation'])}"
        return w["list_sep"].join(f"{w['props'].get(k, k)}{w['colon']}{_plain(v, language, w)}"
                                  for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return w["clause_sep"].join(_plain(v, language, w) for v in value)
    return str(value)


def _revision_lines(records: list | None, language: str, w: dict) -> list[str]:
    """A 修订记录 as it prints: one line per revision, "1.1版（2026年3月1日）调整审批权限"."""
    return [w["revision"].format(version=r["version"], date=lang_mod.format_date(r["date"], language),
                                 summary=r.get("summary") or "").rstrip(": ")
            for r in records or []] or [w["none"]]


def _copies(value, w: dict) -> str:
    return w["clause_sep"].join(c["label"] for c in value) if value else w["none"]


def _rule_rows(rule: RuleChange, language: str, w: dict) -> list[list]:
    item = f"{w['rule']}{w['colon']}{rule.name}"
    before = _target_lines(rule.old, language, w)
    after = _target_lines(rule.new, language, w)
    if rule.status == "changed":
        if "targets" not in rule.changed:
            before, after = [], []
        for name in rule.changed:
            if name == "targets":
                continue
            label = w["props"].get(name, name)
            before.append(f"{label}{w['colon']}{_plain(rule.old.get(name), language, w)}")
            after.append(f"{label}{w['colon']}{_plain(rule.new.get(name), language, w)}")
    return [[item, before, after]]


def _matrix_rows(matrix: MatrixChange, language: str, w: dict) -> list[list]:
    name = matrix.title if language == "en" else f"《{matrix.title}》"
    rows = []
    for prop in matrix.properties:
        label = w["props"].get(prop.name, prop.name)
        rows.append([f"{w['matrix']}{w['colon']}{name} {label}" if language == "en" else f"{w['matrix']}{name}{label}",
                     [_plain(prop.old, language, w)], [_plain(prop.new, language, w)]])
    for row in matrix.rows:
        where = w["row"].format(n=row.index)
        item = f"{w['matrix']}: {name}, {where}" if language == "en" else f"{w['matrix']}{name}{where}"
        rows.append([item, [row.old["text"]] if row.old else [], [row.new["text"]] if row.new else []])
    return rows


def _field_text(snapshot: dict | None, language: str, w: dict) -> list[str]:
    if snapshot is None:
        return []
    kind = w["types"].get(snapshot["type"], snapshot["type"])
    label = snapshot["label"] or kind
    return [f"{label} ({kind})" if language == "en" else f"{label}（{kind}）"]


def _form_rows(form: FormChange, language: str, w: dict) -> list[list]:
    name = form.title if language == "en" else f"《{form.title}》"
    head = f"{w['form']}: {name}" if language == "en" else f"{w['form']}{name}"
    rows = []
    for prop in form.properties:
        label = w["props"].get(prop.name, prop.name)
        if prop.name == "copies":
            rows.append([f"{head} {label}" if language == "en" else f"{head}{label}", [_copies(prop.old, w)], [_copies(prop.new, w)]])
        else:
            rows.append([f"{head} {label}" if language == "en" else f"{head}{label}",
                         [_plain(prop.old, language, w)], [_plain(prop.new, language, w)]])
    for section in form.sections:
        _, n, what = section.name.split("/")
        label = w["section"].format(n=n) + (" " if language == "en" else "") + w["props"].get(what, what)
        rows.append([f"{head} {label}" if language == "en" else f"{head}{label}",
                     [_plain(section.old, language, w)], [_plain(section.new, language, w)]])
    for field in form.fields:
        label = (field.new or field.old)["label"] or field.key
        item = (f"{head}, " if language == "en" else head) + w["field"].format(label=label)
        before, after = _field_text(field.old, language, w), _field_text(field.new, language, w)
        if field.status == "changed":
            for name in field.changed:
                key = name.split("/", 1)[-1]
                prop = w["props"].get(key, key)
                get = (lambda snap: snap["attrs"].get(key)) if name.startswith("attrs/") else (lambda snap: snap[name])
                before.append(f"{prop}{w['colon']}{_plain(get(field.old), language, w)}")
                after.append(f"{prop}{w['colon']}{_plain(get(field.new), language, w)}")
        rows.append([item, before, after])
    return rows


def _procedure_rows(proc, language: str, w: dict) -> list[list]:
    name = proc.title if language == "en" else f"《{proc.title}》"
    head = f"{w['procedure']}: {name}" if language == "en" else f"{w['procedure']}{name}"
    rows = []
    for prop in proc.properties:
        label = w["props"].get(prop.name, prop.name)
        rows.append([f"{head} {label}" if language == "en" else f"{head}{label}",
                     [_plain(prop.old, language, w)], [_plain(prop.new, language, w)]])

    def whole(snap: dict | None) -> list[str]:
        if snap is None:
            return []
        return [w["position"].format(n=snap["number"]) + w["colon"] + snap["name"]
                + (f"（{snap['owner_name']}）" if snap["owner_name"] and language != "en" else
                   f" ({snap['owner_name']})" if snap["owner_name"] else "")]

    aspects = {"reordered": ("position", lambda s: w["position"].format(n=s["number"])),
               "reassigned": ("step_owner", lambda s: s["owner_name"] or w["none"]),
               "renamed": (None, lambda s: s["name"]),
               "form": ("step_form", lambda s: (s["form_title"] if language == "en" else f"《{s['form_title']}》")
                        if s["form_title"] else w["none"]),
               "deadline": ("step_deadline", lambda s: s["deadline"] or w["none"]),
               "flow": ("step_next", lambda s: w["list_sep"].join(s["next"]) or w["none"]),
               "type": ("step_type", lambda s: s["type"])}
    for step in proc.steps:
        label = w["step"].format(name=(step.new or step.old)["name"])
        item = f"{head}, {label}" if language == "en" else f"{head}{label}"
        if step.status != "changed":
            rows.append([item, whole(step.old), whole(step.new)])
            continue
        before, after = [], []
        for kind in step.changed:
            key, show = aspects[kind]
            prefix = "" if key is None or key == "position" else w[key] + w["colon"]
            before.append(prefix + show(step.old))
            after.append(prefix + show(step.new))
        rows.append([item, before, after])
    return rows


def revision_view(changes: Changes, reg: RegulationChanges) -> dict:
    """Everything the three outputs print for one regulation, in its language."""
    language = reg.language
    w = words(language)

    def version_text(version: dict | None) -> str:
        if version is None:
            return w["none"]
        return w["version"].format(version=version["version"], date=lang_mod.format_date(version["effective"], language))

    # The versions and dates the regulation states; the git revisions' names only where those read the same.
    versions = [version_text(reg.old_version), version_text(reg.new_version)]
    if versions[0] == versions[1] and changes.revisions:
        versions = [f"{v}（{label}）" if language != "en" else f"{v} ({label})"
                    for v, label in zip(versions, (changes.old_label, changes.new_label))]

    rows = []
    for change in reg.table:
        rows.append({"id": change.id, "number_lines": _number_lines(change, w),
                     "note": _article_note(change, language, w),
                     "old": cell_lines(change.segments, "old") if change.old else [],
                     "new": cell_lines(change.segments, "new") if change.new else []})
        if change.old and change.new and not change.segments:  # moved, text unchanged
            lines = cell_lines([Segment("equal", change.new.text)], "new")
            rows[-1]["old"], rows[-1]["new"] = cell_lines([Segment("equal", change.old.text)], "old"), lines
    references = []
    for change in reg.reference_updates:
        references.append({"id": change.id, "number_lines": _number_lines(change, w),
                           "old": w["list_sep"].join(r.old for r in change.references),
                           "new": w["list_sep"].join(r.new for r in change.references)})
    others = []
    for rule_id in reg.rules:
        others += _rule_rows(changes.rule(rule_id), language, w)
    for matrix_id in reg.matrices:
        others += _matrix_rows(changes.matrix(matrix_id), language, w)
    for form_id in reg.forms:
        others += _form_rows(changes.form(form_id), language, w)
    for procedure_id in reg.procedures:
        others += _procedure_rows(changes.procedure(procedure_id), language, w)
    metadata = []
    for item in reg.metadata:
        label = (w["title_word"] if item.name == "title"
                 else lang_mod.strings(language).get(item.name) or w["props"].get(item.name, item.name))
        if item.name == "effective":
            metadata.append([label, [lang_mod.format_date(item.old, language)], [lang_mod.format_date(item.new, language)]])
        elif item.name == "revisions":
            metadata.append([label, _revision_lines(item.old, language, w), _revision_lines(item.new, language, w)])
        elif item.name == "attachments":
            metadata.append([label, [a["title"] or a["target"] for a in item.old] or [w["none"]],
                             [a["title"] or a["target"] for a in item.new] or [w["none"]]])
        else:
            metadata.append([label, [_plain(item.old, language, w)], [_plain(item.new, language, w)]])
    return {
        "lang": language,
        "w": w,
        "title": w["title"].format(title=reg.title),
        "versions": [w["before"] + w["colon"] + versions[0], w["after"] + w["colon"] + versions[1]],
        "rows": rows,
        "renumbered": renumbering_sentence(reg, language),
        "references": references,
        "others": metadata + others,
        "others_title": w["others_all"] if metadata else w["others"],
    }


# --- writing -------------------------------------------------------------------------------------------------

def write_revisions(old: Project, new: Project, changes: Changes, out: Path, formats=("html", "pdf", "docx")) -> list[Path]:
    """Write out/revisions/<regulation-id>.html, .pdf and .docx for every regulation that changed and is in both
    versions; return the paths written (none when nothing changed)."""
    folder = Path(out) / "revisions"
    written: list[Path] = []
    regs = [r for r in changes.regulations if r.status == "changed"]
    if not regs:
        return written
    folder.mkdir(parents=True, exist_ok=True)
    env = environment(new)
    for reg in regs:
        view = revision_view(changes, reg)
        regulation = new.regulations[reg.id]
        if "html" in formats:
            path = folder / f"{reg.id}.html"
            path.write_text(render_template(env, "html/revisions.html.j2", view), encoding="utf-8")
            written.append(path)
        if "pdf" in formats:
            written.append(_write_pdf(env, new, regulation, view, folder / f"{reg.id}.pdf"))
        if "docx" in formats:
            path = folder / f"{reg.id}.docx"
            document = RevisionWriter(new, regulation, view).build()
            save_reproducibly(document, path, _stamp(regulation.effective))
            written.append(path)
    return written


def _stamp(iso: str) -> datetime:
    year, month, day = (int(x) for x in iso.split("-"))
    return datetime(year, month, day, tzinfo=timezone.utc)


def _write_pdf(env, project: Project, regulation, view: dict, path: Path) -> Path:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    context = view | {"p": get_preset(project.config.preset), "effective": regulation.effective,
                      "company": project.organization.company_name(view["lang"]) if project.organization else ""}
    context |= font_context(project, view["lang"])
    markup = render_template(env, "pdf/revisions.html.j2", context)
    write_pdf(render(project, markup, view["lang"]), path)
    return path


class RevisionWriter(RegulationWriter):
    """The DOCX of a 修订对照表: the regulation writer's styles, page setup and "— N —" page numbers, with one
    bordered table whose header row repeats and whose rows never split."""

    def __init__(self, project: Project, regulation, view: dict):
        super().__init__(project, regulation)
        self.view = view

    def build(self):
        view, w = self.view, self.view["w"]
        self._setup_styles()
        self._setup_settings(odd_and_even=True)
        self._setup_section(self.doc.sections[0], landscape=False)
        self._setup_footers(self.doc.sections[0])
        reg = self.reg
        self._set_core_properties(view["title"], reg.number or "", reg.id, reg.version, _stamp(reg.effective))
        self._paragraph("Title", _xml_text(view["title"]))
        self._paragraph(META_STYLE, _xml_text("\n".join(view["versions"])))
        header = [w["article"], w["before"], w["after"]]
        if view["rows"]:
            table = self._table(len(view["rows"]) + 1, 3, widths=(1.4, 3, 3))
            for cell, text in zip(table.rows[0].cells, header):
                self._cell_text(cell, text, heading=True)
            for row, item in zip(table.rows[1:], view["rows"]):
                self._lines_cell(row.cells[0], item["number_lines"])
                number = row.cells[0].paragraphs[0]
                if item["note"]:
                    note = row.cells[0].add_paragraph(style=number.style)
                    run = note.add_run(_xml_text(item["note"]))
                    run.font.size = Pt(self.table_pt - 2)
                self._marked_cell(row.cells[1], item["old"])
                self._marked_cell(row.cells[2], item["new"])
                for cell in row.cells:
                    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            self._header_rows(table, 1)
        if view["renumbered"]:
            self._gap(0.3)
            note = self._paragraph(META_STYLE, _xml_text(view["renumbered"]))
            note.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if view["references"]:
            self._paragraph(TABLE_CAPTION_STYLE, _xml_text(w["references"]))
            table = self._table(len(view["references"]) + 1, 3, widths=(1.4, 3, 3))
            for cell, text in zip(table.rows[0].cells, header):
                self._cell_text(cell, text, heading=True)
            for row, item in zip(table.rows[1:], view["references"]):
                self._lines_cell(row.cells[0], item["number_lines"])
                self._cell_text(row.cells[1], item["old"])
                self._cell_text(row.cells[2], item["new"])
            self._header_rows(table, 1)
        if view["others"]:
            self._paragraph(TABLE_CAPTION_STYLE, _xml_text(view["others_title"]))
            table = self._table(len(view["others"]) + 1, 3, widths=(2, 2.5, 2.5))
            for cell, text in zip(table.rows[0].cells, [w["item"], w["before"], w["after"]]):
                self._cell_text(cell, text, heading=True)
            for row, (item, before, after) in zip(table.rows[1:], view["others"]):
                self._cell_text(row.cells[0], item)
                self._lines_cell(row.cells[1], before)
                self._lines_cell(row.cells[2], after)
            self._header_rows(table, 1)
        self._close_body()
        return self.doc

    def _marked_cell(self, cell, lines: list[list[tuple[str, str]]]) -> None:
        """Lines of text with their inserted characters underlined and deleted ones struck through."""
        for k, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph(style=cell.paragraphs[0].style)
            for op, text in line:
                run = paragraph.add_run(_xml_text(text))
                if op == "insert":
                    run.font.underline = True
                elif op == "delete":
                    run.font.strike = True

    def _lines_cell(self, cell, lines: list[str]) -> None:
        for k, text in enumerate(lines):
            paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph(style=cell.paragraphs[0].style)
            paragraph.add_run(_xml_text(text))
