"""Costs, budgets, earned value and business cases.

The formulas of earned value management and earned schedule on plain numbers
(:func:`evm_metrics`, :func:`earned_schedule`) and the business-case figures from dated cash
flows (:func:`npv`, :func:`irr`, :func:`xnpv`, :func:`xirr`, ...).
"""

from __future__ import annotations

# --- pure formulas on plain numbers (pmcore.finance.metrics) ---
from pmcore.finance.metrics import (
    EAC_METHODS,
    EarnedSchedule,
    EvmMetrics,
    earned_schedule,
    evm_metrics,
)

__all__ = [
    # --- pure formulas on plain numbers (pmcore.finance.metrics) ---
    "EAC_METHODS",
    "EarnedSchedule",
    "EvmMetrics",
    "earned_schedule",
    "evm_metrics",
]
