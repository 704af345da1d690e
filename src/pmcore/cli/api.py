"""What a plugin needs to add a command to the ``pmcore`` CLI, without importing the CLI.

Kept apart from :mod:`pmcore.cli.app` so that registering a command costs nothing until the CLI
runs (typer and rich are imported only there).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from typing import Any

import attrs

__all__ = ["Command", "commands_of"]


@attrs.frozen(kw_only=True)
class Command:
    """A ``pmcore`` subcommand.

    Attributes:
        name: the subcommand users type (``pmcore <name>``).
        callback: a function whose parameters typer turns into arguments and options; it may
            return an int exit code.
        help: one line shown by ``pmcore --help`` (the callback's docstring by default).
        needs_plugins: pass the running :class:`pmcore.plugins.Plugins` as the callback's
            ``plugins`` keyword argument.
    """

    name: str = attrs.field(validator=attrs.validators.matches_re(r"^[a-z][a-z0-9-]*$"))
    callback: Callable[..., Any]
    help: str | None = None
    needs_plugins: bool = False


def commands_of(*modules: str) -> list[Command]:
    """The ``COMMANDS`` of each module named, for a ``pmcore_register_commands`` hook.

    The modules (which import typer and rich) are imported only when typer is installed, the
    ``cli`` extra; without it there are no commands, and registering costs nothing.
    """
    if importlib.util.find_spec("typer") is None:
        return []
    found: list[Command] = []
    for name in modules:
        commands: Sequence[Command] = importlib.import_module(name).COMMANDS
        found.extend(commands)
    return found
