"""Scrum: a ranked product backlog, sprints, team capacity, velocity, burndown and burnup, and
release forecasts by Monte Carlo over past velocities.

* :class:`Backlog` holds :class:`BacklogItem` s (stories, bugs, spikes) with story points, a
  rank (lower is more important) and an epic; an item records the sprint it was taken into and
  the day it was done.
* :class:`Team` members work on pmcore calendars (holidays, part-time days as calendar
  exceptions or work weeks), at ``units`` (0.5 for half time, with dated availability periods
  as a resource has) and a ``focus_factor`` (the share of their working time left for sprint
  work). :meth:`Team.capacity` adds up the hours of a sprint.
* :func:`plan_sprint` fills a sprint by rank up to a capacity in points;
  :meth:`SprintCapacity.points` scales the average velocity by the sprint's hours against a
  reference sprint's ("a week of holidays, a fifth fewer points").
* :func:`velocity` summarises the last sprints; :func:`burndown` and :func:`release_burnup`
  give chart data; :func:`forecast_release` answers "with 85 % confidence, the backlog up to
  item X is done by sprint N, date D".
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from pmcore.errors import FormatError, UnknownReferenceError, ValidationError
from pmcore.methodology.forecast import (
    DEFAULT_TRIALS,
    HowManyForecast,
    WhenForecast,
    forecast_how_many,
    forecast_when,
)
from pmcore.model.base import to_date
from pmcore.model.calendar import Calendar, EffectiveCalendar
from pmcore.model.resource import Availability

if TYPE_CHECKING:
    from pmcore.model import Project, Resource

__all__ = [
    "Backlog",
    "BacklogItem",
    "Burndown",
    "Burnup",
    "Cadence",
    "ItemKind",
    "ReleaseForecast",
    "Sprint",
    "SprintCapacity",
    "SprintPlan",
    "Team",
    "TeamMember",
    "Velocity",
    "burndown",
    "forecast_points",
    "forecast_release",
    "plan_sprint",
    "read_sprints",
    "release_burnup",
    "velocity",
]


class ItemKind(enum.Enum):
    """The kinds of product backlog item."""

    STORY = "story"
    BUG = "bug"
    SPIKE = "spike"


def _to_kind(value: Any) -> ItemKind:
    if isinstance(value, ItemKind):
        return value
    try:
        return ItemKind(str(value).lower())
    except ValueError:
        raise ValidationError(f"must be story, bug or spike, got {value!r}",
                              entity="backlog item", field="kind") from None


def _optional_date(value: Any) -> dt.date | None:
    return None if value is None else to_date(value)


def _text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        raise ValidationError(f"must be text, got {value!r}", entity=_label(instance),
                              field=attribute.name)


def _name(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"must be a non-empty text, got {value!r}",
                              entity=type(instance).__name__, field=attribute.name)


def _label(instance: Any) -> str:
    """How messages name ``instance``: its ``label``, or the text itself, or its class."""
    if isinstance(instance, str):
        return instance
    label: str = getattr(instance, "label", type(instance).__name__)
    return label


def _number(instance: Any, name: str, value: Any, *, low: float = 0.0,
            high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value):
        raise ValidationError(f"must be a number, got {value!r}", entity=_label(instance),
                              field=name)
    if not low <= value <= high:
        bounds = f"at least {low:g}" if high == math.inf else f"from {low:g} to {high:g}"
        raise ValidationError(f"must be {bounds}, got {value!r}", entity=_label(instance),
                              field=name)
    return float(value)


def _optional_number(instance: Any, name: str, value: Any) -> float | None:
    return None if value is None else _number(instance, name, value)


@attrs.frozen(kw_only=True)
class BacklogItem:
    """A product backlog item.

    Attributes:
        id: unique within the backlog.
        title: a short description.
        kind: story, bug or spike.
        points: the estimate in story points (``None`` while unestimated); never negative.
        rank: the order of the backlog, lower first; items with equal ranks keep their order.
        epic: the epic it belongs to ("" for none).
        added: the day it entered the backlog (``None``: from the start); for release burnup.
        sprint: the name of the sprint it was taken into, if any.
        done: the day it was done, if it is.
    """

    id: str = attrs.field(validator=_name)
    title: str = attrs.field(default="", validator=_text)
    kind: ItemKind = attrs.field(default=ItemKind.STORY, converter=_to_kind)
    points: float | None = None
    rank: int = 0
    epic: str = attrs.field(default="", validator=_text)
    added: dt.date | None = attrs.field(default=None, converter=_optional_date)
    sprint: str | None = None
    done: dt.date | None = attrs.field(default=None, converter=_optional_date)

    def __attrs_post_init__(self) -> None:
        points = _optional_number(self, "points", self.points)
        object.__setattr__(self, "points", points)
        if isinstance(self.rank, bool) or not isinstance(self.rank, int):
            raise ValidationError(f"must be a whole number, got {self.rank!r}",
                                  entity=_label(self), field="rank")
        if self.added is not None and self.done is not None and self.done < self.added:
            raise ValidationError(f"done {self.done} is before it was added {self.added}",
                                  entity=_label(self), field="done")

    @property
    def label(self) -> str:
        """How messages name it: ``backlog item 'S-1'``."""
        return f"backlog item {self.id!r}"


def _to_items(value: Iterable[BacklogItem | Mapping[str, Any]]) -> tuple[BacklogItem, ...]:
    items = [v if isinstance(v, BacklogItem) else BacklogItem(**v) for v in value]
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValidationError("appears twice in the backlog", entity=_label(item),
                                  field="id")
        seen.add(item.id)
    return tuple(sorted(items, key=lambda i: i.rank))  # stable: equal ranks keep their order


@attrs.frozen
class Backlog:
    """A product backlog, kept in rank order.

    >>> backlog = Backlog([BacklogItem(id="S-2", points=5, rank=2),
    ...                    BacklogItem(id="S-1", points=3, rank=1)])
    >>> [i.id for i in backlog], backlog.points_to("S-2")
    (['S-1', 'S-2'], 8.0)
    """

    items: tuple[BacklogItem, ...] = attrs.field(converter=_to_items)

    def __iter__(self) -> Iterator[BacklogItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def item(self, item_id: str) -> BacklogItem:
        """The item with id ``item_id``."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise UnknownReferenceError(item_id, kind="backlog item", entity="backlog")

    def open_items(self, up_to: str | None = None) -> tuple[BacklogItem, ...]:
        """Items not done, in rank order, up to and including ``up_to`` (default: all)."""
        if up_to is not None:
            self.item(up_to)
        result = []
        for item in self.items:
            if item.done is None:
                result.append(item)
            if item.id == up_to:
                break
        return tuple(result)

    def points_to(self, up_to: str | None = None) -> float:
        """Story points not yet done, up to and including ``up_to``.

        Raises:
            ValidationError: an item on the way is unestimated (naming it).
        """
        total = 0.0
        for item in self.open_items(up_to):
            if item.points is None:
                raise ValidationError("is not estimated; estimate it before forecasting",
                                      entity=_label(item), field="points")
            total += item.points
        return total

    def in_sprint(self, sprint: Sprint | str) -> tuple[BacklogItem, ...]:
        """The items taken into ``sprint``."""
        name = sprint.name if isinstance(sprint, Sprint) else sprint
        return tuple(i for i in self.items if i.sprint == name)

    def to_records(self) -> list[dict[str, Any]]:
        """One record per item, in rank order."""
        return [{**attrs.asdict(i), "kind": i.kind.value} for i in self.items]


