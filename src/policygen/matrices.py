"""Approval matrices as decision tables: evaluation with DMN 1.3 hit policies, and proof over the input domain.

Money is exact: amounts are `Decimal` in the currency's minor unit (0.01). An interval names each bound
explicitly: `gt`/`ge` below, `lt`/`le` above. Because every bound sits on the 0.01 grid, the points
{minimum, each bound b, b − 0.01, b + 0.01, the largest bound + 1} together with every enum value and both
booleans meet every region of the input domain in which the set of matching rows is constant: checking those
points proves the whole (infinite) domain, and each problem found comes with a concrete counterexample.

Hit policies (DMN 1.3, section 8.2.11): UNIQUE — no overlap is allowed and the single matching row decides;
FIRST — rows are tried in order, the first match decides; PRIORITY — of the matching rows, the one whose output
has the highest priority decides (here: the row whose approvers include the role listed earliest in `priority`);
COLLECT — every matching row contributes, in row order.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .diagnostics import Diagnostic, Severity
from .model import Matrix, MatrixInput

CENT = Decimal("0.01")
LIMIT = Decimal(10) ** 15  # amounts lie strictly between -LIMIT and LIMIT (schemas/approval-matrix.schema.json)
# An amount as people write it: plain digits, or thousands separated by commas in groups of three; at most two
# decimals. `1,500` is 1500; `1,5` (a decimal comma) and `1,50,000` are refused rather than misread.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．＋－", "0123456789,.+-")
_AMOUNT = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?", re.ASCII)
MAX_REPORTS = 10  # per matrix and kind of problem: enough to act on, short enough to read


class InputError(ValueError):
    """An input value that does not fit the matrix (unknown input, wrong type, unknown enum value)."""


def matches(condition, value) -> bool:
    if condition is None or condition == "any":
        return True
    if isinstance(condition, bool):
        return value is condition
    if isinstance(condition, list):
        return value in condition
    return (("gt" not in condition or value > condition["gt"]) and ("ge" not in condition or value >= condition["ge"])
            and ("lt" not in condition or value < condition["lt"]) and ("le" not in condition or value <= condition["le"]))


def matching_rows(matrix: Matrix, values: dict) -> list[int]:
    """0-based indexes of the rows whose every condition holds for `values`."""
    return [i for i, row in enumerate(matrix.rows)
            if all(matches(row.conditions.get(inp.id), values[inp.id]) for inp in matrix.inputs)]


@dataclass
class Decision:
    matrix: str
    hit_policy: str
    inputs: dict
    matched: list[int]  # 1-based row numbers whose conditions hold
    fired: list[int]  # 1-based row numbers that decide
    approvers: list  # one chain of role ids; for COLLECT, one chain per fired row
    reasons: list[str] = field(default_factory=list)

    @property
    def decided(self) -> bool:
        return bool(self.fired)


def parse_inputs(matrix: Matrix, raw: dict) -> dict:
    """Typed input values from text or YAML values: money → Decimal, boolean → bool, enum → its id."""
    known = {i.id: i for i in matrix.inputs}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise InputError(f"'{unknown[0]}' is not an input of {matrix.id}; the inputs are: {', '.join(known)}")
    values = {}
    for inp in matrix.inputs:
        if inp.id not in raw:
            raise InputError(f"the input '{inp.id}' ({inp.label}) is missing")
        values[inp.id] = _parse_value(inp, raw[inp.id])
    return values


def parse_amount(name: str, value) -> Decimal:
    """An exact amount from text (`3000`, `1,500.50`) or a number; InputError for anything else."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise InputError(f"{name} = {value!r} is not an amount")
    # full-width figures and separators as a Chinese input method types them (１２，０００．５０) read as ASCII
    text = value.strip().translate(_FULL_WIDTH) if isinstance(value, str) else str(value)
    if not _AMOUNT.fullmatch(text):
        raise InputError(f"{name} = {_shown(value)} is not an amount: write digits with at most two decimals, "
                         "e.g. 3000, 1500.50 or 1,500.50 (commas only between groups of three digits)")
    amount = Decimal(text.replace(",", ""))
    if abs(amount) >= LIMIT:
        raise InputError(f"{name} = {_shown(value)} is too large: amounts are below 10^15")
    if amount != amount.quantize(CENT):
        raise InputError(f"{name} = {_shown(value)}: an amount has at most two decimals")
    return amount.quantize(CENT)


def off_grid(value) -> tuple[Decimal, Decimal] | None:
    """For a bound that is not a whole number of cents: the allowed amounts just below and above it."""
    amount = Decimal(str(value))
    if amount == amount.quantize(CENT):
        return None
    from decimal import ROUND_CEILING, ROUND_FLOOR

    return amount.quantize(CENT, rounding=ROUND_FLOOR), amount.quantize(CENT, rounding=ROUND_CEILING)


def _shown(value) -> str:
    text = value if isinstance(value, str) else str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _parse_value(inp: MatrixInput, value):
    if inp.type == "money":
        amount = parse_amount(inp.id, value)
        if amount < inp.minimum:
            raise InputError(f"{inp.id} = {value} is below the smallest possible amount {inp.minimum}")
        return amount
    if inp.type == "boolean":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "false"):
            return str(value).lower() == "true"
        raise InputError(f"{inp.id} = {value!r}: write true or false")
    ids = [v for v, _ in inp.values]
    if value not in ids:
        raise InputError(f"{inp.id} = {value!r} is not one of: {', '.join(ids)}")
    return value


