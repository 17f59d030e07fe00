"""`policygen init` and `policygen new`: a project that builds clean, documents that validate, and an editor that
knows the format (yaml-language-server, as VS Code's YAML extension runs it, reports 0 problems on the scaffold
and reports a misspelled key), with the schemas' texts in Chinese."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import yaml_language_server
from policygen.create import schema_texts, translation_file
from policygen.resources import schemas_dir

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "POLICYGEN_DEBUG"}
    return subprocess.run([sys.executable, "-m", "policygen", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> Path:
    """One project made by `policygen init`, with one document of each kind added by `policygen new`."""
    root = tmp_path_factory.mktemp("init") / "my-policies"
    result = run("init", str(root), cwd=root.parent)
    assert result.returncode == 0, result.stderr
    return root


def test_init_writes_a_project_with_editor_settings(started):
    for name in ("policygen.yaml", ".gitignore", ".vscode/settings.json", "policies/organization.yaml",
                 "policies/service-regulation.yaml", "policies/service-rules.yaml", "policies/complaint-approval.yaml",
                 "policies/forms/complaint-form.yaml", "policies/tests/complaint-approval-cases.yaml"):
        assert (started / name).is_file(), name
    settings = json.loads((started / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.validate"] is True
    assert "output" in (started / ".gitignore").read_text(encoding="utf-8")


def test_init_project_builds_and_its_rule_tests_pass_with_no_diagnostics(started, tmp_path):
    build = run("build", cwd=started)
    assert build.returncode == 0, build.stderr
    assert "0 errors, 0 warnings" in build.stdout and build.stderr.strip() == "", build.stderr
    assert (started / "output/regulations/service-regulation.pdf").is_file()
    tests = run("test", cwd=started)
    assert tests.returncode == 0 and "4 of 4 cases passed: 0 errors, 0 warnings" in tests.stdout, tests.stdout + tests.stderr


def test_every_yaml_file_names_its_schema_in_the_project(started):
    files = sorted(started.rglob("*.yaml"))
    assert len(files) >= 7
    for path in files:
        if "output" in path.relative_to(started).parts:
            continue
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.partition("$schema=")[2]).resolve()
        assert schema.is_file() and schema.parent == started / "schemas", (path, schema)


def test_init_refuses_a_folder_that_is_a_project_already(started):
    again = run("init", str(started), cwd=started.parent)
    assert again.returncode == 2 and "already" in again.stderr and "Traceback" not in again.stderr


@pytest.mark.parametrize("what", ["regulation", "rules", "matrix", "form"])
def test_new_adds_a_valid_document(what, tmp_path):
    root = tmp_path / "p"
    assert run("init", str(root), cwd=tmp_path).returncode == 0
    result = run("new", what, f"new-{what}", "--title", "请假: 管理", cwd=root / "policies")
    assert result.returncode == 0, result.stderr
    written = next(root.rglob(f"new-{what}.yaml"))
    assert written.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    check = run("validate", cwd=root)
    assert check.returncode == 0 and " 0 errors" in check.stdout, check.stdout + check.stderr
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["title"] == "请假: 管理"
    clash = run("new", what, f"new-{what}", cwd=root)
    assert clash.returncode == 2 and "new-" in clash.stderr


def test_new_refuses_bad_ids_and_unknown_kinds(started):
    assert run("new", "regulation", "Bad_Id", cwd=started).returncode == 2
    unknown = run("new", "memo", "x", cwd=started)
    assert unknown.returncode == 2 and "regulation" in unknown.stderr


def test_new_procedure_follows_the_installed_schemas(started, tmp_path):
    """Procedures are another kind of document, added in parallel: `new procedure` works once the schema exists."""
    root = tmp_path / "p"
    assert run("init", str(root), cwd=tmp_path).returncode == 0
    result = run("new", "procedure", "onboarding", cwd=root)
    if not (schemas_dir() / "procedure.schema.json").is_file():
        assert result.returncode == 2 and "not available yet" in result.stderr, result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert run("validate", cwd=root).returncode == 0


def test_every_schema_text_has_a_chinese_translation():
    """The Chinese texts are keyed by the English they translate: an English text changed or added without its
    Chinese fails here, and so does a translation of a text no schema has any more."""
    zh = json.loads(translation_file().read_text(encoding="utf-8"))["texts"]
    english = []
    for path in sorted(schemas_dir().glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if schema["$id"].startswith("https://schemas.policygen.org/input/"):
            english += schema_texts(schema)
    missing = sorted({t for t in english if t not in zh})
    assert not missing, f"add Chinese for these schema texts to {translation_file().name}: {missing}"
    unused = sorted(set(zh) - set(english))
    assert not unused, f"remove translations of texts no schema has: {unused}"
    assert all(any("\u4e00" <= c <= "\u9fff" for c in text) for text in zh.values())


@pytest.fixture(scope="module")
def editor(started):
    yaml_language_server.installed()
    client = yaml_language_server.Client(started)
    yield client
    client.close()


def test_the_editor_reports_no_problem_in_the_scaffold(started, editor):
    files = [p for p in sorted(started.rglob("*.yaml")) if "output" not in p.relative_to(started).parts]
    problems = {p.relative_to(started).as_posix(): editor.problems(p) for p in files}
    assert problems and all(v == [] for v in problems.values()), problems


def test_the_editor_reports_a_misspelled_key_and_a_bad_id(started, editor):
    source = (started / "policies/service-regulation.yaml").read_text(encoding="utf-8")
    broken = started / "policies/broken.yaml"
    broken.write_text(source.replace("issued_by:", "isued_by:").replace("id: purpose", "id: Purpose"), encoding="utf-8")
    try:
        problems = editor.problems(broken)
    finally:
        broken.unlink()
    messages = [(p["range"]["start"]["line"], p["message"]) for p in problems]
    line = source.splitlines().index(next(l for l in source.splitlines() if l.startswith("issued_by:")))
    assert (line, "Property isued_by is not allowed.") in messages, messages
    assert any("pattern" in m for _, m in messages), messages


def test_the_editor_shows_chinese_then_english_on_hover(started, editor):
    path = started / "policies/service-regulation.yaml"
    line = path.read_text(encoding="utf-8").splitlines().index(
        next(l for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("issued_by:")))
    shown = editor.hover(path, line, 2)["contents"]["value"]
    assert "发文部门" in shown and "Issuing department" in shown
    assert shown.index("发布本制度的部门") < shown.index("Id of the department")


def test_new_refreshes_the_projects_copy_of_the_schemas(tmp_path):
    root = tmp_path / "p"
    assert run("init", str(root), cwd=tmp_path).returncode == 0
    copy = root / "schemas" / "regulation.schema.json"
    fresh = copy.read_text(encoding="utf-8")
    copy.write_text("{}", encoding="utf-8")  # as left by an older policygen
    assert run("new", "rules", "more-rules", cwd=root).returncode == 0
    assert copy.read_text(encoding="utf-8") == fresh
    assert json.loads(fresh)["properties"]["issued_by"]["markdownDescription"].startswith("**发文部门**")
