"""The scheduler's tight loops compiled by numba (the optional ``fast`` extra).

Three loops carry most of the time on a large plan once the project is compiled: the
topological order and the plain tasks' forward and backward walks
(:class:`~pmcore.schedule.vector.Plain`). Here they are written over numpy arrays for numba to
compile; they do the same integer arithmetic as the Python loops, so both give the same
schedule (the scheduling tests run every hand-worked example through both).

The walks stop where the Python rules take over: the caller hands them runs of consecutive
plain nodes, and computes every other node with the general rules in between.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from pmcore.errors import ValidationError

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


def _build(jit: Callable[[Any], Any]) -> tuple[Any, Any, Any]:
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

    @jit
    def forward(order: Any, lo: int, hi: int, floor: Any, offsets: Any, preds: Any,
                from_start: Any, offset: Any, duration: Any, es: Any,
                ef: Any) -> None:  # pragma: no cover - compiled
        for position in range(lo, hi):
            node = order[position]
            start = floor[node]
            for k in range(offsets[node], offsets[node + 1]):
                p = preds[k]
                value = (es[p] if from_start[k] else ef[p]) + offset[k]
                if value > start:
                    start = value
            es[node] = start
            ef[node] = start + duration[node]

    @jit
    def backward(order: Any, lo: int, hi: int, ceiling: Any, offsets: Any, succs: Any,
                 to_start: Any, offset: Any, es: Any, ef: Any, ls: Any,
                 lf: Any) -> None:  # pragma: no cover - compiled
        # ``order`` is the reversed topological order
        for position in range(lo, hi):
            node = order[position]
            finish = ceiling[node]
            for k in range(offsets[node], offsets[node + 1]):
                s = succs[k]
                value = (ls[s] if to_start[k] else lf[s]) + offset[k]
                if value < finish:
                    finish = value
            ls[node] = finish - (ef[node] - es[node])
            lf[node] = finish

    return topological_order, forward, backward


@functools.cache
def compiled_kernels() -> tuple[Any, Any, Any]:
    """The (topological_order, forward, backward) loops compiled by numba."""
    # imported by name: numba is optional, and type checkers need not have it
    numba = importlib.import_module("numba")
    return _build(numba.njit(cache=False, nogil=True))


def kernels_ready() -> bool:
    """True when the numba loops are compiled in this process."""
    if "numba" not in sys.modules or compiled_kernels.cache_info().currsize == 0:
        return False
    return all(getattr(kernel, "signatures", None) for kernel in compiled_kernels())


def resolve(backend: str, nodes: int) -> bool:
    """Whether a schedule of ``nodes`` nodes runs the numba loops under ``backend``."""
    if backend not in (Backend.AUTO, Backend.PYTHON, Backend.NUMBA):
        raise ValidationError(f"must be 'auto', 'python' or 'numba', got {backend!r}",
                              entity="schedule", field="backend")
    if backend == Backend.PYTHON:
        return False
    available = importlib.util.find_spec("numba") is not None
    if backend == Backend.NUMBA:
        if not available:
            raise ValidationError("numba is not installed (pip install 'pmcore[fast]')",
                                  entity="schedule", field="backend")
        return True
    return available and (kernels_ready() or
                          nodes * _PYTHON_SECONDS_PER_NODE > _COMPILE_SECONDS)
