"""Resource workloads from schedules: time-phased work, capacity, over-allocation.

:func:`workload` spreads each assignment's work over the days its task runs (work =
working time of the task that day x the assignment's units, Microsoft Project's flat contour)
and sets it beside the resource's capacity (working time of its calendar that day x its
maximum units, availability periods included), by day, ISO week or month.
:func:`overallocations` finds the exact periods in which a resource's assignments together ask
for more units than it has, as Microsoft Project flags an over-allocated resource.
:func:`capacity` adds up demand and capacity across several projects (a portfolio), by
resource, role or team. Every result is immutable and has ``to_records()``; nothing here
changes a project.

Work resources only: material resources are counted in their own units and cost resources
have no work, so neither has a workload or can be over-allocated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

import attrs

from pmcore.errors import ValidationError
from pmcore.model import Project
from pmcore.model.resource import Resource, ResourceType
from pmcore.schedule import Schedule
from pmcore.schedule.timeline import Timeline

__all__ = ["PERIODS", "Candidate", "Capacity", "CapacityRow", "Overallocation",
           "OverallocationReport", "Workload", "WorkloadRow", "candidates", "capacity",
           "overallocations", "workload"]

PERIODS = ("day", "week", "month")
"""The periods workloads are added up by; weeks are ISO weeks (Monday to Sunday)."""

_EPSILON = 1e-9  # units are floats (0.1 + 0.2): tolerate rounding, not real excess


def _period_start(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValidationError(f"must be one of {', '.join(PERIODS)}, got {period!r}",
                              entity="workload", field="period")


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    for k in range((last - first).days + 1):
        yield first + dt.timedelta(days=k)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


@attrs.frozen
class WorkloadRow:
    """One resource in one period.

    Attributes:
        resource: the resource's id; ``period`` the first day of the period.
        work_hours: the work its assignments ask for in the period.
        capacity_hours: its working time in the period times its maximum units then.
    """

    resource: str
    period: dt.date
    work_hours: float
    capacity_hours: float

    @property
    def over_hours(self) -> float:
        """Work beyond capacity (0 when within it)."""
        return max(0.0, self.work_hours - self.capacity_hours)

    @property
    def utilisation(self) -> float | None:
        """Work as a share of capacity (1.0 = fully used); None without capacity."""
        return self.work_hours / self.capacity_hours if self.capacity_hours else None


@attrs.frozen
class Workload:
    """Time-phased work and capacity per resource (see :func:`workload`)."""

    period: str
    rows: tuple[WorkloadRow, ...]

    def for_resource(self, resource: str) -> tuple[WorkloadRow, ...]:
        """The rows of one resource, by period."""
        return tuple(row for row in self.rows if row.resource == resource)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per resource and period."""
        return [{"resource": r.resource, "period": r.period, "work_hours": r.work_hours,
                 "capacity_hours": r.capacity_hours, "over_hours": r.over_hours,
                 "utilisation": r.utilisation} for r in self.rows]


def _work_resources(project: Project) -> list[Resource]:
    return [r for r in project.resources if r.type is ResourceType.WORK]


def _daily_work(schedule: Schedule) -> dict[str, dict[dt.date, float]]:
    """Working minutes asked of each work resource per day (flat contour)."""
    project = schedule.project
    work: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    kinds = {r.id: r.type for r in project.resources}
    for assignment in project.assignments:
        if kinds[assignment.resource] is not ResourceType.WORK or assignment.units <= 0:
            continue
        task = schedule[assignment.task]
        if task.summary or task.finish <= task.start:
            continue
        per_day = work[assignment.resource]
        # a split task works only in its pieces (split by hand, or by progress)
        for first, last in task.splits or ((task.start, task.finish),):
            for day in _days(first.date(), last.date()):
                begin = max(first, _midnight(day))
                end = min(last, _midnight(day + dt.timedelta(days=1)))
                minutes = schedule.working_minutes(assignment.task, begin, end)
                if minutes:
                    per_day[day] += minutes * assignment.units
    return work


def _daily_capacity(project: Project, resource: Resource, timeline: Timeline,
                    day: dt.date) -> float:
    start = timeline.work_at(timeline.instant(_midnight(day)))
    end = timeline.work_at(timeline.instant(_midnight(day + dt.timedelta(days=1))))
    return (end - start) * resource.max_units_on(day)


