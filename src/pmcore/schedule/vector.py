"""The level-wise walk: both passes over numpy arrays, one level of the network at a time.

A node's *level* is the length of the longest chain of nodes before it, so the nodes of one
level never depend on each other and a level's plain tasks can be computed at once: their early
start is the maximum, over their incoming links, of the predecessor's date plus the lag (one
``np.maximum.at``), and their late finish the matching minimum. A *plain* task is one that the
general rules (:class:`~pmcore.schedule.engine.Run`) would treat as arithmetic on one calendar:
no constraint date, progress, manual dates, deadline, milestone placement, link across
calendars or elapsed lag, and no links on its summary tasks. Every other node (summaries
included) goes through those rules one by one, in the same level loop, so both walks compute
the same schedule. The levels are found with Kahn's algorithm one frontier at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import numpy as np

from pmcore.errors import CycleError
from pmcore.schedule.engine import (
    ALAP,
    CONSTRAINED,
    DEADLINE,
    FINISHED,
    MANUAL,
    STARTED,
    Adjacency,
    Passes,
    Run,
    _assemble,
    _backward_start,
    _project_finish,
    _scheduled,
)

__all__ = ["LevelWalk", "Levels", "compute_levels"]



@attrs.frozen(eq=False)
class Levels:
    """The level of every node: task ``i``'s (in) node at ``i``, a summary's out node at n + i.

    ``-1`` marks the out node of a task that is not a summary.
    """

    node_level: Any  # np.ndarray of int64, 2n
    count: int
    order: list[int]  # nodes by level: a topological order


def compute_levels(n: int, summary: list[bool], parent: list[int], pred: Any, succ: Any,
                   cap: int | None) -> Levels | None:
    """Each node's level, or None when there would be more than ``cap`` levels.

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
    level = np.full(nodes, -1, dtype=np.int64)
    frontier = np.flatnonzero(exists & (indegree == 0))
    count = 0
    while frontier.size:
        if cap is not None and count >= cap:
            return None
        level[frontier] = count
        count += 1
        first = offsets[frontier]
        sizes = offsets[frontier + 1] - first
        total = int(sizes.sum())
        if not total:
            break
        # the frontier's out-links, gathered without a Python loop
        edges = np.repeat(first - np.cumsum(sizes) + sizes, sizes) + np.arange(total)
        reached = targets[edges]
        np.subtract.at(indegree, reached, 1)
        frontier = np.unique(reached[indegree[reached] == 0])
    if (level[exists] < 0).any():
        raise CycleError([], entity="project")
    present = np.flatnonzero(exists)
    order = present[np.argsort(level[present], kind="stable")]
    return Levels(node_level=level, count=count, order=order.tolist())


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


def _grouped(keys: Any, items: Any, count: int) -> tuple[Any, list[int]]:
    """``items`` sorted by ``keys`` (levels), and where each level starts."""
    by_key = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[by_key], np.arange(count + 1))
    return items[by_key], bounds.tolist()


