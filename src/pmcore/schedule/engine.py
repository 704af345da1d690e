"""The critical path method on working-time calendars: forward pass, backward pass, floats.

The project is compiled once into flat lists (durations in working minutes, links as index
arrays, one :class:`~pmcore.schedule.timeline.Timeline` per calendar), and both passes walk the
precedence graph in topological order doing integer arithmetic. Each task's dates are held as
working minutes of *its own* calendar; a link between tasks on different calendars goes through
an absolute instant, and a lag runs on the successor's calendar (elapsed lags on the clock).

Summary tasks are two nodes: an *in* node, processed before their children, that carries the
constraints of links into the summary down to every child, and an *out* node, processed after
them, that rolls the children's dates up and from which the summary's own links leave.

Constraint dates are honoured, as Microsoft Project does by default: a constraint that logic
would break wins, the break is reported as a conflict, and the schedule shows negative float.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from typing import Any

import attrs

from pmcore.errors import CycleError
from pmcore.model import ConstraintType, LinkType, Project, ScheduleFrom, Task
from pmcore.model.duration import Duration
from pmcore.schedule.timeline import ElapsedTimeline, Timeline

__all__ = ["Compiled", "ProgressMode", "compile_project", "refresh_tasks", "run_passes",
           "structure_of"]

FS, SS, FF, SF = 0, 1, 2, 3
_LINK_CODES = {LinkType.FS: FS, LinkType.SS: SS, LinkType.FF: FF, LinkType.SF: SF}
_NO_LAG, _WORK_LAG, _ELAPSED_LAG, _PERCENT_LAG = 0, 1, 2, 3
_BIG = 1 << 62


class ProgressMode:
    """How remaining work of a task started out of sequence is scheduled (as in MS Project)."""

    RETAINED_LOGIC = "retained_logic"
    """The remaining work waits for the task's predecessors (Microsoft Project's default)."""
    PROGRESS_OVERRIDE = "progress_override"
    """The remaining work continues at the status date, ignoring the predecessors."""


@attrs.define
class Compiled:
    """The project as flat lists, built once per schedule."""

    project: Project
    ids: list[str]
    tasks: list[Task]
    timelines: list[Timeline]  # index 0: the project calendar
    timeline_of: list[int]  # the timeline a task is scheduled on (elapsed tasks: the clock)
    lag_timeline_of: list[int]  # the task's own calendar, on which lags into it run
    duration: list[int]
    summary: list[bool]
    parent: list[int]  # -1 at the top level
    children: list[list[int]]
    link_pred: list[int]
    link_succ: list[int]
    link_type: list[int]
    link_lag_kind: list[int]
    link_lag: list[float]  # minutes (work or clock), or a percentage
    link_lag_share: list[bool]  # the lag is a percentage of the predecessor's duration
    incoming: list[list[int]]
    outgoing: list[list[int]]
    order: list[int]  # nodes in topological order: i is a task's (in) node, n + i a summary's out
    elapsed: ElapsedTimeline
    warnings: list[str]
    structure: tuple[Any, ...]  # what the compiled lists depend on, besides durations

    def position_of(self, task: int) -> int:
        """Where a task's (in) node stands in the topological order."""
        if self._positions is None:
            self._positions = {node: k for k, node in enumerate(self.order)}
        return self._positions[task]

    _positions: dict[int, int] | None = attrs.field(default=None, init=False, eq=False)


def structure_of(project: Project) -> tuple[Any, ...]:
    """A fingerprint of everything a compiled schedule depends on except task durations.

    Tuples of the very objects (tasks, links, calendars' week and exception tuples, which are
    replaced on every change), so comparing two fingerprints is mostly identity checks.
    """
    tasks = project.tasks
    return (tasks, tuple(t.parent for t in tasks), tuple(t.calendar for t in tasks),
            project.dependencies, project.calendar, project.start, project.finish,
            project.schedule_from, project.options,
            tuple((c, c.base, c.week, c.work_weeks, c.exceptions)
                  for c in project.calendars.values()))


def _minutes(duration: Duration, project: Project) -> int:
    return round(duration.to_minutes(project.options))


