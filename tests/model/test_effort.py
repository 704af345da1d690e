"""Task types and effort-driven scheduling, on Microsoft Project's documented examples.

Work = duration x units per assignment; 1d = 8h (480 minutes, the default calendar options).
"""

from __future__ import annotations

import pytest

import pmcore
from pmcore import Duration
from pmcore.errors import UnknownReferenceError, ValidationError


def plan(task_type: str, effort_driven: bool, duration: str = "5d") -> pmcore.Project:
    project = pmcore.Project("Effort", start="2027-01-04")
    project.add_resource("Dana", id="dana")
    project.add_resource("Lee", id="lee")
    project.add_resource("Cable", "material", id="cable")
    project.add_task("Install", duration, id="t", task_type=task_type,
                     effort_driven=effort_driven)
    project.assign("t", "dana")  # 5d x 100 % = 40h
    return project


def work(project: pmcore.Project) -> list[tuple[str, float, Duration | None]]:
    return [(a.resource, a.units, a.work) for a in project.assignments_of("t")]


def test_adding_a_resource_to_an_effort_driven_fixed_units_task_halves_the_duration() -> None:
    # 40h of work shared by two people at 100 %: 20h each, over 2.5 days
    project = plan("fixed_units", effort_driven=True)
    project.assign("t", "lee")
    assert project.task("t").duration == Duration.days(2.5)
    assert work(project) == [("dana", 1.0, Duration.hours(20)), ("lee", 1.0, Duration.hours(20))]
    assert project.schedule()["t"].finish.isoformat() == "2027-01-06T12:00:00"


def test_removing_it_again_restores_the_duration() -> None:
    project = plan("fixed_units", effort_driven=True)
    project.assign("t", "lee")
    project.unassign("t", "lee")
    assert project.task("t").duration == Duration.days(5)
    assert work(project) == [("dana", 1.0, Duration.hours(40))]


def test_an_effort_driven_fixed_duration_task_lowers_the_units() -> None:
    # 5 days stay; 40h shared: 20h each at 20h / 40h = 50 %
    project = plan("fixed_duration", effort_driven=True)
    project.assign("t", "lee")
    assert project.task("t").duration == Duration.days(5)
    assert work(project) == [("dana", 0.5, Duration.hours(20)), ("lee", 0.5, Duration.hours(20))]


def test_without_effort_driven_a_new_resource_adds_work() -> None:
    project = plan("fixed_units", effort_driven=False)
    project.assign("t", "lee", work="40h")
    assert project.task("t").duration == Duration.days(5)
    assert work(project) == [("dana", 1.0, None), ("lee", 1.0, Duration.hours(40))]


def test_material_resources_do_not_share_work() -> None:
    project = plan("fixed_units", effort_driven=True)
    project.assign("t", "cable", units=12)
    assert project.task("t").duration == Duration.days(5)


def test_fixed_units_duration_change_changes_work() -> None:
    project = plan("fixed_units", effort_driven=False)
    project.set_duration("t", "10d")  # 10d x 100 % = 80h
    assert work(project) == [("dana", 1.0, Duration.hours(80))]


def test_fixed_units_units_change_changes_duration() -> None:
    project = plan("fixed_units", effort_driven=False)
    project.set_units("t", "dana", 0.5)  # 40h at 50 % takes 80 working hours: 10 days
    assert project.task("t").duration == Duration.days(10)
    assert work(project) == [("dana", 0.5, Duration.hours(40))]


def test_fixed_work_duration_change_changes_units() -> None:
    project = plan("fixed_work", effort_driven=True)
    project.set_duration("t", "10d")  # 40h over 80 working hours: 50 %
    assert work(project) == [("dana", 0.5, None)]
    project.set_work("t", "dana", "60h")  # 60h at 50 %: 120 hours, 15 days
    assert project.task("t").duration == Duration.days(15)


def test_fixed_duration_units_change_changes_work_and_work_change_changes_units() -> None:
    project = plan("fixed_duration", effort_driven=False)
    project.set_units("t", "dana", 0.5)  # 5d x 50 % = 20h
    assert work(project) == [("dana", 0.5, Duration.hours(20))]
    project.set_work("t", "dana", "10h")  # 10h over 40 hours: 25 %
    assert work(project) == [("dana", 0.25, Duration.hours(10))]
    assert project.task("t").duration == Duration.days(5)


def test_bad_values_are_refused_and_named() -> None:
    project = plan("fixed_units", effort_driven=False)
    with pytest.raises(ValidationError, match="units"):
        project.set_units("t", "dana", -1)
    with pytest.raises(UnknownReferenceError):
        project.set_work("t", "lee", "8h")
    assert work(project) == [("dana", 1.0, None)]  # nothing changed


@pytest.mark.parametrize("units", [0, 0.0, -0.5])
def test_an_assignment_needs_some_units(units: float) -> None:
    project = plan("fixed_units", effort_driven=False)
    with pytest.raises(ValidationError, match="units") as caught:
        project.assign("t", "lee", units=units)
    assert caught.value.field == "units"
    assert [a.resource for a in project.assignments_of("t")] == ["dana"]
