"""Resources, assignments and task types in the file format: lossless, backward compatible,
and money never through a float."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import pmcore
from pmcore import Availability, Rate, RateTable, ResourceType, TaskType, WorkContour
from pmcore.errors import FormatError, UnknownReferenceError
from pmcore.testing import projects


def staffed() -> pmcore.Project:
    p = pmcore.Project("Portal", id="portal", start="2027-06-01")
    build = p.add_task("Build", "4w", task_type="fixed_work", effort_driven=True)
    p.add_calendar("Dana", base="standard", week={"fri": []})
    dana = p.add_resource(
        "Dana Fox", initials="DF", roles=["Developer"], skills=["SQL"], team="Web",
        email="dana@example.com", calendar="dana", can_level=False, accrue_at="start",
        availability=[Availability(None, "2027-06-30", 1.0), Availability("2027-07-01", None,
                                                                          0.5)],
        rate_tables={"A": RateTable([Rate(standard_rate=Decimal("80.00")),
                                     Rate(effective_from="2027-07-01", standard_rate="85.10",
                                          overtime_rate="127.65", cost_per_use="0.01")])},
        custom_fields={"Grade": 3}, external_refs={"msproject": "7"})
    licences = p.add_resource("Licences", "material", material_label="seats")
    travel = p.add_resource("Travel", "cost", generic=True)
    p.assign(build, dana, 0.5, "80h", actual_work="8h", remaining_work="72h", rate_table="B",
             contour="bell", start="2027-06-01T08:00", finish="2027-06-28T17:00",
             notes="Half time", custom_fields={"Billable": True})
    p.assign(build, licences, 40)
    p.assign(build, travel, cost="1200.00", actual_cost="300.10")
    return p


def doc(**project: Any) -> str:
    return json.dumps({"format": "pmcore", "schema_version": 1, "project": {
        "name": "Hand written",
        "calendars": [{"id": "standard", "name": "Standard", "week": {
            d: ["08:00-12:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}],
        "tasks": [{"id": "T1", "name": "Task"}], **project}})


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_round_trip_keeps_everything(fmt: str) -> None:
    if fmt == "yaml":
        pytest.importorskip("yaml")
    project = staffed()
    text = pmcore.dumps(project, format=fmt)
    again = pmcore.loads(text, format=fmt)
    assert again == project
    assert pmcore.dumps(again, format=fmt) == text
    dana = again.resource("R1")
    assert dana.rate_on("2027-07-01").overtime_rate == Decimal("127.65")
    assert dana.max_units_on("2027-07-01") == 0.5
    assert again.assignment("A3").actual_cost == Decimal("300.10")
    assert again.task("T1").task_type is TaskType.FIXED_WORK


def test_how_resources_and_assignments_are_written() -> None:
    data = json.loads(pmcore.dumps(staffed()))["project"]
    assert list(data)[-2:] == ["resources", "assignments"]
    assert data["tasks"][0] == {"id": "T1", "name": "Build", "duration": "4w",
                                "task_type": "fixed_work", "effort_driven": True}
    dana, licences, travel = data["resources"]
    assert list(dana)[:2] == ["id", "name"]
    assert list(dana)[-2:] == ["custom_fields", "external_refs"]
    assert dana["availability"] == [{"finish": "2027-06-30"},
                                    {"start": "2027-07-01", "units": 0.5}]
    assert dana["rate_tables"] == {"A": [
        {"standard_rate": "80.00"},
        {"effective_from": "2027-07-01", "standard_rate": "85.10", "overtime_rate": "127.65",
         "cost_per_use": "0.01"}]}
    assert (dana["accrue_at"], dana["can_level"], dana["calendar"]) == ("start", False, "dana")
    assert licences == {"id": "R2", "name": "Licences", "type": "material",
                        "material_label": "seats"}
    assert travel == {"id": "R3", "name": "Travel", "type": "cost", "generic": True}
    first, second, third = data["assignments"]
    assert first["contour"] == "bell"
    assert first["work"] == "80h"
    assert first["rate_table"] == "B"
    assert second == {"id": "A2", "task": "T1", "resource": "R2", "units": 40.0}
    assert third == {"id": "A3", "task": "T1", "resource": "R3", "cost": "1200.00",
                     "actual_cost": "300.10"}


def test_a_plan_without_resources_is_written_as_before() -> None:
    project = pmcore.Project("Plain", id="plain", start="2027-01-04")
    project.add_task("Design", "5d")
    data = json.loads(pmcore.dumps(project))
    assert data["schema_version"] == 1
    assert "resources" not in data["project"]
    assert "assignments" not in data["project"]
    assert data["project"]["tasks"] == [{"id": "T1", "name": "Design", "duration": "5d"}]


def test_an_old_document_loads_with_the_defaults() -> None:
    project = pmcore.loads(doc())
    assert project.resources == ()
    assert project.assignments == ()
    task = project.task("T1")
    assert task.task_type is TaskType.FIXED_UNITS
    assert task.effort_driven is False


def test_a_hand_written_document_with_resources_loads() -> None:
    project = pmcore.loads(doc(
        resources=[{"id": "dana", "name": "Dana", "max_units": 1,
                    "availability": [{"start": "2027-07-01", "units": 0}],
                    "rate_tables": {"C": [{"standard_rate": "90"}]}},
                   {"id": "fee", "name": "Fee", "type": "cost"}],
        assignments=[{"id": "a", "task": "T1", "resource": "dana", "contour": "turtle"},
                     {"id": "b", "task": "T1", "resource": "fee", "cost": "10"}]))
    dana = project.resource("dana")
    assert dana.max_units_on(dt.date(2027, 7, 1)) == 0.0
    assert dana.rate_on("2027-01-01", table="C").standard_rate == Decimal(90)
    assert project.resource("fee").type is ResourceType.COST
    assert project.assignment("a").contour is WorkContour.TURTLE
    assert project.assignment("b").cost == Decimal(10)
    assert project.add_resource("Next").id == "R1"


@pytest.mark.parametrize(("project", "path", "message"), [
    ({"resources": [{"id": "R1", "name": "X", "rate_tables": {"A": [{"standard_rate": 80.5}]}}]},
     "$.project.resources[0].rate_tables['A'][0].standard_rate", "an amount as text"),
    ({"resources": [{"id": "R1", "name": "X", "rate_tables": {"A": [{"standard_rate": "x"}]}}]},
     "$.project.resources[0].rate_tables['A'][0].standard_rate", "is not an amount"),
    ({"resources": [{"id": "R1", "name": "X", "rate_tables": {"A": [{"standard_rate": "-1"}]}}]},
     "$.project.resources[0].rate_tables", "at least 0"),
    ({"resources": [{"id": "R1", "name": "X", "rate_tables": {"F": []}}]},
     "$.project.resources[0]", "'A' to 'E'"),
    ({"resources": [{"id": "R1", "name": "X", "rate_tables": {"A": {"standard_rate": "1"}}}]},
     "$.project.resources[0].rate_tables['A']", "expected a list"),
    ({"resources": [{"id": "R1", "name": "X", "roles": "dev"}]},
     "$.project.resources[0].roles", "expected a list"),
    ({"resources": [{"id": "R1", "name": "X", "availability": {"units": 1}}]},
     "$.project.resources[0].availability", "expected a list"),
    ({"resources": [{"id": "R1", "name": "X", "availability": [{"units": "full"}]}]},
     "$.project.resources[0].availability[0].units", "expected a number"),
    ({"resources": [{"id": "R1", "name": "X", "type": "person"}]},
     "$.project.resources[0].type", "is not one of"),
    ({"resources": [{"id": "R1", "name": "X", "salary": "1"}]},
     "$.project.resources[0]", "extra fields"),
    ({"assignments": [{"id": "A1", "task": "T1"}]},
     "$.project.assignments[0].resource", "required field missing"),
    ({"assignments": [{"id": "A1", "task": "T1", "resource": "R1", "cost": 12.5}]},
     "$.project.assignments[0].cost", "an amount as text"),
    ({"assignments": [{"id": "A1", "task": "T1", "resource": "R1", "work": "2ed"}]},
     "$.project.assignments[0]", "not elapsed"),
    ({"tasks": [{"id": "T1", "name": "Task", "task_type": "fixed_cost"}]},
     "$.project.tasks[0].task_type", "is not one of"),
])
def test_malformed_resources_are_refused_with_their_path(project: dict[str, Any], path: str,
                                                         message: str) -> None:
    with pytest.raises(FormatError, match=message) as info:
        pmcore.loads(doc(**project))
    assert info.value.path is not None
    assert info.value.path.startswith(path), info.value.path


def test_duplicate_ids_are_refused() -> None:
    twice = [{"id": "R1", "name": "A"}, {"id": "R1", "name": "B"}]
    with pytest.raises(FormatError, match="used by two resources"):
        pmcore.loads(doc(resources=twice))
    twice = [{"id": "A1", "task": "T1", "resource": "R1"}] * 2
    with pytest.raises(FormatError, match="used by two assignments"):
        pmcore.loads(doc(resources=[{"id": "R1", "name": "A"}], assignments=twice))


def test_broken_references_load_leniently_and_raise_strictly() -> None:
    text = doc(resources=[{"id": "R1", "name": "A", "calendar": "nowhere"}],
               assignments=[{"id": "A1", "task": "T9", "resource": "R1"}])
    project = pmcore.loads(text, strict=False)
    assert [p.code for p in pmcore.validate(project)] == ["unknown-calendar", "unknown-task"]
    with pytest.raises(UnknownReferenceError):
        pmcore.loads(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_generated_projects_with_resources_round_trip(project: pmcore.Project) -> None:
    text = pmcore.dumps(project)
    again = pmcore.loads(text, strict=False)
    assert again == project
    assert again.resources == project.resources
    assert again.assignments == project.assignments
    assert pmcore.dumps(again) == text


def test_the_example_project_has_resources_and_assignments() -> None:
    from pathlib import Path

    example = Path(__file__).parents[2] / "examples" / "erp-infrastructure-upgrade.pmcore.json"
    project = pmcore.read(example)
    assert list(pmcore.validate(project)) == []
    assert [r.name for r in project.resources] == [
        "Sabine Keller", "Tomas Berg", "ERP consultant", "Core switch", "Vendor travel"]
    consultant = project.resource("R3")
    assert consultant.generic
    assert consultant.max_units_on("2027-06-30") == 2.0
    assert consultant.max_units_on("2027-07-01") == 0.5
    assert consultant.rate_on("2027-07-01").standard_rate == Decimal("148.00")
    fit_gap = project.find("Fit-gap analysis")
    assert [project.resource(a.resource).name for a in project.assignments_of(fit_gap)] == [
        "ERP consultant", "Vendor travel"]
    assert sum(a.cost or 0 for a in project.assignments) == Decimal("3500.00")
    assert len(project.assignments) == 9
