"""Leveling a pmcore project, or several projects sharing resources, by leveling delays.

The project is scheduled without leveling first; each work task (not summaries) becomes a job
of an :class:`~pmcore.leveling.Rcpsp` on an axis of whole working days of the project
calendar, the jobs are leveled by :func:`~pmcore.leveling.solve`, and each job's shift is
turned back into a leveling delay in elapsed days, as Microsoft Project records it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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
from pmcore.model.duration import DurationUnit
from pmcore.model.split import Split

if TYPE_CHECKING:
    from pmcore.schedule import Schedule

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
        splits: with ``split_remaining``, the interruptions leveling made in the task's work
            (:class:`~pmcore.model.split.Split` items marked ``leveling=True``).
    """

    project: str
    task: str
    name: str
    delay: Duration
    start_before: dt.datetime
    start_after: dt.datetime
    resources: tuple[str, ...]
    unresolved: bool
    splits: tuple[Split, ...] = ()


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
                 "unresolved": t.unresolved,
                 "splits": [(str(s.after), str(s.gap)) for s in t.splits]} for t in self.tasks]

    def apply(self, *projects: Project) -> None:
        """Write the leveling delays into the projects' tasks (the user's choice).

        Work tasks of these projects that leveling does not delay get no delay, and lose the
        splits an earlier leveling made, as after Microsoft Project's "clear leveling values
        before leveling"; the splits this leveling made are added to the user's own.
        """
        delays = self.delays
        splits = {(t.project, t.task): t.splits for t in self.tasks if t.splits}
        for project in projects:
            for task in project.work_tasks:
                delay = delays.get((project.name, task.id))
                task.leveling_delay = delay
                made = splits.get((project.name, task.id), ())
                if made or any(s.leveling for s in task.splits):
                    task.splits = (*(s for s in task.splits if not s.leveling), *made)


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
        if any(s.leveling for s in task.splits):
            task.splits = tuple(s for s in task.splits if not s.leveling)
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
    split_remaining: bool = False,
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
        split_remaining: let leveling interrupt a task's remaining work (Microsoft Project's
            "leveling can create splits in remaining work"): a task that may move is placed a
            working day at a time, so it can start where its resources are free and pause
            where they are not. The pauses are :class:`~pmcore.model.split.Split` items
            marked ``leveling=True``. Tasks in progress, like other tasks leveling may not
            move, are not split.
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

    # With split_remaining, a task that may move is leveled a working day at a time: its
    # days are pieces chained one after the other, which the search may pull apart where a
    # resource is busy. Other tasks are one piece.
    fixed: list[bool] = []
    for job in jobs:
        task = job.task
        day = job.start.date()
        outside = (first_day is not None and day < first_day) or \
                  (last_day is not None and day > last_day)
        fixed.append(task.priority >= DO_NOT_LEVEL or task.manual or outside
                     or task.actual_start is not None
                     or task.constraint.type in (ConstraintType.MSO, ConstraintType.MFO))
    pieces: list[list[int]] = []
    piece_task: list[int] = []
    for t in range(len(jobs)):
        count = durations[t] if split_remaining and not fixed[t] and durations[t] > 1 else 1
        pieces.append(list(range(len(piece_task), len(piece_task) + count)))
        piece_task.extend([t] * count)
    p_durations = [1 if len(pieces[t]) > 1 else durations[t] for t in piece_task]
    p_release = [release[t] + k for t in range(len(jobs)) for k in range(len(pieces[t]))]

    # Each link as a least distance between starts in whole days, twice: as the link says
    # (rounded up: a predecessor that ends at noon holds its whole day, an elapsed lag counts
    # every calendar day), and no more than the unleveled schedule shows the two starts apart,
    # which is exact when both move by whole working days. The second is tried first.
    links: dict[tuple[int, int], tuple[int, int]] = {}

    def bind(a: int, b: int, said: int) -> None:
        seen = min(said, p_release[b] - p_release[a])
        old = links.get((a, b))
        links[(a, b)] = (said, seen) if old is None else (max(old[0], said),
                                                          max(old[1], seen))

    for t in range(len(jobs)):
        for a, b in itertools.pairwise(pieces[t]):
            bind(a, b, 1)
    for k, project in enumerate(cleaned):
        for link in project.dependencies:
            for p in _leaves(project, link.predecessor):
                for s in _leaves(project, link.successor):
                    a, b = index[(k, p)], index[(k, s)]
                    lag = _lag_periods(link.lag, durations[a], project)
                    a_first, a_last = pieces[a][0], pieces[a][-1]
                    b_first, b_last = pieces[b][0], pieces[b][-1]
                    if link.type is LinkType.FS:
                        bind(a_last, b_first, p_durations[a_last] + lag)
                    elif link.type is LinkType.SS:
                        bind(a_first, b_first, lag)
                    elif link.type is LinkType.FF:
                        bind(a_last, b_last, p_durations[a_last] + lag - p_durations[b_last])
                    else:
                        bind(a_first, b_last, lag - p_durations[b_last])

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
    demands = np.zeros((len(piece_task), len(names)), dtype=np.int64)
    for (j, r), units in demand.items():
        demands[pieces[j], r] = units

    p_fixed = [fixed[t] for t in piece_task]
    p_latest: list[int | None] = [None] * len(piece_task)
    for t, job in enumerate(jobs):
        task = job.task
        if task.constraint.type is ConstraintType.SNLT and task.constraint.date is not None:
            p_latest[pieces[t][0]] = axis.start(task.constraint.date)
        if task.constraint.type is ConstraintType.FNLT and task.constraint.date is not None:
            last = pieces[t][-1]
            p_latest[last] = axis.finish(task.constraint.date) - p_durations[last]
    if within_slack:
        for k, (project, plan) in enumerate(zip(cleaned, plans, strict=True)):
            per_day = project.options.minutes_per_day
            for task in project.work_tasks:
                slack = max(plan[task].total_float_minutes, 0) // per_day
                for j in pieces[index[(k, task.id)]]:
                    bound = p_release[j] + slack
                    current = p_latest[j]
                    p_latest[j] = bound if current is None else min(bound, current)

    def model(demand: Any, cap: Any, strict: set[int]) -> Rcpsp:
        successors: list[list[int]] = [[] for _ in piece_task]
        lags: list[list[int]] = [[] for _ in piece_task]
        for (a, b), (said, seen) in links.items():
            successors[a].append(b)
            lags[a].append(said if b in strict else seen)
        return Rcpsp.of(p_durations, successors, demand, cap, fixed=p_fixed, latest=p_latest,
                        priority=[jobs[t].task.priority for t in piece_task],
                        release=p_release, lags=lags)

    full = model(demands, capacity, set())
    impossible = full.impossible()
    if impossible is not None:
        j, r = impossible
        job = jobs[piece_task[j]]
        most = int(full.capacity[r].max())
        raise ValidationError(
            f"needs {demands[j, r] / 100:g} units of resource {names[r]!r} for "
            f"{p_durations[j]} working days in a row, which it never has (at most "
            f"{most / 100:g}); leveling cannot place it", entity=job.task.label,
            field="assignments")
    # A fixed task whose predecessors are all fixed starts where it is, whatever the rest
    # does: take its resources off the capacity before leveling, so that the tasks that may
    # move work around it instead of it being placed wherever the job list puts it.
    settled = [False] * len(piece_task)
    for j in full.topological_order():
        settled[j] = p_fixed[j] and all(settled[p] for p in full.predecessors[j])
    reach = max((p_release[j] + p_durations[j] for j in range(len(piece_task)) if settled[j]),
                default=0)
    reserved_capacity = np.concatenate(
        [capacity, np.repeat(capacity[:, -1:], max(reach + 1 - capacity.shape[1], 0), axis=1)],
        axis=1)
    movable_demands = demands.copy()
    for j in (k for k, done in enumerate(settled) if done):
        begin, d = p_release[j], p_durations[j]
        reserved_capacity[:, begin:begin + d] -= demands[j][:, None]
        movable_demands[j] = 0
    # Fixed tasks that over-allocate among themselves leave nothing, not less than nothing.
    np.maximum(reserved_capacity, 0, out=reserved_capacity)

    # Level, then let the scheduler place the tasks with the delays (and splits) found. Where
    # it starts a task later than leveling planned (a link whose cost in days depends on where
    # it falls, such as an elapsed lag over a weekend), level again with that task's links as
    # they say.
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
        realised = _realise(cleaned, jobs, index, inst, planned, axis, pieces)
        late = {j for t in range(len(jobs)) for j in pieces[t][:1]
                if realised.actual[j] > planned[j]} - strict
        if not late:
            break
        strict |= late
    return _result(model(demands, capacity, strict), realised, jobs, pieces, release,
                   durations, names, axis, schedules_used, time.perf_counter() - began)


