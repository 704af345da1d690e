"""Earned value of a project at a status date, worked out by hand.

The plan (standard calendar, 8 h a day, weekly periods from Monday 4 January 2027):

* T1 Design, 5 days from Mon 4 Jan, Dana at 50/h: 5 x 400 = 2,000 (account CA-1).
* T2 Build, 10 days from Mon 11 Jan to Fri 22 Jan, Lee at 60/h: 10 x 480 = 4,800, plus a
  fixed cost of 1,000 prorated: BAC 5,800 (account CA-2); earns 50/50.

BAC = 7,800. Status date Friday 15 January (the whole day counts):

* PV = T1 2,000 + T2 5 days (5 x 480 + 1,000 x 5/10 = 2,900) = 4,900.
* EV = T1 80 % x 2,000 = 1,600 + T2 started, 50/50: 2,900 = 4,500.
* AC = entries up to 15 Jan: 1,200 + 900 (T1) + 1,500 (T2) = 3,600 (the 700 of 18 Jan is
  later).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

import pmcore
from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.finance import (
    ActualCost,
    ApportionedEffort,
    BudgetRevision,
    ControlAccount,
    CostPlan,
    WeightedMilestone,
    evm,
    evm_metrics,
)

D = Decimal
Portal = Callable[[], tuple[pmcore.Project, CostPlan]]
STATUS = dt.date(2027, 1, 15)


def test_project_pv_ev_ac_by_hand(portal: Portal) -> None:
    project, plan = portal()
    row = evm(project, plan, status_date=STATUS).total
    assert (row.bac, row.pv, row.ev, row.ac) == (D(7800), D(4900), D(4500), D(3600))
    assert row.sv == D(-400)
    assert row.cv == D(900)
    assert row.cpi == D("1.25")
    assert row.eac == D(6240)  # 7800 / 1.25
    assert row.vac == D(1560)
    # Bottom-up ETC: the current costs still to do: 2000 x 20 % + 5800 x 70 % = 4460.
    assert row.etc == D(4460)
    assert row.eac_bottom_up == D(8060)


def test_consistent_with_evm_metrics(portal: Portal) -> None:
    project, plan = portal()
    row = evm(project, plan, status_date=STATUS).total
    expected = evm_metrics(bac=7800, pv=4900, ev=4500, ac=3600, etc=4460)
    assert row.metrics == expected
    assert row.spi == expected.spi == D(4500) / D(4900)
    assert row.tcpi == expected.tcpi_bac == D(3300) / D(4200)
    # Every figure of the metrics and of the earned schedule reads the same on the row.
    for field in attrs.fields(type(row.metrics)):
        if field.name != "eac_method":
            assert getattr(row, field.name) == getattr(row.metrics, field.name), field.name
    assert row.schedule is not None
    for name in ("es", "at", "sv_t", "spi_t", "ieac_t"):
        assert getattr(row, name) == getattr(row.schedule, name), name


def test_earned_schedule_in_working_time(portal: Portal) -> None:
    # Cumulative PV by week: 2000, 4900, 7800. EV 4500 lies in week 2:
    # ES = 1 + (4500 - 2000) / 2900. Friday evening is the end of week 2's working time:
    # AT = 2; the baseline ends on Friday 22 Jan: PD = 3.
    project, plan = portal()
    row = evm(project, plan, status_date=STATUS).total
    es = 1 + Fraction(2500, 2900)
    assert row.at == 2
    assert Fraction(row.es) == pytest.approx(es, abs=1e-20)
    assert Fraction(row.sv_t) == pytest.approx(es - 2, abs=1e-20)
    assert Fraction(row.spi_t) == pytest.approx(es / 2, abs=1e-20)
    ieac = 3 / (es / 2)  # PD / SPI(t) = 3.2222... weeks
    assert Fraction(row.ieac_t) == pytest.approx(ieac, abs=1e-20)
    # 0.2222 of week 4's 40 hours = 8.9 h from Monday 25 Jan: Tuesday 26 January.
    assert row.planned_finish == dt.date(2027, 1, 22)
    assert row.forecast_finish == dt.date(2027, 1, 26)


def test_rows_by_wbs_and_account_add_up(portal: Portal) -> None:
    project, plan = portal()
    snapshot = evm(project, plan, status_date=STATUS, by=("wbs", "account"))
    ca1, ca2 = snapshot.of("account")
    assert (ca1.key, ca1.bac, ca1.pv, ca1.ev, ca1.ac) == ("CA-1", D(2000), D(2000), D(1600),
                                                          D(2100))
    assert (ca2.key, ca2.bac, ca2.pv, ca2.ev, ca2.ac) == ("CA-2", D(5800), D(2900), D(2900),
                                                          D(1500))
    design = snapshot.row("wbs", "1")
    assert design is not None
    assert design.cpi == D(1600) / D(2100)
    assert [r.key for r in snapshot.of("wbs")] == ["1", "2"]
    # Reserves are outside the PMB: BAC 7800 + 1000 management + 500 contingency.
    assert snapshot.budget == D(9300)


def test_wbs_rolls_up_to_summary_tasks(portal: Portal) -> None:
    project, plan = portal()
    phase = project.add_task("Phase 1", id="P1")
    project.move_task("T1", parent=phase)
    project.move_task("T2", parent=phase)
    snapshot = evm(project, plan, status_date=STATUS, by="wbs")
    summary = snapshot.row("wbs", "1")
    assert summary is not None
    assert (summary.pv, summary.ev, summary.ac) == (
        D(4900), D(4500), D(3600))


def test_curve_is_the_s_curve(portal: Portal) -> None:
    project, plan = portal()
    records = evm(project, plan, status_date=STATUS).curve_records()
    assert [r["pv_cumulative"] for r in records] == [D(2000), D(4900), D(7800)]
    assert [r["ac_cumulative"] for r in records] == [D(2100), D(3600), D(3600)]
    assert [r["ev_cumulative"] for r in records] == [None, D(4500), None]


def test_records_round_to_the_cent(portal: Portal) -> None:
    project, plan = portal()
    record = evm(project, plan, status_date=STATUS).to_records()[0]
    assert record["spi"] == D("0.9184")  # 4500 / 4900 = 0.918367...
    assert record["pv"] == D("4900.00")
    assert record["currency"] == "EUR"
    assert record["status_date"] == STATUS


@pytest.mark.parametrize(("method", "progress", "expected"), [
    # T2 (BAC 5800) at the status date, by method and (percent, started, finished):
    ("0/100", (30.0, True, False), D(0)),
    ("0/100", (100.0, True, True), D(5800)),
    ("50/50", (0.0, False, False), D(0)),
    ("50/50", (30.0, True, False), D(2900)),
    ("50/50", (100.0, True, True), D(5800)),
    ("percent_complete", (30.0, True, False), D(1740)),
    ("level_of_effort", (0.0, False, False), D(2900)),  # = its PV on 15 Jan
])
def test_earning_methods(method: str, progress: tuple[float, bool, bool],
                         expected: Decimal, portal: Portal) -> None:
    project, plan = portal()
    build = project.task("T2")
    build.ev_method = method  # type: ignore[assignment]
    build.percent_complete, started, finished = progress
    build.actual_start = dt.datetime(2027, 1, 11, 8) if started else None
    build.actual_finish = dt.datetime(2027, 1, 15, 17) if finished else None
    row = evm(project, plan, status_date=STATUS, by="wbs").row("wbs", "2")
    assert row is not None
    assert row.ev == expected


def test_physical_percent_complete(portal: Portal) -> None:
    project, plan = portal()
    build = project.task("T2")
    build.ev_method = "physical_percent_complete"  # type: ignore[assignment]
    build.physical_percent_complete = 25.0
    row = evm(project, plan, status_date=STATUS, by="wbs").row("wbs", "2")
    assert row is not None
    assert row.ev == D(1450)


def test_weighted_milestones(portal: Portal) -> None:
    # Build's milestones: "Specs signed" (weight 20, done) and "Go-live" (80, not done):
    # EV = 5800 x 20 / 100 = 1160.
    project, plan = portal()
    signed = project.add_milestone("Specs signed", id="M1")
    live = project.add_milestone("Go-live", id="M2")
    signed.percent_complete = 100.0
    build = project.task("T2")
    build.ev_method = "weighted_milestones"  # type: ignore[assignment]
    plan = CostPlan(accounts=plan.accounts, actuals=plan.actuals, milestone_weights={
        "T2": [WeightedMilestone(signed.id, D(20)), WeightedMilestone(live.id, D(80))]})
    row = evm(project, plan, status_date=STATUS, by="wbs").row("wbs", "2")
    assert row is not None
    assert row.ev == D(1160)


def test_apportioned_effort(portal: Portal) -> None:
    # A QA task (fixed cost 600) apportioned to Build, which has earned 2900 of 5800:
    # EV = 600 x 2900 / 5800 = 300.
    project, plan = portal()
    qa = project.add_task("QA", "10d", id="T3", fixed_cost="600", after="T1",
                          ev_method="apportioned_effort")
    project.schedule().apply()
    project.save_baseline(saved_at="2027-01-01")
    plan = CostPlan(accounts=plan.accounts, actuals=plan.actuals,
                    apportioned=[ApportionedEffort(qa.id, "T2")])
    snapshot = evm(project, plan, status_date=STATUS, by="wbs")
    row = snapshot.row("wbs", "3")
    assert row is not None
    assert row.ev == D(300)


def test_budget_revision_changes_bac_from_its_approval(portal: Portal) -> None:
    # CR-1 adds 580 to Build (+10 %) from 14 Jan, funded by the management reserve: Build's
    # BAC 6380 and its PV scaled by 1.1 (2900 -> 3190); before the approval, nothing changes.
    project, plan = portal()
    revised = CostPlan(accounts=plan.accounts, actuals=plan.actuals, management_reserve="1000",
                       revisions=[BudgetRevision(id="CR-1", task="T2", amount="580",
                                                 approved_on="2027-01-14",
                                                 approved_by="Sponsor")])
    after = evm(project, revised, status_date=STATUS)
    assert (after.total.bac, after.total.pv) == (D(8380), D(2000) + D(3190))
    assert after.total.ev == D(1600) + D(3190)  # 50/50 on the revised budget
    assert after.management_reserve == D(420)
    before = evm(project, revised, status_date=dt.date(2027, 1, 13))
    assert before.total.bac == D(7800)
    assert before.management_reserve == D(1000)


def test_actual_cost_in_another_currency_is_converted(portal: Portal) -> None:
    class Rates:
        @pmcore.plugins.hookimpl
        def pmcore_convert_currency(self, amount: Decimal, from_currency: str,
                                    to_currency: str) -> Decimal | None:
            return amount * D("0.5") if (from_currency, to_currency) == ("USD", "EUR") else None

    project, plan = portal()
    usd = CostPlan(actuals=[ActualCost(task="T1", date="2027-01-05", amount="100",
                                       currency="USD")], accounts=plan.accounts)
    pm = pmcore.plugins.make_plugin_manager(entry_points=False, plugins=[Rates()])
    assert evm(project, usd, status_date=STATUS, plugins=pm).total.ac == D(50)
    bare = pmcore.plugins.make_plugin_manager(entry_points=False)
    with pytest.raises(ValidationError, match="actual cost of T1 on 2027-01-05.currency"):
        evm(project, usd, status_date=STATUS, plugins=bare)


def test_bad_input_is_named(portal: Portal) -> None:
    project, plan = portal()
    with pytest.raises(ValidationError, match="before the project start") as caught:
        evm(project, CostPlan(accounts=plan.accounts, actuals=[
            ActualCost(task="T1", date="2026-12-31", amount="5")]), status_date=STATUS)
    assert caught.value.entity == "actual cost of T1 on 2026-12-31"
    with pytest.raises(UnknownReferenceError, match="control account id 'CA-2'"):
        evm(project, CostPlan(accounts=[ControlAccount(id="CA-1")]), status_date=STATUS)
    with pytest.raises(UnknownReferenceError, match="task id 'T9'"):
        evm(project, CostPlan(accounts=plan.accounts, actuals=[
            ActualCost(task="T9", date="2027-01-05", amount="5")]), status_date=STATUS)
    with pytest.raises(ValidationError, match="must not be negative"):
        ActualCost(task="T1", date="2027-01-05", amount="-5")
    with pytest.raises(ValidationError, match="rate from 2027-02-01.standard_rate"):
        pmcore.model.Rate(effective_from="2027-02-01", standard_rate="-1")
    with pytest.raises(ValidationError, match="'wbs' or 'account'"):
        evm(project, plan, status_date=STATUS, by="resource")


def test_a_finished_task_earned_its_whole_schedule(staffed: Callable[..., pmcore.Project],
                                                   ) -> None:
    # 10 days from Thursday 7 Jan to Wednesday 20 Jan: weeks of 4 and 11 Jan, then 3 of the
    # 5 working days of the week of 18 Jan: PD = 2.6 weeks. Finished on time, reported on
    # Friday 22 Jan: ES = PD = 2.6 and AT stops at the finish, 2.6: SPI(t) = 1.
    project = staffed()
    task = project.task("T1")
    task.percent_complete = 100.0
    task.actual_start, task.actual_finish = task.start, task.finish
    row = evm(project, status_date="2027-01-22").total
    assert (row.es, row.at, row.spi_t) == (D("2.6"), D("2.6"), D(1))
    assert row.forecast_finish == row.planned_finish == dt.date(2027, 1, 20)


def test_work_not_yet_due_has_no_earned_schedule(staffed: Callable[..., pmcore.Project],
                                                 ) -> None:
    row = evm(staffed(), status_date="2027-01-05").total
    assert (row.pv, row.ev) == (0, 0)
    assert row.es is None
    assert row.spi_t is None
