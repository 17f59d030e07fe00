"""The changes as the published JSON (schemas/revision-diff.schema.json) and as the text `policygen diff` prints."""

from __future__ import annotations

from ..language import chapter_label
from .changes import FORMAT, FORMAT_VERSION, SCHEMA_ID, ArticleState, Changes, Segment, ValueChange


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
            "related": {"rules": reg.rules, "matrices": reg.matrices, "forms": reg.forms, "procedures": reg.procedures},
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
    procedures = [{"id": p.id, "change": p.status, "title": {"old": p.old_title, "new": p.new_title},
                   "properties": _values_json(p.properties),
                   "steps": [{"id": s.id, "change": s.status, "changed": s.changed, "old": s.old, "new": s.new}
                             for s in p.steps]} for p in changes.procedures]
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
        "procedures": procedures,
    }


def chapter_name(state: ArticleState, language: str) -> str:
    """第二章　服务作业程序: the chapter an article stands in (empty in a regulation without chapters)."""
    from ..language import strings

    if not state.chapter:
        return ""
    label = chapter_label(state.chapter, language)
    return label + strings(language)["sep"] + state.chapter_title if state.chapter_title else label


def shown(value) -> str:
    """A value of a change as a person reads it in a terminal: never a Python repr."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k} {shown(v)}" for k, v in value.items() if v is not None and v != [])
    if isinstance(value, (list, tuple)):
        return "; ".join(shown(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def changes_text(changes: Changes) -> str:
    """A plain-text summary, one change a line, for the terminal (`policygen diff` without --format json)."""
    out: list[str] = []
    for reg in changes.regulations:
        out.append(f"regulation {reg.id} ({reg.title}): {reg.status}")
        for item in reg.metadata:
            out.append(f"  {item.name}: {shown(item.old)} → {shown(item.new)}")
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
            out.append(f"  {prop.name}: {shown(prop.old)} → {shown(prop.new)}")
        for row in matrix.rows:
            before, after = (row.old or {}).get("text", "—"), (row.new or {}).get("text", "—")
            out.append(f"  row {row.index}: {row.status}: {before} → {after}")
    for form in changes.forms:
        out.append(f"form {form.id} ({form.title}): {form.status}")
        for prop in form.properties + form.sections:
            out.append(f"  {prop.name}: {shown(prop.old)} → {shown(prop.new)}")
        for f in form.fields:
            out.append(f"  field {f.key}: {f.status}" + (f" [{', '.join(f.changed)}]" if f.changed else ""))
    for proc in changes.procedures:
        out.append(f"procedure {proc.id} ({proc.title}): {proc.status}")
        for prop in proc.properties:
            out.append(f"  {prop.name}: {shown(prop.old)} → {shown(prop.new)}")
        for step in proc.steps:
            detail = ""
            if "reassigned" in step.changed:
                detail = f" ({step.old['owner_name']} → {step.new['owner_name']})"
            number = (f"{step.old['number']}→{step.new['number']}" if step.old and step.new and step.old["number"] != step.new["number"]
                      else str((step.new or step.old)["number"]))
            out.append(f"  step {number} {step.id}: {step.status}" + (f" [{', '.join(step.changed)}]" if step.changed else "")
                       + detail)
    return "\n".join(out) if out else "no changes"
