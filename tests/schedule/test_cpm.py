"""The critical path method, with every expected date worked out by hand from Microsoft Project.

The rules used as the oracle (Microsoft Project, Standard calendar, default options):

* Monday-Friday 08:00-12:00 and 13:00-17:00; 1d = 8h = 480 working minutes, 1w = 5d,
  1mo = 20d.
* A task starts at the start of the next working period and finishes at the end of its last
  working minute: a successor of a task finishing on Friday at 17:00 starts on Monday at 08:00.
* A milestone sits at the finish of what drives it (Friday 17:00), or at the project start.
* Lags are working time on the successor's calendar, elapsed lags (``ed``, ``eh``) clock time,
  percentage lags a share of the predecessor's duration.

Calendar used throughout (January 2027)::

    Mo Tu We Th Fr Sa Su
     4  5  6  7  8  9 10
    11 12 13 14 15 16 17
    18 19 20 21 22 23 24
    25 26 27 28 29 30 31

Friday 1 January and the week of 28 December 2026 precede it.
"""

from __future__ import annotations

import datetime as dt

import pytest

import pmcore
from pmcore import Project, Task
from pmcore.errors import CycleError, ValidationError
from pmcore.model import Calendar, Dependency, WorkWeek
from pmcore.schedule import Schedule

DAY = 480

RECORD_KEYS = {"id", "name", "wbs", "refs", "start", "finish", "early_start", "early_finish",
               "late_start", "late_finish", "total_float_minutes", "free_float_minutes",
               "critical", "summary", "milestone"}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def span(schedule: Schedule, task: Task | str) -> tuple[str, str]:
    """A task's scheduled start and finish as ISO text, for compact assertions."""
    found = schedule[task]
    return found.start.isoformat(timespec="minutes"), found.finish.isoformat(timespec="minutes")


def early_late(schedule: Schedule, task: Task | str) -> tuple[str, ...]:
    found = schedule[task]
    return tuple(d.isoformat(timespec="minutes") for d in (
        found.early_start, found.early_finish, found.late_start, found.late_finish))


@pytest.fixture
def project() -> Project:
    return Project("Test", start="2027-01-04")  # Monday, 08:00


# ---------------------------------------------------------------------- durations and days


def test_a_one_day_task_from_monday_morning_finishes_monday_at_five(project):
    task = project.add_task("A", "1d")
    assert span(project.schedule(), task) == ("2027-01-04T08:00", "2027-01-04T17:00")


def test_half_days_split_at_lunch(project):
    first = project.add_task("Morning", "4h")
    second = project.add_task("Afternoon", "4h", after=first)
    third = project.add_task("Next morning", "4h", after=second)
    s = project.schedule()
    assert span(s, first) == ("2027-01-04T08:00", "2027-01-04T12:00")
    assert span(s, second) == ("2027-01-04T13:00", "2027-01-04T17:00")
    assert span(s, third) == ("2027-01-05T08:00", "2027-01-05T12:00")


@pytest.mark.parametrize(("duration", "finish"), [
    ("1d", "2027-01-04T17:00"),
    ("90m", "2027-01-04T09:30"),
    ("6h", "2027-01-04T15:00"),  # 4h before lunch, 2h after
    ("2.5d", "2027-01-06T12:00"),
    ("1w", "2027-01-08T17:00"),
    ("2w", "2027-01-15T17:00"),
    ("1mo", "2027-01-29T17:00"),  # 20 working days
])
def test_duration_units(project, duration, finish):
    task = project.add_task("A", duration)
    assert span(project.schedule(), task) == ("2027-01-04T08:00", finish)


def test_a_successor_of_a_friday_finish_starts_on_monday_morning(project):
    week = project.add_task("Week", "5d")
    after = project.add_task("After", "1d", after=week)
    s = project.schedule()
    assert span(s, week) == ("2027-01-04T08:00", "2027-01-08T17:00")
    assert span(s, after) == ("2027-01-11T08:00", "2027-01-11T17:00")
    assert s.finish == at("2027-01-11T17:00")
    assert s.start == at("2027-01-04T08:00")


def test_a_project_starting_on_a_sunday_starts_work_on_monday():
    project = Project("Test", start="2027-01-03")  # Sunday
    task = project.add_task("A", "1d")
    assert span(project.schedule(), task) == ("2027-01-04T08:00", "2027-01-04T17:00")


def test_a_project_starting_at_noon_starts_after_lunch():
    project = Project("Test", start="2027-01-04T12:00")
    task = project.add_task("A", "1d")
    assert span(project.schedule(), task) == ("2027-01-04T13:00", "2027-01-05T12:00")


# ---------------------------------------------------------------------- milestones


def test_a_milestone_after_a_friday_finish_is_on_friday_at_five(project):
    week = project.add_task("Week", "5d")
    done = project.add_milestone("Done", after=week)
    s = project.schedule()
    assert span(s, done) == ("2027-01-08T17:00", "2027-01-08T17:00")
    assert s[done].milestone
    assert s[done].early_start == s[done].early_finish == at("2027-01-08T17:00")


def test_a_milestone_at_the_project_start_is_at_eight(project):
    kickoff = project.add_milestone("Kick-off")
    work = project.add_task("Work", "2d", after=kickoff)
    s = project.schedule()
    assert span(s, kickoff) == ("2027-01-04T08:00", "2027-01-04T08:00")
    assert span(s, work) == ("2027-01-04T08:00", "2027-01-05T17:00")


def test_a_half_day_then_a_milestone_is_at_noon(project):
    half = project.add_task("Half", "4h")
    gate = project.add_milestone("Gate", after=half)
    assert span(project.schedule(), gate) == ("2027-01-04T12:00", "2027-01-04T12:00")


def test_a_milestone_on_an_elapsed_lag_into_the_weekend_waits_for_monday(project):
    # Friday 17:00 + 2ed is Sunday 17:00, not working time: the milestone is shown when work
    # can next happen, Monday 08:00.
    week = project.add_task("Week", "5d")
    gate = project.add_milestone("Gate")
    project.link(week, gate, lag="2ed")
    assert span(project.schedule(), gate) == ("2027-01-11T08:00", "2027-01-11T08:00")


