"""Resources, their availability and rates, and assignments: the data and the project API.

Oracles are hand-worked: the maximum units on the days either side of an availability
boundary, the rate in force on the day before, of and after an effective date, and Microsoft
Project's rules: a resource is assigned to a task at most once, deleting a resource or a task
deletes its assignments, a rate table's first row has no effective date and later rows take
effect on increasing dates, unique ids are not reused.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import pmcore
from pmcore import (
    Assignment,
    Availability,
    CostAccrual,
    Duration,
    Project,
    Rate,
    RateTable,
    Resource,
    ResourceType,
    TaskType,
    WorkContour,
)
from pmcore.errors import UnknownReferenceError, ValidationError

D = dt.date


@pytest.fixture
def project() -> Project:
    p = Project("CRM rollout", start="2027-03-01")
    p.add_task("Design", "2w")
    p.add_task("Build", "4w")
    return p


# --------------------------------------------------------------------------- resources


def test_resource_defaults_are_microsoft_projects() -> None:
    r = Resource(id="R1", name="Dana")
    assert r.type is ResourceType.WORK
    assert r.max_units == 1.0
    assert r.availability == ()
    assert r.calendar is None
    assert r.rate_tables == {}
    assert r.accrue_at is CostAccrual.PRORATED
    assert r.can_level is True
    assert not r.generic
    assert (r.material_label, r.initials, r.group, r.email, r.team, r.notes) == ("",) * 6
    assert (r.roles, r.skills) == ((), ())


def test_resource_fields_are_converted() -> None:
    r = Resource(id="R1", name="Crane", type="material", max_units=2, roles=["lift"],
                 skills="rigging", accrue_at="start",
                 rate_tables={"B": [Rate(standard_rate="10")], "A": []})
    assert r.type is ResourceType.MATERIAL
    assert r.max_units == 2.0
    assert isinstance(r.max_units, float)
    assert r.roles == ("lift",)
    assert r.skills == ("rigging",)
    assert r.accrue_at is CostAccrual.START
    assert list(r.rate_tables) == ["A", "B"]  # by letter
    assert r.rate_tables["B"] == RateTable([Rate(standard_rate=Decimal(10))])


@pytest.mark.parametrize(("field", "value", "message"), [
    ("type", "human", "is not one of"),
    ("max_units", -0.5, "at least 0"),
    ("max_units", float("nan"), "finite"),
    ("max_units", "100%", "must be a number"),
    ("max_units", True, "must be a number"),
    ("generic", "yes", "True or False"),
    ("can_level", 1, "True or False"),
    ("roles", ["dev", ""], "non-empty texts"),
    ("email", None, "must be text"),
    ("availability", ["2027-01-01"], "Availability periods"),
    ("calendar", "", "printable characters"),
    ("rate_tables", {"F": []}, "'A' to 'E'"),
    ("rate_tables", ["A"], "must map table letters"),
])
def test_invalid_resource_values_name_the_resource_and_field(field: str, value: object,
                                                             message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        Resource(id="R7", name="Dana", **{field: value})
    assert info.value.field == field
    assert info.value.entity in {"resource", "resource 'R7' (Dana)"}


def test_invalid_values_are_refused_when_set_too() -> None:
    r = Resource(id="R7", name="Dana")
    with pytest.raises(ValidationError) as info:
        r.max_units = -1
    assert (info.value.entity, info.value.field) == ("resource 'R7' (Dana)", "max_units")
    assert r.max_units == 1.0
    with pytest.raises(AttributeError):
        r.id = "R8"  # type: ignore[misc]


# --------------------------------------------------------------------------- availability


def test_availability_on_the_boundary_days() -> None:
    # 100 % until the end of June (the default), 50 % in July and August, 80 % from September.
    r = Resource(id="R1", name="Dana", availability=[
        Availability("2027-07-01", "2027-08-31", 0.5),
        Availability("2027-09-01", None, 0.8),
    ])
    assert r.max_units_on(D(2027, 6, 30)) == 1.0
    assert r.max_units_on(D(2027, 7, 1)) == 0.5
    assert r.max_units_on(dt.datetime(2027, 8, 31, 23, 59)) == 0.5
    assert r.max_units_on("2027-09-01") == 0.8
    assert r.max_units_on(D(2099, 1, 1)) == 0.8


def test_closed_availability_falls_back_to_max_units_outside() -> None:
    r = Resource(id="R1", name="Contractor", max_units=0.0,
                 availability=[Availability(None, "2027-04-30", 1.0)])
    assert r.max_units_on(D(1990, 1, 1)) == 1.0
    assert r.max_units_on(D(2027, 4, 30)) == 1.0
    assert r.max_units_on(D(2027, 5, 1)) == 0.0


def test_availability_checks_its_own_fields() -> None:
    with pytest.raises(ValidationError, match="is before start") as info:
        Availability("2027-07-01", "2027-06-30", 1.0)
    assert (info.value.entity, info.value.field) == ("availability", "finish")
    with pytest.raises(ValidationError, match="at least 0") as info:
        Availability(units=-1)
    assert info.value.field == "units"
    assert Availability("2027-07-01", "2027-07-01", 0).units == 0.0  # one day, unavailable


# --------------------------------------------------------------------------- rates


def test_rate_lookup_by_effective_date() -> None:
    table = RateTable([Rate(standard_rate="80.00"),
                       Rate(effective_from="2027-07-01", standard_rate="85.00"),
                       Rate(effective_from="2028-01-01", standard_rate="90.00")])
    assert table.rate_on(D(2000, 1, 1)).standard_rate == Decimal("80.00")  # type: ignore[union-attr]
    assert table.rate_on("2027-06-30").standard_rate == Decimal("80.00")  # type: ignore[union-attr]
    assert table.rate_on("2027-07-01").standard_rate == Decimal("85.00")  # type: ignore[union-attr]
    assert table.rate_on("2027-12-31").standard_rate == Decimal("85.00")  # type: ignore[union-attr]
    assert table.rate_on(dt.datetime(2028, 1, 1, 8)).standard_rate == Decimal("90.00")  # type: ignore[union-attr]


def test_rate_lookup_before_the_first_dated_rate_and_on_a_resource() -> None:
    table = RateTable([Rate(effective_from="2027-07-01", standard_rate="85")])
    assert table.rate_on("2027-06-30") is None
    r = Resource(id="R1", name="Dana", rate_tables={"A": table})
    assert r.rate_on("2027-06-30") == Rate()  # zero, as a new table in Microsoft Project
    assert r.rate_on("2027-07-01").standard_rate == 85
    assert r.rate_on("2027-07-01", table="E") == Rate()
    with pytest.raises(ValidationError, match="'A' to 'E'"):
        r.rate_on("2027-07-01", table="F")


def test_rate_lookup_does_not_depend_on_order_and_the_first_duplicate_wins() -> None:
    table = RateTable([Rate(effective_from="2027-07-01", standard_rate="2"),
                       Rate(standard_rate="1"),
                       Rate(effective_from="2027-07-01", standard_rate="3")])
    assert table.rate_on("2027-06-01").standard_rate == 1  # type: ignore[union-attr]
    assert table.rate_on("2027-07-01").standard_rate == 2  # type: ignore[union-attr]


def test_money_is_decimal_and_refuses_float() -> None:
    rate = Rate(standard_rate="85.50", overtime_rate=120, cost_per_use=Decimal("0.10"))
    assert rate.standard_rate == Decimal("85.50")
    assert rate.overtime_rate == Decimal(120)
    assert isinstance(rate.overtime_rate, Decimal)
    assert rate.cost_per_use == Decimal("0.10")
    with pytest.raises(ValidationError, match="money is exact") as info:
        Rate(standard_rate=85.5)
    assert (info.value.entity, info.value.field) == ("rate", "standard_rate")
    with pytest.raises(ValidationError, match="money is exact") as info:
        Rate(effective_from="2027-07-01", cost_per_use=0.1)
    assert (info.value.entity, info.value.field) == ("rate from 2027-07-01", "cost_per_use")
    for bad in ("-1", "NaN", "Infinity", "eighty", True, None):
        with pytest.raises(ValidationError):
            Rate(standard_rate=bad)


def test_assignment_cost_is_decimal_and_refuses_float() -> None:
    a = Assignment(id="A1", task="T1", resource="R1", cost="1200.00")
    assert a.cost == Decimal("1200.00")
    with pytest.raises(ValidationError, match="money is exact") as info:
        Assignment(id="A1", task="T1", resource="R1", cost=1200.0)
    assert (info.value.entity, info.value.field) == ("assignment 'A1' (R1 on T1)", "cost")
    with pytest.raises(ValidationError, match="money is exact") as info:
        a.actual_cost = 0.1  # type: ignore[assignment]
    assert info.value.field == "actual_cost"
    with pytest.raises(ValidationError, match="Decimal amount"):
        a.cost = "-5"  # type: ignore[assignment]
    assert a.cost == Decimal("1200.00")


# --------------------------------------------------------------------------- assignments


def test_assignment_defaults_and_conversions() -> None:
    a = Assignment(id="A1", task="T1", resource="R1")
    assert (a.units, a.work, a.actual_work, a.remaining_work) == (1.0, None, None, None)
    assert (a.rate_table, a.contour, a.start, a.finish) == ("A", WorkContour.FLAT, None, None)
    assert (a.cost, a.actual_cost, a.name, a.notes) == (None, None, "", "")
    b = Assignment(id="A2", task="T1", resource="R1", units=1, work="40h", contour="turtle",
                   start="2027-03-01T08:00")
    assert b.units == 1.0
    assert isinstance(b.units, float)
    assert b.work == Duration.hours(40)
    assert b.contour is WorkContour.TURTLE
    assert b.start == dt.datetime(2027, 3, 1, 8)


def test_the_contours_are_microsoft_projects() -> None:
    assert [c.value for c in WorkContour] == [
        "flat", "back_loaded", "front_loaded", "double_peak", "early_peak", "late_peak", "bell",
        "turtle", "contoured"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("units", -1, "at least 0"),
    ("units", float("inf"), "finite"),
    ("work", "-8h", "non-negative"),
    ("work", "2ed", "not elapsed"),
    ("actual_work", "50%", "non-negative"),
    ("remaining_work", "lots", "not a duration"),
    ("rate_table", "F", "'A' to 'E'"),
    ("contour", "wavy", "is not one of"),
])
def test_invalid_assignment_values_name_entity_and_field(field: str, value: object,
                                                         message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        Assignment(id="A1", task="T1", resource="R1", **{field: value})
    if field not in ("remaining_work", "contour"):  # converters only know the kind
        assert info.value.entity == "assignment 'A1' (R1 on T1)"
    assert info.value.field in (field, None, "value") or field == "remaining_work"


def test_assignment_references_are_ids() -> None:
    with pytest.raises(ValidationError, match="printable") as info:
        Assignment(id="A1", task="", resource="R1")
    assert info.value.field == "task"


def test_task_and_resource_of_an_assignment_are_frozen() -> None:
    a = Assignment(id="A1", task="T1", resource="R1")
    with pytest.raises(AttributeError):
        a.task = "T2"  # type: ignore[misc]
    a.units = 0.5
    assert a.units == 0.5


def test_task_type_fields_default_to_microsoft_projects() -> None:
    p = Project("Demo")
    task = p.add_task("Design", "5d")
    assert task.task_type is TaskType.FIXED_UNITS
    assert task.effort_driven is False
    other = p.add_task("Build", "5d", task_type="fixed_duration", effort_driven=True)
    assert other.task_type is TaskType.FIXED_DURATION
    assert other.effort_driven
    with pytest.raises(ValidationError, match="is not one of"):
        p.add_task("Test", task_type="fixed_cost")
    with pytest.raises(ValidationError, match="True or False") as info:
        task.effort_driven = "yes"  # type: ignore[assignment]
    assert info.value.field == "effort_driven"


# --------------------------------------------------------------------------- the project API


def test_add_resource_gives_ids_and_keeps_insertion_order(project: Project) -> None:
    dana = project.add_resource("Dana")
    lead = project.add_resource("Lead", id="lead")
    crane = project.add_resource("Crane", "material", material_label="hours")
    assert [r.id for r in project.resources] == ["R1", "lead", "R2"]
    assert project.resource("R1") is dana
    assert project.resource(lead) is lead
    assert crane.type is ResourceType.MATERIAL
    assert isinstance(project.resources, tuple)  # a view: changing it changes nothing


def test_resource_ids_are_not_reused(project: Project) -> None:
    project.add_resource("A")
    project.add_resource("B")
    project.remove_resource("R2")
    assert project.add_resource("C").id == "R3"
    project.add_resource("D", id="R10")
    assert project.add_resource("E").id == "R11"


def test_add_resource_refusals(project: Project) -> None:
    project.add_resource("Dana", id="dana")
    with pytest.raises(ValidationError, match="already used") as info:
        project.add_resource("Other", id="dana")
    assert (info.value.entity, info.value.field) == ("resource 'dana'", "id")
    with pytest.raises(UnknownReferenceError) as ref:
        project.add_resource("Sam", calendar="sams-calendar")
    assert (ref.value.kind, ref.value.reference, ref.value.field) == (
        "calendar", "sams-calendar", "calendar")
    with pytest.raises(ValidationError, match="overlap") as info:
        project.add_resource("Lee", availability=[Availability("2027-01-01", "2027-06-30", 1),
                                                  Availability("2027-06-30", None, 0.5)])
    assert info.value.field == "availability"
    with pytest.raises(ValidationError, match="must increase") as info:
        project.add_resource("Kim", rate_tables={"A": [
            Rate(effective_from="2027-07-01", standard_rate="2"),
            Rate(effective_from="2027-01-01", standard_rate="1")]})
    assert info.value.field == "rate_tables"
    with pytest.raises(ValidationError, match="money is exact"):
        project.add_resource("Joe", rate_tables={"A": [{"standard_rate": 80.0}]})
    assert [r.id for r in project.resources] == ["dana"]  # refusals added nothing


def test_a_resource_calendar_derives_from_a_base(project: Project) -> None:
    project.calendars["standard"].add_holiday("Easter Monday", "2027-03-29")
    own = project.add_calendar("Dana", base="standard", week={"fri": []})
    own.add_holiday("Leave", "2027-08-02", until="2027-08-06")
    dana = project.add_resource("Dana", calendar=own)
    assert dana.calendar == "dana"
    hours = project.resource_calendar(dana)
    assert not hours.is_working_day(D(2027, 3, 29))
    assert not hours.is_working_day(D(2027, 3, 5))
    assert not hours.is_working_day(D(2027, 8, 3))
    assert hours.is_working_day(D(2027, 8, 9))
    other = project.add_resource("Sam")
    assert project.resource_calendar(other).calendar.id == "standard"
    with pytest.raises(ValidationError, match="still used by resource 'R1' \\(Dana\\)"):
        project.remove_calendar("dana")


def test_assign_and_query(project: Project) -> None:
    design, build = project.tasks
    dana, sam = project.add_resource("Dana"), project.add_resource("Sam")
    a1 = project.assign(design, dana, 1.0, "80h")
    a2 = project.assign("T2", "R1", 0.5, contour=WorkContour.BACK_LOADED)
    a3 = project.assign(build, sam, rate_table="C")
    assert [a.id for a in project.assignments] == ["A1", "A2", "A3"]
    assert project.assignments_of(build) == (a2, a3)
    assert project.assignments_for(dana) == (a1, a2)
    assert project.assignments_for(sam) == (a3,)
    assert project.assignment("A2") is a2
    assert a1.work == Duration.hours(80)
    assert a2.contour is WorkContour.BACK_LOADED
    assert a3.rate_table == "C"
    assert design.duration == Duration.weeks(2)  # nothing is computed from the assignment


def test_assign_refusals_change_nothing(project: Project) -> None:
    design, _build = project.tasks
    dana = project.add_resource("Dana")
    project.assign(design, dana)
    with pytest.raises(ValidationError, match="already assigned") as info:
        project.assign(design, dana, 0.5)
    assert (info.value.entity, info.value.field) == ("assignment 'A2' (R1 on T1)", "resource")
    with pytest.raises(UnknownReferenceError) as ref:
        project.assign("T99", dana)
    assert (ref.value.kind, ref.value.reference) == ("task", "T99")
    with pytest.raises(UnknownReferenceError) as ref:
        project.assign(design, "R99")
    assert (ref.value.kind, ref.value.reference) == ("resource", "R99")
    with pytest.raises(ValidationError) as info:
        project.assign("T2", dana, units=-1)
    assert info.value.field == "units"
    phase = project.add_task("Phase")
    project.add_task("Child", "1d", parent=phase)
    with pytest.raises(ValidationError, match="is a summary task") as info:
        project.assign(phase, dana)
    assert info.value.field == "task"
    assert [a.id for a in project.assignments] == ["A1"]
    assert project.assign("T2", dana).id == "A2"


def test_unassign(project: Project) -> None:
    dana = project.add_resource("Dana")
    assignment = project.assign("T1", dana)
    assert project.unassign("T1", "R1") is assignment
    assert project.assignments == ()
    with pytest.raises(UnknownReferenceError, match="R1 on T1"):
        project.unassign("T1", dana)
    assert project.assign("T1", dana).id == "A2"  # ids are not reused


def test_removing_a_resource_removes_its_assignments(project: Project) -> None:
    dana, sam = project.add_resource("Dana"), project.add_resource("Sam")
    project.assign("T1", dana)
    project.assign("T1", sam)
    project.assign("T2", dana)
    assert project.remove_resource(dana) is dana
    assert [(a.task, a.resource) for a in project.assignments] == [("T1", "R2")]
    assert project.resources == (sam,)
    with pytest.raises(UnknownReferenceError):
        project.resource("R1")


def test_removing_a_task_removes_the_assignments_below_it(project: Project) -> None:
    dana = project.add_resource("Dana")
    phase = project.add_task("Phase")
    child = project.add_task("Child", "1d", parent=phase)
    grandchild_parent = project.add_task("Sub", parent=phase)
    grandchild = project.add_task("Leaf", "1d", parent=grandchild_parent)
    project.assign(child, dana)
    project.assign(grandchild, dana)
    kept = project.assign("T1", dana)
    project.remove_task(phase)
    assert project.assignments == (kept,)


def test_recurring_occurrences_removed_by_an_update_lose_their_assignments() -> None:
    p = Project("Ops", start="2027-01-01")
    series = p.add_recurring_task("Patch", "4h", "FREQ=MONTHLY;BYDAY=2TU", finish="2027-03-31")
    dana = p.add_resource("Dana")
    for occurrence in p.children(series):
        p.assign(occurrence, dana)
    p.update_recurring_task(series, finish="2027-01-31")
    assert [a.task for a in p.assignments] == [p.children(series)[0].id]


def test_projects_with_different_resources_or_assignments_differ(project: Project) -> None:
    other = pmcore.loads(pmcore.dumps(project))
    assert other == project
    project.add_resource("Dana")
    assert other != project
    other.add_resource("Dana")
    assert other == project
    project.assign("T1", "R1")
    assert other != project


# --------------------------------------------------------------------------- validation


def codes(project: Project) -> list[str]:
    return [p.code for p in project.validate()]


def test_a_plan_with_resources_built_through_the_api_validates(project: Project) -> None:
    dana = project.add_resource("Dana", availability=[Availability(None, "2027-06-30", 1),
                                                      Availability("2027-07-01", None, 0.5)])
    travel = project.add_resource("Travel", "cost")
    project.assign("T1", dana, work="80h")
    project.assign("T1", travel, cost="100")
    assert codes(project) == []


def test_validation_reports_broken_references() -> None:
    p = Project.restore(
        name="Imported", tasks=[pmcore.Task(id="T1", name="Task")], dependencies=[],
        resources=[Resource(id="R1", name="Dana", calendar="gone")],
        assignments=[Assignment(id="A1", task="T9", resource="R1"),
                     Assignment(id="A2", task="T1", resource="R9"),
                     Assignment(id="A3", task="T1", resource="R1"),
                     Assignment(id="A4", task="T1", resource="R1",
                                start="2027-01-02", finish="2027-01-01")])
    report = p.validate()
    found = [(x.code, x.error.entity, x.error.field) for x in report]
    assert found == [
        ("unknown-calendar", "resource 'R1' (Dana)", "calendar"),
        ("dates-out-of-order", "assignment 'A4' (R1 on T1)", "finish"),
        ("unknown-task", "assignment 'A1' (R1 on T9)", "task"),
        ("unknown-resource", "assignment 'A2' (R9 on T1)", "resource"),
        ("duplicate-assignment", "assignment 'A4' (R1 on T1)", "resource"),
    ]
    assert report.errors[2].error.reference == "T9"  # type: ignore[attr-defined]


def test_validation_reports_availability_and_rates_changed_in_place(project: Project) -> None:
    dana = project.add_resource("Dana")
    dana.availability = (Availability("2027-01-01", "2027-12-31", 1),
                         Availability("2027-06-01", "2027-06-30", 0.5),
                         Availability("2028-01-01", None, 0.2))
    dana.rate_tables = {"B": RateTable([Rate(standard_rate="1"), Rate(standard_rate="2")])}
    problems = list(project.validate())
    assert [p.code for p in problems] == ["overlapping-availability",
                                          "rate-dates-not-increasing"]
    assert "2027-06-01" in problems[0].message
    assert "table B: rate 2" in problems[1].message


@pytest.mark.parametrize("availability", [
    [Availability(None, None, 1), Availability("2027-01-01", "2027-01-01", 0)],
    [Availability("2027-01-01", None, 1), Availability(None, "2027-01-01", 0)],
    [Availability("2027-03-01", "2027-03-31", 1), Availability("2027-01-01", "2027-12-31", 0)],
])
def test_overlaps_are_found_in_any_order(availability: list[Availability]) -> None:
    r = Resource(id="R1", name="X", availability=availability)
    from pmcore.model.rules import resource_problems

    assert [p.code for p in resource_problems(r)] == ["overlapping-availability"]


def test_adjacent_availability_periods_do_not_overlap() -> None:
    from pmcore.model.rules import resource_problems

    r = Resource(id="R1", name="X", availability=[Availability(None, "2027-06-30", 1),
                                                   Availability("2027-07-01", None, 0.5)])
    assert list(resource_problems(r)) == []


def test_type_mismatches_and_summary_assignments_are_warnings(project: Project) -> None:
    travel = project.add_resource("Travel", "cost", max_units=2, material_label="trips")
    dana = project.add_resource("Dana")
    project.assign("T1", travel, work="8h")
    project.assign("T1", dana, cost="10")
    report = project.validate()
    assert report.ok
    assert [(p.code, p.error.field) for p in report.warnings] == [
        ("resource-type-mismatch", "material_label"),
        ("resource-type-mismatch", "max_units"),
        ("resource-type-mismatch", "work"),
        ("resource-type-mismatch", "cost"),
    ]


def test_a_task_that_becomes_a_summary_keeps_its_assignments_with_a_warning(
        project: Project) -> None:
    dana = project.add_resource("Dana")
    project.assign("T2", dana)
    project.add_task("Detail", "1d", parent="T2")
    problems = list(project.validate())
    assert [(p.code, p.severity) for p in problems] == [
        ("assignment-to-summary", pmcore.Severity.WARNING)]


def test_custom_fields_of_resources_and_assignments_are_checked(project: Project) -> None:
    project.define_field("Grade", "number", applies_to="resource")
    project.add_resource("Dana", custom_fields={"Grade": "senior"})
    sam = project.add_resource("Sam", custom_fields={"Grade": 3})
    project.assign("T1", sam, custom_fields={"Grade": 2})
    found = [(p.code, p.error.entity) for p in project.validate()]
    assert found == [("custom-field-mismatch", "resource 'R1' (Dana)"),
                     ("custom-field-mismatch", "assignment 'A1' (R2 on T1)")]
