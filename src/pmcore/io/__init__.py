"""Reading and writing projects in any registered format.

>>> import pmcore
>>> p = pmcore.Project("Demo", start="2027-01-04")
>>> _ = p.add_task("Design", "5d")
>>> text = pmcore.dumps(p)
>>> pmcore.loads(text) == p
True

The format is chosen from ``format=``, else from the file name, else by sniffing the content.
Files are opened here, at the edge; readers and writers only see streams.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import BinaryIO

import pluggy

from pmcore.errors import FormatError
from pmcore.io.formats import Reader, ReadLimits, Writer
from pmcore.model import Project
from pmcore.plugins import Plugins

__all__ = ["ReadLimits", "Reader", "Writer", "dumps", "loads", "read", "write"]

PluginsArg = Plugins | pluggy.PluginManager | None
Source = str | os.PathLike[str] | BinaryIO


def read(
    source: Source,
    *,
    format: str | None = None,
    strict: bool = True,
    limits: ReadLimits | None = None,
    plugins: PluginsArg = None,
) -> Project:
    """Read a project from a path or a binary stream (``"-"`` reads standard input).

    Args:
        format: a registered reader's name (``"json"``, ``"yaml"``, plugins' own); by default
            chosen from the file name, then by sniffing the first bytes.
        strict: validate after reading and raise the first error (a
            :class:`~pmcore.errors.CycleError`, :class:`~pmcore.errors.UnknownReferenceError`,
            ...). With ``strict=False`` the project is returned as read, problems and all, for
            :func:`pmcore.validate` to report.
        limits: size and nesting bounds for untrusted input.
        plugins: the plugins to use; the default ones when omitted.

    Raises:
        FormatError: the file cannot be read, is malformed, or is in no known format.
        ValidationError: (strict only) the project breaks a rule.
    """
    facade = Plugins.of(plugins)
    limits = limits or ReadLimits()
    stream, name, close = _open_source(source)
    try:
        buffered = stream if stream.seekable() else io.BytesIO(stream.read(limits.max_bytes + 1))
        position = buffered.tell()
        head = buffered.read(4096)
        buffered.seek(position)
        reader = facade.reader(format) if format else facade.reader_for(name, head)
        project = reader.read(buffered, source=name, limits=limits)
    finally:
        if close:
            stream.close()
    if strict:
        facade.validate(project).raise_for_errors()
    facade.project_loaded(project, name)
    return project


def write(
    project: Project,
    destination: str | os.PathLike[str] | BinaryIO,
    *,
    format: str | None = None,
    plugins: PluginsArg = None,
) -> None:
    """Write a project to a path or a binary stream (``"-"`` writes standard output).

    A path is written through a temporary file that replaces the target only once writing has
    succeeded, so a failed write never leaves half a file behind.
    """
    facade = Plugins.of(plugins)
    if isinstance(destination, str | os.PathLike) and str(destination) != "-":
        path = Path(destination)
        writer = facade.writer(format) if format else facade.writer_for(str(path))
        temporary = path.with_name(f".{path.name}.pmcore-tmp")
        try:
            with temporary.open("wb") as target:
                writer.write(project, target)
            temporary.replace(path)
        except OSError as exc:
            raise FormatError(f"cannot be written: {exc.strerror or exc}",
                              source=str(path)) from None
        finally:
            temporary.unlink(missing_ok=True)
        facade.project_saved(project, str(path))
        return
    stream: BinaryIO = sys.stdout.buffer if isinstance(destination, str | os.PathLike) \
        else destination
    name = "<stdout>" if stream is sys.stdout.buffer else getattr(stream, "name", "<stream>")
    writer = facade.writer(format or "json")
    writer.write(project, stream)
    facade.project_saved(project, str(name))


def dumps(project: Project, *, format: str = "json", plugins: PluginsArg = None) -> str:
    """The project as text in a registered format (JSON by default)."""
    buffer = io.BytesIO()
    Plugins.of(plugins).writer(format).write(project, buffer)
    return buffer.getvalue().decode("utf-8")


def loads(
    data: str | bytes,
    *,
    format: str = "json",
    strict: bool = True,
    limits: ReadLimits | None = None,
    plugins: PluginsArg = None,
) -> Project:
    """Read a project from text or bytes in a registered format (JSON by default)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read(io.BytesIO(raw), format=format, strict=strict, limits=limits, plugins=plugins)


def _open_source(source: Source) -> tuple[BinaryIO, str, bool]:
    if isinstance(source, str | os.PathLike):
        if str(source) == "-":
            return sys.stdin.buffer, "<stdin>", False
        path = Path(source)
        try:
            return path.open("rb"), str(path), True
        except OSError as exc:
            raise FormatError(f"cannot be opened: {exc.strerror or exc}",
                              source=str(path)) from None
    return source, str(getattr(source, "name", "<stream>")), False
