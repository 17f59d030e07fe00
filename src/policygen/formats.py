"""Dates and times as policygen reads them: strictly, ISO forms only, and only ones that exist; and numbers as
the published formats write them (`decimal_text`).

One place for what a date is: the input schemas assert these as `format`s (`FORMAT_CHECKER`, used by
`schemas` and `precheck`), and the command line, the rule tests and the rule reader parse with the same
functions, so `2026-02-30`, `2026-9-30` and `tomorrow` are refused everywhere with the same words.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from jsonschema import FormatChecker

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]", re.ASCII)
_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T](([01][0-9]|2[0-3]):[0-5][0-9])", re.ASCII)


class DateError(ValueError):
    """A date or time that is not written in the ISO form, or that does not exist. The message says which."""


def parse_date(text: object) -> date:
    """YYYY-MM-DD, a day that exists: '2026-02-28' → date(2026, 2, 28). DateError otherwise."""
    if isinstance(text, date) and not isinstance(text, datetime):
        return text
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        raise DateError(f"{_show(text)} is not a date written YYYY-MM-DD (e.g. 2026-09-30)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DateError(f"{_show(text)} is not a date that exists{_why(text)}") from None


def parse_datetime(text: object) -> datetime:
    """YYYY-MM-DD HH:MM (or with a T), a day that exists, no seconds, no time zone. DateError otherwise."""
    if isinstance(text, datetime):
        return text
    match = _DATETIME.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise DateError(f"{_show(text)} is not a time written 'YYYY-MM-DD HH:MM' (e.g. '2026-09-30 17:00')")
    day = parse_date(match.group(1))
    hours, minutes = match.group(2).split(":")
    return datetime(day.year, day.month, day.day, int(hours), int(minutes))


def format_datetime(moment: datetime) -> str:
    """'YYYY-MM-DD HH:MM', four-digit years included (strftime writes the year 1 as '1')."""
    return moment.isoformat(sep=" ", timespec="minutes")


def is_time(text: object) -> bool:
    return isinstance(text, str) and _TIME.fullmatch(text) is not None


def _show(text: object) -> str:
    shown = repr(text) if not isinstance(text, str) else f"'{text}'"
    return shown if len(shown) <= 40 else shown[:37] + "...'"


def _why(text: str) -> str:
    import calendar

    year, month, day = (int(p) for p in text.split("-"))
    if not 1 <= month <= 12:
        return f": there is no month {month}"
    if year == 0:
        return ": there is no year 0"
    last = calendar.monthrange(year, month)[1]
    return f": {year}-{month:02d} has {last} days" if day > last or day == 0 else ""


FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date", raises=DateError)
def _check_date(value: object) -> bool:
    return not isinstance(value, str) or bool(parse_date(value))


@FORMAT_CHECKER.checks("policygen-local-datetime", raises=DateError)
def _check_datetime(value: object) -> bool:
    return not isinstance(value, str) or bool(parse_datetime(value))


def decimal_text(value) -> str | None:
    """A number as the exports and the diff publish it: exact, without exponent or trailing zeros ("5000",
    "999.99"); None stays None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