class LevelWalk:
    """Drives a :class:`Run` level by level; see the module docstring."""

    def __init__(self, run: Run, levels: Levels):
        self.run = run
        self.levels = levels
        n = self.n = run.n
        self.dur = np.array(run.duration, dtype=np.int64)
        self.is_summary = np.array(run.summary, dtype=bool)
        parents = np.array(run.parent, dtype=np.int64)
        self.tl_index = np.array(run.tl_index, dtype=np.int64)
        self.pred = np.array(run.link_pred, dtype=np.int64)
        self.succ = np.array(run.link_succ, dtype=np.int64)
        self.from_start = np.array(run.link_from_start, dtype=bool)
        self.to_start = np.array(run.link_to_start, dtype=bool)
        self.lag = np.array(run.link_lag, dtype=np.int64)
        simple = np.array(run.link_simple, dtype=bool)
        self.level = levels.node_level[:n]
        facts = np.array(run.c.flags, dtype=np.int64)
        in_progress = np.array(run.remaining, dtype=np.int64) >= 0
        # Summaries whose own or an ancestor's links reach down to every task below them.
        links_in = np.bincount(self.succ, minlength=n) > 0
        links_out = np.bincount(self.pred, minlength=n) > 0
        inherits_in = np.zeros(n, dtype=bool)
        inherits_out = np.zeros(n, dtype=bool)
        for s in np.flatnonzero(self.is_summary).tolist():  # parents come before children
            p = run.parent[s]
            inherits_in[s] = links_in[s] or (p >= 0 and inherits_in[p])
            inherits_out[s] = links_out[s] or (p >= 0 and inherits_out[p])
        has_parent = parents >= 0
        under_in = has_parent & inherits_in[np.maximum(parents, 0)]
        under_out = has_parent & inherits_out[np.maximum(parents, 0)]
        plain = ~self.is_summary
        self.forward_plain = plain & (facts & (CONSTRAINED | STARTED | MANUAL) == 0) \
            & (self.dur != 0) & ~under_in
        self.forward_plain[self.succ[~simple]] = False
        self.backward_plain = plain & (facts & (CONSTRAINED | FINISHED | DEADLINE) == 0) \
            & ~under_out
        awkward = ~simple | in_progress[self.succ]
        self.backward_plain[self.pred[awkward]] = False
        alap = (facts & ALAP != 0) & (facts & STARTED == 0) & plain
        self.alap = bool(alap.any()) and not run.backward
        self.float_plain = plain & ~under_out & ~(alap if self.alap else False)
        self.float_plain[self.pred[awkward]] = False
        # Kids on their summary's calendar roll up with one numpy reduction.
        self.kids: dict[int, Any] = {}
        tl_of = run.tl_of
        for s in np.flatnonzero(self.is_summary).tolist():
            kids = run.children[s]
            if all(tl_of[k] is tl_of[s] for k in kids):
                self.kids[s] = np.array(kids, dtype=np.int64)

    # ------------------------------------------------------------------------------ passes

    def _specials(self, plain: Any, skip_summary_in: bool) -> tuple[list[int], list[int]]:
        """Nodes the general rules handle, by level: summaries' nodes and non-plain tasks."""
        n, count = self.n, self.levels.count
        node_level = self.levels.node_level
        general = ~plain & ~self.is_summary if skip_summary_in else ~plain
        tasks = np.flatnonzero(general)
        outs = n + np.flatnonzero(self.is_summary)
        nodes = np.concatenate((tasks, outs))
        grouped, bounds = _grouped(node_level[nodes], nodes, count)
        return grouped.tolist(), bounds

    def forward(self, start_instant: int, resume: tuple[Passes, int] | None) -> None:
        run, n, count = self.run, self.n, self.levels.count
        early = np.zeros(2 * n, dtype=np.int64)
        es, ef = early[0::2], early[1::2]
        special: dict[int, list[int]] = {}
        first = 0
        resumed = resume is not None and not run.backward
        if resume is not None and not run.backward:
            previous, position = resume
            order = self.levels.order
            first = int(self.levels.node_level[order[position]]) if position < len(order) \
                else count
            es[:] = previous.early_start
            ef[:] = previous.early_finish
            assert isinstance(previous.drivers, MaskedDrivers)
            level = self.level
            special = {i: links for i, links in previous.drivers.special.items()
                       if level[i] < first}
            run.start_floor[:], run.finish_floor[:] = previous.start_floor, previous.finish_floor
            run.splits[:] = [list(spans) for spans in previous.splits]
            run.at_start[:] = previous.milestone_at_start
            run.conflicts[:] = [conflict for conflict in previous.conflicts
                                if level[conflict[0]] < first]
        else:
            run.conflicts.clear()
        run.begin_forward(start_instant, es, ef, special)
        plain = self.forward_plain
        nodes, node_bounds = _grouped(self.level[plain], np.flatnonzero(plain), count)
        links = np.flatnonzero(plain[self.succ])
        links, link_bounds = _grouped(self.level[self.succ[links]], links, count)
        succ = self.succ[links]
        source = 2 * self.pred[links] + ~self.from_start[links]  # early holds start, finish pairs
        offset = self.lag[links] - np.where(self.to_start[links], 0, self.dur[succ])
        floor = np.array(run.status_of, dtype=np.int64)[self.tl_index]
        dur = self.dur
        specials, special_bounds = self._specials(plain, skip_summary_in=False)
        forward_node, forward_rollup, kids = run.forward_node, run.forward_rollup, self.kids
        if resumed:  # plain tasks recomputed here are no milestones waiting for working time
            for i in nodes[node_bounds[first]:].tolist():
                run.at_start[i] = False
        for level in range(first, count):
            a, b = node_bounds[level], node_bounds[level + 1]
            if a < b:
                these = nodes[a:b]
                es[these] = floor[these]
                la, lb = link_bounds[level], link_bounds[level + 1]
                if la < lb:
                    np.maximum.at(es, succ[la:lb], early[source[la:lb]] + offset[la:lb])
                ef[these] = es[these] + dur[these]
            for node in specials[special_bounds[level]:special_bounds[level + 1]]:
                if node < n:
                    forward_node(node)
                    continue
                i = node - n
                same = kids.get(i)
                if same is None:
                    forward_rollup(i)
                else:
                    es[i] = es[same].min()
                    ef[i] = ef[same].max()
        mask = np.zeros(len(self.succ), dtype=bool)
        mask[links] = early[source] + offset == es[succ]
        run.drivers = MaskedDrivers(n, run.incoming, run.link_to_start, mask.tolist(), special)

    def latest_finish(self) -> int:
        """The project's finish instant, from each timeline's latest early finish."""
        run = self.run
        at_start = np.array(run.at_start, dtype=bool)
        ef = np.asarray(run.ef)
        tasks = ~self.is_summary
        latest: dict[tuple[int, bool], int] = {}
        for t in np.unique(self.tl_index[tasks]).tolist():
            on = tasks & (self.tl_index == t)
            for flag in (False, True):
                chosen = on & (at_start == flag)
                if chosen.any():
                    latest[(t, flag)] = int(ef[chosen].max())
        return run.finish_instant_of(latest)

    def backward(self, finish_instant: int) -> None:
        run, n, count = self.run, self.n, self.levels.count
        late = np.zeros(2 * n, dtype=np.int64)
        ls, lf = late[0::2], late[1::2]
        run.begin_backward(finish_instant, ls, lf)
        es, ef = run.es, run.ef
        plain = self.backward_plain
        nodes, node_bounds = _grouped(self.level[plain], np.flatnonzero(plain), count)
        links = np.flatnonzero(plain[self.pred])
        links, link_bounds = _grouped(self.level[self.pred[links]], links, count)
        pred = self.pred[links]
        target = 2 * self.succ[links] + ~self.to_start[links]
        offset = np.where(self.from_start[links], self.dur[pred], 0) - self.lag[links]
        ceiling = np.array(run.end_of, dtype=np.int64)[self.tl_index]
        specials, special_bounds = self._specials(plain, skip_summary_in=False)
        summary = run.summary
        backward_node, backward_rollup = run.backward_node, run.backward_rollup
        for level in range(count - 1, -1, -1):
            a, b = node_bounds[level], node_bounds[level + 1]
            if a < b:
                these = nodes[a:b]
                lf[these] = ceiling[these]
                la, lb = link_bounds[level], link_bounds[level + 1]
                if la < lb:
                    np.minimum.at(lf, pred[la:lb], late[target[la:lb]] + offset[la:lb])
                ls[these] = lf[these] - (ef[these] - es[these])
            for node in specials[special_bounds[level]:special_bounds[level + 1]]:
                if node >= n:
                    backward_node(node - n)
                elif summary[node]:
                    backward_rollup(node)
                else:
                    backward_node(node)

    def floats(self) -> None:
        run, n, count = self.run, self.n, self.levels.count
        dates = np.empty(2 * n, dtype=np.int64)
        dates[0::2] = run.start
        dates[1::2] = run.finish
        start, finish = run.start, run.finish = dates[0::2], dates[1::2]
        free = run.free_float = np.zeros(n, dtype=np.int64)
        plain = self.float_plain
        end = np.array(run.end_of, dtype=np.int64)[self.tl_index]
        links = np.flatnonzero(plain[self.pred])
        specials, special_bounds = self._specials(plain, skip_summary_in=True)
        float_node = run.float_node
        if not self.alap:  # nothing moves: every plain task at once, then the others
            these = np.flatnonzero(plain)
            free[these] = end[these] - finish[these]
            self._gaps(dates, free, links)
            for node in specials:
                float_node(node - n if node >= n else node)
        else:  # ALAP tasks move within their free float, which their predecessors then see
            nodes, node_bounds = _grouped(self.level[plain], np.flatnonzero(plain), count)
            links, link_bounds = _grouped(self.level[self.pred[links]], links, count)
            for level in range(count - 1, -1, -1):
                a, b = node_bounds[level], node_bounds[level + 1]
                if a < b:
                    these = nodes[a:b]
                    free[these] = end[these] - finish[these]
                    self._gaps(dates, free, links[link_bounds[level]:link_bounds[level + 1]])
                for node in specials[special_bounds[level]:special_bounds[level + 1]]:
                    float_node(node - n if node >= n else node)
        kids = self.kids
        for node in self.levels.order:
            if node >= n:
                i = node - n
                same = kids.get(i)
                if same is None:
                    run.schedule_rollup(i)
                else:
                    start[i] = start[same].min()
                    finish[i] = finish[same].max()

    def _gaps(self, dates: Any, free: Any, links: Any) -> None:
        """Lower each plain task's free float to the gap before each successor link."""
        if not links.size:
            return
        pred = self.pred[links]
        target = 2 * self.succ[links] + ~self.to_start[links]
        source = 2 * pred + ~self.from_start[links]
        np.minimum.at(free, pred, dates[target] - self.lag[links] - dates[source])

    def passes(self, resume: tuple[Passes, int] | None) -> Passes:
        """Both passes, the floats and the scheduled dates."""
        run = self.run
        self.forward(run.start_instant, resume)
        finish_instant = _project_finish(run, self.latest_finish)
        self.backward(finish_instant)
        if run.backward:
            self.forward(_backward_start(run), None)
        start, finish = _scheduled(run, np.array(run.es), np.array(run.ef))
        run.start, run.finish = start, finish
        self.floats()
        return _assemble(run, finish_instant, _as_list)


def _as_list(values: Any) -> Any:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)