@attrs.define
class _Realised:
    """What the scheduler makes of a leveling plan, per task (``delays``, ``splits``,
    ``when``: its start, ``days``: the periods it works) and per piece (``actual``)."""

    delays: list[int]
    splits: list[tuple[Split, ...]]
    when: list[dt.datetime]
    days: list[list[tuple[int, int]]]
    actual: list[int]


def _realise(copies: list[Project], jobs: list[_Job], index: dict[tuple[int, str], int],
             inst: Rcpsp, planned: list[int], axis: _Axis, pieces: list[list[int]]
             ) -> _Realised:
    """Leveling delays (elapsed days), and splits where a task's pieces lie apart, that make
    the scheduler run each task on its planned days, found by scheduling the copies."""
    n = len(jobs)
    owner = [0] * n
    for (k, _), t in index.items():
        owner[t] = k
    when = [job.start for job in jobs]
    days: list[list[tuple[int, int]]] = [[(0, 0)]] * n
    allowed = inst.release.tolist()
    order = inst.topological_order()
    for j in order:
        for s, lag in zip(inst.successors[j], inst.lags[j], strict=True):
            allowed[s] = max(allowed[s], planned[j] + lag)
    firsts = [pieces[t][0] for t in range(n)]
    delays = [(axis.day(planned[j]) - axis.day(allowed[j])).days for j in firsts]
    split = [t for t in range(n) if len(pieces[t]) > 1 and
             any(planned[b] > planned[a] + 1 for a, b in itertools.pairwise(pieces[t]))]
    made: list[tuple[Split, ...]] = [()] * n
    actual = list(planned)
    position = {j: k for k, j in enumerate(order)}
    task_order = sorted(range(n), key=lambda t: position[firsts[t]])
    task_of = [t for t in range(n) for _ in pieces[t]]
    before = [{task_of[p] for p in inst.predecessors[firsts[t]]} - {t} for t in range(n)]
    for attempt in range(20):
        tasks = [copies[owner[t]].task(job.task.id) for t, job in enumerate(jobs)]
        for t, task in enumerate(tasks):
            task.leveling_delay = Duration.parse(f"{delays[t]}ed") if delays[t] else None
            if made[t]:
                task.splits = tuple(s for s in task.splits if not s.leveling)
        plans = [project.schedule() for project in copies]
        if split:
            # where the task now starts, the work of each planned day and the gaps between
            for t in split:
                row = plans[owner[t]][jobs[t].task.id]
                made[t] = _pieces_to_splits(plans[owner[t]], jobs[t].task.id, row.start,
                                            [axis.day(planned[j]) for j in pieces[t]])
                tasks[t].splits = (*tasks[t].splits, *made[t])
            plans = [project.schedule() for project in copies]
        for (k, task_id), t in index.items():
            row = plans[k][task_id]
            when[t] = row.start
            days[t] = [axis.touched(a, b) for a, b in row.splits or ((row.start, row.finish),)]
            worked = [d for first, last in days[t] for d in range(first, last)]
            actual[firsts[t]] = axis.start(when[t])
            if len(pieces[t]) > 1:
                for j, d in zip(pieces[t][1:], worked[1:], strict=False):
                    actual[j] = d
        off = {t for t in range(n) if actual[firsts[t]] != planned[firsts[t]]}
        if not off or attempt == 19:
            break
        # Correct, front to back, the tasks that are off unless a predecessor was just
        # corrected (they may only be following it); a task the scheduler starts later than
        # planned without any delay cannot be corrected and is left as it is.
        corrected: set[int] = set()
        for t in task_order:
            j = firsts[t]
            if t in off and not before[t] & corrected:
                change = (axis.day(planned[j]) - axis.day(actual[j])).days
                new = max(delays[t] + change, 0)
                if new != delays[t]:
                    delays[t] = new
                    corrected.add(t)
        if not corrected:
            break
    return _Realised(delays, made, when, days, actual)


