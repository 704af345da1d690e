"""Validating a project: every problem reported once, with the right code, entity and field.

``Project.restore`` loads a plan as stored, dangling references and loops included, so these
tests build broken plans that the fluent API would refuse and check that ``validate`` finds
each problem -- the way a file written by another tool (or by hand) can be broken.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from pmcore.errors import CycleError, UnknownReferenceError, ValidationError
from pmcore.model import (
    Calendar,
    CustomFieldDefinition,
    Dependency,
    Problem,
    Project,
    Severity,
    Task,
    ValidationReport,
    WorkWeek,
)

_ALL_OFF = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), ())


def restore(tasks=(), links=(), **fields) -> Project:
    fields.setdefault("name", "Broken")
    return Project.restore(tasks=list(tasks), dependencies=list(links), **fields)


def task(id: str, parent: str | None = None, **fields) -> Task:
    return Task(id=id, name=fields.pop("name", id.lower()), parent=parent, **fields)


def link(pred: str, succ: str, type: str = "FS") -> Dependency:
    return Dependency(predecessor=pred, successor=succ, type=type)


def codes(project: Project) -> Counter[str]:
    return Counter(p.code for p in project.validate())


def only(project: Project, code: str) -> Problem:
    found = [p for p in project.validate() if p.code == code]
    assert len(found) == 1, [str(p) for p in project.validate()]
    return found[0]


def assert_loop(cycle: tuple[str, ...], *order: str) -> None:
    """``cycle`` is the loop ``order`` from any starting point, closed by its first id."""
    assert cycle[0] == cycle[-1], cycle
    body = list(cycle[:-1])
    assert sorted(body) == sorted(order), cycle
    start = body.index(order[0])
    assert body[start:] + body[:start] == list(order), cycle


# --------------------------------------------------------------------------- a sound project


def test_a_sound_project_has_no_problems():
    p = Project("ERP upgrade", start="2027-01-04")
    phase = p.add_task("Phase")
    design = p.add_task("Design", "10d", parent=phase)
    p.add_task("Build", "4w", parent=phase, after=design)
    p.add_milestone("Done", after="T3")
    p.define_field("risk", "text", choices=["low", "high"])
    p.task("T2").custom_fields["risk"] = "low"
    report = p.validate()
    assert report.ok
    assert len(report) == 0
    assert report.problems == ()
    report.raise_for_errors()  # nothing to raise


def test_restore_keeps_everything_it_is_given():
    p = restore([task("A"), task("B", parent="GHOST"), task("C", calendar="nope")],
                [link("A", "B"), link("B", "ZZ")], calendar="standard")
    assert [t.id for t in p.tasks] == ["A", "C", "B"]  # the orphan after the rest
    assert len(p) == 3
    assert [(d.predecessor, d.successor) for d in p.dependencies] == [("A", "B"), ("B", "ZZ")]


def test_restore_refuses_two_tasks_with_one_id():
    with pytest.raises(ValidationError, match="used by two tasks") as info:
        restore([task("A"), task("A")])
    assert info.value.field == "id"


def test_restore_refuses_a_pair_linked_twice():
    with pytest.raises(ValidationError, match="linked twice"):
        restore([task("A"), task("B")], [link("A", "B"), link("A", "B", "SS")])


# --------------------------------------------------------------------------- references


def test_an_unknown_parent():
    p = restore([task("A"), task("B", parent="GHOST", name="Build")])
    problem = only(p, "unknown-parent")
    assert isinstance(problem.error, UnknownReferenceError)
    assert problem.error.reference == "GHOST"
    assert (problem.error.entity, problem.error.field) == ("task 'B' (Build)", "parent")
    assert problem.message == "task 'B' (Build).parent: unknown task id 'GHOST'"
    assert problem.severity is Severity.ERROR
    assert problem.source == "pmcore"
    assert codes(p) == Counter({"unknown-parent": 1})


def test_unknown_tasks_at_either_end_of_a_link():
    p = restore([task("A")], [link("A", "ZZ"), link("YY", "A")])
    found = [p_ for p_ in p.validate() if p_.code == "unknown-task"]
    assert [(f.error.reference, f.error.field) for f in found] == [
        ("ZZ", "successor"), ("YY", "predecessor")]
    assert found[0].error.entity == "dependency 'A->ZZ'"
    assert all(isinstance(f.error, UnknownReferenceError) for f in found)


def test_raise_for_errors_raises_the_typed_error():
    p = restore([task("B", parent="GHOST")])
    with pytest.raises(UnknownReferenceError) as info:
        p.validate().raise_for_errors()
    assert info.value.reference == "GHOST"
    with pytest.raises(LookupError):
        p.validate().raise_for_errors()


# --------------------------------------------------------------------------- loops


def test_a_dependency_loop():
    p = restore([task("A"), task("B"), task("C"), task("D")],
                [link("A", "B"), link("B", "C"), link("C", "A"), link("C", "D")])
    problem = only(p, "dependency-cycle")
    assert isinstance(problem.error, CycleError)
    assert_loop(problem.error.cycle, "A", "B", "C")
    assert codes(p) == Counter({"dependency-cycle": 1})
    with pytest.raises(CycleError) as info:
        p.validate().raise_for_errors()
    assert_loop(info.value.cycle, "A", "B", "C")


def test_two_separate_dependency_loops_are_both_reported():
    p = restore([task(x) for x in "ABCDE"],
                [link("A", "B"), link("B", "A", "SS"), link("C", "D"), link("D", "E"),
                 link("E", "C")])
    loops = [p_.error.cycle for p_ in p.validate() if p_.code == "dependency-cycle"]
    assert len(loops) == 2
    assert sorted(sorted(set(loop)) for loop in loops) == [["A", "B"], ["C", "D", "E"]]


def test_a_dependency_loop_through_a_summary_task():
    # A -> summary S, and S's child C -> A.
    p = restore([task("A"), task("S"), task("C", parent="S")], [link("C", "A"), link("A", "S")])
    problem = only(p, "dependency-cycle")
    assert_loop(problem.error.cycle, "A", "S", "C")


def test_a_link_to_its_own_summary_task():
    p = restore([task("S"), task("C", parent="S")], [link("S", "C", "SS")])
    problem = only(p, "link-to-own-summary")
    assert "task 'C' cannot be linked to its own summary task 'S'" in problem.message
    assert codes(p) == Counter({"link-to-own-summary": 1})


def test_an_outline_loop_is_reported_once_and_not_as_a_dependency_loop():
    p = restore([task("A", parent="B"), task("B", parent="A"), task("C", parent="A")])
    problem = only(p, "outline-cycle")
    assert isinstance(problem.error, CycleError)
    assert_loop(problem.error.cycle, "A", "B")
    assert "outline cycle" in problem.message
    assert codes(p) == Counter({"outline-cycle": 1})


def test_a_longer_outline_loop_lists_every_task_on_it():
    p = restore([task("A", parent="C"), task("B", parent="A"), task("C", parent="B"),
                 task("D", parent="B")])
    # Child -> parent: A's parent is C, C's is B, B's is A.
    assert_loop(only(p, "outline-cycle").error.cycle, "A", "C", "B")


def test_an_outline_loop_and_a_dependency_loop_are_both_reported():
    p = restore([task("A", parent="B"), task("B", parent="A"), task("X"), task("Y")],
                [link("X", "Y"), link("Y", "X", "FF")])
    assert codes(p) == Counter({"outline-cycle": 1, "dependency-cycle": 1})
    assert_loop(only(p, "dependency-cycle").error.cycle, "X", "Y")


def test_dangling_links_stop_loop_tracing_but_are_reported():
    p = restore([task("A"), task("B")], [link("A", "B"), link("B", "GHOST")])
    assert codes(p) == Counter({"unknown-task": 1})


# --------------------------------------------------------------------------- calendars


def test_an_unknown_project_calendar():
    p = restore(name="Plan", calendar="nope")
    problem = only(p, "unknown-calendar")
    assert problem.error.reference == "nope"
    assert (problem.error.entity, problem.error.field) == ("project 'Plan'", "calendar")


def test_an_unknown_task_calendar():
    p = restore([task("A", calendar="nope", name="Batch")])
    problem = only(p, "unknown-calendar")
    assert problem.message == "task 'A' (Batch).calendar: unknown calendar id 'nope'"


def test_an_unknown_base_calendar():
    team = Calendar(id="team", name="Team", base="ghost")
    p = restore(calendars={"standard": Calendar.standard(), "team": team})
    problem = only(p, "unknown-calendar")
    assert problem.message == "calendar 'team'.base: unknown calendar id 'ghost'"
    assert codes(p) == Counter({"unknown-calendar": 1})


def test_a_calendar_base_loop_is_reported_once_naming_the_calendars():
    calendars = {"standard": Calendar.standard(),
                 "a": Calendar(id="a", name="A", base="b"),
                 "b": Calendar(id="b", name="B", base="a"),
                 "c": Calendar(id="c", name="C", base="a")}  # leads into the loop
    p = restore(calendars=calendars)
    problem = only(p, "calendar-cycle")
    assert isinstance(problem.error, CycleError)
    assert_loop(problem.error.cycle, "a", "b")
    assert "calendar base cycle" in problem.message
    assert codes(p) == Counter({"calendar-cycle": 1})


def test_a_calendar_without_working_time():
    p = restore(calendars={"standard": Calendar.standard(),
                           "idle": Calendar(id="idle", name="Idle", week=_ALL_OFF)})
    problem = only(p, "calendar-without-working-time")
    assert (problem.error.entity, problem.error.field) == ("calendar 'idle'", "week")


def test_a_calendar_that_only_works_on_exception_days_is_fine():
    idle = Calendar(id="idle", name="Idle", week=_ALL_OFF)
    idle.add_exception("Stocktake", "2027-06-30", working_times=["08:00-12:00"])
    p = restore(calendars={"standard": Calendar.standard(), "idle": idle})
    assert p.validate().ok


def test_a_calendar_filed_under_another_id():
    p = restore(calendars={"standard": Calendar.standard(),
                           "night": Calendar(id="night-shift", name="Night",
                                             week=WorkWeek.night_shift())})
    problem = only(p, "calendar-id-mismatch")
    assert problem.error.entity == "calendar 'night-shift'"


# --------------------------------------------------------------------------- dates


def test_finish_before_start():
    p = restore([task("A", name="Design", start="2027-01-08T08:00",
                      finish="2027-01-04T17:00")])
    problem = only(p, "dates-out-of-order")
    assert (problem.error.entity, problem.error.field) == ("task 'A' (Design)", "finish")
    assert problem.severity is Severity.ERROR


def test_actual_finish_before_actual_start():
    p = restore([task("A", actual_start="2027-01-08T08:00", actual_finish="2027-01-04T17:00")])
    assert only(p, "dates-out-of-order").error.field == "actual_finish"


def test_equal_start_and_finish_are_in_order():
    p = restore([task("A", start="2027-01-04T08:00", finish="2027-01-04T08:00")])
    assert p.validate().ok


def test_an_actual_finish_without_an_actual_start_is_a_warning():
    p = restore([task("A", actual_finish="2027-01-04T17:00")])
    report = p.validate()
    (problem,) = report.problems
    assert problem.code == "finish-without-start"
    assert problem.severity is Severity.WARNING
    assert problem.error.field == "actual_start"
    assert report.ok  # warnings do not fail a project
    assert report.errors == ()
    assert report.warnings == (problem,)
    report.raise_for_errors()
    assert str(problem).startswith("warning: ")


def test_a_manual_task_without_dates_is_a_warning():
    p = restore([task("A", manual=True)])
    assert only(p, "manual-without-dates").severity is Severity.WARNING
    assert restore([task("A", manual=True, start="2027-01-04T08:00",
                         finish="2027-01-04T17:00")]).validate().problems == ()


def test_a_manual_summary_task_needs_no_dates():
    assert restore([task("S", manual=True), task("C", parent="S")]).validate().ok


# --------------------------------------------------------------------------- custom fields


@pytest.fixture
def fielded() -> Project:
    p = Project("Fields")
    p.define_field("risk", "number")
    p.define_field("phase", "text", choices=["plan", "do", "check", "act"])
    p.define_field("hard", "flag", applies_to="dependency")
    p.define_field("budget", "cost", applies_to="project")
    return p


def test_custom_values_that_match_their_definitions(fielded):
    a = fielded.add_task("A", custom_fields={"risk": 3, "phase": "do", "unrelated": "x"})
    b = fielded.add_task("B")
    fielded.link(a, b, custom_fields={"hard": True})
    fielded.custom_fields["budget"] = Decimal("25000.00")
    assert fielded.validate().ok


def test_a_custom_value_of_the_wrong_type(fielded):
    fielded.add_task("Design", custom_fields={"risk": "high"})
    problem = only(fielded, "custom-field-mismatch")
    assert (problem.error.entity, problem.error.field) == (
        "task 'T1' (Design)", "custom_fields['risk']")
    assert problem.message == (
        "task 'T1' (Design).custom_fields['risk']: 'high' is not a number")


def test_a_flag_is_not_a_number(fielded):
    fielded.add_task("Design", custom_fields={"risk": True})
    assert "True is not a number" in only(fielded, "custom-field-mismatch").message


def test_a_custom_value_outside_its_choices(fielded):
    fielded.add_task("Design", custom_fields={"phase": "review"})
    assert "'review' is not one of the allowed values" in only(
        fielded, "custom-field-mismatch").message


def test_a_custom_field_on_the_wrong_kind_of_entity(fielded):
    fielded.custom_fields["risk"] = 3  # defined for tasks
    problem = only(fielded, "custom-field-mismatch")
    assert problem.error.entity == "project 'Fields'"
    assert "defined for tasks, not projects" in problem.message


def test_custom_fields_on_links_and_calendars_are_checked(fielded):
    a, b = fielded.add_task("A"), fielded.add_task("B")
    fielded.link(a, b, custom_fields={"hard": "yes"})
    fielded.calendars["standard"].custom_fields["phase"] = "do"
    found = {(p.error.entity, p.error.field) for p in fielded.validate()
             if p.code == "custom-field-mismatch"}
    assert found == {("dependency 'T1->T2'", "custom_fields['hard']"),
                     ("calendar 'standard'", "custom_fields['phase']")}


def test_a_definition_filed_under_another_key():
    p = Project("P")
    p.field_definitions["Text1"] = CustomFieldDefinition(key="Text2", type="text")
    assert only(p, "field-key-mismatch").error.entity == "custom field 'Text2'"


# --------------------------------------------------------------------------- everything at once


def test_every_problem_is_reported_with_its_code():
    calendars = {"standard": Calendar.standard(),
                 "a": Calendar(id="a", name="A", base="b"),
                 "b": Calendar(id="b", name="B", base="a"),
                 "idle": Calendar(id="idle", name="Idle", week=_ALL_OFF),
                 "team": Calendar(id="team", name="Team", base="gone")}
    p = restore(
        [task("A", parent="B"), task("B", parent="A"),
         task("X", parent="GHOST"),
         task("Y", calendar="nope"),
         task("Z", start="2027-01-08T08:00", finish="2027-01-04T17:00",
              custom_fields={"risk": "high"}),
         task("W", actual_finish="2027-01-04T17:00")],
        calendars=calendars,
        field_definitions={"risk": CustomFieldDefinition(key="risk", type="number")},
    )
    assert codes(p) == Counter({
        "outline-cycle": 1, "unknown-parent": 1, "unknown-calendar": 2, "calendar-cycle": 1,
        "calendar-without-working-time": 1, "dates-out-of-order": 1,
        "custom-field-mismatch": 1, "finish-without-start": 1})
    report = p.validate()
    assert not report.ok
    assert len(report.errors) == 8
    # Errors come before warnings.
    severities = [problem.severity for problem in report]
    assert severities == sorted(severities, key=lambda s: s is Severity.WARNING)
    assert severities[-1] is Severity.WARNING


def test_a_dependency_loop_and_a_dangling_parent_together():
    p = restore([task("A"), task("B"), task("C", parent="GHOST")],
                [link("A", "B"), link("B", "A", "SS")])
    assert codes(p) == Counter({"unknown-parent": 1, "dependency-cycle": 1})


# --------------------------------------------------------------------------- the report


def _problem(code: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(ValidationError(f"{code} happened", entity="task 'T1'", field="f"),
                   severity=severity, code=code)


def test_report_puts_errors_first_and_keeps_their_order():
    report = ValidationReport.of([_problem("w1", Severity.WARNING), _problem("e1"),
                                  _problem("w2", Severity.WARNING), _problem("e2")])
    assert [p.code for p in report] == ["e1", "e2", "w1", "w2"]
    assert [p.code for p in report.errors] == ["e1", "e2"]
    assert [p.code for p in report.warnings] == ["w1", "w2"]
    assert len(report) == 4


def test_raise_for_errors_raises_the_first_error():
    report = ValidationReport.of([_problem("w", Severity.WARNING), _problem("e1"),
                                  _problem("e2")])
    with pytest.raises(ValidationError, match="e1 happened"):
        report.raise_for_errors()


def test_a_report_of_warnings_only_is_ok():
    report = ValidationReport.of([_problem("w", Severity.WARNING)])
    assert report.ok
    report.raise_for_errors()


def test_problem_text():
    problem = _problem("e1")
    assert problem.message == "task 'T1'.f: e1 happened"
    assert str(problem) == "error: task 'T1'.f: e1 happened"


def test_report_records_for_a_data_frame():
    report = ValidationReport.of([_problem("e1")])
    assert report.to_records() == [{
        "severity": "error", "code": "e1", "entity": "task 'T1'", "field": "f",
        "message": "task 'T1'.f: e1 happened", "source": "pmcore"}]


def test_validate_does_not_raise_or_change_the_project():
    p = restore([task("A"), task("B")], [link("A", "B"), link("B", "A", "SS")])
    before = ([t.id for t in p.tasks], list(p.dependencies))
    p.validate()
    p.validate()
    assert ([t.id for t in p.tasks], list(p.dependencies)) == before


def test_dates_in_problems_are_the_tasks_dates():
    p = restore([task("A", start=dt.datetime(2027, 1, 8, 8), finish=dt.datetime(2027, 1, 4, 17))])
    message = only(p, "dates-out-of-order").message
    assert "2027-01-04 17:00" in message
    assert "2027-01-08 08:00" in message


def test_overlapping_date_range_exceptions_are_an_error() -> None:
    project = Project("Holidays")
    calendar = project.calendars["standard"]
    calendar.add_exception("Shutdown", "2027-12-20", "2027-12-31")
    calendar.add_holiday("Boxing Day", "2027-12-26")
    calendar.add_holiday("New Year", "2027-01-01", recurrence="FREQ=YEARLY")  # not compared
    calendar.add_exception("Stocktake", "2027-12-30", "2028-01-03")
    problems = [p for p in project.validate() if p.code == "overlapping-exceptions"]
    assert [p.message for p in problems] == [
        "calendar 'standard'.exceptions: exceptions 'Shutdown' and 'Boxing Day' overlap on "
        "2027-12-26; the first one listed would win",
        "calendar 'standard'.exceptions: exceptions 'Shutdown' and 'Stocktake' overlap on "
        "2027-12-30; the first one listed would win",
    ]


def test_custom_field_values_edited_in_place_are_checked() -> None:
    project = Project("Fields")
    task = project.add_task("Task", "1d")
    task.custom_fields["Owners"] = ["ana", "bo"]  # a list is no custom field value
    (problem,) = project.validate().errors
    assert problem.code == "custom-field-mismatch"
    assert problem.error.field == "custom_fields['Owners']"
