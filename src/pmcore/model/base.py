"""What every entity shares: a stable id, a name, typed custom fields and external references.

``external_refs`` maps a system name to that system's key for the entity (``{"jira": "ERP-42",
"msproject": "17"}``), so sync adapters can keep identity across systems without pmcore's own
ids leaking into them or theirs into pmcore.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import gc
import math
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeAlias, TypeVar

import attrs

from pmcore.errors import ValidationError
from pmcore.model.duration import Duration

__all__ = [
    "CustomFieldDefinition",
    "CustomValue",
    "Entity",
    "FieldType",
    "collector_paused",
    "to_date",
    "to_datetime",
    "to_optional_datetime",
]

CustomValue: TypeAlias = str | int | float | bool | Decimal | dt.date | dt.datetime | Duration
"""A custom field's value: text, number, flag, cost (``Decimal``), date, date-time or duration."""

E = TypeVar("E", bound=enum.Enum)

_ID_PATTERN = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused, and resumed after (also after an error) if it
    was on.

    For code that builds many objects and no reference cycles: reading a large file,
    compiling and scheduling a large plan. Every few thousand new objects the collector runs,
    and its full passes walk every object of the process: the objects being built and whatever
    else the program holds. Beside a plan of the same size already in memory, that made reading
    an MSPDI file take 1.8 times as long.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_id(kind: str, field: str, value: object) -> None:
    """Ids are non-empty strings of at most 200 printable characters."""
    if (type(value) is str and value.isascii() and value.isprintable()
            and 0 < len(value) <= 200 and value[0] != " " and value[-1] != " "):
        return  # the usual id: printable ASCII (where only the space is white space)
    if not isinstance(value, str) or not _ID_PATTERN.match(value) or value.strip() != value:
        raise ValidationError(
            f"must be 1-200 printable characters without surrounding spaces, got {value!r}",
            entity=kind,
            field=field,
        )


class FieldType(enum.Enum):
    """The type of a custom field, as in Microsoft Project's custom fields."""

    TEXT = "text"
    NUMBER = "number"
    FLAG = "flag"
    COST = "cost"
    DATE = "date"
    DATETIME = "datetime"
    DURATION = "duration"

    def accepts(self, value: object) -> bool:
        """True when ``value`` is of this type."""
        match self:
            case FieldType.TEXT:
                return isinstance(value, str)
            case FieldType.NUMBER:
                return isinstance(value, int | float) and not isinstance(value, bool)
            case FieldType.FLAG:
                return isinstance(value, bool)
            case FieldType.COST:
                return isinstance(value, Decimal)
            case FieldType.DATE:
                return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
            case FieldType.DATETIME:
                return isinstance(value, dt.datetime)
            case FieldType.DURATION:
                return isinstance(value, Duration)

    @classmethod
    def of(cls, value: object) -> FieldType:
        """The field type of a value; raises :class:`ValidationError` for unsupported types."""
        for field_type in cls:
            if field_type.accepts(value):
                return field_type
        raise ValidationError(
            f"unsupported custom field value {value!r} of type {type(value).__name__}; use "
            "str, int, float, bool, Decimal, date, datetime or Duration",
            entity="custom field",
        )


def _check_custom_fields(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dict):
        raise ValidationError("must be a dict of name -> value", entity=type(instance).__name__,
                              field=attribute.name)
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise ValidationError(f"field names must be non-empty strings, got {key!r}",
                                  entity=type(instance).__name__, field=attribute.name)
        try:
            FieldType.of(item)
        except ValidationError as exc:
            raise ValidationError(exc.reason, entity=type(instance).__name__,
                                  field=f"{attribute.name}[{key!r}]") from None
        if (isinstance(item, float) and not math.isfinite(item)) or (
                isinstance(item, Decimal) and not item.is_finite()):
            raise ValidationError(f"must be finite, got {item!r}", entity=type(instance).__name__,
                                  field=f"{attribute.name}[{key!r}]")


