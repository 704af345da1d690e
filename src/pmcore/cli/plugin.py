"""Registers pmcore's own CLI commands through the same hook as plugins use."""

from __future__ import annotations

import importlib.util

from pmcore.cli.api import Command
from pmcore.plugins import hookimpl

__all__ = ["pmcore_register_commands"]


@hookimpl
def pmcore_register_commands() -> list[Command]:
    """pmcore's built-in commands (none when the 'cli' extra is not installed)."""
    if importlib.util.find_spec("typer") is None:
        return []
    from pmcore.cli.commands import BUILTIN_COMMANDS

    return list(BUILTIN_COMMANDS)
