"""Recurring tasks, as Microsoft Project makes them: a summary task and one task per occurrence.

Oracles, worked by hand from a 2027 wall calendar (1 January 2027 is a Friday):

* The second Tuesday of each month of 2027: 12 Jan, 9 Feb, 9 Mar, 13 Apr, 11 May, 8 Jun,
  13 Jul, 10 Aug, 14 Sep, 12 Oct, 9 Nov, 14 Dec.
* The 1st of the month falls on a Saturday in May 2027 and on a Sunday in August 2027; on the
  Standard calendar those occurrences move to Monday 3 May and Monday 2 August.
* Microsoft Project names occurrences "<name> 1", "<name> 2", ... and pins each with a
  start-no-earlier-than constraint at the default start time of its day.
"""

from __future__ import annotations

import datetime as dt

import pytest

import pmcore
from pmcore import ConstraintType, Duration
from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.model import Recurrence

D = dt.date
T = dt.datetime

SECOND_TUESDAYS_2027 = [D(2027, 1, 12), D(2027, 2, 9), D(2027, 3, 9), D(2027, 4, 13),
                        D(2027, 5, 11), D(2027, 6, 8), D(2027, 7, 13), D(2027, 8, 10),
                        D(2027, 9, 14), D(2027, 10, 12), D(2027, 11, 9), D(2027, 12, 14)]


def days_of(project: pmcore.Project, summary: pmcore.Task) -> list[dt.date]:
    days = []
    for task in project.children(summary):
        assert task.constraint.type is ConstraintType.SNET
        assert task.constraint.date is not None
        days.append(task.constraint.date.date())
    return days


@pytest.fixture
def ops() -> pmcore.Project:
    return pmcore.Project("IT operations 2027", start="2027-01-01")


# --- the series ---------------------------------------------------------------------------


def test_second_tuesday_of_every_month_of_2027(ops: pmcore.Project) -> None:
    patch = ops.add_recurring_task("Patch window", "4h", "FREQ=MONTHLY;BYDAY=2TU",
                                   start="2027-01-01", finish="2027-12-31")
    assert patch.recurrence == Recurrence("FREQ=MONTHLY;BYDAY=2TU", D(2027, 1, 1),
                                          D(2027, 12, 31), duration="4h")
    assert list(patch.recurrence.dates()) == SECOND_TUESDAYS_2027
    occurrences = ops.children(patch)
    assert [t.name for t in occurrences] == [f"Patch window {n}" for n in range(1, 13)]
    assert days_of(ops, patch) == SECOND_TUESDAYS_2027
    first = occurrences[0]
    assert first.constraint == pmcore.Constraint("SNET", T(2027, 1, 12, 8))
    assert first.duration == Duration.parse("4h")
    assert first.parent == patch.id
    assert ops.is_summary(patch)
    assert patch.duration is None
    assert ops.recurring_tasks == (patch,)


def test_the_occurrences_schedule_on_their_days(ops: pmcore.Project) -> None:
    patch = ops.add_recurring_task("Patch window", "4h", "FREQ=MONTHLY;BYDAY=2TU",
                                   finish="2027-12-31")  # starts with the project
    schedule = ops.schedule()
    starts = [schedule[t].start for t in ops.children(patch)]
    assert starts == [dt.datetime.combine(d, dt.time(8)) for d in SECOND_TUESDAYS_2027]
    assert schedule[ops.children(patch)[0]].finish == T(2027, 1, 12, 12)
    assert (schedule[patch].start, schedule[patch].finish) == (T(2027, 1, 12, 8),
                                                               T(2027, 12, 14, 12))


