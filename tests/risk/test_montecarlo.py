"""Monte Carlo results against analytic oracles, within statistical tolerances.

Each check allows four standard errors of the estimate at the iteration count used, so a
correct implementation fails about once in 15,000 runs, and the seeds are fixed anyway.
Durations run on a 24-hour calendar where the test needs working minutes to equal clock
minutes (the finish less the start is then the sum of the durations along the path).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

import pmcore
from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.model import Calendar
from pmcore.model.estimate import Estimate
from pmcore.risk.correlation import Correlations
from pmcore.risk.montecarlo import RiskEvent, SimulationResult, risk_events, simulate

N = 20_000
DAY = 480  # minutes in a working day (the default 8 hours)


def _project(calendar: str = "24h") -> pmcore.Project:
    project = pmcore.Project("Analytic", start="2027-01-04T00:00")
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    project.calendar = calendar
    return project


def _minutes(project: pmcore.Project, result: SimulationResult) -> np.ndarray:
    """Per iteration, clock minutes from the project start to its finish."""
    start = (project.start - result.finish.origin).total_seconds() // 60
    return np.asarray(result.finish.instants, dtype=float) - start


def _within(value: float, expected: float, standard_error: float) -> None:
    assert abs(value - expected) <= 4 * standard_error, (value, expected, standard_error)


def _check_moments(sample: np.ndarray, mean: float, variance: float) -> None:
    n = len(sample)
    _within(float(sample.mean()), mean, math.sqrt(variance / n))
    centred = sample - sample.mean()
    fourth = float((centred ** 4).mean())
    # the sample variance's standard error, from the sample's own fourth moment
    _within(float(sample.var(ddof=1)), variance, math.sqrt((fourth - variance ** 2) / n))


def test_a_chain_of_triangular_tasks_sums_means_and_variances() -> None:
    project = _project()
    points = [(2, 4, 9), (1, 1.5, 3), (5, 8, 10), (3, 3, 3), (0.5, 2, 2)]
    previous = None
    for k, (a, m, b) in enumerate(points):
        task = project.add_task(f"T{k}", f"{m}d", after=previous)
        task.estimate = Estimate(distribution="triangular", optimistic=f"{a}d",
                                 most_likely=f"{m}d", pessimistic=f"{b}d")
        previous = task
    result = simulate(project, iterations=N, seed=11)
    # triangular: mean (a + m + b) / 3, variance (a2 + b2 + m2 - ab - am - bm) / 18
    mean = sum((a + m + b) / 3 for a, m, b in points) * DAY
    variance = sum((a * a + b * b + m * m - a * b - a * m - b * m) / 18
                   for a, m, b in points) * DAY ** 2
    _check_moments(_minutes(project, result), mean, variance)
    assert result.method == "vectorised"
    assert all(value == 1.0 for value in result.criticality.values())  # one path


@pytest.mark.parametrize("shape", [4.0, 2.0, 9.0])
def test_a_chain_of_pert_tasks_sums_means_and_variances(shape: float) -> None:
    project = _project()
    points = [(3, 5, 12), (1, 2, 2.5), (4, 6, 11), (2, 7, 8)]
    previous = None
    for k, (a, m, b) in enumerate(points):
        task = project.add_task(f"T{k}", f"{m}d", after=previous)
        task.estimate = Estimate(optimistic=f"{a}d", most_likely=f"{m}d", pessimistic=f"{b}d",
                                 shape=shape)
        previous = task
    result = simulate(project, iterations=N, seed=5)
    # beta-PERT: mean (a + lambda m + b) / (lambda + 2), variance (mu - a)(b - mu) / (lambda + 3)
    means = [(a + shape * m + b) / (shape + 2) for a, m, b in points]
    mean = sum(means) * DAY
    variance = sum((mu - a) * (b - mu) / (shape + 3)
                   for mu, (a, _, b) in zip(means, points, strict=True)) * DAY ** 2
    _check_moments(_minutes(project, result), mean, variance)


def test_uniform_and_discrete_durations_on_a_chain() -> None:
    project = _project()
    a = project.add_task("Uniform", "3d")
    a.estimate = Estimate(distribution="uniform", optimistic="2d", pessimistic="6d")
    b = project.add_task("Discrete", "1d", after=a)
    b.estimate = Estimate(distribution="discrete", values=["1d", "2d", "6d"],
                          weights=[2, 1, 1])
    result = simulate(project, iterations=N, seed=3)
    # uniform(2, 6): mean 4, variance 16 / 12; discrete: mean (2 + 2 + 6) / 4 = 2.5,
    # variance E[X2] - 2.5 ** 2 = (2 + 4 + 36) / 4 - 6.25 = 4.25
    _check_moments(_minutes(project, result), (4 + 2.5) * DAY, (16 / 12 + 4.25) * DAY ** 2)


@pytest.mark.parametrize(("paths", "factor"), [(2, 1 / math.sqrt(math.pi)),
                                                (3, 3 / (2 * math.sqrt(math.pi)))])
def test_the_maximum_of_independent_parallel_normal_paths(paths: int, factor: float) -> None:
    project = _project()
    for k in range(paths):
        # normal: mean m, standard deviation (b - a) / 6 = 1 day; zero is 10 sigmas away
        project.add_task(f"Path {k}", "10d").estimate = Estimate(
            distribution="normal", optimistic="7d", most_likely="10d", pessimistic="13d")
    result = simulate(project, iterations=N, seed=17)
    # E[max of 2 iid normals] = mu + sigma / sqrt(pi); of 3: mu + 3 sigma / (2 sqrt(pi));
    # the maximum's standard deviation is below sigma, so sigma / sqrt(N) bounds the error
    _within(float(_minutes(project, result).mean()), (10 + factor) * DAY, DAY / math.sqrt(N))
    # each path is the longest in 1 / paths of the iterations
    for value in result.criticality.values():
        _within(value, 1 / paths, math.sqrt((1 / paths) * (1 - 1 / paths) / N))


def test_a_risk_event_with_probability_0_3_delays_that_share_of_iterations() -> None:
    project = _project()
    design = project.add_task("Design", "10d")
    project.add_task("Build", "5d", after=design)
    event = RiskEvent(id="R1", probability=0.3, tasks=[design.id], delay="4d",
                      cost="25000.00")
    result = simulate(project, iterations=N, seed=23, risks=[event])
    minutes = _minutes(project, result)
    delayed = minutes > 15 * DAY
    tolerance = math.sqrt(0.3 * 0.7 / N)
    _within(float(delayed.mean()), 0.3, tolerance)
    assert result.risks == {"R1": float(delayed.mean())}
    assert set(minutes.tolist()) == {15 * DAY, 19 * DAY}  # exactly 4 days later when it occurs
    # its cost comes with it, in the same iterations
    assert result.cost.probability_within("0") == pytest.approx(1 - float(delayed.mean()))
    assert result.cost.p90 == Decimal("25000.00")
    # the delayed task alone varies, so it is the sensitivity
    assert list(result.sensitivity) == [design.id]
    assert result.sensitivity[design.id] > 0.99


def test_a_percentage_delay_and_an_opportunity() -> None:
    project = _project()
    task = project.add_task("Work", "10d")
    threat = RiskEvent(id="T", probability=1.0, tasks=[task.id], delay="50%")
    result = simulate(project, iterations=500, seed=1, risks=[threat])
    assert set(_minutes(project, result).tolist()) == {15 * DAY}
    opportunity = RiskEvent(id="O", probability=1.0, tasks=[task.id], delay="-20d")
    result = simulate(project, iterations=500, seed=1, risks=[opportunity])
    assert set(_minutes(project, result).tolist()) == {0}  # never shorter than nothing


def test_degenerate_estimates_give_the_cpm_schedule() -> None:
    project = pmcore.read(str(Path(__file__).resolve().parents[2] / "examples"
                              / "erp-infrastructure-upgrade.pmcore.json"))
    for task in project.tasks:
        if not project.is_summary(task) and task.duration is not None:
            task.estimate = Estimate(distribution="triangular", optimistic=task.duration,
                                     most_likely=task.duration, pessimistic=task.duration)
    plan = project.schedule()
    result = simulate(project, iterations=300, seed=2, risks=())  # no risk events
    assert {result.finish.percentile(p) for p in (0, 10, 50, 90, 100)} == {plan.finish}
    for task_id, distribution in result.milestones.items():
        assert distribution.p10 == distribution.p90 == plan[task_id].finish
    assert result.criticality == {t.id: float(plan.is_critical(t)) for t in project.tasks
                                  if not project.is_summary(t)}
    assert result.sensitivity == {}


def _uncertain_plan() -> pmcore.Project:
    project = pmcore.Project("Mixed", start="2027-01-04")
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    project.calendars["standard"].add_holiday("Epiphany", "2027-01-06")
    a = project.add_task("A", "3d")
    b = project.add_task("B", "2d", after=a, calendar="24h")
    c = project.add_task("C", "4d")
    project.link(a, c, "SS", "1d")
    d = project.add_task("D", "1d")
    project.link(b, d, "FF", "50%")
    project.link(c, d, "FS", "1ed")
    d.constraint = pmcore.model.Constraint("SNET", "2027-01-12T08:00")
    e = project.add_task("E", "0d", after=d)
    for task, (low, high) in ((a, (2, 6)), (b, (1, 4)), (c, (3, 8)), (d, (0, 2))):
        task.estimate = Estimate(distribution="pert", optimistic=f"{low}d",
                                 most_likely=task.duration, pessimistic=f"{high}d",
                                 cost=("1000.00", "1500.00", "3000.00"), rate="60")
    assert e.is_milestone
    return project


def test_the_engine_per_iteration_gives_the_same_results() -> None:
    project = _uncertain_plan()
    fast = simulate(project, iterations=400, seed=99, method="vectorised")
    slow = simulate(project, iterations=400, seed=99, method="engine")
    assert fast.method == "vectorised"
    assert slow.method == "engine per iteration"
    assert fast.finish.instants.tolist() == slow.finish.instants.tolist()
    assert fast.criticality == slow.criticality
    assert fast.milestones["T5"].instants.tolist() == slow.milestones["T5"].instants.tolist()
    assert fast.cost.units.tolist() == slow.cost.units.tolist()


def test_projects_with_progress_fall_back_to_the_engine() -> None:
    project = _uncertain_plan()
    project.tasks[0].actual_start = "2027-01-04T08:00"
    project.tasks[0].percent_complete = 50
    result = simulate(project, iterations=50, seed=1)
    assert result.method == "engine per iteration"
    assert "task 'T1' (A) has progress (actual dates)" in result.reasons
    with pytest.raises(ValidationError, match="has progress"):
        simulate(project, iterations=50, seed=1, method="vectorised")


def test_the_same_seed_gives_the_same_run() -> None:
    project = _uncertain_plan()
    first = simulate(project, iterations=1000, seed=42)
    again = simulate(project, iterations=1000, seed=42)
    other = simulate(project, iterations=1000, seed=43)
    assert first.finish.instants.tolist() == again.finish.instants.tolist()
    assert first.cost.units.tolist() == again.cost.units.tolist()
    assert first.sensitivity == again.sensitivity
    assert first.finish.instants.tolist() != other.finish.instants.tolist()
    assert first.seed == 42
    unseeded = simulate(project, iterations=10)
    assert simulate(project, iterations=10, seed=unseeded.seed).finish.instants.tolist() == \
        unseeded.finish.instants.tolist()


def test_sensitivity_of_a_sum_of_normals_is_the_bivariate_normal_spearman() -> None:
    project = _project()
    small = project.add_task("Small", "10d")
    small.estimate = Estimate(distribution="normal", optimistic="7d", most_likely="10d",
                              pessimistic="13d")  # sigma 1 day
    large = project.add_task("Large", "20d", after=small)
    large.estimate = Estimate(distribution="normal", optimistic="14d", most_likely="20d",
                              pessimistic="26d")  # sigma 2 days
    result = simulate(project, iterations=N, seed=8)
    # Pearson of X_i with the sum: sigma_i / sqrt(1 + 4); Spearman of a bivariate normal:
    # (6 / pi) asin(rho / 2)
    for task, sigma in ((small, 1), (large, 2)):
        rho = sigma / math.sqrt(5)
        assert result.sensitivity[task.id] == pytest.approx(
            6 / math.pi * math.asin(rho / 2), abs=4 / math.sqrt(N))
    assert result.tornado(1) == [(large.id, result.sensitivity[large.id])]


def test_percentiles_probability_on_time_and_joint_confidence() -> None:
    project = _project()
    task = project.add_task("Work", "10d")
    # uniform from 8 to 12 days on the 24-hour calendar, paid 100.00 an hour of work
    task.estimate = Estimate(distribution="uniform", optimistic="8d", pessimistic="12d",
                             rate="100.00")
    result = simulate(project, iterations=N, seed=4)
    start = project.start
    # P80 of uniform(8, 12) days is 11.2 days = 5376 minutes; a quantile's standard error is
    # sqrt(p (1 - p) / N) / density, the density being 1 / (4 days of 480 minutes)
    error = (result.finish.p80 - (start + dt.timedelta(minutes=5376))).total_seconds() / 60
    _within(error, 0, math.sqrt(0.8 * 0.2 / N) * 4 * DAY)
    date = start + dt.timedelta(minutes=10 * DAY)
    _within(result.probability_on_time(date), 0.5, math.sqrt(0.25 / N))
    # cost and duration move together (cost = 100 x hours), so the joint confidence of the
    # P50 date and the P80 cost is the smaller share: 0.5
    both = result.joint_confidence(date, result.cost.p80)
    assert both == pytest.approx(result.probability_on_time(date), abs=1e-9)
    assert result.cost.deterministic == Decimal("8000.00")  # 80 hours x 100.00
    _within(float(result.cost.mean), 8000, 1155 / math.sqrt(N))  # sd: 100 x 32 h / sqrt(12)


def test_independent_cost_and_date_multiply_in_the_joint_confidence() -> None:
    project = _project()
    task = project.add_task("Work", "10d")
    task.estimate = Estimate(distribution="uniform", optimistic="8d", pessimistic="12d",
                             cost=("100", "200", "300"))
    result = simulate(project, iterations=N, seed=6)
    date = project.start + dt.timedelta(minutes=10 * DAY)
    joint = result.joint_confidence(date, "200")
    _within(joint, 0.25, math.sqrt(0.25 * 0.75 / N))
    # PERT(100, 200, 300) is symmetric: mean 200, sd (200 - 100) / sqrt(7) < 41
    _within(float(result.cost.mean), 200, 41 / math.sqrt(N))


def test_correlated_durations_follow_the_target_rank_correlation() -> None:
    project = _project()
    tasks = [project.add_task(f"T{k}", "5d") for k in range(3)]
    for task in tasks:
        task.estimate = Estimate(distribution="triangular", optimistic="2d",
                                 most_likely="5d", pessimistic="11d")
    correlations = Correlations([t.id for t in tasks], [[1, 0.8, 0.3], [0.8, 1, 0.5],
                                                        [0.3, 0.5, 1]])
    result = simulate(project, iterations=N, seed=12, correlations=correlations)
    achieved = np.array(result.correlation_achieved)
    # the Spearman target itself, not the normal scores' Pearson (0.8 would give 0.786)
    assert np.abs(achieved - np.array(correlations.matrix)).max() < 0.015
    # and uncorrelated without it
    plain = simulate(project, iterations=N, seed=12)
    assert plain.correlation_achieved == ()


def test_bad_input_is_refused_naming_the_risk_or_task() -> None:
    project = _uncertain_plan()
    with pytest.raises(ValidationError, match=r"risk 'R9'\.probability: must be from 0 to 1"):
        RiskEvent(id="R9", probability=1.5, tasks=["T1"], delay="1d")
    # money is parsed as everywhere else in pmcore: exact, no binary float, no bool
    assert RiskEvent(id="R2", probability=0.5, cost=" 2500.50 ").cost == Decimal("2500.50")
    for cost in (2500.5, True, "lots"):
        with pytest.raises(ValidationError, match=r"risk event\.cost"):
            RiskEvent(id="R2", probability=0.5, cost=cost)
    with pytest.raises(ValidationError, match=r"risk 'R2'\.cost: must be a finite amount"):
        RiskEvent(id="R2", probability=0.5, cost="Infinity")
    with pytest.raises(UnknownReferenceError, match="risk 'R1'.tasks: unknown task id 'T99'"):
        simulate(project, iterations=10, risks=[RiskEvent(id="R1", probability=0.5,
                                                          tasks=["T99"], delay="1d")])
    contradictory = Correlations(["T1", "T2", "T3"], [[1, 0.9, -0.9], [0.9, 1, 0.9],
                                                      [-0.9, 0.9, 1]])
    with pytest.raises(ValidationError, match="T1, T2, T3 is not positive semi-definite"):
        simulate(project, iterations=10, correlations=contradictory)
    repaired = simulate(project, iterations=2000, seed=1, correlations=Correlations(
        ["T1", "T2", "T3"], contradictory.matrix, repair=True))
    assert any("nearest valid one" in w for w in repaired.warnings)
    fixed = np.array(repaired.correlation_target)
    assert np.linalg.eigvalsh(fixed).min() >= -1e-9
    assert np.allclose(np.diag(fixed), 1)
    with pytest.raises(ValidationError, match="task 'T5'.*has no estimate"):
        simulate(project, iterations=10, correlations=Correlations.pairs({("T1", "T5"): 0.5}))
    with pytest.raises(ValidationError, match="iterations"):
        simulate(project, iterations=0)
    with pytest.raises(UnknownReferenceError, match="simulation.milestones: unknown task id"):
        simulate(project, iterations=10, milestones=["T42"])
    tracked = simulate(project, iterations=50, seed=3, milestones=["T2"])
    assert list(tracked.milestones) == ["T2"]
    summary = project.add_task("Phase")
    project.move_task("T1", parent=summary)
    summary.estimate = Estimate(optimistic="1d", most_likely="2d", pessimistic="3d")
    with pytest.raises(ValidationError, match=r"task 'T6' \(Phase\)\.estimate"):
        simulate(project, iterations=10)


def test_open_quantified_risks_of_the_register_become_events() -> None:
    project = _project()
    work = project.add_task("Work", "10d")
    other = project.add_task("Other", "2d")
    register = project.risks
    register.add("Vendor late", on="2027-01-04", probability=0.25,
                 impacts={"schedule": "3d", "cost": "1000.00"}, linked_tasks=[work.id])
    register.add("Reuse a module", on="2027-01-04", kind="opportunity", probability=0.5,
                 impacts={"schedule": "1d", "cost": "400.00"}, linked_tasks=[work.id])
    register.add("Unquantified", on="2027-01-04", probability=0.9, linked_tasks=[other.id])
    result = simulate(project, iterations=N, seed=31)
    assert set(result.risks) == {"RISK-1", "RISK-2"}
    # finish: 10d, +3d with p 0.25, -1d with p 0.5 (independent): the four outcomes
    minutes = _minutes(project, result)
    assert set(minutes.tolist()) == {9 * DAY, 10 * DAY, 12 * DAY, 13 * DAY}
    _within(float((minutes == 12 * DAY).mean()), 0.125, math.sqrt(0.125 * 0.875 / N))
    # a threat's cost is a loss, an opportunity's a saving: 1000 x 0.25 - 400 x 0.5 = 50
    _within(float(result.cost.mean), 50, 600 / math.sqrt(N))
    # when the threat occurs, the finish is 3 days (of 8 working hours, on a 24-hour
    # calendar: a calendar day) later on average
    assert result.risk_delay["RISK-1"] == pytest.approx(1.0, abs=0.05)
    events = risk_events(register, residual=True)
    assert [e.id for e in events] == ["RISK-1", "RISK-2"]
    assert events[1].delay == pmcore.model.Duration.parse("-1d")


@pytest.mark.skipif(importlib.util.find_spec("numba") is None, reason="numba not installed")
def test_numba_and_numpy_backends_agree() -> None:
    project = _uncertain_plan()
    numpy_run = simulate(project, iterations=500, seed=5, backend="numpy")
    numba_run = simulate(project, iterations=500, seed=5, backend="numba")
    assert (numpy_run.backend, numba_run.backend) == ("numpy", "numba")
    assert numpy_run.finish.instants.tolist() == numba_run.finish.instants.tolist()
    assert numpy_run.criticality == numba_run.criticality
    with pytest.raises(ValidationError, match="backend"):
        simulate(project, iterations=5, backend="fortran")


def test_results_are_read_only() -> None:
    result = simulate(_uncertain_plan(), iterations=100, seed=1)
    with pytest.raises(TypeError):
        result.criticality["T1"] = 0.0  # type: ignore[index]
    with pytest.raises(ValueError, match="read-only"):
        result.finish.instants[0] = 0
    with pytest.raises(AttributeError):
        result.iterations = 5  # type: ignore[misc]
    assert "SimulationResult(iterations=100, seed=1, method='vectorised'" in repr(result)


def test_estimates_are_checked_in_the_projects_hours_per_day() -> None:
    # 7 hours <= 1 day of 8 hours, but not of 6 hours
    project = pmcore.Project("Short days", start="2027-01-04",
                             options=pmcore.model.CalendarOptions(minutes_per_day=360,
                                                                  minutes_per_week=1800))
    task = project.add_task("Work", "1d")
    task.estimate = Estimate(optimistic="7h", most_likely="1d", pessimistic="2d")
    with pytest.raises(ValidationError, match=r"task 'T1' \(Work\)\.estimate\.most_likely"):
        simulate(project, iterations=10)
