"""Timing, peak-memory and table helpers shared by the benchmark scripts in bench/."""

from __future__ import annotations

import gc
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


def alternated_medians(actions: dict[str, Callable[[], Any]], repeat: int,
                       clock: Callable[[], float] = time.perf_counter) -> dict[str, float]:
    """Median time of each action, run in turns (one of each, ``repeat`` rounds), so that a
    machine whose speed drifts over minutes slows every action alike; each run starts after a
    full collection, with the collector paused while it runs."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            gc.collect()
            enabled = gc.isenabled()
            gc.disable()
            try:
                start = clock()
                action()
                times[name].append(clock() - start)
            finally:
                if enabled:
                    gc.enable()
    return {name: statistics.median(values) for name, values in times.items()}


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
