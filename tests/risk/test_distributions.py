"""Draws from each distribution against its analytic moments and quantiles."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pmcore.model.estimate import Estimate
from pmcore.risk.distributions import mean_minutes, sample_minutes

N = 200_000
DAY = 480


def _draws(**kwargs: object) -> np.ndarray:
    estimate = Estimate(**kwargs)  # type: ignore[arg-type]
    return sample_minutes(estimate, np.random.default_rng(2024), N) / DAY


def _close(value: float, expected: float, sd: float) -> None:
    assert abs(value - expected) <= 4 * sd / math.sqrt(N), (value, expected)


def test_triangular_pert_and_uniform_stay_in_their_range_with_their_means() -> None:
    t = _draws(distribution="triangular", optimistic="2d", most_likely="3d", pessimistic="10d")
    assert 2 <= t.min() < t.max() <= 10
    _close(t.mean(), 5, math.sqrt((4 + 100 + 9 - 20 - 6 - 30) / 18))
    p = _draws(optimistic="2d", most_likely="3d", pessimistic="10d")  # PERT, shape 4
    mu = (2 + 4 * 3 + 10) / 6
    _close(p.mean(), mu, math.sqrt((mu - 2) * (10 - mu) / 7))
    u = _draws(distribution="uniform", optimistic="2d", pessimistic="10d")
    _close(u.mean(), 6, 8 / math.sqrt(12))


def test_a_normal_truncated_at_zero_is_a_half_normal_when_centred_there() -> None:
    # mean 0, sigma (6 - 0) / 6 = 1 day: truncated at zero it is half-normal, mean sqrt(2/pi)
    h = _draws(distribution="normal", optimistic="0d", most_likely="0d", pessimistic="6d")
    assert h.min() >= 0
    _close(h.mean(), math.sqrt(2 / math.pi), 1)


def test_a_lognormal_has_its_median_at_the_most_likely_value() -> None:
    x = _draws(distribution="lognormal", optimistic="2d", most_likely="4d", pessimistic="8d")
    sigma = math.log(8 / 2) / 6
    # the median's standard error: sqrt(pi / 2) x median x sigma / sqrt(N)
    _close(float(np.median(x)), 4, math.sqrt(math.pi / 2) * 4 * sigma)
    _close(float(np.log(x).std()), sigma, sigma)
    estimate = Estimate(distribution="lognormal", optimistic="2d", most_likely="4d",
                        pessimistic="8d")
    assert mean_minutes(estimate) / DAY == pytest.approx(4 * math.exp(sigma ** 2 / 2))


def test_discrete_outcomes_come_with_their_weights() -> None:
    x = _draws(distribution="discrete", values=["0d", "1d", "4d"], weights=[1, 1, 2])
    for value, share in ((0, 0.25), (1, 0.25), (4, 0.5)):
        _close(float((x == value).mean()), share, math.sqrt(share * (1 - share)))


def test_equal_points_give_that_duration() -> None:
    x = _draws(optimistic="3d", most_likely="3d", pessimistic="3d")
    assert set(x.tolist()) == {3.0}


@pytest.mark.parametrize(("alpha", "beta", "quantile"), [
    (1.0, 1.0, lambda u: u),  # uniform
    (2.0, 1.0, np.sqrt),  # CDF x**2
    (1.0, 3.0, lambda u: 1 - (1 - u) ** (1 / 3)),  # CDF 1 - (1 - x)**3
    (3.0, 1.0, np.cbrt),  # CDF x**3
])
def test_tabulated_beta_quantiles_match_closed_forms(alpha: float, beta: float,
                                                     quantile: object) -> None:
    from pmcore.risk.distributions import beta_quantiles

    u = np.linspace(0, 1, 10_001)
    assert np.abs(beta_quantiles(alpha, beta, u) - quantile(u)).max() < 1e-4  # type: ignore[operator]


def test_tabulated_beta_cdf_of_a_symmetric_pert() -> None:
    from pmcore.risk.distributions import beta_quantiles

    # Beta(3, 3): CDF 10x^3 - 15x^4 + 6x^5; its quantiles put back through it give u
    u = np.linspace(0.001, 0.999, 999)
    x = beta_quantiles(3.0, 3.0, u)
    assert np.abs(10 * x ** 3 - 15 * x ** 4 + 6 * x ** 5 - u).max() < 1e-6


def test_the_beta_pert_parameters_by_hand() -> None:
    from pmcore.risk.distributions import Sampler

    # 2, 3, 10 days with lambda 4: alpha = 1 + 4 x (3 - 2) / 8 = 1.5, beta = 1 + 4 x 7 / 8 = 4.5
    sampler = Sampler(Estimate(optimistic="2d", most_likely="3d", pessimistic="10d"))
    assert sampler.beta_parameters() == (1.5, 4.5)
    # lambda 6: 1 + 6 / 8 = 1.75 and 1 + 42 / 8 = 6.25
    assert Sampler(Estimate(optimistic="2d", most_likely="3d", pessimistic="10d",
                            shape=6)).beta_parameters() == (1.75, 6.25)
