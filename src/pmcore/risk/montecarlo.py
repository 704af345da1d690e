"""Monte Carlo schedule and cost risk analysis on the scheduler's own rules.

:func:`simulate` draws every uncertain duration (:attr:`pmcore.Task.estimate`), lets risk
events happen with their probability (:class:`RiskEvent`, or the open risks of the project's
register), reorders the draws to follow a target rank correlation (:class:`Correlations`,
Iman-Conover), and schedules every iteration with the CPM rules of :func:`pmcore.schedule`:
link types, lags, calendars, constraints. Iterations are a numpy dimension of the passes
(:mod:`pmcore.risk._kernel`), run in chunks so memory stays bounded whatever the number of
iterations; a project using rules the vectorised passes do not have (progress, manual or
as-late-as-possible tasks, leveling delays, scheduling from the finish) is scheduled by the
engine itself once per iteration, with the same results, more slowly.

The result (:class:`SimulationResult`) holds the distribution of the project's finish and of
any milestone's (P10/P50/P80/P90 dates, the probability of meeting a date), the distribution of
the total cost (``Decimal``), the criticality index and the duration sensitivity (Spearman) of
every task, and the joint confidence of a date and a budget. A seed makes a run reproducible.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np

from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.model import Duration, Project
from pmcore.model.base import to_datetime
from pmcore.model.duration import CalendarOptions, to_duration
from pmcore.model.estimate import DistributionKind, Estimate
from pmcore.model.resource import parse_money
from pmcore.risk._jit import resolve
from pmcore.risk._kernel import EngineKernel, Kernel, KernelResult, unsupported
from pmcore.risk.correlation import (
    Correlations,
    check_tasks,
    iman_conover,
    score_correlation,
    spearman,
)
from pmcore.risk.distributions import Batch, Sampler, sample
from pmcore.schedule.engine import Compiled, ProgressMode

__all__ = ["CostDistribution", "DateDistribution", "RiskEvent", "SimulationResult",
           "risk_events", "simulate"]

log = logging.getLogger(__name__)

CHUNK_CELLS = 2_000_000
"""Tasks x iterations per chunk: each of the passes' arrays then takes 16 MB at most."""
SENSITIVITY_CELLS = 20_000_000
"""Durations kept for the sensitivity: all iterations up to this many tasks x iterations (80 MB;
a 1,000-task plan keeps its first 20,000 iterations, where Spearman's standard error is below
0.01), so memory stays bounded at 100,000 iterations and more."""
PERCENTILES = (10, 50, 80, 90)


def _to_probability(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"must be a number from 0 to 1, got {value!r}",
                              entity="risk event", field="probability") from None


