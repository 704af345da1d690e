"""Finance benchmark: time-phased cost and earned value of the issue's large project.

    python bench/run.py --finance [--quick]    # this table only
    python bench/finance_bench.py [--quick]    # the same, standalone

The project (:func:`generate`) is the issue's: 10,000 tasks and 20,000 assignments over about
three years, in 100 chains of 100 tasks of 5 to 10 working days, worked by 2 of 200 people
whose rates rise on 1 July each year, plus a fixed cost on every tenth task; baselined, then
reported on a year in: the tasks due by then are complete, each with an actual cost.
Weekly periods (151 of them).

The peer computes the same weekly planned value the obvious way: every task day by day,
each assignment's hours that day times the rate in force that day (``Decimal``), added up
per week. Its total is checked equal to pmcore's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import _timing
from _timing import median_seconds as _median
from _timing import peak_mb as _peak_mb

import pmcore
from pmcore.finance import (
    ActualCost,
    ControlAccount,
    CostPlan,
    evm,
    task_costs,
    time_phase,
    to_cents,
)

STATUS = dt.date(2028, 1, 14)


def generate(chains: int = 100, length: int = 100,
             people: int = 200) -> tuple[pmcore.Project, CostPlan]:
    """The project and its cost plan (see the module docstring); deterministic."""
    project = pmcore.Project("Finance benchmark", start="2027-01-04")
    staff = [project.add_resource(f"Person {k}", id=f"P{k}", rate_tables={"A": [
        {"standard_rate": str(60 + k % 40)},
        {"effective_from": "2027-07-01", "standard_rate": str(63 + k % 40)},
        {"effective_from": "2028-07-01", "standard_rate": str(66 + k % 40)}]})
        for k in range(people)]
    accounts = [ControlAccount(id=f"CA-{c}") for c in range(20)]
    for c in range(chains):
        previous = None
        for k in range(length):
            n = c * length + k
            task = project.add_task(f"Task {n}", f"{5 + n % 6}d", id=f"T{n}",
                                    after=previous, cost_account=f"CA-{c % 20}",
                                    fixed_cost="2500" if n % 10 == 0 else "0")
            project.assign(task, staff[n % people])
            project.assign(task, staff[(n * 7 + 3) % people], units=0.5)
            previous = task
    project.schedule().apply()
    project.save_baseline(saved_at="2027-01-01T09:00")
    budgets = task_costs(project, baseline=0)
    actuals = []
    for task in project.work_tasks:
        if task.finish is not None and task.finish.date() <= STATUS:
            task.percent_complete = 100.0
            # Booked at the finish: the budget, 5 % under to 15 % over.
            spent = budgets[task.id].total * (95 + int(task.id[1:]) % 21) / 100
            actuals.append(ActualCost(task=task.id, date=task.finish.date(),
                                      amount=to_cents(spent)))
    return project, CostPlan(accounts=accounts, actuals=actuals)


def naive_weekly_pv(project: pmcore.Project) -> dict[dt.date, Decimal]:
    """The peer: every task day by day, hours x the rate of that day, by ISO week."""
    weeks: dict[dt.date, Decimal] = defaultdict(Decimal)
    calendar = project.effective_calendar()
    resources = {r.id: r for r in project.resources}
    by_task: dict[str, list[Any]] = defaultdict(list)
    for assignment in project.assignments:
        by_task[assignment.task].append(assignment)
    for task in project.work_tasks:
        saved = task.baselines[0]
        day, last = saved.start.date(), saved.finish.date()
        days: list[dt.date] = []
        while day <= last:
            if calendar.working_times(day):
                days.append(day)
            day += dt.timedelta(days=1)
        fixed = task.fixed_cost / len(days) if days else Decimal(0)
        for day in days:
            week = day - dt.timedelta(days=day.weekday())
            weeks[week] += fixed
            for assignment in by_task[task.id]:
                rate = resources[assignment.resource].rate_on(day).standard_rate
                weeks[week] += 8 * Decimal(repr(assignment.units)) * rate
    return weeks


def _cpu(action: Callable[[], Any], repeat: int) -> str:
    """The median CPU time of this process: on a shared, loaded machine the wall time
    counts other processes' turns too."""
    return f" (CPU {_median(action, repeat, time.process_time) * 1000:.0f} ms)"


def run(quick: bool = False) -> list[tuple[str, str, str]]:
    """The rows of the table: what, pmcore's figure, the peer's or a note."""
    repeat = 3 if quick else 7
    project, plan = generate()
    assignments = len(project.assignments)
    phased = time_phase(project, period="week")
    naive = naive_weekly_pv(project)
    ours = {week: to_cents(amount) for week, amount in phased.by_period().items() if amount}
    theirs = {week: to_cents(amount) for week, amount in naive.items() if amount}
    assert ours == theirs, "the peer disagrees"
    rows = []

    def weekly() -> None:
        time_phase(project, period="week")

    seconds = _median(weekly, repeat)
    peer = _median(lambda: naive_weekly_pv(project), max(1, repeat // 3))
    rows.append((f"`time_phase` weekly PV: {len(project):,} tasks, {assignments:,} "
                 f"assignments, {len(phased.starts)} weeks",
                 f"{seconds * 1000:.0f} ms{_cpu(weekly, repeat)}, peak {_peak_mb(weekly):.0f} MB",
                 f"peer: day-by-day Decimal loop {peer * 1000:.0f} ms (same total, "
                 f"{phased.total:,.2f})"))
    snapshot = evm(project, plan, status_date=STATUS, period="week")

    def measure() -> None:
        evm(project, plan, status_date=STATUS, period="week")

    seconds = _median(measure, repeat)
    rows.append((f"`evm` at a status date (project row, earned schedule), "
                 f"{len(plan.actuals):,} actual costs",
                 f"{seconds * 1000:.0f} ms{_cpu(measure, repeat)}, peak "
                 f"{_peak_mb(measure):.0f} MB",
                 f"CPI {snapshot.total.cpi:.3f}, SPI {snapshot.total.spi:.3f}"))
    seconds = _median(lambda: evm(project, plan, status_date=STATUS, by="account"), repeat)
    rows.append(("`evm(..., by=\"account\")`: 20 control accounts with earned schedule",
                 f"{seconds * 1000:.0f} ms", ""))
    seconds = _median(lambda: evm(project, plan, status_date=STATUS, by="wbs"),
                      max(1, repeat // 3))
    rows.append((f"`evm(..., by=\"wbs\")`: {len(project):,} WBS rows with earned schedule",
                 f"{seconds * 1000:.0f} ms", ""))
    return rows


def markdown_table(rows: list[tuple[str, str, str]]) -> str:
    """The rows as a Markdown table."""
    return _timing.markdown_table(("finance", "pmcore", "peer / note"), rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    print(markdown_table(run(parser.parse_args().quick)))
