"""The swimlane flowchart of a procedure, as geometry every writer draws: SVG (HTML and PDF), PNG (DOCX), BPMN DI.

Lanes are columns, one per owner, in the procedure's lane order; steps go down the page in the order they are
written, so the chart reads like the step table beside it. A step that simply hands over to the next one in
another lane stays on the same row (the arrow runs across), as long as the lanes of a row go one way. Boxes are
sized to their labels, measured with the font that prints them and wrapped by Chinese line-breaking rules.

Arrows never cross a box, by construction: a row holds only its own boxes, so a horizontal segment inside a row
runs between two boxes of that row with nothing between them; every other horizontal segment runs in the gap
between two rows, where no box is; every vertical segment runs either in the gap below its box or in a channel
along a lane boundary, which boxes never reach. An arrow leaves a box from the middle of its bottom or of a side
and enters the middle of the target's top (or its side, along a row).

Survey of layout libraries (pip-installable): grandalf (Sugiyama layering, last release 2023) ranks and orders
nodes freely and routes edges through dummy nodes, but cannot pin a node to a lane; networkx only offers
force-directed or multipartite positions; pydot/pygraphviz need the Graphviz binaries; ELK is Java/JavaScript.
With lanes fixed by owner and rows fixed by the step order, what such a library would decide (layers and the
order within them) is already given, so the layout is this module's grid; it only has to route arrows.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..language import format_target
from ..model import Procedure, Project, Step

FONT_SIZE = 10.0  # chart units; the chart is scaled to the text width when printed
LINE_HEIGHT = 13.0
WIDTH = 640.0  # at most; the chart's unit is the CSS pixel, so 640 units print as the whole type area
MAX_LANE = 140.0  # a chart of few lanes is narrower, its type the same size as in a chart of many
OUTER = 36.0  # room beside the outermost lanes for channels and branch labels
MARGIN = 12.0  # between a box and its lane's boundary: the channel
PAD = 5.0  # between a box's edge and its text
HEADER = 34.0
GAP = 30.0  # between rows
SLOT = 4.0  # distance between arrows sharing a channel
EVENT_HEIGHT = 24.0


@dataclass
class Line:
    text: str
    x: float  # centre
    y: float  # baseline
    width: float


@dataclass
class Node:
    id: str
    kind: str  # task | decision | start | end
    lane: int
    row: int
    x: float
    y: float
    w: float
    h: float
    lines: list[Line] = field(default_factory=list)

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def side(self, direction: int) -> float:
        return self.x + self.w if direction > 0 else self.x

    @property
    def diamond(self) -> str:
        return (f"{self.cx:.2f},{self.y:.2f} {self.x + self.w:.2f},{self.cy:.2f} "
                f"{self.cx:.2f},{self.bottom:.2f} {self.x:.2f},{self.cy:.2f}")


@dataclass
class Edge:
    source: str
    target: str
    points: list[tuple[float, float]]
    label: Line | None = None

    @property
    def path(self) -> str:
        return " ".join(f"{x:.2f},{y:.2f}" for x, y in self.points)

    @property
    def head(self) -> str:
        """The arrowhead: a triangle whose tip is the last point, pointing along the last segment."""
        (x0, y0), (x1, y1) = self.points[-2], self.points[-1]
        dx, dy = (x1 > x0) - (x1 < x0), (y1 > y0) - (y1 < y0)
        back, half = 6.0, 3.0
        bx, by = x1 - dx * back, y1 - dy * back
        return f"{x1:.2f},{y1:.2f} {bx - dy * half:.2f},{by + dx * half:.2f} {bx + dy * half:.2f},{by - dx * half:.2f}"


@dataclass
class Lane:
    id: str
    x: float
    w: float
    lines: list[Line]


@dataclass
class Chart:
    width: float
    height: float
    header: float
    lanes: list[Lane]
    nodes: list[Node]
    edges: list[Edge]
    font_size: float = FONT_SIZE

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


# --- measuring and wrapping text -----------------------------------------------------------------------------

@cache
def _advances(font: Path) -> tuple[dict[int, float], float]:
    from fontTools.ttLib import TTFont

    with TTFont(font, lazy=True, fontNumber=0) as tt:
        cmap = tt.getBestCmap() or {}
        hmtx = tt["hmtx"]
        upem = tt["head"].unitsPerEm
        return {cp: hmtx[name][0] / upem for cp, name in cmap.items()}, 1.0


def text_width(text: str, font: Path, size: float = FONT_SIZE) -> float:
    """The advance width of `text` in `font` at `size`; a character the font lacks counts a full em."""
    advances, default = _advances(font)
    return sum(advances.get(ord(c), default if unicodedata.east_asian_width(c) in "WF" else 0.6) for c in text) * size


_NO_START = set("，。、；：？！）》」』】〕”’,.;:?!)]%")
_NO_END = set("（《「『【〔“‘([")


def wrap(text: str, width: float, font: Path, size: float = FONT_SIZE) -> list[str]:
    """Break `text` into lines no wider than `width`: between any two CJK characters, at spaces in other text,
    never with closing punctuation at a line's start or opening punctuation at its end."""
    tokens: list[str] = []
    for ch in text:
        if tokens and ch.isascii() and not ch.isspace() and tokens[-1][-1:].isascii() and not tokens[-1][-1:].isspace():
            tokens[-1] += ch  # a Latin word or a number stays whole
        else:
            tokens.append(ch)
    lines: list[list[str]] = [[]]
    for tok in tokens:
        line = lines[-1]
        if line and text_width("".join(line) + tok, font, size) > width:
            if tok in _NO_START and len(line) > 1:
                lines.append([line.pop(), tok])  # carry the last character down with the punctuation
            elif not tok.isspace():
                carry = [line.pop()] if len(line) > 1 and line[-1] in _NO_END else []
                lines.append(carry + [tok])
            continue
        line.append(tok)
    return ["".join(line).strip() for line in lines if "".join(line).strip()]