def test_the_late_dates_of_a_floating_milestone_at_the_project_start(project):
    # Kick-off has no successors: it may slip to the project's finish, Monday 11 at 17:00,
    # six working days. Its late dates are that finish, never after it.
    project.add_task("Work", "6d")
    kickoff = project.add_milestone("Kick-off")
    s = project.schedule()
    assert s.finish == at("2027-01-11T17:00")
    assert span(s, kickoff) == ("2027-01-04T08:00", "2027-01-04T08:00")
    assert s[kickoff].total_float_minutes == 6 * DAY
    assert s[kickoff].late_finish == at("2027-01-11T17:00")
    assert s[kickoff].late_start == at("2027-01-11T17:00")


def test_a_project_of_one_milestone_starts_and_finishes_at_its_start(project):
    kickoff = project.add_milestone("Kick-off")
    s = project.schedule()
    assert span(s, kickoff) == ("2027-01-04T08:00", "2027-01-04T08:00")
    assert s.start == s.finish == at("2027-01-04T08:00")


def test_an_empty_project_finishes_where_it_starts(project):
    s = project.schedule()
    assert len(s) == 0
    assert s.start == s.finish == at("2027-01-04T08:00")
    assert s.critical_path == ()
    assert s.to_records() == []


# ---------------------------------------------------------------------- link types and lags

# A: 4d, Monday 4 08:00 - Thursday 7 17:00. B: 2d.
LINKS = [
    ("FS", "0d", "2027-01-08T08:00", "2027-01-11T17:00"),
    ("FS", "2d", "2027-01-12T08:00", "2027-01-13T17:00"),  # Fri and Mon are the lag
    ("FS", "4h", "2027-01-08T13:00", "2027-01-12T12:00"),
    ("FS", "-1d", "2027-01-07T08:00", "2027-01-08T17:00"),  # a one-day lead
    ("FS", "-4h", "2027-01-07T13:00", "2027-01-11T12:00"),
    ("SS", "0d", "2027-01-04T08:00", "2027-01-05T17:00"),
    ("SS", "2d", "2027-01-06T08:00", "2027-01-07T17:00"),
    ("SS", "1.5d", "2027-01-05T13:00", "2027-01-07T12:00"),
    ("FF", "0d", "2027-01-06T08:00", "2027-01-07T17:00"),
    ("FF", "1d", "2027-01-07T08:00", "2027-01-08T17:00"),
    ("FF", "-1d", "2027-01-05T08:00", "2027-01-06T17:00"),
    # SF: B may not finish before A starts (+lag). Monday 08:00 + 3d = Thursday 08:00, which
    # as a finish is Wednesday 17:00 (no working time between).
    ("SF", "3d", "2027-01-05T08:00", "2027-01-06T17:00"),
    ("SF", "4d", "2027-01-06T08:00", "2027-01-07T17:00"),
    # An SF link whose date is before the project start leaves B at the project start.
    ("SF", "0d", "2027-01-04T08:00", "2027-01-05T17:00"),
    # Elapsed lags run on the clock: Thursday 17:00 + 16h = Friday 09:00; B (16 working
    # hours) then works Fri 09-17 (7h), Mon (8h), Tue 08-09 (1h).
    ("FS", "16eh", "2027-01-08T09:00", "2027-01-12T09:00"),
    # Thursday 17:00 + 1ed = Friday 17:00: not working time, so Monday 08:00.
    ("FS", "1ed", "2027-01-11T08:00", "2027-01-12T17:00"),
    ("FS", "12eh", "2027-01-08T08:00", "2027-01-11T17:00"),  # Friday 05:00 -> 08:00
    ("SS", "1ed", "2027-01-05T08:00", "2027-01-06T17:00"),
    # Percentage lags are a share of the predecessor's 4 days.
    ("FS", "50%", "2027-01-12T08:00", "2027-01-13T17:00"),
    ("SS", "25%", "2027-01-05T08:00", "2027-01-06T17:00"),
    ("SS", "62.5%", "2027-01-06T13:00", "2027-01-08T12:00"),  # 2.5d
    ("FS", "-25%", "2027-01-07T08:00", "2027-01-08T17:00"),
    # An elapsed percentage is that share of the 32 working hours on the clock: 50e% = 16
    # elapsed hours, so the same dates as FS+16eh.
    ("FS", "50e%", "2027-01-08T09:00", "2027-01-12T09:00"),
]


@pytest.mark.parametrize(("kind", "lag", "start", "finish"), LINKS,
                         ids=[f"{k}{'+' if not lag.startswith('-') else ''}{lag}"
                              for k, lag, *_ in LINKS])
def test_link_types_and_lags(project, kind, lag, start, finish):
    a = project.add_task("A", "4d")
    b = project.add_task("B", "2d")
    project.link(a, b, kind, lag)
    s = project.schedule()
    assert span(s, a) == ("2027-01-04T08:00", "2027-01-07T17:00")
    assert span(s, b) == (start, finish)


def test_a_start_to_start_lead(project):
    first = project.add_task("First", "2d")  # Mon-Tue
    a = project.add_task("A", "4d", after=first)  # Wed 6 - Mon 11
    b = project.add_task("B", "2d")
    project.link(a, b, "SS", "-1d")
    s = project.schedule()
    assert span(s, a) == ("2027-01-06T08:00", "2027-01-11T17:00")
    assert span(s, b) == ("2027-01-05T08:00", "2027-01-06T17:00")


def test_an_elapsed_lag_from_a_friday_finish_lands_on_monday(project):
    # Friday 17:00 + 2ed = Sunday 17:00, non-working: the successor starts Monday 08:00.
    week = project.add_task("Week", "5d")
    after = project.add_task("After", "1d")
    project.link(week, after, lag="2ed")
    assert span(project.schedule(), after) == ("2027-01-11T08:00", "2027-01-11T17:00")


