"""The resource-constrained project scheduling problem (RCPSP) on plain arrays, and its solver.

:class:`Rcpsp` is an instance in integer periods: durations, finish-to-start successors,
demands per renewable resource and a capacity profile. :func:`solve` levels it with a serial
schedule-generation scheme driven by a priority rule, forward-backward improvement, and
Hartmann's activity-list genetic algorithm under a budget of schedules and of seconds.
"""

from __future__ import annotations

import enum
import functools
import heapq
import importlib.util
import sys
import time
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from pmcore._numba import numba_available, use_numba
from pmcore.errors import CycleError, ValidationError
from pmcore.leveling._kernels import Kernels, build

__all__ = ["Backend", "Rcpsp", "Rule", "Solution", "numba_available", "priority_list", "serial_sgs",
           "solve"]

IntArray = npt.NDArray[np.int64]
_NO_LIMIT = 2**62


class Rule(enum.Enum):
    """Priority rules of the serial scheme: which eligible job is placed next."""

    LFT = "lft"
    """Latest finish time first (from the critical path method without resources)."""
    SLACK = "slack"
    """Least total slack first (latest minus earliest start), then latest finish."""
    PRIORITY = "priority"
    """Highest ``priority`` first, then least slack, then latest finish (Microsoft Project's
    "Priority, Standard" order)."""
    ID = "id"
    """The lowest job number first (Microsoft Project's "ID Only" order: row order)."""


class Backend(enum.Enum):
    """Which implementation runs the inner loops; both give identical results."""

    AUTO = "auto"
    """numba when it is installed and either already compiled in this process or worth
    compiling (the pure search would take longer than the few seconds compiling takes), else
    pure Python. Both give the same results, so the choice only changes the speed."""
    PYTHON = "python"
    """Pure Python on lists."""
    NUMBA = "numba"
    """Compiled by numba (``pip install numba``); compiling takes a few seconds once per
    process."""


@functools.cache
def _kernels(backend: Backend) -> Kernels:
    if backend is Backend.NUMBA:
        # Imported by name: numba is optional, and type checkers need not have it.
        numba = importlib.import_module("numba")
        return build(numba.njit(cache=False, nogil=True))
    return build(lambda function: function)


# Pure Python spends about 5 microseconds per job and schedule; numba takes a few seconds to
# compile once per process. Automatic choice: numba once compiled, or when the pure search
# would take longer than compiling.
_PYTHON_SECONDS_PER_JOB_SCHEDULE = 5e-6
_COMPILE_SECONDS = 5.0


def _compiled() -> bool:
    """True when numba has already compiled the kernels in this process."""
    if "numba" not in sys.modules:
        return False
    return bool(getattr(_kernels(Backend.NUMBA).sgs, "signatures", None))


def _resolve(backend: Backend | str, work: float = 0.0,
             time_budget: float | None = None) -> Backend:
    """The backend to run: ``work`` is jobs x schedules, for the automatic choice."""
    chosen = Backend(backend)
    expected = work * _PYTHON_SECONDS_PER_JOB_SCHEDULE
    if time_budget is not None:
        expected = min(expected, time_budget)
    numba = use_numba(chosen.value, pure=Backend.PYTHON.value, entity="leveling",
                      install="pip install numba", compiled=_compiled, seconds=expected,
                      compile_seconds=_COMPILE_SECONDS)
    return Backend.NUMBA if numba else Backend.PYTHON


def _int_array(values: Any, *, field: str, ndim: int) -> IntArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValidationError(f"must be whole numbers, got {values!r}", entity="rcpsp",
                              field=field) from None
    if array.ndim != ndim and not (array.size == 0 and ndim == 2):
        raise ValidationError(f"must have {ndim} dimension(s), got shape {array.shape}",
                              entity="rcpsp", field=field)
    if not np.all(np.isfinite(array)) or np.any(array != np.round(array)) or np.any(array < 0):
        raise ValidationError("must be whole numbers of at least 0", entity="rcpsp",
                              field=field)
    return array.astype(np.int64)


