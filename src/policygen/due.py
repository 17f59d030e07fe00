"""Due times: when a service rule's target falls due, counted from a start time on China's working calendar.

    >>> cal = WorkCalendar.from_data({"start": "08:30", "end": "17:30"}, None)
    >>> due_time(Target(value=1, unit="working-days"), datetime(2026, 9, 30, 17, 0), cal).due
    datetime.datetime(2026, 10, 8, 17, 30)

**Times.** Every time is a naive local time in China Standard Time (UTC+8, no daylight saving). A start time
that carries a time zone is refused (ValueError) rather than silently converted.

**Working days.** Weekends are days off, statutory holidays are days off and make-up working days (调休, e.g.
Saturday 2026-10-10) are working days, as the maintained `chinesecalendar` library (import name
`chinese_calendar`) records them for the years it knows. The organization's `calendar.overrides` (``{date,
workday, name?}``) win over the library, for company days off or corrections. For a year the library does not
know, the overrides are trusted only when the year is listed in `calendar.covers` (the overrides then describe
every holiday and make-up day of that year; the remaining days follow the weekend rule). A date in any other
year raises `CalendarError`, never a guess -- even a date that has an override of its own, because the days
around it would be guesses. For a year the library knows, listing it in `covers` changes nothing: the library
still answers every day that has no override.

**Business hours** come from the organization's ``business_hours`` (``{start, end, lunch?: {start, end}}``);
without them 09:00-18:00 without lunch.

**Units** (see `due_time`): seconds, minutes, hours and calendar-days are elapsed time; working-hours and
working-days follow the working calendar; rings have no clock time; immediate is due at the start; monthly and
weekly anchors are calendar dates. Only working-hours and working-days need the holiday schedule: every day they
walk over must lie in a known year (`CalendarError` otherwise, with a hint that shows how to add the year). The
other units work in any year; they name the holidays they know of in their explanation.

The explanation lines (`Due.steps`) are written in Simplified Chinese, the language of the regulations the
rules come from. Nothing here prints.
"""

from __future__ import annotations

import calendar as _gregorian
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Mapping

import chinese_calendar

from .language import format_number
from .model import Target

__all__ = ["CalendarDataError", "CalendarError", "Due", "DueError", "WorkCalendar", "due_time"]

# The years the library has data for: it refuses any date outside [first holiday year, last holiday year].
_LIBRARY_FIRST = min(chinese_calendar.holidays).year
_LIBRARY_LAST = max(chinese_calendar.holidays).year
LIBRARY = "chinesecalendar"
try:
    from importlib.metadata import version as _version

    LIBRARY_VERSION = _version("chinesecalendar")
except Exception:  # pragma: no cover (installed without metadata)
    LIBRARY_VERSION = getattr(chinese_calendar, "__version__", "unknown")

# The library names holidays in English; these are the names Chinese regulations use.
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

_WEEKDAY_IDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

WORKDAY = "工作日"
WEEKEND = "周末"
MAKEUP = "调休上班"
COMPANY_DAY_OFF = "公司休息日"

_DEFAULT_HOURS = {"start": "09:00", "end": "18:00"}
_ELAPSED = {"seconds": 1, "minutes": 60, "hours": 3600}
_UNIT_WORDS = {"seconds": "秒", "minutes": "分钟", "hours": "小时", "calendar-days": "个日历日",
               "working-hours": "个工作小时", "working-days": "个工作日", "rings": "声"}