def _timeline(project: Project, resource: Resource, origin: dt.date) -> Timeline:
    return Timeline(project.resource_calendar(resource), origin)


def workload(schedule: Schedule, *, period: str = "week",
             start: dt.date | None = None, finish: dt.date | None = None) -> Workload:
    """Work and capacity of every work resource of the schedule's project, per period.

    ``start`` and ``finish`` bound the days covered (by default the schedule's own span); the
    first and last periods then cover only those days.

    >>> import pmcore
    >>> p = pmcore.Project("Demo", start="2027-01-04")
    >>> dana = p.add_resource("Dana", id="dana", max_units=0.5)
    >>> task = p.add_task("Write", "2d")
    >>> _ = p.assign(task, dana, units=0.5)
    >>> w = workload(p.schedule(), period="day")
    >>> [(r.period.day, r.work_hours, r.capacity_hours) for r in w.rows]
    [(4, 4.0, 4.0), (5, 4.0, 4.0)]
    """
    _check_period(period)
    project = schedule.project
    first = start or schedule.start.date()
    last = finish or schedule.finish.date()
    daily = _daily_work(schedule)
    rows: list[WorkloadRow] = []
    for resource in _work_resources(project):
        timeline = _timeline(project, resource, first)
        work = daily.get(resource.id, {})
        totals: dict[dt.date, list[float]] = {}
        for day in _days(first, last):
            entry = totals.setdefault(_period_start(day, period), [0.0, 0.0])
            entry[0] += work.get(day, 0.0)
            entry[1] += _daily_capacity(project, resource, timeline, day)
        rows += [WorkloadRow(resource.id, key, round(w / 60, 6), round(c / 60, 6))
                 for key, (w, c) in totals.items()]
    return Workload(period=period, rows=tuple(rows))


@attrs.frozen
class Overallocation:
    """A period in which a resource is asked for more units than it has.

    Attributes:
        resource: the resource's id; ``start`` and ``finish`` the period.
        units: the units its assignments ask for then; ``max_units`` what it has.
        tasks: the ids of the tasks it works on then.
    """

    resource: str
    start: dt.datetime
    finish: dt.datetime
    units: float
    max_units: float
    tasks: tuple[str, ...]

    @property
    def over(self) -> float:
        """Units beyond the maximum (0.5 = half a person too many)."""
        return self.units - self.max_units

    def __str__(self) -> str:
        return (f"{self.resource}: {self.units:.0%} of {self.max_units:.0%} from "
                f"{self.start:%Y-%m-%d %H:%M} to {self.finish:%Y-%m-%d %H:%M} "
                f"({', '.join(self.tasks)})")


