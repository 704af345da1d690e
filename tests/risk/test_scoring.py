"""Scoring against hand-worked matrices and EMVs, the heat map, and the pmcore_score_risk hook
(a plugin's score wins over pmcore's matrix, which answers last)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import pmcore
from pmcore.errors import PluginError, ValidationError
from pmcore.plugins import hookimpl, make_plugin_manager
from pmcore.risk import (
    Assessment,
    ProbabilityImpactMatrix,
    Risk,
    RiskKind,
    RiskRegister,
    RiskScore,
    expected_monetary_value,
    heat_map,
    matrix_score,
    rank_risks,
    score_risk,
)


def risk(probability: float, kind: str = "threat", id: str = "RISK-1",
         **impacts: Any) -> Risk:
    return Risk(id=id, title=f"risk {id}", kind=kind,
                assessment=Assessment(probability=probability, impacts=impacts))


FIVE = ProbabilityImpactMatrix.five_by_five(impact_scales={
    "cost": ["5000", "20000", "50000", "100000"], "schedule": ["2d", "5d", "10d", "20d"]})


def test_pmbok_emv_example() -> None:
    # PMBOK: a threat with a 30 % chance of costing 40,000 has an EMV of 0.3 x 40,000 = 12,000,
    # negative because it is a loss; an opportunity's EMV is positive.
    threat = risk(0.3, cost="40000")
    assert threat.emv() == Decimal("-12000")
    assert threat.exposure() == Decimal("12000")
    opportunity = risk(0.5, "opportunity", "RISK-2", cost="20000")
    assert opportunity.emv() == Decimal("10000")
    # Together: -12,000 + 10,000 = -2,000.
    assert expected_monetary_value([threat, opportunity]) == Decimal("-2000")
    # Exact decimals: 0.1 x 0.10 is 0.01, not the float's 0.010000000000000002.
    assert risk(0.1, cost="0.10").emv() == Decimal("-0.01")


@pytest.mark.parametrize(("probability", "level"), [
    (0.0, 1), (0.1, 1), (0.1000001, 2), (0.3, 2), (0.5, 3), (0.7, 4), (0.71, 5), (1.0, 5)])
def test_probability_bands_of_the_five_by_five(probability: float, level: int) -> None:
    # Upper bounds 10 %, 30 %, 50 %, 70 %, 100 %: a probability on a bound is in that band.
    assert FIVE.probability_level(probability) == level


@pytest.mark.parametrize(("impacts", "level"), [
    ({"cost": "5000"}, 1),       # on the first bound
    ({"cost": "40000"}, 3),      # 20,000 < 40,000 <= 50,000
    ({"cost": "100000"}, 4),
    ({"cost": "100000.01"}, 5),  # above the last bound
    ({"cost": "0"}, None),       # no impact: no level
    ({"schedule": "10d"}, 3),
    ({"schedule": "3w"}, 4),     # 15 working days: 10 < 15 <= 20
    ({"cost": "40000", "schedule": "3w"}, 4),  # the worst dimension counts
    ({"cost": "40000", "quality": 5}, 5),      # a level given on the risk
    ({"reputation": {"level": 2, "value": "7"}}, 2),  # no scale for reputation: the level
])
def test_impact_levels_from_scales_and_levels(impacts: dict[str, Any], level: int | None,
                                              ) -> None:
    assert FIVE.impact_level(Assessment(probability=0.5, impacts=impacts)) == level


def test_hand_worked_five_by_five_scores() -> None:
    # p = 0.3 -> level 2 (low); cost 40,000 -> level 3 (medium): score 2 x 3 = 6, and
    # 5 <= 6 < 15 rates it medium.
    score = matrix_score(risk(0.3, cost="40000"), FIVE)
    assert (score.probability_level, score.impact_level, score.score, score.rating) == \
        (2, 3, 6.0, "medium")
    assert score.emv == Decimal("-12000")
    # p = 0.8 -> 5; schedule 25d -> 5: 25, high. p = 0.05 -> 1; cost 3,000 -> 1: 1, low.
    assert matrix_score(risk(0.8, schedule="25d"), FIVE).rating == "high"
    assert matrix_score(risk(0.8, schedule="25d"), FIVE).score == 25.0
    assert matrix_score(risk(0.05, cost="3000"), FIVE).rating == "low"
    # 4 is the highest low score (2 x 2), 15 the lowest high one (3 x 5).
    assert FIVE.rating(4.0) == "low"
    assert FIVE.rating(12.0) == "medium"
    assert FIVE.rating(15.0) == "high"


def test_three_by_three() -> None:
    three = ProbabilityImpactMatrix.three_by_three()
    # p = 0.5 -> level 2 (1/3 < 0.5 <= 2/3); impact 3: 6 -> high.
    assert matrix_score(risk(0.5, quality=3), three).rating == "high"
    # p = 0.9 -> 3; impact 1: 3 -> medium. p = 0.2 -> 1; impact 2: 2 -> low.
    assert matrix_score(risk(0.9, quality=1), three).rating == "medium"
    assert matrix_score(risk(0.2, scope=2), three).rating == "low"
    assert len(three.to_records()) == 9


def test_custom_pmbok_weights_labels_and_thresholds() -> None:
    # PMBOK-style non-linear weights: probability 0.1 ... 0.9, impact 0.05 ... 0.8, with
    # ratings from 0.05 (moderate) and 0.18 (high).
    matrix = ProbabilityImpactMatrix(
        probability_labels=["rare", "unlikely", "possible", "likely", "almost certain"],
        impact_labels=["insignificant", "minor", "moderate", "major", "severe"],
        probability_bounds=[0.1, 0.3, 0.5, 0.7, 1.0],
        probability_weights=[0.1, 0.3, 0.5, 0.7, 0.9],
        impact_weights=[0.05, 0.1, 0.2, 0.4, 0.8],
        ratings=[(0, "low"), (0.05, "moderate"), (0.18, "high")])
    # 0.5 (possible) x 0.4 (major) = 0.20 -> high; 0.3 x 0.1 = 0.03 -> low;
    # 0.9 x 0.1 = 0.09 -> moderate.
    high = matrix_score(risk(0.45, reputation=4), matrix)
    assert high.score == pytest.approx(0.2)
    assert high.rating == "high"
    assert matrix_score(risk(0.3, reputation=2), matrix).rating == "low"
    assert matrix_score(risk(0.95, reputation=2), matrix).rating == "moderate"
    assert matrix.to_records()[0] == {"probability_level": 5, "probability": "almost certain",
                                      "impact_level": 1, "impact": "insignificant",
                                      "score": pytest.approx(0.045), "rating": "low"}


@pytest.mark.parametrize(("changes", "words"), [
    ({"probability_bounds": [0.1, 0.3, 0.5, 0.7, 0.9]}, "exactly 1"),
    ({"probability_bounds": [0.1, 0.3]}, "one bound per probability level (5)"),
    ({"impact_weights": [1, 2, 2, 4, 5]}, "must rise"),
    ({"ratings": [(5, "medium"), (1, "low")]}, "must rise"),
    ({"ratings": [(2, "low")]}, "at or below the lowest score 1"),
    ({"impact_scales": {"cost": ["5000"]}}, "needs 4 rising bounds"),
    ({"impact_scales": {"cost": [5000.5, 6000, 7000, 8000]}}, "money is exact"),
    ({"impact_scales": {"schedule": ["1d", "2d", "3d", "-4d"]}}, "must not be negative"),
    ({"impact_labels": ["only"]}, "needs 2 to 10 levels each way, got 5x1"),
    ({"probability_labels": list("abcdefghijk")}, "needs 2 to 10 levels each way, got 11x5"),
])
def test_bad_matrices_are_refused(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match="probability-impact matrix") as info:
        ProbabilityImpactMatrix.five_by_five(**changes)
    assert words in str(info.value)


def test_an_impact_level_above_the_matrix_names_the_risk() -> None:
    with pytest.raises(ValidationError) as info:
        matrix_score(risk(0.5, quality=4), ProbabilityImpactMatrix.three_by_three())
    assert str(info.value) == ("risk 'RISK-1' (risk RISK-1).assessment.impacts['quality']: "
                               "level 4 is above this matrix's top level 3")


def test_unassessed_and_residual_scores() -> None:
    bare = Risk(id="R", title="not yet assessed")
    score = matrix_score(bare, FIVE)
    assert (score.score, score.rating, score.emv) == (None, None, Decimal(0))
    # Residual: the mitigation takes the probability from 0.6 (level 4) to 0.1 (level 1).
    mitigated = Risk(id="M", title="m", assessment={"probability": 0.6, "impacts": {"cost": 4}},
                     residual={"probability": 0.1, "impacts": {"cost": 4}})
    assert matrix_score(mitigated, FIVE).score == 16.0  # 4 x 4: high
    assert matrix_score(mitigated, FIVE, residual=True).score == 4.0  # 1 x 4: low
    assert matrix_score(mitigated, FIVE, residual=True).rating == "low"
    # EMV -24,000 -> -8,000 when a mitigation takes the probability from 0.6 to 0.2.
    priced = Risk(id="P", title="p", assessment={"probability": 0.6,
                                                 "impacts": {"cost": "40000"}},
                  residual={"probability": 0.2, "impacts": {"cost": "40000"}})
    assert priced.emv() == Decimal("-24000")
    assert priced.emv(residual=True) == Decimal("-8000")
    # Without a residual assessment the pre-response one stands.
    assert matrix_score(risk(0.3, cost="40000"), FIVE, residual=True).score == 6.0


def register_of_five() -> RiskRegister:
    register = RiskRegister(matrix=FIVE)
    for title, probability, cost, kind in (("A", 0.3, "40000", "threat"),
                                           ("B", 0.8, "60000", "threat"),
                                           ("C", 0.25, "30000", "threat"),
                                           ("D", 0.5, "20000", "opportunity"),
                                           ("E", 0.9, "1000", "threat")):
        register.add(title, on="2027-01-04", kind=kind, probability=probability,
                     impacts={"cost": cost})
    register.add("F", on="2027-01-04")  # not assessed
    return register


def test_ranking_by_exposure() -> None:
    register = register_of_five()
    ranking = rank_risks(register)
    # Exposures: A 12,000, B 48,000, C 7,500, D 10,000, E 900, F 0.
    assert [r.title for r, _ in ranking] == ["B", "A", "D", "C", "E", "F"]
    assert ranking.threat_exposure == Decimal("68400")  # 48,000 + 12,000 + 7,500 + 900
    assert ranking.opportunity_exposure == Decimal("10000")
    assert ranking.net_emv == Decimal("-58400")
    first = ranking.to_records()[0]
    assert (first["rank"], first["id"], first["score"], first["rating"]) == \
        (1, "RISK-2", 20.0, "high")  # p 0.8 -> 5, cost 60,000 -> 4


def test_heat_map_counts_and_ids() -> None:
    register = register_of_five()
    # Cells (probability level, impact level): A (2, 3), B (5, 4), C (2, 3), D (3, 2),
    # E (5, 1); F has none.
    grid = heat_map(register)
    assert grid.cell(2, 3).risk_ids == ("RISK-1", "RISK-3")
    assert grid.cell(2, 3).rating == "medium"
    assert grid.cell(5, 4).risk_ids == ("RISK-2",)
    assert grid.unplaced == ("RISK-6",)
    assert grid.counts() == [[1, 0, 0, 1, 0],   # very high probability
                             [0, 0, 0, 0, 0],
                             [0, 1, 0, 0, 0],
                             [0, 0, 2, 0, 0],
                             [0, 0, 0, 0, 0]]   # very low probability
    assert len(grid.to_records()) == 25
    assert sum(r["count"] for r in grid.to_records()) == 5
    threats = heat_map(register, kind="threat")
    assert threats.cell(3, 2).count == 0
    assert threats.kind is RiskKind.THREAT


class OrgScorer:
    """An organisation's method: scores are the EMV in thousands; opportunities left out."""

    @hookimpl
    def pmcore_score_risk(self, risk: Risk) -> RiskScore | None:
        if risk.kind is RiskKind.OPPORTUNITY:
            return None
        exposure = risk.exposure()
        return RiskScore(risk_id=risk.id, score=float(exposure / 1000),
                         rating="critical" if exposure > 10000 else "tolerable",
                         emv=risk.emv(), exposure=exposure)


