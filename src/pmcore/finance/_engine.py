"""The cost engine: every task's costs, cut into buckets between boundary days.

Built once per project, cost plan and choice of dates (a baseline or the current plan). Each
task's costs are placed in time as Microsoft Project accrues them:

* work resources: hours x the standard rate of the assignment's rate table in force that day
  (rates change on their effective dates, mid-task included), spread over the task's working
  time (flat contour); the cost per use once, at the start. A resource that accrues at the
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
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

import attrs

from pmcore.errors import ValidationError
from pmcore.finance.plan import CostPlan, Expense
from pmcore.model import Project
from pmcore.model.resource import Assignment, CostAccrual, Resource, ResourceType
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


def _units(value: float) -> Decimal:
    # The shortest decimal text of the float is what the user typed (0.5, 1.25).
    return Decimal(repr(value))


@attrs.define
class TaskCost:
    """One task's costs: amounts by bucket, working minutes by bucket, totals by kind and
    by source (a resource id, ``"fixed"`` or ``"expenses"``)."""

    task: str
    buckets: dict[int, Decimal] = attrs.field(factory=lambda: defaultdict(Decimal))
    minutes: dict[int, int] = attrs.field(factory=lambda: defaultdict(int))
    kinds: dict[str, Decimal] = attrs.field(factory=lambda: defaultdict(Decimal))
    sources: dict[str, Decimal] = attrs.field(factory=lambda: defaultdict(Decimal))

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
        self._revised = {r.task for r in self.plan.revisions}
        self._timelines: dict[str | None, Timeline] = {}
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

    def phase(self, days: Sequence[dt.date]) -> dict[str, TaskCost]:
        """Every task's costs in buckets between the boundary ``days`` (sorted; the first
        at or before :attr:`first_day`, the last after :attr:`last_day`)."""
        edges = [_midnight(d) for d in days]
        return {task_id: self._task_cost(self.project.task(task_id), edges)
                for task_id in self.dates}

    def _task_cost(self, task: Task, edges: list[dt.datetime]) -> TaskCost:
        start, finish = self.dates[task.id]
        timeline = self._timeline(task)
        result = TaskCost(task.id)
        assignments = self._assignments.get(task.id, [])

        def bucket(moment: dt.datetime) -> int:
            return max(0, bisect.bisect_right(edges, moment) - 1)

        # Cut the task's time at the period boundaries and at every rate change inside it.
        cuts = set(edges[bisect.bisect_right(edges, start):bisect.bisect_left(edges, finish)])
        for assignment in assignments:
            table = self._resources[assignment.resource].rate_tables.get(assignment.rate_table)
            for rate in table or ():
                if rate.effective_from is not None:
                    moment = _midnight(rate.effective_from)
                    if start < moment < finish:
                        cuts.add(moment)
        points = [start, *sorted(cuts), finish]
        works = [timeline.work_of(p) for p in points]
        segments = [(points[i], works[i + 1] - works[i]) for i in range(len(points) - 1)
                    if works[i + 1] > works[i]]
        total_minutes = sum(m for _, m in segments)
        for moment, minutes in segments:
            result.minutes[bucket(moment)] += minutes
        first = bucket(start)
        last = bucket(finish - _MINUTE if finish > start and finish == _midnight(finish.date())
                      else finish)

        def accrue(amount: Decimal, how: CostAccrual, kind: str, source: str) -> None:
            if not amount:
                return
            result.kinds[kind] += amount
            result.sources[source] += amount
            if how is CostAccrual.START or (how is CostAccrual.PRORATED and not total_minutes):
                result.buckets[first] += amount
            elif how is CostAccrual.END:
                result.buckets[last] += amount
            else:
                for moment, minutes in segments:
                    result.buckets[bucket(moment)] += amount * minutes / total_minutes

        for assignment in assignments:
            resource = self._resources[assignment.resource]
            rate = resource.rate_on(start.date(), assignment.rate_table)
            per_use = rate.cost_per_use
            if resource.type is ResourceType.WORK:
                factor = _units(assignment.units)
                if assignment.work is not None and total_minutes:
                    factor = _units(assignment.work.to_minutes(self.project.options)) \
                        / total_minutes
                if resource.accrue_at is CostAccrual.PRORATED:
                    for moment, minutes in segments:
                        standard = resource.rate_on(moment.date(),
                                                    assignment.rate_table).standard_rate
                        amount = minutes * factor * standard / _SIXTY
                        result.buckets[bucket(moment)] += amount
                        result.kinds["labour"] += amount
                        result.sources[resource.id] += amount
                else:
                    amount = sum((minutes * factor * resource.rate_on(
                        moment.date(), assignment.rate_table).standard_rate / _SIXTY
                        for moment, minutes in segments), _ZERO)
                    accrue(amount, resource.accrue_at, "labour", resource.id)
                accrue(per_use, CostAccrual.END if resource.accrue_at is CostAccrual.END
                       else CostAccrual.START, "labour", resource.id)
            elif resource.type is ResourceType.MATERIAL:
                accrue(_units(assignment.units) * rate.standard_rate + per_use,
                       resource.accrue_at, "material", resource.id)
            else:
                accrue(assignment.cost or _ZERO, resource.accrue_at, "cost_resources",
                       resource.id)
        accrue(task.fixed_cost, task.fixed_cost_accrual, "fixed", "fixed")
        for expense in self._expenses.get(task.id, ()):
            result.kinds["expenses"] += expense.amount
            result.sources["expenses"] += expense.amount
            result.buckets[bucket(_midnight(expense.date))] += expense.amount
        return result
