"""Property tests: no input makes policygen fail with anything but a located diagnostic or a clear refusal.

Hypothesis drives the loader, `validate`, `decide`, `due`, `test` and the JSON rule reader with arbitrary text,
with documents built from pieces the schemas accept (hypothesis-jsonschema, for odd but schema-valid values)
and with arbitrary command-line values. Every case must end with exit code 0, 1 or 2, every error must carry a
code, a file and (inside a document) a line and column, no message may carry a control character raw, and no
case may take long. Each bug these found is a fixture in tests/fixtures/errors/ (see test_diagnostics.py).
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from conftest import BASE_DOCUMENTS, write_project
from policygen import CATALOGUE, build_project, load_project
from policygen.due import WorkCalendar, due_time
from policygen.loader import load_file
from policygen.render.rules_json import export_matrix, export_ruleset
from policygen.rules import load
from policygen.schemas import BASE, _registry
from test_input_edges import invoke

LEAN = settings(max_examples=40, deadline=4000, suppress_health_check=[HealthCheck.too_slow])
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


# --- what every run must look like -------------------------------------------------------------------------

def assert_clean_diagnostics(diagnostics) -> None:
    for d in diagnostics:
        assert d.code in CATALOGUE
        assert not RAW_CONTROL.search(d.message) and not RAW_CONTROL.search(d.hint or "")
        if d.file and d.file.startswith("policies/") and d.is_error:
            assert d.line and d.line >= 1 and d.column and d.column >= 1, d


def assert_clean_run(code: int, out: str, err: str, allowed=(0, 1, 2)) -> None:
    assert code in allowed, (code, err[-2000:])
    assert "internal error" not in err and "Traceback" not in err, err[-2000:]
    assert not RAW_CONTROL.search(out.replace("\n", "")) and not RAW_CONTROL.search(err.replace("\n", ""))


class Project:
    """A base project with some documents replaced, in a temporary folder that lives for one example."""

    def __init__(self, documents: dict[str, str | bytes]):
        self._dir = tempfile.TemporaryDirectory(prefix="policygen-property-")
        self.root = write_project(Path(self._dir.name), documents)

    def __enter__(self) -> Path:
        return self.root

    def __exit__(self, *exc) -> None:
        self._dir.cleanup()


# --- building documents ------------------------------------------------------------------------------------

def flow(value) -> str:
    """A value as YAML flow text (JSON, which YAML reads, with numbers written as plain decimals)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f") if value == value and abs(value) != float("inf") else json.dumps(str(value))
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)}: {flow(v)}" for k, v in value.items()) + "}"


def schema_part(name: str, *path: str) -> dict:
    """A piece of an input schema with every $ref written out, for hypothesis-jsonschema."""
    schemas, _ = _registry()
    doc = schemas[f"{BASE}{name}.schema.json"]
    node = doc
    for part in path:
        node = node[part]

    def inline(value, within):
        if isinstance(value, dict):
            if "$ref" in value:
                file, _, pointer = value["$ref"].partition("#")
                target_doc = schemas[BASE + file] if file else within
                target = target_doc
                for part in filter(None, pointer.split("/")):
                    target = target[part]
                return inline(target, target_doc)
            return {k: inline(v, within) for k, v in value.items() if k != "examples"}
        if isinstance(value, list):
            return [inline(v, within) for v in value]
        return value
    return inline(node, doc)


TARGETS = from_schema(schema_part("rules", "$defs", "service-level", "properties", "target"))
INTERVALS = from_schema(schema_part("approval-matrix", "$defs", "interval"))
# Text with what breaks YAML and the loader most often, mixed with anything at all.
YAMLISH = st.lists(st.one_of(st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \n\t\r\\") + ["  ", "\n  ", "- ", ": ", "id: ",
                                                                                     "1e26", ".nan", "2026-02-30"]),
                             st.text(max_size=4)), max_size=60).map("".join)
STARTS = st.one_of(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)),
                   st.datetimes(min_value=datetime(9999, 11, 1)), st.datetimes(max_value=datetime(1, 2, 1))).map(
    lambda d: d.replace(second=0, microsecond=0))  # mostly around today; sometimes at the ends of the calendar


def rules_document(targets: list) -> str:
    levels = [{"id": f"rule-{i}", "name": "规则", "target": t, "stated_in": "base/scope"} for i, t in enumerate(targets)]
    levels[0]["id"] = "reply"  # the base regulation refers to it
    return f"kind: rules\nid: base-rules\ntitle: 测试时限\nservice_levels: {flow(levels)}\n"


# --- the loader and validate on arbitrary text ----------------------------------------------------------------

