"""The DMN export: output/rules/<id>.dmn for every approval matrix, a DMN 1.3 decision table.

Each file holds one <decision> (id: the matrix id, name: its title) whose <decisionTable> has the matrix's hit
policy, one <input> per matrix input (its inputExpression is the input id, so callers pass the same names as to
`policygen decide` and the JSON export; its typeRef the FEEL type and its inputValues the domain, see
`input_values`) and one output `approvers`: the approver chain as a string of role ids
joined by "," ("deputy-general-manager,general-manager"). Conditions become FEEL unary tests with exact decimal
bounds: {gt: 1000, le: 5000} → (1000..5000], {gt: 5000} → > 5000, [quality, other] → "quality","other".

PRIORITY: DMN picks, of the matching rules, the output listed first in the output's <outputValues>. policygen
ranks rows by the earliest role of `priority` among their approvers, then by row order (matrices._priority). A
chain's rank depends only on the chain, so listing the chains by rank gives the same winner, except between
different chains of equal rank, where policygen lets the earlier row win. Those ties are ordered by what the
matrix actually does over its whole input domain (the same points that prove it complete); a matrix whose ties
no single order of chains can reproduce is refused with DmnError rather than exported with another meaning.

The output is deterministic (ids from the matrix, no timestamps) and every rule's description names the row's
source file and line.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

from . import selected
from .. import __version__
from ..language import article_label, export_words
from ..matrices import LIMIT, _axis, _priority, decide, describe_inputs, matching_rows
from ..model import Matrix, MatrixInput, Project, Where

DMN_NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"
FEEL_NS = "https://www.omg.org/spec/DMN/20191111/FEEL/"
HIT_POLICIES = {"unique": "UNIQUE", "first": "FIRST", "priority": "PRIORITY", "collect": "COLLECT"}
TYPE_REFS = {"money": "number", "enum": "string", "boolean": "boolean"}
OUTPUT = "approvers"


class DmnError(ValueError):
    """A matrix that DMN cannot express with the meaning policygen gives it."""


# --- FEEL ----------------------------------------------------------------------------------------------------

def feel_number(value) -> str:
    """An exact decimal literal: 1000, 999.99, -5 (never a float, never an exponent)."""
    number = Decimal(str(value)).normalize()
    return format(number, "f")


def feel_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unary_test(condition) -> str:
    """The FEEL unary test for one row condition (see matrices.matches for what each form means)."""
    if condition is None or condition == "any":
        return "-"
    if isinstance(condition, bool):
        return "true" if condition else "false"
    if isinstance(condition, list):
        return ",".join(feel_string(v) for v in condition)
    low = next(((k, condition[k]) for k in ("gt", "ge") if k in condition), None)
    high = next(((k, condition[k]) for k in ("lt", "le") if k in condition), None)
    if low and high:
        return f"{'(' if low[0] == 'gt' else '['}{feel_number(low[1])}..{feel_number(high[1])}{')' if high[0] == 'lt' else ']'}"
    if low:
        return f"{'>' if low[0] == 'gt' else '>='} {feel_number(low[1])}"
    if high:
        return f"{'<' if high[0] == 'lt' else '<='} {feel_number(high[1])}"
    return "-"


def input_values(inp: MatrixInput) -> str:
    """The input's domain as a FEEL unary test (the clause's inputValues), so a DMN engine refuses what
    `policygen decide` refuses: money is a number from the minimum, below 10^15, with at most two decimals; a
    boolean is true or false; an enum one of its value ids."""
    if inp.type == "money":
        return (f"? instance of number and ? >= {feel_number(inp.minimum)} and ? < {feel_number(LIMIT)} "
                "and decimal(?, 2) = ?")
    if inp.type == "boolean":
        return "true,false"
    return ",".join(feel_string(v) for v, _ in inp.values)


def chain_value(approvers: list[str]) -> str:
    return ",".join(approvers)


# --- PRIORITY ------------------------------------------------------------------------------------------------

def priority_order(matrix: Matrix) -> list[str]:
    """The approver chains, highest priority first, so that DMN PRIORITY picks the row policygen picks."""
    chains: dict[str, tuple] = {}  # chain → default rank: (role rank, first row)
    for i, row in enumerate(matrix.rows):
        chains.setdefault(chain_value(row.approvers), (_priority(matrix, i), i))
    before: dict[str, set[str]] = {c: set() for c in chains}  # chain → the chains that must come after it
    example: dict[tuple[str, str], dict] = {}
    for point in itertools.product(*(_axis(matrix, inp) for inp in matrix.inputs)):
        values = dict(zip((inp.id for inp in matrix.inputs), point))
        matched = matching_rows(matrix, values)
        if not matched:
            continue
        winner = chain_value(matrix.rows[decide(matrix, values).fired[0] - 1].approvers)
        for i in matched:
            other = chain_value(matrix.rows[i].approvers)
            if other != winner:
                before[winner].add(other)
                example.setdefault((winner, other), values)
    order: list[str] = []
    waiting = {c: sum(c in after for after in before.values()) for c in chains}
    while len(order) < len(chains):
        ready = [c for c in chains if c not in order and waiting[c] == 0]
        if not ready:
            stuck = [c for c in chains if c not in order]
            pairs = [(a, b) for a in stuck for b in sorted(before[a]) if b in stuck]
            shown = "; ".join(f"{describe_inputs(matrix, example[p])} makes {p[0]!r} win over {p[1]!r}" for p in pairs[:4])
            raise DmnError(f"{matrix.id}: no priority order of approver chains reproduces the PRIORITY decisions "
                           f"(rows of equal priority decide by row order): {shown}")
        chosen = min(ready, key=lambda c: chains[c])
        order.append(chosen)
        for after in before[chosen]:
            waiting[after] -= 1
    return order


# --- XML -----------------------------------------------------------------------------------------------------

def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _text(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    element = _sub(parent, tag, **attrs)
    _sub(element, "text", text)
    return element


def _where(where: Where | None) -> str | None:
    if where is None:
        return None
    return f"{where.source.name}:{where.source.position(where.path)[0]}"


def _stated_in(project: Project, matrix: Matrix) -> str | None:
    if not matrix.stated_in:
        return None
    reg_id, article_id = matrix.stated_in.split("/")
    reg = project.regulations.get(reg_id)
    article = reg.article(article_id) if reg else None
    label = f" ({article_label(article.number, reg.language)})" if article else ""
    return f"{matrix.stated_in}{label}"


def _input_description(inp: MatrixInput) -> str | None:
    if inp.type == "money":
        return f"{inp.currency}, at least {feel_number(inp.minimum)}, at most two decimals"
    if inp.type == "enum":
        return "; ".join(f"{v}: {label}" for v, label in inp.values)
    return None


def matrix_dmn(project: Project, matrix: Matrix) -> str:
    """The DMN 1.3 XML text of one matrix."""
    root = ET.Element("definitions", {
        "xmlns": DMN_NS, "id": f"definitions-{matrix.id}", "name": matrix.title,
        "namespace": f"urn:policygen:approval-matrix:{matrix.id}", "expressionLanguage": FEEL_NS,
        "typeLanguage": FEEL_NS, "exporter": "policygen", "exporterVersion": __version__})
    decision = _sub(root, "decision", id=matrix.id, name=matrix.title)
    about = [f"approval matrix {matrix.id}", _where(matrix.where)]
    if stated := _stated_in(project, matrix):
        about.append(f"stated in {stated}")
    if matrix.hit_policy == "priority":
        about.append(f"priority: {', '.join(matrix.priority)}")
    _sub(decision, "description", "; ".join(a for a in about if a))
    table = _sub(decision, "decisionTable", id=f"{matrix.id}-table", hitPolicy=HIT_POLICIES[matrix.hit_policy])
    for inp in matrix.inputs:
        clause = _sub(table, "input", id=f"input-{inp.id}", label=inp.label)
        if description := _input_description(inp):
            _sub(clause, "description", description)
        _text(clause, "inputExpression", inp.id, id=f"input-{inp.id}-expression", typeRef=TYPE_REFS[inp.type])
        _text(clause, "inputValues", input_values(inp), id=f"input-{inp.id}-values")
    output = _sub(table, "output", id=f"output-{OUTPUT}", label=export_words(matrix.language)["approvers"],
                  name=OUTPUT, typeRef="string")
    if matrix.hit_policy == "priority":
        _text(output, "outputValues", ",".join(feel_string(c) for c in priority_order(matrix)), id=f"output-{OUTPUT}-values")
    for n, row in enumerate(matrix.rows, start=1):
        rule = _sub(table, "rule", id=f"rule-{n}")
        description = " ".join(d for d in (_where(row.where), row.note) if d)
        if description:
            _sub(rule, "description", description)
        for inp in matrix.inputs:
            _text(rule, "inputEntry", unary_test(row.conditions.get(inp.id)), id=f"rule-{n}-{inp.id}")
        _text(rule, "outputEntry", feel_string(chain_value(row.approvers)), id=f"rule-{n}-{OUTPUT}")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_dmn(project: Project, out: Path, ids=None) -> list[Path]:
    """Write out/rules/<matrix-id>.dmn for every approval matrix (those in `ids`); return the paths written."""
    written = []
    for matrix_id in selected(project.matrices, ids):
        path = out / "rules" / f"{matrix_id}.dmn"
        text = matrix_dmn(project, project.matrices[matrix_id])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
