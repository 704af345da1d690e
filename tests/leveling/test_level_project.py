"""Leveling pmcore projects: delays written back and checked by rescheduling with the engine."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

import pmcore
from pmcore.leveling import level, serial_sgs
from pmcore.leveling._rcpsp import Rcpsp

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "psplib"


def over_allocations(*projects: pmcore.Project) -> list[str]:
    """Days on which a resource (shared by name) works over its max units, computed from the
    engine's schedule of the projects as they stand: an independent check of leveling."""
    used: dict[tuple[str, dt.date], float] = defaultdict(float)
    limit: dict[tuple[str, dt.date], float] = {}
    for project in projects:
        plan = project.schedule()
        hours = project.effective_calendar()
        for assignment in project.assignments:
            resource = project.resource(assignment.resource)
            if resource.type is not pmcore.ResourceType.WORK:
                continue  # materials are consumed, not booked by the day
            row = plan[assignment.task]
            day = row.start.date()
            while day <= row.finish.date():
                if hours.is_working_day(day) and row.finish > row.start:
                    used[(resource.name, day)] += assignment.units
                    limit[(resource.name, day)] = resource.max_units_on(day)
                day += dt.timedelta(days=1)
    return [f"{name} on {day}: {units:g} > {limit[(name, day)]:g}"
            for (name, day), units in sorted(used.items())
            if units > limit[(name, day)] + 1e-9]


def small() -> pmcore.Project:
    # Dana (100 %) designs (3d, 100 %) then builds (4d, 50 %); she also writes a spec
    # (2d, 100 %) with no links. From Monday 1 March 2027 everything starts at once and Dana
    # is at 200 % on 1-2 March and at 150 % while building.
    project = pmcore.Project("Demo", start="2027-03-01")
    dana = project.add_resource("Dana")
    design = project.add_task("Design", "3d")
    spec = project.add_task("Spec", "2d")
    build = project.add_task("Build", "4d", after=design)
    project.assign(design, dana)
    project.assign(spec, dana)
    project.assign(build, dana, 0.5)
    return project


def test_the_spec_waits_for_dana() -> None:
    # Design and Build are critical (slack 0); Spec has 5 days of slack, so the standard order
    # serves Design and Build first and Spec waits until Build ends on Tuesday 9 March: it
    # starts Wednesday 10 March, a leveling delay of 9 elapsed days from Monday 1 March.
    project = small()
    assert over_allocations(project)
    result = level(project, seed=1)
    assert [(t.task, str(t.delay), t.resources) for t in result.tasks] == [
        ("T2", "9ed", ("Dana",))]
    assert result.tasks[0].start_after == dt.datetime(2027, 3, 10, 8, 0)
    assert result.finish_before == dt.date(2027, 3, 9)
    assert result.finish_after == dt.date(2027, 3, 11)
    assert project.task("T2").leveling_delay is None  # not applied yet
    result.apply(project)
    plan = project.schedule()
    assert plan["T2"].start == dt.datetime(2027, 3, 10, 8, 0)
    assert plan["T3"].start == dt.datetime(2027, 3, 4, 8, 0)
    assert over_allocations(project) == []
    assert result.to_records()[0]["leveling_delay"] == "9ed"


def test_priority_1000_is_never_delayed() -> None:
    # Spec may not move: Design waits for it (Spec 1-2 March, Design 3-5 March, Build from
    # Monday 8 March); Design's delay is 2 elapsed days.
    project = small()
    project.task("T2").priority = 1000
    result = level(project, seed=1)
    assert [(t.task, str(t.delay)) for t in result.tasks if t.delay.value] == [("T1", "2ed")]
    result.apply(project)
    plan = project.schedule()
    assert plan["T2"].start == dt.datetime(2027, 3, 1, 8, 0)
    assert plan["T3"].start == dt.datetime(2027, 3, 8, 8, 0)
    assert over_allocations(project) == []


def test_within_slack_leaves_what_it_cannot_resolve() -> None:
    # Spec would need 7 days but has 5 of slack; Design and Build have none. One pass of the
    # standard order serves Design and Build first and leaves Spec where it is: Spec and
    # Design still overlap on Dana, and both are reported.
    result = level(small(), within_slack=True, schedules=1)
    assert result.unresolved == ("T1", "T2")
    assert {t.resources for t in result.tasks} == {("Dana",)}
    assert not result.delays
    assert result.finish_after == result.finish_before
    # The search may instead slip Spec within its slack, onto Build: one pair in conflict
    # either way, and the finish never moves.
    searched = level(small(), within_slack=True, seed=1)
    assert len(searched.unresolved) == 2
    assert searched.finish_after == searched.finish_before
    assert all(t.delay.value <= 5 for t in searched.tasks)


