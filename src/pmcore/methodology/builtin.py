"""Registers pmcore's methodologies, their validation rules and ``pmcore methodologies``
through the same hooks as a plugin would."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

from pmcore.cli.api import Command
from pmcore.methodology.agile import KANBAN, SCRUM
from pmcore.methodology.base import Methodology
from pmcore.methodology.hybrid import HYBRID
from pmcore.methodology.phasegate import PHASE_GATE, check
from pmcore.model import Problem, Project
from pmcore.plugins import hookimpl

__all__ = ["pmcore_register_commands", "pmcore_register_methodologies",
           "pmcore_validate_project"]


@hookimpl
def pmcore_register_methodologies() -> list[Methodology]:
    """Phase-gate, Scrum, Kanban and hybrid."""
    return [PHASE_GATE, SCRUM, KANBAN, HYBRID]


@hookimpl
def pmcore_validate_project(project: Project) -> Iterator[Problem]:
    """The phase-gate rules, for any project laid out in phases and gates (see
    :func:`pmcore.methodology.phasegate.check`)."""
    return iter(check(project).problems)


@hookimpl
def pmcore_register_commands() -> list[Command]:
    """``pmcore methodologies`` (none when the 'cli' extra is not installed)."""
    if importlib.util.find_spec("typer") is None:
        return []
    from pmcore.methodology._cli import COMMANDS

    return list(COMMANDS)