def compile_project(project: Project) -> Compiled:
    """Flatten ``project`` for the passes (no dates are computed here)."""
    tasks = list(project.tasks)
    ids = [t.id for t in tasks]
    index = {task_id: i for i, task_id in enumerate(ids)}
    n = len(tasks)
    origin = (project.start or project.finish or _earliest_date(tasks) or
              dt.datetime(2000, 1, 3)).date()
    elapsed = ElapsedTimeline(origin)
    timelines: list[Timeline] = [Timeline(project.effective_calendar(), origin)]
    by_calendar: dict[str, int] = {project.calendar: 0}
    timeline_of = [0] * n
    lag_timeline_of = [0] * n
    duration = [0] * n
    warnings: list[str] = []
    children: list[list[int]] = [[] for _ in range(n)]
    parent = [-1] * n
    for i, task in enumerate(tasks):
        if task.parent is not None:
            parent[i] = index[task.parent]
            children[parent[i]].append(i)
        if task.calendar is not None:
            position = by_calendar.get(task.calendar)
            if position is None:
                position = by_calendar[task.calendar] = len(timelines)
                timelines.append(Timeline(project.task_calendar(task), origin))
            lag_timeline_of[i] = timeline_of[i] = position
    summary = [bool(c) for c in children]
    # Plans repeat few distinct durations; the key avoids hashing the enum on every lookup.
    known: dict[tuple[float, int], tuple[int, bool]] = {}

    def durations(value: Duration) -> tuple[int, bool]:
        key = (value.value, id(value.unit))
        found = known.get(key)
        if found is None:
            found = known[key] = (_minutes(value, project), value.elapsed)
        return found

    for i, task in enumerate(tasks):
        if summary[i]:
            continue
        if task.duration is None:
            if not task.manual:
                warnings.append(f"{task.label} has no duration; scheduled as a milestone")
            continue
        minutes, elapsed_unit = durations(task.duration)
        duration[i] = minutes
        if elapsed_unit:
            timeline_of[i] = -1  # the clock; resolved to the elapsed timeline below
    link_pred: list[int] = []
    link_succ: list[int] = []
    link_type: list[int] = []
    link_lag_kind: list[int] = []
    link_lag: list[float] = []
    link_share: list[bool] = []
    incoming: list[list[int]] = [[] for _ in range(n)]
    outgoing: list[list[int]] = [[] for _ in range(n)]
    for number, link in enumerate(project.dependencies):
        pred, succ = index[link.predecessor], index[link.successor]
        lag = link.lag
        if lag.value == 0:
            kind, value = _NO_LAG, 0.0
        elif lag.is_percent and lag.elapsed:  # "50e%": that share of the duration, on the clock
            kind, value = _ELAPSED_LAG, lag.value  # resolved per run: durations may change
        elif lag.is_percent:
            kind, value = _PERCENT_LAG, lag.value
        else:
            minutes, elapsed_unit = durations(lag)
            kind, value = (_ELAPSED_LAG if elapsed_unit else _WORK_LAG), float(minutes)
        link_share.append(lag.is_percent)
        link_pred.append(pred)
        link_succ.append(succ)
        link_type.append(_LINK_CODES[link.type])
        link_lag_kind.append(kind)
        link_lag.append(value)
        incoming[succ].append(number)
        outgoing[pred].append(number)
    order = _topological_order(n, summary, children, parent, link_pred, link_succ, ids,
                               project)
    return Compiled(project=project, ids=ids, tasks=tasks, timelines=timelines,
                    timeline_of=timeline_of, lag_timeline_of=lag_timeline_of,
                    duration=duration, summary=summary, parent=parent, children=children,
                    link_pred=link_pred, link_succ=link_succ, link_type=link_type,
                    link_lag_kind=link_lag_kind, link_lag=link_lag, link_lag_share=link_share,
                    incoming=incoming,
                    outgoing=outgoing, order=order, elapsed=elapsed, warnings=warnings,
                    structure=structure_of(project))


def refresh_tasks(c: Compiled, changed: Sequence[int]) -> None:
    """Re-read the durations of ``changed`` tasks (the structure is unchanged)."""
    project = c.project
    for i in changed:
        if c.summary[i]:
            continue
        task = c.tasks[i]
        c.timeline_of[i] = c.lag_timeline_of[i]
        if task.duration is None:
            c.duration[i] = 0
            continue
        c.duration[i] = _minutes(task.duration, project)
        if task.duration.elapsed:
            c.timeline_of[i] = -1


