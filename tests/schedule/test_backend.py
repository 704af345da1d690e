"""Choosing what runs the scheduler's tight loops: the schedule is the same either way."""

from __future__ import annotations

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
