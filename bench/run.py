"""pmcore's benchmarks, each beside a peer measured in the same run.

    nox -s bench            # or: python bench/run.py [--quick] [--schedule] [--sizes 1k,10k]
                            #     [--leveling] [--mspdi] [--agile] [--montecarlo] [--finance]

Prints Markdown tables to paste into docs/benchmarks.md: the general one, then the scheduling
one (bench/schedule_bench.py; ``--schedule`` prints that one alone), then resource leveling on
PSPLIB (bench/psplib_bench.py; ``--leveling`` prints that one alone), then Microsoft Project
XML beside MPXJ (bench/mspdi_bench.py; ``--mspdi`` prints that one alone), then Kanban flow
metrics and Monte Carlo forecasts beside plain Python (bench/agile_bench.py; ``--agile`` prints
that one alone), then the Monte Carlo schedule risk analysis beside the engine run once per
iteration (bench/montecarlo_bench.py; ``--montecarlo`` prints that one alone), then
time-phased cost and earned value of a 10,000-task plan beside a day-by-day loop
(bench/finance_bench.py; ``--finance`` prints that one alone). Figures are
medians of repeated runs on whatever machine runs this; compare rows of one run, not figures
across machines.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys

import agile_bench
import finance_bench
import montecarlo_bench
import mspdi_bench
import psplib_bench
import schedule_bench
from _timing import markdown_table, median_seconds

import pmcore

# The benchmarks printed by ``run(quick)`` and ``markdown_table(rows)``, each alone under its
# flag and all of them, in this order, at the end of the full run.
TABLES = (("mspdi", mspdi_bench), ("agile", agile_bench), ("montecarlo", montecarlo_bench),
          ("finance", finance_bench))


def cold_start(code: str, repeat: int) -> float:
    """Median wall time of a fresh interpreter running ``code`` (site and bytecode warm)."""
    command = [sys.executable, "-c", code]
    subprocess.run(command, check=True)  # warm the bytecode cache once
    return median_seconds(lambda: subprocess.run(command, check=True), repeat)


def network(tasks: int) -> pmcore.Project:
    """A project of ``tasks`` tasks in phases of 50, each task linked to the one before and
    every tenth one also to a task of the previous phase (a realistic, not a chain-only, DAG)."""
    project = pmcore.Project("Benchmark", start="2027-01-04")
    previous: pmcore.Task | None = None
    phase_tasks: list[pmcore.Task] = []
    phase: pmcore.Task | None = None
    for index in range(tasks):
        if index % 50 == 0:
            phase = project.add_task(f"Phase {index // 50 + 1}")
            earlier, phase_tasks = phase_tasks, []
        task = project.add_task(f"Task {index}", f"{index % 9 + 1}d", parent=phase,
                                after=previous)
        if index % 10 == 5 and earlier:
            project.link(earlier[index % len(earlier)], task, "SS", "2d")
        phase_tasks.append(task)
        previous = task
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="fewer repetitions, scheduling sizes 1k and 10k only")
    parser.add_argument("--schedule", action="store_true",
                        help="only the scheduling benchmark")
    parser.add_argument("--sizes", type=schedule_bench.parse_sizes, default=None,
                        help="network sizes of the scheduling benchmark, e.g. 1k,10k,100k "
                             "(default; 1k,10k with --quick)")
    parser.add_argument("--leveling", action="store_true",
                        help="only the resource leveling benchmark (PSPLIB)")
    parser.add_argument("--mspdi", action="store_true",
                        help="only the Microsoft Project XML benchmark (MPXJ as the peer)")
    parser.add_argument("--agile", action="store_true",
                        help="only the Kanban/Scrum metrics and forecasting benchmark")
    parser.add_argument("--finance", action="store_true",
                        help="only the time-phased cost and earned value benchmark")
    parser.add_argument("--montecarlo", action="store_true",
                        help="only the Monte Carlo schedule risk benchmark")
    args = parser.parse_args()
    for flag, module in TABLES:
        if getattr(args, flag):
            print(module.markdown_table(module.run(args.quick)))
            return
    if args.leveling:
        print(psplib_bench.markdown_table(*psplib_bench.run(psplib_bench.DEFAULT_SAMPLES,
                                                            args.quick)))
        return
    sizes = args.sizes or (schedule_bench.QUICK_SIZES if args.quick else schedule_bench.SIZES)
    if args.schedule:
        print(f"pmcore {pmcore.__version__}, Python {platform.python_version()}, "
              f"{platform.machine()}, {platform.system()}")
        print()
        print(schedule_bench.markdown_table(schedule_bench.run(sizes), sizes))
        return
    repeat = 5 if args.quick else 15
    rows: list[tuple[str, str, str]] = []

    baseline = cold_start("pass", repeat)
    attrs_import = cold_start("import attrs", repeat)
    pmcore_import = cold_start("import pmcore", repeat)
    rows.append(("`import pmcore` (cold process, minus bare interpreter start)",
                 f"{(pmcore_import - baseline) * 1000:.1f} ms",
                 f"`import attrs` alone: {(attrs_import - baseline) * 1000:.1f} ms; "
                 f"bare `python -c pass`: {baseline * 1000:.1f} ms"))
    reading_stack = cold_start("import pmcore, pmcore.io, pmcore.io.converter; "
                               "pmcore.io.converter.converter()", repeat)
    rows.append(("first file read's imports (pmcore + cattrs converter + pluggy)",
                 f"{(reading_stack - baseline) * 1000:.1f} ms", "loaded lazily, not at import"))

    size = 10_000
    build_time = median_seconds(lambda: network(size), max(3, repeat // 3))
    project = network(size)
    rows.append((f"build a {size:,}-task project with the fluent API (links cycle-checked)",
                 f"{build_time * 1000:.0f} ms", f"{len(project.dependencies):,} links"))
    validate_time = median_seconds(project.validate, max(3, repeat // 3))
    rows.append((f"`project.validate()` on {size:,} tasks", f"{validate_time * 1000:.0f} ms",
                 "all built-in rules, incl. loop search"))

    text = pmcore.dumps(project)
    data = json.loads(text)
    dumps_time = median_seconds(lambda: pmcore.dumps(project), max(3, repeat // 3))
    json_dumps_time = median_seconds(lambda: json.dumps(data, indent=2), max(3, repeat // 3))
    rows.append((f"`pmcore.dumps` {size:,} tasks ({len(text) / 1e6:.1f} MB JSON)",
                 f"{dumps_time * 1000:.0f} ms",
                 f"peer: `json.dumps` of the same plain data {json_dumps_time * 1000:.0f} ms"))
    loads_time = median_seconds(lambda: pmcore.loads(text), max(3, repeat // 3))
    json_loads_time = median_seconds(lambda: json.loads(text), max(3, repeat // 3))
    rows.append((f"`pmcore.loads` {size:,} tasks, validated", f"{loads_time * 1000:.0f} ms",
                 f"peer: `json.loads` of the same text {json_loads_time * 1000:.0f} ms"))

    print(f"pmcore {pmcore.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {platform.system()}")
    print()
    print(markdown_table(("benchmark", "pmcore", "peer / context"), rows))
    print()
    print(schedule_bench.markdown_table(schedule_bench.run(sizes), sizes))
    if psplib_bench.DEFAULT_SAMPLES.is_dir():
        print()
        print(psplib_bench.markdown_table(*psplib_bench.run(psplib_bench.DEFAULT_SAMPLES,
                                                            args.quick)))
    for _, module in TABLES:
        print()
        print(module.markdown_table(module.run(args.quick)))


if __name__ == "__main__":
    main()
