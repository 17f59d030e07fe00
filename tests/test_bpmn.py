"""The BPMN export: BPMN 2.0 with diagram interchange that bpmn-moddle reads without warnings and that bpmnlint's
recommended rules pass without a report (tests/bpmn/check.mjs), with lanes, tasks, gateways, flows, forms as
data objects and deadlines as timer boundary events."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO
from policygen.render.bpmn import BPMN, iso_duration

TOOLS = REPO / "tests" / "bpmn"
NS = {"bpmn": BPMN, "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI", "dc": "http://www.omg.org/spec/DD/20100524/DC"}


@pytest.fixture(scope="module")
def check():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("the BPMN tests read the export with Node.js: install Node.js 20.12 or newer with npm")
    if not (TOOLS / "node_modules").is_dir():
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=TOOLS, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(f"`npm ci` in {TOOLS} failed:\n{result.stdout}\n{result.stderr}")

    def run(*files: Path) -> list[dict]:
        done = subprocess.run([node, str(TOOLS / "check.mjs"), *map(str, files)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


def test_corpus_procedures_read_and_lint_clean(corpus_output, check):
    files = sorted((corpus_output / "rules").glob("*.bpmn"))
    assert [f.stem for f in files] == ["complaint-handling", "school-onboarding"]
    for result in check(*files):
        assert result["warnings"] == [], result["file"]
        assert result["reports"] == [], result["reports"]  # not even bpmnlint's warnings


def test_the_complaint_procedure_has_its_lanes_steps_forms_and_timers(corpus_output, check):
    [result] = check(corpus_output / "rules" / "complaint-handling.bpmn")
    counts = result["counts"]
    assert counts["bpmn:Lane"] == 6 and counts["bpmn:UserTask"] == 12 and counts["bpmn:StartEvent"] == 1
    assert counts["bpmn:ExclusiveGateway"] == 4  # two decisions, two joins (approve, closed)
    assert counts["bpmn:DataObjectReference"] == 5  # every step with a form
    assert {(t["attachedTo"], t["duration"]) for t in result["timers"]} == {("Task_report", "P3D"), ("Task_close", "P6D")}
    tree = ET.parse(corpus_output / "rules" / "complaint-handling.bpmn")
    lanes = {lane.get("name"): [r.text for r in lane.findall("bpmn:flowNodeRef", NS)]
             for lane in tree.iterfind(".//bpmn:lane", NS)}
    assert "Task_investigate" in lanes["研发部"] and "Task_book-return" in lanes["财务部"]
    gateway = tree.find(".//bpmn:exclusiveGateway[@id='Gateway_valid']", NS)
    assert gateway.get("name") == "客户投诉是否成立？"
    default = tree.find(f".//bpmn:sequenceFlow[@id='{gateway.get('default')}']", NS)
    assert default.get("name") == "不成立" and default.get("targetRef") == "Task_collect"
    conditional = tree.find(".//bpmn:sequenceFlow[@name='成立']", NS)
    assert conditional.find("bpmn:conditionExpression", NS).text == "成立"
    refile = tree.find(".//bpmn:sequenceFlow[@sourceRef='Task_refile']", NS)
    assert refile.get("targetRef") == "Join_approve"  # back to an earlier step, through a converging gateway
    data = tree.find(".//bpmn:dataObjectReference[@id='DataObjectReference_fill-form']", NS)
    assert data.get("name") == "《客户投诉处理表》"
    shapes = {s.get("bpmnElement"): s for s in tree.iterfind(".//bpmndi:BPMNShape", NS)}
    elements = [e.get("id") for e in tree.iter() if e.tag.split("}")[1] in
                ("userTask", "exclusiveGateway", "startEvent", "endEvent", "lane", "dataObjectReference", "boundaryEvent")]
    assert set(elements) <= set(shapes)  # every element is in the diagram
    assert all(shapes[f"Lane_{lane}"].get("isHorizontal") == "false" for lane in ("rnd", "finance"))


def test_a_broken_export_is_reported(corpus_output, check, tmp_path):
    """The checker can fail: a diagram without the shape of a task, and a gateway flow without a condition."""
    text = (corpus_output / "rules" / "complaint-handling.bpmn").read_text(encoding="utf-8")
    tree = ET.ElementTree(ET.fromstring(text))
    plane = tree.find(".//bpmndi:BPMNPlane", NS)
    plane.remove(plane.find("bpmndi:BPMNShape[@bpmnElement='Task_assess']", NS))
    flow = tree.find(".//bpmn:sequenceFlow[@name='成立']", NS)
    flow.remove(flow.find("bpmn:conditionExpression", NS))
    broken = tmp_path / "broken.bpmn"
    tree.write(broken, encoding="utf-8", xml_declaration=True)
    [result] = check(broken)
    rules = {r["rule"] for r in result["reports"] if r["category"] == "error"}
    assert {"no-bpmndi", "conditional-flows"} <= rules


@pytest.mark.parametrize("target, expected", [({"value": 3, "unit": "calendar-days"}, "P3D"),
                                              ({"value": 8, "unit": "hours"}, "PT8H"),
                                              ({"value": 0.5, "unit": "hours"}, "PT0.5H"),
                                              ({"value": 1, "unit": "working-days"}, "P1D"),
                                              ({"value": 3, "unit": "rings"}, None), ({"unit": "immediate"}, None)])
def test_iso_durations(target, expected):
    assert iso_duration(target) == expected
