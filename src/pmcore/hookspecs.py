"""The ``pmcore_*`` hooks through which everything extensible is registered.

Three kinds, by name:

* ``pmcore_register_<things>()`` returns objects for pmcore to use (readers, writers, CLI
  commands). Every implementation is called and the results are combined.
* ``pmcore_<verb>_<noun>(...)`` computes something about its arguments (validation problems).
* ``pmcore_on_<event>(...)`` is told that something happened and returns nothing.

Hooks receive model objects they must not change. pmcore's own features are registered through
these same hooks (see ``pmcore.plugins.BUILTIN_PLUGINS``), so a plugin can do anything a
built-in does. ``docs/plugins.md`` is the plugin author's guide.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import datetime as dt
    from decimal import Decimal

    from pmcore.cli.api import Command
    from pmcore.finance.history import VarianceAlert
    from pmcore.io.formats import Reader, Writer
    from pmcore.methodology.base import Methodology
    from pmcore.model import Problem, Project

hookspec = pluggy.HookspecMarker("pmcore")


@hookspec
def pmcore_register_readers() -> Iterable[Reader]:
    """Return readers for file formats this plugin can read.

    Each reader implements :class:`pmcore.io.Reader`: a ``name`` users pass as ``--format``, the
    file ``extensions`` it claims, a ``sniff(head)`` that recognises its content, and
    ``read(stream, source=..., limits=...)`` returning a :class:`pmcore.Project` or raising
    :class:`pmcore.errors.FormatError`. Names must be unique across plugins.
    """


@hookspec
def pmcore_register_writers() -> Iterable[Writer]:
    """Return writers for file formats this plugin can write.

    Each writer implements :class:`pmcore.io.Writer`: ``name``, ``extensions``, ``description``
    and ``write(project, stream)``. Names must be unique across plugins.
    """


@hookspec
def pmcore_register_commands() -> Iterable[Command]:
    """Return :class:`pmcore.cli.api.Command` objects to add subcommands to the ``pmcore`` CLI.

    A command's callback is a plain function whose parameters typer turns into arguments and
    options. It reports problems by raising :class:`pmcore.errors.PMCoreError` (exit code 2 for
    input errors) or returning an int exit code (1 when it found a domain problem).
    """


@hookspec
def pmcore_validate_project(project: Project) -> Iterable[Problem]:
    """Return the problems this plugin finds in ``project`` (an empty iterable if none).

    pmcore's own rules (references, loops, calendars, dates, custom fields) are an
    implementation of this hook. :func:`pmcore.validate` gathers every plugin's problems into
    one :class:`pmcore.ValidationReport`; each problem's ``source`` is set to the plugin's name.
    """


@hookspec
def pmcore_on_project_loaded(project: Project, source: str) -> None:
    """Called after :func:`pmcore.read` has read and validated ``project`` from ``source``."""


@hookspec
def pmcore_on_project_saved(project: Project, destination: str) -> None:
    """Called after :func:`pmcore.write` has written ``project`` to ``destination``."""

# ---------------------------------------------------------------- methodologies


@hookspec
def pmcore_register_methodologies() -> Iterable[Methodology]:
    """Return :class:`pmcore.methodology.Methodology` objects: ways of running a project.

    Each has a unique ``name`` (lower case, hyphens), a lifecycle, a template that
    :meth:`pmcore.Project.from_template` builds a new project from, the metrics it reports and
    its validation rules. pmcore's phase-gate, Scrum, Kanban and hybrid methodologies are
    registered through this hook; a plugin may return tailored copies of them
    (``PHASE_GATE.extend(name="acme-gated", ...)``) or methodologies of its own.
    """


# ---------------------------------------------------------------- costs and earned value


@hookspec(firstresult=True)
def pmcore_convert_currency(amount: Decimal, from_currency: str, to_currency: str,
                            on: dt.date) -> Decimal | None:
    """Return ``amount`` of ``from_currency`` in ``to_currency`` at the rate of day ``on``.

    Return ``None`` when this plugin has no rate for the pair; the first amount returned wins.
    pmcore never assumes a rate: with no answer, :func:`pmcore.finance.convert` and costs in
    a currency other than the project's raise :class:`~pmcore.errors.ValidationError`. Return
    a ``Decimal`` (money is exact), unrounded or rounded as your rates are quoted.
    """


@hookspec
def pmcore_on_variance_alert(alert: VarianceAlert) -> None:
    """Called for each threshold an earned-value snapshot crosses (CPI below 0.9, ...).

    :func:`pmcore.finance.check_thresholds` raises the event; ``alert`` names the project,
    the scope (the project, a WBS node or a control account), the metric, its value, the
    threshold and the status date, so an integration can notify someone.
    """


# ---------------------------------------------------------------- risks (pmcore.risk)

if TYPE_CHECKING:
    from pmcore.model.risk import ProbabilityImpactMatrix, Risk
    from pmcore.risk.escalation import RiskEscalation
    from pmcore.risk.scoring import RiskScore


@hookspec(firstresult=True)
def pmcore_score_risk(risk: Risk, matrix: ProbabilityImpactMatrix,
                      residual: bool) -> RiskScore | None:
    """Return the :class:`~pmcore.risk.RiskScore` of ``risk``, or ``None`` to leave it to others.

    The first score returned wins. pmcore's own method (the probability-impact ``matrix``
    cell, its rating, and the expected monetary value) is an implementation marked
    ``trylast``, so a plugin's answer replaces it; return ``None`` for risks your method does
    not cover. ``residual`` asks for the score of the residual (post-response) assessment
    (``risk.current(residual)``). Called by :func:`pmcore.risk.score_risk`,
    :func:`pmcore.risk.rank_risks`, :func:`pmcore.risk.check_appetite` and ``pmcore risks``.
    """


@hookspec
def pmcore_on_risk_escalated(escalation: RiskEscalation) -> None:
    """Called for each risk that crosses its category's appetite.

    :func:`pmcore.risk.check_appetite` raises the event. ``escalation`` carries the risk, the
    level reached and the one before, the whole escalation path (owner -> project manager ->
    PMO -> sponsor unless the register configures another), who now handles it
    (``escalate_to``), the limit crossed, and the date of the check.
    """
