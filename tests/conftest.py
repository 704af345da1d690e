"""Core tests see pmcore alone: installed plugins (such as pmcore-msproject, which the test
session installs beside pmcore) must not change what they observe."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from pmcore.plugins import reset_default_plugins


@pytest.fixture(autouse=True)
def _builtin_plugins_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD", "1")
    reset_default_plugins()
    yield
    reset_default_plugins()


# CI replays the same examples on every run, so a red build always reproduces; locally
# hypothesis keeps exploring new ones. No deadline: speed is measured by the benchmarks, and
# a loaded 2-core machine would otherwise fail an example for being slow, not wrong.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("local", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "local")
