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

import math
from typing import Any

import numpy as np

from pmcore.model.duration import CalendarOptions
from pmcore.model.estimate import DistributionKind, Estimate

__all__ = ["mean_minutes", "sample", "sample_minutes"]


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
        alpha = 1 + shape * (likely - low) / (high - low)
        beta = 1 + shape * (high - likely) / (high - low)
        return low + (high - low) * rng.beta(alpha, beta, size)
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


def sample_minutes(estimate: Estimate, rng: np.random.Generator, size: int,
                   options: CalendarOptions | None = None) -> Any:
    """``size`` durations in minutes drawn from ``estimate`` (days and weeks converted with
    ``options``, the project's hours per day and week)."""
    if estimate.distribution is DistributionKind.DISCRETE:
        values = np.array([v.to_minutes(options) for v in estimate.values], dtype=float)
        weights = np.array(estimate.weights or [1.0] * len(values), dtype=float)
        return values[rng.choice(len(values), size=size, p=weights / weights.sum())]
    low, likely, high = estimate.points_minutes(options)
    return sample(estimate.distribution, low, likely, high, estimate.shape, rng, size)


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