class CalendarError(ValueError):
    """A working-day rule needs a date in a year that neither the `chinesecalendar` library nor the organization's
    `calendar.covers` describes, so whether it is a working day is unknown. `date` is the first such date met;
    `known_years` the years that are known, ascending; `hint` says how to add the year, with a snippet of the
    organization document's `calendar` to paste and complete."""

    def __init__(self, day: date, known_years: tuple[int, ...], covers: frozenset[int] = frozenset()):
        self.date = day
        self.known_years = known_years
        super().__init__(
            f"no working-day calendar for {day.isoformat()}: the year {day.year} is not known "
            f"(known years: {_year_ranges(known_years)}; the installed chinesecalendar {LIBRARY_VERSION} knows "
            f"{_LIBRARY_FIRST}–{_LIBRARY_LAST})")
        years = ", ".join(str(y) for y in sorted(covers | {day.year}))
        self.hint = (
            f"add {day.year} to the organization document, with every holiday and make-up working day of the "
            f"State Council's schedule for {day.year} (policygen never guesses one); paste and complete:\n"
            f"    calendar:\n"
            f"      covers: [{years}]\n"
            f"      overrides:   # keep the overrides you have; the other days of {day.year} follow the weekend rule\n"
            f"        - {{date: \"{day.year}-01-01\", workday: false, name: 元旦}}       # each day off, one line per day\n"
            f"        - {{date: \"{day.year}-MM-DD\", workday: true, name: 调休上班}}   # each make-up working day")


class CalendarDataError(ValueError):
    """Business hours or calendar overrides that make no working calendar; `path` leads to the value inside the
    organization document (("business_hours", "end"), ("calendar", "overrides", 3, "workday"), …)."""

    def __init__(self, message: str, path: tuple = ()):
        super().__init__(message)
        self.path = path


class DueError(ValueError):
    """A due time that cannot be computed from a valid target, e.g. one that falls after 9999-12-31."""


def _year_ranges(years: tuple[int, ...]) -> str:
    """(2004, 2005, 2006, 2027, 2030) → '2004–2006, 2027, 2030'."""
    parts: list[str] = []
    run: list[int] = []
    for y in years:
        if run and y != run[-1] + 1:
            parts.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
            run = []
        run.append(y)
    if run:
        parts.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(parts) or "none"


def _parse_time(text: Any, what: str) -> time:
    if isinstance(text, time):
        return text
    try:
        hours, minutes = str(text).split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not a time written HH:MM") from None


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"calendar override: {value!r} is not a date written YYYY-MM-DD") from None


