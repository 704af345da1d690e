"""The numpy side of the scheduler: a fast topological sort and the *plain* tasks.

Most tasks of a large plan need nothing of the general per-node rules
(:class:`~pmcore.schedule.engine.Run`): no constraint date, progress, manual dates, deadline,
milestone placement, link across calendars or elapsed lag, and no links on their summary tasks.
For such a *plain* task the forward pass is the maximum, over its incoming links, of the
predecessor's date plus an offset, and the backward pass the matching minimum. :class:`Plain`
finds those tasks and flattens their links into lists that the walk reads in a tight loop; every
other node still goes through the general rules, so both compute the same schedule (the test
suite runs every scheduling test with and without the fast path).

The topological order of a large network is found with Kahn's algorithm one frontier at a time
in numpy, unless the network is so deep and narrow that the frontiers would be tiny.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from pmcore.errors import CycleError
from pmcore.schedule.engine import (
    ALAP,
    CONSTRAINED,
    DEADLINE,
    FINISHED,
    LEVELED,
    MANUAL,
    STARTED,
    Adjacency,
)

if TYPE_CHECKING:
    from pmcore.schedule.engine import Run
    from pmcore.schedule.timeline import SpanArrays

__all__ = ["MaskedDrivers", "Plain", "frontier_order"]


def frontier_order(n: int, summary: list[bool], parent: list[int], pred: Any, succ: Any,
                   cap: int | None) -> list[int] | None:
    """Nodes in topological order, or None when there would be more than ``cap`` frontiers.

    Nodes are task ``i``'s (in) node at ``i`` and a summary's out node at ``n + i``.

    Raises:
        CycleError: some nodes are never freed (a loop); the caller names it.
    """
    is_summary = np.array(summary, dtype=bool)
    parents = np.array(parent, dtype=np.int64)
    child = np.flatnonzero(parents >= 0)
    of = parents[child]
    child_node = np.where(is_summary[child], n + child, child)
    pred_node = np.where(is_summary[pred], n + pred, pred)
    # in node -> child, child (its out node if a summary) -> parent's out node, links
    source = np.concatenate((of, child_node, pred_node))
    target = np.concatenate((child, n + of, succ))
    nodes = 2 * n
    exists = np.concatenate((np.ones(n, dtype=bool), is_summary))
    indegree = np.bincount(target, minlength=nodes)
    by_source = np.argsort(source, kind="stable")
    targets = target[by_source]
    offsets = np.zeros(nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(source, minlength=nodes), out=offsets[1:])
    stamp = np.zeros(nodes, dtype=np.int64)
    frontier = np.flatnonzero(exists & (indegree == 0))
    found: list[Any] = []
    count = 0
    while frontier.size:
        if cap is not None and len(found) >= cap:
            return None
        found.append(frontier)
        count += frontier.size
        first = offsets[frontier]
        sizes = offsets[frontier + 1] - first
        total = int(sizes.sum())
        if not total:
            break
        # the frontier's out-links, gathered without a Python loop
        edges = np.repeat(first - np.cumsum(sizes) + sizes, sizes) + np.arange(total)
        reached = targets[edges]
        np.subtract.at(indegree, reached, 1)
        freed = reached[indegree[reached] == 0]
        # a node reached twice is freed once: keep the last of its copies
        stamp[freed] = np.arange(freed.size)
        frontier = freed[stamp[freed] == np.arange(freed.size)]
    if count < int(exists.sum()):
        raise CycleError([], entity="project")
    order: list[int] = np.concatenate(found).tolist() if found else []
    return order


class MaskedDrivers(Sequence[list[int]]):
    """Driving links per task: a mask over the plain tasks' links, lists for the others."""

    def __init__(self, n: int, incoming: Adjacency, to_start: list[bool], mask: list[bool],
                 special: dict[int, list[int]]):
        self._n = n
        self._incoming = incoming
        self._to_start = to_start
        self._mask = mask
        self.special = special

    def __getitem__(self, i: Any) -> Any:
        found = self.special.get(i)
        if found is not None:
            return found
        links = [link for link in self._incoming[i] if self._mask[link]]
        # start-side links first, as the general rule lists them
        return [k for k in links if self._to_start[k]] + \
            [k for k in links if not self._to_start[k]]

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[list[int]]:
        return (self[i] for i in range(self._n))


