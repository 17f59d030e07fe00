"""One broken fixture per error code: the code and the line must match what the fixture declares.

A fixture is named after its code (`PG-SCHEMA-006.yaml`); more fixtures for the same code, each a bug once
found (often by the property tests in test_robustness.py), add what they show: `PG-SCHEMA-006.february-30.yaml`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policygen import CATALOGUE, build_project, load_project
from policygen import loader

FIXTURES = Path(__file__).parent / "fixtures" / "errors"
EXPECT = re.compile(rb"^# expect: (?P<code>PG-[A-Z]+-\d{3})(?: (?P<line>\d+))?")

# Codes about the project itself rather than a document; each has its own test (named here).
COVERED_ELSEWHERE = {
    "PG-PROJECT-001": "test_cli.py::test_no_project_is_a_usage_error",
    "PG-PROJECT-002": "test_cli.py::test_missing_documents_folder",
    "PG-PROJECT-003": "test_cli.py::test_font_files_must_exist_inside_the_project",
    "PG-LANG-101": "test_scripts.py::test_simplified_forms_in_a_traditional_document_are_warned_about_with_their_line",
    "PG-PROJECT-004": "test_templates.py::test_a_templates_folder_outside_the_project_is_an_error",
    "PG-RENDER-002": "test_pdf.py::test_a_character_no_font_has_is_an_error_with_its_place",
    "PG-RENDER-001": "test_build.py::test_broken_override_template_is_reported",
    "PG-RENDER-003": "test_dmn.py::test_priority_ties_no_order_can_reproduce_are_refused",
    "PG-RENDER-101": "test_font_coverage.py::test_characters_of_peoples_names_print_out_of_the_box_in_a_cjk_face",
    "PG-RULES-003": "test_rules.py::test_cli_due_explains_and_refuses_unknown_years",
    "PG-RULES-004": "test_input_edges.py::test_business_hours_must_be_a_period",
    "PG-TEST-001": "test_rules.py::test_failing_cases_are_reported_at_their_line_with_the_actual_result",
    "PG-TEST-002": "test_rules.py::test_a_case_that_cannot_run_is_reported",
    "PG-BUILD-001": "test_build.py::test_unwritable_output_is_reported",
    "PG-BUILD-002": "test_build.py::test_refuses_to_replace_a_foreign_folder",
    "PG-BUILD-003": "test_build_safety.py::test_a_worker_that_dies_is_a_located_error_and_the_output_is_untouched",
    # `policygen import` reads Word and text files, not documents of a project: tests/test_import.py.
    "PG-IMPORT-001": "test_import.py::test_cli_writes_the_regulation_and_its_drafts",
    "PG-IMPORT-002": "test_import.py::test_doc_needs_libreoffice",
    "PG-IMPORT-003": "test_import.py::test_unreadable_files_are_errors",
    "PG-IMPORT-004": "test_import.py::test_unreadable_files_are_errors",
    "PG-IMPORT-101": "test_import.py::test_seed_000_imports_its_36_articles_with_their_structure_and_drafts",
    "PG-IMPORT-102": "test_import.py::test_word_numbering_tables_tracked_changes_and_furniture",
    "PG-IMPORT-103": "test_import.py::test_text_labels_markers_and_references",
    "PG-IMPORT-104": "test_import.py::test_thresholds_in_prose_are_drafted_and_stay_undecided_until_a_person_decides",
    "PG-IMPORT-105": "test_import.py::test_word_numbering_tables_tracked_changes_and_furniture",
    "PG-IMPORT-106": "test_import.py::test_markdown_in_traditional_characters",
    "PG-IMPORT-107": "test_import.py::test_unreadable_files_are_errors",
    "PG-IMPORT-108": "test_import.py::test_seed_002_traditional_outline_imports_its_articles",
    "PG-IMPORT-109": "test_import.py::test_seed_000_imports_its_36_articles_with_their_structure_and_drafts",
    "PG-IMPORT-110": "test_import.py::test_seed_000_imports_its_36_articles_with_their_structure_and_drafts",
}


def fixtures():
    return sorted(FIXTURES.glob("*.yaml"))


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda p: p.stem)
def test_fixture_reports_its_code_and_line(fixture: Path, project, monkeypatch):
    header = EXPECT.match(fixture.read_bytes())
    assert header, f"{fixture.name} must start with '# expect: CODE [LINE]'"
    code, line = header["code"].decode(), header["line"]
    assert fixture.name.split(".")[0] == code, "each fixture is named after the code it demonstrates"
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


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda p: p.name.removesuffix(".yaml"))
def test_validate_reports_what_build_reports(fixture: Path, project, monkeypatch):
    """`validate` runs every check `build` runs: on every fixture, the same diagnostics, and "0 errors" from
    validate means the build writes its output."""
    if fixture.name.startswith("PG-LOAD-003"):
        monkeypatch.setattr(loader, "MAX_FILE_BYTES", 64)
    root = project({"fixture.yaml": fixture.read_bytes()})
    validated = load_project(root).diagnostics
    built = build_project(root)
    assert built.diagnostics.sorted() == validated.sorted()
    assert built.ok == (not validated.errors)
    if built.ok:
        assert (root / "output" / "index.html").is_file()


def test_every_code_has_a_fixture_or_a_named_test():
    with_fixture = {p.name.split(".")[0] for p in fixtures()}
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
