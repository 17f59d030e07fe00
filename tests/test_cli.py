"""The command line: exit codes, messages, -C, --strict, --format json; never a traceback for user errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "POLICYGEN_DEBUG"}
    return subprocess.run([sys.executable, "-m", "policygen", *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_validate_ok(project):
    root = project()
    result = run("validate", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "checked 5 documents: 0 errors, 0 warnings" in result.stdout


def test_dash_c_finds_the_project_from_elsewhere(project, tmp_path):
    root = project()
    (root / "policies" / "sub").mkdir()
    assert run("-C", str(root / "policies" / "sub"), "validate", cwd=Path("/")).returncode == 0


def test_errors_exit_1_with_location_code_and_hint(project):
    root = project({"broken.yaml": "kind: form\nid: broken\ntitle: 表\nnumber: X\nversion: '1'\nsections: []\n"})
    result = run("validate", cwd=root)
    assert result.returncode == 1
    line = next(l for l in result.stderr.splitlines() if "PG-SCHEMA" in l)
    assert line.startswith("policies/broken.yaml:6:11: error PG-SCHEMA-006:") and "(at /sections)" in line
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_json_format(project):
    root = project({"broken.yaml": "kind: form\nid: broken\n"})
    result = run("validate", "--format", "json", cwd=root)
    assert result.returncode == 1
    rows = json.loads(result.stdout)["diagnostics"]
    assert {"code", "message", "file", "line", "column", "path", "hint", "severity"} <= set(rows[0])
    assert {r["code"] for r in rows} == {"PG-SCHEMA-002"}
    assert all(r["file"] == "policies/broken.yaml" and r["line"] == 1 for r in rows)


def test_warnings_pass_unless_strict(project):
    unused = "kind: form\nid: unused\ntitle: 表\nnumber: X\nversion: '1'\nsections: [{fields: [{id: a, type: text, label: 甲}]}]\n"
    root = project({"unused.yaml": unused})
    relaxed = run("validate", cwd=root)
    assert relaxed.returncode == 0 and "warning PG-REF-101" in relaxed.stderr
    strict = run("validate", "--strict", cwd=root)
    assert strict.returncode == 1
    assert run("build", "--strict", cwd=root).returncode == 1
    assert not (root / "output").exists()


def test_no_project_is_a_usage_error(tmp_path):
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "PG-PROJECT-001" in result.stderr and "Traceback" not in result.stderr


def test_unknown_option_is_a_usage_error(project):
    result = run("validate", "--frobnicate", cwd=project())
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_missing_documents_folder(project):
    root = project(project_file="project: 测试\ndocuments: nowhere\n")
    result = run("validate", cwd=root)
    assert result.returncode == 1
    assert "policygen.yaml:2:12: error PG-PROJECT-002" in result.stderr


def test_invalid_project_file(project):
    root = project(project_file="project: 测试\nlanguage: fr\n")
    result = run("validate", cwd=root)
    assert result.returncode == 1
    assert "policygen.yaml:2:11: error PG-SCHEMA-005" in result.stderr


def test_build_reports_what_it_wrote(project):
    root = project()
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "wrote 14 files" in result.stdout  # 5 HTML pages; the regulation as PDF and DOCX; the form as PDF,
    # fillable PDF, DOCX and the JSON Schema of its data; 2 rule exports as JSON, the matrix as DMN
    assert (root / "output" / "index.html").is_file()


def test_font_files_must_exist_inside_the_project(project):
    root = project(project_file="project: 测试\nfonts:\n  - {file: fonts/missing.otf}\n  - {file: ../outside.ttf}\n")
    result = run("validate", cwd=root)
    assert result.returncode == 1
    assert "policygen.yaml:3:12: error PG-PROJECT-003: the font file 'fonts/missing.otf' does not exist" in result.stderr
    assert "policygen.yaml:4:12: error PG-PROJECT-003: the font file '../outside.ttf' is outside the project" in result.stderr


def test_diff_two_folders_prints_changes_and_writes_the_revision_tables(tmp_path):
    import shutil

    from conftest import REPO

    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(REPO / "policies", old / "policies")
    shutil.copy(REPO / "policygen.yaml", old / "policygen.yaml")
    shutil.copytree(REPO / "tests" / "fixtures" / "revised", new)
    result = run("diff", str(old), str(new), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "第七条 service-hotline: added" in result.stdout
    assert "rule complaint-report (客诉调查处理报告): changed: 3日 → 2个工作日" in result.stdout
    assert {p.name for p in (new / "output" / "revisions").iterdir()} == {
        "customer-service.html", "customer-service.pdf", "customer-service.docx"}
    data = json.loads(run("diff", str(old), str(new), "--format", "json", cwd=tmp_path).stdout)
    assert data["format_version"] == "1.0"
    assert run("diff", str(old), cwd=tmp_path).returncode == 2  # usage: two folders or --rev
    assert run("build", cwd=new).returncode == 0  # a build keeps the revision tables diff wrote
    assert (new / "output" / "revisions" / "customer-service.pdf").is_file()
