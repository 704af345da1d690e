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

The passes visit the nodes in topological order. Every node can go through the general per-node
rules (:class:`Run`); on top of that, :mod:`pmcore.schedule.vector` finds the *plain* tasks (one
calendar, no constraint, progress, milestone placement or links on their summaries), which are
most tasks of a large plan, and computes them in tight loops over flat lists.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import deque
from collections.abc import Iterable, Sequence
from itertools import chain, compress, repeat
from operator import and_, attrgetter, eq, is_, is_not, itemgetter, lt
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from pmcore.errors import CycleError
from pmcore.model import ConstraintType, LinkType, Project, ScheduleFrom, Task
from pmcore.model.duration import Duration
from pmcore.model.network import LINK_TYPE_CODES
from pmcore.schedule.timeline import ElapsedTimeline, Timeline

if TYPE_CHECKING:
    from pmcore.schedule.vector import Plain

__all__ = ["ALAP", "CONSTRAINED", "DEADLINE", "FINISHED", "LEVELED", "MANUAL", "STARTED",
           "Adjacency",
           "Compiled", "LinkColumns", "Passes", "ProgressMode", "Run", "compile_project",
           "refresh_tasks", "run_passes", "structure_of"]

# link types as the project's link table stores them
FS, SS, FF, SF = (LINK_TYPE_CODES[kind] for kind in (LinkType.FS, LinkType.SS, LinkType.FF,
                                                    LinkType.SF))
_NO_LAG, _WORK_LAG, _ELAPSED_LAG, _PERCENT_LAG = 0, 1, 2, 3
_BIG = 1 << 62
# Per-task facts the passes branch on, as bits (``Compiled.flags``).
CONSTRAINED, STARTED, FINISHED, DEADLINE, MANUAL, ALAP, LEVELED = 1, 2, 4, 8, 16, 32, 64

VECTOR_MIN_NODES = 2_000
"""From this many nodes on, the topological order is found with numpy, a frontier at a time."""
VECTOR_MAX_DEPTH_SHARE = 0.125
"""Frontiers per node above which a network is too deep and narrow for that (a long chain)."""
FAST_PATH = True
"""Compute plain tasks in tight loops (see :mod:`pmcore.schedule.vector`); the tests turn it
off to check that the general rules give the same schedule."""


class ProgressMode:
    """How remaining work of a task started out of sequence is scheduled (as in MS Project)."""

    RETAINED_LOGIC = "retained_logic"
    """The remaining work waits for the task's predecessors (Microsoft Project's default)."""
    PROGRESS_OVERRIDE = "progress_override"
    """The remaining work continues at the status date, ignoring the predecessors."""


class Adjacency:
    """Per node, the items (links into or out of it, its children) stored as one sequence
    with offsets (CSR): as numpy arrays, ``order`` and ``offsets``, for the numpy and numba
    sides, and as lists for the per-node rules."""

    __slots__ = ("_items", "_offsets", "offsets", "order")

    def __init__(self, order: Any, offsets: Any):
        self.order, self.offsets = order, offsets
        self._items: list[int] = order.tolist()
        self._offsets: list[int] = offsets.tolist()

    def __getitem__(self, node: int) -> list[int]:
        return self._items[self._offsets[node]:self._offsets[node + 1]]

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def has_any(self, node: int) -> bool:
        """True when the node has at least one link."""
        return self._offsets[node + 1] > self._offsets[node]


class LinkColumns(NamedTuple):
    """Per link, as numpy arrays: the facts :class:`Compiled` also holds as lists."""

    type: Any  # FS, SS, FF, SF
    lag_kind: Any
    lag: Any
    lag_share: Any


@attrs.define
class Compiled:
    """The project as flat lists, built once per schedule."""

    project: Project
    ids: list[str]
    index: dict[str, int]  # task id -> position
    tasks: list[Task]
    timelines: list[Timeline]  # index 0: the project calendar
    timeline_of: list[int]  # the timeline a task is scheduled on (elapsed tasks: the clock)
    lag_timeline_of: list[int]  # the task's own calendar, on which lags into it run
    duration: list[int]
    summary: list[bool]
    parent: list[int]  # -1 at the top level
    children: list[Sequence[int]]  # per task; leaves share one empty tuple
    kids: Adjacency  # the same, grouped by parent, with numpy arrays
    parent_array: Any  # parent as a numpy array
    link_pred: list[int]
    link_succ: list[int]
    link_type: list[int]
    link_lag_kind: list[int]
    link_lag: list[float]  # minutes (work or clock), or a percentage
    link_lag_share: list[bool]  # the lag is a percentage of the predecessor's duration
    link_columns: LinkColumns  # link_type and the lag lists as numpy arrays
    incoming: Adjacency
    outgoing: Adjacency
    flags: list[int]  # per task: CONSTRAINED | STARTED | ... bits
    pred_array: Any  # link_pred and link_succ as numpy arrays
    succ_array: Any
    order: list[int]  # nodes in topological order: i is a task's (in) node, n + i a summary's out
    elapsed: ElapsedTimeline
    warnings: list[str]
    structure: tuple[Any, ...]  # what the compiled lists depend on, besides durations
    # split tasks: (after, gap) in working minutes, ordered; their ``duration`` is the span
    # (work plus gaps), which is what the passes need
    gaps: dict[int, tuple[tuple[int, int], ...]] = attrs.field(factory=dict)
    # the passes run their tight loops compiled by numba (see pmcore.schedule._jit); the
    # date lists are then numpy arrays while the passes run
    jit: bool = False

    def work(self, task: int) -> int:
        """A task's working time: its span less the gaps of its splits."""
        gaps = self.gaps.get(task)
        return self.duration[task] - sum(gap for _, gap in gaps) if gaps else \
            self.duration[task]

    def position_of(self, task: int) -> int:
        """Where a task's (in) node stands in the topological order."""
        if self._positions is None:
            self._positions = {node: k for k, node in enumerate(self.order)}
        return self._positions[task]

    _positions: dict[int, int] | None = attrs.field(default=None, init=False, eq=False)


def structure_of(project: Project) -> tuple[Any, ...]:
    """A fingerprint of everything a compiled schedule depends on except task durations.

    Tuples of the very objects (tasks, calendars' week and exception tuples, which are
    replaced on every change), so comparing two fingerprints is mostly identity checks. The
    links are the project's link table and its length: a table only grows while it is kept,
    and a removal replaces it.
    """
    tasks = project.tasks
    links = project._link_table()
    return (tasks, tuple(map(_PARENT, tasks)), tuple(map(_CALENDAR, tasks)),
            links, len(links), project.calendar, project.start, project.finish,
            project.schedule_from, project.options,
            tuple((c, c.base, c.week, c.work_weeks, c.exceptions)
                  for c in project.calendars.values()),
            # resource calendars set the working time of the tasks they work on
            tuple((a.task, a.resource, a.units) for a in project.assignments),
            tuple((r.id, r.type, r.calendar) for r in project.resources))


def _minutes(duration: Duration, project: Project) -> int:
    return round(duration.to_minutes(project.options))


def _invalid(project: Project) -> CycleError:
    """The located error for a project that cannot be compiled (references, loops)."""
    project.validate().raise_for_errors()  # names an unknown reference or a loop
    loop = project._network().cycles()
    return CycleError(loop[0] if loop else [], entity=project.label,
                      names=project._names(loop[0]) if loop else None)