@dataclass(frozen=True)
class WorkCalendar:
    """Business hours plus the working-day calendar of one organization.

    Build it with `from_organization` (a validated `policygen.model.Organization`) or `from_data` (the plain
    ``business_hours`` and ``calendar`` mappings of an organization document). `day` tells whether a date is a
    working day and why.
    """

    opens: time = time(9, 0)
    closes: time = time(18, 0)
    lunch: tuple[time, time] | None = None
    overrides: tuple[tuple[date, bool, str | None], ...] = ()  # (date, workday, name), by date
    covers: frozenset[int] = frozenset()
    library: bool = True  # False: the chinesecalendar library is not asked (a calendar read from a rule export)
    _by_date: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise CalendarDataError(f"business hours: the start {self.opens:%H:%M} is not before the end "
                                    f"{self.closes:%H:%M}", ("business_hours", "end"))
        if self.lunch is not None:
            start, end = self.lunch
            if not (self.opens <= start < end <= self.closes):
                raise CalendarDataError(f"business hours: the lunch break {start:%H:%M}–{end:%H:%M} is not a period "
                                        f"inside {self.opens:%H:%M}–{self.closes:%H:%M}", ("business_hours", "lunch"))
            if start == self.opens and end == self.closes:
                raise CalendarDataError("business hours: the lunch break takes the whole working day",
                                        ("business_hours", "lunch"))
        for day, workday, name in self.overrides:
            seen = self._by_date.get(day)
            if seen is not None and seen != (workday, name):
                raise CalendarDataError(f"calendar override: {day.isoformat()} is listed twice with different values",
                                        ("calendar", "overrides"))
            self._by_date[day] = (workday, name)

    # --- construction ----------------------------------------------------------------------------------------

    @classmethod
    def from_data(cls, business_hours: Mapping | None, calendar: Mapping | None) -> "WorkCalendar":
        """From the organization document's ``business_hours`` (``{start: "08:30", end: "17:30", lunch?: {start,
        end}}``, None for 09:00–18:00 without lunch) and ``calendar`` (``{overrides?: [{date, workday, name?}],
        covers?: [years]}``, None for none). Raises ValueError for hours that are not a period or a date listed
        twice with different values."""
        hours = business_hours or _DEFAULT_HOURS
        lunch = None
        if hours.get("lunch"):
            lunch = (_parse_time(hours["lunch"]["start"], "lunch start"),
                     _parse_time(hours["lunch"]["end"], "lunch end"))
        calendar = calendar or {}
        overrides = tuple(sorted(
            ((_parse_date(o["date"]), bool(o["workday"]), o.get("name") or None)
             for o in calendar.get("overrides") or ()),
            key=lambda o: o[0]))
        return cls(opens=_parse_time(hours["start"], "business hours start"),
                   closes=_parse_time(hours["end"], "business hours end"),
                   lunch=lunch, overrides=overrides,
                   covers=frozenset(int(y) for y in calendar.get("covers") or ()))

    @classmethod
    def from_export(cls, business_hours: Mapping | None, working_calendar: Mapping) -> "WorkCalendar":
        """From a rule export's ``working_calendar`` (see `export`): every known year with its days off and
        working days listed, the library never asked, so the file alone decides."""
        days = []
        for year in working_calendar["years"]:
            days += [(_parse_date(d["date"]), False, d.get("name")) for d in year["days_off"]]
            days += [(_parse_date(d["date"]), True, d.get("name")) for d in year["working_days"]]
        plain = cls.from_data(business_hours, None)
        return cls(opens=plain.opens, closes=plain.closes, lunch=plain.lunch, overrides=tuple(sorted(days)),
                   covers=frozenset(int(y["year"]) for y in working_calendar["years"]), library=False)

    def export(self) -> dict:
        """The working-day calendar as data another system can evaluate without any holiday library: for every
        known year, the days off and the working days that differ from the weekend rule (Saturday and Sunday off),
        overrides applied, each with its reason; and where each year comes from."""
        years = []
        for year in self.known_years:
            days = self.schedule(year)
            years.append({"year": year, "source": self.source(year),
                          "days_off": [{"date": d.isoformat(), "name": r} for d, w, r in days if not w],
                          "working_days": [{"date": d.isoformat(), "name": r} for d, w, r in days if w]})
        return {"library": {"name": LIBRARY, "version": LIBRARY_VERSION} if self.library else None,
                "weekend": ["saturday", "sunday"], "years": years}

    @classmethod
    def from_organization(cls, org) -> "WorkCalendar":
        """From a `policygen.model.Organization` (its business_hours and calendar)."""
        return cls.from_data(org.business_hours, org.calendar)

    # --- queries ---------------------------------------------------------------------------------------------

    @property
    def known_years(self) -> tuple[int, ...]:
        """Every year whose days are known: the library's years and the years in `covers`, ascending."""
        return tuple(sorted(set(self._library_years) | self.covers))

    @property
    def _library_years(self) -> range:
        return range(_LIBRARY_FIRST, _LIBRARY_LAST + 1) if self.library else range(0)

    def knows(self, year: int) -> bool:
        return year in self._library_years or year in self.covers

    def check(self, first: date, last: date) -> None:
        """Raise CalendarError unless every day from `first` to `last` (inclusive) lies in a known year."""
        for year in range(first.year, last.year + 1):
            if not self.knows(year):
                raise CalendarError(max(first, date(year, 1, 1)), self.known_years, self.covers)

    def day(self, d: date) -> tuple[bool, str]:
        """(is a working day, reason) for a date. Reasons: "工作日", "周末", a holiday name ("国庆节",
        "春节" …), "调休上班（国庆节）" for a make-up working day, or an override's name. An override without a
        name reads "调休上班" (a working weekend day), "工作日" or "公司休息日". Raises CalendarError for a date in
        an unknown year (see the module documentation)."""
        if isinstance(d, datetime):
            d = d.date()
        if not self.knows(d.year):
            raise CalendarError(d, self.known_years, self.covers)
        weekend = d.weekday() >= 5
        override = self._by_date.get(d)
        if override is not None:
            workday, name = override
            if not workday:
                return False, name or COMPANY_DAY_OFF
            if weekend:
                if name is None:
                    return True, MAKEUP
                return True, name if "调休" in name else f"{MAKEUP}（{name}）"
            return True, name or WORKDAY
        if d.year in self._library_years:
            off, name = chinese_calendar.get_holiday_detail(d)
            label = _HOLIDAY_NAMES.get(name, name) if name else None
            if off:
                return False, label or WEEKEND
            if weekend:
                return True, f"{MAKEUP}（{label}）" if label else MAKEUP
            return True, WORKDAY
        return (False, WEEKEND) if weekend else (True, WORKDAY)  # a covered year: overrides + weekends

    def day_if_known(self, d: date) -> tuple[bool, str] | None:
        """`day` for a date in a known year, None for any other (for rules that only name holidays)."""
        return self.day(d) if self.knows(d.year) else None

    def source(self, year: int) -> str:
        """Where a known year's days come from: the library (with its version), the overrides, or both."""
        library = f"{LIBRARY} {LIBRARY_VERSION}"
        overridden = any(day.year == year for day, _, _ in self.overrides)
        if not self.library:
            return "rule export" if year in self.covers else "unknown"
        if year in self._library_years:
            return f"{library} + calendar.overrides" if overridden else library
        return "calendar.overrides (calendar.covers)" if year in self.covers else "unknown"

    def schedule(self, year: int) -> list[tuple[date, bool, str]]:
        """The days of a known year that differ from the weekend rule, and the overrides: (date, workday, reason)
        in date order. Holidays that fall on a weekend are listed too, so each holiday is seen whole."""
        days = {d for d, _, _ in self.overrides if d.year == year}
        if year in self._library_years:
            days |= {d for d in chinese_calendar.holidays if d.year == year}
            days |= {d for d in chinese_calendar.workdays if d.year == year}
        return [(d, *self.day(d)) for d in sorted(days)]

    def periods(self) -> list[tuple[time, time]]:
        """The working periods of a working day: opening to closing, without the lunch break."""
        if self.lunch is None:
            return [(self.opens, self.closes)]
        return [p for p in ((self.opens, self.lunch[0]), (self.lunch[1], self.closes)) if p[0] < p[1]]

    def describe_hours(self) -> str:
        text = f"{self.opens:%H:%M}–{self.closes:%H:%M}"
        if self.lunch:
            text += f"（午休 {self.lunch[0]:%H:%M}–{self.lunch[1]:%H:%M}）"
        return text


