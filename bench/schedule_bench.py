"""Scheduling benchmark: pmcore's CPM scheduler beside two peers, on generated networks.

    python bench/run.py --schedule [--sizes 1k,10k,100k]   # this table only
    python bench/schedule_bench.py [--sizes 1k,10k]         # the same, standalone

The network (:func:`generate_network`) is what a large real plan looks like rather than a chain:
tasks in phases of 100 under stages of 10 phases (two outline levels of summary tasks), about
two links per task of all four types, each from one of the previous 1..200 tasks (mostly near
ones), with lags and leads in working days and hours, a few elapsed (``"2ed"``) and percentage
(``"50%"``) lags, durations from 1 hour to 20 days in minutes, hours, days, weeks and months, a
few milestones, and a project calendar "Office" derived from Standard with one-off and yearly
holidays. Links only run from a lower to a higher task index, so the network is acyclic.

The peers compute the same critical path method in integer working minutes without calendars,
from a plain export of the same network (:func:`export_plain`):

* peer A, networkx: a ``DiGraph``, ``nx.topological_sort``, forward and backward passes;
* peer B, plain Python lists: CSR adjacency, Kahn's topological order, the same passes.

Both are timed from the plain data to the total floats (graph build + order + both passes), and
checked against each other: same project length, same float for every task. They are the floor
for a scheduler in pure Python; pmcore's scheduler does more (calendars, summary tasks, dates),
so the peers frame its figures rather than match its work.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import importlib.util
import inspect
import platform
import random
import statistics
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pmcore
from pmcore import Calendar, Duration, DurationUnit, LinkType, Project, Task

__all__ = [
    "QUICK_SIZES",
    "SIZES",
    "CpmResult",
    "NetworkPlan",
    "PlainNetwork",
    "Row",
    "build_project",
    "cpm_lists",
    "cpm_networkx",
    "export_plain",
    "generate_network",
    "markdown_table",
    "parse_sizes",
    "plan_network",
    "run",
]

SIZES: tuple[int, ...] = (1_000, 10_000, 100_000)
"""Network sizes (work tasks) of a full run."""
QUICK_SIZES: tuple[int, ...] = (1_000, 10_000)
"""Network sizes of a ``--quick`` run."""

PHASE_SIZE = 100
"""Work tasks under each phase (outline level 2)."""
PHASES_PER_STAGE = 10
"""Phases under each stage (outline level 1)."""
WINDOW = 200
"""A predecessor is one of the previous ``WINDOW`` tasks."""
PROJECT_START = "2027-01-04"

T = TypeVar("T")

# Link type -> (a, b): the successor's early start is at least
# ES(pred) + a * duration(pred) + lag - b * duration(succ).
# FS: after the predecessor's finish; SS: after its start; FF and SF constrain the finish.
_TERMS: dict[str, tuple[int, int]] = {"FS": (1, 0), "SS": (0, 0), "FF": (1, 1), "SF": (0, 1)}


# ---------------------------------------------------------------------------- the network


@dataclass(frozen=True)
class NetworkPlan:
    """A generated network as plain data, before it is built into a project.

    Attributes:
        tasks: ``(name, duration)`` per work task, in row order; durations as typed in
            Microsoft Project (``"4h"``, ``"3d"``, ``"2w"``, ``"0d"`` for a milestone).
        links: ``(predecessor index, successor index, type, lag)``, ordered by successor;
            ``lag`` is ``"0d"``, a working lag or lead (``"2d"``, ``"-4h"``), elapsed
            (``"2ed"``) or a percentage of the predecessor's duration (``"50%"``).
    """

    tasks: list[tuple[str, str]]
    links: list[tuple[int, int, str, str]]


def _duration_text(rng: random.Random) -> str:
    """1 hour to 20 working days, in mixed units; about 2 % milestones."""
    draw = rng.random()
    if draw < 0.02:
        return "0d"
    if draw < 0.04:
        return f"{rng.choice((90, 120, 240))}m"
    if draw < 0.24:
        return f"{rng.randint(1, 16)}h"
    if draw < 0.30:
        return f"{rng.choice((0.5, 1.5, 2.5))}d"
    if draw < 0.83:
        return f"{rng.randint(1, 20)}d"
    if draw < 0.99:
        return f"{rng.randint(1, 4)}w"
    return "1mo"  # 20 working days


def _link_type(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.82:
        return "FS"
    if draw < 0.90:
        return "SS"
    if draw < 0.97:
        return "FF"
    return "SF"


def _lag_text(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.72:
        return "0d"
    if draw < 0.82:
        return f"{rng.randint(1, 5)}d"
    if draw < 0.87:
        return f"-{rng.randint(1, 3)}d"  # a lead
    if draw < 0.92:
        return f"{rng.randint(2, 8)}h"
    if draw < 0.95:
        return f"-{rng.randint(1, 4)}h"
    if draw < 0.97:
        return f"{rng.randint(1, 3)}ed"  # elapsed: curing concrete, shipping
    return f"{rng.choice((25, 50, 75))}%"  # a share of the predecessor's duration


def _predecessor_count(rng: random.Random, available: int) -> int:
    # 0-4 predecessors, mean about 2, so about 2 * n links
    count = rng.choices((0, 1, 2, 3, 4), weights=(3, 30, 40, 20, 7))[0]
    return min(count, available)


def _offset(rng: random.Random, available: int) -> int:
    # Some links are local (one of the previous few tasks); most reach anywhere in the window,
    # which keeps the network wide: a 1,000-task plan spans about a year and a half.
    if rng.random() < 0.10:
        return rng.randint(1, min(5, available))
    return rng.randint(1, available)


def plan_network(n_tasks: int, seed: int = 1) -> NetworkPlan:
    """Draw a network of ``n_tasks`` work tasks and about ``2 * n_tasks`` links.

    Deterministic for a seed: the same ``(n_tasks, seed)`` gives the same plan.
    """
    rng = random.Random(seed)
    tasks = [(f"Task {i + 1}", _duration_text(rng)) for i in range(n_tasks)]
    links: list[tuple[int, int, str, str]] = []
    for successor in range(1, n_tasks):
        available = min(successor, WINDOW)
        chosen: set[int] = set()
        for _ in range(_predecessor_count(rng, available)):
            for _attempt in range(5):  # redraw a repeated predecessor a few times
                predecessor = successor - _offset(rng, available)
                if predecessor not in chosen:
                    chosen.add(predecessor)
                    links.append((predecessor, successor, _link_type(rng), _lag_text(rng)))
                    break
    return NetworkPlan(tasks=tasks, links=links)


def _add_holidays(calendar: Calendar) -> None:
    """A handful of yearly holidays from the project start on, and one-off ones in its first
    years."""
    yearly = (
        ("New Year's Day", "2027-01-01", "FREQ=YEARLY"),
        ("Labour Day", "2027-05-01", "FREQ=YEARLY"),
        ("Thanksgiving", "2027-11-01", "FREQ=YEARLY;BYMONTH=11;BYDAY=+4TH"),
        ("Christmas Day", "2027-12-25", "FREQ=YEARLY"),
        ("Boxing Day", "2027-12-26", "FREQ=YEARLY"),
    )
    for name, day, rule in yearly:
        calendar.add_holiday(name, day, recurrence=rule)
    calendar.add_holiday("Bridge day", "2027-05-14")
    calendar.add_holiday("Office move", "2028-03-16", until="2028-03-17")
    calendar.add_holiday("Year-end shutdown", "2028-12-27", until="2028-12-29")
    calendar.add_holiday("Jubilee", "2029-06-04")
    calendar.add_holiday("Election day", "2030-05-06")


def build_project(plan: NetworkPlan) -> Project:
    """Build ``plan`` into a project through the public API, as fast as that API allows.

    Two choices keep it fast, both open to any caller:

    * every task (summaries included) is added before the first link. The project keeps its
      precedence network only once a link exists, and a summary task that gets its first child
      while the network is kept splits its node in a pass over every edge: interleaving tasks
      and links costs one such pass per phase (about twice the build time at 100,000 tasks);
    * links are added in successor order, so the loop check of each link searches forward from
      a task that has no successors yet, and units are given as ready ``Duration`` and
      ``LinkType`` values, parsed once per distinct text.
    """
    project = Project("Generated network", start=PROJECT_START)
    office = project.add_calendar("Office", base="standard")
    _add_holidays(office)
    project.calendar = office.id

    durations: dict[str, Duration] = {}

    def duration(text: str) -> Duration:
        found = durations.get(text)
        if found is None:
            found = durations[text] = Duration.parse(text)
        return found

    stage: Task | None = None
    phase: Task | None = None
    tasks: list[Task] = []
    add_task = project.add_task
    for index, (name, length) in enumerate(plan.tasks):
        if index % (PHASE_SIZE * PHASES_PER_STAGE) == 0:
            stage = add_task(f"Stage {index // (PHASE_SIZE * PHASES_PER_STAGE) + 1}")
        if index % PHASE_SIZE == 0:
            phase = add_task(f"Phase {index // PHASE_SIZE + 1}", parent=stage)
        tasks.append(add_task(name, duration(length), parent=phase))

    types = {kind.value: kind for kind in LinkType}
    link = project.link
    for predecessor, successor, kind, lag in plan.links:
        link(tasks[predecessor], tasks[successor], types[kind], duration(lag))
    return project


def generate_network(n_tasks: int, seed: int = 1) -> Project:
    """A realistic generated project of ``n_tasks`` work tasks; see the module docstring.

    The same as ``build_project(plan_network(n_tasks, seed))``; the benchmark times the build
    alone.
    """
    return build_project(plan_network(n_tasks, seed))


# ---------------------------------------------------------------------------- plain export


@dataclass(frozen=True)
class PlainNetwork:
    """The work tasks and links of a project in integer working minutes, for the peers.

    Attributes:
        tasks: ``(task id, duration in working minutes)`` in row order; summary tasks are left
            out (nothing links to them here, so they constrain nothing).
        links: ``(predecessor id, successor id, "FS" | "SS" | "FF" | "SF", lag in working
            minutes)``; negative for a lead.

    Lags are converted approximately, as the peers have no calendars: working units by the
    project's calendar options (480 minutes a day, 2400 a week), elapsed units by the share of
    working time in a week (2400 of 10080 clock minutes, so ``"2ed"`` is 686 working minutes),
    and percentages as that share of the predecessor's working duration (exact).
    """

    tasks: list[tuple[str, int]]
    links: list[tuple[str, str, str, int]]


def export_plain(project: Project) -> PlainNetwork:
    """Export ``project``'s work tasks and links for the peers (see :class:`PlainNetwork`)."""
    options = project.options
    elapsed_share = options.minutes_per_week / 10080
    minutes: dict[str, int] = {}
    tasks: list[tuple[str, int]] = []
    for task in project.work_tasks:
        length = 0 if task.duration is None else round(task.duration.to_minutes(options))
        minutes[task.id] = length
        tasks.append((task.id, length))
    links: list[tuple[str, str, str, int]] = []
    for link in project.dependencies:
        lag = link.lag
        if lag.unit in (DurationUnit.PERCENT, DurationUnit.ELAPSED_PERCENT):
            lag_minutes = round(lag.value / 100 * minutes[link.predecessor])
        elif lag.elapsed:
            lag_minutes = round(lag.to_minutes(options) * elapsed_share)
        else:
            lag_minutes = round(lag.to_minutes(options))
        links.append((link.predecessor, link.successor, link.type.value, lag_minutes))
    return PlainNetwork(tasks=tasks, links=links)


