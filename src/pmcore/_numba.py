"""The choice between pure Python (or numpy) and numba's compiled loops, shared by the modules
that offer both (scheduling, resource leveling, Monte Carlo simulation).

Each offers ``backend="auto"``, its own pure back end and ``"numba"``, and both give the same
results; only the speed differs. ``"auto"`` picks numba when it is installed and either its
loops are already compiled in this process or the work is large enough to pay for compiling
them (a few seconds, once per process).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from pmcore.errors import ValidationError

__all__ = ["numba_available", "use_numba"]

NUMBA = "numba"
AUTO = "auto"


def numba_available() -> bool:
    """True when the optional numba accelerator is installed."""
    return importlib.util.find_spec("numba") is not None


def use_numba(backend: str, *, pure: str, entity: str, install: str,
              compiled: Callable[[], bool], seconds: float, compile_seconds: float) -> bool:
    """Whether ``backend`` (``"auto"``, ``pure`` or ``"numba"``) runs numba's loops.

    ``seconds`` is what the pure back end is expected to take and ``compile_seconds`` what
    compiling takes; ``compiled`` tells whether the loops are compiled in this process.

    Raises:
        ValidationError: an unknown backend, or numba asked for and not installed (the
            message says ``install``).
    """
    if backend not in (AUTO, pure, NUMBA):
        raise ValidationError(f"must be 'auto', '{pure}' or 'numba', got {backend!r}",
                              entity=entity, field="backend")
    if backend == pure:
        return False
    if not numba_available():
        if backend == NUMBA:
            raise ValidationError(f"numba is not installed ({install})", entity=entity,
                                  field="backend")
        return False
    return backend == NUMBA or compiled() or seconds > compile_seconds