@LEAN
@given(text=YAMLISH)
def test_the_loader_reads_any_text_or_says_where_it_cannot(text, tmp_path_factory):
    path = tmp_path_factory.mktemp("load") / "x.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    source, diagnostics = load_file(path, "policies/x.yaml")
    assert_clean_diagnostics(diagnostics)
    assert (source.data is None) == bool(diagnostics)
    if diagnostics:
        [d] = diagnostics
        assert d.line and d.column
        assert d.line <= len(re.findall("\r\n|\r|\n", text)) + 2  # YAML's line breaks; +1 for its end of stream


@LEAN
@given(body=YAMLISH, kind=st.sampled_from(["regulation", "rules", "approval-matrix", "form", "rule-tests", "organization"]))
def test_validate_reports_any_document_with_located_diagnostics(body, kind):
    with Project({"odd.yaml": f"kind: {kind}\nid: odd\n{body}"}) as root:
        code, out, err = invoke("-C", str(root), "validate", "--format", "json")
        assert_clean_run(code, out, err, allowed=(0, 1))
        report = json.loads(out)["diagnostics"]
        for d in report:
            assert d["code"] in CATALOGUE
            if d["severity"] == "error" and d["file"] and d["file"].startswith("policies/"):
                assert d["line"] and d["column"], d


# --- rules that pass the schema, evaluated ---------------------------------------------------------------------

@LEAN
@given(targets=st.lists(TARGETS, min_size=1, max_size=3), start=STARTS)
def test_due_and_the_rule_tests_answer_or_refuse_for_any_valid_rule(targets, start):
    with Project({"rules.yaml": rules_document(targets)}) as root:
        loaded = load_project(root, check_outputs=False)
        assert_clean_diagnostics(loaded.diagnostics.items)
        if not loaded.ok:
            return
        when = start.isoformat(sep=" ", timespec="minutes")
        code, out, err = invoke("-C", str(root), "due", "reply", "--from", when)
        assert_clean_run(code, out, err, allowed=(0, 1))
        cases = (f"kind: rule-tests\nid: cases\ncases:\n  - {{rule: reply, start: \"{when}\", "
                 f"expect: {{due: \"2026-01-01 00:00\"}}}}\n  - {{rule: reply, on: \"{when[:10]}\", expect: {{value: 1}}}}\n")
        (root / "policies" / "cases.yaml").write_text(cases, encoding="utf-8")
        code, out, err = invoke("-C", str(root), "test")
        assert_clean_run(code, out, err, allowed=(0, 1))


@LEAN
@given(targets=st.lists(TARGETS, min_size=1, max_size=3), start=STARTS)
def test_the_json_reader_computes_what_the_model_computes(targets, start, tmp_path_factory):
    with Project({"rules.yaml": rules_document(targets)}) as root:
        loaded = load_project(root, check_outputs=False)
        if not loaded.ok:
            return
        project = loaded.project
        path = tmp_path_factory.mktemp("export") / "rules.json"
        path.write_text(json.dumps(export_ruleset(project, project.rulesets["base-rules"]), ensure_ascii=False),
                        encoding="utf-8")
        reader = load(path)
        calendar = WorkCalendar.from_organization(project.organization)
        for rule in project.rulesets["base-rules"].rules:
            try:
                expected = due_time(rule.target_on(start.date()), start, calendar).due
            except ValueError as exc:  # CalendarError, DueError, NotInForce: the reader must refuse alike
                with pytest.raises(type(exc)):
                    reader.due(rule.id, start)
            else:
                assert reader.due(rule.id, start).due == expected


HOURS = from_schema(schema_part("organization", "properties", "business_hours"))
CALENDARS = from_schema(schema_part("organization", "properties", "calendar"))


@LEAN
@given(hours=HOURS, calendar=CALENDARS, unit=st.sampled_from(["working-hours", "working-days", "calendar-days"]),
       value=st.integers(1, 400), start=STARTS)
def test_any_valid_business_hours_and_calendar_give_an_answer_or_a_located_error(hours, calendar, unit, value, start):
    org = (BASE_DOCUMENTS["organization.yaml"].rstrip(" ")
           + f"        business_hours: {flow(hours)}\n        calendar: {flow(calendar)}\n")
    rules = rules_document([{"value": value, "unit": unit}])
    with Project({"organization.yaml": org, "rules.yaml": rules}) as root:
        loaded = load_project(root, check_outputs=False)
        assert_clean_diagnostics(loaded.diagnostics.items)
        code, out, err = invoke("-C", str(root), "due", "reply", "--from", start.isoformat(sep=" ", timespec="minutes"))
        assert_clean_run(code, out, err, allowed=(0, 1))
        code, out, err = invoke("-C", str(root), "calendar", str(start.year))
        assert_clean_run(code, out, err, allowed=(0, 1))


