"""Forms compared field by field (by field id; unnamed fields such as notes by their type and order), with their
copies (联), paper and columns."""

from __future__ import annotations

from ..model import Form, Project
from .changes import FieldChange, FormChange, ValueChange
from .values import json_value, ordered_ids, value_changes


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
                                            "attrs": json_value(f.attrs, numbers_as_text=False)}
    return out


def _form_properties(form: Form) -> dict:
    return {"title": form.title, "number": form.number, "version": form.version, "owner": form.owner,
            "stated_in": form.stated_in, "paper": {"size": form.paper_size, "orientation": form.orientation},
            "serial": form.serial, "copies": [{"label": c.label, "keeper": c.keeper} for c in form.copies]}


def _compare_forms(old: Project, new: Project) -> list[FormChange]:
    out = []
    for form_id in ordered_ids(old.forms, new.forms):
        o, n = old.forms.get(form_id), new.forms.get(form_id)
        doc = n or o
        change = FormChange(form_id, "added" if o is None else "removed" if n is None else "changed",
                            doc.language, o.title if o else None, n.title if n else None)
        if o is None or n is None:
            for key, snap in _field_snapshots(doc).items():
                change.fields.append(FieldChange(key, change.status, None if n else snap, snap if n else None))
            out.append(change)
            continue
        change.properties = value_changes(_form_properties(o), _form_properties(n))
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