@attrs.frozen
class OverallocationReport:
    """Every over-allocation of a schedule (see :func:`overallocations`); a report, not an
    error: an empty one is :attr:`ok`."""

    items: tuple[Overallocation, ...]

    @property
    def ok(self) -> bool:
        """No resource is over-allocated."""
        return not self.items

    @property
    def resources(self) -> tuple[str, ...]:
        """The over-allocated resources, each once, in first-seen order."""
        return tuple(dict.fromkeys(item.resource for item in self.items))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Any:
        return iter(self.items)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per over-allocated period."""
        return [{"resource": o.resource, "start": o.start, "finish": o.finish,
                 "units": o.units, "max_units": o.max_units, "over": o.over,
                 "tasks": list(o.tasks)} for o in self.items]


def overallocations(schedule: Schedule) -> OverallocationReport:
    """The periods in which a work resource is asked for more than its maximum units.

    At every moment a resource works on the tasks of its assignments that are running and
    have working time then; their units add up, and where the sum exceeds the resource's
    maximum units that day (availability periods included) the resource is over-allocated.
    Adjacent moments with the same tasks are one period; working time only, so an overlap
    over a weekend is two periods, Friday's and Monday's.

    >>> import pmcore
    >>> p = pmcore.Project("Demo", start="2027-01-04")
    >>> dana = p.add_resource("Dana", id="dana")
    >>> a, b = p.add_task("A", "2d"), p.add_task("B", "1d")
    >>> _ = p.assign(a, dana); _ = p.assign(b, dana)
    >>> [str(o) for o in overallocations(p.schedule())]
    ['dana: 200% of 100% from 2027-01-04 08:00 to 2027-01-04 17:00 (T1, T2)']
    """
    project = schedule.project
    items: list[Overallocation] = []
    kinds = {r.id: r for r in project.resources}
    by_resource: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for assignment in project.assignments:
        resource = kinds[assignment.resource]
        if resource.type is ResourceType.WORK and assignment.units > 0:
            by_resource[resource.id].append((assignment.task, assignment.units))
    for resource_id, work in by_resource.items():
        resource = kinds[resource_id]
        spans = [(schedule[task].start, schedule[task].finish, task, units)
                 for task, units in work if not schedule[task].summary
                 and schedule[task].finish > schedule[task].start]
        if len(spans) < 2 and all(u <= resource.max_units + _EPSILON for *_, u in spans) \
                and not resource.availability:
            continue
        # Cut at every start and finish, at midnights (availability changes by day) and
        # keep the pieces in which the running tasks work.
        cuts = sorted({moment for begin, end, _, _ in spans for moment in (begin, end)} |
                      {_midnight(day) for begin, end, _, _ in spans
                       for day in _days(begin.date(), end.date())})
        current: Overallocation | None = None
        for begin, end in pairwise(cuts):
            running = [(task, units) for b, e, task, units in spans if b <= begin and end <= e
                       and schedule.working_minutes(task, begin, end) > 0]
            units = sum(u for _, u in running)
            limit = resource.max_units_on(begin.date())
            if units > limit + _EPSILON:
                tasks = tuple(sorted(task for task, _ in running))
                if current is not None and current.finish == begin and current.tasks == tasks \
                        and current.max_units == limit:
                    current = attrs.evolve(current, finish=end)
                    continue
                if current is not None:
                    items.append(current)
                current = Overallocation(resource_id, begin, end, round(units, 9), limit,
                                         tasks)
            elif current is not None:
                items.append(current)
                current = None
        if current is not None:
            items.append(current)
    return OverallocationReport(_trimmed(schedule, items))


def _trimmed(schedule: Schedule, items: list[Overallocation]) -> tuple[Overallocation, ...]:
    """Periods from the first to the last working moment of their tasks (not midnight)."""
    trimmed = []
    for item in items:
        spans = [schedule.working_span(t, item.start, item.finish) for t in item.tasks]
        trimmed.append(attrs.evolve(item, start=min(s for s, _ in spans),
                                    finish=max(f for _, f in spans)))
    return tuple(trimmed)


@attrs.frozen
class CapacityRow:
    """Demand and capacity of one group (a resource, role or team) in one period."""

    group: str
    period: dt.date
    demand_hours: float
    capacity_hours: float

    @property
    def utilisation(self) -> float | None:
        """Demand as a share of capacity; None without capacity."""
        return self.demand_hours / self.capacity_hours if self.capacity_hours else None

    @property
    def over_hours(self) -> float:
        """Demand beyond capacity (over-allocation)."""
        return max(0.0, self.demand_hours - self.capacity_hours)

    @property
    def spare_hours(self) -> float:
        """Capacity left unused (under-allocation)."""
        return max(0.0, self.capacity_hours - self.demand_hours)


@attrs.frozen
class Capacity:
    """Demand against capacity across projects (see :func:`capacity`)."""

    by: str
    period: str
    rows: tuple[CapacityRow, ...]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per group and period."""
        return [{"group": r.group, "period": r.period, "demand_hours": r.demand_hours,
                 "capacity_hours": r.capacity_hours, "utilisation": r.utilisation,
                 "over_hours": r.over_hours, "spare_hours": r.spare_hours}
                for r in self.rows]

    def over(self) -> tuple[CapacityRow, ...]:
        """The rows where demand exceeds capacity."""
        return tuple(r for r in self.rows if r.over_hours > _EPSILON)


_GROUPINGS = ("resource", "role", "team")


def _groups(resource: Resource, by: str) -> tuple[str, ...]:
    if by == "resource":
        return (resource.name,)
    if by == "role":
        return resource.roles or ("(no role)",)
    return (resource.team or "(no team)",)


