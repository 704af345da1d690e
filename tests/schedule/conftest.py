"""Every scheduling test runs three ways, which must agree.

With the fast path (the default), tasks that need none of the general rules are computed in
tight loops (:mod:`pmcore.schedule.vector`); without it, every node goes through the general
rules; with numba (:mod:`pmcore.schedule._jit`), the tight loops and the topological order run
compiled. So the hand-worked examples check all three.
"""

from __future__ import annotations

import sys

import pytest

from pmcore.schedule import engine


@pytest.fixture(autouse=True, params=["fast", "general", "numba"])
def walk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The walk this test runs under."""
    if request.param == "general":
        monkeypatch.setattr(engine, "FAST_PATH", False)
    elif request.param == "numba":
        pytest.importorskip("numba")
        module = sys.modules["pmcore.schedule"]
        resolve = module.resolve_backend  # type: ignore[attr-defined]
        monkeypatch.setattr(module, "resolve_backend", lambda backend, nodes: True
                            if backend == "auto" else resolve(backend, nodes))
    else:  # and the numpy topological sort, whatever the size
        monkeypatch.setattr(engine, "VECTOR_MIN_NODES", 0)
        monkeypatch.setattr(engine, "VECTOR_MAX_DEPTH_SHARE", 1e9)
    return str(request.param)