@dataclass(frozen=True)
class Due:
    """When a target falls due, and why.

    `due` is None for rings (a count of rings has no clock time). `steps` explains the computation, one line
    each; `skipped` lists, in date order, the non-working days that were not counted, with their reasons: for
    working-hours every non-working day walked over (the start day included when it is one), for working-days
    those after the start day; empty for the other units, which count every day."""

    due: datetime | None
    steps: list[str]
    skipped: list[tuple[date, str]] = field(default_factory=list)


# --- formatting ----------------------------------------------------------------------------------------------

def _d(d: date) -> str:
    return f"{d.isoformat()}（{_WEEKDAY_NAMES[d.weekday()]}）"


def _t(t: datetime | time) -> str:
    return f"{t:%H:%M:%S}" if t.second or t.microsecond else f"{t:%H:%M}"


def _dt(moment: datetime) -> str:
    return f"{moment.date().isoformat()} {_t(moment)}（{_WEEKDAY_NAMES[moment.weekday()]}）"


def _span(span: timedelta) -> str:
    """timedelta(hours=3, minutes=30) → '3 小时 30 分'."""
    seconds = span.total_seconds()
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{int(hours)} 小时")
    if minutes:
        parts.append(f"{int(minutes)} 分")
    if seconds:
        parts.append(f"{format_number(Decimal(str(round(seconds, 6))))} 秒")
    return " ".join(parts) or "0 分"


def _off_words(reason: str) -> str:
    return reason if reason.endswith("休息") or reason.endswith("休息日") else f"{reason}休息"


