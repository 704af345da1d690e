"""Baselines 0-10 and variances, as Microsoft Project defines them.

Oracles, worked by hand on the Standard calendar (Monday-Friday, 08:00-12:00 and 13:00-17:00,
480 working minutes a day); 2027-01-04 is a Monday:

* Design 5d from Mon 4 Jan 08:00 finishes Fri 8 Jan 17:00; Build 3d after it runs Mon 11 Jan
  08:00 - Wed 13 Jan 17:00; Test 2d after Build runs Thu 14 - Fri 15 Jan.
* Design lengthened to 7d finishes Tue 12 Jan 17:00: two working days (Mon 11, Tue 12) = 960
  working minutes later; Build and Test move by the same 960.
* Design at 6d finishes Mon 11 Jan 17:00: three calendar days after Fri 8 Jan 17:00, but
  only one working day (480 minutes), as the weekend is not working time.
* Start variance = current start - baseline start, finish variance = current finish -
  baseline finish (working time on the task's calendar), duration variance = current
  duration - baseline duration; positive is late.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pmcore
from pmcore import Duration, DurationUnit
from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.model import Baseline, EffectiveCalendar
from pmcore.model.baseline import CachedClock

T = dt.datetime
SAVED = T(2027, 1, 1, 9, 30)


@pytest.fixture
def plan() -> pmcore.Project:
    project = pmcore.Project("ERP upgrade", start="2027-01-04")
    phase = project.add_task("Delivery")
    design = project.add_task("Design", "5d", parent=phase)
    build = project.add_task("Build", "3d", parent=phase, after=design)
    project.add_task("Test", "2d", parent=phase, after=build)
    return project


# --- the Baseline value object -------------------------------------------------------------


def test_baseline_is_frozen_and_checks_its_values() -> None:
    baseline = Baseline(start="2027-01-04T08:00", finish="2027-01-08T17:00", duration="5d",
                        saved_at=SAVED)
    assert baseline.duration == Duration(5, DurationUnit.DAYS)
    with pytest.raises(AttributeError):
        baseline.start = T(2027, 1, 5)  # type: ignore[misc]
    with pytest.raises(ValidationError, match="finish 2027-01-03 .* is before start"):
        Baseline(start="2027-01-04T08:00", finish="2027-01-03T17:00", duration="1d")
    with pytest.raises(ValidationError, match="non-negative"):
        Baseline(start="2027-01-04T08:00", finish="2027-01-04T08:00", duration="-1d")
    with pytest.raises(ValidationError, match="non-negative"):
        Baseline(start="2027-01-04T08:00", finish="2027-01-04T08:00", duration="50%")
    assert Baseline(start="2027-01-04", finish="2027-01-04", duration="0d").saved_at is None


def test_task_baselines_are_validated(plan: pmcore.Project) -> None:
    design = plan.find("Design")
    good = Baseline(start=T(2027, 1, 4, 8), finish=T(2027, 1, 8, 17), duration="5d")
    design.baselines = {0: good, 10: good}
    with pytest.raises(ValidationError, match=r"baselines: must be a whole number from 0 to 10"):
        design.baselines = {11: good}
    with pytest.raises(ValidationError, match=r"baselines: must be a whole number from 0 to 10"):
        design.baselines = {True: good}
    with pytest.raises(ValidationError, match="baseline 1 must be a Baseline"):
        design.baselines = {1: "2027-01-04"}
    assert design.baselines == {0: good, 10: good}  # a refused assignment changes nothing


# --- saving ---------------------------------------------------------------------------------


def test_save_baseline_from_a_schedule(plan: pmcore.Project) -> None:
    schedule = plan.schedule()
    saved = plan.save_baseline(schedule, saved_at=SAVED)
    assert list(saved) == ["T1", "T2", "T3", "T4"]
    design, build, test = (plan.find(n) for n in ("Design", "Build", "Test"))
    assert design.baselines[0] == Baseline(start=T(2027, 1, 4, 8), finish=T(2027, 1, 8, 17),
                                           duration="5d", saved_at=SAVED)
    assert build.baselines[0].start == T(2027, 1, 11, 8)
    assert build.baselines[0].finish == T(2027, 1, 13, 17)
    assert test.baselines[0].finish == T(2027, 1, 15, 17)
    # The summary: Mon 4 to Fri 15 January is ten working days.
    assert plan.find("Delivery").baselines[0] == Baseline(
        start=T(2027, 1, 4, 8), finish=T(2027, 1, 15, 17), duration="10d", saved_at=SAVED)
    assert plan.find("Design").start is None  # saving a baseline does not apply the schedule


def test_save_baseline_from_the_tasks_own_dates(plan: pmcore.Project) -> None:
    design = plan.find("Design")
    design.start, design.finish = T(2027, 2, 1, 8), T(2027, 2, 5, 17)
    saved = plan.save_baseline(saved_at="2027-01-29")
    assert list(saved) == ["T2"]  # tasks without dates get no baseline entry
    assert design.baselines[0] == Baseline(start=T(2027, 2, 1, 8), finish=T(2027, 2, 5, 17),
                                           duration="5d", saved_at=T(2027, 1, 29))
    assert all(not t.baselines for t in plan.tasks if t is not design)


def test_save_baseline_after_applying_the_schedule_gives_the_same_baseline(
        plan: pmcore.Project) -> None:
    schedule = plan.schedule()
    from_schedule = plan.save_baseline(schedule, 1, saved_at=SAVED)
    schedule.apply()
    from_tasks = plan.save_baseline(number=2, saved_at=SAVED)
    assert from_schedule == from_tasks


def test_numbered_baselines_and_chosen_tasks(plan: pmcore.Project) -> None:
    schedule = plan.schedule()
    plan.save_baseline(schedule, saved_at=SAVED)
    design = plan.find("Design")
    design.duration = "7d"
    later = T(2027, 1, 6, 10)
    saved = plan.save_baseline(plan.schedule(), number=3, tasks=[design, "T3"], saved_at=later)
    assert list(saved) == ["T2", "T3"]
    assert sorted(design.baselines) == [0, 3]
    assert design.baselines[0].finish == T(2027, 1, 8, 17)  # baseline 0 is untouched
    assert design.baselines[3].finish == T(2027, 1, 12, 17)
    assert design.baselines[3].saved_at == later
    assert sorted(plan.find("Test").baselines) == [0]
    # Saving again replaces the chosen tasks' baseline of that number.
    plan.save_baseline(plan.schedule(), number=0, tasks=design, saved_at=later)
    assert design.baselines[0].finish == T(2027, 1, 12, 17)
    assert plan.find("Test").baselines[0].finish == T(2027, 1, 15, 17)


def test_saving_again_leaves_a_task_without_dates_without_that_baseline() -> None:
    project = pmcore.Project("Dates", start="2027-01-04")
    task = project.add_task("Survey", "1d", start="2027-01-04", finish="2027-01-04")
    project.save_baseline(saved_at=SAVED)
    assert 0 in task.baselines
    task.start = task.finish = None
    assert project.save_baseline(saved_at=SAVED) == {}
    assert task.baselines == {}


@pytest.mark.parametrize("number", [-1, 11, 1.0, True, "0"])
def test_baseline_numbers_are_0_to_10(plan: pmcore.Project, number: object) -> None:
    with pytest.raises(ValidationError, match="baseline.number: must be a whole number from 0"):
        plan.save_baseline(number=number, saved_at=SAVED)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="from 0 to 10"):
        plan.clear_baseline(number)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="from 0 to 10"):
        plan.baseline_report(number=number)  # type: ignore[arg-type]


def test_saved_at_is_required_and_checked(plan: pmcore.Project) -> None:
    with pytest.raises(TypeError):
        plan.save_baseline()  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="time zone"):
        plan.save_baseline(plan.schedule(), saved_at="2027-01-01T09:00+01:00")
    assert all(not t.baselines for t in plan.tasks)


def test_a_stale_schedule_is_refused_before_anything_changes(plan: pmcore.Project) -> None:
    schedule = plan.schedule()
    plan.add_task("Added later", "1d")
    with pytest.raises(UnknownReferenceError, match="schedule it again"):
        plan.save_baseline(schedule, saved_at=SAVED)
    assert all(not t.baselines for t in plan.tasks)


def test_clear_baseline(plan: pmcore.Project) -> None:
    schedule = plan.schedule()
    plan.save_baseline(schedule, saved_at=SAVED)
    plan.save_baseline(schedule, 1, saved_at=SAVED)
    assert plan.clear_baseline(1, tasks=["T2"]) == ("T2",)
    assert sorted(plan.find("Design").baselines) == [0]
    assert plan.clear_baseline(1) == ("T1", "T3", "T4")
    assert plan.clear_baseline(1) == ()
    assert all(sorted(t.baselines) == [0] for t in plan.tasks)


# --- variances -------------------------------------------------------------------------------


def test_a_delay_of_two_working_days_is_960_minutes(plan: pmcore.Project) -> None:
    plan.save_baseline(plan.schedule(), saved_at=SAVED)
    design = plan.find("Design")
    design.duration = "7d"  # two more working days
    schedule = plan.schedule()
    variance = plan.baseline_variance(design, schedule)
    assert variance.finish == T(2027, 1, 12, 17)
    assert (variance.start_variance_minutes, variance.finish_variance_minutes,
            variance.duration_variance_minutes) == (0, 960, 960)
    assert variance.finish_variance == Duration(960, DurationUnit.MINUTES)
    assert variance.finish_variance.to_days() == 2
    assert variance.late
    build = plan.baseline_variance("T3", schedule)
    assert (build.start, build.finish) == (T(2027, 1, 13, 8), T(2027, 1, 15, 17))
    assert (build.start_variance_minutes, build.finish_variance_minutes,
            build.duration_variance_minutes) == (960, 960, 0)


def test_variance_across_a_weekend_counts_only_working_time(plan: pmcore.Project) -> None:
    plan.save_baseline(plan.schedule(), saved_at=SAVED)
    design = plan.find("Design")
    design.duration = "6d"  # Fri 8 Jan 17:00 -> Mon 11 Jan 17:00: 72 hours, one working day
    variance = plan.baseline_variance(design, plan.schedule())
    assert variance.finish - variance.baseline.finish == dt.timedelta(days=3)
    assert variance.finish_variance_minutes == 480


def test_early_tasks_have_negative_variances(plan: pmcore.Project) -> None:
    plan.save_baseline(plan.schedule(), saved_at=SAVED)
    plan.find("Design").duration = "4d"
    schedule = plan.schedule()
    assert plan.baseline_variance("T2", schedule).finish_variance_minutes == -480
    assert plan.baseline_variance("T2", schedule).duration_variance_minutes == -480
    test = plan.baseline_variance("T4", schedule)
    # Thu 14 08:00 -> Wed 13 08:00 and Fri 15 17:00 -> Thu 14 17:00: one working day early.
    assert (test.start_variance_minutes, test.finish_variance_minutes) == (-480, -480)
    assert not test.late


def test_variance_is_counted_on_the_tasks_own_calendar() -> None:
    project = pmcore.Project("Data centre move", start="2027-01-04")
    project.add_calendar("24 Hours", week=pmcore.WorkWeek.twenty_four_hours())
    # Dates entered by hand: this test is about counting, whatever the scheduler does.
    office = project.add_task("Office task", "1d", start="2027-01-08T08:00",
                              finish="2027-01-08T17:00")
    servers = project.add_task("Server cut-over", "9h", calendar="24-hours",
                               start="2027-01-08T08:00", finish="2027-01-08T17:00")
    project.save_baseline(saved_at=SAVED)
    for task in (office, servers):  # both slip from Friday to Monday, same hours
        task.start, task.finish = T(2027, 1, 11, 8), T(2027, 1, 11, 17)
    # Fri 17:00 -> Mon 17:00: one working day on Standard, 72 hours around the clock.
    assert project.baseline_variance(office).finish_variance_minutes == 480
    assert project.baseline_variance(servers).finish_variance_minutes == 72 * 60
    assert project.baseline_variance(servers).start_variance_minutes == 72 * 60


def test_elapsed_and_mixed_unit_durations() -> None:
    project = pmcore.Project("Curing", start="2027-01-04")
    cure = project.add_task("Concrete cures", "3ed")
    survey = project.add_task("Survey", "1w")
    project.save_baseline(project.schedule(), saved_at=SAVED)
    assert cure.baselines[0].duration == Duration(3, DurationUnit.ELAPSED_DAYS)
    cure.duration = "4ed"
    survey.duration = "6d"  # 1w is 2400 working minutes, 6d is 2880
    schedule = project.schedule()
    assert project.baseline_variance(cure, schedule).duration_variance_minutes == 1440
    assert project.baseline_variance(survey, schedule).duration_variance_minutes == 480


def test_variance_needs_a_baseline_and_dates(plan: pmcore.Project) -> None:
    with pytest.raises(ValidationError, match=r"task 'T2' \(Design\).baselines: has no "
                                              r"baseline 0"):
        plan.baseline_variance("T2")
    plan.save_baseline(plan.schedule(), 4, saved_at=SAVED)
    with pytest.raises(ValidationError, match="has no baseline 0"):
        plan.baseline_variance("T2", plan.schedule())
    with pytest.raises(ValidationError, match="no start and finish .* pass a schedule"):
        plan.baseline_variance("T2", number=4)
    assert plan.baseline_variance("T2", plan.schedule(), number=4).finish_variance_minutes == 0
    with pytest.raises(UnknownReferenceError):
        plan.baseline_variance("T99")


# --- the whole flow and the report ------------------------------------------------------------


def test_schedule_baseline_change_reschedule_report(plan: pmcore.Project) -> None:
    plan.save_baseline(plan.schedule(), saved_at=SAVED)
    plan.find("Design").duration = "7d"
    extra = plan.add_task("Extra review", "1d", parent="T1", after="T4")
    report = plan.baseline_report(plan.schedule())
    assert [r.task for r in report] == ["T1", "T2", "T3", "T4"]
    assert report.unbaselined == (extra.id,)
    assert report.undated == ()
    assert [r.task for r in report.late] == ["T1", "T2", "T3", "T4"]
    # Design to Tue 12, Build Wed 13 - Fri 15, Test Mon 18 - Tue 19, Extra review Wed 20: the
    # summary finishes three working days late (Fri 15 -> Wed 20), three days longer (10d ->
    # 13d).
    delivery = report["T1"]
    assert delivery.finish == T(2027, 1, 20, 17)
    assert (delivery.finish_variance_minutes, delivery.duration_variance_minutes) == (1440, 1440)
    assert delivery.duration == Duration(13, DurationUnit.DAYS)
    assert report[plan.find("Test")].finish_variance_minutes == 960
    with pytest.raises(UnknownReferenceError):
        report["T5"]
    records = report.to_records()
    assert len(records) == len(report) == 4
    assert records[1] == {
        "id": "T2", "name": "Design", "baseline": 0,
        "baseline_start": T(2027, 1, 4, 8), "baseline_finish": T(2027, 1, 8, 17),
        "baseline_duration": "5d", "baseline_saved_at": SAVED,
        "start": T(2027, 1, 4, 8), "finish": T(2027, 1, 12, 17), "duration": "7d",
        "start_variance_minutes": 0, "finish_variance_minutes": 960,
        "duration_variance_minutes": 960,
    }


def test_report_without_a_schedule_lists_undated_tasks(plan: pmcore.Project) -> None:
    plan.schedule().apply()
    plan.save_baseline(saved_at=SAVED)
    plan.find("Test").start = None
    report = plan.baseline_report()
    assert [r.task for r in report] == ["T1", "T2", "T3"]
    assert report.undated == ("T4",)
    assert all(r.finish_variance_minutes == 0 for r in report)


def test_report_records_load_into_pandas(plan: pmcore.Project) -> None:
    pandas = pytest.importorskip("pandas")
    plan.save_baseline(plan.schedule(), saved_at=SAVED)
    frame = pandas.DataFrame(plan.baseline_report(plan.schedule()).to_records())
    assert list(frame["finish_variance_minutes"]) == [0, 0, 0, 0]


def test_summary_durations_are_exact() -> None:
    project = pmcore.Project("Halves", start="2027-01-04")
    phase = project.add_task("Phase")
    project.add_task("Half day", "4h", parent=phase)
    odd = project.add_task("Odd", "7m", parent=phase, start="2027-01-04T08:00")
    project.save_baseline(project.schedule(), saved_at=SAVED)
    assert phase.baselines[0].duration == Duration(0.5, DurationUnit.DAYS)
    assert odd.baselines[0].duration == Duration(7, DurationUnit.MINUTES)
    assert project.baseline_variance(phase, project.schedule()).duration_variance_minutes == 0


def test_baselines_survive_a_round_trip(plan: pmcore.Project) -> None:
    plan.save_baseline(plan.schedule(), saved_at=SAVED)
    plan.save_baseline(plan.schedule(), 10, tasks=["T2"], saved_at=T(2027, 2, 1, 8))
    again = pmcore.loads(pmcore.dumps(plan))
    assert again == plan
    assert again.find("Design").baselines[10].saved_at == T(2027, 2, 1, 8)
    assert pmcore.loads(pmcore.dumps(plan, format="yaml"), format="yaml") == plan



# --- counting many tasks ------------------------------------------------------------------------


def _counting_calendar() -> EffectiveCalendar:
    project = pmcore.Project("Counting", start="2027-01-04")
    standard = project.calendars["standard"]
    standard.add_holiday("New Year", "2027-01-01", recurrence="FREQ=YEARLY")
    standard.add_exception("Stocktake", "2027-03-06", working_times=["09:00-13:00"])
    standard.add_work_week("Summer", "2027-07-05", "2027-08-27", {"fri": ["08:00-12:00"]})
    return project.effective_calendar()


COUNTING = _counting_calendar()
CLOCK = CachedClock(COUNTING)  # shared across examples, as a report shares it across tasks
minutes = st.datetimes(min_value=T(2026, 12, 1), max_value=T(2028, 2, 1)).map(
    lambda m: m.replace(second=0, microsecond=0))


@settings(max_examples=300, deadline=None)
@given(minutes, minutes)
def test_reports_count_working_time_as_the_calendar_does(a: dt.datetime, b: dt.datetime) -> None:
    """Reports cache each day's working time; the count must be the calendar's own."""
    assert CLOCK.working_minutes_between(a, b) == COUNTING.working_minutes_between(a, b)
