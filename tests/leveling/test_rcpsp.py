"""The leveling core on plain arrays: hand-worked examples and the PSPLIB samples."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from pmcore.errors import CycleError, ValidationError
from pmcore.io.psplib import SmInstance, parse_sm
from pmcore.leveling import Rcpsp, numba_available, serial_sgs, solve
from pmcore.leveling._rcpsp import priority_list

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "psplib"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="PSPLIB samples not present")
BACKENDS = ["python", pytest.param("numba", marks=pytest.mark.skipif(
    not numba_available(), reason="numba not installed"))]


def four_jobs() -> Rcpsp:
    # One resource of capacity 2. A: 2 periods x 2 units, B: 3 x 1, C: 2 x 1, D: 1 x 2;
    # A before D. Without resources the critical path is A, D: 3 periods.
    return Rcpsp.of([2, 3, 2, 1], [[3], [], [], []], [[2], [1], [1], [2]], [2])


def test_serial_scheme_on_a_hand_worked_example() -> None:
    # Latest finishes for the bound 3: A 2, B 3, C 3, D 3, so the LFT list is A, B, C, D
    # (ties to the lower number). A takes both units in periods 0-1. B finds one unit from
    # period 2 (2-4). C needs one unit for two periods: 0-1 are full, 2-3 have one left: 2-3.
    # D (after A, from period 2) needs two units: B holds one until 5, so D runs in 5.
    # Makespan 6, which is optimal: 11 unit-periods of work on capacity 2 need 6 periods.
    inst = four_jobs()
    assert priority_list(inst, "lft") == [0, 1, 2, 3]
    result = serial_sgs(inst, "lft", backend="python")
    assert result.starts.tolist() == [0, 2, 2, 5]
    assert result.makespan == 6
    assert inst.critical_path_length() == 3


def test_another_list_gives_another_schedule() -> None:
    # B, C, A, D: B 0-2 and C 0-1 leave one unit in 0-2; A needs two: from period 3 (3-4);
    # D after A: period 5. Same makespan, different starts.
    result = serial_sgs(four_jobs(), [1, 2, 0, 3], backend="python")
    assert result.starts.tolist() == [3, 0, 0, 5]


def test_min_slack_and_priority_rules() -> None:
    # Slacks without resources: A 0, B 0, C 1, D 0 (bound 3: C finishes at 2, may at 3).
    inst = Rcpsp.of([2, 3, 2, 1], [[3], [], [], []], [[2], [1], [1], [2]], [2],
                    priority=[0, 0, 900, 0])
    assert priority_list(inst, "slack") == [0, 1, 3, 2]
    assert priority_list(inst, "priority") == [2, 0, 1, 3]


def test_a_fixed_job_is_not_delayed_and_a_late_one_is_reported() -> None:
    # D fixed: it starts right after A at 2 although B and C use the resource; the result
    # flags it as unresolved. With latest start 0 for B, B cannot wait for A: it starts at
    # 0 regardless and is flagged.
    fixed = Rcpsp.of([2, 3, 2, 1], [[3], [], [], []], [[2], [1], [1], [2]], [2],
                     fixed=[False, False, False, True])
    assert serial_sgs(fixed, [0, 1, 2, 3], backend="python").starts.tolist() == [0, 2, 2, 2]
    late = Rcpsp.of([2, 3, 2, 1], [[3], [], [], []], [[2], [1], [1], [2]], [2],
                    latest=[None, 0, None, None])
    result = serial_sgs(late, [0, 1, 2, 3], backend="python")
    assert result.starts.tolist()[1] == 0
    assert result.unresolved == (1,)


def test_lags_and_release_dates() -> None:
    # Two jobs on a resource of 1: job 0 (3 periods, released at 2) must start at least one
    # period before job 1 starts (a start-to-start lag of 1). Job 1 waits for the resource
    # until job 0 ends at 5.
    inst = Rcpsp.of([3, 2], [[1], []], [[1], [1]], [1], release=[2, 0], lags=[[1], []])
    assert inst.earliest_starts().tolist() == [2, 3]
    result = solve(inst, seed=3, schedules=200, backend="python")
    assert result.starts.tolist() == [2, 5]


def test_a_capacity_profile_is_honoured() -> None:
    # Capacity 0 in periods 0-3 (a holiday), 1 after: the single job waits until period 4.
    inst = Rcpsp.of([2], [[]], [[1]], [[0, 0, 0, 0, 1]])
    assert serial_sgs(inst, [0], backend="python").starts.tolist() == [4]
    assert inst.impossible() is None
    assert Rcpsp.of([2], [[]], [[3]], [[2, 3, 2]]).impossible() == (0, 0)


def test_bad_instances() -> None:
    with pytest.raises(CycleError, match="0 -> 1 -> 0"):
        Rcpsp.of([1, 1], [[1], [0]], [[0], [0]], [1])
    with pytest.raises(ValidationError, match="whole numbers"):
        Rcpsp.of([1.5], [[]], [[0]], [1])
    with pytest.raises(ValidationError, match="successor 5"):
        Rcpsp.of([1], [[5]], [[0]], [1])
    with pytest.raises(ValidationError, match="before its predecessor"):
        serial_sgs(four_jobs(), [3, 0, 1, 2])
    with pytest.raises(ValidationError, match="population"):
        solve(four_jobs(), population=3)


def independent_violations(sm: SmInstance, starts: list[int]) -> list[str]:
    """Every broken precedence or capacity of a schedule, from the file's numbers alone."""
    found = []
    for job, successors in enumerate(sm.successors):
        for s in successors:
            if starts[s - 1] < starts[job] + sm.durations[job]:
                found.append(f"{s} starts before {job + 1} ends")
    end = max(s + d for s, d in zip(starts, sm.durations, strict=True))
    for period in range(end):
        for r, capacity in enumerate(sm.capacities):
            used = sum(sm.demands[j][r] for j in range(sm.jobs)
                       if starts[j] <= period < starts[j] + sm.durations[j])
            if used > capacity:
                found.append(f"resource {r + 1} over in period {period}")
    return found