@attrs.frozen(kw_only=True)
class Sprint:
    """A time-boxed sprint from ``start`` to ``end`` (both days included).

    ``completed_points`` is the velocity once the sprint is over; when it is ``None``,
    :func:`velocity` adds up the points of the backlog items done in the sprint instead.
    """

    name: str = attrs.field(validator=_name)
    start: dt.date = attrs.field(converter=to_date)
    end: dt.date = attrs.field(converter=to_date)
    goal: str = attrs.field(default="", validator=_text)
    completed_points: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(f"ends on {self.end}, before it starts on {self.start}",
                                  entity=_label(self), field="end")
        object.__setattr__(self, "completed_points", _optional_number(
            self, "completed_points", self.completed_points))

    @property
    def label(self) -> str:
        """How messages name it: ``sprint 'Sprint 1'``."""
        return f"sprint {self.name!r}"

    @property
    def days(self) -> int:
        """Its length in calendar days."""
        return (self.end - self.start).days + 1

    def dates(self) -> list[dt.date]:
        """Every day of the sprint."""
        return [self.start + dt.timedelta(days=k) for k in range(self.days)]


def _to_calendar(value: Any) -> EffectiveCalendar:
    if isinstance(value, EffectiveCalendar):
        return value
    if isinstance(value, Calendar):
        if value.base is not None:
            raise ValidationError(
                f"calendar {value.id!r} derives from {value.base!r}: pass "
                "project.effective_calendar(...) so its base is known",
                entity="team member", field="calendar")
        return EffectiveCalendar((value,))
    raise ValidationError(f"expected a Calendar, got {value!r}", entity="team member",
                          field="calendar")


