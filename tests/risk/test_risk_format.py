"""The risk register travels with the project file: lossless round trips in JSON and YAML,
a hand-written register reads, and bad values are FormatErrors naming the path."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

import pmcore
from pmcore.errors import FormatError
from pmcore.model.risk import (
    Appetite,
    Assessment,
    ImpactDimension,
    ProbabilityImpactMatrix,
    RbsCategory,
    ResponseAction,
    RiskBreakdownStructure,
    RiskKind,
    RiskResponse,
    RiskStatus,
)
from pmcore.model.risk_register import RiskRegister


def planned() -> pmcore.Project:
    p = pmcore.Project("Plant", id="plant", start="2027-01-04")
    design = p.add_task("Design", "10d")
    build = p.add_task("Build", "20d", after=design)
    risks = p.risks
    vendor = risks.add("Vendor delivers late", on="2027-01-04", category="3.3", owner="Ann",
                       cause="a single supplier", event="late delivery of the turbine",
                       effect="a slipped commissioning date", proximity="2027-03-01",
                       review_on="2027-02-01", triggers=["supplier misses FAT"],
                       probability=0.3, impacts={"cost": "40000", "schedule": "10d",
                                                 "reputation": 2},
                       linked_tasks=[build.id])
    risks.transition(vendor, "assessed", on="2027-01-11")
    risks.add_response(vendor, RiskResponse(
        strategy="mitigate", description="second supplier", owner="Bob", contingency="air freight",
        actions=[ResponseAction(description="qualify supplier B", owner="Bob", due="2027-01-29",
                                cost="5000.50", done=True)]), on="2027-01-12")
    risks.transition(vendor, "response_planned", on="2027-01-12",
                     residual=Assessment(probability=0.1, impacts={"cost": {"level": 3,
                                                                            "value": "40000"}}))
    grant = risks.add("Energy grant", on="2027-01-05", kind="opportunity", category="4.1",
                      probability=0.5, impacts={"cost": "20000"}, notes="apply by March")
    risks.add("Second supplier quality", on="2027-01-12", secondary_of=vendor.id,
              probability=0.2, impacts={"quality": 3})
    risks.occurred(grant, on="2027-02-10", description="grant awarded", cost_impact="18000")
    risks.resolve_issue("ISSUE-1", on="2027-02-20", resolution="booked")
    risks.review("2027-01-15")
    risks.review("2027-02-15")
    return p


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_round_trip_keeps_the_whole_register(fmt: str) -> None:
    if fmt == "yaml":
        pytest.importorskip("yaml")
    project = planned()
    text = pmcore.dumps(project, format=fmt)
    again = pmcore.loads(text, format=fmt)
    assert again == project
    assert pmcore.dumps(again, format=fmt) == text
    vendor = again.risks["RISK-1"]
    assert vendor.status is RiskStatus.RESPONSE_PLANNED
    assert vendor.cost_impact == Decimal("40000")
    assert vendor.schedule_impact == pmcore.Duration.parse("10d")
    assert vendor.responses[0].actions[0].cost == Decimal("5000.50")
    assert vendor.responses[0].actions[0].due == dt.date(2027, 1, 29)
    assert vendor.residual is not None
    assert vendor.residual.impact("cost").level == 3
    assert again.risks["RISK-2"].kind is RiskKind.OPPORTUNITY
    assert again.risks.issues.issues[0].cost_impact == Decimal("18000")
    assert again.risks.reviews == (dt.date(2027, 1, 15), dt.date(2027, 2, 15))
    # added, assessed, response added, response planned; added; added; occurred
    assert len(again.risks.history) == len(project.risks.history) == 7
    # The history replays identically after the round trip.
    assert again.risks.trend() == project.risks.trend()


def test_a_project_without_risks_keeps_its_old_layout() -> None:
    project = pmcore.Project("Plain", start="2027-01-04")
    project.add_task("Design", "5d")
    assert "risks" not in json.loads(pmcore.dumps(project))["project"]


def test_a_configured_register_is_written_even_without_risks() -> None:
    project = pmcore.Project("Configured", start="2027-01-04")
    project.risks = RiskRegister(
        rbs=RiskBreakdownStructure([RbsCategory("TEC", "Technical"),
                                    RbsCategory("TEC.SW", "Software", "TEC")]),
        matrix=ProbabilityImpactMatrix.three_by_three(impact_scales={"schedule": ["5d", "15d"]}),
        appetite=[Appetite(category="TEC", score_limits=[4, 6], exposure_limits=["10000"])],
        escalation_path=["owner", "PM", "board"])
    data = json.loads(pmcore.dumps(project))["project"]["risks"]
    assert data["escalation_path"] == ["owner", "PM", "board"]
    assert data["appetite"] == [{"category": "TEC", "score_limits": [4.0, 6.0],
                                 "exposure_limits": ["10000"]}]
    assert data["matrix"]["impact_scales"] == {"schedule": ["5d", "15d"]}
    again = pmcore.loads(pmcore.dumps(project))
    assert again.risks == project.risks
    assert again.risks.matrix.impact_scales[ImpactDimension.SCHEDULE][1] == \
        pmcore.Duration.parse("15d")


def doc(risks: Any) -> str:
    return json.dumps({"format": "pmcore", "schema_version": 1, "project": {
        "name": "Hand written", "tasks": [{"id": "T1", "name": "Install"}], "risks": risks}})


def test_a_hand_written_register_reads() -> None:
    project = pmcore.loads(doc({"items": [
        {"id": "R-7", "title": "Crane unavailable", "category": "4.3", "status": "assessed",
         "assessment": {"probability": 0.25, "impacts": {"schedule": "5d", "cost": "12000.50",
                                                         "quality": 1}},
         "linked_tasks": ["T1"]}]}))
    risk = project.risks["R-7"]
    assert risk.probability == 0.25
    assert risk.schedule_impact == pmcore.Duration.parse("5d")
    assert risk.cost_impact == Decimal("12000.50")
    assert risk.current().impact("quality").level == 1
    assert risk.emv() == Decimal("-3000.1250")  # 0.25 x 12,000.50, a threat
    # No history in the file: the risk counts from its identification (unknown: always).
    assert project.risks.as_of("2000-01-01") == (risk,)


@pytest.mark.parametrize(("risks", "path", "words"), [
    ({"items": [{"id": "R1", "title": "x", "assessment": {"probability": 1.5}}]},
     "$.project.risks.items[0].assessment", "must be from 0 to 1, got 1.5"),
    ({"items": [{"id": "R1", "title": "x", "assessment": {"impacts": {"cost": 40000.5}}}]},
     "$.project.risks.items[0].assessment.impacts", "an impact is a level"),
    ({"items": [{"id": "R1", "title": "x", "assessment": {"impacts": {"cost": 40000}}}]},
     "$.project.risks.items[0].assessment.impacts",
     "40000 is not a level (1 to 10); write an amount as text: \"40000\""),
    ({"items": [{"id": "R1", "title": "x", "assessment": {"impacts": {"cost": {"value": 4}}}}]},
     "$.project.risks.items[0].assessment.impacts", "the value is text"),
    ({"items": [{"id": "R1", "title": "x", "assessment": {"impacts": {"time": "3d"}}}]},
     "$.project.risks.items[0].assessment", "'time' is not one of"),
    ({"items": [{"id": "R1", "title": "x", "assessment": {"impacts": {"schedule": "soon"}}}]},
     "$.project.risks.items[0].assessment", "soon"),
    ({"items": [{"id": "R1", "title": "x", "status": "done"}]},
     "$.project.risks.items[0].status", "'done' is not one of"),
    ({"items": [{"id": "R1", "title": "x", "colour": "red"}]},
     "$.project.risks.items[0]", "colour"),
    ({"items": [{"id": "R1", "title": "x", "responses": [{"strategy": "exploit"}]}]},
     "$.project.risks.items[0]", "'exploit' is not a response to a threat"),
    ({"items": [{"id": "R1", "title": "x", "responses": [
        {"strategy": "mitigate", "actions": [{"description": "y", "cost": 5.5}]}]}]},
     "$.project.risks.items[0].responses[0].actions[0].cost", "amount as text"),
    ({"items": [{"id": "R1", "title": "x"}, {"id": "R1", "title": "y"}]},
     "$.project", "used by two risks"),
    ({"items": "R1"}, "$.project.risks.items", "a list of items"),
    ({"risks": []}, "$.project.risks", "unknown keys ['risks']"),
    ({"matrix": {"probability_labels": ["a", "b"], "impact_labels": ["a", "b"],
                 "probability_bounds": [0.5, 0.9]}}, "$.project.risks.matrix", "exactly 1"),
    ({"reviews": ["soon"]}, "$.project.risks.reviews", "'soon' is not an ISO date"),
])
def test_bad_values_are_format_errors_with_their_path(risks: Any, path: str,
                                                      words: str) -> None:
    with pytest.raises(FormatError) as info:
        pmcore.loads(doc(risks))
    assert str(info.value.path).startswith(path), info.value
    assert words in str(info.value)
