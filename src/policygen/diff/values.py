"""Values as the diff compares and publishes them: ids in a stable order, numbers as exact decimal strings."""

from __future__ import annotations

from decimal import Decimal

from ..formats import decimal_text
from .changes import ValueChange


def ordered_ids(old: dict, new: dict) -> list[str]:
    return sorted(set(old) | set(new))


def json_value(value, numbers_as_text: bool = True):
    """Model values as JSON: amounts and rule values as decimal strings ("5000", "999.99"), exact as written;
    with `numbers_as_text=False` whole numbers stay numbers (form layout: widths, spans, lines)."""
    if isinstance(value, Decimal) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return decimal_text(value) if numbers_as_text or not isinstance(value, int) else value
    if isinstance(value, dict):
        return {str(k): json_value(v, numbers_as_text) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v, numbers_as_text) for v in value]
    return value


def value_changes(old: dict, new: dict) -> list[ValueChange]:
    return [ValueChange(k, json_value(old.get(k), False), json_value(new.get(k), False))
            for k in list(old) + [k for k in new if k not in old] if old.get(k) != new.get(k)]
