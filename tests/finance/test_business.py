"""Business-case figures against Excel's documented examples, hand-worked cases and the
defining property of an IRR (the NPV at it is zero)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pmcore
from pmcore.finance import (
    BusinessCase,
    CashFlow,
    benefit_cost_ratio,
    business_case,
    discounted_payback_period,
    irr,
    irr_periodic,
    npv,
    npv_periodic,
    payback_period,
    roi,
    xirr,
    xnpv,
)

D = Decimal
CENT = D("0.01")

# Excel's XNPV and XIRR documentation: one investment and four returns.
EXCEL_VALUES = [-10000, 2750, 4250, 3250, 2750]
EXCEL_DATES = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]


def excel_flows() -> list[CashFlow]:
    return [CashFlow.cost(EXCEL_DATES[0], 10000),
            *(CashFlow.benefit(day, amount)
              for day, amount in zip(EXCEL_DATES[1:], EXCEL_VALUES[1:], strict=True))]


# --------------------------------------------------------------------------- Excel's figures


def test_xnpv_as_excel_documents_it() -> None:
    # Excel: =XNPV(.09, values, dates) = 2,086.65
    assert xnpv(0.09, EXCEL_VALUES, EXCEL_DATES).quantize(CENT) == D("2086.65")
    # The same flows as CashFlow items, discounted from the first one.
    assert npv(excel_flows(), D("0.09")) == xnpv(D("0.09"), EXCEL_VALUES, EXCEL_DATES)


def test_xirr_as_excel_documents_it() -> None:
    # Excel: =XIRR(values, dates, 0.1) = 0.373362535. Excel stops within 0.000001 % (1e-8);
    # the rate itself is 0.3733625335..., so Excel's ninth decimal is one unit high.
    rate = xirr(EXCEL_VALUES, EXCEL_DATES)
    assert abs(rate - D("0.373362535")) <= D("1e-8")
    assert abs(xnpv(rate, EXCEL_VALUES, EXCEL_DATES)) < D("1e-12")
    assert irr(excel_flows()) == rate


def test_npv_as_excel_documents_it() -> None:
    # Excel's NPV discounts its first value by one period:
    # =NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44 (the cost is paid a year from today).
    assert npv_periodic([-10000, 3000, 4200, 6800], 0.10, first_period=1).quantize(
        CENT) == D("1188.44")
    # =NPV(8%, 8000, 9200, 10000, 12000, 14500) + (-40000) = 1,922.06: an investment now
    # and five returns, our default year-0 convention.
    flows = [-40000, 8000, 9200, 10000, 12000, 14500]
    assert npv_periodic(flows, 0.08).quantize(CENT) == D("1922.06")
    # ... and with a loss of 9,000 in year 6: =NPV(8%, ..., -9000) + (-40000) = -3,749.47
    assert npv_periodic([*flows, -9000], 0.08).quantize(CENT) == D("-3749.47")


def test_irr_as_excel_documents_it() -> None:
    # Excel: =IRR(A2:A7) = 8.66 % for -70,000 then five years of income;
    # after four years =IRR(A2:A6) = -2.1 %; after two, =IRR(A2:A4, -10%) = -44.4 %.
    income = [-70000, 12000, 15000, 18000, 21000, 26000]
    assert (irr_periodic(income) * 100).quantize(CENT) == D("8.66")
    assert (irr_periodic(income[:5]) * 100).quantize(D("0.1")) == D("-2.1")
    assert (irr_periodic(income[:3], guess=-0.1) * 100).quantize(D("0.1")) == D("-44.4")


# --------------------------------------------------------------------------- NPV and IRR


def test_npv_of_dated_flows_hand_worked() -> None:
    # 2027 has 365 days: -1000 + 1210 / 1.1 = 100; 2028 has 366, so a flow on 2029-01-01
    # is 731 / 365 years out: 1331 / 1.1 ** (731/365) (not 1331 / 1.21 = 1100).
    flows = [CashFlow.cost("2027-01-01", 1000), CashFlow.benefit("2028-01-01", 1210)]
    assert npv(flows, 0.10) == D(100)
    later = npv([CashFlow.benefit("2029-01-01", 1331)], 0.10, on="2027-01-01")
    assert later == (D(1331) * D("1.1") ** (-D(731) / D(365))).normalize()
    assert later < D(1100)
    # On a date a year before the first flow, everything is discounted one more year.
    assert abs(npv(flows, 0.10, on="2026-01-01") - D(100) / D("1.1")) < D("1e-24")
    # Order of the flows does not matter.
    assert npv(list(reversed(flows)), 0.10) == D(100)


def test_continuous_basis() -> None:
    # A continuously compounded ln(1.1) is the same discounting as 10 % a year.
    flows = [CashFlow.cost("2027-01-01", 1000), CashFlow.benefit("2028-01-01", 1210)]
    rate = D("1.1").ln()
    assert abs(npv(flows, rate, basis="continuous") - D(100)) < D("1e-20")
    assert abs(irr(flows, basis="continuous") - D("1.21").ln()) < D("1e-17")


def test_irr_bisects_when_newton_runs_away() -> None:
    # From a guess of 100,000 % Newton's first step jumps below -100 %: bisection finds 10 %.
    assert irr_periodic([-100, 110], guess=1000) == D("0.1")


def test_irr_survives_a_far_guess_over_a_long_horizon() -> None:
    # 1 invested, 1,000,000 back after 5001 periods: (1 + r) ** 5001 = 10 ** 6.
    rate = irr_periodic([-1, *[0] * 5000, 10**6], guess=-0.99999)
    assert abs(rate - (D(10**6) ** (D(1) / D(5001)) - 1)) < D("1e-17")


def test_irr_with_two_roots_returns_the_one_near_the_guess() -> None:
    # -100 + 230 x - 132 x^2 = 0 with x = 1/(1+r): x = 1/1.1 or 1/1.2, so 10 % and 20 %.
    assert irr_periodic([-100, 230, -132]) == D("0.1")
    assert irr_periodic([-100, 230, -132], guess=0.25) == D("0.2")


def test_irr_needs_a_sign_change() -> None:
    with pytest.raises(pmcore.ValidationError, match=r"irr\.flows: needs at least one negative"):
        irr([CashFlow.cost("2027-01-01", 10), CashFlow.cost("2027-02-01", 10)])
    with pytest.raises(pmcore.ValidationError, match="irr_periodic"):
        irr_periodic([0, 5, 6])
    # A sign change, but the NPV is positive at every rate down to -99.9999999999 %.
    with pytest.raises(pmcore.ValidationError, match="no rate between"):
        irr_periodic([1, -1e-30, 100], guess=0.1)


@given(st.integers(min_value=1, max_value=10**7),
       st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=15))
def test_npv_at_the_irr_is_zero(investment: int, returns: list[int]) -> None:
    amounts = [-investment, *returns]
    if sum(returns) == 0:
        return
    rate = irr_periodic(amounts)
    assert rate > -1
    assert abs(npv_periodic(amounts, rate)) <= D("1e-9") * investment
    # A conventional investment: NPV falls as the rate rises, so it is positive below the
    # IRR and negative above it.
    below = rate - min(D("0.01"), (rate + 1) / 2)  # stay above -100 %
    assert npv_periodic(amounts, below) > 0 > npv_periodic(amounts, rate + D("0.01"))


# --------------------------------------------------------------------------- ROI, BCR, payback


def test_roi_and_benefit_cost_ratio_hand_worked() -> None:
    # Costs 600 + 400 = 1000, benefits 1250: ROI = 250 / 1000 = 0.25; BCR = 1.25 undiscounted.
    flows = [CashFlow.cost("2027-01-01", 600), CashFlow.cost("2027-06-01", 400),
             CashFlow.benefit("2027-12-31", 1250)]
    assert roi(flows) == D("0.25")
    assert benefit_cost_ratio(flows) == D("1.25")
    # Plain amounts: negatives are costs. 1210 two periods out at 10 % is worth 1000 now.
    assert roi([-1000, 0, 1210]) == D("0.21")
    assert benefit_cost_ratio([-1000, 0, 1210], 0.10) == D(1)
    assert roi([5, 6]) is None
    assert benefit_cost_ratio([5, 6]) is None


def test_payback_periodic_hand_worked() -> None:
    # -1000, 300, 400, 500: cumulative -1000, -700, -300, +200: two full years, then 300 of
    # year 3's 500: 2 + 300/500 = 2.6.
    assert payback_period([-1000, 300, 400, 500]) == D("2.6")
    # -1000, then 500 a year: cumulative -500, 0 at the end of year 2: exactly 2.
    assert payback_period([-1000, 500, 500, 500]) == D(2)
    # Discounted at 10 %: 500/1.1 = 454.55, 500/1.21 = 413.22, 500/1.331 = 375.66;
    # still owed after year 2: 1000 - 454.55 - 413.22 = 132.23 = 160/1.21;
    # 132.23 / 375.66 = (160/1.21) x (1.331/500) = 0.352, so 2.352 years.
    assert discounted_payback_period([-1000, 500, 500, 500], 0.10) == D("2.352")
    # -1000, 300, 400, 500 at 10 % never pays back: NPV = -21.04.
    assert discounted_payback_period([-1000, 300, 400, 500], 0.10) is None
    assert payback_period([-1000, 300]) is None
    assert payback_period([100, 200]) == 0  # nothing ever owed


def test_payback_waits_until_recovered_for_good() -> None:
    # Recovered in year 2 (cumulative -100, +50), owed again in year 3 (-150) by a refit,
    # recovered in year 4: -150 + 300 -> 3 + 150/300 = 3.5.
    assert payback_period([-100, 0, 150, -200, 300]) == D("3.5")


def test_payback_of_dated_flows_hand_worked() -> None:
    # Cost 1000 on 2027-01-01, 600 back on 2028-01-01 (365 days) and on 2029-01-01 (731
    # days: 2028 is a leap year). Owed 400 after the first; the second 600 comes in evenly
    # over 366 days: 1 + (400/600) x (366/365) = 1 + 244/365 = 609/365 years, day 609.
    flows = [CashFlow.cost("2027-01-01", 1000), CashFlow.benefit("2028-01-01", 600),
             CashFlow.benefit("2029-01-01", 600)]
    years = payback_period(flows)
    assert years is not None
    assert abs(years - D(609) / D(365)) < D("1e-26")
    case = business_case(flows, 0.0, name="Archive")
    assert case.payback_date == dt.date(2027, 1, 1) + dt.timedelta(days=609)
    # With zero discounting the discounted payback is the payback.
    assert case.discounted_payback_years == case.payback_years


# --------------------------------------------------------------------------- business case


def test_business_case_gathers_every_figure() -> None:
    # Cost 1000 on 2027-01-01, benefit 1320 on 2028-01-01 at 10 %:
    # NPV = -1000 + 1320/1.1 = 200; IRR = 32 %; ROI = 0.32; BCR = 1200/1000 = 1.2;
    # payback = 1000/1320 of the year = 0.7575...; discounted = 1000/1200 = 0.8333...
    case = business_case([CashFlow.cost("2027-01-01", 1000, currency="EUR"),
                          CashFlow.benefit("2028-01-01", 1320, currency="EUR")], 0.10,
                         name="CRM")
    assert (case.npv, case.irr, case.roi, case.benefit_cost_ratio) == (
        D(200), D("0.32"), D("0.32"), D("1.2"))
    assert (case.total_cost, case.total_benefit, case.net) == (D(1000), D(1320), D(320))
    assert case.payback_years == D(1000) / D(1320)
    assert case.discounted_payback_years == D(1000) / D(1200)
    assert (case.start, case.end, case.currency, case.rate) == (
        dt.date(2027, 1, 1), dt.date(2028, 1, 1), "EUR", D("0.1"))
    assert case.discounted_payback_date == dt.date(2027, 11, 2)  # day 304.17 -> day 305
    assert repr(case) == ("BusinessCase('CRM', npv=200 EUR at 10 %, irr=32 %, roi=0.32, "
                          "bcr=1.2, payback=0.76 y, discounted payback=0.83 y)")
    (record,) = case.to_records()
    assert record["npv"] == D(200)
    assert record["name"] == "CRM"
    with pytest.raises(AttributeError):
        case.npv = D(0)  # type: ignore[misc]


def test_a_portfolio_compares_business_cases() -> None:
    pandas = pytest.importorskip("pandas")
    crm = business_case([CashFlow.cost("2027-01-01", 1000),
                         CashFlow.benefit("2028-01-01", 1320)], 0.10, name="CRM")
    erp = business_case(excel_flows(), 0.09, name="ERP")
    table = pandas.DataFrame([r for c in (crm, erp) for r in c.to_records()])
    best = table.sort_values("npv", ascending=False)["name"].tolist()
    assert best == ["ERP", "CRM"]  # 2,086.65 against 200
    assert isinstance(erp, BusinessCase)


def test_a_case_without_an_irr() -> None:
    case = business_case([CashFlow.cost("2027-01-01", 100)], 0.05, name="Audit")
    assert case.irr is None
    assert case.roi == D(-1)
    assert case.payback_years is None
    assert case.benefit_cost_ratio == D(0)


# --------------------------------------------------------------------------- bad input


def test_cash_flow_validation_names_the_flow() -> None:
    with pytest.raises(pmcore.ValidationError, match=r"cash flow 'fees'\.amount: money is exact"):
        CashFlow("2027-01-01", 10.5, label="fees")  # type: ignore[arg-type]
    with pytest.raises(pmcore.ValidationError, match=r"cash flow 'fees'\.amount: .*at least 0"):
        CashFlow("2027-01-01", -5, label="fees")  # type: ignore[arg-type]
    with pytest.raises(pmcore.ValidationError, match=r"cash flow 'fees'\.kind"):
        CashFlow("2027-01-01", 5, "refund", "fees")  # type: ignore[arg-type]
    with pytest.raises(pmcore.ValidationError, match=r"cash flow 'fees'\.date"):
        CashFlow("next week", 5, label="fees")  # type: ignore[arg-type]
    flow = CashFlow("2027-01-04", "1250.50", label="licences")  # type: ignore[arg-type]
    assert (flow.date, flow.amount, flow.net) == (dt.date(2027, 1, 4), D("1250.50"),
                                                  D("-1250.50"))
    assert repr(flow) == "CashFlow(2027-01-04, cost 1250.50, label='licences')"


def test_functions_refuse_bad_input() -> None:
    eur = CashFlow.cost("2027-01-01", 100, currency="EUR")
    usd = CashFlow.benefit("2027-06-01", 120, currency="USD")
    with pytest.raises(pmcore.ValidationError, match=r"npv\.currency: mixes currencies EUR, USD"):
        npv([eur, usd], 0.05)
    with pytest.raises(pmcore.ValidationError, match=r"npv\.rate: must be more than -1"):
        npv([eur], -1)
    with pytest.raises(pmcore.ValidationError, match=r"npv\.basis"):
        npv([eur], 0.05, basis="monthly")
    with pytest.raises(pmcore.ValidationError, match=r"npv\.flows: needs at least one"):
        npv([], 0.05)
    with pytest.raises(pmcore.ValidationError, match=r"xnpv\.dates\[1\]: .*before the first"):
        xnpv(0.05, [-1, 2], ["2027-01-02", "2027-01-01"])
    with pytest.raises(pmcore.ValidationError, match=r"xirr\.dates: needs one date per value"):
        xirr([-1, 2], ["2027-01-01"])
    with pytest.raises(pmcore.ValidationError, match=r"npv_periodic\.amounts\[1\]"):
        npv_periodic([-1, "lots"], 0.05)  # type: ignore[list-item]
    with pytest.raises(pmcore.ValidationError, match=r"roi\.flows: expected CashFlow items or"):
        roi([eur, 5])  # type: ignore[list-item]
