"""A task worked by resources is scheduled on their calendar (Microsoft Project).

Standard calendar (Monday-Friday 08:00-12:00, 13:00-17:00), January 2027::

    Mo Tu We Th Fr
     4  5  6  7  8
    11 12 13 14 15

Dana's calendar derives from Standard with a day of leave on Wednesday 6. A 3-day task from the
project start (Monday 4) done by Dana works Monday, Tuesday and Thursday: it finishes Thursday 7
at 17:00, a day later than on the project calendar, and its FS successor (not assigned) starts
Friday 8.
"""

from __future__ import annotations

import datetime as dt

import pytest

import pmcore


def plan() -> tuple[pmcore.Project, pmcore.Task, pmcore.Task]:
    project = pmcore.Project("Leave", start="2027-01-04")
    dana_calendar = project.add_calendar("Dana", base="standard", id="dana")
    dana_calendar.add_holiday("Leave", "2027-01-06")
    project.add_resource("Dana", id="dana", calendar="dana")
    project.add_resource("Lee", id="lee")  # on the project calendar
    build = project.add_task("Build", "3d")
    review = project.add_task("Review", "1d", after=build)
    return project, build, review


def test_a_task_waits_for_its_resource_on_leave() -> None:
    project, build, review = plan()
    project.assign(build, "dana")
    schedule = project.schedule()
    assert schedule[build].finish == dt.datetime(2027, 1, 7, 17)
    assert schedule[review].start == dt.datetime(2027, 1, 8, 8)
    assert schedule.warnings == ()


def test_without_the_resource_the_project_calendar_applies() -> None:
    project, build, review = plan()
    project.assign(build, "lee")
    schedule = project.schedule()
    assert schedule[build].finish == dt.datetime(2027, 1, 6, 17)
    assert schedule[review].start == dt.datetime(2027, 1, 7, 8)


def test_resources_on_different_calendars_keep_the_project_calendar_and_warn() -> None:
    project, build, _ = plan()
    project.assign(build, "dana")
    project.assign(build, "lee")
    schedule = project.schedule()
    assert schedule[build].finish == dt.datetime(2027, 1, 6, 17)
    assert len(schedule.warnings) == 1
    assert "'dana'" in schedule.warnings[0]
    assert "Build" in schedule.warnings[0]


def test_material_and_cost_resources_do_not_set_working_time() -> None:
    project, build, _ = plan()
    project.add_resource("Cable", "material", id="cable", calendar="dana")
    project.assign(build, "cable", units=10)
    assert project.schedule()[build].finish == dt.datetime(2027, 1, 6, 17)


def test_rescheduling_after_an_assignment_uses_the_new_calendar() -> None:
    project, build, review = plan()
    before = project.schedule()
    project.assign(build, "dana")
    assert before.reschedule()[review].start == dt.datetime(2027, 1, 8, 8)


def test_a_resource_calendar_without_working_time_is_a_clear_error() -> None:
    from pmcore.errors import ValidationError
    from pmcore.model import Calendar, WorkWeek

    project, build, _ = plan()
    never = {day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    project.calendars["never"] = Calendar(id="never", name="Never", week=WorkWeek(never))
    project.add_resource("Ghost", id="ghost", calendar="never")
    project.assign(build, "ghost")
    with pytest.raises(ValidationError, match="no working time") as caught:
        project.schedule()
    assert caught.value.entity == "calendar 'never'"