def compile_project(project: Project, *, jit: bool = False) -> Compiled:
    """Flatten ``project`` for the passes (no dates are computed here).

    With ``jit``, the topological order and the passes' tight loops run compiled by numba.
    """
    import numpy as np

    tasks = list(project.tasks)
    ids = list(map(_ID, tasks))
    n = len(tasks)
    # Lists of positions hold these very ints (and -1, at the end): 200,000 links then cost
    # no int objects of their own, which a numpy array's tolist() would make.
    rows = [*range(n), -1]
    index = dict(zip(ids, rows[:n], strict=True))
    origin = (project.start or project.finish or _earliest_date(tasks) or
              dt.datetime(2000, 1, 3)).date()
    elapsed = ElapsedTimeline(origin)
    timelines: list[Timeline] = [Timeline(project.effective_calendar(), origin)]
    by_calendar: dict[str, int] = {project.calendar: 0}
    lag_timeline_of = [0] * n
    warnings: list[str] = []
    # Per-element work runs through map/attrgetter (C loops): at 100,000 tasks and 200,000
    # links, a Python loop per attribute would cost more than both passes.
    try:
        parent_array, children, summary, kids = _outline(np, project, index.__getitem__, n)
    except KeyError:  # a parent the project does not hold
        raise _invalid(project) from None
    parent: list[int] = list(map(rows.__getitem__, parent_array.tolist()))
    # The links come as the columns the project keeps (task slots, type and lag codes), not
    # as link objects: reading 200,000 of those cost as much as both passes.
    table = project._link_table()
    row_of_slot = np.full(project._slot_bound + 1, -1, dtype=np.int64)  # (slot -1: none)
    row_of_slot[np.fromiter(project._slots_of(ids), dtype=np.int64, count=n)] = np.arange(n)
    pred_array = row_of_slot[np.array(table.predecessor, dtype=np.int64)]
    succ_array = row_of_slot[np.array(table.successor, dtype=np.int64)]
    if len(table) and min(pred_array.min(), succ_array.min()) < 0:
        raise _invalid(project)  # a link to a task the project does not hold
    link_pred: list[int] = list(map(rows.__getitem__, pred_array.tolist()))
    link_succ: list[int] = list(map(rows.__getitem__, succ_array.tolist()))
    for i in _where(np, map(is_not, map(_CALENDAR, tasks), repeat(None)), n):
        calendar = tasks[i].calendar
        position = by_calendar.get(calendar)  # type: ignore[arg-type]
        if position is None:
            position = by_calendar[calendar] = len(timelines)  # type: ignore[index]
            timelines.append(Timeline(project.task_calendar(tasks[i]), origin))
        lag_timeline_of[i] = position
    if project.assignments:
        _resource_calendars(project, tasks, index, by_calendar, timelines, lag_timeline_of,
                            origin, warnings)
    flags, out_of_order = _flags(np, tasks)
    if out_of_order:
        raise _invalid(project)  # located by the rules
    # Plans repeat few distinct durations and lags (often the very same objects).
    values = list(map(_DURATION, tasks))
    minutes_of = {id(value): _minutes_and_clock(value, project)
                  for value in dict(zip(map(id, values), values, strict=True)).values()
                  if value is not None}
    minutes_of[id(None)] = (0, False)
    facts = list(map(minutes_of.__getitem__, map(id, values)))
    duration = list(map(_FIRST, facts))
    for i in _where(np, summary, n):
        duration[i] = 0
    timeline_of = list(lag_timeline_of)
    for i in _where(np, map(_SECOND, facts), n):
        if not summary[i]:
            timeline_of[i] = -1  # the clock; resolved to the elapsed timeline by the run
    for i in _where(np, map(is_, values, repeat(None)), n):
        if not summary[i] and not tasks[i].manual:
            warnings.append(f"{tasks[i].label} has no duration; scheduled as a milestone")
    gaps: dict[int, tuple[tuple[int, int], ...]] = {}
    for i in _where(np, map(bool, map(_SPLITS, tasks)), n):
        _add_gaps(i, tasks[i], project, summary[i], timeline_of[i] < 0, duration, gaps,
                  warnings)
    # Plans repeat few distinct lags: each is worked out once, then spread by its code.
    lag_facts = [_lag_facts(lag, project) for lag in table.lags]
    kinds, sizes, shares = ([facts[k] for facts in lag_facts] for k in range(3))
    codes = np.array(table.lag, dtype=np.int64)
    links = LinkColumns(type=np.array(table.type, dtype=np.int64),
                        lag_kind=np.array(kinds, dtype=np.int64)[codes],
                        lag=np.array(sizes, dtype=np.float64)[codes],
                        lag_share=np.array(shares, dtype=np.bool_)[codes])
    link_type: list[int] = links.type.tolist()
    link_lag_kind: list[int] = links.lag_kind.tolist()
    link_lag: list[float] = list(map(sizes.__getitem__, table.lag))  # (shared floats)
    link_share: list[bool] = links.lag_share.tolist()
    incoming = _adjacency(np, succ_array, n)
    outgoing = _adjacency(np, pred_array, n)
    order: list[int] | None = None
    nodes = n + sum(summary)
    if jit:
        from pmcore.schedule._jit import compiled_kernels

        found = compiled_kernels()[0](n, np.array(summary, dtype=np.bool_), parent_array,
                                      pred_array, succ_array)
        if found.size < nodes:
            raise _invalid(project)
        order = found.tolist()
    elif nodes >= VECTOR_MIN_NODES:
        from pmcore.schedule.vector import frontier_order

        cap = max(16, int(nodes * VECTOR_MAX_DEPTH_SHARE))
        try:
            order = frontier_order(n, summary, parent, pred_array, succ_array, cap)
        except CycleError:
            raise _invalid(project) from None
    if order is None:
        order = _topological_order(n, summary, children, link_pred, link_succ, project)
    return Compiled(project=project, ids=ids, index=index, tasks=tasks, timelines=timelines,
                    timeline_of=timeline_of, lag_timeline_of=lag_timeline_of,
                    duration=duration, summary=summary, parent=parent, children=children,
                    kids=kids, parent_array=parent_array,
                    link_pred=link_pred, link_succ=link_succ, link_type=link_type,
                    link_lag_kind=link_lag_kind, link_lag=link_lag, link_lag_share=link_share,
                    link_columns=links,
                    incoming=incoming, outgoing=outgoing, flags=flags,
                    pred_array=pred_array, succ_array=succ_array, order=order, elapsed=elapsed,
                    warnings=warnings, structure=structure_of(project), gaps=gaps, jit=jit)


def _where(np: Any, flags: Iterable[Any], n: int) -> list[int]:
    """The positions of the true values among ``n`` (a C loop, then only the few found)."""
    found: list[int] = np.flatnonzero(np.fromiter(flags, dtype=bool, count=n)).tolist()
    return found