def _earliest_date(tasks: Sequence[Task]) -> dt.datetime | None:
    dates = [d for t in tasks for d in (t.start, t.actual_start, t.constraint.date) if d]
    return min(dates) if dates else None


def _topological_order(n: int, summary: list[bool], children: list[list[int]],
                       parent: list[int], link_pred: list[int], link_succ: list[int],
                       ids: list[str], project: Project) -> list[int]:
    """Kahn's algorithm over task nodes and summaries' out nodes (n + i)."""
    successors: list[list[int]] = [[] for _ in range(2 * n)]
    indegree = [0] * (2 * n)
    for i in range(n):
        if summary[i]:
            for child in children[i]:
                successors[i].append(child)
                indegree[child] += 1
                successors[n + child if summary[child] else child].append(n + i)
                indegree[n + i] += 1
    for pred, succ in zip(link_pred, link_succ, strict=True):
        successors[n + pred if summary[pred] else pred].append(succ)
        indegree[succ] += 1
    nodes = list(range(n)) + [n + i for i in range(n) if summary[i]]
    queue = deque(node for node in nodes if indegree[node] == 0)
    order: list[int] = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    if len(order) < len(nodes):
        project.validate().raise_for_errors()  # names a link to a task's own summary, or a loop
        loop = project._network().cycles()
        if loop:
            raise CycleError(loop[0], entity=project.label, names=project._names(loop[0]))
        stuck = sorted({ids[node % n] for node in nodes if indegree[node] > 0})
        raise CycleError([*stuck[:10], stuck[0]], entity=project.label)
    return order


@attrs.define
class Passes:
    """What the passes compute, per task, in working minutes of the task's timeline."""

    early_start: list[int]
    early_finish: list[int]
    late_start: list[int]
    late_finish: list[int]
    start: list[int]  # scheduled (early for ASAP, shifted for ALAP, fixed for manual/actual)
    finish: list[int]
    free_float: list[int]
    project_start: int  # on the project timeline
    project_finish: int
    drivers: list[list[int]]  # per task: the links that drive its early dates
    milestone_at_start: list[bool]  # per milestone: shown at the next working time
    conflicts: list[tuple[int, str, str]]  # (task, kind, message)
    splits: list[list[tuple[int, int]]]  # per task: working spans (start, finish) when split
    project_finish_instant: int  # absolute minutes: the latest finish, maybe in non-working time
    start_floor: list[int]  # per summary: what links into it impose on its children
    finish_floor: list[int]