@attrs.frozen(kw_only=True, eq=False)
class Rcpsp:
    """An RCPSP instance in whole periods, jobs numbered from 0.

    Build one with :meth:`of` (lists are fine) or from a PSPLIB file with
    :meth:`from_sm`.

    Attributes:
        durations: each job's duration, shape ``(n,)``.
        successors: each job's finish-to-start successors.
        demands: units of each renewable resource a job uses in each period it runs,
            shape ``(n, R)``.
        capacity: units of each resource available per period, shape ``(R, T)``: column
            ``t`` is period ``t``; the last column holds for ever after.
        fixed: jobs that leveling must not delay: they start as soon as their predecessors
            allow, whatever the resources (Microsoft Project's priority 1000).
        latest: the latest start each job may be delayed to (``None``: no limit); a job
            that cannot get its resources by then starts at its earliest start and is
            reported as unresolved.
        priority: a priority per job for :attr:`Rule.PRIORITY` (higher goes first).
        release: the earliest start of each job.
        lags: for each successor of each job, the least number of periods between the job's
            start and the successor's (the job's duration for a plain finish-to-start link,
            which is what ``None`` means); negative when the successor may start first.
    """

    durations: IntArray
    successors: tuple[tuple[int, ...], ...]
    demands: IntArray
    capacity: IntArray
    fixed: npt.NDArray[np.bool_]
    latest: IntArray
    priority: IntArray
    release: IntArray
    lags: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, durations: Sequence[int] | IntArray, successors: Sequence[Sequence[int]],
           demands: Sequence[Sequence[int]] | IntArray, capacity: Sequence[Any] | IntArray, *,
           fixed: Sequence[bool] | None = None, latest: Sequence[int | None] | None = None,
           priority: Sequence[int] | None = None, release: Sequence[int] | None = None,
           lags: Sequence[Sequence[int]] | None = None) -> Rcpsp:
        """Build and check an instance; ``capacity`` may be one number per resource.

        Raises:
            ValidationError: shapes that do not agree, negative or fractional numbers, a
                successor that is no job.
            CycleError: the successors form a loop.
        """
        dur = _int_array(durations, field="durations", ndim=1)
        n = dur.shape[0]
        dem = _int_array(demands, field="demands", ndim=2).reshape(n, -1) if n else \
            np.zeros((0, 0), dtype=np.int64)
        cap = _int_array(capacity, field="capacity", ndim=np.ndim(capacity))
        if cap.ndim == 1:
            cap = cap.reshape(-1, 1)
        if cap.ndim != 2 or cap.shape[1] == 0:
            raise ValidationError("must be one number or one row of periods per resource",
                                  entity="rcpsp", field="capacity")
        if dem.shape != (n, cap.shape[0]):
            raise ValidationError(f"demands have shape {dem.shape}, expected ({n}, "
                                  f"{cap.shape[0]}) for {n} jobs and {cap.shape[0]} resources",
                                  entity="rcpsp", field="demands")
        if len(successors) != n:
            raise ValidationError(f"{len(successors)} successor lists for {n} jobs",
                                  entity="rcpsp", field="successors")
        succ = tuple(tuple(int(s) for s in row) for row in successors)
        for j, row in enumerate(succ):
            for s in row:
                if not 0 <= s < n or s == j:
                    raise ValidationError(f"job {j} has successor {s}, which is not another job",
                                          entity="rcpsp", field="successors")
        fix = np.zeros(n, dtype=np.bool_) if fixed is None else np.asarray(fixed, dtype=np.bool_)
        late = np.full(n, _NO_LIMIT, dtype=np.int64)
        if latest is not None:
            late = np.asarray([_NO_LIMIT if v is None else int(v) for v in latest],
                              dtype=np.int64)
        prio = np.zeros(n, dtype=np.int64) if priority is None else \
            np.asarray(priority, dtype=np.int64)
        if fix.shape != (n,) or late.shape != (n,) or prio.shape != (n,):
            raise ValidationError(f"fixed, latest and priority need one value per job ({n})",
                                  entity="rcpsp", field="fixed")
        rel = np.zeros(n, dtype=np.int64) if release is None else \
            _int_array(release, field="release", ndim=1)
        if rel.shape != (n,):
            raise ValidationError(f"needs one value per job ({n})", entity="rcpsp",
                                  field="release")
        if lags is None:
            gaps = tuple(tuple(int(dur[j]) for _ in row) for j, row in enumerate(succ))
        else:
            gaps = tuple(tuple(int(v) for v in row) for row in lags)
            if [len(r) for r in gaps] != [len(r) for r in succ]:
                raise ValidationError("needs one whole number per successor",
                                      entity="rcpsp", field="lags")
        for array in (dur, dem, cap, fix, late, prio, rel):
            array.setflags(write=False)  # the instance is immutable, its arrays too
        instance = cls(durations=dur, successors=succ, demands=dem, capacity=cap, fixed=fix,
                       latest=late, priority=prio, release=rel, lags=gaps)
        instance.topological_order()  # raises CycleError
        return instance

    @classmethod
    def from_sm(cls, instance: Any) -> Rcpsp:
        """The instance of a parsed PSPLIB file (:func:`pmcore.io.psplib.parse_sm`), job
        ``j`` of the file being job ``j - 1`` here."""
        return cls.of(instance.durations,
                      [[s - 1 for s in row] for row in instance.successors],
                      instance.demands, instance.capacities)

    @property
    def jobs(self) -> int:
        """The number of jobs."""
        return int(self.durations.shape[0])

    @property
    def resources(self) -> int:
        """The number of renewable resources."""
        return int(self.capacity.shape[0])

    @functools.cached_property
    def predecessors(self) -> tuple[tuple[int, ...], ...]:
        """Each job's predecessors."""
        preds: list[list[int]] = [[] for _ in range(self.jobs)]
        for j, row in enumerate(self.successors):
            for s in row:
                preds[s].append(j)
        return tuple(tuple(p) for p in preds)

    def topological_order(self) -> list[int]:
        """Jobs in an order where every job comes after its predecessors (smallest first).

        Raises:
            CycleError: the successors form a loop; the error lists it.
        """
        missing = [len(p) for p in self.predecessors]
        ready = [j for j in range(self.jobs) if missing[j] == 0]
        heapq.heapify(ready)
        order: list[int] = []
        while ready:
            j = heapq.heappop(ready)
            order.append(j)
            for s in self.successors[j]:
                missing[s] -= 1
                if missing[s] == 0:
                    heapq.heappush(ready, s)
        if len(order) < self.jobs:
            raise CycleError(_find_cycle(self.successors, set(order)), kind="job",
                             entity="rcpsp")
        return order

    def earliest_starts(self) -> IntArray:
        """Earliest starts without resource limits (the forward pass of CPM)."""
        es = self.release.copy()
        for j in self.topological_order():
            for s, lag in zip(self.successors[j], self.lags[j], strict=True):
                if es[j] + lag > es[s]:
                    es[s] = es[j] + lag
        return es

    def critical_path_length(self) -> int:
        """The makespan without resource limits: a lower bound of every leveled makespan."""
        if self.jobs == 0:
            return 0
        return int((self.earliest_starts() + self.durations).max())

    def latest_finishes(self) -> IntArray:
        """Latest finishes without resource limits for the critical path length."""
        bound = self.critical_path_length()
        lf = np.full(self.jobs, bound, dtype=np.int64)
        for j in reversed(self.topological_order()):
            for s, lag in zip(self.successors[j], self.lags[j], strict=True):
                # the successor's latest start minus the lag is this job's latest start
                candidate = lf[s] - self.durations[s] - lag + self.durations[j]
                if candidate < lf[j]:
                    lf[j] = candidate
        return lf

    def impossible(self) -> tuple[int, int] | None:
        """A ``(job, resource)`` whose demand no stretch of the capacity profile ever meets
        for the job's whole duration, or ``None`` when every job can be placed."""
        tail = self.capacity[:, -1]
        for j in range(self.jobs):
            d = int(self.durations[j])
            need = self.demands[j]
            if d == 0 or bool(self.fixed[j]) or np.all(need <= tail):
                continue
            enough = np.all(self.capacity >= need[:, None], axis=0)
            run = 0
            for ok in enough:
                run = run + 1 if ok else 0
                if run >= d:
                    break
            else:
                short = np.nonzero(need > tail)[0]
                return j, int(short[0])
        return None

    def is_feasible(self, starts: Sequence[int] | IntArray) -> bool:
        """True when ``starts`` keeps every precedence and every capacity at every period
        (fixed jobs and unresolved ones aside, it is what leveling promises)."""
        return not self.violations(starts)

    def violations(self, starts: Sequence[int] | IntArray) -> list[str]:
        """Every broken precedence and over-allocated period of ``starts``, as text."""
        begin = np.asarray(starts, dtype=np.int64)
        found: list[str] = []
        for j, row in enumerate(self.successors):
            for s, lag in zip(row, self.lags[j], strict=True):
                if begin[s] < begin[j] + lag:
                    found.append(f"job {s} starts at {begin[s]}, less than {lag} periods after "
                                 f"job {j} starts at {begin[j]}")
        found.extend(f"job {j} starts at {begin[j]} before its release {self.release[j]}"
                     for j in np.nonzero(begin < self.release)[0])
        if np.any(begin < 0):
            found.append("a job starts before period 0")
            return found
        end = int((begin + self.durations).max()) if self.jobs else 0
        usage = np.zeros((self.resources, end + 1), dtype=np.int64)
        for j in range(self.jobs):
            usage[:, begin[j]:begin[j] + self.durations[j]] += self.demands[j][:, None]
        for r in range(self.resources):
            for t in np.nonzero(usage[r] > self.capacity_at(r, end + 1))[0]:
                found.append(f"resource {r} uses {usage[r, t]} > "
                             f"{self.capacity_at(r, end + 1)[t]} in period {t}")
        return found

    def capacity_at(self, resource: int, periods: int) -> IntArray:
        """Resource ``resource``'s capacity over periods ``0`` to ``periods - 1``."""
        row: IntArray = self.capacity[resource]
        if periods <= row.shape[0]:
            return row[:periods]
        tail = np.full(periods - row.shape[0], row[-1], dtype=np.int64)
        return np.concatenate([row, tail])


