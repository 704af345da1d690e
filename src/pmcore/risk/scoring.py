"""Scoring risks: probability-impact matrix scores, ratings, EMV, rankings and heat maps.

:func:`score_risk` asks the plugins for a risk's score through the ``pmcore_score_risk`` hook
(first answer wins). pmcore's own method, :func:`matrix_score`, answers last, so an
organisation's plugin that returns a :class:`RiskScore` replaces it, and one that returns
``None`` for some risks leaves those to the matrix.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pluggy

from pmcore.errors import ValidationError
from pmcore.model.risk import ProbabilityImpactMatrix, Risk, RiskKind
from pmcore.model.risk_register import RiskRegister
from pmcore.plugins import Plugins

__all__ = [
    "HeatMap",
    "HeatMapCell",
    "RiskRanking",
    "RiskScore",
    "expected_monetary_value",
    "heat_map",
    "matrix_score",
    "rank_risks",
    "score_risk",
]

PluginsArg = Plugins | pluggy.PluginManager | None


@attrs.frozen(kw_only=True)
class RiskScore:
    """How a risk scores: its matrix cell, score, rating and expected monetary value.

    Attributes:
        risk_id: the risk scored.
        score: the score (``None`` when the risk has no probability or no impact level).
        rating: the rating of the score (``"low"``, ``"medium"``, ``"high"``, or a custom
            matrix's own names); ``None`` with the score.
        probability_level, impact_level: the matrix cell (1-based), when placed.
        emv: probability x cost impact, negative for a threat.
        exposure: the size of the EMV.
        residual: whether the residual (post-response) assessment was scored.
        method: who scored it: ``"matrix"`` for pmcore's built-in method, or a plugin's name.
    """

    risk_id: str
    score: float | None
    rating: str | None
    probability_level: int | None = None
    impact_level: int | None = None
    emv: Decimal = Decimal(0)
    exposure: Decimal = Decimal(0)
    residual: bool = False
    method: str = "matrix"

    def to_record(self) -> dict[str, Any]:
        """The score as a plain dict."""
        return attrs.asdict(self)


def matrix_score(risk: Risk, matrix: ProbabilityImpactMatrix, *,
                 residual: bool = False) -> RiskScore:
    """pmcore's built-in score: the matrix cell's score and rating, and the EMV.

    The impact level is the highest over the risk's dimensions (given as a level, or derived
    from the measured value through the matrix's impact scales). A risk not yet assessed, or
    without any impact level, has no cell and no score.

    Raises:
        ValidationError: an impact level is above the matrix's top level (naming the risk).
    """
    assessment = risk.current(residual)
    emv = risk.emv(residual)
    if risk.assessment is None:
        return RiskScore(risk_id=risk.id, score=None, rating=None, emv=emv, exposure=abs(emv),
                         residual=residual)
    try:
        impact_level = matrix.impact_level(assessment)
    except ValidationError as exc:
        raise ValidationError(exc.reason, entity=risk.label,
                              field=f"{'residual' if residual else 'assessment'}.{exc.field}",
                              ) from None
    probability_level = matrix.probability_level(assessment.probability)
    score = None if impact_level is None else matrix.score(probability_level, impact_level)
    return RiskScore(risk_id=risk.id, score=score,
                     rating=None if score is None else matrix.rating(score),
                     probability_level=probability_level, impact_level=impact_level,
                     emv=emv, exposure=abs(emv), residual=residual)


def score_risk(risk: Risk, matrix: ProbabilityImpactMatrix | None = None, *,
               residual: bool = False, plugins: PluginsArg = None) -> RiskScore:
    """Score a risk through the ``pmcore_score_risk`` hook (a plugin's method, else the matrix).

    >>> from pmcore.model.risk import Risk
    >>> risk = Risk(id="RISK-1", title="Vendor late",
    ...             assessment={"probability": 0.3, "impacts": {"cost": 3}})
    >>> s = score_risk(risk)
    >>> (s.probability_level, s.impact_level, s.score, s.rating)
    (2, 3, 6.0, 'medium')

    Args:
        matrix: the matrix to score on (the default 5x5 when omitted; a register's own is
            ``register.matrix``).
        residual: score the residual (post-response) assessment instead.
        plugins: the plugins to ask; the default ones when omitted.
    """
    chosen = matrix if matrix is not None else ProbabilityImpactMatrix.five_by_five()
    return Plugins.of(plugins).score_risk(risk, chosen, residual)


def expected_monetary_value(risks: Risk | RiskRegister | Iterable[Risk], *,
                            residual: bool = False, open_only: bool = True) -> Decimal:
    """EMV: probability x cost impact, summed over risks; threats count negative.

    PMBOK's example: a threat of 0.3 x 40,000 gives -12,000; with an opportunity of
    0.5 x 20,000 (+10,000) beside it the total is -2,000. For a register or a list, only
    open risks count unless ``open_only=False``.
    """
    if isinstance(risks, Risk):
        return risks.emv(residual)
    chosen = risks.risks if isinstance(risks, RiskRegister) else tuple(risks)
    return sum((r.emv(residual) for r in chosen if r.is_open or not open_only), Decimal(0))


@attrs.frozen(repr=False)
class RiskRanking:
    """Risks with their scores, highest exposure first (then score, then id)."""

    entries: tuple[tuple[Risk, RiskScore], ...]

    def __repr__(self) -> str:
        top = ", ".join(f"{r.id}: {s.exposure}" for r, s in self.entries[:3])
        more = ", ..." if len(self.entries) > 3 else ""
        return f"RiskRanking(risks={len(self.entries)}, net_emv={self.net_emv}, " \
               f"exposure={{{top}{more}}})"

    def __iter__(self) -> Iterator[tuple[Risk, RiskScore]]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def threat_exposure(self) -> Decimal:
        """The sum of the threats' exposures."""
        return sum((s.exposure for r, s in self.entries if r.kind is RiskKind.THREAT),
                   Decimal(0))

    @property
    def opportunity_exposure(self) -> Decimal:
        """The sum of the opportunities' exposures."""
        return sum((s.exposure for r, s in self.entries if r.kind is RiskKind.OPPORTUNITY),
                   Decimal(0))

    @property
    def net_emv(self) -> Decimal:
        """The sum of the EMVs (opportunities minus threats)."""
        return sum((s.emv for _, s in self.entries), Decimal(0))

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per risk, in rank order, for ``pandas.DataFrame``."""
        return [{"rank": rank, "id": r.id, "title": r.title, "kind": r.kind.value,
                 "status": r.status.value, "category": r.category, "owner": r.owner,
                 "probability": r.current(s.residual).probability,
                 "cost_impact": r.current(s.residual).cost,
                 "schedule_impact": str(r.current(s.residual).schedule),
                 "probability_level": s.probability_level, "impact_level": s.impact_level,
                 "score": s.score, "rating": s.rating, "emv": s.emv, "exposure": s.exposure,
                 "method": s.method}
                for rank, (r, s) in enumerate(self.entries, 1)]


def rank_risks(register: RiskRegister, *, residual: bool = False, open_only: bool = True,
               plugins: PluginsArg = None) -> RiskRanking:
    """Score every (open) risk of a register on its matrix and rank them by exposure."""
    facade = Plugins.of(plugins)
    entries = [(r, facade.score_risk(r, register.matrix, residual)) for r in register.risks
               if r.is_open or not open_only]
    entries.sort(key=lambda e: (-e[1].exposure, -(e[1].score or 0.0), e[0].id))
    return RiskRanking(tuple(entries))


@attrs.frozen
class HeatMapCell:
    """One cell of a heat map: its place in the matrix, score, rating and the risks in it."""

    probability_level: int
    impact_level: int
    probability_label: str
    impact_label: str
    score: float
    rating: str
    risk_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many risks are in the cell."""
        return len(self.risk_ids)


@attrs.frozen(repr=False)
class HeatMap:
    """The register's risks placed on its probability-impact matrix.

    Attributes:
        cells: every cell, highest probability first, lowest impact first within a row.
        unplaced: ids of the risks without a cell (not assessed, or no impact level).
        kind: the kind of risks shown (``None``: both).
        residual: whether residual assessments were placed.
    """

    cells: tuple[HeatMapCell, ...]
    unplaced: tuple[str, ...] = ()
    kind: RiskKind | None = None
    residual: bool = False

    def __repr__(self) -> str:
        levels = {c.probability_level for c in self.cells}, {c.impact_level for c in self.cells}
        placed = sum(c.count for c in self.cells)
        return (f"HeatMap({len(levels[0])}x{len(levels[1])}, placed={placed}, "
                f"unplaced={len(self.unplaced)})")

    def cell(self, probability_level: int, impact_level: int) -> HeatMapCell:
        """The cell at these levels."""
        for cell in self.cells:
            if (cell.probability_level, cell.impact_level) == (probability_level, impact_level):
                return cell
        raise ValidationError(f"no cell ({probability_level}, {impact_level}) in this matrix",
                              entity="heat map")

    def counts(self) -> list[list[int]]:
        """The counts as rows, highest probability first: ready for a plotting library."""
        rows: dict[int, list[int]] = {}
        for cell in self.cells:
            rows.setdefault(cell.probability_level, []).append(cell.count)
        return [rows[level] for level in sorted(rows, reverse=True)]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per cell, for ``pandas.DataFrame`` (pivot on the two levels)."""
        return [{"probability_level": c.probability_level, "impact_level": c.impact_level,
                 "probability": c.probability_label, "impact": c.impact_label,
                 "score": c.score, "rating": c.rating, "count": c.count,
                 "risk_ids": list(c.risk_ids)} for c in self.cells]


def heat_map(register: RiskRegister, *, kind: RiskKind | str | None = None,
             residual: bool = False, open_only: bool = True) -> HeatMap:
    """Count the register's risks per cell of its matrix (threats and opportunities alike,
    or only ``kind``); every cell is listed, empty ones too."""
    from pmcore.model.base import to_enum

    chosen = None if kind is None else to_enum(RiskKind, kind, entity="heat map",
                                                field="kind")
    matrix = register.matrix
    placed: dict[tuple[int, int], list[str]] = {}
    unplaced: list[str] = []
    for risk in register.risks:
        if (open_only and not risk.is_open) or (chosen is not None and risk.kind is not chosen):
            continue
        score = matrix_score(risk, matrix, residual=residual)
        if score.probability_level is None or score.impact_level is None:
            unplaced.append(risk.id)
        else:
            placed.setdefault((score.probability_level, score.impact_level), []).append(risk.id)
    n, m = matrix.shape
    cells = tuple(HeatMapCell(p, i, matrix.probability_labels[p - 1],
                              matrix.impact_labels[i - 1], matrix.score(p, i),
                              matrix.rating(matrix.score(p, i)), tuple(placed.get((p, i), ())))
                  for p in range(n, 0, -1) for i in range(1, m + 1))
    return HeatMap(cells, tuple(unplaced), chosen, residual)
