"""``pmcore methodologies``: the registered methodologies and the plugins registering them."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from pmcore.cli.api import Command
from pmcore.cli.options import console
from pmcore.plugins import BUILTIN_PLUGINS, Plugins

__all__ = ["COMMANDS"]


def methodologies_command(*, as_json: Annotated[bool, typer.Option(
        "--json", help="Print JSON instead of a table.")] = False, plugins: Plugins) -> int:
    """List the registered methodologies with their lifecycle and source plugin."""
    distributions = getattr(plugins.pm, "distributions", {})
    rows: list[dict[str, Any]] = []
    for name, (methodology, plugin) in plugins.methodology_sources().items():
        dist = distributions.get(plugin)
        rows.append({"name": name, "title": methodology.title,
                     "lifecycle": methodology.lifecycle,
                     "metrics": [m.name for m in methodology.metrics],
                     "plugin": "pmcore" if plugin in BUILTIN_PLUGINS else plugin,
                     "distribution": None if dist is None else
                     {"name": dist[0], "version": dist[1]}})
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return 0
    table = Table(title="pmcore methodologies", title_justify="left")
    for column in ("name", "title", "lifecycle", "plugin"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row[key]) for key in ("name", "title", "lifecycle", "plugin")))
    console().print(table)
    return 0


COMMANDS = (Command(name="methodologies", callback=methodologies_command, needs_plugins=True),)
