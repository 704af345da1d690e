"""Every scheduling test runs with and without the fast path for plain tasks, which must agree.

With the fast path (the default), tasks that need none of the general rules are computed in
tight loops (:mod:`pmcore.schedule.vector`); without it, every node goes through the general
rules, so the hand-worked examples check both.
"""

from __future__ import annotations

import pytest

from pmcore.schedule import engine


@pytest.fixture(autouse=True, params=["fast", "general"])
def walk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The walk this test runs under."""
    if request.param == "general":
        monkeypatch.setattr(engine, "FAST_PATH", False)
    else:  # and the numpy topological sort, whatever the size
        monkeypatch.setattr(engine, "VECTOR_MIN_NODES", 0)
        monkeypatch.setattr(engine, "VECTOR_MAX_DEPTH_SHARE", 1e9)
    return str(request.param)
