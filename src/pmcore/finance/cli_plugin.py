"""Registers ``pmcore evm`` through the same hook as third-party plugins use."""

from __future__ import annotations

from pmcore.cli.api import Command, commands_of
from pmcore.plugins import hookimpl

__all__ = ["pmcore_register_commands"]


@hookimpl
def pmcore_register_commands() -> list[Command]:
    """``pmcore evm`` (none when the 'cli' extra is not installed)."""
    return commands_of("pmcore.finance._cli")