def test_a_lag_runs_on_the_successors_calendar(project):
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    week = project.add_task("Week", "5d")  # ends Friday 17:00
    round_the_clock = project.add_task("Kiln", "1d", calendar="24h")
    project.link(week, round_the_clock, lag="1d")
    # The 8-hour lag counts on the 24-hour calendar: Friday 17:00 -> Saturday 01:00, and the
    # 8-hour task ends at 09:00.
    assert span(project.schedule(), round_the_clock) == ("2027-01-09T01:00", "2027-01-09T09:00")


def test_a_lag_into_a_standard_task_skips_the_night(project):
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    kiln = project.add_task("Kiln", "1d", calendar="24h")  # Monday 08:00-16:00
    office = project.add_task("Office", "1d")
    project.link(kiln, office, lag="1d")
    # The lag counts on Office's Standard calendar: Mon 16-17, Tue 08-12, 13-16 -> Tuesday
    # 16:00; the day of work then ends Wednesday 16:00.
    s = project.schedule()
    assert span(s, kiln) == ("2027-01-04T08:00", "2027-01-04T16:00")
    assert span(s, office) == ("2027-01-05T16:00", "2027-01-06T16:00")


def test_the_latest_of_several_predecessors_drives(project):
    a = project.add_task("A", "3d")
    b = project.add_task("B", "1d")
    c = project.add_task("C", "1d")
    project.link(a, c)  # Thursday 08:00
    project.link(b, c, "FS", "3d")  # Tuesday + 3d lag -> Friday 08:00
    s = project.schedule()
    assert span(s, c) == ("2027-01-08T08:00", "2027-01-08T17:00")
    assert s.driving_predecessors(c) == (b.id,)


def test_a_finish_link_can_drive_over_a_start_link(project):
    a = project.add_task("A", "2d")  # Mon-Tue
    b = project.add_task("B", "5d")  # Mon-Fri
    c = project.add_task("C", "1d")
    project.link(a, c)  # C may start Wednesday
    project.link(b, c, "FF")  # C may not finish before Friday 17:00
    s = project.schedule()
    assert span(s, c) == ("2027-01-08T08:00", "2027-01-08T17:00")
    assert s.driving_predecessors(c) == (b.id,)


# ---------------------------------------------------------------------- elapsed durations


def test_concrete_cures_over_the_weekend(project):
    """The classic: pour on Friday, cure for three elapsed days, strip on Tuesday.

    An elapsed task runs on the clock, so it does not wait for Monday: it starts the moment its
    predecessor finishes (Friday 17:00) and finishes 72 hours later (Monday 17:00). Stripping
    the formwork, an ordinary task, starts at the next working time, Tuesday 08:00.
    """
    pour = project.add_task("Pour", "5d")
    cure = project.add_task("Cure", "3ed", after=pour)
    strip = project.add_task("Strip", "1d", after=cure)
    s = project.schedule()
    assert span(s, pour) == ("2027-01-04T08:00", "2027-01-08T17:00")
    assert span(s, cure) == ("2027-01-08T17:00", "2027-01-11T17:00")
    assert span(s, strip) == ("2027-01-12T08:00", "2027-01-12T17:00")
    assert s.critical_path == (pour.id, cure.id, strip.id)


def test_an_elapsed_task_at_the_project_start(project):
    cure = project.add_task("Cure", "3ed")
    s = project.schedule()
    assert span(s, cure) == ("2027-01-04T08:00", "2027-01-07T08:00")
    assert s[cure].total_float_minutes == 0


def test_an_elapsed_task_ending_the_project_sets_its_finish(project):
    # Cure ends on Thursday at 08:00; the project ends then, not on Wednesday at 17:00, and
    # Cure's late dates are its early dates.
    cure = project.add_task("Cure", "3ed")
    project.add_task("Paperwork", "1d")
    s = project.schedule()
    assert s.finish == at("2027-01-07T08:00")
    assert early_late(s, cure) == ("2027-01-04T08:00", "2027-01-07T08:00",
                                   "2027-01-04T08:00", "2027-01-07T08:00")


def test_elapsed_hours(project):
    soak = project.add_task("Soak", "20eh")
    assert span(project.schedule(), soak) == ("2027-01-04T08:00", "2027-01-05T04:00")


# ---------------------------------------------------------------------- holidays


def test_a_one_off_holiday_is_skipped(project):
    project.calendars["standard"].add_holiday("Works outing", "2027-01-06")
    a = project.add_task("A", "3d")
    b = project.add_task("B", "1d", after=a)
    s = project.schedule()
    assert span(s, a) == ("2027-01-04T08:00", "2027-01-07T17:00")  # Mon, Tue, Thu
    assert span(s, b) == ("2027-01-08T08:00", "2027-01-08T17:00")


def test_a_multi_day_shutdown(project):
    project.calendars["standard"].add_exception("Shutdown", "2027-01-06", "2027-01-12")
    a = project.add_task("A", "3d")
    # Mon 4, Tue 5, then nothing until Wednesday 13.
    assert span(project.schedule(), a) == ("2027-01-04T08:00", "2027-01-13T17:00")


def test_a_yearly_holiday_recurs():
    project = Project("Test", start="2026-12-30")  # Wednesday
    project.calendars["standard"].add_holiday("New Year", "2020-01-01", recurrence="FREQ=YEARLY")
    a = project.add_task("A", "5d")
    b = project.add_task("B", "1d", after=a)
    s = project.schedule()
    # Dec 30, Dec 31, (Jan 1 holiday), Jan 4, 5, 6.
    assert span(s, a) == ("2026-12-30T08:00", "2027-01-06T17:00")
    assert span(s, b) == ("2027-01-07T08:00", "2027-01-07T17:00")


def test_a_working_saturday(project):
    project.calendars["standard"].add_exception("Stocktake", "2027-01-09",
                                                working_times=["08:00-12:00"])
    a = project.add_task("A", "5.5d")
    b = project.add_task("B", "1d", after=a)
    s = project.schedule()
    assert span(s, a) == ("2027-01-04T08:00", "2027-01-09T12:00")
    assert span(s, b) == ("2027-01-11T08:00", "2027-01-11T17:00")


