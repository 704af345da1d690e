"""Small plans whose costs are worked out by hand in the tests that use them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

import pmcore
from pmcore.finance import ActualCost, ControlAccount, CostPlan


@pytest.fixture
def staffed() -> Callable[..., pmcore.Project]:
    """The :func:`staffed_project` factory."""
    return staffed_project


def staffed_project(start: str = "2027-01-07", duration: str = "10d", *, rate: str = "50",
            rates: list[dict[str, str]] | None = None, baseline: bool = True,
            **task_fields: object) -> pmcore.Project:
    """One task worked by one full-time person at ``rate`` an hour (8 h a day), scheduled,
    and (by default) baselined. 2027-01-07 is a Thursday."""
    project = pmcore.Project("Hand-worked", start=start)
    person = project.add_resource("Dana", id="dana", rate_tables={
        "A": rates if rates is not None else [{"standard_rate": rate}]})
    task = project.add_task("Build", duration, id="T1", **task_fields)
    project.assign(task, person)
    project.schedule().apply()
    if baseline:
        project.save_baseline(saved_at="2027-01-01")
    return project


@pytest.fixture
def portal() -> Callable[[], tuple[pmcore.Project, CostPlan]]:
    """The :func:`portal_project` factory."""
    return portal_project


def portal_project() -> tuple[pmcore.Project, CostPlan]:
    """The plan of tests/finance/test_evm.py's docstring, worked out there."""
    project = pmcore.Project("Portal", start="2027-01-04", currency="EUR")
    dana = project.add_resource("Dana", id="dana", rate_tables={"A": [{"standard_rate": "50"}]})
    lee = project.add_resource("Lee", id="lee", rate_tables={"A": [{"standard_rate": "60"}]})
    design = project.add_task("Design", "5d", id="T1", cost_account="CA-1")
    build = project.add_task("Build", "10d", id="T2", after=design, cost_account="CA-2",
                             fixed_cost="1000", ev_method="50/50")
    project.assign(design, dana)
    project.assign(build, lee)
    project.schedule().apply()
    project.save_baseline(saved_at="2027-01-01")
    design.percent_complete = 80.0
    build.percent_complete = 30.0
    build.actual_start = dt.datetime(2027, 1, 11, 8)
    plan = CostPlan(
        accounts=[ControlAccount(id="CA-1", name="Design"),
                  ControlAccount(id="CA-2", name="Build", contingency="500")],
        management_reserve="1000",
        actuals=[ActualCost(task="T1", date="2027-01-05", amount="1200"),
                 ActualCost(task="T1", date="2027-01-08", amount="900"),
                 ActualCost(task="T2", date="2027-01-12", amount="1500"),
                 ActualCost(task="T2", date="2027-01-18", amount="700")])
    return project, plan
