"""What each task costs, and what each resource, fixed cost and expense adds to it.

:func:`task_costs` gives the totals that Microsoft Project shows in its Cost column (on the
current plan) or its Baseline Cost column (``baseline=0``), split by kind (labour, material,
cost resources, fixed costs, expenses) and by source.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from pmcore.finance._engine import KINDS, CostModel
from pmcore.finance.money import to_cents
from pmcore.finance.plan import CostPlan
from pmcore.model import Project

__all__ = ["COST_KINDS", "CostReport", "TaskCostRow", "task_costs"]

COST_KINDS = KINDS
"""The kinds of cost: ``labour``, ``material``, ``cost_resources``, ``fixed``, ``expenses``."""

_ZERO = Decimal(0)


@attrs.frozen
class TaskCostRow:
    """One task's cost (exact amounts).

    Attributes:
        task, account: the task's id and control account.
        total: everything together.
        kinds: the total by kind (every kind of :data:`COST_KINDS`, 0 when none).
        sources: the total by resource id, ``"fixed"`` and ``"expenses"``.
    """

    task: str
    account: str | None
    total: Decimal
    kinds: dict[str, Decimal]
    sources: dict[str, Decimal]


@attrs.frozen(repr=False)
class CostReport:
    """Every task's cost (see :func:`task_costs`)."""

    currency: str
    baseline: int | None
    rows: tuple[TaskCostRow, ...]

    @property
    def total(self) -> Decimal:
        """The cost of the project."""
        return sum((r.total for r in self.rows), _ZERO)

    def __getitem__(self, task: str) -> TaskCostRow:
        for row in self.rows:
            if row.task == task:
                return row
        raise KeyError(task)

    def by_resource(self) -> dict[str, Decimal]:
        """Each resource's cost over all its assignments."""
        sums: dict[str, Decimal] = {}
        for row in self.rows:
            for source, amount in row.sources.items():
                if source not in ("fixed", "expenses"):
                    sums[source] = sums.get(source, _ZERO) + amount
        return sums

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per task: total and kinds, to the cent."""
        return [{"task": r.task, "account": r.account, "total": to_cents(r.total),
                 **{k: to_cents(v) for k, v in r.kinds.items()}, "currency": self.currency}
                for r in self.rows]

    def __repr__(self) -> str:
        return f"CostReport({len(self.rows)} tasks, total={to_cents(self.total)} {self.currency})"


def task_costs(project: Project, plan: CostPlan | None = None, *,
               baseline: int | None = None) -> CostReport:
    """The cost of every task with any: on the current dates, or on baseline ``baseline``'s.

    Rates apply on the days the work is done, so the dates matter when a rate changes during a
    task. Tasks without costs are left out.
    """
    model = CostModel(project, plan, baseline=baseline)
    if model.first_day is None or model.last_day is None:
        return CostReport(project.currency, baseline, ())
    costs = model.phase([model.first_day, model.last_day + dt.timedelta(days=1)])
    rows = []
    for task in project.tasks:
        cost = costs.get(task.id)
        if cost is not None:
            rows.append(TaskCostRow(task.id, task.cost_account, cost.total,
                                    {k: cost.kinds.get(k, _ZERO) for k in KINDS},
                                    dict(cost.sources)))
    return CostReport(project.currency, baseline, tuple(rows))
