"""Monte Carlo schedule risk benchmark: the vectorised passes beside the engine per iteration.

    python bench/run.py --montecarlo [--quick]     # this table only
    python bench/montecarlo_bench.py [--quick]     # the same, standalone

The instance is the issue's: 1,000 tasks and 2,000 finish-to-start links (each to one of the
next 60 tasks, a random acyclic network), on the Standard calendar with a public holiday, every
task with a beta-PERT estimate (0.8, 1 and 1.6 times its 2-10 day duration) and a fixed seed.
pmcore's rows run :func:`pmcore.risk.simulate` (numpy, and the compiled numba loops when numba
is installed, timed after a first run compiled them) for 10,000 and 100,000 iterations, with
tracemalloc's peak; times are the best of three runs, processor time beside wall time (on a
shared machine other processes add wall time, much less processor time). The peer schedules
every iteration with the deterministic engine itself, compiled once and only its durations
changed (``simulate(..., method="engine")``, the fallback for rules the vectorised passes
lack): it is timed on a few hundred iterations and its per-iteration processor time multiplied
out. Both give identical finishes for the same seed (checked).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import _timing
from _timing import peak_mb as _peak_mb

import pmcore
from pmcore.model.estimate import Estimate
from pmcore.risk.montecarlo import simulate

__all__ = ["LINKS", "TASKS", "Row", "markdown_table", "network", "run"]

TASKS = 1_000
LINKS = 2_000


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    benchmark: str
    pmcore: str
    peer: str


def network(tasks: int = TASKS, links: int = LINKS, seed: int = 1) -> pmcore.Project:
    """The issue's instance (see the module docstring)."""
    rnd = random.Random(seed)
    project = pmcore.Project("Monte Carlo benchmark", start="2027-01-04")
    project.calendars["standard"].add_holiday("May Day", "2027-05-01")
    added = []
    for index in range(tasks):
        days = rnd.randint(2, 10)
        task = project.add_task(f"Task {index}", f"{days}d")
        task.estimate = Estimate(optimistic=f"{days * 0.8:g}d", most_likely=f"{days}d",
                                 pessimistic=f"{days * 1.6:g}d")
        added.append(task)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < links:
        first = rnd.randrange(tasks - 1)
        pairs.add((first, rnd.randrange(first + 1, min(tasks, first + 60))))
    for first, second in sorted(pairs):
        project.link(added[first], added[second])
    return project


def _timed(action: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """The best wall time and the best processor time of ``repeat`` runs, and a result.

    The best, not the median: on a machine shared with other work, the other processes only
    ever add time, and processor time (this process's own) is what they disturb least.
    """
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus), result


def run(quick: bool = False) -> list[Row]:
    """Measure every row."""
    import importlib.util

    project = network()
    repeat = 1 if quick else 3
    backends = ["numpy"]
    rows: list[Row] = []
    if importlib.util.find_spec("numba") is not None:
        start = time.perf_counter()
        simulate(project, iterations=100, seed=1, backend="numba")
        compile_seconds = time.perf_counter() - start
        backends.append("numba")
        rows.append(Row("numba: compiling the loops (once per process)",
                        f"{compile_seconds:.1f} s", "-"))
    engine_iterations = 50 if quick else 300
    _, engine_cpu, engine = _timed(lambda: simulate(
        project, iterations=engine_iterations, seed=7, method="engine"), 1)
    per_iteration = engine_cpu / engine_iterations
    check = simulate(project, iterations=engine_iterations, seed=7, backend="numpy")
    assert check.finish.instants.tolist() == engine.finish.instants.tolist()
    for iterations in (10_000, 100_000):
        for backend in backends:
            wall, cpu, result = _timed(lambda b=backend, n=iterations: simulate(
                project, iterations=n, seed=1, backend=b), repeat)
            peak = _peak_mb(lambda b=backend, n=iterations: simulate(
                project, iterations=n, seed=1, backend=b))
            cells = iterations * (TASKS + LINKS)
            rows.append(Row(
                f"{iterations:,} iterations, {TASKS:,} tasks, {LINKS:,} links ({backend}); "
                f"P50 {result.finish.p50:%Y-%m-%d}, P80 {result.finish.p80:%Y-%m-%d}",
                f"{cpu:.2f} s processor, {wall:.2f} s wall ({cpu / cells * 1e9:.0f} ns per "
                f"task or link and iteration), peak {peak:.0f} MB",
                f"engine per iteration: {per_iteration * iterations:.0f} s processor "
                f"({per_iteration * 1000:.1f} ms x {iterations:,}; "
                f"{per_iteration * iterations / cpu:.0f}x)"))
    return rows


def markdown_table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table."""
    return _timing.markdown_table(("Monte Carlo benchmark", "pmcore", "peer"),
                                  ((r.benchmark, r.pmcore, r.peer) for r in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run per row")
    args = parser.parse_args()
    print(markdown_table(run(args.quick)))


if __name__ == "__main__":
    main()
