"""A leveling delay pushes a task's start past the date its links allow (Microsoft Project).

Standard calendar (Monday-Friday 08:00-12:00, 13:00-17:00), January 2027: Monday 4 is the
project start. A (2d) runs Monday 08:00 to Tuesday 17:00, so its FS successor B (1d) may start
on Wednesday 6 at 08:00.

* ``3ed`` (three elapsed days, how MS Project stores leveling delay): Wednesday 08:00 + 72 h is
  Saturday 9 at 08:00, non-working, so B starts at the next working time, Monday 11 08:00, and
  finishes Monday 11 17:00.
* ``1d`` (working time): Thursday 7 08:00 to 17:00.

The delay uses up float: the project finish moves with B (nothing else runs after it), so B
stays critical; C, parallel to A and B, gains the float B lost.
"""

from __future__ import annotations

import datetime as dt

import pytest

import pmcore
from pmcore.errors import ValidationError

DAY = 480


def plan(delay: str | None) -> pmcore.Project:
    project = pmcore.Project("Leveled", start="2027-01-04")
    a = project.add_task("A", "2d")
    project.add_task("B", "1d", after=a, leveling_delay=delay)
    project.add_task("C", "1d")
    return project


def test_an_elapsed_delay_moves_the_start_to_the_next_working_time() -> None:
    schedule = plan("3ed").schedule()
    b = schedule[plan_id(schedule, "B")]
    assert b.start == dt.datetime(2027, 1, 11, 8)
    assert b.finish == dt.datetime(2027, 1, 11, 17)
    assert schedule.finish == dt.datetime(2027, 1, 11, 17)
    assert b.total_float_minutes == 0
    c = schedule[plan_id(schedule, "C")]
    # C finishes Monday 4 at 17:00; the project now ends Monday 11 at 17:00: five working
    # days later (Tuesday 5 to Friday 8, Monday 11)
    assert c.total_float_minutes == 5 * DAY


def test_a_working_delay_counts_working_time() -> None:
    schedule = plan("1d").schedule()
    b = schedule[plan_id(schedule, "B")]
    assert b.start == dt.datetime(2027, 1, 7, 8)
    assert b.finish == dt.datetime(2027, 1, 7, 17)


def test_no_delay_is_the_logic_date() -> None:
    schedule = plan(None).schedule()
    assert schedule[plan_id(schedule, "B")].start == dt.datetime(2027, 1, 6, 8)


def test_a_negative_delay_is_refused() -> None:
    with pytest.raises(ValidationError, match="leveling_delay"):
        plan("-1ed")


def test_the_delay_survives_the_file_format() -> None:
    project = plan("3ed")
    again = pmcore.loads(pmcore.dumps(project))
    assert [t.leveling_delay for t in again.tasks] == [t.leveling_delay for t in project.tasks]


def plan_id(schedule: pmcore.Schedule, name: str) -> str:
    return next(t.id for t in schedule if t.name == name)