# ---------------------------------------------------------------------- task calendars


def test_a_24_hour_task_calendar(project):
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    a = project.add_task("A", "1d")
    b = project.add_task("B", "2d", after=a, calendar="24h")
    c = project.add_task("C", "1d", after=b)
    s = project.schedule()
    # B works 16 hours straight from Monday 17:00.
    assert span(s, b) == ("2027-01-04T17:00", "2027-01-05T09:00")
    # C, on the Standard calendar, starts at 09:00 on Tuesday and works 8 hours.
    assert span(s, c) == ("2027-01-05T09:00", "2027-01-06T09:00")


def test_a_weekend_task_calendar(project):
    project.add_calendar("Weekend", id="weekend", week={
        "mon": [], "tue": [], "wed": [], "thu": [], "fri": [],
        "sat": ["08:00-12:00", "13:00-17:00"], "sun": ["08:00-12:00", "13:00-17:00"]})
    a = project.add_task("A", "5d")
    b = project.add_task("B", "2d", after=a, calendar="weekend")
    c = project.add_task("C", "1d", after=b)
    s = project.schedule()
    assert span(s, b) == ("2027-01-09T08:00", "2027-01-10T17:00")
    assert span(s, c) == ("2027-01-11T08:00", "2027-01-11T17:00")
    assert s.critical_path == (a.id, b.id, c.id)


def test_a_night_shift_task(project):
    project.calendars["night"] = Calendar.night_shift(id="night")
    day = project.add_task("Day", "1d")
    night = project.add_task("Night", "1d", after=day, calendar="night")
    # Monday 17:00 -> the night shift starts at 23:00 and works until 08:00 with a break.
    assert span(project.schedule(), night) == ("2027-01-04T23:00", "2027-01-05T08:00")


def test_a_derived_task_calendar_keeps_the_base_holidays(project):
    project.calendars["standard"].add_holiday("Works outing", "2027-01-06")
    project.add_calendar("Six days", id="six", base="standard",
                         week={"sat": ["08:00-12:00", "13:00-17:00"]})
    a = project.add_task("A", "5d", calendar="six")
    # Mon, Tue, (Wed holiday), Thu, Fri, Sat.
    assert span(project.schedule(), a) == ("2027-01-04T08:00", "2027-01-09T17:00")


def test_float_is_counted_on_the_tasks_own_calendar(project):
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    long = project.add_task("Long", "5d")  # ends Friday 17:00
    short = project.add_task("Short", "1d", calendar="24h")  # Monday 08:00-16:00
    s = project.schedule()
    # Short may finish as late as Friday 17:00: from Monday 16:00 that is 4 days and one hour
    # of clock time, all of it working time on the 24-hour calendar.
    assert s[short].late_finish == at("2027-01-08T17:00")
    assert s[short].total_float_minutes == 4 * 1440 + 60
    assert s[long].total_float_minutes == 0


# ---------------------------------------------------------------------- floats and criticality


@pytest.fixture
def network(project):
    """A 3d -> B 2d -> D 1d; C 4d -> D; A -> E 1d; F 1d -> G 1d.

    Forward: A Mon-Wed, B Thu-Fri, C Mon-Thu, D Mon 11, E Thu 7, F Mon 4, G Tue 5.
    The project ends Monday 11 at 17:00.
    """
    t = {}
    t["A"] = project.add_task("A", "3d")
    t["B"] = project.add_task("B", "2d", after=t["A"])
    t["C"] = project.add_task("C", "4d")
    t["D"] = project.add_task("D", "1d", after=[t["B"], t["C"]])
    t["E"] = project.add_task("E", "1d", after=t["A"])
    t["F"] = project.add_task("F", "1d")
    t["G"] = project.add_task("G", "1d", after=t["F"])
    return t


def test_early_and_late_dates(project, network):
    s = project.schedule()
    t = network
    assert s.finish == at("2027-01-11T17:00")
    assert early_late(s, t["A"]) == ("2027-01-04T08:00", "2027-01-06T17:00",
                                     "2027-01-04T08:00", "2027-01-06T17:00")
    assert early_late(s, t["C"]) == ("2027-01-04T08:00", "2027-01-07T17:00",
                                     "2027-01-05T08:00", "2027-01-08T17:00")
    assert early_late(s, t["E"]) == ("2027-01-07T08:00", "2027-01-07T17:00",
                                     "2027-01-11T08:00", "2027-01-11T17:00")
    assert early_late(s, t["F"]) == ("2027-01-04T08:00", "2027-01-04T17:00",
                                     "2027-01-08T08:00", "2027-01-08T17:00")
    assert early_late(s, t["G"]) == ("2027-01-05T08:00", "2027-01-05T17:00",
                                     "2027-01-11T08:00", "2027-01-11T17:00")


@pytest.mark.parametrize(("name", "total", "free"), [
    ("A", 0, 0),
    ("B", 0, 0),
    ("C", DAY, DAY),  # can slip to Friday without delaying D
    ("D", 0, 0),
    ("E", 2 * DAY, 2 * DAY),  # no successor: slips to the project finish
    ("F", 4 * DAY, 0),  # any slip delays G
    ("G", 4 * DAY, 4 * DAY),
])
def test_total_and_free_float(project, network, name, total, free):
    s = project.schedule()
    record = s[network[name]]
    assert (record.total_float_minutes, record.free_float_minutes) == (total, free)
    assert record.total_float.to_minutes() == total
    assert record.free_float.to_minutes() == free


def test_critical_tasks_and_the_critical_path(project, network):
    s = project.schedule()
    t = network
    assert [s[t[n]].critical for n in "ABCDEFG"] == [True, True, False, True, False, False,
                                                     False]
    assert s.critical_tasks == (t["A"].id, t["B"].id, t["D"].id)
    assert s.critical_path == (t["A"].id, t["B"].id, t["D"].id)
    assert s.is_critical(t["B"])
    assert not s.is_critical(t["C"])


