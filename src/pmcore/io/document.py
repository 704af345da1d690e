"""What the JSON and YAML formats share: the envelope, the limits, and error reporting.

A pmcore document is ``{"format": "pmcore", "schema_version": 1, "project": {...}}``. Both
formats parse to plain data, check it against :class:`ReadLimits`, then hand it to the cattrs
converter; every problem comes back as a :class:`~pmcore.errors.FormatError` naming the file
and the JSON path of the value at fault.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, BinaryIO

import cattrs

from pmcore.errors import FormatError, PMCoreError
from pmcore.io.converter import SCHEMA_VERSION, structure_project, unstructure_project
from pmcore.io.formats import ReadLimits
from pmcore.model import Project

__all__ = ["from_document", "read_limited", "to_document"]

FORMAT_NAME = "pmcore"


def read_limited(stream: BinaryIO, *, source: str, limits: ReadLimits) -> bytes:
    """Read the whole stream, refusing more than ``limits.max_bytes``."""
    data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise FormatError(f"is larger than the {limits.max_bytes:,}-byte limit", source=source)
    return data


def check_depth(data: Any, *, source: str, limits: ReadLimits) -> None:
    """Refuse documents nested deeper than ``limits.max_depth`` (iteratively, no recursion)."""
    containers = (dict, list)
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:  # only containers are visited, and no paths are built unless one is too deep
        node, depth = stack.pop()
        if depth > limits.max_depth:
            raise FormatError(f"is nested deeper than {limits.max_depth} levels", source=source,
                              path=_path_deeper_than(data, limits.max_depth))
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, containers))


def _path_deeper_than(data: Any, max_depth: int) -> str:
    stack: list[tuple[Any, int, str]] = [(data, 1, "$")]
    while stack:
        node, depth, path = stack.pop()
        if depth > max_depth:
            return path
        if isinstance(node, Mapping):
            stack.extend((v, depth + 1, f"{path}.{k}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, depth + 1, f"{path}[{i}]") for i, v in enumerate(node))
    return "$"


def to_document(project: Project) -> dict[str, Any]:
    """The whole document for ``project``."""
    return {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "project": unstructure_project(project),
    }


def from_document(data: Any, *, source: str, limits: ReadLimits) -> Project:
    """Check the envelope and build the project.

    Raises:
        FormatError: with the path of the first bad value and a count of the others.
    """
    check_depth(data, source=source, limits=limits)
    if not isinstance(data, Mapping) or data.get("format") != FORMAT_NAME:
        raise FormatError("is not a pmcore document (expected \"format\": \"pmcore\")",
                          source=source, path="$.format")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError(f"has no valid schema_version (got {version!r})", source=source,
                          path="$.schema_version")
    if version > SCHEMA_VERSION:
        raise FormatError(f"uses schema version {version}; this pmcore reads up to "
                          f"{SCHEMA_VERSION}: upgrade pmcore", source=source,
                          path="$.schema_version")
    unknown = sorted(set(data) - {"format", "schema_version", "project"})
    if unknown:
        raise FormatError(f"has unknown top-level keys {unknown}", source=source, path="$")
    if not isinstance(data.get("project"), Mapping):
        raise FormatError("has no project object", source=source, path="$.project")
    try:
        return structure_project(data["project"])
    except cattrs.BaseValidationError as exc:
        raise _format_error(exc, source) from None
    except PMCoreError as exc:
        raise FormatError(_reason(exc), source=source, path="$.project") from None


def _reason(exc: BaseException) -> str:
    return getattr(exc, "reason", None) or str(exc)


def _describe(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, PMCoreError):
        return _reason(exc)
    return cattrs.v.format_exception(exc, type_)


def _format_error(exc: cattrs.BaseValidationError, source: str) -> FormatError:
    messages = cattrs.transform_error(exc, path="$.project", format_exception=_describe)
    first = messages[0] if messages else str(exc)
    message, _, path = first.rpartition(" @ ")
    if not message:
        message, path = first, "$.project"
    more = len(messages) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    error = FormatError(message, source=source, path=path)
    error.problems = tuple(messages)
    return error
