"""Invariants of leveling on random instances: links and capacities always hold."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmcore.leveling import Rcpsp, numba_available, serial_sgs, solve


@st.composite
def instances(draw: st.DrawFn) -> Rcpsp:
    n = draw(st.integers(1, 7))
    resources = draw(st.integers(1, 2))
    periods = draw(st.integers(1, 6))
    capacity = [[draw(st.integers(1, 4)) for _ in range(periods)] for _ in range(resources)]
    durations = [draw(st.integers(0, 4)) for _ in range(n)]
    # demands never above the resource's capacity from the end of the profile on
    demands = [[draw(st.integers(0, capacity[r][-1])) for r in range(resources)]
               for _ in range(n)]
    successors: list[list[int]] = [[] for _ in range(n)]
    lags: list[list[int]] = [[] for _ in range(n)]
    for a, b in itertools.combinations(range(n), 2):
        if draw(st.booleans()):
            successors[a].append(b)
            lags[a].append(draw(st.sampled_from([durations[a], 0, durations[a] + 1, -2])))
    release = [draw(st.integers(0, 3)) for _ in range(n)]
    return Rcpsp.of(durations, successors, demands, capacity, release=release, lags=lags)


def broken(inst: Rcpsp, starts: list[int]) -> list[str]:
    """Links, releases and capacities checked period by period, from the instance's fields."""
    found = []
    for j in range(inst.jobs):
        if starts[j] < inst.release[j]:
            found.append(f"{j} before its release")
        for s, lag in zip(inst.successors[j], inst.lags[j], strict=True):
            if starts[s] < starts[j] + lag:
                found.append(f"{s} too early after {j}")
    end = max((starts[j] + int(inst.durations[j]) for j in range(inst.jobs)), default=0)
    for period in range(end):
        for r in range(inst.resources):
            row = inst.capacity[r]
            limit = row[min(period, len(row) - 1)]
            used = sum(int(inst.demands[j, r]) for j in range(inst.jobs)
                       if starts[j] <= period < starts[j] + inst.durations[j])
            if used > limit:
                found.append(f"resource {r} over in period {period}")
    return found


@settings(max_examples=60, deadline=None)
@given(instances(), st.integers(0, 2**31 - 1))
def test_leveling_never_breaks_a_link_or_a_capacity(inst: Rcpsp, seed: int) -> None:
    one = serial_sgs(inst, "lft", backend="python")
    best = solve(inst, seed=seed, schedules=150, population=6, backend="python")
    for result in (one, best):
        assert broken(inst, result.starts.tolist()) == []
        assert result.unresolved == ()
    assert best.makespan <= one.makespan
    assert best.makespan >= inst.critical_path_length()


@pytest.mark.skipif(not numba_available(), reason="numba not installed")
@settings(max_examples=25, deadline=None)
@given(instances(), st.integers(0, 2**31 - 1))
def test_both_backends_agree(inst: Rcpsp, seed: int) -> None:
    pure = solve(inst, seed=seed, schedules=150, population=6, backend="python")
    fast = solve(inst, seed=seed, schedules=150, population=6, backend="numba")
    assert np.array_equal(pure.starts, fast.starts)
    assert pure.schedules == fast.schedules
