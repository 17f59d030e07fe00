"""The schemas are the reference documentation; the README documents every diagnostic code."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO
from policygen import CATALOGUE

SCHEMAS = sorted((REPO / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.stem)
def test_schema_is_documented_draft_2020_12(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + path.name)
    assert schema["title"] and schema["description"]


INPUT_SCHEMAS = [p for p in SCHEMAS if "/input/" in json.loads(p.read_text(encoding="utf-8"))["$id"] and p.stem != "common.schema"]


@pytest.mark.parametrize("path", INPUT_SCHEMAS, ids=lambda p: p.stem)
def test_schema_examples_are_valid_where_given_at_the_top(path):
    from policygen.schemas import validator

    v = validator(path.name.removesuffix(".schema.json"))
    for example in v.schema.get("examples", []):
        assert list(v.iter_errors(example)) == []


def test_readme_lists_every_diagnostic_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- codes:")[1].split("<!-- /codes -->")[0]
    listed = dict(re.findall(r"^\| `(PG-[A-Z]+-\d{3})` \| (.+) \|$", table, re.M))
    assert listed == {code: summary for code, (summary, _) in CATALOGUE.items()}


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.+?)\n```", readme, re.S)
    build_command, test_command = blocks[0], blocks[1]
    assert "policygen build" in build_command
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    # the README's command as a line of its own (after it, CI may run some tests again in another setting)
    assert test_command in ci_lines
