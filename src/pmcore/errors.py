"""Every error pmcore raises, in one hierarchy.

Catch :class:`PMCoreError` to handle anything pmcore raises on purpose; catch a subclass to
handle one kind of problem. Third-party exceptions never escape pmcore's public API: they are
wrapped in one of these (``raise FormatError(...) from exc``)::

    PMCoreError
    ├── ValidationError (also ValueError)     a value or a model breaks a rule
    │   ├── CycleError                         dependencies (or calendar bases) form a loop
    │   └── UnknownReferenceError (LookupError) an id that names nothing
    ├── FormatError (also ValueError)         a file or payload cannot be read: malformed,
    │                                         hostile, too large, or of an unknown format
    └── PluginError                           a plugin failed to load or broke its contract

Every message names the entity and the field involved, so a single line on a terminal or in a
log says what is wrong and where. ``InvalidModelError`` is another name for
:class:`ValidationError` (the name the house style and some specifications use).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "CycleError",
    "FormatError",
    "InvalidModelError",
    "PMCoreError",
    "PluginError",
    "UnknownReferenceError",
    "ValidationError",
]


class PMCoreError(Exception):
    """Base class of every error raised by pmcore."""

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses take keyword-only arguments and build their message from them, so the
        # default (``cls(*args)``) cannot rebuild them: pickling (process pools) and copy would
        # fail or garble the attributes. Rebuild from the finished message and the attributes.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[PMCoreError], args: tuple[Any, ...], state: dict[str, Any]) -> PMCoreError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class ValidationError(PMCoreError, ValueError):
    """A value or a model breaks one of pmcore's rules.

    Attributes:
        entity: what the error is about, e.g. ``"task T12 'Design'"`` (``None`` when it is a
            free-standing value such as a duration string).
        field: the attribute at fault, e.g. ``"duration"``.
    """

    def __init__(self, message: str, *, entity: str | None = None, field: str | None = None):
        self.entity = entity
        self.field = field
        self.reason = message
        prefix = entity or ""
        if field:
            prefix = f"{prefix}.{field}" if prefix else field
        super().__init__(f"{prefix}: {message}" if prefix else message)


InvalidModelError = ValidationError
"""Another name for :class:`ValidationError`: a model that breaks a rule."""


class CycleError(ValidationError):
    """Dependencies (or calendar bases) form a loop.

    Attributes:
        cycle: the ids on the loop in order; the first id is repeated at the end so the loop
            reads naturally: ``("T1", "T4", "T2", "T1")``. The message adds the names given
            in ``names``.
    """

    def __init__(
        self,
        cycle: Sequence[str],
        *,
        kind: str = "dependency",
        entity: str | None = None,
        names: Mapping[str, str] | None = None,
    ):
        self.cycle = tuple(cycle)
        names = names or {}
        path = " -> ".join(f"{i} ({names[i]})" if names.get(i) else i for i in self.cycle)
        super().__init__(f"{kind} cycle: {path}", entity=entity, field=None)


class UnknownReferenceError(ValidationError, LookupError):
    """An id refers to nothing that exists.

    Attributes:
        reference: the id that could not be found.
        kind: what kind of entity it should have named (``"task"``, ``"calendar"``, ...).
    """

    def __init__(
        self, reference: str, *, kind: str, entity: str | None = None, field: str | None = None
    ):
        self.reference = reference
        self.kind = kind
        super().__init__(f"unknown {kind} id {reference!r}", entity=entity, field=field)

    def __str__(self) -> str:  # LookupError would otherwise quote the message
        return str(self.args[0])


class FormatError(PMCoreError, ValueError):
    """A file or a payload cannot be read.

    Attributes:
        source: the file name or a description of the payload (``"<stdin>"``).
        line: 1-based line number where it is known.
        column: 1-based column where it is known.
        path: the location inside the document, e.g. ``"$.project.tasks[3].duration"``.
        problems: every problem found when a reader reports several (the message shows the
            first and counts the rest).
    """

    problems: tuple[str, ...] = ()

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
    ):
        self.source = source
        self.line = line
        self.column = column
        self.path = path
        self.reason = message
        where = source or ""
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        if path:
            where += f" at {path}" if where else path
        super().__init__(f"{where}: {message}" if where else message)


class PluginError(PMCoreError):
    """A plugin failed to load or broke the contract of a hook.

    Attributes:
        plugin: the plugin's name (its entry-point name for installed plugins).
    """

    def __init__(self, message: str, *, plugin: str):
        self.plugin = plugin
        super().__init__(f"plugin {plugin!r}: {message}")
