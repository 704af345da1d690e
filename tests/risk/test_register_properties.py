"""Invariants of the register over random histories: the trend replayed from the history
equals the exposure measured live on each review date, every recorded move is allowed, and
the file round trip is lossless."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pmcore
from pmcore.risk import TRANSITIONS, ChangeAction, RiskKind, RiskResponse, RiskStatus

START = dt.date(2027, 1, 4)

operation = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["threat", "opportunity"]),
              st.integers(0, 100).map(lambda p: p / 100), st.integers(0, 100_000),
              st.integers(0, 30)),
    st.tuples(st.just("reassess"), st.integers(0, 50), st.integers(0, 100).map(lambda p: p / 100)),
    st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(list(RiskStatus))),
    st.tuples(st.just("review")),
)


def live_exposure(register: pmcore.risk.RiskRegister) -> tuple[int, Decimal, Decimal]:
    threats = opportunities = Decimal(0)
    count = 0
    for risk in register.open_risks:
        count += 1
        amount = Decimal(str(risk.probability)) * risk.cost_impact
        if risk.kind is RiskKind.THREAT:
            threats += amount
        else:
            opportunities += amount
    return count, threats, opportunities


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 3), operation), min_size=1, max_size=25))
def test_random_histories(steps: list[tuple[int, tuple[object, ...]]]) -> None:
    project = pmcore.Project("Random", id="random", start="2027-01-04")
    project.add_task("Work", "10d")
    register = project.risks
    day = START
    measured: dict[dt.date, tuple[int, Decimal, Decimal]] = {}
    for gap, op in steps:
        day += dt.timedelta(days=gap)
        risks = register.risks
        if op[0] == "add":
            _, kind, probability, cost, days = op
            register.add(f"risk {len(risks) + 1}", on=day, kind=kind, probability=probability,
                         impacts={"cost": str(cost), "schedule": f"{days}d"},
                         linked_tasks=["T1"])
        elif op[0] == "reassess" and risks:
            _, index, probability = op
            risk = risks[int(index) % len(risks)]
            if risk.is_open:
                register.update(risk, on=day, probability=probability)
        elif op[0] == "move" and risks:
            _, index, status = op
            risk = risks[int(index) % len(risks)]
            if status in TRANSITIONS[risk.status]:
                if status in (RiskStatus.RESPONSE_PLANNED, RiskStatus.IN_PROGRESS) \
                        and not risk.responses:
                    strategy = "mitigate" if risk.kind is RiskKind.THREAT else "enhance"
                    register.add_response(risk, RiskResponse(strategy=strategy), on=day)
                register.transition(risk, status, on=day)
        elif op[0] == "review":
            register.review(day)
        if day in register.reviews:  # a review counts the day's state at its end
            measured[day] = live_exposure(register)
    # The trend, replayed from the history afterwards, is what was measured at the time.
    trend = register.trend()
    assert [p.on for p in trend] == sorted(measured)
    for point in trend:
        assert (point.open_risks, point.threat_exposure, point.opportunity_exposure) == \
            measured[point.on]
        assert point.net_emv == point.opportunity_exposure - point.threat_exposure
    # Every recorded move is allowed, and each entry holds the risk as it became.
    for change in register.history:
        assert change.risk.status is change.to_status
        if change.action is ChangeAction.TRANSITIONED:
            assert change.from_status is not None
            assert change.to_status in TRANSITIONS[change.from_status]
    assert register.as_of(day) == register.risks
    # Issues are opened exactly for the risks that occurred (some since closed).
    assert sorted(i.risk_id for i in register.issues) == \
        sorted(c.risk_id for c in register.history if c.to_status is RiskStatus.OCCURRED
               and c.from_status is not RiskStatus.OCCURRED)
    # The file keeps everything, and writing again gives the same text.
    text = pmcore.dumps(project)
    again = pmcore.loads(text)
    assert again == project
    assert pmcore.dumps(again) == text
    assert again.risks.trend() == trend
