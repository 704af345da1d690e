"""Earned value and earned schedule formulas on plain numbers.

These are the aggregate formulas of earned value management (EVM) as the PMI Practice Standard
for EVM and the PMBOK Guide state them, and Walt Lipke's earned schedule (ES), for figures that
come from anywhere: a spreadsheet, another tool, an exam question. :func:`evm_metrics` takes
budget at completion, planned value, earned value and actual cost; :func:`earned_schedule`
takes the cumulative planned value per period. The project-level API (``pmcore.finance.evm``)
computes its figures from a plan and applies the same functions.

Arithmetic is :class:`decimal.Decimal` with 28 significant digits, whatever the caller's
decimal context: a float such as ``2.4`` is read as the number it prints (``Decimal("2.4")``),
so published figures come out exact (``2.4 - 1.6`` is ``0.8``, not ``0.7999999999999998``).
An index whose formula would divide by zero (an SPI before anything was planned, a CPI before
anything was spent) is ``None``: it is undefined, and pmcore never raises
:class:`ZeroDivisionError` for it.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeAlias

import attrs

from pmcore.errors import ValidationError
from pmcore.model.resource import parse_money

__all__ = ["EAC_METHODS", "EarnedSchedule", "EvmMetrics", "Number", "earned_schedule",
           "evm_metrics"]

Number: TypeAlias = int | float | Decimal
"""A figure given to the formulas: an ``int``, a ``float`` (read through ``str``) or a
``Decimal``. Strings such as ``"1250.50"`` are accepted too."""

EAC_METHODS = ("cpi", "atypical", "cpi_spi", "bottom_up")
"""The ways :func:`evm_metrics` can forecast the estimate at completion (``eac_method``)."""

# A fixed context: results must not depend on whatever precision the caller's thread has set.
_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN,
                           traps=[decimal.InvalidOperation, decimal.DivisionByZero,
                                  decimal.Overflow])
_HUNDRED = Decimal(100)


def _to_decimal(value: Any, *, entity: str, field: str, minimum: Decimal | None = None,
                above: bool = False) -> Decimal:
    """``value`` as a finite Decimal; ``minimum`` (inclusive, or exclusive with ``above``)."""
    if isinstance(value, float):
        # str() gives the shortest text that reads back as the same float: 2.4 -> "2.4".
        number = Decimal(str(value))
    else:
        # Decimal, int or text: read as money is (parse_money); only floats differ here.
        try:
            number = parse_money(value, entity=entity, field=field)
        except ValidationError:
            raise ValidationError(f"expected a number, got {value!r}", entity=entity,
                                  field=field) from None
    if not number.is_finite():
        raise ValidationError(f"must be a finite number, got {value!r}", entity=entity,
                              field=field)
    if minimum is not None and (number <= minimum if above else number < minimum):
        bound = "more than" if above else "at least"
        raise ValidationError(f"must be {bound} {minimum}, got {value!r}", entity=entity,
                              field=field)
    return number


def _div(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """``numerator / denominator``, or ``None`` where the quotient is undefined."""
    if denominator == 0:
        return None
    return _CONTEXT.divide(numerator, denominator)


def _shown(value: Decimal | None, places: int | None = None) -> str:
    if value is None:
        return "None"
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP,
                               context=_CONTEXT)
    return format(value.normalize(_CONTEXT), "f")


def _rounded(value: Decimal | None, places: int) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_CONTEXT)


_MONEY_FIELDS = ("bac", "pv", "ev", "ac", "sv", "cv", "eac", "eac_cpi", "eac_atypical",
                 "eac_cpi_spi", "eac_bottom_up", "etc", "vac")
_RATIO_FIELDS = ("spi", "cpi", "tcpi_bac", "tcpi_eac", "sv_percent", "cv_percent",
                 "percent_complete", "percent_spent")


@attrs.frozen(kw_only=True, repr=False)
class EvmMetrics:
    """Earned value figures at one status date; made by :func:`evm_metrics`.

    Money is in the unit of the inputs; every value is a ``Decimal`` at full precision (28
    significant digits; use :meth:`rounded` to show it). ``None`` marks a figure that is
    undefined for these inputs (the formula would divide by zero) or needs an input that was
    not given.

    Attributes:
        bac: budget at completion.
        pv: planned value (``None`` when not given).
        ev: earned value.
        ac: actual cost.
        sv: schedule variance ``EV - PV``.
        cv: cost variance ``EV - AC``.
        spi: schedule performance index ``EV / PV``; ``None`` when PV is 0.
        cpi: cost performance index ``EV / AC``; ``None`` when AC is 0.
        eac_method: which forecast ``eac`` is (one of :data:`EAC_METHODS`).
        eac: the estimate at completion by ``eac_method``; by default ``eac_cpi``.
        eac_cpi: ``BAC / CPI``, current cost efficiency continues; ``None`` when EV or AC is
            0 (no CPI, or a CPI of 0 and an infinite forecast).
        eac_atypical: ``AC + (BAC - EV)``, the remaining work at the budgeted rate.
        eac_cpi_spi: ``AC + (BAC - EV) / (CPI x SPI)``, cost and schedule pressure together;
            ``None`` when EV, AC or PV is 0.
        eac_bottom_up: ``AC + ETC`` from a bottom-up estimate to complete; ``None`` without
            ``etc``.
        etc: estimate to complete: the one given, else ``EAC - AC`` for ``eac``.
        vac: variance at completion ``BAC - EAC``.
        tcpi_bac: to-complete performance index to finish on budget,
            ``(BAC - EV) / (BAC - AC)``; ``None`` when AC equals BAC. Above 1 means the
            remaining work must be done more efficiently than planned; below 0, the budget is
            already spent.
        tcpi_eac: to-complete performance index to finish at ``eac``,
            ``(BAC - EV) / (EAC - AC)``; ``None`` when EAC is ``None`` or equals AC.
        sv_percent: ``SV / PV x 100``; ``None`` when PV is 0.
        cv_percent: ``CV / EV x 100``; ``None`` when EV is 0.
        percent_complete: ``EV / BAC x 100`` (the percent complete index of the budget);
            ``None`` when BAC is 0.
        percent_spent: ``AC / BAC x 100``; ``None`` when BAC is 0.

    Percentages run from 0 to 100 (``53.3`` is 53.3 %); indices are ratios (``0.8``).
    """

    bac: Decimal
    pv: Decimal | None
    ev: Decimal
    ac: Decimal
    sv: Decimal | None
    cv: Decimal
    spi: Decimal | None
    cpi: Decimal | None
    eac_method: str
    eac: Decimal | None
    eac_cpi: Decimal | None
    eac_atypical: Decimal
    eac_cpi_spi: Decimal | None
    eac_bottom_up: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi_bac: Decimal | None
    tcpi_eac: Decimal | None
    sv_percent: Decimal | None
    cv_percent: Decimal | None
    percent_complete: Decimal | None
    percent_spent: Decimal | None

    def as_dict(self) -> dict[str, Any]:
        """Every figure by its lower-case name, ``eac_method`` included."""
        return attrs.asdict(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One record holding every figure (see :meth:`as_dict`), for ``pandas.DataFrame``."""
        return [self.as_dict()]

    def rounded(self, places: int = 2) -> EvmMetrics:
        """A copy with every figure rounded half away from zero to ``places`` decimals.

        >>> evm_metrics(bac=500, pv=300, ev=200, ac=250).rounded(2).spi
        Decimal('0.67')
        """
        changes: dict[str, Any] = {name: _rounded(getattr(self, name), places)
                   for name in (*_MONEY_FIELDS, *_RATIO_FIELDS)}
        return attrs.evolve(self, **changes)

    def __repr__(self) -> str:
        money = ", ".join(f"{name}={_shown(getattr(self, name))}"
                          for name in ("bac", "pv", "ev", "ac", "sv", "cv"))
        ratios = ", ".join(f"{name}={_shown(getattr(self, name), 4)}"
                           for name in ("spi", "cpi"))
        forecast = (f"eac={_shown(self.eac, 4)} ({self.eac_method}), etc={_shown(self.etc, 4)}, "
                    f"vac={_shown(self.vac, 4)}, tcpi_bac={_shown(self.tcpi_bac, 4)}")
        return f"EvmMetrics({money}, {ratios}, {forecast})"