# --- layout --------------------------------------------------------------------------------------------------

def step_label(project: Project, proc: Procedure, step: Step, language: str) -> str:
    from ..resolve import Resolver

    if step.name is not None:
        return "".join(r.text for r in Resolver(project, language).runs(step.name))
    from ..language import strings

    return strings(language)["start" if step.type == "start" else "end"]


def owner_name(project: Project, owner: str, language: str) -> str:
    org = project.organization
    named = org.roles.get(owner) or org.departments.get(owner)
    return named.name_in(language) if named else owner


def layout(project: Project, proc: Procedure, font: Path) -> Chart:
    language = proc.language
    lanes_ids = proc.lanes
    lane_of = {lane: i for i, lane in enumerate(lanes_ids)}
    lane_w = min((WIDTH - 2 * OUTER) / max(len(lanes_ids), 1), MAX_LANE)
    box_w = lane_w - 2 * MARGIN
    lanes = []
    for i, lane in enumerate(lanes_ids):
        x = OUTER + i * lane_w
        words = wrap(owner_name(project, lane, language), lane_w - 2 * PAD, font)
        top = (HEADER - LINE_HEIGHT * len(words)) / 2 + FONT_SIZE
        lanes.append(Lane(lane, x, lane_w, [Line(t, x + lane_w / 2, top + j * LINE_HEIGHT, text_width(t, font))
                                             for j, t in enumerate(words)]))
    rows = _rows(proc, lane_of)
    nodes: list[Node] = []
    y = HEADER + GAP
    for r, row in enumerate(rows):
        shaped = [_shape(project, proc, step, language, font, box_w) for step in row]
        height = max(h for _, h in shaped)
        for step, (words, h) in zip(row, shaped):
            lane = lane_of[step.lane]
            x = OUTER + lane * lane_w + MARGIN
            top = y + (height - h) / 2
            node = Node(step.id, step.type, lane, r, x, top, box_w, h)
            first = node.cy - LINE_HEIGHT * (len(words) - 1) / 2 + FONT_SIZE * 0.35
            node.lines = [Line(t, node.cx, first + j * LINE_HEIGHT, text_width(t, font)) for j, t in enumerate(words)]
            nodes.append(node)
        y += height + GAP
    chart = Chart(2 * OUTER + lane_w * len(lanes_ids), y, HEADER, lanes, nodes, [])
    chart.edges = _route(proc, chart, lane_w, font)
    return chart


