"""Invariants of time-phasing: whatever the periods, every cost is placed once, and the
whole is the plan's cost worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import pmcore
from pmcore.finance import task_costs, time_phase, to_cents

rates = st.decimals(min_value=Decimal(0), max_value=Decimal(500), places=2)
plans = st.lists(st.tuples(
    st.integers(min_value=0, max_value=30),              # duration in days
    st.sampled_from([0.25, 0.5, 1.0, 1.5]),                # units
    rates,                                                 # rate until the change
    rates,                                                 # rate after it
    st.integers(min_value=0, max_value=60),                # the change, days after the start
    st.decimals(min_value=Decimal(0), max_value=Decimal(10_000), places=2),  # fixed cost
    st.sampled_from(["start", "prorated", "end"]),         # its accrual
), min_size=1, max_size=6)


def _project(rows: list[tuple[int, float, Decimal, Decimal, int, Decimal, str]]) -> pmcore.Project:
    project = pmcore.Project("Random", start="2027-01-06")
    previous = None
    for n, (days, units, before, after, change, fixed, accrual) in enumerate(rows):
        effective = f"2027-{1 + change // 28:02d}-{1 + change % 28:02d}"
        person = project.add_resource(f"P{n}", rate_tables={"A": [
            {"standard_rate": before}, {"effective_from": effective, "standard_rate": after}]})
        task = project.add_task(f"T{n}", f"{days}d", after=previous, fixed_cost=fixed,
                                fixed_cost_accrual=accrual)
        project.assign(task, person, units=units)
        previous = task
    project.schedule().apply()
    project.save_baseline(saved_at="2027-01-01")
    return project


def _by_hand(project: pmcore.Project,
             rows: list[tuple[int, float, Decimal, Decimal, int, Decimal, str]]) -> Decimal:
    """The plan's cost worked out independently of pmcore's cost engine: each task's fixed
    cost plus, for each of its working days (Monday to Friday from its scheduled start),
    8 hours x units at the rate in effect that day."""
    tasks = {task.name: task for task in project.tasks}
    total = Decimal(0)
    for n, (days, units, before, after, change, fixed, _accrual) in enumerate(rows):
        effective = dt.date(2027, 1 + change // 28, 1 + change % 28)
        start = tasks[f"T{n}"].start
        assert start is not None
        day, worked = start.date(), 0
        total += fixed
        while worked < days:
            if day.weekday() < 5:
                rate = before if day < effective else after
                total += 8 * Decimal(repr(units)) * rate
                worked += 1
            day += dt.timedelta(days=1)
    return total


@settings(max_examples=40, deadline=None)
@given(plans)
def test_every_period_kind_places_the_whole_cost(rows: list) -> None:  # type: ignore[type-arg]
    project = _project(rows)
    total = task_costs(project, baseline=0).total
    assert to_cents(total) == to_cents(_by_hand(project, rows))
    for kind, start in (("day", 1), ("week", 1), ("month", 1), ("quarter", 4), ("year", 7)):
        phased = time_phase(project, period=kind, fiscal_year_start=start)
        assert to_cents(phased.total) == to_cents(total)
        cumulative = list(phased.cumulative().values())
        assert cumulative == sorted(cumulative)  # costs are never negative
        assert all(amount >= 0 for amount in phased.by_period().values())
