"""Progress while documents render (one line on a terminal, with -j N too; nothing when piped), --quiet, --verbose."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_messages import run, run_on_a_terminal

from policygen import build_project


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(cache))  # every build here renders: nothing comes from a cache
    return cache


def test_the_api_reports_every_document_rendered(project, fresh_cache):
    root = project()
    calls = []
    result = build_project(root, progress=lambda doc, done, total: calls.append((doc, done, total)))
    assert result.ok
    total = calls[0][2]
    assert calls[0] == ("", 0, total) and total >= 4
    assert [done for _, done, _ in calls] == list(range(total + 1))
    assert sorted(doc for doc, _, _ in calls[1:]) == sorted(
        [*result.project.regulations, *result.project.forms, *result.project.rulesets, *result.project.matrices])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_terminal_sees_the_progress_line(project, fresh_cache, jobs):
    root = project()
    shown = run_on_a_terminal("build", "-j", jobs, cwd=root)
    steps = re.findall(r"\rpolicygen: rendering \[[#.]{20}\] (\d+)/(\d+)", shown)
    assert steps and steps[0][0] == "0" and len({n for n, _ in steps}) >= 2, shown
    assert shown.endswith("\r\x1b[K")  # the line is erased when the build ends (the summary is on stdout)


def test_nothing_but_the_summary_when_piped(project, fresh_cache):
    result = run("build", cwd=project())
    assert result.returncode == 0
    assert "rendering" not in result.stderr + result.stdout and "\r" not in result.stderr
    assert re.fullmatch(r"wrote \d+ files to output: 0 errors, 0 warnings\n", result.stdout)


def test_quiet_prints_nothing_on_success_and_the_problems_on_failure(project, fresh_cache):
    root = project()
    quiet = run("build", "--quiet", cwd=root)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    assert run_on_a_terminal("build", "-q", cwd=root) == ""
    (root / "policies" / "bad.yaml").write_text("kind: form\nid: bad\n", encoding="utf-8")
    failed = run("build", "-q", cwd=root)
    assert failed.returncode == 1 and "PG-SCHEMA-002" in failed.stderr and "errors" not in failed.stdout


def test_verbose_names_each_document_even_when_piped(project, fresh_cache):
    result = run("build", "--verbose", cwd=project())
    rendered = re.findall(r"^policygen: rendered ([a-z0-9-]+) \((\d+)/(\d+), [\d.]+ s\)$", result.stderr, re.M)
    assert len(rendered) >= 4 and rendered[-1][1] == rendered[-1][2]
    assert re.search(r"policygen: \d+ files rendered, 0 from the cache, 0 kept", result.stderr)
    assert run("build", "-q", "-v", cwd=project()).returncode == 2
