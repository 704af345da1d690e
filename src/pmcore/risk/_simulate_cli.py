"""``pmcore simulate FILE``: a Monte Carlo schedule and cost risk analysis of a project file."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from pmcore.cli.api import Command
from pmcore.cli.options import FileArg, OutputFormat, check_choice, console
from pmcore.io import read
from pmcore.plugins import Plugins
from pmcore.risk.montecarlo import PERCENTILES, SimulationResult, simulate

__all__ = ["simulate_command"]


def simulate_command(
    file: FileArg,
    *,
    iterations: Annotated[int, typer.Option(
        "--iterations", "-n", min=1, help="How many futures to draw.")] = 10_000,
    seed: Annotated[int | None, typer.Option(
        "--seed", min=0, help="Makes the run reproducible (printed when omitted).")] = None,
    target_date: Annotated[str | None, typer.Option(
        "--target-date", help="Report the probability of finishing by this date (ISO).",
    )] = None,
    output_format: OutputFormat = "table",
    residual: Annotated[bool, typer.Option(
        "--residual", help="Use the risks' residual (post-response) assessments.")] = False,
    top: Annotated[int, typer.Option("--top", min=1,
                                     help="Tasks and risks listed in the table.")] = 5,
    source_format: Annotated[str | None, typer.Option(
        "--from", help="The reader to use (default: from the file name or content).")] = None,
    plugins: Plugins,
) -> int:
    """Monte Carlo risk analysis: finish and cost percentiles, criticality, sensitivity."""
    check_choice(output_format, ("table", "json"))
    project = read(file, format=source_format, plugins=plugins)
    result = simulate(project, iterations=iterations, seed=seed, residual=residual)
    if output_format == "json":
        document = result.to_dict(target_date)
        document["file"] = file
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        _table(result, target_date, top)
    for warning in result.warnings:
        sys.stderr.write(f"{file}: warning: {warning}\n")
    return 0


def _table(result: SimulationResult, target_date: str | None, top: int) -> None:
    out = console()
    out.print(f"{result.iterations:,} iterations, seed {result.seed} ({result.method})")
    dates = Table(title="finish", title_justify="left")
    dates.add_column("")
    for p in PERCENTILES:
        dates.add_column(f"P{p}")
    dates.add_column("CPM")
    rows = [("project", result.finish),
            *((f"{task} {result.names[task]}", d) for task, d in result.milestones.items())]
    for label, distribution in rows:
        dates.add_row(label, *(f"{distribution.percentile(p):%Y-%m-%d}" for p in PERCENTILES),
                      f"{distribution.deterministic:%Y-%m-%d}")
    out.print(dates)
    if target_date is not None:
        out.print(f"probability of finishing by {target_date}: "
                      f"{result.probability_on_time(target_date):.1%}")
    if any(result.cost.percentile(p) for p in PERCENTILES):
        out.print("cost: " + ", ".join(f"P{p} {result.cost.percentile(p)}"
                                           for p in PERCENTILES)
                      + f" (plan {result.cost.deterministic})")
    tasks = Table(title="tasks driving the finish", title_justify="left")
    for column in ("task", "criticality", "sensitivity"):
        tasks.add_column(column)
    ranked = [task for task, _ in result.tornado(top)] or sorted(
        result.criticality, key=lambda t: -result.criticality[t])[:top]
    for task in ranked:
        sensitivity = result.sensitivity.get(task)
        tasks.add_row(f"{task} {result.names[task]}", f"{result.criticality[task]:.0%}",
                      "-" if sensitivity is None else f"{sensitivity:+.2f}")
    out.print(tasks)
    if result.risks:
        risks = Table(title="top risks", title_justify="left")
        for column in ("risk", "occurred", "finish later by (days)"):
            risks.add_column(column)
        ranked_risks = sorted(result.risks, key=lambda r: -result.risk_delay[r])[:top]
        for risk in ranked_risks:
            risks.add_row(f"{risk} {result.risk_names.get(risk, '')}".strip(),
                          f"{result.risks[risk]:.0%}", f"{result.risk_delay[risk]:.1f}")
        out.print(risks)


COMMANDS = (Command(name="simulate", callback=simulate_command, needs_plugins=True),)
