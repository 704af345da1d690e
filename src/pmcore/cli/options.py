"""What pmcore's commands share: the FILE argument, ``--format``, the console.

Imported only by command modules, which run when the CLI does (typer and rich are the
``cli`` extra).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.console import Console

__all__ = ["FileArg", "OutputFormat", "check_choice", "console"]

FileArg = Annotated[str, typer.Argument(help="A project file ('-' for standard input).",
                                        metavar="FILE")]
OutputFormat = Annotated[str, typer.Option("--format", "-f", help="table or json.")]


def check_choice(value: str, choices: Sequence[str], option: str = "--format") -> None:
    """Refuse a value of ``option`` outside ``choices``, as a usage error (exit code 2)."""
    if value not in choices:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}",
                                 param_hint=option)


def console(**options: Any) -> Console:
    """A console for tables and trees. Piped output is not cropped to 80 columns: a cut WBS
    line could show a wrong predecessor."""
    return Console(highlight=False, soft_wrap=True,
                   width=None if sys.stdout.isatty() else 100_000, **options)
