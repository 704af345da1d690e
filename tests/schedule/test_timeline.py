"""The working-time axis, checked against Microsoft Project's Standard calendar by hand.

Standard: Monday to Friday, 08:00-12:00 and 13:00-17:00 (480 working minutes a day).
January 2027: Monday 4, Friday 8, Monday 11; Friday 1 is New Year's Day.
The origin of every axis here is Monday 2027-01-04, so its midnight is work 0 and instant 0.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmcore.errors import ValidationError
from pmcore.model import Calendar, EffectiveCalendar, WorkWeek
from pmcore.schedule.timeline import ElapsedTimeline, Timeline

MONDAY = dt.date(2027, 1, 4)
DAY = 480


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def axis(calendar: Calendar, *bases: Calendar, origin: dt.date = MONDAY) -> Timeline:
    calendars = {c.id: c for c in (calendar, *bases)}
    return Timeline(EffectiveCalendar.resolve(calendar.id, calendars), origin)


@pytest.fixture
def standard() -> Timeline:
    return axis(Calendar.standard())


# ---------------------------------------------------------------------- instants and work


def test_instants_are_minutes_from_the_origin_midnight(standard):
    assert standard.instant(at("2027-01-04T00:00")) == 0
    assert standard.instant(at("2027-01-04T08:00")) == 8 * 60
    assert standard.instant(at("2027-01-05T08:00")) == 1440 + 8 * 60
    assert standard.instant(at("2027-01-03T23:00")) == -60
    assert standard.datetime(1440 + 13 * 60) == at("2027-01-05T13:00")
    assert standard.datetime(-60) == at("2027-01-03T23:00")


@pytest.mark.parametrize(("moment", "work"), [
    ("2027-01-04T00:00", 0),
    ("2027-01-04T08:00", 0),
    ("2027-01-04T09:30", 90),
    ("2027-01-04T12:00", 240),
    ("2027-01-04T12:30", 240),  # lunch is not working time
    ("2027-01-04T13:00", 240),
    ("2027-01-04T17:00", DAY),
    ("2027-01-04T23:59", DAY),
    ("2027-01-05T08:00", DAY),
    ("2027-01-08T17:00", 5 * DAY),
    ("2027-01-09T10:00", 5 * DAY),  # Saturday
    ("2027-01-10T23:00", 5 * DAY),  # Sunday
    ("2027-01-11T08:00", 5 * DAY),
    ("2027-01-11T10:00", 5 * DAY + 120),
    ("2027-01-01T17:00", 0),  # the Friday before the origin: nothing works in between
    ("2027-01-01T08:00", -DAY),
    ("2026-12-31T12:00", -DAY - 240),
    ("2026-12-28T08:00", -5 * DAY),
])
def test_work_counts_working_minutes_from_the_origin(standard, moment, work):
    assert standard.work_of(at(moment)) == work


@pytest.mark.parametrize(("work", "start", "finish"), [
    # A task starts at the start of the next working period and finishes at the end of its
    # last working minute.
    (0, "2027-01-04T08:00", "2027-01-01T17:00"),
    (240, "2027-01-04T13:00", "2027-01-04T12:00"),
    (90, "2027-01-04T09:30", "2027-01-04T09:30"),
    (DAY, "2027-01-05T08:00", "2027-01-04T17:00"),
    (5 * DAY, "2027-01-11T08:00", "2027-01-08T17:00"),
    (5 * DAY + 1, "2027-01-11T08:01", "2027-01-11T08:01"),
    (-DAY, "2027-01-01T08:00", "2026-12-31T17:00"),
])
def test_work_turns_back_into_a_start_or_a_finish(standard, work, start, finish):
    assert standard.start_datetime(work) == at(start)
    assert standard.finish_datetime(work) == at(finish)


def test_a_one_day_task_from_monday_morning_ends_monday_evening(standard):
    begin = standard.work_of(at("2027-01-04T08:00"))
    assert standard.finish_datetime(begin + DAY) == at("2027-01-04T17:00")
    # and a successor starts the next morning, not at 17:00
    assert standard.start_datetime(begin + DAY) == at("2027-01-05T08:00")


def test_two_half_days_fill_one_day(standard):
    first_finish = standard.finish_datetime(240)
    second_start = standard.start_datetime(240)
    assert (first_finish, second_start) == (at("2027-01-04T12:00"), at("2027-01-04T13:00"))
    assert standard.finish_datetime(480) == at("2027-01-04T17:00")


def test_years_ahead_and_behind_the_origin(standard):
    # 2028-01-03 is a Monday 52 weeks after the origin: 260 working days later.
    assert standard.work_of(at("2028-01-03T08:00")) == 260 * DAY
    assert standard.start_datetime(260 * DAY) == at("2028-01-03T08:00")
    # 2026-01-05 is a Monday 52 weeks before.
    assert standard.work_of(at("2026-01-05T08:00")) == -260 * DAY
    assert standard.finish_datetime(-260 * DAY) == at("2026-01-02T17:00")


def test_round_trip_for_every_working_minute_of_a_week(standard):
    for work in range(0, 5 * DAY, 7):
        assert standard.work_at(standard.start_instant(work)) == work
        assert standard.work_at(standard.finish_instant(work)) == work


# ---------------------------------------------------------------------- exceptions


def test_a_one_off_holiday_is_skipped():
    calendar = Calendar.standard()
    calendar.add_holiday("Works outing", "2027-01-06")  # Wednesday
    tl = axis(calendar)
    assert tl.work_of(at("2027-01-07T08:00")) == 2 * DAY
    assert tl.start_datetime(2 * DAY) == at("2027-01-07T08:00")
    assert tl.finish_datetime(2 * DAY) == at("2027-01-05T17:00")
    # three days from Monday: Monday, Tuesday, Thursday
    assert tl.finish_datetime(3 * DAY) == at("2027-01-07T17:00")


def test_a_yearly_holiday_recurs():
    calendar = Calendar.standard()
    calendar.add_holiday("New Year", "2020-01-01", recurrence="FREQ=YEARLY")
    tl = axis(calendar, origin=dt.date(2026, 12, 28))  # a Monday
    # Dec 28, 29, 30, 31 work; Friday Jan 1 2027 is the holiday.
    assert tl.finish_datetime(4 * DAY) == at("2026-12-31T17:00")
    assert tl.start_datetime(4 * DAY) == at("2027-01-04T08:00")
    assert tl.finish_datetime(5 * DAY) == at("2027-01-04T17:00")


def test_an_exception_can_add_working_time_on_a_saturday():
    calendar = Calendar.standard()
    calendar.add_exception("Stocktake", "2027-01-09", working_times=["08:00-12:00"])
    tl = axis(calendar)
    assert tl.finish_datetime(5 * DAY + 240) == at("2027-01-09T12:00")
    assert tl.start_datetime(5 * DAY + 240) == at("2027-01-11T08:00")


def test_a_derived_calendar_inherits_the_base_holidays():
    base = Calendar.standard()
    base.add_holiday("Works outing", "2027-01-06")
    six_days = Calendar(id="six", name="Six days", base="standard",
                        week={"sat": ["08:00-12:00", "13:00-17:00"]})
    tl = axis(six_days, base)
    # Mon, Tue, (Wed holiday), Thu, Fri, Sat: five days end on Saturday evening.
    assert tl.finish_datetime(5 * DAY) == at("2027-01-09T17:00")
    assert tl.start_datetime(5 * DAY) == at("2027-01-11T08:00")


# ---------------------------------------------------------------------- other calendars


def test_the_24_hour_calendar_counts_every_minute():
    tl = axis(Calendar.twenty_four_hours())
    assert tl.work_of(at("2027-01-09T10:00")) == 5 * 1440 + 600
    # 1d is 8 hours even on a 24-hour calendar: it is the project's hours per day.
    assert tl.finish_datetime(tl.work_of(at("2027-01-04T17:00")) + DAY) == at("2027-01-05T01:00")
    # no gap at midnight: the start and the finish of one work value coincide
    assert tl.start_datetime(1440) == tl.finish_datetime(1440) == at("2027-01-05T00:00")


def test_the_night_shift_calendar():
    tl = axis(Calendar.night_shift())
    # Monday 23:00-24:00, then Tuesday 00:00-03:00 and 04:00-08:00: one 8-hour shift.
    begin = tl.work_of(at("2027-01-04T23:00"))
    assert begin == 0  # nothing works on Monday before 23:00
    assert tl.finish_datetime(begin + DAY) == at("2027-01-05T08:00")
    assert tl.start_datetime(begin + 60) == at("2027-01-05T00:00")
    assert tl.start_datetime(begin + 240) == at("2027-01-05T04:00")  # after the 03:00 break


def test_a_calendar_with_no_working_time_raises_instead_of_hanging():
    never = Calendar(id="never", name="Never", week=WorkWeek(((),) * 7))
    tl = axis(never)
    with pytest.raises(ValidationError, match="never"):
        tl.start_instant(DAY)
    with pytest.raises(ValidationError, match="never"):
        tl.finish_instant(-DAY)


def test_a_calendar_whose_only_working_day_is_used_up_raises():
    once = Calendar(id="once", name="Once", week=WorkWeek(((),) * 7))
    once.add_exception("Open day", "2027-01-05", working_times=["08:00-12:00"])
    tl = axis(once)
    assert tl.finish_datetime(240) == at("2027-01-05T12:00")
    with pytest.raises(ValidationError, match="once"):
        tl.start_instant(240)  # there is no working minute after the open day


# ---------------------------------------------------------------------- the clock


def test_the_elapsed_timeline_is_the_clock():
    clock = ElapsedTimeline(MONDAY)
    friday_five = clock.instant(at("2027-01-08T17:00"))
    assert clock.work_at(friday_five) == friday_five
    assert clock.datetime(clock.start_instant(friday_five + 3 * 1440)) == at("2027-01-11T17:00")
    assert clock.finish_datetime(friday_five + 2 * 1440) == at("2027-01-10T17:00")


# ------------------------------------------------- bulk conversion equals day-by-day answers

_RULES = ("FREQ=YEARLY", "FREQ=YEARLY;BYMONTH=11;BYDAY=+4TH", "FREQ=MONTHLY;BYMONTHDAY=15",
          "FREQ=WEEKLY;BYDAY=FR;INTERVAL=2", "FREQ=DAILY;COUNT=3", "FREQ=MONTHLY;BYDAY=-1MO")


@st.composite
def calendar_chains(draw: st.DrawFn) -> tuple[Calendar, Calendar]:
    """A base calendar and a calendar derived from it, with exceptions of every kind and
    sometimes alternate work weeks."""
    base = Calendar.standard("base", "Base")
    derived = Calendar(id="derived", name="Derived", base="base")
    for calendar in (base, derived):
        for k in range(draw(st.integers(0, 4))):
            start = MONDAY + dt.timedelta(days=draw(st.integers(-400, 400)))
            rule = draw(st.sampled_from((None, *_RULES)))
            finish = None if rule else start + dt.timedelta(days=draw(st.integers(0, 9)))
            if draw(st.booleans()):
                calendar.add_holiday(f"off {k}", start, until=finish, recurrence=rule)
            else:
                calendar.add_exception(f"on {k}", start, finish, recurrence=rule,
                                       working_times=["09:00-11:00", "12:00-15:30"])
        if draw(st.booleans()):
            start = MONDAY + dt.timedelta(days=draw(st.integers(-100, 100)))
            calendar.add_work_week("summer", start, start + dt.timedelta(days=60),
                                   week=WorkWeek.night_shift())
    return base, derived


@settings(max_examples=40)
@given(chain=calendar_chains(), offset=st.integers(-500, 500), days=st.integers(1, 900))
def test_working_times_between_equals_each_day_asked_alone(chain, offset, days):
    base, derived = chain
    calendar = EffectiveCalendar.resolve("derived", {"base": base, "derived": derived})
    first = MONDAY + dt.timedelta(days=offset)
    each = [calendar.working_times(first + dt.timedelta(days=k)) for k in range(days)]
    assert calendar.working_times_between(first, first + dt.timedelta(days=days - 1)) == each


@settings(max_examples=25)
@given(chain=calendar_chains(), day=st.integers(-800, 800))
def test_the_axis_counts_each_days_working_minutes(chain, day):
    base, derived = chain
    calendar = EffectiveCalendar.resolve("derived", {"base": base, "derived": derived})
    timeline = Timeline(calendar, MONDAY)
    midnight = day * 1440
    date = MONDAY + dt.timedelta(days=day)
    assert timeline.work_at(midnight + 1440) - timeline.work_at(midnight) == \
        calendar.working_minutes(date)
