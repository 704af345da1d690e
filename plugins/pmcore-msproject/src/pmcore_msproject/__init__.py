"""pmcore-msproject: read and write Microsoft Project's MSPDI XML files ("Save as XML")."""

from __future__ import annotations

from pmcore.plugins import hookimpl
from pmcore_msproject._mspdi import MspdiReader
from pmcore_msproject._writer import MspdiWriter

__all__ = ["MspdiReader", "MspdiWriter"]


@hookimpl
def pmcore_register_readers() -> list[MspdiReader]:
    """The MSPDI reader."""
    return [MspdiReader()]


@hookimpl
def pmcore_register_writers() -> list[MspdiWriter]:
    """The MSPDI writer."""
    return [MspdiWriter()]
