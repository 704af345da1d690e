"""The error hierarchy: what each error is, what it carries, and how its message reads."""

from __future__ import annotations

import copy
import pickle

import pytest

from pmcore import errors
from pmcore.errors import (
    CycleError,
    FormatError,
    PluginError,
    PMCoreError,
    UnknownReferenceError,
    ValidationError,
)

# --------------------------------------------------------------------------- the hierarchy


@pytest.mark.parametrize(
    ("error", "bases"),
    [
        (ValidationError, (PMCoreError, ValueError)),
        (CycleError, (ValidationError, PMCoreError, ValueError)),
        (UnknownReferenceError, (ValidationError, PMCoreError, ValueError, LookupError)),
        (FormatError, (PMCoreError, ValueError)),
        (PluginError, (PMCoreError,)),
    ],
)
def test_each_error_sits_where_the_documented_tree_puts_it(error, bases):
    for base in bases:
        assert issubclass(error, base), f"{error.__name__} should be a {base.__name__}"


@pytest.mark.parametrize(
    ("error", "not_a"),
    [
        (FormatError, ValidationError),  # unreadable input is not a broken rule
        (PluginError, ValueError),
        (CycleError, LookupError),
        (ValidationError, LookupError),
    ],
)
def test_errors_are_not_what_the_tree_does_not_say(error, not_a):
    assert not issubclass(error, not_a)


def test_every_public_error_is_drawn_in_the_module_docstring():
    # STYLE.md: "an exception tree drawn in the errors docstring".
    assert errors.__doc__ is not None
    for name in errors.__all__:
        assert name in errors.__doc__, f"{name} is missing from the tree in pmcore.errors"


def test_public_names_are_exactly_the_error_classes():
    assert sorted(errors.__all__) == sorted(
        ["CycleError", "FormatError", "InvalidModelError", "PMCoreError", "PluginError",
         "UnknownReferenceError", "ValidationError"])
    # the name the house style and the finance issue use, for the same class
    assert errors.InvalidModelError is errors.ValidationError


# --------------------------------------------------------------------------- ValidationError


@pytest.mark.parametrize(
    ("entity", "field", "expected"),
    [
        ("task 'T3' (Design)", "priority", "task 'T3' (Design).priority: must be 0-1000"),
        ("task 'T3' (Design)", None, "task 'T3' (Design): must be 0-1000"),
        (None, "priority", "priority: must be 0-1000"),
        (None, None, "must be 0-1000"),
    ],
)
def test_validation_error_message_names_entity_and_field(entity, field, expected):
    error = ValidationError("must be 0-1000", entity=entity, field=field)
    assert str(error) == expected
    assert error.entity == entity
    assert error.field == field
    assert error.reason == "must be 0-1000"


def test_validation_error_is_caught_as_value_error():
    with pytest.raises(ValueError, match="bad value"):
        raise ValidationError("bad value")


# --------------------------------------------------------------------------- CycleError


def test_cycle_error_lists_the_loop_with_the_first_id_repeated():
    error = CycleError(["T1", "T4", "T2", "T1"], entity="dependency 'T2->T1'")
    assert error.cycle == ("T1", "T4", "T2", "T1")
    assert str(error) == "dependency 'T2->T1': dependency cycle: T1 -> T4 -> T2 -> T1"
    assert error.field is None


def test_cycle_error_kind_names_what_loops():
    error = CycleError(("a", "b", "a"), kind="calendar base")
    assert str(error) == "calendar base cycle: a -> b -> a"


# --------------------------------------------------------------------------- UnknownReferenceError


def test_unknown_reference_error_names_reference_kind_entity_and_field():
    error = UnknownReferenceError("T9", kind="task", entity="task 'T3' (Design)", field="parent")
    assert str(error) == "task 'T3' (Design).parent: unknown task id 'T9'"
    assert error.reference == "T9"
    assert error.kind == "task"


def test_unknown_reference_error_message_is_not_quoted_like_a_key_error():
    # KeyError would render as "'unknown calendar id ...'"; a LookupError subclass must not.
    error = UnknownReferenceError("night", kind="calendar")
    assert str(error) == "unknown calendar id 'night'"


def test_unknown_reference_error_is_caught_as_lookup_error():
    with pytest.raises(LookupError):
        raise UnknownReferenceError("x", kind="task")


# --------------------------------------------------------------------------- FormatError


def test_format_error_message_carries_source_line_column_and_path():
    error = FormatError("expected a duration", source="plan.json", line=3, column=7,
                        path="$.project.tasks[3].duration")
    assert str(error) == "plan.json:3:7 at $.project.tasks[3].duration: expected a duration"
    assert (error.source, error.line, error.column, error.path) == (
        "plan.json", 3, 7, "$.project.tasks[3].duration")
    assert error.reason == "expected a duration"


def test_format_error_with_a_line_but_no_column():
    error = FormatError("tab in indentation", source="plan.yaml", line=12)
    assert str(error) == "plan.yaml:12: tab in indentation"


def test_format_error_with_a_path_but_no_line():
    error = FormatError("not a number", source="<stdin>", path="$.tasks[0].priority")
    assert str(error) == "<stdin> at $.tasks[0].priority: not a number"


def test_format_error_without_a_location_still_gives_the_reason():
    error = FormatError("empty document")
    assert str(error).endswith("empty document")
    assert error.source is None
    assert error.line is None


# --------------------------------------------------------------------------- PluginError


def test_plugin_error_names_the_plugin():
    error = PluginError("pmcore_register_readers returned None", plugin="pmcore-jira")
    assert str(error) == "plugin 'pmcore-jira': pmcore_register_readers returned None"
    assert error.plugin == "pmcore-jira"


# --------------------------------------------------------------------------- pickling and copying

_EXAMPLES = [
    ValidationError("must be positive", entity="task 'T1' (A)", field="priority"),
    CycleError(("T1", "T2", "T1"), entity="dependency 'T2->T1'"),
    CycleError(("a", "b", "a"), kind="calendar base"),
    UnknownReferenceError("T9", kind="task", entity="task 'T1' (A)", field="parent"),
    FormatError("bad", source="plan.json", line=2, column=5, path="$.x"),
    PluginError("broke", plugin="pmcore-jira"),
]


@pytest.mark.parametrize("error", _EXAMPLES, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("clone", [lambda e: pickle.loads(pickle.dumps(e)), copy.deepcopy,
                                   copy.copy], ids=["pickle", "deepcopy", "copy"])
def test_errors_survive_pickling_and_copying(error, clone):
    # Errors cross process boundaries (process pools in simulations); they must come back whole.
    copied = clone(error)
    assert type(copied) is type(error)
    assert str(copied) == str(error)
    assert vars(copied) == vars(error)


def test_a_pickled_cycle_error_keeps_its_cycle_as_ids():
    copied = pickle.loads(pickle.dumps(CycleError(("T1", "T4", "T1"))))
    assert copied.cycle == ("T1", "T4", "T1")
