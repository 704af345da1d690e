"""Hybrid: the phase-gate plan with an agile delivery phase, and the forecast feeding its
delivery milestone.

Hand-worked template on the standard calendar from Monday 2027-01-04 (see test_phasegate.py
for the first two phases, which are phase-gate's): G2 on Wed 02-03 at 17:00; the sprints
(4 x 2w = 40 days) run Thu 02-04 .. Wed 03-31 (2 + 15 in February, 23 in March); the delivery
milestone is Wed 03-31 17:00; Operational readiness (3d) Thu 04-01 .. Mon 04-05; G3 04-05;
Closure (7d) Tue 04-06 .. Wed 04-14.

The forecast oracle is the analytic case of constant history, where every Monte Carlo trial
is the same, so every percentile is one date:

* Kanban, 2 items done every calendar day, 40 items: 20 days. Day 1 is the agile start,
  Thu 02-04, so the work is done by the end of day 20, Tue 02-23. The agile task then lasts
  from Thu 02-04 08:00 to Tue 02-23 17:00: 2 + 5 + 5 + 2 = 14 working days.
* Scrum, 20 points every sprint, 60 points: 3 sprints of 14 calendar days, done by
  02-04 + 42 - 1 days = Wed 03-17. 2 + 15 + 10 + 3 = 30 working days.
"""

from __future__ import annotations

import datetime as dt

import pytest

import pmcore
from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.methodology import HYBRID, forecast_when, hybrid
from pmcore.methodology.hybrid import AGILE_FIELD, DELIVERY_FIELD, AgileMode
from pmcore.methodology.phasegate import GateReview, check, record_review

D = dt.datetime
KANBAN_HYBRID = HYBRID.evolve(name="hybrid-kanban", mode="kanban", flow_estimate="30d")


def test_the_template_puts_the_sprints_and_the_milestone_in_the_delivery_phase() -> None:
    project = pmcore.Project.from_template("hybrid", name="Portal", start="2027-01-04")
    delivery = project.find("Agile delivery")
    assert [t.name for t in project.children(delivery)] == [
        "Sprints (4 x 2w)", "Delivery complete", "Operational readiness"]
    schedule = pmcore.schedule(project)
    sprints, milestone = project.find("Sprints (4 x 2w)"), project.find("Delivery complete")
    assert sprints.custom_fields[AGILE_FIELD] == "scrum"
    assert milestone.custom_fields[DELIVERY_FIELD] is True
    assert milestone.milestone
    assert (schedule[sprints].start, schedule[sprints].finish) == (D(2027, 2, 4, 8),
                                                                   D(2027, 3, 31, 17))
    assert schedule[milestone].finish == D(2027, 3, 31, 17)
    assert schedule[project.find("G3: Accept solution")].finish == D(2027, 4, 5, 17)
    assert schedule.finish == D(2027, 4, 14, 17)
    assert HYBRID.lifecycle == "4 phases, 3 gates; 'deliver' as 4 sprints of 2w"
    # It is a phase-gate plan: the gate rules apply.
    sprints.actual_start = D(2027, 2, 4, 8)
    assert [p.code for p in check(project).problems] == ["gate-not-passed"]
    record_review(project, GateReview(gate="G2", decision="go", date="2027-02-03",
                                      approvers=["Sponsor", "PMO"]))
    assert check(project).ok


def test_a_kanban_flow_forecast_sets_the_delivery_milestone() -> None:
    project = KANBAN_HYBRID.new_project(name="Portal", start="2027-01-04")
    before = pmcore.dumps(project)
    assert project.find("Kanban flow").custom_fields[AGILE_FIELD] == "kanban"
    result = hybrid.forecast(project, [2, 2, 2], 40, seed=7, trials=2000)
    assert result.forecast_date == dt.date(2027, 2, 23)
    assert result.confidence == 85
    assert result.milestone_date == D(2027, 2, 23, 17)
    assert str(result.agile_duration) == "14d"
    # Operational readiness (3d) Wed 02-24 .. Fri 02-26, then G3 and Closure (7d).
    assert result.schedule[result.project.find("G3: Accept solution")].finish == \
        D(2027, 2, 26, 17)
    assert result.finish == D(2027, 3, 9, 17)
    assert pmcore.dumps(project) == before  # the input plan is untouched
    records = {r["name"]: r["date"] for r in result.to_records()}
    assert records["Delivery complete"] == D(2027, 2, 23, 17)
    assert repr(result) == ("HybridForecast(forecast_date=2027-02-23 at 85%, "
                            "milestone=2027-02-23 17:00, finish=2027-03-09 17:00)")


