"""Appetite per category and escalation through pmcore_on_risk_escalated: the level reached,
the path carried, crossing (not staying above) raises the event, and a return within
appetite de-escalates quietly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.plugins import hookimpl, make_plugin_manager
from pmcore.risk import (
    Appetite,
    ChangeAction,
    RiskEscalation,
    RiskRegister,
    check_appetite,
)


class Inbox:
    """A plugin that keeps the escalations it is told about."""

    def __init__(self) -> None:
        self.received: list[RiskEscalation] = []

    @hookimpl
    def pmcore_on_risk_escalated(self, escalation: RiskEscalation) -> None:
        self.received.append(escalation)


def register() -> RiskRegister:
    reg = RiskRegister(appetite=[
        # Commercial risk (3) and below: exposure over 10,000 goes to the project manager,
        # over 50,000 to the PMO, over 200,000 to the sponsor.
        Appetite(category="3", exposure_limits=["10000", "50000", "200000"]),
        # Everything else: a score over 12 goes to the project manager, over 19 to the PMO.
        Appetite(score_limits=[12, 19]),
    ])
    reg.add("Vendor late", on="2027-01-04", category="3.3", owner="Ann", probability=0.3,
            impacts={"cost": "40000"})                                  # exposure 12,000
    reg.add("Key engineer leaves", on="2027-01-04", category="2.5", probability=0.6,
            impacts={"schedule": 5})                                    # score 4 x 5 = 20
    reg.add("Minor rework", on="2027-01-04", category="1.4", probability=0.2,
            impacts={"quality": 2})                                     # score 2 x 2 = 4
    return reg


def test_crossing_the_appetite_escalates_with_the_path_and_level() -> None:
    inbox = Inbox()
    pm = make_plugin_manager(entry_points=False, plugins=[("inbox", inbox)])
    reg = register()
    report = check_appetite(reg, on="2027-01-11", plugins=pm)
    # Vendor: 12,000 > 10,000 but not > 50,000 -> level 1, the project manager.
    # Engineer: no appetite for 2.5 or 2, so the register's: 20 > 12 and 20 > 19 -> PMO.
    assert [(e.risk.id, e.level, e.escalate_to, e.reason) for e in report] == [
        ("RISK-1", 1, "project manager", "exposure 12000.0 > 10000"),
        ("RISK-2", 2, "PMO", "score 20 > 19")]
    assert inbox.received == list(report)
    event = inbox.received[1]
    assert event.path == ("owner", "project manager", "PMO", "sponsor")
    assert event.chain == ("owner", "project manager", "PMO")
    assert (event.previous_level, event.score, event.exposure) == (0, 20.0, Decimal(0))
    assert reg["RISK-2"].escalation_level == 2
    assert reg.history.of("RISK-2").changes[-1].action is ChangeAction.ESCALATED
    assert report.to_records()[0]["chain"] == "owner -> project manager"
    # Checking again raises nothing: the risks are already at those levels.
    assert len(check_appetite(reg, on="2027-01-12", plugins=pm)) == 0
    assert len(inbox.received) == 2


def test_a_rise_escalates_again_and_a_fall_is_recorded_quietly() -> None:
    inbox = Inbox()
    pm = make_plugin_manager(entry_points=False, plugins=[inbox])
    reg = register()
    check_appetite(reg, on="2027-01-11", plugins=pm)
    reg.update("RISK-1", on="2027-01-20", probability=0.5, impacts={"cost": "500000"})
    # 0.5 x 500,000 = 250,000 > 200,000: the sponsor.
    (event,) = check_appetite(reg, on="2027-01-20", plugins=pm)
    assert (event.previous_level, event.level, event.escalate_to) == (1, 3, "sponsor")
    reg.update("RISK-1", on="2027-01-25", probability=0.01)  # 5,000: within appetite
    assert len(check_appetite(reg, on="2027-01-25", plugins=pm)) == 0
    assert reg["RISK-1"].escalation_level == 0
    assert reg.history.of("RISK-1").changes[-1].note == "back within appetite"
    assert len(inbox.received) == 3


def test_closed_risks_and_a_register_without_appetite_raise_nothing() -> None:
    reg = register()
    reg.close("RISK-1", on="2027-01-05")
    reg.close("RISK-2", on="2027-01-05")
    assert len(check_appetite(reg, on="2027-01-11")) == 0
    plain = RiskRegister()
    plain.add("x", on="2027-01-04", probability=1.0, impacts={"cost": "999999999"})
    assert len(check_appetite(plain, on="2027-01-11")) == 0


def test_a_custom_path_and_a_subcategory_using_its_parents_appetite() -> None:
    reg = RiskRegister(escalation_path=["owner", "board"],
                       appetite=[Appetite(category="4", score_limits=[9])])
    reg.add("Regulation changes", on="2027-01-04", category="4.6", probability=0.9,
            impacts={"scope": 4})  # 5 x 4 = 20 > 9
    (event,) = check_appetite(reg, on="2027-01-05")
    assert (event.level, event.escalate_to, event.chain) == (1, "board", ("owner", "board"))
    assert reg.appetite_for("4.6") == Appetite(category="4", score_limits=[9])
    assert reg.appetite_for("1.1") is None


def test_appetite_is_checked() -> None:
    with pytest.raises(ValidationError, match="needs score_limits or exposure_limits"):
        Appetite(category="3")
    with pytest.raises(ValidationError, match="limits must rise"):
        Appetite(score_limits=[10, 5])
    with pytest.raises(UnknownReferenceError, match="unknown risk category id '9'"):
        RiskRegister(appetite=[Appetite(category="9", score_limits=[5])])
    with pytest.raises(ValidationError, match="has 3 limits but the escalation path has only 1"):
        RiskRegister(escalation_path=["owner", "board"],
                     appetite=[Appetite(score_limits=[1, 2, 3])])
    with pytest.raises(ValidationError, match="is given twice"):
        RiskRegister(appetite=[Appetite(score_limits=[1]), Appetite(score_limits=[2])])
    with pytest.raises(ValidationError, match="at least two names"):
        RiskRegister(escalation_path=["owner"])
    reg = RiskRegister()
    reg.set_appetite(Appetite(category="1", score_limits=[4]))
    assert reg.appetite_for("1.5") is not None


def test_report_repr() -> None:
    assert repr(check_appetite(register(), on="2027-01-11")) == \
        "EscalationReport([RISK-1 -> project manager, RISK-2 -> PMO])"