def _find_cycle(successors: tuple[tuple[int, ...], ...], done: set[int]) -> list[str]:
    start = next(j for j in range(len(successors)) if j not in done)
    path: list[int] = [start]
    seen = {start: 0}
    while True:
        nxt = next(s for s in successors[path[-1]] if s not in done)
        if nxt in seen:
            loop = [*path[seen[nxt]:], nxt]
            return [str(j) for j in loop]
        seen[nxt] = len(path)
        path.append(nxt)


@attrs.frozen(kw_only=True, eq=False)
class Solution:
    """A leveled schedule of an :class:`Rcpsp`.

    Attributes:
        starts: each job's start period.
        makespan: when the last job finishes.
        unresolved: jobs placed at their earliest start although their resources were short
            (fixed jobs, and jobs that could not start by their ``latest``).
        schedules: how many schedules the search generated (a forward-backward improvement
            counts as two more).
        seconds: the search's wall time.
        backend: the implementation that ran.
    """

    starts: IntArray
    makespan: int
    unresolved: tuple[int, ...]
    schedules: int
    seconds: float
    backend: Backend

    def __attrs_post_init__(self) -> None:
        self.starts.setflags(write=False)

    def to_records(self) -> list[dict[str, int]]:
        """One record per job: its index, start and whether it was left unresolved."""
        unresolved = set(self.unresolved)
        return [{"job": j, "start": int(s), "unresolved": int(j in unresolved)}
                for j, s in enumerate(self.starts)]


