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

import pmcore
from pmcore.finance import BudgetRevision, CostPlan, budget_report

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
