"""The plain tasks' passes as loops, for numba to compile (the optional ``fast`` extra).

The numpy kernel (:mod:`pmcore.risk._kernel`) handles a level of plain tasks with a few
array operations per link slot; on deep, narrow networks that is many small operations. These
loops do the same arithmetic one level at a time, in compiled code when numba is installed;
both give identical integers.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from pmcore._numba import use_numba

__all__ = ["Backend", "compiled_kernels", "resolve"]


class Backend:
    """Which implementation runs the plain tasks' passes; the results are identical."""

    AUTO = "auto"
    """numba when it is installed and already compiled in this process, or when the run is
    large enough to pay for compiling it (a few seconds); numpy otherwise."""
    NUMPY = "numpy"
    """numpy operations on rows of iterations."""
    NUMBA = "numba"
    """Loops compiled by numba (``pip install numba``)."""


_NUMPY_SECONDS_PER_CELL = 2e-8  # per link (or task) and iteration, both passes
_COMPILE_SECONDS = 3.0


def _build(jit: Callable[[Any], Any]) -> tuple[Any, Any, Any]:
    @jit
    def forward(tasks: Any, floor: Any, offsets: Any, source: Any, lag: Any, to_finish: Any,
                early: Any, d: Any) -> None:  # pragma: no cover - compiled
        m = early.shape[1]
        for r in range(tasks.shape[0]):
            i = tasks[r]
            s = 2 * i
            for j in range(m):
                early[s, j] = floor[r]
            for k in range(offsets[r], offsets[r + 1]):
                src = source[k]
                shift = lag[k]
                if to_finish[k]:  # a link to the finish: its start is that less the duration
                    for j in range(m):
                        value = early[src, j] + shift - d[i, j]
                        if value > early[s, j]:
                            early[s, j] = value
                else:
                    for j in range(m):
                        value = early[src, j] + shift
                        if value > early[s, j]:
                            early[s, j] = value
            for j in range(m):
                early[s + 1, j] = early[s, j] + d[i, j]

    @jit
    def backward(tasks: Any, rows: Any, end: Any, offsets: Any, target: Any, lag: Any,
                 from_start: Any, late: Any, early: Any, d: Any) -> None:  # pragma: no cover
        m = late.shape[1]
        for r in range(tasks.shape[0]):
            i = tasks[r]
            f = 2 * i + 1
            for j in range(m):
                late[f, j] = end[rows[r], j]  # the project's finish on its calendar
            for k in range(offsets[r], offsets[r + 1]):
                tgt = target[k]
                shift = lag[k]
                if from_start[k]:  # a link from the start: its finish is that plus the duration
                    for j in range(m):
                        value = late[tgt, j] - shift + d[i, j]
                        if value < late[f, j]:
                            late[f, j] = value
                else:
                    for j in range(m):
                        value = late[tgt, j] - shift
                        if value < late[f, j]:
                            late[f, j] = value
            for j in range(m):
                late[f - 1, j] = late[f, j] - (early[f, j] - early[f - 1, j])

    @jit
    def beta_draws(u: Any, table: Any, low: Any, span: Any, steps: Any,
                   out: Any) -> None:  # pragma: no cover - compiled
        # distributions.Batch.draw's arithmetic, fused: one pass instead of ten
        last = table.shape[0] - 2
        one, two = np.float32(1), np.float32(2)
        for r in range(u.shape[0]):
            for j in range(u.shape[1]):
                t = np.arccos(one - two * u[r, j]) * steps
                k = int(t)
                if k > last:
                    k = last
                t -= np.float32(k)
                below = table[k]
                out[r, j] = (below + t * (table[k + 1] - below)) * span[r] + low[r]

    return forward, backward, beta_draws


@functools.cache
def compiled_kernels() -> tuple[Any, Any, Any]:
    """The (forward, backward, beta_draws) loops compiled by numba."""
    # imported by name: numba is optional, and type checkers need not have it
    numba = importlib.import_module("numba")
    return _build(numba.njit(cache=False, nogil=True))


def _compiled() -> bool:
    if "numba" not in sys.modules:
        return False
    return bool(getattr(compiled_kernels()[0], "signatures", None))


def resolve(backend: str, work: float) -> str:
    """The backend to run for ``work`` (iterations x (links + tasks))."""
    numba = use_numba(backend, pure=Backend.NUMPY, entity="simulation",
                      install="pip install 'pmcore[fast]'", compiled=_compiled,
                      seconds=work * _NUMPY_SECONDS_PER_CELL, compile_seconds=_COMPILE_SECONDS)
    return Backend.NUMBA if numba else Backend.NUMPY
