"""Agile benchmark: Kanban flow metrics and Monte Carlo forecasts beside plain Python.

    python bench/run.py --agile [--quick]      # this table only
    python bench/agile_bench.py [--quick]      # the same, standalone

The history (:func:`generate_histories`) is the issue's: five years (1,826 days) of a team's
board with 50,000 items, each created, started in Analysis, moved to Dev (a few back to
Analysis and on again), then Review and Done, with timestamps inside the working day; the last
weeks' items are still in progress. The forecasts run 10,000 trials.

Each pmcore row has a plain-Python peer computing the same numbers from the same data, checked
equal (the forecasts: same distribution within sampling error, as the random streams differ):

* flow metrics: one pass per item over its transitions (dicts and lists);
* forecasts: ``random.choices`` per trial, adding day after day (or sprint after sprint).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import _timing
import numpy as np
from _timing import median_seconds as _median

from pmcore.methodology import forecast_how_many, forecast_when
from pmcore.methodology.kanban import Board, Column, Flow, ItemHistory

__all__ = ["ITEMS", "TRIALS", "YEARS", "Row", "generate_histories", "markdown_table", "run"]

ITEMS = 50_000
YEARS = 5
TRIALS = 10_000
FIRST_DAY = dt.date(2022, 1, 3)
COLUMNS = ("Backlog", "Analysis", "Dev", "Review", "Done")
BOARD = Board(name="Benchmark", columns=[
    Column(name="Backlog", kind="todo"),
    Column(name="Analysis", kind="in_progress", wip_limit=40),
    Column(name="Dev", kind="in_progress", wip_limit=60),
    Column(name="Review", kind="in_progress", wip_limit=30),
    Column(name="Done", kind="done"),
])


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    benchmark: str
    pmcore: str
    peer: str


def generate_histories(items: int = ITEMS, years: int = YEARS,
                       seed: int = 1) -> list[ItemHistory]:
    """``items`` item histories spread over ``years`` years (see the module docstring)."""
    rng = random.Random(seed)
    days = round(365.25 * years)
    start = dt.datetime.combine(FIRST_DAY, dt.time())
    result = []
    for k in range(items):
        created = rng.randrange(days)
        steps = [("Backlog", created)]
        day = created + int(rng.expovariate(1 / 6))
        steps.append(("Analysis", day))
        day += int(rng.expovariate(1 / 2))
        steps.append(("Dev", day))
        if rng.random() < 0.1:  # sent back for more analysis
            day += int(rng.expovariate(1 / 2))
            steps.append(("Analysis", day))
            day += int(rng.expovariate(1 / 2))
            steps.append(("Dev", day))
        day += int(rng.expovariate(1 / 3))
        steps.append(("Review", day))
        day += int(rng.expovariate(1))
        steps.append(("Done", day))
        transitions = []
        hour = 9.0
        for state, offset in steps:
            if offset >= days:  # beyond the end of the history: still in progress
                break
            hour = hour + rng.random() if transitions and transitions[-1][1].date() == (
                start + dt.timedelta(days=offset)).date() else 9 + rng.random() * 4
            transitions.append((state, start + dt.timedelta(days=offset, hours=min(hour, 23))))
        result.append(ItemHistory(id=f"K-{k + 1}", transitions=transitions))
    return result


# ----------------------------------------------------------------------------- the peer


def plain_metrics(items: Sequence[ItemHistory]) -> dict[str, Any]:
    """Cycle times, daily throughput and daily WIP, one item at a time in plain Python."""
    in_progress = {"Analysis", "Dev", "Review"}
    cycle: list[int] = []
    done_days: dict[dt.date, int] = {}
    spans: list[tuple[dt.date, dt.date | None]] = []
    first = last = None
    for item in items:
        started = finished = None
        for index, transition in enumerate(item.transitions):
            day = transition.at.date()
            first = day if first is None or day < first else first
            last = day if last is None or day > last else last
            if started is None and (transition.state in in_progress
                                    or transition.state == "Done"):
                started = day
            if transition.state == "Done" and (
                    index == 0 or item.transitions[index - 1].state != "Done"):
                finished = day
        if item.transitions[-1].state != "Done":
            finished = None
        if started is not None:
            spans.append((started, finished))
        if finished is not None and started is not None:
            cycle.append((finished - started).days + 1)
            done_days[finished] = done_days.get(finished, 0) + 1
    if first is None or last is None:
        raise ValueError("no transitions")
    width = (last - first).days + 1
    throughput = [done_days.get(first + dt.timedelta(days=k), 0) for k in range(width)]
    wip = [0] * (width + 1)
    for started, finished in spans:
        wip[(started - first).days] += 1
        if finished is not None:
            wip[(finished - first).days + 1] -= 1
    running, daily = 0, []
    for change in wip[:-1]:
        running += change
        daily.append(running)
    ordered = sorted(cycle)
    p85 = ordered[math.ceil(0.85 * len(ordered)) - 1]
    return {"cycle_p85": p85, "throughput": throughput, "wip": daily}


def plain_when(samples: Sequence[int], items: int, trials: int, seed: int) -> list[int]:
    """Periods needed per trial, drawing one sample per period with ``random``."""
    rng = random.Random(seed)
    result = []
    for _ in range(trials):
        done = periods = 0
        while done < items:
            done += rng.choice(samples)
            periods += 1
        result.append(periods)
    return result


def plain_how_many(samples: Sequence[int], periods: int, trials: int, seed: int) -> list[int]:
    """Items done per trial in ``periods`` periods."""
    rng = random.Random(seed)
    return [sum(rng.choices(samples, k=periods)) for _ in range(trials)]


def _percentile_when(values: Sequence[int], p: float) -> int:
    return sorted(values)[math.ceil(p / 100 * len(values)) - 1]


# ----------------------------------------------------------------------------- timing


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def run(quick: bool = False, seed: int = 1) -> list[Row]:
    """Measure every row (medians of 3 runs, 1 with ``quick``)."""
    repeat = 1 if quick else 3
    items = generate_histories(seed=seed)
    rows: list[Row] = []

    build = _median(lambda: Flow(BOARD, items), repeat)
    flow = Flow(BOARD, items)

    def metrics() -> dict[str, Any]:
        cycle = flow.cycle_times()
        return {"cycle_p85": cycle.percentile(85), "throughput": flow.throughput().counts,
                "wip": flow.wip().counts}

    ours = metrics()
    theirs = plain_metrics(items)
    assert ours["cycle_p85"] == theirs["cycle_p85"]
    assert ours["throughput"].tolist() == theirs["throughput"]
    assert ours["wip"].tolist() == theirs["wip"]
    metrics_time = _median(metrics, repeat)
    peer_time = _median(lambda: plain_metrics(items), repeat)
    done = int(ours["throughput"].sum())
    rows.append(Row(f"flow metrics from {len(items):,} histories over {YEARS} years: arrays "
                    "(`Flow(board, items)`), cycle times and their 85th percentile, daily "
                    f"throughput, daily WIP ({done:,} items done)", _ms(build + metrics_time),
                    f"plain Python, one pass per item: {_ms(peer_time)}"))
    rows.append(Row("the same metrics again, on the arrays already built", _ms(metrics_time),
                    "-"))
    extra = _median(lambda: (flow.cumulative_flow(), flow.aging(), flow.wip_violations(),
                             flow.throughput("week")), repeat)
    rows.append(Row("cumulative flow (5 columns x 1,826 days), aging WIP, WIP-limit "
                    "violations, weekly throughput", _ms(extra), "-"))

    samples = flow.recent_throughput(365).counts  # the last year of daily throughput
    target = 500
    when = forecast_when(samples, target, start="2027-01-04", trials=TRIALS, seed=seed)
    peer = plain_when(samples.tolist(), target, TRIALS, seed)
    # same distribution: the 85th percentiles agree within a day or two of sampling noise
    assert abs(when.percentile(85) - _percentile_when(peer, 85)) <= 2
    when_time = _median(lambda: forecast_when(samples, target, start="2027-01-04",
                                              trials=TRIALS, seed=seed), repeat)
    peer_when = _median(lambda: plain_when(samples.tolist(), target, TRIALS, seed), repeat)
    rows.append(Row(f"`forecast_when`: {target} items, {TRIALS:,} trials over a year of daily "
                    f"throughput (85 %: {when.percentile(85)} days)", _ms(when_time),
                    f"plain Python (`random.choice` per day): {_ms(peer_when)}"))

    days = 90
    many = forecast_how_many(samples, start="2027-01-04",
                             until=dt.date(2027, 1, 4) + dt.timedelta(days=days - 1),
                             trials=TRIALS, seed=seed)
    peer_counts = plain_how_many(samples.tolist(), days, TRIALS, seed)
    assert abs(many.percentile(85) - sorted(peer_counts)[math.ceil(0.15 * TRIALS) - 1]) <= \
        0.02 * many.percentile(85)
    many_time = _median(lambda: forecast_how_many(
        samples, start="2027-01-04", until=dt.date(2027, 4, 3), trials=TRIALS, seed=seed),
        repeat)
    peer_many = _median(lambda: plain_how_many(samples.tolist(), days, TRIALS, seed), repeat)
    rows.append(Row(f"`forecast_how_many`: {days} days, {TRIALS:,} trials "
                    f"(85 %: {many.percentile(85):,} items)", _ms(many_time),
                    f"plain Python (`random.choices` per trial): {_ms(peer_many)}"))

    total = _median(lambda: (Flow(BOARD, items), flow.cycle_times(),
                             forecast_when(flow.recent_throughput(365).counts, target,
                                           start="2027-01-04", trials=TRIALS, seed=seed),
                             forecast_how_many(flow.recent_throughput(365).counts,
                                               start="2027-01-04", until="2027-04-03",
                                               trials=TRIALS, seed=seed)), repeat)
    rows.append(Row("the issue's case end to end: arrays from 50,000 histories, metrics, both "
                    "forecasts", _ms(total),
                    f"plain Python: {_ms(peer_time + peer_when + peer_many)}"))
    velocities = np.asarray(np.random.default_rng(seed).integers(18, 34, size=40))
    sprint_time = _median(lambda: forecast_when(velocities, 400, start="2027-01-04",
                                                period_days=14, trials=TRIALS, seed=seed),
                          repeat)
    rows.append(Row(f"release forecast: 400 points over 40 sprints' velocities, {TRIALS:,} "
                    "trials", _ms(sprint_time), "-"))
    return rows


def markdown_table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table."""
    return _timing.markdown_table(("agile benchmark", "pmcore", "plain-Python peer"),
                                  ((r.benchmark, r.pmcore, r.peer) for r in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run per row")
    args = parser.parse_args()
    print(markdown_table(run(args.quick)))


if __name__ == "__main__":
    main()
