"""The business case of a project: NPV, IRR, ROI, payback and benefit-cost ratio.

A project's business case is a list of dated :class:`CashFlow` items: its costs (from the plan
or entered) and the benefits the user expects. :func:`business_case` gathers every figure for
one project in a :class:`BusinessCase`, so the projects of a portfolio can be set side by
side; the functions it uses are public on their own.

Conventions, stated once:

* **Money** is :class:`decimal.Decimal` (a ``CashFlow`` refuses a float amount). A cash flow's
  ``amount`` is its size, never negative; ``kind`` (``"cost"`` or ``"benefit"``) gives its
  direction, and :attr:`CashFlow.net` its signed value.
* **Rates** are annual effective rates (``0.09`` is 9 % a year), ``float`` or ``Decimal``.
* **Dated flows** are discounted by the actual days elapsed over 365, from the earliest flow
  (or from ``on``): the factor of a flow ``d`` days later is ``(1 + rate) ** -(d / 365)``,
  which is what Excel's XNPV and XIRR do. ``basis="continuous"`` reads the rate as
  continuously compounded instead: ``exp(-rate * d / 365)``.
* **Periodic amounts** (a plain sequence of numbers, one per period, for textbook checks):
  ``amounts[0]`` is *now* and is not discounted, ``amounts[i]`` falls ``i`` periods later.
  Excel's ``NPV(rate, v1, ..., vn)`` instead discounts its first value by one period; it is
  ``npv_periodic([v1, ..., vn], rate, first_period=1)``.
* **Payback** treats each flow as earned evenly since the flow before it (the textbook's
  "cash flows arrive evenly during the year"), so the time is interpolated within the period
  in which the cumulative net cash flow turns non-negative for good.

Arithmetic is Decimal with 28 significant digits whatever the caller's decimal context;
fractional powers are correctly rounded.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any, cast

import attrs

from pmcore.errors import ValidationError
from pmcore.finance.metrics import _CONTEXT, Number, _shown, _to_decimal
from pmcore.model.base import to_date
from pmcore.model.resource import to_money

__all__ = [
    "BASES",
    "BusinessCase",
    "CashFlow",
    "benefit_cost_ratio",
    "business_case",
    "discounted_payback_period",
    "irr",
    "irr_periodic",
    "npv",
    "npv_periodic",
    "payback_period",
    "roi",
    "xirr",
    "xnpv",
]

BASES = ("annual", "continuous")
"""How a rate discounts time: ``"annual"`` (effective annual rate, days / 365, as Excel's
XNPV) or ``"continuous"`` (continuously compounded annual rate)."""

KINDS = ("cost", "benefit")

_DAYS_PER_YEAR = Decimal(365)
_MAX_NEWTON = 100
_MAX_BISECTION = 300
_TOLERANCE = Decimal("1e-20")
_RATE_PLACES = 18  # an iterated rate is known to about 1e-20; report 18 decimals
# Where bisection looks for a sign change when Newton's method does not converge: annual
# rates from -99.9999999999 % to 1,000,000 %.
_GRID = tuple(Decimal(x) for x in (
    "-0.999999999999", "-0.9999999999", "-0.99999999", "-0.999999", "-0.99999", "-0.9999",
    "-0.999", "-0.99", "-0.95", "-0.9", "-0.8", "-0.7", "-0.6", "-0.5", "-0.4",
    "-0.3", "-0.2", "-0.1", "-0.05", "0", "0.05", "0.1", "0.15", "0.2", "0.3", "0.4", "0.5",
    "0.75", "1", "1.5", "2", "3", "5", "10", "20", "50", "100", "1000", "10000"))


# --------------------------------------------------------------------------- cash flows


@attrs.frozen(repr=False)
class CashFlow:
    """One dated amount of a business case: a cost or a benefit.

    Attributes:
        date: the day the money moves (a ``date`` or an ISO string).
        amount: its size, at least 0: a ``Decimal``, a whole number or a string such as
            ``"1250.50"`` (a float is refused: money is exact).
        kind: ``"cost"`` (money out, the default) or ``"benefit"`` (money in or saved).
        label: what it is, for reports.
        currency: an ISO code such as ``"EUR"``; flows of different currencies cannot be
            added up.

    >>> CashFlow("2027-01-04", "25000", label="licences").net
    Decimal('-25000')
    >>> CashFlow.benefit("2027-12-31", 12000).net
    Decimal('12000')
    """

    date: dt.date
    amount: Decimal
    kind: str = "cost"
    label: str = ""
    currency: str | None = None

    def __attrs_post_init__(self) -> None:
        where = f"cash flow {self.label!r}" if self.label else "cash flow"
        if not isinstance(self.label, str):
            raise ValidationError(f"must be text, got {self.label!r}", entity="cash flow",
                                  field="label")
        try:
            object.__setattr__(self, "date", to_date(self.date))
        except ValidationError as error:
            raise ValidationError(error.reason, entity=where, field="date") from None
        object.__setattr__(self, "amount", to_money(self.amount, entity=where, field="amount"))
        if self.kind not in KINDS:
            raise ValidationError(f"must be 'cost' or 'benefit', got {self.kind!r}",
                                  entity=where, field="kind")
        if self.currency is not None and (not isinstance(self.currency, str)
                                          or not self.currency.strip()):
            raise ValidationError(f"must be a currency code such as 'EUR', got "
                                  f"{self.currency!r}", entity=where, field="currency")

    @classmethod
    def cost(cls, date: dt.date | str, amount: Decimal | int | str, label: str = "",
             currency: str | None = None) -> CashFlow:
        """A cost (money out) of ``amount`` on ``date``."""
        return cls(date, amount, "cost", label, currency)  # type: ignore[arg-type]

    @classmethod
    def benefit(cls, date: dt.date | str, amount: Decimal | int | str, label: str = "",
                currency: str | None = None) -> CashFlow:
        """A benefit (money in or saved) of ``amount`` on ``date``."""
        return cls(date, amount, "benefit", label, currency)  # type: ignore[arg-type]

    @property
    def net(self) -> Decimal:
        """The signed amount: negative for a cost, positive for a benefit."""
        return -self.amount if self.kind == "cost" else self.amount

    def __repr__(self) -> str:
        extra = f", label={self.label!r}" if self.label else ""
        if self.currency:
            extra += f", currency={self.currency!r}"
        return f"CashFlow({self.date.isoformat()}, {self.kind} {self.amount}{extra})"


def _cash_flows(flows: Iterable[CashFlow], entity: str) -> list[CashFlow]:
    items = list(flows) if isinstance(flows, Iterable) else None
    if items is None or not all(isinstance(f, CashFlow) for f in items):
        raise ValidationError(f"expected CashFlow items, got {flows!r}", entity=entity,
                              field="flows")
    if not items:
        raise ValidationError("needs at least one cash flow", entity=entity, field="flows")
    currencies = sorted({f.currency for f in items if f.currency is not None})
    if len(currencies) > 1:
        raise ValidationError(f"mixes currencies {', '.join(currencies)}: convert them to one "
                              f"first", entity=entity, field="currency")
    return items


def _rate(value: Any, *, entity: str, basis: str) -> Decimal:
    if basis not in BASES:
        raise ValidationError(f"must be one of {', '.join(BASES)}, got {basis!r}",
                              entity=entity, field="basis")
    if basis == "annual":
        return _to_decimal(value, entity=entity, field="rate", minimum=Decimal(-1), above=True)
    return _to_decimal(value, entity=entity, field="rate")


def _factor(rate: Decimal, years: Decimal, basis: str) -> Decimal:
    """The discount factor of an amount ``years`` after the origin."""
    if basis == "continuous":
        return _CONTEXT.exp(-rate * years)
    if years == years.to_integral_value():
        return _CONTEXT.power(1 + rate, -int(years))
    return _CONTEXT.power(1 + rate, -years)


# A flow as the formulas see it: time from the origin (years for dated flows, periods for
# periodic amounts) and signed amount.
_Point = tuple[Decimal, Decimal]


def _dated_points(items: Sequence[CashFlow], on: dt.date | str | None,
                  entity: str) -> tuple[list[_Point], dt.date]:
    origin = min(f.date for f in items) if on is None else _on(on, entity)
    points = [(Decimal((f.date - origin).days) / _DAYS_PER_YEAR, f.net)
              for f in sorted(items, key=lambda f: f.date)]
    return points, origin


def _on(on: dt.date | str, entity: str) -> dt.date:
    try:
        return to_date(on)
    except ValidationError as error:
        raise ValidationError(error.reason, entity=entity, field="on") from None


def _periodic_points(amounts: Sequence[Number], entity: str, field: str = "amounts",
                     first_period: int = 0) -> list[_Point]:
    if isinstance(amounts, str) or not isinstance(amounts, Sequence):
        raise ValidationError(f"expected a sequence of amounts, got {amounts!r}",
                              entity=entity, field=field)
    if not amounts:
        raise ValidationError("needs at least one amount", entity=entity, field=field)
    return [(Decimal(first_period + i),
             _to_decimal(a, entity=entity, field=f"{field}[{i}]"))
            for i, a in enumerate(amounts)]


def _points(flows: Iterable[CashFlow] | Sequence[Number], on: dt.date | str | None,
            entity: str) -> tuple[list[_Point], list[CashFlow] | None]:
    """Dated flows or periodic amounts as points; the cash flows too when they are dated."""
    items = list(flows) if isinstance(flows, Iterable) and not isinstance(flows, str) \
        else None
    if items and all(isinstance(f, CashFlow) for f in items):
        cash = _cash_flows(cast(list[CashFlow], items), entity)
        return _dated_points(cash, on, entity)[0], cash
    if items is not None and not any(isinstance(f, CashFlow) for f in items):
        return _periodic_points(cast(list[Number], items), entity, field="flows"), None
    raise ValidationError(f"expected CashFlow items or a sequence of amounts, got {flows!r}",
                          entity=entity, field="flows")


def _present_value(points: Sequence[_Point], rate: Decimal, basis: str) -> Decimal:
    with decimal.localcontext(_CONTEXT):
        return sum((amount * _factor(rate, t, basis) for t, amount in points), Decimal(0))


def _tidy(value: Decimal, places: int | None = None) -> Decimal:
    """Without the trailing zeros fractional powers leave (``200.000...`` is ``200``).

    ``places`` first drops digits below the precision a result is known to (an iterated
    rate).
    """
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), context=_CONTEXT)
    value = value.normalize(_CONTEXT)
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value  # type: ignore[operator]


# --------------------------------------------------------------------------- NPV


def npv(flows: Iterable[CashFlow], rate: Number, *, on: dt.date | str | None = None,
        basis: str = "annual") -> Decimal:
    """Net present value of dated cash flows at ``rate``, on the earliest flow's date or ``on``.

    Each flow is discounted by the actual days from the origin over 365 (Excel's XNPV);
    flows before ``on`` are compounded forward to it.

    >>> flows = [CashFlow.cost("2027-01-01", 1000), CashFlow.benefit("2028-01-01", 1210)]
    >>> npv(flows, 0.10)  # 2027 has 365 days: -1000 + 1210 / 1.1
    Decimal('100')

    Raises:
        ValidationError: no flows or not ``CashFlow`` items, mixed currencies, a rate of
            -100 % or less, an unknown ``basis``.
    """
    entity = "npv"
    items = _cash_flows(flows, entity)
    rate_ = _rate(rate, entity=entity, basis=basis)
    points, _ = _dated_points(items, on, entity)
    return _tidy(_present_value(points, rate_, basis))


def npv_periodic(amounts: Sequence[Number], rate: Number, *, first_period: int = 0) -> Decimal:
    """Net present value of one amount per period (positive in, negative out).

    ``amounts[i]`` falls ``first_period + i`` periods from now and is discounted by
    ``(1 + rate) ** (first_period + i)``. With the default ``first_period=0`` the first
    amount is *now* and not discounted (the textbook's year 0); ``first_period=1`` is Excel's
    ``NPV(rate, value1, ...)``, which discounts its first value by one period.

    >>> npv_periodic([-10000, 3000, 4200, 6800], 0.10, first_period=1).quantize(Decimal("0.01"))
    Decimal('1188.44')

    Raises:
        ValidationError: no amounts, a non-number (naming its index), a rate of -100 % or
            less.
    """
    entity = "npv_periodic"
    rate_ = _rate(rate, entity=entity, basis="annual")
    return _tidy(_present_value(_periodic_points(amounts, entity, first_period=first_period),
                                rate_, "annual"))


def xnpv(rate: Number, values: Sequence[Number], dates: Sequence[dt.date | str]) -> Decimal:
    """Excel's XNPV: the net present value of signed ``values`` on ``dates``.

    The first date is the origin; every other date must not precede it (Excel answers #NUM!).

    >>> xnpv(0.09, [-10000, 2750, 4250, 3250, 2750], ["2008-01-01", "2008-03-01",
    ...      "2008-10-30", "2009-02-15", "2009-04-01"]).quantize(Decimal("0.01"))
    Decimal('2086.65')
    """
    entity = "xnpv"
    rate_ = _rate(rate, entity=entity, basis="annual")
    return _tidy(_present_value(_excel_points(values, dates, entity), rate_, "annual"))


def _excel_points(values: Sequence[Number], dates: Sequence[dt.date | str],
                  entity: str) -> list[_Point]:
    amounts = _periodic_points(values, entity, field="values")
    if isinstance(dates, str) or not isinstance(dates, Sequence) or \
            len(dates) != len(amounts):
        raise ValidationError(f"needs one date per value ({len(amounts)}), got {dates!r}",
                              entity=entity, field="dates")
    days: list[dt.date] = []
    for i, day in enumerate(dates):
        try:
            days.append(to_date(day))
        except ValidationError as error:
            raise ValidationError(error.reason, entity=entity, field=f"dates[{i}]") from None
        if days[i] < days[0]:
            raise ValidationError(f"{days[i]} is before the first date {days[0]}",
                                  entity=entity, field=f"dates[{i}]")
    return [(Decimal((day - days[0]).days) / _DAYS_PER_YEAR, amount)
            for day, (_, amount) in zip(days, amounts, strict=True)]


# --------------------------------------------------------------------------- IRR


def _solve_irr(points: Sequence[_Point], guess: Decimal, entity: str) -> Decimal:
    """The annual rate at which the points' NPV is zero: Newton, else bisection."""
    # Zero amounts change nothing but cost a power each.
    points = [(t, amount) for t, amount in points if amount != 0]
    signs = {amount > 0 for _, amount in points}
    if signs != {True, False}:
        raise ValidationError("needs at least one negative and one positive amount: the NPV "
                              "has no zero", entity=entity, field="flows")
    with decimal.localcontext(_CONTEXT):
        rate = guess
        try:
            for _ in range(_MAX_NEWTON):
                value = Decimal(0)
                slope = Decimal(0)
                for t, amount in points:
                    discounted = amount * _factor(rate, t, "annual")
                    value += discounted
                    slope -= t * discounted / (1 + rate)
                if slope == 0:
                    break
                step = value / slope
                if rate - step <= -1:
                    # Never jump to -100 % or below: go halfway there instead.
                    step = (rate + 1) / 2
                rate -= step
                if abs(step) <= _TOLERANCE * max(Decimal(1), abs(rate)):
                    return _tidy(rate, _RATE_PLACES)
        except ArithmeticError:
            pass  # a step so wild the powers overflow: bisection is bounded
        return _tidy(_bisect(points, guess, entity), _RATE_PLACES)


def _bisect(points: Sequence[_Point], guess: Decimal, entity: str) -> Decimal:
    values = [(r, _present_value(points, r, "annual")) for r in _GRID]
    brackets = [(lo, hi, f_lo) for (lo, f_lo), (hi, f_hi) in pairwise(values)
                if f_lo == 0 or (f_lo < 0) != (f_hi < 0)]
    if not brackets:
        raise ValidationError(f"no rate between {_shown(_GRID[0] * 100)} % and "
                              f"{_shown(_GRID[-1] * 100)} % makes the NPV zero",
                              entity=entity, field="flows")
    # Of several roots, the bracket nearest the guess.
    lo, hi, f_lo = min(brackets, key=lambda b: abs((b[0] + b[1]) / 2 - guess))
    if f_lo == 0:
        return lo
    with decimal.localcontext(_CONTEXT):
        for _ in range(_MAX_BISECTION):
            mid = (lo + hi) / 2
            f_mid = _present_value(points, mid, "annual")
            if f_mid == 0 or hi - lo <= _TOLERANCE:
                return mid
            if (f_mid < 0) == (f_lo < 0):
                lo, f_lo = mid, f_mid
            else:
                hi = mid
        return (lo + hi) / 2


def _as_basis(rate: Decimal, basis: str) -> Decimal:
    return _CONTEXT.ln(1 + rate) if basis == "continuous" else rate


def irr(flows: Iterable[CashFlow], *, guess: Number = 0.1, basis: str = "annual") -> Decimal:
    """Internal rate of return of dated cash flows: the rate at which :func:`npv` is zero.

    Newton's method from ``guess`` (at most 100 steps, never below -100 %), then bisection
    over annual rates from -99.9999999999 % to 1,000,000 % when it does not converge. Cash
    flows that change sign more than once may have several rates; the one returned is the one
    Newton's method reaches from ``guess``, else the root bracketed nearest to it. With
    ``basis="continuous"`` the rate is the continuously compounded one, ``ln(1 + annual
    IRR)``.

    Raises:
        ValidationError: the flows are all costs or all benefits (no sign change), or no rate
            in that range makes the NPV zero.
    """
    entity = "irr"
    items = _cash_flows(flows, entity)
    _rate(0, entity=entity, basis=basis)
    points, _ = _dated_points(items, None, entity)
    guess_ = _to_decimal(guess, entity=entity, field="guess", minimum=Decimal(-1), above=True)
    return _as_basis(_solve_irr(points, guess_, entity), basis)


def irr_periodic(amounts: Sequence[Number], *, guess: Number = 0.1) -> Decimal:
    """Internal rate of return of one amount per period, as Excel's IRR.

    >>> rate = irr_periodic([-70000, 12000, 15000, 18000, 21000, 26000])
    >>> round(rate * 100, 2)
    Decimal('8.66')

    Raises:
        ValidationError: as :func:`irr`.
    """
    entity = "irr_periodic"
    guess_ = _to_decimal(guess, entity=entity, field="guess", minimum=Decimal(-1), above=True)
    return _solve_irr(_periodic_points(amounts, entity), guess_, entity)


def xirr(values: Sequence[Number], dates: Sequence[dt.date | str],
         guess: Number = 0.1) -> Decimal:
    """Excel's XIRR: the rate at which :func:`xnpv` of ``values`` on ``dates`` is zero.

    Solved to about 1e-20; Excel stops within 0.000001 % (1e-8), so its figures can differ
    in the ninth decimal: Excel's documentation shows 0.373362535 for this example, whose
    rate is 0.37336253352.

    >>> xirr([-10000, 2750, 4250, 3250, 2750], ["2008-01-01", "2008-03-01", "2008-10-30",
    ...      "2009-02-15", "2009-04-01"]).quantize(Decimal("1e-11"))
    Decimal('0.37336253352')
    """
    entity = "xirr"
    guess_ = _to_decimal(guess, entity=entity, field="guess", minimum=Decimal(-1), above=True)
    return _solve_irr(_excel_points(values, dates, entity), guess_, entity)


# --------------------------------------------------------------------------- ROI, BCR, payback


def _totals(flows: Iterable[CashFlow] | Sequence[Number],
            entity: str) -> tuple[Decimal, Decimal]:
    """Total costs and total benefits (both at least 0), undiscounted."""
    points, cash = _points(flows, None, entity)
    if cash is not None:
        costs = sum((f.amount for f in cash if f.kind == "cost"), Decimal(0))
        benefits = sum((f.amount for f in cash if f.kind == "benefit"), Decimal(0))
    else:
        costs = -sum((a for _, a in points if a < 0), Decimal(0))
        benefits = sum((a for _, a in points if a > 0), Decimal(0))
    return costs, benefits


def roi(flows: Iterable[CashFlow] | Sequence[Number]) -> Decimal | None:
    """Return on investment ``(benefits - costs) / costs``, undiscounted, as a ratio.

    ``0.25`` is 25 %. Plain amounts count their negative items as costs and their positive
    ones as benefits. ``None`` when there are no costs.

    >>> roi([CashFlow.cost("2027-01-01", 1000), CashFlow.benefit("2027-12-31", 1250)])
    Decimal('0.25')
    """
    costs, benefits = _totals(flows, "roi")
    with decimal.localcontext(_CONTEXT):
        return None if costs == 0 else (benefits - costs) / costs


def benefit_cost_ratio(flows: Iterable[CashFlow] | Sequence[Number], rate: Number = 0, *,
                       on: dt.date | str | None = None, basis: str = "annual") -> Decimal | None:
    """Present value of the benefits over the present value of the costs.

    Discounted at ``rate`` as :func:`npv` (dated flows) or :func:`npv_periodic` (plain
    amounts); ``rate=0`` gives the undiscounted ratio. Above 1, the benefits outweigh the
    costs. ``None`` when there are no costs.
    """
    entity = "benefit_cost_ratio"
    rate_ = _rate(rate, entity=entity, basis=basis)
    points, _ = _points(flows, on, entity)
    costs = -_present_value([(t, a) for t, a in points if a < 0], rate_, basis)
    benefits = _present_value([(t, a) for t, a in points if a > 0], rate_, basis)
    with decimal.localcontext(_CONTEXT):
        return None if costs == 0 else _tidy(benefits / costs)


def _payback(points: Sequence[_Point]) -> Decimal | None:
    """When the cumulative amount turns non-negative for good, interpolated within its period.

    Each amount is taken as earned evenly since the point before it.
    """
    merged: dict[Decimal, Decimal] = {}
    for t, amount in points:
        merged[t] = merged.get(t, Decimal(0)) + amount
    times = sorted(merged)
    with decimal.localcontext(_CONTEXT):
        cumulative: list[Decimal] = []
        total = Decimal(0)
        for t in times:
            total += merged[t]
            cumulative.append(total)
        if total < 0:
            return None
        # The last point at which the cumulative amount is still negative.
        last_negative = max((i for i, c in enumerate(cumulative) if c < 0), default=None)
        if last_negative is None:
            return Decimal(0)
        k = last_negative + 1
        before = times[last_negative]
        share = -cumulative[last_negative] / merged[times[k]]
        return _tidy(before + share * (times[k] - before))


def payback_period(flows: Iterable[CashFlow] | Sequence[Number], *,
                   on: dt.date | str | None = None) -> Decimal | None:
    """How long until the cumulative net cash flow is recovered, undiscounted.

    For dated flows, in years (days / 365) from the earliest flow or ``on``; for plain
    amounts, in periods (``amounts[0]`` is now). The time is interpolated within the period
    in which the cumulative net cash flow turns non-negative for good, the period's amount
    being earned evenly over it. ``None`` when it never does; 0 when nothing is ever owed.

    >>> payback_period([-1000, 300, 400, 500])  # -1000, -700, -300, +200: 2 + 300/500
    Decimal('2.6')
    """
    points, _ = _points(flows, on, "payback_period")
    return _payback(points)


def discounted_payback_period(flows: Iterable[CashFlow] | Sequence[Number], rate: Number, *,
                              on: dt.date | str | None = None,
                              basis: str = "annual") -> Decimal | None:
    """:func:`payback_period` of the flows discounted at ``rate`` (as :func:`npv`).

    ``None`` when the discounted flows never recover the costs, which is when the NPV is
    negative.
    """
    entity = "discounted_payback_period"
    rate_ = _rate(rate, entity=entity, basis=basis)
    points, _ = _points(flows, on, entity)
    with decimal.localcontext(_CONTEXT):
        discounted = [(t, a * _factor(rate_, t, basis)) for t, a in points]
    return _payback(discounted)


# --------------------------------------------------------------------------- business case


def _date_after(origin: dt.date, years: Decimal | None) -> dt.date | None:
    if years is None:
        return None
    # The money is back during that day: report the day it is complete. Rounded first so
    # that 609/365 years, stored to 28 digits, is day 609 and not 610.
    days = (years * _DAYS_PER_YEAR).quantize(Decimal("1e-9"), context=_CONTEXT)
    return origin + dt.timedelta(days=math.ceil(days))


@attrs.frozen(kw_only=True, repr=False)
class BusinessCase:
    """The investment figures of one project; made by :func:`business_case`.

    Attributes:
        name: the project's name.
        currency: the flows' currency, when they name one.
        rate: the discount rate (annual).
        start: the origin the flows are discounted to (the earliest flow or ``on``).
        end: the date of the last flow.
        total_cost, total_benefit: undiscounted sums; ``net`` their difference.
        npv: net present value at ``rate``.
        irr: internal rate of return; ``None`` when there is none (no sign change, or no
            rate in -99.9999999999 % .. 1,000,000 %).
        roi: ``(benefits - costs) / costs``, undiscounted; ``None`` without costs.
        benefit_cost_ratio: present value of benefits over present value of costs at ``rate``.
        payback_years, discounted_payback_years: years from ``start`` until the costs are
            recovered (undiscounted, discounted); ``None`` if never.
        payback_date, discounted_payback_date: the days they are reached.
    """

    name: str
    currency: str | None
    rate: Decimal
    start: dt.date
    end: dt.date
    total_cost: Decimal
    total_benefit: Decimal
    net: Decimal
    npv: Decimal
    irr: Decimal | None
    roi: Decimal | None
    benefit_cost_ratio: Decimal | None
    payback_years: Decimal | None
    discounted_payback_years: Decimal | None
    payback_date: dt.date | None
    discounted_payback_date: dt.date | None

    def as_dict(self) -> dict[str, Any]:
        """Every figure by name."""
        return attrs.asdict(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One record for the project, so the cases of a portfolio make one table."""
        return [self.as_dict()]

    def __repr__(self) -> str:
        irr_ = "None" if self.irr is None else f"{_shown(self.irr * 100, 2)} %"
        money = f" {self.currency}" if self.currency else ""
        def years(value: Decimal | None) -> str:
            return "never" if value is None else f"{_shown(value, 2)} y"

        return (f"BusinessCase({self.name!r}, npv={_shown(self.npv, 2)}{money} at "
                f"{_shown(self.rate * 100)} %, irr={irr_}, roi={_shown(self.roi, 4)}, "
                f"bcr={_shown(self.benefit_cost_ratio, 4)}, "
                f"payback={years(self.payback_years)}, "
                f"discounted payback={years(self.discounted_payback_years)})")


def business_case(flows: Iterable[CashFlow], rate: Number, *, name: str = "",
                  on: dt.date | str | None = None, basis: str = "annual") -> BusinessCase:
    """Every business-case figure of one project's dated cash flows, at discount ``rate``.

    >>> case = business_case([CashFlow.cost("2027-01-01", 1000),
    ...                       CashFlow.benefit("2028-01-01", 1320)], 0.1, name="CRM")
    >>> case.npv, case.irr, case.roi, case.benefit_cost_ratio
    (Decimal('200'), Decimal('0.32'), Decimal('0.32'), Decimal('1.2'))

    Raises:
        ValidationError: as :func:`npv`.
    """
    entity = f"business case {name!r}" if name else "business case"
    items = _cash_flows(flows, entity)
    rate_ = _rate(rate, entity=entity, basis=basis)
    points, origin = _dated_points(items, on, entity)
    try:
        irr_: Decimal | None = _as_basis(_solve_irr(points, Decimal("0.1"), entity), basis)
    except ValidationError:
        irr_ = None
    costs, benefits = _totals(items, entity)
    payback = _payback(points)
    with decimal.localcontext(_CONTEXT):
        discounted = [(t, a * _factor(rate_, t, basis)) for t, a in points]
        discounted_payback = _payback(discounted)
    currencies = {f.currency for f in items if f.currency is not None}
    return BusinessCase(
        name=name, currency=currencies.pop() if currencies else None, rate=rate_,
        start=origin, end=max(f.date for f in items), total_cost=costs,
        total_benefit=benefits, net=benefits - costs,
        npv=_tidy(_present_value(points, rate_, basis)), irr=irr_,
        roi=None if costs == 0 else _tidy(_CONTEXT.divide(benefits - costs, costs)),
        benefit_cost_ratio=benefit_cost_ratio(items, rate_, on=origin, basis=basis),
        payback_years=payback, discounted_payback_years=discounted_payback,
        payback_date=_date_after(origin, payback),
        discounted_payback_date=_date_after(origin, discounted_payback))
