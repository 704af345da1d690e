"""Small plans whose costs are worked out by hand in the tests that use them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import pmcore


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