def _outline(np: Any, project: Project, row_of: Any,
             n: int) -> tuple[Any, list[Sequence[int]], list[bool], Adjacency]:
    """Each task's parent (-1 at the top) as an array, its children (in row order; one shared
    empty tuple for the leaves), whether it is a summary, and the children grouped by parent.

    Read from the project's lists of children, one per summary task, rather than from every
    task's parent: a plan has far fewer summaries than tasks.
    """
    groups = list(project._child_ids())
    sizes = np.fromiter(map(len, map(_SECOND, groups)), dtype=np.int64, count=len(groups))
    rows = np.fromiter(map(row_of, map(_FIRST, groups)), dtype=np.int64, count=len(groups))
    # every child, group after group (within a group in row order, as the outline lists them)
    child = np.fromiter(map(row_of, chain.from_iterable(map(_SECOND, groups))),
                        dtype=np.int64, count=int(sizes.sum()))
    parents = np.full(n, -1, dtype=np.int64)
    parents[child] = np.repeat(rows, sizes)
    kids_of = _adjacency(np, parents[child], n, child)
    children: list[Sequence[int]] = [()] * n
    for row in rows.tolist():
        children[row] = kids_of[row]
    summary: list[bool] = (np.diff(kids_of.offsets) > 0).tolist()
    return parents, children, summary, kids_of


def _adjacency(np: Any, nodes: Any, n: int, items: Any = None) -> Adjacency:
    """``items`` (by default the positions in ``nodes``: links) grouped by ``nodes[k]``
    (a link's successor or predecessor, a child's parent), in their order."""
    by_node = np.argsort(nodes, kind="stable")
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(nodes, minlength=n), out=offsets[1:])
    return Adjacency(by_node if items is None else items[by_node], offsets)


def refresh_tasks(c: Compiled, changed: Sequence[int]) -> None:
    """Re-read the durations and facts of ``changed`` tasks (the structure is unchanged)."""
    project = c.project
    for i in changed:
        task = c.tasks[i]
        c.flags[i] = _flags_of(task)
        if c.summary[i]:
            continue
        c.timeline_of[i] = c.lag_timeline_of[i]
        c.gaps.pop(i, None)
        if task.duration is None:
            c.duration[i] = 0
            continue
        c.duration[i] = _minutes(task.duration, project)
        if task.duration.elapsed:
            c.timeline_of[i] = -1
        if task.splits:
            _add_gaps(i, task, project, False, c.timeline_of[i] < 0, c.duration, c.gaps,
                      c.warnings)


def _add_gaps(i: int, task: Task, project: Project, summary: bool, elapsed: bool,
              duration: list[int], gaps: dict[int, tuple[tuple[int, int], ...]],
              warnings: list[str]) -> None:
    """Record a split task's gaps and lengthen its span by them.

    Splits at or past the end of the work are dropped, and gaps at one point add up, as
    Microsoft Project does when a split task is shortened or split again at a split.
    """
    if summary or elapsed:
        warnings.append(f"{task.label} has splits, which only a work task with a working "
                        "duration can have; they are ignored")
        return
    work = duration[i]
    merged: dict[int, int] = {}
    for split in task.splits:
        after = _minutes(split.after, project)
        if 0 < after < work:
            merged[after] = merged.get(after, 0) + _minutes(split.gap, project)
    if merged:
        gaps[i] = tuple(sorted(merged.items()))
        duration[i] = work + sum(merged.values())


def work_spans(start: int, gaps: Sequence[tuple[int, int]], work: int, cut: int = 0,
               shift: int = 0) -> list[tuple[int, int]]:
    """The working pieces of a split task that starts at ``start`` (working minutes).

    ``work`` minutes of work run in pieces between the ``(after, gap)`` gaps; with ``cut``
    and ``shift``, the work after the first ``cut`` minutes waits ``shift`` minutes more (the
    remaining work of a task in progress, rescheduled after the status date).
    """
    extra = dict(gaps)
    if 0 < cut < work and shift > 0:
        extra[cut] = extra.get(cut, 0) + shift
    spans: list[tuple[int, int]] = []
    position, done = start, 0
    for point in [*sorted(extra), work]:
        if point > done:
            if spans and spans[-1][1] == position:
                spans[-1] = (spans[-1][0], position + point - done)
            else:
                spans.append((position, position + point - done))
            position += point - done
            done = point
        if point < work:
            position += extra[point]
    return spans


def _resource_calendars(project: Project, tasks: list[Task], index: dict[str, int],
                        by_calendar: dict[str, int], timelines: list[Timeline],
                        lag_timeline_of: list[int], origin: dt.date,
                        warnings: list[str]) -> None:
    """Tasks worked by resources on their own calendar are scheduled on that calendar.

    As in Microsoft Project, a task's working time is its resources' working time: a task done
    by someone on a four-day week, or on leave, waits for them. When the work resources of a
    task (no task calendar of its own) all work on one calendar, the task is scheduled on it.
    Resources on different calendars would need each assignment scheduled separately, and a
    task calendar together with a resource calendar their common working time; in both cases
    the task keeps its own (or the project's) calendar and the schedule warns.
    """
    from pmcore.model.resource import ResourceType

    calendars_of: dict[int, dict[str | None, str]] = {}  # task: calendar -> a resource on it
    for assignment in project.assignments:
        resource = project.resource(assignment.resource)
        if resource.type is not ResourceType.WORK or assignment.units <= 0:
            continue
        calendars_of.setdefault(index[assignment.task], {})[resource.calendar] = resource.id
    for i, calendars in sorted(calendars_of.items()):
        task = tasks[i]
        resource_calendars = {c for c in calendars if c is not None and c != project.calendar}
        if not resource_calendars:
            continue
        if task.calendar is not None or len(calendars) > 1:
            own = f" and it has calendar {task.calendar!r}" if task.calendar else ""
            names = ", ".join(sorted(repr(c or project.calendar) for c in calendars))
            warnings.append(f"{task.label}: its resources work on {names}{own}; scheduled "
                            f"on {task.calendar or project.calendar!r} only")
            continue
        (calendar,) = resource_calendars
        position = by_calendar.get(calendar)
        if position is None:
            position = by_calendar[calendar] = len(timelines)
            timelines.append(Timeline(project.resource_calendar(calendars[calendar]), origin))
        lag_timeline_of[i] = position


_SPLITS = attrgetter("splits")
_ID, _PARENT, _CALENDAR, _DURATION = (attrgetter(name) for name in
                                       ("id", "parent", "calendar", "duration"))
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def _flags(np: Any, tasks: list[Task]) -> tuple[list[int], bool]:
    """``Compiled.flags`` for every task, and whether a task finishes before it starts
    (planned or actual dates)."""
    n = len(tasks)

    def matching(values: Iterable[Any], value: Any, test: Any) -> Any:
        # A field is mostly set on no task or on every task (dates in a file saved by MS
        # Project): a C count then answers for all of them at once.
        listed = list(values)
        found = listed.count(value)
        if found in (0, n):
            return np.full(n, found == n, dtype=bool)
        return np.fromiter(map(test, listed, repeat(value)), dtype=bool, count=n)

    def present(values: Iterable[Any]) -> Any:
        return ~matching(values, None, is_)

    constraints = list(map(_CONSTRAINT, tasks))
    flags = present(map(_DATE, constraints)) * CONSTRAINED
    flags |= matching(map(_KIND, constraints), ConstraintType.ALAP, is_) * ALAP
    actual_starts, actual_finishes = list(map(_ACTUAL_START, tasks)), \
        list(map(_ACTUAL_FINISH, tasks))
    started, finished = present(actual_starts), present(actual_finishes)
    flags |= started * STARTED | finished * FINISHED
    flags |= present(map(_DEADLINE, tasks)) * DEADLINE
    manual = list(map(_MANUAL, tasks))
    if any(manual):
        flags |= np.fromiter(manual, dtype=bool, count=n) * MANUAL
    delayed = present(map(_LEVELING_DELAY, tasks))
    for i in np.flatnonzero(delayed).tolist():  # (a zero delay is no delay)
        flags[i] |= _flags_of(tasks[i]) & LEVELED
    result: list[int] = flags.tolist()
    return result, (_any_before(actual_finishes, actual_starts)
                    or _any_before(list(map(_FINISH, tasks)), list(map(_START, tasks))))