def evm_metrics(*, bac: Number, pv: Number | None = None, ev: Number, ac: Number,
                etc: Number | None = None, eac_method: str = "cpi") -> EvmMetrics:
    """Earned value metrics from budget at completion, planned value, earned value, actual cost.

    Args:
        bac: budget at completion (at least 0).
        pv: planned value at the status date, the budgeted cost of work scheduled. Without it
            the schedule figures (``sv``, ``spi``, ``sv_percent``, ``eac_cpi_spi``) are
            ``None``.
        ev: earned value, the budgeted cost of work performed.
        ac: actual cost of work performed.
        etc: a bottom-up estimate to complete, when there is one: it gives ``eac_bottom_up``
            and is reported as ``etc``.
        eac_method: which estimate at completion ``eac``, ``etc``, ``vac`` and ``tcpi_eac``
            use: ``"cpi"`` (``BAC / CPI``, the default), ``"atypical"``, ``"cpi_spi"`` or
            ``"bottom_up"`` (needs ``etc``).

    Figures may be ``int``, ``float`` or ``Decimal``; every result is a ``Decimal``.

    >>> m = evm_metrics(bac=500, pv=300, ev=200, ac=250)
    >>> m.cv, m.sv, m.cpi
    (Decimal('-50'), Decimal('-100'), Decimal('0.8'))
    >>> m.eac, m.etc, m.vac
    (Decimal('625'), Decimal('375'), Decimal('-125'))

    Raises:
        ValidationError: a figure is not a finite number or is negative, naming it; an
            unknown ``eac_method``, or ``"bottom_up"`` without ``etc``.
    """
    entity = "evm_metrics"
    zero = Decimal(0)
    bac_ = _to_decimal(bac, entity=entity, field="bac", minimum=zero)
    pv_ = None if pv is None else _to_decimal(pv, entity=entity, field="pv", minimum=zero)
    ev_ = _to_decimal(ev, entity=entity, field="ev", minimum=zero)
    ac_ = _to_decimal(ac, entity=entity, field="ac", minimum=zero)
    etc_given = None if etc is None else _to_decimal(etc, entity=entity, field="etc",
                                                     minimum=zero)
    if eac_method not in EAC_METHODS:
        raise ValidationError(f"must be one of {', '.join(EAC_METHODS)}, got {eac_method!r}",
                              entity=entity, field="eac_method")
    if eac_method == "bottom_up" and etc_given is None:
        raise ValidationError("the bottom-up estimate at completion needs etc",
                              entity=entity, field="etc")

    with decimal.localcontext(_CONTEXT):
        remaining = bac_ - ev_
        sv = None if pv_ is None else ev_ - pv_
        cv = ev_ - ac_
        spi = None if pv_ is None else _div(ev_, pv_)
        cpi = _div(ev_, ac_)
        # From the inputs rather than through the rounded index, so 8 / (1.6 / 3) is 15.
        eac_cpi = _div(bac_ * ac_, ev_) if ac_ > 0 else None
        eac_atypical = ac_ + remaining
        eac_cpi_spi = None
        if pv_ is not None and pv_ > 0 and ac_ > 0 and ev_ > 0:
            eac_cpi_spi = ac_ + _CONTEXT.divide(remaining * ac_ * pv_, ev_ * ev_)
        eac_bottom_up = None if etc_given is None else ac_ + etc_given
        eac = {"cpi": eac_cpi, "atypical": eac_atypical, "cpi_spi": eac_cpi_spi,
               "bottom_up": eac_bottom_up}[eac_method]
        etc_ = etc_given if etc_given is not None else (None if eac is None else eac - ac_)
        vac = None if eac is None else bac_ - eac
        tcpi_bac = _div(remaining, bac_ - ac_)
        tcpi_eac = None if eac is None else _div(remaining, eac - ac_)
        sv_percent = None if sv is None or pv_ is None else _div(sv * _HUNDRED, pv_)
        cv_percent = _div(cv * _HUNDRED, ev_)
        percent_complete = _div(ev_ * _HUNDRED, bac_)
        percent_spent = _div(ac_ * _HUNDRED, bac_)
    return EvmMetrics(bac=bac_, pv=pv_, ev=ev_, ac=ac_, sv=sv, cv=cv, spi=spi, cpi=cpi,
                      eac_method=eac_method, eac=eac, eac_cpi=eac_cpi,
                      eac_atypical=eac_atypical, eac_cpi_spi=eac_cpi_spi,
                      eac_bottom_up=eac_bottom_up, etc=etc_, vac=vac, tcpi_bac=tcpi_bac,
                      tcpi_eac=tcpi_eac, sv_percent=sv_percent, cv_percent=cv_percent,
                      percent_complete=percent_complete, percent_spent=percent_spent)


