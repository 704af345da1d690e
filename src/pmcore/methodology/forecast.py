"""Monte Carlo forecasts over historical throughput or velocity, in the manner of ActionableAgile.

Both questions a team is asked are answered by resampling its own history: each simulated
period (a day for Kanban throughput, a sprint for Scrum velocity) draws one of the historical
``samples`` at random, with replacement, and ``trials`` such futures are played out at once with
numpy.

* :func:`forecast_when` -- "when will ``items`` be done?": the number of periods each trial needs
  until its completed count reaches ``items``.
* :func:`forecast_how_many` -- "how many will be done by ``until``?": the count each trial
  completes in the whole periods from ``start`` to ``until``.

Percentile conventions (those of ActionableAgile's Monte Carlo charts):

* ``WhenForecast.percentile(85)`` is the smallest number of periods within which at least 85 %
  of the trials finished: "with 85 % confidence it is done in that many periods or fewer".
* ``HowManyForecast.percentile(85)`` is the largest count that at least 85 % of the trials
  reached or beat, i.e. the 15th percentile of the simulated counts: "with 85 % confidence at
  least that many are done". Higher confidence gives a later date but a smaller count.

Dates: period 1 starts on ``start``; a forecast done in ``n`` periods is done by the end of the
period's last day, ``start + n * period_days - 1`` days. Periods are calendar days (or calendar
sprints): a history sampled per calendar day already contains its weekends as zero-throughput
days, so the simulation reproduces them without a calendar.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from pmcore.errors import ValidationError
from pmcore.model.base import to_date

__all__ = [
    "DEFAULT_TRIALS",
    "HowManyForecast",
    "WhenForecast",
    "forecast_how_many",
    "forecast_when",
]

DEFAULT_TRIALS = 10_000
"""Trials simulated unless told otherwise: enough for the 85th percentile to be stable to
about one period on typical histories."""

_CELLS = 4_000_000  # draws held in memory at once (32 MB of int64); larger runs are chunked
_SUMMARY = (50, 70, 85, 95)
_TOLERANCE = 1e-9  # story points may be fractions: 0.1 + 0.2 reaches 0.3


def _samples(samples: Sequence[float] | npt.ArrayLike, entity: str) -> npt.NDArray[Any]:
    array = np.asarray(samples)
    if array.ndim != 1 or array.size == 0:
        raise ValidationError("needs at least one historical sample", entity=entity,
                              field="samples")
    if array.dtype.kind not in "iuf" and array.dtype != np.bool_:
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise ValidationError(f"samples must be numbers, got {samples!r}", entity=entity,
                                  field="samples") from None
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)):
            raise ValidationError("samples must be finite numbers", entity=entity,
                                  field="samples")
        if np.all(array == np.round(array)):
            array = array.astype(np.int64)
    else:
        array = array.astype(np.int64)
    if np.any(array < 0):
        index = int(np.argmax(array < 0))
        raise ValidationError(f"sample {index} is negative ({array[index]})", entity=entity,
                              field="samples")
    return array


def _check_common(trials: int, period_days: int, entity: str) -> None:
    if not isinstance(trials, int) or isinstance(trials, bool) or trials < 1:
        raise ValidationError(f"must be a positive whole number, got {trials!r}", entity=entity,
                              field="trials")
    if not isinstance(period_days, int) or isinstance(period_days, bool) or period_days < 1:
        raise ValidationError(f"must be a positive whole number of days, got {period_days!r}",
                              entity=entity, field="period_days")


def _rank(percentile: float, trials: int) -> int:
    """How many trials the percentile must cover: ceil(p/100 * n), at least 1."""
    if not isinstance(percentile, numbers.Real) or not 0 < percentile <= 100:
        raise ValidationError(f"must be in (0, 100], got {percentile!r}", entity="forecast",
                              field="percentile")
    # round() first so 85 % of 10,000 is 8500 trials, not 8501 from 0.85's binary expansion.
    return max(1, math.ceil(round(percentile * trials / 100, 9)))


def _number(value: Any) -> int | float:
    return int(value) if isinstance(value, np.integer) else float(value)


def _readonly(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


def _distribution(values: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
    outcomes, counts = np.unique(values, return_counts=True)
    return outcomes, counts.astype(np.int64)


@attrs.frozen(kw_only=True, eq=False, repr=False)
class WhenForecast:
    """How many periods ``trials`` simulated futures needed to finish ``items``.

    Attributes:
        items: the amount forecast (items for throughput, story points for velocity).
        start: the first day of period 1.
        period_days: the length of a period in days (1 for daily throughput, the sprint length
            for velocity).
        trials: the number of simulated futures.
        seed: the seed the simulation ran with (``None``: fresh entropy).
        periods: periods needed, one per trial (a read-only numpy array).
    """

    items: float
    start: dt.date
    period_days: int
    trials: int
    seed: int | None
    periods: npt.NDArray[np.int64]

    def percentile(self, percentile: float = 85) -> int:
        """The fewest periods within which ``percentile`` % of the trials were done."""
        rank = _rank(percentile, self.trials)
        return int(np.partition(self.periods, rank - 1)[rank - 1])

    def date(self, percentile: float = 85) -> dt.date:
        """The day by whose end ``percentile`` % of the trials were done."""
        return self.date_of(self.percentile(percentile))

    def date_of(self, periods: int) -> dt.date:
        """The last day of period ``periods`` (period 1 starts on :attr:`start`)."""
        return self.start + dt.timedelta(days=periods * self.period_days - 1)

    def probability_by(self, day: dt.date) -> float:
        """The share of trials done by the end of ``day``."""
        whole = ((day - self.start).days + 1) // self.period_days
        return float(np.count_nonzero(self.periods <= whole)) / self.trials

    def summary(self, percentiles: Iterable[float] = _SUMMARY) -> list[dict[str, Any]]:
        """One record per percentile: ``percentile``, ``periods``, ``date``."""
        return [{"percentile": p, "periods": self.percentile(p), "date": self.date(p)}
                for p in percentiles]

    def to_records(self) -> list[dict[str, Any]]:
        """The distribution: one record per outcome, fewest periods first.

        Keys: ``periods``, ``date`` (done by the end of it), ``trials`` (how many trials ended
        there), ``probability`` (their share) and ``cumulative`` (share done by then).
        """
        outcomes, counts = _distribution(self.periods)
        cumulative = np.cumsum(counts)
        return [{"periods": int(n), "date": self.date_of(int(n)), "trials": int(c),
                 "probability": int(c) / self.trials, "cumulative": int(s) / self.trials}
                for n, c, s in zip(outcomes, counts, cumulative, strict=True)]

    def __repr__(self) -> str:
        return (f"WhenForecast(items={self.items:g}, start={self.start.isoformat()}, "
                f"period_days={self.period_days}, trials={self.trials}, "
                f"p50={self.percentile(50)}, p85={self.percentile(85)}, "
                f"p95={self.percentile(95)}, date85={self.date(85).isoformat()})")


@attrs.frozen(kw_only=True, eq=False, repr=False)
class HowManyForecast:
    """How much ``trials`` simulated futures completed in the periods from ``start`` to ``until``.

    Attributes:
        start: the first day of period 1.
        until: the last day counted; only whole periods ending on or before it are simulated.
        period_days: the length of a period in days.
        periods: the number of whole periods simulated.
        trials: the number of simulated futures.
        seed: the seed the simulation ran with (``None``: fresh entropy).
        counts: the amount completed, one per trial (a read-only numpy array).
    """

    start: dt.date
    until: dt.date
    period_days: int
    periods: int
    trials: int
    seed: int | None
    counts: npt.NDArray[Any]

    def percentile(self, percentile: float = 85) -> int | float:
        """The most that ``percentile`` % of the trials completed or beat.

        That is the ``100 - percentile`` th percentile of the counts (the 15th for 85 %
        confidence), as ActionableAgile's "how many" chart reads it.
        """
        rank = _rank(percentile, self.trials)
        # The rank-th largest count: at least `rank` trials reached it, fewer beat any higher.
        return _number(np.partition(self.counts, self.trials - rank)[self.trials - rank])

    def probability_of(self, amount: float) -> float:
        """The share of trials that completed at least ``amount``."""
        return float(np.count_nonzero(self.counts >= amount)) / self.trials

    def summary(self, percentiles: Iterable[float] = _SUMMARY) -> list[dict[str, Any]]:
        """One record per percentile (confidence): ``percentile``, ``items``."""
        return [{"percentile": p, "items": self.percentile(p)} for p in percentiles]

    def to_records(self) -> list[dict[str, Any]]:
        """The distribution: one record per outcome, most first.

        Keys: ``items``, ``trials`` (how many trials completed exactly that), ``probability``
        (their share) and ``at_least`` (share of trials that completed that many or more).
        """
        outcomes, counts = _distribution(self.counts)
        at_least = np.cumsum(counts[::-1])
        return [{"items": _number(v), "trials": int(c), "probability": int(c) / self.trials,
                 "at_least": int(s) / self.trials}
                for v, c, s in zip(outcomes[::-1], counts[::-1], at_least, strict=True)]

    def __repr__(self) -> str:
        return (f"HowManyForecast(start={self.start.isoformat()}, "
                f"until={self.until.isoformat()}, periods={self.periods}, trials={self.trials}, "
                f"p50={self.percentile(50):g}, p85={self.percentile(85):g}, "
                f"p95={self.percentile(95):g})")


def _to_date(value: dt.date | str, entity: str, field: str) -> dt.date:
    try:
        return to_date(value)
    except ValidationError as exc:
        raise ValidationError(exc.reason, entity=entity, field=field) from None


def forecast_when(
    samples: Sequence[float] | npt.ArrayLike,
    items: float,
    *,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    start: dt.date | str,
    period_days: int = 1,
) -> WhenForecast:
    """Simulate when ``items`` will be done, drawing each period's output from ``samples``.

    Args:
        samples: historical output per period (items finished per day, points per sprint);
            zeros count, they are days on which nothing finished.
        items: how much is left to do (items, or story points with velocities).
        trials: simulated futures.
        seed: makes the forecast reproducible (numpy's ``default_rng(seed)``).
        start: the first day of the first simulated period.
        period_days: days per period (1 for daily throughput, the sprint length in days).

    Raises:
        ValidationError: no samples, a negative sample, no positive sample (nothing would
            ever finish), a negative ``items``, or a non-positive ``trials``/``period_days``.

    >>> f = forecast_when([2], 7, start="2027-03-01", seed=1)
    >>> f.percentile(85), f.date(85)
    (4, datetime.date(2027, 3, 4))
    """
    entity = "when forecast"
    values = _samples(samples, entity)
    _check_common(trials, period_days, entity)
    first = _to_date(start, entity, "start")
    if not isinstance(items, numbers.Real) or isinstance(items, bool) or not items >= 0 \
            or not math.isfinite(items):
        raise ValidationError(f"must be a number >= 0, got {items!r}", entity=entity,
                              field="items")
    if not np.any(values > 0):
        raise ValidationError("every sample is 0: nothing would ever be done", entity=entity,
                              field="samples")
    rng = np.random.default_rng(seed)
    periods = np.zeros(trials, dtype=np.int64)
    if items > 0:
        _simulate_when(values, float(items), rng, periods)
    return WhenForecast(items=float(items), start=first, period_days=period_days, trials=trials,
                        seed=seed, periods=_readonly(periods))


def _simulate_when(values: npt.NDArray[Any], items: float, rng: np.random.Generator,
                   periods: npt.NDArray[np.int64]) -> None:
    """Fill ``periods`` with the number of draws each trial needs to reach ``items``.

    Draws blocks of periods for the trials still running, so memory stays bounded however far
    the forecast reaches; a block is sized from the mean so most trials finish in the first.
    """
    mean = float(values.mean())
    active = np.arange(periods.size)
    done_so_far = np.zeros(periods.size, dtype=values.dtype)
    elapsed = 0
    while active.size:
        remaining_mean = max(1.0, (items - float(done_so_far[active].min())) / mean)
        block = int(min(max(8, math.ceil(remaining_mean * 1.25) + 4),
                        max(8, _CELLS // active.size)))
        draws = values[rng.integers(0, values.size, size=(active.size, block))]
        totals = np.cumsum(draws, axis=1)
        totals += done_so_far[active, None]
        reached = totals >= items - _TOLERANCE
        finished = reached[:, -1]
        first = np.argmax(reached, axis=1)
        periods[active[finished]] = elapsed + first[finished] + 1
        done_so_far[active] = totals[:, -1]
        active = active[~finished]
        elapsed += block


def forecast_how_many(
    samples: Sequence[float] | npt.ArrayLike,
    *,
    until: dt.date | str,
    start: dt.date | str,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    period_days: int = 1,
) -> HowManyForecast:
    """Simulate how much will be done in the whole periods from ``start`` to ``until``.

    Args:
        samples: historical output per period, as for :func:`forecast_when`.
        until: the last day counted (inclusive); a period that would end after it is not
            counted (a sprint still running on ``until`` delivers nothing by then).
        start: the first day of the first simulated period.
        trials: simulated futures.
        seed: makes the forecast reproducible.
        period_days: days per period.

    Raises:
        ValidationError: no or negative samples, ``until`` before ``start``, a non-positive
            ``trials`` or ``period_days``.

    >>> f = forecast_how_many([3], start="2027-03-01", until="2027-03-10", seed=1)
    >>> f.periods, f.percentile(85)
    (10, 30)
    """
    entity = "how-many forecast"
    values = _samples(samples, entity)
    _check_common(trials, period_days, entity)
    first = _to_date(start, entity, "start")
    last = _to_date(until, entity, "until")
    if last < first:
        raise ValidationError(f"{last} is before start {first}", entity=entity, field="until")
    periods = ((last - first).days + 1) // period_days
    rng = np.random.default_rng(seed)
    counts = np.zeros(trials, dtype=values.dtype)
    step = max(1, _CELLS // trials)
    for offset in range(0, periods, step):
        width = min(step, periods - offset)
        counts += values[rng.integers(0, values.size, size=(trials, width))].sum(axis=1)
    return HowManyForecast(start=first, until=last, period_days=period_days, periods=periods,
                           trials=trials, seed=seed, counts=_readonly(counts))