def _to_tasks(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _to_optional_delay(value: Any) -> Duration | None:
    return None if value is None else to_duration(value)


def _to_amount(value: Any) -> Decimal:
    return parse_money(value, entity="risk event", field="cost")


@attrs.frozen(kw_only=True)
class RiskEvent:
    """Something that may happen in an iteration, and what it then does.

    >>> RiskEvent(id="R1", probability=0.3, tasks=["T4"], delay="5d", cost="20000")
    RiskEvent('R1', p=0.3, delay=5d on T4, cost=20000)

    Attributes:
        id, name: how results name the event (a risk's id and title).
        probability: the chance, from 0 to 1, that it occurs in an iteration.
        tasks: the ids of the tasks whose durations it changes.
        delay: added to each linked task's drawn duration when it occurs: a length of time
            (``"5d"``) or a share of that duration (``"20%"``); negative for an opportunity
            (a task never gets shorter than zero).
        cost: added to the total cost when it occurs (negative for a saving).
    """

    id: str
    probability: float = attrs.field(converter=_to_probability)
    tasks: tuple[str, ...] = attrs.field(default=(), converter=_to_tasks)
    delay: Duration | None = attrs.field(default=None, converter=_to_optional_delay)
    cost: Decimal = attrs.field(default=Decimal(0), converter=_to_amount)
    name: str = ""

    def __attrs_post_init__(self) -> None:
        if not (math.isfinite(self.probability) and 0 <= self.probability <= 1):
            raise ValidationError(f"must be from 0 to 1, got {self.probability!r}",
                                  entity=f"risk {self.id!r}", field="probability")
        if not self.cost.is_finite():
            raise ValidationError(f"must be a finite amount, got {self.cost}",
                                  entity=f"risk {self.id!r}", field="cost")
        if self.delay is not None and not self.delay.is_zero and not self.tasks:
            raise ValidationError("a schedule impact needs linked tasks",
                                  entity=f"risk {self.id!r}", field="tasks")

    @classmethod
    def from_risk(cls, risk: Any, *, residual: bool = False) -> RiskEvent | None:
        """The event of a register's :class:`~pmcore.model.risk.Risk`: its probability, its
        quantitative schedule and cost impacts (opportunities shorten and save), its linked
        tasks. ``None`` for a risk that is not open or has no quantitative impact.
        ``residual=True`` takes the assessment expected after the responses."""
        if not risk.is_open:
            return None
        assessment = risk.current(residual)
        delay: Duration = assessment.schedule
        cost: Decimal = assessment.cost
        if assessment.probability <= 0 or (delay.is_zero and not cost):
            return None
        # a threat's impacts are losses (sign -1), an opportunity's gains
        threat = risk.sign < 0
        return cls(id=risk.id, name=risk.title, probability=assessment.probability,
                   tasks=risk.linked_tasks if not delay.is_zero else (),
                   delay=None if delay.is_zero else (delay if threat else -delay),
                   cost=cost if threat else -cost)

    def __repr__(self) -> str:
        parts = [f"{self.id!r}", f"p={self.probability:g}"]
        if self.delay is not None:
            parts.append(f"delay={self.delay} on {', '.join(self.tasks)}")
        if self.cost:
            parts.append(f"cost={self.cost}")
        return f"RiskEvent({', '.join(parts)})"


def risk_events(risks: Iterable[Any], *, residual: bool = False) -> tuple[RiskEvent, ...]:
    """The events of a register's open risks with quantitative impacts (see
    :meth:`RiskEvent.from_risk`); risks that are closed, occurred or unquantified are left
    out."""
    found = (RiskEvent.from_risk(risk, residual=residual) for risk in risks)
    return tuple(event for event in found if event is not None)


def _frozen_array(values: Any, dtype: Any) -> Any:
    array = np.array(values, dtype=dtype)
    array.flags.writeable = False
    return array


@attrs.frozen(eq=False)
class DateDistribution:
    """The finish dates of the project, or of one task, over the iterations.

    Percentiles are dates by which that share of iterations has finished (the smallest
    iteration value at or above the share: ``P80`` is met in at least 80 % of iterations).

    Attributes:
        task: the task's id (``None`` for the project).
        instants: per iteration, minutes from ``origin`` (read-only).
        origin: midnight of the day the project's axis starts from.
        deterministic: the CPM schedule's date (durations as planned, no risk events).
    """

    task: str | None
    instants: Any = attrs.field(repr=False)
    origin: dt.datetime = attrs.field(repr=False)
    deterministic: dt.datetime

    def _date(self, instant: float) -> dt.datetime:
        return self.origin + dt.timedelta(minutes=int(instant))

    def percentile(self, share: float) -> dt.datetime:
        """The date by which ``share`` percent of the iterations finish (0-100)."""
        if not 0 <= share <= 100:
            raise ValidationError(f"must be from 0 to 100, got {share!r}",
                                  entity="percentile", field="share")
        value = np.quantile(self.instants, share / 100, method="inverted_cdf")
        return self._date(float(value))

    @property
    def p10(self) -> dt.datetime:
        """10 % of the iterations finish by then."""
        return self.percentile(10)

    @property
    def p50(self) -> dt.datetime:
        """The median finish."""
        return self.percentile(50)

    @property
    def p80(self) -> dt.datetime:
        """80 % of the iterations finish by then."""
        return self.percentile(80)

    @property
    def p90(self) -> dt.datetime:
        """90 % of the iterations finish by then."""
        return self.percentile(90)

    @property
    def mean(self) -> dt.datetime:
        """The mean finish (to the minute)."""
        return self._date(round(float(self.instants.mean())))

    def _by(self, date: dt.datetime | dt.date | str) -> Any:
        # per iteration, finished by ``date`` (a bare date: by its end)
        moment = to_datetime(date, default_time=dt.time(23, 59, 59))
        return self.instants <= (moment - self.origin) // dt.timedelta(minutes=1)

    def probability_by(self, date: dt.datetime | dt.date | str) -> float:
        """The share of iterations finished by ``date`` (a bare date: by its end)."""
        return float(self._by(date).mean())

    def to_records(self) -> list[dict[str, Any]]:
        """Percentiles 0, 5, ..., 100: ``{"percentile": 80, "date": datetime}`` each."""
        return [{"percentile": p, "date": self.percentile(p)} for p in range(0, 101, 5)]

    def __repr__(self) -> str:
        name = "project" if self.task is None else repr(self.task)
        return (f"DateDistribution({name}, P10='{self.p10:%Y-%m-%d %H:%M}', "
                f"P50='{self.p50:%Y-%m-%d %H:%M}', P80='{self.p80:%Y-%m-%d %H:%M}', "
                f"P90='{self.p90:%Y-%m-%d %H:%M}', "
                f"deterministic='{self.deterministic:%Y-%m-%d %H:%M}')")


@attrs.frozen(eq=False)
class CostDistribution:
    """The total cost over the iterations, in exact smallest units.

    Attributes:
        units: per iteration, the cost in units of ``10 ** -places`` (read-only).
        places: decimal places of the amounts (2 for cents).
        deterministic: the plan's cost: most likely amounts and durations, no risk events.
    """

    units: Any = attrs.field(repr=False)
    places: int
    deterministic: Decimal

    def _amount(self, units: int) -> Decimal:
        return Decimal(units).scaleb(-self.places)

    def percentile(self, share: float) -> Decimal:
        """The amount that ``share`` percent of the iterations stay within (0-100)."""
        if not 0 <= share <= 100:
            raise ValidationError(f"must be from 0 to 100, got {share!r}",
                                  entity="percentile", field="share")
        return self._amount(int(np.quantile(self.units, share / 100, method="inverted_cdf")))

    @property
    def p10(self) -> Decimal:
        """10 % of the iterations cost at most this."""
        return self.percentile(10)

    @property
    def p50(self) -> Decimal:
        """The median cost."""
        return self.percentile(50)

    @property
    def p80(self) -> Decimal:
        """80 % of the iterations cost at most this."""
        return self.percentile(80)

    @property
    def p90(self) -> Decimal:
        """90 % of the iterations cost at most this."""
        return self.percentile(90)

    @property
    def mean(self) -> Decimal:
        """The mean cost, to the smallest unit."""
        total = int(self.units.sum(dtype=np.int64))
        return (Decimal(total) / len(self.units)).quantize(Decimal(1)).scaleb(-self.places) \
            if len(self.units) else Decimal(0)

    def _within(self, amount: Decimal | str | int) -> Any:
        # per iteration, costing at most ``amount``
        limit = Decimal(amount).scaleb(self.places)
        return self.units <= int(limit.to_integral_value(rounding="ROUND_FLOOR"))

    def probability_within(self, amount: Decimal | str | int) -> float:
        """The share of iterations costing at most ``amount``."""
        return float(self._within(amount).mean())

    def to_records(self) -> list[dict[str, Any]]:
        """Percentiles 0, 5, ..., 100: ``{"percentile": 80, "cost": Decimal}`` each."""
        return [{"percentile": p, "cost": self.percentile(p)} for p in range(0, 101, 5)]

    def __repr__(self) -> str:
        return (f"CostDistribution(P10={self.p10}, P50={self.p50}, P80={self.p80}, "
                f"P90={self.p90}, deterministic={self.deterministic})")


def _read_only(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@attrs.frozen(eq=False)
class SimulationResult:
    """What :func:`simulate` found; immutable.

    Attributes:
        iterations, seed: the run's size and the seed that reproduces it.
        method: ``"vectorised"``, or ``"engine per iteration"`` for rules the vectorised
            passes do not have (``reasons`` says which).
        backend: what ran the vectorised passes: ``"numpy"`` or ``"numba"`` (``"engine"``
            for the engine per iteration).
        finish: the project's finish (:class:`DateDistribution`).
        milestones: finish distributions of the tracked tasks (every milestone by default).
        cost: the total cost (:class:`CostDistribution`).
        criticality: per task, the share of iterations in which it is critical (total float
            at or below the threshold); summary tasks are left out.
        sensitivity: per task whose duration varies, Spearman's rank correlation of its
            duration with the project's finish (a tornado chart's bars).
        risks: per risk event, the share of iterations in which it occurred.
        risk_delay: per risk event, how much later the project finishes on average when it
            occurs than when it does not, in calendar days (the demo's "top risks").
        correlation_target, correlation_achieved: over the correlated tasks, the target
            rank-correlation matrix (after any repair) and the Spearman matrix the draws have.
        warnings: what the caller should know (a repaired matrix, the compiler's warnings).
    """

    iterations: int
    seed: int
    method: str
    backend: str
    reasons: tuple[str, ...]
    finish: DateDistribution
    milestones: Mapping[str, DateDistribution] = attrs.field(converter=_read_only)
    cost: CostDistribution
    criticality: Mapping[str, float] = attrs.field(converter=_read_only)
    sensitivity: Mapping[str, float] = attrs.field(converter=_read_only)
    risks: Mapping[str, float] = attrs.field(converter=_read_only)
    risk_delay: Mapping[str, float] = attrs.field(converter=_read_only)
    correlated_tasks: tuple[str, ...]
    correlation_target: tuple[tuple[float, ...], ...]
    correlation_achieved: tuple[tuple[float, ...], ...]
    warnings: tuple[str, ...]
    names: Mapping[str, str] = attrs.field(repr=False, converter=_read_only)
    risk_names: Mapping[str, str] = attrs.field(repr=False, factory=dict,
                                                converter=_read_only)

    def probability_on_time(self, date: dt.datetime | dt.date | str) -> float:
        """The share of iterations in which the project finishes by ``date``."""
        return self.finish.probability_by(date)

    def joint_confidence(self, date: dt.datetime | dt.date | str,
                         budget: Decimal | str | int) -> float:
        """The share of iterations that finish by ``date`` *and* cost at most ``budget``."""
        return float((self.finish._by(date) & self.cost._within(budget)).mean())

    def tornado(self, limit: int = 10) -> list[tuple[str, float]]:
        """The tasks with the strongest sensitivity, strongest first: ``(id, spearman)``."""
        ranked = sorted(self.sensitivity.items(), key=lambda item: (-abs(item[1]), item[0]))
        return ranked[:limit]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per task (not summaries): id, name, criticality, sensitivity (``None``
        for a fixed duration)."""
        return [{"id": task, "name": self.names[task], "criticality": value,
                 "sensitivity": self.sensitivity.get(task)}
                for task, value in self.criticality.items()]

    def to_dict(self, target: dt.datetime | dt.date | str | None = None) -> dict[str, Any]:
        """Plain data for JSON (dates as ISO dates, amounts as text), as ``pmcore simulate
        --format json`` prints it."""
        def dates(d: DateDistribution) -> dict[str, Any]:
            return {f"p{p}": d.percentile(p).date().isoformat() for p in PERCENTILES} | {
                "mean": d.mean.date().isoformat(),
                "deterministic": d.deterministic.date().isoformat()}

        return {
            "iterations": self.iterations, "seed": self.seed, "method": self.method,
            "backend": self.backend,
            "finish": dates(self.finish),
            "target_date": None if target is None else to_datetime(target).date().isoformat(),
            "probability_on_time": None if target is None else self.probability_on_time(target),
            "milestones": {task: dates(d) for task, d in self.milestones.items()},
            "cost": {f"p{p}": str(self.cost.percentile(p)) for p in PERCENTILES} | {
                "mean": str(self.cost.mean), "deterministic": str(self.cost.deterministic)},
            "criticality": dict(self.criticality),
            "sensitivity": dict(self.sensitivity),
            "risks": {event: {"probability": share, "delay_days": self.risk_delay[event]}
                      for event, share in self.risks.items()},
            "warnings": list(self.warnings),
        }

    def __repr__(self) -> str:
        return (f"SimulationResult(iterations={self.iterations}, seed={self.seed}, "
                f"method={self.method!r}, finish P50='{self.finish.p50:%Y-%m-%d}', "
                f"P80='{self.finish.p80:%Y-%m-%d}', cost P80={self.cost.p80})")


# --------------------------------------------------------------------------- the simulation


@attrs.frozen
class _Variable:
    """A task whose duration is drawn."""

    index: int
    estimate: Estimate


def simulate(project: Project, *, iterations: int = 10_000, seed: int | None = None,
             risks: Iterable[RiskEvent | Any] | None = None,
             correlations: Correlations | None = None,
             milestones: Sequence[str] | None = None,
             status_date: dt.datetime | dt.date | str | None = None,
             critical_threshold: Duration | str | float = "0d",
             residual: bool = False, method: str = "auto",
             backend: str = "auto") -> SimulationResult:
    """Run a Monte Carlo schedule and cost risk analysis of ``project``; it is unchanged.

    Args:
        iterations: how many futures to draw.
        seed: makes the run reproducible (a fresh one is drawn and reported when omitted).
        risks: :class:`RiskEvent` objects or register risks (see :meth:`RiskEvent.from_risk`);
            by default the open, quantified risks of ``project.risks`` when it has any.
        correlations: a target rank correlation between task durations.
        milestones: ids of tasks whose finish to track (default: every milestone).
        status_date: as for :func:`pmcore.schedule`.
        critical_threshold: a task is critical in an iteration when its total float is at or
            below this.
        residual: take the register risks' residual (post-response) assessments.
        method: ``"auto"``, ``"vectorised"`` (refused when the project needs rules it does not
            have) or ``"engine"`` (the engine once per iteration).
        backend: for the vectorised passes, ``"numpy"``, ``"numba"`` (compiled loops, the
            ``fast`` extra) or ``"auto"``: numba when installed and already compiled in this
            process or the run is large enough to pay for compiling it. Results are identical.

    Raises:
        ValidationError: bad input, naming the task, risk or field: an estimate out of order,
            a probability outside [0, 1], a correlation matrix that is not positive
            semi-definite (unless ``repair``), an unknown task id; or what
            :func:`pmcore.schedule` refuses.
    """
    from pmcore.schedule import schedule

    if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 1:
        raise ValidationError(f"must be a whole number from 1, got {iterations!r}",
                              entity="simulation", field="iterations")
    if method not in ("auto", "vectorised", "engine"):
        raise ValidationError(f"must be 'auto', 'vectorised' or 'engine', got {method!r}",
                              entity="simulation", field="method")
    plan = schedule(project, status_date=status_date, critical_threshold=critical_threshold)
    status = plan.status_date
    threshold = plan.critical_threshold_minutes
    c = plan.compiled  # (compiled once, for the schedule)
    n = len(c.tasks)
    options = project.options
    variables = _variables(c)
    events = _events(project, c, risks, residual)
    correlated: list[int] = []
    target = scores = np.zeros((0, 0))
    warnings = list(c.warnings)
    if correlations is not None:
        check_tasks(correlations, c.ids, [c.ids[v.index] for v in variables])
        target, repaired = correlations.valid_matrix()
        warnings += repaired
        position = {v.index: k for k, v in enumerate(variables)}
        correlated = [position[c.index[t]] for t in correlations.tasks]
        scores, adjusted = score_correlation(target)
        warnings += adjusted
    for task_id in milestones or ():
        if task_id not in c.index:
            raise UnknownReferenceError(task_id, kind="task", entity="simulation",
                                        field="milestones")
    tracked = [c.index[t] for t in milestones] if milestones is not None else [
        i for i, task in enumerate(c.tasks) if not c.summary[i] and task.is_milestone]
    for i in tracked:
        if c.summary[i]:
            raise ValidationError("a summary task's finish cannot be tracked; track one of "
                                  "its tasks", entity=c.tasks[i].label, field="milestones")
    reasons = unsupported(c)
    if method == "vectorised" and reasons:
        raise ValidationError(f"the vectorised passes do not handle this project: "
                              f"{'; '.join(reasons)}", entity=project.label, field="method")
    use_engine = method == "engine" or bool(reasons)
    samplers = [Sampler(v.estimate, options) for v in variables]
    may_be_zero = [False] * n
    for v, sampler in zip(variables, samplers, strict=True):
        may_be_zero[v.index] = sampler.may_be_zero()
    for event in events:
        if event.delay is not None and event.delay.value < 0:
            for t in event.tasks:
                may_be_zero[c.index[t]] = True
    seed_sequence = np.random.SeedSequence(seed)
    used_seed = int(seed_sequence.entropy)  # type: ignore[arg-type]
    m = max(256, min(iterations, CHUNK_CELLS // max(n, 1)))
    chunks = -(-iterations // m)
    kernel: Kernel | EngineKernel
    chosen = "engine"
    if use_engine:
        kernel = EngineKernel(c, status_date=status, critical_threshold=threshold,
                              tracked=tracked, progress_mode=ProgressMode.RETAINED_LOGIC)
    else:
        chosen = resolve(backend, iterations * (n + len(c.link_pred)))
        kernel = Kernel(c, status_date=status, critical_threshold=threshold,
                        may_be_zero=may_be_zero, tracked=tracked, jit=chosen == "numba")
    costs = _Costs(c, variables, events)
    keep = min(iterations, max(m, SENSITIVITY_CELLS // max(len(variables), 1)))
    # (whole minutes: int32 holds 4,000 years of them)
    watched = sorted({v.index for v in variables} | {c.index[t] for e in events
                                                     for t in e.tasks})
    kept = np.zeros((len(watched), keep), dtype=np.int32)
    finish = np.zeros(iterations, dtype=np.int64)
    cost_units = np.zeros(iterations, dtype=np.int64)
    task_finish = np.zeros((len(tracked), iterations), dtype=np.int64)
    critical = np.zeros(n, dtype=np.int64)
    occurred = np.zeros(len(events), dtype=np.int64)
    finish_when = np.zeros((len(events), 2), dtype=np.float64)  # summed finish: no, yes
    base_durations = np.array(c.duration, dtype=np.int64)
    draws_kept: list[Any] = []
    batch = Batch(samplers,
                  jit=kernel.jit[2] if isinstance(kernel, Kernel) and kernel.jit else None)
    variable_rows = np.array([v.index for v in variables], dtype=np.int64)
    for chunk, child in enumerate(seed_sequence.spawn(chunks)):
        rng = np.random.Generator(np.random.PCG64(child))
        first = chunk * m
        size = min(m, iterations - first)
        d = np.repeat(base_durations[:, None], size, axis=1)
        draws = batch.draw(rng, size)
        if len(correlated) > 1:
            draws[correlated] = iman_conover(draws[correlated], scores, rng)
            if first < keep:
                draws_kept.append(draws[correlated][:, :keep - first])
        if variables:
            d[variable_rows] = np.maximum(np.rint(draws), 0)
        happened = _occur(events, d, rng, c.index, options)
        occurred += happened.sum(axis=1)
        if not use_engine:
            assert isinstance(kernel, Kernel)
            surprise = [i for i in np.flatnonzero((d == 0).any(axis=1)).tolist()
                        if not may_be_zero[i] and base_durations[i] != 0]
            if surprise:  # (only a risk event can do it) plan again with those as milestones
                for i in surprise:
                    may_be_zero[i] = True
                kernel = Kernel(c, status_date=status, critical_threshold=threshold,
                                may_be_zero=may_be_zero, tracked=tracked,
                                jit=kernel.jit is not None)
        result: KernelResult = kernel.run(d)
        finish[first:first + size] = result.finish
        for k, hit in enumerate(happened):
            finish_when[k, 1] += float(result.finish[hit].sum(dtype=np.float64))
            finish_when[k, 0] += float(result.finish[~hit].sum(dtype=np.float64))
        task_finish[:, first:first + size] = result.task_finish
        critical += result.critical
        cost_units[first:first + size] = costs.draw(d, rng, happened)
        if first < keep:
            kept[:, first:first + min(size, keep - first)] = d[watched, :keep - first]
    origin = c.timelines[0].datetime(0)
    finish_distribution = DateDistribution(None, _frozen_array(finish, np.int64), origin,
                                           plan.finish)
    tracked_distributions = {
        c.ids[i]: DateDistribution(c.ids[i], _frozen_array(task_finish[row], np.int64), origin,
                                   plan[c.ids[i]].finish)
        for row, i in enumerate(tracked)}
    sensitivity: dict[str, float] = {}
    if watched:
        values = spearman(kept, finish[:keep])
        for row, i in enumerate(watched):
            if kept[row].min() != kept[row].max():
                sensitivity[c.ids[i]] = round(float(values[row]), 4)
    achieved = np.zeros((0, 0))
    if len(correlated) > 1 and draws_kept:
        achieved = spearman(np.concatenate(draws_kept, axis=1))
    if reasons and use_engine:
        log.info("simulating %s with the engine per iteration: %s", project.label,
                 "; ".join(reasons))
    return SimulationResult(
        iterations=iterations, seed=used_seed,
        method="engine per iteration" if use_engine else "vectorised", backend=chosen,
        reasons=tuple(reasons), finish=finish_distribution, milestones=tracked_distributions,
        cost=CostDistribution(_frozen_array(cost_units, np.int64), costs.places,
                              costs.deterministic(c)),
        criticality={c.ids[i]: float(critical[i]) / iterations for i in range(n)
                     if not c.summary[i]},
        sensitivity=sensitivity,
        risks={e.id: float(occurred[k]) / iterations for k, e in enumerate(events)},
        risk_delay={e.id: _delay_days(finish_when[k], int(occurred[k]), iterations)
                    for k, e in enumerate(events)},
        correlated_tasks=tuple(correlations.tasks) if correlations is not None else (),
        correlation_target=tuple(tuple(float(x) for x in row) for row in target),
        correlation_achieved=tuple(tuple(round(float(x), 4) for x in row) for row in achieved),
        warnings=tuple(warnings), names={t.id: t.name for t in c.tasks},
        risk_names={e.id: e.name for e in events})


def _occur(events: Sequence[RiskEvent], d: Any, rng: np.random.Generator,
           index: Mapping[str, int], options: Any) -> Any:
    """Which events occur in each iteration (events x iterations); their delays are added
    to the durations ``d`` of their tasks where they do."""
    size = d.shape[1]
    happened = np.array([rng.random(size) < e.probability for e in events]) \
        if events else np.zeros((0, size), dtype=bool)
    for e, hit in zip(events, happened, strict=True):
        if e.delay is None or e.delay.is_zero or not hit.any():
            continue
        for t in e.tasks:
            i = index[t]
            if e.delay.is_percent:  # a share of the duration drawn in that iteration
                extra = np.rint(d[i] * (e.delay.value / 100.0)).astype(np.int64)
            else:
                extra = round(e.delay.to_minutes(options))
            d[i] = np.maximum(d[i] + np.where(hit, extra, 0), 0)
    return happened


def _delay_days(sums: Any, hits: int, iterations: int) -> float:
    """Mean finish when the event occurs less the mean when it does not, in days."""
    if hits == 0 or hits == iterations:
        return 0.0
    minutes = sums[1] / hits - sums[0] / (iterations - hits)
    return round(float(minutes) / 1440, 2)


def _variables(c: Compiled) -> list[_Variable]:
    """The tasks with an estimate, checked against the project."""
    project = c.project
    found = []
    gaps = c.gaps
    default_options = CalendarOptions()
    for i, task in enumerate(c.tasks):
        estimate = task.estimate
        if estimate is None:
            continue
        if c.summary[i]:
            raise ValidationError("a summary task's duration rolls up from its tasks; give "
                                  "them the estimates", entity=task.label, field="estimate")
        if project.options != default_options:  # (checked in 8-hour days when made)
            estimate.check(task.label, project.options)
        working = task.duration is None or not task.duration.elapsed
        if estimate.elapsed == working:
            kind = "elapsed" if estimate.elapsed else "working"
            raise ValidationError(f"the estimate is in {kind} time but the duration "
                                  f"{task.duration} is not", entity=task.label,
                                  field="estimate")
        if i in gaps:
            raise ValidationError("a split task's duration cannot be drawn (its splits are "
                                  "placed in its planned work)", entity=task.label,
                                  field="estimate")
        found.append(_Variable(i, estimate))
    return found


def _events(project: Project, c: Compiled, risks: Iterable[Any] | None,
            residual: bool) -> list[RiskEvent]:
    if risks is None:
        risks = project.risks
    events = []
    for item in risks:
        event = item if isinstance(item, RiskEvent) else RiskEvent.from_risk(item,
                                                                            residual=residual)
        if event is None:
            continue
        for task in event.tasks:
            if task not in c.index:
                raise UnknownReferenceError(task, kind="task", entity=f"risk {event.id!r}",
                                            field="tasks")
            if c.summary[c.index[task]]:
                raise ValidationError(f"task {task!r} is a summary task; link the risk to the "
                                      f"tasks below it", entity=f"risk {event.id!r}",
                                      field="tasks")
        events.append(event)
    ids = [e.id for e in events]
    if len(set(ids)) != len(ids):
        raise ValidationError(f"risk event ids must be unique, got {ids}", entity="simulation",
                              field="risks")
    return events


class _Costs:
    """The total cost per iteration, in integer units of the smallest decimal place used."""

    def __init__(self, c: Compiled, variables: list[_Variable], events: list[RiskEvent]):
        amounts: list[Decimal] = []
        self.fixed = Decimal(0)  # tasks without a cost estimate: their fixed cost
        self.drawn: list[tuple[int, Estimate]] = []
        self.rated: list[tuple[int, Decimal]] = []
        by_index = {v.index: v.estimate for v in variables}
        for i, task in enumerate(c.tasks):
            if c.summary[i]:
                continue
            estimate = by_index.get(i, task.estimate)
            if estimate is not None and estimate.cost is not None:
                self.drawn.append((i, estimate))
                amounts += estimate.cost
            else:
                fixed = task.fixed_cost
                self.fixed += fixed
                amounts.append(fixed)
            if estimate is not None and estimate.rate is not None:
                self.rated.append((i, estimate.rate))
                amounts.append(estimate.rate)
        amounts += [e.cost for e in events]
        self.events = events
        exponent = min((a.as_tuple().exponent for a in amounts if a), default=0)
        self.places = min(6, max(0, -int(exponent)))
        self.scale = Decimal(10) ** self.places

    def _units(self, amount: Decimal) -> int:
        return int((amount * self.scale).to_integral_value())

    def draw(self, d: Any, rng: np.random.Generator, happened: Any) -> Any:
        size = d.shape[1]
        total = np.full(size, self._units(self.fixed), dtype=np.int64)
        for _, estimate in self.drawn:
            assert estimate.cost is not None
            low, likely, high = (float(self._units(a)) for a in estimate.cost)
            kind = estimate.distribution
            if kind is DistributionKind.DISCRETE:
                kind = DistributionKind.PERT
            if kind is DistributionKind.LOGNORMAL and low <= 0:
                kind = DistributionKind.PERT
            total += np.rint(sample(kind, low, likely, high, estimate.shape, rng,
                                    size)).astype(np.int64)
        for i, rate in self.rated:  # per working hour of the drawn duration
            per_minute = float(rate * self.scale) / 60
            total += np.rint(d[i] * per_minute).astype(np.int64)
        for event, hit in zip(self.events, happened, strict=True):
            if event.cost:
                total += np.where(hit, self._units(event.cost), 0)
        return total

    def deterministic(self, c: Compiled) -> Decimal:
        """Most likely amounts, planned durations, no risk event."""
        total = self.fixed
        for _, estimate in self.drawn:
            assert estimate.cost is not None
            total += estimate.cost[1]
        for i, rate in self.rated:
            total += (rate * c.duration[i] / 60).quantize(Decimal(1).scaleb(-self.places))
        return total
