"""Reading and writing Microsoft Project XML (MSPDI), beside MPXJ reading the same files.

    python bench/mspdi_bench.py [--quick]

Two files, generated here into a temporary folder:

- the issue's plan: 10,000 tasks (200 summaries over 9,800 work tasks), 15,000 links and
  2,000 assignments of 50 resources, built with pmcore and written by pmcore's MSPDI writer;
- 20,000 tasks as Microsoft Project saves them (every field of every task, about 48 MB), the
  file the streaming test of the plugin reads.

For each: pmcore's write time (first file), read time and peak Python memory (tracemalloc),
and MPXJ (Java, through JPype; ``pip install "pmcore-msproject[mpp]"``) reading the same file:
its first read in a fresh JVM and its warm read (once the JIT has compiled the reader). The
two readers' reads take turns, so that a machine whose speed drifts over minutes slows both
alike. MPXJ rows are left out when mpxj, JPype1 or Java is missing.

For the first file, also what any Python reader built on lxml and pmcore's model pays before
it converts a single value, timed in the same turns: lxml's streaming parse with every child
element's name and text read, and the model objects built again from values already
converted. Their sum beside MPXJ's warm read says how close a reader can come.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _timing
import attrs
from _timing import alternated_medians, median_seconds, peak_mb

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


NS = "{http://schemas.microsoft.com/project}"
RECORDS = (NS + "Task", NS + "Resource", NS + "Assignment")


def parse_floor(path: Path) -> Callable[[], None]:
    """lxml's streaming parse of ``path`` as the reader sets it up (no entities, no network),
    with the name and text of every child of every task, resource and assignment read (a
    link's too) and nothing converted; each record dropped once read."""
    from lxml import etree

    link = NS + "PredecessorLink"

    def parse() -> None:
        with path.open("rb") as stream:
            for _, record in etree.iterparse(stream, events=("end",), tag=RECORDS,
                                             resolve_entities=False, no_network=True,
                                             load_dtd=False, remove_comments=True,
                                             remove_pis=True):
                {child.tag: child.text for child in record}
                for item in record.iterchildren(link):
                    {child.tag: child.text for child in item}
                record.clear()
                while record.getprevious() is not None:
                    del record.getparent()[0]

    return parse


def build_floor(project: pmcore.Project) -> Callable[[], pmcore.Project]:
    """Building ``project``'s tasks, links, resources and assignments again, each through its
    checked constructor, from values already converted, and the project from them
    (``Project.restore``, as the reader does)."""

    def fields(entity: Any) -> dict[str, Any]:
        return {field.name: getattr(entity, field.name)
                for field in attrs.fields(type(entity)) if field.init}

    tasks = [fields(task) for task in project.tasks]
    links = [fields(link) for link in project.dependencies]
    resources = [fields(resource) for resource in project.resources]
    assignments = [fields(assignment) for assignment in project.assignments]

    def build() -> pmcore.Project:
        return pmcore.Project.restore(
            name=project.name, start=project.start,
            tasks=[pmcore.Task(**values) for values in tasks],
            dependencies=[pmcore.Dependency(**values) for values in links],
            resources=[pmcore.Resource(**values) for values in resources],
            assignments=[pmcore.Assignment(**values) for values in assignments])

    return build


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


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
        rows.append((f"write MSPDI: {label}", f"{_ms(write_time)}, peak {write_peak:.0f} MB",
                     "MPXJ not timed writing (the issue asks for reads)"))
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
            actions: dict[str, Callable[[], Any]] = {"pmcore": lambda p=path: read_pmcore(p)}
            cold = None
            if mpxj is not None:
                start = time.perf_counter()
                mpxj(str(path))  # the first read in this JVM
                cold = time.perf_counter() - start
                for _ in range(repeat):  # let the JIT compile the reader
                    mpxj(str(path))
                actions["mpxj"] = lambda p=path: mpxj(str(p))
            if path == first:
                actions["parse"] = parse_floor(path)
                actions["build"] = build_floor(again)
            times = alternated_medians(actions, repeat)
            read_peak = peak_mb(lambda p=path: read_pmcore(p))
            peer = "MPXJ not installed"
            if cold is not None:
                peer = (f"MPXJ `MSPDIReader`: first read {_ms(cold)}, warm "
                        f"{_ms(times['mpxj'])} ({times['mpxj'] / times['pmcore']:.2f}x "
                        "pmcore's time)")
            rows.append((f"read MSPDI: {what}",
                         f"{_ms(times['pmcore'])}, peak {read_peak:.0f} MB", peer))
            if path == first:
                floor = times["parse"] + times["build"]
                versus = ("MPXJ not installed" if cold is None else
                          f"{floor / times['mpxj']:.2f}x MPXJ's warm read")
                rows.append(("floor of a reader on lxml and pmcore's model, nothing converted: "
                             "streaming parse reading every child's name and text + the "
                             "objects built from ready values",
                             f"{_ms(times['parse'])} + {_ms(times['build'])} = {_ms(floor)}",
                             versus))
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
