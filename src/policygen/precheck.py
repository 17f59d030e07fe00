"""A fast yes/no answer to "is this document valid against its schema?", for the documents that are.

jsonschema makes a validator object for every subschema it visits and an error object for every `if` that
does not hold, so checking a large valid project spends most of its time building things it then throws away.
`compile_check` turns a schema, once, into nested Python closures that answer the same question without
building anything. jsonschema still has the last word: `schemas.validate_source` runs it (and builds the
diagnostics) only for a document this rejects.

Only the keywords the input schemas use are compiled, with jsonschema's meaning (draft 2020-12, with the formats
of `formats.FORMAT_CHECKER` asserted, as the validators in `schemas` assert them); any other keyword is refused
when compiling, so a schema edit cannot silently weaken the check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from numbers import Number

from jsonschema._utils import equal, uniq  # jsonschema's own equality (True is not 1) and uniqueness
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from .formats import FORMAT_CHECKER

Check = Callable[[object], bool]

# Keywords that never make a value invalid. `then` and `else` are read with their `if`; `format` is asserted
# for the formats policygen checks and an annotation for any other.
_ANNOTATIONS = {"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default",
                "deprecated", "readOnly", "writeOnly", "then", "else"}


def _always(value) -> bool:
    return True


def _never(value) -> bool:
    return False


def _is_number(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def _is_integer(value) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


# jsonschema's draft 2020-12 type checker, predicate by predicate (tests/test_precheck.py compares them).
TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": _is_integer,
}


def compile_check(schema: dict, registry: Registry) -> Check:
    """The check of `schema` (a resource of `registry`, which resolves its `$ref`s)."""
    return _Compiler().compile(schema, registry.resolver(base_uri=schema.get("$id", "")))


class _Compiler:
    def __init__(self):
        self.done: dict[int, Check] = {}  # by id() of the subschema: each is compiled once, cycles included

    def compile(self, schema, resolver) -> Check:
        if schema is True or schema is False:
            return _always if schema else _never
        key = id(schema)
        if key not in self.done:
            later: list[Check] = []
            self.done[key] = lambda value: later[0](value)  # stands in for a $ref back to this schema
            if "$id" in schema:
                resolver = resolver.in_subresource(DRAFT202012.create_resource(schema))
            later.append(_all([self.keyword(schema, name, resolver) for name in schema if name not in _ANNOTATIONS]))
            self.done[key] = later[0]
        return self.done[key]

    def keyword(self, schema: dict, name: str, resolver) -> Check:
        arg = schema[name]
        sub = lambda s: self.compile(s, resolver)  # noqa: E731
        if name == "$ref":
            resolved = resolver.lookup(arg)
            return self.compile(resolved.contents, resolved.resolver)
        if name == "type":
            return _any([TYPES[t] for t in arg]) if isinstance(arg, list) else TYPES[arg]
        if name == "properties":
            return _properties({k: sub(s) for k, s in arg.items()}, sub(schema.get("additionalProperties", True)))
        if name == "additionalProperties":
            return _properties({}, sub(arg)) if "properties" not in schema else _always  # else read with properties
        if name == "items":
            return _items(sub(arg))
        if name in ("allOf", "anyOf", "oneOf"):
            checks = [sub(s) for s in arg]
            return {"allOf": _all, "anyOf": _any, "oneOf": _one}[name](checks)
        if name == "not":
            check = sub(arg)
            return lambda v: not check(v)
        if name == "if":
            return _if(sub(arg), sub(schema.get("then", True)), sub(schema.get("else", True)))
        if name == "propertyNames":
            check = sub(arg)
            return lambda v: not isinstance(v, dict) or all(check(k) for k in v)
        if name == "format":
            if arg not in FORMAT_CHECKER.checkers:
                return _always
            return lambda v: FORMAT_CHECKER.conforms(v, arg)
        if name in _SIMPLE:
            return _SIMPLE[name](arg)
        raise NotImplementedError(f"precheck: the schema keyword {name!r} is not supported")


def _all(checks: list[Check]) -> Check:
    checks = [c for c in checks if c is not _always]
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)

    def every(v) -> bool:
        for check in checks:
            if not check(v):
                return False
        return True
    return every


def _any(checks: list[Check]) -> Check:
    return lambda v: any(check(v) for check in checks)


def _one(checks: list[Check]) -> Check:
    return lambda v: sum(1 for check in checks if check(v)) == 1


def _if(condition: Check, then: Check, otherwise: Check) -> Check:
    return lambda v: then(v) if condition(v) else otherwise(v)


def _properties(known: dict[str, Check], other: Check) -> Check:
    if other is _always:  # only the named properties are checked: look them up (an `if` names only one or two)
        def named(v) -> bool:
            if isinstance(v, dict):
                for key, each in known.items():
                    if key in v and not each(v[key]):
                        return False
            return True
        return named

    def check(v) -> bool:
        if isinstance(v, dict):
            for key, value in v.items():
                if not known.get(key, other)(value):
                    return False
        return True
    return check


def _items(each: Check) -> Check:
    def check(v) -> bool:
        if isinstance(v, list):
            for value in v:
                if not each(value):
                    return False
        return True
    return check


def _enum(allowed: list) -> Check:
    if all(isinstance(a, str) for a in allowed):  # jsonschema's equality: a text equals only the same text
        texts = frozenset(allowed)
        return lambda v: isinstance(v, str) and v in texts
    return lambda v: any(equal(v, a) for a in allowed)


def _pattern(pattern: str) -> Check:
    search = re.compile(pattern).search
    return lambda v: not isinstance(v, str) or search(v) is not None


def _required(names: list[str]) -> Check:
    names = frozenset(names)
    return lambda v: not isinstance(v, dict) or v.keys() >= names


def _bound(test: Callable[[object], bool]) -> Check:
    return lambda v: not _is_number(v) or test(v)


_SIMPLE: dict[str, Callable[[object], Check]] = {
    "const": lambda c: _enum([c]),
    "enum": _enum,
    "pattern": _pattern,
    "required": _required,
    "minLength": lambda n: lambda v: not isinstance(v, str) or len(v) >= n,
    "maxLength": lambda n: lambda v: not isinstance(v, str) or len(v) <= n,
    "minItems": lambda n: lambda v: not isinstance(v, list) or len(v) >= n,
    "maxItems": lambda n: lambda v: not isinstance(v, list) or len(v) <= n,
    "uniqueItems": lambda u: (lambda v: not isinstance(v, list) or uniq(v)) if u else _always,
    "minProperties": lambda n: lambda v: not isinstance(v, dict) or len(v) >= n,
    "maxProperties": lambda n: lambda v: not isinstance(v, dict) or len(v) <= n,
    "minimum": lambda m: _bound(lambda v: v >= m),
    "maximum": lambda m: _bound(lambda v: v <= m),
    "exclusiveMinimum": lambda m: _bound(lambda v: v > m),
    "exclusiveMaximum": lambda m: _bound(lambda v: v < m),
}