def test_a_critical_threshold_widens_the_critical_set(project, network):
    t = network
    s = project.schedule(critical_threshold="1d")
    assert s.is_critical(t["C"])  # 1 day of float
    assert not s.is_critical(t["E"])  # 2 days
    assert s.critical_tasks == (t["A"].id, t["C"].id, t["B"].id, t["D"].id)
    s = pmcore.schedule(project, critical_threshold="2d")
    assert s.is_critical(t["E"])
    assert not s.is_critical(t["F"])


def test_the_driving_path(project, network):
    s = project.schedule()
    t = network
    assert s.driving_path(t["D"]) == (t["A"].id, t["B"].id, t["D"].id)
    assert s.driving_predecessors(t["D"]) == (t["B"].id,)
    assert s.driving_path(t["G"]) == (t["F"].id, t["G"].id)
    assert s.driving_path(t["A"]) == (t["A"].id,)


def test_the_critical_path_is_the_chain_that_ends_the_project(project):
    a = project.add_task("A", "2d")
    b = project.add_task("B", "3d", after=a)
    c = project.add_task("C", "1d", after=b)
    x = project.add_task("X", "1d")
    project.add_task("Y", "1d", after=x)
    s = project.schedule()
    assert s.critical_path == (a.id, b.id, c.id)
    assert s.finish == s[c].early_finish == at("2027-01-11T17:00")


# ---------------------------------------------------------------------- summary tasks


@pytest.fixture
def phased(project):
    """A 2d -> Phase{B 3d -> C 1d; D 2d}; Phase -> E 1d; Phase -SS-> F 1d; Phase -FS+1d-> G."""
    t = {}
    t["A"] = project.add_task("A", "2d")
    t["Phase"] = project.add_task("Phase")
    t["B"] = project.add_task("B", "3d", parent=t["Phase"])
    t["C"] = project.add_task("C", "1d", parent=t["Phase"], after=t["B"])
    t["D"] = project.add_task("D", "2d", parent=t["Phase"])
    project.link(t["A"], t["Phase"])
    t["E"] = project.add_task("E", "1d", after=t["Phase"])
    t["F"] = project.add_task("F", "1d")
    project.link(t["Phase"], t["F"], "SS")
    t["G"] = project.add_task("G", "1d")
    project.link(t["Phase"], t["G"], "FS", "1d")
    return t


def test_a_link_into_a_summary_drives_every_child(project, phased):
    s = project.schedule()
    t = phased
    assert span(s, t["A"]) == ("2027-01-04T08:00", "2027-01-05T17:00")
    assert span(s, t["B"]) == ("2027-01-06T08:00", "2027-01-08T17:00")
    assert span(s, t["C"]) == ("2027-01-11T08:00", "2027-01-11T17:00")
    assert span(s, t["D"]) == ("2027-01-06T08:00", "2027-01-07T17:00")


def test_a_summary_rolls_up_its_children(project, phased):
    s = project.schedule()
    phase = s[phased["Phase"]]
    assert (phase.start, phase.finish) == (at("2027-01-06T08:00"), at("2027-01-11T17:00"))
    assert (phase.early_start, phase.early_finish) == (phase.start, phase.finish)
    assert phase.summary
    assert not phase.milestone
    assert not s[phased["B"]].summary


def test_links_leave_a_summary_from_its_rolled_up_dates(project, phased):
    s = project.schedule()
    t = phased
    assert span(s, t["E"]) == ("2027-01-12T08:00", "2027-01-12T17:00")  # FS from Mon 11
    assert span(s, t["F"]) == ("2027-01-06T08:00", "2027-01-06T17:00")  # SS from Wed 6
    assert span(s, t["G"]) == ("2027-01-13T08:00", "2027-01-13T17:00")  # FS+1d
    assert s.finish == at("2027-01-13T17:00")


def test_floats_inside_a_summary(project, phased):
    s = project.schedule()
    t = phased
    # D may finish as late as Monday 11 at 17:00, when the phase must end for E and G.
    assert s[t["D"]].late_finish == at("2027-01-11T17:00")
    assert s[t["D"]].total_float_minutes == 2 * DAY
    assert s[t["D"]].free_float_minutes == 2 * DAY
    # F has float to the project finish, Wednesday 13.
    assert s[t["F"]].total_float_minutes == 5 * DAY
    # E ends the project on Tuesday; G ends it on Wednesday: E has one day.
    assert s[t["E"]].total_float_minutes == DAY
    for name in ("A", "B", "C", "G", "Phase"):
        assert s[t[name]].total_float_minutes == 0, name
    assert s.critical_path == (t["A"].id, t["B"].id, t["C"].id, t["G"].id)


def test_free_float_inside_a_summary_counts_the_summarys_successors(project):
    phase = project.add_task("Phase")
    b = project.add_task("B", "3d", parent=phase)  # Mon-Wed
    d = project.add_task("D", "2d", parent=phase)  # Mon-Tue
    e = project.add_task("E", "1d", after=phase)  # Thu 7
    project.add_task("Z", "10d")  # the project ends Friday 15
    s = project.schedule()
    assert span(s, e) == ("2027-01-07T08:00", "2027-01-07T17:00")
    # D may slip one day (to Wednesday) before it delays the phase and so E; the phase may
    # finish as late as Thursday 14, so D's total float is seven days.
    assert s[d].free_float_minutes == DAY
    assert s[d].total_float_minutes == 7 * DAY
    assert s[b].free_float_minutes == 0
    assert s[b].total_float_minutes == 6 * DAY
    assert s[e].free_float_minutes == s[e].total_float_minutes == 6 * DAY


def test_an_alap_task_inside_a_summary_does_not_pass_the_summarys_successor(project):
    phase = project.add_task("Phase")
    project.add_task("B", "3d", parent=phase)  # Mon-Wed
    d = project.add_task("D", "1d", parent=phase, constraint="ALAP")
    e = project.add_task("E", "1d", after=phase)  # Thu 7
    project.add_task("Z", "10d")
    s = project.schedule()
    # As late as E allows: Wednesday, the phase's last day, not Friday 15.
    assert span(s, d) == ("2027-01-06T08:00", "2027-01-06T17:00")
    assert span(s, e) == ("2027-01-07T08:00", "2027-01-07T17:00")
    assert span(s, phase) == ("2027-01-04T08:00", "2027-01-06T17:00")