def _to_availability(value: Any) -> tuple[Availability, ...]:
    return tuple(v if isinstance(v, Availability) else Availability(**v) for v in value)


@attrs.frozen(kw_only=True)
class TeamMember:
    """A person on the team, with the time they can give to sprint work.

    Attributes:
        name: unique within the team.
        calendar: their working time: holidays and part-time days as calendar exceptions
            and work weeks (the Standard calendar by default).
        units: the share of their working time on this team (0.5: half time), unless an
            ``availability`` period covers the day.
        availability: dated units, as a resource's (on leave from ... to ...: units 0).
        focus_factor: the share of their team time left for sprint work after meetings,
            support and interruptions (0.7 is common).
    """

    name: str = attrs.field(validator=_name)
    calendar: EffectiveCalendar = attrs.field(
        factory=lambda: EffectiveCalendar((Calendar.standard(),)), converter=_to_calendar)
    units: float = 1.0
    availability: tuple[Availability, ...] = attrs.field(default=(),
                                                         converter=_to_availability)
    focus_factor: float = 1.0

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "units", _number(self, "units", self.units))
        object.__setattr__(self, "focus_factor", _number(self, "focus_factor",
                                                         self.focus_factor, high=1.0))

    @property
    def label(self) -> str:
        """How messages name them: ``team member 'Ann'``."""
        return f"team member {self.name!r}"

    @classmethod
    def from_resource(cls, project: Project, resource: Resource | str, *,
                      focus_factor: float = 1.0) -> TeamMember:
        """A member from a project's work resource: its calendar, max units and availability.

        Args:
            project: the :class:`pmcore.Project` the resource belongs to.
            resource: the resource or its id.
            focus_factor: the share of their time left for sprint work.
        """
        found = project.resource(resource)
        return cls(name=found.name, calendar=project.resource_calendar(found),
                   units=found.max_units, availability=found.availability,
                   focus_factor=focus_factor)

    def units_on(self, day: dt.date) -> float:
        """Units on ``day``: the availability period covering it, else :attr:`units`."""
        for period in self.availability:
            if period.covers(day):
                return period.units
        return self.units

    def daily_hours(self, first: dt.date, last: dt.date) -> list[float]:
        """Hours of sprint work on each day from ``first`` to ``last`` (inclusive)."""
        days = self.calendar.working_times_between(first, last)
        return [_hours(sum(w.minutes for w in times) * self.units_on(first + dt.timedelta(k))
                       * self.focus_factor) for k, times in enumerate(days)]

    def hours(self, first: dt.date, last: dt.date) -> float:
        """Hours of sprint work from ``first`` to ``last`` (inclusive)."""
        days = self.calendar.working_times_between(first, last)
        return _hours(sum(sum(w.minutes for w in times) * self.units_on(first + dt.timedelta(k))
                          for k, times in enumerate(days)) * self.focus_factor)


