"""Working-time calendars, modelled on Microsoft Project's.

A :class:`Calendar` has a default working week, optional alternate work weeks for date ranges
and exceptions (holidays, shutdowns, extra working days), one-off or recurring through an
RFC 5545 ``RRULE`` read by dateutil. A calendar may derive from a base calendar: any weekday it
leaves undefined (``None``) follows the base, the way a resource calendar follows "Standard".

For one day, the working times are found as Microsoft Project does: an exception covering the
day wins, this calendar's before its base's, so a holiday of "Standard" is a holiday for every
calendar derived from it unless that calendar has its own exception on the day; otherwise the
work week in force that day (an alternate one, or the default week) gives the day's times; a day
it leaves undefined is looked up in the base calendar's work weeks the same way.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from pmcore.errors import CycleError, UnknownReferenceError, ValidationError
from pmcore.model.base import Entity, check_id, check_text, to_date

if TYPE_CHECKING:
    from dateutil.rrule import rrule

__all__ = [
    "Calendar",
    "CalendarException",
    "EffectiveCalendar",
    "Weekday",
    "WorkWeek",
    "WorkWeekPeriod",
    "WorkingTime",
]


class Weekday(enum.IntEnum):
    """Days of the week, numbered as ``date.weekday()`` numbers them."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @classmethod
    def parse(cls, value: Weekday | int | str) -> Weekday:
        """Accept a ``Weekday``, a number 0-6 (Monday = 0) or a name (``"mon"``, ``"Monday"``)."""
        if isinstance(value, Weekday):
            return value
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
            return cls(value)
        if isinstance(value, str):
            for day in cls:
                if len(value) >= 2 and day.name.lower().startswith(value.strip().lower()):
                    return day
        raise ValidationError(f"unknown weekday {value!r}", entity="work week")


_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def _to_minute(value: Any) -> int:
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and (match := _TIME.match(value)):
        hours, minutes = int(match[1]), int(match[2])
        if minutes < 60 and (hours < 24 or (hours == 24 and minutes == 0)):
            return hours * 60 + minutes
    raise ValidationError(f"expected a time such as '08:00', got {value!r}", entity="working time")


def _format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@attrs.frozen(repr=False)
class WorkingTime:
    """A span of working time within one day, e.g. ``WorkingTime.parse("08:00-12:00")``.

    ``start`` and ``end`` are minutes after midnight; ``end`` may be 1440 (``"24:00"``), the
    end of the day, as Microsoft Project's "00:00" finish on a 24-hour calendar means.
    """

    start: int = attrs.field(converter=_to_minute)
    end: int = attrs.field(converter=_to_minute)

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.start < self.end <= 1440:
            raise ValidationError(
                f"{_format_minute(self.start)}-{_format_minute(self.end)} must start before it "
                "ends, within one day",
                entity="working time",
            )

    @classmethod
    def parse(cls, text: str) -> WorkingTime:
        """Read ``"HH:MM-HH:MM"``."""
        start, sep, end = text.partition("-")
        if not sep:
            raise ValidationError(f"expected 'HH:MM-HH:MM', got {text!r}", entity="working time")
        return cls(start, end)

    @property
    def minutes(self) -> int:
        """Length in minutes."""
        return self.end - self.start

    def __str__(self) -> str:
        return f"{_format_minute(self.start)}-{_format_minute(self.end)}"

    def __repr__(self) -> str:
        return f"WorkingTime({str(self)!r})"


def _to_working_times(value: Any) -> tuple[WorkingTime, ...]:
    if isinstance(value, str | WorkingTime):
        value = [value]
    items = [v if isinstance(v, WorkingTime) else WorkingTime.parse(v) if isinstance(v, str)
             else WorkingTime(*v) for v in value]
    items.sort(key=lambda w: w.start)
    for before, after in itertools.pairwise(items):
        if after.start < before.end:
            raise ValidationError(f"working times {before} and {after} overlap",
                                  entity="working time")
    return tuple(items)


def _to_days(value: Any) -> tuple[tuple[WorkingTime, ...] | None, ...]:
    if isinstance(value, tuple) and len(value) == 7 and all(
        d is None or (isinstance(d, tuple) and all(isinstance(w, WorkingTime) for w in d))
        for d in value
    ):
        return value
    if isinstance(value, Mapping):
        days: list[tuple[WorkingTime, ...] | None] = [None] * 7
        for key, times in value.items():
            days[Weekday.parse(key)] = None if times is None else _to_working_times(times)
        return tuple(days)
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 7:
        return tuple(None if d is None else _to_working_times(d) for d in value)
    raise ValidationError(
        "expected a mapping of weekday -> working times (None to follow the base calendar)",
        entity="work week",
    )


