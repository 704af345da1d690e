"""The scheduler's tight loops compiled by numba (the optional ``fast`` extra).

Three loops carry most of the time on a large plan once the project is compiled: the
topological order and the plain tasks' forward and backward walks
(:class:`~pmcore.schedule.vector.Plain`). Here they are written over numpy arrays for numba to
compile; they do the same integer arithmetic as the Python rules, so both give the same
schedule (the scheduling tests run every hand-worked example through both). Besides the plain
tasks of the Python loops, they also take milestones, elapsed lags between tasks on the
project calendar (converted through its :class:`~pmcore.schedule.timeline.SpanArrays`) and
summaries with no links of their own.

The walks stop where the Python rules take over: the caller hands them runs of consecutive
nodes they can compute, and computes every other node with the general rules in between. A
walk also stops early, at the node it was on, when the calendar has not stored the days a
conversion needs; the rules compute that node (storing the days) and the walk goes on.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from typing import Any

from pmcore._numba import use_numba

__all__ = ["Backend", "compiled_kernels", "kernels_ready", "resolve"]


class Backend:
    """What runs the scheduler's tight loops; every backend gives the same schedule."""

    AUTO = "auto"
    """numba when it is installed and its loops are already compiled in this process (by an
    earlier ``backend="numba"`` schedule), or the plan is so large that compiling them pays
    for itself; Python otherwise."""
    PYTHON = "python"
    """Loops over Python lists (numpy for the topological order)."""
    NUMBA = "numba"
    """Loops compiled by numba (``pip install 'pmcore[fast]'``). Compiling takes a few seconds
    once per process."""


# The Python loops cost about 4 microseconds per node over the whole schedule; compiling the
# numba loops takes about 3 seconds, once per process.
_PYTHON_SECONDS_PER_NODE = 4e-6
_COMPILE_SECONDS = 3.0
OUTSIDE = -(1 << 63) + 1
"""What a compiled conversion gives for an instant or amount of work the timeline has not
stored yet."""


