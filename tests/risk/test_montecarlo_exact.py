"""The vectorised passes give the CPM schedule exactly when no duration varies.

Oracle: the deterministic engine (:func:`pmcore.schedule.engine.run_passes`) on the very same
project. Random networks (hypothesis) mix everything the vectorised kernel handles: the four
link types; working, percentage and elapsed lags and leads; working and elapsed durations,
milestones; tasks on other calendars (24 hours, night shift, a holiday); the six dated
constraints; deadlines; summary tasks with and without links of their own; a status date.
Every task's early and late dates, the project finish and the criticality of every task must
be identical in every iteration column.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pmcore
from pmcore import Project
from pmcore.model import Calendar, Constraint, WorkWeek
from pmcore.model.estimate import Estimate
from pmcore.risk._kernel import EngineKernel, Kernel, unsupported
from pmcore.risk.montecarlo import simulate
from pmcore.schedule.engine import compile_project, run_passes

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / \
    "erp-infrastructure-upgrade.pmcore.json"

DURATIONS = ["0d", "30m", "4h", "1d", "1.5d", "2d", "3d", "1w", "8eh", "1ed", "3ed"]
LAGS = ["0d", "0d", "0d", "1h", "1d", "-4h", "-1d", "25%", "50%", "12eh", "1ed", "50e%"]
CALENDARS = [None, None, None, "24h", "night"]
CONSTRAINTS = [None, None, None, None, ("SNET", "2027-01-07T08:00"),
               ("FNLT", "2027-01-12T17:00"), ("MSO", "2027-01-05T13:00"),
               ("MFO", "2027-01-20T17:00"), ("SNLT", "2027-01-06T08:00"),
               ("FNET", "2027-01-11T12:00")]


@st.composite
def projects(draw: st.DrawFn) -> tuple[Project, str | None]:
    n = draw(st.integers(1, 14))
    project = Project("Random", start=draw(st.sampled_from(
        ["2027-01-04", "2027-01-08T13:00", "2027-01-09", "2026-12-31T16:30"])))
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    project.calendars["night"] = Calendar.night_shift(id="night")
    project.calendars["standard"].add_holiday("Epiphany", "2027-01-06")
    for i in range(n):
        task = project.add_task(f"Task {i}", draw(st.sampled_from(DURATIONS)), id=f"T{i}",
                                calendar=draw(st.sampled_from(CALENDARS)))
        constraint = draw(st.sampled_from(CONSTRAINTS))
        if constraint is not None:
            task.constraint = Constraint(*constraint)
        if draw(st.integers(0, 5)) == 0:
            task.deadline = "2027-01-08T12:00"
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2 * n)) if pairs else []
    for i, j in chosen:
        project.link(f"T{i}", f"T{j}", draw(st.sampled_from(["FS", "FS", "SS", "FF", "SF"])),
                     draw(st.sampled_from(LAGS)))
    groups = draw(st.integers(0, 3))
    size = max(1, n // (groups + 1))
    for g in range(groups):
        members = [f"T{k}" for k in range(g * size, min(n, (g + 1) * size))]
        if not members:
            continue
        summary = project.add_task(f"Group {g}", id=f"G{g}")
        for member in members:
            project.move_task(member, parent=summary)
        if g and draw(st.booleans()):  # groups only link forwards: no loop
            project.link(f"G{g - 1}", summary, draw(st.sampled_from(["FS", "SS", "FF"])),
                         draw(st.sampled_from(["0d", "1d", "1ed"])))
    status = draw(st.sampled_from([None, None, "2027-01-06T12:00"]))
    return project, status


def _compare(project: Project, status: Any, iterations: int = 3, jit: bool = False) -> None:
    status_date = None if status is None else pmcore.model.base.to_datetime(status)
    c = compile_project(project)
    assert unsupported(c) == []
    passes = run_passes(c, status_date=status_date)
    n = len(c.tasks)
    durations = np.repeat(np.array(c.duration, dtype=np.int64)[:, None], iterations, axis=1)
    kernel = Kernel(c, status_date=status_date, critical_threshold=0,
                    may_be_zero=[False] * n, tracked=list(range(n)), jit=jit)
    result = kernel.run(durations)
    for rows, expected, name in ((kernel.es, passes.early_start, "early start"),
                                 (kernel.ef, passes.early_finish, "early finish"),
                                 (kernel.ls, passes.late_start, "late start"),
                                 (kernel.lf, passes.late_finish, "late finish")):
        for i in range(n):
            assert (rows[i] == expected[i]).all(), (name, c.ids[i], rows[i], expected[i])
    assert (result.finish == passes.project_finish_instant).all()
    schedule = project.schedule(status_date=status)
    critical = [0 if c.summary[i] else iterations * schedule.is_critical(c.ids[i])
                for i in range(n)]
    assert result.critical.tolist() == critical
    # finishes as the schedule shows them, milestones waiting for the next working time too
    origin = c.timelines[0]
    for i in range(n):
        if not c.summary[i]:
            shown = origin.instant(schedule[c.ids[i]].finish)
            assert (result.task_finish[i] == shown).all(), c.ids[i]
    # and the engine called per iteration (the fallback and the benchmark's peer) agrees
    engine = EngineKernel(c, status_date=status_date, critical_threshold=0,
                          tracked=list(range(n)), progress_mode="retained_logic").run(durations)
    assert engine.finish.tolist() == result.finish.tolist()
    assert engine.critical.tolist() == result.critical.tolist()
    assert engine.task_finish.tolist() == result.task_finish.tolist()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_degenerate_iterations_equal_the_cpm_schedule(case: tuple[Project, str | None]) -> None:
    project, status = case
    _compare(project, status)


@pytest.mark.skipif(importlib.util.find_spec("numba") is None, reason="numba not installed")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_the_compiled_loops_give_the_same_schedule(case: tuple[Project, str | None]) -> None:
    project, status = case
    _compare(project, status, jit=True)


def test_the_example_project_exactly() -> None:
    _compare(pmcore.read(str(EXAMPLE)), None)


ESTIMATES = [
    None, None,
    Estimate(optimistic="1d", most_likely="2d", pessimistic="4d"),
    Estimate(distribution="triangular", optimistic="0d", most_likely="4h", pessimistic="3d"),
    Estimate(distribution="discrete", values=["0d", "1d", "2.5d"], weights=[1, 1, 2]),
    Estimate(distribution="uniform", optimistic="2h", pessimistic="1w"),
    Estimate(distribution="lognormal", optimistic="1d", most_likely="2d", pessimistic="6d"),
]
ELAPSED_ESTIMATES = [None, Estimate(distribution="uniform", optimistic="4eh",
                                    pessimistic="3ed")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects(), st.data())
def test_drawn_iterations_equal_the_engine_run_per_iteration(
        case: tuple[Project, str | None], data: st.DataObject) -> None:
    """Oracle: the engine itself, scheduling every iteration's drawn durations (the same
    draws: same seed); zero draws make milestones, percentage lags follow the draws."""
    project, status = case
    for task in project.tasks:
        if project.is_summary(task):
            continue
        elapsed = task.duration is not None and task.duration.elapsed
        task.estimate = data.draw(st.sampled_from(ELAPSED_ESTIMATES if elapsed else ESTIMATES))
    fast = simulate(project, iterations=12, seed=5, status_date=status, risks=(),
                    milestones=[t.id for t in project.tasks if not project.is_summary(t)])
    slow = simulate(project, iterations=12, seed=5, status_date=status, risks=(),
                    method="engine",
                    milestones=[t.id for t in project.tasks if not project.is_summary(t)])
    assert fast.method == "vectorised"
    assert fast.finish.instants.tolist() == slow.finish.instants.tolist()
    assert fast.criticality == slow.criticality
    for task_id, distribution in fast.milestones.items():
        assert distribution.instants.tolist() == slow.milestones[task_id].instants.tolist(), \
            task_id


def test_a_resource_on_its_own_calendar_sets_the_task_calendar() -> None:
    project = Project("Crew", start="2027-01-04")
    project.add_calendar("Four days", id="four", base="standard", week={
        "mon": ["08:00-12:00", "13:00-17:00"], "tue": ["08:00-12:00", "13:00-17:00"],
        "wed": ["08:00-12:00", "13:00-17:00"], "thu": ["08:00-12:00", "13:00-17:00"],
        "fri": [], "sat": [], "sun": []})
    dana = project.add_resource("Dana", calendar="four")
    a = project.add_task("Survey", "3d")
    b = project.add_task("Fit-out", "5d", after=a)
    project.link(a, project.add_task("Order", "2ed"), "SS", "1ed")
    project.assign(b, dana)
    project.add_milestone("Done", after=b)
    _compare(project, None)


def test_a_calendar_with_one_working_day_is_converted_as_the_engine_does() -> None:
    # the vectorised conversions must not look for working time the engine never asks for
    # (before the calendar's only working day), which would fail after 20 years of search
    project = Project("Once", start="2027-01-04")
    once = project.add_calendar("Once", id="once", week=WorkWeek(((),) * 7))
    once.add_exception("The day", "2028-06-01", working_times=["08:00-12:00"])
    first = project.add_task("A", "1d")
    first.estimate = Estimate(optimistic="1d", most_likely="2d", pessimistic="3d")
    visit = project.add_task("Visit", "2h", after=first, calendar="once")
    project.add_task("Report", "1d", after=visit)
    project.add_milestone("Filed", after=visit)
    _compare(project, None)
    fast = simulate(project, iterations=50, seed=1)
    slow = simulate(project, iterations=50, seed=1, method="engine")
    assert fast.finish.instants.tolist() == slow.finish.instants.tolist()
    assert fast.finish.p50 == dt.datetime(2028, 6, 2, 10, 0)


def test_the_array_conversions_equal_the_timeline_value_by_value() -> None:
    # Oracle: the scalar Timeline the engine converts with, one value at a time, on a calendar
    # with a lunch break and a holiday; values on span boundaries (a start takes the next
    # span's begin, a finish the previous span's end) and across the stored days.
    from pmcore.risk._kernel import VTimeline
    from pmcore.schedule.timeline import Timeline

    project = Project("Calendar", start="2027-01-04")
    project.calendars["standard"].add_holiday("Holiday", "2027-01-06")
    origin = dt.date(2027, 1, 4)
    work = np.array([0, 1, 239, 240, 241, 479, 480, 481, 960, 1200, 2400, 4799, 4800])
    instants = np.array([0, 479, 480, 720, 721, 780, 1020, 1500, 2 * 1440 + 600,
                         3 * 1440 + 480, 9 * 1440 + 1000])
    vector = VTimeline(Timeline(project.effective_calendar(), origin))
    scalar = Timeline(project.effective_calendar(), origin)
    assert vector.start_instant(work).tolist() == [scalar.start_instant(int(w)) for w in work]
    assert vector.finish_instant(work).tolist() == [scalar.finish_instant(int(w))
                                                    for w in work]
    assert vector.work_at(instants).tolist() == [scalar.work_at(int(i)) for i in instants]
    # hand-worked: 08:00-12:00 and 13:00-17:00; 4 hours of work end at 12:00 on Monday and the
    # next hour starts at 13:00; Wednesday is a holiday, so 2 days of work start on Thursday
    assert vector.finish_instant(240).item() == 720
    assert vector.start_instant(240).item() == 780
    assert vector.start_instant(960).item() == 3 * 1440 + 480
