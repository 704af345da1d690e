"""``pmcore evm``: a project's earned value at a status date, as a table or JSON."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from pmcore.cli.api import Command
from pmcore.cli.options import check_choice
from pmcore.finance.earned import evm
from pmcore.finance.metrics import _MONEY_FIELDS
from pmcore.finance.plan import CostPlan, read_cost_plan
from pmcore.io import read
from pmcore.model.base import to_date
from pmcore.plugins import Plugins

__all__ = ["COMMANDS", "costs_beside"]

_TABLE = ("pv", "ev", "ac", "sv", "cv", "spi", "cpi", "bac", "eac", "etc", "vac", "tcpi",
          "spi_t")


def costs_beside(file: str) -> Path | None:
    """The cost plan kept beside a project file: ``plan.pmcore.json`` -> ``plan.costs.json``."""
    if file == "-":
        return None
    path = Path(file)
    stem = path.name.split(".", 1)[0]
    candidate = path.with_name(f"{stem}.costs.json")
    return candidate if candidate.is_file() else None


def _json_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        # Money as exact strings; ratios and periods as numbers (4 places).
        return str(value) if name in _MONEY_FIELDS else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def evm_command(
    file: Annotated[str, typer.Argument(help="A project file with a saved baseline.",
                                        metavar="FILE")],
    *,
    status_date: Annotated[str, typer.Option(
        "--status-date", help="The day progress is measured (YYYY-MM-DD).")],
    by: Annotated[list[str] | None, typer.Option(
        "--by", help="Rows besides the project's: wbs and/or account.")] = None,
    costs: Annotated[str | None, typer.Option(
        "--costs", help="The cost plan (accounts, reserves, actual costs); by default "
        "NAME.costs.json beside FILE, when there is one.")] = None,
    period: Annotated[str, typer.Option(
        "--period", help="Periods of earned schedule: day, week, month, quarter, year.")] = "week",
    output_format: Annotated[str, typer.Option(
        "--format", "-f", help="table or json.")] = "table",
    plugins: Plugins,
) -> int:
    """Earned value (PV, EV, AC, CPI, SPI, EAC, earned schedule) at a status date."""
    check_choice(output_format, ("table", "json"))
    project = read(file, plugins=plugins)
    plan_path = Path(costs) if costs else costs_beside(file)
    plan = read_cost_plan(plan_path) if plan_path is not None else CostPlan()
    if plan_path is not None and not costs:
        sys.stderr.write(f"costs from {plan_path}\n")
    snapshot = evm(project, plan, status_date=to_date(status_date), by=tuple(by or ()),
                   period=period, plugins=plugins)
    records = [row.as_dict() for row in snapshot.rows]
    if output_format == "json":
        document = {"project": snapshot.project, "currency": snapshot.currency,
                    "status_date": snapshot.status_date.isoformat(),
                    "period": snapshot.periods.kind,
                    "rows": [{k: _json_value(k, v) for k, v in r.items()} for r in records]}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return 0
    names = [f"{r['scope']} {r['key']}" if r["scope"] != "project" else r["key"]
             for r in records]
    width = max(len(n) for n in names)
    lines = [f"{snapshot.project}: earned value on {snapshot.status_date} "
             f"({snapshot.currency}, periods: {snapshot.periods.kind})",
             f"{'':<{width}} " + " ".join(f"{c:>11}" for c in _TABLE)]
    for name, record in zip(names, records, strict=True):
        cells = []
        for column in _TABLE:
            value = record[column]
            cells.append(f"{'-' if value is None else value:>11}" if column in _MONEY_FIELDS
                         else f"{'-' if value is None else f'{value:.3f}':>11}")
        lines.append(f"{name:<{width}} " + " ".join(cells))
    total = snapshot.total
    if total.forecast_finish is not None:
        lines.append(f"planned finish {total.planned_finish}, forecast finish "
                     f"{total.forecast_finish} (earned schedule)")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


COMMANDS = (Command(name="evm", callback=evm_command, needs_plugins=True),)
