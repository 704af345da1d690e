"""Resources and their assignments to tasks, as Microsoft Project models them.

A :class:`Resource` is a person or a role (*work*), something consumed (*material*), or a
budget line (*cost*). A work resource has a maximum of units (``1.0`` is one full-time person,
100 %), availability periods that change it over time, a resource calendar for holidays,
part-time patterns and leave, and five cost rate tables, *A* to *E*, whose rates change on
effective dates. An :class:`Assignment` puts a resource on a task with units, work and a work
contour.

This module holds the data: the scheduler works tasks on their resources' calendars,
:mod:`pmcore.model.effort` keeps work = duration x units, :mod:`pmcore.leveling` and
:mod:`pmcore.resources` level and report workloads, :mod:`pmcore.finance` costs them.
Create resources and assignments through :meth:`pmcore.Project.add_resource` and
:meth:`pmcore.Project.assign`, which keep their references consistent.

Money is :class:`decimal.Decimal`, never ``float``: rates and costs accept a ``Decimal``, a
whole number or a string such as ``"85.50"``, and refuse a float, whose binary value is not
the amount written.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from pmcore.errors import ValidationError
from pmcore.model.base import (
    Entity,
    check_id,
    to_date,
    to_enum,
    to_optional_datetime,
)
from pmcore.model.duration import Duration, to_optional_duration

__all__ = [
    "RATE_TABLES",
    "Assignment",
    "Availability",
    "CostAccrual",
    "Rate",
    "RateTable",
    "Resource",
    "ResourceType",
    "WorkContour",
    "to_money",
]

RATE_TABLES = ("A", "B", "C", "D", "E")
"""The names of a resource's five cost rate tables; *A* is the one assignments use by default."""


class ResourceType(enum.Enum):
    """Microsoft Project's three kinds of resource."""

    WORK = "work"
    """People and equipment that spend working time on tasks."""
    MATERIAL = "material"
    """Supplies consumed by tasks, counted in a unit (``material_label``: tons, licences)."""
    COST = "cost"
    """A cost that does not depend on work or duration (travel, fees); amounts are entered
    on each assignment."""


class WorkContour(enum.Enum):
    """How an assignment's work is spread over its duration (Microsoft Project's contours)."""

    FLAT = "flat"
    """The same units all along (the default)."""
    BACK_LOADED = "back_loaded"
    """Little work at the start, rising to the most at the end."""
    FRONT_LOADED = "front_loaded"
    """The most work at the start, falling towards the end."""
    DOUBLE_PEAK = "double_peak"
    """Two peaks of work, in the first and the last quarter."""
    EARLY_PEAK = "early_peak"
    """Peaks in the first quarter, then falls."""
    LATE_PEAK = "late_peak"
    """Rises to a peak in the last quarter."""
    BELL = "bell"
    """Rises to a peak in the middle, then falls."""
    TURTLE = "turtle"
    """A bell with a wide, flat middle."""
    CONTOURED = "contoured"
    """Work edited by hand, period by period (a file from Microsoft Project may say so); the
    periods themselves are not kept."""


class CostAccrual(enum.Enum):
    """When a resource's costs are incurred: Microsoft Project's *Accrue At*."""

    START = "start"
    END = "end"
    PRORATED = "prorated"


def parse_money(value: Any, *, entity: str, field: str) -> Decimal:
    """An amount of money as a :class:`~decimal.Decimal`, of any sign, maybe infinite.

    Accepts a ``Decimal``, a whole number or a string (``"85.50"``). A ``float`` is refused:
    ``0.1`` is not one tenth in binary, and money must be exact. Callers check the range.

    Raises:
        ValidationError: naming ``entity`` and ``field``.
    """
    if isinstance(value, float):
        raise ValidationError(f"money is exact: give Decimal({str(value)!r}) or the string "
                              f"{str(value)!r}, not the float {value!r}",
                              entity=entity, field=field)
    amount: Decimal | None = None
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            amount = None
    if amount is None:
        raise ValidationError(f"expected an amount such as Decimal('85.50') or '85.50', got "
                              f"{value!r}", entity=entity, field=field)
    return amount


def check_currency(code: Any, *, entity: str, field: str = "currency") -> str:
    """``code`` if it is a three-letter ISO 4217 code in capitals; else a ValidationError."""
    if not (isinstance(code, str) and len(code) == 3 and code.isascii() and code.isalpha()
            and code.isupper()):
        raise ValidationError(f"must be an ISO 4217 code such as 'EUR' or 'USD', got {code!r}",
                              entity=entity, field=field)
    return code


