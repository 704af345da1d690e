"""The immutable result of scheduling: dates, floats, the critical path, conflicts.

Dates are produced from the passes' working minutes when they are asked for (per task, or all at
once by :meth:`Schedule.to_records`), so scheduling a very large project does not pay for a
million ``datetime`` objects nobody reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import compress, repeat
from operator import and_
from typing import TYPE_CHECKING, Any

import attrs

from pmcore.errors import UnknownReferenceError
from pmcore.model import Duration, DurationUnit, Project, Task
from pmcore.model.base import collector_paused
from pmcore.schedule.engine import (
    DEADLINE,
    Compiled,
    Passes,
    ProgressMode,
    refresh_tasks,
    run_passes,
    structure_of,
)
from pmcore.schedule.timeline import Timeline

if TYPE_CHECKING:
    from pmcore.leveling import LevelingResult

__all__ = ["Conflict", "Schedule", "TaskSchedule"]


@attrs.frozen
class Conflict:
    """A constraint or deadline that logic breaks; the schedule honours the constraint.

    Attributes:
        task: the task's id.
        kind: ``"MSO"``, ``"MFO"``, ``"SNLT"``, ``"FNLT"`` or ``"deadline"``.
        message: one line, naming the task.
    """

    task: str
    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


@attrs.frozen(kw_only=True)
class TaskSchedule:
    """One task's computed dates and floats.

    Attributes:
        start, finish: the scheduled dates (early dates for ASAP tasks; late for ALAP, or when
            the project is scheduled from its finish; as entered for manual tasks; actual dates
            where there is progress).
        early_start, early_finish, late_start, late_finish: the CPM dates.
        total_float, free_float: working minutes on the task's calendar (negative when a
            constraint or deadline cannot be met).
        critical: total float at or below the schedule's threshold.
        splits: the working spans of a task whose work is interrupted.
    """

    id: str
    name: str
    wbs: str
    start: dt.datetime
    finish: dt.datetime
    early_start: dt.datetime
    early_finish: dt.datetime
    late_start: dt.datetime
    late_finish: dt.datetime
    total_float_minutes: int
    free_float_minutes: int
    critical: bool
    summary: bool
    milestone: bool
    refs: dict[str, str]
    splits: tuple[tuple[dt.datetime, dt.datetime], ...] = ()

    @property
    def total_float(self) -> Duration:
        """Total float in working days (of the project's hours per day)."""
        return Duration(self.total_float_minutes, DurationUnit.MINUTES)

    @property
    def free_float(self) -> Duration:
        """Free float in working minutes."""
        return Duration(self.free_float_minutes, DurationUnit.MINUTES)


class Schedule:
    """The schedule of a project at one moment; immutable. Build one with ``project.schedule()``.

    >>> import pmcore
    >>> p = pmcore.Project("Demo", start="2027-01-04")
    >>> a = p.add_task("Design", "2d")
    >>> b = p.add_task("Build", "3d", after=a)
    >>> s = p.schedule()
    >>> s[b].finish
    datetime.datetime(2027, 1, 8, 17, 0)
    """

    def __init__(self, compiled: Compiled, passes: Passes, *, status_date: dt.datetime | None,
                 critical_threshold: int, progress_mode: str = ProgressMode.RETAINED_LOGIC):
        self._c = compiled
        self._p = passes
        self.progress_mode = progress_mode
        self._index = compiled.index
        self._cache: dict[int, TaskSchedule] = {}
        self.status_date = status_date
        self.critical_threshold_minutes = critical_threshold
        project_tl = compiled.timelines[0]
        self.start: dt.datetime = project_tl.start_datetime(passes.project_start)
        """The project's start."""
        self.finish: dt.datetime = project_tl.datetime(passes.project_finish_instant)
        """The project's finish: the latest finish of any task."""
        self.duration_minutes: int = passes.project_finish - passes.project_start
        """Working minutes from start to finish on the project calendar."""
        self.conflicts: tuple[Conflict, ...] = tuple(
            Conflict(compiled.ids[i], kind, f"{compiled.tasks[i].label}: {message}")
            for i, kind, message in passes.conflicts) + self._missed_deadlines()
        """Constraints and deadlines that logic breaks (reported, not raised)."""
        self.warnings: tuple[str, ...] = tuple(compiled.warnings)
        self.leveling: LevelingResult | None = None
        """With ``schedule(..., level=True)``: what resource leveling did."""

    # -- per task ---------------------------------------------------------------------------

    @property
    def project(self) -> Project:
        """The project this schedule was computed for (a private copy with ``level=True``)."""
        return self._c.project

    @property
    def compiled(self) -> Compiled:
        """The project as the flat lists the passes ran on
        (:class:`pmcore.schedule.engine.Compiled`), for code that runs the passes again on the
        same plan, such as the Monte Carlo analysis; read-only."""
        return self._c

    def working_minutes(self, task: Task | str, start: dt.datetime,
                        finish: dt.datetime) -> int:
        """Working minutes of ``task``'s calendar (its resources', its own or the project's;
        the clock for elapsed durations) from ``start`` to ``finish``; 0 if they are reversed.

        Resource workloads use it to spread an assignment's work over days and weeks.
        """
        tl = self._timeline(self._position(task))
        return max(0, tl.work_at(tl.instant(finish)) - tl.work_at(tl.instant(start)))

    def working_span(self, task: Task | str, start: dt.datetime,
                     finish: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """The first and last working moments of ``task``'s calendar from ``start`` to
        ``finish`` (Monday 08:00 and 17:00 for midnight to midnight on the standard calendar).
        """
        tl = self._timeline(self._position(task))
        first, last = tl.work_at(tl.instant(start)), tl.work_at(tl.instant(finish))
        return tl.start_datetime(first), tl.finish_datetime(max(first, last))

    def _timeline(self, i: int) -> Timeline:
        t = self._c.timeline_of[i]
        return self._c.elapsed if t < 0 else self._c.timelines[t]

    def _position(self, task: Task | str) -> int:
        key = task.id if isinstance(task, Task) else task
        position = self._index.get(key)
        if position is None:
            raise UnknownReferenceError(str(key), kind="task", entity="schedule")
        return position

    def _total_float(self, i: int) -> int:
        p = self._p
        if self._c.timeline_of[i] < 0:  # elapsed: float in working time of the task's calendar
            clock, own = self._c.elapsed, self._c.timelines[self._c.lag_timeline_of[i]]
            return min(
                own.work_at(clock.start_instant(p.late_start[i]))
                - own.work_at(clock.start_instant(p.early_start[i])),
                own.work_at(clock.finish_instant(p.late_finish[i]))
                - own.work_at(clock.finish_instant(p.early_finish[i])))
        return min(p.late_start[i] - p.early_start[i], p.late_finish[i] - p.early_finish[i])

    def _free_float(self, i: int) -> int:
        free = self._p.free_float[i]
        if self._c.timeline_of[i] < 0:
            clock, own = self._c.elapsed, self._c.timelines[self._c.lag_timeline_of[i]]
            finish = clock.finish_instant(self._p.finish[i])
            free = own.work_at(finish + free) - own.work_at(finish)
        return min(free, self._total_float(i))  # never more than total float

    def __getitem__(self, task: Task | str) -> TaskSchedule:
        i = self._position(task)
        cached = self._cache.get(i)
        if cached is None:
            cached = self._cache[i] = self._build(i)
        return cached

    def _build(self, i: int) -> TaskSchedule:
        c, p = self._c, self._p
        task = c.tasks[i]
        tl = self._timeline(i)
        # A task without a duration is scheduled as a milestone (the compiler warns).
        milestone = not c.summary[i] and (
            task.is_milestone or (task.duration is None and not task.manual))
        # Zero length shows at one moment, whatever the milestone flag says; a milestone
        # waiting for the next working time shows there only where it is: dates that moved
        # from its early date (late dates, ALAP) end the working time before them.
        point = not c.summary[i] and c.duration[i] == 0
        at_start = p.milestone_at_start[i]
        early = p.early_start[i]

        def begin(work: int) -> dt.datetime:
            return tl.finish_datetime(work) if point and not (at_start and work == early) \
                else tl.start_datetime(work)

        def end(work: int) -> dt.datetime:
            return tl.start_datetime(work) if point and at_start and work == early \
                else tl.finish_datetime(work)

        total = self._total_float(i)
        if c.summary[i]:  # dates roll up as instants: children may run on other calendars
            kids = [self[c.ids[k]] for k in c.children[i]]
            return TaskSchedule(
                id=task.id, name=task.name, wbs=c.project.wbs_code(task),
                start=min(k.start for k in kids), finish=max(k.finish for k in kids),
                early_start=min(k.early_start for k in kids),
                early_finish=max(k.early_finish for k in kids),
                late_start=min(k.late_start for k in kids),
                late_finish=max(k.late_finish for k in kids),
                total_float_minutes=total, free_float_minutes=self._free_float(i),
                critical=total <= self.critical_threshold_minutes, summary=True,
                milestone=False, refs=dict(task.external_refs))
        start, finish = begin(p.start[i]), end(p.finish[i])
        early_start, early_finish = begin(p.early_start[i]), end(p.early_finish[i])
        if task.manual and task.actual_start is None and task.start and task.finish:
            # kept as entered, even in non-working time the axis cannot show
            start = early_start = task.start
            finish = early_finish = task.finish
        return TaskSchedule(
            id=task.id, name=task.name, wbs=c.project.wbs_code(task),
            start=start, finish=finish, early_start=early_start, early_finish=early_finish,
            late_start=begin(p.late_start[i]), late_finish=end(p.late_finish[i]),
            total_float_minutes=total, free_float_minutes=self._free_float(i),
            critical=total <= self.critical_threshold_minutes, summary=c.summary[i],
            milestone=milestone, refs=dict(task.external_refs),
            splits=tuple((tl.start_datetime(a), tl.finish_datetime(b))
                         for a, b in p.splits.get(i, ())),
        )

    def __iter__(self) -> Iterator[TaskSchedule]:
        return (self[task_id] for task_id in self._c.ids)

    def __len__(self) -> int:
        return len(self._c.ids)

    def __contains__(self, task: object) -> bool:
        key = task.id if isinstance(task, Task) else task
        return key in self._index

    # -- the whole schedule -----------------------------------------------------------------

    def is_critical(self, task: Task | str) -> bool:
        """True when the task's total float is at or below the threshold."""
        return self._total_float(self._position(task)) <= self.critical_threshold_minutes

    @property
    def critical_tasks(self) -> tuple[str, ...]:
        """Ids of critical work tasks and milestones (not summaries), in early-start order."""
        c, p = self._c, self._p
        chosen = [i for i in range(len(c.ids)) if not c.summary[i]
                  and self._total_float(i) <= self.critical_threshold_minutes]
        chosen.sort(key=lambda i: (self._timeline(i).start_instant(p.early_start[i]), i))
        return tuple(c.ids[i] for i in chosen)

    @property
    def critical_path(self) -> tuple[str, ...]:
        """The critical path: the chain of driving links ending at the project's finish.

        When several chains finish the project, the one through the earliest-starting task is
        returned; :attr:`critical_paths` gives them all.
        """
        paths = self.critical_paths
        return paths[0] if paths else ()

    @property
    def critical_paths(self) -> tuple[tuple[str, ...], ...]:
        """Every chain of critical tasks linked by driving links that ends the project."""
        c = self._c
        threshold = self.critical_threshold_minutes
        critical = [i for i in range(len(c.ids)) if not c.summary[i]
                    and self._total_float(i) <= threshold]
        driving = {i: self._critical_drivers(i) for i in critical}
        driven = {d for drivers in driving.values() for d in drivers}
        paths = []
        for end in (i for i in critical if i not in driven):
            chain = [end]
            seen = {end}
            while True:
                options = [d for d in driving.get(chain[-1], ()) if d not in seen]
                if not options:
                    break
                chain.append(options[0])
                seen.add(options[0])
            paths.append(tuple(c.ids[i] for i in reversed(chain)))
        # Chains that finish the project first, then by their first task's start.
        paths.sort(key=lambda path: (self[path[-1]].early_finish != self.finish,
                                     self[path[0]].early_start, path))
        return tuple(paths)

    def _critical_drivers(self, i: int) -> list[int]:
        """Critical work tasks whose links drive ``i``, through summaries on either side."""
        c, p = self._c, self._p
        threshold = self.critical_threshold_minutes
        found: list[int] = []
        node = i
        while node >= 0:  # links into a summary drive every task below it
            for link in p.drivers[node]:
                pred = self._leaf_end(c.link_pred[link])
                if self._total_float(pred) <= threshold and pred not in found:
                    found.append(pred)
            if found:
                break
            node = c.parent[node]
        return found

    def _leaf_end(self, i: int) -> int:
        """A summary as a link's predecessor stands for its latest-finishing child."""
        c, p = self._c, self._p
        while c.summary[i]:
            i = max(c.children[i], key=lambda k: self._timeline(k).finish_instant(
                p.early_finish[k]))
        return i

    def driving_path(self, task: Task | str) -> tuple[str, ...]:
        """The chain of driving predecessors that sets ``task``'s early start, first first."""
        c = self._c
        chain = [self._position(task)]
        seen = set(chain)
        while True:
            node = chain[-1]
            links = self._p.drivers[node]
            if not links:  # driven through its summary: the summary joins the path
                parents = []
                while not links and c.parent[node] >= 0:
                    node = c.parent[node]
                    parents.append(node)
                    links = self._p.drivers[node]
                if not links or parents[-1] in seen:
                    break
                chain.append(parents[-1])
                seen.add(parents[-1])
            pred = c.link_pred[links[0]]
            if pred in seen:
                break
            chain.append(pred)
            seen.add(pred)
        return tuple(c.ids[i] for i in reversed(chain))

    def driving_predecessors(self, task: Task | str) -> tuple[str, ...]:
        """Ids of the predecessors whose links set ``task``'s early dates."""
        c, p = self._c, self._p
        return tuple(c.ids[c.link_pred[link]] for link in p.drivers[self._position(task)])

    def _missed_deadlines(self) -> tuple[Conflict, ...]:
        c, p = self._c, self._p
        missed = []
        for i in compress(range(len(c.tasks)), map(and_, c.flags, repeat(DEADLINE))):
            task = c.tasks[i]
            if task.deadline is None:
                continue
            tl = self._timeline(i)
            if tl.finish_instant(p.finish[i]) > tl.instant(task.deadline):
                missed.append(Conflict(task.id, "deadline",
                                       f"{task.label}: finishes after its deadline "
                                       f"{task.deadline:%Y-%m-%d %H:%M}"))
        return tuple(missed)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per task, in outline order, with the public JSON field names."""
        return [{
            "id": t.id, "name": t.name, "wbs": t.wbs, "refs": t.refs,
            "start": t.start, "finish": t.finish, "early_start": t.early_start,
            "early_finish": t.early_finish, "late_start": t.late_start,
            "late_finish": t.late_finish, "total_float_minutes": t.total_float_minutes,
            "free_float_minutes": t.free_float_minutes, "critical": t.critical,
            "summary": t.summary, "milestone": t.milestone,
        } for t in self]

    def reschedule(self, changed: Iterable[Task | str] | None = None) -> Schedule:
        """Schedule the project again after a change, redoing only what the change can affect.

        When the project's structure is unchanged (the same tasks, outline, links, calendars
        and project dates), the compiled project is reused and only the tasks in ``changed``
        are re-read; early dates before the first changed task in topological order are kept,
        as nothing there depends on it. Give every task whose duration, constraint, progress
        or dates you changed; with ``changed=None`` every task is re-read. After a structural
        change this is simply a full :func:`pmcore.schedule`. This schedule is not modified.
        """
        from pmcore.schedule import schedule

        project = self._c.project
        threshold = f"{self.critical_threshold_minutes}m"
        if structure_of(project) != self._c.structure:
            return schedule(project, status_date=self.status_date,
                            critical_threshold=threshold, progress_mode=self.progress_mode,
                            backend="numba" if self._c.jit else "auto")
        with collector_paused():
            compiled = attrs.evolve(self._c, duration=list(self._c.duration),
                                    timeline_of=list(self._c.timeline_of),
                                    flags=list(self._c.flags))
            if changed is None:
                indices = list(range(len(compiled.ids)))
            else:
                indices = [self._position(task) for task in changed]
            refresh_tasks(compiled, indices)
            first = min((compiled.position_of(i) for i in indices), default=len(compiled.order))
            passes = run_passes(compiled, status_date=self.status_date,
                                progress_mode=self.progress_mode, resume=(self._p, first))
            return Schedule(compiled, passes, status_date=self.status_date,
                            critical_threshold=self.critical_threshold_minutes,
                            progress_mode=self.progress_mode)

    def apply(self, project: Project | None = None) -> None:
        """Write the scheduled start and finish into the project's tasks (the user's choice)."""
        target = project or self._c.project
        for record in self:
            task = target.task(record.id)
            task.start, task.finish = record.start, record.finish

    def __repr__(self) -> str:
        return (f"Schedule(start='{self.start:%Y-%m-%d %H:%M}', "
                f"finish='{self.finish:%Y-%m-%d %H:%M}', tasks={len(self)}, "
                f"critical={len(self.critical_tasks)}, conflicts={len(self.conflicts)})")
