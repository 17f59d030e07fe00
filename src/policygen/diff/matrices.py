"""Approval matrices compared row by row (by index: conditions with their bounds, approvers, note), with their
inputs and hit policy."""

from __future__ import annotations

from ..model import Matrix, Project
from .changes import MatrixChange, RowChange
from .values import json_value, ordered_ids, value_changes


def _row_snapshot(project: Project, matrix: Matrix, row) -> dict:
    from ..language import describe_condition

    lang = matrix.language
    org = project.organization
    conditions = {i.id: json_value(row.conditions.get(i.id, "any")) for i in matrix.inputs}
    described = "，".join(describe_condition(row.conditions.get(i.id, "any"), i, lang) for i in matrix.inputs) \
        if lang != "en" else "; ".join(describe_condition(row.conditions.get(i.id, "any"), i, lang) for i in matrix.inputs)
    names = [org.roles[r].name_in(lang) if org and r in org.roles else r for r in row.approvers]
    approvers_text = " → ".join(names)
    return {"conditions": conditions, "approvers": list(row.approvers), "note": row.note,
            "text": f"{described}{'：' if lang != 'en' else ': '}{approvers_text}"}


def _matrix_properties(matrix: Matrix) -> dict:
    return {"title": matrix.title, "hit_policy": matrix.hit_policy,
            "inputs": [json_value({"id": i.id, "label": i.label, "type": i.type, "currency": i.currency,
                                    "minimum": i.minimum, "values": [list(v) for v in i.values]}) for i in matrix.inputs],
            "priority": list(matrix.priority), "stated_in": matrix.stated_in}


def _compare_matrices(old: Project, new: Project) -> list[MatrixChange]:
    out = []
    for matrix_id in ordered_ids(old.matrices, new.matrices):
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
        change.properties = value_changes(_matrix_properties(o), _matrix_properties(n))
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
