"""The loader reads what the author wrote: no YAML 1.1 reinterpretation, exact decimals, positions kept."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from policygen.loader import load_file


def load(tmp_path: Path, text: str):
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    source, errors = load_file(path, "doc.yaml")
    return source, [e.code for e in errors]


@pytest.mark.parametrize("plain, expected", [
    ("no", "no"), ("on", "on"), ("Yes", "Yes"), ("off", "off"),  # YAML 1.1 booleans stay text
    ("010", "010"), ("0o17", "0o17"), ("0x1F", "0x1F"),          # no octal or hex surprises
    ("1:30", "1:30"), ("16:00", "16:00"),                         # no sexagesimal numbers
    ("2010-01-01", "2010-01-01"),                                 # dates stay text
    ("1_000", "1_000"), (".inf", ".inf"),
    ("true", True), ("false", False), ("null", None), ("~", None),
    ("10", 10), ("-3", -3), ("999.99", Decimal("999.99")), ("5000.01", Decimal("5000.01")),
])
def test_plain_scalars_follow_yaml_1_2_narrowed(tmp_path, plain, expected):
    source, errors = load(tmp_path, f"value: {plain}\n")
    assert errors == []
    assert source.data["value"] == expected
    assert type(source.data["value"]) is type(expected)


def test_quoted_scalars_are_always_text(tmp_path):
    source, _ = load(tmp_path, "a: '10'\nb: \"true\"\nc: !!str 3\n")
    assert source.data == {"a": "10", "b": "true", "c": "3"}


def test_positions_of_values_and_keys(tmp_path):
    source, _ = load(tmp_path, "kind: form\nsections:\n  - fields:\n      - {id: x, label: 姓名}\n")
    assert source.position(("sections", 0, "fields", 0, "label")) == (4, 24)
    assert source.position(("sections", 0, "fields", 0, "label"), key=True) == (4, 17)
    assert source.position(("sections", 0, "missing")) == (3, 5)  # nearest ancestor


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffkind: form\n".encode("utf-8"))
    source, errors = load_file(path, "bom.yaml")
    assert errors == [] and source.data == {"kind": "form"}


def test_tab_inside_a_quoted_value_is_not_indentation(tmp_path):
    source, errors = load(tmp_path, 'text: "a\tb"\n')
    assert errors == [] and source.data["text"] == "a\tb"


def test_alias_within_limit_is_expanded(tmp_path):
    source, errors = load(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert errors == [] and source.data["b"] == [1, 2]


def test_two_documents_in_one_file(tmp_path):
    _, errors = load(tmp_path, "kind: form\n---\nkind: rules\n")
    assert errors == ["PG-LOAD-008"]


def test_empty_file(tmp_path):
    _, errors = load(tmp_path, "# nothing\n")
    assert errors == ["PG-LOAD-008"]


def test_positions_inside_an_alias_are_those_of_the_anchor(tmp_path):
    source, _ = load(tmp_path, "a: &x\n  - {id: p}\nb: *x\n")
    assert source.position(("b", 0, "id")) == source.position(("a", 0, "id")) == (2, 10)
    assert source.position(("b",)) == (1, 4) and source.position(("b",), key=True) == (3, 1)


def test_a_repeated_key_names_the_line_of_the_first(tmp_path):
    path = tmp_path / "doc.yaml"
    path.write_text("kind: form\nsections:\n  - title: 一\n    fields: []\n    title: 二\n", encoding="utf-8")
    _, [error] = load_file(path, "doc.yaml")
    assert (error.code, error.line, error.column) == ("PG-LOAD-005", 5, 5)
    assert "first at line 3" in error.message


@pytest.mark.parametrize("text", ["a: ! '010'\n", "a: !!int '1'\n", "a: !custom x\n", "a: !!timestamp x\n",
                                  "a: !!seq {}\n"])
def test_explicit_tags_are_refused_where_they_would_change_the_value(tmp_path, text):
    _, errors = load(tmp_path, text)
    assert errors == ["PG-LOAD-007"]


@pytest.mark.parametrize("text, expected", [("a: !!int 010\n", "010"), ("a: !!timestamp 2010-01-01\n", "2010-01-01"),
                                            ("a: !!bool true\n", True), ("a: ! 10\n", 10), ("a: !!str 10\n", "10")])
def test_tags_that_name_what_the_value_reads_as_anyway_are_accepted(tmp_path, text, expected):
    source, errors = load(tmp_path, text)
    assert errors == [] and source.data["a"] == expected and type(source.data["a"]) is type(expected)