_OFFICE_DAY = (WorkingTime(480, 720), WorkingTime(780, 1020))


@attrs.frozen(repr=False)
class WorkWeek:
    """Working times for each weekday; ``None`` for a day means "as the base calendar".

    >>> WorkWeek({"mon": ["08:00-12:00", "13:00-17:00"], "sat": []}).working_times(Weekday.SATURDAY)
    ()
    """

    days: tuple[tuple[WorkingTime, ...] | None, ...] = attrs.field(converter=_to_days)

    @classmethod
    def standard(cls) -> WorkWeek:
        """Monday to Friday, 08:00-12:00 and 13:00-17:00: Microsoft Project's Standard week."""
        return cls((_OFFICE_DAY,) * 5 + ((), ()))

    @classmethod
    def twenty_four_hours(cls) -> WorkWeek:
        """Every day, all day: Microsoft Project's "24 Hours" calendar."""
        return cls(((WorkingTime(0, 1440),),) * 7)

    @classmethod
    def night_shift(cls) -> WorkWeek:
        """Microsoft Project's "Night Shift" calendar: Monday night to Saturday morning."""
        late = WorkingTime(1380, 1440)
        early = (WorkingTime(0, 180), WorkingTime(240, 480))
        return cls(((late,), *((*early, late),) * 4, early, ()))

    @classmethod
    def inherited(cls) -> WorkWeek:
        """Every day as the base calendar: the default week of a derived calendar."""
        return cls((None,) * 7)

    def working_times(self, weekday: int) -> tuple[WorkingTime, ...] | None:
        """The day's working times, or ``None`` when it follows the base calendar."""
        return self.days[weekday]

    @property
    def is_complete(self) -> bool:
        """True when every weekday is defined here (a base calendar's week must be)."""
        return all(d is not None for d in self.days)

    def __repr__(self) -> str:
        parts = []
        for day, times in zip(Weekday, self.days, strict=True):
            label = "inherit" if times is None else ",".join(map(str, times)) or "off"
            parts.append(f"{day.name[:3].lower()}={label}")
        return f"WorkWeek({' '.join(parts)})"


def _to_week(value: Any) -> WorkWeek:
    return value if isinstance(value, WorkWeek) else WorkWeek(value)


_ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}


@attrs.frozen(kw_only=True)
class WorkWeekPeriod:
    """An alternate work week in force from ``start`` to ``finish`` (inclusive days)."""

    name: str = attrs.field(validator=check_text)
    start: dt.date = attrs.field(converter=to_date)
    finish: dt.date = attrs.field(converter=to_date)
    week: WorkWeek = attrs.field(converter=_to_week)

    def __attrs_post_init__(self) -> None:
        if self.finish < self.start:
            raise ValidationError(f"finish {self.finish} is before start {self.start}",
                                  entity=f"work week {self.name!r}", field="finish")