# --- approval matrices that pass the schema, decided --------------------------------------------------------

AMOUNTS = st.one_of(st.text(max_size=30), st.decimals(allow_nan=True, allow_infinity=True).map(str),
                    st.integers().map(str), st.integers(0, 10**6).map(lambda n: f"{n:,}"))


@LEAN
@given(first=INTERVALS, second=INTERVALS, amount=AMOUNTS)
def test_decide_answers_or_refuses_for_any_valid_matrix_and_any_amount(first, second, amount):
    matrix = ("kind: approval-matrix\nid: approval\ntitle: 审批权限表\n"
              "inputs: [{id: amount, label: 金额, type: money, currency: CNY}]\n"
              f"rows:\n  - {{when: {{amount: {flow(first)}}}, approvers: [sales-manager]}}\n"
              f"  - {{when: {{amount: {flow(second)}}}, approvers: [general-manager]}}\n"
              "hit_policy: first\n")
    with Project({"approval.yaml": matrix}) as root:
        code, out, err = invoke("-C", str(root), "validate")
        assert_clean_run(code, out, err, allowed=(0, 1))
        if code == 0:
            code, out, err = invoke("-C", str(root), "decide", "approval", f"amount={amount}")
            assert_clean_run(code, out, err)
            loaded = load_project(root, check_outputs=False).project
            path = root / "export.json"
            path.write_text(json.dumps(export_matrix(loaded, loaded.matrices["approval"])), encoding="utf-8")
            try:
                load(path).decide(amount=amount)
            except ValueError:
                pass  # InputError: refused, as decide refused it (exit 2)
            else:
                assert code in (0, 1)


@settings(max_examples=25, deadline=8000, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(INTERVALS, st.sampled_from([["sales-manager"], ["general-manager"],
                                                           ["sales-manager", "general-manager"]])), min_size=1, max_size=4),
       policy=st.sampled_from(["priority", "first", "unique", "collect"]))
def test_validate_and_build_agree_on_any_valid_matrix(rows, policy):
    lines = "".join(f"  - {{when: {{amount: {flow(when)}}}, approvers: {flow(who)}}}\n" for when, who in rows)
    matrix = ("kind: approval-matrix\nid: approval\ntitle: 审批权限表\n"
              f"inputs: [{{id: amount, label: 金额, type: money, currency: CNY}}]\nhit_policy: {policy}\n"
              f"priority: [general-manager]\nrows:\n{lines}")
    with Project({"approval.yaml": matrix}) as root:
        (root / "policygen.yaml").write_text("project: 测试\noutputs: [rules]\n", encoding="utf-8")
        validated = load_project(root).diagnostics
        built = build_project(root)
        assert_clean_diagnostics(validated.items)
        assert built.diagnostics.sorted() == validated.sorted()
        assert built.ok == (not validated.errors)


# --- any form the schema accepts prints ----------------------------------------------------------------------

# Label text: Chinese, brackets and slashes a label breaks at, what a template or a PDF reader might choke on,
# a rare name character; sometimes a pasted string of thousands of characters.
_LABEL_CHARS = st.sampled_from(list("营销部业务人员联系电话（）《》、，。：；/ -*abcXYZ0123456789&<>%'\"\\")
                               + ["{{", "}}", "\u3000", "\u200b", "喆", "\u0301"])
_LABEL = st.lists(_LABEL_CHARS, min_size=1, max_size=40).map("".join).filter(str.strip)
_PASTED = st.one_of(_LABEL, st.integers(20, 300).map(lambda n: "ABCDEFGHIJ" * n))


def _field(i: int):
    fid = f"f{i}"
    return st.one_of(
        st.builds(lambda label: {"id": fid, "type": "text", "label": label}, _PASTED),
        st.builds(lambda label, required: {"id": fid, "type": "date", "label": label, "required": required},
                  _LABEL, st.booleans()),
        st.builds(lambda label: {"id": fid, "type": "signature", "label": label}, _PASTED),
        st.builds(lambda label, options: {"id": fid, "type": "choice", "label": label, "options": options},
                  _LABEL, st.lists(_PASTED, min_size=2, max_size=5, unique=True)),
        st.builds(lambda label: {"id": fid, "type": "money", "label": label}, _LABEL),
        st.builds(lambda label, unit: {"id": fid, "type": "number", "label": label, "unit": unit}, _LABEL, _LABEL),
        st.builds(lambda label, lines: {"id": fid, "type": "multiline", "label": label, "lines": lines},
                  _LABEL, st.integers(1, 12)),
        st.builds(lambda label, columns, rows: {"id": fid, "type": "table", "label": label, "rows": rows,
                                                "columns": [{"id": f"c{k}", "label": c} for k, c in enumerate(columns)]},
                  _LABEL, st.lists(_PASTED, min_size=1, max_size=9), st.one_of(st.integers(1, 80), st.just("fill"))),
        st.builds(lambda text: {"id": fid, "type": "notes", "text": text}, _PASTED),
        st.builds(lambda label, n: {"id": fid, "type": "comb", "label": label, "length": n}, _LABEL, st.integers(1, 40)),
    )


