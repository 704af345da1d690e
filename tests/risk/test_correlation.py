"""Rank correlation: Iman-Conover, the nearest correlation matrix, Spearman's coefficient."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmcore.errors import ValidationError
from pmcore.risk.correlation import (
    Correlations,
    iman_conover,
    nearest_correlation,
    score_correlation,
    spearman,
)


def test_iman_conover_reaches_the_target_and_keeps_every_value() -> None:
    rng = np.random.default_rng(7)
    samples = np.vstack([rng.triangular(1, 2, 6, 20_000), rng.lognormal(0, 1, 20_000),
                         rng.uniform(0, 1, 20_000), rng.beta(2, 5, 20_000)])
    target = np.array([[1, 0.7, 0.2, -0.4], [0.7, 1, 0.1, -0.2], [0.2, 0.1, 1, 0.0],
                       [-0.4, -0.2, 0.0, 1]])
    scores, warnings = score_correlation(target)
    assert warnings == []
    shuffled = iman_conover(samples, scores, rng)
    # the marginals are untouched: the same values, only in another order
    assert (np.sort(shuffled, axis=1) == np.sort(samples, axis=1)).all()
    achieved = pd.DataFrame(shuffled.T).corr(method="spearman").to_numpy()
    assert np.abs(achieved - target).max() < 0.015


def test_normal_scores_correlated_by_r_have_spearman_6_over_pi_asin_r_over_2() -> None:
    # Pearson (1907): for a bivariate normal with correlation r, Spearman's is
    # 6 / pi * asin(r / 2); score_correlation inverts that
    rank = np.array([[1.0, 0.7], [0.7, 1.0]])
    scores, _ = score_correlation(rank)
    assert scores[0, 1] == pytest.approx(2 * np.sin(np.pi * 0.7 / 6))
    assert 6 / np.pi * np.arcsin(scores[0, 1] / 2) == pytest.approx(0.7)


def test_the_nearest_correlation_matrix_of_highams_example() -> None:
    # Higham (2002), "Computing the nearest correlation matrix", section 4: the nearest
    # correlation matrix to [[1, 1, 0], [1, 1, 1], [0, 1, 1]] in the Frobenius norm
    found = nearest_correlation(np.array([[1.0, 1, 0], [1, 1, 1], [0, 1, 1]]), iterations=2000)
    expected = np.array([[1, 0.7607, 0.1573], [0.7607, 1, 0.7607], [0.1573, 0.7607, 1]])
    assert np.abs(found - expected).max() < 2e-3
    assert np.linalg.eigvalsh(found).min() >= 0


def test_spearman_matches_pandas_with_ties() -> None:
    rng = np.random.default_rng(3)
    rows = rng.integers(0, 5, size=(3, 200)).astype(float)  # many ties
    against = rows[0] + rng.integers(0, 3, size=200)
    # Spearman's coefficient by definition: Pearson's of the average ranks (pandas ranks)
    ranked = pd.Series(against).rank().to_numpy()
    expected = [np.corrcoef(pd.Series(r).rank().to_numpy(), ranked)[0, 1] for r in rows]
    assert spearman(rows, against) == pytest.approx(expected, abs=1e-12)
    # whole numbers are ranked by counting, not sorting: the same ranks
    whole = spearman(rows.astype(np.int64), against.astype(np.int64))
    assert whole == pytest.approx(expected, abs=1e-12)
    matrix = pd.DataFrame(rows.T).corr(method="spearman").to_numpy()
    assert spearman(rows) == pytest.approx(matrix, abs=1e-12)
    assert spearman(np.ones((1, 10)), against[:10]).tolist() == [0.0]  # constant: no signal


def test_pairs_build_a_symmetric_matrix() -> None:
    c = Correlations.pairs({("A", "B"): 0.5, ("C", "A"): -0.25})
    assert c.tasks == ("A", "B", "C")
    assert c.matrix == ((1.0, 0.5, -0.25), (0.5, 1.0, 0.0), (-0.25, 0.0, 1.0))


@pytest.mark.parametrize(("tasks", "matrix", "message"), [
    (["A", "B"], [[1, 0.5], [0.4, 1]], "'A' and 'B' must be symmetric"),
    (["A", "B"], [[1, 1.5], [1.5, 1]], "from -1 to 1"),
    (["A", "B"], [[0.9, 0.5], [0.5, 1]], "diagonal must be 1 \\(task 'A'\\)"),
    (["A", "A"], [[1, 0], [0, 1]], "names a task twice"),
    (["A", "B", "C"], [[1, 0], [0, 1]], "must be 3 x 3"),
])
def test_malformed_matrices_are_refused(tasks: list[str], matrix: list[list[float]],
                                        message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Correlations(tasks, matrix)


def test_a_contradictory_matrix_is_refused_or_repaired() -> None:
    bad = Correlations(["A", "B", "C"], [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    with pytest.raises(ValidationError, match="A, B, C is not positive semi-definite"):
        bad.valid_matrix()
    fixed, warnings = Correlations(bad.tasks, bad.matrix, repair=True).valid_matrix()
    assert np.linalg.eigvalsh(fixed).min() >= -1e-9
    assert "nearest valid one" in warnings[0]
    good, none = Correlations.pairs({("A", "B"): 0.3}).valid_matrix()
    assert none == []
    assert good.tolist() == [[1.0, 0.3], [0.3, 1.0]]
