"""The BPMN 2.0 export: output/rules/<procedure-id>.bpmn, a process in a pool with one lane per owner.

Tasks are user tasks, decisions exclusive gateways (the `otherwise` branch is the gateway's default flow, the
others conditional flows whose condition is the branch's wording), start and end events as written. Where
several flows come into one step, a converging exclusive gateway joins them first, as BPMN asks. A step's form
is a data object the task writes (a data output association to a data object reference); a step's deadline,
when it is a duration, is a non-interrupting timer boundary event (ISO 8601 timeDuration) on the task, whose flow
ends in an "overdue" end event: the 逾期反映 of the regulations. Working hours and working days have no ISO
form; they are written as hours and days, with the exact unit in the timer's documentation.

Diagram interchange (BPMNDI) comes from the same layout as the printed flowchart (render/flowchart.py), scaled:
vertical lanes (isHorizontal="false"), every shape and flow placed. The output is deterministic: ids from the
step ids, no timestamps.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

from . import selected
from .. import __version__
from ..language import format_target
from ..model import Procedure, Project
from .flowchart import chart_font, deadline_text, layout, owner_name, step_label
from ..formats import decimal_text
from ..language import export_words, quoted

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCALE = 2.0
EVENT = 24.0  # the size of a boundary or overdue event in the diagram
JOIN = 30.0
_ISO = {"seconds": ("PT", "S"), "minutes": ("PT", "M"), "hours": ("PT", "H"), "working-hours": ("PT", "H"),
        "calendar-days": ("P", "D"), "working-days": ("P", "D")}

for prefix, uri in (("bpmn", BPMN), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI), ("xsi", XSI)):
    ET.register_namespace(prefix, uri)


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _el(parent, tag: str, text: str | None = None, ns: str = BPMN, **attrs) -> ET.Element:
    element = ET.SubElement(parent, _q(ns, tag), {k.rstrip("_"): str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def iso_duration(target: dict) -> str | None:
    """P3D, PT8H, PT0.5H for a duration; None for what is no length of time (rings, immediate, anchors)."""
    unit = target.get("unit")
    if unit not in _ISO or "value" not in target:
        return None
    prefix, suffix = _ISO[unit]
    return f"{prefix}{decimal_text(Decimal(str(target['value'])))}{suffix}"


def _deadline_target(project: Project, step) -> dict | None:
    if step.deadline is None:
        return None
    if "rule" in step.deadline:
        t = project.rules[step.deadline["rule"]].target_on(None)
        return {"unit": t.unit, "value": t.value} if t.value is not None else {"unit": t.unit}
    return step.deadline


class _Graph:
    """The process's flow nodes and sequence flows, with converging gateways where several flows meet."""

    def __init__(self, proc: Procedure):
        self.ids = {s.id: self.node_id(s) for s in proc.steps}
        flows = []  # (source step, target step, branch or None)
        for step in proc.steps:
            if step.type == "decision":
                flows += [(step.id, b.next, b) for b in step.branches]
            elif step.next:
                flows.append((step.id, step.next, None))
        incoming: dict[str, int] = {}
        for _, target, _ in flows:
            incoming[target] = incoming.get(target, 0) + 1
        self.joins = {t for t, n in incoming.items() if n > 1}
        self.flows = flows

    @staticmethod
    def node_id(step) -> str:
        return {"task": "Task", "decision": "Gateway", "start": "StartEvent", "end": "EndEvent"}[step.type] + "_" + step.id

    def flow_id(self, n: int) -> str:
        return f"Flow_{n}"


