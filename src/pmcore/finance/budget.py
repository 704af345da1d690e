"""Budget control: budget against actual and forecast, by period and control account.

For each account and period :func:`budget_report` sets side by side:

* ``original``: the performance measurement baseline as first approved (the baseline's
  dates, no revision): it is never changed, for audit;
* ``revised``: the original plus the budget revisions approved on or before ``as_of``, each
  spread over its task's budget (see :class:`~pmcore.finance.BudgetRevision`);
* ``actual``: the actual costs dated in the period, up to ``as_of``;
* ``forecast``: actual costs up to ``as_of``, then what the current plan still has to spend:
  each task's remaining cost (its current cost x the share of it not complete) spread over its
  current dates after ``as_of`` (in the first period after ``as_of`` when it should already
  have finished);
* ``variance``: ``revised - forecast``; negative means over budget.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from pmcore.finance._engine import CostModel
from pmcore.finance.earned import UNASSIGNED, _actuals, _budgeted, _percent
from pmcore.finance.money import to_cents
from pmcore.finance.periods import Periods
from pmcore.finance.plan import BudgetRevision, CostPlan
from pmcore.model import Project
from pmcore.model.base import to_date

if TYPE_CHECKING:
    import pluggy

    from pmcore.plugins import Plugins

__all__ = ["BudgetReport", "BudgetRow", "approve_budget", "budget_report"]

_ZERO = Decimal(0)
_KEYS = ("original", "revised", "actual", "forecast", "variance")


@attrs.frozen
class BudgetRow:
    """One control account in one period (exact amounts)."""

    account: str
    period: dt.date
    label: str
    original: Decimal
    revised: Decimal
    actual: Decimal
    forecast: Decimal

    @property
    def variance(self) -> Decimal:
        """``revised - forecast``: negative when the period is forecast over budget."""
        return self.revised - self.forecast


@attrs.frozen(repr=False)
class BudgetReport:
    """Budget against actual and forecast (see :func:`budget_report`); immutable.

    Attributes:
        currency, as_of, periods: what, when, by what period.
        rows: one per account (in the cost plan's order, then ``(unassigned)``) and period.
        revisions: the approved revisions the revised budget includes, oldest first: the
            audit trail from the original to the revised budget.
    """

    currency: str
    as_of: dt.date
    periods: Periods
    rows: tuple[BudgetRow, ...]
    revisions: tuple[BudgetRevision, ...]
    structure: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Each control account and the accounts below it (from the cost plan)."""

    def totals(self) -> dict[str, Decimal]:
        """Original, revised, actual, forecast and variance over every row."""
        sums = {k: sum((getattr(r, k) for r in self.rows), _ZERO)
                for k in ("original", "revised", "actual", "forecast")}
        sums["variance"] = sums["revised"] - sums["forecast"]
        return sums

    def by_account(self) -> dict[str, dict[str, Decimal]]:
        """Each account's totals over the periods, with those of the accounts below it in
        the cost breakdown structure (the rows hold each account's own tasks only)."""
        own: dict[str, dict[str, Decimal]] = {}
        for row in self.rows:
            sums = own.setdefault(row.account, dict.fromkeys(_KEYS, _ZERO))
            for key in _KEYS:
                sums[key] += getattr(row, key)
        result: dict[str, dict[str, Decimal]] = {}
        for account in own:
            members = self.structure.get(account, (account,))
            result[account] = {key: sum((own[m][key] for m in members if m in own), _ZERO)
                               for key in _KEYS}
        return result

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per account and period, amounts to the cent."""
        return [{"account": r.account, "period": r.period, "label": r.label,
                 "original": to_cents(r.original), "revised": to_cents(r.revised),
                 "actual": to_cents(r.actual), "forecast": to_cents(r.forecast),
                 "variance": to_cents(r.variance), "currency": self.currency}
                for r in self.rows]

    def __repr__(self) -> str:
        t = self.totals()
        return (f"BudgetReport(as of {self.as_of}: revised {to_cents(t['revised'])}, "
                f"forecast {to_cents(t['forecast'])}, variance {to_cents(t['variance'])} "
                f"{self.currency})")


def approve_budget(project: Project, plan: CostPlan | None = None, *,
                   baseline: int = 0) -> CostPlan:
    """``plan`` with every task's budget fixed at its cost on the baseline's dates, to the cent.

    Call it when the budget is approved (with the baseline): from then on the performance
    measurement baseline is those amounts, spread in time as the costs were, whatever later
    happens to rates, assignments or fixed costs; only budget revisions change it. Without
    approved budgets the budget is recomputed from the current costs on the baseline's dates.
    """
    from pmcore.finance.costs import task_costs

    plan = plan or CostPlan()
    report = task_costs(project, plan, baseline=baseline)
    return attrs.evolve(plan, budgets={row.task: to_cents(row.total) for row in report.rows})


def budget_report(project: Project, plan: CostPlan, *, as_of: dt.date | dt.datetime | str,
                  period: str = "month", fiscal_year_start: int = 1, baseline: int = 0,
                  plugins: Plugins | pluggy.PluginManager | None = None) -> BudgetReport:
    """Budget, actual and forecast cost of ``project`` by control account and period.

    Args:
        plan: the accounts, actual costs and budget revisions.
        as_of: the day actual costs are known to (required: never assumed to be today).
        period: ``day``, ``week``, ``month``, ``quarter`` or ``year``.
        fiscal_year_start: the month fiscal quarters and years start in (4 for April).
        baseline: the baseline whose dates place the original budget.
        plugins: convert actual costs in other currencies.

    Raises:
        ValidationError: as :func:`pmcore.finance.evm`.
    """
    day = to_date(as_of)
    plan.check(project)
    periods = Periods(period, fiscal_year_start)
    pmb = CostModel(project, plan, baseline=baseline)
    current = CostModel(project, plan, baseline=None)
    actuals = _actuals(project, plan, day, plugins)
    days = [d for d in (pmb.first_day, pmb.last_day, current.first_day, current.last_day, day)
            if d is not None] + [d for items in actuals.values() for d, _ in items]
    starts = periods.starts(min(days), max(days))
    end = periods.next_start(starts[-1])
    cut = day + dt.timedelta(days=1)
    edges = sorted({*starts, end, cut})
    cut_index = edges.index(cut)
    period_of = [bisect.bisect_right(starts, d) - 1 for d in edges[:-1]]
    planned, forecast_costs = pmb.phase(edges), current.phase(edges)
    deltas: dict[str, Decimal] = defaultdict(Decimal)
    revisions = tuple(sorted(plan.revisions_until(day), key=lambda r: r.approved_on))
    for revision in revisions:
        deltas[revision.task] += revision.amount

    accounts = [a.id for a in plan.accounts]
    names = ("original", "revised", "actual", "forecast")
    sums: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(
        lambda: dict.fromkeys(names, _ZERO))
    for task in project.tasks:
        account = task.cost_account or UNASSIGNED
        cost = planned.get(task.id)
        if cost is not None:
            approved = plan.budgets.get(task.id)
            for index, amount in _budgeted(cost, approved, _ZERO, task.label).items():
                sums[(account, period_of[index])]["original"] += amount
            for index, amount in _budgeted(cost, approved, deltas.get(task.id, _ZERO),
                                           task.label).items():
                sums[(account, period_of[index])]["revised"] += amount
        for when, amount in actuals.get(task.id, ()):
            if when <= day:
                index = max(0, bisect.bisect_right(starts, when) - 1)
                sums[(account, index)]["actual"] += amount
                sums[(account, index)]["forecast"] += amount
        now = forecast_costs.get(task.id)
        if now is not None and task.percent_complete < 100:
            remaining = now.total * (1 - _percent(task.percent_complete))
            later = {i: a for i, a in now.buckets.items() if i >= cut_index and a}
            spread = sum(later.values(), _ZERO)
            if not spread:  # late: what is left falls in the period after as_of
                later, spread = {cut_index: Decimal(1)}, Decimal(1)
            for index, amount in later.items():
                target = period_of[min(index, len(period_of) - 1)]
                sums[(account, target)]["forecast"] += remaining * amount / spread
    order = [*accounts, UNASSIGNED]
    rows = [BudgetRow(account, starts[i], periods.label(starts[i]),
                      **sums[(account, i)])
            for account in order for i in range(len(starts))
            if (account, i) in sums or account != UNASSIGNED]
    return BudgetReport(project.currency, day, periods, tuple(rows), revisions,
                        {a.id: plan.within(a.id) for a in plan.accounts})