# ---------------------------------------------------------------------------- the peers


@dataclass(frozen=True)
class CpmResult:
    """What a peer computes: the project length and each task's total float, in minutes.

    ``total_float`` follows the order of :attr:`PlainNetwork.tasks`.
    """

    length: int
    total_float: list[int]


def cpm_networkx(plain: PlainNetwork) -> CpmResult:
    """Peer A: the critical path method on a networkx ``DiGraph``.

    Early dates forward in ``nx.topological_sort`` order (no task starts before the project),
    late dates backward from the project length, total float = late finish - early finish.
    """
    import networkx as nx

    duration = dict(plain.tasks)
    graph = nx.DiGraph()
    graph.add_nodes_from(duration)
    graph.add_edges_from((pred, succ, {"terms": _TERMS[kind], "lag": lag})
                         for pred, succ, kind, lag in plain.links)
    order = list(nx.topological_sort(graph))

    early: dict[str, int] = {}
    for node in order:
        own = duration[node]
        start = 0
        for pred, data in graph.pred[node].items():
            after_finish, on_finish = data["terms"]
            bound = early[pred] + after_finish * duration[pred] + data["lag"] - on_finish * own
            if bound > start:
                start = bound
        early[node] = start
    length = max((early[node] + duration[node] for node in order), default=0)

    late_finish: dict[str, int] = {}
    for node in reversed(order):
        own = duration[node]
        finish = length
        for succ, data in graph.succ[node].items():
            after_finish, on_finish = data["terms"]
            # the successor's late start, moved back to this task's finish
            bound = (late_finish[succ] - (1 - on_finish) * duration[succ] - data["lag"]
                     + (1 - after_finish) * own)
            if bound < finish:
                finish = bound
        late_finish[node] = finish
    return CpmResult(length, [late_finish[task] - early[task] - duration[task]
                              for task, _ in plain.tasks])


