"""Registers ``pmcore simulate`` through the same hook as a plugin would.

The command itself is in :mod:`pmcore.risk._simulate_cli`, imported only when the CLI runs
(typer and rich are optional).
"""

from __future__ import annotations

import importlib.util

from pmcore.cli.api import Command
from pmcore.plugins import hookimpl

__all__ = ["pmcore_register_commands"]


@hookimpl
def pmcore_register_commands() -> list[Command]:
    """``pmcore simulate`` (none when the 'cli' extra is not installed)."""
    if importlib.util.find_spec("typer") is None:
        return []
    from pmcore.risk._simulate_cli import simulate_command

    return [Command(name="simulate", callback=simulate_command, needs_plugins=True)]
