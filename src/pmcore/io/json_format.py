"""pmcore's native file format: JSON (``.pmcore.json`` or ``.json``)."""

from __future__ import annotations

import io
import json
from typing import Any, BinaryIO, NoReturn

from pmcore.errors import FormatError
from pmcore.io.document import FORMAT_NAME, from_document, read_limited, to_document
from pmcore.io.formats import ReadLimits
from pmcore.model import Project
from pmcore.plugins import hookimpl

__all__ = ["JsonFormat"]


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not allowed (JSON has no such number)")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


class JsonFormat:
    """Reads and writes pmcore's JSON documents.

    Reading is safe on untrusted input: plain data only (no object hooks that build code),
    duplicate keys, NaN and Infinity refused, size and nesting bounded by :class:`ReadLimits`.
    """

    name = "json"
    extensions = (".pmcore.json", ".json")
    description = "pmcore JSON document (schema version 1)"

    def sniff(self, head: bytes) -> bool:
        """A JSON object that declares ``"format": "pmcore"`` near its start."""
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return text.startswith(b"{") and FORMAT_NAME.encode() in text[:4096]

    def read(self, stream: BinaryIO, *, source: str, limits: ReadLimits) -> Project:
        """Read a project from a JSON document."""
        raw = read_limited(stream, source=source, limits=limits)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError(f"is not UTF-8 text (byte {exc.start})", source=source) from None
        try:
            data = json.loads(text, object_pairs_hook=_unique_keys,
                              parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise FormatError(f"is not valid JSON: {exc.msg}", source=source, line=exc.lineno,
                              column=exc.colno) from None
        except RecursionError:
            raise FormatError(f"is nested deeper than {limits.max_depth} levels",
                              source=source) from None
        except ValueError as exc:  # from the hooks above, or an over-long integer
            raise FormatError(f"is not valid JSON: {exc}", source=source) from None
        return from_document(data, source=source, limits=limits)

    def write(self, project: Project, stream: BinaryIO) -> None:
        """Write ``project`` as indented UTF-8 JSON."""
        wrapper = io.TextIOWrapper(stream, encoding="utf-8", newline="\n")
        try:
            json.dump(to_document(project), wrapper, indent=2, ensure_ascii=False)
            wrapper.write("\n")
            wrapper.flush()
        finally:
            wrapper.detach()


@hookimpl
def pmcore_register_readers() -> list[JsonFormat]:
    """The JSON reader."""
    return [JsonFormat()]


@hookimpl
def pmcore_register_writers() -> list[JsonFormat]:
    """The JSON writer."""
    return [JsonFormat()]