@attrs.frozen(eq=False)
class _Arrays:
    """An instance flattened for the kernels, as lists or as numpy arrays."""

    n: int
    resources: int
    horizon: int
    constant: int
    dur: Any
    release: Any
    zero: Any
    pl: Any
    sl: Any
    trank: Any
    rtrank: Any
    rp: Any
    ri: Any
    ra: Any
    pp: Any
    pi: Any
    sp: Any
    si: Any
    fixed: Any
    latest: Any
    nolimit: Any
    cap: Any
    topo: Any
    rtopo: Any
    weight: Any

    @classmethod
    def of(cls, inst: Rcpsp, backend: Backend, weight: IntArray) -> _Arrays:
        n, resources = inst.jobs, inst.resources
        # No job starts after every earlier one has finished and its own links allow, so
        # each job adds at most its duration or its longest outgoing lag to the horizon.
        steps = sum(max(int(inst.durations[j]), *inst.lags[j]) if inst.lags[j] else
                    int(inst.durations[j]) for j in range(n))
        horizon = int(inst.capacity.shape[1] + inst.release.max(initial=0) + steps + 1)
        rp, ri, ra = [0], [], []
        for j in range(n):
            for r in range(resources):
                if inst.demands[j, r] > 0:
                    ri.append(r)
                    ra.append(int(inst.demands[j, r]))
            rp.append(len(ri))
        pp, pi, pl, sp, si, sl = [0], [], [], [0], [], []
        incoming: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        for j in range(n):
            for s, lag in zip(inst.successors[j], inst.lags[j], strict=True):
                incoming[s].append((j, lag))
        for j in range(n):
            for p, lag in incoming[j]:
                pi.append(p)
                pl.append(lag)
            pp.append(len(pi))
            for s, lag in zip(inst.successors[j], inst.lags[j], strict=True):
                si.append(s)
                # Seen from the finish, backwards: the successor's finish must come at least
                # lag + its duration - this job's duration before this job's finish.
                sl.append(lag + int(inst.durations[s]) - int(inst.durations[j]))
            sp.append(len(si))
        cap = np.concatenate([inst.capacity_at(r, horizon) for r in range(resources)]) \
            if resources else np.zeros(0, dtype=np.int64)
        topo = inst.topological_order()
        trank = [0] * n
        for position, j in enumerate(topo):
            trank[j] = position
        constant = int(bool(np.all(inst.capacity == inst.capacity[:, :1])))
        parts: dict[str, Any] = {
            "dur": inst.durations, "release": inst.release, "zero": np.zeros(n, dtype=np.int64),
            "pl": pl, "sl": sl, "trank": trank, "rtrank": [n - 1 - r for r in trank],
            "rp": rp, "ri": ri, "ra": ra, "pp": pp, "pi": pi, "sp": sp,
            "si": si, "fixed": inst.fixed.astype(np.int64), "latest": inst.latest,
            "nolimit": np.full(n, _NO_LIMIT, dtype=np.int64), "cap": cap, "topo": topo,
            "rtopo": topo[::-1], "weight": weight}
        if backend is Backend.NUMBA:
            # copies: the kernels are compiled for writable arrays
            converted = {k: np.array(v, dtype=np.int64) for k, v in parts.items()}
        else:
            converted = {k: np.asarray(v, dtype=np.int64).tolist() for k, v in parts.items()}
        return cls(n=n, resources=resources, horizon=horizon, constant=constant, **converted)

    def zeros(self, size: int, backend: Backend) -> Any:
        if backend is Backend.NUMBA:
            return np.zeros(size, dtype=np.int64)
        return [0] * size


