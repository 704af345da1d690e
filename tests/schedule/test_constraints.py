"""Date constraints, deadlines and ALAP, as Microsoft Project honours them by default.

Microsoft Project's default is "tasks will always honor their constraint dates": a constraint
that logic would break wins, the task is placed on the constraint date, the break is reported
(here in ``schedule.conflicts``) and the driving chain shows negative total float.

The network used by most tests (Standard calendar, project start Monday 4 January 2027)::

    A 3d (Mon 4 - Wed 6) -> B 2d (constrained) -> C 1d
    Z 10d (Mon 4 - Fri 15) sets the project finish to Friday 15 at 17:00.

Unconstrained, B is Thu 7 - Fri 8 and C is Mon 11.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pmcore import Project, Task
from pmcore.schedule import Schedule

DAY = 480


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def span(schedule: Schedule, task: Task | str) -> tuple[str, str]:
    found = schedule[task]
    return found.start.isoformat(timespec="minutes"), found.finish.isoformat(timespec="minutes")


def build(constraint: object = None, **b_fields: object) -> tuple[Project, dict[str, Task]]:
    project = Project("Constraints", start="2027-01-04")
    fields = dict(b_fields)
    if constraint is not None:
        fields["constraint"] = constraint
    a = project.add_task("A", "3d")
    b = project.add_task("B", "2d", after=a, **fields)
    c = project.add_task("C", "1d", after=b)
    z = project.add_task("Z", "10d")
    return project, {"A": a, "B": b, "C": c, "Z": z}


def kinds(schedule: Schedule) -> list[tuple[str, str]]:
    return [(c.task, c.kind) for c in schedule.conflicts]


def test_the_unconstrained_network():
    project, t = build()
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-07T08:00", "2027-01-08T17:00")
    assert span(s, t["C"]) == ("2027-01-11T08:00", "2027-01-11T17:00")
    assert s.finish == at("2027-01-15T17:00")
    assert s[t["B"]].total_float_minutes == 4 * DAY
    assert s.conflicts == ()


# ---------------------------------------------------------------------- push later


def test_start_no_earlier_than_pushes_the_task():
    project, t = build(("SNET", "2027-01-12"))  # Tuesday 08:00
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-12T08:00", "2027-01-13T17:00")
    assert span(s, t["C"]) == ("2027-01-14T08:00", "2027-01-14T17:00")
    # A may now slip until B's constraint date without delaying it: free float.
    assert s[t["A"]].free_float_minutes == 3 * DAY
    assert s[t["B"]].total_float_minutes == DAY  # C may finish by Friday 15
    assert s.conflicts == ()


def test_an_snet_earlier_than_logic_changes_nothing():
    project, t = build(("SNET", "2027-01-05"))
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-07T08:00", "2027-01-08T17:00")
    assert s.conflicts == ()


def test_an_snet_on_a_weekend_starts_on_monday():
    project, t = build(("SNET", "2027-01-09T10:00"))  # Saturday
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-11T08:00", "2027-01-12T17:00")


def test_finish_no_earlier_than_pushes_the_finish():
    project, t = build(("FNET", "2027-01-12"))  # a bare date: Tuesday at 17:00
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-11T08:00", "2027-01-12T17:00")
    assert span(s, t["C"]) == ("2027-01-13T08:00", "2027-01-13T17:00")
    assert s[t["A"]].free_float_minutes == 2 * DAY  # Thu and Fri
    assert s[t["B"]].total_float_minutes == 2 * DAY  # C may run on Friday 15
    assert s.conflicts == ()


# ---------------------------------------------------------------------- pin the date


def test_must_start_on_later_than_logic():
    project, t = build(("MSO", "2027-01-12"))
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-12T08:00", "2027-01-13T17:00")
    assert s[t["B"]].total_float_minutes == 0  # pinned: its late start is the date too
    assert s[t["A"]].total_float_minutes == 3 * DAY  # A may finish by Monday 11
    assert s.conflicts == ()


def test_must_start_on_earlier_than_logic_is_honoured_and_reported():
    project, t = build(("MSO", "2027-01-05"))  # Tuesday; A finishes Wednesday
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-05T08:00", "2027-01-06T17:00")
    assert span(s, t["C"]) == ("2027-01-07T08:00", "2027-01-07T17:00")
    assert kinds(s) == [(t["B"].id, "MSO")]
    assert "B" in str(s.conflicts[0])
    # A must finish by Monday 17:00 for B to start on Tuesday: two days too late.
    assert s[t["A"]].late_finish == at("2027-01-04T17:00")
    assert s[t["A"]].total_float_minutes == -2 * DAY
    assert s[t["A"]].critical
    assert s[t["B"]].total_float_minutes == 0


def test_must_finish_on_later_than_logic():
    project, t = build(("MFO", "2027-01-15"))  # Friday 17:00, the project's finish
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-14T08:00", "2027-01-15T17:00")
    assert span(s, t["C"]) == ("2027-01-18T08:00", "2027-01-18T17:00")
    assert s.finish == at("2027-01-18T17:00")
    assert s.critical_path == (t["B"].id, t["C"].id)
    assert s[t["Z"]].total_float_minutes == DAY
    assert s.conflicts == ()


def test_must_finish_on_earlier_than_logic_is_honoured_and_reported():
    project, t = build(("MFO", "2027-01-07"))  # Thursday 17:00; logic says Friday
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-06T08:00", "2027-01-07T17:00")
    assert kinds(s) == [(t["B"].id, "MFO")]
    assert s[t["A"]].total_float_minutes == -DAY
    assert s[t["B"]].total_float_minutes == 0


# ---------------------------------------------------------------------- cap the late dates


def test_start_no_later_than_caps_the_late_start():
    project, t = build(("SNLT", "2027-01-12"))
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-07T08:00", "2027-01-08T17:00")  # logic still rules
    assert s[t["B"]].late_start == at("2027-01-12T08:00")
    assert s[t["B"]].total_float_minutes == 3 * DAY
    assert s[t["A"]].late_finish == at("2027-01-11T17:00")
    assert s.conflicts == ()


def test_start_no_later_than_broken_by_logic():
    project, t = build(("SNLT", "2027-01-05"))
    s = project.schedule()
    # Honoured: B starts on the date although A is not finished; reported; A is late.
    assert span(s, t["B"]) == ("2027-01-05T08:00", "2027-01-06T17:00")
    assert kinds(s) == [(t["B"].id, "SNLT")]
    assert s[t["A"]].total_float_minutes == -2 * DAY


def test_finish_no_later_than_caps_the_late_finish():
    project, t = build(("FNLT", "2027-01-12"))
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-07T08:00", "2027-01-08T17:00")
    assert s[t["B"]].late_finish == at("2027-01-12T17:00")
    assert s[t["B"]].total_float_minutes == 2 * DAY
    assert s[t["A"]].total_float_minutes == 2 * DAY
    assert s.conflicts == ()


def test_finish_no_later_than_broken_by_logic():
    project, t = build(("FNLT", "2027-01-07"))
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-06T08:00", "2027-01-07T17:00")
    assert kinds(s) == [(t["B"].id, "FNLT")]
    assert s[t["A"]].total_float_minutes == -DAY


def test_a_constraint_on_the_first_task_of_a_chain():
    project = Project("Constraints", start="2027-01-04")
    a = project.add_task("A", "2d", constraint=("FNLT", "2027-01-04"))  # Monday 17:00
    b = project.add_task("B", "1d", after=a)
    s = project.schedule()
    # A needs two days from the project start; the constraint moves it before the start.
    assert kinds(s) == [(a.id, "FNLT")]
    assert s[a].total_float_minutes <= 0
    assert s[b].start >= s[a].finish


# ---------------------------------------------------------------------- deadlines


def test_a_met_deadline_only_caps_the_late_finish():
    project, t = build(deadline="2027-01-12")  # Tuesday 17:00
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-07T08:00", "2027-01-08T17:00")
    assert s[t["B"]].late_finish == at("2027-01-12T17:00")
    assert s[t["B"]].total_float_minutes == 2 * DAY
    assert s.conflicts == ()


def test_a_missed_deadline_gives_negative_float_and_a_conflict():
    project, t = build(deadline="2027-01-07")  # Thursday 17:00; B finishes Friday
    s = project.schedule()
    # A deadline does not move the task.
    assert span(s, t["B"]) == ("2027-01-07T08:00", "2027-01-08T17:00")
    assert kinds(s) == [(t["B"].id, "deadline")]
    assert "deadline" in str(s.conflicts[0])
    assert s[t["B"]].total_float_minutes == -DAY
    assert s[t["A"]].total_float_minutes == -DAY
    assert s[t["B"]].critical
    assert s.critical_tasks == (t["A"].id, t["Z"].id, t["B"].id)
    assert (t["A"].id, t["B"].id) in s.critical_paths


def test_a_deadline_on_a_milestone():
    project = Project("Deadline", start="2027-01-04")
    work = project.add_task("Work", "5d")
    gate = project.add_milestone("Gate", after=work, deadline="2027-01-08")  # Friday 17:00
    s = project.schedule()
    assert span(s, gate) == ("2027-01-08T17:00", "2027-01-08T17:00")
    assert s.conflicts == ()
    more = project.add_task("More", "1d", after=work)
    project.link(more, gate)
    s = project.schedule()
    assert span(s, gate) == ("2027-01-11T17:00", "2027-01-11T17:00")
    assert kinds(s) == [(gate.id, "deadline")]


# ---------------------------------------------------------------------- as late as possible


def test_an_alap_task_consumes_its_free_float():
    project = Project("ALAP", start="2027-01-04")
    z = project.add_task("Z", "5d")  # Mon-Fri
    a = project.add_task("A", "2d", constraint="ALAP")
    c = project.add_task("C", "1d", after=[z, a])  # Monday 11
    s = project.schedule()
    # A could run Mon-Tue; as late as C allows is Thu-Fri.
    assert span(s, a) == ("2027-01-07T08:00", "2027-01-08T17:00")
    assert s[a].early_start == at("2027-01-04T08:00")
    assert s[a].late_start == at("2027-01-07T08:00")
    assert s[a].free_float_minutes == 0
    assert s[a].total_float_minutes == 3 * DAY
    assert span(s, c) == ("2027-01-11T08:00", "2027-01-11T17:00")


def test_an_alap_task_without_successors_ends_with_the_project():
    project = Project("ALAP", start="2027-01-04")
    project.add_task("Long", "5d")
    last = project.add_task("Last minute", "1d", constraint="ALAP")
    s = project.schedule()
    assert span(s, last) == ("2027-01-08T08:00", "2027-01-08T17:00")
    assert s.finish == at("2027-01-08T17:00")


def test_an_alap_successor_gives_its_predecessor_free_float():
    project = Project("ALAP", start="2027-01-04")
    project.add_task("Long", "5d")
    w = project.add_task("W", "1d")
    y = project.add_task("Y", "1d", constraint="ALAP", after=w)
    s = project.schedule()
    assert span(s, y) == ("2027-01-08T08:00", "2027-01-08T17:00")
    assert span(s, w) == ("2027-01-04T08:00", "2027-01-04T17:00")
    # W may now slip until Y's (late) start: Tuesday to Thursday.
    assert s[w].free_float_minutes == 3 * DAY


def test_a_chain_of_alap_tasks_packs_against_the_finish():
    project = Project("ALAP", start="2027-01-04")
    project.add_task("Long", "5d")
    first = project.add_task("First", "1d", constraint="ALAP")
    second = project.add_task("Second", "2d", constraint="ALAP", after=first)
    s = project.schedule()
    assert span(s, second) == ("2027-01-07T08:00", "2027-01-08T17:00")
    assert span(s, first) == ("2027-01-06T08:00", "2027-01-06T17:00")


def test_an_alap_task_does_not_delay_an_asap_successor():
    # Microsoft Project places an ALAP task as late as its successors allow: B has no free
    # float (C follows it at once), so it does not move.
    project, t = build("ALAP")
    s = project.schedule()
    assert span(s, t["B"]) == ("2027-01-07T08:00", "2027-01-08T17:00")
    assert span(s, t["C"]) == ("2027-01-11T08:00", "2027-01-11T17:00")


# ---------------------------------------------------------------------- bare dates


@pytest.mark.parametrize(("constraint", "expected"), [
    (("SNET", "2027-01-11"), ("2027-01-11T08:00", "2027-01-12T17:00")),  # start at 08:00
    (("MSO", "2027-01-11"), ("2027-01-11T08:00", "2027-01-12T17:00")),
    (("FNET", "2027-01-12"), ("2027-01-11T08:00", "2027-01-12T17:00")),  # finish at 17:00
    (("MFO", "2027-01-12"), ("2027-01-11T08:00", "2027-01-12T17:00")),
])
def test_bare_constraint_dates_take_the_default_times(constraint, expected):
    project, t = build(constraint)
    assert span(project.schedule(), t["B"]) == expected


def test_a_constrained_summary_child_inside_a_linked_summary():
    project = Project("Summary", start="2027-01-04")
    a = project.add_task("A", "2d")
    phase = project.add_task("Phase")
    b = project.add_task("B", "1d", parent=phase, constraint=("SNET", "2027-01-08"))
    c = project.add_task("C", "1d", parent=phase)
    project.link(a, phase)
    s = project.schedule()
    assert span(s, c) == ("2027-01-06T08:00", "2027-01-06T17:00")
    assert span(s, b) == ("2027-01-08T08:00", "2027-01-08T17:00")
    assert span(s, phase) == ("2027-01-06T08:00", "2027-01-08T17:00")


# ---------------------------------------------------------------------- from the finish


def test_a_must_start_on_when_scheduling_backward():
    project = Project("Backward", finish="2027-01-15", schedule_from="finish")
    a = project.add_task("A", "3d")
    b = project.add_task("B", "2d", after=a, constraint=("MSO", "2027-01-11"))
    c = project.add_task("C", "1d", after=b)
    s = project.schedule()
    assert span(s, b) == ("2027-01-11T08:00", "2027-01-12T17:00")
    assert span(s, a) == ("2027-01-06T08:00", "2027-01-08T17:00")
    assert span(s, c) == ("2027-01-15T08:00", "2027-01-15T17:00")  # as late as possible
    assert s.start == at("2027-01-06T08:00")
    assert s.conflicts == ()


def test_a_must_start_on_that_cannot_meet_the_finish_is_reported_when_scheduling_backward():
    project = Project("Backward", finish="2027-01-15", schedule_from="finish")
    a = project.add_task("A", "3d")
    b = project.add_task("B", "2d", after=a, constraint=("MSO", "2027-01-14"))  # Thu-Fri
    c = project.add_task("C", "1d", after=b)  # cannot fit before Friday 17:00
    s = project.schedule()
    assert span(s, b) == ("2027-01-14T08:00", "2027-01-15T17:00")
    assert s[c].total_float_minutes == -DAY
    assert s[c].start >= s[b].finish
    assert [(x.task, x.kind) for x in s.conflicts] == [(b.id, "MSO")]
