"""What every entity shares: ids, custom fields, external references, and date conversion."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pmcore.errors import ValidationError
from pmcore.model import CustomFieldDefinition, Duration, FieldType, Task
from pmcore.model.base import check_id, to_date, to_datetime, to_optional_datetime

# --------------------------------------------------------------------------- FieldType


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("high", FieldType.TEXT),
        ("", FieldType.TEXT),
        (3, FieldType.NUMBER),
        (2.5, FieldType.NUMBER),
        (True, FieldType.FLAG),  # a bool is a flag, not the number 1
        (False, FieldType.FLAG),
        (Decimal("1250.00"), FieldType.COST),
        (dt.date(2027, 1, 4), FieldType.DATE),
        (dt.datetime(2027, 1, 4, 8, 0), FieldType.DATETIME),  # not a DATE, though it is a date
        (Duration.parse("3d"), FieldType.DURATION),
    ],
)
def test_field_type_of_a_value(value, expected):
    assert FieldType.of(value) is expected


@pytest.mark.parametrize("value", [None, [1], {"a": 1}, object(), b"bytes", dt.time(8)])
def test_field_type_of_an_unsupported_value_is_a_validation_error(value):
    with pytest.raises(ValidationError, match="unsupported custom field value"):
        FieldType.of(value)


@pytest.mark.parametrize(
    ("field_type", "value", "accepted"),
    [
        (FieldType.NUMBER, True, False),
        (FieldType.NUMBER, 1, True),
        (FieldType.FLAG, 1, False),
        (FieldType.COST, 12.5, False),
        (FieldType.COST, Decimal("12.5"), True),
        (FieldType.DATE, dt.datetime(2027, 1, 4), False),
        (FieldType.DATETIME, dt.date(2027, 1, 4), False),
        (FieldType.TEXT, 3, False),
        (FieldType.DURATION, "3d", False),
    ],
)
def test_field_type_accepts_only_its_own_values(field_type, value, accepted):
    assert field_type.accepts(value) is accepted


# --------------------------------------------------------------------------- custom fields


def test_custom_fields_take_every_supported_type():
    values = {"risk": "high", "score": 7, "ratio": 0.25, "capex": True,
              "budget": Decimal("1000.00"), "gate": dt.date(2027, 3, 1),
              "review": dt.datetime(2027, 3, 1, 9, 30), "buffer": Duration.parse("2d")}
    task = Task(id="T1", name="Design", custom_fields=values)
    assert task.custom_fields == values


@pytest.mark.parametrize("bad", [None, [1, 2], object()])
def test_an_unsupported_custom_value_names_the_field(bad):
    with pytest.raises(ValidationError) as info:
        Task(id="T1", name="Design", custom_fields={"risk": bad})
    assert info.value.field == "custom_fields['risk']"
    assert "unsupported custom field value" in str(info.value)


@pytest.mark.parametrize("bad", [math.nan, math.inf, Decimal("NaN"), Decimal("Infinity"),
                                 Decimal("-Infinity")])
def test_custom_numbers_and_costs_must_be_finite(bad):
    with pytest.raises(ValidationError, match="finite") as info:
        Task(id="T1", name="Design", custom_fields={"budget": bad})
    assert info.value.field == "custom_fields['budget']"


@pytest.mark.parametrize("key", ["", 3, None])
def test_custom_field_names_must_be_non_empty_text(key):
    with pytest.raises(ValidationError, match="field names"):
        Task(id="T1", name="Design", custom_fields={key: "x"})


def test_custom_fields_are_checked_when_replaced_later():
    task = Task(id="T1", name="Design")
    with pytest.raises(ValidationError):
        task.custom_fields = {"risk": object()}
    assert task.custom_fields == {}


def test_custom_fields_accept_any_mapping_and_store_a_dict():
    task = Task(id="T1", name="Design", custom_fields=(("risk", "low"),))
    assert task.custom_fields == {"risk": "low"}
    assert isinstance(task.custom_fields, dict)


# --------------------------------------------------------------------------- external references


def test_external_refs_map_systems_to_keys():
    task = Task(id="T1", name="Design", external_refs={"jira": "ERP-42", "msproject": "17"})
    assert task.external_refs["jira"] == "ERP-42"


@pytest.mark.parametrize("refs", [{"jira": 42}, {"": "ERP-42"}, {1: "x"}, ["jira"]])
def test_external_refs_must_be_text_to_text(refs):
    with pytest.raises(ValidationError) as info:
        Task(id="T1", name="Design", external_refs=refs)
    assert info.value.field == "external_refs"


# --------------------------------------------------------------------------- ids and names


@pytest.mark.parametrize("good", ["T1", "x", "Design phase/1", "é", "T" * 200])
def test_valid_ids(good):
    assert Task(id=good, name="n").id == good


@pytest.mark.parametrize("bad", ["", " T1", "T1 ", "T1\n", "a\x00b", "tab\there", "T" * 201, 7,
                                 None])
def test_invalid_ids_are_refused(bad):
    with pytest.raises(ValidationError, match="printable characters") as info:
        Task(id=bad, name="n")
    assert info.value.field == "id"


@given(st.one_of(st.text(max_size=210), st.text(st.characters(max_codepoint=0x7F), max_size=210),
                 st.text("ab \t\n\x7f\x85\xa0", max_size=4)))
@example("T" * 200)
@example("T" * 201)
@example("a\n")
def test_ids_are_checked_by_the_rule_the_message_states(value):
    """check_id (a fast path for printable ASCII, a pattern for the rest) accepts exactly the
    rule its message states, written out here: 1-200 characters, none of them a control
    character (C0 or DEL), no white space at either end."""
    printable = all(ord(c) >= 0x20 and ord(c) != 0x7F for c in value)
    if 1 <= len(value) <= 200 and printable and value.strip() == value:
        check_id("task", "id", value)
    else:
        with pytest.raises(ValidationError) as info:
            check_id("task", "id", value)
        assert info.value.reason == ("must be 1-200 printable characters without surrounding "
                                     f"spaces, got {value!r}")


def test_an_id_cannot_be_changed():
    task = Task(id="T1", name="Design")
    with pytest.raises(attrs.exceptions.FrozenAttributeError):
        task.id = "T2"  # type: ignore[misc]
    assert task.id == "T1"


def test_a_name_must_be_text():
    with pytest.raises(ValidationError, match="must be text") as info:
        Task(id="T1", name=3)
    assert info.value.field == "name"


# --------------------------------------------------------------------------- field definitions


def test_a_field_definition_takes_its_type_by_name():
    definition = CustomFieldDefinition(key="Text1", type="text", alias="Risk level")
    assert definition.type is FieldType.TEXT
    assert definition.applies_to == "task"
    assert definition.label == "Risk level"
    assert CustomFieldDefinition(key="Number1", type=FieldType.NUMBER).label == "Number1"


def test_an_unknown_field_type_is_a_validation_error():
    with pytest.raises(ValidationError, match="'txt' is not one of") as info:
        CustomFieldDefinition(key="Text1", type="txt")
    assert info.value.field == "type"


def test_a_field_key_must_not_be_empty():
    with pytest.raises(ValidationError) as info:
        CustomFieldDefinition(key="", type="text")
    assert info.value.field == "key"


def test_choices_must_be_of_the_field_type():
    assert CustomFieldDefinition(key="risk", type="text", choices=["low", "high"]).choices == (
        "low", "high")
    with pytest.raises(ValidationError, match="choice 3 is not a text") as info:
        CustomFieldDefinition(key="risk", type="text", choices=["low", 3])
    assert str(info.value).startswith("custom field 'risk'.choices: ")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-01-04", dt.date(2027, 1, 4)),
        (" 2027-01-04 ", dt.date(2027, 1, 4)),
        ("2027-01-04T10:30", dt.date(2027, 1, 4)),
        (dt.date(2028, 2, 29), dt.date(2028, 2, 29)),
        (dt.datetime(2027, 12, 25, 17, 0), dt.date(2027, 12, 25)),
    ],
)
def test_to_date(value, expected):
    assert to_date(value) == expected


@pytest.mark.parametrize("value", ["04/01/2027", "2027-02-29", "", None, 20270104])
def test_to_date_refuses_what_is_not_a_date(value):
    # 2027 is not a leap year, so there is no 29 February 2027.
    with pytest.raises(ValidationError, match="expected a date"):
        to_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-01-04", dt.datetime(2027, 1, 4, 0, 0)),
        ("2027-01-04T08:30", dt.datetime(2027, 1, 4, 8, 30)),
        ("2027-01-04 17:00:00", dt.datetime(2027, 1, 4, 17, 0)),
        (dt.date(2027, 1, 4), dt.datetime(2027, 1, 4, 0, 0)),
        (dt.datetime(2027, 1, 4, 9, 15), dt.datetime(2027, 1, 4, 9, 15)),
    ],
)
def test_to_datetime(value, expected):
    assert to_datetime(value) == expected


def test_to_datetime_gives_a_bare_date_the_default_time():
    assert to_datetime("2027-01-04", default_time=dt.time(8)) == dt.datetime(2027, 1, 4, 8, 0)
    assert to_datetime(dt.date(2027, 1, 4), default_time=dt.time(17)) == dt.datetime(
        2027, 1, 4, 17, 0)


@pytest.mark.parametrize(
    "value",
    ["2027-01-04T08:00+02:00", dt.datetime(2027, 1, 4, 8, tzinfo=dt.UTC)],
)
def test_to_datetime_refuses_time_zones(value):
    with pytest.raises(ValidationError, match="time zone"):
        to_datetime(value)


@pytest.mark.parametrize("value", ["next monday", "2027-13-01", 3, None])
def test_to_datetime_refuses_what_is_not_a_date(value):
    with pytest.raises(ValidationError, match="expected a date"):
        to_datetime(value)


def test_to_optional_datetime_lets_none_through():
    assert to_optional_datetime(None) is None
    assert to_optional_datetime("2027-01-04") == dt.datetime(2027, 1, 4)


@pytest.mark.parametrize("field", ["custom_fields", "external_refs"])
@pytest.mark.parametrize("value", [5, "risk", ["jira"]])
def test_a_non_mapping_is_refused_naming_the_field(field, value):
    with pytest.raises(ValidationError) as info:
        Task(id="T1", name="Design", **{field: value})
    assert info.value.field == field