def procedure_bpmn(project: Project, proc: Procedure) -> str:
    """The BPMN 2.0 XML text of one procedure, with its diagram."""
    language = proc.language
    chart = layout(project, proc, chart_font(project, language))
    graph = _Graph(proc)
    root = ET.Element(_q(BPMN, "definitions"), {
        "id": f"Definitions_{proc.id}", "targetNamespace": f"urn:policygen:procedure:{proc.id}",
        "exporter": "policygen", "exporterVersion": __version__})
    collaboration = _el(root, "collaboration", id=f"Collaboration_{proc.id}")
    _el(collaboration, "participant", id=f"Participant_{proc.id}", name=proc.title, processRef=f"Process_{proc.id}")
    process = _el(root, "process", id=f"Process_{proc.id}", name=proc.title, isExecutable="false")
    if proc.stated_in:
        reg_id, article_id = proc.stated_in.split("/")
        from ..language import article_label

        reg = project.regulations[reg_id]
        _el(process, "documentation", quoted(reg.title, language) + article_label(reg.article(article_id).number, language))
    lane_set = _el(process, "laneSet", id=f"LaneSet_{proc.id}")
    lanes = {}
    for lane in proc.lanes:
        lanes[lane] = _el(lane_set, "lane", id=f"Lane_{lane}", name=owner_name(project, lane, language))

    elements: dict[str, ET.Element] = {}
    extra_shapes = []  # (bpmn id, x, y, w, h) in chart units ×SCALE, for what the chart has no shape for
    extra_edges = []  # (bpmn id, points)
    for step in proc.steps:
        node_id = graph.ids[step.id]
        name = step_label(project, proc, step, language)
        tag = {"task": "userTask", "decision": "exclusiveGateway", "start": "startEvent", "end": "endEvent"}[step.type]
        elements[step.id] = _el(process, tag, id=node_id, name=name)
        _el(lanes[step.lane], "flowNodeRef", node_id)
        if step.id in graph.joins:
            join = _el(process, "exclusiveGateway", id=f"Join_{step.id}")
            elements[f"join:{step.id}"] = join
            _el(lanes[step.lane], "flowNodeRef", f"Join_{step.id}")

    def connect(flow_id: str, source: str, target: str, name=None, condition=None) -> ET.Element:
        flow = _el(process, "sequenceFlow", id=flow_id, name=name, sourceRef=source, targetRef=target)
        if condition is not None:
            expr = _el(flow, "conditionExpression", condition)
            expr.set(_q(XSI, "type"), "bpmn:tFormalExpression")
        return flow

    def element(key: str) -> ET.Element:
        return elements[key]

    outgoing: dict[str, list[str]] = {}
    incoming: dict[str, list[str]] = {}
    flow_points: dict[str, list] = {}
    edges = {(e.source, e.target, e.label.text if e.label else None): e for e in chart.edges}
    for n, (source, target, branch) in enumerate(graph.flows, start=1):
        flow_id = graph.flow_id(n)
        into = f"Join_{target}" if target in graph.joins else graph.ids[target]
        label = branch.label if branch else None
        condition = None if branch is None or branch.otherwise else branch.label
        connect(flow_id, graph.ids[source], into, name=label, condition=condition)
        if branch is not None and branch.otherwise:
            element(source).set("default", flow_id)
        outgoing.setdefault(graph.ids[source], []).append(flow_id)
        incoming.setdefault(into, []).append(flow_id)
        flow_points[flow_id] = (edges[(source, target, label)], target in graph.joins)
    for target in sorted(graph.joins):
        flow_id = f"Flow_join_{target}"
        connect(flow_id, f"Join_{target}", graph.ids[target])
        outgoing.setdefault(f"Join_{target}", []).append(flow_id)
        incoming.setdefault(graph.ids[target], []).append(flow_id)

    # Forms as data objects, deadlines as timers.
    data_objects: dict[str, str] = {}
    for step in proc.steps:
        node = chart.node(step.id)
        if step.form:
            if step.form not in data_objects:
                data_objects[step.form] = f"DataObject_{step.form}"
                _el(process, "dataObject", id=data_objects[step.form], name=project.forms[step.form].title)
            ref_id = f"DataObjectReference_{step.id}"
            association = _el(element(step.id), "dataOutputAssociation", id=f"DataOutputAssociation_{step.id}")
            _el(association, "targetRef", ref_id)
            _el(process, "dataObjectReference", id=ref_id, name=quoted(project.forms[step.form].title, language),
                dataObjectRef=data_objects[step.form])
            x, y = node.x * SCALE - 22, node.y * SCALE + 2
            extra_shapes.append((ref_id, x, y, 20, 26))
            extra_edges.append((f"DataOutputAssociation_{step.id}", [(node.x * SCALE, y + 13), (x + 20, y + 13)]))
        target = _deadline_target(project, step) if step.type == "task" else None
        duration = iso_duration(target) if target else None
        if duration:
            timer_id, overdue_id = f"Timer_{step.id}", f"Overdue_{step.id}"
            timer = _el(process, "boundaryEvent", id=timer_id, name=deadline_text(project, step, language),
                        attachedToRef=graph.ids[step.id], cancelActivity="false")
            if target["unit"].startswith("working"):
                _el(timer, "documentation", f"{format_target(_as_target(target), language)} ({target['unit']})")
            definition = _el(timer, "timerEventDefinition", id=f"TimerEventDefinition_{step.id}")
            expr = _el(definition, "timeDuration", duration)
            expr.set(_q(XSI, "type"), "bpmn:tFormalExpression")
            _el(process, "endEvent", id=overdue_id, name=export_words(language)["overdue"])
            connect(f"Flow_overdue_{step.id}", timer_id, overdue_id)
            outgoing.setdefault(timer_id, []).append(f"Flow_overdue_{step.id}")
            incoming.setdefault(overdue_id, []).append(f"Flow_overdue_{step.id}")
            _el(lanes[step.lane], "flowNodeRef", overdue_id)
            right, bottom = (node.x + node.w) * SCALE, node.bottom * SCALE
            tx, ty = right - EVENT - 6, bottom - EVENT / 2
            extra_shapes.append((timer_id, tx, ty, EVENT, EVENT))
            ox, oy = tx, bottom + EVENT
            extra_shapes.append((overdue_id, ox, oy, EVENT, EVENT))
            extra_edges.append((f"Flow_overdue_{step.id}", [(tx + EVENT / 2, ty + EVENT), (ox + EVENT / 2, oy)]))

    # incoming/outgoing references come first in a flow node, as the BPMN schema orders them
    for el in process:
        el_id = el.get("id")
        refs = [("incoming", f) for f in incoming.get(el_id, [])] + [("outgoing", f) for f in outgoing.get(el_id, [])]
        start = sum(1 for child in el if child.tag == _q(BPMN, "documentation"))  # documentation stays first
        for position, (kind, flow_id) in enumerate(refs, start=start):
            ref = ET.Element(_q(BPMN, kind))
            ref.text = flow_id
            el.insert(position, ref)

    _diagram(root, proc, chart, graph, flow_points, extra_shapes, extra_edges)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _as_target(raw: dict):
    from ..assemble import _target

    return _target(raw)