def priority_list(inst: Rcpsp, rule: Rule | str = Rule.LFT) -> list[int]:
    """The job list of the serial scheme under ``rule``: repeatedly the eligible job (all
    predecessors listed) that the rule ranks first, ties to the lower job number."""
    chosen = Rule(rule)
    lf = inst.latest_finishes()
    keys: list[tuple[int, ...]]
    if chosen is Rule.LFT:
        keys = [(int(lf[j]),) for j in range(inst.jobs)]
    elif chosen is Rule.SLACK:
        slack = lf - inst.durations - inst.earliest_starts()
        keys = [(int(slack[j]), int(lf[j])) for j in range(inst.jobs)]
    elif chosen is Rule.PRIORITY:
        slack = lf - inst.durations - inst.earliest_starts()
        keys = [(-int(inst.priority[j]), int(slack[j]), int(lf[j])) for j in range(inst.jobs)]
    else:
        keys = [(j,) for j in range(inst.jobs)]
    # Fixed jobs first among the eligible: they do not wait for resources, so the earlier
    # they are placed, the more the others can work around them.
    keys = [(0 if inst.fixed[j] else 1, *keys[j]) for j in range(inst.jobs)]
    missing = [len(p) for p in inst.predecessors]
    ready = [(keys[j], j) for j in range(inst.jobs) if missing[j] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        _, j = heapq.heappop(ready)
        order.append(j)
        for s in inst.successors[j]:
            missing[s] -= 1
            if missing[s] == 0:
                heapq.heappush(ready, (keys[s], s))
    return order


class _Search:
    """The kernels, the flattened instance and their work arrays for one solve."""

    def __init__(self, inst: Rcpsp, backend: Backend, population: int):
        self.backend = backend
        self.kernels = _kernels(backend)
        self.a = _Arrays.of(inst, backend, inst.latest_finishes())
        n, size = self.a.n, self.a.resources * self.a.horizon
        z = functools.partial(self.a.zeros, backend=backend)
        self.avail, self.rcap = z(size), z(size)
        self.start, self.rstart, self.keys = z(n), z(n), z(n)
        self.count, self.unresolved = z(max(self.a.horizon + 2, n + 1)), z(n)
        self.order = z(n)
        self.population = population
        self.pop, self.fitness = z(population * n), z(population)
        self.kids, self.kid_fitness = z(population * n), z(population)
        self.pool, self.rank = z(2 * population), z(2 * population)
        self.pairs, self.child = z(population), z(n)
        self.used = z(max(n, population))
        self.missing, self.eligible = z(n), z(n)
        self.best, self.best_start, self.best_flags = z(1), z(n), z(n)
        self.best[0] = _NO_LIMIT

    def decode(self, order: Any) -> int:
        a = self.a
        return int(self.kernels.sgs(order, a.n, a.dur, a.rp, a.ri, a.ra, a.pp, a.pi, a.pl,
                                    a.release, a.fixed, a.latest, a.cap,
                                    a.resources * a.horizon, a.horizon, self.avail, self.start,
                                    self.unresolved))

    def improve(self, order: Any, makespan: int) -> int:
        a = self.a
        return int(self.kernels.fbi(order, self.start, makespan, a.n, a.dur, a.rp, a.ri, a.ra,
                                    a.pp, a.pi, a.pl, a.sp, a.si, a.sl, a.release, a.zero,
                                    a.fixed, a.latest, a.nolimit, a.cap, a.constant,
                                    a.resources, a.horizon, self.avail, self.rcap, self.rstart,
                                    self.keys, self.count, a.topo, a.rtopo, a.trank, a.rtrank,
                                    self.unresolved))

    def keep_if_best(self, makespan: int) -> None:
        if makespan < self.best[0]:
            self.best[0] = makespan
            for j in range(self.a.n):
                self.best_start[j] = self.start[j]
                self.best_flags[j] = self.unresolved[j]

    def evolve(self, generations: int, budget: int, rng: Any, mutation: int) -> int:
        a = self.a
        return int(self.kernels.evolve(
            self.pop, self.fitness, self.population, generations, budget, a.n, a.dur, a.rp,
            a.ri, a.ra, a.pp, a.pi, a.pl, a.sp, a.si, a.sl, a.release, a.zero, a.fixed,
            a.latest, a.nolimit, a.cap, a.constant,
            a.resources, a.horizon, rng, mutation, self.best, self.best_start, self.best_flags,
            self.kids,
            self.kid_fitness, self.pool, self.rank, self.pairs, self.child, self.used,
            self.avail, self.rcap, self.start, self.rstart, self.keys, self.count, a.topo,
            a.rtopo, a.trank, a.rtrank, self.unresolved))


def _as_backend_list(values: Sequence[int], backend: Backend) -> Any:
    if backend is Backend.NUMBA:
        return np.asarray(values, dtype=np.int64)
    return list(values)


def serial_sgs(inst: Rcpsp, order: Sequence[int] | Rule | str = Rule.LFT, *,
               improve: bool = False, backend: Backend | str = Backend.AUTO) -> Solution:
    """One pass of the serial schedule-generation scheme over a job list or a rule's list.

    With ``improve``, the pass is followed by one forward-backward improvement.
    """
    began = time.perf_counter()
    chosen = _resolve(backend)
    listed = priority_list(inst, order) if isinstance(order, Rule | str) else list(order)
    _check_list(inst, listed)
    search = _Search(inst, chosen, 2)
    jobs = _as_backend_list(listed, chosen)
    makespan = search.decode(jobs)
    schedules = 1
    if improve:
        search.improve(jobs, makespan)
        schedules += 2
    starts = np.asarray(search.start, dtype=np.int64)
    return Solution(starts=starts, makespan=_makespan(inst, starts),
                    unresolved=_flags(search.unresolved), schedules=schedules,
                    seconds=time.perf_counter() - began, backend=chosen)


def _makespan(inst: Rcpsp, starts: IntArray) -> int:
    return int((starts + inst.durations).max()) if inst.jobs else 0


def _flags(values: Any) -> tuple[int, ...]:
    return tuple(int(j) for j in np.nonzero(np.asarray(values))[0])


def _check_list(inst: Rcpsp, order: list[int]) -> None:
    if sorted(order) != list(range(inst.jobs)):
        raise ValidationError("must list every job once", entity="rcpsp", field="order")
    position = {j: i for i, j in enumerate(order)}
    for j, row in enumerate(inst.successors):
        for s in row:
            if position[s] < position[j]:
                raise ValidationError(f"lists job {s} before its predecessor {j}",
                                      entity="rcpsp", field="order")


def solve(inst: Rcpsp, *, seed: int = 0, schedules: int = 5000,
          time_budget: float | None = None, population: int | None = None,
          rule: Rule | str = Rule.LFT,
          mutation: float = 0.05, backend: Backend | str = Backend.AUTO) -> Solution:
    """Level ``inst``: the shortest makespan found within the budgets.

    The search starts from the rule's list improved by forward-backward improvement, adds
    lists drawn by regret-based biased random sampling on latest finish times, and evolves
    them with Hartmann's genetic algorithm, every child improved the same way. It stops after
    ``schedules`` schedules or ``time_budget`` seconds, whichever comes first.

    The same ``seed`` and ``schedules`` give the same result on every machine and with either
    backend, as long as the time budget is not what stops the search.

    ``population`` defaults to one list per 60 schedules of the budget, from 10 to 40 (an even
    number): a small budget is better spent on more generations of fewer lists (Hartmann used
    40 for budgets of a few thousand schedules).

    Raises:
        ValidationError: a budget or the population is out of range, or numba was asked for
            and is not installed.
    """
    began = time.perf_counter()
    if population is None:
        population = max(10, min(40, schedules // 60)) // 2 * 2
    if schedules < 1:
        raise ValidationError(f"must be at least 1, got {schedules}", entity="leveling",
                              field="schedules")
    if population < 2 or population % 2:
        raise ValidationError(f"must be an even number of at least 2, got {population}",
                              entity="leveling", field="population")
    if time_budget is not None and time_budget <= 0:
        raise ValidationError(f"must be positive, got {time_budget}", entity="leveling",
                              field="time_budget")
    if not 0 <= mutation <= 1:
        raise ValidationError(f"must be from 0 to 1, got {mutation}", entity="leveling",
                              field="mutation")
    chosen = _resolve(backend, inst.jobs * schedules, time_budget)
    deadline = None if time_budget is None else began + time_budget
    search = _Search(inst, chosen, population)
    n = inst.jobs
    first = _as_backend_list(priority_list(inst, rule), chosen)
    spent = 1
    makespan = search.decode(first)
    search.keep_if_best(makespan)
    if schedules >= 3:
        makespan = search.improve(first, makespan)
        spent += 2
        search.keep_if_best(makespan)
    rng = search.a.zeros(1, chosen)
    rng[0] = seed & 0x7FFFFFFF
    if n > 1 and spent + 3 * population <= schedules:
        for j in range(n):
            search.pop[j] = first[j]
        search.fitness[0] = makespan
        for i in range(1, population):
            if deadline is not None and time.perf_counter() >= deadline:
                # Out of time before the population is complete: the rest are copies of the
                # first list, and the loop below does not run.
                for j in range(n):
                    search.pop[i * n + j] = first[j]
                search.fitness[i] = makespan
                continue
            row = search.order
            search.kernels.sample_list(row, n, search.a.weight, search.a.pp, search.a.sp,
                                       search.a.si, rng, search.missing, search.eligible)
            span = search.improve(row, search.decode(row))
            spent += 3
            search.keep_if_best(span)
            for j in range(n):
                search.pop[i * n + j] = row[j]
            search.fitness[i] = span
        per_million = round(mutation * 1_000_000)
        # A few generations at a time, so that the time budget is checked often (pure
        # Python: every generation). Chunks only split the loop: the results are the same.
        chunk = max(1, 2000 // (3 * population)) if chosen is Backend.NUMBA else 1
        while spent < schedules and (deadline is None or time.perf_counter() < deadline):
            used = search.evolve(chunk, schedules - spent, rng, per_million)
            if used == 0:
                break
            spent += used
    starts = np.asarray(search.best_start, dtype=np.int64)
    return Solution(starts=starts, makespan=_makespan(inst, starts),
                    unresolved=_flags(search.best_flags), schedules=spent,
                    seconds=time.perf_counter() - began, backend=chosen)
