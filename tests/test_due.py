"""Due times on China's working calendar (policygen.due).

The expectations were checked by hand against chinesecalendar 1.11: in 2026 the National Day holiday is
10-01 … 10-07, with make-up working days (调休) on Sunday 09-20 and Saturday 10-10; Mid-autumn is 09-25 … 09-27;
Dragon Boat is Friday 06-19; Labour Day is 05-01 … 05-05.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

import policygen
from policygen.due import CalendarError, Due, WorkCalendar, due_time
from policygen.model import Target

CORPUS_HOURS = {"start": "08:30", "end": "17:30", "lunch": {"start": "12:00", "end": "13:00"}}
NATIONAL_DAY = [(date(2026, 10, d), "国庆节") for d in range(1, 8)]


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar.from_data(CORPUS_HOURS, None)


def wd(n) -> Target:
    return Target(value=n, unit="working-days")


def wh(n) -> Target:
    return Target(value=n, unit="working-hours")


# --- the calendar --------------------------------------------------------------------------------------------

def test_day_reasons_from_the_library(cal):
    assert cal.day(date(2026, 9, 30)) == (True, "工作日")
    assert cal.day(date(2026, 9, 19)) == (False, "周末")
    assert cal.day(date(2026, 10, 1)) == (False, "国庆节")
    assert cal.day(date(2026, 10, 3)) == (False, "国庆节")  # a holiday on a Saturday is named as the holiday
    assert cal.day(date(2026, 9, 25)) == (False, "中秋节")
    assert cal.day(date(2026, 6, 19)) == (False, "端午节")
    assert cal.day(date(2026, 10, 10)) == (True, "调休上班（国庆节）")  # Saturday
    assert cal.day(date(2026, 9, 20)) == (True, "调休上班（国庆节）")  # Sunday
    assert cal.day(date(2026, 10, 11)) == (False, "周末")
    assert cal.day(datetime(2026, 10, 10, 9, 0)) == (True, "调休上班（国庆节）")  # a datetime is its date


def test_default_business_hours_are_nine_to_six_without_lunch():
    cal = WorkCalendar.from_data(None, None)
    assert (cal.opens, cal.closes, cal.lunch) == (time(9), time(18), None)
    assert cal.periods() == [(time(9), time(18))]


def test_calendar_from_the_same_data_is_equal_and_hashable():
    data = {"overrides": [{"date": "2026-06-15", "workday": False, "name": "公司周年庆"}], "covers": [2027]}
    a = WorkCalendar.from_data(CORPUS_HOURS, data)
    b = WorkCalendar.from_data(CORPUS_HOURS, data)
    assert a == b and hash(a) == hash(b)
    assert a != WorkCalendar.from_data(CORPUS_HOURS, None)


@pytest.mark.parametrize("hours, message", [
    ({"start": "17:30", "end": "08:30"}, "not before"),
    ({"start": "08:30", "end": "17:30", "lunch": {"start": "13:00", "end": "12:00"}}, "lunch"),
    ({"start": "08:30", "end": "17:30", "lunch": {"start": "07:00", "end": "09:00"}}, "lunch"),
    ({"start": "08:30", "end": "17:30", "lunch": {"start": "08:30", "end": "17:30"}}, "whole working day"),
    ({"start": "8h30", "end": "17:30"}, "HH:MM"),
])
def test_business_hours_that_are_not_a_period_are_refused(hours, message):
    with pytest.raises(ValueError, match=message):
        WorkCalendar.from_data(hours, None)


def test_a_date_listed_twice_with_different_values_is_refused():
    data = {"overrides": [{"date": "2026-06-15", "workday": False}, {"date": "2026-06-15", "workday": True}]}
    with pytest.raises(ValueError, match="2026-06-15"):
        WorkCalendar.from_data(None, data)


# --- elapsed units -------------------------------------------------------------------------------------------

def test_seconds_minutes_hours_are_plain_elapsed_time(cal):
    start = datetime(2026, 9, 30, 17, 0)
    assert due_time(Target(value=45, unit="seconds"), start, cal).due == datetime(2026, 9, 30, 17, 0, 45)
    assert due_time(Target(value=90, unit="minutes"), start, cal).due == datetime(2026, 9, 30, 18, 30)
    assert due_time(Target(value=Decimal("0.5"), unit="hours"), start, cal).due == datetime(2026, 9, 30, 17, 30)
    result = due_time(Target(value=24, unit="hours"), start, cal)
    assert result.due == datetime(2026, 10, 1, 17, 0)  # the holiday counts: 24 × 7
    assert result.skipped == []
    assert any("不是工作日（国庆节）" in s for s in result.steps)


def test_calendar_days_keep_the_clock_time_and_count_holidays(cal):
    result = due_time(Target(value=6, unit="calendar-days"), datetime(2026, 9, 28, 9, 15), cal)
    assert result.due == datetime(2026, 10, 4, 9, 15)
    assert result.skipped == []
    assert "期间 2026-10-01 至 2026-10-04 国庆节休息，照常计入" in result.steps
    assert result.steps[-1] == "截止日 2026-10-04（周日）不是工作日（国庆节）；按日历时间计算，不顺延"


def test_calendar_days_must_be_whole(cal):
    with pytest.raises(ValueError, match="whole number"):
        due_time(Target(value=Decimal("1.5"), unit="calendar-days"), datetime(2026, 6, 15, 9), cal)


def test_rings_have_no_clock_time(cal):
    result = due_time(Target(value=3, unit="rings"), datetime(2026, 9, 30, 17, 0), cal)
    assert result.due is None
    assert result.skipped == []
    assert len(result.steps) == 1 and "3 声" in result.steps[0] and "接听时" in result.steps[0]


def test_immediate_is_due_at_the_start(cal):
    start = datetime(2026, 10, 3, 22, 5)
    result = due_time(Target(unit="immediate"), start, cal)
    assert result.due == start
    assert result.skipped == []


# --- working days --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, due", [
    (1, datetime(2026, 10, 8, 17, 30)),
    (2, datetime(2026, 10, 9, 17, 30)),
    (3, datetime(2026, 10, 10, 17, 30)),  # the 调休 Saturday counts
])
def test_working_days_across_national_day(cal, n, due):
    result = due_time(wd(n), datetime(2026, 9, 30, 17, 0), cal)
    assert result.due == due
    assert result.skipped == NATIONAL_DAY
    assert "2026-10-01 至 2026-10-07 国庆节休息，不计" in result.steps
    assert "2026-10-08（周四）计为第 1 个工作日" in result.steps
    assert result.steps[-1] == f"截止：{due:%Y-%m-%d} 17:30（{['周四', '周五', '周六'][n - 1]}）下班时间"


def test_the_make_up_saturday_is_named_in_the_explanation(cal):
    result = due_time(wd(4), datetime(2026, 9, 30, 17, 0), cal)
    assert result.due == datetime(2026, 10, 12, 17, 30)
    assert "2026-10-10（周六）调休上班（国庆节），计为第 3 个工作日" in result.steps
    assert "2026-10-11（周日）周末休息，不计" in result.steps
    assert result.skipped == NATIONAL_DAY + [(date(2026, 10, 11), "周末")]


def test_the_make_up_sunday_counts_as_a_working_day(cal):
    result = due_time(wd(1), datetime(2026, 9, 18, 10, 0), cal)  # Friday
    assert result.due == datetime(2026, 9, 20, 17, 30)  # Sunday, 调休
    assert result.skipped == [(date(2026, 9, 19), "周末")]
    assert "2026-09-20（周日）调休上班（国庆节），计为第 1 个工作日" in result.steps


def test_the_start_day_never_counts(cal):
    # early in the morning of a working day: still the next working day
    assert due_time(wd(1), datetime(2026, 9, 29, 7, 0), cal).due == datetime(2026, 9, 30, 17, 30)
    # a start on a holiday: the next working day after it, the start day itself not listed as skipped
    result = due_time(wd(1), datetime(2026, 10, 3, 10, 0), cal)
    assert result.due == datetime(2026, 10, 8, 17, 30)
    assert result.skipped == NATIONAL_DAY[3:]
    assert result.steps[0] == "起算：2026-10-03 10:00（周六），国庆节；起算当日不计"


def test_working_days_end_at_the_default_closing_time():
    result = due_time(wd(1), datetime(2026, 6, 12, 9, 0), WorkCalendar.from_data(None, None))
    assert result.due == datetime(2026, 6, 15, 18, 0)


@pytest.mark.parametrize("value", [Decimal("1.5"), 0, -1])
def test_working_days_must_be_a_positive_whole_number(cal, value):
    with pytest.raises(ValueError):
        due_time(wd(value), datetime(2026, 6, 15, 9), cal)


# --- working hours -------------------------------------------------------------------------------------------

def test_working_hours_across_a_weekend(cal):
    # Friday 16:30–17:30 = 1 h; Monday 08:30–12:00 = 3.5 h, 13:00–16:30 = 3.5 h: 8 h
    result = due_time(wh(8), datetime(2026, 6, 12, 16, 30), cal)
    assert result.due == datetime(2026, 6, 15, 16, 30)
    assert result.skipped == [(date(2026, 6, 13), "周末"), (date(2026, 6, 14), "周末")]
    assert result.steps[2:] == [
        "2026-06-12（周五）16:30–17:30 计 1 小时，尚余 7 小时",
        "2026-06-13 至 2026-06-14 周末休息，不计",
        "2026-06-15（周一）08:30–12:00、13:00–16:30 计 7 小时，计满 8 个工作小时",
        "截止：2026-06-15 16:30（周一）",
    ]


def test_working_hours_into_a_make_up_sunday(cal):
    result = due_time(wh(8), datetime(2026, 9, 18, 16, 30), cal)  # Friday before the 调休 Sunday
    assert result.due == datetime(2026, 9, 20, 16, 30)
    assert result.skipped == [(date(2026, 9, 19), "周末")]


@pytest.mark.parametrize("start, hours, due", [
    (datetime(2026, 6, 15, 11, 0), 2, datetime(2026, 6, 15, 14, 0)),   # across lunch
    (datetime(2026, 6, 15, 12, 30), 1, datetime(2026, 6, 15, 14, 0)),  # a start during lunch begins at 13:00
    (datetime(2026, 6, 15, 10, 0), 2, datetime(2026, 6, 15, 12, 0)),   # used up exactly at lunch: 12:00
    (datetime(2026, 6, 15, 15, 30), 2, datetime(2026, 6, 15, 17, 30)),  # used up exactly at closing: 17:30
    (datetime(2026, 6, 15, 7, 0), 1, datetime(2026, 6, 15, 9, 30)),    # before opening
    (datetime(2026, 6, 15, 18, 0), 1, datetime(2026, 6, 16, 9, 30)),   # after closing
    (datetime(2026, 6, 15, 8, 30), 16, datetime(2026, 6, 16, 17, 30)),  # two full days
    (datetime(2026, 6, 15, 9, 0), Decimal("0.25"), datetime(2026, 6, 15, 9, 15)),
    (datetime(2026, 6, 18, 16, 0), 2, datetime(2026, 6, 22, 9, 0)),    # Thu 1.5 h; Dragon Boat Fri–Sun; Mon 0.5 h
])
def test_working_hours(cal, start, hours, due):
    assert due_time(wh(hours), start, cal).due == due


def test_working_hours_say_when_counting_begins(cal):
    result = due_time(wh(8), datetime(2026, 6, 13, 10, 0), cal)  # Saturday
    assert result.due == datetime(2026, 6, 15, 17, 30)
    assert result.skipped == [(date(2026, 6, 13), "周末"), (date(2026, 6, 14), "周末")]
    assert "起算时间不在营业时间内，自 2026-06-15 08:30（周一） 起计" in result.steps


def test_working_hours_with_the_default_hours():
    cal = WorkCalendar.from_data(None, None)
    assert due_time(wh(2), datetime(2026, 6, 15, 17, 0), cal).due == datetime(2026, 6, 16, 10, 0)
    assert due_time(wh(2), datetime(2026, 6, 15, 11, 0), cal).due == datetime(2026, 6, 15, 13, 0)  # no lunch


# --- overrides and known years -------------------------------------------------------------------------------

def test_an_override_gives_a_company_day_off_the_library_calls_a_workday():
    cal = WorkCalendar.from_data(CORPUS_HOURS, {"overrides": [
        {"date": "2026-06-15", "workday": False, "name": "公司周年庆"}]})
    assert cal.day(date(2026, 6, 15)) == (False, "公司周年庆")
    result = due_time(wd(1), datetime(2026, 6, 12, 10, 0), cal)
    assert result.due == datetime(2026, 6, 16, 17, 30)
    assert result.skipped == [(date(2026, 6, 13), "周末"), (date(2026, 6, 14), "周末"),
                              (date(2026, 6, 15), "公司周年庆")]
    assert "2026-06-15（周一）公司周年庆休息，不计" in result.steps
    assert due_time(wh(8), datetime(2026, 6, 12, 16, 30), cal).due == datetime(2026, 6, 16, 16, 30)


def test_an_override_without_a_name_and_an_override_making_a_holiday_a_workday():
    cal = WorkCalendar.from_data(CORPUS_HOURS, {"overrides": [
        {"date": "2026-06-16", "workday": False},
        {"date": "2026-10-08", "workday": True},  # already a workday: unchanged
        {"date": "2026-10-07", "workday": True, "name": "值班"},
        {"date": "2026-10-11", "workday": True},
    ]})
    assert cal.day(date(2026, 6, 16)) == (False, "公司休息日")
    assert cal.day(date(2026, 10, 7)) == (True, "值班")
    assert cal.day(date(2026, 10, 11)) == (True, "调休上班")
    assert due_time(wd(1), datetime(2026, 9, 30, 17, 0), cal).due == datetime(2026, 10, 7, 17, 30)


COVERED_2027 = {
    "covers": [2027],
    "overrides": [
        {"date": "2027-01-01", "workday": False, "name": "元旦"},
        {"date": "2027-02-06", "workday": True, "name": "春节调休"},  # a Saturday
    ],
}


def test_a_year_in_covers_the_library_does_not_know_works():
    cal = WorkCalendar.from_data(CORPUS_HOURS, COVERED_2027)
    assert 2027 in cal.known_years and 2028 not in cal.known_years
    assert cal.day(date(2027, 1, 1)) == (False, "元旦")
    assert cal.day(date(2027, 1, 2)) == (False, "周末")
    assert cal.day(date(2027, 1, 4)) == (True, "工作日")
    assert cal.day(date(2027, 2, 6)) == (True, "春节调休")
    result = due_time(wd(1), datetime(2026, 12, 31, 17, 0), cal)
    assert result.due == datetime(2027, 1, 4, 17, 30)
    assert result.skipped == [(date(2027, 1, 1), "元旦"), (date(2027, 1, 2), "周末"), (date(2027, 1, 3), "周末")]
    assert "2027-01-01（周五）元旦休息，不计" in result.steps


def test_a_year_neither_known_nor_covered_raises_naming_the_date():
    cal = WorkCalendar.from_data(CORPUS_HOURS, COVERED_2027)
    with pytest.raises(CalendarError) as caught:
        due_time(wd(3), datetime(2027, 12, 30, 17, 0), cal)  # 12-31 is one; then 2028-01-01
    error = caught.value
    assert error.date == date(2028, 1, 1)
    assert 2027 in error.known_years and 2028 not in error.known_years
    message = str(error)
    assert "2028-01-01" in message and "2004–2027" in message
    assert "covers: [2027, 2028]" in error.hint and "overrides:" in error.hint and "2028-" in error.hint
    with pytest.raises(CalendarError, match="2028-03-01"):
        cal.day(date(2028, 3, 1))


def test_an_override_alone_does_not_make_its_year_known():
    cal = WorkCalendar.from_data(None, {"overrides": [{"date": "2027-01-01", "workday": False, "name": "元旦"}]})
    with pytest.raises(CalendarError, match="2027-01-01"):
        cal.day(date(2027, 1, 1))
    with pytest.raises(CalendarError, match="2027-01-01"):
        due_time(wd(1), datetime(2026, 12, 31, 9, 0), cal)


def test_only_working_time_units_need_the_holiday_schedule(cal):
    with pytest.raises(CalendarError) as caught:
        due_time(Target(value=8, unit="working-hours"), datetime(2026, 12, 31, 16), cal)
    assert caught.value.date == date(2027, 1, 1)


@pytest.mark.parametrize("target, start, due", [
    (Target(value=3, unit="calendar-days"), datetime(2026, 12, 30, 9), datetime(2027, 1, 2, 9)),
    (Target(value=48, unit="hours"), datetime(2026, 12, 31, 9), datetime(2027, 1, 2, 9)),
    (Target(anchor="monthly", day=5), datetime(2026, 12, 20, 9), datetime(2027, 1, 5, 17, 30)),
    (Target(anchor="weekly", weekday="monday"), datetime(2026, 12, 31, 9), datetime(2027, 1, 4, 17, 30)),
    (Target(unit="immediate"), datetime(2030, 5, 1, 9), datetime(2030, 5, 1, 9)),
    (Target(value=1, unit="seconds"), datetime(2003, 12, 31, 23, 0), datetime(2003, 12, 31, 23, 0, 1)),
])
def test_rules_that_need_no_holiday_schedule_work_in_any_year(cal, target, start, due):
    assert due_time(target, start, cal).due == due


# --- anchors -------------------------------------------------------------------------------------------------

def test_monthly_anchor_on_the_31st_in_april_uses_the_last_day(cal):
    result = due_time(Target(anchor="monthly", day=31), datetime(2026, 4, 2, 9, 0), cal)
    assert result.due == datetime(2026, 4, 30, 17, 30)
    assert any("只有 30 日" in s and "2026-04-30" in s for s in result.steps)
    assert result.skipped == []


def test_monthly_anchor_next_occurrence_at_or_after_the_start(cal):
    ten = Target(anchor="monthly", day=10, time="09:00")
    assert due_time(ten, datetime(2026, 6, 10, 9, 0), cal).due == datetime(2026, 6, 10, 9, 0)
    assert due_time(ten, datetime(2026, 6, 10, 9, 1), cal).due == datetime(2026, 7, 10, 9, 0)
    assert due_time(ten, datetime(2026, 6, 1), cal).due == datetime(2026, 6, 10, 9, 0)
    feb = due_time(Target(anchor="monthly", day=30), datetime(2026, 2, 1), cal)
    assert feb.due == datetime(2026, 2, 28, 17, 30)  # a Saturday, but a 春节 调休 working day: no note
    assert not any("不是工作日" in s for s in feb.steps)


def test_monthly_anchor_is_not_moved_for_a_holiday(cal):
    result = due_time(Target(anchor="monthly", day=1), datetime(2026, 9, 15, 10, 0), cal)
    assert result.due == datetime(2026, 10, 1, 17, 30)
    assert "未写时间，取下班时间 17:30" in result.steps[1]
    assert result.steps[-1] == "截止日 2026-10-01（周四）不是工作日（国庆节）；按日历日期，不因节假日或周末顺延"


def test_weekly_anchor(cal):
    friday = Target(anchor="weekly", weekday="friday", time="16:00")
    assert due_time(friday, datetime(2026, 6, 12, 15, 0), cal).due == datetime(2026, 6, 12, 16, 0)
    assert due_time(friday, datetime(2026, 6, 12, 16, 0), cal).due == datetime(2026, 6, 12, 16, 0)
    assert due_time(friday, datetime(2026, 6, 10, 9, 0), cal).due == datetime(2026, 6, 12, 16, 0)
    result = due_time(friday, datetime(2026, 6, 12, 16, 1), cal)
    assert result.due == datetime(2026, 6, 19, 16, 0)  # Dragon Boat Festival: not moved
    assert result.steps[-1] == "截止日 2026-06-19（周五）不是工作日（端午节）；按日历日期，不因节假日或周末顺延"
    assert due_time(Target(anchor="weekly", weekday="monday"), datetime(2026, 6, 12, 9, 0), cal).due == \
        datetime(2026, 6, 15, 17, 30)


# --- refusals ------------------------------------------------------------------------------------------------

def test_what_has_no_due_time_is_refused(cal):
    start = datetime(2026, 6, 15, 9, 0)
    with pytest.raises(ValueError, match="KPI"):
        due_time(Target(comparator=">=", value=90, unit="percent"), start, cal)
    with pytest.raises(ValueError, match="naive"):
        due_time(wd(1), start.astimezone(), cal)
    with pytest.raises(TypeError):
        due_time(wd(1), date(2026, 6, 15), cal)
    with pytest.raises(ValueError, match="needs a value"):
        due_time(Target(unit="hours"), start, cal)


# --- the corpus ----------------------------------------------------------------------------------------------

def test_the_corpus_organization():
    project = policygen.load_project("/work/main").project
    cal = WorkCalendar.from_organization(project.organization)
    assert (cal.opens, cal.closes, cal.lunch) == (time(8, 30), time(17, 30), (time(12), time(13)))
    assert cal == WorkCalendar.from_data(CORPUS_HOURS, None)
    email = due_time(project.rules["steel-email-reply"].target_on(), datetime(2026, 9, 30, 17, 0), cal)
    assert isinstance(email, Due)
    assert email.due == datetime(2026, 10, 8, 17, 30)
    assert email.skipped == NATIONAL_DAY
    review = due_time(project.rules["complaint-review"].target_on(), datetime(2026, 9, 11, 9, 0), cal)
    assert review.due == datetime(2026, 10, 10, 17, 30)  # the 调休 Saturday: a working day, no note
    close = due_time(project.rules["complaint-close"].target_on(), datetime(2026, 9, 30, 17, 0), cal)
    assert close.due == datetime(2026, 9, 30, 17, 0) + timedelta(days=6)
    phone = due_time(project.rules["steel-phone-answer"].target_on(), datetime(2026, 9, 30, 17, 0), cal)
    assert phone.due is None
    chat = due_time(project.rules["steel-chat-reply"].target_on(), datetime(2026, 9, 30, 17, 0), cal)
    assert chat.due == datetime(2026, 9, 30, 17, 0)