def test_a_velocity_forecast_counts_sprints_of_the_plans_length() -> None:
    project = pmcore.Project.from_template("hybrid", name="Portal", start="2027-01-04")
    result = hybrid.forecast(project, [20, 20], 60, seed=1, trials=1000, confidence=95)
    assert result.forecast_date == dt.date(2027, 3, 17)
    assert result.confidence == 95
    assert result.milestone_date == D(2027, 3, 17, 17)
    assert str(result.agile_duration) == "30d"


def test_apply_forecast_takes_a_when_forecast_or_a_date() -> None:
    project = KANBAN_HYBRID.new_project(name="Portal", start="2027-01-04")
    when = forecast_when([1, 3], 40, trials=5000, seed=3, start="2027-02-04")
    for confidence in (50, 85):
        result = hybrid.apply_forecast(project, when, confidence=confidence)
        assert result.forecast_date == when.date(confidence)
        assert result.milestone_date.date() <= when.date(confidence)
    # A Saturday: the milestone is the last working time before its end, Friday 17:00.
    saturday = hybrid.apply_forecast(project, "2027-02-27")
    assert saturday.confidence is None
    assert saturday.milestone_date == D(2027, 2, 26, 17)
    with pytest.raises(ValidationError, match="is not after the agile work starts"):
        hybrid.apply_forecast(project, dt.date(2027, 2, 1))
    with pytest.raises(ValidationError, match="forecast"):
        hybrid.apply_forecast(project, "someday")


def test_the_agile_start_follows_progress() -> None:
    project = KANBAN_HYBRID.new_project(name="Portal", start="2027-01-04")
    flow = project.find("Kanban flow")
    flow.actual_start = D(2027, 2, 8, 8)
    assert hybrid.agile_start(project) == dt.date(2027, 2, 8)


def test_bad_hybrid_definitions_and_plans() -> None:
    with pytest.raises(UnknownReferenceError, match="phase id 'build'"):
        HYBRID.evolve(delivery="build")
    with pytest.raises(ValidationError, match="'scrum' or 'kanban'"):
        HYBRID.evolve(mode="xp")
    with pytest.raises(ValidationError, match="flow_estimate"):
        HYBRID.evolve(flow_estimate="0d")
    with pytest.raises(ValidationError) as info:
        HYBRID.evolve(sprint_length="3ed")
    assert str(info.value) == ("methodology 'hybrid'.sprint_length: must be a positive working "
                               "duration, got 3ed")
    with pytest.raises(ValidationError) as info:
        HYBRID.evolve(sprints=0)
    assert str(info.value) == "methodology 'hybrid'.sprints: must be a whole number >= 1, got 0"
    assert HYBRID.evolve(mode="kanban").mode is AgileMode.KANBAN
    plain = pmcore.Project.from_template("phase-gate", name="ERP", start="2027-01-04")
    with pytest.raises(ValidationError, match="one agile task"):
        hybrid.forecast(plain, [1], 10, seed=1)
    broken = pmcore.Project.from_template("hybrid", name="Portal", start="2027-01-04")
    broken.remove_task(broken.find("Delivery complete"))
    [problem] = pmcore.validate(broken)
    assert problem.code == "agile-delivery"
    assert "found 1 and 0" in str(problem)


def test_a_scrum_release_forecast_feeds_the_milestone() -> None:
    from pmcore.methodology.scrum import Sprint, forecast_release

    # Two past sprints of 20 points each (Monday to the Friday after next, 12 calendar days,
    # every 14 days). 40 points left: two sprints in every trial. From the plan's agile start,
    # Thursday 02-04, the sprints run 02-04 .. 02-15 and 02-18 .. 03-01: done by Monday 03-01.
    history = [Sprint(name="S1", start="2027-01-04", end="2027-01-15", completed_points=20),
               Sprint(name="S2", start="2027-01-18", end="2027-01-29", completed_points=20)]
    project = pmcore.Project.from_template("hybrid", name="Portal", start="2027-01-04")
    release = forecast_release(40, history, start=hybrid.agile_start(project), seed=5,
                               trials=2000)
    assert release.date(85) == dt.date(2027, 3, 1)
    result = hybrid.apply_forecast(project, release)
    assert result.milestone_date == D(2027, 3, 1, 17)
    assert str(result.agile_duration) == "18d"  # 2 + 15 + 1 working days
