"""Validate stage, second half: checks across documents, run on the typed model.

Schema checks (per file) come first, in `project.py`; these find what no single schema can see: ids used twice,
references to departments, roles, articles, rules, forms and matrices that do not exist, cycles, and matrix rows
that do not fit the matrix inputs. Every problem found is reported; nothing stops at the first.
"""

from __future__ import annotations

import re

from .diagnostics import Diagnostic, Severity
from .due import CalendarDataError, WorkCalendar
from .model import Form, Matrix, Project, Regulation, Text, Where
from .matrices import check_matrix, off_grid
from .procedures import check_procedure
from .references import Ref, parse


def validate_model(project: Project, duplicate_docs: list[tuple[str, Where, Where]]) -> list[Diagnostic]:
    checker = _Checker(project)
    for doc_id, where, other in duplicate_docs:
        line = other.source.position(other.path + ("id",))[0]
        checker.out.append(where.at("id").diagnostic(
            "PG-REF-001", f"the id '{doc_id}' is also used by {other.source.name}:{line}"))
    checker.run()
    return checker.out


def validate_outputs(project: Project) -> list[Diagnostic]:
    """What the configured outputs need beyond the documents being right, checked before anything is written:
    every printed character in some font (PDF, PG-RENDER-002), every copy of a form on one sheet (PG-FORM-101,
    a warning) and every PRIORITY matrix expressible as DMN
    (rules, PG-RENDER-003). `validate` and `build` both run these, so "0 errors" means the build will pass."""
    out: list[Diagnostic] = []
    outputs = project.config.outputs
    if "pdf" in outputs:
        from .render.pdf import check_fonts

        out += check_fonts(project)
    if "pdf" in outputs or "docx" in outputs:
        from .render.form_sheet import check_sheets

        out += check_sheets(project)  # a copy of a form is one sheet in an office (PG-FORM-101)
    if "rules" in outputs:
        from .render.dmn import DmnError, priority_order

        for m in project.matrices.values():
            if m.hit_policy == "priority":
                try:
                    priority_order(m)
                except DmnError as exc:
                    out.append(m.where.at("priority").diagnostic("PG-RENDER-003", str(exc)))
    return out


