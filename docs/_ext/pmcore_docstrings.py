"""A griffe extension that lets pmcore's docstrings render well as Markdown.

pmcore's docstrings are written to read well in ``help()`` and to run as doctests: they hold
``>>>`` examples and Sphinx roles (``:class:`pmcore.Project```). Markdown knows neither: a
doctest line would become a nested block quote (and ``['a', 'b']`` in its output a broken
cross-reference). This extension, loaded by mkdocstrings (see ``mkdocs.yml``), changes only the
rendered copy of each docstring:

* each run of doctest lines becomes a fenced ``pycon`` code block;
* a reStructuredText literal block (a paragraph ending in ``::``) becomes a fenced code block;
* each Sphinx role becomes inline code, linked to the object when the site documents it;
* an entry of a class's ``Attributes:`` section that describes a field of the class becomes
  that field's own docstring, so each field is documented once, where it is listed (attrs
  fields carry no docstring of their own); ``start, finish: ...`` describes both fields.

The source files are never touched. This file is excluded from the built site.
"""

from __future__ import annotations

import html
import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|exc|data|obj|const):`(~?)([\w.]+)`")


def _role(match: re.Match[str]) -> str:
    short, target = match[1], match[2]
    shown = target.rsplit(".", 1)[-1] if short else target
    if "." not in target:  # a bare name: pmcore re-exports its public names at the top
        target = f"pmcore.{target}"
    return (f'<autoref identifier="{html.escape(target)}" optional>'
            f"<code>{html.escape(shown)}</code></autoref>")


def _fence_doctests(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.lstrip()
        if not stripped.startswith(">>>"):
            out.append(line)
            index += 1
            continue
        indent = line[: len(line) - len(stripped)]
        if out and out[-1].strip():
            out.append("")
        out.append(f"{indent}```pycon")
        while index < len(lines) and lines[index].strip() and lines[index].startswith(indent):
            out.append(lines[index])
            index += 1
        out.append(f"{indent}```")
        if index < len(lines) and lines[index].strip():
            out.append("")
    return "\n".join(out)


def _fence_literal_blocks(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        if not line.rstrip().endswith("::") or index >= len(lines) or lines[index].strip():
            continue
        body_start = index + 1
        indent = len(line) - len(line.lstrip())
        end = body_start
        while end < len(lines) and (not lines[end].strip()
                                    or len(lines[end]) - len(lines[end].lstrip()) > indent):
            end += 1
        while end > body_start and not lines[end - 1].strip():
            end -= 1
        if end == body_start:
            continue
        out[-1] = line.rstrip()[:-1]  # "text::" reads "text:"
        body = lines[body_start:end]
        margin = min(len(b) - len(b.lstrip()) for b in body if b.strip())
        code = any(b.lstrip().startswith(("import ", "from ", "def ", "@", ">>>")) for b in body)
        fence = "```python" if code else "```text"
        out += ["", " " * indent + fence, *(" " * indent + b[margin:] for b in body),
                " " * indent + "```"]
        index = end
    return "\n".join(out)


def rewrite(text: str) -> str:
    """The Markdown version of one docstring."""
    return _ROLE.sub(_role, _fence_doctests(_fence_literal_blocks(text)))


_ENTRY = re.compile(r"^(?P<names>\w+(?:\s*,\s*\w+)*)(?:\s*\([^)]*\))?\s*:\s?(?P<text>.*)$")


def _attribute_entries(text: str) -> tuple[list[str], int, int, dict[str, list[str]]]:
    """The docstring's lines, where its Attributes section starts and ends, and its entries."""
    lines = text.splitlines()
    entries: dict[str, list[str]] = {}
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Attributes:")
    except StopIteration:
        return lines, 0, 0, entries
    header_indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    current: list[str] = []
    while end < len(lines):
        line = lines[end]
        indent = len(line) - len(line.lstrip())
        if line.strip() and indent <= header_indent:
            break
        match = _ENTRY.match(line.strip())
        if line.strip() and match and indent == header_indent + 4:
            current = [match["text"]]
            for name in re.split(r"\s*,\s*", match["names"]):
                entries[name] = current
        elif line.strip():
            current.append(line.strip())
        end += 1
    return lines, start, end, entries


def move_attribute_docs(cls: griffe.Class) -> None:
    """Give each field named in the class's Attributes section that section's description."""
    if cls.docstring is None:
        return
    lines, start, end, entries = _attribute_entries(cls.docstring.value)
    moved = False
    for name, description in entries.items():
        member = cls.members.get(name)
        if member is None or member.is_alias or not member.is_attribute or member.docstring:
            continue
        member.docstring = griffe.Docstring(" ".join(description), parent=member)
        moved = True
    if moved:  # the fields now say it themselves; keep the entries that are not fields
        kept = [f"    {name}: {' '.join(text)}" for name, text in entries.items()
                if not (name in cls.members and cls.members[name].is_attribute
                        and not cls.members[name].is_alias)]
        section = ["Attributes:", *kept] if kept else []
        cls.docstring.value = "\n".join([*lines[:start], *section, *lines[end:]]).rstrip()


def _classes(obj: griffe.Object) -> Any:
    for member in obj.members.values():
        if member.is_alias:
            continue
        if member.is_class:
            yield member
        if member.is_module or member.is_class:
            yield from _classes(member)


class MarkdownDocstrings(griffe.Extension):
    """Rewrites doctests, literal blocks, Sphinx roles and attribute sections for Markdown."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value)

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for cls in _classes(pkg):
            move_attribute_docs(cls)
