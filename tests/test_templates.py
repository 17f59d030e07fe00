"""Templates are confined like fonts: only files inside the project's and the package's template folders are
loaded (symlinks resolved), `templates:` must lie inside the project, and a template that runs away ends as
PG-RENDER-001 naming its file and line, never an internal error."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import write_project
from policygen import build_project, load_project

INDEX = """{% extends "html/base.html.j2" %}
{% block title %}{{ project }}{% endblock %}
{% block body %}
<h1>{{ project }}</h1>
BODY
{% endblock %}
"""


def _with_index(root, body: str):
    folder = root / "templates" / "html"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html.j2").write_text(INDEX.replace("BODY", body), encoding="utf-8")
    (root / "policygen.yaml").write_text("project: 测试\noutputs: [html]\ntemplates: templates\n", encoding="utf-8")
    return root


def test_a_template_symlinked_outside_the_template_folders_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-CONTENT", encoding="utf-8")
    root = _with_index(write_project(tmp_path / "p"), "{% include 'html/evil.j2' %}")
    os.symlink(secret, root / "templates" / "html" / "evil.j2")
    result = build_project(root)
    assert [d.code for d in result.diagnostics.errors] == ["PG-RENDER-001"]
    assert "outside the template folders" in result.diagnostics.errors[0].message
    assert not (root / "output").exists()
    assert not any("SECRET-CONTENT" in p.read_text(errors="ignore") for p in root.rglob("*.html"))


def test_a_symlink_inside_the_template_folders_is_followed(tmp_path):
    root = _with_index(write_project(tmp_path / "p"), "{% include 'html/part.j2' %}")
    (root / "templates" / "parts").mkdir()
    (root / "templates" / "parts" / "part.j2").write_text("<p>PART-TEXT</p>", encoding="utf-8")
    os.symlink(root / "templates" / "parts" / "part.j2", root / "templates" / "html" / "part.j2")
    result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    assert "PART-TEXT" in (root / "output" / "index.html").read_text(encoding="utf-8")


def test_a_templates_folder_outside_the_project_is_an_error(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "html").mkdir(parents=True)
    root = write_project(tmp_path / "p", project_file="project: 测试\ntemplates: ../elsewhere\n")
    errors = load_project(root).diagnostics.errors
    assert [(d.code, d.file, d.line) for d in errors] == [("PG-PROJECT-004", "policygen.yaml", 2)]

    os.symlink(elsewhere, root / "linked")  # a folder inside the project that is a link to one outside
    (root / "policygen.yaml").write_text("project: 测试\ntemplates: linked\n", encoding="utf-8")
    assert [d.code for d in load_project(root).diagnostics.errors] == ["PG-PROJECT-004"]
    assert [d.code for d in build_project(root).diagnostics.errors] == ["PG-PROJECT-004"]


def test_a_huge_range_ends_as_a_render_error_with_file_and_line(tmp_path):
    root = _with_index(write_project(tmp_path), "{% for i in range(10**9) %}{{ i }}{% endfor %}")
    result = build_project(root)
    assert [d.code for d in result.diagnostics.errors] == ["PG-RENDER-001"]
    message = result.diagnostics.errors[0].message
    assert "templates/html/index.html.j2, line 5" in message and "range" in message.lower()
    run = subprocess.run([sys.executable, "-m", "policygen", "-C", str(root), "build"], capture_output=True, text=True)
    assert run.returncode == 1 and "PG-RENDER-001" in run.stdout + run.stderr, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_endless_recursion_ends_as_a_render_error_with_file_and_line(tmp_path):
    body = "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}\n{{ down(0) }}"
    root = _with_index(write_project(tmp_path), body)
    result = build_project(root)
    assert [d.code for d in result.diagnostics.errors] == ["PG-RENDER-001"]
    message = result.diagnostics.errors[0].message
    assert "recursion" in message and "templates/html/index.html.j2, line 5" in message