def test_nested_summaries(project):
    first = project.add_task("First", "1d")
    outer = project.add_task("Outer")
    inner = project.add_task("Inner", parent=outer)
    leaf = project.add_task("Leaf", "2d", parent=inner)
    other = project.add_task("Other", "1d", parent=outer)
    project.link(first, outer)
    project.link(leaf, other)
    s = project.schedule()
    assert span(s, leaf) == ("2027-01-05T08:00", "2027-01-06T17:00")
    assert span(s, other) == ("2027-01-07T08:00", "2027-01-07T17:00")
    assert span(s, inner) == ("2027-01-05T08:00", "2027-01-06T17:00")
    assert span(s, outer) == ("2027-01-05T08:00", "2027-01-07T17:00")
    assert s[outer].wbs == "2"
    assert s[leaf].wbs == "2.1.1"


# ---------------------------------------------------------------------- backward scheduling


def test_scheduling_backward_from_the_finish():
    project = Project("Test", finish="2027-01-15", schedule_from="finish")  # Friday 17:00
    a = project.add_task("A", "3d")
    b = project.add_task("B", "2d", after=a)
    c = project.add_task("C", "1d")
    done = project.add_milestone("Done", after=b)
    s = project.schedule()
    assert span(s, b) == ("2027-01-14T08:00", "2027-01-15T17:00")
    assert span(s, a) == ("2027-01-11T08:00", "2027-01-13T17:00")
    assert span(s, c) == ("2027-01-15T08:00", "2027-01-15T17:00")  # as late as possible
    assert span(s, done) == ("2027-01-15T17:00", "2027-01-15T17:00")
    assert s.start == at("2027-01-11T08:00")  # the earliest start
    assert s.finish == at("2027-01-15T17:00")
    assert s.critical_path == (a.id, b.id, done.id)
    # C could start at the project's start: four days of total float, no free float.
    assert s[c].total_float_minutes == 4 * DAY
    assert s[c].free_float_minutes == 0


def test_scheduling_backward_across_a_weekend_and_a_holiday():
    project = Project("Test", finish="2027-01-08", schedule_from="finish")
    project.calendars["standard"].add_holiday("New Year", "2027-01-01")
    a = project.add_task("A", "10d")
    s = project.schedule()
    # Jan 8, 7, 6, 5, 4, (1 holiday), Dec 31, 30, 29, 28, (weekend), 25: ten days back.
    assert span(s, a) == ("2026-12-25T08:00", "2027-01-08T17:00")
    assert s.start == at("2026-12-25T08:00")


def test_a_summary_scheduled_backward():
    project = Project("Test", finish="2027-01-15", schedule_from="finish")
    phase = project.add_task("Phase")
    a = project.add_task("A", "3d", parent=phase)
    b = project.add_task("B", "1d", parent=phase)
    c = project.add_task("C", "1d", after=phase)
    s = project.schedule()
    assert span(s, c) == ("2027-01-15T08:00", "2027-01-15T17:00")
    assert span(s, a) == ("2027-01-12T08:00", "2027-01-14T17:00")
    assert span(s, b) == ("2027-01-14T08:00", "2027-01-14T17:00")  # as late as C allows
    assert span(s, phase) == ("2027-01-12T08:00", "2027-01-14T17:00")
    assert s.start == at("2027-01-12T08:00")
    assert s[b].total_float_minutes == 2 * DAY


def test_driving_paths_through_a_summary(project, phased):
    s = project.schedule()
    t = phased
    # E's predecessor is the phase, whose own predecessor is A.
    assert s.driving_path(t["E"]) == (t["A"].id, t["Phase"].id, t["E"].id)
    assert s.driving_predecessors(t["E"]) == (t["Phase"].id,)
    assert s.driving_path(t["C"])[-2:] == (t["B"].id, t["C"].id)


# ---------------------------------------------------------------------- manual tasks


def test_a_manual_task_keeps_its_dates(project):
    a = project.add_task("A", "3d")
    b = project.add_task("B", "2d", after=a, manual=True, start="2027-01-05",
                         finish="2027-01-06")
    c = project.add_task("C", "1d", after=b)
    s = project.schedule()
    # Logic would start B on Thursday; a manually scheduled task stays where it was put.
    assert span(s, b) == ("2027-01-05T08:00", "2027-01-06T17:00")
    assert span(s, c) == ("2027-01-07T08:00", "2027-01-07T17:00")
    assert project[b].start == at("2027-01-05T08:00")  # and the project is not changed


def test_a_manual_task_may_sit_on_a_weekend(project):
    b = project.add_task("B", "1d", manual=True, start="2027-01-09T09:00",
                         finish="2027-01-09T11:00")
    assert span(project.schedule(), b) == ("2027-01-09T09:00", "2027-01-09T11:00")


def test_a_manual_task_with_a_start_and_a_duration(project):
    # Microsoft Project: a manually scheduled task with a start and a duration finishes
    # that duration after its start.
    b = project.add_task("B", "2d", manual=True, start="2027-01-12")
    assert span(project.schedule(), b) == ("2027-01-12T08:00", "2027-01-13T17:00")


def test_a_manual_task_with_a_finish_and_a_duration(project):
    b = project.add_task("B", "2d", manual=True, finish="2027-01-13")
    assert span(project.schedule(), b) == ("2027-01-12T08:00", "2027-01-13T17:00")


# ---------------------------------------------------------------------- errors


