"""The reader and writer interfaces that file-format plugins implement.

A plugin registers readers and writers through the ``pmcore_register_readers`` and
``pmcore_register_writers`` hooks; pmcore's own JSON and YAML formats register the same way.
Readers receive a binary stream so that large files can be parsed incrementally.
"""

from __future__ import annotations

from typing import BinaryIO, Protocol, runtime_checkable

import attrs

from pmcore.model import Project

__all__ = ["ReadLimits", "Reader", "Writer"]


@attrs.frozen(kw_only=True)
class ReadLimits:
    """Bounds that keep reading an untrusted file safe.

    Attributes:
        max_bytes: refuse larger inputs (64 MiB by default).
        max_depth: refuse documents nested deeper than this (pmcore's own need 8 levels).
    """

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 32


@runtime_checkable
class Reader(Protocol):
    """Reads a project from a file format.

    Attributes:
        name: short format name users pass as ``--format`` (``"json"``, ``"mspdi"``).
        extensions: file name endings it claims, lower case with the dot (``(".json",)``).
        description: one line for ``pmcore plugins``.
    """

    name: str
    extensions: tuple[str, ...]
    description: str

    def sniff(self, head: bytes) -> bool:
        """True when the first bytes of a file look like this format."""
        ...

    def read(self, stream: BinaryIO, *, source: str, limits: ReadLimits) -> Project:
        """Read a project.

        Raises:
            FormatError: naming ``source`` and the location for anything malformed, hostile or
                over ``limits``. The project may still have cross-reference problems; the
                caller validates it.
        """
        ...


@runtime_checkable
class Writer(Protocol):
    """Writes a project in a file format (attributes as on :class:`Reader`)."""

    name: str
    extensions: tuple[str, ...]
    description: str

    def write(self, project: Project, stream: BinaryIO) -> None:
        """Write ``project`` to ``stream``; must not change the project."""
        ...
