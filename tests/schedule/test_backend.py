"""Choosing what runs the scheduler's tight loops: the schedule is the same either way."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest

import pmcore
from pmcore.errors import ValidationError
from pmcore.schedule import Backend, _jit

from .test_fast_path import build_mixed, mixed


def test_an_unknown_backend_is_refused_by_name():
    project = pmcore.Project("P", start="2027-01-04")
    project.add_task("A", "1d")
    with pytest.raises(ValidationError, match="'auto', 'python' or 'numba'") as error:
        pmcore.schedule(project, backend="fortran")
    assert error.value.field == "backend"


def test_numba_asked_for_but_missing_says_what_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ValidationError, match=r"pip install 'pmcore\[fast\]'"):
        _jit.resolve(Backend.NUMBA, 10)
    assert _jit.resolve(Backend.AUTO, 10_000_000) is False  # auto falls back to Python


def test_auto_compiles_only_for_plans_that_pay_for_it(monkeypatch):
    monkeypatch.setattr(_jit, "kernels_ready", lambda: False)
    if importlib.util.find_spec("numba") is None:
        pytest.skip("numba is not installed")
    assert _jit.resolve(Backend.AUTO, 1_000) is False
    assert _jit.resolve(Backend.AUTO, 2_000_000) is True
    assert _jit.resolve(Backend.PYTHON, 2_000_000) is False


def test_the_same_schedule_from_python_and_numba():
    pytest.importorskip("numba")
    from hypothesis import given, settings

    @settings(max_examples=60)
    @given(mixed())
    def check(case):
        net, extras = case
        project = build_mixed(net, extras)
        python = project.schedule(status_date=extras["status"], backend="python")
        numba = project.schedule(status_date=extras["status"], backend="numba")
        assert numba.to_records() == python.to_records()
        assert numba.conflicts == python.conflicts
        assert numba.critical_paths == python.critical_paths
        assert [numba.driving_predecessors(t) for t in project.tasks] == \
            [python.driving_predecessors(t) for t in project.tasks]
        changed = project.tasks[0]
        changed.duration = "3d"
        assert numba.reschedule([changed]).to_records() == \
            python.reschedule([changed]).to_records()

    check()


def test_numba_stops_where_the_calendar_needs_more_days_and_goes_on():
    # Three years of work, elapsed lags and milestones: the compiled loops reach days the
    # calendar has not stored yet several times, leave those tasks to the rules, and go on.
    pytest.importorskip("numba")
    project = pmcore.Project("Long", start="2027-01-04")
    project.calendars[project.calendar].add_holiday("New Year", "2027-01-01",
                                                    recurrence="FREQ=YEARLY")
    previous = None
    for k in range(400):
        task = project.add_task(f"Task {k}", "0d" if k % 7 == 3 else "2d")
        if previous is not None:
            project.link(previous, task, "FS", "3ed" if k % 5 == 0 else "0d")
        previous = task
    python = project.schedule(backend="python")
    numba = project.schedule(backend="numba")
    assert numba.to_records() == python.to_records()
    assert numba.finish == python.finish
    assert numba.finish.year >= 2030
    assert [numba.driving_predecessors(t) for t in project.tasks] == \
        [python.driving_predecessors(t) for t in project.tasks]


def test_auto_runs_numba_once_it_is_compiled_in_the_process():
    pytest.importorskip("numba")
    project = pmcore.Project("P", start="2027-01-04")
    first = project.add_task("A", "1d")
    project.add_task("B", "2d", after=first)
    project.schedule(backend="numba")  # compiles (or finds compiled) the loops
    assert _jit.kernels_ready()
    assert _jit.resolve(Backend.AUTO, 10) is True
    # A on Monday 4 January, then B's two days: Wednesday 6 January at 17:00
    assert project.schedule().finish == dt.datetime(2027, 1, 6, 17, 0)
