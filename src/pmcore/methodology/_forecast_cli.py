"""``pmcore forecast``: Monte Carlo forecasts from a file of item histories or sprints."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from pmcore.cli.api import Command
from pmcore.cli.options import check_choice
from pmcore.methodology.forecast import DEFAULT_TRIALS, HowManyForecast, WhenForecast
from pmcore.methodology.kanban import Board, Flow, read_item_histories
from pmcore.methodology.scrum import forecast_points, forecast_release, read_sprints, velocity

__all__ = ["COMMANDS"]

METHODS = ("throughput", "velocity")


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)",
                                 param_hint=option) from None


def forecast_command(
    file: Annotated[str, typer.Argument(
        help="Item histories (CSV: id,state,timestamp) for --method throughput, or past "
             "sprints (JSON) for --method velocity.", metavar="FILE")],
    *,
    method: Annotated[str, typer.Option(
        "--method", "-m", help="throughput (Kanban, per day) or velocity (Scrum, per sprint).")],
    items: Annotated[float | None, typer.Option(
        "--items", "-n", help="When will this many items (story points with velocity) be "
                              "done?")] = None,
    until: Annotated[str | None, typer.Option(
        "--date", "-d", help="How many will be done by the end of this day (YYYY-MM-DD)?",
    )] = None,
    confidence: Annotated[float, typer.Option(
        "--confidence", "-c", help="Confidence in %: a later date, a smaller count.")] = 85,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", help="text or json.")] = "text",
    start: Annotated[str | None, typer.Option(
        "--start", help="First day forecast (default: the day after the history ends).",
    )] = None,
    window: Annotated[int | None, typer.Option(
        "--window", help="Sample only the last N days (throughput) or sprints (velocity).",
    )] = None,
    done: Annotated[str, typer.Option(
        "--done", help="Comma-separated states that mean done (throughput).")] = "Done",
    trials: Annotated[int, typer.Option("--trials", help="Simulated futures.")] = DEFAULT_TRIALS,
    seed: Annotated[int | None, typer.Option(
        "--seed", help="Seed, for a reproducible forecast.")] = None,
) -> int:
    """Forecast when N items will be done, or how many by a date (Monte Carlo)."""
    check_choice(method, METHODS, "--method")
    if (items is None) == (until is None):
        raise typer.BadParameter("give either --items N or --date D", param_hint="--items")
    check_choice(output_format, ("text", "json"))
    if not 0 < confidence <= 100:
        raise typer.BadParameter("must be in (0, 100]", param_hint="--confidence")
    first = None if start is None else _date(start, "--start")
    last = None if until is None else _date(until, "--date")
    result: WhenForecast | HowManyForecast
    date_of: Callable[[int], dt.date] | None = None
    if method == "throughput":
        histories = read_item_histories(sys.stdin if file == "-" else file)
        flow = Flow(Board.infer(histories, done=done.split(",")), histories)
        unit, period = "items", "days"
        samples = len(flow.recent_throughput(window).counts)
        if last is None:
            result = flow.forecast_when(items or 0, start=first, window=window, trials=trials,
                                        seed=seed)
        else:
            result = flow.forecast_how_many(last, start=first, window=window, trials=trials,
                                            seed=seed)
    else:
        sprints = read_sprints(sys.stdin if file == "-" else file)
        unit, period = "points", "sprints"
        samples = len(velocity(sprints, last=window).values)
        if last is None:
            release = forecast_release(items or 0, sprints, last=window, start=first,
                                       trials=trials, seed=seed)
            result, date_of = release.forecast, release.cadence.end_of
        else:
            result = forecast_points(sprints, last, last=window, start=first, trials=trials,
                                     seed=seed)
    payload = _payload(result, method=method, unit=unit, period=period, samples=samples,
                       confidence=confidence, date_of=date_of)
    if output_format == "json":
        typer.echo(json.dumps(payload, indent=2))
    else:
        typer.echo(_sentence(payload))
    return 0


def _payload(result: WhenForecast | HowManyForecast, *, method: str, unit: str, period: str,
             samples: int, confidence: float,
             date_of: Callable[[int], dt.date] | None) -> dict[str, Any]:
    common = {"method": method, "confidence": confidence, "unit": unit, "period": period,
              "period_days": result.period_days, "start": result.start.isoformat(),
              "trials": result.trials, "seed": result.seed, "samples": samples}
    if isinstance(result, WhenForecast):
        # A sprint forecast ends on the sprint's last day, not the day before the next starts.
        end = date_of or result.date_of
        items = int(result.items) if float(result.items).is_integer() else result.items
        return {**common, "question": "when", "items": items,
                "periods": result.percentile(confidence),
                "date": end(result.percentile(confidence)).isoformat(),
                "percentiles": [{"percentile": p, "periods": result.percentile(p),
                                 "date": end(result.percentile(p)).isoformat()}
                                for p in (50, 70, 85, 95)]}
    return {**common, "question": "how-many", "date": result.until.isoformat(),
            "periods": result.periods, "items": result.percentile(confidence),
            "percentiles": result.summary()}


def _sentence(p: dict[str, Any]) -> str:
    per = "day" if p["period"] == "days" else "sprint"
    source = (f"{p['trials']:,} trials over {p['samples']} {per}"
              f"{'s' if p['samples'] != 1 else ''} of {p['method']}")
    if p["question"] == "when":
        return (f"With {p['confidence']:g}% confidence, {p['items']:g} {p['unit']} will be done "
                f"by {p['date']} ({p['periods']} {p['period']} from {p['start']}; {source}).")
    return (f"With {p['confidence']:g}% confidence, at least {p['items']:g} {p['unit']} will be "
            f"done by {p['date']} ({p['periods']} {p['period']} from {p['start']}; {source}).")


COMMANDS = (Command(name="forecast", callback=forecast_command),)