def _hours(minutes: float) -> float:
    # Units and focus factors are decimal fractions (0.8) that binary floats only approximate;
    # rounding to a millionth of an hour gives 64.0, not 63.99999999999999, for 80 h at 0.8.
    return round(minutes / 60, 6)


@attrs.frozen(kw_only=True)
class SprintCapacity:
    """The hours a team can give to one sprint.

    Attributes:
        sprint: the sprint.
        members: ``(name, hours)`` per member.
    """

    sprint: Sprint
    members: tuple[tuple[str, float], ...]

    @property
    def hours(self) -> float:
        """The team's hours of sprint work."""
        return sum(h for _, h in self.members)

    def points(self, velocity: Velocity | float, reference: SprintCapacity | float) -> float:
        """The points to plan: the average velocity scaled by this sprint's hours.

        Args:
            velocity: the team's velocity (its average is used) or a number of points.
            reference: the hours of a sprint that delivered that velocity (a typical, full
                sprint), or its :class:`SprintCapacity`.
        """
        average = velocity.average if isinstance(velocity, Velocity) else float(velocity)
        base = reference.hours if isinstance(reference, SprintCapacity) else float(reference)
        if base <= 0:
            raise ValidationError("a reference sprint needs some hours", entity="capacity",
                                  field="reference")
        return average * self.hours / base

    def to_records(self) -> list[dict[str, Any]]:
        """One record per member: ``sprint``, ``member``, ``hours``."""
        return [{"sprint": self.sprint.name, "member": n, "hours": h} for n, h in self.members]


def _to_members(value: Iterable[TeamMember]) -> tuple[TeamMember, ...]:
    members = tuple(value)
    names = [m.name for m in members]
    for name in names:
        if names.count(name) > 1:
            raise ValidationError("appears twice in the team", entity=f"team member {name!r}",
                                  field="name")
    return members


@attrs.frozen(kw_only=True)
class Team:
    """A Scrum team: its members and their availability."""

    name: str = attrs.field(validator=_name)
    members: tuple[TeamMember, ...] = attrs.field(converter=_to_members)

    def capacity(self, sprint: Sprint) -> SprintCapacity:
        """Each member's hours of sprint work over the sprint's days."""
        return SprintCapacity(sprint=sprint, members=tuple(
            (m.name, m.hours(sprint.start, sprint.end)) for m in self.members))


# ------------------------------------------------------------------------- planning


@attrs.frozen(kw_only=True)
class SprintPlan:
    """The items :func:`plan_sprint` took into a sprint.

    Attributes:
        sprint: the sprint planned.
        capacity: the points available.
        items: the items taken, in rank order.
        stopped_at: the first item that did not fit (or was unestimated), where planning by
            strict rank stopped; ``None`` when the backlog ran out first.
        skipped: with ``fill=True``, the items passed over because they did not fit.
    """

    sprint: Sprint
    capacity: float
    items: tuple[BacklogItem, ...]
    stopped_at: str | None
    skipped: tuple[str, ...] = ()

    @property
    def points(self) -> float:
        """Points planned."""
        return sum(i.points or 0.0 for i in self.items)

    def apply(self, backlog: Backlog) -> Backlog:
        """The backlog with the planned items marked as taken into the sprint."""
        taken = {i.id for i in self.items}
        return Backlog([attrs.evolve(i, sprint=self.sprint.name) if i.id in taken else i
                        for i in backlog])

    def to_records(self) -> list[dict[str, Any]]:
        """One record per planned item: ``sprint``, ``id``, ``title``, ``points``, ``rank``."""
        return [{"sprint": self.sprint.name, "id": i.id, "title": i.title, "points": i.points,
                 "rank": i.rank} for i in self.items]


