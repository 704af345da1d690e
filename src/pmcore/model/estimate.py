"""A task's uncertain duration (and cost): a three-point estimate and the distribution it feeds.

:class:`Estimate` is a value object on :attr:`pmcore.Task.estimate`. The deterministic schedule
ignores it and keeps using ``Task.duration``; the Monte Carlo risk analysis
(:func:`pmcore.risk.simulate`) samples a duration for every iteration from it. Durations are
given as :class:`~pmcore.model.Duration` (``"8d"``, ``"12h"``), costs as ``Decimal``.

How each distribution uses the three points (``a`` optimistic, ``m`` most likely,
``b`` pessimistic):

* ``triangular``: minimum ``a``, mode ``m``, maximum ``b``.
* ``pert``: beta-PERT on ``[a, b]`` with mode ``m`` and shape ``shape`` (4 by default):
  ``alpha = 1 + shape * (m - a) / (b - a)``, ``beta = 1 + shape * (b - m) / (b - a)``, mean
  ``(a + shape * m + b) / (shape + 2)``.
* ``uniform``: every value from ``a`` to ``b`` equally likely (``m`` may be left out).
* ``normal``: mean ``m``, standard deviation ``(b - a) / 6`` (``a`` and ``b`` three standard
  deviations out), truncated to be non-negative.
* ``lognormal``: median ``m``, log standard deviation ``ln(b / a) / 6``; never negative.
* ``discrete``: one of ``values`` with the relative ``weights`` (equal when left out).
"""

from __future__ import annotations

import enum
import math
from decimal import Decimal
from typing import Any

import attrs

from pmcore.errors import ValidationError
from pmcore.model.base import to_enum
from pmcore.model.duration import CalendarOptions, Duration, to_duration, to_optional_duration
from pmcore.model.resource import parse_money

__all__ = ["DistributionKind", "Estimate"]


class DistributionKind(enum.Enum):
    """The probability distributions an :class:`Estimate` can use."""

    TRIANGULAR = "triangular"
    PERT = "pert"
    UNIFORM = "uniform"
    NORMAL = "normal"
    LOGNORMAL = "lognormal"
    DISCRETE = "discrete"


def _to_kind(value: Any) -> DistributionKind:
    return to_enum(DistributionKind, value, entity="estimate", field="distribution")


def _to_durations(value: Any) -> tuple[Duration, ...]:
    return tuple(to_duration(v) for v in value)


def _to_weights(value: Any) -> tuple[float, ...]:
    try:
        return tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise ValidationError(f"must be numbers, got {value!r}", entity="estimate",
                              field="weights") from None


def _to_shape(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"must be a number, got {value!r}", entity="estimate",
                              field="shape") from None


def _to_money(value: Any) -> Decimal:
    amount = parse_money(value, entity="estimate", field="cost")
    if not amount.is_finite():
        raise ValidationError(f"must be a finite amount, got {value!r}", entity="estimate",
                              field="cost")
    return amount


def _to_cost(value: Any) -> tuple[Decimal, Decimal, Decimal] | None:
    if value is None:
        return None
    if isinstance(value, str | Decimal | int):
        amount = _to_money(value)
        return amount, amount, amount
    items = tuple(value)
    if len(items) != 3:
        raise ValidationError(f"must be one amount or three (optimistic, most likely, "
                              f"pessimistic), got {value!r}", entity="estimate", field="cost")
    low, likely, high = (_to_money(v) for v in items)
    return low, likely, high


def _to_optional_money(value: Any) -> Decimal | None:
    return None if value is None else _to_money(value)