def _runs(days: list[tuple[date, str]]) -> list[tuple[date, date, str]]:
    """Consecutive days with the same reason, as (first, last, reason)."""
    runs: list[tuple[date, date, str]] = []
    for d, reason in days:
        if runs and runs[-1][1] + timedelta(days=1) == d and runs[-1][2] == reason:
            runs[-1] = (runs[-1][0], d, reason)
        else:
            runs.append((d, d, reason))
    return runs


def _run_text(first: date, last: date) -> str:
    """'2026-10-11（周日）' for one day, '2026-10-01 至 2026-10-07 ' for several (ready to be followed by text)."""
    return _d(first) if first == last else f"{first.isoformat()} 至 {last.isoformat()} "


def _skipped_lines(days: list[tuple[date, str]]) -> list[str]:
    return [f"{_run_text(a, b)}{_off_words(reason)}，不计" for a, b, reason in _runs(days)]


def _day_label(day: date, reason: str) -> str:
    """'2026-10-08（周四）' for an ordinary working day, '2026-10-10（周六）调休上班（国庆节），' otherwise."""
    return _d(day) if reason == WORKDAY else f"{_d(day)}{reason}，"


def _not_moved(day: date, reason: str, how: str) -> str:
    return f"截止日 {_d(day)}不是工作日（{reason}）；{how}"


# --- the computation -----------------------------------------------------------------------------------------

def _amount(target: Target) -> Decimal:
    if target.value is None:
        raise ValueError(f"a target in {target.unit} needs a value")
    value = target.value if isinstance(target.value, Decimal) else Decimal(str(target.value))
    if value <= 0:
        raise ValueError(f"a target in {target.unit} must be greater than 0, not {value}")
    return value


def _whole(value: Decimal, unit: str) -> int:
    if value != value.to_integral_value():
        raise ValueError(f"a target in {unit} must be a whole number, not {format_number(value)}")
    return int(value)


def _seconds(value: Decimal) -> timedelta:
    return timedelta(microseconds=int((value * 1_000_000).to_integral_value()))


def due_time(target: Target, start: datetime, calendar: WorkCalendar) -> Due:
    """The due time of a service-level target counted from `start` (a naive China Standard Time).

    - ``seconds`` / ``minutes`` / ``hours``: plain elapsed time, round the clock, every day of the week
      (fractions allowed: 0.5 hours is 30 minutes).
    - ``calendar-days``: the start plus N days at the same clock time, holidays included; a due day that is not a
      working day is not moved, and the explanation says so. N must be a whole number.
    - ``working-hours``: only time inside business hours on working days counts, lunch excluded; a start outside
      business hours begins at the next opening. A due time that exactly uses up a period is that period's end
      (e.g. 12:00 before lunch, or closing time), not the next opening.
    - ``working-days``: "within N working days": the close of business of the Nth working day after the start
      day. The start day never counts, whatever the hour and whether or not it is a working day. N must be a
      whole number.
    - ``rings``: `due` is None: rings are counted when the call is answered; there is no clock time.
    - ``immediate``: due at the start.
    - monthly anchor ``{day, time?}``: the next occurrence of that day of the month at `time` (default: closing
      time) at or after the start; a month without that day (31 in April) uses its last day. It is a calendar
      date: never moved for a holiday or weekend, and the explanation says when it falls on one.
    - weekly anchor ``{weekday, time?}``: the next such weekday at `time` (default: closing time) at or after the
      start; a calendar date too, never moved.

    For working-hours and working-days, every day from the start day to the due day must lie in a known year of
    the calendar: CalendarError otherwise. A due time after 9999-12-31 raises DueError. A KPI target (a comparison), a missing or non-positive value, or a start with a time zone raise
    ValueError.
    """
    try:
        return _due_time(target, start, calendar)
    except OverflowError:
        raise DueError(f"the due time of {_target_words(target)} from {start.isoformat(sep=' ', timespec='minutes')} "
                       "would fall after 9999-12-31") from None


def _target_words(target: Target) -> str:
    if target.anchor is not None:
        return f"the {target.anchor} anchor"
    if target.value is not None:
        return f"{format_number(Decimal(str(target.value)))} {_UNIT_WORDS.get(target.unit, target.unit)}"
    return target.unit or target.anchor or "the target"


