"""Durations and calendar options, checked against Microsoft Project's documented conventions.

Oracles: MS Project's default calendar options (8 h/day = 480 min, 40 h/week = 2400 min,
20 days/month), its elapsed units (an elapsed day is 24 h, an elapsed week 7 elapsed days, an
elapsed month 30 elapsed days), and the spellings its duration fields accept ("2 wks", "3 days",
"1.5ed", "4 hrs", "3d?" for an estimate).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmcore.errors import ValidationError
from pmcore.model import CalendarOptions, Duration, DurationUnit
from pmcore.model.duration import to_duration

U = DurationUnit

# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "value", "unit", "estimated"),
    [
        ("2 wks", 2, U.WEEKS, False),
        ("3 days", 3, U.DAYS, False),
        ("1.5ed", 1.5, U.ELAPSED_DAYS, False),
        ("4 hrs", 4, U.HOURS, False),
        ("3d?", 3, U.DAYS, True),
        ("3 days?", 3, U.DAYS, True),
        ("1 day", 1, U.DAYS, False),
        ("1 week", 1, U.WEEKS, False),
        ("1w", 1, U.WEEKS, False),
        ("2 months", 2, U.MONTHS, False),
        ("2mo", 2, U.MONTHS, False),
        ("2 mons", 2, U.MONTHS, False),
        ("30 mins", 30, U.MINUTES, False),
        ("30m", 30, U.MINUTES, False),
        ("10 minutes", 10, U.MINUTES, False),
        ("3 hours", 3, U.HOURS, False),
        ("1 hr", 1, U.HOURS, False),
        ("45 emins", 45, U.ELAPSED_MINUTES, False),
        ("6eh", 6, U.ELAPSED_HOURS, False),
        ("2 edays", 2, U.ELAPSED_DAYS, False),
        ("1ew", 1, U.ELAPSED_WEEKS, False),
        ("1 emo", 1, U.ELAPSED_MONTHS, False),
        ("50%", 50, U.PERCENT, False),
        ("25e%", 25, U.ELAPSED_PERCENT, False),
        ("-2d", -2, U.DAYS, False),
        ("+1w", 1, U.WEEKS, False),
        ("5", 5, U.DAYS, False),  # a bare number is days, MS Project's default unit
        (".5d", 0.5, U.DAYS, False),
        ("3 DAYS", 3, U.DAYS, False),
        ("  4h  ", 4, U.HOURS, False),
        ("2 Wks", 2, U.WEEKS, False),
    ],
)
def test_parse_reads_microsoft_project_spellings(text, value, unit, estimated):
    duration = Duration.parse(text)
    assert duration.value == value
    assert duration.unit is unit
    assert duration.estimated is estimated


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("2 wks", "2w"),
        ("3 days", "3d"),
        ("1.5ed", "1.5ed"),
        ("4 hrs", "4h"),
        ("3d?", "3d?"),
        ("-2d", "-2d"),
        ("-0.5 ew", "-0.5ew"),
        ("50%", "50%"),
        ("25e%", "25e%"),
        ("5", "5d"),
        ("2 months", "2mo"),
        ("2 emons", "2emo"),
        ("90 emins", "90em"),
        ("0d", "0d"),
        ("-0d", "0d"),
    ],
)
def test_str_is_the_short_form_and_parses_back(text, canonical):
    duration = Duration.parse(text)
    assert str(duration) == canonical
    assert Duration.parse(canonical) == duration


def test_repr_shows_the_short_form():
    assert repr(Duration.parse("2 wks")) == "Duration('2w')"


def test_a_duration_keeps_the_unit_it_was_entered_in():
    # Two weeks stays two weeks: what a week is depends on the project's calendar options.
    two_weeks, ten_days = Duration.parse("2w"), Duration.parse("10d")
    assert two_weeks.unit is U.WEEKS
    assert two_weeks != ten_days
    assert two_weeks.to_minutes() == ten_days.to_minutes() == 4800


@pytest.mark.parametrize("text", ["3 fortnights", "3x", "2 years", "4 secs"])
def test_unknown_unit_is_a_validation_error_naming_the_unit(text):
    unit = text.split(" ")[-1] if " " in text else text.lstrip("0123456789")
    with pytest.raises(ValidationError, match="unknown unit") as info:
        Duration.parse(text)
    assert repr(unit) in str(info.value)
    assert info.value.entity == "duration"


@pytest.mark.parametrize("text", ["", "   ", "abc", "d3", "3d??", "1e3d", "3 d d", "--2d", "?"])
def test_text_that_is_not_a_duration_is_refused(text):
    with pytest.raises(ValidationError, match="is not a duration"):
        Duration.parse(text)


# --------------------------------------------------------------------------- construction


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: Duration.minutes(30), Duration(30, U.MINUTES)),
        (lambda: Duration.hours(4), Duration(4, U.HOURS)),
        (lambda: Duration.days(3), Duration(3, U.DAYS)),
        (lambda: Duration.weeks(2), Duration(2, U.WEEKS)),
        (lambda: Duration(2, "w"), Duration(2, U.WEEKS)),
        (lambda: Duration(7), Duration(7, U.DAYS)),
    ],
)
def test_constructors(make, expected):
    assert make() == expected


def test_zero_is_zero_days():
    assert Duration(0, U.DAYS) == Duration.ZERO
    assert Duration.ZERO.is_zero
    assert str(Duration.ZERO) == "0d"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_refused(value):
    with pytest.raises(ValidationError, match="finite"):
        Duration(value, U.DAYS)


def test_text_is_not_a_value_and_the_error_points_to_parse():
    with pytest.raises(ValidationError, match=r"Duration\.parse") as info:
        Duration("3d")
    assert info.value.field == "value"


def test_an_unknown_unit_label_is_a_validation_error():
    with pytest.raises(ValidationError, match="unknown unit") as info:
        Duration(2, "fortnight")
    assert info.value.field == "unit"


def test_durations_are_immutable():
    duration = Duration(2, U.DAYS)
    with pytest.raises(AttributeError):
        duration.value = 3  # type: ignore[misc]


def test_negation_makes_a_lead_and_keeps_unit_and_estimate():
    lead = -Duration.parse("2d?")
    assert lead == Duration(-2, U.DAYS, estimated=True)
    assert str(lead) == "-2d?"
    assert -lead == Duration.parse("2d?")


@pytest.mark.parametrize(
    ("unit", "elapsed", "percent"),
    [
        (U.MINUTES, False, False),
        (U.DAYS, False, False),
        (U.MONTHS, False, False),
        (U.ELAPSED_MINUTES, True, False),
        (U.ELAPSED_DAYS, True, False),
        (U.ELAPSED_MONTHS, True, False),
        (U.PERCENT, False, True),
        (U.ELAPSED_PERCENT, True, True),
    ],
)
def test_unit_kinds(unit, elapsed, percent):
    assert unit.elapsed is elapsed
    assert unit.percent is percent
    assert Duration(1, unit).elapsed is elapsed
    assert Duration(1, unit).is_percent is percent


def test_is_zero_in_any_unit():
    assert Duration(0, U.WEEKS).is_zero
    assert Duration(0, U.ELAPSED_HOURS).is_zero
    assert not Duration(0.001, U.MINUTES).is_zero


# --------------------------------------------------------------------------- to_duration


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Duration(2, U.WEEKS), Duration(2, U.WEEKS)),
        ("3d", Duration(3, U.DAYS)),
        ("1.5ed", Duration(1.5, U.ELAPSED_DAYS)),
        (2, Duration(2, U.DAYS)),
        (1.5, Duration(1.5, U.DAYS)),
    ],
)
def test_to_duration_accepts_durations_text_and_numbers_of_days(value, expected):
    assert to_duration(value) == expected


@pytest.mark.parametrize("value", [True, None, [3], {"d": 3}])
def test_to_duration_refuses_other_values(value):
    with pytest.raises(ValidationError, match="expected a duration"):
        to_duration(value)


# --------------------------------------------------------------------------- conversions


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1m", 1),
        ("1h", 60),
        ("1d", 480),  # 8 hours a day
        ("1w", 2400),  # 40 hours a week
        ("1mo", 9600),  # 20 working days of 8 hours
        ("2.5d", 1200),
        ("1em", 1),
        ("1eh", 60),
        ("1ed", 1440),  # an elapsed day is 24 hours
        ("1.5ed", 2160),
        ("1ew", 10080),  # 7 elapsed days
        ("1emo", 43200),  # 30 elapsed days
        ("-2d", -960),
    ],
)
def test_minutes_under_microsoft_project_defaults(text, minutes):
    assert Duration.parse(text).to_minutes() == minutes
    assert Duration.parse(text).to_minutes(CalendarOptions()) == minutes


def test_working_units_follow_the_project_options_and_elapsed_units_do_not():
    # A 7.5-hour day, 37.5-hour week, 21-day month.
    options = CalendarOptions(minutes_per_day=450, minutes_per_week=2250, days_per_month=21)
    assert Duration.parse("1d").to_minutes(options) == 450
    assert Duration.parse("1w").to_minutes(options) == 2250
    assert Duration.parse("1mo").to_minutes(options) == 450 * 21
    assert Duration.parse("3h").to_minutes(options) == 180
    assert Duration.parse("1ed").to_minutes(options) == 1440
    assert Duration.parse("1ew").to_minutes(options) == 10080


@pytest.mark.parametrize(
    ("text", "days"),
    [("2w", 10.0), ("12h", 1.5), ("1mo", 20.0), ("1.5ed", 1.5), ("36eh", 1.5), ("1ew", 7.0)],
)
def test_to_days(text, days):
    assert Duration.parse(text).to_days() == days


def test_to_days_uses_the_options_day_length():
    options = CalendarOptions(minutes_per_day=450, minutes_per_week=2250)
    assert Duration.parse("15h").to_days(options) == 2.0
    assert Duration.parse("1w").to_days(options) == 5.0


@pytest.mark.parametrize("text", ["50%", "25e%"])
def test_a_percentage_has_no_length_of_its_own(text):
    with pytest.raises(ValidationError, match="percentage"):
        Duration.parse(text).to_minutes()


# --------------------------------------------------------------------------- calendar options


def test_calendar_options_default_to_microsoft_project_values():
    options = CalendarOptions()
    assert (options.minutes_per_day, options.minutes_per_week, options.days_per_month) == (
        480, 2400, 20)
    assert options.hours_per_day == 8.0
    assert options.hours_per_week == 40.0


@pytest.mark.parametrize("field", ["minutes_per_day", "minutes_per_week", "days_per_month"])
@pytest.mark.parametrize("value", [0, -1, 1.5, True, "480", None])
def test_calendar_options_must_be_positive_whole_numbers(field, value):
    with pytest.raises(ValidationError, match="positive whole number") as info:
        CalendarOptions(**{field: value})
    assert info.value.field == field
    assert str(info.value).startswith(f"calendar options.{field}: ")


def test_a_day_has_at_most_1440_minutes():
    assert CalendarOptions(minutes_per_day=1440, minutes_per_week=10080).minutes_per_day == 1440
    with pytest.raises(ValidationError, match="1440") as info:
        CalendarOptions(minutes_per_day=1441)
    assert info.value.field == "minutes_per_day"


def test_a_week_has_at_most_10080_minutes():
    assert CalendarOptions(minutes_per_week=10080).minutes_per_week == 10080
    with pytest.raises(ValidationError, match="10080") as info:
        CalendarOptions(minutes_per_week=10081)
    assert info.value.field == "minutes_per_week"


# --------------------------------------------------------------------------- properties


@settings(deadline=None, max_examples=300)
@given(
    value=st.floats(allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(DurationUnit),
    estimated=st.booleans(),
)
def test_str_then_parse_gives_back_the_same_duration(value, unit, estimated):
    duration = Duration(value, unit, estimated=estimated)
    again = Duration.parse(str(duration))
    assert again == duration
    assert again.unit is unit
    assert again.estimated is estimated


@settings(deadline=None)
@given(
    whole=st.integers(min_value=0, max_value=10_000),
    tenths=st.integers(min_value=0, max_value=9),
    spelling=st.sampled_from(
        [("w", U.WEEKS), ("wk", U.WEEKS), ("wks", U.WEEKS), ("weeks", U.WEEKS),
         ("d", U.DAYS), ("dy", U.DAYS), ("days", U.DAYS), ("h", U.HOURS), ("hrs", U.HOURS),
         ("min", U.MINUTES), ("mo", U.MONTHS), ("ed", U.ELAPSED_DAYS),
         ("ewks", U.ELAPSED_WEEKS), ("ehrs", U.ELAPSED_HOURS), ("emin", U.ELAPSED_MINUTES)]),
    space=st.sampled_from(["", " "]),
    sign=st.sampled_from(["", "-"]),
)
def test_any_number_with_any_spelling_parses(whole, tenths, spelling, space, sign):
    alias, unit = spelling
    duration = Duration.parse(f"{sign}{whole}.{tenths}{space}{alias}")
    expected = float(f"{whole}.{tenths}")
    assert duration.value == (-expected if sign else expected)
    assert duration.unit is unit
