"""Leveling that may split remaining work (``level(..., split_remaining=True)``).

Hand-worked on the standard calendar (8:00-12:00, 13:00-17:00, Monday to Friday), from
Monday 1 March 2027. Rita (one person) builds for 5 days from the start, and must audit on
Wednesday 3 and Thursday 4 (a must-start-on date, which leveling never moves):

* without splitting, the build waits for the audit: Friday 5 to Thursday 11 (a leveling
  delay of 4 elapsed days);
* with splitting, the build works Monday 1 and Tuesday 2, pauses for the audit, and resumes
  on Friday 5 for its last 3 days: it finishes on Tuesday 9.

Every leveled plan is checked independently: the engine schedules the project with the
delays and splits written into it, and no resource works over its units on any day in which
a task's pieces actually work.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from pathlib import Path

import pytest

import pmcore
from pmcore import Split
from pmcore.cli import main
from pmcore.leveling import level

DAY = 480


def rita(split_build_by_hand: bool = False) -> pmcore.Project:
    project = pmcore.Project("Rita", start="2027-03-01")
    project.add_resource("Rita", id="rita")
    build = project.add_task("Build", "5d", id="build")
    audit = project.add_task("Audit", "2d", id="audit", constraint=("MSO", "2027-03-03"))
    project.assign(build, "rita")
    project.assign(audit, "rita")
    if split_build_by_hand:
        build.split("4d", "1h")
    return project


def worked_days(project: pmcore.Project) -> dict[tuple[str, dt.date], float]:
    """Units booked per resource and day, from the working pieces the engine schedules."""
    plan = project.schedule()
    used: dict[tuple[str, dt.date], float] = defaultdict(float)
    for assignment in project.assignments:
        row = plan[assignment.task]
        pieces = row.splits or ((row.start, row.finish),)
        days = {day for begin, end in pieces
                if plan.working_minutes(assignment.task, begin, end) > 0
                for day in _days(begin, end)
                if plan.working_minutes(assignment.task, max(begin, _midnight(day)),
                                        min(end, _midnight(day + dt.timedelta(days=1)))) > 0}
        for day in days:
            used[(assignment.resource, day)] += assignment.units
    return used


def over(project: pmcore.Project) -> list[str]:
    limits = {r.id: r for r in project.resources}
    return [f"{name} on {day}: {units:g}" for (name, day), units in worked_days(project).items()
            if units > limits[name].max_units_on(day) + 1e-9]


def _days(begin: dt.datetime, end: dt.datetime) -> list[dt.date]:
    return [begin.date() + dt.timedelta(days=k) for k in range((end.date() - begin.date()).days
                                                               + 1)]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def test_without_splitting_the_build_waits_for_the_audit() -> None:
    project = rita()
    result = level(project)
    (moved,) = result.tasks
    assert (moved.task, str(moved.delay), moved.splits) == ("build", "4ed", ())
    result.apply(project)
    assert project.schedule()["build"].finish == dt.datetime(2027, 3, 11, 17)


def test_with_splitting_the_build_pauses_for_the_audit() -> None:
    project = rita()
    result = level(project, split_remaining=True)
    (moved,) = result.tasks
    assert (moved.task, moved.delay.value, moved.resources) == ("build", 0, ("Rita",))
    assert moved.splits == (Split("2d", "2d", leveling=True),)
    assert result.finish_after == dt.date(2027, 3, 9)
    assert result.to_records()[0]["splits"] == [("2d", "2d")]
    result.apply(project)
    schedule = project.schedule()
    assert schedule["build"].splits == (
        (dt.datetime(2027, 3, 1, 8), dt.datetime(2027, 3, 2, 17)),
        (dt.datetime(2027, 3, 5, 8), dt.datetime(2027, 3, 9, 17)))
    assert over(project) == []


def test_a_successor_follows_the_last_piece() -> None:
    project = rita()
    project.add_resource("Sam", id="sam")
    review = project.add_task("Review", "1d", id="review", after="build")
    project.assign(review, "sam")
    leveled = pmcore.schedule(project, level={"split_remaining": True})
    assert leveled["review"].start == dt.datetime(2027, 3, 10, 8)
    assert project.task("build").splits == ()  # the project itself is unchanged


def test_work_that_starts_at_noon_is_split_by_its_working_minutes() -> None:
    # Prepare (half a day, Sam) ends Monday 12:00; the build (2d) starts Monday 13:00: Monday
    # afternoon and Tuesday are 12 h of work, the audit takes Wednesday and Thursday, and the
    # last 4 h are worked Friday morning.
    project = rita()
    project.task("build").duration = pmcore.Duration(2)
    project.add_resource("Sam", id="sam")
    prepare = project.add_task("Prepare", "0.5d", id="prepare")
    project.assign(prepare, "sam")
    project.link(prepare, "build")
    result = level(project, split_remaining=True)
    (moved,) = [t for t in result.tasks if t.task == "build"]
    assert moved.splits == (Split("1.5d", "2d", leveling=True),)
    result.apply(project)
    assert project.schedule()["build"].finish == dt.datetime(2027, 3, 5, 12)
    assert over(project) == []


def test_releveling_clears_leveling_splits_and_keeps_the_users() -> None:
    project = rita(split_build_by_hand=True)
    level(project, split_remaining=True).apply(project)
    assert [s.leveling for s in project.task("build").splits] == [False, True]
    level(project).apply(project)  # leveled again, without splitting
    assert project.task("build").splits == (Split("4d", "1h"),)
    assert over(project) == []


def test_tasks_leveling_may_not_move_are_not_split() -> None:
    project = rita()
    project.task("build").priority = 1000
    result = level(project, split_remaining=True)
    # neither may move (priority 1000, a must-start-on date): both stay over-allocated
    assert [(t.task, t.unresolved, t.splits) for t in result.tasks] == [
        ("build", True, ()), ("audit", True, ())]


def test_leveling_splits_travel_in_the_project_file(tmp_path: Path) -> None:
    project = rita()
    level(project, split_remaining=True).apply(project)
    path = tmp_path / "rita.pmcore.json"
    pmcore.write(project, path)
    assert pmcore.read(path).task("build").splits == (Split("2d", "2d", leveling=True),)


@pytest.mark.parametrize("seed", range(12))
def test_random_plans_leveled_with_splits_are_feasible(seed: int) -> None:
    rng = random.Random(seed)
    project = pmcore.Project(f"random {seed}", start="2027-03-01")
    for name in ("ann", "bob"):
        project.add_resource(name.title(), id=name, max_units=rng.choice([1.0, 1.0, 2.0]))
    tasks = []
    for k in range(14):
        task = project.add_task(f"T{k}", f"{rng.choice([0.5, 1, 2, 3, 4, 6])}d", id=f"t{k}")
        if k > 2 and rng.random() < 0.5:
            project.link(rng.choice(tasks), task)
        if rng.random() < 0.15:
            task.constraint = pmcore.Constraint("SNET", dt.datetime(2027, 3, rng.choice(
                [2, 3, 4, 8, 9]), 8))
        project.assign(task, rng.choice(["ann", "bob"]), units=1.0)
        tasks.append(task)
    result = level(project, split_remaining=True, seed=seed, schedules=200)
    assert result.unresolved == ()
    result.apply(project)
    assert over(project) == []
    schedule = project.schedule()
    for link in project.dependencies:  # every link still holds
        assert schedule[link.successor].start >= schedule[link.predecessor].finish
    # the finish leveling reports is the one the engine schedules
    assert schedule.finish.date() == result.finish_after


def test_the_cli_levels_with_splits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "rita.pmcore.json"
    pmcore.write(rita(), path)
    assert main(["schedule", str(path), "--level", "--level-split", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert document["project"]["finish"] == "2027-03-09T17:00:00"
    assert [r["splits"] for r in document["leveling"]] == [[["2d", "2d"]]]
    assert "and split 1" in err
    assert main(["schedule", str(path), "--level-split"]) == 2