def _due_time(target: Target, start: datetime, calendar: WorkCalendar) -> Due:
    if not isinstance(start, datetime):
        raise TypeError(f"start must be a datetime, not {type(start).__name__}")
    if start.tzinfo is not None:
        raise ValueError("start must be a naive local time (China Standard Time), without tzinfo")
    if target.comparator is not None:
        raise ValueError("a KPI target (a comparison) has no due time")
    if target.anchor == "monthly":
        return _monthly(target, start, calendar)
    if target.anchor == "weekly":
        return _weekly(target, start, calendar)
    unit = target.unit
    if unit == "rings":
        value = format_number(_amount(target))
        return Due(None, [f"目标为 {value} 声内接听：按接听时的响铃声数计，没有截止时刻"], [])
    if unit == "immediate":
        return Due(start, [f"目标为实时：截止时间即起算时间 {_dt(start)}"], [])
    if unit in _ELAPSED:
        value = _amount(target)
        due = start + _seconds(value * _ELAPSED[unit])
        return _elapsed(start, due, f"{format_number(value)} {_UNIT_WORDS[unit]}", "连续计算，不区分工作日与休息日",
                        calendar)
    if unit == "calendar-days":
        days = _whole(_amount(target), unit)
        due = start + timedelta(days=days)
        return _elapsed(start, due, f"{days} {_UNIT_WORDS[unit]}", "节假日照常计算", calendar)
    if unit == "working-hours":
        return _working_hours(_amount(target), start, calendar)
    if unit == "working-days":
        return _working_days(_whole(_amount(target), unit), start, calendar)
    raise ValueError(f"no due time for a target {target!r}")


def _start_line(start: datetime, calendar: WorkCalendar) -> str:
    known = calendar.day_if_known(start.date())
    return f"起算：{_dt(start)}，{known[1]}" if known else f"起算：{_dt(start)}"


_NAMED_DAYS_LIMIT = 3660  # holidays inside an elapsed period are named for periods up to about ten years


def _elapsed(start: datetime, due: datetime, amount: str, how: str, calendar: WorkCalendar) -> Due:
    """Elapsed time needs no working calendar; holidays it knows inside the period are named all the same."""
    steps = [_start_line(start, calendar), f"加 {amount}（{how}）"]
    # Holidays and company days off inside the period are named; plain weekends go without saying.
    off: list[tuple[date, str]] = []
    d = start.date() + timedelta(days=1)
    if (due.date() - d).days <= _NAMED_DAYS_LIMIT:
        while d <= due.date():
            known = calendar.day_if_known(d)
            if known and not known[0] and known[1] != WEEKEND:
                off.append((d, known[1]))
            d += timedelta(days=1)
    steps += [f"期间 {_run_text(a, b)}{_off_words(r)}，照常计入" for a, b, r in _runs(off)]
    steps.append(f"截止：{_dt(due)}")
    known = calendar.day_if_known(due.date())
    if known and not known[0]:
        steps.append(_not_moved(due.date(), known[1], "按日历时间计算，不顺延"))
    return Due(due, steps, [])


def _working_hours(value: Decimal, start: datetime, calendar: WorkCalendar) -> Due:
    remaining = _seconds(value * 3600)
    steps = [_start_line(start, calendar),
             f"加 {format_number(value)} 个工作小时：只计工作日的营业时间 {calendar.describe_hours()}"]
    skipped: list[tuple[date, str]] = []
    pending: list[tuple[date, str]] = []  # skipped days not yet written to the steps
    cursor = start
    day = start.date()
    started = False
    while True:
        working, reason = calendar.day(day)
        if not working:
            skipped.append((day, reason))
            pending.append((day, reason))
        else:
            pieces: list[str] = []
            counted = timedelta()
            due = None
            for opens, closes in calendar.periods():
                begin = max(cursor, datetime.combine(day, opens))
                end = datetime.combine(day, closes)
                if begin >= end:
                    continue
                if not pieces:
                    steps += _skipped_lines(pending)
                    pending = []
                    if not started and begin > start:
                        steps.append(f"起算时间不在营业时间内，自 {_dt(begin)} 起计")
                    started = True
                if remaining <= end - begin:
                    due = begin + remaining
                    pieces.append(f"{_t(begin)}–{_t(due)}")
                    counted += remaining
                    break
                pieces.append(f"{_t(begin)}–{_t(end)}")
                counted += end - begin
                remaining -= end - begin
            if pieces:
                tail = f"计满 {format_number(value)} 个工作小时" if due else f"尚余 {_span(remaining)}"
                steps.append(f"{_day_label(day, reason)}{'、'.join(pieces)} 计 {_span(counted)}，{tail}")
            if due is not None:
                steps.append(f"截止：{_dt(due)}")
                return Due(due, steps, skipped)
        day += timedelta(days=1)
        cursor = datetime.combine(day, time(0, 0))