def cpm_lists(plain: PlainNetwork) -> CpmResult:
    """Peer B: the same method on plain lists, with CSR adjacency and Kahn's order."""
    count = len(plain.tasks)
    index = {task: i for i, (task, _) in enumerate(plain.tasks)}
    duration = [length for _, length in plain.tasks]
    edges = len(plain.links)
    source = [0] * edges
    target = [0] * edges
    after_finish = [0] * edges
    on_finish = [0] * edges
    lags = [0] * edges
    in_degree = [0] * count
    out_degree = [0] * count
    for e, (pred, succ, kind, lag) in enumerate(plain.links):
        p, s = index[pred], index[succ]
        source[e], target[e], lags[e] = p, s, lag
        after_finish[e], on_finish[e] = _TERMS[kind]
        in_degree[s] += 1
        out_degree[p] += 1

    # CSR: the edges into task i are in_edges[in_start[i]:in_start[i + 1]], likewise out.
    in_start = [0] * (count + 1)
    out_start = [0] * (count + 1)
    for i in range(count):
        in_start[i + 1] = in_start[i] + in_degree[i]
        out_start[i + 1] = out_start[i] + out_degree[i]
    in_edges = [0] * edges
    out_edges = [0] * edges
    in_fill = in_start[:count]
    out_fill = out_start[:count]
    for e in range(edges):
        s, p = target[e], source[e]
        in_edges[in_fill[s]] = e
        in_fill[s] += 1
        out_edges[out_fill[p]] = e
        out_fill[p] += 1

    # Kahn's topological order.
    remaining = in_degree[:]
    order = [i for i in range(count) if remaining[i] == 0]
    for i in order:  # the list grows while it is walked: a queue without pops
        for e in out_edges[out_start[i]:out_start[i + 1]]:
            s = target[e]
            remaining[s] -= 1
            if remaining[s] == 0:
                order.append(s)
    if len(order) != count:
        raise ValueError("the network has a loop")

    early = [0] * count
    for i in order:
        own = duration[i]
        start = 0
        for e in in_edges[in_start[i]:in_start[i + 1]]:
            p = source[e]
            bound = early[p] + after_finish[e] * duration[p] + lags[e] - on_finish[e] * own
            if bound > start:
                start = bound
        early[i] = start
    length = max((early[i] + duration[i] for i in range(count)), default=0)

    late_finish = [length] * count
    for i in reversed(order):
        own = duration[i]
        finish = length
        for e in out_edges[out_start[i]:out_start[i + 1]]:
            s = target[e]
            bound = (late_finish[s] - (1 - on_finish[e]) * duration[s] - lags[e]
                     + (1 - after_finish[e]) * own)
            if bound < finish:
                finish = bound
        late_finish[i] = finish
    return CpmResult(length, [late_finish[i] - early[i] - duration[i] for i in range(count)])


