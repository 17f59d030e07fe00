"""The DMN export: DMN 1.3 XML that dmn-moddle reads without warnings and that feelin, evaluating the file alone
under its hit policy, decides exactly as policygen.matrices.decide does (tests/dmn/check.mjs)."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO, write_project
from policygen import load_project
from policygen.matrices import InputError, _axis, decide, parse_inputs
from policygen.model import Matrix
from policygen.render.dmn import DMN_NS, FEEL_NS, DmnError, feel_number, unary_test, write_dmn

TOOLS = REPO / "tests" / "dmn"
CHECK = TOOLS / "check.mjs"
NS = {"dmn": DMN_NS}
INSTALL_HINT = ("install Node.js 20.12 or newer with npm (Debian 12's own nodejs is 18: use NodeSource, "
                "curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs)")


@pytest.fixture(scope="session")
def node() -> str:
    """The node executable, with tests/dmn/node_modules installed from package-lock.json (npm ci)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail(f"the DMN tests evaluate the export with Node.js and need `node` and `npm` on PATH: {INSTALL_HINT}")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()  # v20.20.2
    if tuple(int(n) for n in version.lstrip("v").split(".")[:2]) < (20, 12):
        pytest.fail(f"node {version} is too old for dmn-moddle and feelin: {INSTALL_HINT}")
    if not (TOOLS / "node_modules").is_dir():
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=TOOLS, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(f"`npm ci` in {TOOLS} failed:\n{result.stdout}\n{result.stderr}")
    return node


def run_check(node: str, dmn: Path, cases: list[dict]) -> list:
    """Evaluate every case from the DMN file alone (one node process per file)."""
    payload = json.dumps(cases, default=lambda v: float(v) if isinstance(v, Decimal) else v)
    result = subprocess.run([node, str(CHECK), str(dmn)], input=payload, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)
    assert len(results) == len(cases)
    return results


def expected(matrix: Matrix, values: dict):
    """policygen's decision in the form the DMN output takes: "a,b" per chain, a list for COLLECT, None if none."""
    approvers = decide(matrix, values).approvers
    if matrix.hit_policy == "collect":
        return [",".join(chain) for chain in approvers]
    return ",".join(approvers) or None


def boundary_points(matrix: Matrix) -> list[dict]:
    """Every combination of the points that prove the matrix: each bound, a cent either side, every enum value."""
    axes = [_axis(matrix, inp) for inp in matrix.inputs]
    return [dict(zip((inp.id for inp in matrix.inputs), point)) for point in itertools.product(*axes)]


def assert_dmn_decides_like_policygen(node: str, dmn: Path, matrix: Matrix, cases: list[dict]):
    actual = run_check(node, dmn, cases)
    mismatches = [(case, want, got) for case, want, got in zip(cases, (expected(matrix, c) for c in cases), actual)
                  if want != got]
    assert not mismatches, f"{dmn.name}: (inputs, policygen, DMN): {mismatches[:5]}"


# --- the corpus ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    loaded = load_project(REPO)
    assert loaded.project is not None and not loaded.diagnostics.errors
    out = tmp_path_factory.mktemp("corpus-dmn")
    written = write_dmn(loaded.project, out)
    return loaded.project, out, written


def test_one_dmn_file_per_matrix(corpus):
    project, out, written = corpus
    assert written == [out / "rules" / f"{m}.dmn" for m in sorted(project.matrices)]
    assert "complaint-approval" in project.matrices


def test_corpus_yaml_cases_decide_the_same_from_the_dmn(corpus, node):
    project, out, _ = corpus
    matrix = project.matrices["complaint-approval"]
    cases = [c for suite in project.tests.values() for c in suite.cases
             if c.kind == "decision" and c.target == "complaint-approval"]
    assert len(cases) >= 8  # policies/tests/complaint-approval-cases.yaml
    values = [parse_inputs(matrix, c.given) for c in cases]
    assert [decide(matrix, v).approvers for v in values] == [c.expect for c in cases]
    actual = run_check(node, out / "rules" / "complaint-approval.dmn", values)
    assert actual == [",".join(c.expect) for c in cases]


def test_every_corpus_matrix_decides_the_same_at_every_boundary(corpus, node):
    project, out, _ = corpus
    for matrix_id, matrix in sorted(project.matrices.items()):
        assert_dmn_decides_like_policygen(node, out / "rules" / f"{matrix_id}.dmn", matrix, boundary_points(matrix))


