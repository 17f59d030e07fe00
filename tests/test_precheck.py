"""The compiled schema check (policygen.precheck) answers exactly as jsonschema does.

`schemas.validate_source` trusts it for every document it accepts, so a document it passes that jsonschema would
reject would be a document let through. Besides the corpus, each document is checked in many broken variants:
values replaced by ones of other types and forms (the schemas' own enum values among them), properties dropped or
added, list entries removed or repeated.
"""

from __future__ import annotations

import copy
import json
import random
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conftest import REPO
from policygen.loader import load_file
from policygen.precheck import TYPES, compile_check
from policygen.schemas import KINDS, check, validator

CORPUS = sorted((REPO / "policies").rglob("*.yaml")) + [REPO / "policygen.yaml"]
VARIANTS = 60  # broken variants per document


def _kind(data: dict) -> str:
    return "project" if "project" in data else data["kind"]


def _documents() -> list:
    docs = []
    for path in CORPUS:
        source, errors = load_file(path, path.name)
        assert not errors, errors
        docs.append(pytest.param(path.name, _kind(source.data), source.data, id=path.name))
    for kind in (*KINDS, "project"):
        for i, example in enumerate(validator(kind).schema.get("examples", [])):
            docs.append(pytest.param(f"{kind} example {i}", kind, example, id=f"{kind}-example-{i}"))
    return docs


def _schema_words() -> list[str]:
    """Every text an `enum` or `const` of the schemas allows: values that take other branches of an if/oneOf."""
    words: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "enum":
                    words.update(v for v in value if isinstance(v, str))
                elif key == "const" and isinstance(value, str):
                    words.add(value)
                elif key != "examples":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in (REPO / "schemas").glob("*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return sorted(words)


VALUES = [None, True, False, 0, 1, 3, -1, 41, 501, 2.0, Decimal("1.5"), Decimal("2.0"),
          "", "x", "A", "a-b", "x/y", "sales", "2026-01-01", "2026-13-01", "16:00", "1.0", "CNY", "第一联", "{seq:4}",
          "\n", [], ["x"], ["x", "x"], [{}], {}, {"id": "x"}, {"id": "x", "label": "y"}, {"text": "x"}, {"gt": 1, "le": 5},
          *_schema_words()]
KEYS = ["id", "label", "text", "items", "paragraphs", "options", "columns", "rows", "type", "required", "zzz",
        "articles", "sections", "matrix", "form", "rules", "title", "when", "then", "value", "unit"]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, path + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, path + (i,))


def _mutate(doc: dict, rng: random.Random) -> tuple[dict, str]:
    doc = copy.deepcopy(doc)
    path = rng.choice(list(_paths(doc))[1:])
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last, target = path[-1], parent[path[-1]]
    op = rng.choice(["replace", "replace", "replace", "drop", "add", "repeat"])
    if op == "drop":
        del parent[last]
    elif op == "add" and isinstance(target, dict):
        target[rng.choice(KEYS)] = copy.deepcopy(rng.choice(VALUES))
    elif op == "repeat" and isinstance(target, list) and target:
        target.append(copy.deepcopy(rng.choice(target)))
    else:
        op = "replace"
        parent[last] = copy.deepcopy(rng.choice(VALUES))
    return doc, f"{op} at {path}"


@pytest.mark.parametrize("name, kind, doc", _documents())
def test_precheck_agrees_with_jsonschema(name, kind, doc):
    compiled, reference = check(kind), validator(kind)
    assert compiled(doc) and reference.is_valid(doc)
    rng = random.Random(name)
    outcomes = set()
    for _ in range(VARIANTS):
        variant, how = _mutate(doc, rng)
        if rng.random() < 0.3:  # sometimes two changes, so that one can make up for the other
            variant, more = _mutate(variant, rng)
            how += ", " + more
        expected = reference.is_valid(variant)
        assert compiled(variant) == expected, f"{name}: {how}: jsonschema says {'valid' if expected else 'invalid'}"
        outcomes.add(expected)
    assert outcomes == {True, False}, "the variants should include valid and invalid documents"


def test_types_are_those_of_jsonschema():
    checker = Draft202012Validator.TYPE_CHECKER
    for value in [None, True, False, 0, 1, -1, 1.0, 1.5, Decimal("1"), Decimal("1.5"), "", "1", [], {}, (), object()]:
        for name, predicate in TYPES.items():
            assert predicate(value) == checker.is_type(value, name), (value, name)


def _compile(schema: dict):
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.test/s.json", **schema}
    return compile_check(schema, Registry().with_resource(schema["$id"], Resource.from_contents(schema)))


def test_a_keyword_the_compiler_does_not_know_is_refused():
    with pytest.raises(NotImplementedError, match="unevaluatedProperties"):
        _compile({"unevaluatedProperties": False})


def test_recursive_references_and_booleans():
    tree = _compile({"$defs": {"tree": {"type": "object", "additionalProperties": False,
                                        "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/tree"}},
                                                       "any": True}}},
                     "$ref": "#/$defs/tree"})
    assert tree({"kids": [{"kids": []}, {"any": [1, None]}]})
    assert not tree({"kids": [{"kids": [{"other": 1}]}]})
    assert not _compile({"not": True})(1)
