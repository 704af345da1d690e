"""Registers ``pmcore evm`` through the same hook as third-party plugins use."""

from __future__ import annotations

import importlib.util

from pmcore.cli.api import Command
from pmcore.plugins import hookimpl

__all__ = ["pmcore_register_commands"]


@hookimpl
def pmcore_register_commands() -> list[Command]:
    """``pmcore evm`` (none when the 'cli' extra is not installed)."""
    if importlib.util.find_spec("typer") is None:
        return []
    from pmcore.finance._cli import COMMANDS

    return list(COMMANDS)
