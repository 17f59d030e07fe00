"""Readable views of matrices and rule tables, shared by every renderer (HTML, PDF, DOCX).

The wording of every cell (bounds such as "1,000元以下（含）", "超过1,000元至5,000元（含）", "超过5,000元"; rule values)
is language.py's.
"""

from __future__ import annotations

from ..language import article_label, describe_condition, format_date, format_target, quoted, strings
from ..model import Matrix, Project, Regulation, Rule, RuleSet


def effective_date_stated(reg: Regulation) -> bool:
    """Whether the regulation states its effective date, so that its header may print it. A regulation whose
    author wrote the effective clause without the date (本办法自发布之日起施行) has a stand-in `effective` for the
    metadata, which must not print as if it were real."""
    for article in reg.articles:
        if article.clause == "effective":
            printed = format_date(reg.effective, reg.language)
            return article.generated or any(printed in p.text.raw for p in article.paragraphs)
    return True


def matrix_table(project: Project, matrix: Matrix, language: str) -> dict:
    """Header and body cells of an approval matrix as a 核决权限表."""
    org = project.organization
    header = [i.label for i in matrix.inputs] + [strings(language)["approvers"]]
    body = []
    for row in matrix.rows:
        cells = [describe_condition(row.conditions.get(i.id, "any"), i, language) for i in matrix.inputs]
        cells.append(strings(language)["then"].join(org.roles[r].name_in(language) for r in row.approvers))
        body.append(cells)
    return {"title": matrix.title, "header": header, "rows": body}


def rules_table(project: Project, ruleset: RuleSet, language: str) -> dict:
    s = strings(language)
    header = [s["rule"], s["value"], s["stated_in"]]
    body = []
    for rule in ruleset.rules:
        body.append([rule.name + (f"（{rule.measure}）" if rule.measure and rule.kind != "escalation" and language != "en" else ""),
                     _rule_value(rule, language), _stated_in(project, rule, language)])
    return {"title": ruleset.title, "header": header, "rows": body}


def _rule_value(rule: Rule, language: str) -> str:
    value = format_target(rule.target_on(None), language)
    if rule.kind == "escalation":
        metric = rule.measure or ""
        return f"{metric} {value} → {rule.action}"
    return value


def _stated_in(project: Project, rule: Rule, language: str) -> str:
    if not rule.stated_in:
        return ""
    reg_id, article_id = rule.stated_in.split("/")
    reg = project.regulations[reg_id]
    article = reg.article(article_id)
    return f"{quoted(reg.title, language)}{article_label(article.number, language)}"
