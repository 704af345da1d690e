"""Invariants of the critical path method on random acyclic networks (hypothesis).

Random networks: working, elapsed and zero durations; every link type; lags >= 0 in working
time, elapsed time and percentages; tasks on the Standard, 24-hour or night-shift calendar; no
constraints, no progress. For every such network:

* early dates never follow late dates, and total float is never negative;
* a task is critical exactly when its total float is at most the threshold (zero);
* every link holds between the scheduled dates (a finish-to-start successor never starts
  before its predecessor finishes, and so on);
* the project finishes at the latest early finish, and the critical path ends there;
* the order in which tasks and links are added changes nothing;
* summary tasks span their children.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmcore import Project
from pmcore.model import Calendar
from pmcore.schedule import Schedule
from pmcore.schedule.timeline import Timeline

RECORD_KEYS = {"id", "name", "wbs", "refs", "start", "finish", "early_start", "early_finish",
               "late_start", "late_finish", "total_float_minutes", "free_float_minutes",
               "critical", "summary", "milestone"}

WORKING = ["0d", "30m", "1h", "4h", "6h", "1d", "1.5d", "2d", "3d", "5d", "1w", "2w"]
ELAPSED = ["8eh", "20eh", "1ed", "3ed"]
WORKING_LAGS = ["0d", "0d", "0d", "1h", "4h", "1d", "2d", "25%", "50%", "100%"]
LAGS = [*WORKING_LAGS, "12eh", "1ed", "2ed", "50e%"]
CALENDARS = [None, None, None, "24h", "night"]

Network = dict[str, Any]


@st.composite
def networks(draw: st.DrawFn, *, max_tasks: int = 10, calendars: bool = True,
             elapsed: bool = True) -> Network:
    n = draw(st.integers(1, max_tasks))
    kinds = WORKING + (ELAPSED if elapsed else [])
    durations = draw(st.lists(
        st.one_of(st.sampled_from(kinds), st.integers(1, 3000).map(lambda m: f"{m}m")),
        min_size=n, max_size=n))
    task_calendars = draw(st.lists(st.sampled_from(CALENDARS if calendars else [None]),
                                   min_size=n, max_size=n))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2 * n)) if pairs else []
    links = [(i, j, draw(st.sampled_from(["FS", "FS", "SS", "FF", "SF"])),
              draw(st.sampled_from(LAGS if elapsed else WORKING_LAGS))) for i, j in chosen]
    start = draw(st.sampled_from(["2027-01-04", "2027-01-08T13:00", "2027-01-09",
                                  "2026-12-31T16:30"]))
    return {"n": n, "durations": durations, "calendars": task_calendars, "links": links,
            "start": start}


def build(net: Network, *, task_order: list[int] | None = None,
          link_order: list[int] | None = None) -> Project:
    project = Project("Random", start=net["start"])
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    project.calendars["night"] = Calendar.night_shift(id="night")
    project.calendars["standard"].add_holiday("Epiphany", "2027-01-06")
    for i in task_order if task_order is not None else range(net["n"]):
        project.add_task(f"Task {i}", net["durations"][i], id=f"T{i}",
                         calendar=net["calendars"][i])
    links = net["links"]
    for k in link_order if link_order is not None else range(len(links)):
        i, j, kind, lag = links[k]
        project.link(f"T{i}", f"T{j}", kind, lag)
    return project


def check_links(project: Project, s: Schedule, *, finishes: bool = True) -> None:
    """Every link holds between the scheduled dates.

    A successor never starts before the date a link to its start names (compared as
    datetimes). A link to a finish names a date that may fall in non-working time (the lunch
    break after a start at 13:00, a night after a 24-hour task ending at 23:30): the successor
    then finishes at the end of the working time before it, the same working minute. Those are
    compared in working minutes of the (single) project calendar, or not at all
    (``finishes=False``) when tasks run on several calendars.
    """
    axis = Timeline(project.effective_calendar(), dt.date(2026, 12, 28))

    def work(moment: dt.datetime) -> int:
        return axis.work_of(moment)

    for link in project.dependencies:
        pred, succ = s[link.predecessor], s[link.successor]
        kind = link.type.value
        if kind == "FS":
            assert succ.start >= pred.finish, link
        elif kind == "SS":
            assert succ.start >= pred.start, link
        elif kind == "FF" and finishes:
            assert work(succ.finish) >= work(pred.finish), link
        elif finishes:
            assert work(succ.finish) >= work(pred.start), link


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(networks(calendars=False, elapsed=False))
def test_floats_and_dates_on_the_standard_calendar(net):
    project = build(net)
    s = project.schedule()
    for t in s:
        assert t.early_start <= t.late_start, t
        assert t.early_finish <= t.late_finish, t
        assert t.early_start <= t.early_finish, t
        assert t.total_float_minutes >= 0, t
        assert t.free_float_minutes >= 0, t
        assert t.free_float_minutes <= t.total_float_minutes, t
        assert t.critical == (t.total_float_minutes <= 0), t
        assert (t.start, t.finish) == (t.early_start, t.early_finish), t
    check_links(project, s)
    assert s.finish == max(t.early_finish for t in s)
    assert s.start == min(t.early_start for t in s)
    assert s.conflicts == ()


@SETTINGS
@given(networks())
def test_floats_and_dates_across_calendars_and_elapsed_time(net):
    project = build(net)
    s = project.schedule()
    for t in s:
        assert t.early_start <= t.late_start, t
        assert t.early_finish <= t.late_finish, t
        assert t.early_start <= t.early_finish, t
        assert t.total_float_minutes >= 0, t
        assert t.free_float_minutes >= 0, t
        assert t.critical == (t.total_float_minutes <= 0), t
    check_links(project, s, finishes=False)
    assert s.finish == max(t.early_finish for t in s)


@SETTINGS
@given(networks(calendars=False, elapsed=False))
def test_the_critical_path_ends_the_project(net):
    # One calendar: across calendars a finish-to-finish successor may end at the working time
    # equivalent to, but before, a predecessor that ends the project in its non-working time.
    project = build(net)
    s = project.schedule()
    path = s.critical_path
    assert path, "a network without constraints always has a critical task"
    assert all(s[t].critical for t in path)
    assert s[path[-1]].early_finish == s.finish
    assert set(s.critical_tasks) >= set(path)


@SETTINGS
@given(networks(), st.randoms(use_true_random=False))
def test_the_order_of_tasks_and_links_changes_nothing(net, rnd: random.Random):
    def result(project: Project) -> dict[str, tuple[Any, ...]]:
        s = project.schedule()
        return {t.id: (t.start, t.finish, t.early_start, t.early_finish, t.late_start,
                       t.late_finish, t.total_float_minutes, t.free_float_minutes, t.critical)
                for t in s} | {"": (s.start, s.finish)}

    task_order = list(range(net["n"]))
    link_order = list(range(len(net["links"])))
    rnd.shuffle(task_order)
    rnd.shuffle(link_order)
    assert result(build(net)) == result(build(net, task_order=task_order,
                                              link_order=link_order))


@SETTINGS
@given(networks(max_tasks=6))
def test_records_have_exactly_the_public_fields(net):
    records = build(net).schedule().to_records()
    assert len(records) == net["n"]
    for record in records:
        assert set(record) == RECORD_KEYS
        assert isinstance(record["start"], dt.datetime)
        assert isinstance(record["total_float_minutes"], int)


@st.composite
def outlines(draw: st.DrawFn) -> tuple[Network, list[int]]:
    net = draw(networks(max_tasks=8))
    groups = draw(st.lists(st.integers(-1, 2), min_size=net["n"], max_size=net["n"]))
    return net, groups


@SETTINGS
@given(outlines())
def test_summaries_span_their_children(case):
    net, groups = case
    project = Project("Random", start=net["start"])
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    project.calendars["night"] = Calendar.night_shift(id="night")
    summaries = {g: project.add_task(f"Group {g}", id=f"G{g}") for g in sorted(set(groups))
                 if g >= 0}
    for i in range(net["n"]):
        parent = summaries[groups[i]] if groups[i] >= 0 else None
        project.add_task(f"Task {i}", net["durations"][i], id=f"T{i}", parent=parent,
                         calendar=net["calendars"][i])
    for i, j, kind, lag in net["links"]:
        project.link(f"T{i}", f"T{j}", kind, lag)
    s = project.schedule()
    for g, summary in summaries.items():
        kids = [s[f"T{i}"] for i in range(net["n"]) if groups[i] == g]
        if not kids:
            continue
        record = s[summary]
        assert record.summary
        assert record.start == min(k.start for k in kids)
        assert record.finish == max(k.finish for k in kids)
    for t in s:
        assert t.total_float_minutes >= 0, t
        assert t.early_start <= t.late_start, t
    check_links(project, s, finishes=False)
    assert s.finish == max(t.early_finish for t in s)


# ---------------------------------------------------------------------- rescheduling


def records(schedule: object) -> list[dict[str, object]]:
    return schedule.to_records()  # type: ignore[attr-defined, no-any-return]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.data())
def test_reschedule_after_duration_changes_equals_a_fresh_schedule(net: Network,
                                                                   data: st.DataObject) -> None:
    project = build(net)
    before = project.schedule()
    snapshot = records(before)
    changed = data.draw(st.lists(st.integers(0, net["n"] - 1), min_size=1, max_size=3,
                                 unique=True))
    for i in changed:
        project.task(f"T{i}").duration = data.draw(st.sampled_from([*WORKING, "3ed"]))
    again = before.reschedule([f"T{i}" for i in changed])
    assert records(again) == records(project.schedule())
    assert again.finish == project.schedule().finish
    assert records(before) == snapshot  # the earlier schedule is not changed


def test_reschedule_keeps_what_comes_before_the_change() -> None:
    project = Project("Chain", start="2027-01-04")
    a = project.add_task("A", "2d")
    b = project.add_task("B", "3d", after=a)
    c = project.add_task("C", "1d", after=b)
    first = project.schedule()
    b.duration = "5d"
    second = first.reschedule([b])
    assert second[a].finish == dt.datetime(2027, 1, 5, 17, 0)
    assert second[b].finish == dt.datetime(2027, 1, 12, 17, 0)  # Wed 6 + 5 days
    assert second[c].start == dt.datetime(2027, 1, 13, 8, 0)
    assert first[c].start == dt.datetime(2027, 1, 11, 8, 0)


def test_reschedule_after_a_structural_change_is_a_full_schedule() -> None:
    project = Project("Chain", start="2027-01-04")
    a = project.add_task("A", "2d")
    first = project.schedule()
    b = project.add_task("B", "1d", after=a)
    second = first.reschedule()
    assert b.id in second
    assert second[b].start == dt.datetime(2027, 1, 6, 8, 0)


def test_reschedule_after_linking_or_unlinking_tasks_is_a_full_schedule() -> None:
    # A (2d) and B (1d) from Monday 4 January; linked FS, B waits for A: Wednesday 6
    project = Project("Links", start="2027-01-04")
    a, b = project.add_task("A", "2d"), project.add_task("B", "1d")
    first = project.schedule()
    assert first[b].start == dt.datetime(2027, 1, 4, 8, 0)
    project.link(a, b)
    linked = first.reschedule()
    assert linked[b].start == dt.datetime(2027, 1, 6, 8, 0)
    project.unlink(a, b)
    assert linked.reschedule()[b].start == dt.datetime(2027, 1, 4, 8, 0)
    project.link(a, b, "SS", "1d")  # the same pair linked again, differently: Tuesday 5
    assert linked.reschedule()[b].start == dt.datetime(2027, 1, 5, 8, 0)