@attrs.frozen(kw_only=True)
class CalendarException:
    """Days that differ from the work week: a holiday, a shutdown, or extra working time.

    Without ``recurrence`` it covers every day from ``start`` to ``finish``. With an RFC 5545
    ``recurrence`` rule (``"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"``), each occurrence is one
    day, counted from ``start`` up to ``finish`` (or the rule's own ``COUNT``/``UNTIL``; with
    neither, it recurs for ever). Empty ``working_times`` make the days non-working.
    """

    name: str = attrs.field(default="", validator=check_text)
    start: dt.date = attrs.field(converter=to_date)
    finish: dt.date | None = attrs.field(default=None,
                                         converter=attrs.converters.optional(to_date))
    recurrence: str | None = None
    working_times: tuple[WorkingTime, ...] = attrs.field(default=(), converter=_to_working_times)

    def __attrs_post_init__(self) -> None:
        where = f"calendar exception {self.name!r}"
        if self.recurrence is None:
            if self.finish is None:
                object.__setattr__(self, "finish", self.start)
            elif self.finish < self.start:
                raise ValidationError(f"finish {self.finish} is before start {self.start}",
                                      entity=where, field="finish")
            return
        if not isinstance(self.recurrence, str):
            raise ValidationError(f"must be an RRULE string, got {self.recurrence!r}",
                                  entity=where, field="recurrence")
        parts = {p.split("=", 1)[0].upper(): p for p in self.recurrence.split(";") if p}
        if parts.get("FREQ", "").upper().removeprefix("FREQ=") not in _ALLOWED_FREQ:
            raise ValidationError(
                f"{self.recurrence!r} needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY",
                entity=where, field="recurrence")
        if "DTSTART" in self.recurrence.upper():
            raise ValidationError("give the first day as start, not DTSTART in the rule",
                                  entity=where, field="recurrence")
        if "COUNT" in parts and "UNTIL" in parts:  # RFC 5545: they MUST NOT occur together
            raise ValidationError(f"{self.recurrence!r} has both COUNT and UNTIL; give one",
                                  entity=where, field="recurrence")
        if self.finish is not None and self.finish < self.start:
            raise ValidationError(f"finish {self.finish} is before start {self.start}",
                                  entity=where, field="finish")
        try:
            self._rule()
            possible = _can_occur(self.recurrence, self.start)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ValidationError(f"{self.recurrence!r} is not a valid RRULE: {exc}",
                                  entity=where, field="recurrence") from None
        if not possible:
            raise ValidationError(f"{self.recurrence!r} never occurs", entity=where,
                                  field="recurrence")

    @property
    def nonworking(self) -> bool:
        """True when the covered days have no working time."""
        return not self.working_times

    def _rule(self) -> rrule:
        return _parse_rule(self.recurrence or "", self.start, self.finish)

    def covers(self, day: dt.date) -> bool:
        """True when this exception applies on ``day``."""
        if day < self.start or (self.finish is not None and day > self.finish):
            return False
        if self.recurrence is None:
            return True
        moment = dt.datetime.combine(day, dt.time())
        return self._rule().before(moment, inc=True) == moment

    def occurrences(self, start: dt.date, finish: dt.date) -> Iterator[dt.date]:
        """The days this exception covers between ``start`` and ``finish`` (inclusive)."""
        first = max(start, self.start)
        last = finish if self.finish is None else min(finish, self.finish)
        if first > last:
            return
        if self.recurrence is None:
            for offset in range((last - first).days + 1):
                yield first + dt.timedelta(days=offset)
            return
        for moment in self._rule().between(dt.datetime.combine(first, dt.time()),
                                           dt.datetime.combine(last, dt.time()), inc=True):
            yield moment.date()


_DAY_FILTERS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")


@functools.lru_cache(maxsize=1024)
def _can_occur(text: str, start: dt.date) -> bool:
    """Whether the rule's day filters can ever match, answered quickly.

    dateutil looks for a match day by day up to the year 9999 before it gives up on a rule that
    never matches (seconds for ``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``), which a hostile file
    could use to stall every lookup. The same filters over whole years fail fast.
    """
    from dateutil.rrule import rrulestr

    parts = dict(p.split("=", 1) for p in text.upper().split(";") if "=" in p)
    filters = ";".join(f"{key}={parts[key]}" for key in _DAY_FILTERS if key in parts)
    if not filters:
        return True
    probe = rrulestr(f"FREQ=YEARLY;{filters}", dtstart=dt.datetime.combine(start, dt.time()))
    return next(iter(probe), None) is not None


@functools.lru_cache(maxsize=1024)
def _parse_rule(text: str, start: dt.date, finish: dt.date | None) -> rrule:
    # dateutil is imported here so that `import pmcore` stays light.
    from dateutil.rrule import rrule as rrule_type
    from dateutil.rrule import rrulestr

    # cache=True: the rule keeps the occurrences it has found. A timeline grows a chunk of
    # days at a time and each chunk asks for the occurrences in its range, which without the
    # cache dateutil would search again from the first occurrence on.
    rule = rrulestr(text, dtstart=dt.datetime.combine(start, dt.time()), cache=True)
    if not isinstance(rule, rrule_type):
        raise ValueError("expected a single RRULE")
    bounded = any(part in text.upper() for part in ("COUNT=", "UNTIL="))
    if finish is not None and not bounded:  # COUNT or UNTIL in the rule win over finish
        rule = rule.replace(until=dt.datetime.combine(finish, dt.time()))
    return rule




def _to_periods(value: Iterable[WorkWeekPeriod | Mapping[str, Any]]) -> tuple[WorkWeekPeriod, ...]:
    return tuple(v if isinstance(v, WorkWeekPeriod) else WorkWeekPeriod(**v) for v in value)


def _to_exceptions(
    value: Iterable[CalendarException | Mapping[str, Any]],
) -> tuple[CalendarException, ...]:
    return tuple(v if isinstance(v, CalendarException) else CalendarException(**v) for v in value)