def _working_days(count: int, start: datetime, calendar: WorkCalendar) -> Due:
    steps = [_start_line(start, calendar) + "；起算当日不计",
             f"加 {count} 个工作日：截止于第 {count} 个工作日的下班时间 {calendar.closes:%H:%M}"]
    skipped: list[tuple[date, str]] = []
    pending: list[tuple[date, str]] = []
    day = start.date()
    found = 0
    while found < count:
        day += timedelta(days=1)
        working, reason = calendar.day(day)
        if not working:
            skipped.append((day, reason))
            pending.append((day, reason))
            continue
        found += 1
        steps += _skipped_lines(pending)
        pending = []
        steps.append(f"{_day_label(day, reason)}计为第 {found} 个工作日")
    due = datetime.combine(day, calendar.closes)
    steps.append(f"截止：{_dt(due)}下班时间")
    return Due(due, steps, skipped)


def _anchor_time(target: Target, calendar: WorkCalendar) -> tuple[time, str]:
    if target.time:
        return _parse_time(target.time, "anchor time"), ""
    return calendar.closes, f"（未写时间，取下班时间 {calendar.closes:%H:%M}）"


def _anchored(start: datetime, due: datetime, steps: list[str], calendar: WorkCalendar) -> Due:
    steps.insert(0, _start_line(start, calendar))
    steps.append(f"截止：{_dt(due)}")
    known = calendar.day_if_known(due.date())
    if known and not known[0]:
        steps.append(_not_moved(due.date(), known[1], "按日历日期，不因节假日或周末顺延"))
    return Due(due, steps, [])


def _monthly(target: Target, start: datetime, calendar: WorkCalendar) -> Due:
    if target.day is None or not 1 <= target.day <= 31:
        raise ValueError(f"a monthly anchor needs a day from 1 to 31, not {target.day!r}")
    at, default = _anchor_time(target, calendar)
    steps = [f"每月 {target.day} 日 {at:%H:%M} 前{default}；取起算时间当时或之后最近的一次"]
    year, month = start.year, start.month
    while True:
        last = _gregorian.monthrange(year, month)[1]
        due = datetime.combine(date(year, month, min(target.day, last)), at)
        if due >= start:
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if year > 9999:
            raise OverflowError("after the year 9999")
    if target.day > last:
        steps.append(f"{year}-{month:02d} 只有 {last} 日，没有 {target.day} 日，取当月最后一天 {due.date().isoformat()}")
    return _anchored(start, due, steps, calendar)


def _weekly(target: Target, start: datetime, calendar: WorkCalendar) -> Due:
    if target.weekday not in _WEEKDAY_IDS:
        raise ValueError(f"a weekly anchor needs a weekday (monday … sunday), not {target.weekday!r}")
    at, default = _anchor_time(target, calendar)
    weekday = _WEEKDAY_IDS.index(target.weekday)
    steps = [f"每{_WEEKDAY_NAMES[weekday]} {at:%H:%M} 前{default}；取起算时间当时或之后最近的一次"]
    due = datetime.combine(start.date() + timedelta(days=(weekday - start.weekday()) % 7), at)
    if due < start:
        due += timedelta(days=7)
    return _anchored(start, due, steps, calendar)
