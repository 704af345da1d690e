"""Durations with units, as Microsoft Project writes and reads them.

A duration keeps the unit it was entered in (``"2w"`` stays two weeks, it is not turned into
minutes), because what a week *is* depends on the project: its :class:`CalendarOptions` say how
many working minutes make a day and a week and how many working days make a month. Elapsed
units (``"1.5ed"``) ignore calendars: an elapsed day is always 24 hours.
"""

from __future__ import annotations

import enum
import math
import re
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from pmcore.errors import ValidationError

__all__ = ["CalendarOptions", "Duration", "DurationUnit", "to_duration", "to_optional_duration"]


class DurationUnit(enum.Enum):
    """The unit a duration is expressed in; the value is its short label."""

    MINUTES = "m"
    HOURS = "h"
    DAYS = "d"
    WEEKS = "w"
    MONTHS = "mo"
    ELAPSED_MINUTES = "em"
    ELAPSED_HOURS = "eh"
    ELAPSED_DAYS = "ed"
    ELAPSED_WEEKS = "ew"
    ELAPSED_MONTHS = "emo"
    PERCENT = "%"
    """Only for link lags: a share of the predecessor's duration."""
    ELAPSED_PERCENT = "e%"
    """Only for link lags: a share of the predecessor's duration, in elapsed time."""

    @property
    def elapsed(self) -> bool:
        """True for units that run on the clock, not on a working calendar."""
        return self._name_ in _ELAPSED_NAMES  # (an enum's value is a slow property)

    @property
    def percent(self) -> bool:
        """True for the percentage units that only a lag may use."""
        return self._name_ in _PERCENT_NAMES


_ELAPSED_NAMES = frozenset(unit.name for unit in DurationUnit if unit.value.startswith("e"))
_PERCENT_NAMES = frozenset(unit.name for unit in DurationUnit if unit.value.endswith("%"))


# Spellings Microsoft Project accepts in its duration fields, in any letter case.
_ALIASES: dict[str, DurationUnit] = {}
for _unit, _names in {
    DurationUnit.MINUTES: ("m", "min", "mins", "minute", "minutes"),
    DurationUnit.HOURS: ("h", "hr", "hrs", "hour", "hours"),
    DurationUnit.DAYS: ("d", "dy", "dys", "day", "days"),
    DurationUnit.WEEKS: ("w", "wk", "wks", "week", "weeks"),
    DurationUnit.MONTHS: ("mo", "mon", "mons", "month", "months"),
    DurationUnit.PERCENT: ("%",),
}.items():
    _elapsed = DurationUnit("e" + _unit.value)
    for _name in _names:
        _ALIASES[_name] = _unit
        _ALIASES["e" + _name] = _elapsed

_PATTERN = re.compile(
    r"^\s*(?P<value>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<unit>[a-z%]*)\s*(?P<estimated>\?)?\s*$",
    re.IGNORECASE,
)

_MINUTES_PER_ELAPSED: dict[DurationUnit, float] = {
    DurationUnit.ELAPSED_MINUTES: 1.0,
    DurationUnit.ELAPSED_HOURS: 60.0,
    DurationUnit.ELAPSED_DAYS: 1440.0,
    DurationUnit.ELAPSED_WEEKS: 10080.0,
    DurationUnit.ELAPSED_MONTHS: 43200.0,  # Microsoft Project's elapsed month: 30 elapsed days
}


@attrs.frozen(kw_only=True)
class CalendarOptions:
    """How many working minutes make a day and a week, and working days a month.

    These are project properties in Microsoft Project (File > Options > Schedule > Calendar
    options). They convert working-time units; they do not decide *when* work happens, which is
    the calendar's job.
    """

    minutes_per_day: int = attrs.field(default=480)
    minutes_per_week: int = attrs.field(default=2400)
    days_per_month: int = attrs.field(default=20)

    @minutes_per_day.validator
    @minutes_per_week.validator
    @days_per_month.validator
    def _positive(self, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValidationError(
                f"must be a positive whole number, got {value!r}",
                entity="calendar options",
                field=attribute.name,
            )
        if attribute.name == "minutes_per_day" and value > 1440:
            raise ValidationError(
                f"a day has at most 1440 minutes, got {value}",
                entity="calendar options",
                field=attribute.name,
            )
        if attribute.name == "minutes_per_week" and value > 10080:
            raise ValidationError(
                f"a week has at most 10080 minutes, got {value}",
                entity="calendar options",
                field=attribute.name,
            )

    @property
    def hours_per_day(self) -> float:
        """Working hours in a day (``minutes_per_day / 60``)."""
        return self.minutes_per_day / 60

    @property
    def hours_per_week(self) -> float:
        """Working hours in a week (``minutes_per_week / 60``)."""
        return self.minutes_per_week / 60


def _to_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"must be a number, got {value!r} (Duration.parse reads text such "
                              "as '3d')", entity="duration", field="value") from None


def _to_unit(value: Any) -> DurationUnit:
    if isinstance(value, DurationUnit):
        return value
    try:
        return DurationUnit(value)
    except ValueError:
        known = ", ".join(unit.value for unit in DurationUnit)
        raise ValidationError(f"unknown unit {value!r} (known: {known})", entity="duration",
                              field="unit") from None