def _any_before(later: list[Any], earlier: list[Any]) -> bool:
    """Whether some ``later[i] < earlier[i]``, among the positions where both are set."""
    n = len(later)
    if later.count(None) == n or earlier.count(None) == n:
        return False
    if None not in later and None not in earlier:  # (dates in a file saved by MS Project)
        return any(map(lt, later, earlier))
    return any(b < a for a, b in zip(earlier, later, strict=True)
               if a is not None and b is not None)


_CONSTRAINT, _DATE, _KIND = attrgetter("constraint"), attrgetter("date"), attrgetter("type")
_ACTUAL_START, _ACTUAL_FINISH = attrgetter("actual_start"), attrgetter("actual_finish")
_DEADLINE, _MANUAL, _LEVELING_DELAY = (attrgetter(name) for name in
                                       ("deadline", "manual", "leveling_delay"))
_START, _FINISH = attrgetter("start"), attrgetter("finish")


def _minutes_and_clock(value: Duration, project: Project) -> tuple[int, bool]:
    return _minutes(value, project), value.elapsed


def _lag_facts(lag: Duration, project: Project) -> tuple[int, float, bool]:
    """A lag's kind, its size (minutes or a percentage) and whether it is a percentage."""
    if lag.value == 0:
        return _NO_LAG, 0.0, lag.is_percent
    if lag.is_percent:  # "50e%" is that share of the duration, on the clock; resolved per
        # run: durations may change
        return _ELAPSED_LAG if lag.elapsed else _PERCENT_LAG, lag.value, True
    return _ELAPSED_LAG if lag.elapsed else _WORK_LAG, float(_minutes(lag, project)), False


def _flags_of(task: Task) -> int:
    """The bits of ``Compiled.flags`` for one task."""
    flag = 0 if task.constraint.date is None else CONSTRAINED
    if task.constraint.type is ConstraintType.ALAP:
        flag |= ALAP
    if task.actual_start is not None:
        flag |= STARTED
    if task.actual_finish is not None:
        flag |= FINISHED
    if task.deadline is not None:
        flag |= DEADLINE
    if task.manual:
        flag |= MANUAL
    if task.leveling_delay is not None and task.leveling_delay.value:
        flag |= LEVELED
    return flag


def _earliest_date(tasks: Sequence[Task]) -> dt.datetime | None:
    dates = [d for t in tasks for d in (t.start, t.actual_start, t.constraint.date) if d]
    return min(dates) if dates else None


def _topological_order(n: int, summary: list[bool], children: list[Sequence[int]],
                       link_pred: list[int], link_succ: list[int],
                       project: Project) -> list[int]:
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
        raise _invalid(project)
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
    drivers: Sequence[list[int]]  # per task: the links that drive its early dates
    milestone_at_start: list[bool]  # per milestone: shown at the next working time
    conflicts: list[tuple[int, str, str]]  # (task, kind, message)
    splits: dict[int, list[tuple[int, int]]]  # task -> working spans (start, finish) if split
    project_finish_instant: int  # absolute minutes: the latest finish, maybe in non-working time
    start_floor: list[int]  # per summary: what links into it impose on its children
    finish_floor: list[int]