def to_money(value: Any, *, entity: str, field: str) -> Decimal:
    """An amount of money as a finite, non-negative :class:`~decimal.Decimal`
    (see :func:`parse_money` for what is accepted).

    Raises:
        ValidationError: naming ``entity`` and ``field``.
    """
    amount = parse_money(value, entity=entity, field=field)
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"must be a finite amount of at least 0, got {value!r}",
                              entity=entity, field=field)
    return amount


def _as_float(value: Any) -> Any:
    """attrs converter for units: numbers become floats; the rest is left for the validator."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return float(value)
    return value


def _check_units(value: Any, *, entity: str, field: str) -> None:
    """Units are a finite, non-negative float (``1.0`` is 100 %)."""
    if not isinstance(value, float):
        raise ValidationError(f"must be a number (1.0 is 100 %), got {value!r}", entity=entity,
                              field=field)
    if not math.isfinite(value) or value < 0:
        raise ValidationError(f"must be a finite number of at least 0, got {value!r}",
                              entity=entity, field=field)


def _check_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        raise ValidationError(f"must be text, got {value!r}", entity=instance._label(),
                              field=attribute.name)


def _optional_date(value: Any) -> dt.date | None:
    return None if value is None else to_date(value)


# ---------------------------------------------------------------------------- availability


@attrs.frozen
class Availability:
    """A resource's maximum units from ``start`` to ``finish`` (days inclusive).

    ``start=None`` means since ever and ``finish=None`` for ever, as Microsoft Project's "NA"
    in its resource availability table.

    >>> Availability("2027-07-01", None, 0.5)
    Availability(start=datetime.date(2027, 7, 1), finish=None, units=0.5)
    """

    start: dt.date | None = attrs.field(default=None, converter=_optional_date)
    finish: dt.date | None = attrs.field(default=None, converter=_optional_date)
    units: float = attrs.field(default=1.0, converter=_as_float)

    def __attrs_post_init__(self) -> None:
        _check_units(self.units, entity="availability", field="units")
        if self.start is not None and self.finish is not None and self.finish < self.start:
            raise ValidationError(f"finish {self.finish} is before start {self.start}",
                                  entity="availability", field="finish")

    def covers(self, day: dt.date) -> bool:
        """True when ``day`` falls in this period."""
        return (self.start is None or self.start <= day) and \
            (self.finish is None or day <= self.finish)


def _to_availability(value: Any) -> tuple[Availability, ...]:
    if isinstance(value, Availability):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, str | Mapping):
        return tuple(v if not isinstance(v, Mapping) else Availability(**v) for v in value)
    return value  # type: ignore[no-any-return]  # the validator names the problem


# ---------------------------------------------------------------------------- cost rates


@attrs.frozen(kw_only=True)
class Rate:
    """One row of a cost rate table: the rates in force from ``effective_from`` on.

    ``standard_rate`` and ``overtime_rate`` are amounts per hour of work for a work resource
    (Microsoft Project converts a rate entered per day or per week to per hour with the
    project's hours per day and week); for a material resource ``standard_rate`` is per unit
    of material. ``cost_per_use`` is charged once per assignment. ``effective_from=None``
    (Microsoft Project's "--") is the first row, in force since ever.

    >>> Rate(standard_rate="85.00", effective_from="2027-07-01").standard_rate
    Decimal('85.00')
    """

    effective_from: dt.date | None = attrs.field(default=None, converter=_optional_date)
    standard_rate: Decimal = attrs.field(default=Decimal(0))
    overtime_rate: Decimal = attrs.field(default=Decimal(0))
    cost_per_use: Decimal = attrs.field(default=Decimal(0))

    def __attrs_post_init__(self) -> None:
        where = "rate" if self.effective_from is None else f"rate from {self.effective_from}"
        for name in ("standard_rate", "overtime_rate", "cost_per_use"):
            object.__setattr__(self, name, to_money(getattr(self, name), entity=where,
                                                    field=name))


def _to_rates(value: Any) -> tuple[Rate, ...]:
    if isinstance(value, Rate):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, str | Mapping):
        return tuple(v if not isinstance(v, Mapping) else Rate(**v) for v in value)
    return value  # type: ignore[no-any-return]  # the validator names the problem


def _check_rates(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(r, Rate) for r in value):
        raise ValidationError(f"must be a sequence of Rate objects, got {value!r}",
                              entity="rate table", field="rates")


@attrs.frozen
class RateTable:
    """A cost rate table: rates that change on effective dates, oldest first.

    Microsoft Project lists the rows in increasing effective date, the first one without a
    date; :meth:`pmcore.Project.validate` reports a table that is not in that order
    (``rate-dates-not-increasing``).

    >>> table = RateTable([Rate(standard_rate="80"),
    ...                    Rate(effective_from="2027-07-01", standard_rate="90")])
    >>> table.rate_on("2027-06-30").standard_rate, table.rate_on("2027-07-01").standard_rate
    (Decimal('80'), Decimal('90'))
    """

    rates: tuple[Rate, ...] = attrs.field(default=(), converter=_to_rates,
                                          validator=_check_rates)

    def rate_on(self, day: dt.date | dt.datetime | str) -> Rate | None:
        """The rate in force on ``day``: the one with the latest effective date not after it.

        ``None`` when every rate takes effect later. Of two rates with the same effective
        date, the first listed wins.
        """
        when = to_date(day)
        found: Rate | None = None
        for rate in self.rates:
            start = rate.effective_from
            if (start is None or start <= when) and (
                    found is None or _date_key(start) > _date_key(found.effective_from)):
                found = rate
        return found

    def __iter__(self) -> Iterator[Rate]:
        return iter(self.rates)

    def __len__(self) -> int:
        return len(self.rates)


def _date_key(day: dt.date | None) -> dt.date:
    return dt.date.min if day is None else day


def _to_rate_tables(value: Any) -> dict[str, RateTable]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        return value  # type: ignore[no-any-return]  # the validator names the problem
    result: dict[str, RateTable] = {}
    for key, table in sorted(value.items(), key=lambda item: str(item[0])):
        result[key] = table if isinstance(table, RateTable) else RateTable(table)
    return result


def _check_money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not (isinstance(value, Decimal) and value.is_finite()
                                  and value >= 0):
        raise ValidationError(f"must be a Decimal amount of at least 0, got {value!r}",
                              entity=instance._label(), field=attribute.name)


def _to_optional_money(value: Any) -> Any:
    # Converters cannot name the entity, so anything that is not clearly money is passed on
    # for the validator, which can.
    if value is None or isinstance(value, float):
        return value
    try:
        return to_money(value, entity="", field="")
    except ValidationError:
        return value


def _money_validator(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, float):
        to_money(value, entity=instance._label(), field=attribute.name)  # raises, naming it
    _check_money(instance, attribute, value)


# ---------------------------------------------------------------------------- resources


def _to_resource_type(value: Any) -> ResourceType:
    return to_enum(ResourceType, value, entity="resource", field="type")


def _to_accrual(value: Any) -> CostAccrual:
    return to_enum(CostAccrual, value, entity="resource", field="accrue_at")


def _to_names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return tuple(value)
    return value  # type: ignore[no-any-return]  # the validator names the problem


@attrs.define(kw_only=True, repr=False)
class Resource(Entity):
    """A person, a role, a material or a cost that tasks use.

    Create resources through :meth:`pmcore.Project.add_resource`, which gives them ids and
    checks their calendar.

    Attributes:
        type: work (the default), material or cost.
        material_label: for a material resource, the unit it is counted in ("tons").
        generic: a placeholder for a role ("Senior developer") rather than a named person.
        initials, group, email: as in Microsoft Project's resource sheet.
        roles, skills: what a work resource can do, for matching resources to tasks.
        team: the team or pool the resource belongs to.
        max_units: the most it can work at once, ``1.0`` being 100 %; on dates that an
            ``availability`` period covers, that period's units apply instead.
        availability: periods of different maximum units (100 % until June, 50 % after);
            see :meth:`max_units_on`.
        calendar: id of the resource's calendar in ``project.calendars``, normally one
            derived from a base calendar with the person's holidays, part-time days and leave
            as exceptions; ``None`` for the project calendar.
        rate_tables: cost rate tables by letter, ``"A"`` to ``"E"``; a table not given has
            no rates (zero cost).
        accrue_at: when costs are incurred: at the start, prorated (the default) or at the end.
        can_level: whether leveling may delay this resource's assignments.
        notes: free text.
    """

    type: ResourceType = attrs.field(default=ResourceType.WORK, converter=_to_resource_type)
    material_label: str = attrs.field(default="", validator=_check_text)
    generic: bool = attrs.field(default=False)
    initials: str = attrs.field(default="", validator=_check_text)
    group: str = attrs.field(default="", validator=_check_text)
    email: str = attrs.field(default="", validator=_check_text)
    roles: tuple[str, ...] = attrs.field(default=(), converter=_to_names)
    skills: tuple[str, ...] = attrs.field(default=(), converter=_to_names)
    team: str = attrs.field(default="", validator=_check_text)
    max_units: float = attrs.field(default=1.0, converter=_as_float)
    availability: tuple[Availability, ...] = attrs.field(default=(),
                                                         converter=_to_availability)
    calendar: str | None = attrs.field(default=None)
    rate_tables: dict[str, RateTable] = attrs.field(factory=dict, converter=_to_rate_tables)
    accrue_at: CostAccrual = attrs.field(default=CostAccrual.PRORATED, converter=_to_accrual)
    can_level: bool = attrs.field(default=True)
    notes: str = attrs.field(default="", validator=_check_text)

    @generic.validator
    @can_level.validator
    def _check_flag(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, bool):
            raise ValidationError(f"must be True or False, got {value!r}", entity=self._label(),
                                  field=attribute.name)

    @roles.validator
    @skills.validator
    def _check_names(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple) or not all(isinstance(v, str) and v for v in value):
            raise ValidationError(f"must be a list of non-empty texts, got {value!r}",
                                  entity=self._label(), field=attribute.name)

    @max_units.validator
    def _check_max_units(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _check_units(value, entity=self._label(), field="max_units")

    @availability.validator
    def _check_availability(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple) or not all(isinstance(a, Availability) for a in value):
            raise ValidationError(f"must be a sequence of Availability periods, got {value!r}",
                                  entity=self._label(), field="availability")

    @calendar.validator
    def _check_calendar(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check_id(self._label(), "calendar", value)

    @rate_tables.validator
    def _check_rate_tables(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, dict):
            raise ValidationError(f"must map table letters ('A'-'E') to rate tables, got "
                                  f"{value!r}", entity=self._label(), field="rate_tables")
        for key, table in value.items():
            if key not in RATE_TABLES:
                raise ValidationError(f"rate tables are 'A' to 'E', got {key!r}",
                                      entity=self._label(), field="rate_tables")
            if not isinstance(table, RateTable):
                raise ValidationError(f"table {key} must be a RateTable, got {table!r}",
                                      entity=self._label(), field="rate_tables")

    def _label(self) -> str:
        name = getattr(self, "name", None)
        return f"resource {self.id!r}" + (f" ({name})" if name else "")

    @property
    def label(self) -> str:
        """How messages name the resource: ``resource 'R2' (Dana Fox)``."""
        return self._label()

    def max_units_on(self, day: dt.date | dt.datetime | str) -> float:
        """The most units the resource can work on ``day``.

        The units of the availability period covering ``day``, else :attr:`max_units`. Of two
        overlapping periods (which :meth:`pmcore.Project.validate` reports as
        ``overlapping-availability``), the first listed wins.

        >>> dana = Resource(id="R1", name="Dana", availability=[
        ...     Availability(start="2027-07-01", units=0.5)])
        >>> dana.max_units_on("2027-06-30"), dana.max_units_on("2027-07-01")
        (1.0, 0.5)
        """
        when = to_date(day)
        for period in self.availability:
            if period.covers(when):
                return period.units
        return self.max_units

    def rate_on(self, day: dt.date | dt.datetime | str, table: str = "A") -> Rate:
        """The rate of table ``table`` (``"A"`` to ``"E"``) in force on ``day``.

        A table without a rate in force on that day gives a zero rate, as a new resource's
        tables hold in Microsoft Project.

        Raises:
            ValidationError: ``table`` is not one of ``"A"`` to ``"E"``.
        """
        if table not in RATE_TABLES:
            raise ValidationError(f"rate tables are 'A' to 'E', got {table!r}",
                                  entity=self._label(), field="rate_tables")
        rates = self.rate_tables.get(table)
        found = None if rates is None else rates.rate_on(day)
        return Rate() if found is None else found

    def __repr__(self) -> str:
        parts = [f"id={self.id!r}", f"name={self.name!r}"]
        if self.type is not ResourceType.WORK:
            parts.append(f"type={self.type.value!r}")
        if self.generic:
            parts.append("generic=True")
        if self.max_units != 1.0:
            parts.append(f"max_units={self.max_units:g}")
        if self.calendar is not None:
            parts.append(f"calendar={self.calendar!r}")
        return f"Resource({', '.join(parts)})"


# ---------------------------------------------------------------------------- assignments


def _to_contour(value: Any) -> WorkContour:
    return to_enum(WorkContour, value, entity="assignment", field="contour")


@attrs.define(kw_only=True, repr=False)
class Assignment(Entity):
    """A resource assigned to a task.

    Create assignments through :meth:`pmcore.Project.assign`, which checks that the task and
    the resource exist and gives the assignment an id.

    Attributes:
        task, resource: ids of the task and the resource.
        units: how much of the resource works on the task at once, ``1.0`` being 100 %; for
            a material resource, the quantity used (in its ``material_label``).
        work: the total working time the resource spends on the task (``None`` until known).
        actual_work, remaining_work: progress, in working time.
        overtime_work: the part of ``work`` done in overtime, charged at the overtime rate
            (``None``: none), as Microsoft Project's Overtime Work.
        rate_table: which of the resource's cost rate tables applies, ``"A"`` to ``"E"``.
        contour: how the work is spread over the assignment's duration.
        start, finish: the assignment's dates, as last scheduled, entered or imported.
        cost, actual_cost: for a cost resource, the amount entered on this assignment; for
            work and material resources cost is computed from the rates, not entered.
        notes: free text.
    """

    task: str = attrs.field(on_setattr=attrs.setters.frozen)
    resource: str = attrs.field(on_setattr=attrs.setters.frozen)
    name: str = attrs.field(default="", validator=_check_text)
    units: float = attrs.field(default=1.0, converter=_as_float)
    work: Duration | None = attrs.field(default=None, converter=to_optional_duration)
    actual_work: Duration | None = attrs.field(default=None, converter=to_optional_duration)
    remaining_work: Duration | None = attrs.field(default=None,
                                                  converter=to_optional_duration)
    overtime_work: Duration | None = attrs.field(default=None,
                                                 converter=to_optional_duration)
    rate_table: str = attrs.field(default="A")
    contour: WorkContour = attrs.field(default=WorkContour.FLAT, converter=_to_contour)
    start: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)
    finish: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)
    cost: Decimal | None = attrs.field(default=None, converter=_to_optional_money,
                                       validator=_money_validator)
    actual_cost: Decimal | None = attrs.field(default=None, converter=_to_optional_money,
                                              validator=_money_validator)
    notes: str = attrs.field(default="", validator=_check_text)

    @task.validator
    @resource.validator
    def _check_reference(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_id(self._label(), attribute.name, value)

    @units.validator
    def _check_units(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _check_units(value, entity=self._label(), field="units")
        if value == 0:  # a resource on a task does some of it; remove the assignment instead
            raise ValidationError("must be more than 0 (1.0 is 100 %); to take the resource "
                                  "off the task, unassign it", entity=self._label(),
                                  field="units")

    @work.validator
    @actual_work.validator
    @remaining_work.validator
    @overtime_work.validator
    def _check_work(self, attribute: attrs.Attribute[Any], value: Duration | None) -> None:
        if value is not None and (value.is_percent or value.elapsed or value.value < 0):
            raise ValidationError(f"must be a non-negative amount of working time (not "
                                  f"elapsed), got {value}", entity=self._label(),
                                  field=attribute.name)

    @rate_table.validator
    def _check_rate_table(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in RATE_TABLES:
            raise ValidationError(f"must be one of 'A' to 'E', got {value!r}",
                                  entity=self._label(), field="rate_table")

    def _label(self) -> str:
        task, resource = getattr(self, "task", "?"), getattr(self, "resource", "?")
        return f"assignment {self.id!r} ({resource} on {task})"

    @property
    def label(self) -> str:
        """How messages name the assignment: ``assignment 'A1' (R2 on T4)``."""
        return self._label()

    def __repr__(self) -> str:
        parts = [f"id={self.id!r}", f"task={self.task!r}", f"resource={self.resource!r}",
                 f"units={self.units:g}"]
        if self.work is not None:
            parts.append(f"work='{self.work}'")
        if self.cost is not None:
            parts.append(f"cost={str(self.cost)!r}")
        return f"Assignment({', '.join(parts)})"
