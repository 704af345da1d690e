"""Drawing durations and costs from a task's :class:`~pmcore.model.estimate.Estimate`.

Every draw goes through a :class:`numpy.random.Generator`, so a seeded run is reproducible.
Durations come out in minutes (floats; the simulation rounds them to whole working minutes as
the scheduler does), costs in the same unit as the estimate's amounts.

>>> import numpy as np
>>> from pmcore.model.estimate import Estimate
>>> e = Estimate(distribution="triangular", optimistic="1d", most_likely="2d", pessimistic="6d")
>>> draws = sample_minutes(e, np.random.default_rng(1), 100_000)
>>> round(float(draws.mean()) / 480, 1)  # (1 + 2 + 6) / 3 days
3.0
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from pmcore.model.duration import CalendarOptions
from pmcore.model.estimate import DistributionKind, Estimate

__all__ = ["Batch", "Sampler", "beta_quantiles", "beta_table", "mean_minutes", "sample",
           "sample_minutes"]


def _pert_parameters(low: float, likely: float, high: float, shape: float) -> tuple[float, float]:
    """The alpha and beta of the beta-PERT on ``low < high`` (``shape`` is its lambda)."""
    return (1 + shape * (likely - low) / (high - low),
            1 + shape * (high - likely) / (high - low))


def sample(kind: DistributionKind, low: float, likely: float, high: float, shape: float,
           rng: np.random.Generator, size: int) -> Any:
    """``size`` draws of a continuous distribution given by three points.

    ``kind`` is triangular, pert (``shape`` is its lambda), uniform, normal (mean ``likely``,
    standard deviation ``(high - low) / 6``, redrawn below zero) or lognormal (median
    ``likely``, log standard deviation ``ln(high / low) / 6``). Equal points give that value.
    """
    if high <= low:
        return np.full(size, float(likely))
    if kind is DistributionKind.TRIANGULAR:
        return rng.triangular(low, likely, high, size)
    if kind is DistributionKind.PERT:
        alpha, beta = _pert_parameters(low, likely, high, shape)
        return low + (high - low) * beta_quantiles(alpha, beta, rng.random(size))
    if kind is DistributionKind.UNIFORM:
        return rng.uniform(low, high, size)
    if kind is DistributionKind.NORMAL:
        sigma = (high - low) / 6
        draws = rng.normal(likely, sigma, size)
        negative = np.flatnonzero(draws < 0)
        # truncated at zero: the negative draws are drawn again until none is left (a mean
        # more than a few sigmas below zero is refused by the estimate's checks: m >= a >= 0)
        while negative.size:
            draws[negative] = rng.normal(likely, sigma, negative.size)
            negative = negative[draws[negative] < 0]
        return draws
    if kind is DistributionKind.LOGNORMAL:
        if likely <= 0:
            return np.zeros(size)
        return rng.lognormal(math.log(likely), math.log(high / low) / 6, size)
    raise ValueError(f"{kind.value} is not a three-point distribution")  # pragma: no cover


_GRID = 4097  # points of the fine grid on which the beta CDF is integrated
# probabilities at which the quantiles are tabulated: denser towards 0 and 1, where the
# quantile function is steepest (1 - cos spacing: 6e-7 apart at the ends, 8e-4 mid-way)
_LEVELS = (1 - np.cos(np.linspace(0.0, np.pi, 2049))) / 2
_LEVELS.flags.writeable = False


@functools.lru_cache(maxsize=4096)  # a pure function of its two numbers; tables are read-only
def beta_table(alpha: float, beta: float) -> Any:
    """The quantiles of Beta(alpha, beta) (alpha, beta >= 1, as in beta-PERT) at
    :data:`_LEVELS`: the density integrated on a 4,097-point grid (trapezoids), then inverted.

    Drawing through the table (inverse transform, linear between levels) costs a uniform
    draw and an interpolation, much less than numpy's beta sampler, on which the benchmark's
    10,000,000 draws would spend more than a second. Quantiles are within 1e-4 of the
    range of the closed forms the tests know (1e-6 in probability), far under a simulation's
    sampling error (1e-2 at 10,000 iterations).
    """
    x = np.linspace(0.0, 1.0, _GRID)
    log_density = np.zeros(_GRID)
    with np.errstate(divide="ignore"):  # (the density is 0 at an end: log 0 = -inf)
        if alpha != 1:
            log_density += (alpha - 1) * np.log(x)
        if beta != 1:
            log_density += (beta - 1) * np.log1p(-x)
    density = np.exp(log_density - np.max(log_density[np.isfinite(log_density)]))
    density[~np.isfinite(log_density)] = 0.0
    cdf = np.concatenate(([0.0], np.cumsum((density[1:] + density[:-1]) / 2)))
    cdf /= cdf[-1]
    # flat stretches of the CDF (zero density) would make the inverse ambiguous
    keep = np.concatenate(([True], np.diff(cdf) > 0))
    table = np.interp(_LEVELS, cdf[keep], x[keep])
    table[0], table[-1] = 0.0, 1.0
    table.flags.writeable = False
    return table


_STEPS = (len(_LEVELS) - 1) / math.pi


def beta_quantiles(alpha: float, beta: float, u: Any) -> Any:
    """Beta(alpha, beta) quantiles at probabilities ``u`` (through :func:`beta_table`)."""
    table = beta_table(alpha, beta)
    # the level just below u, found by inverting the levels' spacing (no search)
    t = np.arccos(1 - 2 * np.asarray(u, dtype=float)) * _STEPS
    k = np.minimum(t.astype(np.int64), len(_LEVELS) - 2)
    t -= k
    low = table[k]
    return low + t * (table[k + 1] - low)


class Sampler:
    """Draws durations in minutes from one estimate; the minutes are worked out once."""

    def __init__(self, estimate: Estimate, options: CalendarOptions | None = None):
        self.kind = estimate.distribution
        self.shape = estimate.shape
        if self.kind is DistributionKind.DISCRETE:
            self.values = np.array([v.to_minutes(options) for v in estimate.values],
                                   dtype=float)
            weights = np.array(estimate.weights or [1.0] * len(self.values), dtype=float)
            self.p = weights / weights.sum()
            self.points = (0.0, 0.0, 0.0)
        else:
            self.points = estimate.points_minutes(options)

    def may_be_zero(self) -> bool:
        """Whether a draw can round to zero minutes (the task is then a milestone)."""
        if self.kind is DistributionKind.DISCRETE:
            return bool((self.values < 0.5).any())
        if self.kind in (DistributionKind.NORMAL, DistributionKind.LOGNORMAL):
            return True
        return self.points[0] < 0.5

    def beta_parameters(self) -> tuple[float, float]:
        """A beta-PERT's alpha and beta."""
        return _pert_parameters(*self.points, self.shape)

    def draw(self, rng: np.random.Generator, size: int) -> Any:
        """``size`` durations in minutes."""
        if self.kind is DistributionKind.DISCRETE:
            return self.values[rng.choice(len(self.values), size=size, p=self.p)]
        low, likely, high = self.points
        return sample(self.kind, low, likely, high, self.shape, rng, size)