def test_a_first_of_the_month_on_a_weekend_moves_to_monday(ops: pmcore.Project) -> None:
    monthly = ops.add_recurring_task("Licence report", "1h", "FREQ=MONTHLY;BYMONTHDAY=1",
                                     start="2027-01-01", finish="2027-12-31")
    days = days_of(ops, monthly)
    assert days[4] == D(2027, 5, 3)  # Saturday 1 May -> Monday 3 May
    assert days[7] == D(2027, 8, 2)  # Sunday 1 August -> Monday 2 August
    assert [d.day for i, d in enumerate(days) if i not in (4, 7)] == [1] * 10
    # The rule's own dates are kept on the series.
    assert monthly.recurrence is not None
    assert monthly.recurrence.dates()[4] == D(2027, 5, 1)


def test_holidays_of_the_series_calendar_move_occurrences(ops: pmcore.Project) -> None:
    ops.calendars["standard"].add_holiday("New Year", "2027-01-01", recurrence="FREQ=YEARLY")
    ops.add_calendar("Change freeze", base="standard").add_exception(
        "Freeze", "2027-03-08", "2027-03-12")
    on_standard = ops.add_recurring_task("Report", "1h", "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=2",
                                         start="2027-01-01")
    assert days_of(ops, on_standard) == [D(2027, 1, 4), D(2027, 2, 1)]  # Fri 1 Jan is a holiday
    frozen = ops.add_recurring_task("Patch", "4h", "FREQ=MONTHLY;BYDAY=2TU;COUNT=4",
                                    start="2027-01-01", calendar="change-freeze")
    # Tue 9 March falls in the freeze (Mon 8 - Fri 12): the next working day is Mon 15 March.
    assert days_of(ops, frozen) == [D(2027, 1, 12), D(2027, 2, 9), D(2027, 3, 15),
                                    D(2027, 4, 13)]
    assert {t.calendar for t in ops.children(frozen)} == {"change-freeze"}
    assert frozen.calendar == "change-freeze"


def test_occurrences_moved_onto_the_same_day_are_one(ops: pmcore.Project) -> None:
    daily = ops.add_recurring_task("Stand-up", "15m", "FREQ=DAILY", start="2027-01-08",
                                   finish="2027-01-11")
    # Fri 8, then Sat 9 and Sun 10 move to Mon 11, which has its own occurrence.
    assert days_of(ops, daily) == [D(2027, 1, 8), D(2027, 1, 11)]
    assert [t.name for t in ops.children(daily)] == ["Stand-up 1", "Stand-up 2"]