@attrs.frozen(kw_only=True)
class Estimate:
    """A task's three-point estimate.

    >>> e = Estimate(optimistic="8d", most_likely="10d", pessimistic="15d")
    >>> str(e), e.points_minutes()  # beta-PERT by default; 8-hour days
    ('pert(8d, 10d, 15d)', (3840.0, 4800.0, 7200.0))

    Attributes:
        distribution: how durations are drawn (:class:`DistributionKind`; beta-PERT by default).
        optimistic, most_likely, pessimistic: the three points (not used by ``discrete``).
        shape: the beta-PERT shape parameter (4 is the classic PERT; higher is more peaked).
        values, weights: the outcomes of a ``discrete`` distribution and their relative
            weights (equal when ``weights`` is empty).
        cost: the task's cost, one amount or three (optimistic, most likely, pessimistic)
            drawn from the same kind of distribution (beta-PERT for a ``discrete`` duration).
        rate: a cost per working hour of the drawn duration, added to ``cost`` (work whose
            cost grows with time: a team paid by the hour).
    """

    distribution: DistributionKind = attrs.field(default=DistributionKind.PERT,
                                                 converter=_to_kind)
    optimistic: Duration | None = attrs.field(default=None, converter=to_optional_duration)
    most_likely: Duration | None = attrs.field(default=None, converter=to_optional_duration)
    pessimistic: Duration | None = attrs.field(default=None, converter=to_optional_duration)
    shape: float = attrs.field(default=4.0, converter=_to_shape)
    values: tuple[Duration, ...] = attrs.field(default=(), converter=_to_durations)
    weights: tuple[float, ...] = attrs.field(default=(), converter=_to_weights)
    cost: tuple[Decimal, Decimal, Decimal] | None = attrs.field(default=None,
                                                                 converter=_to_cost)
    rate: Decimal | None = attrs.field(default=None, converter=_to_optional_money)

    def __attrs_post_init__(self) -> None:
        self.check("estimate")

    def check(self, entity: str, options: CalendarOptions | None = None) -> None:
        """Raise a :class:`~pmcore.errors.ValidationError` naming ``entity`` (the task) if the
        estimate is inconsistent: points out of order, negative durations, bad weights."""
        kind = self.distribution

        def fail(message: str, field: str) -> None:
            raise ValidationError(message, entity=entity, field=f"estimate.{field}")

        if not (math.isfinite(self.shape) and self.shape > 0):
            fail(f"must be a positive number, got {self.shape!r}", "shape")
        durations = [d for d in (self.optimistic, self.most_likely, self.pessimistic,
                                 *self.values) if d is not None]
        for duration in durations:
            if duration.is_percent:
                fail(f"must be a length of time, got {duration}", "values")
            if duration.value < 0:
                fail(f"durations cannot be negative, got {duration}", "values")
        if len({d.elapsed for d in durations}) > 1:
            fail("mixes elapsed and working durations", "values")
        if self.cost is not None:
            cheapest, likeliest, dearest = self.cost
            if cheapest < 0:
                fail(f"cannot be negative, got {cheapest}", "cost")
            if not cheapest <= likeliest <= dearest:
                fail(f"needs optimistic <= most likely <= pessimistic, got {cheapest}, "
                     f"{likeliest}, {dearest}", "cost")
        if self.rate is not None and self.rate < 0:
            fail(f"cannot be negative, got {self.rate}", "rate")
        if kind is DistributionKind.DISCRETE:
            if not self.values:
                fail("a discrete distribution needs values", "values")
            if self.weights and len(self.weights) != len(self.values):
                fail(f"needs one weight per value ({len(self.values)}), got "
                     f"{len(self.weights)}", "weights")
            if any(not (math.isfinite(w) and w >= 0) for w in self.weights) or (
                    self.weights and not sum(self.weights) > 0):
                fail(f"must be non-negative numbers with a positive sum, got "
                     f"{list(self.weights)}", "weights")
            return
        if self.values or self.weights:
            fail(f"only a discrete distribution takes values and weights, not "
                 f"{kind.value}", "values")
        needed = ("optimistic", "pessimistic") if kind is DistributionKind.UNIFORM else \
            ("optimistic", "most_likely", "pessimistic")
        for name in needed:
            if getattr(self, name) is None:
                fail(f"a {kind.value} distribution needs {name}", name)
        low, likely, high = self.points_minutes(options)
        if not low <= likely <= high:
            fail(f"needs optimistic <= most likely <= pessimistic, got {self.optimistic}, "
                 f"{self.most_likely}, {self.pessimistic}", "most_likely")
        if kind is DistributionKind.LOGNORMAL and (low <= 0 or likely <= 0) and high > 0:
            fail(f"a lognormal distribution needs a positive optimistic duration, got "
                 f"{self.optimistic}", "optimistic")

    def points_minutes(self, options: CalendarOptions | None = None) -> tuple[float, float,
                                                                               float]:
        """The three points in minutes (``most_likely`` of a uniform one: the midpoint)."""
        if self.optimistic is None or self.pessimistic is None:
            raise ValidationError(f"a {self.distribution.value} distribution has no three "
                                  f"points", entity="estimate", field="optimistic")
        low = self.optimistic.to_minutes(options)
        high = self.pessimistic.to_minutes(options)
        likely = (low + high) / 2 if self.most_likely is None else \
            self.most_likely.to_minutes(options)
        return low, likely, high

    @property
    def elapsed(self) -> bool:
        """The durations are elapsed (clock) time, as ``"3ed"``."""
        first = self.optimistic or (self.values[0] if self.values else None)
        return bool(first is not None and first.elapsed)

    def __str__(self) -> str:
        if self.distribution is DistributionKind.DISCRETE:
            return f"discrete({', '.join(map(str, self.values))})"
        points = ", ".join(str(p) for p in (self.optimistic, self.most_likely, self.pessimistic)
                           if p is not None)
        return f"{self.distribution.value}({points})"