class Batch:
    """Draws of many samplers at once, one row each; the beta-PERT ones together (one
    uniform draw for the lot, their quantile tables gathered at once), which on a large plan
    is most of the cost of drawing."""

    def __init__(self, samplers: Sequence[Sampler], jit: Any = None):
        self.samplers = list(samplers)
        self.jit = jit  # numba's fused loop (pmcore.risk._jit), or None for numpy
        self.pert = [k for k, s in enumerate(self.samplers)
                     if s.kind is DistributionKind.PERT and s.points[2] > s.points[0]]
        chosen = set(self.pert)
        self.others = [k for k in range(len(self.samplers)) if k not in chosen]
        # the PERT rows grouped by shape: a group reads one table of 16 kB, which stays in
        # the processor's cache (gathering from a table per row would miss it at every draw)
        groups: dict[tuple[float, float], list[int]] = {}
        for k in self.pert:
            groups.setdefault(self.samplers[k].beta_parameters(), []).append(k)
        self.groups = []
        for parameters, rows in groups.items():
            points = np.array([self.samplers[k].points for k in rows])
            self.groups.append((np.array(rows), beta_table(*parameters), points[:, :1],
                                points[:, 2:] - points[:, :1]))
        self.steps = np.float32(_STEPS)

    def draw(self, rng: np.random.Generator, size: int) -> Any:
        """``size`` draws of every sampler (samplers x draws, minutes)."""
        out = np.empty((len(self.samplers), size))
        for k in self.others:
            out[k] = self.samplers[k].draw(rng, size)
        for rows, table, low, span in self.groups:
            u = rng.random((len(rows), size), dtype=np.float32)
            if self.jit is not None:
                x = np.empty((len(rows), size))
                self.jit(u, table, low[:, 0], span[:, 0], self.steps, x)
                out[rows] = x
                continue
            # as beta_quantiles, in single precision (a 2,048th of a level at worst)
            t = np.arccos(1 - 2 * u)
            t *= self.steps
            index = t.astype(np.int32)
            np.minimum(index, len(_LEVELS) - 2, out=index)
            t -= index
            below = table[index]
            index += 1
            x = table[index]
            x -= below
            x *= t
            x += below
            x *= span
            x += low
            out[rows] = x
        return out


def sample_minutes(estimate: Estimate, rng: np.random.Generator, size: int,
                   options: CalendarOptions | None = None) -> Any:
    """``size`` durations in minutes drawn from ``estimate`` (days and weeks converted with
    ``options``, the project's hours per day and week)."""
    return Sampler(estimate, options).draw(rng, size)


def mean_minutes(estimate: Estimate, options: CalendarOptions | None = None) -> float:
    """The expected duration in minutes (the normal one before truncation at zero)."""
    kind = estimate.distribution
    if kind is DistributionKind.DISCRETE:
        weights = estimate.weights or (1.0,) * len(estimate.values)
        total = sum(weights)
        return sum(w * v.to_minutes(options) for w, v in
                   zip(weights, estimate.values, strict=True)) / total
    low, likely, high = estimate.points_minutes(options)
    if high <= low:
        return likely
    if kind is DistributionKind.TRIANGULAR:
        return (low + likely + high) / 3
    if kind is DistributionKind.PERT:
        return (low + estimate.shape * likely + high) / (estimate.shape + 2)
    if kind is DistributionKind.UNIFORM:
        return (low + high) / 2
    if kind is DistributionKind.NORMAL:
        return likely
    sigma = math.log(high / low) / 6
    return likely * math.exp(sigma * sigma / 2)
