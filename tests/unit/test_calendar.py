"""Working-time calendars, checked against Microsoft Project's built-in calendars and real dates.

Oracles:
- MS Project's base calendars: "Standard" (Mon-Fri 08:00-12:00, 13:00-17:00), "24 Hours"
  (every day, all day) and "Night Shift" (Mon 23:00-24:00; Tue-Fri 00:00-03:00, 04:00-08:00,
  23:00-24:00; Sat 00:00-03:00, 04:00-08:00);
- MS Project's inheritance: a resource calendar's days marked "use times from base calendar"
  follow the base, base-calendar holidays are holidays for calendars derived from it, and the
  derived calendar's own exceptions override them;
- the Gregorian calendar: 2027-01-01 is a Friday, 2027-01-04 a Monday, 2027-12-25 a Saturday,
  2028-12-25 a Monday; the first Mondays of 2027's first half are 4 Jan, 1 Feb, 1 Mar, 5 Apr,
  3 May and 7 Jun.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmcore.errors import CycleError, UnknownReferenceError, ValidationError
from pmcore.model import (
    Calendar,
    CalendarException,
    EffectiveCalendar,
    Project,
    Weekday,
    WorkingTime,
    WorkWeek,
    WorkWeekPeriod,
)

D = dt.date
T = dt.datetime

STANDARD_DAY = ["08:00-12:00", "13:00-17:00"]
NIGHT_SHIFT = {
    Weekday.MONDAY: ["23:00-24:00"],
    Weekday.TUESDAY: ["00:00-03:00", "04:00-08:00", "23:00-24:00"],
    Weekday.WEDNESDAY: ["00:00-03:00", "04:00-08:00", "23:00-24:00"],
    Weekday.THURSDAY: ["00:00-03:00", "04:00-08:00", "23:00-24:00"],
    Weekday.FRIDAY: ["00:00-03:00", "04:00-08:00", "23:00-24:00"],
    Weekday.SATURDAY: ["00:00-03:00", "04:00-08:00"],
    Weekday.SUNDAY: [],
}


def effective(*calendars: Calendar) -> EffectiveCalendar:
    """The first calendar resolved against all of them."""
    return EffectiveCalendar.resolve(calendars[0].id, {c.id: c for c in calendars})


def times(calendar: EffectiveCalendar, day: dt.date) -> list[str]:
    return [str(w) for w in calendar.working_times(day)]


# --------------------------------------------------------------------------- Weekday


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mon", Weekday.MONDAY),
        ("Monday", Weekday.MONDAY),
        ("TU", Weekday.TUESDAY),
        ("th", Weekday.THURSDAY),
        ("sa", Weekday.SATURDAY),
        ("su", Weekday.SUNDAY),
        ("friday", Weekday.FRIDAY),
        (0, Weekday.MONDAY),
        (6, Weekday.SUNDAY),
        (Weekday.WEDNESDAY, Weekday.WEDNESDAY),
    ],
)
def test_weekday_parse(value, expected):
    assert Weekday.parse(value) is expected


@pytest.mark.parametrize("value", ["t", "s", "m", "xyz", "mondays", 7, -1, True, None, 2.0])
def test_weekday_parse_refuses_ambiguous_or_unknown_days(value):
    with pytest.raises(ValidationError, match="unknown weekday"):
        Weekday.parse(value)


def test_weekday_numbers_match_date_weekday():
    assert D(2027, 1, 4).weekday() == Weekday.MONDAY
    assert D(2027, 12, 25).weekday() == Weekday.SATURDAY
    assert D(2028, 12, 25).weekday() == Weekday.MONDAY


# --------------------------------------------------------------------------- WorkingTime


def test_working_time_parse():
    span = WorkingTime.parse("08:00-12:00")
    assert (span.start, span.end, span.minutes) == (480, 720, 240)
    assert str(span) == "08:00-12:00"
    assert repr(span) == "WorkingTime('08:00-12:00')"


def test_working_time_to_midnight_is_written_24_00():
    span = WorkingTime.parse("23:00-24:00")
    assert (span.start, span.end, span.minutes) == (1380, 1440, 60)
    assert str(span) == "23:00-24:00"
    assert WorkingTime.parse("00:00-24:00").minutes == 1440


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [("8:00", "9:30", 90), (dt.time(8), dt.time(12), 240), (480, 720, 240), (" 13:00", "17:00 ",
                                                                              240)],
)
def test_working_time_accepts_text_times_and_minutes(start, end, minutes):
    assert WorkingTime(start, end).minutes == minutes


@pytest.mark.parametrize(
    "text",
    ["12:00-08:00", "08:00-08:00", "24:00-24:00", "08:00-24:30", "08:00-25:00", "08:60-09:00",
     "0800-1200", "08:00", "eight-noon", "-1:00-02:00", "", "08:00-12:00-13:00"],
)
def test_working_time_refuses_bad_spans(text):
    with pytest.raises(ValidationError):
        WorkingTime.parse(text)


@pytest.mark.parametrize(("start", "end"), [(-60, 60), (0, 1441), (600, 600)])
def test_working_time_minutes_must_lie_within_one_day(start, end):
    with pytest.raises(ValidationError, match="within one day"):
        WorkingTime(start, end)


# --------------------------------------------------------------------------- WorkWeek


def test_overlapping_working_times_are_refused():
    with pytest.raises(ValidationError, match="overlap"):
        WorkWeek({"mon": ["08:00-12:00", "11:00-13:00"]})
    with pytest.raises(ValidationError, match="overlap"):
        WorkWeek({"mon": ["08:00-17:00", "12:00-13:00"]})  # one inside the other


def test_touching_working_times_are_allowed_and_sorted():
    week = WorkWeek({"mon": ["13:00-17:00", "08:00-12:00", "12:00-13:00"]})
    assert [str(w) for w in week.working_times(Weekday.MONDAY)] == [
        "08:00-12:00", "12:00-13:00", "13:00-17:00"]


def test_standard_week_is_microsoft_projects():
    week = WorkWeek.standard()
    for day in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY,
                Weekday.FRIDAY):
        assert [str(w) for w in week.working_times(day)] == STANDARD_DAY
    assert week.working_times(Weekday.SATURDAY) == ()
    assert week.working_times(Weekday.SUNDAY) == ()
    assert week.is_complete


def test_twenty_four_hours_week_is_all_day_every_day():
    week = WorkWeek.twenty_four_hours()
    for day in Weekday:
        assert [str(w) for w in week.working_times(day)] == ["00:00-24:00"]


def test_night_shift_week_is_microsoft_projects():
    week = WorkWeek.night_shift()
    for day, expected in NIGHT_SHIFT.items():
        assert [str(w) for w in week.working_times(day)] == expected, day.name


def test_night_shift_is_forty_hours_a_week():
    # Hand count: Mon 1 h, Tue-Fri 4 x 8 h, Sat 7 h = 40 h.
    total = sum(w.minutes for day in Weekday for w in WorkWeek.night_shift().working_times(day))
    assert total == 2400


def test_inherited_week_leaves_every_day_to_the_base():
    week = WorkWeek.inherited()
    assert all(week.working_times(day) is None for day in Weekday)
    assert not week.is_complete


def test_a_mapping_week_leaves_unnamed_days_to_the_base():
    week = WorkWeek({"mon": STANDARD_DAY, "sat": [], Weekday.SUNDAY: None})
    assert [str(w) for w in week.working_times(Weekday.MONDAY)] == STANDARD_DAY
    assert week.working_times(Weekday.SATURDAY) == ()  # explicitly off
    assert week.working_times(Weekday.TUESDAY) is None  # as the base
    assert week.working_times(Weekday.SUNDAY) is None


def test_a_week_from_seven_entries():
    week = WorkWeek([STANDARD_DAY] * 5 + [["09:00-13:00"], []])
    assert [str(w) for w in week.working_times(Weekday.SATURDAY)] == ["09:00-13:00"]
    assert week == WorkWeek({"mon": STANDARD_DAY, "tue": STANDARD_DAY, "wed": STANDARD_DAY,
                             "thu": STANDARD_DAY, "fri": STANDARD_DAY, "sat": ["09:00-13:00"],
                             "sun": []})


@pytest.mark.parametrize("value", ["mon", [STANDARD_DAY] * 6, 5, {"funday": []}])
def test_a_week_must_be_a_mapping_or_seven_days(value):
    with pytest.raises(ValidationError):
        WorkWeek(value)


def test_week_repr_reads_day_by_day():
    assert repr(WorkWeek({"mon": ["08:00-12:00"], "sat": []})) == (
        "WorkWeek(mon=08:00-12:00 tue=inherit wed=inherit thu=inherit fri=inherit sat=off "
        "sun=inherit)")


# --------------------------------------------------------------------------- built-in calendars


@pytest.mark.parametrize(
    ("make", "id", "name"),
    [
        (Calendar.standard, "standard", "Standard"),
        (Calendar.twenty_four_hours, "24-hours", "24 Hours"),
        (Calendar.night_shift, "night-shift", "Night Shift"),
    ],
)
def test_built_in_calendars_have_microsoft_projects_names(make, id, name):
    calendar = make()
    assert (calendar.id, calendar.name, calendar.base) == (id, name, None)


def test_standard_calendar_working_minutes():
    standard = effective(Calendar.standard())
    # Monday 4 Jan 2027 08:00 to Friday 8 Jan 17:00: five 8-hour days.
    assert standard.working_minutes_between(T(2027, 1, 4, 8), T(2027, 1, 8, 17)) == 2400
    assert standard.working_minutes_between(T(2027, 1, 4, 8), T(2027, 1, 4, 17)) == 480
    # 10:30-12:00 and 13:00-14:15.
    assert standard.working_minutes_between(T(2027, 1, 4, 10, 30), T(2027, 1, 4, 14, 15)) == 165
    # Lunch is not working time.
    assert standard.working_minutes_between(T(2027, 1, 4, 12), T(2027, 1, 4, 13)) == 0
    # Friday 15:00 to Monday 10:00 skips the weekend: 2 h + 2 h.
    assert standard.working_minutes_between(T(2027, 1, 8, 15), T(2027, 1, 11, 10)) == 240
    # A whole calendar week, midnight to midnight.
    assert standard.working_minutes_between(T(2027, 1, 4), T(2027, 1, 11)) == 2400


def test_working_minutes_between_is_zero_when_finish_is_not_after_start():
    standard = effective(Calendar.standard())
    assert standard.working_minutes_between(T(2027, 1, 4, 10), T(2027, 1, 4, 10)) == 0
    assert standard.working_minutes_between(T(2027, 1, 4, 15), T(2027, 1, 4, 9)) == 0
    assert standard.working_minutes_between(T(2027, 1, 8, 9), T(2027, 1, 4, 9)) == 0


def test_twenty_four_hours_calendar_counts_clock_minutes():
    clock = effective(Calendar.twenty_four_hours())
    assert clock.working_minutes_between(T(2027, 1, 4), T(2027, 1, 11)) == 10080
    assert clock.working_minutes_between(T(2027, 1, 9, 22), T(2027, 1, 10, 2)) == 240
    assert clock.working_minutes(D(2027, 1, 10)) == 1440


def test_night_shift_calendar_working_minutes():
    night = effective(Calendar.night_shift())
    assert night.working_minutes_between(T(2027, 1, 4), T(2027, 1, 11)) == 2400
    # One shift: Monday 23:00 to Tuesday 08:00, less the 03:00-04:00 break.
    assert night.working_minutes_between(T(2027, 1, 4, 23), T(2027, 1, 5, 8)) == 480
    assert night.working_minutes(D(2027, 1, 5)) == 480  # Tuesday
    assert night.working_minutes(D(2027, 1, 9)) == 420  # Saturday morning
    assert not night.is_working_day(D(2027, 1, 10))  # Sunday


def test_is_working_day_and_working_minutes_on_standard():
    standard = effective(Calendar.standard())
    assert standard.is_working_day(D(2027, 1, 4))
    assert standard.working_minutes(D(2027, 1, 4)) == 480
    assert not standard.is_working_day(D(2027, 1, 9))
    assert standard.working_minutes(D(2027, 1, 9)) == 0


# --------------------------------------------------------------------------- exceptions


def test_a_holiday_removes_a_day():
    calendar = Calendar.standard()
    calendar.add_holiday("Founders' day", "2027-01-06")
    standard = effective(calendar)
    assert standard.working_minutes(D(2027, 1, 6)) == 0
    assert standard.working_minutes_between(T(2027, 1, 4), T(2027, 1, 11)) == 1920


def test_a_multi_day_shutdown_covers_every_day_inclusive():
    exception = CalendarException(name="Shutdown", start="2027-12-24", finish="2028-01-02")
    assert exception.nonworking
    assert exception.covers(D(2027, 12, 24))
    assert exception.covers(D(2028, 1, 2))
    assert not exception.covers(D(2027, 12, 23))
    assert not exception.covers(D(2028, 1, 3))
    assert list(exception.occurrences(D(2027, 12, 30), D(2028, 1, 10))) == [
        D(2027, 12, 30), D(2027, 12, 31), D(2028, 1, 1), D(2028, 1, 2)]


def test_a_one_day_exception_finishes_on_its_start():
    exception = CalendarException(name="Holiday", start="2027-05-31")
    assert exception.finish == D(2027, 5, 31)
    assert list(exception.occurrences(D(2027, 1, 1), D(2027, 12, 31))) == [D(2027, 5, 31)]


def test_exception_occurrences_outside_the_range_are_none():
    exception = CalendarException(name="Holiday", start="2027-05-31")
    assert list(exception.occurrences(D(2027, 6, 1), D(2027, 6, 30))) == []


def test_an_exception_with_working_times_makes_a_weekend_day_work():
    calendar = Calendar.standard()
    calendar.add_exception("Saturday push", "2027-01-09", working_times=["08:00-12:00"])
    standard = effective(calendar)
    assert times(standard, D(2027, 1, 9)) == ["08:00-12:00"]
    assert standard.working_minutes_between(T(2027, 1, 4), T(2027, 1, 11)) == 2640


def test_an_exception_can_change_a_working_days_hours():
    calendar = Calendar.standard()
    calendar.add_exception("Half day", "2027-12-24", working_times=["08:00-12:00"])
    assert effective(calendar).working_minutes(D(2027, 12, 24)) == 240


def test_yearly_christmas_falls_on_the_real_weekdays():
    calendar = Calendar.standard()
    calendar.add_holiday("Christmas", "2027-12-25",
                         recurrence="FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25")
    standard = effective(calendar)
    # 25 Dec 2027 is a Saturday: the week before Christmas keeps its five days.
    assert standard.working_minutes_between(T(2027, 12, 20), T(2027, 12, 27)) == 2400
    # 25 Dec 2028 is a Monday: that week has four working days.
    assert standard.working_minutes_between(T(2028, 12, 25), T(2029, 1, 1)) == 1920
    assert not standard.is_working_day(D(2028, 12, 25))
    assert standard.is_working_day(D(2028, 12, 26))


def test_a_yearly_rule_recurs_on_its_start_date_each_year():
    exception = CalendarException(name="New Year", start="2027-01-01", recurrence="FREQ=YEARLY")
    assert list(exception.occurrences(D(2026, 1, 1), D(2030, 12, 31))) == [
        D(2027, 1, 1), D(2028, 1, 1), D(2029, 1, 1), D(2030, 1, 1)]
    assert not exception.covers(D(2026, 1, 1))  # before its start
    assert exception.covers(D(2101, 1, 1))  # no end


def test_monthly_first_monday():
    exception = CalendarException(name="Board day", start="2027-01-01",
                                  recurrence="FREQ=MONTHLY;BYDAY=1MO")
    assert list(exception.occurrences(D(2027, 1, 1), D(2027, 6, 30))) == [
        D(2027, 1, 4), D(2027, 2, 1), D(2027, 3, 1), D(2027, 4, 5), D(2027, 5, 3), D(2027, 6, 7)]
    assert exception.covers(D(2027, 4, 5))
    assert not exception.covers(D(2027, 4, 12))  # the second Monday
    assert not exception.covers(D(2027, 1, 1))  # the start itself is a Friday


def test_count_bounded_recurrence_stops_after_count():
    exception = CalendarException(name="Board day", start="2027-01-01",
                                  recurrence="FREQ=MONTHLY;BYDAY=1MO;COUNT=3")
    assert list(exception.occurrences(D(2027, 1, 1), D(2027, 12, 31))) == [
        D(2027, 1, 4), D(2027, 2, 1), D(2027, 3, 1)]
    assert exception.covers(D(2027, 3, 1))
    assert not exception.covers(D(2027, 4, 5))


def test_finish_bounded_recurrence_stops_at_finish():
    exception = CalendarException(name="Board day", start="2027-01-01", finish="2027-03-31",
                                  recurrence="FREQ=MONTHLY;BYDAY=1MO")
    assert list(exception.occurrences(D(2027, 1, 1), D(2027, 12, 31))) == [
        D(2027, 1, 4), D(2027, 2, 1), D(2027, 3, 1)]
    assert not exception.covers(D(2027, 4, 5))


def test_until_bounded_weekly_recurrence():
    # Every Friday of January 2027; 1 January 2027 is itself a Friday.
    exception = CalendarException(name="Short Fridays", start="2027-01-01",
                                  recurrence="FREQ=WEEKLY;BYDAY=FR;UNTIL=20270131",
                                  working_times=["08:00-12:00"])
    assert list(exception.occurrences(D(2026, 12, 1), D(2027, 3, 1))) == [
        D(2027, 1, 1), D(2027, 1, 8), D(2027, 1, 15), D(2027, 1, 22), D(2027, 1, 29)]
    assert not exception.nonworking


def test_recurring_exception_occurrences_in_a_window():
    exception = CalendarException(name="Board day", start="2027-01-01",
                                  recurrence="FREQ=MONTHLY;BYDAY=1MO")
    assert list(exception.occurrences(D(2027, 3, 2), D(2027, 5, 3))) == [
        D(2027, 4, 5), D(2027, 5, 3)]


def test_a_recurring_exception_removes_each_occurrence_from_the_calendar():
    calendar = Calendar.standard()
    calendar.add_exception("Board day", "2027-01-01", recurrence="FREQ=MONTHLY;BYDAY=1MO")
    standard = effective(calendar)
    # January 2027 has 21 weekdays; the first Monday (4 Jan) is off.
    assert standard.working_minutes_between(T(2027, 1, 1), T(2027, 2, 1)) == 20 * 480


@pytest.mark.parametrize(
    "rule",
    ["FREQ=HOURLY", "FREQ=SECONDLY", "BYMONTH=12", "FREQ=YEARLY;DTSTART=20270101",
     "FREQ=YEARLY;BYMONTHDAY=x", "FREQ=MONTHLY;BYDAY=XX", "FREQ=YEARLY;COUNT=2;UNTIL=20300101",
     "FREQ=YEARLY;FOO=1", "FREQ=YEARLY;INTERVAL=abc", "nonsense"],
)
def test_invalid_recurrence_rules_are_refused(rule):
    with pytest.raises(ValidationError) as info:
        CalendarException(name="Bad", start="2027-01-01", recurrence=rule)
    assert info.value.field == "recurrence"
    assert info.value.entity == "calendar exception 'Bad'"


@pytest.mark.parametrize("rule", [None, "FREQ=YEARLY"])
def test_an_exception_cannot_finish_before_it_starts(rule):
    with pytest.raises(ValidationError, match="before start") as info:
        CalendarException(name="Oops", start="2027-01-10", finish="2027-01-09", recurrence=rule)
    assert info.value.field == "finish"


def test_exception_working_times_cannot_overlap():
    with pytest.raises(ValidationError, match="overlap"):
        CalendarException(name="x", start="2027-01-09",
                          working_times=["08:00-12:00", "10:00-14:00"])


# --------------------------------------------------------------------------- alternate work weeks


def test_an_alternate_work_week_applies_between_its_dates_inclusive():
    calendar = Calendar.standard()
    calendar.add_work_week("Summer", "2027-07-02", "2027-08-27", {"fri": ["08:00-12:00"]})
    standard = effective(calendar)
    # 2 Jul and 27 Aug 2027 are Fridays; so are 25 Jun and 3 Sep, just outside.
    assert standard.working_minutes(D(2027, 7, 2)) == 240
    assert standard.working_minutes(D(2027, 8, 27)) == 240
    assert standard.working_minutes(D(2027, 6, 25)) == 480
    assert standard.working_minutes(D(2027, 9, 3)) == 480
    # Days the alternate week leaves open keep the calendar's own default.
    assert times(standard, D(2027, 7, 5)) == STANDARD_DAY


def test_an_exception_beats_an_alternate_work_week():
    calendar = Calendar.standard()
    calendar.add_work_week("Summer", "2027-07-01", "2027-08-31", {"fri": ["08:00-12:00"]})
    calendar.add_holiday("Summer holiday", "2027-07-09")
    assert effective(calendar).working_minutes(D(2027, 7, 9)) == 0


def test_work_week_period_validation():
    period = WorkWeekPeriod(name="Summer", start="2027-07-01", finish="2027-08-31",
                            week={"fri": []})
    assert period.start == D(2027, 7, 1)
    assert period.week.working_times(Weekday.FRIDAY) == ()
    with pytest.raises(ValidationError, match="before start") as info:
        WorkWeekPeriod(name="Backwards", start="2027-08-31", finish="2027-07-01", week={})
    assert info.value.entity == "work week 'Backwards'"


# --------------------------------------------------------------------------- derived calendars


@pytest.fixture
def standard() -> Calendar:
    return Calendar.standard()


def test_a_derived_calendar_follows_its_base_on_days_it_leaves_open(standard):
    part_time = Calendar(id="part-time", name="Part time", base="standard",
                         week={"fri": [], "sat": ["09:00-13:00"]})
    calendar = effective(part_time, standard)
    assert times(calendar, D(2027, 1, 4)) == STANDARD_DAY  # Monday, from Standard
    assert calendar.working_minutes(D(2027, 1, 8)) == 0  # Friday off
    assert times(calendar, D(2027, 1, 9)) == ["09:00-13:00"]  # Saturday, its own
    assert calendar.working_minutes(D(2027, 1, 10)) == 0  # Sunday, from Standard
    assert calendar.working_minutes_between(T(2027, 1, 4), T(2027, 1, 11)) == 4 * 480 + 240


def test_a_calendar_with_a_base_inherits_every_day_by_default(standard):
    derived = Calendar(id="team", name="Team", base="standard")
    assert derived.week == WorkWeek.inherited()
    calendar = effective(derived, standard)
    assert calendar.working_minutes_between(T(2027, 1, 4), T(2027, 1, 11)) == 2400


def test_base_holidays_apply_on_inherited_days(standard):
    standard.add_holiday("Founders' day", "2027-01-05")  # a Tuesday
    derived = Calendar(id="team", name="Team", base="standard", week={"mon": ["07:00-15:00"]})
    assert effective(derived, standard).working_minutes(D(2027, 1, 5)) == 0


def test_base_holidays_apply_on_days_the_derived_calendar_defines(standard):
    # As in MS Project, a holiday of the base calendar is a holiday for every calendar
    # derived from it, even on a weekday whose hours the derived calendar changes.
    standard.add_holiday("Christmas", "2027-12-25",
                         recurrence="FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25")
    early = Calendar(id="early", name="Early", base="standard",
                     week={"mon": ["07:00-15:00"], "sat": ["09:00-13:00"]})
    calendar = effective(early, standard)
    assert calendar.working_minutes(D(2028, 12, 25)) == 0  # a Monday
    assert calendar.working_minutes(D(2027, 12, 25)) == 0  # a Saturday it works otherwise
    assert times(calendar, D(2028, 12, 18)) == ["07:00-15:00"]  # the Monday before


def test_own_exceptions_override_base_exceptions(standard):
    standard.add_holiday("Christmas", "2027-12-25",
                         recurrence="FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25")
    support = Calendar(id="support", name="Support", base="standard")
    support.add_exception("On call", "2028-12-25", working_times=["09:00-13:00"])
    support.add_holiday("Training", "2028-12-27")
    calendar = effective(support, standard)
    assert times(calendar, D(2028, 12, 25)) == ["09:00-13:00"]
    assert calendar.working_minutes(D(2028, 12, 27)) == 0
    assert calendar.working_minutes(D(2028, 12, 26)) == 480


def test_a_derived_calendar_sees_later_changes_to_its_base(standard):
    derived = Calendar(id="team", name="Team", base="standard")
    calendar = effective(derived, standard)
    assert calendar.working_minutes(D(2027, 1, 6)) == 480
    standard.add_holiday("Founders' day", "2027-01-06")
    assert calendar.working_minutes(D(2027, 1, 6)) == 0


def test_base_alternate_work_week_reaches_inherited_days(standard):
    standard.add_work_week("Summer", "2027-07-01", "2027-08-31", {"fri": ["08:00-12:00"]})
    derived = Calendar(id="team", name="Team", base="standard", week={"mon": ["07:00-15:00"]})
    calendar = effective(derived, standard)
    assert calendar.working_minutes(D(2027, 7, 2)) == 240  # a summer Friday, from the base
    assert times(calendar, D(2027, 7, 5)) == ["07:00-15:00"]  # its own Monday


def test_days_a_derived_alternate_week_leaves_open_follow_the_base(standard):
    # MS Project: in a resource calendar's work week, an unset day "uses times from the base
    # calendar" -- not the resource calendar's own default week.
    derived = Calendar(id="team", name="Team", base="standard", week={"mon": ["07:00-15:00"]})
    derived.add_work_week("Summer", "2027-07-01", "2027-08-31", {"fri": []})
    calendar = effective(derived, standard)
    assert calendar.working_minutes(D(2027, 7, 2)) == 0  # summer Friday off
    assert times(calendar, D(2027, 7, 5)) == STANDARD_DAY  # summer Monday: the base's
    assert times(calendar, D(2027, 9, 6)) == ["07:00-15:00"]  # after summer: its own


def test_a_three_level_chain(standard):
    region = Calendar(id="region", name="Region", base="standard", week={"fri": ["08:00-12:00"]})
    region.add_holiday("Regional day", "2027-01-06")
    team = Calendar(id="team", name="Team", base="region", week={"mon": []})
    calendar = effective(team, region, standard)
    assert [c.id for c in calendar.chain] == ["team", "region", "standard"]
    assert calendar.calendar is team
    assert calendar.working_minutes(D(2027, 1, 4)) == 0  # team: Monday off
    assert calendar.working_minutes(D(2027, 1, 5)) == 480  # standard Tuesday
    assert calendar.working_minutes(D(2027, 1, 6)) == 0  # region holiday
    assert calendar.working_minutes(D(2027, 1, 8)) == 240  # region Friday


def test_a_calendar_without_a_base_must_define_every_day():
    with pytest.raises(ValidationError, match="every weekday") as info:
        Calendar(id="ops", name="Ops", week={"mon": STANDARD_DAY})
    assert str(info.value).startswith("calendar 'ops'.week: ")


def test_a_calendar_cannot_be_its_own_base():
    with pytest.raises(CycleError) as info:
        Calendar(id="ops", name="Ops", base="ops")
    assert info.value.cycle == ("ops", "ops")


def test_resolving_a_base_loop_names_the_calendars():
    a = Calendar(id="a", name="A", base="b")
    b = Calendar(id="b", name="B", base="a")
    with pytest.raises(CycleError) as info:
        EffectiveCalendar.resolve("a", {"a": a, "b": b})
    assert info.value.cycle == ("a", "b", "a")
    assert "calendar base cycle: a -> b -> a" in str(info.value)


def test_resolving_a_longer_base_loop_lists_every_calendar_on_it():
    cals = {"a": Calendar(id="a", name="A", base="b"), "b": Calendar(id="b", name="B", base="c"),
            "c": Calendar(id="c", name="C", base="a"),
            "d": Calendar(id="d", name="D", base="b")}
    with pytest.raises(CycleError) as info:
        EffectiveCalendar.resolve("d", cals)
    assert info.value.cycle == ("b", "c", "a", "b")  # d leads into the loop but is not on it


def test_resolving_an_unknown_calendar():
    with pytest.raises(UnknownReferenceError) as info:
        EffectiveCalendar.resolve("nope", {}, referrer="task 'T1' (A)", field="calendar")
    assert info.value.reference == "nope"
    assert str(info.value) == "task 'T1' (A).calendar: unknown calendar id 'nope'"


def test_resolving_a_missing_base_names_the_calendar_that_refers_to_it():
    team = Calendar(id="team", name="Team", base="gone")
    with pytest.raises(UnknownReferenceError) as info:
        EffectiveCalendar.resolve("team", {"team": team}, referrer="project 'P'",
                                  field="calendar")
    assert info.value.reference == "gone"
    assert str(info.value) == "calendar 'team'.base: unknown calendar id 'gone'"


# --------------------------------------------------------------------------- has_working_time

_ALL_OFF = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), ())


def test_built_in_calendars_have_working_time():
    for make in (Calendar.standard, Calendar.twenty_four_hours, Calendar.night_shift):
        assert effective(make()).has_working_time()


def test_a_calendar_with_no_working_day_has_no_working_time():
    assert not effective(Calendar(id="idle", name="Idle", week=_ALL_OFF)).has_working_time()


def test_working_exceptions_count_as_working_time():
    idle = Calendar(id="idle", name="Idle", week=_ALL_OFF)
    idle.add_exception("Inventory day", "2027-06-30", working_times=["08:00-12:00"])
    assert effective(idle).has_working_time()


def test_alternate_work_weeks_count_as_working_time():
    idle = Calendar(id="idle", name="Idle", week=_ALL_OFF)
    idle.add_work_week("Season", "2027-06-01", "2027-08-31", {"sat": ["08:00-12:00"]})
    assert effective(idle).has_working_time()


def test_a_derived_calendar_that_turns_every_day_off_has_no_working_time(standard):
    off = Calendar(id="off", name="Off", base="standard", week=_ALL_OFF)
    assert not effective(off, standard).has_working_time()


def test_a_derived_calendar_working_one_day_of_an_idle_base_has_working_time():
    idle = Calendar(id="idle", name="Idle", week=_ALL_OFF)
    weekend = Calendar(id="weekend", name="Weekend", base="idle", week={"sat": ["10:00-16:00"]})
    assert effective(weekend, idle).has_working_time()


# --------------------------------------------------------------------------- calendars in projects


def test_a_new_project_has_the_standard_calendar():
    project = Project("P")
    assert project.calendar == "standard"
    assert set(project.calendars) == {"standard"}
    assert project.effective_calendar().working_minutes_between(
        T(2027, 1, 4), T(2027, 1, 11)) == 2400


def test_projects_do_not_share_calendar_objects():
    first, second = Project("A"), Project("B")
    first.calendars["standard"].add_holiday("Only in A", "2027-01-06")
    assert second.effective_calendar().working_minutes(D(2027, 1, 6)) == 480


def test_add_calendar_derives_from_a_base_and_slugs_its_id():
    project = Project("P")
    ops = project.add_calendar("Ops 24x7", week=WorkWeek.twenty_four_hours())
    assert ops.id == "ops-24x7"
    again = project.add_calendar("Ops 24x7", week=WorkWeek.twenty_four_hours())
    assert again.id == "ops-24x7-2"
    team = project.add_calendar("Team", base="standard", week={"fri": []})
    assert team.base == "standard"
    assert project.effective_calendar("team").working_minutes_between(
        T(2027, 1, 4), T(2027, 1, 11)) == 1920


def test_add_calendar_accepts_a_calendar_as_base():
    project = Project("P")
    team = project.add_calendar("Team", base=project.calendars["standard"])
    assert team.base == "standard"


def test_add_calendar_refuses_an_unknown_base_and_a_taken_id():
    project = Project("P")
    with pytest.raises(UnknownReferenceError) as info:
        project.add_calendar("Team", base="nope")
    assert info.value.field == "base"
    with pytest.raises(ValidationError, match="already used"):
        project.add_calendar("Another standard", id="standard", week=WorkWeek.standard())
    assert set(project.calendars) == {"standard"}


def test_effective_calendar_of_an_unknown_id_names_the_project():
    project = Project("P")
    with pytest.raises(UnknownReferenceError) as info:
        project.effective_calendar("nope")
    assert str(info.value) == "project 'P'.calendar: unknown calendar id 'nope'"


def test_a_task_is_scheduled_on_its_own_calendar_or_the_projects():
    project = Project("P")
    project.calendars["night-shift"] = Calendar.night_shift()
    night = project.add_task("Batch run", "1d", calendar="night-shift")
    day = project.add_task("Review", "1d")
    assert project.task_calendar(night).calendar.id == "night-shift"
    assert project.task_calendar(day).calendar.id == "standard"


# --------------------------------------------------------------------------- properties

_START = T(2027, 1, 1)


def _project_calendars() -> dict[str, EffectiveCalendar]:
    standard = Calendar.standard()
    standard.add_holiday("Christmas", "2027-12-25",
                         recurrence="FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25")
    standard.add_exception("Board day", "2027-01-01", recurrence="FREQ=MONTHLY;BYDAY=1MO")
    standard.add_work_week("Summer", "2027-07-01", "2027-08-31", {"fri": ["08:00-12:00"]})
    team = Calendar(id="team", name="Team", base="standard", week={"sat": ["09:00-13:00"]})
    team.add_exception("Late shift", "2027-03-03", working_times=["12:00-20:00"])
    everything = {c.id: c for c in (standard, team, Calendar.night_shift(),
                                    Calendar.twenty_four_hours())}
    return {key: EffectiveCalendar.resolve(key, everything) for key in everything}


_CALENDARS = _project_calendars()
_moments = st.integers(min_value=0, max_value=400 * 1440).map(
    lambda minutes: _START + dt.timedelta(minutes=minutes))


@settings(deadline=None, max_examples=150)
@given(key=st.sampled_from(sorted(_CALENDARS)), moments=st.lists(_moments, min_size=3,
                                                                  max_size=3))
def test_working_minutes_add_up_over_consecutive_spans(key, moments):
    a, b, c = sorted(moments)
    calendar = _CALENDARS[key]
    assert calendar.working_minutes_between(a, b) + calendar.working_minutes_between(b, c) == \
        calendar.working_minutes_between(a, c)


@settings(deadline=None, max_examples=150)
@given(moments=st.lists(_moments, min_size=2, max_size=2))
def test_a_24_hour_calendar_counts_every_clock_minute(moments):
    a, b = sorted(moments)
    clock = _CALENDARS["24-hours"]
    assert clock.working_minutes_between(a, b) == (b - a) // dt.timedelta(minutes=1)


@settings(deadline=None, max_examples=150)
@given(key=st.sampled_from(sorted(_CALENDARS)), moments=st.lists(_moments, min_size=2,
                                                                  max_size=2))
def test_working_minutes_never_exceed_clock_minutes(key, moments):
    a, b = sorted(moments)
    minutes = _CALENDARS[key].working_minutes_between(a, b)
    assert 0 <= minutes <= (b - a) // dt.timedelta(minutes=1)


@settings(deadline=None)
@given(week=st.integers(min_value=0, max_value=51))
def test_every_week_of_2027_has_forty_night_shift_hours(week):
    monday = T(2027, 1, 4) + dt.timedelta(weeks=week)
    night = _CALENDARS["night-shift"]
    assert night.working_minutes_between(monday, monday + dt.timedelta(days=7)) == 2400
