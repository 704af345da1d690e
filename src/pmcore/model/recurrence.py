"""Recurring tasks: one series definition and the occurrences it produces.

A recurring task (quarterly restore tests, monthly patch windows, annual licence renewals) is a
summary task that holds a :class:`Recurrence`, with one child task per occurrence, as in
Microsoft Project. The rule is an RFC 5545 ``RRULE`` (``"FREQ=MONTHLY;BYDAY=2TU"``) counted from
the recurrence's ``start`` day; the series ends at ``finish``, or after the rule's own ``COUNT``
or ``UNTIL``. A series must end: an open-ended rule is refused, and so is one that yields no
occurrence or more than :data:`MAX_OCCURRENCES`.

An occurrence the rule puts on a non-working day of the task's calendar moves to the next
working day (Microsoft Project's default); two that land on the same working day are one.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from typing import Any

import attrs

from pmcore.errors import ValidationError
from pmcore.model.base import to_date
from pmcore.model.calendar import EffectiveCalendar
from pmcore.model.duration import Duration, DurationUnit, to_duration

__all__ = ["MAX_OCCURRENCES", "Recurrence", "ends_by_rule", "next_working_day", "occurrence_days"]

MAX_OCCURRENCES = 1000
"""The most occurrences a series may have."""

_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY", "BYMONTHDAY", "BYYEARDAY",
          "BYWEEKNO", "BYMONTH", "BYSETPOS"}
_FILTERS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")
_WORKING_DAY_SEARCH = 366


def _check_duration(instance: Any, attribute: attrs.Attribute[Any], value: Duration) -> None:
    if value.is_percent or value.value < 0:
        raise ValidationError(f"must be a non-negative length of time, got {value}",
                              entity="recurrence", field="duration")


def _parts(rule: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in rule.split(";"):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key = key.strip().upper()
        if not sep or not key:
            raise ValidationError(f"{rule!r}: {item!r} is not NAME=VALUE", entity="recurrence",
                                  field="rule")
        if key in parts:
            raise ValidationError(f"{rule!r} gives {key} twice", entity="recurrence",
                                  field="rule")
        parts[key] = value.strip().upper()
    return parts


def ends_by_rule(rule: str) -> bool:
    """True when ``rule`` has its own end (``COUNT`` or ``UNTIL``)."""
    try:
        parts = _parts(rule)
    except ValidationError:
        return False
    return "COUNT" in parts or "UNTIL" in parts


@attrs.frozen
class Recurrence:
    """A recurring task's series: the rule, the range, and each occurrence's duration.

    >>> r = Recurrence("FREQ=MONTHLY;BYDAY=2TU", "2027-01-01", "2027-03-31", duration="4h")
    >>> [str(d) for d in r.dates()]
    ['2027-01-12', '2027-02-09', '2027-03-09']

    Attributes:
        rule: an RFC 5545 ``RRULE`` without ``DTSTART``: ``FREQ`` (``DAILY``, ``WEEKLY``,
            ``MONTHLY`` or ``YEARLY``), optionally ``INTERVAL``, ``COUNT`` or ``UNTIL``,
            ``WKST`` and the ``BY...`` day filters (no times of day: occurrences are days).
        start: the first day the series may occur on (the rule counts from it).
        finish: the last day it may occur on, when the rule has no ``COUNT`` or ``UNTIL``.
        duration: each occurrence's duration (one day unless given).
    """

    rule: str = attrs.field()
    start: dt.date = attrs.field(converter=to_date)
    finish: dt.date | None = attrs.field(default=None,
                                         converter=attrs.converters.optional(to_date))
    duration: Duration = attrs.field(default=Duration(1, DurationUnit.DAYS),
                                     converter=to_duration, validator=_check_duration)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.rule, str) or not self.rule.strip():
            raise ValidationError(f"must be an RRULE such as 'FREQ=MONTHLY;BYDAY=2TU', got "
                                  f"{self.rule!r}", entity="recurrence", field="rule")
        parts = _parts(self.rule)
        where = {"entity": "recurrence", "field": "rule"}
        if "DTSTART" in parts:
            raise ValidationError("give the first day as start, not DTSTART in the rule",
                                  **where)
        unknown = sorted(set(parts) - _PARTS)
        if unknown:
            raise ValidationError(f"{self.rule!r}: {', '.join(unknown)} not allowed; "
                                  "occurrences are whole days", **where)
        if parts.get("FREQ") not in _FREQUENCIES:
            raise ValidationError(f"{self.rule!r} needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY",
                                  **where)
        if "BYSETPOS" in parts and parts["FREQ"] in ("DAILY", "WEEKLY"):
            raise ValidationError(f"{self.rule!r}: BYSETPOS needs FREQ=MONTHLY or YEARLY",
                                  **where)
        for key in ("INTERVAL", "COUNT"):
            if key in parts and not (parts[key].isascii() and parts[key].isdigit()
                                     and int(parts[key]) > 0):
                raise ValidationError(f"{self.rule!r}: {key} must be a positive whole number",
                                      **where)
        if parts.get("UNTIL", "").endswith("Z"):
            raise ValidationError(f"{self.rule!r}: UNTIL is a local date such as 20271231, "
                                  "without a time zone", **where)
        if "COUNT" in parts and "UNTIL" in parts:  # RFC 5545: they MUST NOT occur together
            raise ValidationError(f"{self.rule!r} has both COUNT and UNTIL; give one", **where)
        bounded = "COUNT" in parts or "UNTIL" in parts
        if bounded and self.finish is not None:
            raise ValidationError(f"{self.rule!r} ends by its own COUNT or UNTIL; give no "
                                  "finish, or drop them from the rule",
                                  entity="recurrence", field="finish")
        if not bounded and self.finish is None:
            raise ValidationError(f"{self.rule!r} never ends: give a finish, or COUNT or UNTIL "
                                  "in the rule", entity="recurrence", field="finish")
        if self.finish is not None and self.finish < self.start:
            raise ValidationError(f"finish {self.finish} is before start {self.start}",
                                  entity="recurrence", field="finish")
        dates = _rule_dates(self.rule, self.start, self.finish)
        if not dates:
            raise ValidationError(f"{self.rule!r} gives no occurrence from {self.start}"
                                  + (f" to {self.finish}" if self.finish else ""), **where)
        if len(dates) > MAX_OCCURRENCES:
            raise ValidationError(f"{self.rule!r} gives more than {MAX_OCCURRENCES} "
                                  "occurrences; shorten the range", **where)

    def dates(self) -> tuple[dt.date, ...]:
        """The days the rule gives, before any move to a working day."""
        return _rule_dates(self.rule, self.start, self.finish)


@functools.lru_cache(maxsize=256)
def _rule_dates(rule: str, start: dt.date, finish: dt.date | None) -> tuple[dt.date, ...]:
    """Up to ``MAX_OCCURRENCES + 1`` days of a checked rule (see :class:`Recurrence`)."""
    # dateutil is imported here so that `import pmcore` stays light.
    from dateutil.rrule import rrule as rrule_type
    from dateutil.rrule import rrulestr

    parts = _parts(rule)
    origin = dt.datetime.combine(start, dt.time())
    where = {"entity": "recurrence", "field": "rule"}
    try:
        if parts["FREQ"] in ("DAILY", "WEEKLY") and any(p in parts for p in _FILTERS):
            # dateutil looks for a match day by day up to the year 9999 before it gives up on a
            # rule that never matches (seconds for FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30). The
            # same filters over whole years fail fast, and match whenever the rule can.
            filters = ";".join(f"{p}={parts[p]}" for p in _FILTERS if p in parts)
            probe = rrulestr(f"FREQ=YEARLY;{filters}", dtstart=origin)
            if next(iter(probe), None) is None:
                return ()
        parsed = rrulestr(rule, dtstart=origin)
        if not isinstance(parsed, rrule_type):
            raise ValueError("expected a single RRULE")
        if finish is not None:
            parsed = parsed.replace(until=dt.datetime.combine(finish, dt.time()))
        return tuple(moment.date() for moment in itertools.islice(parsed, MAX_OCCURRENCES + 1))
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise ValidationError(f"{rule!r} is not a valid RRULE: {exc}", **where) from None


def next_working_day(calendar: EffectiveCalendar, day: dt.date) -> dt.date:
    """``day`` if it has working time on ``calendar``, else the next day that has."""
    for offset in range(_WORKING_DAY_SEARCH):
        candidate = day + dt.timedelta(days=offset)
        if calendar.is_working_day(candidate):
            return candidate
    raise ValidationError(f"has no working day within a year after {day}, so an occurrence "
                          "cannot be placed", entity=f"calendar {calendar.calendar.id!r}",
                          field="week")


def occurrence_days(recurrence: Recurrence, calendar: EffectiveCalendar) -> tuple[dt.date, ...]:
    """The series' occurrence days on ``calendar``, in order.

    A rule date on a non-working day moves to the next working day; dates that land on the
    same day give one occurrence.
    """
    dates = recurrence.dates()
    # The working times of the whole range at once: recurring calendar exceptions are
    # expanded once, not once per occurrence.
    first, last = dates[0], dates[-1] + dt.timedelta(days=14)
    working = {first + dt.timedelta(days=i)
               for i, times in enumerate(calendar.working_times_between(first, last)) if times}
    days: list[dt.date] = []
    for date in dates:
        moved = date
        while moved <= last and moved not in working:
            moved += dt.timedelta(days=1)
        if moved > last:
            moved = next_working_day(calendar, moved)
        if not days or days[-1] != moved:
            days.append(moved)
    return tuple(days)
