"""pmcore-msproject: read and write Microsoft Project's MSPDI XML files ("Save as XML"), and
read binary ``.mpp`` files through MPXJ (the optional ``[mpp]`` extra, which needs Java)."""

from __future__ import annotations

from pmcore.plugins import hookimpl
from pmcore_msproject._mpp import MppReader, mpxj_to_mspdi
from pmcore_msproject._mspdi import MspdiReader
from pmcore_msproject._timephased import Timephased, TimephasedValue, read_timephased
from pmcore_msproject._writer import MspdiWriter

__all__ = ["MppReader", "MspdiReader", "MspdiWriter", "Timephased", "TimephasedValue",
           "mpxj_to_mspdi", "read_timephased"]


@hookimpl
def pmcore_register_readers() -> list[MspdiReader | MppReader]:
    """The MSPDI reader, and the .mpp reader (which needs the [mpp] extra to read)."""
    return [MspdiReader(), MppReader()]


@hookimpl
def pmcore_register_writers() -> list[MspdiWriter]:
    """The MSPDI writer."""
    return [MspdiWriter()]
