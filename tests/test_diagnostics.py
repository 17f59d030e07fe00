"""One broken fixture per error code: the code and the line must match what the fixture declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policygen import CATALOGUE, load_project
from policygen import loader

FIXTURES = Path(__file__).parent / "fixtures" / "errors"
EXPECT = re.compile(rb"^# expect: (?P<code>PG-[A-Z]+-\d{3})(?: (?P<line>\d+))?")

# Codes about the project itself rather than a document; each has its own test (named here).
COVERED_ELSEWHERE = {
    "PG-PROJECT-001": "test_cli.py::test_no_project_is_a_usage_error",
    "PG-PROJECT-002": "test_cli.py::test_missing_documents_folder",
    "PG-PROJECT-003": "test_cli.py::test_font_files_must_exist_inside_the_project",
    "PG-PROJECT-004": "test_templates.py::test_a_templates_folder_outside_the_project_is_an_error",
    "PG-RENDER-002": "test_pdf.py::test_a_character_no_font_has_is_an_error_with_its_place",
    "PG-RENDER-001": "test_build.py::test_broken_override_template_is_reported",
    "PG-RENDER-003": "test_dmn.py::test_priority_ties_no_order_can_reproduce_are_refused",
    "PG-RENDER-101": "test_font_coverage.py::test_characters_of_peoples_names_print_out_of_the_box_in_a_cjk_face",
    "PG-RULES-003": "test_rules.py::test_cli_due_explains_and_refuses_unknown_years",
    "PG-TEST-001": "test_rules.py::test_failing_cases_are_reported_at_their_line_with_the_actual_result",
    "PG-TEST-002": "test_rules.py::test_a_case_that_cannot_run_is_reported",
    "PG-BUILD-001": "test_build.py::test_unwritable_output_is_reported",
    "PG-BUILD-002": "test_build.py::test_refuses_to_replace_a_foreign_folder",
}


def fixtures():
    return sorted(FIXTURES.glob("*.yaml"))


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda p: p.stem)
def test_fixture_reports_its_code_and_line(fixture: Path, project, monkeypatch):
    header = EXPECT.match(fixture.read_bytes())
    assert header, f"{fixture.name} must start with '# expect: CODE [LINE]'"
    code, line = header["code"].decode(), header["line"]
    assert fixture.stem == code, "each fixture is named after the code it demonstrates"
    if code == "PG-LOAD-003":
        monkeypatch.setattr(loader, "MAX_FILE_BYTES", 64)
    root = project({"fixture.yaml": fixture.read_bytes()})

    diagnostics = load_project(root).diagnostics.items

    mine = [d for d in diagnostics if d.file == "policies/fixture.yaml" and d.code == code]
    assert mine, f"expected {code}, got {[(d.code, d.file, d.line, d.message) for d in diagnostics]}"
    if line is not None:
        assert int(line) in {d.line for d in mine}, [(d.line, d.column, d.message) for d in mine]
    others = {d.code for d in diagnostics if d.is_error and d.code != code}
    assert not others, f"the fixture should trigger only {code}, also got {others}"
    assert all(d.column and d.hint for d in mine if d.line), "every located diagnostic has a column and a hint"


def test_every_code_has_a_fixture_or_a_named_test():
    with_fixture = {p.stem for p in fixtures()}
    missing = set(CATALOGUE) - with_fixture - set(COVERED_ELSEWHERE)
    assert not missing


def test_all_errors_of_a_phase_are_reported_together(project):
    broken = """\
        kind: regulation
        id: fixture
        title: 多处错误
        version: "1.0"
        effective: "2026-01-01"
        issued_by: nowhere
        chapters:
          - title: 总则
            articles:
              - {id: a, text: "见[[article:missing]]和[[form:missing]]。"}
        attachments: [{matrix: missing}]
        """
    root = project({"fixture.yaml": broken, "other.yaml": "kind: form\nid: x\ntitle: 表\ntitle: 重复\n",
                    "third.yaml": "kind: rules\nid: r\n"})
    codes = sorted(d.code for d in load_project(root).diagnostics.errors)
    assert codes == ["PG-LOAD-005", "PG-REF-003", "PG-REF-005", "PG-REF-005", "PG-REF-007",
                     "PG-SCHEMA-002", "PG-SCHEMA-007"] or codes.count("PG-REF-005") == 2, codes
    assert {"PG-LOAD-005", "PG-REF-003", "PG-REF-007", "PG-SCHEMA-002"} <= set(codes)
