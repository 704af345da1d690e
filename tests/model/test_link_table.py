"""The link table a project keeps for scheduling, checked against its own list of links.

The table (:class:`pmcore.model.network.LinkTable`) is kept as links are added, dropped after
removals and rebuilt on demand; whatever the edits, decoding it must give back exactly
``project.dependencies`` in order, and a schedule must see the links the project holds. The
dates are worked by hand on the Standard calendar (08:00-12:00, 13:00-17:00, Monday-Friday).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pmcore
from pmcore.errors import PMCoreError, UnknownReferenceError
from pmcore.model import Dependency, LinkType, Project, Task
from pmcore.model.network import LINK_TYPE_CODES

TYPES = {code: kind for kind, code in LINK_TYPE_CODES.items()}


def decoded(project: Project) -> list[tuple[str, str, LinkType, object]]:
    """The table read back into (predecessor, successor, type, lag), in its order."""
    table = project._link_table()
    by_slot = {slot: task for task, slot in project._slots.items()}
    return [(by_slot[p], by_slot[s], TYPES[t], table.lags[c])
            for p, s, t, c in zip(table.predecessor, table.successor, table.type, table.lag,
                                  strict=True)]


def listed(project: Project) -> list[tuple[str, str, LinkType, object]]:
    return [(d.predecessor, d.successor, d.type, d.lag) for d in project.dependencies]


EDITS = st.lists(st.tuples(st.sampled_from(["add", "link", "unlink", "remove", "move"]),
                           st.integers(0, 50), st.integers(0, 50),
                           st.sampled_from(["FS", "SS", "FF", "SF"]),
                           st.sampled_from(["0d", "2d", "-4h", "1ed", "50%"])),
                 max_size=40)


@settings(max_examples=60, deadline=None)
@given(EDITS)
def test_the_table_decodes_to_the_projects_links_after_any_edits(edits: list[tuple[
        str, int, int, str, str]]) -> None:
    project = Project("Edits", start="2027-01-04")
    for number in range(6):
        project.add_task(f"Task {number}", "1d")
    for action, a, b, kind, lag in edits:
        tasks = project.tasks
        first, second = tasks[a % len(tasks)] if tasks else None, \
            tasks[b % len(tasks)] if tasks else None
        try:
            if action == "add" or first is None or second is None:
                parent = first if action != "add" or a % 3 else None
                project.add_task(f"New {len(project)}", "2d", parent=parent)
            elif action == "link":
                project.link(first, second, kind, lag)
            elif action == "unlink":
                project.unlink(first, second)
            elif action == "remove" and len(project) > 2:
                project.remove_task(first)
            elif action == "move":
                project.move_task(first, parent=second)
        except PMCoreError:
            pass  # refused edits change nothing
        assert decoded(project) == listed(project)


def test_a_removed_link_no_longer_drives_the_schedule() -> None:
    project = Project("Unlink", start="2027-01-04")
    design = project.add_task("Design", "5d")
    review = project.add_task("Review", "1d")
    build = project.add_task("Build", "2d", after=[design, review])
    # Design drives: Build starts Monday 11 January, after Design's five days
    assert pmcore.schedule(project)[build].start == dt.datetime(2027, 1, 11, 8)
    project.unlink(design, build)
    # now only Review (Monday 4 January) comes before it: Tuesday 5 January
    assert pmcore.schedule(project)[build].start == dt.datetime(2027, 1, 5, 8)
    # Design starts Monday; a day later Build may start: still Tuesday 5 January
    project.link(design, build, "SS", "1d")
    assert pmcore.schedule(project)[build].start == dt.datetime(2027, 1, 5, 8)
    # Review finishes Monday 17:00, two working days on: Wednesday 17:00, so Thursday 08:00
    project.link(review, project.add_task("Test", "1d"), "FS", "2d")
    assert pmcore.schedule(project)[project.find("Test")].start == dt.datetime(2027, 1, 7, 8)


def test_removing_a_task_drops_its_links_from_the_schedule() -> None:
    project = Project("Remove", start="2027-01-04")
    design = project.add_task("Design", "5d")
    build = project.add_task("Build", "2d", after=design)
    extra = project.add_task("Extra", "1d", after=build)
    project.remove_task(design)
    schedule = pmcore.schedule(project)
    assert schedule[build].start == dt.datetime(2027, 1, 4, 8)
    assert schedule[extra].start == dt.datetime(2027, 1, 6, 8)
    assert decoded(project) == listed(project)


def test_a_restored_link_to_a_missing_task_is_reported_then_found_once_the_task_exists() -> None:
    tasks = [Task(id="A", name="Design", duration="3d"), Task(id="B", name="Build",
                                                               duration="1d")]
    links = [Dependency(predecessor="A", successor="B"),
             Dependency(predecessor="B", successor="C")]
    project = Project.restore(name="Restored", start="2027-01-04", tasks=tasks,
                              dependencies=links)
    with pytest.raises(UnknownReferenceError, match="'C'"):
        pmcore.schedule(project)
    project.add_task("Ship", "1d", id="C")
    schedule = pmcore.schedule(project)
    # Design Mon-Wed, Build Thursday, Ship Friday 8 January
    assert schedule["C"].start == dt.datetime(2027, 1, 8, 8)
    assert decoded(project) == listed(project)
