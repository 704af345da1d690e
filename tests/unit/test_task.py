"""Tasks, constraints and dependencies as values: their fields, rules and messages."""

from __future__ import annotations

import datetime as dt
import math

import attrs
import pytest

from pmcore.errors import ValidationError
from pmcore.model import (
    Constraint,
    ConstraintType,
    Dependency,
    Duration,
    DurationUnit,
    LinkType,
    Task,
)

# --------------------------------------------------------------------------- Task


def test_task_defaults_are_microsoft_projects():
    task = Task(id="T1", name="Design")
    assert task.priority == 500
    assert task.percent_complete == 0.0
    assert task.constraint == Constraint(ConstraintType.ASAP)
    assert task.duration is None
    assert (task.milestone, task.manual) == (False, False)
    assert (task.parent, task.calendar, task.wbs) == (None, None, None)


def test_task_fields_are_converted():
    task = Task(id="T1", name="Design", duration="2 wks", start="2027-01-04T08:00",
                deadline="2027-02-01", percent_complete=25, constraint="ALAP")
    assert task.duration == Duration(2, DurationUnit.WEEKS)
    assert task.start == dt.datetime(2027, 1, 4, 8, 0)
    assert task.deadline == dt.datetime(2027, 2, 1)
    assert task.percent_complete == 25.0
    assert isinstance(task.percent_complete, float)
    assert task.constraint.type is ConstraintType.ALAP


def test_a_number_as_duration_means_days():
    assert Task(id="T1", name="x", duration=3).duration == Duration(3, DurationUnit.DAYS)


@pytest.mark.parametrize("value", [2000, 1001, -1, True, 5.5, "high"])
def test_priority_must_be_a_whole_number_from_0_to_1000(value):
    with pytest.raises(ValidationError) as info:
        Task(id="T3", name="Design", priority=value)
    assert str(info.value) == (
        f"task 'T3' (Design).priority: must be a whole number from 0 to 1000, got {value!r}")


@pytest.mark.parametrize("value", [0, 1000])
def test_priority_bounds_are_inclusive(value):
    assert Task(id="T1", name="x", priority=value).priority == value


def test_fields_are_checked_when_set_later():
    task = Task(id="T3", name="Design")
    with pytest.raises(ValidationError, match=r"^task 'T3' \(Design\)\.priority: "):
        task.priority = 2000
    assert task.priority == 500
    with pytest.raises(ValidationError, match="percent_complete"):
        task.percent_complete = 150
    assert task.percent_complete == 0.0
    task.duration = "3d"
    assert task.duration == Duration(3, DurationUnit.DAYS)


@pytest.mark.parametrize("value", [-1, 100.5, 101, math.nan, math.inf])
def test_percent_complete_is_between_0_and_100(value):
    with pytest.raises(ValidationError, match="between 0 and 100") as info:
        Task(id="T1", name="Design", percent_complete=value)
    assert info.value.field == "percent_complete"


@pytest.mark.parametrize("value", ["half", None, [50]])
def test_percent_complete_must_be_a_number(value):
    with pytest.raises(ValidationError) as info:
        Task(id="T1", name="Design", percent_complete=value)
    assert info.value.field == "percent_complete"


def test_is_complete_at_100_percent():
    assert Task(id="T1", name="x", percent_complete=100).is_complete
    assert not Task(id="T1", name="x", percent_complete=99.9).is_complete


@pytest.mark.parametrize("value", ["-1d", "50%", "10e%", -2])
def test_a_task_duration_must_be_a_non_negative_length(value):
    with pytest.raises(ValidationError, match="non-negative length of time") as info:
        Task(id="T2", name="Build", duration=value)
    assert str(info.value).startswith("task 'T2' (Build).duration: ")


def test_elapsed_and_estimated_durations_are_allowed():
    assert Task(id="T1", name="Cure concrete", duration="3ed").duration.elapsed
    assert Task(id="T1", name="Guess", duration="3d?").duration.estimated


def test_zero_duration_tasks_are_milestones():
    assert Task(id="T1", name="Go-live", duration="0d").is_milestone
    assert Task(id="T1", name="Sign-off", duration="2d", milestone=True).is_milestone
    assert not Task(id="T1", name="Build", duration="2d").is_milestone
    assert not Task(id="T1", name="Unestimated").is_milestone


@pytest.mark.parametrize("field", ["milestone", "manual"])
def test_flags_must_be_booleans(field):
    with pytest.raises(ValidationError, match="True or False") as info:
        Task(id="T1", name="x", **{field: 1})
    assert info.value.field == field


def test_a_task_cannot_be_its_own_parent():
    with pytest.raises(ValidationError, match="its own parent"):
        Task(id="T1", name="x", parent="T1")


@pytest.mark.parametrize("field", ["parent", "calendar"])
def test_references_must_be_valid_ids(field):
    with pytest.raises(ValidationError) as info:
        Task(id="T1", name="x", **{field: " padded "})
    assert info.value.field == field


def test_parent_cannot_be_set_directly():
    # The outline is the project's to keep: moving goes through Project.move_task.
    task = Task(id="T2", name="x", parent="T1")
    with pytest.raises(attrs.exceptions.FrozenAttributeError):
        task.parent = "T3"  # type: ignore[misc]
    assert task.parent == "T1"


