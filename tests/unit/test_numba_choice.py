"""The shared rule for backend="auto" | pure | "numba" (pmcore._numba.use_numba)."""

from __future__ import annotations

import importlib.util

import pytest

from pmcore._numba import use_numba
from pmcore.errors import ValidationError


def choose(backend: str, *, compiled: bool = False, seconds: float = 0.0) -> bool:
    return use_numba(backend, pure="python", entity="thing", install="pip install it",
                     compiled=lambda: compiled, seconds=seconds, compile_seconds=3.0)


def test_an_unknown_backend_names_the_choices_and_the_field():
    with pytest.raises(ValidationError, match="'auto', 'python' or 'numba', got 'gpu'") as error:
        choose("gpu")
    assert (error.value.entity, error.value.field) == ("thing", "backend")


def test_the_pure_backend_is_never_numba():
    assert choose("python", compiled=True, seconds=100.0) is False


def test_without_numba_auto_falls_back_and_numba_says_what_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert choose("auto", compiled=True, seconds=100.0) is False
    with pytest.raises(ValidationError, match=r"numba is not installed \(pip install it\)"):
        choose("numba")


def test_auto_takes_numba_once_compiled_or_when_the_work_outlasts_compiling():
    if importlib.util.find_spec("numba") is None:
        pytest.skip("numba is not installed")
    assert choose("auto") is False
    assert choose("auto", seconds=2.9) is False
    assert choose("auto", seconds=3.1) is True
    assert choose("auto", compiled=True) is True
    assert choose("numba") is True