def _rows(proc: Procedure, lane_of: dict[str, int]) -> list[list[Step]]:
    """Steps in order; a step joins the row of the one before when that one hands over to it alone, in another
    lane further the same way as the row goes."""
    rows: list[list[Step]] = []
    for step in proc.steps:
        row = rows[-1] if rows else None
        if row:
            prev = row[-1]
            direction = lane_of[step.lane] - lane_of[prev.lane]
            going = lane_of[row[-1].lane] - lane_of[row[0].lane] if len(row) > 1 else direction
            if (prev.type in ("task", "start") and prev.next == step.id and direction != 0
                    and (direction > 0) == (going > 0)):
                row.append(step)
                continue
        rows.append([step])
    return rows


def _shape(project: Project, proc: Procedure, step: Step, language: str, font: Path, box_w: float):
    label = step_label(project, proc, step, language)
    if step.type == "decision":  # the text fits the rectangle inscribed in the diamond: half its width and height
        words = wrap(label, box_w / 2 - 2, font)
        return words, max(2 * LINE_HEIGHT * len(words) + 2 * PAD, 40.0)
    words = wrap(label, box_w - 2 * PAD, font)
    if step.type in ("start", "end"):  # a rounded terminator: the text keeps clear of the round ends
        words = wrap(label, box_w - 2 * PAD - LINE_HEIGHT, font)
        return words, max(LINE_HEIGHT * len(words) + 2 * PAD, EVENT_HEIGHT)
    return words, LINE_HEIGHT * len(words) + 2 * PAD