def test_count_quarterly_and_yearly_rules(ops: pmcore.Project) -> None:
    restore = ops.add_recurring_task("Backup restore test", "1d",
                                     "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15;COUNT=4",
                                     start="2027-01-01")
    # 15 Jan (Fri), 15 Apr (Thu), 15 Jul (Thu); 15 Oct 2027 is a Friday.
    assert days_of(ops, restore) == [D(2027, 1, 15), D(2027, 4, 15), D(2027, 7, 15),
                                     D(2027, 10, 15)]
    renewal = ops.add_recurring_task("Licence renewal", "2h", "FREQ=YEARLY;UNTIL=20300401",
                                     start="2027-03-31")
    # 31 March: 2027 Wednesday, 2028 Friday, 2029 Saturday -> Monday 2 April, 2030 Sunday ->
    # Monday 1 April.
    assert days_of(ops, renewal) == [D(2027, 3, 31), D(2028, 3, 31), D(2029, 4, 2),
                                     D(2030, 4, 1)]
    weekly = ops.add_recurring_task("Review", "1h", "FREQ=WEEKLY;BYDAY=MO;COUNT=4")
    assert days_of(ops, weekly) == [D(2027, 1, 4), D(2027, 1, 11), D(2027, 1, 18),
                                    D(2027, 1, 25)]
    last_weekday = ops.add_recurring_task(
        "Month end", "1h", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3")
    assert days_of(ops, last_weekday) == [D(2027, 1, 29), D(2027, 2, 26), D(2027, 3, 31)]
    assert ops.recurring_tasks == (restore, renewal, weekly, last_weekday)


def test_default_start_time_and_summary_fields() -> None:
    project = pmcore.Project("Night ops", start="2027-01-04", default_start_time=dt.time(9))
    parent = project.add_task("Operations")
    series = project.add_recurring_task(
        "Restore test", "2h", "FREQ=WEEKLY;COUNT=2", parent=parent, id="restore",
        notes="Quarterly audit item", priority=800, custom_fields={"Owner": "Ops"})
    assert series.id == "restore"
    assert (series.parent, series.notes, series.priority) == (parent.id, "Quarterly audit item",
                                                              800)
    assert series.custom_fields == {"Owner": "Ops"}
    occurrence = project.children(series)[0]
    assert occurrence.constraint.date == T(2027, 1, 4, 9)
    assert occurrence.notes == ""
    assert project.outline_number(occurrence) == "1.1.1"


def test_zero_duration_occurrences_are_milestones(ops: pmcore.Project) -> None:
    gate = ops.add_recurring_task("Gate", "0d", "FREQ=MONTHLY;BYMONTHDAY=20;COUNT=2")
    assert all(t.is_milestone and t.milestone for t in ops.children(gate))


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "finish", "message"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", None, "never ends: give a finish, or COUNT or UNTIL"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", None, "gives no occurrence"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", None, "gives no occurrence"),
        ("FREQ=MONTHLY;BYDAY=2TU", "2027-01-10", "gives no occurrence from 2027-01-01 to "
                                                 "2027-01-10"),
        ("FREQ=DAILY;COUNT=1001", None, "more than 1000 occurrences"),
        ("FREQ=DAILY", "2029-12-31", "more than 1000 occurrences"),
        ("FREQ=WEEKLY;COUNT=3", "2027-06-30", "ends by its own COUNT or UNTIL"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270601", None, "both COUNT and UNTIL"),
        ("FREQ=HOURLY;COUNT=3", None, "needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("FREQ=DAILY;BYHOUR=9;COUNT=3", None, "BYHOUR not allowed"),
        ("FREQ=DAILY;BYSETPOS=1;COUNT=3", None, "BYSETPOS needs FREQ=MONTHLY or YEARLY"),
        ("DTSTART=20270101;FREQ=DAILY;COUNT=3", None, "not DTSTART"),
        ("FREQ=DAILY;INTERVAL=0;COUNT=3", None, "INTERVAL must be a positive whole number"),
        ("FREQ=DAILY;COUNT=-2", None, "COUNT must be a positive whole number"),
        ("FREQ=DAILY;UNTIL=20270105T000000Z", None, "UNTIL is a local date"),
        ("FREQ=MONTHLY;BYDAY=XX;COUNT=2", None, "is not a valid RRULE"),
        ("FREQ=DAILY;COUNT=2;COUNT=3", None, "gives COUNT twice"),
        ("every tuesday", None, "is not NAME=VALUE"),
        ("", None, "must be an RRULE"),
        ("FREQ=DAILY", "2026-12-31", "finish 2026-12-31 is before start 2027-01-01"),
    ],
)
def test_bad_series_are_refused_and_change_nothing(ops: pmcore.Project, rule: str,
                                                   finish: str | None, message: str) -> None:
    ops.add_task("Existing", "1d")
    before = pmcore.dumps(ops)
    with pytest.raises(ValidationError, match=message):
        ops.add_recurring_task("Series", "1h", rule, start="2027-01-01", finish=finish)
    assert pmcore.dumps(ops) == before


def test_other_refusals(ops: pmcore.Project) -> None:
    with pytest.raises(UnknownReferenceError, match="unknown calendar id 'night'"):
        ops.add_recurring_task("Series", "1h", "FREQ=DAILY;COUNT=2", calendar="night")
    with pytest.raises(ValidationError, match="constraint cannot be set on a recurring task"):
        ops.add_recurring_task("Series", "1h", "FREQ=DAILY;COUNT=2",
                               constraint=("SNET", "2027-01-04"))
    with pytest.raises(ValidationError, match="non-negative"):
        ops.add_recurring_task("Series", "-1h", "FREQ=DAILY;COUNT=2")
    no_start = pmcore.Project("No start")
    with pytest.raises(ValidationError, match="needs a start"):
        no_start.add_recurring_task("Series", "1h", "FREQ=DAILY;COUNT=2")
    assert len(no_start.add_recurring_task("Series", "1h", "FREQ=DAILY;COUNT=2",
                                           start="2027-01-04").recurrence.dates()) == 2
    off = ops.add_calendar("Never", week={d: [] for d in ("mon", "tue", "wed", "thu", "fri",
                                                          "sat", "sun")})
    with pytest.raises(ValidationError, match="no working day within a year"):
        ops.add_recurring_task("Series", "1h", "FREQ=DAILY;COUNT=2", calendar=off.id)
    assert len(ops) == 0


def test_an_impossible_daily_rule_is_refused_quickly() -> None:
    import time

    begin = time.perf_counter()
    with pytest.raises(ValidationError, match="gives no occurrence"):
        Recurrence("FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31;COUNT=2", "2027-01-01")
    assert time.perf_counter() - begin < 2  # dateutil alone searches to the year 9999


def test_task_recurrence_must_be_a_recurrence(ops: pmcore.Project) -> None:
    task = ops.add_task("Plain", "1d")
    with pytest.raises(ValidationError, match="must be a Recurrence or None"):
        task.recurrence = "FREQ=DAILY;COUNT=2"  # type: ignore[assignment]


# --- editing the series ------------------------------------------------------------------------


@pytest.fixture
def patching(ops: pmcore.Project) -> tuple[pmcore.Project, pmcore.Task]:
    prepare = ops.add_task("Prepare patch list", "1d")
    patch = ops.add_recurring_task("Patch window", "4h", "FREQ=MONTHLY;BYDAY=2TU",
                                   finish="2027-12-31")
    report = ops.add_task("Annual patch report", "1d")
    ops.link(prepare, patch)
    ops.link(patch, report)
    return ops, patch


def test_shortening_the_series_keeps_the_remaining_occurrences(patching) -> None:
    project, patch = patching
    ids = [t.id for t in project.children(patch)]
    project.link("T1", ids[0], "SS")  # a link to an occurrence that stays
    project.link(ids[11], "T15", "SS")  # and one from an occurrence that goes
    project.update_recurring_task(patch, finish="2027-06-30")
    assert [t.id for t in project.children(patch)] == ids[:6]
    assert days_of(project, patch) == SECOND_TUESDAYS_2027[:6]
    assert patch.recurrence is not None
    assert patch.recurrence.finish == D(2027, 6, 30)
    assert [(d.predecessor, d.successor) for d in project.dependencies] == [
        ("T1", "T2"), ("T2", "T15"), ("T1", ids[0])]
    assert all(task_id not in project for task_id in ids[6:])


def test_lengthening_the_series_adds_occurrences(patching) -> None:
    project, patch = patching
    ids = [t.id for t in project.children(patch)]
    project.update_recurring_task(patch, finish="2028-02-29")
    children = project.children(patch)
    assert [t.id for t in children[:12]] == ids
    assert [t.name for t in children[12:]] == ["Patch window 13", "Patch window 14"]
    assert days_of(project, patch)[12:] == [D(2028, 1, 11), D(2028, 2, 8)]
    assert all(t.id not in ids for t in children[12:])


def test_a_new_duration_or_calendar_applies_to_every_occurrence(patching) -> None:
    project, patch = patching
    project.add_calendar("Ops 24x7", week=pmcore.WorkWeek.twenty_four_hours())
    ids = [t.id for t in project.children(patch)]
    project.update_recurring_task(patch, duration="6h", calendar="ops-24x7")
    assert [t.id for t in project.children(patch)] == ids  # no day changed
    assert {str(t.duration) for t in project.children(patch)} == {"6h"}
    assert {t.calendar for t in project.children(patch)} == {"ops-24x7"}
    assert patch.recurrence is not None
    assert patch.recurrence.duration == Duration.parse("6h")
    project.update_recurring_task(patch, calendar=None)
    assert {t.calendar for t in project.children(patch)} == {None}
    assert patch.calendar is None


def test_a_new_rule_replaces_moved_occurrences_and_keeps_summary_links(patching) -> None:
    project, patch = patching
    old = project.children(patch)
    old[1].percent_complete = 100  # February's window happened: it is history and stays
    old[1].actual_start = T(2027, 2, 9, 8)
    project.update_recurring_task(patch, recurrence="FREQ=MONTHLY;BYDAY=2WE;COUNT=3",
                                  name="Maintenance window")
    children = project.children(patch)
    # Second Wednesdays: 13 Jan, 10 Feb, 10 Mar; the kept 9 Feb occurrence sorts among them.
    assert days_of(project, patch) == [D(2027, 1, 13), D(2027, 2, 9), D(2027, 2, 10),
                                       D(2027, 3, 10)]
    assert children[1] is old[1]
    assert [t.name for t in children] == [f"Maintenance window {n}" for n in range(1, 5)]
    assert patch.name == "Maintenance window"
    assert patch.recurrence == Recurrence("FREQ=MONTHLY;BYDAY=2WE;COUNT=3", D(2027, 1, 1),
                                          duration="4h")  # COUNT replaced the old finish
    assert [(d.predecessor, d.successor) for d in project.dependencies] == [
        ("T1", patch.id), (patch.id, "T15")]
    assert sum(1 for t in old if t.id in project) == 1


def test_moving_the_start_and_back_to_a_finish(patching) -> None:
    project, patch = patching
    ids = [t.id for t in project.children(patch)]
    project.update_recurring_task(patch, start="2027-07-01")
    assert [t.id for t in project.children(patch)] == ids[6:]
    assert [t.name for t in project.children(patch)] == [f"Patch window {n}"
                                                         for n in range(1, 7)]
    project.update_recurring_task(patch, recurrence="FREQ=MONTHLY;BYDAY=2TU;COUNT=2",
                                  finish=None)
    assert [t.id for t in project.children(patch)] == ids[6:8]
    with pytest.raises(ValidationError, match="never ends"):
        project.update_recurring_task(patch, recurrence="FREQ=MONTHLY;BYDAY=2TU")
    project.update_recurring_task(patch, recurrence="FREQ=MONTHLY;BYDAY=2TU",
                                  finish="2027-09-30")
    # September's occurrence was removed above: its new one has a new id (ids are not reused).
    assert [t.id for t in project.children(patch)] == [*ids[6:8], "T16"]


def test_a_refused_update_changes_nothing(patching) -> None:
    project, patch = patching
    before = pmcore.dumps(project)
    for kwargs in ({"recurrence": "FREQ=DAILY;COUNT=5000"}, {"finish": "2026-01-01"},
                   {"calendar": "missing"}, {"duration": "3x"}, {"name": 7}):
        with pytest.raises(ValidationError):
            project.update_recurring_task(patch, **kwargs)
        assert pmcore.dumps(project) == before
    with pytest.raises(ValidationError, match="is not a recurring task"):
        project.update_recurring_task("T1", finish="2027-03-31")


def test_the_edited_series_schedules_and_round_trips(patching) -> None:
    project, patch = patching
    project.update_recurring_task(patch, finish="2027-03-31", duration="2h")
    schedule = project.schedule()
    assert [schedule[t].finish for t in project.children(patch)] == [
        T(2027, 1, 12, 10), T(2027, 2, 9, 10), T(2027, 3, 9, 10)]
    assert schedule["T15"].start == T(2027, 3, 9, 10)  # the report follows the summary
    again = pmcore.loads(pmcore.dumps(project))
    assert again == project
    assert again.recurring_tasks[0].recurrence == patch.recurrence
    assert pmcore.loads(pmcore.dumps(project, format="yaml"), format="yaml") == project
