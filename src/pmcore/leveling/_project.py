"""Leveling a pmcore project, or several projects sharing resources, by leveling delays.

The project is scheduled without leveling first; each work task (not summaries) becomes a job
of an :class:`~pmcore.leveling.Rcpsp` on an axis of whole working days of the project
calendar, the jobs are leveled by :func:`~pmcore.leveling.solve`, and each job's shift is
turned back into a leveling delay in elapsed days, as Microsoft Project records it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import time
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from pmcore.errors import ValidationError
from pmcore.leveling._rcpsp import Backend, Rcpsp, Rule, solve
from pmcore.model import (
    ConstraintType,
    Duration,
    LinkType,
    Project,
    ResourceType,
    ScheduleFrom,
    Task,
)
from pmcore.model.calendar import EffectiveCalendar

__all__ = ["LeveledTask", "LevelingResult", "level"]

DO_NOT_LEVEL = 1000
"""Task priority that leveling never delays, as in Microsoft Project."""

_ORDERS = {"standard": Rule.SLACK, "priority": Rule.PRIORITY, "id": Rule.ID, "lft": Rule.LFT}


@attrs.frozen(kw_only=True)
class LeveledTask:
    """What leveling did to one task.

    Attributes:
        project: the name of the task's project.
        task: the task's id; ``name`` its name.
        delay: the leveling delay, in elapsed days as Microsoft Project records it: how far
            the task starts after the date its links and constraints allow.
        start_before: the task's start without leveling; ``start_after`` with it.
        resources: ids of the resources that were over-allocated where the task would
            otherwise have run (why it moved).
        unresolved: the task still over-allocates a resource: it may not be delayed (priority
            1000, a fixed date, progress, outside the date range) or not that far (slack).
    """

    project: str
    task: str
    name: str
    delay: Duration
    start_before: dt.datetime
    start_after: dt.datetime
    resources: tuple[str, ...]
    unresolved: bool


@attrs.frozen(kw_only=True)
class LevelingResult:
    """The outcome of :func:`level`: which tasks move, by how much and why.

    Attributes:
        tasks: the tasks that leveling delays or could not resolve, in project and row order.
        finish_before, finish_after: when the last task finishes without and with leveling
            (in whole working days: a task's partial last day counts as a day).
        schedules: schedules the search generated; ``seconds`` its wall time.
    """

    tasks: tuple[LeveledTask, ...]
    finish_before: dt.date
    finish_after: dt.date
    schedules: int
    seconds: float

    @property
    def delays(self) -> dict[tuple[str, str], Duration]:
        """Each delayed task's leveling delay, keyed by ``(project name, task id)``."""
        return {(t.project, t.task): t.delay for t in self.tasks if t.delay.value}

    @property
    def unresolved(self) -> tuple[str, ...]:
        """Ids of the tasks that still over-allocate a resource."""
        return tuple(t.task for t in self.tasks if t.unresolved)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per moved or unresolved task."""
        return [{"project": t.project, "task": t.task, "name": t.name,
                 "leveling_delay": str(t.delay), "start_before": t.start_before,
                 "start_after": t.start_after, "resources": list(t.resources),
                 "unresolved": t.unresolved} for t in self.tasks]

    def apply(self, *projects: Project) -> None:
        """Write the leveling delays into the projects' tasks (the user's choice).

        Work tasks of these projects that leveling does not delay get no delay, as after
        Microsoft Project's "clear leveling values before leveling".
        """
        delays = self.delays
        for project in projects:
            for task in project.work_tasks:
                delay = delays.get((project.name, task.id))
                task.leveling_delay = delay


class _Axis:
    """Whole working days of one calendar from a first day on, numbered from 0."""

    def __init__(self, calendar: EffectiveCalendar, first: dt.date):
        self.calendar = calendar
        self.days: list[dt.date] = []
        self._next = first
        self._idle = 0

    def _extend(self, count: int) -> None:
        while len(self.days) < count:
            if self.calendar.is_working_day(self._next):
                self.days.append(self._next)
                self._idle = 0
            else:
                self._idle += 1
                if self._idle > 3660:
                    raise ValidationError("has no working day in ten years",
                                          entity=f"calendar {self.calendar.calendar.id!r}")
            self._next += dt.timedelta(days=1)

    def day(self, period: int) -> dt.date:
        self._extend(period + 1)
        return self.days[period]

    def touched(self, start: dt.datetime, finish: dt.datetime) -> tuple[int, int]:
        """The periods of the working days from ``start``'s day to ``finish``'s, as a range
        (empty when nothing is worked)."""
        if finish <= start:
            return 0, 0
        first = self._index(start.date())
        self._index(finish.date() + dt.timedelta(days=1))
        return first, max(bisect.bisect_right(self.days, finish.date()), first)

    def _index(self, day: dt.date) -> int:
        """The first working day on or after ``day``."""
        while not self.days or self.days[-1] < day:
            self._extend(len(self.days) + 64)
        return bisect.bisect_left(self.days, day)

    def start(self, when: dt.datetime) -> int:
        """The period in which work starting at ``when`` is done."""
        index = self._index(when.date())
        times = self.calendar.working_times(when.date())
        minute = when.hour * 60 + when.minute
        if self.days[index] == when.date() and times and minute >= times[-1].end:
            index += 1
        return max(index, 0)

    def finish(self, when: dt.datetime) -> int:
        """The first period after work that ends at ``when``."""
        index = self._index(when.date())
        times = self.calendar.working_times(when.date())
        minute = when.hour * 60 + when.minute
        if self.days[index] == when.date() and times and minute > times[0].start:
            index += 1
        return index


@attrs.frozen
class _Job:
    project: Project
    task: Task
    start: dt.datetime


def _clean_copy(project: Project) -> Project:
    """A private copy of the project without its leveling delays, to try delays on."""
    from pmcore.io import dumps, loads

    copy = loads(dumps(project), strict=False)
    for task in copy.tasks:
        task.leveling_delay = None
    return copy


def _lag_periods(lag: Duration, pred_periods: int, project: Project) -> int:
    if lag.is_percent:
        return math.ceil(lag.value / 100 * pred_periods)
    minutes = lag.to_minutes(project.options)
    per_day = 1440 if lag.elapsed else project.options.minutes_per_day
    return math.ceil(minutes / per_day) if minutes > 0 else math.floor(minutes / per_day)


def _leaves(project: Project, task_id: str) -> list[str]:
    if not project.is_summary(task_id):
        return [task_id]
    return [t.id for t in project.descendants(task_id) if not project.is_summary(t)]


def level(
    projects: Project | Sequence[Project],
    *,
    order: str = "standard",
    within_slack: bool = False,
    date_range: tuple[dt.date | str | None, dt.date | str | None] | None = None,
    seed: int = 0,
    schedules: int = 1000,
    time_budget: float | None = 1.0,
    backend: Backend | str = Backend.AUTO,
) -> LevelingResult:
    """Level a project, or several projects that share resources, by delaying tasks.

    The projects are not changed: call :meth:`LevelingResult.apply` to write the delays.
    Existing leveling delays are ignored (cleared before leveling, as Microsoft Project does
    by default). Resources are shared between projects when they have the same name; days
    are working days of the first project's calendar.

    Args:
        order: which tasks get their resources first in the first pass: ``"standard"`` (least
            slack, then latest finish), ``"priority"`` (highest task priority first, then as
            standard), ``"id"`` (row order) or ``"lft"`` (latest finish). The search then
            looks for the shortest overall finish from there.
        within_slack: delay tasks only within their total slack, so the finish does not
            move; a conflict that needs more stays unresolved.
        date_range: level only tasks whose unleveled start falls in ``(first, last)``
            (days inclusive; ``None`` for an open end); the others are not moved.
        seed: the seed of the search (see :func:`~pmcore.leveling.solve`).
        schedules: how many schedules the search may generate; ``schedules=1`` is one pass
            of the serial scheme with ``order``'s rule.
        time_budget: the most seconds the search may take (``None``: no limit).
        backend: pure Python or numba (see :class:`~pmcore.leveling.Backend`).

    Raises:
        ValidationError: an unknown order; a task needing more units of a resource than it
            ever has (naming the task and the resource); a project scheduled from its
            finish.
    """
    group = [projects] if isinstance(projects, Project) else list(projects)
    if not group:
        raise ValidationError("needs at least one project", entity="leveling", field="projects")
    if order not in _ORDERS:
        raise ValidationError(f"must be one of {', '.join(_ORDERS)}, got {order!r}",
                              entity="leveling", field="order")
    for project in group:
        if project.schedule_from is ScheduleFrom.FINISH:
            # Microsoft Project levels such a plan with negative delays, moving tasks earlier
            # from the finish; pmcore's delays only ever push a start later.
            raise ValidationError("is scheduled from its finish; leveling moves tasks later "
                                  "and needs a project scheduled from its start",
                                  entity=project.label, field="schedule_from")
    first_day, last_day = _range(date_range)
    cleaned = [_clean_copy(p) for p in group]
    plans = [p.schedule() for p in cleaned]
    starts = [p.start for p in group if p.start is not None]
    origin = min(starts).date() if starts else min(
        t.start for s in plans for t in s).date()
    axis = _Axis(cleaned[0].effective_calendar(), origin)

    jobs: list[_Job] = []
    index: dict[tuple[int, str], int] = {}
    durations: list[int] = []
    release: list[int] = []
    for k, (project, plan) in enumerate(zip(cleaned, plans, strict=True)):
        for task in project.work_tasks:
            row = plan[task]
            index[(k, task.id)] = len(jobs)
            jobs.append(_Job(group[k], task, row.start))
            begin = axis.start(row.start)
            release.append(begin)
            durations.append(0 if task.is_milestone else max(axis.finish(row.finish) - begin, 1))

    # Each link as a least distance between starts in whole days, twice: as the link says
    # (rounded up: a predecessor that ends at noon holds its whole day, an elapsed lag counts
    # every calendar day), and no more than the unleveled schedule shows the two starts apart,
    # which is exact when both move by whole working days. The second is tried first.
    links: dict[tuple[int, int], tuple[int, int]] = {}
    for k, project in enumerate(cleaned):
        for link in project.dependencies:
            for p in _leaves(project, link.predecessor):
                for s in _leaves(project, link.successor):
                    a, b = index[(k, p)], index[(k, s)]
                    lag = _lag_periods(link.lag, durations[a], project)
                    gap = {LinkType.FS: durations[a] + lag, LinkType.SS: lag,
                           LinkType.FF: durations[a] + lag - durations[b],
                           LinkType.SF: lag - durations[b]}[link.type]
                    seen = min(gap, release[b] - release[a])
                    old = links.get((a, b))
                    links[(a, b)] = (gap, seen) if old is None else \
                        (max(old[0], gap), max(old[1], seen))

    names: list[str] = []
    by_name: dict[str, int] = {}
    owners: list[Any] = []
    demand: dict[tuple[int, int], int] = {}
    for k, project in enumerate(cleaned):
        for assignment in project.assignments:
            resource = project.resource(assignment.resource)
            if resource.type is not ResourceType.WORK or not resource.can_level:
                continue
            if resource.name not in by_name:
                by_name[resource.name] = len(names)
                names.append(resource.name)
                owners.append((project, resource))
            key = (index[(k, assignment.task)], by_name[resource.name])
            demand[key] = demand.get(key, 0) + round(assignment.units * 100)
    # Each resource's units per day, up to the last change of its availability (the last
    # column holds for ever after). Days off in a resource's calendar are not zeroed: the
    # scheduler already runs a task on its resources' calendar, so the task's span in days
    # includes them, and its demand is counted over the whole span.
    changes = [p.finish or p.start for _, resource in owners for p in resource.availability
               if (p.finish or p.start) is not None]
    periods = 1 + (axis.start(dt.datetime.combine(max(changes), dt.time())) + 1
                   if changes else 0)
    capacity = np.zeros((len(names), periods), dtype=np.int64)
    for r, (_, resource) in enumerate(owners):
        for t in range(periods):
            capacity[r, t] = round(resource.max_units_on(axis.day(t)) * 100)
    demands = np.zeros((len(jobs), len(names)), dtype=np.int64)
    for (j, r), units in demand.items():
        demands[j, r] = units

    fixed, latest = [], []
    for k, job in enumerate(jobs):
        task = job.task
        day = job.start.date()
        outside = (first_day is not None and day < first_day) or \
                  (last_day is not None and day > last_day)
        fixed.append(task.priority >= DO_NOT_LEVEL or task.manual or outside
                     or task.actual_start is not None
                     or task.constraint.type in (ConstraintType.MSO, ConstraintType.MFO))
        limit: int | None = None
        if task.constraint.type is ConstraintType.SNLT and task.constraint.date is not None:
            limit = axis.start(task.constraint.date)
        if task.constraint.type is ConstraintType.FNLT and task.constraint.date is not None:
            limit = axis.finish(task.constraint.date) - durations[k]
        latest.append(limit)
    if within_slack:
        for k, (project, plan) in enumerate(zip(cleaned, plans, strict=True)):
            per_day = project.options.minutes_per_day
            for task in project.work_tasks:
                j = index[(k, task.id)]
                slack = max(plan[task].total_float_minutes, 0) // per_day
                bound = release[j] + slack
                current = latest[j]
                latest[j] = bound if current is None else min(bound, current)

    def model(demand: Any, cap: Any, strict: set[int]) -> Rcpsp:
        successors: list[list[int]] = [[] for _ in jobs]
        lags: list[list[int]] = [[] for _ in jobs]
        for (a, b), (said, seen) in links.items():
            successors[a].append(b)
            lags[a].append(said if b in strict else seen)
        return Rcpsp.of(durations, successors, demand, cap, fixed=fixed, latest=latest,
                        priority=[job.task.priority for job in jobs], release=release,
                        lags=lags)

    full = model(demands, capacity, set())
    impossible = full.impossible()
    if impossible is not None:
        j, r = impossible
        job = jobs[j]
        most = int(full.capacity[r].max())
        raise ValidationError(
            f"needs {demands[j, r] / 100:g} units of resource {names[r]!r} for "
            f"{durations[j]} working days in a row, which it never has (at most "
            f"{most / 100:g}); leveling cannot place it", entity=job.task.label,
            field="assignments")
    # A fixed task whose predecessors are all fixed starts where it is, whatever the rest
    # does: take its resources off the capacity before leveling, so that the tasks that may
    # move work around it instead of it being placed wherever the job list puts it.
    settled = [False] * len(jobs)
    for j in full.topological_order():
        settled[j] = fixed[j] and all(settled[p] for p in full.predecessors[j])
    reach = max((release[j] + durations[j] for j in range(len(jobs)) if settled[j]), default=0)
    reserved_capacity = np.concatenate(
        [capacity, np.repeat(capacity[:, -1:], max(reach + 1 - capacity.shape[1], 0), axis=1)],
        axis=1)
    movable_demands = demands.copy()
    for j in (k for k, done in enumerate(settled) if done):
        begin, d = release[j], durations[j]
        reserved_capacity[:, begin:begin + d] -= demands[j][:, None]
        movable_demands[j] = 0
    # Fixed tasks that over-allocate among themselves leave nothing, not less than nothing.
    np.maximum(reserved_capacity, 0, out=reserved_capacity)

    # Level, then let the scheduler place the tasks with the delays found. Where it starts a
    # task later than leveling planned (a link whose cost in days depends on where it falls,
    # such as an elapsed lag over a weekend), level again with that task's links as they say.
    strict: set[int] = set()
    schedules_used, began = 0, time.perf_counter()
    for _ in range(3):
        inst = model(movable_demands, reserved_capacity, strict)
        # The rounds share the time budget; a round out of time makes one pass of the rule.
        left = None if time_budget is None else time_budget - (time.perf_counter() - began)
        solution = solve(inst, seed=seed, schedules=schedules if left is None or left > 0
                         else 1, time_budget=left if left is None or left > 0 else None,
                         rule=_ORDERS[order], backend=backend)
        schedules_used += solution.schedules
        planned = [int(v) for v in solution.starts]
        delays, actual, when, spans = _realise(cleaned, jobs, index, inst, planned, axis)
        late = {j for j in range(len(jobs)) if actual[j] > planned[j]} - strict
        if not late:
            break
        strict |= late
    return _result(model(demands, capacity, strict), actual, when, spans, delays, jobs, names,
                   axis, schedules_used, time.perf_counter() - began)


def _realise(copies: list[Project], jobs: list[_Job], index: dict[tuple[int, str], int],
             inst: Rcpsp, planned: list[int], axis: _Axis
             ) -> tuple[list[int], list[int], list[dt.datetime], list[tuple[int, int]]]:
    """Leveling delays (elapsed days) that make the scheduler start each task on its planned
    day, found by scheduling the copies; returns them, the days the tasks then start, their
    starts, and the working days each one touches."""
    n = len(jobs)
    owner = [0] * n
    for (k, _), j in index.items():
        owner[j] = k
    when = [job.start for job in jobs]
    spans = [(0, 0)] * n
    allowed = inst.release.tolist()
    for j in inst.topological_order():
        for s, lag in zip(inst.successors[j], inst.lags[j], strict=True):
            allowed[s] = max(allowed[s], planned[j] + lag)
    delays = [(axis.day(planned[j]) - axis.day(allowed[j])).days for j in range(n)]
    actual = list(planned)
    order = inst.topological_order()
    for attempt in range(20):
        for j, job in enumerate(jobs):
            task = copies[owner[j]].task(job.task.id)
            task.leveling_delay = Duration.parse(f"{delays[j]}ed") if delays[j] else None
        plans = [project.schedule() for project in copies]
        for (k, task_id), j in index.items():
            row = plans[k][task_id]
            when[j] = row.start
            actual[j] = axis.start(when[j])
            spans[j] = axis.touched(row.start, row.finish)
        off = {j for j in range(n) if actual[j] != planned[j]}
        if not off or attempt == 19:
            break
        # Correct, front to back, the tasks that are off unless a predecessor was just
        # corrected (they may only be following it); a task the scheduler starts later than
        # planned without any delay cannot be corrected and is left as it is.
        corrected: set[int] = set()
        for j in order:
            if j in off and not any(p in corrected for p in inst.predecessors[j]):
                change = (axis.day(planned[j]) - axis.day(actual[j])).days
                new = max(delays[j] + change, 0)
                if new != delays[j]:
                    delays[j] = new
                    corrected.add(j)
        if not corrected:
            break
    return delays, actual, when, spans


def _range(date_range: tuple[Any, Any] | None) -> tuple[dt.date | None, dt.date | None]:
    if date_range is None:
        return None, None
    first, last = (None if d is None else dt.date.fromisoformat(d) if isinstance(d, str)
                   else d for d in date_range)
    if first is not None and last is not None and last < first:
        raise ValidationError(f"ends ({last}) before it starts ({first})", entity="leveling",
                              field="date_range")
    return first, last


def _result(inst: Rcpsp, starts: list[int], when: list[dt.datetime],
            spans: list[tuple[int, int]], delays: list[int], jobs: list[_Job],
            names: list[str], axis: _Axis, schedules: int, seconds: float) -> LevelingResult:
    # Who works when, from the days the scheduler runs each task (not the plan's).
    begin = np.asarray(starts, dtype=np.int64)
    end = max([int((begin + inst.durations).max()) if inst.jobs else 0,
               *(last for _, last in spans)])
    usage = np.zeros((inst.resources, end + 1), dtype=np.int64)
    for j, (first, last) in enumerate(spans):
        usage[:, first:last] += inst.demands[j][:, None]
    earliest = inst.release.copy()
    for j in inst.topological_order():
        for s, lag in zip(inst.successors[j], inst.lags[j], strict=True):
            earliest[s] = max(earliest[s], begin[j] + lag)
    moved: list[LeveledTask] = []
    for j, job in enumerate(jobs):
        allowed, actual = int(earliest[j]), int(begin[j])
        d = int(inst.durations[j])
        span = np.arange(*spans[j])
        still = any(np.any(usage[r, span] > inst.capacity_at(r, end + 1)[span])
                    for r in map(int, np.nonzero(inst.demands[j])[0]))
        if actual == inst.release[j] and not still and not delays[j]:
            continue
        why: list[str] = []
        if delays[j]:
            # The resources that were full somewhere in the days the task would have run.
            window = np.arange(allowed, allowed + d)
            own = (window >= spans[j][0]) & (window < spans[j][1])
            for r in map(int, np.nonzero(inst.demands[j])[0]):
                others = usage[r, window] - own * inst.demands[j, r]
                if np.any(others + inst.demands[j, r] > inst.capacity_at(r, end + 1)[window]):
                    why.append(names[r])
        elif still:
            why = [names[r] for r in map(int, np.nonzero(inst.demands[j])[0])
                   if np.any(usage[r, span] > inst.capacity_at(r, end + 1)[span])]
        moved.append(LeveledTask(project=job.project.name, task=job.task.id,
                                 name=job.task.name, delay=Duration.parse(f"{delays[j]}ed"),
                                 start_before=job.start, start_after=when[j],
                                 resources=tuple(why), unresolved=still))
    finish_before = max((int(inst.release[j] + inst.durations[j]) for j in range(inst.jobs)),
                        default=0)
    return LevelingResult(tasks=tuple(moved), finish_before=axis.day(max(finish_before - 1, 0)),
                          finish_after=axis.day(max(end - 1, 0)), schedules=schedules,
                          seconds=seconds)
