"""Readable views of matrices and rule tables, shared by every renderer (HTML now; PDF and DOCX later).

Boundaries are printed so no reader can misread them: "1,000 元（含）以下", "1,000 元以上至 5,000 元（含）",
"5,000 元以上", with "（含）"/"(inclusive)" wherever a bound belongs to the row.
"""

from __future__ import annotations

from ..language import format_number, format_target, strings
from ..model import Matrix, MatrixInput, Project, Rule, RuleSet

_MONEY = {
    "zh": {"inc": "（含）", "exc": "（不含）", "above": "以上", "below": "以下", "to": "至 "},
    "en": {"inc": " (inclusive)", "exc": " (exclusive)", "above": "over ", "below": "up to ", "to": " to "},
}


def _amount(value, spec: MatrixInput, language: str) -> str:
    number = format_number(value)
    if language == "en":
        return f"{number} {spec.currency}"
    return f"{number} 元" if spec.currency == "CNY" else f"{number} {spec.currency}"


def describe_interval(cond: dict, spec: MatrixInput, language: str) -> str:
    w = _MONEY["en" if language == "en" else "zh"]
    lower_key = "gt" if "gt" in cond else "ge" if "ge" in cond else None
    upper_key = "lt" if "lt" in cond else "le" if "le" in cond else None
    if lower_key == "ge" and cond["ge"] <= spec.minimum:
        lower_key = None  # "from the smallest possible amount" is no bound at all
    upper = lambda: _amount(cond[upper_key], spec, language) + (w["inc"] if upper_key == "le" else w["exc"])  # noqa: E731
    if language == "en":
        if lower_key is None and upper_key is None:
            return strings(language)["any"]
        lower = (("over " if lower_key == "gt" else "from ") + _amount(cond[lower_key], spec, language)
                 + ("" if lower_key == "gt" else w["inc"])) if lower_key else ""
        if upper_key is None:
            return lower
        return (lower + " to " if lower else "up to ") + upper()
    if lower_key is None and upper_key is None:
        return strings(language)["any"]
    lower = ""
    if lower_key:
        lower = _amount(cond[lower_key], spec, language) + ("" if lower_key == "gt" else w["inc"]) + w["above"]
    if upper_key is None:
        return lower
    if not lower:
        return upper() + w["below"] if upper_key == "le" else _amount(cond[upper_key], spec, language) + w["below"] + w["exc"]
    return lower + w["to"] + upper()


def describe_condition(cond, spec: MatrixInput, language: str) -> str:
    s = strings(language)
    if cond == "any" or cond is None:
        return s["any"]
    if spec.type == "money":
        return describe_interval(cond, spec, language)
    if spec.type == "enum":
        labels = dict(spec.values)
        return s["and"].join(labels.get(v, v) for v in cond)
    yes_no = {"zh-Hans": ("是", "否"), "zh-Hant": ("是", "否"), "en": ("Yes", "No")}[language]
    return yes_no[0] if cond else yes_no[1]


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
    from ..language import article_label

    if not rule.stated_in:
        return ""
    reg_id, article_id = rule.stated_in.split("/")
    reg = project.regulations[reg_id]
    article = reg.article(article_id)
    title = reg.title if language == "en" else f"《{reg.title}》"
    return f"{title}{article_label(article.number, language)}"
