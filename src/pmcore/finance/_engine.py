"""The cost engine: every task's costs, cut into buckets between boundary days.

Built once per project, cost plan and choice of dates (a baseline or the current plan). Each
task's costs are placed in time as Microsoft Project accrues them:

* work resources: hours x the standard rate of the assignment's rate table in force that day
  (rates change on their effective dates, mid-task included), overtime hours at the overtime
  rate, spread over the task's working time (flat contour); the cost per use once, at the
  start. A resource that accrues at the
  start or the end puts its whole cost there;
* material resources: quantity (the assignment's units) x the rate in force on the task's
  start, plus the cost per use, accrued as the resource says;
* cost resources: the amount entered on the assignment, accrued as the resource says;
* the task's fixed cost, by its own accrual; the cost plan's expenses on their day.

Working minutes come from the calendar the scheduler works the task on (its own, the project's,
or its resources' when they all share one), so a task over a weekend costs nothing on Saturday
and Sunday, nor on a resource's day off. Boundaries are days: bucket ``i`` holds
``[days[i], days[i + 1])``. Amounts are exact ``Decimal`` s; results round to the cent when shown.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from pmcore.errors import ValidationError
from pmcore.finance.plan import CostPlan, Expense
from pmcore.model import Project
from pmcore.model.resource import Assignment, CostAccrual, Rate, Resource, ResourceType
from pmcore.model.task import Task
from pmcore.schedule.timeline import Timeline

__all__ = ["KINDS", "CostModel", "TaskCost"]

KINDS = ("labour", "material", "cost_resources", "fixed", "expenses")
"""The kinds of cost a task's total is made of."""

_ZERO = Decimal(0)
_SIXTY = Decimal(60)
_MINUTE = dt.timedelta(minutes=1)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


@functools.lru_cache(maxsize=4096)
def _units(value: float) -> Decimal:
    # The shortest decimal text of the float is what the user typed (0.5, 1.25).
    return Decimal(repr(value))


@attrs.define
class TaskCost:
    """One task's costs: amounts by bucket, working minutes by bucket, totals by kind and
    by source (a resource id, ``"fixed"`` or ``"expenses"``)."""

    task: str
    first: int = 0  # the bucket of the task's start
    buckets: dict[int, Decimal] = attrs.field(factory=dict)
    minutes: dict[int, int] = attrs.field(factory=dict)
    kinds: dict[str, Decimal] = attrs.field(factory=dict)
    sources: dict[str, Decimal] = attrs.field(factory=dict)

    @property
    def total(self) -> Decimal:
        """Every cost of the task."""
        return sum(self.kinds.values(), _ZERO)


