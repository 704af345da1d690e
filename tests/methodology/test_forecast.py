"""Monte Carlo forecasts checked against analytic results.

Oracles: constant throughput (every trial is the same future, so every percentile is exact) and
two-valued throughput, whose simulated counts follow a binomial distribution: the percentiles
are computed exactly from binomial probabilities (math.comb) and compared where the exact CDF
is far enough from the percentile for 100,000 trials not to land on the other side.
"""

from __future__ import annotations

import datetime as dt
import math

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmcore.errors import ValidationError
from pmcore.methodology import forecast as forecast_module
from pmcore.methodology import forecast_how_many, forecast_when

START = dt.date(2027, 3, 1)
PERCENTILES = (1, 15, 50, 70, 85, 95, 100)


def binomial_cdf(n: int, k: int) -> float:
    """P(Binomial(n, 1/2) <= k), exactly."""
    return sum(math.comb(n, i) for i in range(min(k, n) + 1)) / 2**n


def assert_clear_of(cdf_values: list[float], p: float, trials: int) -> None:
    """The test is decisive only if no CDF value sits within 5 standard errors of p."""
    margin = 5 * math.sqrt(p * (1 - p) / trials)
    assert all(abs(c - p) > margin for c in cdf_values), (p, cdf_values)


# ---------------------------------------------------------------- constant throughput


@pytest.mark.parametrize(("k", "n"), [(1, 1), (2, 7), (3, 10), (5, 5), (4, 1000), (7, 0)])
def test_constant_throughput_when_is_ceil_n_over_k_at_every_percentile(k: int, n: int) -> None:
    f = forecast_when([k], n, start=START, trials=500, seed=3)
    expected = math.ceil(n / k)  # e.g. 10 items at 3 a day: 3, 6, 9, 12 -> done on day 4
    for p in PERCENTILES:
        assert f.percentile(p) == expected
        # done by the end of day `expected`: the first day is START itself
        assert f.date(p) == START + dt.timedelta(days=expected - 1)


@pytest.mark.parametrize(("k", "until", "days"), [(3, "2027-03-10", 10), (1, "2027-03-01", 1),
                                                  (6, "2027-12-31", 306)])
def test_constant_throughput_how_many_is_k_times_days(k: int, until: str, days: int) -> None:
    f = forecast_how_many([k], start=START, until=until, trials=300, seed=0)
    assert f.periods == days  # March 1..10 inclusive is 10 days; to Dec 31 is 306
    for p in PERCENTILES:
        assert f.percentile(p) == k * days


def test_sprints_of_fourteen_days_count_whole_sprints_and_end_on_their_last_day() -> None:
    # 30 points at a constant 8 per sprint: 8, 16, 24, 32 -> 4 sprints; sprint 4 runs
    # 2027-03-01 + 42 days = 2027-04-12 .. 2027-04-25.
    f = forecast_when([8], 30, start=START, period_days=14, seed=1)
    assert f.percentile(85) == 4
    assert f.date(85) == dt.date(2027, 4, 25)
    # until 2027-04-24 leaves sprint 4 one day short: only 3 whole sprints, 24 points.
    h = forecast_how_many([8], start=START, until="2027-04-24", period_days=14, seed=1)
    assert (h.periods, h.percentile(85)) == (3, 24)
    h = forecast_how_many([8], start=START, until="2027-04-25", period_days=14, seed=1)
    assert (h.periods, h.percentile(85)) == (4, 32)


def test_fractional_velocities_reach_their_total_despite_binary_rounding() -> None:
    # 0.1 per period, 0.3 to do: 0.1 + 0.1 + 0.1 is 0.30000000000000004 in floats, and
    # 3 periods is the answer, not 4.
    f = forecast_when([0.1], 0.3, start=START, trials=10, seed=0)
    assert f.percentile(100) == 3


# ---------------------------------------------------------------- two-valued throughput


TRIALS = 100_000