_FORMS = st.builds(
    lambda title, columns, orientation, size, fields: {
        "kind": "form", "id": "any", "title": title, "number": "F-1", "version": "1.0", "stated_in": "base/purpose",
        "paper": {"size": size, "orientation": orientation},
        "sections": [{"title": title[:20], "columns": columns, "fields": fields}]},
    _PASTED, st.integers(1, 4), st.sampled_from(["portrait", "landscape"]), st.sampled_from(["A4", "A5", "B5"]),
    st.integers(1, 8).flatmap(lambda n: st.tuples(*[_field(i) for i in range(n)]).map(list)))


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=_FORMS)
def test_any_form_the_schema_accepts_is_built_alone_and_attached(form):
    """PDF, fillable PDF and DOCX of the form and of a regulation it is attached to: what `validate` accepts, `build`
    prints (no internal error: a 300-character title once crashed the DOCX writer), with the same diagnostics."""
    with Project({"any.yaml": json.dumps(form, ensure_ascii=False)}) as root:
        (root / "policygen.yaml").write_text("project: 测试\noutputs: [pdf, docx]\n", encoding="utf-8")
        regulation = root / "policies" / "base.yaml"
        regulation.write_text(regulation.read_text(encoding="utf-8") + "attachments: [{form: any}]\n", encoding="utf-8")
        validated = load_project(root).diagnostics
        built = build_project(root, jobs=1)
        assert_clean_diagnostics(validated.items)
        assert_clean_diagnostics(built.diagnostics.items)
        assert built.ok == (not validated.errors), [str(d) for d in built.diagnostics.errors]
        assert {str(d) for d in built.diagnostics.errors} <= {str(d) for d in validated.errors}
        if built.ok:
            assert (root / "output" / "forms" / "any.docx").is_file()
            assert (root / "output" / "regulations" / "base.pdf").is_file()


# --- the JSON reader on files that are not quite exports -----------------------------------------------------

JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=12)


@pytest.fixture(scope="module")
def an_export(tmp_path_factory) -> dict:
    root = write_project(tmp_path_factory.mktemp("an-export"))
    project = load_project(root, check_outputs=False).project
    return export_ruleset(project, project.rulesets["base-rules"])


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaf_paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaf_paths(v, path + (i,))
    yield path


@settings(max_examples=60, deadline=4000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), start=STARTS)
def test_the_json_reader_refuses_what_is_not_an_export(an_export, data, start, tmp_path_factory):
    export = json.loads(json.dumps(an_export))
    paths = [p for p in _leaf_paths(export) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent = export
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = data.draw(JSON_VALUES)
        except (KeyError, IndexError, TypeError):
            pass
    file = tmp_path_factory.mktemp("odd-export") / "rules.json"
    file.write_text(json.dumps(export) if data.draw(st.booleans()) else data.draw(st.text(max_size=60)), encoding="utf-8")
    try:
        reader = load(file)
    except ValueError:  # ExportError
        return
    try:
        reader.due("reply", start)
        reader.value_on("reply", start.date())
    except (ValueError, KeyError):  # a refusal: no calendar for the year, no value in force, no such rule
        pass


# --- the command line with arbitrary values -----------------------------------------------------------------

@pytest.fixture(scope="module")
def base_project(tmp_path_factory) -> Path:
    return write_project(tmp_path_factory.mktemp("cli-values"))


@settings(max_examples=40, deadline=4000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=40), start=st.text(max_size=25), name=st.text(max_size=12))
def test_command_line_values_are_answered_or_refused(base_project, value, start, name):
    for args in (["decide", "approval", f"amount={value}"], ["decide", "approval", f"{name}={value}"],
                 ["due", "reply", "--from", start], ["due", name or "x", "--from", "2026-01-05 10:00"],
                 ["calendar", value or "0"]):
        code, out, err = invoke("-C", str(base_project), *args)
        assert_clean_run(code, out, err)


def test_dates_near_the_edges_of_the_calendar_are_answered(base_project):
    for start in ("0001-01-01 00:00", "9999-12-31 23:59", "2026-12-31 23:59"):
        code, out, err = invoke("-C", str(base_project), "due", "reply", "--from", start)
        assert_clean_run(code, out, err, allowed=(0, 1))