def test_corpus_dmn_reads_as_dmn_1_3(corpus):
    _, out, _ = corpus
    text = (out / "rules" / "complaint-approval.dmn").read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.tag == f"{{{DMN_NS}}}definitions" and root.get("expressionLanguage") == FEEL_NS
    decision = root.find("dmn:decision", NS)
    assert decision.get("id") == "complaint-approval" and decision.get("name") == "客户投诉金额核决权限表"
    assert "第二十七条" in decision.find("dmn:description", NS).text
    table = decision.find("dmn:decisionTable", NS)
    assert table.get("hitPolicy") == "UNIQUE"
    [clause] = table.findall("dmn:input", NS)
    assert clause.get("label") == "客户投诉金额"
    expression = clause.find("dmn:inputExpression", NS)
    assert expression.get("typeRef") == "number" and expression.find("dmn:text", NS).text == "amount"
    [output] = table.findall("dmn:output", NS)
    assert (output.get("name"), output.get("typeRef")) == ("approvers", "string")
    rules = table.findall("dmn:rule", NS)
    assert [r.get("id") for r in rules] == ["rule-1", "rule-2", "rule-3"]
    assert [r.find("dmn:inputEntry/dmn:text", NS).text for r in rules] == ["[0..1000]", "(1000..5000]", "> 5000"]
    assert [r.find("dmn:outputEntry/dmn:text", NS).text for r in rules] == [
        '"sales-manager"', '"deputy-general-manager"', '"general-manager"']
    assert [r.find("dmn:description", NS).text for r in rules] == [
        "policies/complaint-approval.yaml:19", "policies/complaint-approval.yaml:21", "policies/complaint-approval.yaml:23"]
    assert "<text>&gt; 5000</text>" in text  # ">" escaped, as the XML text of the entry


def test_output_is_deterministic(corpus, tmp_path):
    project, out, written = corpus
    again = write_dmn(project, tmp_path)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]
    assert written[0].read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')


# --- small matrices: every hit policy and input type ---------------------------------------------------------

ORGANIZATION = """\
    kind: organization
    id: org
    name: {full: 测试有限公司, short: 测试公司}
    departments:
      - {id: sales, name: 销售部}
      - {id: general-office, name: 总经理办公室}
    roles:
      - {id: sales-manager, name: 销售部门经理, department: sales}
      - {id: finance-manager, name: 财务经理}
      - {id: general-manager, name: 总经理}
    """

MATRIX = """\
kind: approval-matrix
id: {id}
title: {id} 审批表
hit_policy: {policy}
{extra}
inputs:
  - {{id: amount, label: 金额, type: money, currency: CNY{minimum}}}
  - {{id: category, label: 类别, type: enum, values: [{{id: quality, label: 质量}}, {{id: other, label: 非质量}}]}}
  - {{id: is-urgent, label: 紧急, type: boolean}}
rows:
{rows}
"""


def matrix_doc(matrix_id: str, policy: str, rows: list[str], extra: str = "", minimum: str = "") -> str:
    return MATRIX.format(id=matrix_id, policy=policy, extra=extra, minimum=minimum,
                         rows="\n".join("  - " + r for r in rows))


