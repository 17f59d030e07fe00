"""The rule export: output/rules/<id>.json for every rules document and approval matrix.

This is a contract with other systems: the format is versioned (FORMAT_VERSION, and the schema's $id names the
major version), described by schemas/rules-export.schema.json, and read back by `policygen.rules` without the
YAML. Numbers are decimal strings, so 999.99 stays exactly 999.99 in any language. Every rule and row carries
its source: file, line, and the regulation article that states it. A rules export carries the working-day
calendar its due times follow (`working_calendar`: every known year's days off and working days, with the
holiday library and its version), so another system computes the same due times from the file alone.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import selected
from ..formats import decimal_text
from ..language import article_label
from ..model import Matrix, Project, Rule, RuleSet, Target, Where

FORMAT_VERSION = "1.1"  # 1.1: rules exports carry the working-day calendar they were computed with
SCHEMA_ID = "https://schemas.policygen.org/export/1/rules-export.schema.json"




def _source(project: Project, where: Where, stated_in: str | None) -> dict:
    line = where.source.position(where.path)[0]
    source = {"file": where.source.name, "line": line}
    if stated_in:
        reg_id, article_id = stated_in.split("/")
        reg = project.regulations[reg_id]
        number = reg.article(article_id).number
        source["article"] = {"regulation": reg_id, "article": article_id, "number": number,
                             "label": article_label(number, reg.language)}
    return source


def _target(target: Target) -> dict:
    out = {"unit": target.unit, "value": decimal_text(target.value), "comparator": target.comparator,
           "anchor": target.anchor, "day": target.day, "weekday": target.weekday, "time": target.time}
    return {k: v for k, v in out.items() if v is not None}


def _rule(project: Project, rule: Rule) -> dict:
    out = {"id": rule.id, "type": rule.kind, "name": rule.name}
    for key in ("channel", "measure", "period", "responsible", "action"):
        if getattr(rule, key) is not None:
            out[key] = getattr(rule, key)
    if rule.escalate_to:
        out["escalate_to"] = rule.escalate_to
    out["values"] = [{"from": t.since, "target": _target(t)} for t in rule.targets]
    out["source"] = _source(project, rule.where, rule.stated_in)
    return out


def _organization(project: Project, language: str) -> dict:
    org = project.organization
    return {"name": org.company_name(language), "business_hours": org.business_hours,
            "calendar": org.calendar or {}, "roles": {r.id: r.name_in(language) for r in org.roles.values()}}


def _header(project: Project, doc, kind: str) -> dict:
    return {"$schema": SCHEMA_ID, "format": "policygen-rules", "format_version": FORMAT_VERSION, "kind": kind,
            "id": doc.id, "title": doc.title, "language": doc.language,
            "source": {"file": doc.where.source.name, "line": doc.where.source.position(())[0]},
            "organization": _organization(project, doc.language)}


def export_ruleset(project: Project, ruleset: RuleSet) -> dict:
    from ..due import WorkCalendar

    calendar = WorkCalendar.from_organization(project.organization).export()
    return _header(project, ruleset, "rules") | {"rules": [_rule(project, r) for r in ruleset.rules],
                                                  "working_calendar": calendar}


def _condition(condition):
    if isinstance(condition, dict):
        return {k: decimal_text(v) for k, v in condition.items()}
    return condition


def export_matrix(project: Project, matrix: Matrix) -> dict:
    inputs = []
    for inp in matrix.inputs:
        entry = {"id": inp.id, "label": inp.label, "type": inp.type}
        if inp.type == "money":
            entry |= {"currency": inp.currency, "minimum": decimal_text(inp.minimum)}
        if inp.type == "enum":
            entry["values"] = [{"id": v, "label": label} for v, label in inp.values]
        inputs.append(entry)
    rows = [{"number": n, "when": {i.id: _condition(row.conditions.get(i.id, "any")) for i in matrix.inputs},
             "approvers": list(row.approvers), **({"note": row.note} if row.note else {}),
             "source": _source(project, row.where, matrix.stated_in)}
            for n, row in enumerate(matrix.rows, start=1)]
    return _header(project, matrix, "approval-matrix") | {
        "hit_policy": matrix.hit_policy, "priority": list(matrix.priority), "inputs": inputs, "rows": rows,
        "stated_in": _source(project, matrix.where, matrix.stated_in).get("article")}


def write_exports(project: Project, out: Path, ids=None) -> list[Path]:
    written = []
    docs = [(i, export_ruleset(project, project.rulesets[i])) for i in selected(project.rulesets, ids)]
    docs += [(i, export_matrix(project, project.matrices[i])) for i in selected(project.matrices, ids)]
    for doc_id, data in sorted(docs):
        path = out / "rules" / f"{doc_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