def test_task_repr_shows_what_is_set():
    task = Task(id="T2", name="Build", duration="4w", parent="T1", start="2027-01-04T08:00",
                percent_complete=50)
    assert repr(task) == ("Task(id='T2', name='Build', duration='4w', parent='T1', "
                          "start='2027-01-04 08:00', percent_complete=50)")
    assert repr(Task(id="T9", name="Go", milestone=True)) == (
        "Task(id='T9', name='Go', milestone=True)")


def test_an_error_message_for_an_unnamed_task_names_its_id():
    with pytest.raises(ValidationError, match=r"^task 'T7'\.priority: "):
        Task(id="T7", name="", priority=-5)


# --------------------------------------------------------------------------- Constraint


@pytest.mark.parametrize(
    ("kind", "needs_date"),
    [("ASAP", False), ("ALAP", False), ("SNET", True), ("SNLT", True), ("FNET", True),
     ("FNLT", True), ("MSO", True), ("MFO", True)],
)
def test_which_constraints_need_a_date(kind, needs_date):
    assert ConstraintType(kind).needs_date is needs_date


def test_a_dated_constraint():
    constraint = Constraint("SNET", "2027-03-01T08:00")
    assert constraint.type is ConstraintType.SNET
    assert constraint.date == dt.datetime(2027, 3, 1, 8, 0)
    assert str(constraint) == "SNET 2027-03-01 08:00"
    assert str(Constraint()) == "ASAP"


def test_a_dated_constraint_without_a_date_is_refused():
    with pytest.raises(ValidationError, match="MSO needs a date") as info:
        Constraint("MSO")
    assert info.value.field == "date"


def test_asap_and_alap_take_no_date():
    with pytest.raises(ValidationError, match="ALAP takes no date"):
        Constraint("ALAP", "2027-03-01")


def test_an_unknown_constraint_type_is_a_validation_error():
    with pytest.raises(ValidationError, match="'XYZ' is not one of") as info:
        Constraint("XYZ")
    assert info.value.field == "type"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ALAP", Constraint(ConstraintType.ALAP)),
        (ConstraintType.ASAP, Constraint()),
        (("MFO", "2027-06-30T17:00"), Constraint("MFO", dt.datetime(2027, 6, 30, 17))),
        (["SNET", "2027-03-01"], Constraint("SNET", dt.datetime(2027, 3, 1))),
    ],
)
def test_task_constraint_conversion(value, expected):
    assert Task(id="T1", name="x", constraint=value).constraint == expected


def test_a_task_constraint_of_another_kind_is_refused():
    with pytest.raises(ValidationError, match="expected a Constraint"):
        Task(id="T1", name="x", constraint=5)


# --------------------------------------------------------------------------- Dependency


def test_a_dependency_defaults_to_finish_to_start_without_lag():
    link = Dependency(predecessor="T1", successor="T2")
    assert link.type is LinkType.FS
    assert link.lag == Duration.ZERO
    assert link.id == "T1->T2"
    assert not link.is_lead
    assert repr(link) == "Dependency(T1 FS T2)"


@pytest.mark.parametrize(
    ("kind", "lag", "text", "lead"),
    [
        ("SS", "2d", "Dependency(T1 SS+2d T2)", False),
        ("FF", "-1d", "Dependency(T1 FF-1d T2)", True),
        ("SF", "50%", "Dependency(T1 SF+50% T2)", False),
        ("FS", "-25%", "Dependency(T1 FS-25% T2)", True),
        ("FS", "1.5ed", "Dependency(T1 FS+1.5ed T2)", False),
    ],
)
def test_link_types_and_lags(kind, lag, text, lead):
    link = Dependency(predecessor="T1", successor="T2", type=kind, lag=lag)
    assert link.type is LinkType(kind)
    assert link.lag == Duration.parse(lag)
    assert link.is_lead is lead
    assert repr(link) == text


def test_a_task_cannot_depend_on_itself():
    with pytest.raises(ValidationError) as info:
        Dependency(predecessor="T1", successor="T1")
    assert str(info.value) == "dependency 'T1->T1'.successor: task 'T1' cannot depend on itself"


def test_an_unknown_link_type_is_a_validation_error():
    with pytest.raises(ValidationError, match="'XX' is not one of 'FS', 'SS', 'FF', 'SF'") as info:
        Dependency(predecessor="T1", successor="T2", type="XX")
    assert info.value.field == "type"


@pytest.mark.parametrize("field", ["predecessor", "successor"])
def test_dependency_ends_must_be_valid_ids(field):
    ends = {"predecessor": "T1", "successor": "T2", field: ""}
    with pytest.raises(ValidationError) as info:
        Dependency(**ends)
    assert info.value.field == field


def test_dependencies_are_immutable_values():
    link = Dependency(predecessor="T1", successor="T2", lag="2d")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        link.lag = Duration.ZERO  # type: ignore[misc]
    assert link == Dependency(predecessor="T1", successor="T2", lag="2d")
    assert link != Dependency(predecessor="T1", successor="T2", lag="3d")


def test_a_dependency_may_carry_custom_fields_and_its_own_id():
    link = Dependency(predecessor="T1", successor="T2", id="L7", custom_fields={"hard": True})
    assert link.id == "L7"
    assert link.custom_fields == {"hard": True}