@pytest.mark.parametrize("confidence", [50, 70, 85, 95])
def test_how_many_with_zero_or_one_a_day_follows_the_binomial(confidence: int) -> None:
    # Over D = 20 days with 0 or 1 item a day (probability 1/2 each) the count is
    # Binomial(20, 1/2). "c with p % confidence" = the largest c with P(X >= c) >= p.
    days = 20
    expected = max(c for c in range(days + 1) if 1 - binomial_cdf(days, c - 1) >= confidence / 100)
    assert_clear_of([1 - binomial_cdf(days, c - 1) for c in range(days + 1)], confidence / 100,
                    TRIALS)
    f = forecast_how_many([0, 1], start=START, until=START + dt.timedelta(days=days - 1),
                          trials=TRIALS, seed=2027)
    assert f.percentile(confidence) == expected
    # Worked for 85 %: P(X >= 8) = 1 - P(X <= 7) = 1 - 0.1316 = 0.868 >= 0.85 but
    # P(X >= 9) = 1 - 0.2517 = 0.748, so 8.
    if confidence == 85:
        assert expected == 8


@pytest.mark.parametrize("confidence", [50, 85, 95])
def test_how_many_with_one_or_three_a_day_is_d_plus_twice_a_binomial(confidence: int) -> None:
    # Each day gives 1 + 2*B with B ~ Bernoulli(1/2), so over 16 days the count is
    # 16 + 2*Binomial(16, 1/2): only even totals from 16 to 48.
    days = 16
    expected_b = max(b for b in range(days + 1)
                     if 1 - binomial_cdf(days, b - 1) >= confidence / 100)
    assert_clear_of([1 - binomial_cdf(days, b - 1) for b in range(days + 1)],
                    confidence / 100, TRIALS)
    f = forecast_how_many([1, 3], start=START, until=START + dt.timedelta(days=days - 1),
                          trials=TRIALS, seed=11)
    assert f.percentile(confidence) == days + 2 * expected_b


@pytest.mark.parametrize("confidence", [70, 85, 95])
def test_when_with_zero_or_one_a_day_follows_the_negative_binomial(confidence: int) -> None:
    # 12 items at 0 or 1 a day: done within t days iff Binomial(t, 1/2) >= 12, so
    # P(T <= t) = 1 - P(Bin(t) <= 11); the percentile is the smallest t with P(T <= t) >= p.
    # (The median is left out: P(T <= t) passes too close to 0.5 to be decided by sampling.)
    items = 12
    cdf = {t: 1 - binomial_cdf(t, items - 1) for t in range(items, 80)}
    expected = min(t for t, c in cdf.items() if c >= confidence / 100)
    assert_clear_of(list(cdf.values()), confidence / 100, TRIALS)
    f = forecast_when([0, 1], items, start=START, trials=TRIALS, seed=5)
    assert f.percentile(confidence) == expected
    if confidence == 85:
        # P(T <= 29) = P(Bin(29) >= 12) = 0.8675 >= 0.85; P(T <= 28) = 0.8275 < 0.85.
        assert expected == 29


def test_the_distribution_records_match_the_binomial_probabilities() -> None:
    f = forecast_how_many([0, 1], start=START, until=START + dt.timedelta(days=9),
                          trials=TRIALS, seed=8)
    records = f.to_records()
    assert [r["items"] for r in records] == sorted({r["items"] for r in records}, reverse=True)
    assert sum(r["trials"] for r in records) == TRIALS
    assert records[-1]["at_least"] == 1.0
    for r in records:  # P(X = k) = C(10, k) / 1024, within 5 standard errors
        exact = math.comb(10, r["items"]) / 1024
        assert abs(r["probability"] - exact) < 5 * math.sqrt(exact * (1 - exact) / TRIALS)


# ---------------------------------------------------------------- behaviour


def test_a_seed_reproduces_the_forecast_and_another_seed_does_not() -> None:
    samples = [0, 0, 1, 2, 5, 3, 0, 1]
    a = forecast_when(samples, 40, start=START, seed=42)
    b = forecast_when(samples, 40, start=START, seed=42)
    c = forecast_when(samples, 40, start=START, seed=43)
    assert np.array_equal(a.periods, b.periods)
    assert not np.array_equal(a.periods, c.periods)
    h1 = forecast_how_many(samples, start=START, until="2027-04-01", seed=42)
    h2 = forecast_how_many(samples, start=START, until="2027-04-01", seed=42)
    assert np.array_equal(h1.counts, h2.counts)