def test_a_date_range_limits_what_moves() -> None:
    # Only tasks starting from 2 March may move. Design and Spec start on 1 March, so neither
    # moves and their conflict stays; Build (from 4 March, 50 %) overlaps neither.
    result = level(small(), date_range=("2027-03-02", None), seed=1)
    assert not result.delays
    assert result.unresolved == ("T1", "T2")
    # From 1 March on, Spec may move again.
    assert level(small(), date_range=("2027-03-01", "2027-03-31"), seed=1).unresolved == ()


def test_the_priority_order_serves_higher_priorities_first() -> None:
    # Two independent tasks for Dana on 1 March: Audit (2d, priority 500) and Patch (1d,
    # priority 900). One pass in priority order gives Dana to Patch first, so Audit waits a
    # day; in row order Audit goes first and Patch waits two days.
    def plan() -> pmcore.Project:
        project = pmcore.Project("Ops", start="2027-03-01")
        dana = project.add_resource("Dana")
        project.assign(project.add_task("Audit", "2d"), dana)
        project.assign(project.add_task("Patch", "1d", priority=900), dana)
        return project

    by_priority = level(plan(), order="priority", schedules=1)
    assert [(t.task, str(t.delay)) for t in by_priority.tasks] == [("T1", "1ed")]
    by_row = level(plan(), order="id", schedules=1)
    assert [(t.task, str(t.delay)) for t in by_row.tasks] == [("T2", "2ed")]


def test_availability_periods_are_honoured() -> None:
    # Dana is away (0 %) until Sunday 7 March: Design starts Monday 8 March.
    project = small()
    project.resource("R1").availability = (pmcore.Availability(None, "2027-03-07", 0.0),)
    result = level(project, seed=1)
    result.apply(project)
    assert project.schedule()["T1"].start == dt.datetime(2027, 3, 8, 8, 0)
    assert over_allocations(project) == []


def test_a_task_needing_more_than_ever_available_is_named() -> None:
    project = small()
    project.assignment("A1").units = 2.0
    with pytest.raises(pmcore.ValidationError, match="Dana") as caught:
        level(project)
    assert caught.value.entity == "task 'T1' (Design)"


def test_two_projects_share_a_resource_by_name() -> None:
    # Each project alone is fine; together Dana would work 200 % on 1-3 March.
    first = pmcore.Project("Alpha", start="2027-03-01")
    second = pmcore.Project("Beta", start="2027-03-01")
    for project in (first, second):
        dana = project.add_resource("Dana")
        project.assign(project.add_task("Work", "3d"), dana)
    assert over_allocations(first, second)
    result = level([first, second], seed=1)
    assert len(result.delays) == 1
    result.apply(first, second)
    assert over_allocations(first, second) == []


def test_existing_delays_are_cleared_first() -> None:
    project = small()
    project.task("T1").leveling_delay = "20ed"
    result = level(project, seed=1)
    assert project.task("T1").leveling_delay == pmcore.Duration.parse("20ed")
    assert [t.task for t in result.tasks if t.delay.value] == ["T2"]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="PSPLIB samples not present")
@pytest.mark.parametrize("name", ["j3010_7", "j301_4"])
def test_a_psplib_project_levels_through_the_engine(name: str) -> None:
    # Leveled, applied and rescheduled by the engine: no resource over capacity on any day,
    # and the finish no later than one pass of the serial scheme on the file's numbers.
    from pmcore.io.psplib import parse_sm

    path = SAMPLES / "j30" / f"{name}.sm"
    project = pmcore.read(path)
    result = level(project, seed=5, schedules=600, time_budget=None, backend="python")
    assert all(t.resources for t in result.tasks if t.delay.value)
    result.apply(project)
    assert over_allocations(project) == []
    single = serial_sgs(Rcpsp.from_sm(parse_sm(path.read_text())), "lft", backend="python")
    assert project.schedule().duration_minutes <= 480 * single.makespan
    assert project.schedule().duration_minutes == 480 * (
        (result.finish_after - project.start.date()).days + 1)


def test_a_project_scheduled_from_its_finish_is_refused() -> None:
    project = pmcore.Project("Backward", start="2027-03-01", finish="2027-06-30",
                             schedule_from="finish")
    project.add_task("Work", "2d")
    with pytest.raises(pmcore.ValidationError, match="scheduled from its finish") as caught:
        level(project)
    assert caught.value.field == "schedule_from"


def test_bad_options() -> None:
    with pytest.raises(pmcore.ValidationError, match="order"):
        level(small(), order="random")
    with pytest.raises(pmcore.ValidationError, match="date_range"):
        level(small(), date_range=("2027-03-05", "2027-03-01"))


def test_start_to_start_links_keep_their_lag() -> None:
    # A (3d) and B (3d) both need Dana; B starts one day after A starts (SS+1d): Tuesday.
    # B must wait until A ends on Wednesday: it starts Thursday 4 March, two elapsed days
    # after Tuesday.
    project = pmcore.Project("Links", start="2027-03-01")
    dana = project.add_resource("Dana")
    a = project.add_task("A", "3d")
    b = project.add_task("B", "3d")
    project.link(a, b, "SS", "1d")
    project.assign(a, dana)
    project.assign(b, dana)
    result = level(project, seed=1)
    assert [(t.task, str(t.delay)) for t in result.tasks] == [("T2", "2ed")]
    result.apply(project)
    assert project.schedule()["T2"].start == dt.datetime(2027, 3, 4, 8, 0)
    assert over_allocations(project) == []


