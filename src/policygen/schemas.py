"""The JSON Schemas in `schemas/` are the single source of truth for the input format.

This module loads them into one registry (so cross-file `$ref`s resolve without any network access) and turns
jsonschema's errors into PG-SCHEMA diagnostics that point at the line of the offending value. A document passes
first through its schema's compiled check (`precheck`), much faster than jsonschema; only one that fails it is
validated again by jsonschema, for the diagnostics.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .diagnostics import Diagnostic
from .formats import FORMAT_CHECKER
from .loader import SourceFile
from .precheck import Check, compile_check
from .resources import schemas_dir

BASE = "https://schemas.policygen.org/input/1/"
KINDS = ("organization", "regulation", "rules", "approval-matrix", "form", "rule-tests", "procedure")


@cache
def _registry() -> tuple[dict, Registry]:
    schemas = {}
    for path in sorted(schemas_dir().glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[schema["$id"]] = schema
    registry = Registry().with_resources((uri, Resource.from_contents(s)) for uri, s in schemas.items())
    return schemas, registry


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator of one schema, by its file stem: `regulation`, `project`, …"""
    schemas, registry = _registry()
    return Draft202012Validator(schemas[f"{BASE}{name}.schema.json"], registry=registry, format_checker=FORMAT_CHECKER)


@cache
def export_validator() -> Draft202012Validator:
    """The validator of the published rule-export format (schemas/rules-export.schema.json)."""
    schemas, registry = _registry()
    return Draft202012Validator(schemas["https://schemas.policygen.org/export/1/rules-export.schema.json"], registry=registry,
                                format_checker=FORMAT_CHECKER)


@cache
def check(name: str) -> Check:
    """The compiled yes/no check of one schema (see `precheck`), by its file stem."""
    schemas, registry = _registry()
    return compile_check(schemas[f"{BASE}{name}.schema.json"], registry)


def validate_source(source: SourceFile, schema_name: str) -> list[Diagnostic]:
    if check(schema_name)(source.data):
        return []
    errors = sorted(validator(schema_name).iter_errors(source.data), key=lambda e: list(map(str, e.absolute_path)))
    found = [f for error in errors if not _follows(error, errors) for f in _diagnostic(source, error)]
    unknown = {(f.path, f.name) for f in found if f.diagnostic.code == "PG-SCHEMA-003"}
    out: list[Diagnostic] = []
    for f in found:
        if f.diagnostic.code == "PG-SCHEMA-002" and any(p == f.path and _close(k, f.name) for p, k in unknown):
            continue  # the property is there, misspelt: the PG-SCHEMA-003 of the misspelling says so
        if f.diagnostic not in out:
            out.append(f.diagnostic)
    return out


@dataclass(frozen=True)
class _Found:
    diagnostic: Diagnostic
    path: tuple = ()  # of the mapping, for a missing or an unknown property
    name: str | None = None  # the property missing or unknown


def _close(word: str, other: str) -> bool:
    return bool(difflib.get_close_matches(word, [other], n=1, cutoff=0.6))


def _follows(error: ValidationError, errors: list[ValidationError]) -> bool:
    """A `format` error about a value that also fails its pattern says the same thing a second time."""
    return error.validator == "format" and any(
        e is not error and e.validator == "pattern" and e.absolute_path == error.absolute_path for e in errors)


_NOT_FINITE = re.compile(r"^[-+]?(\.?(inf|infinity|nan))$", re.I)
_TYPE_NAMES = {"string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
               "array": "a list", "object": "a mapping", "null": "empty"}