def test_chunked_simulation_gives_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    # A tiny memory budget forces many blocks; constant throughput keeps answers exact and the
    # two-valued case keeps its distribution.
    monkeypatch.setattr(forecast_module, "_CELLS", 64)
    assert forecast_when([3], 1000, start=START, trials=50, seed=1).percentile(85) == 334
    h = forecast_how_many([2], start=START, until="2027-12-31", trials=50, seed=1)
    assert h.percentile(85) == 2 * 306
    f = forecast_when([0, 1], 10, start=START, trials=20_000, seed=5)
    assert 23 <= f.percentile(85) <= 27  # exact: 25 (see the negative binomial test)


@given(st.lists(st.integers(0, 9), min_size=1, max_size=30).filter(any),
       st.integers(0, 200), st.integers(0, 2**32))
def test_percentiles_are_monotone(samples: list[int], items: int, seed: int) -> None:
    f = forecast_when(samples, items, start=START, trials=200, seed=seed)
    whens = [f.percentile(p) for p in PERCENTILES]
    assert whens == sorted(whens)
    assert items == 0 or whens[0] >= math.ceil(items / max(samples))
    h = forecast_how_many(samples, start=START, until="2027-03-31", trials=200, seed=seed)
    counts = [h.percentile(p) for p in PERCENTILES]
    assert counts == sorted(counts, reverse=True)
    assert min(samples) * 31 <= counts[-1] <= counts[0] <= max(samples) * 31


def test_results_are_immutable() -> None:
    f = forecast_when([1, 2], 10, start=START, seed=1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        f.items = 3  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        f.periods[0] = 99
    h = forecast_how_many([1, 2], start=START, until="2027-03-05", seed=1)
    with pytest.raises(ValueError, match="read-only"):
        h.counts[0] = 99


def test_records_summary_probability_and_repr() -> None:
    f = forecast_when([1, 2], 4, start=START, trials=1000, seed=1)
    # 4 items at 1 or 2 a day take 2, 3 or 4 days: 2 days only if 2+2 (1/4); 4 days only if
    # 1+1+1+1 or 1+1+1 then anything (1/8); 3 days otherwise (5/8).
    records = f.to_records()
    assert [r["periods"] for r in records] == [2, 3, 4]
    assert records[-1]["cumulative"] == 1.0
    assert abs(records[0]["probability"] - 0.25) < 0.05
    assert abs(records[2]["probability"] - 0.125) < 0.04
    assert f.probability_by(dt.date(2027, 3, 4)) == 1.0  # day 4
    assert f.probability_by(dt.date(2027, 2, 28)) == 0.0
    assert f.summary([85])[0] == {"percentile": 85, "periods": 4 if f.percentile(85) == 4
                                  else 3, "date": f.date(85)}
    assert repr(f).startswith("WhenForecast(items=4, start=2027-03-01")
    h = forecast_how_many([1, 2], start=START, until="2027-03-02", trials=1000, seed=1)
    assert h.probability_of(2) == 1.0
    assert h.summary([100]) == [{"percentile": 100, "items": 2}]
    assert "periods=2" in repr(h)


@pytest.mark.parametrize(("call", "field"), [
    (lambda: forecast_when([], 3, start=START), "samples"),
    (lambda: forecast_when([1, -2], 3, start=START), "samples"),
    (lambda: forecast_when([0, 0], 3, start=START), "samples"),
    (lambda: forecast_when(["a"], 3, start=START), "samples"),
    (lambda: forecast_when([1], -1, start=START), "items"),
    (lambda: forecast_when([1], 3, start="March"), "start"),
    (lambda: forecast_when([1], 3, start=START, trials=0), "trials"),
    (lambda: forecast_when([1], 3, start=START, period_days=0), "period_days"),
    (lambda: forecast_how_many([1], start=START, until="2027-02-28"), "until"),
    (lambda: forecast_how_many([float("nan")], start=START, until=START), "samples"),
    (lambda: forecast_when([1], 3, start=START).percentile(0), "percentile"),
    (lambda: forecast_when([1], 3, start=START).percentile(101), "percentile"),
])
def test_bad_input_names_the_field(call: object, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        call()  # type: ignore[operator]
    assert info.value.field == field
