"""The fast path for plain tasks and the general per-node rules give the same schedule.

On random networks with everything that makes a task *not* plain mixed in (summary tasks with
and without links of their own, constraints, ALAP, deadlines, progress with and without a status
date, manually scheduled tasks, leveling delays, task calendars, elapsed and percentage lags),
scheduling with :data:`pmcore.schedule.engine.FAST_PATH` on and off must give identical records,
conflicts, critical paths and driving links.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmcore import Project
from pmcore.model import Constraint
from pmcore.schedule import engine

from .test_properties import Network, build, networks


@st.composite
def sparse(draw: st.DrawFn, choices: list[Any], n: int) -> list[Any]:
    """Per task one of ``choices`` (or None), for a few tasks, or none at all."""
    if not draw(st.booleans()):
        return [None] * n
    return draw(st.lists(st.sampled_from([None] * 4 + choices), min_size=n, max_size=n))


@st.composite
def mixed(draw: st.DrawFn) -> tuple[Network, dict[str, Any]]:
    # Mostly plain networks with a few special tasks, so that both kinds meet.
    net = draw(networks(max_tasks=16, calendars=draw(st.booleans()),
                        elapsed=draw(st.booleans())))
    n = net["n"]
    extras = {
        "constraints": draw(sparse([("SNET", "2027-01-07"), ("FNLT", "2027-01-12"),
                                    ("MSO", "2027-01-05"), ("ALAP", None),
                                    ("MFO", "2027-01-20")], n)),
        "progress": draw(sparse([0, 40, 100], n)),
        "manual": [bool(m) for m in draw(sparse([True], n))],
        "delay": draw(sparse(["2ed", "1d"], n)),
        "deadline": draw(sparse(["2027-01-08"], n)),
        "groups": draw(st.integers(0, 3)),
        "summary_links": draw(st.booleans()),
        "status": draw(st.sampled_from([None, "2027-01-06T12:00"])),
        "backward": draw(st.sampled_from([False, False, False, True])),
    }
    return net, extras


def build_mixed(net: Network, extras: dict[str, Any]) -> Project:
    project = build(net)
    for i, task in enumerate(project.tasks):
        constraint = extras["constraints"][i]
        if constraint is not None:
            task.constraint = Constraint(constraint[0], constraint[1])
        progress = extras["progress"][i]
        if progress is not None:
            task.actual_start = "2027-01-04T08:00"
            task.percent_complete = progress
            if progress == 100:
                task.actual_finish = "2027-01-05T17:00"
        if extras["manual"][i]:
            task.manual = True
            task.start, task.finish = "2027-01-05T08:00", "2027-01-07T17:00"
        task.leveling_delay = extras["delay"][i]
        task.deadline = extras["deadline"][i]
    # Summaries over runs of consecutive tasks, some linked themselves (links only run from
    # lower to higher task numbers, so linking one group to the next closes no loop).
    names = [t.id for t in project.tasks]
    groups = extras["groups"]
    size = max(1, len(names) // (groups + 1))
    for g in range(groups):
        members = names[g * size:(g + 1) * size]
        if not members:
            continue
        summary = project.add_task(f"Group {g}", id=f"G{g}")
        for member in members:
            project.move_task(member, parent=summary)
        if extras["summary_links"] and g:
            project.link(f"G{g - 1}", summary, "FS", "1d")
    if extras["backward"]:
        project.schedule_from = "finish"
        project.finish = "2027-02-26T17:00"
    return project


def outcome(project: Project, status: str | None, fast: bool) -> Any:
    saved = engine.FAST_PATH
    engine.FAST_PATH = fast
    try:
        schedule = project.schedule(status_date=status)
        return (schedule.to_records(), schedule.conflicts, schedule.critical_paths,
                [schedule.driving_predecessors(t) for t in project.tasks],
                [schedule[t].splits for t in project.tasks])
    finally:
        engine.FAST_PATH = saved


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed())
def test_fast_path_equals_the_general_rules(case: tuple[Network, dict[str, Any]]) -> None:
    net, extras = case
    project = build_mixed(net, extras)
    assert outcome(project, extras["status"], True) == outcome(project, extras["status"], False)