def test_a_plugins_score_wins_over_the_matrix() -> None:
    pm = make_plugin_manager(entry_points=False, plugins=[("org-scorer", OrgScorer())])
    threat = risk(0.3, cost="40000")
    score = score_risk(threat, FIVE, plugins=pm)
    assert (score.score, score.rating, score.method) == (12.0, "critical", "org-scorer")
    # The plugin returns None for opportunities: the matrix scores them.
    opportunity = risk(0.5, "opportunity", "RISK-2", cost="20000")
    assert score_risk(opportunity, FIVE, plugins=pm).method == "matrix"
    assert score_risk(opportunity, FIVE, plugins=pm).score == 6.0  # 3 x 2
    # Without the plugin the matrix scores the threat.
    assert score_risk(threat, FIVE, plugins=make_plugin_manager(entry_points=False)).score == 6.0


def test_the_default_plugins_score_with_the_matrix() -> None:
    assert score_risk(risk(0.3, cost=3)).rating == "medium"


class Broken:
    @hookimpl
    def pmcore_score_risk(self, risk: Risk) -> Any:
        raise ZeroDivisionError("oops")


class Refusing:
    @hookimpl
    def pmcore_score_risk(self, risk: Risk) -> Any:
        raise ValidationError("no owner", entity=risk.label, field="owner")


