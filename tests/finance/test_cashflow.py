"""A plan's costs as the cash flows of its business case (``pmcore.finance.cashflow``).

Hand-worked on the standard calendar (8 h a day, Monday to Friday): Dana designs from Monday
25 January 2027 for 5 days at 50 an hour (2,000, all in January); Lee then builds for 10 days
from Monday 1 February at 60 an hour (4,800, all in February). Each month's cost is one flow
on the month's last day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import pmcore
from pmcore.errors import ValidationError
from pmcore.finance import CashFlow, business_case, cashflow


def portal() -> pmcore.Project:
    project = pmcore.Project("Portal", start="2027-01-25", currency="EUR")
    project.add_resource("Dana", id="dana", rate_tables={"A": [{"standard_rate": "50"}]})
    project.add_resource("Lee", id="lee", rate_tables={"A": [{"standard_rate": "60"}]})
    design = project.add_task("Design", "5d", id="T1")
    build = project.add_task("Build", "10d", id="T2", after=design)
    project.assign(design, "dana")
    project.assign(build, "lee")
    project.schedule().apply()
    project.save_baseline(saved_at="2027-01-20T09:00")
    return project


SAVINGS = CashFlow.benefit("2027-12-31", 9000, label="savings", currency="EUR")


def test_each_months_cost_is_one_flow_on_its_last_day() -> None:
    flows = cashflow(portal(), benefits=[SAVINGS])
    assert [(f.date, f.kind, f.amount) for f in flows] == [
        (dt.date(2027, 1, 31), "cost", Decimal(2000)),
        (dt.date(2027, 2, 28), "cost", Decimal(4800)),
        (dt.date(2027, 12, 31), "benefit", Decimal(9000))]


def test_the_flows_make_the_business_case() -> None:
    case = business_case(cashflow(portal(), benefits=[SAVINGS]), 0.08, name="Portal")
    # -2,000 on 31 Jan; -4,800 / 1.08^(28/365) = -4,771.75; 9,000 / 1.08^(334/365) = 8,387.98
    assert case.npv.quantize(Decimal("0.01")) == Decimal("1616.24")
    assert case.roi.quantize(Decimal("0.0001")) == Decimal("0.3235")  # 9,000 / 6,800 - 1


def test_by_quarter_and_a_benefit_in_another_currency() -> None:
    (quarter,) = cashflow(portal(), period="quarter")
    assert (quarter.date, quarter.amount) == (dt.date(2027, 3, 31), Decimal(6800))
    with pytest.raises(ValidationError, match="USD"):
        cashflow(portal(), benefits=[CashFlow.benefit("2027-12-31", 1, currency="USD")])
