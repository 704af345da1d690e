"""Reading and writing Microsoft Project XML (MSPDI), beside MPXJ reading the same files.

    python bench/mspdi_bench.py [--quick]

Two files, generated here into a temporary folder:

- the issue's plan: 10,000 tasks (200 summaries over 9,800 work tasks), 15,000 links and
  2,000 assignments of 50 resources, built with pmcore and written by pmcore's MSPDI writer;
- 20,000 tasks as Microsoft Project saves them (every field of every task, about 48 MB), the
  file the streaming test of the plugin reads.

For each: pmcore's write time (first file), read time and peak Python memory (tracemalloc),
and MPXJ (Java, through JPype; ``pip install "pmcore-msproject[mpp]"``) reading the same file:
its first read in a fresh JVM and its warm read (median of repeats once the JIT has compiled
the reader). MPXJ rows are left out when mpxj, JPype1 or Java is missing.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _timing
from _timing import median_seconds, peak_mb

import pmcore
from pmcore.io.formats import ReadLimits

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_TESTS = ROOT / "plugins" / "pmcore-msproject" / "tests"


def issue_plan(tasks: int = 10_000, links: int = 15_000, assignments: int = 2_000,
               resources: int = 50) -> pmcore.Project:
    """Phases of 50 tasks; each work task follows the one before, and every other one also a
    task of the previous phase, until ``links`` links; ``assignments`` tasks get a resource."""
    project = pmcore.Project("MSPDI benchmark", start="2027-01-04")
    people = [project.add_resource(f"Person {n}", max_units=1.0) for n in range(resources)]
    work: list[pmcore.Task] = []
    phase: pmcore.Task | None = None
    for index in range(tasks):
        if index % 50 == 0:
            phase = project.add_task(f"Phase {index // 50 + 1}")
            continue
        task = project.add_task(f"Task {index}", f"{index % 9 + 1}d", parent=phase)
        if work and work[-1].parent == task.parent:
            project.link(work[-1], task)
        work.append(task)
    extra = links - len(project.dependencies)
    for n in range(extra):
        successor = work[49 + n * (len(work) - 49) // extra]
        predecessor = work[work.index(successor) - 49]
        project.link(predecessor, successor, "SS", "1d")
    for n in range(assignments):
        task = work[n * len(work) // assignments]
        project.assign(task, people[n % resources], 1.0, f"{(n % 9 + 1) * 8}h")
    return project


def mpxj_reader() -> Callable[[str], Any] | None:
    """MPXJ's MSPDI reader on a path, or ``None`` when mpxj/JPype1/Java are missing."""
    try:
        jpype = importlib.import_module("jpype")
        importlib.import_module("mpxj")
        if not jpype.isJVMStarted():
            jpype.startJVM()
    except Exception as exc:  # no mpxj, no JPype, no Java: the peer is left out
        print(f"(MPXJ left out: {exc})", file=sys.stderr)
        return None
    for package in ("org.mpxj", "net.sf.mpxj"):
        try:
            reader = jpype.JClass(f"{package}.mspdi.MSPDIReader")
        except TypeError:
            continue
        return lambda path: reader().read(path)
    return None


def read_pmcore(path: Path) -> pmcore.Project:
    from pmcore_msproject import MspdiReader

    with path.open("rb") as stream:
        return MspdiReader().read(stream, source=str(path), limits=ReadLimits())


def run(quick: bool = False) -> list[tuple[str, str, str]]:
    from pmcore_msproject import MspdiWriter

    repeat = 3 if quick else 7
    rows: list[tuple[str, str, str]] = []
    mpxj = mpxj_reader()
    with tempfile.TemporaryDirectory() as folder:
        plan = issue_plan()
        first = Path(folder) / "plan.xml"

        def write() -> None:
            buffer = io.BytesIO()
            MspdiWriter().write(plan, buffer)
            first.write_bytes(buffer.getvalue())

        write_time = median_seconds(write, repeat)
        write_peak = peak_mb(write)
        size = first.stat().st_size
        label = (f"{len(plan):,} tasks, {len(plan.dependencies):,} links, "
                 f"{len(plan.assignments):,} assignments ({size / 1e6:.1f} MB)")
        rows.append((f"write MSPDI: {label}", f"{write_time * 1000:.0f} ms, "
                     f"peak {write_peak:.0f} MB", "MPXJ not timed writing (the issue asks "
                     "for reads)"))
        sys.path.insert(0, str(PLUGIN_TESTS))
        from test_mspdi_streaming import write_big_file

        second = Path(folder) / "big.xml"
        write_big_file(second, 20_000)
        files = [(first, label),
                 (second, f"20,000 tasks as MS Project saves them, every field "
                          f"({second.stat().st_size / 1e6:.0f} MB)")]
        for path, what in files:
            again = read_pmcore(path)
            assert len(again) == (len(plan) if path == first else 20_000)
            read_time = median_seconds(lambda p=path: read_pmcore(p), repeat)
            read_peak = peak_mb(lambda p=path: read_pmcore(p))
            peer = "MPXJ not installed"
            if mpxj is not None:
                cold = median_seconds(lambda p=path: mpxj(str(p)), 1)
                for _ in range(repeat):  # let the JIT compile the reader
                    mpxj(str(path))
                warm = median_seconds(lambda p=path: mpxj(str(p)), repeat)
                peer = (f"MPXJ `MSPDIReader`: first read {cold * 1000:.0f} ms, warm "
                        f"{warm * 1000:.0f} ms ({warm / read_time:.2f}x pmcore's time)")
            rows.append((f"read MSPDI: {what}",
                         f"{read_time * 1000:.0f} ms, peak {read_peak:.0f} MB", peer))
    return rows


def markdown_table(rows: list[tuple[str, str, str]]) -> str:
    return _timing.markdown_table(
        ("MSPDI benchmark", "pmcore (time, peak Python memory)", "peer"), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    print(markdown_table(run(args.quick)))


if __name__ == "__main__":
    main()
