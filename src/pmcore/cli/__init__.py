"""The ``pmcore`` command line (needs the ``cli`` extra: typer and rich).

Exit codes: 0 success, 1 a domain problem was found (validation errors, a dependency loop),
2 a usage or input error (bad arguments, an unreadable or malformed file). Errors are one line
on standard error; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pluggy

__all__ = ["main"]


def main(argv: Sequence[str] | None = None, *, plugins: pluggy.PluginManager | None = None) -> int:
    """Run the CLI with ``argv`` (``sys.argv[1:]`` by default) and return the exit code.

    ``plugins`` runs it with a plugin manager of your own (e.g. in a plugin's tests) instead of
    building one from the installed plugins.
    """
    try:
        from pmcore.cli.app import run
    except ImportError as exc:  # typer or rich missing
        sys.stderr.write(f"pmcore: error: the command line needs the 'cli' extra "
                         f"(pip install 'pmcore[cli]'): {exc}\n")
        return 2
    return run(list(sys.argv[1:] if argv is None else argv), plugins=plugins)
