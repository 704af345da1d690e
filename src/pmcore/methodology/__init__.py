"""Methodologies: how projects are run, and the metrics and forecasts each reports.

:mod:`pmcore.methodology.forecast` forecasts by Monte Carlo over a team's historical throughput
(Kanban) or velocity (Scrum).
"""

from __future__ import annotations

# --- Scrum, Kanban and forecasting (scrum.py, kanban.py, forecast.py) ---
from pmcore.methodology.forecast import (
    DEFAULT_TRIALS,
    HowManyForecast,
    WhenForecast,
    forecast_how_many,
    forecast_when,
)

__all__ = [
    # --- Scrum, Kanban and forecasting ---
    "DEFAULT_TRIALS",
    "HowManyForecast",
    "WhenForecast",
    "forecast_how_many",
    "forecast_when",
]