def test_a_dependency_cycle_names_every_task_of_the_loop():
    tasks = [Task(id=f"T{i}", name=name, duration="1d") for i, name in
             enumerate(["Design", "Build", "Test", "Ship"], 1)]
    links = [Dependency(predecessor="T1", successor="T2"),
             Dependency(predecessor="T2", successor="T3"),
             Dependency(predecessor="T3", successor="T1"),
             Dependency(predecessor="T3", successor="T4")]
    project = Project.restore(name="Loop", start="2027-01-04", tasks=tasks, dependencies=links)
    with pytest.raises(CycleError) as caught:
        project.schedule()
    cycle = caught.value.cycle
    assert set(cycle) == {"T1", "T2", "T3"}
    assert cycle[0] == cycle[-1]
    assert len(cycle) == 4
    for name in ("Design", "Build", "Test"):
        assert name in str(caught.value)
    assert "Ship" not in str(caught.value)


def test_a_loop_through_a_summary_is_a_cycle(project):
    phase = project.add_task("Phase")
    inside = project.add_task("Inside", "1d", parent=phase)
    after = project.add_task("After", "1d", after=phase)
    with pytest.raises(CycleError) as caught:
        project.link(after, inside)
    assert set(caught.value.cycle) == {phase.id, inside.id, after.id}


def test_a_calendar_without_working_time_is_a_clear_error(project):
    project.add_calendar("Never", id="never", week=WorkWeek(((),) * 7))
    project.add_task("A", "1d", calendar="never")
    with pytest.raises(ValidationError, match="never.*working time"):
        project.schedule()


def test_a_calendar_that_runs_out_of_working_time_is_a_clear_error(project):
    once = project.add_calendar("Once", id="once", week=WorkWeek(((),) * 7))
    once.add_exception("Open day", "2027-01-05", working_times=["08:00-12:00"])
    project.add_task("A", "1d", calendar="once")  # needs 8 hours; the calendar has 4
    with pytest.raises(ValidationError, match="once.*working time"):
        project.schedule()


@pytest.mark.parametrize("dated", ["one", "every"])
@pytest.mark.parametrize(("start", "finish", "field"), [
    ("start", "finish", "finish"), ("actual_start", "actual_finish", "actual_finish")])
def test_a_task_that_finishes_before_it_starts_is_named(dated, start, finish, field):
    # Planned or actual dates, on one task among undated ones or among tasks that all have
    # dates (a file saved by MS Project): the error names the task and the field.
    tasks = [Task(id=f"T{i}", name=f"Task {i}", duration="1d",
                  **({start: "2027-01-04T08:00", finish: "2027-01-04T17:00"}
                     if dated == "every" else {})) for i in range(1, 5)]
    tasks.append(Task(id="T5", name="Wrong way round", duration="1d",
                      **{start: "2027-01-08T08:00", finish: "2027-01-05T17:00"}))
    project = Project.restore(name="Dates", start="2027-01-04", tasks=tasks, dependencies=[])
    with pytest.raises(ValidationError) as caught:
        project.schedule()
    assert (caught.value.entity, caught.value.field) == ("task 'T5' (Wrong way round)", field)


def test_a_task_that_starts_and_finishes_at_one_moment_is_in_order():
    project = Project.restore(name="Dates", start="2027-01-04", dependencies=[], tasks=[
        Task(id="T1", name="A", duration="0d", start="2027-01-04T08:00",
             finish="2027-01-04T08:00"),
        Task(id="T2", name="B", duration="1d")])
    assert project.schedule().finish == dt.datetime(2027, 1, 4, 17)


def test_a_task_under_a_missing_summary_is_named():
    project = Project.restore(name="Orphan", start="2027-01-04", dependencies=[], tasks=[
        Task(id="T1", name="A", duration="1d"),
        Task(id="T2", name="Lost", duration="1d", parent="T9")])
    with pytest.raises(ValidationError, match="'T9'") as caught:
        project.schedule()
    assert caught.value.field == "parent"


def test_a_project_without_a_start_cannot_be_scheduled():
    project = Project("No start")
    project.add_task("A", "1d")
    with pytest.raises(ValidationError, match="start"):
        project.schedule()


def test_scheduling_from_the_finish_needs_a_finish():
    with pytest.raises(ValidationError, match="finish"):
        Project("No finish", schedule_from="finish")


def test_an_unknown_progress_mode_is_refused(project):
    with pytest.raises(ValidationError, match="progress_mode"):
        project.schedule(progress_mode="optimistic")


# ---------------------------------------------------------------------- the result


def test_records_carry_exactly_the_public_fields(project, phased):
    phased["A"].external_refs["jira"] = "ERP-1"
    records = project.schedule().to_records()
    assert [r["id"] for r in records] == [t.id for t in project.tasks]
    for record in records:
        assert set(record) == RECORD_KEYS
    first = records[0]
    assert first["name"] == "A"
    assert first["wbs"] == "1"
    assert first["refs"] == {"jira": "ERP-1"}
    assert first["start"] == at("2027-01-04T08:00")
    assert first["finish"] == at("2027-01-05T17:00")
    assert first["total_float_minutes"] == 0
    assert first["critical"] is True
    phase = records[1]
    assert phase["summary"] is True
    assert phase["wbs"] == "2"
    assert [r["wbs"] for r in records[2:5]] == ["2.1", "2.2", "2.3"]


def test_a_task_without_a_duration_is_a_milestone_with_a_warning(project):
    week = project.add_task("Week", "5d")
    vague = project.add_task("Vague", after=week)
    s = project.schedule()
    assert span(s, vague) == ("2027-01-08T17:00", "2027-01-08T17:00")
    assert s[vague].milestone
    assert any("Vague" in w and "no duration" in w for w in s.warnings)


def test_a_task_flagged_as_milestone_keeps_its_duration(project):
    # Microsoft Project lets any task be marked as a milestone; its dates stay a task's.
    review = project.add_task("Review", "1d", milestone=True)
    s = project.schedule()
    assert span(s, review) == ("2027-01-04T08:00", "2027-01-04T17:00")
    assert s[review].milestone


def test_records_flag_milestones(project):
    project.add_task("Work", "1d")
    project.add_milestone("Gate")
    records = project.schedule().to_records()
    assert [r["milestone"] for r in records] == [False, True]
    assert [r["summary"] for r in records] == [False, False]