_ES_FIELDS = ("es", "at", "pd", "sv_t", "spi_t", "ieac_t", "tspi", "forecast_periods", "ev",
              "bac", "ac", "cpi", "eac")


@attrs.frozen(kw_only=True, repr=False)
class EarnedSchedule:
    """Earned schedule figures at one status date; made by :func:`earned_schedule`.

    Times are in periods of the planned value curve (weeks, months, ...), as ``Decimal``.
    ``None`` marks a figure that is undefined for these inputs or needs one not given.

    Attributes:
        es: earned schedule, the time at which the plan expected today's earned value.
        at: actual time, the periods elapsed from the start to the status date.
        pd: planned duration in periods.
        sv_t: schedule variance in time ``ES - AT`` (negative: behind schedule).
        spi_t: schedule performance index in time ``ES / AT``; ``None`` when AT is 0.
        ieac_t: independent estimate at completion in time, the forecast total duration
            ``PD / SPI(t)`` (equal to ``AT + (PD - ES) / SPI(t)``); ``None`` when ES or AT is
            0 or PD is unknown.
        tspi: to-complete schedule performance index ``(PD - ES) / (PD - AT)``, the
            efficiency the rest of the work needs to finish on time; ``None`` when AT equals
            PD or PD is unknown.
        forecast_periods: the periods still to go at the current efficiency,
            ``(PD - ES) / SPI(t) = IEAC(t) - AT``, counted from the status date.
        ev: the earned value the schedule was earned with (``None`` from :meth:`from_es`).
        bac, ac: budget at completion and actual cost, when given.
        cpi: ``EV / AC`` when ``ac`` was given (``None`` when AC is 0).
        eac: ``BAC / CPI`` when ``bac`` and ``ac`` were given (``None`` when EV or AC is 0).
    """

    es: Decimal
    at: Decimal
    pd: Decimal | None = None
    sv_t: Decimal
    spi_t: Decimal | None
    ieac_t: Decimal | None
    tspi: Decimal | None
    forecast_periods: Decimal | None
    ev: Decimal | None = None
    bac: Decimal | None = None
    ac: Decimal | None = None
    cpi: Decimal | None = None
    eac: Decimal | None = None

    @classmethod
    def from_es(cls, *, es: Number, at: Number, pd: Number | None = None) -> EarnedSchedule:
        """The time-based indicators from an earned schedule already known.

        >>> EarnedSchedule.from_es(es=16, at=12).sv_t
        Decimal('4')
        """
        entity = "earned_schedule"
        zero = Decimal(0)
        es_ = _to_decimal(es, entity=entity, field="es", minimum=zero)
        at_ = _to_decimal(at, entity=entity, field="at", minimum=zero)
        pd_ = None if pd is None else _to_decimal(pd, entity=entity, field="pd", minimum=zero,
                                                  above=True)
        return cls._build(es=es_, at=at_, pd=pd_)

    @classmethod
    def _build(cls, *, es: Decimal, at: Decimal, pd: Decimal | None,
               **cost: Decimal | None) -> EarnedSchedule:
        with decimal.localcontext(_CONTEXT):
            spi_t = _div(es, at)
            ieac_t = None
            if pd is not None and es > 0 and at > 0:
                ieac_t = _CONTEXT.divide(pd * at, es)
            tspi = None if pd is None else _div(pd - es, pd - at)
            forecast = None if ieac_t is None else ieac_t - at
            return cls(es=es, at=at, pd=pd, sv_t=es - at, spi_t=spi_t, ieac_t=ieac_t,
                       tspi=tspi, forecast_periods=forecast, **cost)

    def as_dict(self) -> dict[str, Any]:
        """Every figure by its lower-case name."""
        return attrs.asdict(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One record holding every figure (see :meth:`as_dict`), for ``pandas.DataFrame``."""
        return [self.as_dict()]

    def rounded(self, places: int = 2) -> EarnedSchedule:
        """A copy with every figure rounded half away from zero to ``places`` decimals."""
        changes: dict[str, Any] = {name: _rounded(getattr(self, name), places)
                                   for name in _ES_FIELDS}
        return attrs.evolve(self, **changes)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={_shown(getattr(self, name), 4)}"
                          for name in ("es", "at", "pd", "sv_t", "spi_t", "ieac_t", "tspi"))
        return f"EarnedSchedule({shown})"


def earned_schedule(*, pv_cumulative: Sequence[Number], ev: Number, at: Number,
                    pd: Number | None = None, ac: Number | None = None,
                    bac: Number | None = None) -> EarnedSchedule:
    """Lipke's earned schedule and the time-based indicators from a planned value curve.

    ``pv_cumulative[i]`` is the cumulative planned value at the **end** of period ``i + 1``
    (the first item closes period 1; the curve is 0 at the start, time 0). The earned
    schedule is ``ES = C + (EV - PV_C) / (PV_{C+1} - PV_C)``, where ``C`` is the number of
    whole periods whose cumulative planned value is at most EV: the plan's time at which
    today's earned value was due, by linear interpolation within period ``C + 1``. When EV
    reaches the last planned value, ES is the number of periods on the curve.

    Args:
        pv_cumulative: the planned value curve, one cumulative figure per period; never
            decreasing.
        ev: the cumulative earned value at the status date.
        at: actual time, the periods elapsed from the start to the status date (fractions
            are allowed).
        pd: planned duration in periods; by default ``len(pv_cumulative)``.
        ac: actual cost, for ``cpi``; bac: budget at completion, for ``eac``.

    Lipke's illustration (*Earned Schedule Concept*) has the plan's May (period 5) fully
    earned and part of June at the end of July (AT = 7): ES = 5 + (EV - PV(May)) /
    (PV(June) - PV(May)).

    >>> es = earned_schedule(pv_cumulative=[10, 30, 60, 100], ev=45, at=3)
    >>> es.es, es.sv_t, es.spi_t, es.ieac_t
    (Decimal('2.5'), Decimal('-0.5'), Decimal('0.8333333333333333333333333333'), Decimal('4.8'))

    Raises:
        ValidationError: an empty or decreasing curve (naming the period), a negative figure,
            a planned duration that is not positive.
    """
    entity = "earned_schedule"
    zero = Decimal(0)
    if isinstance(pv_cumulative, str) or not isinstance(pv_cumulative, Sequence):
        raise ValidationError(f"expected a sequence of cumulative planned values, got "
                              f"{pv_cumulative!r}", entity=entity, field="pv_cumulative")
    if not pv_cumulative:
        raise ValidationError("needs at least one period", entity=entity,
                              field="pv_cumulative")
    curve: list[Decimal] = []
    for index, item in enumerate(pv_cumulative):
        value = _to_decimal(item, entity=entity, field=f"pv_cumulative[{index}]",
                            minimum=zero)
        if curve and value < curve[-1]:
            raise ValidationError(f"cumulative planned value falls from {curve[-1]} to "
                                  f"{value} in period {index + 1}", entity=entity,
                                  field=f"pv_cumulative[{index}]")
        curve.append(value)
    ev_ = _to_decimal(ev, entity=entity, field="ev", minimum=zero)
    at_ = _to_decimal(at, entity=entity, field="at", minimum=zero)
    pd_ = (Decimal(len(curve)) if pd is None
           else _to_decimal(pd, entity=entity, field="pd", minimum=zero, above=True))
    ac_ = None if ac is None else _to_decimal(ac, entity=entity, field="ac", minimum=zero)
    bac_ = None if bac is None else _to_decimal(bac, entity=entity, field="bac", minimum=zero)

    with decimal.localcontext(_CONTEXT):
        # The curve never decreases, so the periods with PV <= EV are the first `whole`.
        whole = sum(1 for value in curve if value <= ev_)
        if whole == len(curve):
            es = Decimal(whole)
        else:
            before = curve[whole - 1] if whole else zero
            # curve[whole] > EV >= before, so the increment is positive.
            es = whole + _CONTEXT.divide(ev_ - before, curve[whole] - before)
        cpi = None if ac_ is None else _div(ev_, ac_)
        eac = None
        if bac_ is not None and ac_ is not None and ac_ > 0 and ev_ > 0:
            eac = _CONTEXT.divide(bac_ * ac_, ev_)
    return EarnedSchedule._build(es=es, at=at_, pd=pd_, ev=ev_, bac=bac_, ac=ac_, cpi=cpi,
                                 eac=eac)
