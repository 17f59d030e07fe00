"""Diagnostics as a modern compiler prints them (the source line, a caret under the column, colour only on a
terminal, the hint) and `policygen explain CODE` for every code of the catalogue."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from policygen import CATALOGUE
from policygen.diagnostics import EXPLANATIONS, Diagnostic, explanation, format_text

ANSI = re.compile(r"\x1b\[[0-9;]*m")
BROKEN = {"broken.yaml": """\
    kind: regulation
    id: broken
    title: 有错的制度
    version: "1.0"
    effective: "2026-01-01"
    chapters:
      - title: 总则
        articles:
          - id: a
            text: 客户投诉依[[article:missing-one]]办理。
    """}


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("POLICYGEN_DEBUG", "NO_COLOR")}
    return subprocess.run([sys.executable, "-m", "policygen", *args], cwd=cwd, capture_output=True, text=True,
                          env={**base, **(env or {})})


def run_on_a_terminal(*args: str, cwd: Path, env: dict | None = None) -> str:
    """stderr of the command when it is a terminal (a pseudo-terminal), as a person at a console sees it."""
    base = {k: v for k, v in os.environ.items() if k not in ("POLICYGEN_DEBUG", "NO_COLOR")}
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "policygen", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=follower, env={**base, "TERM": "xterm", **(env or {})})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_source_line_and_caret_under_the_column_counting_wide_characters():
    d = Diagnostic("PG-SCHEMA-006", '"Bad Id": does not have the expected form', file="policies/x.yaml", line=12,
                   column=13, path="/chapters/0/articles/0/id")
    text = format_text(d, source_line="      - id: 总则 Bad\n")
    first, source, caret, hint = text.splitlines()
    assert first == 'policies/x.yaml:12:13: error PG-SCHEMA-006: "Bad Id": does not have the expected form (at /chapters/0/articles/0/id)'
    assert source == " 12 |       - id: 总则 Bad"
    # 总则 takes four cells of a terminal: the caret underlines exactly those
    assert caret == "    |             ^^^^"
    assert hint.startswith("    hint: ")


def test_the_caret_points_at_the_reference_a_message_names():
    d = Diagnostic("PG-REF-005", "[[rule:replly]]: no rule has the id 'replly'", file="f.yaml", line=3, column=11)
    _, source, caret, _ = format_text(d, source_line="    text: 客户投诉于[[rule:replly]]内答复。").splitlines()
    start = caret.index("^")
    assert caret[start:].rstrip() == "^" * len("[[rule:replly]]")
    assert source[:start].count("|") == 1 and "客户投诉于" in source  # 5 wide characters before it: 10 cells
    assert start - len(" 3 | ") == len("    text: ") + 10


def test_without_the_source_the_text_is_what_it_was():
    d = Diagnostic("PG-REF-003", "no department 'x'", file="a.yaml", line=2, column=3)
    assert format_text(d) == "a.yaml:2:3: error PG-REF-003: no department 'x'\n    hint: " + CATALOGUE["PG-REF-003"][1]


def test_piped_output_has_the_source_line_and_no_colour(project):
    root = project(BROKEN)
    result = run("validate", cwd=root)
    assert result.returncode == 1
    assert "\x1b[" not in result.stderr
    lines = result.stderr.splitlines()
    at = next(i for i, l in enumerate(lines) if "PG-REF-005" in l)
    assert lines[at].startswith("policies/broken.yaml:10:")
    assert lines[at + 1].startswith(" 10 |") and "[[article:missing-one]]" in lines[at + 1]
    assert set(lines[at + 2].split("|")[1].strip()) == {"^"}
    assert lines[at + 3].startswith("    hint:")
    assert "policygen explain PG-REF-005" in result.stderr


def test_a_terminal_gets_colour_unless_no_color(project):
    root = project(BROKEN)
    coloured = run_on_a_terminal("validate", cwd=root)
    assert "\x1b[1;31merror\x1b[0m" in coloured and "\x1b[1;31m^" in coloured
    plain = ANSI.sub("", coloured)
    assert " 10 |" in plain and "policies/broken.yaml:10:" in plain
    assert "\x1b[" not in run_on_a_terminal("validate", cwd=root, env={"NO_COLOR": "1"})


def test_json_output_is_unchanged(project):
    root = project(BROKEN)
    result = run("validate", "--format", "json", cwd=root)
    rows = json.loads(result.stdout)["diagnostics"]
    assert rows and set(rows[0]) == {"code", "message", "file", "line", "column", "path", "hint", "severity"}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_explain_prints_the_summary_the_explanation_and_the_hint(code, tmp_path):
    text = explanation(code)
    summary, hint = CATALOGUE[code]
    assert text.startswith(f"{code}: {summary}\n") and text.endswith(f"hint: {hint}")
    for block in re.findall(r"Fixed:\n\n((?:    .*\n?|\n)+)", text):
        snippet = "\n".join(l[4:] for l in block.splitlines())
        if not re.match(r"(policygen|cd|chmod) ", snippet):
            yaml.safe_load(snippet)  # the fixes are YAML a reader could paste


def test_every_code_has_a_longer_explanation():
    """Codes added to the catalogue without their explanations/<CODE>.md are listed here (explain falls back to
    the summary and hint for them meanwhile)."""
    missing = sorted(code for code in CATALOGUE if not (EXPLANATIONS / f"{code}.md").is_file())
    assert not missing, f"write src/policygen/explanations/<CODE>.md for: {', '.join(missing)}"
    orphans = sorted(p.stem for p in EXPLANATIONS.glob("*.md") if p.stem not in CATALOGUE)
    assert not orphans, f"explanations of codes not in the catalogue: {orphans}"


def test_explain_from_the_command_line(tmp_path, monkeypatch):
    shown = run("explain", "pg-rules-002", cwd=tmp_path)
    assert shown.returncode == 0 and "hit_policy: first" in shown.stdout and "Fixed:" in shown.stdout
    unknown = run("explain", "PG-RULES-02", cwd=tmp_path)
    assert unknown.returncode == 2 and "PG-RULES-002" in unknown.stderr


def test_a_code_without_a_longer_text_gets_a_default(monkeypatch, tmp_path):
    monkeypatch.setattr("policygen.diagnostics.EXPLANATIONS", tmp_path)
    text = explanation("PG-REF-003")
    assert "No longer explanation" in text and CATALOGUE["PG-REF-003"][0] in text


def test_the_source_line_comes_from_the_project_the_diagnostic_is_about(project, tmp_path_factory):
    broken = project(BROKEN)
    other = tmp_path_factory.mktemp("other")
    (other / "policygen.yaml").write_text("project: 另一个\n", encoding="utf-8")
    (other / "policies").mkdir()
    (other / "policies" / "broken.yaml").write_text("\n" * 9 + "    text: 另一个项目的第十行\n", encoding="utf-8")
    result = run("diff", str(broken), str(broken), cwd=other)
    assert result.returncode == 1
    assert "[[article:missing-one]]" in result.stderr.split("PG-REF-005")[1] and "另一个项目" not in result.stderr
