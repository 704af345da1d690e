"""Microsoft Project's local task custom fields: their MSPDI ``FieldID``, name and type.

MSPDI names a custom field by a number (``FieldID``): ``188743731`` is the task field *Text1*.
Definitions live in ``Project/ExtendedAttributes``, values in ``Task/ExtendedAttribute``. The
numbers are not in sequence (Text1-Text5 are three apart, Text11 is far from Text10), so they
are listed here one by one, as Microsoft Project writes them; the reader's tests check each name
against the ``FieldName`` that Microsoft Project saved beside the number in the sample files.
Resource (``2055...``) and assignment (``2558...``) fields have numbers of their own, listed
the same way; in pmcore they are keyed ``"Resource Text1"`` and ``"Assignment Text1"``, since a
project's field definitions share one namespace. The tests check them against the names
Microsoft Project saved (``mspextattr.xml``), the values a sample stores in every assignment
field (``mspdiassignmentcustom.xml``: ``t1`` in Text1, ...) and MPXJ's own table.
"""

from __future__ import annotations

import attrs

from pmcore.model import FieldType

__all__ = ["ASSIGNMENT_FIELDS", "CF_TYPES", "ENTITIES", "RESOURCE_FIELDS", "TASK_FIELDS",
           "TaskField", "by_id", "by_key", "by_name", "slots_for"]

ENTITIES = ("task", "resource", "assignment")
"""The pmcore entities MSPDI has custom fields for (``applies_to`` of their definitions)."""


@attrs.frozen
class TaskField:
    """One of Microsoft Project's custom fields, e.g. the task field ``Text1``."""

    name: str
    field_id: int
    family: str  # Text, Number, Flag, Cost, Date, Start, Finish, Duration
    entity: str = "task"  # or resource, assignment

    @property
    def key(self) -> str:
        """The key in pmcore: ``"Text1"`` for a task field, ``"Resource Text1"`` for others."""
        return self.name if self.entity == "task" else f"{self.entity.title()} {self.name}"

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

_RESOURCE_FAMILIES: dict[str, list[int]] = {
    "Text": _ids((205520904, 2, 1), (205520926, 3, 1), (205520993, 5, 1), (205521121, 20, 1)),
    "Start": _ids((205520998, 5, 1), (205521116, 5, 1)),
    "Finish": _ids((205521003, 5, 1), (205521086, 5, 1)),
    "Number": _ids((205521008, 5, 1), (205521101, 15, 1)),
    "Flag": _ids((205521023, 9, 1), (205521022, 1, 1), (205521091, 10, 1)),
    "Cost": _ids((205521019, 3, 1), (205521062, 7, 1)),
    "Date": _ids((205521069, 10, 1)),
    "Duration": _ids((205521013, 3, 1), (205521079, 7, 1)),
}

_ASSIGNMENT_FAMILIES: dict[str, list[int]] = {
    "Text": _ids((255852632, 10, 1), (255852762, 20, 1)),
    "Start": _ids((255852642, 5, 1), (255852757, 5, 1)),
    "Finish": _ids((255852647, 5, 1), (255852727, 5, 1)),
    "Number": _ids((255852652, 5, 1), (255852742, 15, 1)),
    "Flag": _ids((255852667, 9, 1), (255852666, 1, 1), (255852732, 10, 1)),
    "Cost": _ids((255852663, 3, 1), (255852703, 7, 1)),
    "Date": _ids((255852710, 10, 1)),
    "Duration": _ids((255852657, 3, 1), (255852720, 7, 1)),
}

RESOURCE_FIELDS: tuple[TaskField, ...] = tuple(
    TaskField(f"{family}{number}", field_id, family, "resource")
    for family, ids in _RESOURCE_FAMILIES.items() for number, field_id in enumerate(ids, 1))
"""The same 120 fields for resources (``Flag10`` comes before ``Flag1`` in numbering)."""

ASSIGNMENT_FIELDS: tuple[TaskField, ...] = tuple(
    TaskField(f"{family}{number}", field_id, family, "assignment")
    for family, ids in _ASSIGNMENT_FAMILIES.items() for number, field_id in enumerate(ids, 1))
"""The same 120 fields for assignments."""

_ALL = TASK_FIELDS + RESOURCE_FIELDS + ASSIGNMENT_FIELDS
_BY_ID = {f.field_id: f for f in _ALL}
_BY_NAME = {f.name.lower(): f for f in TASK_FIELDS}
_BY_KEY = {f.key.lower(): f for f in _ALL}

# Where a pmcore field of each type goes when it is not one of MS Project's own names.
_SLOT_ORDER: dict[FieldType, tuple[str, ...]] = {
    FieldType.TEXT: ("Text",), FieldType.NUMBER: ("Number",), FieldType.FLAG: ("Flag",),
    FieldType.COST: ("Cost",), FieldType.DATETIME: ("Date", "Start", "Finish"),
    FieldType.DATE: ("Date", "Start", "Finish"), FieldType.DURATION: ("Duration",),
}


def by_id(field_id: int) -> TaskField | None:
    """The custom field with this ``FieldID``, or ``None`` (an outline code, an enterprise
    field)."""
    return _BY_ID.get(field_id)


def by_key(key: str) -> TaskField | None:
    """The field a pmcore key names (``"Text1"``, ``"Resource Cost2"``, any case), or
    ``None``."""
    return _BY_KEY.get(key.strip().lower())


def by_name(name: str) -> TaskField | None:
    """The task field named so (``"Text1"``, any letter case), or ``None``."""
    return _BY_NAME.get(name.strip().lower())


def slots_for(field_type: FieldType, entity: str = "task") -> list[TaskField]:
    """The fields of ``entity`` that can hold values of ``field_type``, in the order they are
    handed out."""
    families = _SLOT_ORDER[field_type]
    return [f for family in families for f in _ALL if f.family == family and f.entity == entity]
