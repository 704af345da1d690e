"""Timing, peak-memory and table helpers shared by the benchmark scripts in bench/."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from typing import Any


def median_seconds(action: Callable[[], Any], repeat: int,
                   clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time of ``repeat`` runs of ``action`` by ``clock`` (wall time by default;
    ``time.process_time`` for this process's processor time)."""
    times = []
    for _ in range(repeat):
        start = clock()
        action()
        times.append(clock() - start)
    return statistics.median(times)


def peak_mb(action: Callable[[], Any]) -> float:
    """Peak Python memory (tracemalloc, megabytes) while ``action`` runs once."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """``rows`` under ``header`` as a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
