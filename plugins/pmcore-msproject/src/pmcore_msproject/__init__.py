"""pmcore-msproject: read Microsoft Project's MSPDI XML files ("Save as XML")."""

from __future__ import annotations

from pmcore.plugins import hookimpl
from pmcore_msproject._mspdi import MspdiReader

__all__ = ["MspdiReader"]


@hookimpl
def pmcore_register_readers() -> list[MspdiReader]:
    return [MspdiReader()]