class Run:
    """One scheduling run: the per-node rules of the passes, and the arrays they fill.

    The date lists (``es``, ``ef``, ``ls``, ``lf``, ``start``, ``finish``, ``free_float``)
    hold working minutes per task; the rules read and write them one element at a time.
    """

    es: list[int]
    ef: list[int]
    ls: list[int]
    lf: list[int]
    start: list[int]
    finish: list[int]
    free_float: list[int]
    drivers: Any  # a list per task, or a mapping for the special nodes of the fast path

    def __init__(self, c: Compiled, status_date: dt.datetime | None, progress_mode: str,
                 arrays: bool = False):
        project = c.project
        self.c = c
        self.n = n = len(c.tasks)
        self.tasks = c.tasks
        self.summary = c.summary
        self.parent = c.parent
        self.children: list[Any] = c.children
        summaries = list(compress(range(n), c.summary))
        # the earliest start and latest finish among a summary's children, on one timeline
        self.span = self._span_of_lists
        if arrays:  # dates in numpy arrays (numba's loops): the children as index arrays
            self.span = self._span_of_arrays
            self.children = list(c.children)
            order, offsets = c.kids.order, c.kids.offsets
            for i in summaries:
                self.children[i] = order[offsets[i]:offsets[i + 1]]
        self.duration = c.duration
        self.gaps = c.gaps
        self.timelines = timelines = c.timelines
        self.all_timelines = [*timelines, c.elapsed]  # (timeline_of -1: the clock)
        self.tl_of: list[Timeline] = list(map(self.all_timelines.__getitem__, c.timeline_of))
        self.lag_tl_of: list[Timeline] = list(map(timelines.__getitem__, c.lag_timeline_of))
        self.project_tl = timelines[0]
        clock = len(timelines)
        self.tl_index = [clock if t < 0 else t for t in c.timeline_of] \
            if -1 in c.timeline_of else c.timeline_of
        import numpy as np

        # as arrays too, once, for the numpy and numba sides
        self.tl_index_array = on = np.array(self.tl_index, dtype=np.int64)
        parents = c.parent_array
        # Summaries whose children share their timeline roll up without converting dates.
        self.same_timeline = [False] * n
        if summaries:
            child = c.kids.order
            other = np.bincount(parents[child][on[child] != on[parents[child]]], minlength=n)
            for i in summaries:
                self.same_timeline[i] = not other[i]
        self.link_pred, self.link_succ, self.link_type = c.link_pred, c.link_succ, c.link_type
        self.lag_kind, self.lag_value = c.link_lag_kind, c.link_lag
        self.incoming, self.outgoing = c.incoming, c.outgoing
        self._link_facts(c)
        self.start_instant = self.project_tl.instant(project.start) \
            if project.start is not None else 0
        self.status_instant = None if status_date is None else \
            self.project_tl.instant(status_date)
        self.backward = project.schedule_from is ScheduleFrom.FINISH
        self.progress_mode = progress_mode
        self.override = progress_mode == ProgressMode.PROGRESS_OVERRIDE
        self.conflicts: list[tuple[int, str, str]] = []
        # scheduling from the finish: constraints that the required finish cannot meet
        self.late_conflicts: list[tuple[int, str, str]] = []
        # A link into a task in progress binds only its remaining work (retained logic) or no
        # longer binds (progress override); -1 for tasks not in progress.
        self.remaining = [-1] * n
        tasks = c.tasks
        started = map(and_, c.flags, repeat(STARTED | FINISHED))
        for i in compress(range(n), map(eq, started, repeat(STARTED))):
            task = tasks[i]
            if not c.summary[i]:
                self.remaining[i] = c.duration[i] - self.done_span(i, task)
        self.at_start: Any = [False] * n
        if arrays:  # numba's loops read it
            import numpy as np

            self.at_start = np.zeros(n, dtype=np.bool_)
        self.splits: dict[int, list[tuple[int, int]]] = {}
        self.start_floor = [-_BIG] * n  # for summaries: on the summary's timeline
        self.finish_floor = [-_BIG] * n
        self.finish_ceiling = [_BIG] * n  # for summaries, from links out of them and their parent
        self.start_ceiling = [_BIG] * n
        self.base_of: list[int] = []
        self.status_of: list[int] = []
        self.end_of: list[int] = []
        self.pass_start = self.end_instant = 0

    def _link_facts(self, c: Compiled) -> None:
        """Per link, what the rules ask again and again, computed once with numpy."""
        import numpy as np

        kind = c.link_columns.type
        pred, succ = c.pred_array, c.succ_array
        from_start = (kind == SS) | (kind == SF)
        to_start = (kind == FS) | (kind == SS)
        self.link_from_start: list[bool] = from_start.tolist()
        self.link_to_start: list[bool] = to_start.tolist()
        value, lag_kind = c.link_columns.lag, c.link_columns.lag_kind
        duration = np.array(c.duration, dtype=np.int64)
        for i in c.gaps:  # (a split task's duration is its work, not its span)
            duration[i] = c.work(i)
        # a percentage of the predecessor's duration, rounded half to even as round() does
        share = np.round(duration[pred] * value / 100.0)
        clock = np.where(c.link_columns.lag_share, share, np.trunc(value))
        self.lag_clock: list[int] = clock.astype(np.int64).tolist()
        minutes = np.where(lag_kind == _PERCENT_LAG, share, np.trunc(value))
        lag = np.where(lag_kind != _NO_LAG, minutes, 0).astype(np.int64)
        self.link_lag: list[int] = lag.tolist()
        # whether a link stays on one calendar (then a lag is plain addition; otherwise it
        # goes through an instant)
        tl_index = self.tl_index_array
        lag_tl = np.array(c.lag_timeline_of, dtype=np.int64)
        simple = ((lag_kind != _ELAPSED_LAG) & (tl_index[pred] == tl_index[succ])
                  & (tl_index[succ] == lag_tl[succ]))
        self.link_simple: list[bool] = simple.tolist()
        # the same facts as arrays, for the fast path (pmcore.schedule.vector)
        self.link_arrays = from_start, to_start, lag, simple
        # elapsed lags between tasks on the project calendar, which numba's loops take
        self.link_elapsed_on_project = (lag_kind == _ELAPSED_LAG) & (tl_index[pred] == 0) \
            & (tl_index[succ] == 0) & (lag_tl[succ] == 0)
        self.link_clock_array = clock.astype(np.int64)

    @staticmethod
    def _span_of_lists(low: Any, high: Any, kids: Sequence[int]) -> tuple[int, int]:
        return min(map(low.__getitem__, kids)), max(map(high.__getitem__, kids))

    @staticmethod
    def _span_of_arrays(low: Any, high: Any, kids: Any) -> tuple[int, int]:
        return low[kids].min(), high[kids].max()

    # ------------------------------------------------------------------------- conversions

    @staticmethod
    def convert(value: int, source: Timeline, target: Timeline, at_start: bool) -> int:
        """A date on one timeline as working minutes of another (through its instant)."""
        if source is target:
            return value
        instant = source.start_instant(value) if at_start else source.finish_instant(value)
        return target.work_at(instant)

    def lag_minutes(self, link: int) -> int:
        """A link's lag in minutes (a percentage resolved against the predecessor)."""
        if self.lag_kind[link] == _PERCENT_LAG:
            return round(self.c.work(self.link_pred[link]) * self.lag_value[link] / 100.0)
        return int(self.lag_value[link])

    def shifted(self, value: int, source: Timeline, target: Timeline, lag_tl: Timeline,
                link: int, at_start_source: bool, at_start_target: bool, sign: int) -> int:
        """``value`` on ``source`` moved by the link's lag (times ``sign``), on ``target``."""
        kind = self.lag_kind[link]
        if kind != _ELAPSED_LAG and source is target is lag_tl:
            return value + sign * self.lag_minutes(link) if kind else value
        return target.work_at(self.shifted_instant(value, source, lag_tl, link,
                                                   at_start_source, at_start_target, sign))

    def shifted_instant(self, value: int, source: Timeline, lag_tl: Timeline, link: int,
                        at_start_source: bool, at_start_target: bool, sign: int) -> int:
        """The absolute instant a link points to (see :meth:`shifted`)."""
        kind = self.lag_kind[link]
        instant = int(source.start_instant(value) if at_start_source
                      else source.finish_instant(value))
        if kind == _ELAPSED_LAG:
            instant += sign * self.lag_clock[link]
        elif kind and self.lag_minutes(link):  # (a percentage of a milestone is no lag at all)
            moved = lag_tl.work_at(instant) + sign * self.lag_minutes(link)
            instant = lag_tl.start_instant(moved) if at_start_target else \
                lag_tl.finish_instant(moved)
        return instant

    def work(self, tl: Timeline, moment: dt.datetime) -> int:
        """Working minutes of ``tl`` up to ``moment``."""
        return tl.work_at(tl.instant(moment))

    # ------------------------------------------------------------------------- forward pass

    def begin_forward(self, start_instant: int, es: Any,
                      ef: Any, drivers: Any) -> None:
        """Start a forward pass from ``start_instant`` (absolute minutes, project axis)."""
        self.es, self.ef, self.drivers = es, ef, drivers
        self.pass_start = start_instant
        self.base_of = [timeline.work_at(start_instant) for timeline in self.all_timelines]
        self.status_of = self.base_of if self.status_instant is None else [
            max(base, timeline.work_at(self.status_instant))
            for base, timeline in zip(self.base_of, self.all_timelines, strict=True)]

    def forward_general(self, node: int) -> None:
        """A node of the forward walk by the rules: a task's (or a summary's in) node ``i``,
        or a summary's out node ``n + i``."""
        if node < self.n:
            self.forward_node(node)
        else:
            self.forward_rollup(node - self.n)

    def forward_rollup(self, i: int) -> None:
        """A summary's out node: its early dates span its children's."""
        tl_of, es, ef, convert = self.tl_of, self.es, self.ef, self.convert
        tl = tl_of[i]
        kids = self.children[i]
        if self.same_timeline[i]:
            es[i], ef[i] = self.span(es, ef, kids)
            return
        es[i] = min(convert(es[k], tl_of[k], tl, True) for k in kids)
        ef[i] = max(convert(ef[k], tl_of[k], tl, False) for k in kids)

    def forward_node(self, i: int) -> None:
        """A task's early dates (a summary's in node: what links into it impose)."""
        tl_of, es, ef = self.tl_of, self.es, self.ef
        tl = tl_of[i]
        task = self.tasks[i]
        summary = self.summary[i]
        floor_start = self.base_of[self.tl_index[i]]
        floor_finish = -_BIG
        logic_start = -_BIG  # what links alone impose (not the project start)
        driver_start: list[int] = []
        driver_finish: list[int] = []
        p = self.parent[i]
        if p >= 0 and self.start_floor[p] > self.base_of[self.tl_index[p]]:
            # links into the summary (the project start comes from the task's own calendar:
            # converting it through the summary's could move it to that calendar's next
            # working time)
            floor = self.start_floor[p] if tl_of[p] is tl else \
                self.convert(self.start_floor[p], tl_of[p], tl, True)
            if floor > floor_start:
                floor_start = logic_start = floor
        if p >= 0 and self.finish_floor[p] > -_BIG:
            floor_finish = self.convert(self.finish_floor[p], tl_of[p], tl, False)
        if self.status_instant is not None and task.actual_start is None and not summary:
            floor_start = max(floor_start, tl.work_at(self.status_instant))
        link_pred, link_simple, link_lag = self.link_pred, self.link_simple, self.link_lag
        for link in self.incoming[i]:
            pred = link_pred[link]
            from_start = self.link_from_start[link]
            to_start = self.link_to_start[link]
            if link_simple[link]:
                value = (es[pred] if from_start else ef[pred]) + link_lag[link]
            else:
                # a milestone shown at the next working time leaves from there
                value = self.shifted(es[pred] if from_start else ef[pred], tl_of[pred], tl,
                                     self.lag_tl_of[i], link, from_start or self.at_start[pred],
                                     to_start, 1)
            if to_start:
                if value > logic_start:
                    logic_start = value
                if value > floor_start:
                    floor_start, driver_start = value, [link]
                elif value == floor_start:
                    driver_start.append(link)
            elif value > floor_finish:
                floor_finish, driver_finish = value, [link]
            elif value == floor_finish:
                driver_finish.append(link)
        if summary:
            self.start_floor[i] = int(floor_start)
            self.finish_floor[i] = int(floor_finish)
            self.drivers[i] = driver_start + driver_finish
            return
        dur = self.duration[i]
        start = floor_start
        chosen = driver_start
        if floor_finish - dur > start:
            start, chosen = floor_finish - dur, driver_finish
        elif floor_finish - dur == start and driver_finish:
            chosen = driver_start + driver_finish
        self.drivers[i] = chosen
        constraint = task.constraint
        if constraint.date is not None:
            logic = start
            start = _apply_constraint(constraint.type, self.work(tl, constraint.date), start,
                                      dur, i, self.conflicts)
            if start != logic:
                self.drivers[i] = []  # the constraint date, not a link, sets the dates
        delay = task.leveling_delay
        if delay is not None and delay.value and not task.manual:
            start = self.delayed(start, tl, delay)
        finish = start + dur
        if task.manual and (task.start is not None or task.finish is not None):
            # Manual tasks keep what was entered; a missing end follows from the duration.
            if task.start is not None:
                start = self.work(tl, task.start)
                finish = self.work(tl, task.finish) if task.finish is not None else start + dur
            else:
                finish = self.work(tl, task.finish)  # type: ignore[arg-type]  # set, per the if
                start = finish - dur
            self.drivers[i] = []
        if i in self.splits:
            del self.splits[i]  # (rescheduled after its progress changed)
        if task.actual_start is not None:
            actual = self.work(tl, task.actual_start)
            if task.actual_finish is not None:
                start, finish = actual, self.work(tl, task.actual_finish)
            else:
                done = self.done_span(i, task)
                left = dur - done
                resume = restart = actual + done
                if self.status_instant is not None:  # work not done by then comes after it
                    restart = max(restart, tl.work_at(self.status_instant))
                if not self.override and not task.manual:
                    # and, with retained logic, after the logic; not after the project start,
                    # which MS Project never applies to a task once it has started
                    restart = max(restart, int(logic_start), int(floor_finish) - left)
                gaps = self.gaps.get(i)
                if gaps:
                    spans = work_spans(actual, gaps, self.c.work(i), self.done_work(i, task),
                                       restart - resume)
                    if len(spans) > 1:
                        self.splits[i] = spans
                elif restart > resume and done:  # a split: done part, then the rest
                    self.splits[i] = [(actual, resume), (restart, restart + left)]
                start, finish = actual, restart + left
            self.drivers[i] = []
        es[i], ef[i] = start, finish
        self.at_start[i] = dur == 0 and not task.manual and task.actual_start is None and \
            self.milestone_at_start(i, start)

    def done_work(self, i: int, task: Task) -> int:
        """The working minutes a task in progress has done (its work times % complete)."""
        return round(self.c.work(i) * task.percent_complete / 100.0)

    def done_span(self, i: int, task: Task) -> int:
        """How far into its span a task in progress has got: its done work, and the gaps of
        the splits it has passed."""
        done = self.done_work(i, task)
        return done + sum(gap for after, gap in self.gaps.get(i, ()) if after < done)

    def delayed(self, start: int, tl: Timeline, delay: Duration) -> int:
        """A start moved by a leveling delay: elapsed time on the clock, else working time."""
        minutes = _minutes(delay, self.c.project)
        if delay.elapsed:
            return tl.work_at(tl.start_instant(start) + minutes)
        return start + minutes

    def milestone_at_start(self, i: int, start: int) -> bool:
        """Whether a milestone shows at the start of the next working period.

        Within one calendar a milestone sits at the end of the working time before it (after
        a task finishing on Friday at 17:00, at 17:00). When what drives it falls inside
        non-working time of its own calendar (a project start at 08:00, a predecessor on
        another calendar finishing on a Sunday), it waits for the next working time.
        """
        tl = self.tl_of[i]
        candidates = [self.pass_start]
        task = self.tasks[i]
        if task.constraint.date is not None:
            candidates.append(tl.instant(task.constraint.date))
        for link in self.incoming[i]:
            pred = self.link_pred[link]
            from_start = self.link_from_start[link]
            # a working lag ends where its last working minute does (a milestone 4h after
            # 08:00 is at 12:00, as a 4h task would finish), not at the next working time
            if self.link_simple[link] and (self.link_lag[link] or not (
                    from_start or self.at_start[pred])):
                continue  # on this calendar, at the end of a working period: never later
            point = self.es[pred] if from_start else self.ef[pred]
            candidates.append(self.shifted_instant(point, self.tl_of[pred], self.lag_tl_of[i],
                                                   link, from_start or self.at_start[pred],
                                                   False, 1))
        binding = [moment for moment in candidates if tl.work_at(moment) == start]
        return bool(binding) and max(binding) > tl.finish_instant(start)

    def latest_finish_instant(self, ef: Sequence[Any], at_start: Sequence[bool]) -> int:
        """The latest finish of any task, as an instant.

        As an instant: a task on another calendar or on the clock may end in the project
        calendar's non-working time (Saturday 01:00, Thursday 08:00), which working minutes of
        the project calendar cannot tell from the end of the previous working period. The
        conversion is monotonic, so only each timeline's latest value is converted.
        """
        latest: dict[tuple[int, bool], int] = {}
        tl_index, summary = self.tl_index, self.summary
        for i in range(self.n):
            if not summary[i]:
                key = (tl_index[i], at_start[i])
                value = ef[i]
                if value > latest.get(key, -_BIG):
                    latest[key] = value
        return self.finish_instant_of(latest)

    def finish_instant_of(self, latest: dict[tuple[int, bool], int]) -> int:
        """The latest instant among per-timeline latest finishes (see above).

        The project finishes with its latest task, even before the project start when every
        task has finished earlier (as in Microsoft Project); with no tasks, at its start.
        """
        if not latest:
            return self.pass_start
        found = -_BIG
        for (t, milestone_at_start), value in latest.items():
            tl = self.all_timelines[t]
            instant = tl.start_instant(int(value)) if milestone_at_start else \
                tl.finish_instant(int(value))
            found = max(found, int(instant))
        return found

    # ------------------------------------------------------------------------ backward pass

    def begin_backward(self, finish_instant: int, ls: Any,
                       lf: Any) -> None:
        """Start the backward pass from the project's finish (an absolute instant)."""
        self.ls, self.lf = ls, lf
        self.end_instant = finish_instant
        self.end_of = [timeline.work_at(finish_instant) for timeline in self.all_timelines]

    def backward_general(self, node: int) -> None:
        """A node of the backward walk by the rules (numbered as in the forward walk)."""
        if node >= self.n:
            self.backward_node(node - self.n)
        elif self.summary[node]:
            self.backward_rollup(node)
        else:
            self.backward_node(node)

    def backward_rollup(self, i: int) -> None:
        """A summary's in node: its late dates span its children's."""
        tl_of, ls, lf, convert = self.tl_of, self.ls, self.lf, self.convert
        tl = tl_of[i]
        kids = self.children[i]
        if self.same_timeline[i]:
            ls[i], lf[i] = self.span(ls, lf, kids)
            return
        ls[i] = min(convert(ls[k], tl_of[k], tl, True) for k in kids)
        lf[i] = max(convert(lf[k], tl_of[k], tl, False) for k in kids)

    def backward_node(self, i: int) -> None:
        """A task's late dates (a summary's out node: what links out of it impose)."""
        tl_of, ls, lf = self.tl_of, self.ls, self.lf
        tl = tl_of[i]
        task = self.tasks[i]
        ceiling_finish = self.end_of[self.tl_index[i]]
        ceiling_start = _BIG
        p = self.parent[i]
        if p >= 0:
            if self.finish_ceiling[p] < self.end_of[self.tl_index[p]]:  # links out of the summary
                ceiling_finish = min(ceiling_finish,
                                     self.convert(self.finish_ceiling[p], tl_of[p], tl, False))
            if self.start_ceiling[p] < _BIG:
                ceiling_start = min(ceiling_start,
                                    self.convert(self.start_ceiling[p], tl_of[p], tl, True))
        remaining = self.remaining
        for link in self.outgoing[i]:
            succ = self.link_succ[link]
            to_start = self.link_to_start[link]
            point = ls[succ] if to_start else lf[succ]
            if remaining[succ] >= 0:  # in progress: only its remaining work waits
                if self.override:
                    continue
                if to_start:
                    point = lf[succ] - remaining[succ]
            if self.link_simple[link]:
                value = point - self.link_lag[link]
            else:  # the latest instant the forward pass would map to ``point``: start sides
                value = self.shifted(point, tl_of[succ], tl, self.lag_tl_of[succ], link, True,
                                     True, -1)
            if self.link_from_start[link]:
                if value < ceiling_start:
                    ceiling_start = value
            elif value < ceiling_finish:
                ceiling_finish = value
        if self.summary[i]:
            self.finish_ceiling[i] = int(ceiling_finish)
            self.start_ceiling[i] = int(ceiling_start)
            return
        dur = self.duration[i]
        # Microsoft Project takes a manually scheduled task's late finish from finish-side
        # limits only: links leaving from its start (SS, SF) do not limit it.
        late_finish = min(ceiling_finish, ceiling_start + dur) \
            if ceiling_start < _BIG and not task.manual else ceiling_finish
        constraint = task.constraint
        if constraint.date is not None:
            date = self.work(tl, constraint.date)
            if self.backward:
                self._check_late_constraint(i, constraint.type, date, late_finish, dur)
            late_finish = _apply_late_constraint(constraint.type, date, late_finish, dur)
        if task.deadline is not None:
            late_finish = min(late_finish, self.work(tl, task.deadline))
        if task.actual_finish is not None:
            late_finish = self.ef[i]  # done: it can no longer move
        ls[i], lf[i] = late_finish - (self.ef[i] - self.es[i]), late_finish

    def _check_late_constraint(self, i: int, kind: ConstraintType, date: int, late_finish: int,
                               dur: int) -> None:
        """Scheduling from the finish, an inflexible constraint the finish date cannot meet.

        There MSO, MFO, SNET and FNET are the inflexible constraints (Microsoft Project): a
        date that makes the task end after the latest finish its successors and the project
        finish allow wins, and the conflict is reported.
        """
        finish = {ConstraintType.MSO: date + dur, ConstraintType.SNET: date + dur,
                  ConstraintType.MFO: date, ConstraintType.FNET: date}.get(kind)
        if finish is not None and finish > late_finish:
            self.late_conflicts.append((i, kind.name, "the required finish needs it to end "
                                                      "earlier than its constraint date allows"))

    # ------------------------------------------------------------- free float, ALAP placement

    def float_node(self, i: int) -> None:
        """Free float of a task (or a summary, at its out node); ALAP tasks use theirs up."""
        tl_of, start, finish, remaining = self.tl_of, self.start, self.finish, self.remaining
        tl = tl_of[i]
        slack = self.end_of[self.tl_index[i]] - finish[i]
        links: Iterable[int] = self.outgoing[i]
        q = self.parent[i]
        while q >= 0:  # a summary's finish links wait for every task below it too
            if self.outgoing.has_any(q):
                links = [*links, *(link for link in self.outgoing[q]
                                   if not self.link_from_start[link])]
            q = self.parent[q]
        for link in links:
            succ = self.link_succ[link]
            to_start = self.link_to_start[link]
            point = start[succ] if to_start else finish[succ]
            if remaining[succ] >= 0:  # in progress: only its remaining work waits
                if self.override:
                    continue
                if to_start:
                    point = finish[succ] - remaining[succ]
            if self.link_simple[link]:
                value = point - self.link_lag[link]
            else:  # as in the backward pass
                value = self.shifted(point, tl_of[succ], tl, self.lag_tl_of[succ], link, True,
                                     True, -1)
            gap = value - (start[i] if self.link_from_start[link] else finish[i])
            if gap < slack:
                slack = gap
        self.free_float[i] = slack
        task = self.tasks[i]
        if (not self.backward and task.constraint.type is ConstraintType.ALAP
                and not self.summary[i] and task.actual_start is None and slack > 0):
            start[i] += slack
            finish[i] += slack
            self.free_float[i] = 0

    def schedule_rollup(self, i: int) -> None:
        """A summary's scheduled dates span its children's."""
        tl_of, start, finish, convert = self.tl_of, self.start, self.finish, self.convert
        tl = tl_of[i]
        kids = self.children[i]
        if self.same_timeline[i]:
            start[i], finish[i] = self.span(start, finish, kids)
            return
        start[i] = min(convert(start[k], tl_of[k], tl, True) for k in kids)
        finish[i] = max(convert(finish[k], tl_of[k], tl, False) for k in kids)


