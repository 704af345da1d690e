"""Two rules of Microsoft Project beyond plain CPM, found in the dates it saved in MSPDI files.

Standard calendar (Monday-Friday 08:00-12:00, 13:00-17:00), January 2027::

    Mo Tu We Th Fr
     4  5  6  7  8
    11 12 13 14 15
    18 19 20 21 22
"""

from __future__ import annotations

import datetime as dt

import pmcore

DAY = 480


def test_the_project_start_does_not_hold_back_work_in_progress() -> None:
    # A started on Monday 4, a week before the project's start date, and is 30 % done (3 of
    # 10 days). With no status date its remaining 7 days follow the done part at once: Thursday
    # 7 08:00 to Friday 15 17:00, not split to restart on Monday 11. The project finishes with
    # it, on Friday 15, and A is critical.
    project = pmcore.Project("Late start date", start="2027-01-11")
    a = project.add_task("A", "10d", actual_start="2027-01-04", percent_complete=30)
    schedule = project.schedule()
    assert schedule[a].start == dt.datetime(2027, 1, 4, 8)
    assert schedule[a].finish == dt.datetime(2027, 1, 15, 17)
    assert schedule[a].splits == ()
    assert schedule.finish == dt.datetime(2027, 1, 15, 17)
    assert schedule[a].total_float_minutes == 0
    assert schedule[a].critical


def test_links_still_hold_back_work_in_progress_under_retained_logic() -> None:
    # B (4d) started on Monday 4 although its FS predecessor A (2d, from the project start on
    # Monday 4) finishes Tuesday 5. B is 25 % done (1 day): with retained logic its 3 remaining
    # days wait for A: Wednesday 6 to Friday 8, split after Monday 4.
    project = pmcore.Project("Out of sequence", start="2027-01-04")
    a = project.add_task("A", "2d")
    b = project.add_task("B", "4d", after=a, actual_start="2027-01-04", percent_complete=25)
    schedule = project.schedule()
    assert schedule[b].finish == dt.datetime(2027, 1, 8, 17)
    assert len(schedule[b].splits) == 2


def test_start_side_links_do_not_limit_a_manual_tasks_late_finish() -> None:
    # Manual A (1d, Monday 4) leads manual B (1d, Wednesday 6) by SS + 2d; automatic C (10d)
    # makes the project finish Friday 15 17:00. For an automatic A the SS link would cap A's
    # late start at B's late start (Friday 15 08:00) less 2 days: Wednesday 13 08:00, 7 days
    # of float. MS Project takes a manual task's late finish from finish-side limits only: the
    # project finish, so A keeps 9 days.
    project = pmcore.Project("Manual pair", start="2027-01-04")
    a = project.add_task("A", "1d", manual=True, start="2027-01-04T08:00",
                         finish="2027-01-04T17:00")
    b = project.add_task("B", "1d", manual=True, start="2027-01-06T08:00",
                         finish="2027-01-06T17:00")
    project.link(a, b, type="SS", lag="2d")
    project.add_task("C", "10d")
    schedule = project.schedule()
    assert schedule[a].late_finish == dt.datetime(2027, 1, 15, 17)
    assert schedule[a].total_float_minutes == 9 * DAY
    automatic = pmcore.Project("Automatic pair", start="2027-01-04")
    a2 = automatic.add_task("A", "1d")
    b2 = automatic.add_task("B", "1d")
    automatic.link(a2, b2, type="SS", lag="2d")
    automatic.add_task("C", "10d")
    assert automatic.schedule()[a2].late_start == dt.datetime(2027, 1, 13, 8)