def _diagram(root, proc, chart, graph, flow_points, extra_shapes, extra_edges) -> None:
    diagram = _el(root, "BPMNDiagram", ns=BPMNDI, id=f"BPMNDiagram_{proc.id}")
    plane = _el(diagram, "BPMNPlane", ns=BPMNDI, id=f"BPMNPlane_{proc.id}", bpmnElement=f"Collaboration_{proc.id}")

    def shape(element_id: str, x: float, y: float, w: float, h: float, **attrs) -> None:
        s = _el(plane, "BPMNShape", ns=BPMNDI, id=f"{element_id}_di", bpmnElement=element_id, **attrs)
        _el(s, "Bounds", ns=DC, x=_n(x), y=_n(y), width=_n(w), height=_n(h))

    def edge(element_id: str, points) -> None:
        e = _el(plane, "BPMNEdge", ns=BPMNDI, id=f"{element_id}_di", bpmnElement=element_id)
        for x, y in points:
            _el(e, "waypoint", ns=DI, x=_n(x), y=_n(y))

    first, last = chart.lanes[0], chart.lanes[-1]
    shape(f"Participant_{proc.id}", first.x * SCALE, 0, (last.x + last.w - first.x) * SCALE, chart.height * SCALE,
          isHorizontal="false")
    for lane in chart.lanes:
        shape(f"Lane_{lane.id}", lane.x * SCALE, chart.header * SCALE, lane.w * SCALE,
              (chart.height - chart.header) * SCALE, isHorizontal="false")
    joins = {}
    for node in chart.nodes:
        x, y, w, h = node.x * SCALE, node.y * SCALE, node.w * SCALE, node.h * SCALE
        if node.kind in ("start", "end"):  # a BPMN event is a circle: as tall as the chart's terminator
            shape(graph.ids[node.id], x + w / 2 - h / 2, y, h, h)
        else:
            shape(graph.ids[node.id], x, y, w, h, **({"isMarkerVisible": "true"} if node.kind == "decision" else {}))
        if node.id in graph.joins:
            jx, jy = x + w / 2 - JOIN / 2, y - JOIN - 4
            joins[node.id] = (jx + JOIN / 2, jy, jy + JOIN)  # centre x, top, bottom
            shape(f"Join_{node.id}", jx, jy, JOIN, JOIN, isMarkerVisible="true")
    for element_id, x, y, w, h in extra_shapes:
        shape(element_id, x, y, w, h)
    for flow_id, (chart_edge, joined) in flow_points.items():
        points = [(x * SCALE, y * SCALE) for x, y in chart_edge.points]
        if joined:  # end at the converging gateway above the step instead of at the step
            cx, top, bottom = joins[chart_edge.target]
            points = points[:-1]
            px, py = points[-1]
            points.append((cx, top) if py < top else (cx - JOIN / 2 if px < cx else cx + JOIN / 2, top + JOIN / 2))
        points = _on_event(points, chart.node(chart_edge.source))
        if not joined:
            points = _on_event(points[::-1], chart.node(chart_edge.target))[::-1]
        edge(flow_id, points)
    for target, (cx, top, bottom) in joins.items():
        edge(f"Flow_join_{target}", [(cx, bottom), (cx, chart.node(target).y * SCALE)])
    for element_id, points in extra_edges:
        edge(element_id, points)


def _on_event(points, node):
    """A flow that meets an event at the side of the chart's terminator meets the BPMN circle, which is narrower
    (the first point of `points` is the one on the node)."""
    if node.kind not in ("start", "end"):
        return points
    x, y = points[0]
    if abs(x - node.cx * SCALE) < 1e-6:  # top or bottom: the circle's too
        return points
    r = node.h * SCALE / 2
    return [(node.cx * SCALE + (r if x > node.cx * SCALE else -r), y)] + points[1:]


def write_bpmn(project: Project, out: Path, ids=None) -> list[Path]:
    """Write out/rules/<procedure-id>.bpmn for every procedure (those in `ids`); return the paths written."""
    written = []
    for proc_id in selected(project.procedures, ids):
        path = out / "rules" / f"{proc_id}.bpmn"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(procedure_bpmn(project, project.procedures[proc_id]), encoding="utf-8")
        written.append(path)
    return written
