"""Workload, over-allocation and capacity, worked by hand.

Standard calendar (Monday-Friday 08:00-12:00, 13:00-17:00: 8 h a day), January 2027::

    Mo Tu We Th Fr
     4  5  6  7  8
    11 12 13 14 15
"""

from __future__ import annotations

import datetime as dt

import pytest

import pmcore
from pmcore.errors import ValidationError
from pmcore.resources import candidates, capacity, overallocations, workload

WEEK1, WEEK2 = dt.date(2027, 1, 4), dt.date(2027, 1, 11)


def dana_plan() -> pmcore.Project:
    # Dana has Wednesday 6 off and works half time from Monday 11. Her 5-day task (100 %)
    # runs on her calendar: Monday, Tuesday, Thursday, Friday and Monday 11.
    project = pmcore.Project("Dana", start="2027-01-04")
    calendar = project.add_calendar("Dana", base="standard", id="dana")
    calendar.add_holiday("Day off", "2027-01-06")
    project.add_resource("Dana", id="dana", calendar="dana",
                         availability=[{"finish": "2027-01-10", "units": 1.0},
                                       {"start": "2027-01-11", "units": 0.5}])
    task = project.add_task("Write", "5d", id="write")
    project.assign(task, "dana")
    return project


def test_weekly_work_and_capacity_follow_the_calendar_and_availability() -> None:
    schedule = dana_plan().schedule()
    assert schedule["write"].finish == dt.datetime(2027, 1, 11, 17)
    rows = workload(schedule, period="week").for_resource("dana")
    # week 1: 4 working days of 8 h, all worked; capacity the same 32 h
    # week 2 (only Monday 11 is in the schedule's span): 8 h asked, 8 h x 50 % = 4 h there
    assert [(r.period, r.work_hours, r.capacity_hours, r.over_hours) for r in rows] == [
        (WEEK1, 32.0, 32.0, 0.0), (WEEK2, 8.0, 4.0, 4.0)]
    assert rows[0].utilisation == 1.0
    assert rows[1].utilisation == 2.0


def test_daily_rows_show_the_day_off() -> None:
    rows = workload(dana_plan().schedule(), period="day").for_resource("dana")
    wednesday = next(r for r in rows if r.period == dt.date(2027, 1, 6))
    assert (wednesday.work_hours, wednesday.capacity_hours) == (0.0, 0.0)


def test_half_time_is_an_overallocation_of_a_full_day() -> None:
    report = overallocations(dana_plan().schedule())
    assert [(o.resource, o.start, o.finish, o.units, o.max_units) for o in report] == [
        ("dana", dt.datetime(2027, 1, 11, 8), dt.datetime(2027, 1, 11, 17), 1.0, 0.5)]
    assert report.items[0].over == 0.5
    assert not report.ok


def test_overlapping_assignments_over_exactly_the_shared_days() -> None:
    # A (3d, 100 %) runs Monday 4 to Wednesday 6; B (2d, 50 %) cannot start before Tuesday 5
    # and runs Tuesday and Wednesday: 150 % on those two days, never on Monday.
    project = pmcore.Project("Overlap", start="2027-01-04")
    project.add_resource("Lee", id="lee")
    a = project.add_task("A", "3d", id="a")
    b = project.add_task("B", "2d", id="b", constraint=("SNET", "2027-01-05"))
    project.assign(a, "lee")
    project.assign(b, "lee", units=0.5)
    report = overallocations(project.schedule())
    assert [(o.start, o.finish, o.units, o.tasks) for o in report] == [
        (dt.datetime(2027, 1, 5, 8), dt.datetime(2027, 1, 6, 17), 1.5, ("a", "b"))]
    assert report.to_records()[0]["over"] == 0.5
    days = workload(project.schedule(), period="day").for_resource("lee")
    assert [r.over_hours for r in days] == [0.0, 4.0, 4.0]


def test_no_overlap_no_overallocation() -> None:
    project = pmcore.Project("Sequential", start="2027-01-04")
    project.add_resource("Lee", id="lee")
    a = project.add_task("A", "2d")
    b = project.add_task("B", "2d", after=a)
    project.assign(a, "lee")
    project.assign(b, "lee")
    assert overallocations(project.schedule()).ok


def portfolio() -> tuple[pmcore.Project, pmcore.Project]:
    # Dana (developer) works on both projects: 2 days in one, 3 in the other, all in week 1.
    # Lee (developer, ops team) is in the second project but not assigned.
    first = pmcore.Project("CRM", start="2027-01-04")
    first.add_resource("Dana", id="dana", roles=["developer"], team="apps")
    first.assign(first.add_task("Build", "2d"), "dana")
    second = pmcore.Project("ERP", start="2027-01-04")
    second.add_resource("Dana", id="d", roles=["developer"], team="apps")
    second.add_resource("Lee", id="lee", roles=["developer"], team="ops")
    second.assign(second.add_task("Migrate", "3d"), "d")
    return first, second