def _pieces_to_splits(plan: Schedule, task_id: str, start: dt.datetime,
                      days: list[dt.date]) -> tuple[Split, ...]:
    """The splits that make a task starting at ``start`` work on ``days`` (one piece a day):
    after the work done by the end of each day, a gap to the next planned day."""
    made: list[Split] = []
    worked = 0
    per_day = plan.project.options.minutes_per_day
    for today, following in itertools.pairwise(days):
        end_of_day = _midnight(today + dt.timedelta(days=1))
        worked += plan.working_minutes(task_id, max(start, _midnight(today)), end_of_day)
        gap = plan.working_minutes(task_id, end_of_day, _midnight(following))
        if gap > 0 and worked > 0:
            made.append(Split(Duration(round(worked / per_day, 9), DurationUnit.DAYS),
                              Duration(round(gap / per_day, 9), DurationUnit.DAYS),
                              leveling=True))
    return tuple(made)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _range(date_range: tuple[Any, Any] | None) -> tuple[dt.date | None, dt.date | None]:
    if date_range is None:
        return None, None
    first, last = (None if d is None else dt.date.fromisoformat(d) if isinstance(d, str)
                   else d for d in date_range)
    if first is not None and last is not None and last < first:
        raise ValidationError(f"ends ({last}) before it starts ({first})", entity="leveling",
                              field="date_range")
    return first, last