def _finite_number(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not math.isfinite(value):
        raise ValidationError(f"must be a finite number, got {value!r}", entity="duration",
                              field=attribute.name)


@attrs.frozen(repr=False)
class Duration:
    """An amount of time in a unit, e.g. ``Duration.parse("1.5ed")``.

    Negative durations are leads when used as a link lag. ``estimated`` is Microsoft Project's
    question-mark flag (``"3d?"``).

    >>> Duration.parse("2 wks")
    Duration('2w')
    >>> str(Duration(1.5, DurationUnit.ELAPSED_DAYS))
    '1.5ed'
    """

    value: float = attrs.field(converter=_to_float, validator=_finite_number)
    unit: DurationUnit = attrs.field(default=DurationUnit.DAYS, converter=_to_unit)
    estimated: bool = attrs.field(default=False, kw_only=True)

    ZERO: ClassVar[Duration]

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read a duration the way Microsoft Project's duration fields do.

        A number with a unit (``"3d"``, ``"2 weeks"``, ``"4h"``, ``"1.5ed"``, ``"30 emins"``,
        ``"50%"``), optionally followed by ``?`` for an estimate. A bare number means days,
        Microsoft Project's default duration unit.

        Raises:
            ValidationError: the text is not a duration.
        """
        match = _PATTERN.match(text)
        if match is None:
            raise ValidationError(
                f"{text!r} is not a duration; write a number and a unit, e.g. '3d', '2w', "
                "'4h', '1.5ed'",
                entity="duration",
            )
        unit_text = match["unit"].lower()
        unit = DurationUnit.DAYS if not unit_text else _ALIASES.get(unit_text)
        if unit is None:
            known = "m, h, d, w, mo, em, eh, ed, ew, emo, %, e%"
            raise ValidationError(f"unknown unit {match['unit']!r} in {text!r} (known: {known})",
                                  entity="duration")
        return cls(float(match["value"]), unit, estimated=match["estimated"] is not None)

    @classmethod
    def minutes(cls, value: float) -> Duration:
        """A duration in working minutes."""
        return cls(value, DurationUnit.MINUTES)

    @classmethod
    def hours(cls, value: float) -> Duration:
        """A duration in working hours."""
        return cls(value, DurationUnit.HOURS)

    @classmethod
    def days(cls, value: float) -> Duration:
        """A duration in working days."""
        return cls(value, DurationUnit.DAYS)

    @classmethod
    def weeks(cls, value: float) -> Duration:
        """A duration in working weeks."""
        return cls(value, DurationUnit.WEEKS)

    @property
    def elapsed(self) -> bool:
        """True when the duration runs on the clock rather than on a calendar."""
        return self.unit.elapsed

    @property
    def is_percent(self) -> bool:
        """True for a percentage of a predecessor's duration (lags only)."""
        return self.unit.percent

    @property
    def is_zero(self) -> bool:
        """True for a zero amount in any unit."""
        return self.value == 0

    def to_minutes(self, options: CalendarOptions | None = None) -> float:
        """This duration in minutes: working minutes, or clock minutes for elapsed units.

        Working units convert through the project's calendar options (8 hours a day, 40 a week,
        20 days a month unless the project says otherwise).

        Raises:
            ValidationError: for a percentage, which only has a length relative to a task.
        """
        if self.unit.percent:
            raise ValidationError(
                f"{self} is a percentage of a predecessor's duration, not a length of time",
                entity="duration",
            )
        if self.unit.elapsed:
            return self.value * _MINUTES_PER_ELAPSED[self.unit]
        opts = options or _DEFAULT_OPTIONS
        per_unit = {
            DurationUnit.MINUTES: 1,
            DurationUnit.HOURS: 60,
            DurationUnit.DAYS: opts.minutes_per_day,
            DurationUnit.WEEKS: opts.minutes_per_week,
            DurationUnit.MONTHS: opts.minutes_per_day * opts.days_per_month,
        }[self.unit]
        return self.value * per_unit

    def to_days(self, options: CalendarOptions | None = None) -> float:
        """This duration in working days (elapsed units: in 24-hour days)."""
        minutes = self.to_minutes(options)
        if self.unit.elapsed:
            return minutes / 1440
        return minutes / (options or _DEFAULT_OPTIONS).minutes_per_day

    def __neg__(self) -> Duration:
        return attrs.evolve(self, value=-self.value)

    def __str__(self) -> str:
        # Shortest text that reads back to the same float, without an exponent (which the
        # parser could confuse with an elapsed unit), so str() round-trips exactly.
        value = format(Decimal(repr(self.value)), "f")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        if value == "-0":
            value = "0"
        return f"{value}{self.unit.value}{'?' if self.estimated else ''}"

    def __repr__(self) -> str:
        return f"Duration({str(self)!r})"


Duration.ZERO = Duration(0, DurationUnit.DAYS)
_DEFAULT_OPTIONS = CalendarOptions()


def to_duration(value: Any) -> Duration:
    """Convert user input to a :class:`Duration`: a ``Duration``, a string, or a number of days.

    Used as an attrs converter, so ``task.duration = "3d"`` works.
    """
    if isinstance(value, Duration):
        return value
    if isinstance(value, str):
        return Duration.parse(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Duration(value, DurationUnit.DAYS)
    raise ValidationError(f"expected a duration such as '3d', got {value!r}", entity="duration")


def to_optional_duration(value: Any) -> Duration | None:
    """Like :func:`to_duration` but lets ``None`` through."""
    if value is None or value.__class__ is Duration:  # (every task is built through here)
        return value
    return to_duration(value)