def run_passes(c: Compiled, *, status_date: dt.datetime | None,
               progress_mode: str = ProgressMode.RETAINED_LOGIC,
               resume: tuple[Passes, int] | None = None) -> Passes:
    """Forward pass, backward pass, floats and ALAP placement.

    ``resume=(previous, position)`` reuses ``previous``'s early dates for the nodes before
    ``position`` in topological order: nothing there can depend on what changed after it.
    """
    arrays = FAST_PATH and c.jit  # numba's loops run the plain tasks, on numpy arrays
    run = Run(c, status_date, progress_mode, arrays)
    plain = None
    if FAST_PATH:
        from pmcore.schedule.vector import Plain

        plain = Plain(run, jit=arrays)
    return _NodeWalk(run, plain).passes(resume)


class _NodeWalk:
    """Walks the nodes in topological order: plain tasks through :class:`Plain`'s loops (when
    given), every other node through :class:`Run`'s rules."""

    def __init__(self, run: Run, plain: Plain | None):
        self.run = run
        self.plain = plain
        # numba's loops write numpy arrays; the Python loops, lists
        self.dates: Any = list
        if plain is not None and plain.jit:
            import numpy as np

            self.dates = functools.partial(np.array, dtype=np.int64)

    def forward(self, start_instant: int, resume: tuple[Passes, int] | None) -> None:
        run, n, order, plain = self.run, self.run.n, self.run.c.order, self.plain
        first = 0
        drivers: Any
        if resume is not None and not run.backward:
            previous, first = resume
            kept = {node for node in order[:first] if node < n}
            if plain is None:
                drivers = list(previous.drivers)
            else:
                old = previous.drivers
                special = old.special if hasattr(old, "special") else dict(enumerate(old))
                drivers = {i: links for i, links in special.items() if i in kept}
            run.begin_forward(start_instant, self.dates(previous.early_start),
                              self.dates(previous.early_finish), drivers)
            run.start_floor[:], run.finish_floor[:] = previous.start_floor, previous.finish_floor
            run.splits = {i: list(spans) for i, spans in previous.splits.items()}
            run.at_start[:] = previous.milestone_at_start
            for node in order[first:]:  # (a task that was a milestone may be none now)
                if node < n:
                    run.at_start[node] = False
            run.conflicts[:] = [conflict for conflict in previous.conflicts
                                if conflict[0] in kept]
        else:
            drivers = [[] for _ in range(n)] if plain is None else {}
            run.begin_forward(start_instant, self.dates([0] * n), self.dates([0] * n), drivers)
            run.conflicts.clear()
        todo = order[first:] if first else order
        if plain is not None:
            plain.forward_pass(todo, run.es, run.ef)
            run.drivers = plain.drivers(run.es, run.ef, drivers)
            return
        for node in todo:
            run.forward_general(node)

    def backward(self, finish_instant: int) -> None:
        run, n = self.run, self.run.n
        run.begin_backward(finish_instant, self.dates([0] * n), self.dates([0] * n))
        if self.plain is not None:
            self.plain.backward_pass(run.c.order, run.ls, run.lf)
            return
        for node in reversed(run.c.order):
            run.backward_general(node)

    def floats(self) -> None:
        run, n, summary = self.run, self.run.n, self.run.summary
        if self.plain is not None and not self.plain.alap:
            self.plain.free_floats()
        else:  # in reverse order: an ALAP task moves, and its predecessors see where to
            run.free_float = [0] * n
            float_node = run.float_node
            for node in reversed(run.c.order):
                if node >= n:
                    float_node(node - n)
                elif not summary[node]:
                    float_node(node)
        for node in run.c.order:
            if node >= n:
                run.schedule_rollup(node - n)

    def passes(self, resume: tuple[Passes, int] | None) -> Passes:
        run, plain = self.run, self.plain
        self.forward(run.start_instant, resume)
        if plain is not None:
            finish_instant = _project_finish(run, lambda: plain.latest_finish(run.ef,
                                                                              run.at_start))
        else:
            finish_instant = _project_finish(run, lambda: run.latest_finish_instant(
                run.ef, run.at_start))
        self.backward(finish_instant)
        if run.backward:  # early dates run forward from the start the late dates give
            self.forward(_backward_start(run), None)
        run.start, run.finish = _scheduled(run, self.dates(run.es), self.dates(run.ef))
        self.floats()
        return _assemble(run, finish_instant, list if self.dates is list else _int_list)


