"""Microsoft Project's local task custom fields: their MSPDI ``FieldID``, name and type.

MSPDI names a custom field by a number (``FieldID``): ``188743731`` is the task field *Text1*.
Definitions live in ``Project/ExtendedAttributes``, values in ``Task/ExtendedAttribute``. The
numbers are not in sequence (Text1-Text5 are three apart, Text11 is far from Text10), so they
are listed here one by one, as Microsoft Project writes them; the reader's tests check each name
against the ``FieldName`` that Microsoft Project saved beside the number in the sample files.
Resource (``2055...``) and assignment (``2558...``) fields have numbers of their own, which
are not listed here: the samples name only the first field of each family, too few to check a
table against, so their values are not read.
"""

from __future__ import annotations

import attrs

from pmcore.model import FieldType

__all__ = ["CF_TYPES", "TASK_FIELDS", "TaskField", "by_id", "by_name", "slots_for"]


@attrs.frozen
class TaskField:
    """One of Microsoft Project's task custom fields, e.g. ``Text1``."""

    name: str
    field_id: int
    family: str  # Text, Number, Flag, Cost, Date, Start, Finish, Duration

    @property
    def type(self) -> FieldType:
        """The pmcore type of the values this field holds."""
        return _FAMILY_TYPES[self.family]

    @property
    def cf_type(self) -> int:
        """MSPDI's ``CFType`` code of the field."""
        return CF_TYPES[self.family]


_FAMILY_TYPES = {
    "Text": FieldType.TEXT, "Number": FieldType.NUMBER, "Flag": FieldType.FLAG,
    "Cost": FieldType.COST, "Date": FieldType.DATETIME, "Start": FieldType.DATETIME,
    "Finish": FieldType.DATETIME, "Duration": FieldType.DURATION,
}

CF_TYPES = {"Cost": 0, "Date": 1, "Duration": 2, "Finish": 3, "Flag": 4, "Number": 5,
            "Start": 6, "Text": 7}
"""``CFType`` codes, as the MSPDI documentation lists them."""


def _ids(*runs: tuple[int, int, int]) -> list[int]:
    """Field ids from runs of (first id, count, step)."""
    return [first + step * i for first, count, step in runs for i in range(count)]


_FAMILIES: dict[str, list[int]] = {
    "Text": _ids((188743731, 5, 3), (188743746, 5, 1), (188743997, 20, 1)),
    "Start": _ids((188743732, 5, 3), (188743962, 5, 2)),
    "Finish": _ids((188743733, 5, 3), (188743963, 5, 2)),
    "Number": _ids((188743767, 5, 1), (188743982, 15, 1)),
    "Flag": _ids((188743752, 10, 1), (188743972, 10, 1)),
    "Cost": _ids((188743786, 3, 1), (188743938, 7, 1)),
    "Date": _ids((188743945, 10, 1)),
    "Duration": _ids((188743783, 3, 1), (188743955, 7, 1)),
}

TASK_FIELDS: tuple[TaskField, ...] = tuple(
    TaskField(f"{family}{number}", field_id, family)
    for family, ids in _FAMILIES.items() for number, field_id in enumerate(ids, 1))
"""Every local task custom field: Text1-30, Start1-10, Finish1-10, Number1-20, Flag1-20,
Cost1-10, Date1-10, Duration1-10."""

_BY_ID = {f.field_id: f for f in TASK_FIELDS}
_BY_NAME = {f.name.lower(): f for f in TASK_FIELDS}

# Where a pmcore field of each type goes when it is not one of MS Project's own names.
_SLOT_ORDER: dict[FieldType, tuple[str, ...]] = {
    FieldType.TEXT: ("Text",), FieldType.NUMBER: ("Number",), FieldType.FLAG: ("Flag",),
    FieldType.COST: ("Cost",), FieldType.DATETIME: ("Date", "Start", "Finish"),
    FieldType.DATE: ("Date", "Start", "Finish"), FieldType.DURATION: ("Duration",),
}


def by_id(field_id: int) -> TaskField | None:
    """The task field with this ``FieldID``, or ``None`` (a resource field, an outline code)."""
    return _BY_ID.get(field_id)


def by_name(name: str) -> TaskField | None:
    """The task field named so (``"Text1"``, any letter case), or ``None``."""
    return _BY_NAME.get(name.strip().lower())


def slots_for(field_type: FieldType) -> list[TaskField]:
    """The fields that can hold values of ``field_type``, in the order they are handed out."""
    families = _SLOT_ORDER[field_type]
    return [f for family in families for f in TASK_FIELDS if f.family == family]