def decide(matrix: Matrix, values: dict) -> Decision:
    """Evaluate typed `values` (see parse_inputs) under the matrix's hit policy."""
    matched = matching_rows(matrix, values)
    policy = matrix.hit_policy
    if policy == "unique" and len(matched) > 1:
        fired = []  # DMN: a UNIQUE table with several matches has no result (validation rules this out)
    elif policy in ("unique", "first"):
        fired = matched[:1]
    elif policy == "priority":
        fired = sorted(matched, key=lambda i: (_priority(matrix, i), i))[:1]
    else:
        fired = matched
    approvers = [list(matrix.rows[i].approvers) for i in fired]
    return Decision(matrix=matrix.id, hit_policy=policy, inputs=values, matched=[i + 1 for i in matched],
                    fired=[i + 1 for i in fired], approvers=approvers if policy == "collect" else (approvers[0] if approvers else []))


def _priority(matrix: Matrix, row: int) -> int:
    ranks = [matrix.priority.index(r) for r in matrix.rows[row].approvers if r in matrix.priority]
    return min(ranks, default=len(matrix.priority))


def format_value(inp: MatrixInput, value) -> str:
    if inp.type == "money":
        return f"{value:.2f} {inp.currency}"
    return str(value).lower() if isinstance(value, bool) else str(value)


def describe_inputs(matrix: Matrix, values: dict) -> str:
    return ", ".join(f"{inp.id} = {format_value(inp, values[inp.id])}" for inp in matrix.inputs)


# --- proof over the whole domain -----------------------------------------------------------------------------

def _axis(matrix: Matrix, inp: MatrixInput) -> list:
    if inp.type == "boolean":
        return [False, True]
    if inp.type == "enum":
        return [v for v, _ in inp.values]
    bounds = {Decimal(str(c[k])) for row in matrix.rows if isinstance(c := row.conditions.get(inp.id), dict)
              for k in ("gt", "ge", "lt", "le") if k in c}
    minimum = Decimal(str(inp.minimum)).quantize(CENT)
    points = {minimum, (max(bounds | {minimum}) + 1).quantize(CENT)}
    for b in bounds:
        points |= {b.quantize(CENT), (b - CENT).quantize(CENT), (b + CENT).quantize(CENT)}
    return sorted(p for p in points if p >= minimum)


def check_matrix(matrix: Matrix) -> list[Diagnostic]:
    """Gaps and (under UNIQUE) overlaps are errors; rows that can never decide under FIRST are warnings.

    Each gap region is reported once, with its first point as the counterexample: points next to each other on
    the money axis with the same other inputs are one region, and an input no row constrains is held fixed.
    """
    constrained = [any(inp.id in row.conditions and row.conditions[inp.id] != "any" for row in matrix.rows)
                   for inp in matrix.inputs]
    axes = [_axis(matrix, inp) if used else _axis(matrix, inp)[:1] for inp, used in zip(matrix.inputs, constrained)]
    money = [i for i, inp in enumerate(matrix.inputs) if inp.type == "money"]
    gaps: list[str] = []
    last_gap: dict[tuple, tuple] = {}  # the other inputs → the money point index of the last gap seen
    overlaps: dict[tuple, str] = {}
    can_decide = [False] * len(matrix.rows)
    for point in itertools.product(*axes):
        values = dict(zip((i.id for i in matrix.inputs), point))
        rows = matching_rows(matrix, values)
        if not rows:
            key = tuple(v for i, v in enumerate(point) if i not in money[-1:])
            index = tuple(axes[i].index(point[i]) for i in money[-1:])
            previous = last_gap.get(key)
            if previous is None or not index or index[0] != previous[0] + 1:
                gaps.append(describe_inputs(matrix, values))
            last_gap[key] = index
        elif matrix.hit_policy == "unique" and len(rows) > 1:
            overlaps.setdefault(tuple(rows), describe_inputs(matrix, values))
        for n in decide(matrix, values).fired if rows else ():
            can_decide[n - 1] = True
    out = []
    for example in gaps[:MAX_REPORTS]:
        out.append(matrix.where.at("rows").diagnostic(
            "PG-RULES-001", f"{matrix.id}: {example} matches no row",
            hint="add a row for these inputs, or widen a row's bounds"))
    for rows, example in list(overlaps.items())[:MAX_REPORTS]:
        numbers = " and ".join(str(r + 1) for r in rows)
        out.append(matrix.rows[rows[-1]].where.diagnostic(
            "PG-RULES-002", f"{matrix.id}: {example} matches rows {numbers}",
            hint="make the bounds exclusive on one side (gt/lt instead of ge/le), or use hit_policy: first"))
    if matrix.hit_policy in ("first", "priority"):
        for i, ok in enumerate(can_decide):
            if not ok:
                out.append(matrix.rows[i].where.diagnostic(
                    "PG-RULES-101", f"{matrix.id}: row {i + 1} can never decide: rows before it take every input it matches",
                    severity=Severity.WARNING, hint="remove the row or move it up"))
    return out
