"""Split tasks: work interrupted and resumed, as Microsoft Project's *Split Task* makes it.

Hand-worked on the standard calendar (8:00-12:00 and 13:00-17:00, Monday to Friday); March
2027 starts on a Monday (1, 8, 15 are Mondays). A split keeps the task's duration (its work)
and moves the finish out by the gap; the gap is working time, so a weekend inside it does not
count.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import pmcore
from pmcore import Project, Split
from pmcore.errors import FormatError, ValidationError
from pmcore.schedule import Schedule

DAY = 480


def parts(schedule: Schedule, task: pmcore.Task | str) -> list[tuple[str, str]]:
    return [(a.isoformat(timespec="minutes"), b.isoformat(timespec="minutes"))
            for a, b in schedule[task].splits]


def plan() -> tuple[Project, pmcore.Task, pmcore.Task, pmcore.Task]:
    project = Project("split", start="2027-03-01T08:00")
    a = project.add_task("Build", "5d")
    b = project.add_task("Test", "2d", after=a)
    d = project.add_task("Document", "12d")
    return project, a, b, d


def test_a_gap_moves_the_finish_and_the_successors() -> None:
    project, a, b, _ = plan()
    a.split("2d", "3d")
    result = pmcore.schedule(project)
    # Mon 1 and Tue 2 worked, Wed 3 - Fri 5 paused, Mon 8 - Wed 10 worked
    assert parts(result, a) == [("2027-03-01T08:00", "2027-03-02T17:00"),
                                ("2027-03-08T08:00", "2027-03-10T17:00")]
    assert result[a].finish == dt.datetime(2027, 3, 10, 17)
    assert result[b].start == dt.datetime(2027, 3, 11, 8)
    assert a.duration == pmcore.Duration(5)  # the duration is the work; it stays


def test_late_dates_and_float_count_the_gap() -> None:
    project, a, b, d = plan()
    a.split("2d", "3d")
    result = pmcore.schedule(project)
    # Document (12d) ends Tue 16 17:00; Test must end then, so starts Mon 15; Build (a span
    # of 8 working days) must end Fri 12 17:00 and so start Wed 3: two days of float
    assert result[d].finish == dt.datetime(2027, 3, 16, 17)
    assert result[b].late_start == dt.datetime(2027, 3, 15, 8)
    assert result[a].late_finish == dt.datetime(2027, 3, 12, 17)
    assert result[a].late_start == dt.datetime(2027, 3, 3, 8)
    assert result[a].total_float_minutes == 2 * DAY


def test_a_split_inside_a_day() -> None:
    project = Project("split", start="2027-03-01T08:00")
    task = project.add_task("Patch", "1d", splits=[("4h", "4h")])
    result = pmcore.schedule(project)
    assert parts(result, task) == [("2027-03-01T08:00", "2027-03-01T12:00"),
                                   ("2027-03-02T08:00", "2027-03-02T12:00")]


def test_several_splits_in_any_order_and_gaps_at_one_point_add_up() -> None:
    project = Project("split", start="2027-03-01T08:00")
    task = project.add_task("Migrate", "4d")
    task.splits = (Split("3d", "1d"), Split("1d", "1d"), Split("1d", "1d"))
    result = pmcore.schedule(project)
    # the two gaps after 1d add up; work 1d | gap 2d | work 2d | gap 1d | work 1d:
    # Mon 1 | Tue 2, Wed 3 | Thu 4, Fri 5 | Mon 8 | Tue 9
    assert parts(result, task) == [("2027-03-01T08:00", "2027-03-01T17:00"),
                                   ("2027-03-04T08:00", "2027-03-05T17:00"),
                                   ("2027-03-09T08:00", "2027-03-09T17:00")]


def test_splits_at_or_past_the_end_are_dropped() -> None:
    project, a, _, _ = plan()
    a.splits = [("5d", "2d"), ("9d", "1d")]
    result = pmcore.schedule(project)
    assert result[a].finish == dt.datetime(2027, 3, 5, 17)
    assert result[a].splits == ()


def test_remaining_work_of_a_split_task_in_progress() -> None:
    project = Project("split", start="2027-03-01T08:00")
    task = project.add_task("Upgrade", "4d", splits=[("2d", "2d")])
    task.actual_start = dt.datetime(2027, 3, 1, 8)
    task.percent_complete = 25  # one day of work done: Monday 1
    result = pmcore.schedule(project, status_date="2027-03-03T17:00")
    # the rest waits for the status date (Thu 4): 1d of work, then the 2d gap (Fri 5, Mon 8),
    # then the last 2d (Tue 9, Wed 10)
    assert parts(result, task) == [("2027-03-01T08:00", "2027-03-01T17:00"),
                                   ("2027-03-04T08:00", "2027-03-04T17:00"),
                                   ("2027-03-09T08:00", "2027-03-10T17:00")]
    assert result[task].finish == dt.datetime(2027, 3, 10, 17)


def test_a_percentage_lag_is_a_share_of_the_work_not_of_the_span() -> None:
    project = Project("split", start="2027-03-01T08:00")
    a = project.add_task("Build", "4d", splits=[("2d", "4d")])
    b = project.add_task("Review", "1d")
    project.link(a, b, type="SS", lag="50%")  # half of 4 days of work: 2 days
    result = pmcore.schedule(project)
    assert result[b].start == dt.datetime(2027, 3, 3, 8)


def test_alap_and_scheduling_from_the_finish_keep_the_pieces() -> None:
    project = Project("split", finish="2027-03-12T17:00", schedule_from="finish")
    task = project.add_task("Cutover", "2d", splits=[("1d", "1d")])
    result = pmcore.schedule(project)
    assert parts(result, task) == [("2027-03-10T08:00", "2027-03-10T17:00"),
                                   ("2027-03-12T08:00", "2027-03-12T17:00")]


def test_reschedule_after_splitting_equals_a_full_schedule() -> None:
    project, a, _, _ = plan()
    first = pmcore.schedule(project)
    a.split("1d", "2d")
    again = first.reschedule(changed=[a])
    full = pmcore.schedule(project)
    assert again.to_records() == full.to_records()
    assert parts(again, a) == parts(full, a) != []
    a.splits = ()
    joined = again.reschedule(changed=[a])
    assert joined[a].splits == ()
    assert joined[a].finish == first[a].finish


def test_splits_travel_in_the_project_file(tmp_path: Path) -> None:
    project, a, _, _ = plan()
    a.split("2d", "3d")
    path = tmp_path / "split.pmcore.json"
    pmcore.write(project, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    (written,) = [t for t in data["project"]["tasks"] if t["id"] == a.id]
    assert written["splits"] == [{"after": "2d", "gap": "3d"}]
    again = pmcore.read(path)
    assert again.task(a.id).splits == (Split("2d", "3d"),)


def test_bad_splits_are_refused_naming_the_field(tmp_path: Path) -> None:
    project, a, _, _ = plan()
    with pytest.raises(ValidationError, match="gap"):
        a.split("2d", "3ed")  # the clock is not the task's working time
    with pytest.raises(ValidationError, match="after"):
        a.split("0d", "1d")
    with pytest.raises(ValidationError, match="splits"):
        a.splits = "2d"  # type: ignore[assignment]
    path = tmp_path / "bad.pmcore.json"
    pmcore.write(project, path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"name": "Build"', '"name": "Build", "splits": [{"after": "2d", "gap": -1}]'),
        encoding="utf-8")
    with pytest.raises(FormatError, match="gap"):
        pmcore.read(path)


def test_splits_on_an_elapsed_duration_are_ignored_with_a_warning() -> None:
    project = Project("split", start="2027-03-01T08:00")
    task = project.add_task("Cure concrete", "2ed", splits=[("1d", "1d")])
    result = pmcore.schedule(project)
    assert result[task].finish == dt.datetime(2027, 3, 3, 8)
    assert any("splits" in warning for warning in result.warnings)
