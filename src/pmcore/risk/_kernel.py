"""The scheduler's passes with the iterations of a Monte Carlo run as a numpy dimension.

:func:`pmcore.schedule` compiles a project into flat lists (:mod:`pmcore.schedule.engine`) and
walks its nodes in topological order, one integer per task. Here the same compiled project is
walked in the same order, but every date is a row of ``m`` iterations: ``es[i]`` holds task
``i``'s early start in each iteration, in working minutes of the task's own timeline. The rules
are the engine's, written for rows (links of the four types with work, percentage and elapsed
lags, several calendars through absolute instants, elapsed durations, the six dated
constraints, deadlines, summary tasks and their links, milestones waiting for the next working
time, the status date as a floor), so an iteration whose durations are the plan's gives the
CPM schedule exactly (the tests compare every task's four dates).

Rules that :class:`Kernel` does not vectorise (:func:`unsupported` names them: progress,
manual scheduling, leveling delays, as-late-as-possible tasks, scheduling from the finish) are
left to the engine itself, called once per iteration (:class:`EngineKernel`), slower but the
very same rules.

Tasks whose every link stays on one calendar, without constraint, parents with links or a
duration that can be zero, are *plain* (as in :mod:`pmcore.schedule.vector`): a level of the
network at a time, their dates are a maximum over gathered rows, with no Python loop per task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from pmcore.model import ConstraintType, ScheduleFrom
from pmcore.schedule.engine import (
    ALAP,
    CONSTRAINED,
    FINISHED,
    LEVELED,
    MANUAL,
    STARTED,
    Compiled,
    ProgressMode,
    Run,
    run_passes,
)
from pmcore.schedule.timeline import ElapsedTimeline, Timeline

__all__ = ["EngineKernel", "Kernel", "KernelResult", "unsupported"]

_BIG = 1 << 62
_NO_LAG, _WORK_LAG, _ELAPSED_LAG, _PERCENT_LAG = 0, 1, 2, 3
_I64 = np.int64


def unsupported(c: Compiled) -> list[str]:
    """What in the compiled project the vectorised passes do not handle (empty: all of it)."""
    reasons = []
    if c.project.schedule_from is ScheduleFrom.FINISH:
        reasons.append("the project is scheduled from its finish")
    for bit, what in ((STARTED | FINISHED, "has progress (actual dates)"),
                      (MANUAL, "is manually scheduled"), (LEVELED, "has a leveling delay"),
                      (ALAP, "is as late as possible")):
        found = [c.tasks[i].label for i, flag in enumerate(c.flags) if flag & bit]
        if found:
            more = f" and {len(found) - 1} more" if len(found) > 1 else ""
            reasons.append(f"{found[0]}{more} {what}")
    return reasons


class VTimeline:
    """A :class:`~pmcore.schedule.timeline.Timeline`'s conversions for arrays of values.

    The working spans the timeline has stored are laid out as three arrays (each span's first
    instant, last instant and the working minutes before it), so a conversion is a binary
    search; before converting, the scalar timeline is asked for the extreme values, which makes
    it store the days they need, and the arrays are rebuilt when it did.
    """

    def __init__(self, timeline: Timeline):
        self.tl = timeline
        self.clock = isinstance(timeline, ElapsedTimeline)
        self._stored: tuple[int, int] = (0, -1)
        if not self.clock:
            self._rebuild()

    def _rebuild(self) -> None:
        arrays = self.tl.span_arrays()
        self.begin, self.end, self.work = arrays.begin, arrays.end, arrays.work
        self._stored = arrays.key

    def _refresh(self) -> None:
        first, cum, _ = self.tl.stored
        if (first, len(cum)) != self._stored:
            self._rebuild()
        if not self.begin.size:  # no working time stored yet: find the next (or fail, named)
            self.tl.start_instant(self.tl.stored_work_end)
            self._rebuild()

    def _cover(self, values: Any, convert: Any) -> None:
        # only the conversion asked for: the other could search for working time the
        # calendar does not have (before its first working day), which the engine never does
        convert(int(np.min(values)))
        convert(int(np.max(values)))
        self._refresh()

    def work_at(self, instant: Any) -> Any:
        """Working minutes up to each instant."""
        if self.clock:
            return instant
        instant = np.asarray(instant, dtype=_I64)
        self._cover(instant, self.tl.work_at)
        k = np.searchsorted(self.begin, instant, side="left") - 1  # spans begun before it
        inside = np.minimum(instant, self.end[np.maximum(k, 0)]) - self.begin[np.maximum(k, 0)]
        return np.where(k >= 0, self.work[np.maximum(k, 0)] + inside, self.work[0])

    def _instant(self, work: Any, convert: Any, side: Any) -> Any:
        # the span holding each amount of work: at a span's boundary, the next one's begin
        # (side "right", a start) or the previous one's end (side "left", a finish)
        if self.clock:
            return work
        work = np.asarray(work, dtype=_I64)
        self._cover(work, convert)
        k = np.maximum(np.searchsorted(self.work, work, side=side) - 1, 0)
        return self.begin[k] + work - self.work[k]

    def start_instant(self, work: Any) -> Any:
        """The start of the working period at which each amount of work has passed."""
        return self._instant(work, self.tl.start_instant, "right")

    def finish_instant(self, work: Any) -> Any:
        """The end of the working period at which each amount of work has passed."""
        return self._instant(work, self.tl.finish_instant, "left")

    def instant_of(self, work: Any, at_start: Any) -> Any:
        """:meth:`start_instant` where ``at_start``, else :meth:`finish_instant`."""
        if isinstance(at_start, bool | np.bool_):
            return self.start_instant(work) if at_start else self.finish_instant(work)
        if not at_start.any():
            return self.finish_instant(work)
        if at_start.all():
            return self.start_instant(work)
        work = np.broadcast_to(np.asarray(work, dtype=_I64), at_start.shape)
        out = np.empty(at_start.shape, dtype=_I64)
        out[at_start] = self.start_instant(work[at_start])
        out[~at_start] = self.finish_instant(work[~at_start])
        return out


class KernelResult:
    """What one chunk of iterations gives: per iteration and per tracked task, instants."""

    def __init__(self, finish: Any, critical: Any, task_finish: Any):
        self.finish = finish  # (m,) absolute minutes from the origin's midnight
        self.critical = critical  # (n,) iterations in which each task is critical
        self.task_finish = task_finish  # (k, m) for the tracked tasks


class Kernel:
    """The forward and backward passes over rows of iterations (see the module docstring)."""

    def __init__(self, c: Compiled, *, status_date: dt.datetime | None,
                 critical_threshold: int, may_be_zero: Sequence[bool],
                 tracked: Sequence[int], jit: bool = False):
        run = Run(c, status_date, ProgressMode.RETAINED_LOGIC)
        self.c, self.rules = c, run
        n = self.n = run.n
        self.threshold = critical_threshold
        self.tracked = list(tracked)
        vt = {id(t): VTimeline(t) for t in run.all_timelines}  # one per calendar
        self.tl_of = [vt[id(t)] for t in run.tl_of]
        self.lag_tl_of = [vt[id(t)] for t in run.lag_tl_of]
        self.timelines = [vt[id(t)] for t in run.all_timelines]
        self.tl_index = list(run.tl_index)
        self.base_of = [timeline.work_at(run.start_instant) for timeline in run.all_timelines]
        self.status_of = self.base_of if run.status_instant is None else [
            max(base, timeline.work_at(run.status_instant))
            for base, timeline in zip(self.base_of, run.all_timelines, strict=True)]
        self.pass_start = run.start_instant
        self.summary = c.summary
        self.parent = c.parent
        self.children = c.children
        self.order = c.order
        self.link_pred, self.link_succ = c.link_pred, c.link_succ
        self.from_start, self.to_start = run.link_from_start, run.link_to_start
        self.simple = run.link_simple
        self.lag_kind, self.lag_value = c.link_lag_kind, c.link_lag
        self.lag_share = c.link_lag_share
        self.incoming, self.outgoing = c.incoming, c.outgoing
        # fixed lags as plain ints; percentages of the predecessor's duration per iteration
        self.fixed_lag = [0 if kind == _NO_LAG else int(value)
                          for kind, value in zip(c.link_lag_kind, c.link_lag, strict=True)]
        # per task: (kind, date in working minutes of its timeline, date as an instant)
        self.constraint: list[tuple[ConstraintType, int, int] | None] = [None] * n
        self.deadline: list[int | None] = [None] * n
        for i, task in enumerate(c.tasks):
            tl = run.tl_of[i]
            if task.constraint.date is not None and not c.summary[i]:
                instant = tl.instant(task.constraint.date)
                self.constraint[i] = (task.constraint.type, tl.work_at(instant), instant)
            if task.deadline is not None and not c.summary[i]:
                self.deadline[i] = tl.work_at(tl.instant(task.deadline))
        self.may_be_zero = list(may_be_zero)
        self.jit: Any = None
        if jit:
            from pmcore.risk._jit import compiled_kernels

            self.jit = compiled_kernels()
        self.duration = c.duration
        self._plan(run)

    def _plan(self, run: Run) -> None:
        """Levels of the node graph and, per level, the plain tasks and their gathered links."""
        c, n = self.c, self.n
        summary, parent = c.summary, c.parent
        links_in = [c.incoming.has_any(i) for i in range(n)]
        links_out = [c.outgoing.has_any(i) for i in range(n)]
        self.inherits_in = [False] * n
        self.inherits_out = [False] * n
        for node in c.order:  # parents' in nodes come before their children
            if node < n and summary[node]:
                p = parent[node]
                self.inherits_in[node] = links_in[node] or (p >= 0 and self.inherits_in[p])
                self.inherits_out[node] = links_out[node] or (p >= 0 and self.inherits_out[p])
        level = [0] * (2 * n)
        for node in c.order:
            i = node if node < n else node - n
            here = 0
            if node < n:
                p = parent[i]
                if p >= 0:
                    here = level[p] + 1
                for link in c.incoming[i]:
                    pred = c.link_pred[link]
                    source = n + pred if summary[pred] else pred
                    here = max(here, level[source] + 1)
            else:
                for k in c.children[i]:
                    here = max(here, level[n + k if summary[k] else k] + 1)
            level[node] = here
        depth = max((level[node] for node in c.order), default=-1) + 1
        levels: list[list[int]] = [[] for _ in range(depth)]
        for node in c.order:
            levels[level[node]].append(node)
        flags = c.flags
        percent = [kind == _PERCENT_LAG or (kind == _ELAPSED_LAG and share) for kind, share
                   in zip(c.link_lag_kind, c.link_lag_share, strict=True)]
        forward_plain = [
            not summary[i] and not flags[i] & CONSTRAINED and not self.variable_zero(i)
            and not (parent[i] >= 0 and self.inherits_in[parent[i]])
            and all(run.link_simple[k] and not percent[k] for k in c.incoming[i])
            for i in range(n)]
        backward_plain = [
            not summary[i] and not flags[i] & CONSTRAINED and c.tasks[i].deadline is None
            and not (parent[i] >= 0 and self.inherits_out[parent[i]])
            and all(run.link_simple[k] and not percent[k] for k in c.outgoing[i])
            for i in range(n)]
        self.levels: list[tuple[list[int], Any, list[int], Any]] = []
        for nodes in levels:
            plain = [i for i in nodes if i < n and forward_plain[i]]
            others = [node for node in nodes if not (node < n and forward_plain[node])]
            back_plain = [i for i in nodes if i < n and backward_plain[i]]
            back_others = [node for node in nodes if not (node < n and backward_plain[node])]
            self.levels.append((others, self._gather_in(plain), back_others,
                                self._gather_out(back_plain)))

    def variable_zero(self, i: int) -> bool:
        """Whether the task's duration may be zero in some iteration (a milestone then)."""
        return self.duration[i] == 0 or self.may_be_zero[i]

    def _csr(self, tasks: list[int], out: bool) -> Any:
        """For the compiled loops: a level's plain tasks and their links, flattened."""
        c = self.c
        adjacency = c.outgoing if out else c.incoming
        links = [k for i in tasks for k in adjacency[i]]
        offsets = np.zeros(len(tasks) + 1, dtype=_I64)
        np.cumsum([len(adjacency[i]) for i in tasks], out=offsets[1:])
        if out:  # late dates of the successors' start (2j) or finish (2j + 1)
            other = [2 * c.link_succ[k] + (not self.to_start[k]) for k in links]
            flag = [self.from_start[k] for k in links]
            first = [self.tl_index[i] for i in tasks]
        else:
            other = [2 * c.link_pred[k] + (not self.from_start[k]) for k in links]
            flag = [not self.to_start[k] for k in links]
            first = [self.status_of[self.tl_index[i]] for i in tasks]
        return (np.array(tasks, dtype=_I64), np.array(first, dtype=_I64), offsets,
                np.array(other, dtype=_I64),
                np.array([self.fixed_lag[k] for k in links], dtype=_I64),
                np.array(flag, dtype=np.bool_))

    def _gather_in(self, tasks: list[int]) -> Any:
        """A level's plain tasks by falling number of links in, and per *slot* ``j`` the
        ``j``-th link of each task that has one: those tasks are a prefix, so the maximum
        over links is a few operations on contiguous rows, whatever the level's width."""
        if not tasks:
            return None
        if self.jit is not None:
            return self._csr(tasks, False)
        c = self.c
        tasks = sorted(tasks, key=lambda i: -len(c.incoming[i]))
        floor = np.array([self.status_of[self.tl_index[i]] for i in tasks], dtype=_I64)
        slots = []
        for j in range(len(c.incoming[tasks[0]])):
            links = [c.incoming[i][j] for i in tasks if len(c.incoming[i]) > j]
            source = np.array([2 * c.link_pred[k] + (not self.from_start[k]) for k in links],
                              dtype=_I64)
            lag = np.array([self.fixed_lag[k] for k in links], dtype=_I64)[:, None]
            finish = [r for r, k in enumerate(links) if not self.to_start[k]]
            slots.append((len(links), source, lag, np.array(finish, dtype=_I64),
                          np.array([tasks[r] for r in finish], dtype=_I64)))
        return np.array(tasks, dtype=_I64), floor, slots

    def _gather_out(self, tasks: list[int]) -> Any:
        """As :meth:`_gather_in`, for the links out of a level's plain tasks."""
        if not tasks:
            return None
        if self.jit is not None:
            return self._csr(tasks, True)
        c = self.c
        tasks = sorted(tasks, key=lambda i: -len(c.outgoing[i]))
        slots = []
        for j in range(len(c.outgoing[tasks[0]])):
            links = [c.outgoing[i][j] for i in tasks if len(c.outgoing[i]) > j]
            target = np.array([2 * c.link_succ[k] + (not self.to_start[k]) for k in links],
                              dtype=_I64)
            lag = np.array([self.fixed_lag[k] for k in links], dtype=_I64)[:, None]
            start = [r for r, k in enumerate(links) if self.from_start[k]]
            slots.append((len(links), target, lag, np.array(start, dtype=_I64),
                          np.array([tasks[r] for r in start], dtype=_I64)))
        return np.array(tasks, dtype=_I64), slots

    # -------------------------------------------------------------------------- helpers

    def lag_rows(self, link: int, d: Any) -> Any:
        """The link's lag in minutes: a number, or a row for a percentage of a duration."""
        if self.lag_share[link]:
            return np.round(d[self.link_pred[link]] * self.lag_value[link] / 100.0).astype(_I64)
        return self.fixed_lag[link]

    def convert(self, value: Any, source: VTimeline, target: VTimeline, at_start: Any) -> Any:
        if source is target:
            return value
        return target.work_at(source.instant_of(value, at_start))

    def shifted_instant(self, value: Any, source: VTimeline, lag_tl: VTimeline, link: int,
                        at_start_source: Any, at_start_target: bool, sign: int, d: Any) -> Any:
        kind = self.lag_kind[link]
        instant = source.instant_of(value, at_start_source)
        if kind == _ELAPSED_LAG:
            return instant + sign * self.lag_rows(link, d)
        if kind == _NO_LAG:
            return instant
        lag = self.lag_rows(link, d)
        moved = lag_tl.work_at(instant) + sign * lag
        shifted = lag_tl.instant_of(moved, at_start_target)
        return np.where(np.asarray(lag) != 0, shifted, instant)

    def shifted(self, value: Any, source: VTimeline, target: VTimeline, lag_tl: VTimeline,
                link: int, at_start_source: Any, at_start_target: bool, sign: int,
                d: Any) -> Any:
        kind = self.lag_kind[link]
        if kind != _ELAPSED_LAG and source is target is lag_tl:
            return value + sign * self.lag_rows(link, d) if kind else value
        return target.work_at(self.shifted_instant(value, source, lag_tl, link,
                                                   at_start_source, at_start_target, sign, d))

    # --------------------------------------------------------------------------- passes

    def run(self, d: Any) -> KernelResult:
        """Both passes for durations ``d`` (tasks x iterations, working minutes)."""
        n, m = self.n, d.shape[1]
        self.d = d
        early = np.zeros((2 * n, m), dtype=_I64)  # es at 2i, ef at 2i + 1
        self.es, self.ef = early[0::2], early[1::2]
        self.at = np.zeros((n, m), dtype=bool)
        self.start_floor: dict[int, Any] = {}
        self.finish_floor: dict[int, Any] = {}
        jit = self.jit
        for others, plain, _, _ in self.levels:
            if plain is not None:
                if jit is not None:
                    jit[0](*plain, early, d)
                else:
                    self._forward_plain(early, plain)
            for node in others:
                if node >= n:
                    self._forward_rollup(node - n)
                else:
                    self._forward_node(node)
        finish = self._latest_finish()
        late = np.zeros((2 * n, m), dtype=_I64)
        self.ls, self.lf = late[0::2], late[1::2]
        self.end_of = [timeline.work_at(finish) for timeline in self.timelines]
        self.finish_ceiling: dict[int, Any] = {}
        self.start_ceiling: dict[int, Any] = {}
        end = np.stack(self.end_of) if jit is not None else None
        for _, _, others, plain in reversed(self.levels):
            if plain is not None:
                if jit is not None:
                    tasks, rows, offsets, target, lag, from_start = plain
                    jit[1](tasks, rows, end, offsets, target, lag, from_start, late, early, d)
                else:
                    self._backward_plain(late, plain)
            for node in others:
                if node >= n:
                    self._backward_node(node - n)
                elif self.summary[node]:
                    self._backward_rollup(node)
                else:
                    self._backward_node(node)
        return KernelResult(finish, self._critical(), self._task_finish())

    def _forward_plain(self, early: Any, plain: Any) -> None:
        tasks, floor, slots = plain
        d = self.d
        start = np.repeat(floor[:, None], d.shape[1], axis=1)
        for count, source, lag, finish_rows, finish_tasks in slots:
            values = early[source]
            values += lag
            if finish_rows.size:  # links to the finish: the start is that less the duration
                values[finish_rows] -= d[finish_tasks]
            np.maximum(start[:count], values, out=start[:count])
        self.es[tasks] = start
        start += d[tasks]
        self.ef[tasks] = start

    def _floors_from_parent(self, i: int, floor_start: Any, floor_finish: Any) -> tuple[Any,
                                                                                         Any]:
        p = self.parent[i]
        if p < 0 or not self.inherits_in[p]:
            return floor_start, floor_finish
        tl, tlp = self.tl_of[i], self.tl_of[p]
        start_floor = self.start_floor[p]
        base = self.base_of[self.tl_index[p]]
        binding = start_floor > base
        if binding.any():
            floor = self.convert(np.where(binding, start_floor, base), tlp, tl, True)
            floor_start = np.where(binding & (floor > floor_start), floor, floor_start)
        finish_floor = self.finish_floor[p]
        binding = finish_floor > -_BIG
        if binding.any():
            floor = self.convert(np.where(binding, finish_floor, base), tlp, tl, False)
            floor_finish = np.where(binding, floor, floor_finish)
        return floor_start, floor_finish

    def _forward_node(self, i: int) -> None:
        m, d = self.d.shape[1], self.d
        tl = self.tl_of[i]
        summary = self.summary[i]
        base = self.base_of[self.tl_index[i]] if summary else self.status_of[self.tl_index[i]]
        floor_start: Any = np.full(m, base, dtype=_I64)
        floor_finish: Any = np.full(m, -_BIG, dtype=_I64)
        floor_start, floor_finish = self._floors_from_parent(i, floor_start, floor_finish)
        es, ef, at = self.es, self.ef, self.at
        for link in self.incoming[i]:
            pred = self.link_pred[link]
            from_start = self.from_start[link]
            point = es[pred] if from_start else ef[pred]
            if self.simple[link]:
                value = point + self.lag_rows(link, d)
            else:
                value = self.shifted(point, self.tl_of[pred], tl, self.lag_tl_of[i], link,
                                     True if from_start else at[pred], self.to_start[link], 1, d)
            if self.to_start[link]:
                floor_start = np.maximum(floor_start, value)
            else:
                floor_finish = np.maximum(floor_finish, value)
        if summary:
            self.start_floor[i] = floor_start
            self.finish_floor[i] = floor_finish
            return
        dur = d[i]
        start = np.maximum(floor_start, floor_finish - dur)
        constraint = self.constraint[i]
        if constraint is not None:
            start = _apply_constraint(constraint[0], constraint[1], start, dur)
        es[i] = start
        ef[i] = start + dur
        zero = dur == 0
        if zero.any():
            at[i] = self._milestone_at_start(i, start, zero)

    def _milestone_at_start(self, i: int, start: Any, zero: Any) -> Any:
        """The engine's ``milestone_at_start`` in the iterations where the task is a
        milestone (``zero``); False in the others."""
        tl = self.tl_of[i]
        candidates: list[Any] = [self.pass_start]
        constraint = self.constraint[i]
        if constraint is not None:
            candidates.append(constraint[2])
        for link in self.incoming[i]:
            pred = self.link_pred[link]
            from_start = self.from_start[link]
            point = self.es[pred] if from_start else self.ef[pred]
            candidates.append(self.shifted_instant(point, self.tl_of[pred], self.lag_tl_of[i],
                                                   link, True if from_start else self.at[pred],
                                                   False, 1, self.d))
        latest = np.full(start.shape, -_BIG, dtype=_I64)
        for moment in candidates:
            binding = tl.work_at(moment) == start
            latest = np.where(binding & (moment > latest), moment, latest)
        at_start = (latest > -_BIG) & zero
        if at_start.any():  # (as the engine: the end of the working time before, if bound)
            at_start[at_start] = latest[at_start] > tl.finish_instant(start[at_start])
        return at_start

    def _forward_rollup(self, i: int) -> None:
        tl = self.tl_of[i]
        kids = self.children[i]
        self.es[i] = np.min([self.convert(self.es[k], self.tl_of[k], tl, True) for k in kids],
                            axis=0)
        self.ef[i] = np.max([self.convert(self.ef[k], self.tl_of[k], tl, False) for k in kids],
                            axis=0)

    def _latest_finish(self) -> Any:
        m = self.d.shape[1]
        latest = np.full(m, -_BIG, dtype=_I64)
        groups: dict[int, list[int]] = {}
        for i in range(self.n):
            if not self.summary[i]:
                groups.setdefault(self.tl_index[i], []).append(i)
        if not groups:
            return np.full(m, self.pass_start, dtype=_I64)
        for t, rows in groups.items():
            tl = self.timelines[t]
            finish = self.ef[rows]
            at = self.at[rows]
            for flag in (False, True):
                chosen = at if flag else ~at
                if not chosen.any():
                    continue
                value = np.where(chosen, finish, -_BIG).max(axis=0)
                found = value > -_BIG
                instant = tl.instant_of(np.where(found, value, value.max()), flag)
                latest = np.where(found & (instant > latest), instant, latest)
        return latest

    def _backward_plain(self, late: Any, plain: Any) -> None:
        tasks, slots = plain
        d = self.d
        finish = np.array([self.end_of[self.tl_index[i]] for i in tasks.tolist()], dtype=_I64)
        for count, target, lag, start_rows, start_tasks in slots:
            values = late[target]
            values -= lag
            if start_rows.size:  # links from the start: the finish is that plus the duration
                values[start_rows] += d[start_tasks]
            np.minimum(finish[:count], values, out=finish[:count])
        self.lf[tasks] = finish
        finish -= self.ef[tasks] - self.es[tasks]
        self.ls[tasks] = finish

    def _backward_node(self, i: int) -> None:
        m, d = self.d.shape[1], self.d
        tl = self.tl_of[i]
        ceiling_finish: Any = self.end_of[self.tl_index[i]]
        ceiling_start: Any = np.full(m, _BIG, dtype=_I64)
        p = self.parent[i]
        if p >= 0 and self.inherits_out[p]:
            tlp = self.tl_of[p]
            ceiling = self.finish_ceiling[p]
            end = self.end_of[self.tl_index[p]]
            binding = ceiling < end
            if binding.any():
                value = self.convert(np.where(binding, ceiling, end), tlp, tl, False)
                ceiling_finish = np.where(binding, np.minimum(ceiling_finish, value),
                                          ceiling_finish)
            ceiling = self.start_ceiling[p]
            binding = ceiling < _BIG
            if binding.any():
                value = self.convert(np.where(binding, ceiling, end), tlp, tl, True)
                ceiling_start = np.where(binding, np.minimum(ceiling_start, value),
                                         ceiling_start)
        ls, lf = self.ls, self.lf
        for link in self.outgoing[i]:
            succ = self.link_succ[link]
            point = ls[succ] if self.to_start[link] else lf[succ]
            if self.simple[link]:
                value = point - self.lag_rows(link, d)
            else:
                value = self.shifted(point, self.tl_of[succ], tl, self.lag_tl_of[succ], link,
                                     True, True, -1, d)
            if self.from_start[link]:
                ceiling_start = np.minimum(ceiling_start, value)
            else:
                ceiling_finish = np.minimum(ceiling_finish, value)
        if self.summary[i]:
            self.finish_ceiling[i] = ceiling_finish
            self.start_ceiling[i] = ceiling_start
            return
        dur = d[i]
        late_finish = np.where(ceiling_start < _BIG,
                               np.minimum(ceiling_finish, np.minimum(ceiling_start, _BIG // 2)
                                          + dur), ceiling_finish)
        constraint = self.constraint[i]
        if constraint is not None:
            late_finish = _apply_late_constraint(constraint[0], constraint[1], late_finish, dur)
        deadline = self.deadline[i]
        if deadline is not None:
            late_finish = np.minimum(late_finish, deadline)
        ls[i] = late_finish - (self.ef[i] - self.es[i])
        lf[i] = late_finish

    def _backward_rollup(self, i: int) -> None:
        tl = self.tl_of[i]
        kids = self.children[i]
        self.ls[i] = np.min([self.convert(self.ls[k], self.tl_of[k], tl, True) for k in kids],
                            axis=0)
        self.lf[i] = np.max([self.convert(self.lf[k], self.tl_of[k], tl, False) for k in kids],
                            axis=0)

    # -------------------------------------------------------------------------- results

    def total_float(self, i: int) -> Any:
        """Total float of a task per iteration, as :class:`~pmcore.schedule.Schedule` has it."""
        c = self.c
        if c.timeline_of[i] < 0:  # elapsed: float in working time of the task's own calendar
            own = self.timelines[c.lag_timeline_of[i]]
            return np.minimum(own.work_at(self.ls[i]) - own.work_at(self.es[i]),
                              own.work_at(self.lf[i]) - own.work_at(self.ef[i]))
        return np.minimum(self.ls[i] - self.es[i], self.lf[i] - self.ef[i])

    def _critical(self) -> Any:
        counts = np.zeros(self.n, dtype=_I64)
        rows = [i for i in range(self.n) if not self.summary[i]]
        if not rows:
            return counts
        elapsed = [i for i in rows if self.c.timeline_of[i] < 0]
        total = self.ls - self.es  # every row at once: cheaper than picking rows out
        np.minimum(total, self.lf - self.ef, out=total)
        counts += np.count_nonzero(total <= self.threshold, axis=1)
        counts[[i for i in range(self.n) if self.summary[i]]] = 0
        for i in elapsed:
            counts[i] = int((self.total_float(i) <= self.threshold).sum())
        return counts

    def _task_finish(self) -> Any:
        m = self.d.shape[1]
        out = np.zeros((len(self.tracked), m), dtype=_I64)
        for row, i in enumerate(self.tracked):
            tl = self.tl_of[i]
            point = (self.d[i] == 0) & self.at[i]
            out[row] = tl.instant_of(self.ef[i], point)
        return out


def _apply_constraint(kind: ConstraintType, date: int, start: Any, dur: Any) -> Any:
    """The engine's ``_apply_constraint`` for rows (conflicts are the engine's to report)."""
    if kind is ConstraintType.SNET:
        return np.maximum(start, date)
    if kind is ConstraintType.FNET:
        return np.maximum(start, date - dur)
    if kind is ConstraintType.MSO:
        return np.full_like(start, date)
    if kind is ConstraintType.MFO:
        return date - dur
    if kind is ConstraintType.SNLT:
        return np.where(start > date, date, start)
    if kind is ConstraintType.FNLT:
        return np.where(start + dur > date, date - dur, start)
    return start


def _apply_late_constraint(kind: ConstraintType, date: int, late_finish: Any, dur: Any) -> Any:
    if kind is ConstraintType.SNLT:
        return np.minimum(late_finish, date + dur)
    if kind is ConstraintType.MSO:
        return date + dur
    if kind is ConstraintType.MFO:
        return np.full_like(late_finish, date)
    if kind is ConstraintType.FNLT:
        return np.minimum(late_finish, date)
    return late_finish


class EngineKernel:
    """The same results by the engine itself, one iteration at a time.

    For the rules :class:`Kernel` does not vectorise, and as the benchmark's peer. The compiled
    project is reused: only its durations change between iterations.
    """

    def __init__(self, c: Compiled, *, status_date: dt.datetime | None,
                 critical_threshold: int, tracked: Sequence[int], progress_mode: str):
        self.c = c
        self.status_date = status_date
        self.threshold = critical_threshold
        self.tracked = list(tracked)
        self.progress_mode = progress_mode
        self.summary = c.summary

    def run(self, d: Any) -> KernelResult:
        """Schedule each column of ``d`` with :func:`~pmcore.schedule.engine.run_passes`."""
        c, n, m = self.c, len(self.c.tasks), d.shape[1]
        original = list(c.duration)
        finish = np.zeros(m, dtype=_I64)
        critical = np.zeros(n, dtype=_I64)
        task_finish = np.zeros((len(self.tracked), m), dtype=_I64)
        all_timelines = [*c.timelines, c.elapsed]
        tl_of = [all_timelines[t] for t in c.timeline_of]
        rows = [i for i in range(n) if not c.summary[i]]
        try:
            for j in range(m):
                c.duration[:] = d[:, j].tolist()
                p = run_passes(c, status_date=self.status_date,
                               progress_mode=self.progress_mode)
                finish[j] = p.project_finish_instant
                for i in rows:
                    if _engine_total_float(c, p, i) <= self.threshold:
                        critical[i] += 1
                for row, i in enumerate(self.tracked):
                    tl = tl_of[i]
                    at_start = c.duration[i] == 0 and p.milestone_at_start[i] and \
                        p.finish[i] == p.early_start[i]
                    task_finish[row, j] = tl.start_instant(p.finish[i]) if at_start else \
                        tl.finish_instant(p.finish[i])
        finally:
            c.duration[:] = original
        return KernelResult(finish, critical, task_finish)


def _engine_total_float(c: Compiled, p: Any, i: int) -> int:
    """:meth:`Schedule._total_float` on the passes of one iteration."""
    if c.timeline_of[i] < 0:
        clock, own = c.elapsed, c.timelines[c.lag_timeline_of[i]]
        return min(own.work_at(clock.start_instant(p.late_start[i]))
                   - own.work_at(clock.start_instant(p.early_start[i])),
                   own.work_at(clock.finish_instant(p.late_finish[i]))
                   - own.work_at(clock.finish_instant(p.early_finish[i])))
    return int(min(p.late_start[i] - p.early_start[i], p.late_finish[i] - p.early_finish[i]))
