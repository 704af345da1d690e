"""Resource leveling on the PSPLIB sample, beside a single-pass serial scheme with the LFT rule.

    python bench/psplib_bench.py [--samples DIR] [--quick]

Every instance under ``DIR`` (``j30/*.sm``, ``j120/*.sm``, with ``reference.csv``) is read
through pmcore's ``psplib`` reader, leveled by each configuration, and checked: every schedule
must keep every precedence and every capacity at every period. For each set the table gives
the mean % above the reference makespan (for J30 the proven optimum), the mean % above the
critical-path bound (the J120 convention), and the mean and largest time per instance, all on
one thread. The numba configuration runs only when numba is installed; its one-off compilation
is measured separately and left out of the per-instance times.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import attrs

import pmcore
from pmcore.io.psplib import parse_sm
from pmcore.leveling import Rcpsp, Solution, numba_available, serial_sgs, solve

DEFAULT_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "psplib"
SEED = 2027


@attrs.frozen
class Config:
    """One way of leveling, with the budget it runs under per set."""

    name: str
    run: Callable[[Rcpsp, str], Solution]


def single_pass(inst: Rcpsp, family: str) -> Solution:
    return serial_sgs(inst, "lft", backend="python")


def budgeted(backend: str, budgets: dict[str, int]) -> Callable[[Rcpsp, str], Solution]:
    def run(inst: Rcpsp, family: str) -> Solution:
        return solve(inst, seed=SEED, schedules=budgets[family], backend=backend)
    return run


def configs(quick: bool) -> list[Config]:
    scale = 5 if quick else 1
    found = [
        Config("peer: serial SGS, LFT rule, one pass", single_pass),
        Config(f"pmcore, pure Python, GA + FBI, {2000 // scale:,} / {1000 // scale:,} "
               "schedules (J30 / J120)",
               budgeted("python", {"j30": 2000 // scale, "j120": 1000 // scale})),
    ]
    if numba_available():
        found.append(Config(f"pmcore, numba, GA + FBI, {50000 // scale:,} schedules",
                            budgeted("numba", {"j30": 50000 // scale, "j120": 50000 // scale})))
    return found


def load(samples: Path) -> list[tuple[str, str, Rcpsp, dict[str, str]]]:
    with (samples / "reference.csv").open() as handle:
        reference = {row["instance"]: row for row in csv.DictReader(handle)}
    instances = []
    for path in sorted(samples.glob("j*/*.sm")):
        project = pmcore.read(path)  # through the reader hook, as a user would
        assert len(project.tasks) == int(reference[path.stem]["jobs_incl_dummies"])
        inst = Rcpsp.from_sm(parse_sm(path.read_text(), source=str(path)))
        instances.append((path.parent.name, path.stem, inst, reference[path.stem]))
    return instances


def run(samples: Path, quick: bool = False) -> tuple[list[dict[str, object]], float | None]:
    """Level every instance with every configuration; rows per configuration and set."""
    instances = load(samples)
    compile_seconds = None
    if numba_available():
        began = time.perf_counter()
        solve(Rcpsp.of([1, 1], [[1], []], [[1], [1]], [1]), schedules=200, backend="numba")
        compile_seconds = time.perf_counter() - began
    rows: list[dict[str, object]] = []
    for config in configs(quick):
        for family in sorted({i[0] for i in instances}, key=lambda f: int(f[1:])):
            above_ref, above_cpm, seconds, optimal = [], [], [], 0
            for set_name, name, inst, ref in instances:
                if set_name != family:
                    continue
                began = time.perf_counter()
                solution = config.run(inst, family)
                seconds.append(time.perf_counter() - began)
                problems = inst.violations(solution.starts)
                if problems:
                    raise AssertionError(f"{config.name} on {name}: {problems[:3]}")
                reference, bound = int(ref["ref_makespan"]), int(ref["cpm_lb"])
                above_ref.append(100 * (solution.makespan - reference) / reference)
                above_cpm.append(100 * (solution.makespan - bound) / bound)
                optimal += solution.makespan == reference
            rows.append({"config": config.name, "set": family.upper(),
                         "instances": len(seconds), "above_ref": statistics.mean(above_ref),
                         "above_cpm": statistics.mean(above_cpm),
                         "at_ref": optimal, "mean_s": statistics.mean(seconds),
                         "max_s": max(seconds)})
    return rows, compile_seconds


def markdown_table(rows: list[dict[str, object]], compile_seconds: float | None) -> str:
    lines = ["| leveling | set | instances | % above reference | % above CPM bound | "
             "at reference | mean time | max time |", "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['config']} | {row['set']} | {row['instances']} | "
                     f"{row['above_ref']:.2f} | {row['above_cpm']:.2f} | {row['at_ref']} | "
                     f"{row['mean_s']:.3f} s | {row['max_s']:.3f} s |")
    if compile_seconds is not None:
        lines.append("")
        lines.append(f"numba compiles the kernels once per process in {compile_seconds:.1f} s "
                     "(not counted above).")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--quick", action="store_true", help="a fifth of the budgets")
    args = parser.parse_args()
    print(markdown_table(*run(args.samples, args.quick)))


if __name__ == "__main__":
    main()