def plan_sprint(backlog: Backlog, sprint: Sprint, capacity: float, *,
                fill: bool = False) -> SprintPlan:
    """Fill ``sprint`` with open, unplanned backlog items by rank, up to ``capacity`` points.

    By default planning follows the rank strictly and stops at the first item that does not
    fit (or is unestimated): the product owner's order is kept. With ``fill=True`` it passes
    over items that are too big and keeps filling with lower-ranked ones that fit; an
    unestimated item still stops it.
    """
    room = _number(sprint, "capacity", capacity)
    taken: list[BacklogItem] = []
    skipped: list[str] = []
    stopped: str | None = None
    used = 0.0
    for item in backlog:
        if item.done is not None or item.sprint is not None:
            continue
        if item.points is None:
            stopped = item.id
            break
        if used + item.points > room + 1e-9:
            if not fill:
                stopped = item.id
                break
            skipped.append(item.id)
            continue
        taken.append(item)
        used += item.points
    if fill and stopped is None and skipped:
        stopped = skipped[0]
    return SprintPlan(sprint=sprint, capacity=room, items=tuple(taken), stopped_at=stopped,
                      skipped=tuple(skipped))


# ------------------------------------------------------------------------- metrics


def _completed(sprint: Sprint, backlog: Backlog | None) -> float:
    if sprint.completed_points is not None:
        return sprint.completed_points
    if backlog is None:
        raise ValidationError("has no completed_points and no backlog was given to count them",
                              entity=_label(sprint), field="completed_points")
    return sum(i.points or 0.0 for i in backlog.in_sprint(sprint)
               if i.done is not None and i.done <= sprint.end)


@attrs.frozen(kw_only=True, repr=False)
class Velocity:
    """Points completed in each of the last sprints, with their average and range."""

    sprints: tuple[str, ...]
    values: tuple[float, ...]

    @property
    def average(self) -> float:
        """The mean of :attr:`values`."""
        return sum(self.values) / len(self.values)

    @property
    def minimum(self) -> float:
        """The lowest velocity."""
        return min(self.values)

    @property
    def maximum(self) -> float:
        """The highest velocity."""
        return max(self.values)

    def to_records(self) -> list[dict[str, Any]]:
        """One record per sprint: ``sprint``, ``points``."""
        return [{"sprint": s, "points": v} for s, v in zip(self.sprints, self.values,
                                                           strict=True)]

    def __repr__(self) -> str:
        return (f"Velocity(sprints={len(self.values)}, average={self.average:g}, "
                f"range={self.minimum:g}-{self.maximum:g})")


def velocity(sprints: Sequence[Sprint], *, last: int | None = 3,
             backlog: Backlog | None = None) -> Velocity:
    """The velocity of the ``last`` sprints that ended (all of them with ``last=None``).

    Sprints are taken in order of their end date; a sprint's points are its
    ``completed_points``, else those of the ``backlog`` items done in it.
    """
    if last is not None and (isinstance(last, bool) or not isinstance(last, int) or last < 1):
        raise ValidationError(f"must be a whole number >= 1, got {last!r}", entity="velocity",
                              field="last")
    ordered = sorted(sprints, key=lambda s: s.end)
    chosen = ordered if last is None else ordered[-last:]
    if not chosen:
        raise ValidationError("needs at least one finished sprint", entity="velocity",
                              field="sprints")
    return Velocity(sprints=tuple(s.name for s in chosen),
                    values=tuple(_completed(s, backlog) for s in chosen))


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Burndown:
    """A sprint burndown: ideal and remaining points at the end of each day.

    Attributes:
        sprint: the sprint.
        total: the points taken into the sprint.
        days: every day of the sprint.
        ideal: remaining points on a straight line over the working days, flat on days off.
        remaining: points not yet done at the end of each day (``nan`` after ``as_of``).
    """

    sprint: Sprint
    total: float
    days: tuple[dt.date, ...]
    ideal: npt.NDArray[np.float64]
    remaining: npt.NDArray[np.float64]

    def to_records(self) -> list[dict[str, Any]]:
        """One record per day: ``date``, ``ideal``, ``remaining`` (``None`` if not known)."""
        return [{"date": d, "ideal": float(i), "remaining": None if math.isnan(r) else float(r)}
                for d, i, r in zip(self.days, self.ideal, self.remaining, strict=True)]

    def __repr__(self) -> str:
        return f"Burndown(sprint={self.sprint.name!r}, total={self.total:g}, days={len(self.days)})"


