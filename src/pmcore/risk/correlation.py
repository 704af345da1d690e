"""Rank correlation between task durations: a target matrix and the Iman-Conover method.

Durations of related tasks move together (the same team, the same supplier, the same
optimism). :class:`Correlations` holds a target rank-correlation matrix over some tasks;
:func:`iman_conover` reorders independently drawn samples so that their ranks follow it, which
keeps every task's own distribution exactly as drawn (Iman and Conover, 1982: van der Waerden
scores, permuted, then given the target correlation through Cholesky factors).

A matrix that is not positive semi-definite is no correlation matrix at all (A moves with B,
B with C, and A against C). It is refused with an error naming the tasks, or, with
``repair=True``, replaced by the nearest valid one (eigenvalues clipped, unit diagonal
restored) and the simulation warns.
"""

from __future__ import annotations

import functools
import logging
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from pmcore.errors import ValidationError

__all__ = ["Correlations", "iman_conover", "nearest_correlation", "score_correlation",
           "spearman"]

log = logging.getLogger(__name__)

_TOLERANCE = 1e-9


def _is_psd(a: Any) -> bool:
    """Positive semi-definite, to rounding (an empty matrix is)."""
    return bool(a.size == 0 or np.linalg.eigvalsh(a).min() >= -_TOLERANCE)


def _to_ids(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


def _to_matrix(value: Any) -> tuple[tuple[float, ...], ...]:
    try:
        return tuple(tuple(float(x) for x in row) for row in value)
    except (TypeError, ValueError):
        raise ValidationError(f"must be a square matrix of numbers, got {value!r}",
                              entity="correlations", field="matrix") from None


@attrs.frozen
class Correlations:
    """A target rank-correlation matrix over some tasks.

    >>> Correlations.pairs({("T1", "T2"): 0.8}).matrix
    ((1.0, 0.8), (0.8, 1.0))

    Attributes:
        tasks: the task ids, in the order of the matrix's rows.
        matrix: symmetric, ones on the diagonal, every value from -1 to 1.
        repair: replace a matrix that is not positive semi-definite by the nearest valid one
            (with a warning) instead of refusing it.
    """

    tasks: tuple[str, ...] = attrs.field(converter=_to_ids)
    matrix: tuple[tuple[float, ...], ...] = attrs.field(converter=_to_matrix)
    repair: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        k = len(self.tasks)
        if len(set(self.tasks)) != k:
            raise ValidationError(f"names a task twice: {list(self.tasks)}",
                                  entity="correlations", field="tasks")
        if len(self.matrix) != k or any(len(row) != k for row in self.matrix):
            raise ValidationError(f"must be {k} x {k}, one row and column per task",
                                  entity="correlations", field="matrix")
        a = np.array(self.matrix, dtype=float).reshape(k, k)
        for i in range(k):
            if a[i, i] != 1:
                raise ValidationError(f"the diagonal must be 1 (task {self.tasks[i]!r})",
                                      entity="correlations", field="matrix")
            for j in range(k):
                if not -1 <= a[i, j] <= 1 or a[i, j] != a[j, i]:
                    raise ValidationError(
                        f"the correlation of tasks {self.tasks[i]!r} and {self.tasks[j]!r} "
                        f"must be symmetric and from -1 to 1", entity="correlations",
                        field="matrix")

    @classmethod
    def pairs(cls, pairs: Mapping[tuple[str, str], float], *,
              repair: bool = False) -> Correlations:
        """From ``{(task, task): correlation}``; pairs not given are uncorrelated."""
        ids = list(dict.fromkeys(t for pair in pairs for t in pair))
        position = {t: i for i, t in enumerate(ids)}
        a = np.eye(len(ids))
        for (first, second), value in pairs.items():
            if first == second:
                raise ValidationError(f"a task cannot be correlated with itself ({first!r})",
                                      entity="correlations", field="tasks")
            a[position[first], position[second]] = a[position[second], position[first]] = value
        return cls(ids, a.tolist(), repair=repair)

    def valid_matrix(self) -> tuple[Any, list[str]]:
        """The matrix as an array, repaired if allowed; and the warnings that caused.

        Raises:
            ValidationError: it is not positive semi-definite and ``repair`` is off.
        """
        a = np.array(self.matrix, dtype=float).reshape(len(self.tasks), len(self.tasks))
        if _is_psd(a):
            return a, []
        if not self.repair:
            raise ValidationError(
                f"the matrix over tasks {', '.join(self.tasks)} is not positive "
                f"semi-definite (smallest eigenvalue {np.linalg.eigvalsh(a).min():.3g}): "
                f"these correlations contradict each other; pass repair=True to use the "
                f"nearest valid matrix", entity="correlations", field="matrix")
        fixed = nearest_correlation(a)
        worst = float(np.abs(fixed - a).max())
        message = (f"the correlation matrix over tasks {', '.join(self.tasks)} was not positive "
                   f"semi-definite; the nearest valid one is used (largest change {worst:.3f})")
        log.warning(message)
        return fixed, [message]


def nearest_correlation(a: Any, iterations: int = 100) -> Any:
    """The nearest correlation matrix to ``a`` (Higham's alternating projections, 2002)."""
    y = np.array(a, dtype=float)
    correction = np.zeros_like(y)
    for _ in range(iterations):
        r = y - correction
        values, vectors = np.linalg.eigh((r + r.T) / 2)
        x = (vectors * np.clip(values, 0, None)) @ vectors.T
        correction = x - r
        y = x.copy()
        np.fill_diagonal(y, 1.0)
        if _is_psd(y):
            break
    values, vectors = np.linalg.eigh((y + y.T) / 2)
    y = (vectors * np.clip(values, 1e-12, None)) @ vectors.T
    scale = np.sqrt(np.diag(y))
    y = y / np.outer(scale, scale)
    np.fill_diagonal(y, 1.0)
    return y


def score_correlation(rank: Any) -> tuple[Any, list[str]]:
    """The correlation of normal scores that gives the rank correlation ``rank``.

    Iman-Conover imposes a Pearson correlation on normal scores; their Spearman correlation is
    then ``6 / pi * asin(r / 2)``, a little lower (0.683 for 0.7). The target is therefore
    converted first, ``r = 2 sin(pi * rank / 6)``, so that the draws' *rank* correlation is
    the one asked for. The converted matrix is repaired (with a warning) in the rare case it
    is no longer positive semi-definite.
    """
    scores = 2 * np.sin(np.pi * np.asarray(rank, dtype=float) / 6)
    np.fill_diagonal(scores, 1.0)
    if _is_psd(scores):
        return scores, []
    message = ("the normal-score correlation for the target rank correlation is not positive "
               "semi-definite; the nearest valid one is used")
    log.warning(message)
    return nearest_correlation(scores), [message]


@functools.lru_cache(maxsize=8)  # a run uses one or two chunk sizes; scores are read-only
def _scores(m: int) -> Any:
    """Van der Waerden scores: the standard normal's quantiles at i / (m + 1)."""
    normal = statistics.NormalDist()
    found = np.array([normal.inv_cdf(i / (m + 1)) for i in range(1, m + 1)])
    found.flags.writeable = False
    return found


def iman_conover(samples: Any, target: Any, rng: np.random.Generator) -> Any:
    """Reorder each row of ``samples`` (variables x draws) so that their rank correlation
    follows ``target``; every row keeps exactly its values."""
    k, m = samples.shape
    if k < 2 or m < 3:
        return samples
    scores = _scores(m)
    base = np.array([rng.permutation(scores) for _ in range(k)])  # k x m
    # the permuted scores' own correlation is removed, the target's put in its place
    e = np.corrcoef(base)
    p = np.linalg.cholesky(target + np.eye(k) * 1e-12)
    q = np.linalg.cholesky(e + np.eye(k) * 1e-12)
    t = p @ np.linalg.solve(q, base)
    ranks = np.argsort(np.argsort(t, axis=1), axis=1)
    return np.take_along_axis(np.sort(samples, axis=1), ranks, axis=1)


_COUNTING_RANGE = 1 << 20


def _ranks(values: Any) -> Any:
    """Ranks from 1, ties given their mean rank."""
    values = np.asarray(values)
    if values.dtype.kind in "iu" and len(values):
        low = int(values.min())
        span = int(values.max()) - low + 1
        if span <= max(_COUNTING_RANGE, 4 * len(values)):
            # whole numbers in a moderate range (minutes): counted, not sorted
            counts = np.bincount(values - low, minlength=span)
            below = np.cumsum(counts) - counts
            return (below + (counts + 1) / 2)[values - low]
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values), dtype=float)
    ordered = values[order]
    boundaries = np.flatnonzero(np.diff(ordered)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(values)]))
    means = (starts + ends + 1) / 2  # ranks from 1: mean of start+1 .. end
    ranks[order] = np.repeat(means, ends - starts)
    return ranks