class _Checker:
    def __init__(self, project: Project):
        self.p = project
        self.out: list[Diagnostic] = []
        self.used: set[tuple[str, str]] = set()  # (kind, id) of forms, matrices, rules documents referenced
        self.all_rules = project.rules  # a property that builds the table: once here, not per reference
        self.unchecked = project.unchecked
        self.ruleset_of: dict[str, str] = {}  # rule id -> id of the first rules document that has it
        for rs in project.rulesets.values():
            for rule in rs.rules:
                self.ruleset_of.setdefault(rule.id, rs.id)

    def run(self) -> None:
        org = self.p.organization
        if org is not None:
            self.organization()
        regs = self.p.regulations.values()
        for reg in regs:
            self.regulation(reg)
        self._cycles({r.id: list(r.supersedes) for r in regs}, {r.id: r.where.at("supersedes") for r in regs},
                     "regulations superseding each other")
        self.rules()
        for m in self.p.matrices.values():
            self.matrix(m)
        for f in self.p.forms.values():
            self.form(f)
        for t in self.p.tests.values():
            self.cases(t)
        for proc in self.p.procedures.values():
            self.procedure(proc)
        self.unused()

    # -- helpers ---------------------------------------------------------------------------------------------

    def error(self, where: Where, code: str, message: str, **kw) -> None:
        self.out.append(where.diagnostic(code, message, **kw))

    def department(self, dep_id: str | None, where: Where) -> None:
        org = self.p.organization
        if dep_id is not None and org is not None and dep_id not in org.departments:
            self.error(where, "PG-REF-003", f"no department has the id '{dep_id}'", hint=_suggest(dep_id, org.departments))

    def role(self, role_id: str, where: Where) -> None:
        org = self.p.organization
        if org is not None and role_id not in org.roles:
            self.error(where, "PG-REF-004", f"no role has the id '{role_id}'", hint=_suggest(role_id, org.roles))

    def stated_in(self, ref: str | None, where: Where) -> None:
        if ref is None:
            return
        reg_id, article_id = ref.split("/")
        reg = self.p.regulations.get(reg_id)
        if reg is None:
            if not self.unchecked.covers(reg_id):
                self.error(where, "PG-REF-007", f"no regulation has the id '{reg_id}'", hint=_suggest(reg_id, self.p.regulations))
        elif reg.article(article_id) is None:
            self.error(where, "PG-REF-007", f"the regulation '{reg_id}' has no article '{article_id}'",
                       hint=_suggest(article_id, {a.id: a for a in reg.articles}))

    def text(self, text: Text, regulation: Regulation | None = None) -> None:
        segments, errors = parse(text.raw)
        for err in errors:
            self.error(text.where, "PG-REF-006", err.message)
        for seg in segments:
            if isinstance(seg, Ref):
                self.reference(seg, text.where, regulation)

    def reference(self, ref: Ref, where: Where, regulation: Regulation | None) -> None:
        p = self.p
        kind, target = ref.kind, ref.target
        if kind == "company" or (kind in ("department", "role") and p.organization is None):
            return  # without one organization document there is nothing to check names against
        if kind == "article":
            if "/" in target:
                reg_id, article_id = target.split("/")
                reg = p.regulations.get(reg_id)
            else:
                reg, article_id, reg_id = regulation, target, regulation.id if regulation else None
            if reg is None:
                if reg_id and self.unchecked.covers(reg_id):
                    return
                self.error(where, "PG-REF-005", f"[[article:{target}]]: no regulation '{reg_id}'" if reg_id else
                           f"[[article:{target}]]: outside a regulation, write [[article:REGULATION/{target}]]")
            elif reg.article(article_id) is None:
                self.error(where, "PG-REF-005", f"[[article:{target}]]: the regulation '{reg.id}' has no article '{article_id}'",
                           hint=_suggest(article_id, {a.id: a for a in reg.articles if not a.generated}))
            return
        table = {"rule": self.all_rules, "form": p.forms, "matrix": p.matrices, "regulation": p.regulations,
                 "procedure": p.procedures,
                 "department": p.organization.departments if p.organization else {},
                 "role": p.organization.roles if p.organization else {}}[kind]
        if target not in table:
            if self.unchecked.covers(target, target if kind == "rule" else None):
                return
            self.error(where, "PG-REF-005", f"[[{kind}:{target}]]: no {kind} has the id '{target}'", hint=_suggest(target, table))
        elif kind in ("form", "matrix", "procedure"):
            self.used.add((kind, target))
        elif kind == "rule":
            self.used.add(("rules", self.ruleset_of[target]))

    # -- documents -------------------------------------------------------------------------------------------

    def organization(self) -> None:
        org = self.p.organization
        for dup_id, where in org.duplicates:
            self.error(where, "PG-REF-002", f"the id '{dup_id}' is used by another department or role")
        for dep in org.departments.values():
            self.department(dep.parent, dep.where.at("parent"))
        for role in org.roles.values():
            self.department(role.department, role.where.at("department"))
        for person in org.people:
            for i, role_id in enumerate(person.roles):
                self.role(role_id, person.where.at("roles", i))
        self._cycles({d.id: [d.parent] if d.parent else [] for d in org.departments.values()},
                     {d.id: d.where.at("parent") for d in org.departments.values()}, "department parents")
        try:
            WorkCalendar.from_organization(org)
        except CalendarDataError as exc:
            self.error(org.where.at(*exc.path), "PG-RULES-004", str(exc))

    def regulation(self, reg: Regulation) -> None:
        self.department(reg.issued_by, reg.where.at("issued_by"))
        self.department(reg.interpreted_by, reg.where.at("interpreted_by"))
        seen: dict[str, Where] = {}
        for article in reg.articles:
            if article.id in seen and not article.generated:
                line = seen[article.id].source.position(seen[article.id].path)[0]
                self.error(article.where.at("id"), "PG-REF-002", f"the article id '{article.id}' is already used at line {line}")
            seen.setdefault(article.id, article.where)
        for text in reg.preamble:
            self.text(text, reg)
        for article in reg.articles:
            for paragraph in article.paragraphs:
                if paragraph.table is not None:
                    self.table(paragraph.table, reg)
                    continue
                self.text(paragraph.text, reg)
                for item in paragraph.items:
                    self.text(item.text, reg)
                    for sub in item.subitems:
                        self.text(sub, reg)
        self._revisions(reg)
        for i, sup in enumerate(reg.supersedes):
            if sup not in self.p.regulations and not self.unchecked.covers(sup):
                self.error(reg.where.at("supersedes", i), "PG-REF-007", f"no regulation has the id '{sup}'")
        for att in reg.attachments:
            table = {"form": self.p.forms, "matrix": self.p.matrices, "rules": self.p.rulesets,
                     "procedure": self.p.procedures}[att.kind]
            if att.target in table:
                self.used.add((att.kind, att.target))
            elif not self.unchecked.covers(att.target):
                self.error(att.where, "PG-REF-007", f"the attachment names the {att.kind} '{att.target}', which does not exist",
                           hint=_suggest(att.target, table))

    def table(self, table, reg: Regulation) -> None:
        """A table paragraph: its texts, and rows that fill its columns exactly (merged cells counted)."""
        from .tables import place

        for label, _ in table.columns:
            self.text(label, reg)
        for row in table.rows:
            for cell in row:
                if cell.text.raw:
                    self.text(cell.text, reg)
        for r, message in place(table)[1]:
            self.error(table.where.at("rows", r), "PG-TABLE-001", message,
                       hint="give every row as many cells as there are columns, counting colspan and the rowspan of cells above")

    def _revisions(self, reg: Regulation) -> None:
        """The revision record (修订记录): versions increase and dates do not go back."""
        for i in range(1, len(reg.revisions)):
            before, after = reg.revisions[i - 1], reg.revisions[i]
            where = reg.where.at("revisions", i)
            if _version_key(after.version) <= _version_key(before.version):
                self.error(where.at("version"), "PG-REVISION-001",
                           f"version {after.version} does not come after {before.version}")
            if after.date < before.date:
                self.error(where.at("date"), "PG-REVISION-001", f"the date {after.date} is before {before.date}")

    def rules(self) -> None:
        seen: dict[str, Where] = {}
        for rs in self.p.rulesets.values():
            for rule in rs.rules:
                if rule.id in seen:
                    first = seen[rule.id]
                    self.error(rule.where.at("id"), "PG-REF-002",
                               f"the rule id '{rule.id}' is already used at {first.source.name}:{first.source.position(first.path)[0]}")
                seen.setdefault(rule.id, rule.where)
                self.stated_in(rule.stated_in, rule.where.at("stated_in"))
                if rule.responsible is not None:
                    org = self.p.organization
                    if org is not None and rule.responsible not in org.roles and rule.responsible not in org.departments:
                        self.error(rule.where.at("responsible"), "PG-REF-004",
                                   f"no role or department has the id '{rule.responsible}'")
                if rule.escalate_to is not None:
                    self.role(rule.escalate_to, rule.where.at("to"))

    def matrix(self, m: Matrix) -> None:
        before = len(self.out)
        self._matrix_fits(m)
        if not any(d.is_error for d in self.out[before:]):  # prove only a matrix whose rows fit its inputs
            self.out.extend(check_matrix(m))

    def _matrix_fits(self, m: Matrix) -> None:
        self.stated_in(m.stated_in, m.where.at("stated_in"))
        inputs = {i.id: i for i in m.inputs}
        for k, spec in enumerate(m.inputs):
            if spec.type == "money" and (near := off_grid(spec.minimum)):
                self.error(m.where.at("inputs", k, "minimum"), "PG-REF-010",
                           f"the minimum {spec.minimum} is not an amount in {spec.currency} (at most two decimals)",
                           hint=f"the nearest allowed amounts are {near[0]} and {near[1]}")
        if len(inputs) != len(m.inputs):
            self.error(m.where.at("inputs"), "PG-REF-002", "two inputs have the same id")
        for i, role_id in enumerate(m.priority):
            self.role(role_id, m.where.at("priority", i))
        if m.hit_policy == "priority" and not m.priority:
            self.error(m.where.at("hit_policy"), "PG-REF-010", "hit_policy priority needs a `priority` list of roles")
        for row in m.rows:
            for j, role_id in enumerate(row.approvers):
                self.role(role_id, row.where.at("approvers", j))
            for input_id, condition in row.conditions.items():
                where = row.where.at("when", input_id)
                spec = inputs.get(input_id)
                if spec is None:
                    self.error(where, "PG-REF-010", f"the row has a condition on '{input_id}', which is not an input",
                               hint="the inputs are: " + ", ".join(inputs))
                elif condition != "any":
                    self._condition(spec, condition, where)

    def _condition(self, spec, condition, where: Where) -> None:
        expected = {"money": dict, "enum": list, "boolean": bool}[spec.type]
        if not isinstance(condition, expected):
            shape = {"money": "an interval such as {gt: 1000, le: 5000}", "enum": "a list of value ids",
                     "boolean": "true or false"}[spec.type]
            self.error(where, "PG-REF-010", f"the input '{spec.id}' is {spec.type}: its condition must be {shape}")
        elif spec.type == "enum":
            known = {v for v, _ in spec.values}
            for k, value in enumerate(condition):
                if value not in known:
                    self.error(where.at(k), "PG-REF-010", f"'{value}' is not a value of the input '{spec.id}'",
                               hint="the values are: " + ", ".join(sorted(known)))
        elif spec.type == "money":
            for bound, value in condition.items():
                if near := off_grid(value):
                    self.error(where.at(bound), "PG-REF-010",
                               f"the bound {bound}: {value} is not an amount in {spec.currency} (at most two decimals)",
                               hint=f"the nearest allowed amounts are {near[0]} and {near[1]}")
                    return
            low = condition.get("gt", condition.get("ge"))
            high = condition.get("lt", condition.get("le"))
            if low is not None and high is not None and (low > high or (low == high and ("gt" in condition or "lt" in condition))):
                self.error(where, "PG-REF-010", f"the interval {dict(condition)} contains no amount")

    def form(self, f: Form) -> None:
        self.department(f.owner, f.where.at("owner"))
        self.stated_in(f.stated_in, f.where.at("stated_in"))
        for i, copy in enumerate(f.copies):
            self.department(copy.keeper, f.where.at("copies", i, "keeper"))
        seen: set[str] = set()
        for field in f.fields:
            if field.id is not None:
                if field.id in seen:
                    self.error(field.where.at("id"), "PG-REF-002", f"the field id '{field.id}' is used twice in this form")
                seen.add(field.id)
            if field.type == "approval":
                matrix_id = field.attrs["matrix"]
                if matrix_id in self.p.matrices:
                    self.used.add(("matrix", matrix_id))
                elif not self.unchecked.covers(matrix_id):
                    self.error(field.where.at("matrix"), "PG-REF-007", f"no approval matrix has the id '{matrix_id}'",
                               hint=_suggest(matrix_id, self.p.matrices))
            if field.type == "notes":
                self.text(Text(field.attrs["text"], field.where.at("text")))

    def procedure(self, proc) -> None:
        """The names a procedure uses (owners, forms, rules, the article that states it), then its flow."""
        org = self.p.organization
        self.stated_in(proc.stated_in, proc.where.at("stated_in"))
        for i, lane in enumerate(proc.where.source.data.get("lanes", [])):  # the others are owners, checked below
            if org is not None and lane not in org.roles and lane not in org.departments:
                self.error(proc.where.at("lanes", i), "PG-REF-004", f"no role or department has the id '{lane}'",
                           hint=_suggest(lane, [*org.roles, *org.departments]))
        for step in proc.steps:
            if step.owner is not None and org is not None and step.owner not in org.roles and step.owner not in org.departments:
                self.error(step.where.at("owner"), "PG-REF-004", f"no role or department has the id '{step.owner}'",
                           hint=_suggest(step.owner, [*org.roles, *org.departments]))
            if step.form is not None:
                if step.form in self.p.forms:
                    self.used.add(("form", step.form))
                else:
                    self.error(step.where.at("form"), "PG-REF-007", f"no form has the id '{step.form}'",
                               hint=_suggest(step.form, self.p.forms))
            rule_id = (step.deadline or {}).get("rule")
            if rule_id is not None:
                if rule_id in self.all_rules:
                    self.used.add(("rules", self.ruleset_of[rule_id]))
                else:
                    self.error(step.where.at("deadline", "rule"), "PG-REF-007", f"no rule has the id '{rule_id}'",
                               hint=_suggest(rule_id, self.all_rules))
            for text in (step.name, step.notes):
                if text is not None:
                    self.text(text)
        self.out.extend(check_procedure(proc))

    def cases(self, tests) -> None:
        for case in tests.cases:
            table = self.p.matrices if case.kind == "decision" else self.all_rules
            if case.target not in table and not self.unchecked.covers(case.target, case.target):
                what = "approval matrix" if case.kind == "decision" else "rule"
                self.error(case.where.at("matrix" if case.kind == "decision" else "rule"), "PG-REF-007",
                           f"no {what} has the id '{case.target}'", hint=_suggest(case.target, table))

    def unused(self) -> None:
        unchecked = self.unchecked
        if unchecked.anonymous:
            return  # a document that could not be read at all may be the one that refers to them
        for kind, table in (("form", self.p.forms), ("matrix", self.p.matrices), ("rules", self.p.rulesets),
                            ("procedure", self.p.procedures)):
            for doc_id, doc in table.items():
                used_by_unchecked = doc_id in unchecked.used or (
                    kind == "rules" and any(rule.id in unchecked.used for rule in doc.rules))
                if (kind, doc_id) not in self.used and not used_by_unchecked:
                    self.error(doc.where.at("id"), "PG-REF-101", f"the {kind} '{doc_id}' is not referenced by any document",
                               severity=Severity.WARNING)

    def _cycles(self, edges: dict[str, list[str]], where: dict[str, Where], what: str) -> None:
        state: dict[str, int] = {}
        reported: set[frozenset] = set()

        def visit(node: str, trail: list[str]) -> None:
            state[node] = 1
            for nxt in edges.get(node, []):
                if state.get(nxt) == 1:
                    cycle = trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        self.error(where[node], "PG-REF-008", f"{what} form a cycle: " + " → ".join(cycle))
                elif state.get(nxt) is None and nxt in edges:
                    visit(nxt, trail + [nxt])
            state[node] = 2

        for node in sorted(edges):
            if node not in state:
                visit(node, [node])


def _version_key(version: str) -> tuple:
    """1.10 comes after 1.9: compare dotted versions part by part, numbers as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", version))


def _suggest(wrong: str, known) -> str | None:
    import difflib

    close = difflib.get_close_matches(wrong, list(known), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return None