# ---------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Row:
    """A row of the scheduling table: what was measured, and one cell per network size."""

    benchmark: str
    cells: list[str]


def _timed(action: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of ``repeat`` runs of ``action`` (garbage collected before each run),
    and the last run's result."""
    times = []
    result: T
    for _ in range(max(1, repeat)):
        gc.collect()
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _peak_memory(action: Callable[[], object]) -> int:
    """Peak bytes allocated while ``action`` runs, by tracemalloc (a separate, untimed run)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        action()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def _seconds(value: float) -> str:
    return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"


def _megabytes(value: int) -> str:
    return f"{value / 2**20:,.1f} MB"


def _failure(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("|", "\\|").replace("\n", " ")
    return f"failed ({text[:120]})"


def _scheduler() -> tuple[Callable[[Project], Any] | None, str]:
    """``pmcore.schedule.schedule`` if it exists, else ``None`` and why not."""
    try:
        module = importlib.import_module("pmcore.schedule")
    except ModuleNotFoundError as exc:
        if exc.name in ("pmcore.schedule", None):
            return None, "n/a (scheduler not available)"
        return None, f"n/a (pmcore.schedule needs {exc.name})"
    except Exception as exc:  # a half-written module must not stop the other figures
        return None, f"n/a (pmcore.schedule does not import: {_failure(exc)})"
    schedule = getattr(module, "schedule", None)
    if not callable(schedule):
        return None, "n/a (scheduler not available: no pmcore.schedule.schedule)"
    return schedule, ""


_RESCHEDULE_ARGUMENTS: dict[str, Callable[[Project, Task, Duration], object]] = {
    "project": lambda project, task, length: project,
    "task": lambda project, task, length: task.id,
    "task_id": lambda project, task, length: task.id,
    "tasks": lambda project, task, length: [task.id],
    "changed": lambda project, task, length: [task.id],
    "duration": lambda project, task, length: length,
}
"""How :func:`_reschedule_call` fills ``reschedule``'s parameters, by name (the scheduler's
incremental API is not settled yet; these cover the likely shapes)."""


def _reschedule_call(result: Any, project: Project, task: Task,
                     ) -> Callable[[Duration], object] | str:
    """A call that sets ``task``'s duration and reschedules incrementally, or why there is none.

    Each call reschedules the latest schedule: the one ``reschedule`` returned when it returns
    a schedule (an immutable result), else the same one (updated in place), so every timed call
    is a real change from the state it starts from.
    """
    method: Callable[..., object] | None = getattr(result, "reschedule", None)
    if method is None or not callable(method):
        return "n/a (the Schedule has no `reschedule` method)"
    signature = inspect.signature(method)
    builders = {}
    for parameter in signature.parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        builder = _RESCHEDULE_ARGUMENTS.get(parameter.name)
        if builder is None:
            if parameter.default is parameter.empty:
                return f"n/a (`reschedule{signature}` not understood)"
            continue
        builders[parameter.name] = builder
    latest = [result]

    def call(length: Duration) -> object:
        task.duration = length
        arguments = {name: build(project, task, length) for name, build in builders.items()}
        new = latest[0].reschedule(**arguments)
        if callable(getattr(new, "reschedule", None)):
            latest[0] = new
        return new

    return call


def _numba_cell(schedule: Callable[..., Any], project: Project, repeat: int) -> str:
    """The full schedule with numba's compiled loops; compiling (once per process, in the
    first size measured) is timed apart and left out of the figure."""
    if importlib.util.find_spec("numba") is None:
        return "n/a (numba not installed: pip install 'pmcore[fast]')"
    from pmcore.schedule._jit import kernels_ready

    compiled = ""
    try:
        if not kernels_ready():
            started = time.perf_counter()
            schedule(project, backend="numba")
            compiled = f" (compiling, once per process: {_seconds(time.perf_counter() - started)})"
        numba_time, _ = _timed(lambda: schedule(project, backend="numba"), repeat)
    except Exception as exc:
        return _failure(exc)
    return _seconds(numba_time) + compiled


def _network_cell(plain: PlainNetwork, summaries: int) -> str:
    kinds = Counter(kind for _, _, kind, _ in plain.links)
    mix = " / ".join(f"{kind} {kinds[kind]:,}" for kind in _TERMS)
    return f"{len(plain.tasks):,} tasks + {summaries:,} summaries, {len(plain.links):,} links " \
           f"({mix})"


def _measure_size(size: int, repeat: int, seed: int) -> dict[str, str]:
    """Every figure for one network size, by row key."""
    cells: dict[str, str] = {}
    plan = plan_network(size, seed)
    build_time, project = _timed(lambda: build_project(plan), repeat)
    plain = export_plain(project)
    cells["network"] = _network_cell(plain, len(project) - len(plain.tasks))
    cells["build"] = _seconds(build_time)

    # The peers, then their agreement.
    peers: list[tuple[str, Callable[[PlainNetwork], CpmResult]]] = [("lists", cpm_lists)]
    try:
        importlib.import_module("networkx")  # imported before timing, not in the first run
        peers.insert(0, ("networkx", cpm_networkx))
    except ImportError:
        cells["networkx"] = "n/a (networkx not installed: pip install networkx)"
        cells["networkx memory"] = "n/a"
    results: dict[str, CpmResult] = {}
    for key, peer in peers:
        peer_time, results[key] = _timed(functools.partial(peer, plain), repeat)
        cells[key] = _seconds(peer_time)
        cells[f"{key} memory"] = _megabytes(_peak_memory(functools.partial(peer, plain)))
    if len(results) == 2:
        a, b = results["networkx"], results["lists"]
        assert a.length == b.length, f"project length: networkx {a.length}, lists {b.length}"
        assert a.total_float == b.total_float, "the peers disagree on total float"
    if results:
        result = next(iter(results.values()))
        assert min(result.total_float, default=0) >= 0, "negative total float"
        days = result.length / project.options.minutes_per_day
        critical = sum(1 for f in result.total_float if f == 0)
        cells["length"] = f"{days:,.1f} d, {critical:,} tasks with zero float"

    # pmcore's scheduler, when there is one.
    schedule, missing = _scheduler()
    if schedule is None:
        for key in ("schedule", "schedule memory", "reschedule"):
            cells[key] = missing
        return cells
    try:
        schedule_time, result = _timed(lambda: schedule(project, backend="python"), repeat)
    except Exception as exc:
        for key in ("schedule", "schedule memory", "reschedule"):
            cells[key] = _failure(exc)
        return cells
    cells["schedule"] = _seconds(schedule_time)
    try:
        cells["schedule memory"] = _megabytes(_peak_memory(
            lambda: schedule(project, backend="python")))
    except Exception as exc:
        cells["schedule memory"] = _failure(exc)
    cells["schedule numba"] = _numba_cell(schedule, project, repeat)

    # One early task, so that most of the network lies downstream of the change.
    task = project.task(project.dependencies[0].predecessor)
    call = _reschedule_call(result, project, task)
    if isinstance(call, str):
        cells["reschedule"] = call
        return cells
    try:
        reschedule_time = _reschedule_time(call, task, repeat)
        cells["reschedule"] = f"{_seconds(reschedule_time)} (full: {_seconds(schedule_time)})"
    except Exception as exc:
        cells["reschedule"] = _failure(exc)
    if importlib.util.find_spec("numba") is not None:  # a reschedule keeps its backend
        try:
            call = _reschedule_call(schedule(project, backend="numba"), project, task)
            if not isinstance(call, str):
                cells["reschedule"] += f"; numba: {_seconds(_reschedule_time(call, task, repeat))}"
        except Exception as exc:
            cells["reschedule"] += f"; numba: {_failure(exc)}"
    return cells


def _reschedule_time(call: Callable[[Duration], object], task: Task, repeat: int) -> float:
    """Median time of ``call`` alternating ``task``'s duration one unit longer and back."""
    original = task.duration or Duration.ZERO
    longer = Duration(original.value + 1, original.unit)
    lengths = iter([longer, original] * (repeat + 1))
    try:
        return _timed(lambda: call(next(lengths)), repeat)[0]
    finally:
        task.duration = original