def burndown(sprint: Sprint, backlog: Backlog, *,
             calendar: Calendar | EffectiveCalendar | None = None,
             as_of: dt.date | str | None = None) -> Burndown:
    """Burndown data of ``sprint`` from the backlog items taken into it.

    Args:
        sprint: the sprint.
        backlog: the backlog; the sprint's items are those whose ``sprint`` names it.
        calendar: the team's working days, over which the ideal line falls evenly (Monday to
            Friday by default); on days off it stays flat.
        as_of: the last day whose remaining points are known (the sprint's end by default).

    Raises:
        ValidationError: an item of the sprint is unestimated (naming it), or the calendar
            has no working day in the sprint.
    """
    items = backlog.in_sprint(sprint)
    for item in items:
        if item.points is None:
            raise ValidationError(f"is in sprint {sprint.name!r} but not estimated",
                                  entity=_label(item), field="points")
    total = float(sum(i.points or 0.0 for i in items))
    days = sprint.dates()
    effective = _to_calendar(calendar if calendar is not None else Calendar.standard())
    working = np.array([bool(t) for t in effective.working_times_between(sprint.start,
                                                                         sprint.end)])
    if not working.any():
        raise ValidationError("the calendar has no working day in the sprint",
                              entity=_label(sprint), field="calendar")
    working_days = int(working.sum())
    ideal = total * (working_days - np.cumsum(working)) / working_days
    known = sprint.end if as_of is None else to_date(as_of)
    done_by = np.zeros(len(days))
    for item in items:
        if item.done is not None:
            offset = max(0, (item.done - sprint.start).days)
            if offset < len(days):
                done_by[offset] += item.points or 0.0
    remaining = total - np.cumsum(done_by)
    remaining[np.array([d > known for d in days], dtype=bool)] = np.nan
    ideal.setflags(write=False)
    remaining.setflags(write=False)
    return Burndown(sprint=sprint, total=total, days=tuple(days), ideal=ideal,
                    remaining=remaining)


@attrs.frozen(kw_only=True)
class Burnup:
    """Release burnup: the scope and the points done at the end of each sprint.

    Attributes:
        sprints: sprint names, by end date.
        ends: each sprint's last day.
        scope: points in the backlog by then (items added on or before the end).
        done: points done by then.
    """

    sprints: tuple[str, ...]
    ends: tuple[dt.date, ...]
    scope: tuple[float, ...]
    done: tuple[float, ...]

    def to_records(self) -> list[dict[str, Any]]:
        """One record per sprint: ``sprint``, ``end``, ``scope``, ``done``."""
        return [{"sprint": s, "end": e, "scope": c, "done": d}
                for s, e, c, d in zip(self.sprints, self.ends, self.scope, self.done,
                                      strict=True)]


def release_burnup(sprints: Sequence[Sprint], backlog: Backlog) -> Burnup:
    """Scope and done points at the end of each sprint, for a release burnup chart.

    Unestimated items count 0 until they are estimated.
    """
    ordered = sorted(sprints, key=lambda s: s.end)
    scope, done = [], []
    for sprint in ordered:
        scope.append(sum(i.points or 0.0 for i in backlog
                         if i.added is None or i.added <= sprint.end))
        done.append(sum(i.points or 0.0 for i in backlog
                        if i.done is not None and i.done <= sprint.end))
    return Burnup(sprints=tuple(s.name for s in ordered), ends=tuple(s.end for s in ordered),
                  scope=tuple(scope), done=tuple(done))


# ------------------------------------------------------------------------- forecasting