def _check_external_refs(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is dict:  # every entity is built through here: the usual case first
        for key, item in value.items():
            if type(key) is not str or not key or type(item) is not str:
                break
        else:
            return
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError(
            f"must map system names to keys (str -> str), got {value!r}",
            entity=type(instance).__name__,
            field=attribute.name,
        )


def _as_dict(value: Mapping[str, Any] | None) -> dict[str, Any]:
    if value is None:
        return {}
    try:
        return dict(value)
    except (TypeError, ValueError):
        return value  # type: ignore[return-value]  # the field's validator names the problem


def _check_entity_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    try:
        check_id("entity", attribute.name, value)
    except ValidationError:  # the message names the kind of entity: built only when needed
        check_id(type(instance).__name__.lower(), attribute.name, value)


def to_enum(enum_type: type[E], value: Any, *, entity: str, field: str) -> E:
    """Convert ``value`` to ``enum_type``, raising :class:`ValidationError` for a bad value.

    A bare ``enum_type(value)`` raises a plain ``ValueError`` that names neither the entity nor
    the field and escapes ``except PMCoreError``.
    """
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        known = ", ".join(repr(member.value) for member in enum_type)
        raise ValidationError(f"{value!r} is not one of {known}", entity=entity,
                              field=field) from None


def check_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: the field holds a ``str``."""
    if not isinstance(value, str):
        raise ValidationError(f"must be text, got {value!r}", entity=type(instance).__name__,
                              field=attribute.name)


@attrs.define(kw_only=True, eq=True)
class Entity:
    """Fields every pmcore entity has; subclasses add their own."""

    id: str = attrs.field(validator=_check_entity_id, on_setattr=attrs.setters.frozen)
    name: str = attrs.field(validator=check_text)
    custom_fields: dict[str, CustomValue] = attrs.field(
        factory=dict, converter=_as_dict, validator=_check_custom_fields
    )
    external_refs: dict[str, str] = attrs.field(
        factory=dict, converter=_as_dict, validator=_check_external_refs
    )


def _to_field_type(value: Any) -> FieldType:
    return to_enum(FieldType, value, entity="custom field", field="type")


@attrs.frozen(kw_only=True)
class CustomFieldDefinition:
    """The declaration of a custom field: its type, where it applies, and how it is shown.

    ``key`` is what entities use in ``custom_fields``; ``alias`` is the label a user sees
    (Microsoft Project's alias for ``Text1``, Jira's field name). ``applies_to`` is the entity
    kind (``"task"``, ``"project"``, ``"calendar"``, ``"dependency"``). ``choices``, when given,
    is the lookup table of allowed values.
    """

    key: str = attrs.field()
    type: FieldType = attrs.field(converter=_to_field_type)
    applies_to: str = "task"
    alias: str | None = None
    description: str = ""
    choices: tuple[CustomValue, ...] = attrs.field(default=(), converter=tuple)
    external_refs: dict[str, str] = attrs.field(
        factory=dict, converter=_as_dict, validator=_check_external_refs
    )

    @key.validator
    def _check_key(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str) or not value:
            raise ValidationError(f"must be a non-empty string, got {value!r}",
                                  entity="custom field", field="key")

    def __attrs_post_init__(self) -> None:
        for choice in self.choices:
            if not self.type.accepts(choice):
                raise ValidationError(
                    f"choice {choice!r} is not a {self.type.value}",
                    entity=f"custom field {self.key!r}",
                    field="choices",
                )

    @property
    def label(self) -> str:
        """The alias when there is one, else the key."""
        return self.alias or self.key


def to_date(value: Any) -> dt.date:
    """Convert a ``date``, a ``datetime`` (its day) or an ISO string to a ``date``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            try:
                return dt.datetime.fromisoformat(value.strip()).date()
            except ValueError:
                pass
    raise ValidationError(f"expected a date such as '2027-01-04', got {value!r}", entity="date")


def to_datetime(value: Any, *, default_time: dt.time = dt.time(0)) -> dt.datetime:
    """Convert a ``datetime``, a ``date`` or an ISO string to a naive local ``datetime``.

    A bare date takes ``default_time``. Time-zone-aware values are refused: project dates are
    local wall-clock times, as in Microsoft Project.
    """
    result: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime.combine(value, default_time)
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                result = dt.datetime.combine(dt.date.fromisoformat(text), default_time)
            else:
                result = dt.datetime.fromisoformat(text)
        except ValueError:
            result = None
    if result is None:
        raise ValidationError(
            f"expected a date or date-time such as '2027-01-04T08:00', got {value!r}",
            entity="date",
        )
    if result.tzinfo is not None:
        raise ValidationError(
            f"{value!r} carries a time zone; project dates are local times without one",
            entity="date",
        )
    return result


def to_optional_datetime(value: Any) -> dt.datetime | None:
    """Like :func:`to_datetime` but lets ``None`` through."""
    if value is None or (type(value) is dt.datetime and value.tzinfo is None):
        return value
    return to_datetime(value)