_ROWS: tuple[tuple[str, str], ...] = (
    ("network", "generated network (seed {seed})"),
    ("length", "project length (peers, 480-minute days), critical tasks"),
    ("build", "build the pmcore project (public API, every link loop-checked)"),
    ("schedule", "`pmcore.schedule.schedule(project)`: full CPM on calendars (Python)"),
    ("schedule numba", "the same with `backend=\"numba\"` (the `fast` extra)"),
    ("schedule memory", "peak memory of one full schedule (tracemalloc, separate run)"),
    ("reschedule", "`Schedule.reschedule` after one early task's duration changes (Python; numba)"),
    ("networkx", "peer A: networkx `DiGraph` + `topological_sort` + both passes"),
    ("networkx memory", "peer A peak memory (tracemalloc, separate run)"),
    ("lists", "peer B: plain lists, CSR + Kahn's order + both passes"),
    ("lists memory", "peer B peak memory (tracemalloc, separate run)"),
)


def run(sizes: Sequence[int] = SIZES, repeat: int = 3, seed: int = 1) -> list[Row]:
    """Measure every row for each network size; medians of ``repeat`` runs.

    Peak memory is measured in a run of its own, never while timing. The scheduler rows read
    "n/a (scheduler not available)" until ``pmcore.schedule`` exists, and the reschedule row
    says why it is n/a when the Schedule has no ``reschedule`` method.
    """
    columns = [_measure_size(size, repeat, seed) for size in sizes]
    return [Row(label.format(seed=seed), [column.get(key, "n/a") for column in columns])
            for key, label in _ROWS]