def _int_list(values: Any) -> list[int]:
    """Dates held in a numpy array (or numpy integers in a list) as a list of Python ints."""
    import numpy as np

    result: list[int] = np.asarray(values, dtype=np.int64).tolist()
    return result


def _project_finish(run: Run, latest: Any) -> int:
    """The instant the backward pass starts from: the required finish, or the latest one."""
    project = run.c.project
    if run.backward:
        assert project.finish is not None
        tl = run.project_tl
        return tl.finish_instant(tl.work_of(project.finish))
    return int(latest())


def _backward_start(run: Run) -> int:
    """Scheduling from the finish: the project starts where its earliest late start is."""
    roots = [i for i in range(run.n) if run.parent[i] < 0]
    project_finish = run.project_tl.work_at(run.end_instant)
    first = min((run.convert(int(run.ls[i]), run.tl_of[i], run.project_tl, True)
                 for i in roots), default=project_finish)
    return run.project_tl.start_instant(first)


def _scheduled(run: Run, start: Any, finish: Any) -> tuple[Any, Any]:
    """Scheduled dates: early dates, or late ones when scheduling from the finish.

    From the finish, a task whose late start comes before its early start (negative float: a
    constraint the finish cannot meet) keeps its early dates, so its links still hold.
    """
    if run.backward:
        for i in range(run.n):
            task = run.tasks[i]
            if not run.summary[i] and task.actual_start is None and not (
                    task.manual and task.start is not None) and run.ls[i] >= start[i]:
                start[i], finish[i] = run.ls[i], run.lf[i]
    return start, finish


