"""A cost breakdown structure of several levels: accounts roll up to their parent account.

Hand-worked on the standard calendar from Monday 4 January 2027: Design (5 days x 8 h x 50 =
2,000) is charged to CA-1.1, Build (10 days x 8 h x 60 = 4,800, plus a fixed cost of 1,000)
to CA-1.2; both accounts sit under CA-1, so CA-1's budget at completion is 7,800, the whole
project. On Friday 8 January Design is done (EV 2,000) and Build not started.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import pmcore
from pmcore.errors import CycleError, UnknownReferenceError
from pmcore.finance import (
    ControlAccount,
    CostPlan,
    budget_report,
    evm,
    read_cost_plan,
    write_cost_plan,
)


def portal() -> pmcore.Project:
    project = pmcore.Project("Portal", start="2027-01-04", currency="EUR")
    dana = project.add_resource("Dana", rate_tables={"A": [{"standard_rate": "50"}]})
    lee = project.add_resource("Lee", rate_tables={"A": [{"standard_rate": "60"}]})
    design = project.add_task("Design", "5d", id="T1", cost_account="CA-1.1")
    build = project.add_task("Build", "10d", id="T2", after=design, cost_account="CA-1.2",
                             fixed_cost="1000")
    project.assign(design, dana)
    project.assign(build, lee)
    project.schedule().apply()
    project.save_baseline(saved_at="2027-01-03T09:00")
    design.actual_start, design.percent_complete = design.start, 100
    design.actual_finish = design.finish
    return project


# children listed before their parent: the order of the plan does not matter
PLAN = CostPlan(accounts=[ControlAccount(id="CA-1.1", parent="CA-1"),
                          ControlAccount(id="CA-1.2", parent="CA-1"),
                          ControlAccount(id="CA-1", name="Portal delivery")])


def test_an_account_row_rolls_up_the_accounts_below_it() -> None:
    snapshot = evm(portal(), PLAN, status_date="2027-01-08", by="account")
    rows = {r.key: r for r in snapshot.rows if r.scope == "account"}
    assert (rows["CA-1.1"].bac, rows["CA-1.2"].bac, rows["CA-1"].bac) == (
        Decimal(2000), Decimal(5800), Decimal(7800))
    assert rows["CA-1"].ev == Decimal(2000)
    assert rows["CA-1"].bac == snapshot.row("project").bac
    assert PLAN.within("CA-1") == ("CA-1.1", "CA-1.2", "CA-1")
    assert PLAN.within("CA-1.2") == ("CA-1.2",)


def test_the_budget_report_rolls_up_by_account_without_counting_twice() -> None:
    report = budget_report(portal(), PLAN, as_of="2027-01-08", period="month")
    by_account = report.by_account()
    assert by_account["CA-1"]["original"] == Decimal(7800)
    assert by_account["CA-1.2"]["original"] == Decimal(5800)
    assert report.totals()["original"] == Decimal(7800)  # rows hold own tasks only


def test_bad_structures_are_refused_naming_the_account() -> None:
    with pytest.raises(UnknownReferenceError, match="CA-9") as unknown:
        CostPlan(accounts=[ControlAccount(id="CA-1", parent="CA-9")])
    assert unknown.value.field == "parent"
    with pytest.raises(CycleError) as loop:
        CostPlan(accounts=[ControlAccount(id="A", parent="B"), ControlAccount(id="B",
                                                                              parent="A")])
    assert loop.value.cycle == ("A", "B", "A")


def test_the_structure_travels_in_the_cost_plan_file(tmp_path: Path) -> None:
    write_cost_plan(PLAN, tmp_path / "portal.costs.json")
    assert read_cost_plan(tmp_path / "portal.costs.json") == PLAN
