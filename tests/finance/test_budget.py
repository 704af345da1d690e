"""Budget against actual and forecast by account and week, on the plan of test_evm.py.

Original budget (the baseline): CA-1 (Design) 2,000 in the week of 4 Jan; CA-2 (Build)
2,900 in each of the weeks of 11 and 18 Jan. CR-1 adds 580 to Build on 14 Jan (+10 %):
revised 3,190 + 3,190. As of Friday 15 Jan:

* CA-1: actual 2,100 in week 1; Design is 80 % done and should have finished, so the
  remaining 2,000 x 20 % = 400 falls in the period after the status date (week 2).
* CA-2: actual 1,500 in week 2; Build is 30 % done: 5,800 x 70 % = 4,060 remains, all in
  week 3 (its current dates after the status date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pmcore
from pmcore.finance import (
    BudgetRevision,
    CostPlan,
    approve_budget,
    budget_report,
    evm,
    read_cost_plan,
    write_cost_plan,
)

D = Decimal
W1, W2, W3 = dt.date(2027, 1, 4), dt.date(2027, 1, 11), dt.date(2027, 1, 18)
Portal = Callable[[], tuple[pmcore.Project, CostPlan]]


def _report(portal: Portal) -> pmcore.finance.BudgetReport:
    project, plan = portal()
    revised = CostPlan(accounts=plan.accounts, actuals=plan.actuals, revisions=[
        BudgetRevision(id="CR-1", task="T2", amount="580", approved_on="2027-01-14",
                       approved_by="Steering committee", reason="extra interface")])
    return budget_report(project, revised, as_of="2027-01-15", period="week")


def test_rows_by_account_and_week(portal: Portal) -> None:
    rows = {(r.account, r.period): (r.original, r.revised, r.actual, r.forecast, r.variance)
            for r in _report(portal).rows}
    assert rows == {
        ("CA-1", W1): (D(2000), D(2000), D(2100), D(2100), D(-100)),
        ("CA-1", W2): (0, 0, 0, D(400), D(-400)),
        ("CA-1", W3): (0, 0, 0, 0, 0),
        ("CA-2", W1): (0, 0, 0, 0, 0),
        ("CA-2", W2): (D(2900), D(3190), D(1500), D(1500), D(1690)),
        ("CA-2", W3): (D(2900), D(3190), 0, D(4060), D(-870)),
    }


def test_totals_keep_the_original_baseline(portal: Portal) -> None:
    report = _report(portal)
    # The forecast total equals the bottom-up EAC of test_evm.py (3600 + 4460).
    assert report.totals() == {"original": D(7800), "revised": D(8380), "actual": D(3600),
                               "forecast": D(8060), "variance": D(320)}
    assert [r.id for r in report.revisions] == ["CR-1"]
    assert report.by_account()["CA-2"]["variance"] == D(820)


def test_a_revision_not_yet_approved_is_left_out(portal: Portal) -> None:
    project, plan = portal()
    later = CostPlan(accounts=plan.accounts, actuals=plan.actuals, revisions=[
        BudgetRevision(id="CR-2", task="T2", amount="-580", approved_on="2027-02-01",
                       approved_by="Sponsor", source="new_funds")])
    report = budget_report(project, later, as_of="2027-01-15", period="month")
    assert report.totals()["revised"] == D(7800)
    assert report.revisions == ()
    assert [r.label for r in report.rows] == ["2027-01", "2027-01"]


def test_records_to_the_cent(portal: Portal) -> None:
    record = _report(portal).to_records()[0]
    assert record == {"account": "CA-1", "period": W1, "label": "2027-W01",
                      "original": D("2000.00"), "revised": D("2000.00"),
                      "actual": D("2100.00"), "forecast": D("2100.00"),
                      "variance": D("-100.00"), "currency": "EUR"}


def test_an_approved_budget_does_not_move_with_later_changes(portal: Portal) -> None:
    # Approved with the baseline: T1 2000.00, T2 5800.00. Then Lee's rate rises from 60 to
    # 66 (+10 %): the current cost of Build is 6280 but its budget stays 5800, and its PV on
    # 15 Jan stays 2900; the bottom-up forecast sees the new rate: 6280 x 70 % = 4396 to go.
    project, plan = portal()
    approved = approve_budget(project, plan)
    assert approved.budgets == {"T1": D("2000.00"), "T2": D("5800.00")}
    project.resource("lee").rate_tables = {  # type: ignore[assignment]
        "A": [{"standard_rate": "66"}]}
    fixed = evm(project, approved, status_date="2027-01-15").total
    assert (fixed.bac, fixed.pv) == (D(7800), D(4900))
    assert fixed.etc == D(400) + D(4396)
    moving = evm(project, plan, status_date="2027-01-15").total
    assert (moving.bac, moving.pv) == (D(8280), D(2000) + D(3140))  # 5 x 528 + 500


def test_approved_budgets_round_trip(portal: Portal, tmp_path: Path) -> None:
    project, plan = portal()
    approved = approve_budget(project, plan)
    write_cost_plan(approved, tmp_path / "p.costs.json")
    assert read_cost_plan(tmp_path / "p.costs.json") == approved
