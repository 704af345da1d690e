"""Registers pmcore's methodologies and ``pmcore methodologies`` through the same hooks as a
plugin would. Their validation rules run in :func:`pmcore.validate` for every project made from
them (see :func:`pmcore.methodology.base.methodology_problems`)."""

from __future__ import annotations

import importlib.util

from pmcore.cli.api import Command
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
    """``pmcore methodologies`` (none when the 'cli' extra is not installed)."""
    if importlib.util.find_spec("typer") is None:
        return []
    from pmcore.methodology._cli import COMMANDS

    return list(COMMANDS)