SMALL = {
    "m-unique": matrix_doc("m-unique", "unique", [
        "{when: {amount: {ge: 0, lt: 1000}}, approvers: [sales-manager]}",
        "{when: {amount: {ge: 1000, le: 5000.5}, category: [quality]}, approvers: [general-manager]}",
        "{when: {amount: {ge: 1000, le: 5000.5}, category: [other], is-urgent: true}, approvers: [sales-manager, general-manager]}",
        "{when: {amount: {ge: 1000, le: 5000.5}, category: [other], is-urgent: false}, approvers: [sales-manager]}",
        "{when: {amount: {gt: 5000.5}}, approvers: [general-manager], note: 超过五千元}"]),
    "m-first": matrix_doc("m-first", "first", [
        "{when: {amount: {lt: 100}, is-urgent: true}, approvers: [general-manager]}",
        "{when: {amount: {le: 1000}}, approvers: [sales-manager]}",
        "{when: {amount: {gt: 1000, lt: 2000}, category: [quality]}, approvers: [sales-manager, general-manager]}",
        "{when: {amount: any}, approvers: [general-manager]}"]),
    "m-priority": matrix_doc("m-priority", "priority", [
        "{when: {amount: {ge: 10000}}, approvers: [general-manager]}",
        "{when: {category: [quality]}, approvers: [finance-manager]}",
        "{when: {is-urgent: true}, approvers: [sales-manager, general-manager]}",
        "{when: {amount: any}, approvers: [sales-manager]}"], extra="priority: [general-manager]"),
    # [sales-manager] and [finance-manager] tie (neither role is in `priority`); wherever rows 2 and 3 both match,
    # row 2 wins, so [finance-manager] must come first in outputValues although [sales-manager] is named first
    "m-priority-ties": matrix_doc("m-priority-ties", "priority", [
        "{when: {amount: {le: 100}}, approvers: [sales-manager]}",
        "{when: {amount: {gt: 100}}, approvers: [finance-manager]}",
        "{when: {amount: {gt: 100}, is-urgent: true}, approvers: [sales-manager]}",
        "{when: {amount: {ge: 1000}, is-urgent: true}, approvers: [general-manager]}"], extra="priority: [general-manager]"),
    "m-collect": matrix_doc("m-collect", "collect", [
        "{when: {amount: {gt: 0, le: 500}}, approvers: [sales-manager]}",
        "{when: {is-urgent: true}, approvers: [general-manager, sales-manager]}",
        "{when: {category: [quality, other]}, approvers: [finance-manager]}",
        "{when: {amount: {ge: 500}}, approvers: [general-manager]}",
        "{when: {amount: {lt: 0}, category: [quality]}, approvers: [finance-manager, general-manager]}"],
        minimum=", minimum: -100.5"),
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("small"), {"organization.yaml": ORGANIZATION} | {
        f"{matrix_id}.yaml": text for matrix_id, text in SMALL.items()})
    loaded = load_project(root)
    assert loaded.project is not None and not loaded.diagnostics.errors, [str(d) for d in loaded.diagnostics.items]
    assert set(SMALL) <= set(loaded.project.matrices)
    out = root / "dmn"
    write_dmn(loaded.project, out)
    return loaded.project, out


@pytest.mark.parametrize("matrix_id", [*SMALL, "approval"])
def test_small_matrix_decides_the_same_at_every_boundary(small, node, matrix_id):
    project, out = small
    matrix = project.matrices[matrix_id]
    assert_dmn_decides_like_policygen(node, out / "rules" / f"{matrix_id}.dmn", matrix, boundary_points(matrix))


def test_every_hit_policy_and_outcome_is_exercised(small):
    project, _ = small
    assert {project.matrices[m].hit_policy for m in SMALL} == {"unique", "first", "priority", "collect"}
    for matrix_id in set(SMALL) - {"m-priority-ties"}:  # each row decides somewhere: every rule is compared
        matrix = project.matrices[matrix_id]
        fired = {n for values in boundary_points(matrix) for n in decide(matrix, values).fired}
        assert fired == set(range(1, len(matrix.rows) + 1)), matrix_id
    collect = project.matrices["m-collect"]
    assert max(len(decide(collect, v).fired) for v in boundary_points(collect)) >= 3


def test_small_dmn_inputs_and_entries(small):
    project, out = small
    table = ET.parse(out / "rules" / "m-unique.dmn").getroot().find("dmn:decision/dmn:decisionTable", NS)
    assert table.get("hitPolicy") == "UNIQUE"
    inputs = table.findall("dmn:input", NS)
    assert [i.find("dmn:inputExpression", NS).get("typeRef") for i in inputs] == ["number", "string", "boolean"]
    assert [i.find("dmn:inputExpression/dmn:text", NS).text for i in inputs] == ["amount", "category", "is-urgent"]
    assert inputs[1].find("dmn:inputValues/dmn:text", NS).text == '"quality","other"'
    assert [i.find("dmn:inputValues/dmn:text", NS).text for i in (inputs[0], inputs[2])] == [
        "? instance of number and ? >= 0 and ? < 1000000000000000 and decimal(?, 2) = ?", "true,false"]
    rows = [[e.find("dmn:text", NS).text for e in r.findall("dmn:inputEntry", NS)] for r in table.findall("dmn:rule", NS)]
    assert rows == [["[0..1000)", "-", "-"], ["[1000..5000.5]", '"quality"', "-"], ["[1000..5000.5]", '"other"', "true"],
                    ["[1000..5000.5]", '"other"', "false"], ["> 5000.5", "-", "-"]]
    last = table.findall("dmn:rule", NS)[-1]
    assert last.find("dmn:description", NS).text == "policies/m-unique.yaml:15 超过五千元"
    for matrix_id, policy in [("m-first", "FIRST"), ("m-priority", "PRIORITY"), ("m-collect", "COLLECT")]:
        root = ET.parse(out / "rules" / f"{matrix_id}.dmn").getroot()
        assert root.find("dmn:decision/dmn:decisionTable", NS).get("hitPolicy") == policy