@attrs.define(kw_only=True)
class Calendar(Entity):
    """A working-time calendar.

    >>> ops = Calendar(id="ops", name="Operations", week=WorkWeek.twenty_four_hours())
    >>> ops.add_holiday("New Year", "2027-01-01", recurrence="FREQ=YEARLY")
    CalendarException(name='New Year', ...)

    ``base`` is the id of the calendar this one derives from; a calendar without a base must
    define every weekday.
    """

    base: str | None = None
    week: WorkWeek = attrs.field(converter=_to_week)
    work_weeks: tuple[WorkWeekPeriod, ...] = attrs.field(
        default=(), converter=_to_periods)
    exceptions: tuple[CalendarException, ...] = attrs.field(
        default=(), converter=_to_exceptions)

    @week.default
    def _default_week(self) -> WorkWeek:
        return WorkWeek.inherited() if self.base is not None else WorkWeek.standard()

    def __attrs_post_init__(self) -> None:
        if self.base is not None:
            check_id("calendar", "base", self.base)
            if self.base == self.id:
                raise CycleError((self.id, self.id), kind="calendar base",
                                 entity=f"calendar {self.id!r}")
        elif not self.week.is_complete:
            raise ValidationError(
                "a calendar without a base must define every weekday (use [] for days off)",
                entity=f"calendar {self.id!r}", field="week")

    @classmethod
    def standard(cls, id: str = "standard", name: str = "Standard") -> Calendar:
        """Microsoft Project's Standard calendar: Monday-Friday, 8-12 and 13-17."""
        return cls(id=id, name=name, week=WorkWeek.standard())

    @classmethod
    def twenty_four_hours(cls, id: str = "24-hours", name: str = "24 Hours") -> Calendar:
        """Microsoft Project's 24 Hours calendar."""
        return cls(id=id, name=name, week=WorkWeek.twenty_four_hours())

    @classmethod
    def night_shift(cls, id: str = "night-shift", name: str = "Night Shift") -> Calendar:
        """Microsoft Project's Night Shift calendar."""
        return cls(id=id, name=name, week=WorkWeek.night_shift())

    def add_exception(
        self,
        name: str,
        start: dt.date | str,
        finish: dt.date | str | None = None,
        *,
        recurrence: str | None = None,
        working_times: Iterable[str | WorkingTime] = (),
    ) -> CalendarException:
        """Add an exception; with no ``working_times`` the days are non-working."""
        exception = CalendarException(name=name, start=start, finish=finish,
                                      recurrence=recurrence, working_times=working_times)
        self.exceptions = (*self.exceptions, exception)
        return exception

    def add_holiday(
        self, name: str, day: dt.date | str, *, recurrence: str | None = None,
        until: dt.date | str | None = None,
    ) -> CalendarException:
        """Add a non-working day, optionally recurring (``recurrence="FREQ=YEARLY"``)."""
        return self.add_exception(name, day, until, recurrence=recurrence)

    def add_work_week(self, name: str, start: dt.date | str, finish: dt.date | str,
                      week: WorkWeek | Mapping[Any, Any]) -> WorkWeekPeriod:
        """Add an alternate work week in force between two dates (inclusive)."""
        period = WorkWeekPeriod(name=name, start=start, finish=finish, week=week)
        self.work_weeks = (*self.work_weeks, period)
        return period

    def own_working_times(self, day: dt.date) -> tuple[WorkingTime, ...] | None:
        """The day's working times by this calendar alone; ``None`` defers to the base."""
        times = self._exception_times(day)
        return times if times is not None else self._week_times(day)

    def _exception_times(self, day: dt.date) -> tuple[WorkingTime, ...] | None:
        for exception in self.exceptions:
            if exception.covers(day):
                return exception.working_times
        return None

    def _week_times(self, day: dt.date) -> tuple[WorkingTime, ...] | None:
        weekday = day.weekday()
        for period in self.work_weeks:
            if period.start <= day <= period.finish:
                times = period.week.working_times(weekday)
                if times is not None or self.base is not None:
                    return times  # a derived calendar's alternate week defers to the base
                break  # a base calendar's alternate week leaves the day as its default week
        return self.week.working_times(weekday)


