"""The register: lifecycle rules, dated history, the issue log, the trend replayed from the
history (worked by hand over three review dates), and validation through the hook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import pmcore
from pmcore.errors import CycleError, UnknownReferenceError, ValidationError
from pmcore.risk import (
    TRANSITIONS,
    Assessment,
    ChangeAction,
    IssueStatus,
    RbsCategory,
    ResponseAction,
    Risk,
    RiskBreakdownStructure,
    RiskRegister,
    RiskResponse,
    RiskStatus,
)

S = RiskStatus
MITIGATE = RiskResponse(strategy="mitigate", actions=[ResponseAction(description="dual source",
                                                                     cost="2500")])


def test_the_lifecycle_table() -> None:
    assert TRANSITIONS[S.IDENTIFIED] == {S.ASSESSED, S.CLOSED, S.OCCURRED}
    assert TRANSITIONS[S.ASSESSED] == {S.RESPONSE_PLANNED, S.CLOSED, S.OCCURRED}
    assert TRANSITIONS[S.RESPONSE_PLANNED] == {S.IN_PROGRESS, S.ASSESSED, S.CLOSED, S.OCCURRED}
    assert TRANSITIONS[S.IN_PROGRESS] == {S.ASSESSED, S.CLOSED, S.OCCURRED}
    assert TRANSITIONS[S.OCCURRED] == {S.CLOSED}
    assert TRANSITIONS[S.CLOSED] == frozenset()


def test_the_happy_path_is_recorded_with_dates() -> None:
    register = RiskRegister()
    risk = register.add("Vendor late", on="2027-01-04", owner="Ann")
    assert risk.id == "RISK-1"
    assert risk.identified_on == dt.date(2027, 1, 4)
    register.transition(risk, "assessed", on="2027-01-05", probability=0.3,
                        impacts={"cost": "40000"})
    register.add_response(risk, MITIGATE, on="2027-01-06")
    register.transition(risk, S.RESPONSE_PLANNED, on="2027-01-06")
    register.transition(risk, S.IN_PROGRESS, on="2027-01-10", note="supplier B engaged")
    closed = register.close(risk, on="2027-02-01", note="delivered")
    assert closed.status is S.CLOSED
    assert register[risk].status is S.CLOSED  # an old copy finds the current version
    records = register.history.to_records()
    assert [(r["on"], r["action"], r["from_status"], r["to_status"]) for r in records] == [
        (dt.date(2027, 1, 4), "added", None, "identified"),
        (dt.date(2027, 1, 5), "transitioned", "identified", "assessed"),
        (dt.date(2027, 1, 6), "updated", "assessed", "assessed"),
        (dt.date(2027, 1, 6), "transitioned", "assessed", "response_planned"),
        (dt.date(2027, 1, 10), "transitioned", "response_planned", "in_progress"),
        (dt.date(2027, 2, 1), "transitioned", "in_progress", "closed")]
    assert records[1]["changed"] == "status, assessment"
    assert records[4]["note"] == "supplier B engaged"
    assert closed.response_cost == Decimal("2500")


@pytest.mark.parametrize(("path", "target", "words"), [
    ([], "response_planned", "cannot move from 'identified' to 'response_planned' "
                             "(allowed: assessed, closed, occurred)"),
    ([], "in_progress", "cannot move from 'identified'"),
    (["closed"], "assessed", "(allowed: none)"),
    (["occurred"], "assessed", "(allowed: closed)"),
])
def test_moves_outside_the_lifecycle_are_refused(path: list[str], target: str,
                                                 words: str) -> None:
    register = RiskRegister()
    risk = register.add("x", on="2027-01-04", probability=0.5, impacts={"cost": 2})
    for status in path:
        register.transition(risk, status, on="2027-01-05")
    with pytest.raises(ValidationError) as info:
        register.transition(risk, target, on="2027-01-06")
    assert words in str(info.value)
    assert info.value.field == "status"
    assert info.value.entity == "risk 'RISK-1' (x)"


def test_guards_need_an_assessment_and_a_response() -> None:
    register = RiskRegister()
    risk = register.add("x", on="2027-01-04")
    with pytest.raises(ValidationError, match="cannot be assessed without a probability"):
        register.transition(risk, "assessed", on="2027-01-05")
    register.transition(risk, "assessed", on="2027-01-05", probability=0.2)
    with pytest.raises(ValidationError, match="cannot be response planned without a response"):
        register.transition(risk, "response_planned", on="2027-01-06")
    assert register[risk].status is S.ASSESSED  # refused moves change nothing
    assert len(register.history) == 2


def test_dates_and_managed_fields() -> None:
    register = RiskRegister()
    with pytest.raises(ValidationError, match="needs a date"):
        register.add("undated")
    risk = register.add("x", on="2027-01-10")
    with pytest.raises(ValidationError, match="cannot come before the last one, on 2027-01-10"):
        register.update(risk, on="2027-01-09", owner="Bob")
    with pytest.raises(ValidationError, match="status cannot be changed by update "
                                              r"\(use transition\)"):
        register.update(risk, on="2027-01-11", status="closed")
    with pytest.raises(ValidationError, match="already used by another risk"):
        register.add(Risk(id="RISK-1", title="again"), on="2027-01-10")
    # An update that changes nothing records nothing.
    assert register.update(risk, on="2027-01-11", owner="") == risk
    assert len(register.history) == 1


def test_update_keeps_the_other_half_of_the_assessment() -> None:
    register = RiskRegister()
    risk = register.add("x", on="2027-01-04", probability=0.4, impacts={"cost": "1000"})
    risk = register.update(risk, on="2027-01-05", probability=0.1)
    assert risk.cost_impact == Decimal("1000")
    assert risk.probability == 0.1
    with pytest.raises(ValidationError, match="from 0 to 1"):
        register.update(risk, on="2027-01-05", probability=-0.1)


def test_categories_come_from_the_rbs() -> None:
    register = RiskRegister()
    assert register.add("x", on="2027-01-04", category="3.3").category == "3.3"
    with pytest.raises(UnknownReferenceError, match="unknown risk category id '9.9'"):
        register.add("y", on="2027-01-04", category="9.9")
    # An empty RBS takes any code.
    free = RiskRegister(rbs=RiskBreakdownStructure())
    assert free.add("z", on="2027-01-04", category="anything").category == "anything"
    assert [c.name for c in register.rbs.path("3.3")] == ["Commercial risk",
                                                          "Suppliers and vendors"]
    assert [c.code for c in register.rbs.children()] == ["1", "2", "3", "4"]
    assert len(register.rbs) == 28
    assert register.rbs.to_records()[1] == {"code": "1.1", "name": "Scope definition",
                                            "parent": "1", "level": 2,
                                            "path": "Technical risk / Scope definition"}


def test_bad_rbs_trees() -> None:
    with pytest.raises(CycleError, match="category cycle: A -> B -> A"):
        RiskBreakdownStructure([RbsCategory("A", "a", "B"), RbsCategory("B", "b", "A")])
    with pytest.raises(UnknownReferenceError, match="unknown risk category id 'Z'"):
        RiskBreakdownStructure([RbsCategory("A", "a", "Z")])
    with pytest.raises(ValidationError, match="code 'A' is used twice"):
        RiskBreakdownStructure([RbsCategory("A", "a"), RbsCategory("A", "b")])


def test_secondary_risks() -> None:
    register = RiskRegister()
    vendor = register.add("Vendor late", on="2027-01-04")
    second = register.add("Supplier B quality", on="2027-01-06", secondary_of=vendor.id)
    assert register.secondary_risks(vendor) == (second,)
    with pytest.raises(UnknownReferenceError, match="unknown risk id 'RISK-9'"):
        register.add("orphan", on="2027-01-06", secondary_of="RISK-9")


def test_risk_values_are_checked() -> None:
    with pytest.raises(ValidationError, match="'exploit' is not a response to a threat"):
        Risk(id="R", title="t", responses=[RiskResponse(strategy="exploit")])
    with pytest.raises(ValidationError, match="'avoid' is not a response to an opportunity"):
        Risk(id="R", title="t", kind="opportunity", responses=[RiskResponse(strategy="avoid")])
    with pytest.raises(ValidationError, match="tasks listed twice: T1"):
        Risk(id="R", title="t", linked_tasks=["T1", "T1"])
    with pytest.raises(ValidationError, match="money is exact"):
        Assessment(probability=0.5, impacts={"cost": 1000.5})
    with pytest.raises(ValidationError, match="must not be negative"):
        Assessment(probability=0.5, impacts={"schedule": "-2d"})
    with pytest.raises(ValidationError, match="a schedule impact is a duration"):
        Assessment(probability=0.5, impacts={"schedule": Decimal(3)})
    with pytest.raises(ValidationError, match="must be from 0 to 1, got 2"):
        Assessment(probability=2)
    assert RiskResponse(strategy="accept").strategy.value == "accept"  # both kinds
    assert Risk(id="O", title="o", kind="opportunity",
                responses=[RiskResponse(strategy="accept"),
                           RiskResponse(strategy="exploit")]).responses[1].strategy.value == \
        "exploit"
    statement = Risk(id="R", title="t", cause="a single supplier",
                     event="late delivery", effect="a slipped launch").description
    assert statement == ("Because of a single supplier, late delivery may occur, which would "
                         "lead to a slipped launch.")


def test_occurred_risks_open_issues() -> None:
    register = RiskRegister()
    crane = register.add("Crane unavailable", on="2027-01-04", owner="Ann")
    flood = register.add("Site flood", on="2027-01-04", owner="Bob")
    issue = register.occurred(crane, on="2027-02-03", description="crane broke down",
                              schedule_impact="3d", cost_impact="8000")
    assert register[crane].status is S.OCCURRED
    assert (issue.id, issue.risk_id, issue.owner, issue.raised_on) == \
        ("ISSUE-1", crane.id, "Ann", dt.date(2027, 2, 3))
    assert issue.cost_impact == Decimal("8000")
    register.transition(flood, "occurred", on="2027-02-05")  # opens one with no details
    register.resolve_issue("ISSUE-1", on="2027-02-10", resolution="hired another crane")
    log = register.issues
    assert [i.id for i in log] == ["ISSUE-2", "ISSUE-1"]  # open first
    assert [i.id for i in log.open] == ["ISSUE-2"]
    assert log.to_records()[1]["status"] == "resolved"
    assert log.to_records()[1]["schedule_impact"] == "3d"
    assert register.issue("ISSUE-1").status is IssueStatus.RESOLVED
    with pytest.raises(ValidationError, match="was resolved on 2027-02-10"):
        register.resolve_issue("ISSUE-1", on="2027-02-11")
    with pytest.raises(ValidationError, match="resolved on 2027-01-01 before it was raised"):
        register.resolve_issue("ISSUE-2", on="2027-01-01")
    with pytest.raises(ValidationError, match="cannot occur once occurred"):
        register.occurred(crane, on="2027-02-12")
    register.close(crane, on="2027-02-12")


def three_reviews() -> RiskRegister:
    register = RiskRegister()
    a = register.add("A", on="2027-01-04", probability=0.5, impacts={"cost": "10000",
                                                                    "schedule": "4d"})
    b = register.add("B", on="2027-01-04", probability=0.2, impacts={"cost": "50000"})
    c = register.add("C", on="2027-01-04", kind="opportunity", probability=0.4,
                     impacts={"cost": "5000"})
    register.review("2027-01-15")
    register.update(a, on="2027-01-20", probability=0.3)
    d = register.add("D", on="2027-01-25", probability=0.1, impacts={"cost": "20000"})
    register.review("2027-02-01")
    register.close(b, on="2027-02-10")
    register.occurred(c, on="2027-02-12")
    register.update(d, on="2027-02-14", impacts={"cost": "30000"})
    register.review("2027-02-15")
    return register


def test_the_trend_over_three_reviews_by_hand() -> None:
    trend = three_reviews().trend()
    # 15 Jan: A 0.5 x 10,000 = 5,000 and B 0.2 x 50,000 = 10,000: threats 15,000;
    #         C 0.4 x 5,000 = 2,000 (opportunity); net -13,000; schedule 0.5 x 4d = 2 days.
    # 1 Feb:  A now 0.3 x 10,000 = 3,000; B 10,000; D 0.1 x 20,000 = 2,000: 15,000;
    #         C 2,000; net -13,000; schedule 0.3 x 4 = 1.2 days.
    # 15 Feb: B closed, C occurred; A 3,000 and D 0.1 x 30,000 = 3,000: 6,000; no
    #         opportunity left; net -6,000.
    assert [(p.on, p.open_risks, p.threat_exposure, p.opportunity_exposure, p.net_emv)
            for p in trend] == [
        (dt.date(2027, 1, 15), 3, Decimal("15000"), Decimal("2000"), Decimal("-13000")),
        (dt.date(2027, 2, 1), 4, Decimal("15000"), Decimal("2000"), Decimal("-13000")),
        (dt.date(2027, 2, 15), 2, Decimal("6000"), Decimal("0"), Decimal("-6000"))]
    assert [p.schedule_exposure for p in trend] == pytest.approx([2.0, 1.2, 1.2])
    assert trend.to_records()[2]["threat_exposure"] == Decimal("6000")


def test_the_past_is_replayed_for_any_date() -> None:
    register = three_reviews()
    assert register.as_of("2027-01-03") == ()
    assert [r.probability for r in register.as_of("2027-01-19")][:1] == [0.5]
    assert [r.title for r in register.as_of("2027-02-11") if r.is_open] == ["A", "C", "D"]
    # Any dates, in any order, once each.
    dates = [p.on for p in register.trend(["2027-02-20", "2027-01-10", "2027-01-10"])]
    assert dates == [dt.date(2027, 1, 10), dt.date(2027, 2, 20)]


def test_registers_compare_by_content_and_show_counts() -> None:
    assert three_reviews() == three_reviews()
    assert repr(three_reviews()) == "RiskRegister(risks=4, open=2, issues=1, reviews=3)"
    assert three_reviews().history.of("RISK-1").to_records()[1]["changed"] == "assessment"
    assert [c.action for c in three_reviews().history.of("RISK-3")] == [
        ChangeAction.ADDED, ChangeAction.TRANSITIONED]


def test_register_records() -> None:
    register = RiskRegister()
    risk = register.add("Vendor late", on="2027-01-04", category="3.3", owner="Ann",
                        probability=0.3, impacts={"cost": "40000", "schedule": "10d"},
                        linked_tasks=["T2", "T3"], responses=[MITIGATE],
                        residual={"probability": 0.1, "impacts": {"cost": "40000"}})
    record = register.to_records()[0]
    assert record["id"] == risk.id
    assert record["category_name"] == "Suppliers and vendors"
    assert record["emv"] == Decimal("-12000")
    assert record["residual_emv"] == Decimal("-4000")
    assert record["linked_tasks"] == "T2, T3"
    assert record["responses"] == "mitigate"
    assert record["schedule_impact"] == "10d"


def test_the_project_validates_linked_tasks_through_the_hook() -> None:
    project = pmcore.Project("Plant", start="2027-01-04")
    build = project.add_task("Build", "10d")
    risks = project.risks
    risks.add("Vendor late", on="2027-01-04", linked_tasks=[build.id, "T9"])
    risks.add("Orphan", on="2027-01-04", secondary_of="RISK-1")
    report = pmcore.validate(project)
    assert [(p.code, p.severity.value, str(p.error)) for p in report] == [
        ("risk-unknown-task", "error", "risk 'RISK-1' (Vendor late).linked_tasks: unknown task "
                                       "id 'T9'")]
    # A strict read refuses the file; a lenient one reports every problem.
    text = pmcore.dumps(project)
    with pytest.raises(UnknownReferenceError, match="unknown task id 'T9'"):
        pmcore.loads(text)
    assert not pmcore.validate(pmcore.loads(text, strict=False)).ok


def test_validation_of_a_hand_made_register() -> None:
    project = pmcore.Project("Plant", start="2027-01-04")
    project.risks = RiskRegister.restore(
        risks=[Risk(id="R1", title="a", category="9.9", secondary_of="R7", status="in_progress")],
        issues=[pmcore.risk.Issue(id="I1", risk_id="R8", title="x", raised_on="2027-01-05")])
    codes = [(p.code, p.severity.value, p.error.field) for p in pmcore.validate(project)]
    assert codes == [("risk-unknown-category", "error", "category"),
                     ("risk-unknown-risk", "error", "secondary_of"),
                     ("issue-unknown-risk", "error", "risk_id"),
                     ("risk-not-assessed", "warning", "assessment"),
                     ("risk-without-response", "warning", "responses")]


def test_review_agenda_and_approaching_risks() -> None:
    register = RiskRegister()
    register.add("a", on="2027-01-04", review_on="2027-02-01", proximity="2027-03-10")
    register.add("b", on="2027-01-04", review_on="2027-01-20", proximity="2027-02-20")
    register.add("c", on="2027-01-04", review_on="2027-01-10")
    register.add("d", on="2027-01-04", proximity="2027-02-01")
    register.close("RISK-3", on="2027-01-05")
    # On 1 Feb: b (20 Jan) then a (1 Feb) are due; c is closed, d has no review date.
    assert [r.title for r in register.due_for_review("2027-02-01")] == ["b", "a"]
    assert register.due_for_review("2027-01-19") == ()
    # From 1 Feb, 30 days on (to 3 Mar): d on 1 Feb and b on 20 Feb; a (10 Mar) is later.
    assert [r.title for r in register.approaching("2027-02-01", within=30)] == ["d", "b"]


def test_impact_values_name_the_dimension() -> None:
    with pytest.raises(ValidationError) as info:
        Assessment(probability=0.5, impacts={"cost": {"level": "3"}})
    assert str(info.value) == ("assessment.impacts['cost']: must be a whole number from 1 to "
                               "10, got '3'")
    with pytest.raises(ValidationError) as info:
        Assessment(probability=0.5, impacts={"cost": 40000})  # a level, not an amount
    assert str(info.value) == ("assessment.impacts['cost']: must be a whole number from 1 to "
                               "10, got 40000; an amount is written Decimal(40000) or '40000'")
    with pytest.raises(ValidationError, match=r"impacts\['cost'\]: unknown keys \['size'\]"):
        Assessment(probability=0.5, impacts={"cost": {"size": 3}})
    both = Assessment(probability=0.5, impacts={"schedule": {"level": 2, "value": "3d"}})
    assert both.impact("schedule").level == 2
    assert both.schedule == pmcore.Duration.parse("3d")


def test_response_benefit_and_actions_due() -> None:
    register = RiskRegister()
    plan = RiskResponse(strategy="mitigate", actions=[
        ResponseAction(description="audit supplier B", due="2027-02-05", cost="4500"),
        ResponseAction(description="sign framework deal", due="2027-01-20", done=True),
        ResponseAction(description="stock spares", due="2027-03-01")])
    vendor = register.add("Vendor late", on="2027-01-04", probability=0.3,
                          impacts={"cost": "40000"}, responses=[plan],
                          residual={"probability": 0.1, "impacts": {"cost": "40000"}})
    # 0.3 x 40,000 = 12,000 before, 0.1 x 40,000 = 4,000 after, for 4,500: 3,500 gained.
    assert vendor.response_benefit() == Decimal("3500")
    assert register.to_records()[0]["response_benefit"] == Decimal("3500")
    assert register.add("bare", on="2027-01-04").response_benefit() is None
    # On 10 Feb only the audit is due and not done (the deal is done, the spares later).
    assert [a.description for _, a in register.actions_due("2027-02-10")] == ["audit supplier B"]
    assert [r.id for r, _ in register.actions_due("2027-03-01")] == [vendor.id, vendor.id]
    register.close(vendor, on="2027-03-02")
    assert register.actions_due("2027-03-02") == ()


def test_result_reprs_are_short() -> None:
    register = three_reviews()
    assert repr(register.history) == "RiskHistory(changes=8, 2027-01-04 to 2027-02-14)"
    assert repr(register.issues) == "IssueLog(issues=1, open=1)"
    assert repr(register.trend()) == ("RiskTrend(threat_exposure={2027-01-15: 15000.0, "
                                      "2027-02-01: 15000.0, 2027-02-15: 6000.0})")


def test_registers_copy_and_pickle_with_their_project() -> None:
    import copy
    import pickle

    from pmcore.risk import ProbabilityImpactMatrix

    project = pmcore.Project("Plant", start="2027-01-04")
    project.risks = three_reviews()
    project.risks.matrix = ProbabilityImpactMatrix.five_by_five(
        impact_scales={"cost": ["5000", "20000", "50000", "100000"]})
    # What-if analyses deep-copy a project; process pools pickle it.
    assert copy.deepcopy(project) == project
    assert pickle.loads(pickle.dumps(project)) == project
    # The default matrix is shared by every register, so it cannot be changed in place.
    with pytest.raises(TypeError, match="cannot be changed"):
        ProbabilityImpactMatrix.five_by_five().impact_scales["cost"] = ()  # type: ignore[index]
    assert ProbabilityImpactMatrix.five_by_five().impact_scales == {}
