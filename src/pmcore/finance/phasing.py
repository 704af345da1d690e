"""Time-phased cost: a project's planned cost by period, task and control account.

:func:`time_phase` puts every task's costs in time (rates on the days they apply, weekends
and holidays cost nothing, fixed costs and per-resource accruals at the start, the end or
prorated; see :mod:`pmcore.finance._engine`) and adds them up by day, ISO week, month, or
quarter and year of a fiscal year that starts in any month. On the baseline's dates it is the
planned value (PV) curve of the performance measurement baseline; on the current dates
(``baseline=None``) it is the forecast spend.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from pmcore.errors import ValidationError
from pmcore.finance._engine import CostModel
from pmcore.finance.business import CashFlow
from pmcore.finance.money import to_cents
from pmcore.finance.periods import Periods
from pmcore.finance.plan import CostPlan
from pmcore.model import Project

__all__ = ["PhasedCost", "TimePhasedCost", "cashflow", "time_phase"]

_ZERO = Decimal(0)


@attrs.frozen
class PhasedCost:
    """The cost of one task in one period (exact; ``to_records`` rounds to the cent)."""

    task: str
    account: str | None
    period: dt.date
    label: str
    amount: Decimal


@attrs.frozen(repr=False)
class TimePhasedCost:
    """A project's costs by task and period (see :func:`time_phase`); immutable.

    Attributes:
        currency: the project's currency.
        periods: the kind of period and the fiscal-year start.
        starts: the first day of every period covered, in order (empty periods included).
        rows: one per task and period with a cost, in task order then period order.
    """

    currency: str
    periods: Periods
    starts: tuple[dt.date, ...]
    rows: tuple[PhasedCost, ...]

    @property
    def total(self) -> Decimal:
        """Every cost together (exact)."""
        return sum((r.amount for r in self.rows), _ZERO)

    def by_period(self) -> dict[dt.date, Decimal]:
        """The cost of each period (every period, 0 when empty)."""
        sums: dict[dt.date, Decimal] = dict.fromkeys(self.starts, _ZERO)
        for row in self.rows:
            sums[row.period] += row.amount
        return sums

    def cumulative(self) -> dict[dt.date, Decimal]:
        """The running total at the end of each period: the S-curve."""
        running, result = _ZERO, {}
        for start, amount in self.by_period().items():
            running += amount
            result[start] = running
        return result

    def by_task(self) -> dict[str, Decimal]:
        """Each task's total."""
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for row in self.rows:
            sums[row.task] += row.amount
        return dict(sums)

    def by_account(self) -> dict[str | None, dict[dt.date, Decimal]]:
        """Each control account's cost by period (``None``: tasks without an account)."""
        sums: dict[str | None, dict[dt.date, Decimal]] = {}
        for row in self.rows:
            periods = sums.setdefault(row.account, dict.fromkeys(self.starts, _ZERO))
            periods[row.period] += row.amount
        return sums

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per task and period, the amount to the cent."""
        return [{"task": r.task, "account": r.account, "period": r.period, "label": r.label,
                 "amount": to_cents(r.amount), "currency": self.currency} for r in self.rows]

    def __repr__(self) -> str:
        return (f"TimePhasedCost({self.periods.kind}, {len(self.starts)} periods, "
                f"total={to_cents(self.total)} {self.currency})")


def time_phase(project: Project, plan: CostPlan | None = None, *, period: str = "month",
               fiscal_year_start: int = 1, baseline: int | None = 0,
               start: dt.date | None = None, finish: dt.date | None = None) -> TimePhasedCost:
    """The cost of every task of ``project`` by period.

    Args:
        plan: the cost plan whose expenses add to the tasks' costs (optional).
        period: ``day``, ``week`` (ISO, from Monday), ``month``, ``quarter`` or ``year``.
        fiscal_year_start: the month quarters and years start from (4 for April).
        baseline: whose dates place the costs: a baseline number (0 by default, the PMB),
            or ``None`` for the tasks' current dates.
        start: a day the periods must cover besides the costs' own span.
        finish: likewise, at the end.

    Raises:
        ValidationError: a task with costs but without the baseline (or without dates),
            naming it; a bad period or month.
    """
    periods = Periods(period, fiscal_year_start)
    model = CostModel(project, plan, baseline=baseline)
    days = [d for d in (model.first_day, model.last_day, start, finish) if d is not None]
    if not days:
        return TimePhasedCost(project.currency, periods, (), ())
    starts = periods.starts(min(days), max(days))
    costs = model.phase([*starts, periods.next_start(starts[-1])])
    labels = [periods.label(s) for s in starts]
    rows: list[PhasedCost] = []
    for task in project.tasks:
        cost = costs.get(task.id)
        if cost is None:
            continue
        rows += [PhasedCost(task.id, task.cost_account, starts[i], labels[i], amount)
                 for i, amount in sorted(cost.buckets.items()) if amount]
    return TimePhasedCost(project.currency, periods, tuple(starts), tuple(rows))


def cashflow(project: Project, plan: CostPlan | None = None, *, period: str = "month",
             benefits: Iterable[CashFlow] = (), fiscal_year_start: int = 1,
             baseline: int | None = 0) -> tuple[CashFlow, ...]:
    """The plan's costs as dated cash flows, with the benefits the user expects, in date order.

    Each period's planned cost (:func:`time_phase`: the tasks' costs on the baseline's dates,
    and the cost plan's expenses) becomes one cost, dated on the period's last day, as
    capital budgeting counts money at the end of the period it is spent in. The result feeds
    :func:`~pmcore.finance.npv`, :func:`~pmcore.finance.irr` and
    :func:`~pmcore.finance.business_case`.

    Args:
        plan: the cost plan whose expenses add to the tasks' costs (optional).
        period: ``week``, ``month`` (the default), ``quarter`` or ``year``; ``day`` too.
        benefits: the project's expected benefits (:meth:`CashFlow.benefit`), in its currency.
        fiscal_year_start: the month quarters and years start from (4 for April).
        baseline: whose dates place the costs (0 by default); ``None`` for current dates.

    Raises:
        ValidationError: as :func:`time_phase`; a benefit in another currency than the
            project's.
    """
    phased = time_phase(project, plan, period=period, fiscal_year_start=fiscal_year_start,
                        baseline=baseline)
    flows = [CashFlow.cost(phased.periods.next_start(start) - dt.timedelta(days=1), amount,
                           label=phased.periods.label(start), currency=project.currency)
             for start, amount in phased.by_period().items() if amount]
    for benefit in benefits:
        if benefit.currency not in (None, project.currency):
            raise ValidationError(f"is in {benefit.currency}, the project in "
                                  f"{project.currency}", entity=f"benefit {benefit.label!r}",
                                  field="currency")
        flows.append(benefit)
    return tuple(sorted(flows, key=lambda flow: flow.date))