class Wrong:
    @hookimpl
    def pmcore_score_risk(self, risk: Risk) -> Any:
        return 42


@pytest.mark.parametrize(("plugin", "words"), [
    (Broken(), "pmcore_score_risk failed for risk 'RISK-1' (risk RISK-1): "
               "ZeroDivisionError: oops"),
    (Wrong(), "returned 42, not a RiskScore"),
    (Refusing(), "failed for risk 'RISK-1' (risk RISK-1): ValidationError: "
                 "risk 'RISK-1' (risk RISK-1).owner: no owner"),
])
def test_a_failing_scorer_is_a_plugin_error_naming_it(plugin: object, words: str) -> None:
    pm = make_plugin_manager(entry_points=False, plugins=[("bad-scorer", plugin)])
    with pytest.raises(PluginError) as info:
        score_risk(risk(0.3, cost="40000"), plugins=pm)
    assert info.value.plugin == "bad-scorer"
    assert words in str(info.value)


def test_scores_are_records() -> None:
    record = matrix_score(risk(0.3, cost="40000"), FIVE).to_record()
    assert record == {"risk_id": "RISK-1", "score": 6.0, "rating": "medium",
                      "probability_level": 2, "impact_level": 3, "emv": Decimal("-12000"),
                      "exposure": Decimal("12000"), "residual": False, "method": "matrix"}


def test_project_register_scores_through_the_facade() -> None:
    project = pmcore.Project("Plant", start="2027-01-04")
    project.risks.add("Vendor late", on="2027-01-04", probability=0.3, impacts={"cost": 3})
    assert rank_risks(project.risks).to_records()[0]["rating"] == "medium"


def test_result_reprs_are_short() -> None:
    register = register_of_five()
    assert repr(rank_risks(register)) == ("RiskRanking(risks=6, net_emv=-58400.00, exposure="
                                          "{RISK-2: 48000.0, RISK-1: 12000.0, RISK-4: 10000.0, "
                                          "...})")
    assert repr(heat_map(register)) == "HeatMap(5x5, placed=5, unplaced=1)"