def capacity(schedules: Schedule | Project | Sequence[Schedule | Project], *,
             by: str = "resource", period: str = "month") -> Capacity:
    """Demand and capacity per resource, role or team and per period, across projects.

    Give schedules (or projects, which are scheduled as they are). Resources are the same
    resource across projects when they have the same name, as in leveling: their demand adds
    up, their capacity counts once. A resource with several roles counts towards each.
    For a what-if, schedule a changed copy (another person, a project delayed with a later
    start) and compare the two results; the inputs are never changed.
    """
    _check_period(period)
    if by not in _GROUPINGS:
        raise ValidationError(f"must be one of {', '.join(_GROUPINGS)}, got {by!r}",
                              entity="capacity", field="by")
    items = [schedules] if isinstance(schedules, Schedule | Project) else list(schedules)
    if not items:
        raise ValidationError("needs at least one schedule or project", entity="capacity",
                              field="schedules")
    done = [item if isinstance(item, Schedule) else item.schedule() for item in items]
    first = min(s.start for s in done).date()
    last = max(s.finish for s in done).date()
    demand: dict[tuple[str, dt.date], float] = defaultdict(float)
    supply: dict[tuple[str, dt.date], float] = defaultdict(float)
    counted: set[str] = set()
    for schedule in done:
        rows = workload(schedule, period=period, start=first, finish=last).rows
        resources = {r.id: r for r in schedule.project.resources}
        for row in rows:
            resource = resources[row.resource]
            for group in _groups(resource, by):
                demand[(group, row.period)] += row.work_hours
                if resource.name not in counted:
                    supply[(group, row.period)] += row.capacity_hours
        counted |= {resources[row.resource].name for row in rows}
    keys = sorted(set(demand) | set(supply))
    return Capacity(by=by, period=period, rows=tuple(
        CapacityRow(group, when, round(demand[(group, when)], 6),
                    round(supply[(group, when)], 6)) for group, when in keys))


@attrs.frozen
class Candidate:
    """A named resource that could take a generic assignment (see :func:`candidates`).

    Attributes:
        resource: the resource's id.
        free_hours: its capacity over the task's days less the work it already has then.
        needed_hours: the work the assignment asks for.
        matches: the roles and skills it shares with the generic resource.
    """

    resource: str
    free_hours: float
    needed_hours: float
    matches: tuple[str, ...]

    @property
    def fits(self) -> bool:
        """It has the time for the whole assignment."""
        return self.free_hours + _EPSILON >= self.needed_hours


def candidates(schedule: Schedule, task: str, generic: str) -> tuple[Candidate, ...]:
    """Named work resources that could replace ``generic`` on ``task``, best first.

    A candidate has every role and skill the generic resource asks for (a generic resource
    without any matches every named one). Candidates are ranked by the hours they have free
    over the task's scheduled days (capacity less the work of their other assignments then),
    most first; ``fits`` says whether that covers the assignment's work.
    """
    project = schedule.project
    wanted = project.resource(generic)
    assignment = next((a for a in project.assignments_of(task) if a.resource == wanted.id),
                      None)
    if assignment is None:
        raise ValidationError(f"{wanted.label} is not assigned to task {task!r}",
                              entity=f"task {task!r}", field="assignments")
    asks = set(wanted.roles) | set(wanted.skills)
    scheduled = schedule[task]
    first, last = scheduled.start.date(), scheduled.finish.date()
    needed = schedule.working_minutes(task, scheduled.start, scheduled.finish) * \
        assignment.units / 60
    daily = _daily_work(schedule)
    found = []
    for resource in _work_resources(project):
        if resource.generic or resource.id == wanted.id:
            continue
        has = set(resource.roles) | set(resource.skills)
        if not asks <= has:
            continue
        timeline = _timeline(project, resource, first)
        free = sum(_daily_capacity(project, resource, timeline, day)
                   - daily.get(resource.id, {}).get(day, 0.0) for day in _days(first, last))
        found.append(Candidate(resource.id, round(free / 60, 6), round(needed, 6),
                               tuple(sorted(asks))))
    return tuple(sorted(found, key=lambda c: (-c.free_hours, c.resource)))

