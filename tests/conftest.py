"""Core tests see pmcore alone: installed plugins (such as pmcore-msproject, which the test
session installs beside pmcore) must not change what they observe."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from pmcore.plugins import reset_default_plugins


@pytest.fixture(autouse=True)
def _builtin_plugins_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD", "1")
    reset_default_plugins()
    yield
    reset_default_plugins()


# CI replays the same examples on every run, so a red build always reproduces; locally
# hypothesis keeps exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
