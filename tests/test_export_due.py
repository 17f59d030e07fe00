"""Other systems compute the same due times: tests/dmn/due.mjs, a small JavaScript reader written from the export
schema alone, evaluates due times from output/rules/<id>.json and must agree with `policygen due`."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import REPO
from policygen import build_project, load_project
from test_dmn import TOOLS, node  # noqa: F401 (the session fixture: node with the test tools installed)
from test_input_edges import invoke

DUE = TOOLS / "due.mjs"

# Start times around what makes due times hard: holidays and their make-up days, weekends, lunch, closing time,
# month and year ends, years no holiday library knows, and a day before a rule's first value.
STARTS = ["2026-09-30 17:00", "2026-10-09 10:00", "2026-09-20 09:00", "2026-10-01 12:30", "2026-02-13 12:30",
          "2026-12-31 16:00", "2026-12-31 23:59", "2027-01-05 10:00", "2026-01-31 08:00", "2026-05-08 17:29",
          "2026-06-19 09:00", "2025-12-31 17:30", "2004-01-01 00:00", "2003-12-31 10:00", "2026-04-30 18:00"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("export-due")
    shutil.copytree(REPO / "policies", root / "policies")
    (root / "policygen.yaml").write_text("project: 测试\noutputs: [rules]\n", encoding="utf-8")
    assert build_project(root).ok
    return root, load_project(root, check_outputs=False).project


def policygen_due(root, rule: str, start: str) -> dict:
    code, out, err = invoke("-C", str(root), "due", rule, "--from", start, "--format", "json")
    assert code in (0, 1), err
    return {"due": json.loads(out)["due"]} if code == 0 else {"error": err.strip()}


def test_a_javascript_reader_computes_every_corpus_due_time_from_the_export_alone(corpus, node, tmp_path):  # noqa: F811
    root, project = corpus
    corpus_cases = [(c.target, c.given) for suite in project.tests.values() for c in suite.cases if c.kind == "due"]
    assert len(corpus_cases) >= 5  # policies/tests/deadline-cases.yaml
    compared = 0
    for ruleset in project.rulesets.values():
        export = tmp_path / f"{ruleset.id}.json"  # alone: no YAML, no policygen beside it
        shutil.copy(root / "output" / "rules" / f"{ruleset.id}.json", export)
        levels = [r.id for r in ruleset.rules if r.kind == "service-level"]
        cases = [{"rule": r, "start": s} for r, s in corpus_cases if r in levels]
        cases += [{"rule": r, "start": s} for r in levels for s in STARTS]
        result = subprocess.run([node, str(DUE), str(export)], input=json.dumps(cases), capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        for case, theirs in zip(cases, json.loads(result.stdout), strict=True):
            ours = policygen_due(root, case["rule"], case["start"])
            if "error" in ours:
                assert "error" in theirs, (case, ours, theirs)
            else:
                assert theirs == ours, case
            compared += 1
    assert compared >= len(corpus_cases) + 3 * len(STARTS)
