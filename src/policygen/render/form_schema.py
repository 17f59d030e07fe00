"""JSON Schema of a filled-in form: what a system that stores submitted forms may accept.

`out/forms/<id>.schema.json` (draft 2020-12) describes one submission of a form as a JSON object with one property
per field id, in the order the form lists its fields (notes carry no value and have none):

| field | value |
| --- | --- |
| text | string; `maxLength` is the field's `width` (characters) when it has one |
| multiline | string |
| number | number (`integer` when `decimals: 0`); the unit and decimals are in the description |
| money | decimal string, at most two decimals ("1005.05"); below zero ("-20") only with `negative: true` |
| date | "YYYY-MM-DD", a date that exists (`format: date`, asserted: see below; and a pattern) |
| comb | string of at most `length` characters, matching the field's `pattern` as a whole when it has one |
| choice | one option id (an option written as a plain label is its own value); `multiple: true`: an array of them |
| rating | object with one property per criterion, each a level id |
| table | array of at most `rows` objects whose properties are the column ids (strings) |
| signature | object {name, date} ({name} when the signature has no date) |
| approval | array of {role, opinion, name, date}; role is one of the approval matrix's approver roles |

A field with `required: true` is listed in `required` and must be more than empty: a required string has at least
one character, a required table, approval or multiple choice at least one entry, a required rating rates every
criterion and a required signature has its name (and date). Nothing else is accepted: every object has
`additionalProperties: false`. The output is deterministic (same form, same bytes).

Formats are assertions here, not annotations: a submission is valid only when a validator that checks `format`
accepts it (jsonschema: `Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)`), so
2026-02-30 is refused. Each schema says so in its description and in `$comment`.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import selected
from ..model import Field, Form, Project
from .form_layout import with_rows
from .form_sheet import fit_sheet

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://schemas.policygen.org/forms/"
MONEY_PATTERN = r"^[0-9]+(\.[0-9]{1,2})?$"  # zero or more, at most two decimals
SIGNED_MONEY_PATTERN = r"^-?[0-9]+(\.[0-9]{1,2})?$"  # a money field with `negative: true`
FORMATS_ASSERTED = ("Validate with format checking on (formats are assertions in this schema, e.g. jsonschema's "
                    "format_checker=Draft202012Validator.FORMAT_CHECKER): a date must exist.")
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def form_data_schema(project: Project, form: Form) -> dict:
    """The JSON Schema (a dict, in field order) of one submission of `form`."""
    properties: dict[str, dict] = {}
    required: list[str] = []
    rows = fit_sheet(form, project).rows  # a `rows: fill` table holds as many rows as its printed sheet
    for field in form.fields:
        if field.type == "notes" or not field.id:
            continue
        properties[field.id] = _field_schema(project, with_rows(field, rows))
        if field.attrs.get("required"):
            required.append(field.id)
    schema = {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{SCHEMA_BASE}{form.id}.schema.json",
        "title": form.title,
        "$comment": FORMATS_ASSERTED,
        "description": f"One filled-in {form.title}: form number (表单编号) {form.number}, version {form.version}. "
                       + FORMATS_ASSERTED,
        "type": "object",
        "properties": properties,
    }
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def write_form_schemas(project: Project, out: Path, ids=None) -> list[Path]:
    """Write out/forms/<id>.schema.json for every form (or those in `ids`); return the paths written."""
    folder = Path(out) / "forms"
    written: list[Path] = []
    for form_id in selected(project.forms, ids):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{form_id}.schema.json"
        text = json.dumps(form_data_schema(project, project.forms[form_id]), ensure_ascii=False, indent=2)
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written


# --- one field -----------------------------------------------------------------------------------------------

def _field_schema(project: Project, field: Field) -> dict:
    """{title, description?, …}: the field's label and help text first, then what its value must be."""
    a = field.attrs
    required = bool(a.get("required"))
    kind = field.type
    about = []  # what the description says beyond the help text
    if kind in ("text", "multiline"):
        value = _string(required)
        if kind == "text" and a.get("width"):
            value["maxLength"] = a["width"]
    elif kind == "number":
        value = {"type": "integer" if a.get("decimals") == 0 else "number"}
        if a.get("unit"):
            about.append(f"A number in {a['unit']}.")
        if a.get("decimals"):
            about.append(f"At most {a['decimals']} decimal{'s' if a['decimals'] > 1 else ''}.")
    elif kind == "money":
        signed = bool(a.get("negative"))
        value = {"type": "string", "pattern": SIGNED_MONEY_PATTERN if signed else MONEY_PATTERN}
        capital = "; the amount in capital numerals (大写) follows from it" if a.get("capital", True) else ""
        sign = "zero or more" if not signed else "below zero allowed"
        about.append(f"Money as a decimal string, in {a.get('currency', 'CNY')}, {sign}{capital}.")
    elif kind == "date":
        value = _date()
    elif kind == "comb":
        value = _string(required)
        value["maxLength"] = a["length"]
        if a.get("pattern"):
            value["pattern"] = f"^(?:{a['pattern']})$"
    elif kind == "choice":
        item = {"enum": [_option_value(o) for o in a["options"]]}
        if a.get("multiple"):
            value = {"type": "array", "items": item, "uniqueItems": True}
            if required:
                value["minItems"] = 1
        else:
            value = item
    elif kind == "rating":
        levels = [_option_value(lv) for lv in a["levels"]]
        criteria = [_option_value(c) for c in a["criteria"]]
        value = {"type": "object", "properties": {c: {"enum": list(levels)} for c in criteria}}
        if required:
            value["required"] = criteria
        value["additionalProperties"] = False
    elif kind == "table":
        row = {"type": "object", "properties": {c["id"]: {"title": c["label"], "type": "string"} for c in a["columns"]},
               "additionalProperties": False}
        value = {"type": "array", "items": row, "maxItems": a["rows"]}
        if required:
            value["minItems"] = 1
    elif kind == "signature":
        props = {"name": _string(required)}
        if a.get("date", True):
            props["date"] = _date()
        value = {"type": "object", "properties": props}
        if required:
            value["required"] = list(props)
        value["additionalProperties"] = False
    elif kind == "approval":
        roles = _approver_roles(project, a["matrix"])
        entry = {"type": "object",
                 "properties": {"role": {"enum": roles}, "opinion": {"type": "string"}, "name": _string(True),
                                "date": _date()},
                 "required": ["role", "name", "date"], "additionalProperties": False}
        value = {"type": "array", "items": entry, "maxItems": len(roles)}
        if required:
            value["minItems"] = 1
        about.append(f"One entry per approver of the approval matrix {a['matrix']}.")
    else:  # pragma: no cover - the form schema allows no other field type
        raise ValueError(f"unknown field type {kind}")
    head = {"title": field.label}
    description = "\n".join(([a["help"]] if a.get("help") else []) + about)
    if description:
        head["description"] = description
    return head | value


def _string(required: bool) -> dict:
    return {"type": "string", "minLength": 1} if required else {"type": "string"}


def _date() -> dict:
    return {"type": "string", "format": "date", "pattern": DATE_PATTERN}


def _option_value(option) -> str:
    return option["id"] if isinstance(option, dict) else option


def _approver_roles(project: Project, matrix_id: str) -> list[str]:
    """The approver role ids of a matrix, in the order its rows first name them (as the printed form lists them)."""
    roles: list[str] = []
    for row in project.matrices[matrix_id].rows:
        roles.extend(r for r in row.approvers if r not in roles)
    return roles