class Plain:
    """Which tasks are plain in each pass, and their links flattened for the fast loops."""

    def __init__(self, run: Run, jit: bool = False):
        c = run.c
        self.jit = jit
        n = self.n = run.n
        self.run = run
        dur = self.dur = np.array(run.duration, dtype=np.int64)
        is_summary = self.is_summary = np.array(run.summary, dtype=bool)
        parents = c.parent_array
        pred = self.pred = c.pred_array
        succ = self.succ = c.succ_array
        self.from_start, self.to_start, self.lag, simple = run.link_arrays
        facts = np.array(c.flags, dtype=np.int64)
        in_progress = np.array(run.remaining, dtype=np.int64) >= 0
        # Summaries whose own or an ancestor's links reach down to every task below them.
        links_in = np.bincount(succ, minlength=n) > 0
        links_out = np.bincount(pred, minlength=n) > 0
        inherits_in = np.zeros(n, dtype=bool)
        inherits_out = np.zeros(n, dtype=bool)
        for s in np.flatnonzero(is_summary).tolist():  # parents come before children
            p = run.parent[s]
            inherits_in[s] = links_in[s] or (p >= 0 and inherits_in[p])
            inherits_out[s] = links_out[s] or (p >= 0 and inherits_out[p])
        has_parent = parents >= 0
        under_in = has_parent & inherits_in[np.maximum(parents, 0)]
        under_out = has_parent & inherits_out[np.maximum(parents, 0)]
        task = ~is_summary
        # numba's loops also take elapsed lags between tasks on the project calendar
        elapsed = run.link_elapsed_on_project if jit else np.zeros(len(succ), dtype=bool)
        self.elapsed = elapsed
        handled = simple | elapsed
        tl_index = run.tl_index_array
        # milestones on the project calendar too, placed by numba's loop as the rules do
        timed = (dur != 0) | (tl_index == 0) if jit else dur != 0
        forward = task & (facts & (CONSTRAINED | STARTED | MANUAL | LEVELED) == 0) \
            & timed & ~under_in
        forward[succ[~handled]] = False
        backward = task & (facts & (CONSTRAINED | FINISHED | DEADLINE | MANUAL) == 0) \
            & ~under_out
        awkward = ~handled | in_progress[succ]
        backward[pred[awkward]] = False
        alap = (facts & ALAP != 0) & (facts & STARTED == 0) & task
        self.alap = bool(alap.any()) and not run.backward
        floats = task & ~under_out
        floats[pred[awkward]] = False
        self.forward, self.backward, self.floats = forward, backward, floats
        # summaries (and their children) with no links of their own or above them: their
        # free float is the time to the project's end, as for a task without successors
        self.general_floats = ~floats & ~(is_summary & ~inherits_out)
        # Incoming links in successor order: the predecessor and an offset added to its start
        # or finish (the lag, less the successor's duration for links to its finish).
        # (An elapsed lag is added on the clock, not to the working minutes.)
        lag = np.where(elapsed, 0, self.lag)
        by_succ = c.incoming.order
        incoming = (c.incoming.offsets, pred[by_succ], self.from_start[by_succ],
                    (lag - np.where(self.to_start, 0, dur[succ]))[by_succ])
        # Outgoing links in predecessor order, the other way round.
        by_pred = c.outgoing.order
        outgoing = (c.outgoing.offsets, succ[by_pred], self.to_start[by_pred],
                    (np.where(self.from_start, dur[pred], 0) - lag)[by_pred])
        if jit:  # the compiled loops read the arrays themselves
            clock = self.clock = run.link_clock_array
            self.incoming_arrays = (*incoming, elapsed[by_succ], clock[by_succ])
            self.outgoing_arrays = (*outgoing, elapsed[by_pred], clock[by_pred])
            # per node (i: a task's or summary's in node, n + i: a summary's out node),
            # whether the loop computes it: an in node carries no links down, an out node
            # rolls up children on its own timeline (both passes, the other way round)
            rolls_up = is_summary & np.array(run.same_timeline, dtype=bool)
            self.forward_nodes = np.concatenate((forward | (is_summary & ~inherits_in),
                                                 rolls_up))
            self.backward_nodes = np.concatenate((backward | rolls_up,
                                                  is_summary & ~inherits_out))
            self.kids, self.kid_offsets = c.kids.order, c.kids.offsets
            return
        self.forward_list: list[bool] = forward.tolist()
        self.backward_list: list[bool] = backward.tolist()
        self.in_offsets: list[int] = incoming[0].tolist()
        self.in_pred: list[int] = incoming[1].tolist()
        self.in_from_start: list[bool] = incoming[2].tolist()
        self.in_offset: list[int] = incoming[3].tolist()
        self.out_offsets: list[int] = outgoing[0].tolist()
        self.out_succ: list[int] = outgoing[1].tolist()
        self.out_to_start: list[bool] = outgoing[2].tolist()
        self.out_offset: list[int] = outgoing[3].tolist()

    def forward_pass(self, order: Sequence[int], es: Any, ef: Any) -> None:
        """Early dates of every node in ``order``: plain tasks here, the others by the rules."""
        if self.jit:
            self._forward_compiled(order, es, ef)
            return
        run, n = self.run, self.n
        plain, duration = self.forward_list, run.duration
        offsets, preds, from_start, offset = (self.in_offsets, self.in_pred,
                                              self.in_from_start, self.in_offset)
        floor = [run.status_of[t] for t in run.tl_index]
        forward_general = run.forward_general
        for node in order:
            if node < n and plain[node]:
                start = floor[node]
                for k in range(offsets[node], offsets[node + 1]):
                    value = (es if from_start[k] else ef)[preds[k]] + offset[k]
                    if value > start:
                        start = value
                es[node] = start
                ef[node] = start + duration[node]
            else:
                forward_general(node)

    def drivers(self, es: list[int], ef: list[int],
                special: dict[int, list[int]]) -> MaskedDrivers:
        """The driving links: for plain tasks, the links whose value is the early date."""
        early = np.empty(2 * self.n, dtype=np.int64)
        early[0::2] = es
        early[1::2] = ef
        links = np.flatnonzero(self.forward[self.succ] & ~self.elapsed)
        succ = self.succ[links]
        source = 2 * self.pred[links] + ~self.from_start[links]
        offset = self.lag[links] - np.where(self.to_start[links], 0, self.dur[succ])
        mask = np.zeros(len(self.succ), dtype=bool)
        mask[links] = early[source] + offset == early[2 * succ]
        run = self.run
        links = np.flatnonzero(self.forward[self.succ] & self.elapsed)
        if links.size:  # (only with numba's loops)
            succ = self.succ[links]
            pred = self.pred[links]
            from_start = self.from_start[links]
            at_start = from_start | np.asarray(run.at_start, dtype=bool)[pred]
            value = self._shifted(links, early[2 * pred + ~from_start], at_start, 1)
            mask[links] = value - np.where(self.to_start[links], 0, self.dur[succ]) == \
                early[2 * succ]
        return MaskedDrivers(self.n, run.incoming, run.link_to_start, mask.tolist(), special)

    def latest_finish(self, ef: list[int], at_start: list[bool]) -> int:
        """The project's finish instant, from each timeline's latest early finish."""
        run = self.run
        finish = np.array(ef, dtype=np.int64)
        starts = np.array(at_start, dtype=bool)
        tl_index = run.tl_index_array
        tasks = ~self.is_summary
        latest: dict[tuple[int, bool], int] = {}
        for t in np.unique(tl_index[tasks]).tolist():
            on = tasks & (tl_index == t)
            for flag in (False, True):
                chosen = on & (starts == flag)
                if chosen.any():
                    latest[(t, flag)] = int(finish[chosen].max())
        return run.finish_instant_of(latest)

    def backward_pass(self, order: Sequence[int], ls: Any, lf: Any) -> None:
        """Late dates of every node, in reverse ``order``."""
        if self.jit:
            self._backward_compiled(order, ls, lf)
            return
        run, n = self.run, self.n
        plain, es, ef = self.backward_list, run.es, run.ef
        offsets, succs, to_start, offset = (self.out_offsets, self.out_succ,
                                            self.out_to_start, self.out_offset)
        ceiling = [run.end_of[t] for t in run.tl_index]
        backward_general = run.backward_general
        for node in reversed(order):
            if node < n and plain[node]:  # (summaries are never plain here)
                finish = ceiling[node]
                for k in range(offsets[node], offsets[node + 1]):
                    value = (ls if to_start[k] else lf)[succs[k]] + offset[k]
                    if value < finish:
                        finish = value
                ls[node] = finish - (ef[node] - es[node])
                lf[node] = finish
            else:
                backward_general(node)

    @staticmethod
    def _general_positions(nodes: Any, plain: Any) -> list[int]:
        """Where in ``nodes`` the general rules take over (then the end of ``nodes``)."""
        found: list[int] = np.flatnonzero(~plain[nodes]).tolist()
        return [*found, int(nodes.size)]

    def _shifted(self, links: Any, points: Any, at_start: Any, sign: int) -> Any:
        """:meth:`Run.shifted` for elapsed links on the project calendar, in numba's loop
        (and by the rules where the calendar has not stored the days needed yet)."""
        from pmcore.schedule._jit import OUTSIDE, compiled_kernels

        run = self.run
        out = np.empty(links.size, dtype=np.int64)
        axis = run.project_tl.span_arrays()
        compiled_kernels()[3](points, at_start, self.clock[links], sign, out, axis.begin,
                              axis.end, axis.work, axis.low, axis.high, axis.work_end)
        tl = run.project_tl
        for k in np.flatnonzero(out == OUTSIDE).tolist():
            out[k] = run.shifted(int(points[k]), tl, tl, tl, int(links[k]), bool(at_start[k]),
                                 True, sign)
        return out

    def _walk(self, nodes: Any, plain: Any, compiled: Any, general: Any) -> None:
        """Runs of ``plain`` nodes through ``compiled(low, high, axis)``, which gives where it
        stopped (``high`` when done, earlier when the project calendar ``axis`` lacks days),
        and every other node through ``general``, which also stores the missing days."""
        timeline = self.run.project_tl
        low = 0
        for position in self._general_positions(nodes, plain):
            while low < position:
                low = compiled(low, position, timeline.span_arrays())
                if low < position:
                    general(int(nodes[low]))
                    low += 1
            if position < nodes.size:
                general(int(nodes[position]))
                low = position + 1

    def _forward_compiled(self, order: Sequence[int], es: Any, ef: Any) -> None:
        """:meth:`forward_pass` with the runs of plain tasks in numba's loop."""
        from pmcore.schedule._jit import compiled_kernels

        run, n = self.run, self.n
        kernel = compiled_kernels()[1]
        nodes = np.asarray(order, dtype=np.int64)
        floor = np.array(run.status_of, dtype=np.int64)[run.tl_index_array]
        offsets, preds, from_start, offset, elapsed, clock = self.incoming_arrays

        def compiled(low: int, high: int, axis: SpanArrays) -> int:
            reached: int = kernel(nodes, low, high, n, self.is_summary, self.kid_offsets,
                                  self.kids, floor, offsets, preds, from_start, offset,
                                  elapsed, clock, self.dur, es, ef, run.at_start,
                                  run.pass_start, axis.begin, axis.end, axis.work, axis.low,
                                  axis.high, axis.work_end)
            return reached

        self._walk(nodes, self.forward_nodes, compiled, run.forward_general)

    def _backward_compiled(self, order: Sequence[int], ls: Any, lf: Any) -> None:
        """:meth:`backward_pass` with the runs of plain tasks in numba's loop."""
        from pmcore.schedule._jit import compiled_kernels

        run, n = self.run, self.n
        kernel = compiled_kernels()[2]
        nodes = np.asarray(order, dtype=np.int64)[::-1].copy()
        ceiling = np.array(run.end_of, dtype=np.int64)[run.tl_index_array]
        offsets, succs, to_start, offset, elapsed, clock = self.outgoing_arrays

        def compiled(low: int, high: int, axis: SpanArrays) -> int:
            reached: int = kernel(nodes, low, high, n, self.is_summary, self.kid_offsets,
                                  self.kids, ceiling, offsets, succs, to_start, offset,
                                  elapsed, clock, run.es, run.ef, ls, lf, axis.begin,
                                  axis.end, axis.work, axis.low, axis.high, axis.work_end)
            return reached

        self._walk(nodes, self.backward_nodes, compiled, run.backward_general)

    def free_floats(self) -> list[int]:
        """Free float of every task (nothing moves: there are no ALAP tasks to place)."""
        run, n = self.run, self.n
        dates = np.empty(2 * n, dtype=np.int64)
        dates[0::2] = run.start
        dates[1::2] = run.finish
        end = np.array(run.end_of, dtype=np.int64)[run.tl_index_array]
        free = end - dates[1::2]
        links = np.flatnonzero(self.floats[self.pred] & self.elapsed)
        if links.size:  # (only with numba's loops)
            pred = self.pred[links]
            point = dates[2 * self.succ[links] + ~self.to_start[links]]
            value = self._shifted(links, point, np.ones(links.size, dtype=bool), -1)
            np.minimum.at(free, pred, value - dates[2 * pred + ~self.from_start[links]])
        links = np.flatnonzero(self.floats[self.pred] & ~self.elapsed)
        if links.size:
            pred = self.pred[links]
            target = 2 * self.succ[links] + ~self.to_start[links]
            source = 2 * pred + ~self.from_start[links]
            np.minimum.at(free, pred, dates[target] - self.lag[links] - dates[source])
        run.free_float = free.tolist()
        # Summaries and the tasks left out above, by the general rule; in any order, as
        # nothing moves (no ALAP task) and each reads only the scheduled dates.
        float_node = run.float_node
        for node in np.flatnonzero(self.general_floats).tolist():
            float_node(node)
        result: list[int] = run.free_float
        return result
