"""Registers pmcore's methodologies and ``pmcore methodologies`` through the same hooks as a
plugin would. Their validation rules run in :func:`pmcore.validate` for every project made from
them (see :func:`pmcore.methodology.base.methodology_problems`)."""

from __future__ import annotations

from pmcore.cli.api import Command, commands_of
from pmcore.methodology.agile import KANBAN, SCRUM
from pmcore.methodology.base import Methodology
from pmcore.methodology.hybrid import HYBRID
from pmcore.methodology.phasegate import PHASE_GATE
from pmcore.plugins import hookimpl

__all__ = ["pmcore_register_commands", "pmcore_register_methodologies"]


@hookimpl
def pmcore_register_methodologies() -> list[Methodology]:
    """Phase-gate, Scrum, Kanban and hybrid."""
    return [PHASE_GATE, SCRUM, KANBAN, HYBRID]


@hookimpl
def pmcore_register_commands() -> list[Command]:
    """``pmcore methodologies`` and ``pmcore forecast`` (none when the 'cli' extra is not
    installed)."""
    return commands_of("pmcore.methodology._cli", "pmcore.methodology._forecast_cli")