def _result(inst: Rcpsp, realised: _Realised, jobs: list[_Job], pieces: list[list[int]],
            release: list[int], durations: list[int], names: list[str], axis: _Axis,
            schedules: int, seconds: float) -> LevelingResult:
    # Who works when, from the days the scheduler runs each task (not the plan's).
    firsts = [js[0] for js in pieces]
    task_of = [t for t, js in enumerate(pieces) for _ in js]
    end = max([0, *(last for spans in realised.days for _, last in spans),
               *(realised.actual[j] + int(inst.durations[j]) for j in range(inst.jobs))])
    usage = np.zeros((inst.resources, end + 1), dtype=np.int64)
    for t, spans in enumerate(realised.days):
        for first, last in spans:
            usage[:, first:last] += inst.demands[firsts[t]][:, None]
    earliest = inst.release.copy()
    begin = realised.actual
    for j in inst.topological_order():
        for s, lag in zip(inst.successors[j], inst.lags[j], strict=True):
            if task_of[s] != task_of[j]:  # (a task's own pieces follow its actual days)
                earliest[s] = max(earliest[s], begin[j] + lag)
    moved: list[LeveledTask] = []
    for t, job in enumerate(jobs):
        j = firsts[t]
        demand = inst.demands[j]
        allowed, actual = int(earliest[j]), int(begin[j])
        d = durations[t]
        span = np.array([day for first, last in realised.days[t]
                         for day in range(first, last)], dtype=np.int64)
        still = any(np.any(usage[r, span] > inst.capacity_at(r, end + 1)[span])
                    for r in map(int, np.nonzero(demand)[0]))
        delay, splits = realised.delays[t], realised.splits[t]
        if actual == release[t] and not still and not delay and not splits:
            continue
        why: list[str] = []
        if delay or splits:
            # The resources that were full somewhere in the days the task would have run.
            window = np.arange(allowed, allowed + d)
            own = np.isin(window, span)
            for r in map(int, np.nonzero(demand)[0]):
                others = usage[r, window] - own * demand[r]
                if np.any(others + demand[r] > inst.capacity_at(r, end + 1)[window]):
                    why.append(names[r])
        elif still:
            why = [names[r] for r in map(int, np.nonzero(demand)[0])
                   if np.any(usage[r, span] > inst.capacity_at(r, end + 1)[span])]
        moved.append(LeveledTask(project=job.project.name, task=job.task.id,
                                 name=job.task.name, delay=Duration.parse(f"{delay}ed"),
                                 start_before=job.start, start_after=realised.when[t],
                                 resources=tuple(why), unresolved=still, splits=splits))
    finish_before = max((release[t] + durations[t] for t in range(len(jobs))), default=0)
    return LevelingResult(tasks=tuple(moved), finish_before=axis.day(max(finish_before - 1, 0)),
                          finish_after=axis.day(max(end - 1, 0)), schedules=schedules,
                          seconds=seconds)

