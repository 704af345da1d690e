"""Progress: actual dates, percent complete against a status date, out-of-sequence work.

The oracle is Microsoft Project with its rescheduling options on ("move start of remaining
parts before the status date forward to the status date", "split in-progress tasks"):

* actual start and actual finish fix a task's dates;
* the work not done by the status date is scheduled after it, which splits a task whose
  recorded work ended before the status date;
* a task that has not started does not start before the status date;
* a task started out of sequence (before its predecessor finished): with retained logic (the
  default) its remaining work waits for the predecessor; with progress override it continues
  at the status date regardless.

Standard calendar, January 2027 (Monday 4, Friday 8, Monday 11, Friday 15). A bare status
date means 17:00 that day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pmcore import Project, Task
from pmcore.schedule import ProgressMode, Schedule

DAY = 480


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def span(schedule: Schedule, task: Task | str) -> tuple[str, str]:
    found = schedule[task]
    return found.start.isoformat(timespec="minutes"), found.finish.isoformat(timespec="minutes")


def parts(schedule: Schedule, task: Task | str) -> list[tuple[str, str]]:
    return [(a.isoformat(timespec="minutes"), b.isoformat(timespec="minutes"))
            for a, b in schedule[task].splits]


@pytest.fixture
def project() -> Project:
    return Project("Progress", start="2027-01-04")


# ---------------------------------------------------------------------- actual dates


def test_actual_start_and_finish_fix_the_dates(project):
    a = project.add_task("A", "3d", actual_start="2027-01-05", actual_finish="2027-01-08",
                         percent_complete=100)
    b = project.add_task("B", "2d", after=a)
    s = project.schedule()
    # A took four days instead of three: Tuesday 08:00 to Friday 17:00.
    assert span(s, a) == ("2027-01-05T08:00", "2027-01-08T17:00")
    assert span(s, b) == ("2027-01-11T08:00", "2027-01-12T17:00")
    assert s.finish == at("2027-01-12T17:00")


def test_a_late_actual_start_moves_the_rest(project):
    a = project.add_task("A", "3d", actual_start="2027-01-06")  # started Wednesday, 0 %
    b = project.add_task("B", "1d", after=a)
    s = project.schedule()
    assert span(s, a) == ("2027-01-06T08:00", "2027-01-08T17:00")
    assert span(s, b) == ("2027-01-11T08:00", "2027-01-11T17:00")


def test_an_early_finish_pulls_successors_in(project):
    a = project.add_task("A", "5d", actual_start="2027-01-04", actual_finish="2027-01-05T12:00",
                         percent_complete=100)
    b = project.add_task("B", "1d", after=a)
    s = project.schedule()
    assert span(s, a) == ("2027-01-04T08:00", "2027-01-05T12:00")
    assert span(s, b) == ("2027-01-05T13:00", "2027-01-06T12:00")


def test_a_finished_task_cannot_slip(project):
    a = project.add_task("A", "1d", actual_start="2027-01-04", actual_finish="2027-01-04",
                         percent_complete=100)
    project.add_task("Long", "5d")
    s = project.schedule()
    assert s[a].late_start == s[a].early_start == at("2027-01-04T08:00")
    assert s[a].late_finish == s[a].early_finish == at("2027-01-04T17:00")


# ---------------------------------------------------------------------- the status date


def test_remaining_work_goes_after_the_status_date(project):
    # A: 4 days, started Monday, 25 % done (Monday's work). Nothing more by Wednesday evening.
    a = project.add_task("A", "4d", actual_start="2027-01-04", percent_complete=25)
    b = project.add_task("B", "2d", after=a)
    s = project.schedule(status_date="2027-01-06")
    # The three remaining days: Thursday, Friday, Monday.
    assert span(s, a) == ("2027-01-04T08:00", "2027-01-11T17:00")
    assert parts(s, a) == [("2027-01-04T08:00", "2027-01-04T17:00"),
                           ("2027-01-07T08:00", "2027-01-11T17:00")]
    assert span(s, b) == ("2027-01-12T08:00", "2027-01-13T17:00")
    assert s.critical_path == (a.id, b.id)


def test_the_projects_own_status_date_is_used():
    project = Project("Progress", start="2027-01-04", status_date="2027-01-06")
    a = project.add_task("A", "4d", actual_start="2027-01-04", percent_complete=25)
    s = project.schedule()
    assert s.status_date == at("2027-01-06T17:00")
    assert span(s, a) == ("2027-01-04T08:00", "2027-01-11T17:00")


def test_work_ahead_of_the_status_date_is_not_split(project):
    # 75 % of 4 days is done by Wednesday 17:00; the status date is Tuesday evening.
    a = project.add_task("A", "4d", actual_start="2027-01-04", percent_complete=75)
    s = project.schedule(status_date="2027-01-05")
    assert span(s, a) == ("2027-01-04T08:00", "2027-01-07T17:00")
    assert parts(s, a) == []


def test_an_unstarted_task_does_not_start_before_the_status_date(project):
    free = project.add_task("Free", "1d")
    s = project.schedule(status_date="2027-01-06")
    assert span(s, free) == ("2027-01-07T08:00", "2027-01-07T17:00")


def test_a_status_date_at_noon(project):
    free = project.add_task("Free", "1d")
    s = project.schedule(status_date="2027-01-06T12:00")
    assert span(s, free) == ("2027-01-06T13:00", "2027-01-07T12:00")


def test_a_successor_of_finished_work_waits_for_the_status_date(project):
    a = project.add_task("A", "2d", actual_start="2027-01-04", actual_finish="2027-01-05",
                         percent_complete=100)
    b = project.add_task("B", "1d", after=a)
    s = project.schedule(status_date="2027-01-07")
    assert span(s, b) == ("2027-01-08T08:00", "2027-01-08T17:00")


def test_without_a_status_date_progress_does_not_move_work(project):
    a = project.add_task("A", "4d", actual_start="2027-01-04", percent_complete=25)
    s = project.schedule()
    assert span(s, a) == ("2027-01-04T08:00", "2027-01-07T17:00")
    assert parts(s, a) == []


# ---------------------------------------------------------------------- out of sequence


@pytest.fixture
def out_of_sequence(project):
    """A 5d (started Mon 4, 40 % = Mon-Tue) -> B 4d (started Tue 5, 25 % = Tue)."""
    a = project.add_task("A", "5d", actual_start="2027-01-04", percent_complete=40)
    b = project.add_task("B", "4d", after=a, actual_start="2027-01-05", percent_complete=25)
    return a, b


def test_the_predecessor_of_an_out_of_sequence_task(project, out_of_sequence):
    a, _ = out_of_sequence
    for mode in (ProgressMode.RETAINED_LOGIC, ProgressMode.PROGRESS_OVERRIDE):
        s = project.schedule(status_date="2027-01-06", progress_mode=mode)
        # A's three remaining days follow the status date: Thu 7, Fri 8, Mon 11.
        assert span(s, a) == ("2027-01-04T08:00", "2027-01-11T17:00")
        assert parts(s, a) == [("2027-01-04T08:00", "2027-01-05T17:00"),
                               ("2027-01-07T08:00", "2027-01-11T17:00")]


def test_retained_logic_holds_the_remaining_work_until_the_predecessor_finishes(
        project, out_of_sequence):
    _, b = out_of_sequence
    s = project.schedule(status_date="2027-01-06")  # retained logic is the default
    # B's three remaining days follow A's finish (Monday 11): Tue 12, Wed 13, Thu 14.
    assert span(s, b) == ("2027-01-05T08:00", "2027-01-14T17:00")
    assert parts(s, b) == [("2027-01-05T08:00", "2027-01-05T17:00"),
                           ("2027-01-12T08:00", "2027-01-14T17:00")]
    assert s.finish == at("2027-01-14T17:00")


def test_retained_logic_keeps_the_chain_critical(project, out_of_sequence):
    a, b = out_of_sequence
    s = project.schedule(status_date="2027-01-06")
    # A drives B's remaining work, which ends the project: both have zero float, not the
    # negative float of a predecessor measured against B's actual start.
    assert s[a].total_float_minutes == 0
    assert s[b].total_float_minutes == 0
    assert s[a].free_float_minutes == 0


def test_progress_override_continues_at_the_status_date(project, out_of_sequence):
    _, b = out_of_sequence
    s = project.schedule(status_date="2027-01-06", progress_mode="progress_override")
    # B ignores A now that it has started: its remaining three days follow the status date.
    assert span(s, b) == ("2027-01-05T08:00", "2027-01-11T17:00")
    assert parts(s, b) == [("2027-01-05T08:00", "2027-01-05T17:00"),
                           ("2027-01-07T08:00", "2027-01-11T17:00")]
    assert s.finish == at("2027-01-11T17:00")


def test_progress_override_frees_the_predecessor(project, out_of_sequence):
    a, b = out_of_sequence
    s = project.schedule(status_date="2027-01-06", progress_mode="progress_override")
    # Both end the project on Monday 11 at 17:00; the link no longer binds A.
    assert s[a].total_float_minutes == 0
    assert s[b].total_float_minutes == 0
    assert s[a].free_float_minutes == 0


def test_retained_logic_without_a_status_date(project, out_of_sequence):
    a, b = out_of_sequence
    s = project.schedule()
    # No status date: A runs on from its progress (Wed 6 - Fri 8 for the rest); B's
    # remaining work still waits for it: Mon 11, Tue 12, Wed 13.
    assert span(s, a) == ("2027-01-04T08:00", "2027-01-08T17:00")
    assert span(s, b) == ("2027-01-05T08:00", "2027-01-13T17:00")
    assert parts(s, b) == [("2027-01-05T08:00", "2027-01-05T17:00"),
                           ("2027-01-11T08:00", "2027-01-13T17:00")]


def test_retained_logic_with_a_finish_to_finish_link(project):
    a = project.add_task("A", "5d", actual_start="2027-01-04", percent_complete=40)
    b = project.add_task("B", "2d", actual_start="2027-01-04", percent_complete=50)
    project.link(a, b, "FF")
    s = project.schedule(status_date="2027-01-06")
    # A ends Monday 11 (its rest follows the status date). B's remaining day must not finish
    # before A does: it runs on Monday 11, not on Thursday 7.
    assert span(s, a) == ("2027-01-04T08:00", "2027-01-11T17:00")
    assert span(s, b) == ("2027-01-04T08:00", "2027-01-11T17:00")
    assert parts(s, b) == [("2027-01-04T08:00", "2027-01-04T17:00"),
                           ("2027-01-11T08:00", "2027-01-11T17:00")]