def _build(jit: Callable[[Any], Any]) -> tuple[Any, Any, Any, Any]:
    # imported here: `import pmcore.schedule` does not load numpy until a schedule runs
    import numpy as np

    @jit
    def topological_order(n: Any, is_summary: Any, parents: Any, pred: Any,
                          succ: Any) -> Any:  # pragma: no cover - compiled
        # Nodes: a task's (in) node i, a summary's out node n + i. Edges: a summary's in node
        # to each child, each child (its out node if a summary) to the parent's out node, and
        # every link from the predecessor (its out node if a summary) to the successor.
        nodes = 2 * n
        m = pred.shape[0]
        edges = m
        for i in range(n):
            if parents[i] >= 0:
                edges += 2
        source = np.empty(edges, dtype=np.int64)
        target = np.empty(edges, dtype=np.int64)
        e = 0
        for i in range(n):
            p = parents[i]
            if p >= 0:
                source[e] = p
                target[e] = i
                source[e + 1] = n + i if is_summary[i] else i
                target[e + 1] = n + p
                e += 2
        for k in range(m):
            p = pred[k]
            source[e] = n + p if is_summary[p] else p
            target[e] = succ[k]
            e += 1
        offsets = np.zeros(nodes + 1, dtype=np.int64)
        indegree = np.zeros(nodes, dtype=np.int64)
        for k in range(edges):
            offsets[source[k] + 1] += 1
            indegree[target[k]] += 1
        for v in range(nodes):
            offsets[v + 1] += offsets[v]
        fill = offsets[:-1].copy()
        targets = np.empty(edges, dtype=np.int64)
        for k in range(edges):
            targets[fill[source[k]]] = target[k]
            fill[source[k]] += 1
        order = np.empty(nodes, dtype=np.int64)
        tail = 0
        for v in range(nodes):
            if indegree[v] == 0 and (v < n or is_summary[v - n]):
                order[tail] = v
                tail += 1
        head = 0
        while head < tail:
            v = order[head]
            head += 1
            for k in range(offsets[v], offsets[v + 1]):
                w = targets[k]
                indegree[w] -= 1
                if indegree[w] == 0:
                    order[tail] = w
                    tail += 1
        return order[:tail]  # shorter than the nodes when there is a loop

    # Conversions on one timeline's span arrays (pmcore.schedule.timeline.SpanArrays); they
    # give OUTSIDE where the timeline has not stored the days needed, and the caller then
    # leaves that node to the Python rules, which store them.
    @jit
    def work_at(instant: Any, begin: Any, end: Any, work: Any, low: Any,
                high: Any) -> Any:  # pragma: no cover - compiled
        if instant < low or instant >= high or begin.size == 0:
            return OUTSIDE
        k = np.searchsorted(begin, instant, side="left") - 1
        if k < 0:
            return work[0]
        return work[k] + min(instant, end[k]) - begin[k]

    @jit
    def instant_of(value: Any, at_start: Any, begin: Any, work: Any,
                   work_end: Any) -> Any:  # pragma: no cover - compiled
        # a start: the next working period's begin at a boundary; a finish: the previous end.
        # Stored as Timeline.start_instant (finish_instant) needs it, without storing more.
        if begin.size == 0:
            return OUTSIDE
        if at_start:
            if value < work[0] or value >= work_end:
                return OUTSIDE
            k = np.searchsorted(work, value, side="right") - 1
        else:
            if value <= work[0] or value > work_end:
                return OUTSIDE
            k = np.searchsorted(work, value, side="left") - 1
        return begin[k] + value - work[k]

    @jit
    def shift(value: Any, at_start: Any, clock: Any, begin: Any, end: Any, work: Any,
              low: Any, high: Any, work_end: Any) -> Any:  # pragma: no cover - compiled
        # Run.shifted for an elapsed link on one calendar: working minutes to an instant (at
        # the start or the finish side), ``clock`` minutes on, back to working minutes
        moment = instant_of(value, at_start, begin, work, work_end)
        if moment == OUTSIDE:
            return OUTSIDE
        return work_at(moment + clock, begin, end, work, low, high)

    @jit
    def span(node: Any, kid_offsets: Any, kids: Any, low: Any,
             high: Any) -> Any:  # pragma: no cover - compiled
        # a summary's roll-up: its children's earliest ``low`` and latest ``high``
        first = kids[kid_offsets[node]]
        earliest, latest = low[first], high[first]
        for k in range(kid_offsets[node] + 1, kid_offsets[node + 1]):
            earliest = min(earliest, low[kids[k]])
            latest = max(latest, high[kids[k]])
        return earliest, latest

    @jit
    def forward(order: Any, lo: int, hi: int, n: int, is_summary: Any, kid_offsets: Any,
                kids: Any, floor: Any, offsets: Any, preds: Any, from_start: Any, offset: Any,
                elapsed: Any, clock: Any, duration: Any, es: Any, ef: Any, at_start: Any,
                pass_start: int, begin: Any, end: Any, work: Any, low: int, high: int,
                work_end: int) -> Any:  # pragma: no cover - compiled
        for position in range(lo, hi):
            node = order[position]
            if node >= n:  # a summary's out node: its children's span (on its timeline)
                es[node - n], ef[node - n] = span(node - n, kid_offsets, kids, es, ef)
                continue
            if is_summary[node]:  # an in node with no links to carry down
                continue
            start = floor[node]
            for k in range(offsets[node], offsets[node + 1]):
                p = preds[k]
                value = es[p] if from_start[k] else ef[p]
                if elapsed[k]:
                    value = shift(value, from_start[k] or at_start[p], clock[k], begin, end,
                                  work, low, high, work_end)
                    if value == OUTSIDE:
                        return position
                value += offset[k]
                if value > start:
                    start = value
            if duration[node] == 0:  # a milestone: maybe at the next working time
                shown = instant_of(start, False, begin, work, work_end)
                latest = work_at(pass_start, begin, end, work, low, high)
                if shown == OUTSIDE or latest == OUTSIDE:
                    return position
                latest = pass_start if latest == start else OUTSIDE
                for k in range(offsets[node], offsets[node + 1]):
                    p = preds[k]
                    side = from_start[k] or at_start[p]
                    value = es[p] if from_start[k] else ef[p]
                    if elapsed[k]:
                        moment = instant_of(value, side, begin, work, work_end)
                        if moment == OUTSIDE:
                            return position
                        moment += clock[k]
                    elif side and offset[k] == 0:
                        moment = instant_of(value, True, begin, work, work_end)
                        if moment == OUTSIDE:
                            return position
                    else:  # the end of a working period on this calendar: never later
                        continue
                    found = work_at(moment, begin, end, work, low, high)
                    if found == OUTSIDE:
                        return position
                    if found == start and moment > latest:
                        latest = moment
                at_start[node] = latest != OUTSIDE and latest > shown
            es[node] = start
            ef[node] = start + duration[node]
        return hi

    @jit
    def backward(order: Any, lo: int, hi: int, n: int, is_summary: Any, kid_offsets: Any,
                 kids: Any, ceiling: Any, offsets: Any, succs: Any, to_start: Any,
                 offset: Any, elapsed: Any, clock: Any, es: Any, ef: Any, ls: Any, lf: Any,
                 begin: Any, end: Any, work: Any, low: int, high: int,
                 work_end: int) -> Any:  # pragma: no cover - compiled
        # ``order`` is the reversed topological order; an elapsed link goes back from the
        # start side of the successor's date
        for position in range(lo, hi):
            node = order[position]
            if node >= n:  # a summary's out node with no links to carry down
                continue
            if is_summary[node]:  # its in node: its children's span
                ls[node], lf[node] = span(node, kid_offsets, kids, ls, lf)
                continue
            finish = ceiling[node]
            for k in range(offsets[node], offsets[node + 1]):
                s = succs[k]
                value = ls[s] if to_start[k] else lf[s]
                if elapsed[k]:
                    value = shift(value, True, -clock[k], begin, end, work, low, high,
                                  work_end)
                    if value == OUTSIDE:
                        return position
                value += offset[k]
                if value < finish:
                    finish = value
            ls[node] = finish - (ef[node] - es[node])
            lf[node] = finish
        return hi

    @jit
    def shifted(points: Any, at_start: Any, clock: Any, sign: int, out: Any, begin: Any,
                end: Any, work: Any, low: int, high: int,
                work_end: int) -> None:  # pragma: no cover - compiled
        # Run.shifted for elapsed links on one calendar, many at once (OUTSIDE: not stored)
        for k in range(points.shape[0]):
            out[k] = shift(points[k], at_start[k], sign * clock[k], begin, end, work, low,
                           high, work_end)

    return topological_order, forward, backward, shifted


@functools.cache
def compiled_kernels() -> tuple[Any, Any, Any, Any]:
    """The (topological_order, forward, backward, shifted) loops compiled by numba."""
    # imported by name: numba is optional, and type checkers need not have it
    numba = importlib.import_module("numba")
    return _build(numba.njit(cache=False, nogil=True))


def kernels_ready() -> bool:
    """True when the numba loops every schedule runs (the order and both walks) are compiled
    in this process; the loop for elapsed links compiles when a plan first has them."""
    if "numba" not in sys.modules or compiled_kernels.cache_info().currsize == 0:
        return False
    return all(getattr(kernel, "signatures", None) for kernel in compiled_kernels()[:3])


def resolve(backend: str, nodes: int) -> bool:
    """Whether a schedule of ``nodes`` nodes runs the numba loops under ``backend``."""
    return use_numba(backend, pure=Backend.PYTHON, entity="schedule",
                     install="pip install 'pmcore[fast]'", compiled=kernels_ready,
                     seconds=nodes * _PYTHON_SECONDS_PER_NODE,
                     compile_seconds=_COMPILE_SECONDS)