def _route(proc: Procedure, chart: Chart, lane_w: float, font: Path) -> list[Edge]:
    nodes = {n.id: n for n in chart.nodes}
    row_of: dict[int, list[Node]] = {}
    for n in chart.nodes:
        row_of.setdefault(n.row, []).append(n)
    used_sides: dict[str, set[int]] = {n.id: set() for n in chart.nodes}
    pending = []  # (step, branch label, source, target)
    for step in proc.steps:
        if step.type == "decision":
            pending += [(step, b.label, nodes[step.id], nodes[b.next]) for b in step.branches]
        elif step.next:
            pending.append((step, None, nodes[step.id], nodes[step.next]))
    # Along a row: a straight arrow from side to side.
    edges: list[Edge] = []
    rest = []
    for step, label, s, t in pending:
        if s.row == t.row:
            d = 1 if t.lane > s.lane else -1
            used_sides[s.id].add(d)
            used_sides[t.id].add(-d)
            edges.append(Edge(s.id, t.id, [(s.side(d), s.cy), (t.side(-d), s.cy)]))
        else:
            rest.append((step, label, s, t))
    # Into a row from above: each target of the row gets its own height in the gap above it.
    entering: dict[int, list[str]] = {}
    for _, _, s, t in rest:
        entering.setdefault(t.row, [])
        if t.id not in entering[t.row]:
            entering[t.row].append(t.id)
    gap_y: dict[str, float] = {}
    for row, targets in entering.items():
        top = min(n.y for n in row_of[row]) - GAP
        for k, target in enumerate(sorted(targets, key=lambda i: nodes[i].cx)):
            gap_y[target] = top + GAP * (k + 1.5) / (len(targets) + 1.5)
    channel_use: dict[int, int] = {}
    bottom_taken: set[str] = set()
    for step, label, s, t in rest:
        gy = gap_y[t.id]
        below = t.row == s.row + 1 and s.id not in bottom_taken
        if below:
            bottom_taken.add(s.id)
            points = [(s.cx, s.bottom), (s.cx, gy), (t.cx, gy), (t.cx, t.y)]
            tag = Line(label, s.cx + 3 + text_width(label, font) / 2, s.bottom + FONT_SIZE, text_width(label, font)) \
                if label else None
        else:
            forward = t.row > s.row
            d = (1 if t.lane >= s.lane else -1) if forward else (-1 if t.lane <= s.lane else 1)
            if d in used_sides[s.id]:
                d = -d
            used_sides[s.id].add(d)
            boundary = s.lane + (1 if d > 0 else 0)
            n = channel_use.get(boundary, 0)
            channel_use[boundary] = n + 1
            offset = SLOT * (n // 2 + 1) * (1 if n % 2 == 0 else -1)
            cx = OUTER + boundary * lane_w + offset
            x0 = s.side(d)
            points = [(x0, s.cy), (cx, s.cy), (cx, gy), (t.cx, gy), (t.cx, t.y)]
            width = text_width(label, font) if label else 0
            tag = Line(label, x0 + d * (2 + width / 2), s.cy - 3, width) if label else None
            if label and abs(cx - x0) < width + 4:  # too wide for the run to the channel: it would cross the line
                # just past the channel and the lane's divider beside it (not across either), where no box stands
                divider = OUTER + boundary * lane_w
                edge = max(cx, divider) if d > 0 else min(cx, divider)
                beyond = edge + d * (2 + width / 2)
                if not any(n.x - 1 < beyond + width / 2 and beyond - width / 2 < n.x + n.w + 1 for n in row_of[s.row]):
                    tag = Line(label, beyond, s.cy - 3, width)
        edges.append(Edge(s.id, t.id, _simplify(points), tag))
    return edges


def _simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and points in the middle of a straight run."""
    out: list[tuple[float, float]] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 1e-6 and abs(out[-1][1] - p[1]) < 1e-6:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            if (abs(ax - bx) < 1e-6 and abs(bx - p[0]) < 1e-6) or (abs(ay - by) < 1e-6 and abs(by - p[1]) < 1e-6):
                out[-1] = p
                continue
        out.append(p)
    return out


# --- what the chart's writers and the step table share -----------------------------------------------------

def deadline_text(project: Project, step: Step, language: str) -> str:
    from ..assemble import _target

    if step.deadline is None:
        return ""
    if "rule" in step.deadline:
        return format_target(project.rules[step.deadline["rule"]].target_on(None), language)
    return format_target(_target(step.deadline), language)


def chart_font(project: Project, language: str) -> Path:
    """The face the chart's labels are measured and printed with: the language's built-in body face."""
    from ..fonts import _manifest, builtin_face

    return builtin_face(_manifest()["roles"][language]["body"]).path


def step_table(project: Project, proc: Procedure, language: str) -> dict:
    """The step table printed beside the chart: 步骤 / 责任部门 / 时限 / 表单, one row per task and decision."""
    from ..language import strings
    from ..language import quoted

    s = strings(language)
    rows = []
    for step in proc.steps:
        if step.type in ("start", "end"):
            continue
        form = quoted(project.forms[step.form].title, language) if step.form else ""
        rows.append({"number": len(rows) + 1, "id": step.id, "name": step.name, "notes": step.notes,
                     "owner": owner_name(project, step.owner, language), "deadline": deadline_text(project, step, language),
                     "form": form})
    # 时限 and 表单 only when some step has one (school-onboarding names neither: two empty columns say nothing)
    columns = ["owner"] + [key for key in ("deadline", "form") if any(r[key] for r in rows)]
    names = {"owner": s["responsible"], "deadline": s["deadline"], "form": s["form"]}
    header = [s["step"]] + [names[key] for key in columns]
    return {"title": proc.title, "header": header, "columns": columns, "rows": rows,
            "widths": _step_widths(project, names, columns, rows)}


def _step_widths(project: Project, names: dict, columns: list[str], rows: list[dict]) -> list[float]:
    """The step table's column widths in percent: 责任部门 as wide as its longest name and 时限 as its longest value
    (neither breaks: 总经理办公室, 每月10日前), measured at the printed regulation's table size; 表单 a fifth; the
    step the rest (never under a third: a name or value too long for that breaks after all)."""
    from ..presets import MM_PER_PT, preset
    from .form_layout import label_words, text_ems

    page = preset(project.config.preset)
    em_mm = page.body_pt * 0.875 * MM_PER_PT  # table { font-size } in pdf/page.css.j2
    room = page.area_width_mm / em_mm
    pad = 3.0 / em_mm + 0.3  # th, td padding: 1.5 mm each side

    def widest(texts):
        return max((text_ems(w) for t in texts for w in label_words(t)), default=0) + pad

    width = {"owner": max(widest([r["owner"] for r in rows]), widest([names["owner"]])),
             "deadline": max(max((text_ems(r["deadline"]) + pad for r in rows), default=0), widest([names["deadline"]])),
             "form": 0.2 * room}
    others = [width[key] for key in columns]
    step = max(room - sum(others), room / 3)
    total = step + sum(others)
    return [round(100 * w / total, 3) for w in [step, *others]]