def run_passes(c: Compiled, *, status_date: dt.datetime | None,
               progress_mode: str = ProgressMode.RETAINED_LOGIC,
               resume: tuple[Passes, int] | None = None) -> Passes:
    """Forward pass, backward pass, floats and ALAP placement.

    ``resume=(previous, position)`` reuses ``previous``'s early dates for the nodes before
    ``position`` in topological order: nothing there can depend on what changed after it.
    """
    project = c.project
    n = len(c.tasks)
    timelines = c.timelines
    tl_of = [c.elapsed if t < 0 else timelines[t] for t in c.timeline_of]
    lag_tl_of = [timelines[t] for t in c.lag_timeline_of]
    project_tl = timelines[0]
    duration = c.duration
    summary = c.summary
    tasks = c.tasks
    link_pred, link_succ, link_type = c.link_pred, c.link_succ, c.link_type
    lag_kind, lag_value = c.link_lag_kind, c.link_lag
    conflicts: list[tuple[int, str, str]] = []

    def convert(value: int, source: Timeline, target: Timeline, at_start: bool) -> int:
        if source is target:
            return value
        instant = source.start_instant(value) if at_start else source.finish_instant(value)
        return target.work_at(instant)

    def lag_minutes(link: int) -> int:
        kind = lag_kind[link]
        if kind == _PERCENT_LAG:
            return round(duration[link_pred[link]] * lag_value[link] / 100.0)
        return int(lag_value[link])

    def shifted(value: int, source: Timeline, target: Timeline, lag_tl: Timeline, link: int,
                at_start_source: bool, at_start_target: bool, sign: int) -> int:
        """``value`` on ``source`` moved by the link's lag (times ``sign``), on ``target``."""
        kind = lag_kind[link]
        if kind != _ELAPSED_LAG and source is target is lag_tl:
            return value + sign * lag_minutes(link) if kind else value
        return target.work_at(shifted_instant(value, source, lag_tl, link, at_start_source,
                                              at_start_target, sign))

    def shifted_instant(value: int, source: Timeline, lag_tl: Timeline, link: int,
                        at_start_source: bool, at_start_target: bool, sign: int) -> int:
        """The absolute instant a link points to (see :func:`shifted`)."""
        kind = lag_kind[link]
        instant = source.start_instant(value) if at_start_source else source.finish_instant(value)
        if kind == _ELAPSED_LAG:
            instant += sign * lag_clock[link]
        elif kind and lag_minutes(link):  # (a percentage of a milestone is no lag at all)
            moved = lag_tl.work_at(instant) + sign * lag_minutes(link)
            instant = lag_tl.start_instant(moved) if at_start_target else \
                lag_tl.finish_instant(moved)
        return instant

    # Per link, what the hot loops need: which ends it joins, and whether it stays on one
    # calendar (then a lag is plain addition; otherwise it goes through an instant).
    all_timelines = [*timelines, c.elapsed]
    tl_index = [len(timelines) if t < 0 else t for t in c.timeline_of]
    parent, incoming, outgoing, order = c.parent, c.incoming, c.outgoing, c.order
    link_from_start = [kind in (SS, SF) for kind in link_type]
    link_to_start = [kind in (FS, SS) for kind in link_type]
    lag_clock = [round(duration[link_pred[k]] * lag_value[k] / 100.0) if c.link_lag_share[k]
                 else int(lag_value[k]) for k in range(len(link_type))]
    link_simple = [lag_kind[link] != _ELAPSED_LAG
                   and tl_of[link_pred[link]] is tl_of[link_succ[link]] is
                   lag_tl_of[link_succ[link]] for link in range(len(link_type))]
    link_lag = [lag_minutes(link) if lag_kind[link] else 0 for link in range(len(link_type))]

    start_instant = project_tl.instant(project.start) if project.start is not None else 0
    status_instant = None if status_date is None else project_tl.instant(status_date)

    def work(tl: Timeline, moment: dt.datetime) -> int:
        return tl.work_at(tl.instant(moment))

    backward = project.schedule_from is ScheduleFrom.FINISH
    resume_from: tuple[Passes, int] | None = resume
    at_start = [False] * n
    start_floor: list[int] = []
    finish_floor: list[int] = []
    # A link into a task in progress binds only its remaining work (retained logic) or no
    # longer binds (progress override); -1 for tasks not in progress.
    remaining = [-1] * n
    for i, task in enumerate(tasks):
        if task.actual_start is not None and task.actual_finish is None and not summary[i]:
            remaining[i] = duration[i] - round(duration[i] * task.percent_complete / 100.0)
    override = progress_mode == ProgressMode.PROGRESS_OVERRIDE

    def milestone_at_start(i: int, start: int, project_start: int, es: list[int],
                           ef: list[int]) -> bool:
        """Whether a milestone shows at the start of the next working period.

        Within one calendar a milestone sits at the end of the working time before it (after
        a task finishing on Friday at 17:00, at 17:00). When what drives it falls inside
        non-working time of its own calendar (a project start at 08:00, a predecessor on
        another calendar finishing on a Sunday), it waits for the next working time.
        """
        tl = tl_of[i]
        candidates = [project_start]
        task = tasks[i]
        if task.constraint.date is not None:
            candidates.append(tl.instant(task.constraint.date))
        for link in c.incoming[i]:
            pred = link_pred[link]
            kind = link_type[link]
            from_start = kind in (SS, SF)
            point = es[pred] if from_start else ef[pred]
            # a working lag ends where its last working minute does (a milestone 4h after
            # 08:00 is at 12:00, as a 4h task would finish), not at the next working time
            candidates.append(shifted_instant(point, tl_of[pred], lag_tl_of[i], link,
                                              from_start or at_start[pred], False, 1))
        binding = [moment for moment in candidates if tl.work_at(moment) == start]
        return bool(binding) and max(binding) > tl.finish_instant(start)

    # ---------------------------------------------------------------- forward pass
    def forward(start_instant: int) -> tuple[list[int], list[int], list[list[int]],
                                           list[list[tuple[int, int]]]]:
        """Early dates from ``start_instant`` (absolute minutes on the project axis)."""
        es = [0] * n
        ef = [0] * n
        start_floor[:] = [-_BIG] * n  # for summaries: on the summary's timeline
        finish_floor[:] = [-_BIG] * n
        drivers: list[list[int]] = [[] for _ in range(n)]
        at_start[:] = [False] * n
        splits: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        conflicts.clear()
        first = 0
        if resume_from is not None and not backward:
            previous, first = resume_from
            es, ef = list(previous.early_start), list(previous.early_finish)
            start_floor[:], finish_floor[:] = previous.start_floor, previous.finish_floor
            drivers, splits = list(previous.drivers), list(previous.splits)
            at_start[:] = previous.milestone_at_start
            kept = {node for node in order[:first] if node < n}
            conflicts.extend(conflict for conflict in previous.conflicts if conflict[0] in kept)
        base_of = [timeline.work_at(start_instant) for timeline in all_timelines]
        for node in order[first:] if first else order:
            if node >= n:  # a summary's out node: roll up
                i = node - n
                tl = tl_of[i]
                kids = c.children[i]
                es[i] = min(convert(es[k], tl_of[k], tl, True) for k in kids)
                ef[i] = max(convert(ef[k], tl_of[k], tl, False) for k in kids)
                continue
            i = node
            tl = tl_of[i]
            task = tasks[i]
            floor_start = base_of[tl_index[i]]
            floor_finish = -_BIG
            driver_start: list[int] = []
            driver_finish: list[int] = []
            p = parent[i]
            if p >= 0 and start_floor[p] > base_of[tl_index[p]]:  # links into the summary
                # (the project start comes from the task's own calendar: converting it through
                # the summary's could move it to that calendar's next working time)
                floor = start_floor[p] if tl_of[p] is tl else convert(start_floor[p], tl_of[p],
                                                                       tl, True)
                if floor > floor_start:
                    floor_start = floor
            if p >= 0 and finish_floor[p] > -_BIG:
                floor_finish = convert(finish_floor[p], tl_of[p], tl, False)
            if status_instant is not None and task.actual_start is None and not summary[i]:
                floor_start = max(floor_start, tl.work_at(status_instant))
            for link in incoming[i]:
                pred = link_pred[link]
                from_start = link_from_start[link]
                to_start = link_to_start[link]
                if link_simple[link]:
                    value = (es[pred] if from_start else ef[pred]) + link_lag[link]
                else:
                    # a milestone shown at the next working time leaves from there
                    value = shifted(es[pred] if from_start else ef[pred], tl_of[pred], tl,
                                    lag_tl_of[i], link, from_start or at_start[pred],
                                    to_start, 1)
                if to_start:
                    if value > floor_start:
                        floor_start, driver_start = value, [link]
                    elif value == floor_start:
                        driver_start.append(link)
                elif value > floor_finish:
                    floor_finish, driver_finish = value, [link]
                elif value == floor_finish:
                    driver_finish.append(link)
            if summary[i]:
                start_floor[i] = floor_start
                finish_floor[i] = floor_finish
                drivers[i] = driver_start + driver_finish
                continue
            dur = duration[i]
            start = floor_start
            chosen = driver_start
            if floor_finish - dur > start:
                start, chosen = floor_finish - dur, driver_finish
            elif floor_finish - dur == start and driver_finish:
                chosen = driver_start + driver_finish
            drivers[i] = chosen
            constraint = task.constraint
            if constraint.date is not None and not backward:
                logic = start
                start = _apply_constraint(constraint.type, work(tl, constraint.date), start, dur, i,
                                          conflicts, task)
                if start != logic:
                    drivers[i] = []  # the constraint date, not a link, sets the dates
            finish = start + dur
            if task.manual and (task.start is not None or task.finish is not None):
                # Manual tasks keep what was entered; a missing end follows from the duration.
                if task.start is not None:
                    start = work(tl, task.start)
                    finish = work(tl, task.finish) if task.finish is not None else start + dur
                else:
                    finish = work(tl, task.finish)  # type: ignore[arg-type]  # set, per the if
                    start = finish - dur
                drivers[i] = []
            if task.actual_start is not None:
                actual = work(tl, task.actual_start)
                if task.actual_finish is not None:
                    start, finish = actual, work(tl, task.actual_finish)
                else:
                    done = round(dur * task.percent_complete / 100.0)
                    left = dur - done
                    resume = restart = actual + done
                    if status_instant is not None:  # work not done by then comes after it
                        restart = max(restart, tl.work_at(status_instant))
                    if progress_mode == ProgressMode.RETAINED_LOGIC:  # and after the logic
                        restart = max(restart, floor_start, floor_finish - left)
                    if restart > resume and done:  # a split: done part, then the rest
                        splits[i] = [(actual, resume), (restart, restart + left)]
                    start, finish = actual, restart + left
                drivers[i] = []
            es[i], ef[i] = start, finish
            at_start[i] = dur == 0 and not task.manual and task.actual_start is None and \
                milestone_at_start(i, start, start_instant, es, ef)
        return es, ef, drivers, splits

    es, ef, drivers, splits = forward(start_instant)
    roots = [i for i in range(n) if c.parent[i] < 0]
    if backward:
        assert project.finish is not None
        finish_instant = project_tl.finish_instant(project_tl.work_of(project.finish))
    else:
        # As an instant: a task on another calendar or on the clock may end in the project
        # calendar's non-working time (Saturday 01:00, Thursday 08:00), which working minutes
        # of the project calendar cannot tell from the end of the previous working period.
        finish_instant = max((tl_of[i].start_instant(ef[i]) if at_start[i]
                              else tl_of[i].finish_instant(ef[i])
                              for i in range(n) if not summary[i]), default=start_instant)
        finish_instant = max(finish_instant, start_instant)
    project_finish = project_tl.work_at(finish_instant)

    # ---------------------------------------------------------------- backward pass
    ls = [0] * n
    lf = [0] * n
    finish_ceiling = [_BIG] * n  # for summaries, from links out of them and their parent
    start_ceiling = [_BIG] * n
    end_of = [timeline.work_at(finish_instant) for timeline in all_timelines]
    for node in reversed(order):
        if node < n and summary[node]:  # a summary's in node: roll up late dates
            i = node
            tl = tl_of[i]
            kids = c.children[i]
            ls[i] = min(convert(ls[k], tl_of[k], tl, True) for k in kids)
            lf[i] = max(convert(lf[k], tl_of[k], tl, False) for k in kids)
            continue
        i = node - n if node >= n else node
        tl = tl_of[i]
        task = tasks[i]
        ceiling_finish = end_of[tl_index[i]]
        ceiling_start = _BIG
        p = parent[i]
        if p >= 0:
            if finish_ceiling[p] < end_of[tl_index[p]]:  # links out of the summary
                ceiling_finish = min(ceiling_finish,
                                     convert(finish_ceiling[p], tl_of[p], tl, False))
            if start_ceiling[p] < _BIG:
                ceiling_start = min(ceiling_start, convert(start_ceiling[p], tl_of[p], tl, True))
        for link in outgoing[i]:
            succ = link_succ[link]
            from_start = link_from_start[link]
            to_start = link_to_start[link]
            point = ls[succ] if to_start else lf[succ]
            if remaining[succ] >= 0:  # in progress: only its remaining work waits
                if override:
                    continue
                if to_start:
                    point = lf[succ] - remaining[succ]
            if link_simple[link]:
                value = point - link_lag[link]
            else:  # the latest instant the forward pass would map to ``point``: start sides
                value = shifted(point, tl_of[succ], tl, lag_tl_of[succ], link, True, True, -1)
            if from_start:
                if value < ceiling_start:
                    ceiling_start = value
            elif value < ceiling_finish:
                ceiling_finish = value
        if summary[i]:
            finish_ceiling[i] = ceiling_finish
            start_ceiling[i] = ceiling_start
            continue
        dur = duration[i]
        late_finish = min(ceiling_finish, ceiling_start + dur) if ceiling_start < _BIG \
            else ceiling_finish
        constraint = task.constraint
        if constraint.date is not None:
            late_finish = _apply_late_constraint(constraint.type, work(tl, constraint.date),
                                                 late_finish, dur)
        if task.deadline is not None:
            late_finish = min(late_finish, work(tl, task.deadline))
        if task.actual_finish is not None:
            late_finish = ef[i]  # done: it can no longer move
        ls[i], lf[i] = late_finish - (ef[i] - es[i]), late_finish

    if backward:  # early dates run forward from the start the late dates give
        first = min((convert(ls[i], tl_of[i], project_tl, True) for i in roots),
                    default=project_finish)
        es, ef, drivers, splits = forward(project_tl.start_instant(first))

    # ---------------------------------------------------------------- scheduled dates
    start = list(es)
    finish = list(ef)
    if backward:
        for i in range(n):
            if not summary[i] and tasks[i].actual_start is None and not (
                    tasks[i].manual and tasks[i].start is not None):
                start[i], finish[i] = ls[i], lf[i]
    # This walk over successor links mirrors the backward pass's on purpose: both are hot
    # loops, kept inline because a shared helper would cost a call per link.
    free_float = [0] * n
    for node in reversed(order):
        if node < n and summary[node]:
            continue
        i = node - n if node >= n else node
        tl = tl_of[i]
        slack = end_of[tl_index[i]] - finish[i]
        links = outgoing[i]
        q = parent[i]
        while q >= 0:  # a summary's finish links wait for every task below it too
            if outgoing[q]:
                links = [*links, *(link for link in outgoing[q] if not link_from_start[link])]
            q = parent[q]
        for link in links:
            succ = link_succ[link]
            from_start = link_from_start[link]
            to_start = link_to_start[link]
            point = start[succ] if to_start else finish[succ]
            if remaining[succ] >= 0:  # in progress: only its remaining work waits
                if override:
                    continue
                if to_start:
                    point = finish[succ] - remaining[succ]
            if link_simple[link]:
                value = point - link_lag[link]
            else:  # as in the backward pass
                value = shifted(point, tl_of[succ], tl, lag_tl_of[succ], link, True, True, -1)
            gap = value - (start[i] if from_start else finish[i])
            if gap < slack:
                slack = gap
        free_float[i] = slack
        if (not backward and tasks[i].constraint.type is ConstraintType.ALAP
                and not summary[i] and tasks[i].actual_start is None and slack > 0):
            start[i] += slack
            finish[i] += slack
            free_float[i] = 0
    for node in c.order:  # summaries' scheduled dates roll up from their children
        if node >= n:
            i = node - n
            tl = tl_of[i]
            kids = c.children[i]
            start[i] = min(convert(start[k], tl_of[k], tl, True) for k in kids)
            finish[i] = max(convert(finish[k], tl_of[k], tl, False) for k in kids)
    if backward:
        project_start = min((convert(start[i], tl_of[i], project_tl, True) for i in roots),
                            default=project_finish)
    else:
        project_start = project_tl.work_at(start_instant)
    return Passes(early_start=es, early_finish=ef, late_start=ls, late_finish=lf, start=start,
                  finish=finish, free_float=free_float, project_start=project_start,
                  project_finish=project_finish, drivers=drivers,
                  milestone_at_start=list(at_start), conflicts=conflicts,
                  splits=splits, project_finish_instant=finish_instant,
                  start_floor=list(start_floor), finish_floor=list(finish_floor))