def test_scheduling_leaves_the_project_unchanged(project, network):
    before = [(t.start, t.finish) for t in project.tasks]
    project.schedule()
    assert [(t.start, t.finish) for t in project.tasks] == before


def test_apply_writes_the_dates_into_the_project(project, network):
    s = project.schedule()
    s.apply()
    assert project[network["D"]].start == at("2027-01-11T08:00")
    assert project[network["D"]].finish == at("2027-01-11T17:00")


def test_the_schedule_is_a_collection_of_tasks(project, network):
    s = project.schedule()
    assert len(s) == 7
    assert network["A"] in s
    assert "nope" not in s
    assert [r.id for r in s] == [t.id for t in project.tasks]
    with pytest.raises(LookupError):
        s["nope"]


# ---------------------------------------------------------------------- across calendars


def test_a_24_hour_task_ending_on_saturday_ends_the_project(project):
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    week = project.add_task("Week", "5d")  # Mon 4 - Fri 8 17:00
    kiln = project.add_task("Kiln", "1d", after=week, calendar="24h")  # 8 hours from 17:00
    side = project.add_task("Side", "1d")
    s = project.schedule()
    assert span(s, kiln) == ("2027-01-08T17:00", "2027-01-09T01:00")
    assert s.finish == at("2027-01-09T01:00")
    # Nothing is late: the chain that ends the project has zero float, not negative float.
    assert s[week].total_float_minutes == 0
    assert s[kiln].total_float_minutes == 0
    assert s.critical_path == (week.id, kiln.id)
    # Side may finish as late as Friday 17:00, the last Standard working time before 01:00.
    assert s[side].late_finish == at("2027-01-08T17:00")
    assert s[side].total_float_minutes == 4 * DAY


def test_a_summary_does_not_move_a_round_the_clock_child_to_office_hours():
    # The project starts on Friday at 17:00: Standard time resumes on Monday, but a task on
    # the 24-hour calendar may start at once, inside a summary or not.
    project = Project("Test", start="2027-01-08T17:00")
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    phase = project.add_task("Phase")
    inside = project.add_task("Inside", "1d", parent=phase, calendar="24h")
    outside = project.add_task("Outside", "1d", calendar="24h")
    s = project.schedule()
    assert span(s, outside) == ("2027-01-08T17:00", "2027-01-09T01:00")
    assert span(s, inside) == ("2027-01-08T17:00", "2027-01-09T01:00")
    assert span(s, phase) == span(s, inside)


def test_an_elapsed_task_inside_a_summary_has_no_negative_float(project):
    phase = project.add_task("Phase")
    soak = project.add_task("Soak", "20eh", parent=phase)  # Mon 08:00 - Tue 04:00
    s = project.schedule()
    assert span(s, soak) == ("2027-01-04T08:00", "2027-01-05T04:00")
    assert s.finish == at("2027-01-05T04:00")
    assert s[soak].total_float_minutes == 0
    assert s[soak].late_start == at("2027-01-04T08:00")
    assert s[soak].late_finish == at("2027-01-05T04:00")


def test_an_elapsed_lag_from_a_milestone_at_the_project_start(project):
    # Monday 08:00 + 12 hours is Monday 20:00: the successor starts on Tuesday at 08:00.
    kickoff = project.add_milestone("Kick-off")
    after = project.add_task("After", "1d")
    project.link(kickoff, after, lag="12eh")
    assert span(project.schedule(), after) == ("2027-01-05T08:00", "2027-01-05T17:00")


def test_a_milestone_four_working_hours_after_the_start_is_at_noon(project):
    kickoff = project.add_milestone("Kick-off")
    gate = project.add_milestone("Gate")
    task = project.add_task("Task", "1h")
    project.link(kickoff, gate, lag="4h")
    project.link(kickoff, task, lag="4h")
    s = project.schedule()
    # A milestone sits at the end of the working time before it, as a 4h task would finish;
    # a task starts at the next working time.
    assert span(s, gate) == ("2027-01-04T12:00", "2027-01-04T12:00")
    assert span(s, task) == ("2027-01-04T13:00", "2027-01-04T14:00")


def test_a_milestone_after_a_night_shift_milestone_waits_for_the_morning(project):
    project.calendars["night"] = Calendar.night_shift(id="night")
    # The night shift first works on Monday at 23:00; a Standard milestone after it is shown
    # at the next Standard working time, Tuesday 08:00, never before its predecessor.
    night = project.add_milestone("Night handover", calendar="night")
    morning = project.add_milestone("Morning report", after=night)
    s = project.schedule()
    assert span(s, night) == ("2027-01-04T23:00", "2027-01-04T23:00")
    assert span(s, morning) == ("2027-01-05T08:00", "2027-01-05T08:00")


def test_a_lag_on_a_night_calendar_leaves_the_day_task_its_float(project):
    project.calendars["night"] = Calendar.night_shift(id="night")
    prep = project.add_task("Prep", "30m")  # Monday 08:00-08:30
    handover = project.add_milestone("Handover", calendar="night")
    project.link(prep, handover, lag="1h")
    s = project.schedule()
    # The lag is the night shift's first working hour, Monday 23:00-24:00.
    assert span(s, handover) == ("2027-01-05T00:00", "2027-01-05T00:00")
    # Prep may finish as late as the lag allows (23:00), on its own calendar Monday 17:00.
    assert s[prep].late_finish == at("2027-01-04T17:00")
    assert s[prep].total_float_minutes == 450  # 08:30 -> 17:00


def test_the_driving_path_of_a_task_inside_a_linked_summary(project, phased):
    s = project.schedule()
    t = phased
    # C follows B inside the phase; B starts with the phase, which follows A.
    assert s.driving_path(t["C"]) == (t["A"].id, t["Phase"].id, t["B"].id, t["C"].id)


def test_a_constraint_that_moves_a_task_replaces_its_driving_links(project):
    a = project.add_task("A", "1d")
    b = project.add_task("B", "1d", after=a, constraint=("SNET", "2027-01-11"))
    s = project.schedule()
    assert s.driving_predecessors(b) == ()
    assert s.driving_path(b) == (b.id,)