def test_priority_output_values_follow_policygen_ranking(small):
    project, out = small

    def output_values(matrix_id):
        root = ET.parse(out / "rules" / f"{matrix_id}.dmn").getroot()
        return root.find("dmn:decision/dmn:decisionTable/dmn:output/dmn:outputValues/dmn:text", NS).text
    # general-manager first; chains of equal rank in row order
    assert output_values("m-priority") == '"general-manager","sales-manager,general-manager","finance-manager","sales-manager"'
    # the tie is ordered by what the rows decide (see SMALL), not by the order the chains first appear
    assert output_values("m-priority-ties") == '"general-manager","finance-manager","sales-manager"'
    for matrix_id in ("m-unique", "m-first", "m-collect"):
        root = ET.parse(out / "rules" / f"{matrix_id}.dmn").getroot()
        assert root.find("dmn:decision/dmn:decisionTable/dmn:output/dmn:outputValues", NS) is None


def test_priority_ties_no_order_can_reproduce_are_refused(tmp_path):
    doc = matrix_doc("cycle", "priority", [
        "{when: {amount: {le: 100}}, approvers: [sales-manager]}",
        "{when: {amount: any}, approvers: [finance-manager]}",
        "{when: {amount: {gt: 100}}, approvers: [sales-manager]}"], extra="priority: [general-manager]")
    loaded = load_project(write_project(tmp_path, {"organization.yaml": ORGANIZATION, "cycle.yaml": doc}))
    [refused] = loaded.diagnostics.errors  # validate says so before any build tries to write it
    assert (refused.code, refused.file, refused.path) == ("PG-RENDER-003", "policies/cycle.yaml", "/priority")
    with pytest.raises(DmnError, match="cycle: no priority order") as error:
        write_dmn(loaded.project, tmp_path / "out")
    assert "amount = 0.00 CNY" in str(error.value) and "amount = 100.01 CNY" in str(error.value)


# --- FEEL text -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("condition, feel", [
    ({"gt": 1000, "le": 5000}, "(1000..5000]"),
    ({"ge": 0, "le": 1000}, "[0..1000]"),
    ({"ge": Decimal("999.99"), "lt": Decimal("1000.50")}, "[999.99..1000.5)"),
    ({"gt": -100, "lt": 0}, "(-100..0)"),
    ({"gt": 5000}, "> 5000"),
    ({"ge": Decimal("5000.01")}, ">= 5000.01"),
    ({"le": 1000}, "<= 1000"),
    ({"lt": Decimal("1E+3")}, "< 1000"),
    (["quality", "other"], '"quality","other"'),
    (["quality"], '"quality"'),
    (True, "true"),
    (False, "false"),
    ("any", "-"),
    (None, "-"),
])
def test_unary_tests(condition, feel):
    assert unary_test(condition) == feel


def test_numbers_are_exact_decimals():
    assert [feel_number(v) for v in (0, 1000, Decimal("0.10"), Decimal("1234567890123.45"), Decimal("2E+6"))] == [
        "0", "1000", "0.1", "1234567890123.45", "2000000"]


def test_the_dmn_declares_each_input_domain_so_an_engine_refuses_what_policygen_refuses(tmp_path, node):
    doc = matrix_doc("domain", "unique", ["{when: {amount: {le: 1000}}, approvers: [sales-manager]}",
                                          "{when: {amount: {gt: 1000}}, approvers: [general-manager]}"])
    loaded = load_project(write_project(tmp_path, {"organization.yaml": ORGANIZATION, "domain.yaml": doc}))
    matrix = loaded.project.matrices["domain"]
    [dmn] = write_dmn(loaded.project, tmp_path / "out", {"domain"})
    ok = {"amount": Decimal("1000.01"), "category": "quality", "is-urgent": True}
    bad = [{"amount": Decimal(-101)}, {"amount": Decimal("1000.005")}, {"amount": Decimal(10) ** 15},
           {"amount": "1000"}, {"amount": None}, {"category": "price"}, {"is-urgent": "yes"}, {"is-urgent": None}]
    actual = run_check(node, dmn, [ok] + [ok | change for change in bad])
    assert actual[0] == "general-manager" and decide(matrix, parse_inputs(matrix, ok)).approvers == ["general-manager"]
    for change, result in zip(bad, actual[1:]):
        [(name, value)] = change.items()
        assert result == {"refused": name}, (change, result)
        if not isinstance(value, str) or name != "amount":  # policygen reads the text "1000" as 1000 on purpose
            with pytest.raises(InputError):
                parse_inputs(matrix, ok | change)