class CostModel:
    """The costs of a project's tasks on a baseline's dates or on the current plan's.

    Args:
        baseline: the baseline number whose dates place the costs (the performance
            measurement baseline), or ``None`` for the tasks' current dates (the forecast).
    """

    def __init__(self, project: Project, plan: CostPlan | None, *, baseline: int | None):
        self.project = project
        self.plan = plan or CostPlan()
        self.baseline = baseline
        self._resources: dict[str, Resource] = {r.id: r for r in project.resources}
        self._assignments: dict[str, list[Assignment]] = defaultdict(list)
        for assignment in project.assignments:
            self._assignments[assignment.task].append(assignment)
        self._expenses: dict[str, list[Expense]] = defaultdict(list)
        for expense in self.plan.expenses:
            self._expenses[expense.task].append(expense)
        self._revised = {r.task for r in self.plan.revisions} | set(self.plan.budgets)
        self._timelines: dict[str | None, Timeline] = {}
        self._rates: dict[tuple[str, str, dt.date], Rate] = {}
        self._rate_changes: dict[tuple[str, str], tuple[dt.datetime, ...]] = {}
        self._tasks: dict[str, Task] = {t.id: t for t in project.tasks}
        self.dates: dict[str, tuple[dt.datetime, dt.datetime]] = {}
        for task in project.tasks:
            if self._has_costs(task):
                self.dates[task.id] = self._dates_of(task)
        days = [d for s, f in self.dates.values() for d in (s.date(), f.date())]
        days += [e.date for e in self.plan.expenses]
        self.first_day: dt.date | None = min(days) if days else None
        self.last_day: dt.date | None = max(days) if days else None

    def _has_costs(self, task: Task) -> bool:
        return bool(task.fixed_cost or self._assignments.get(task.id)
                    or self._expenses.get(task.id) or task.id in self._revised)

    def _dates_of(self, task: Task) -> tuple[dt.datetime, dt.datetime]:
        if self.baseline is not None:
            saved = task.baselines.get(self.baseline)
            if saved is None:
                name = "baseline" if self.baseline == 0 else f"baseline {self.baseline}"
                raise ValidationError(f"has costs but no {name}: save a baseline "
                                      "(project.save_baseline) before measuring against it",
                                      entity=task.label, field="baselines")
            return saved.start, saved.finish
        if task.start is None or task.finish is None:
            raise ValidationError("has costs but no dates: schedule the project and apply "
                                  "the schedule first", entity=task.label, field="start")
        return task.start, task.finish

    def _timeline(self, task: Task) -> Timeline:
        # The calendar the scheduler works the task on: its own or the project's, unless
        # its work resources all share one calendar of theirs (as pmcore.schedule decides).
        key: str | None = task.calendar
        resource: Resource | None = None
        if key is None:
            calendars = {self._resources[a.resource].calendar: self._resources[a.resource]
                         for a in self._assignments.get(task.id, ())
                         if self._resources[a.resource].type is ResourceType.WORK}
            if len(calendars) == 1:
                (only, resource), = calendars.items()
                if only is not None and only != self.project.calendar:
                    key = only
                else:
                    resource = None
        timeline = self._timelines.get(key)
        if timeline is None:
            origin = self.first_day or dt.date(2000, 1, 3)
            calendar = self.project.resource_calendar(resource) if resource is not None \
                else self.project.task_calendar(task)
            timeline = Timeline(calendar, origin)
            self._timelines[key] = timeline
        return timeline

    def phase(self, days: Sequence[dt.date],
              only: Iterable[str] | None = None) -> dict[str, TaskCost]:
        """Every task's costs in buckets between the boundary ``days`` (sorted; the first
        at or before :attr:`first_day`, the last after :attr:`last_day`); ``only`` limits
        it to some tasks."""
        edges = [_midnight(d) for d in days]
        works: dict[int, dict[dt.datetime, int]] = {}  # by timeline: work at each edge
        tasks = self.dates if only is None else [t for t in only if t in self.dates]
        return {task_id: self._task_cost(self._tasks[task_id], edges, works)
                for task_id in tasks}

    def _changes(self, assignment: Assignment) -> tuple[dt.datetime, ...]:
        """The midnights on which the assignment's rate table changes rate."""
        key = (assignment.resource, assignment.rate_table)
        found = self._rate_changes.get(key)
        if found is None:
            rates = self._resources[assignment.resource].rate_tables.get(
                assignment.rate_table)
            found = self._rate_changes[key] = tuple(
                _midnight(r.effective_from) for r in rates or () if r.effective_from)
        return found

    @staticmethod
    def _hourly(rate: Rate, factor: Decimal, overtime: Decimal) -> Decimal:
        """Cost per hour of the task's working time: units x standard rate, plus the
        overtime share x what overtime costs more."""
        hourly = factor * rate.standard_rate
        if overtime:
            hourly += overtime * (rate.overtime_rate - rate.standard_rate)
        return hourly

    def _rate(self, resource: Resource, table: str, day: dt.date) -> Rate:
        key = (resource.id, table, day)
        rate = self._rates.get(key)
        if rate is None:
            rate = self._rates[key] = resource.rate_on(day, table)
        return rate

    def _task_cost(self, task: Task, edges: list[dt.datetime],
                   works: dict[int, dict[dt.datetime, int]]) -> TaskCost:
        start, finish = self.dates[task.id]
        timeline = self._timeline(task)
        known = works.setdefault(id(timeline), {})
        result = TaskCost(task.id)
        buckets, kinds, sources = result.buckets, result.kinds, result.sources
        assignments = self._assignments.get(task.id, ())

        # Cut the task's time at the period boundaries and at every rate change inside it.
        inside = edges[bisect.bisect_right(edges, start):bisect.bisect_left(edges, finish)]
        changes = False
        for assignment in assignments:
            for moment in self._changes(assignment):
                if start < moment < finish:
                    changes = True
                    inside.append(moment)
        if changes:
            inside = sorted(set(inside))
        points = [start, *inside, finish]
        work = []
        for point in points:
            value = known.get(point)
            if value is None:
                value = known[point] = timeline.work_of(point)
            work.append(value)
        first = result.first = max(0, bisect.bisect_right(edges, start) - 1)
        segments: list[tuple[int, dt.date, int]] = []  # (bucket, first day, minutes)
        index = first
        for k in range(len(points) - 1):
            minutes = work[k + 1] - work[k]
            if k:
                while index + 1 < len(edges) and edges[index + 1] <= points[k]:
                    index += 1
            if minutes > 0:
                segments.append((index, points[k].date(), minutes))
        total_minutes = work[-1] - work[0]
        minutes_of = result.minutes
        for index, _, minutes in segments:
            minutes_of[index] = minutes_of.get(index, 0) + minutes
        end = finish - _MINUTE if finish > start and finish == _midnight(finish.date()) \
            else finish
        last = max(0, bisect.bisect_right(edges, end) - 1)

        def add(index: int, amount: Decimal) -> None:
            buckets[index] = buckets.get(index, _ZERO) + amount

        def accrue(amount: Decimal, how: CostAccrual, kind: str, source: str) -> None:
            if not amount:
                return
            kinds[kind] = kinds.get(kind, _ZERO) + amount
            sources[source] = sources.get(source, _ZERO) + amount
            if how is CostAccrual.START or (how is CostAccrual.PRORATED and not total_minutes):
                add(first, amount)
            elif how is CostAccrual.END:
                add(last, amount)
            else:
                for index, _, minutes in segments:
                    add(index, amount * minutes / total_minutes)

        # Prorated labour is added up per segment as minutes x (units x hourly rate) and
        # divided by 60 once per bucket: fewer Decimal operations on large plans.
        labour: dict[int, Decimal] = {}
        for assignment in assignments:
            resource = self._resources[assignment.resource]
            table = assignment.rate_table
            rate = self._rate(resource, table, start.date())
            per_use = rate.cost_per_use
            if resource.type is ResourceType.WORK:
                factor = _units(assignment.units)
                if assignment.work is not None and total_minutes:
                    # Work is read from files as float minutes (13003.000000002): to the
                    # thousandth of a minute, as written.
                    factor = _units(round(assignment.work.to_minutes(self.project.options),
                                          3)) / total_minutes
                # Overtime work is part of the work, charged at the overtime rate instead:
                # per minute of the task, its share adds (overtime - standard rate).
                overtime = _ZERO
                if assignment.overtime_work is not None and total_minutes:
                    overtime = _units(round(assignment.overtime_work.to_minutes(
                        self.project.options), 3)) / total_minutes
                if changes:
                    parts = [(index, minutes * self._hourly(
                        self._rate(resource, table, day), factor, overtime))
                             for index, day, minutes in segments]
                else:
                    hourly = self._hourly(rate, factor, overtime)
                    parts = [(index, minutes * hourly) for index, _, minutes in segments]
                if resource.accrue_at is CostAccrual.PRORATED:
                    amount = _ZERO
                    for index, part in parts:
                        labour[index] = labour.get(index, _ZERO) + part
                        amount += part
                    amount /= _SIXTY
                    kinds["labour"] = kinds.get("labour", _ZERO) + amount
                    sources[resource.id] = sources.get(resource.id, _ZERO) + amount
                else:
                    accrue(sum((part for _, part in parts), _ZERO) / _SIXTY, resource.accrue_at,
                           "labour", resource.id)
                accrue(per_use, CostAccrual.END if resource.accrue_at is CostAccrual.END
                       else CostAccrual.START, "labour", resource.id)
            elif resource.type is ResourceType.MATERIAL:
                accrue(_units(assignment.units) * rate.standard_rate + per_use,
                       resource.accrue_at, "material", resource.id)
            else:
                accrue(assignment.cost or _ZERO, resource.accrue_at, "cost_resources",
                       resource.id)
        for index, part in labour.items():
            add(index, part / _SIXTY)
        accrue(task.fixed_cost, task.fixed_cost_accrual, "fixed", "fixed")
        for expense in self._expenses.get(task.id, ()):
            kinds["expenses"] = kinds.get("expenses", _ZERO) + expense.amount
            sources["expenses"] = sources.get("expenses", _ZERO) + expense.amount
            moment = _midnight(expense.date)
            add(max(0, bisect.bisect_right(edges, moment) - 1), expense.amount)
        return result
