"""``pmcore risks FILE``: the risk register with scores, ratings and EMV, by exposure."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.table import Table

from pmcore.cli.api import Command
from pmcore.cli.options import FileArg, OutputFormat, check_choice, console
from pmcore.io import read
from pmcore.plugins import Plugins
from pmcore.risk.scoring import HeatMap, heat_map, rank_risks

__all__ = ["COMMANDS"]


def _plain(value: Any) -> Any:
    # Money stays exact in JSON: as text, the way the file format writes it.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def risks_command(
    file: FileArg,
    *,
    output_format: OutputFormat = "table",
    residual: Annotated[bool, typer.Option(
        "--residual", help="Score the residual (post-response) assessments.")] = False,
    include_closed: Annotated[bool, typer.Option(
        "--all", help="Include closed risks and those that occurred.")] = False,
    show_heat_map: Annotated[bool, typer.Option(
        "--heatmap", help="Also show the risks on the register's probability-impact "
                          "matrix.")] = False,
    source_format: Annotated[str | None, typer.Option(
        "--from", help="The reader to use (default: from the name or content).")] = None,
    plugins: Plugins,
) -> int:
    """List the risk register with score, rating and EMV, highest exposure first."""
    check_choice(output_format, ("table", "json"))
    project = read(file, format=source_format, plugins=plugins)
    ranking = rank_risks(project.risks, residual=residual, open_only=not include_closed,
                         plugins=plugins)
    records = ranking.to_records()
    if output_format == "json":
        document = {
            "file": file, "residual": residual,
            "totals": {"risks": len(records),
                       "threat_exposure": str(ranking.threat_exposure),
                       "opportunity_exposure": str(ranking.opportunity_exposure),
                       "net_emv": str(ranking.net_emv)},
            "risks": [{k: _plain(v) for k, v in r.items()} for r in records]}
        if show_heat_map:
            document["heat_map"] = heat_map(project.risks, residual=residual,
                                            open_only=not include_closed).to_records()
        typer.echo(json.dumps(document, indent=2))
        return 0
    table = Table(title=f"risks of {project.name}" + (" (residual)" if residual else ""),
                  title_justify="left")
    columns = ("rank", "id", "title", "kind", "status", "owner", "probability", "score",
               "rating", "emv")
    for column in columns:
        table.add_column(column, justify="right" if column in ("probability", "score", "emv")
                         else "left")
    for record in records:
        cells = dict(record)
        cells["probability"] = f"{record['probability']:.0%}"
        cells["score"] = "-" if record["score"] is None else f"{record['score']:g}"
        cells["rating"] = record["rating"] or "-"
        cells["emv"] = f"{record['emv']:,.2f}"  # exact in JSON; cents on screen
        table.add_row(*(str(cells[c]) for c in columns))
    console().print(table)
    typer.echo(f"threat exposure {ranking.threat_exposure:,.2f}, opportunity exposure "
               f"{ranking.opportunity_exposure:,.2f}, net EMV {ranking.net_emv:,.2f}")
    if show_heat_map:
        _print_heat_map(heat_map(project.risks, residual=residual,
                                 open_only=not include_closed))
    return 0


def _print_heat_map(grid: HeatMap) -> None:
    impacts = sorted({(c.impact_level, c.impact_label) for c in grid.cells})
    table = Table(title="heat map (probability x impact)", title_justify="left")
    table.add_column("probability")
    for _, label in impacts:
        table.add_column(label, justify="center")
    rows: dict[tuple[int, str], list[str]] = {}
    for cell in grid.cells:  # highest probability first, as the matrix is drawn
        text = ", ".join(cell.risk_ids) if cell.risk_ids else "."
        rows.setdefault((cell.probability_level, cell.probability_label), []).append(
            f"{text} ({cell.rating})" if cell.risk_ids else text)
    for (_, label), cells in rows.items():
        table.add_row(label, *cells)
    console().print(table)
    if grid.unplaced:
        typer.echo(f"not on the matrix (no probability or impact level): "
                   f"{', '.join(grid.unplaced)}")


COMMANDS = (Command(name="risks", callback=risks_command, needs_plugins=True),)