def _apply_constraint(kind: ConstraintType, date: int, start: int, dur: int, index: int,
                      conflicts: list[tuple[int, str, str]], task: Task) -> int:
    """The early start once a dated constraint is honoured; conflicts are recorded."""
    if kind is ConstraintType.SNET:
        return max(start, date)
    if kind is ConstraintType.FNET:
        return max(start, date - dur)
    if kind is ConstraintType.MSO:
        if start > date:
            conflicts.append((index, "MSO", "logic would start it later than it must start"))
        return date
    if kind is ConstraintType.MFO:
        if start > date - dur:
            conflicts.append((index, "MFO", "logic would finish it later than it must finish"))
        return date - dur
    if kind is ConstraintType.SNLT and start > date:
        conflicts.append((index, "SNLT", "logic would start it after its start-no-later-than "
                                         "date"))
        return date
    if kind is ConstraintType.FNLT and start + dur > date:
        conflicts.append((index, "FNLT", "logic would finish it after its finish-no-later-than "
                                         "date"))
        return date - dur
    return start


def _apply_late_constraint(kind: ConstraintType, date: int, late_finish: int, dur: int) -> int:
    if kind in (ConstraintType.MSO, ConstraintType.SNLT):
        return min(late_finish, date + dur) if kind is ConstraintType.SNLT else date + dur
    if kind is ConstraintType.MFO:
        return date
    if kind is ConstraintType.FNLT:
        return min(late_finish, date)
    return late_finish
