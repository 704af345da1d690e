"""evm_metrics and earned_schedule: hand-worked figures, undefined indices, bad input, and the
identities that tie the formulas together."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pmcore
from pmcore.finance import EarnedSchedule, earned_schedule, evm_metrics

D = Decimal


# --------------------------------------------------------------------------- evm_metrics


def test_hand_worked_status_with_every_figure() -> None:
    # BAC 1000, PV 400, EV 300, AC 360, bottom-up ETC 750:
    #   SV = 300 - 400 = -100; CV = 300 - 360 = -60
    #   SPI = 300/400 = 0.75; CPI = 300/360 = 0.8333...
    #   EAC(cpi) = 1000 / (300/360) = 1200; ETC = 1200 - 360 = 840; VAC = -200
    #   EAC(atypical) = 360 + 700 = 1060
    #   EAC(cpi*spi) = 360 + 700 / (0.8333.. * 0.75 = 0.625) = 360 + 1120 = 1480
    #   EAC(bottom-up) = 360 + 750 = 1110
    #   TCPI(bac) = 700 / 640 = 1.09375; TCPI(eac) = 700 / 840 = 0.8333...
    #   SV% = -100/400 = -25 %; CV% = -60/300 = -20 %; complete 30 %; spent 36 %
    m = evm_metrics(bac=1000, pv=400, ev=300, ac=360, etc=750)
    assert (m.sv, m.cv, m.spi) == (D(-100), D(-60), D("0.75"))
    assert m.cpi is not None
    assert abs(m.cpi - D(5) / D(6)) < D("1e-27")
    assert (m.eac_method, m.eac, m.eac_cpi) == ("cpi", D(1200), D(1200))
    assert m.etc == D(750)  # the bottom-up ETC given is the one reported
    assert (m.vac, m.eac_atypical, m.eac_cpi_spi, m.eac_bottom_up) == (
        D(-200), D(1060), D(1480), D(1110))
    assert m.tcpi_bac == D("1.09375")
    assert m.tcpi_eac is not None
    assert abs(m.tcpi_eac - D(5) / D(6)) < D("1e-27")
    assert (m.sv_percent, m.cv_percent, m.percent_complete, m.percent_spent) == (
        D(-25), D(-20), D(30), D(36))


def test_eac_method_drives_etc_vac_and_tcpi_eac() -> None:
    # Same status: with the bottom-up EAC of 1110, ETC = 750, VAC = -110,
    # TCPI(eac) = 700 / 750 = 0.9333...
    m = evm_metrics(bac=1000, pv=400, ev=300, ac=360, etc=750, eac_method="bottom_up")
    assert (m.eac, m.etc, m.vac) == (D(1110), D(750), D(-110))
    assert m.tcpi_eac is not None
    assert abs(m.tcpi_eac - D(14) / D(15)) < D("1e-27")
    # Atypical: EAC 1060, ETC = 700 (the remaining budget), TCPI(eac) = 1.
    a = evm_metrics(bac=1000, pv=400, ev=300, ac=360, eac_method="atypical")
    assert (a.eac, a.etc, a.vac, a.tcpi_eac) == (D(1060), D(700), D(-60), D(1))
    c = evm_metrics(bac=1000, pv=400, ev=300, ac=360, eac_method="cpi_spi")
    assert (c.eac, c.etc) == (D(1480), D(1120))


def test_floats_are_read_as_printed() -> None:
    # In binary floating point 2.4 - 1.6 is 0.7999999999999998; here it is 0.8.
    m = evm_metrics(bac=8.0, pv=2.4, ev=1.6, ac=3)
    assert m.sv == D("-0.8")
    assert m.cv == D("-1.4")
    # 8 / (1.6 / 3) is 15 exactly: the EAC is computed from the inputs, not the rounded CPI.
    assert m.eac == D(15)
    assert m.etc == D(12)
    assert evm_metrics(bac=D("8"), pv="2.4", ev="1.6", ac=3) == m


def test_the_callers_decimal_context_does_not_change_results() -> None:
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 5
        m = evm_metrics(bac=8, pv=2.4, ev=1.6, ac=3)
    assert m.spi == D(2) / D(3)  # 28 digits, not 5


@pytest.mark.parametrize(
    ("inputs", "undefined"),
    [
        # Nothing planned, earned or spent yet (the kick-off): every index is undefined.
        ({"bac": 100, "pv": 0, "ev": 0, "ac": 0},
         {"spi", "cpi", "eac", "eac_cpi", "eac_cpi_spi", "etc", "vac", "tcpi_eac",
          "sv_percent", "cv_percent"}),
        # Money spent, nothing earned: CPI is 0 and BAC / CPI would be infinite.
        ({"bac": 100, "pv": 10, "ev": 0, "ac": 5},
         {"eac", "eac_cpi", "eac_cpi_spi", "etc", "vac", "tcpi_eac", "cv_percent"}),
        # The whole budget is spent: no TCPI to BAC.
        ({"bac": 100, "pv": 100, "ev": 80, "ac": 100}, {"tcpi_bac"}),
        # A zero budget: no percentages of it.
        ({"bac": 0, "pv": 0, "ev": 0, "ac": 0},
         {"spi", "cpi", "eac", "tcpi_bac", "percent_complete", "percent_spent"}),
        # No PV given: the schedule figures only.
        ({"bac": 100, "ev": 30, "ac": 40}, {"pv", "sv", "spi", "sv_percent", "eac_cpi_spi"}),
    ],
)
def test_undefined_figures_are_none_not_an_error(inputs: dict[str, int],
                                                 undefined: set[str]) -> None:
    record = evm_metrics(**inputs).to_records()[0]
    none = {name for name, value in record.items() if value is None}
    assert undefined <= none
    assert "eac_bottom_up" in none  # no etc given
    assert isinstance(record["eac_atypical"], Decimal)  # always defined


def test_tcpi_below_zero_when_the_budget_is_already_overspent() -> None:
    # BAC 100, EV 50, AC 120: (100 - 50) / (100 - 120) = -2.5: no efficiency can do it.
    assert evm_metrics(bac=100, pv=60, ev=50, ac=120).tcpi_bac == D("-2.5")


@pytest.mark.parametrize("field", ["bac", "pv", "ev", "ac", "etc"])
def test_negative_figures_are_refused_naming_the_field(field: str) -> None:
    inputs: dict[str, object] = {"bac": 100, "pv": 50, "ev": 40, "ac": 45, "etc": 60}
    inputs[field] = -1
    with pytest.raises(pmcore.ValidationError) as caught:
        evm_metrics(**inputs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert str(caught.value).startswith(f"evm_metrics.{field}: ")


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "ten", True, None, [1]])
def test_non_numbers_are_refused(bad: object) -> None:
    with pytest.raises(pmcore.ValidationError, match=r"evm_metrics\.ac"):
        evm_metrics(bac=100, pv=50, ev=40, ac=bad)  # type: ignore[arg-type]


def test_eac_method_is_checked() -> None:
    with pytest.raises(pmcore.ValidationError, match="eac_method"):
        evm_metrics(bac=100, pv=50, ev=40, ac=45, eac_method="guess")
    with pytest.raises(pmcore.ValidationError, match=r"evm_metrics\.etc: .*needs etc"):
        evm_metrics(bac=100, pv=50, ev=40, ac=45, eac_method="bottom_up")


def test_repr_records_and_rounding() -> None:
    m = evm_metrics(bac=8, pv=2.4, ev=1.6, ac=3)
    assert repr(m) == ("EvmMetrics(bac=8, pv=2.4, ev=1.6, ac=3, sv=-0.8, cv=-1.4, spi=0.6667, "
                       "cpi=0.5333, eac=15 (cpi), etc=12, vac=-7, tcpi_bac=1.28)")
    (record,) = m.to_records()
    assert record["spi"] == D(2) / D(3)
    assert record["eac_method"] == "cpi"
    assert len(record) == 22
    r = m.rounded(2)
    assert (r.spi, r.cpi, r.eac, r.percent_complete) == (D("0.67"), D("0.53"), D("15.00"),
                                                        D("20.00"))
    assert evm_metrics(bac=1, pv=1, ev=D("0.125"), ac=1).rounded(2).cpi == D("0.13")  # half up
    with pytest.raises(AttributeError):
        m.cpi = D(1)  # type: ignore[misc]


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                    allow_infinity=False)


@given(bac=money, pv=money, ev=money, ac=money)
def test_identities_hold_and_nothing_raises(bac: Decimal, pv: Decimal, ev: Decimal,
                                           ac: Decimal) -> None:
    m = evm_metrics(bac=bac, pv=pv, ev=ev, ac=ac)
    assert m.sv == ev - pv
    assert m.cv == ev - ac
    assert m.eac_atypical - ac == bac - ev
    if m.eac is not None:
        assert m.vac == bac - m.eac
        assert m.etc == m.eac - ac
        assert m.cpi is not None
        assert abs(m.eac * m.cpi - bac) <= D("1e-18") * max(bac, D(1))
        # TCPI to the CPI-based EAC is the CPI itself: (BAC-EV)/(BAC/CPI-AC) = CPI.
        if m.tcpi_eac is not None:
            assert abs(m.tcpi_eac - m.cpi) <= D("1e-18") * max(m.cpi, D(1))
    assert (m.spi is None) == (pv == 0)
    assert (m.cpi is None) == (ac == 0)


# --------------------------------------------------------------------------- earned schedule

# A monthly plan, Jan (period 1) to Nov (period 11), cumulative PV at each month's end.
PLAN = [10, 25, 45, 70, 100, 130, 160, 185, 205, 220, 230]


def test_lipke_convention_may_earned_and_part_of_june_at_the_end_of_july() -> None:
    # Lipke's illustration: EV has passed PV(May) but not PV(June); AT = 7 (end of July).
    # C = 5 (Jan..May: 10, 25, 45, 70, 100 <= 115);
    # ES = 5 + (115 - 100) / (130 - 100) = 5.5 months; SV(t) = 5.5 - 7 = -1.5;
    # SPI(t) = 5.5 / 7 = 0.7857...; IEAC(t) = 11 / SPI(t) = 11 * 7 / 5.5 = 14 months;
    # TSPI = (11 - 5.5) / (11 - 7) = 1.375; 14 - 7 = 7 months still to go.
    es = earned_schedule(pv_cumulative=PLAN, ev=115, at=7)
    assert (es.es, es.at, es.pd, es.sv_t) == (D("5.5"), D(7), D(11), D("-1.5"))
    assert es.spi_t == D("5.5") / D(7)
    assert (es.ieac_t, es.tspi, es.forecast_periods) == (D(14), D("1.375"), D(7))
    # The interpolation agrees with Lipke's formula written out.
    assert es.es == 5 + (D(115) - PLAN[4]) / (D(PLAN[5]) - PLAN[4])


def test_a_late_project_at_completion_shows_sv_zero_but_sv_t_negative() -> None:
    # Lipke's motivation: finished two months late, SV is 0 and SPI 1, yet SV(t) = -2 and
    # SPI(t) = 11/13.
    m = evm_metrics(bac=230, pv=230, ev=230, ac=250)
    es = earned_schedule(pv_cumulative=PLAN, ev=230, at=13)
    assert (m.sv, m.spi) == (D(0), D(1))
    assert (es.es, es.sv_t, es.spi_t) == (D(11), D(-2), D(11) / D(13))


def test_ahead_of_schedule_and_cost_figures() -> None:
    # At the end of March (AT 3) EV is 80: C = 4, ES = 4 + (80 - 70) / 30 = 4.333...;
    # SPI(t) = 1.444..., IEAC(t) = 11 * 3 / 4.333... = 7.615...; with AC 64 and BAC 230:
    # CPI = 1.25, EAC = 184.
    es = earned_schedule(pv_cumulative=PLAN, ev=80, at=3, ac=64, bac=230)
    assert es.es == 4 + D(1) / D(3)
    assert es.sv_t > 0
    assert es.spi_t is not None
    assert es.spi_t > 1
    assert es.ieac_t is not None
    assert abs(es.ieac_t - D(99) / D(13)) < D("1e-26")
    assert (es.cpi, es.eac, es.ev, es.bac, es.ac) == (D("1.25"), D(184), D(80), D(230), D(64))


def test_edges_of_the_curve() -> None:
    # Nothing earned: ES 0 when period 1 plans something.
    assert earned_schedule(pv_cumulative=PLAN, ev=0, at=1).es == 0
    # Periods that plan nothing count as earned (PV 0 <= EV 0): C = 2, ES = 2.
    assert earned_schedule(pv_cumulative=[0, 0, 50, 100], ev=0, at=1).es == 2
    # EV on a period boundary: exactly that period.
    assert earned_schedule(pv_cumulative=PLAN, ev=70, at=5).es == 4
    # EV at (or, by bad data, past) the last planned value: the whole curve.
    assert earned_schedule(pv_cumulative=PLAN, ev=231, at=12).es == 11
    # A flat stretch (nothing planned in periods 3 and 4): EV 25 with PV 10, 25, 25, 25, 40
    # -> C = 4 (four periods with PV <= 25), ES = 4 + 0 / 15 = 4.
    assert earned_schedule(pv_cumulative=[10, 25, 25, 25, 40], ev=25, at=2).es == 4
    # AT 0 and AT = PD: the undefined indices are None.
    zero = earned_schedule(pv_cumulative=PLAN, ev=0, at=0)
    assert (zero.spi_t, zero.ieac_t, zero.forecast_periods) == (None, None, None)
    assert earned_schedule(pv_cumulative=PLAN, ev=200, at=11).tspi is None
    # pd given overrides the curve's length.
    assert earned_schedule(pv_cumulative=PLAN, ev=115, at=7, pd=12).ieac_t == D(12 * 7) / D("5.5")


def test_from_es_without_a_curve() -> None:
    es = EarnedSchedule.from_es(es=16, at=12)
    assert (es.sv_t, es.pd, es.ieac_t, es.tspi, es.ev) == (D(4), None, None, None, None)
    assert EarnedSchedule.from_es(es=9, at=12, pd=18).ieac_t == D(24)  # 18 / 0.75


def test_earned_schedule_bad_input() -> None:
    with pytest.raises(pmcore.ValidationError,
                       match=r"pv_cumulative\[2\]: .*falls from 25 to 20 in period 3"):
        earned_schedule(pv_cumulative=[10, 25, 20], ev=5, at=1)
    with pytest.raises(pmcore.ValidationError, match="at least one period"):
        earned_schedule(pv_cumulative=[], ev=5, at=1)
    with pytest.raises(pmcore.ValidationError, match=r"pv_cumulative\[0\]"):
        earned_schedule(pv_cumulative=[-1, 5], ev=5, at=1)
    with pytest.raises(pmcore.ValidationError, match=r"earned_schedule\.pd: must be more than 0"):
        earned_schedule(pv_cumulative=[1, 5], ev=5, at=1, pd=0)
    with pytest.raises(pmcore.ValidationError, match=r"earned_schedule\.at"):
        earned_schedule(pv_cumulative=[1, 5], ev=5, at=-1)
    with pytest.raises(pmcore.ValidationError, match="sequence"):
        earned_schedule(pv_cumulative="1,5", ev=5, at=1)  # type: ignore[arg-type]


def test_earned_schedule_repr_and_records() -> None:
    es = earned_schedule(pv_cumulative=PLAN, ev=115, at=7)
    assert repr(es) == ("EarnedSchedule(es=5.5, at=7, pd=11, sv_t=-1.5, spi_t=0.7857, "
                        "ieac_t=14, tspi=1.375)")
    (record,) = es.to_records()
    assert record["es"] == D("5.5")
    assert record["ieac_t"] == D(14)
    assert record["cpi"] is None
    assert es.rounded(2).spi_t == D("0.79")


@given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=30),
       st.data())
def test_es_is_the_inverse_of_the_curve(increments: list[int], data: st.DataObject) -> None:
    curve = [sum(increments[: i + 1]) for i in range(len(increments))]
    # On a period boundary ES is that period.
    k = data.draw(st.integers(min_value=1, max_value=len(curve)))
    assert earned_schedule(pv_cumulative=curve, ev=curve[k - 1], at=1).es == k
    # ES never decreases with EV and stays within the curve.
    a, b = sorted(data.draw(st.lists(st.integers(0, curve[-1]), min_size=2, max_size=2)))
    es_a = earned_schedule(pv_cumulative=curve, ev=a, at=1).es
    es_b = earned_schedule(pv_cumulative=curve, ev=b, at=1).es
    assert 0 <= es_a <= es_b <= len(curve)


def test_a_straight_line_plan_gives_es_proportional_to_ev() -> None:
    # PV rises 40 a week for 10 weeks: ES = EV / 40 anywhere on it.
    curve = [40 * week for week in range(1, 11)]
    for ev in (0, 7, 40, 123, 399, 400):
        assert earned_schedule(pv_cumulative=curve, ev=ev, at=5).es == D(ev) / D(40)