def markdown_table(rows: Sequence[Row], sizes: Sequence[int]) -> str:
    """The rows as a Markdown table, one column per network size."""
    lines = ["| scheduling benchmark | " + " | ".join(f"{size:,} tasks" for size in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    lines += [f"| {row.benchmark} | " + " | ".join(row.cells) + " |" for row in rows]
    return "\n".join(lines)


def parse_sizes(text: str) -> tuple[int, ...]:
    """``"1k,10k,100000"`` -> ``(1000, 10000, 100000)``."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        factor = 1
        if part.endswith("k"):
            part, factor = part[:-1], 1000
        try:
            size = int(float(part) * factor)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a size: {part!r}") from None
        if size < 1:
            raise argparse.ArgumentTypeError(f"sizes must be positive, got {size}")
        sizes.append(size)
    return tuple(sizes)


def main(argv: Sequence[str] | None = None) -> None:
    """Print the scheduling table alone."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=parse_sizes, default=SIZES,
                        help="network sizes, e.g. 1k,10k,100k (the default)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated networks")
    args = parser.parse_args(argv)
    rows = run(args.sizes, args.repeat, args.seed)
    print(f"pmcore {pmcore.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {platform.system()}")
    print()
    print(markdown_table(rows, args.sizes))


if __name__ == "__main__":
    main()