def reference() -> dict[str, dict[str, str]]:
    with (SAMPLES / "reference.csv").open() as handle:
        return {row["instance"]: row for row in csv.DictReader(handle)}


@needs_samples
@pytest.mark.parametrize("path", sorted(SAMPLES.glob("j*/*.sm")), ids=lambda p: p.stem)
def test_every_leveled_sample_is_feasible_and_bounded(path: Path) -> None:
    sm = parse_sm(path.read_text())
    inst = Rcpsp.from_sm(sm)
    result = solve(inst, seed=7, schedules=300, backend="python")
    assert independent_violations(sm, result.starts.tolist()) == []
    row = reference()[path.stem]
    assert result.makespan >= int(row["lb"])
    assert result.makespan == max(s + d for s, d in zip(result.starts, sm.durations,
                                                         strict=True))
    single = serial_sgs(inst, "lft", backend="python")
    assert independent_violations(sm, single.starts.tolist()) == []
    assert result.makespan <= single.makespan


@needs_samples
@pytest.mark.parametrize("name", ["j3010_7", "j306_3", "j3033_1"])
def test_small_instances_reach_their_optimum(name: str) -> None:
    # J30 optima from PSPLIB's j30opt.sm (reference.csv); seed and budget fixed, so this is
    # deterministic on every machine.
    path = SAMPLES / "j30" / f"{name}.sm"
    result = solve(Rcpsp.from_sm(parse_sm(path.read_text())), seed=1, schedules=2000,
                   backend="python")
    assert result.makespan == int(reference()[name]["ref_makespan"])


@needs_samples
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_seed_gives_the_same_result_on_either_backend(backend: str) -> None:
    inst = Rcpsp.from_sm(parse_sm((SAMPLES / "j120" / "j12013_5.sm").read_text()))
    first = solve(inst, seed=11, schedules=400, backend=backend)
    again = solve(inst, seed=11, schedules=400, backend="python")
    assert np.array_equal(first.starts, again.starts)
    assert first.makespan == again.makespan
    assert first.schedules == again.schedules


@needs_samples
def test_the_time_budget_stops_the_search() -> None:
    # A budget far too small for 50,000 schedules: the search stops early, with a feasible
    # schedule no longer than one pass of the rule.
    sm = parse_sm((SAMPLES / "j120" / "j12051_9.sm").read_text())
    inst = Rcpsp.from_sm(sm)
    result = solve(inst, seed=1, schedules=50_000, time_budget=0.05, backend="python")
    assert result.schedules < 50_000
    assert independent_violations(sm, result.starts.tolist()) == []
    assert result.makespan <= serial_sgs(inst, "lft", backend="python").makespan