def _assemble(run: Run, finish_instant: int, as_list: Any) -> Passes:
    """The passes' results as plain lists of ints."""
    project_tl = run.project_tl
    project_finish = project_tl.work_at(finish_instant)
    start = as_list(run.start)
    if run.backward:
        roots = [i for i in range(run.n) if run.parent[i] < 0]
        project_start = min((run.convert(start[i], run.tl_of[i], project_tl, True)
                             for i in roots), default=project_finish)
    else:
        project_start = project_tl.work_at(run.start_instant)
    c = run.c
    for i in [i for i in run.splits if i not in c.gaps and run.tasks[i].actual_start is None]:
        del run.splits[i]  # split by progress in an earlier run, no longer
    for i, gaps in c.gaps.items():
        task = run.tasks[i]
        if task.actual_start is None and not (task.manual and task.start is not None
                                              and task.finish is not None):
            run.splits[i] = work_spans(int(start[i]), gaps, c.work(i))
    # In task order, whichever order the walk met them in.
    conflicts = sorted({(i, kind): (i, kind, message) for i, kind, message in
                        [*run.conflicts, *run.late_conflicts]}.values(),
                       key=lambda conflict: conflict[0])
    return Passes(early_start=as_list(run.es), early_finish=as_list(run.ef),
                  late_start=as_list(run.ls), late_finish=as_list(run.lf), start=start,
                  finish=as_list(run.finish), free_float=as_list(run.free_float),
                  project_start=project_start, project_finish=project_finish,
                  drivers=run.drivers, milestone_at_start=list(map(bool, run.at_start)),
                  conflicts=conflicts, splits=run.splits,
                  project_finish_instant=finish_instant, start_floor=list(run.start_floor),
                  finish_floor=list(run.finish_floor))


def _apply_constraint(kind: ConstraintType, date: int, start: int, dur: int, index: int,
                      conflicts: list[tuple[int, str, str]]) -> int:
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
