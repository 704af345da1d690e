"""The same document as YAML (``.pmcore.yaml``, ``.yaml``, ``.yml``), with the ``yaml`` extra.

Only the JSON-compatible part of YAML is read: no tags, no anchors or aliases (a "billion
laughs" document is refused before it can expand), and plain scalars resolve as in YAML 1.2's
core schema, so ``17:00`` stays the text it looks like rather than becoming the number 1020.
"""

from __future__ import annotations

import importlib.util
import io
import re
from typing import TYPE_CHECKING, Any, BinaryIO

from pmcore.errors import FormatError
from pmcore.io.document import FORMAT_NAME, from_document, read_limited, to_document
from pmcore.io.formats import ReadLimits
from pmcore.model import Project
from pmcore.plugins import hookimpl

if TYPE_CHECKING:
    import yaml

__all__ = ["YamlFormat", "yaml_available"]


def yaml_available() -> bool:
    """True when PyYAML is installed (``pip install 'pmcore[yaml]'``)."""
    return importlib.util.find_spec("yaml") is not None


_CORE_RESOLVERS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
]


def _loader() -> type[yaml.SafeLoader]:
    import yaml

    class CoreSchemaLoader(yaml.SafeLoader):
        """SafeLoader with YAML 1.2 core-schema scalars and without aliases."""

        yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - replaces the 1.1 table

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, "aliases are not allowed in pmcore documents", event.start_mark)
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if getattr(event, "anchor", None) is not None:
                raise yaml.composer.ComposerError(
                    None, None, "anchors are not allowed in pmcore documents", event.start_mark)
            return super().compose_node(parent, index)

    for tag, pattern, first in _CORE_RESOLVERS:
        CoreSchemaLoader.add_implicit_resolver(tag, re.compile(pattern), list(first))
    return CoreSchemaLoader


def _dumper() -> type[yaml.SafeDumper]:
    import yaml

    class QuotingDumper(yaml.SafeDumper):
        """Quotes every string that YAML 1.1 *or* the core schema would read as non-text."""

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        # Plain and single-quoted YAML fold these line breaks into spaces: quote them.
        style = '"' if any(c in value for c in "\x85\u2028\u2029") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    for tag, pattern, first in _CORE_RESOLVERS:
        QuotingDumper.add_implicit_resolver(tag, re.compile(pattern), list(first))
    QuotingDumper.add_representer(str, represent_str)
    return QuotingDumper


class YamlFormat:
    """Reads and writes pmcore documents as YAML."""

    name = "yaml"
    extensions = (".pmcore.yaml", ".pmcore.yml", ".yaml", ".yml")
    description = "pmcore document as YAML (needs the 'yaml' extra)"

    def sniff(self, head: bytes) -> bool:
        """A mapping whose first key is ``format: pmcore``."""
        return re.match(rb"\s*(---\s*)?format:\s*['\"]?" + FORMAT_NAME.encode(), head) is not None

    def read(self, stream: BinaryIO, *, source: str, limits: ReadLimits) -> Project:
        """Read a project from a YAML document."""
        import yaml

        raw = read_limited(stream, source=source, limits=limits)
        try:
            data = yaml.load(raw, Loader=_loader())
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise FormatError(f"is not valid YAML: {exc.problem or exc.context}", source=source,
                              line=mark.line + 1 if mark else None,
                              column=mark.column + 1 if mark else None) from None
        except (yaml.YAMLError, RecursionError) as exc:
            raise FormatError(f"is not valid YAML: {exc}", source=source) from None
        return from_document(data, source=source, limits=limits)

    def write(self, project: Project, stream: BinaryIO) -> None:
        """Write ``project`` as block-style UTF-8 YAML."""
        import yaml

        wrapper = io.TextIOWrapper(stream, encoding="utf-8", newline="\n")
        try:
            yaml.dump(to_document(project), wrapper, Dumper=_dumper(), sort_keys=False,
                      allow_unicode=True, default_flow_style=False)
            wrapper.flush()
        finally:
            wrapper.detach()


@hookimpl
def pmcore_register_readers() -> list[YamlFormat]:
    """The YAML reader, when PyYAML is installed."""
    return [YamlFormat()] if yaml_available() else []


@hookimpl
def pmcore_register_writers() -> list[YamlFormat]:
    """The YAML writer, when PyYAML is installed."""
    return [YamlFormat()] if yaml_available() else []