def test_a_finish_no_later_than_constraint_is_a_limit() -> None:
    # Spec must finish by Friday 5 March. Serving Design and Build first would push it to
    # 10 March, so the search lets Spec go first (1-2 March) and Design wait two days.
    project = small()
    project.task("T2").constraint = pmcore.Constraint("FNLT", "2027-03-05T17:00")
    result = level(project, seed=1)
    assert result.unresolved == ()
    assert [(t.task, str(t.delay)) for t in result.tasks if t.delay.value] == [("T1", "2ed")]
    result.apply(project)
    assert project.schedule()["T2"].finish == dt.datetime(2027, 3, 2, 17, 0)
    assert over_allocations(project) == []


def test_nothing_moves_without_a_conflict() -> None:
    # Dana's leave (Tuesday and Wednesday) stretches her task over it, but nobody else needs
    # her: leveling has nothing to do. A project without resources neither.
    project = pmcore.Project("Calm", start="2027-03-01")
    leave = project.add_calendar("Dana", base="standard")
    leave.add_holiday("Leave", "2027-03-02", until="2027-03-03")
    dana = project.add_resource("Dana", calendar=leave)
    project.assign(project.add_task("Report", "2d"), dana)
    project.add_task("Review", "1d")
    assert level(project, seed=1).tasks == ()
    bare = pmcore.Project("Bare", start="2027-03-01")
    bare.add_task("Alone", "2d")
    assert level(bare).tasks == ()


def test_links_on_a_summary_task_bind_the_tasks_below() -> None:
    # Phase (Design 2d and Test 1d, both Dana) must finish before Launch (1d, Dana): Launch
    # waits for both, whatever leveling does inside the phase. Design and Test cannot overlap:
    # Design 1-2 March, Test 3 March (or the other way round), Launch 4 March.
    project = pmcore.Project("Phases", start="2027-03-01")
    dana = project.add_resource("Dana")
    phase = project.add_task("Phase")
    design = project.add_task("Design", "2d", parent=phase)
    test = project.add_task("Test", "1d", parent=phase)
    launch = project.add_task("Launch", "1d", after=phase)
    for task in (design, test, launch):
        project.assign(task, dana)
    result = level(project, seed=1)
    result.apply(project)
    plan = project.schedule()
    assert plan[launch].start == dt.datetime(2027, 3, 4, 8, 0)
    assert over_allocations(project) == []


def over_allocated_tasks(project: pmcore.Project) -> set[str]:
    """Work tasks running on a day when their resource works over its max units."""
    plan = project.schedule()
    hours = project.effective_calendar()
    days: dict[tuple[str, dt.date], list[tuple[str, float]]] = defaultdict(list)
    for assignment in project.assignments:
        resource = project.resource(assignment.resource)
        if resource.type is not pmcore.ResourceType.WORK:
            continue
        row = plan[assignment.task]
        day = row.start.date()
        while day <= row.finish.date():
            if hours.is_working_day(day) and row.finish > row.start:
                days[(resource.id, day)].append((assignment.task, assignment.units))
            day += dt.timedelta(days=1)
    found: set[str] = set()
    for (resource_id, day), entries in days.items():
        if sum(units for _, units in entries) > project.resource(resource_id).max_units_on(day):
            found.update(task for task, _ in entries)
    return found


EXAMPLE = Path(__file__).parents[2] / "examples" / "erp-infrastructure-upgrade.pmcore.json"


@pytest.mark.skipif(not EXAMPLE.is_file(), reason="example project not present")
def test_a_real_plan_with_calendars_reports_every_conflict_it_leaves() -> None:
    # The bundled ERP plan (night-shift tasks, elapsed durations and lags, summaries, FNLT and
    # priority 1000) with Sabine at 50 % on 25 more tasks. After leveling, every task that
    # the scheduler still runs on an over-allocated day is reported as unresolved, and every
    # other conflict is gone.
    project = pmcore.read(EXAMPLE)
    sabine = project.resources[0]
    added = 0
    for task in project.work_tasks:
        if added < 25 and task.duration and not task.is_milestone and \
                all(a.resource != sabine.id for a in project.assignments_of(task)):
            project.assign(task, sabine, 0.5)
            added += 1
    conflicts = over_allocated_tasks(project)
    assert len(conflicts) > 20
    result = level(project, seed=3, time_budget=None, schedules=400, backend="python")
    result.apply(project)
    left = over_allocated_tasks(project)
    assert left <= set(result.unresolved)
    assert len(left) < len(conflicts) // 3
    plan = project.schedule()
    assert all(plan[t.task].start == t.start_after for t in result.tasks)
