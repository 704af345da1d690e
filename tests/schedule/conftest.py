"""Every scheduling test runs under both walks of the graph, which must agree.

Small networks are walked node by node; large wide ones level by level with numpy
(:mod:`pmcore.schedule.vector`). Lowering the thresholds makes every project take the level-wise
walk, so the hand-worked examples check it too.
"""

from __future__ import annotations

import pytest

from pmcore.schedule import engine


@pytest.fixture(autouse=True, params=["nodes", "levels"])
def walk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The walk this test runs under."""
    if request.param == "levels":
        monkeypatch.setattr(engine, "VECTOR_MIN_NODES", 0)
        monkeypatch.setattr(engine, "VECTOR_MAX_DEPTH_SHARE", 1e9)
    return str(request.param)