@attrs.frozen(kw_only=True)
class Cadence:
    """When the next sprints run: every ``every_days`` days from ``start``, ``length_days``
    long (a two-week sprint from Monday to Friday: every 14 days, 12 days long)."""

    start: dt.date
    every_days: int
    length_days: int

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.length_days <= self.every_days:
            raise ValidationError(f"sprints of {self.length_days} days cannot start every "
                                  f"{self.every_days} days", entity="cadence",
                                  field="length_days")

    @classmethod
    def after(cls, sprints: Sequence[Sprint], *, start: dt.date | str | None = None,
              every_days: int | None = None) -> Cadence:
        """The cadence that continues ``sprints``: as often as the last two started (else
        right after one another), as long as the last one, from the next start."""
        if not sprints:
            raise ValidationError("needs at least one past sprint", entity="cadence",
                                  field="sprints")
        ordered = sorted(sprints, key=lambda s: s.start)
        final = ordered[-1]
        if every_days is None:
            every_days = (final.start - ordered[-2].start).days if len(ordered) > 1 \
                else final.days
            every_days = max(every_days, final.days)
        first = final.start + dt.timedelta(days=every_days) if start is None else to_date(start)
        return cls(start=first, every_days=every_days, length_days=final.days)

    def end_of(self, number: int) -> dt.date:
        """The last day of the ``number``-th sprint from :attr:`start` (1 is the first)."""
        return self.start + dt.timedelta(days=(number - 1) * self.every_days
                                         + self.length_days - 1)

    def sprints_ending_by(self, day: dt.date) -> int:
        """How many of the sprints end on or before ``day``."""
        return max(0, ((day - self.start).days - self.length_days + 1) // self.every_days + 1)


@attrs.frozen(kw_only=True, repr=False)
class ReleaseForecast:
    """When the backlog up to an item will be done, by Monte Carlo over past velocities.

    Attributes:
        up_to: the last item included (``None``: the whole backlog, or a number of points).
        points: the open points up to it.
        sprints_so_far: sprints already run; the first forecast sprint is number
            ``sprints_so_far + 1``.
        cadence: when the coming sprints run.
        forecast: the simulation; its periods are sprints.
    """

    up_to: str | None
    points: float
    sprints_so_far: int
    cadence: Cadence
    forecast: WhenForecast

    def sprints(self, confidence: float = 85) -> int:
        """Sprints still needed with ``confidence`` %."""
        return self.forecast.percentile(confidence)

    def sprint_number(self, confidence: float = 85) -> int:
        """The number of the sprint by whose end it is done, counting the past sprints."""
        return self.sprints_so_far + self.sprints(confidence)

    def date(self, confidence: float = 85) -> dt.date:
        """The last day of that sprint."""
        return self.cadence.end_of(self.sprints(confidence))

    def sentence(self, confidence: float = 85) -> str:
        """The forecast in words."""
        what = f"the backlog up to {self.up_to}" if self.up_to else "the backlog"
        return (f"With {confidence:g}% confidence {what} ({self.points:g} points) is done by "
                f"sprint {self.sprint_number(confidence)}, ending {self.date(confidence)}.")

    def to_records(self, confidences: Iterable[float] = (50, 70, 85, 95)) -> list[dict[str, Any]]:
        """One record per confidence: ``confidence``, ``sprints``, ``sprint``, ``date``."""
        return [{"confidence": c, "sprints": self.sprints(c), "sprint": self.sprint_number(c),
                 "date": self.date(c)} for c in confidences]

    def __repr__(self) -> str:
        return (f"ReleaseForecast(up_to={self.up_to!r}, points={self.points:g}, "
                f"sprint85={self.sprint_number(85)}, date85={self.date(85)})")


def forecast_release(backlog: Backlog | float, sprints: Sequence[Sprint], *,
                     up_to: str | None = None, last: int | None = None,
                     start: dt.date | str | None = None, every_days: int | None = None,
                     trials: int = DEFAULT_TRIALS, seed: int | None = None) -> ReleaseForecast:
    """Forecast the sprint and date by which the backlog up to ``up_to`` is done.

    Each simulated sprint's velocity is drawn from the past sprints' (the ``last`` ones, or
    all). The coming sprints continue the past ones' cadence (:meth:`Cadence.after`): they
    start as often as the last two did (or every ``every_days``), from the next start (or
    ``start``), and last as long as the last one.

    Args:
        backlog: the backlog, or the number of points left.
        sprints: the past sprints, with their completed points (or the backlog's items).
        up_to: the last item to include (default: the whole backlog).

    Raises:
        ValidationError: no past sprint, an unestimated open item up to ``up_to``.
        UnknownReferenceError: ``up_to`` is not in the backlog.
    """
    items = backlog if isinstance(backlog, Backlog) else None
    history = velocity(sprints, last=last, backlog=items)
    if items is not None:
        points = items.points_to(up_to)
    else:
        points = _number("release forecast", "points", backlog)
    cadence = Cadence.after(sprints, start=start, every_days=every_days)
    simulation = forecast_when(list(history.values), points, start=cadence.start,
                               period_days=cadence.every_days, trials=trials, seed=seed)
    return ReleaseForecast(up_to=up_to, points=points, sprints_so_far=len(sprints),
                           cadence=cadence, forecast=simulation)


def forecast_points(sprints: Sequence[Sprint], until: dt.date | str, *,
                    last: int | None = None, start: dt.date | str | None = None,
                    every_days: int | None = None, trials: int = DEFAULT_TRIALS,
                    seed: int | None = None) -> HowManyForecast:
    """Forecast the points done in the coming sprints that end on or before ``until``.

    The sprints continue the past ones' cadence, as in :func:`forecast_release`; read the
    result with ``percentile(85)``: the points reached or beaten in 85 % of the trials.
    """
    history = velocity(sprints, last=last)
    cadence = Cadence.after(sprints, start=start, every_days=every_days)
    count = cadence.sprints_ending_by(to_date(until))
    counted_to = cadence.start + dt.timedelta(days=count * cadence.every_days - 1)
    result = forecast_how_many(list(history.values), start=cadence.start,
                               until=max(counted_to, cadence.start),
                               period_days=cadence.every_days, trials=trials, seed=seed)
    if count == 0:  # no sprint ends in time: nothing is delivered
        result = attrs.evolve(result, periods=0, counts=_zeros_like(result.counts))
    return attrs.evolve(result, until=to_date(until))


def _zeros_like(counts: npt.NDArray[Any]) -> npt.NDArray[Any]:
    zeros = np.zeros_like(counts)
    zeros.setflags(write=False)
    return zeros


# ------------------------------------------------------------------------- input


def read_sprints(source: str | os.PathLike[str] | IO[str]) -> tuple[Sprint, ...]:
    """Read past sprints from JSON: ``{"sprints": [{"name", "start", "end", "points"}, ...]}``.

    ``points`` (or ``completed_points``) is the velocity of the sprint; ``goal`` is optional.
    A bare list of sprints is accepted too.

    Raises:
        FormatError: malformed JSON or a bad sprint, naming its path (``$.sprints[2].end``).
    """
    if isinstance(source, str | os.PathLike):
        name = str(source)
        text = Path(source).read_text(encoding="utf-8")
    else:
        name = getattr(source, "name", "<stream>")
        text = source.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"not JSON: {exc.msg}", source=name, line=exc.lineno,
                          column=exc.colno) from None
    prefix = "$"
    if isinstance(data, dict):
        data, prefix = data.get("sprints"), "$.sprints"
    if not isinstance(data, list) or not data:
        raise FormatError("expected a non-empty list of sprints", source=name, path=prefix)
    sprints = []
    for index, entry in enumerate(data):
        path = f"{prefix}[{index}]"
        if not isinstance(entry, dict):
            raise FormatError(f"expected an object, got {entry!r}", source=name, path=path)
        unknown = set(entry) - {"name", "start", "end", "goal", "points", "completed_points"}
        if unknown:
            raise FormatError(f"unknown field {sorted(unknown)[0]!r}", source=name, path=path)
        for key in ("name", "start", "end"):
            if key not in entry:
                raise FormatError(f"missing {key!r}", source=name, path=path)
        points = entry.get("points", entry.get("completed_points"))
        if points is None:
            raise FormatError("missing 'points' (the points completed)", source=name, path=path)
        try:
            sprints.append(Sprint(name=entry["name"], start=entry["start"], end=entry["end"],
                                  goal=entry.get("goal", ""), completed_points=points))
        except ValidationError as exc:
            field = {"completed_points": "points"}.get(exc.field or "", exc.field)
            raise FormatError(str(exc), source=name,
                              path=f"{path}.{field}" if field else path) from None
    return tuple(sprints)
