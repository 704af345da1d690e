"""Methodologies: how projects are run, and the metrics and forecasts each reports.

A methodology is a plugin: pmcore's phase-gate, Scrum, Kanban and hybrid methodologies are
registered through the ``pmcore_register_methodologies`` hook, as a company's own would be.
:class:`Methodology` is the contract; :meth:`pmcore.Project.from_template` builds a
ready-to-plan project from one; :func:`methodologies` lists the registered ones.
:mod:`pmcore.methodology.phasegate` has gates and gate reviews, :mod:`pmcore.methodology.hybrid`
a phase-gate plan whose delivery phase runs as sprints or a Kanban flow.

:mod:`pmcore.methodology.forecast` forecasts by Monte Carlo over a team's historical throughput
(Kanban) or velocity (Scrum).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# --- The methodology contract, phase-gate, hybrid and the registry (base.py, phasegate.py,
# hybrid.py, agile.py, builtin.py) ---
from pmcore.methodology import hybrid, kanban, phasegate, scrum
from pmcore.methodology.agile import KANBAN, SCRUM, KanbanMethodology, ScrumMethodology
from pmcore.methodology.base import METHODOLOGY_FIELD, Methodology, Metric
from pmcore.methodology.hybrid import HYBRID, HybridMethodology
from pmcore.methodology.phasegate import PHASE_GATE, PhaseGateMethodology

if TYPE_CHECKING:
    import pluggy

    from pmcore.plugins import Plugins

# --- Scrum, Kanban and forecasting (scrum.py, kanban.py, forecast.py) ---
from pmcore.methodology import forecast
from pmcore.methodology.forecast import (
    DEFAULT_TRIALS,
    HowManyForecast,
    WhenForecast,
    forecast_how_many,
    forecast_when,
)

# One sorted list for both blocks above: the Scrum, Kanban and forecasting names are
# DEFAULT_TRIALS, HowManyForecast, WhenForecast, forecast_* and the module forecast (kanban and
# scrum are imported above); the others are the contract's, phase-gate's, hybrid's and the
# registry's.
__all__ = [
    "DEFAULT_TRIALS",
    "HYBRID",
    "KANBAN",
    "METHODOLOGY_FIELD",
    "PHASE_GATE",
    "SCRUM",
    "HowManyForecast",
    "HybridMethodology",
    "KanbanMethodology",
    "Methodology",
    "Metric",
    "PhaseGateMethodology",
    "ScrumMethodology",
    "WhenForecast",
    "forecast",
    "forecast_how_many",
    "forecast_when",
    "hybrid",
    "kanban",
    "methodologies",
    "phasegate",
    "resolve",
    "scrum",
]


# --- The methodology contract, phase-gate, hybrid and the registry ---


def methodologies(*, plugins: Plugins | pluggy.PluginManager | None = None,
                  ) -> tuple[Methodology, ...]:
    """Every registered methodology, pmcore's own first.

    >>> [m.name for m in methodologies()]
    ['phase-gate', 'scrum', 'kanban', 'hybrid']
    """
    from pmcore.plugins import Plugins

    return Plugins.of(plugins).methodologies()


def resolve(methodology: Methodology | str, *,
            plugins: Plugins | pluggy.PluginManager | Any = None) -> Methodology:
    """``methodology`` itself, or the methodology registered under that name.

    Raises:
        UnknownReferenceError: no methodology is registered under the name.
        ValidationError: ``methodology`` is neither a methodology nor a name.
    """
    from pmcore.errors import ValidationError
    from pmcore.plugins import Plugins

    if isinstance(methodology, Methodology):
        return methodology
    if isinstance(methodology, str):
        return Plugins.of(plugins).methodology(methodology)
    raise ValidationError(f"expected a Methodology or the name of a registered one, got "
                          f"{methodology!r}", entity="template", field="methodology")
