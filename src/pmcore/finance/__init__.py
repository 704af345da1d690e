"""Costs, budgets, earned value and business cases.

The formulas of earned value management and earned schedule on plain numbers
(:func:`evm_metrics`, :func:`earned_schedule`) and the business-case figures from dated cash
flows (:func:`npv`, :func:`irr`, :func:`xnpv`, :func:`xirr`, ...).

On a project: what each task costs (:func:`task_costs`), its costs placed in time by day,
week, month or fiscal period (:func:`time_phase`), earned value at a status date for the
project, any WBS node and any control account (:func:`evm`), trends and threshold alerts
(:class:`EvmHistory`, :func:`check_thresholds`), and budget against actual and forecast
(:func:`budget_report`). A :class:`CostPlan` beside the project holds the control accounts,
reserves, expenses, actual costs and budget revisions; :class:`Money` and :func:`convert`
keep currencies apart unless a plugin converts them.
"""

from __future__ import annotations

from pmcore.finance.budget import (
    BudgetReport,
    BudgetRow,
    approve_budget,
    budget_report,
)
from pmcore.finance.business import (
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
from pmcore.finance.costs import (
    COST_KINDS,
    CostReport,
    TaskCostRow,
    task_costs,
)
from pmcore.finance.earned import (
    SCOPES,
    CurvePoint,
    EvmRow,
    EvmSnapshot,
    evm,
)
from pmcore.finance.history import (
    Comparison,
    EvmHistory,
    Threshold,
    VarianceAlert,
    check_thresholds,
)
from pmcore.finance.metrics import (
    EAC_METHODS,
    EarnedSchedule,
    EvmMetrics,
    earned_schedule,
    evm_metrics,
)
from pmcore.finance.money import (
    CENT,
    Money,
    convert,
    to_cents,
)
from pmcore.finance.periods import (
    PERIOD_KINDS,
    Periods,
)
from pmcore.finance.phasing import (
    PhasedCost,
    TimePhasedCost,
    cashflow,
    time_phase,
)
from pmcore.finance.plan import (
    ActualCost,
    ApportionedEffort,
    BudgetRevision,
    ControlAccount,
    CostPlan,
    Expense,
    FundingSource,
    WeightedMilestone,
    read_cost_plan,
    write_cost_plan,
)

__all__ = [
    "CENT",
    "COST_KINDS",
    "EAC_METHODS",
    "PERIOD_KINDS",
    "SCOPES",
    "ActualCost",
    "ApportionedEffort",
    "BudgetReport",
    "BudgetRevision",
    "BudgetRow",
    "BusinessCase",
    "CashFlow",
    "Comparison",
    "ControlAccount",
    "CostPlan",
    "CostReport",
    "CurvePoint",
    "EarnedSchedule",
    "EvmHistory",
    "EvmMetrics",
    "EvmRow",
    "EvmSnapshot",
    "Expense",
    "FundingSource",
    "Money",
    "Periods",
    "PhasedCost",
    "TaskCostRow",
    "Threshold",
    "TimePhasedCost",
    "VarianceAlert",
    "WeightedMilestone",
    "approve_budget",
    "benefit_cost_ratio",
    "budget_report",
    "business_case",
    "cashflow",
    "check_thresholds",
    "convert",
    "discounted_payback_period",
    "earned_schedule",
    "evm",
    "evm_metrics",
    "irr",
    "irr_periodic",
    "npv",
    "npv_periodic",
    "payback_period",
    "read_cost_plan",
    "roi",
    "task_costs",
    "time_phase",
    "to_cents",
    "write_cost_plan",
    "xirr",
    "xnpv",
]