def _describe(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _diagnostic(source: SourceFile, error: ValidationError) -> list[_Found]:
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [_Found(source.diagnostic("PG-SCHEMA-002", f"the property '{missing}' is required here", path),
                       path, missing)]
    if kind in ("additionalProperties", "unevaluatedProperties"):
        known = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in known]  # every one, in the order written
        absent = [k for k in known if k not in error.instance]  # what a misspelt key may have meant
        allowed = f"the properties allowed here are: {', '.join(known)}"
        found = []
        for name in extra:
            close = difflib.get_close_matches(name, known, n=2, cutoff=0.6)
            close_absent = difflib.get_close_matches(name, absent, n=2, cutoff=0.6)
            if close_absent and close and close_absent[0] == close[0]:
                close = close_absent  # the best match is a property not written yet: that is the one meant
            hint = ("did you mean " + " or ".join(f"'{c}'" for c in close) + "? " + allowed) if close else allowed
            found.append(_Found(source.diagnostic("PG-SCHEMA-003", f"'{name}' is not a known property here",
                                                  path + (name,), key=True, hint=hint), path, name))
        return found
    if kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in expected)
        hint = None
        if isinstance(error.instance, str) and "boolean" in expected:
            hint = "write true or false (yes/no/on/off are read as text)"
        elif isinstance(error.instance, str) and {"number", "integer"} & set(expected):
            if _NOT_FINITE.match(error.instance):
                hint = ("policygen reads finite decimal numbers only: infinity and NaN are no amount or count; "
                        "for an interval open at one end, leave that bound out")
            else:
                hint = ("write a plain number such as 10 or 1000.50 (numbers with leading zeros, exponents such as "
                        "1e6 and thousands separators are read as text)")
        elif isinstance(error.schema, dict) and error.schema.get("description"):
            hint = error.schema["description"]
        return _one(source.diagnostic("PG-SCHEMA-004", f"{_describe(error.instance)} should be {wanted}", path, hint=hint))
    if kind in ("enum", "const"):
        allowed = error.validator_value if kind == "enum" else [error.validator_value]
        return _one(source.diagnostic("PG-SCHEMA-005", f"{_describe(error.instance)} is not allowed here",
                                      path, hint="use one of: " + ", ".join(_describe(a) for a in allowed)))
    if kind in ("oneOf", "anyOf", "not"):
        return _shape_diagnostic(source, error, path)
    if kind == "format":
        reason = str(error.cause) if error.cause else f"is not a valid {error.validator_value}"
        return _one(source.diagnostic("PG-SCHEMA-006", reason, path,
                                      hint="write a date that exists, YYYY-MM-DD (a time: YYYY-MM-DD HH:MM)"))
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    examples = error.schema.get("examples") if isinstance(error.schema, dict) else None
    hint = description or None
    if examples:
        hint = (hint + " " if hint else "") + "Example: " + _describe(examples[0])
    return _one(source.diagnostic("PG-SCHEMA-006", f"{_describe(error.instance)}: {_reason(error)}", path, hint=hint))


def _one(diagnostic: Diagnostic) -> list[_Found]:
    return [_Found(diagnostic)]


def _reason(error: ValidationError) -> str:
    v, value = error.validator, error.validator_value
    return {
        "pattern": "does not have the expected form",
        "minLength": "is too short",
        "maxLength": f"is longer than {value} characters",
        "minimum": f"is below the minimum {value}",
        "maximum": f"is above the maximum {value}",
        "exclusiveMinimum": f"must be greater than {value}",
        "exclusiveMaximum": f"must be less than {value}",
        "minItems": f"needs at least {value} {'entry' if value == 1 else 'entries'}",
        "maxItems": f"allows at most {value} entries",
        "uniqueItems": "has the same entry twice",
        "minProperties": "must not be empty",
    }.get(v, error.message)


def _shape_diagnostic(source: SourceFile, error: ValidationError, path: tuple) -> list[_Found]:
    inner = _closest_branch_error(error)
    if inner is not None:
        return _diagnostic(source, inner)
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator == "oneOf" and not error.context:
        message = f"{_describe(error.instance)} matches more than one allowed shape"
    elif error.validator == "not":
        message = f"{_describe(error.instance)} combines properties that exclude each other"
    else:
        message = f"{_describe(error.instance)} matches none of the allowed shapes"
    return _one(source.diagnostic("PG-SCHEMA-007", message, path, hint=description))


def _wrong_type(error: ValidationError) -> bool:
    """The value is not even of the type the alternative wants (a mapping where the only allowed value is "any")."""
    if error.validator == "type":
        return True
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return not any(_json_type(a) == _json_type(error.instance) for a in allowed)
    return False


def _json_type(value) -> str:
    if isinstance(value, bool) or value is None:
        return type(value).__name__
    if isinstance(value, (int, float, Decimal)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "other")


def _closest_branch_error(error: ValidationError) -> ValidationError | None:
    """The error that best explains why a oneOf/anyOf failed: from the alternative the value came closest to.

    Alternatives whose type does not fit the value at all are ignored; of the rest, the one with the fewest
    errors wins, and its deepest error is reported (looking inside nested alternatives the same way).
    """
    if not error.context:
        return None
    depth = len(error.absolute_path)
    branches: dict[int, list[ValidationError]] = {}
    for e in error.context:
        branches.setdefault(e.relative_schema_path[0], []).append(e)
    fitting = {i: errs for i, errs in branches.items()
               if not any(len(e.absolute_path) == depth and _wrong_type(e) for e in errs)}
    if not fitting:
        return None
    errs = min(fitting.values(), key=len)
    best = max(errs, key=lambda e: len(e.absolute_path))
    if best.validator in ("oneOf", "anyOf"):
        return _closest_branch_error(best) or best
    return None if best.validator == "not" else best
