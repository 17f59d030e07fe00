"""Rules compared by rule id: every value with its unit and its `from` date."""

from __future__ import annotations

from ..language import format_target
from ..model import Project, Rule
from .changes import RuleChange
from ..formats import decimal_text
from .values import ordered_ids


def _target_snapshot(target, language: str) -> dict:
    snap = {"value": decimal_text(target.value), "unit": target.unit, "from": target.since,
            "comparator": target.comparator, "anchor": target.anchor, "day": target.day,
            "weekday": target.weekday, "time": target.time}
    snap = {k: v for k, v in snap.items() if v is not None or k in ("value", "unit", "from")}
    snap["text"] = format_target(target, language)
    return snap


def _rule_snapshot(rule: Rule, ruleset_id: str, language: str) -> dict:
    snap = {"name": rule.name, "kind": rule.kind, "ruleset": ruleset_id,
            "targets": [_target_snapshot(t, language) for t in rule.targets]}
    for name in ("measure", "channel", "period", "responsible", "action", "escalate_to", "stated_in"):
        snap[name] = getattr(rule, name)
    return snap


def _all_rules(project: Project) -> dict[str, tuple[Rule, str, str]]:
    return {r.id: (r, rs.id, rs.language) for rs in project.rulesets.values() for r in rs.rules}


def _compare_rules(old: Project, new: Project) -> list[RuleChange]:
    before, after = _all_rules(old), _all_rules(new)
    out = []
    for rule_id in ordered_ids(before, after):
        if rule_id not in after:
            rule, rs_id, lang = before[rule_id]
            out.append(RuleChange(rule_id, "removed", rs_id, lang, _rule_snapshot(rule, rs_id, lang), None))
            continue
        rule, rs_id, lang = after[rule_id]
        new_snap = _rule_snapshot(rule, rs_id, lang)
        if rule_id not in before:
            out.append(RuleChange(rule_id, "added", rs_id, lang, None, new_snap,
                                  effective_from=rule.targets[0].since))
            continue
        old_rule, old_rs, old_lang = before[rule_id]
        old_snap = _rule_snapshot(old_rule, old_rs, old_lang)
        changed = [k for k in new_snap if new_snap[k] != old_snap.get(k)]
        if changed:
            fresh = [t for t in new_snap["targets"] if t not in old_snap["targets"]]
            out.append(RuleChange(rule_id, "changed", rs_id, lang, old_snap, new_snap, changed,
                                  effective_from=fresh[0]["from"] if fresh else None))
    return out