@attrs.frozen
class EffectiveCalendar:
    """A calendar together with its chain of base calendars, answering for any day.

    Build one with :meth:`pmcore.Project.effective_calendar`.
    """

    chain: tuple[Calendar, ...]

    @classmethod
    def resolve(cls, calendar_id: str, calendars: Mapping[str, Calendar], *,
                referrer: str | None = None, field: str | None = None) -> EffectiveCalendar:
        """Follow ``base`` links from ``calendar_id``; raises on an unknown id or a loop."""
        chain: list[Calendar] = []
        seen: list[str] = []
        current: str | None = calendar_id
        while current is not None:
            if current in seen:
                loop = [*seen[seen.index(current):], current]
                raise CycleError(loop, kind="calendar base", entity=f"calendar {current!r}")
            calendar = calendars.get(current)
            if calendar is None:
                if seen:  # the missing id is the base of the last calendar found
                    raise UnknownReferenceError(current, kind="calendar",
                                                entity=f"calendar {seen[-1]!r}", field="base")
                raise UnknownReferenceError(current, kind="calendar", entity=referrer,
                                            field=field)
            seen.append(current)
            chain.append(calendar)
            current = calendar.base
        return cls(tuple(chain))

    @property
    def calendar(self) -> Calendar:
        """The calendar itself (the first of the chain)."""
        return self.chain[0]

    def working_times(self, day: dt.date) -> tuple[WorkingTime, ...]:
        """The working times on ``day``."""
        for calendar in self.chain:  # exceptions first, down the whole chain, as MS Project
            times = calendar._exception_times(day)
            if times is not None:
                return times
        for calendar in self.chain:
            times = calendar._week_times(day)
            if times is not None:
                return times
        return ()  # a derived calendar whose root leaves the day open; roots cannot

    def working_times_between(self, first: dt.date, last: dt.date,
                              ) -> list[tuple[WorkingTime, ...]]:
        """The working times of every day from ``first`` to ``last`` (inclusive), in order.

        Gives what :meth:`working_times` gives day by day, but expands each recurring
        exception once for the whole range instead of once per day.
        """
        count = (last - first).days + 1
        if count <= 0:
            return []
        exception_times: dict[int, tuple[WorkingTime, ...]] = {}  # day index -> its times
        for calendar in reversed(self.chain):  # nearer calendars overwrite their bases
            found: dict[int, tuple[WorkingTime, ...]] = {}
            for exception in reversed(calendar.exceptions):  # the first listed wins
                for day in exception.occurrences(first, last):
                    found[(day - first).days] = exception.working_times
            exception_times.update(found)
        # Without alternate work weeks in the chain, a day's times depend on its weekday only:
        # the week repeated, then the exception days over it.
        if not any(c.work_weeks for c in self.chain):
            weekly = [next((t for c in self.chain if (t := c.week.working_times(w)) is not None),
                           ()) for w in range(7)]
            weekday = first.weekday()
            result = ((weekly[weekday:] + weekly[:weekday]) * (count // 7 + 1))[:count]
        else:
            result = [next((t for c in self.chain if (t := c._week_times(day)) is not None), ())
                      for day in (first + dt.timedelta(days=k) for k in range(count))]
        for index, times in exception_times.items():
            result[index] = times
        return result

    def working_minutes(self, day: dt.date) -> int:
        """Minutes of working time on ``day``."""
        return sum(w.minutes for w in self.working_times(day))

    def working_minutes_between(self, start: dt.datetime, finish: dt.datetime) -> int:
        """Working minutes from ``start`` to ``finish`` (zero when ``finish <= start``)."""
        total = 0
        day = start.date()
        while day <= finish.date():
            day_start = dt.datetime.combine(day, dt.time())
            lower = (start - day_start) // dt.timedelta(minutes=1) if day == start.date() else 0
            upper = (finish - day_start) // dt.timedelta(minutes=1) \
                if day == finish.date() else 1440
            for span in self.working_times(day):
                total += max(0, min(span.end, upper) - max(span.start, lower))
            day += dt.timedelta(days=1)
        return total

    def is_working_day(self, day: dt.date) -> bool:
        """True when ``day`` has any working time."""
        return bool(self.working_times(day))

    def has_working_time(self) -> bool:
        """True when some day has working time.

        A calendar whose weeks are all empty may still work on exception days; exceptions with
        working time count.
        """
        for calendar in self.chain:
            if any(e.working_times for e in calendar.exceptions):
                return True
            if any(p.week.days[d] for p in calendar.work_weeks for d in range(7)):
                return True
        return any(self._default_times(weekday) for weekday in range(7))

    def _default_times(self, weekday: int) -> tuple[WorkingTime, ...]:
        for calendar in self.chain:
            times = calendar.week.working_times(weekday)
            if times is not None:
                return times
        return ()