def spearman(rows: Any, against: Any | None = None) -> Any:
    """Spearman's rank correlation: of each row of ``rows`` with ``against`` (a vector), or
    between the rows (a matrix) when ``against`` is None. Constant rows correlate 0."""
    rows = np.atleast_2d(np.asarray(rows))
    if against is None:
        ranked = np.array([_ranks(r) for r in rows])
        ranked -= ranked.mean(axis=1, keepdims=True)
        norms = np.sqrt((ranked * ranked).sum(axis=1))
        constant = norms == 0
        norms[constant] = np.inf
        return (ranked @ ranked.T) / np.outer(norms, norms) + np.diag(constant.astype(float))
    other = _ranks(against)
    other -= other.mean()
    norm = float(np.sqrt(other @ other)) or np.inf
    result = np.zeros(len(rows))
    centre = (rows.shape[1] + 1) / 2  # the mean of the ranks 1..n, ties or not
    for k, row in enumerate(rows):  # a row at a time: no tasks x iterations float matrix
        ranked = _ranks(row) - centre
        spread = float(np.sqrt(ranked @ ranked))
        if spread:
            result[k] = float(ranked @ other) / (spread * norm)
    return result


def check_tasks(correlations: Correlations, known: Iterable[str],
                variable: Sequence[str]) -> None:
    """Every correlated task exists and has an estimate (a fixed duration cannot move)."""
    known_ids = set(known)
    for task in correlations.tasks:
        if task not in known_ids:
            raise ValidationError(f"unknown task id {task!r}", entity="correlations",
                                  field="tasks")
        if task not in variable:
            raise ValidationError(f"task {task!r} has no estimate, so its duration cannot be "
                                  f"correlated", entity="correlations", field="tasks")