def test_capacity_adds_demand_across_projects_and_counts_a_person_once() -> None:
    result = capacity(list(portfolio()), by="resource", period="week")
    rows = {(r.group, r.period): r for r in result.rows}
    # The portfolio spans Monday to Wednesday (the later project ends then): 24 h each.
    # Dana: 2 d + 3 d = 40 h asked of her 24 h, counted once: 16 h over.
    dana = rows[("Dana", WEEK1)]
    assert (dana.demand_hours, dana.capacity_hours, dana.over_hours) == (40.0, 24.0, 16.0)
    # Lee is in the portfolio but not assigned: all 24 h spare
    assert (rows[("Lee", WEEK1)].demand_hours, rows[("Lee", WEEK1)].spare_hours) == (0.0, 24.0)
    assert result.over() == (dana,)


def test_capacity_by_role_and_team() -> None:
    by_role = capacity(list(portfolio()), by="role", period="week")
    (developer,) = by_role.rows
    assert (developer.group, developer.demand_hours, developer.capacity_hours) == (
        "developer", 40.0, 24.0 + 24.0)
    by_team = {r.group: r for r in capacity(list(portfolio()), by="team", period="month").rows}
    assert by_team["apps"].utilisation == pytest.approx(40 / 24)
    assert by_team["ops"].demand_hours == 0.0


def test_a_what_if_leaves_the_inputs_alone() -> None:
    first, second = portfolio()
    before = capacity([first, second], by="resource", period="week").to_records()
    delayed = pmcore.loads(pmcore.dumps(second))
    delayed.start = dt.datetime(2027, 1, 11, 8)  # delay the ERP project a week
    after = capacity([first, delayed], by="resource", period="week")
    dana = {r.period: r.demand_hours for r in after.rows if r.group == "Dana"}
    assert dana == {WEEK1: 16.0, WEEK2: 24.0}
    assert capacity([first, second], by="resource", period="week").to_records() == before


def test_bad_grouping_and_period_are_named() -> None:
    with pytest.raises(ValidationError, match="period"):
        workload(dana_plan().schedule(), period="fortnight")
    with pytest.raises(ValidationError, match="by"):
        capacity(dana_plan(), by="colour")


def test_the_capacity_command_reads_a_portfolio(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from pmcore.cli import main

    paths = []
    for project in portfolio():
        path = tmp_path / f"{project.name}.pmcore.json"
        pmcore.write(project, path)
        paths.append(str(path))
    assert main(["capacity", *paths, "--by", "role", "--period", "week", "-f", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["group"], row["period"], row["demand_hours"], row["capacity_hours"]) == (
        "developer", "2027-01-04", 40.0, 48.0)


def test_candidates_for_a_generic_assignment_ranked_by_free_time() -> None:
    # "Senior developer" (generic) is on a 2-day task (16 h), Monday and Tuesday. Dana and
    # Lee are developers with Python; Kim is a tester. Dana is busy Monday on another task
    # (8 h), so she has 8 h free over those two days, Lee 16 h: Lee first, and only he fits.
    project = pmcore.Project("Staffing", start="2027-01-04")
    project.add_resource("Senior developer", id="dev", generic=True, roles=["developer"],
                         skills=["python"])
    project.add_resource("Dana", id="dana", roles=["developer"], skills=["python", "sql"])
    project.add_resource("Lee", id="lee", roles=["developer"], skills=["python"])
    project.add_resource("Kim", id="kim", roles=["tester"], skills=["python"])
    project.assign(project.add_task("API", "2d", id="api"), "dev")
    project.assign(project.add_task("Reports", "1d", id="reports"), "dana")
    found = candidates(project.schedule(), "api", "dev")
    assert [(c.resource, c.free_hours, c.fits) for c in found] == [
        ("lee", 16.0, True), ("dana", 8.0, False)]
    assert found[0].needed_hours == 16.0
    assert found[0].matches == ("developer", "python")


def test_a_split_task_asks_for_no_work_in_its_gap() -> None:
    project = pmcore.Project("Split", start="2027-01-04")
    project.add_resource("Eli", id="eli")
    task = project.add_task("Install", "3d", splits=[("1d", "1d")])
    project.assign(task, "eli")
    rows = workload(project.schedule(), period="day").for_resource("eli")
    # Monday 4 worked, Tuesday 5 paused, Wednesday 6 and Thursday 7 worked: 24 h in all
    assert [(r.period.day, r.work_hours) for r in rows] == [(4, 8.0), (5, 0.0), (6, 8.0),
                                                           (7, 8.0)]
