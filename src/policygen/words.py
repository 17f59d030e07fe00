"""Authors' words: the names written in the documents work wherever an id does.

An author reads 质量问题 and 客户投诉金额 in the matrix, 客诉案件结案 in the rules, and asks with those words, not with
`quality` and `amount`. These functions turn a name into the id it labels: the id itself, else the one label equal
to it (compared after Unicode NFKC normalisation, so full- and half-width forms and stray spaces agree). A name two
things carry is refused with both ids, never guessed. Used by `decide`, `due` and the rule tests.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from .matrices import InputError
from .model import Matrix, Project


def _same(a: str, b: str) -> bool:
    return unicodedata.normalize("NFKC", a).strip() == unicodedata.normalize("NFKC", b).strip()


def _one(name: str, candidates: Iterable[tuple[str, str]], what: str) -> str | None:
    """The id of `name` among (id, label) pairs: by id first, else by label; None when nothing is called so."""
    candidates = list(candidates)
    if any(i == name for i, _ in candidates):
        return name
    found = sorted({i for i, label in candidates if label and _same(label, name)})
    if len(found) > 1:
        raise InputError(f"'{name}' names several {what}: {', '.join(found)}; write the id")
    return found[0] if found else None


def matrix_id(project: Project, name: str) -> str | None:
    """The approval matrix called `name` (its id or its title)."""
    return _one(name, ((m.id, m.title) for m in project.matrices.values()), "approval matrices")


def rule_id(project: Project, name: str, kind: str | None = None) -> str | None:
    """The rule called `name` (its id or its name), of `kind` if given (service-level, escalation, kpi)."""
    return _one(name, ((r.id, r.name) for r in project.rules.values() if kind is None or r.kind == kind), "rules")


def matrix_inputs(matrix: Matrix, raw: Mapping[str, object]) -> dict[str, object]:
    """`raw` with every input named by id or label turned to its id, and every enum value by id or label to its
    id. Names that are neither are left as they are, for matrices.parse_inputs to report."""
    values: dict[str, object] = {}
    for name, value in raw.items():
        input_id = _one(str(name), ((i.id, i.label) for i in matrix.inputs), f"inputs of {matrix.id}") or name
        if input_id in values:
            raise InputError(f"the input '{input_id}' is given twice (as '{name}' and by another name)")
        spec = next((i for i in matrix.inputs if i.id == input_id), None)
        if spec is not None and spec.type == "enum":
            found = _one(str(value), spec.values, f"values of {input_id}")
            if found is None:
                raise InputError(f"{input_id} ({spec.label}) = {value!r} is not one of: "
                                 + ", ".join(f"{i} ({label})" for i, label in spec.values))
            value = found
        values[input_id] = value
    return values
