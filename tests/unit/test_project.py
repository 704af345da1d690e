"""The project aggregate: building a plan, its outline, its links, and what rolls up.

Oracles: hand-numbered outlines (1, 1.1, 1.2.1, ...), hand-traced dependency loops, and
Microsoft Project's rules: a new project starts at 08:00 and finishes at 17:00 on a bare date;
tasks cannot be linked to their own summary tasks; circular links are refused, including those
through a summary task; deleted tasks' unique ids are not reused; a summary's % complete is
the duration-weighted mean over the tasks below it, sum(pc_i * dur_i) / sum(dur_i).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmcore.errors import CycleError, UnknownReferenceError, ValidationError
from pmcore.model import (
    Calendar,
    Duration,
    DurationUnit,
    LinkType,
    Project,
    ScheduleFrom,
    Task,
)

T = dt.datetime


def snapshot(project: Project) -> tuple[object, ...]:
    """Everything a refused change must leave as it was."""
    return (
        [(t.id, t.parent, project.outline_number(t)) for t in project.tasks],
        [(d.predecessor, d.successor, d.type, d.lag) for d in project.dependencies],
    )


def assert_loop(cycle: tuple[str, ...], *order: str) -> None:
    """``cycle`` is the loop ``order`` (from any starting task), closed by its first id."""
    assert cycle[0] == cycle[-1], cycle
    body = list(cycle[:-1])
    assert len(body) == len(order), cycle
    start = body.index(order[0]) if order[0] in body else -1
    assert start >= 0, cycle
    assert body[start:] + body[:start] == list(order), cycle


@pytest.fixture
def erp() -> Project:
    """The example from the docs."""
    return Project("ERP upgrade", start="2027-01-04")


@pytest.fixture
def wbs() -> Project:
    """
    1     Phase A          T1
    1.1     Design         T2
    1.2     Build          T3
    1.2.1     Code         T4
    1.2.2     Test         T5
    2     Phase B          T6
    2.1     Deploy         T7
    3     Go-live          T8 (milestone)
    """
    p = Project("WBS")
    a = p.add_task("Phase A")
    p.add_task("Design", "5d", parent=a)
    build = p.add_task("Build", parent=a)
    p.add_task("Code", "10d", parent=build)
    p.add_task("Test", "5d", parent=build)
    b = p.add_task("Phase B")
    p.add_task("Deploy", "2d", parent=b)
    p.add_milestone("Go-live")
    return p


# --------------------------------------------------------------------------- the project itself


def test_the_fluent_example(erp):
    design = erp.add_task("Design", duration="10d")
    build = erp.add_task("Build", duration="4w", after=design)
    assert (design.id, build.id) == ("T1", "T2")
    assert build.duration == Duration(4, DurationUnit.WEEKS)
    assert erp.outline_number(build) == "2"
    (link,) = erp.dependencies
    assert (link.predecessor, link.successor, link.type, link.lag) == (
        "T1", "T2", LinkType.FS, Duration.ZERO)


def test_a_bare_start_date_starts_at_eight_and_a_bare_finish_ends_at_five():
    p = Project("P", start="2027-01-04", finish="2027-03-31")
    assert p.start == T(2027, 1, 4, 8, 0)
    assert p.finish == T(2027, 3, 31, 17, 0)


def test_an_explicit_start_time_is_kept():
    assert Project("P", start="2027-01-04T09:30").start == T(2027, 1, 4, 9, 30)


def test_default_start_and_finish_times_can_be_changed():
    p = Project("P", start="2027-01-04", finish="2027-01-29", default_start_time=dt.time(7),
                default_finish_time=dt.time(15, 30))
    assert p.start == T(2027, 1, 4, 7, 0)
    assert p.finish == T(2027, 1, 29, 15, 30)


def test_a_project_cannot_finish_before_it_starts():
    with pytest.raises(ValidationError, match="before start") as info:
        Project("P", start="2027-02-01", finish="2027-01-29")
    assert str(info.value).startswith("project 'P'.finish: ")


def test_scheduling_from_the_finish_needs_a_finish():
    with pytest.raises(ValidationError, match="needs a finish date"):
        Project("P", schedule_from="finish")
    p = Project("P", schedule_from="finish", finish="2027-06-30")
    assert p.schedule_from is ScheduleFrom.FINISH


def test_an_unknown_schedule_from_is_a_validation_error():
    with pytest.raises(ValidationError, match="'middle' is not one of") as info:
        Project("P", schedule_from="middle")
    assert info.value.field == "schedule_from"


def test_a_project_name_must_be_text():
    with pytest.raises(ValidationError, match="must be text"):
        Project(42)


def test_each_project_gets_its_own_id():
    assert Project("A").id != Project("A").id


def test_repr_summarises(erp):
    erp.add_task("Design", "10d")
    assert repr(erp) == ("Project('ERP upgrade', start='2027-01-04', tasks=1, dependencies=0, "
                         "calendars=1)")


# --------------------------------------------------------------------------- adding tasks


def test_ids_are_numbered_from_t1(erp):
    assert [erp.add_task(name).id for name in "abc"] == ["T1", "T2", "T3"]


def test_explicit_ids(erp):
    design = erp.add_task("Design", id="DES")
    assert design.id == "DES"
    assert erp.task("DES") is design
    assert erp.add_task("Build").id == "T1"


def test_automatic_ids_never_collide_with_explicit_ones(erp):
    erp.add_task("Taken", id="T2")
    ids = [erp.add_task(f"t{i}").id for i in range(3)]
    assert "T2" not in ids
    assert len(set(ids)) == 3
    assert len(erp) == 4


def test_ids_of_removed_tasks_are_not_reused(erp):
    # MS Project never reuses a deleted task's Unique ID.
    erp.add_task("a")
    b = erp.add_task("b")
    erp.remove_task(b)
    assert erp.add_task("c").id == "T3"


def test_a_duplicate_id_is_refused(erp):
    erp.add_task("Design", id="DES")
    before = snapshot(erp)
    with pytest.raises(ValidationError) as info:
        erp.add_task("Design again", id="DES")
    assert str(info.value) == "task 'DES'.id: id 'DES' is already used by another task"
    assert snapshot(erp) == before


@pytest.mark.parametrize("bad", ["", " DES", "x\ny"])
def test_an_invalid_explicit_id_is_refused(erp, bad):
    with pytest.raises(ValidationError, match="printable"):
        erp.add_task("Design", id=bad)
    assert len(erp) == 0


def test_add_milestone(erp):
    design = erp.add_task("Design", "10d")
    gate = erp.add_milestone("Design approved", after=design)
    assert gate.duration == Duration.ZERO
    assert gate.milestone
    assert gate.is_milestone
    assert erp.milestones == (gate,)
    assert [d.predecessor for d in erp.predecessors(gate)] == [design.id]


def test_a_zero_duration_task_is_a_milestone_by_default(erp):
    assert erp.add_task("Gate", "0d").milestone
    assert not erp.add_task("Work", "1d").milestone
    assert not erp.add_task("Unestimated").milestone


def test_add_task_passes_other_fields_to_the_task(erp):
    task = erp.add_task("Design", "3d", priority=800, constraint=("SNET", "2027-02-01T08:00"),
                        custom_fields={"risk": "high"}, notes="n")
    assert task.priority == 800
    assert task.constraint.date == T(2027, 2, 1, 8)
    assert task.custom_fields == {"risk": "high"}


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"after": "T99"}, UnknownReferenceError),
        ({"parent": "T99"}, UnknownReferenceError),
        ({"calendar": "nope"}, UnknownReferenceError),
        ({"priority": 5000}, ValidationError),
        ({"duration": "3 fortnights"}, ValidationError),
    ],
)
def test_a_refused_task_is_not_added(erp, kwargs, error):
    erp.add_task("Existing")
    before = snapshot(erp)
    with pytest.raises(error):
        erp.add_task("New", **kwargs)
    assert snapshot(erp) == before
    assert erp.add_task("Next").id == "T2"


def test_a_task_whose_link_is_refused_is_not_added(wbs):
    before = snapshot(wbs)
    with pytest.raises(ValidationError, match="own summary"):
        wbs.add_task("Review", "1d", parent="T1", after="T1")
    assert snapshot(wbs) == before
    assert wbs.add_task("Next").id == "T9"


def test_a_task_after_the_same_task_twice_is_not_added(erp):
    design = erp.add_task("Design")
    before = snapshot(erp)
    with pytest.raises(ValidationError, match="already linked"):
        erp.add_task("Build", after=[design, design])
    assert snapshot(erp) == before


def test_a_task_with_an_unknown_calendar_names_the_task(erp):
    with pytest.raises(UnknownReferenceError) as info:
        erp.add_task("Night batch", calendar="night-shift")
    assert str(info.value) == "task 'T1' (Night batch).calendar: unknown calendar id 'night-shift'"


def test_after_several_tasks(erp):
    a, b = erp.add_task("a"), erp.add_task("b")
    c = erp.add_task("c", after=[a, b.id])
    assert [(d.predecessor, d.successor) for d in erp.predecessors(c)] == [
        ("T1", "T3"), ("T2", "T3")]


# --------------------------------------------------------------------------- finding tasks


def test_task_lookup(wbs):
    design = wbs.task("T2")
    assert wbs["T2"] is design
    assert wbs.task(design) is design
    assert "T2" in wbs
    assert design in wbs
    assert "T99" not in wbs
    assert 3 not in wbs
    assert len(wbs) == 8
    assert [t.id for t in wbs] == [f"T{i}" for i in range(1, 9)]


def test_an_unknown_task_is_a_lookup_error_naming_the_project(wbs):
    with pytest.raises(LookupError) as info:
        wbs.task("T99")
    assert isinstance(info.value, UnknownReferenceError)
    assert str(info.value) == "project 'WBS': unknown task id 'T99'"


def test_a_task_of_another_project_is_not_found(wbs):
    stranger = Task(id="X1", name="Stranger")
    with pytest.raises(UnknownReferenceError):
        wbs.task(stranger)


def test_find_by_name(wbs):
    assert wbs.find("Deploy").id == "T7"
    with pytest.raises(UnknownReferenceError, match="no task is named so"):
        wbs.find("Nothing")
    wbs.add_task("Deploy")
    with pytest.raises(UnknownReferenceError, match="2 tasks are named so"):
        wbs.find("Deploy")


# --------------------------------------------------------------------------- the outline


def test_outline_numbers_levels_and_wbs_codes(wbs):
    expected = {"T1": ("1", 1), "T2": ("1.1", 2), "T3": ("1.2", 2), "T4": ("1.2.1", 3),
                "T5": ("1.2.2", 3), "T6": ("2", 1), "T7": ("2.1", 2), "T8": ("3", 1)}
    for task_id, (number, level) in expected.items():
        assert wbs.outline_number(task_id) == number
        assert wbs.outline_level(task_id) == level
        assert wbs.wbs_code(task_id) == number


def test_a_custom_wbs_code_replaces_the_outline_number(wbs):
    wbs.task("T4").wbs = "A-100"
    assert wbs.wbs_code("T4") == "A-100"
    assert wbs.outline_number("T4") == "1.2.1"


def test_tasks_are_in_outline_order_not_creation_order():
    p = Project("P")
    a = p.add_task("A")
    b = p.add_task("B")
    a1 = p.add_task("A1", parent=a)
    b1 = p.add_task("B1", parent=b)
    a2 = p.add_task("A2", parent=a)
    assert [t.name for t in p.tasks] == ["A", "A1", "A2", "B", "B1"]
    assert [p.outline_number(t) for t in (a1, a2, b1)] == ["1.1", "1.2", "2.1"]


def test_parent_children_ancestors_descendants(wbs):
    assert wbs.parent("T4").id == "T3"
    assert wbs.parent("T1") is None
    assert [t.id for t in wbs.children()] == ["T1", "T6", "T8"]
    assert [t.id for t in wbs.children("T1")] == ["T2", "T3"]
    assert wbs.children("T2") == ()
    assert [t.id for t in wbs.ancestors("T4")] == ["T3", "T1"]
    assert wbs.ancestors("T1") == ()
    assert [t.id for t in wbs.descendants("T1")] == ["T2", "T3", "T4", "T5"]
    assert wbs.descendants("T4") == ()


def test_summary_work_and_milestone_tasks(wbs):
    assert [t.id for t in wbs.summary_tasks] == ["T1", "T3", "T6"]
    assert [t.id for t in wbs.work_tasks] == ["T2", "T4", "T5", "T7", "T8"]
    assert [t.id for t in wbs.milestones] == ["T8"]
    assert wbs.is_summary("T3")
    assert not wbs.is_summary("T4")


def test_move_a_task_under_another_parent_at_a_position(wbs):
    wbs.move_task("T7", parent="T1", index=0)
    assert [(t.id, wbs.outline_number(t)) for t in wbs.tasks] == [
        ("T1", "1"), ("T7", "1.1"), ("T2", "1.2"), ("T3", "1.3"), ("T4", "1.3.1"),
        ("T5", "1.3.2"), ("T6", "2"), ("T8", "3")]
    assert wbs.task("T7").parent == "T1"
    assert not wbs.is_summary("T6")  # Phase B lost its only child


def test_move_a_task_with_its_subtree(wbs):
    wbs.move_task("T3", parent="T6")
    assert [wbs.outline_number(t) for t in ("T6", "T7", "T3", "T4", "T5")] == [
        "2", "2.1", "2.2", "2.2.1", "2.2.2"]
    assert [t.id for t in wbs.ancestors("T5")] == ["T3", "T6"]


def test_move_a_task_to_the_top_level(wbs):
    wbs.move_task("T4")
    assert wbs.task("T4").parent is None
    assert wbs.outline_number("T4") == "4"
    assert wbs.outline_number("T5") == "1.2.1"


def test_move_a_task_within_its_siblings(wbs):
    wbs.move_task("T8", index=0)
    assert [wbs.outline_number(t) for t in ("T8", "T1", "T2", "T6")] == ["1", "2", "2.1", "3"]


def test_a_task_cannot_move_under_its_own_subtree(wbs):
    before = snapshot(wbs)
    with pytest.raises(CycleError) as info:
        wbs.move_task("T1", parent="T4")
    # T1 would be T4's child, T4 is T3's, T3 is T1's.
    assert info.value.cycle == ("T1", "T4", "T3", "T1")
    assert "outline cycle" in str(info.value)
    assert snapshot(wbs) == before


def test_a_task_cannot_move_under_itself(wbs):
    before = snapshot(wbs)
    with pytest.raises(CycleError) as info:
        wbs.move_task("T3", parent="T3")
    assert info.value.cycle == ("T3", "T3")
    assert snapshot(wbs) == before


def test_a_move_that_closes_a_dependency_loop_is_refused():
    p = Project("P")
    s = p.add_task("Summary")
    p.add_task("Child", "1d", parent=s)
    x = p.add_task("X", "1d")
    y = p.add_task("Y", "1d")
    p.link(x, s)  # X before everything in S
    p.link(y, x)  # Y before X
    before = snapshot(p)
    # Under S, Y would have to wait for X, which waits for Y.
    with pytest.raises(CycleError) as info:
        p.move_task(y, parent=s)
    assert_loop(info.value.cycle, s.id, y.id, x.id)
    assert snapshot(p) == before
    assert p.task(y).parent is None


@pytest.mark.parametrize("kind", ["SS", "FS", "FF", "SF"])
def test_a_move_under_a_linked_task_is_refused(kind):
    # MS Project refuses a link between a task and its own summary; a move must not create one.
    p = Project("P")
    a = p.add_task("A", "2d")
    b = p.add_task("B", "1d")
    p.link(a, b, kind)
    before = snapshot(p)
    with pytest.raises(ValidationError):
        p.move_task(b, parent=a)
    assert snapshot(p) == before
    with pytest.raises(ValidationError):
        p.move_task(a, parent=b)
    assert snapshot(p) == before


def test_a_move_under_a_task_linked_to_a_descendant_is_refused(wbs):
    wbs.link("T5", "T7", "SS")
    before = snapshot(wbs)
    with pytest.raises(ValidationError, match="own summary"):
        wbs.move_task("T3", parent="T7")  # T5 would sit under T7
    assert snapshot(wbs) == before


def test_remove_task_removes_its_subtree_and_links(wbs):
    wbs.link("T2", "T4")
    wbs.link("T5", "T7")
    wbs.link("T2", "T7", "SS")
    removed = wbs.remove_task("T3")
    assert [t.id for t in removed] == ["T3", "T4", "T5"]
    assert [t.id for t in wbs.tasks] == ["T1", "T2", "T6", "T7", "T8"]
    assert [(d.predecessor, d.successor) for d in wbs.dependencies] == [("T2", "T7")]
    assert wbs.predecessors("T7")[0].type is LinkType.SS
    assert [wbs.outline_number(t) for t in ("T2", "T6", "T7")] == ["1.1", "2", "2.1"]
    assert "T4" not in wbs
    with pytest.raises(UnknownReferenceError):
        wbs.task("T5")


def test_removing_the_last_child_makes_a_summary_a_work_task(wbs):
    wbs.remove_task("T7")
    assert not wbs.is_summary("T6")
    assert [t.id for t in wbs.work_tasks] == ["T2", "T4", "T5", "T6", "T8"]


def test_a_former_summary_can_link_to_its_former_children_after_a_move(wbs):
    wbs.move_task("T7")
    wbs.link("T6", "T7")
    assert [(d.predecessor, d.successor) for d in wbs.dependencies] == [("T6", "T7")]


# --------------------------------------------------------------------------- links


@pytest.mark.parametrize(
    ("kind", "lag", "lead"),
    [("FS", "0d", False), ("SS", "2d", False), ("FF", "-1d", True), ("SF", "4h", False),
     ("FS", "50%", False), ("FS", "-25%", True), ("SS", "1.5ed", False), ("FS", 3, False)],
)
def test_link_types_and_lags(erp, kind, lag, lead):
    a, b = erp.add_task("A", "4d"), erp.add_task("B", "2d")
    link = erp.link(a, b, kind, lag)
    assert link.type is LinkType(kind)
    assert link.lag == (Duration.parse(lag) if isinstance(lag, str) else Duration(lag))
    assert link.is_lead is lead
    assert erp.dependencies == (link,)


def test_link_accepts_ids_and_link_type_members(erp):
    erp.add_task("A")
    erp.add_task("B")
    link = erp.link("T1", "T2", type=LinkType.SS, lag=Duration.days(1))
    assert (link.predecessor, link.successor, link.type) == ("T1", "T2", LinkType.SS)


def test_an_unknown_link_type_is_refused(erp):
    a, b = erp.add_task("A"), erp.add_task("B")
    with pytest.raises(ValidationError, match="is not one of") as info:
        erp.link(a, b, "XX")
    assert info.value.field == "type"
    assert erp.dependencies == ()


def test_linking_an_unknown_task_is_refused(erp):
    a = erp.add_task("A")
    with pytest.raises(UnknownReferenceError):
        erp.link(a, "T9")
    with pytest.raises(UnknownReferenceError):
        erp.link("T9", a)
    assert erp.dependencies == ()


def test_a_task_cannot_be_linked_to_itself(erp):
    a = erp.add_task("A")
    with pytest.raises(ValidationError, match="cannot depend on itself"):
        erp.link(a, a)


def test_a_pair_of_tasks_has_at_most_one_link(erp):
    a, b = erp.add_task("A"), erp.add_task("B")
    erp.link(a, b)
    with pytest.raises(ValidationError, match="already linked"):
        erp.link(a, b, "SS")
    with pytest.raises(ValidationError, match="already linked"):
        erp.link(b, a)  # the other way round is also a second link between them
    assert len(erp.dependencies) == 1


@pytest.mark.parametrize(("low", "high"), [("T2", "T1"), ("T4", "T3"), ("T4", "T1")])
def test_a_task_cannot_be_linked_to_its_own_summary(wbs, low, high):
    before = snapshot(wbs)
    for pred, succ in ((low, high), (high, low)):
        with pytest.raises(ValidationError, match="own summary task") as info:
            wbs.link(pred, succ)
        assert f"task {low!r} cannot be linked to its own summary task {high!r}" in str(
            info.value)
    assert snapshot(wbs) == before


def test_summary_tasks_can_be_linked_to_each_other(wbs):
    wbs.link("T1", "T6")
    wbs.link("T3", "T7")
    assert len(wbs.dependencies) == 2


def test_a_link_closing_a_loop_is_refused_and_lists_the_loop(erp):
    a, b, c = erp.add_task("A"), erp.add_task("B"), erp.add_task("C")
    erp.link(a, b)
    erp.link(b, c)
    before = snapshot(erp)
    with pytest.raises(CycleError) as info:
        erp.link(c, a)
    assert info.value.cycle == ("T3", "T1", "T2", "T3")
    assert re.search(r"dependency cycle: T3\b.* -> T1\b.* -> T2\b.* -> T3\b", str(info.value))
    assert snapshot(erp) == before


def test_a_two_task_loop_is_refused_as_a_duplicate_pair(erp):
    a, b = erp.add_task("A"), erp.add_task("B")
    erp.link(a, b, "SS")
    with pytest.raises(ValidationError):
        erp.link(b, a, "FF")


@pytest.mark.parametrize("closing", ["FS", "SS", "FF", "SF"])
def test_loops_are_refused_whatever_the_link_types(erp, closing):
    a, b, c = erp.add_task("A"), erp.add_task("B"), erp.add_task("C")
    erp.link(a, b, "SS")
    erp.link(b, c, "FF")
    with pytest.raises(CycleError) as info:
        erp.link(c, a, closing)
    assert_loop(info.value.cycle, "T1", "T2", "T3")


def test_a_long_loop_lists_every_task(erp):
    tasks = [erp.add_task(f"t{i}") for i in range(6)]
    for before, after in itertools.pairwise(tasks):
        erp.link(before, after)
    with pytest.raises(CycleError) as info:
        erp.link(tasks[-1], tasks[0])
    assert info.value.cycle == ("T6", "T1", "T2", "T3", "T4", "T5", "T6")


def test_a_loop_through_a_summary_task_is_refused():
    # A -> summary S where S's child C -> A: S cannot start until A finishes, A waits for C,
    # and C cannot start before S does.
    p = Project("P")
    a = p.add_task("A", "1d")
    s = p.add_task("S")
    c = p.add_task("C", "1d", parent=s)
    p.link(c, a)
    before = snapshot(p)
    with pytest.raises(CycleError) as info:
        p.link(a, s)
    assert info.value.cycle == (a.id, s.id, c.id, a.id)
    assert snapshot(p) == before


def test_a_loop_through_a_summary_task_the_other_way_round():
    p = Project("P")
    a = p.add_task("A", "1d")
    s = p.add_task("S")
    c = p.add_task("C", "1d", parent=s)
    p.link(a, s)
    with pytest.raises(CycleError) as info:
        p.link(c, a)
    assert info.value.cycle == (c.id, a.id, s.id, c.id)


def test_a_loop_between_children_of_linked_summaries_is_refused(wbs):
    wbs.link("T1", "T6")  # Phase A before Phase B
    with pytest.raises(CycleError) as info:
        wbs.link("T7", "T2")  # Deploy (in B) before Design (in A)
    assert_loop(info.value.cycle, "T2", "T1", "T6", "T7")


def test_a_summary_link_does_not_make_a_false_loop(wbs):
    # Phase A SS Deploy and Design FS Phase B go the same way round: no loop.
    wbs.link("T1", "T7", "SS")
    wbs.link("T2", "T6")
    wbs.link("T5", "T8")
    assert len(wbs.dependencies) == 3


def test_adding_children_keeps_summary_links_loop_free(erp):
    a = erp.add_task("A", "1d")
    s = erp.add_task("S", "1d")
    erp.link(a, s)
    child = erp.add_task("Child", "1d", parent=s)  # S becomes a summary
    with pytest.raises(CycleError):
        erp.link(child, a)


def test_unlink(erp):
    a, b, c = erp.add_task("A"), erp.add_task("B"), erp.add_task("C")
    erp.link(a, b)
    erp.link(b, c, "SS", "1d")
    removed = erp.unlink(a, b)
    assert (removed.predecessor, removed.successor) == ("T1", "T2")
    assert [(d.predecessor, d.successor) for d in erp.dependencies] == [("T2", "T3")]
    assert erp.predecessors(b) == ()
    # The loop that link would have closed is gone with it.
    erp.link(c, a)
    assert len(erp.dependencies) == 2


def test_unlink_refuses_a_link_that_does_not_exist(erp):
    a, b = erp.add_task("A"), erp.add_task("B")
    erp.link(a, b)
    with pytest.raises(UnknownReferenceError) as info:
        erp.unlink(b, a)  # direction matters
    assert info.value.kind == "dependency"
    assert info.value.reference == "T2->T1"
    assert len(erp.dependencies) == 1


def test_predecessors_and_successors(erp):
    a, b, c, d = (erp.add_task(n) for n in "abcd")
    erp.link(a, c)
    erp.link(b, c, "SS")
    erp.link(c, d, "FF", "-1d")
    assert [x.predecessor for x in erp.predecessors(c)] == ["T1", "T2"]
    assert [x.successor for x in erp.successors(c)] == ["T4"]
    assert erp.predecessors(a) == ()
    assert erp.successors(d) == ()
    assert [x.successor for x in erp.successors(a)] == ["T3"]


def test_dependencies_are_in_the_order_they_were_added(erp):
    a, b, c = erp.add_task("a"), erp.add_task("b"), erp.add_task("c")
    erp.link(b, c)
    erp.link(a, c)
    erp.link(a, b)
    assert [d.id for d in erp.dependencies] == ["T2->T3", "T1->T3", "T1->T2"]


# --------------------------------------------------------------------------- rollup


def test_rollup_percent_complete_is_weighted_by_duration():
    p = Project("P")
    s = p.add_task("Phase")
    p.add_task("a", "10d", parent=s, percent_complete=50)
    p.add_task("b", "5d", parent=s, percent_complete=100)
    p.add_task("c", "1w", parent=s, percent_complete=0)
    p.add_milestone("gate", parent=s, percent_complete=100)
    rollup = p.rollup(s)
    # (10*50 + 5*100 + 5*0) / (10 + 5 + 5) = 50; the milestone weighs nothing.
    assert rollup.percent_complete == pytest.approx(50.0)
    assert rollup.work_items == 4
    assert rollup.milestones == 1


def test_rollup_mixes_units_through_the_calendar_options():
    p = Project("P")
    s = p.add_task("Phase")
    p.add_task("a", "2w", parent=s, percent_complete=30)  # 10 days
    p.add_task("b", "40h", parent=s, percent_complete=60)  # 5 days
    assert p.rollup(s).percent_complete == pytest.approx((10 * 30 + 5 * 60) / 15)


def test_rollup_weighs_leaf_tasks_at_every_level(wbs):
    for task_id, pc in (("T2", 100), ("T4", 50), ("T5", 0), ("T7", 100)):
        wbs.task(task_id).percent_complete = pc
    # Design 5d @100, Code 10d @50, Test 5d @0 -> (500 + 500 + 0) / 20.
    assert wbs.rollup("T1").percent_complete == pytest.approx(50.0)
    assert wbs.rollup("T3").percent_complete == pytest.approx(500 / 15)
    assert wbs.rollup("T1").work_items == 3


def test_rollup_of_only_milestones_is_complete_when_all_are():
    p = Project("P")
    s = p.add_task("Gates")
    m1 = p.add_milestone("m1", parent=s)
    p.add_milestone("m2", parent=s, percent_complete=100)
    assert p.rollup(s).percent_complete == 0.0
    m1.percent_complete = 100
    assert p.rollup(s).percent_complete == 100.0


def test_rollup_dates_and_working_duration():
    p = Project("P")
    s = p.add_task("Phase")
    p.add_task("a", "3d", parent=s, start="2027-01-06T08:00", finish="2027-01-08T17:00")
    p.add_task("b", "5d", parent=s, start="2027-01-04T08:00", finish="2027-01-08T17:00")
    p.add_task("c", "2d", parent=s, start="2027-01-14T08:00", finish="2027-01-15T17:00")
    p.add_task("d", "1d", parent=s)  # no dates yet
    rollup = p.rollup(s)
    assert rollup.start == T(2027, 1, 4, 8)
    assert rollup.finish == T(2027, 1, 15, 17)
    # Monday 4 Jan 08:00 to Friday 15 Jan 17:00 on Standard: two working weeks.
    assert rollup.duration == Duration(10, DurationUnit.DAYS)


def test_rollup_duration_follows_the_project_calendar():
    p = Project("P")
    p.calendars["standard"].add_holiday("Founders' day", "2027-01-11")
    s = p.add_task("Phase")
    p.add_task("a", "9d", parent=s, start="2027-01-04T08:00", finish="2027-01-15T17:00")
    assert p.rollup(s).duration == Duration(9, DurationUnit.DAYS)


def test_rollup_without_dates_has_none():
    p = Project("P")
    s = p.add_task("Phase")
    p.add_task("a", "1d", parent=s)
    rollup = p.rollup(s)
    assert (rollup.start, rollup.finish, rollup.duration) == (None, None, None)


def test_rollup_of_a_work_task_describes_the_task():
    p = Project("P")
    task = p.add_task("a", "2d", percent_complete=25, start="2027-01-04T08:00",
                      finish="2027-01-05T17:00")
    rollup = p.rollup(task)
    assert rollup.percent_complete == 25.0
    assert rollup.work_items == 1
    assert rollup.duration == Duration(2, DurationUnit.DAYS)


# --------------------------------------------------------------------------- calendars, fields


def test_task_calendar_must_exist_when_adding(erp):
    erp.calendars["night-shift"] = Calendar.night_shift()
    task = erp.add_task("Batch", "1d", calendar="night-shift")
    assert erp.task_calendar(task).working_minutes(dt.date(2027, 1, 5)) == 480


def test_define_field(erp):
    definition = erp.define_field("risk", "text", alias="Risk level", choices=["low", "high"])
    assert erp.field_definitions == {"risk": definition}
    assert definition.label == "Risk level"
    assert definition.applies_to == "task"


# --------------------------------------------------------------------------- properties

_operations = st.lists(
    st.tuples(st.sampled_from(["add", "add", "add", "move", "remove"]),
              st.integers(min_value=0, max_value=10_000),
              st.integers(min_value=0, max_value=10_000)),
    max_size=40,
)


@settings(deadline=None, max_examples=150)
@given(_operations)
def test_outline_numbers_are_unique_and_follow_the_parents(operations):
    p = Project("P")
    for op, first, second in operations:
        ids = [t.id for t in p.tasks]
        if op == "add":
            slot = first % (len(ids) + 1)
            parent = None if slot == len(ids) else ids[slot]
            p.add_task(f"t{len(ids)}", "1d", parent=parent)
        elif op == "move" and ids:
            moving = ids[first % len(ids)]
            target = None if second % (len(ids) + 1) == len(ids) else ids[second % len(ids)]
            below = {t.id for t in p.descendants(moving)} | {moving}
            if target in below:
                with pytest.raises(CycleError):
                    p.move_task(moving, parent=target)
            else:
                p.move_task(moving, parent=target)
        elif op == "remove" and ids:
            p.remove_task(ids[first % len(ids)])

    numbers = {t.id: p.outline_number(t) for t in p.tasks}
    assert len(set(numbers.values())) == len(numbers) == len(p)
    for parent in [None, *p.tasks]:
        for position, child in enumerate(p.children(parent), start=1):
            prefix = "" if parent is None else numbers[parent.id] + "."
            assert numbers[child.id] == f"{prefix}{position}"
            assert child.parent == (None if parent is None else parent.id)
    for task in p.tasks:
        assert p.outline_level(task) == len(p.ancestors(task)) + 1 == numbers[task.id].count(
            ".") + 1
    # Row order is the outline read top to bottom.
    keys = [tuple(int(n) for n in numbers[t.id].split(".")) for t in p.tasks]
    assert keys == sorted(keys)


# --- dates without a time of day take MS Project's default start/finish times --------------


def test_bare_dates_take_default_start_and_finish_times() -> None:
    project = Project("Times", start="2027-01-04")
    task = project.add_task("Cutover", "1d", deadline="2027-06-30",
                            constraint=("SNET", "2027-02-01"), actual_start="2027-01-05")
    late = project.add_task("Licence renewal", "1d", constraint=("FNLT", "2027-04-30"))
    must = project.add_task("Audit", "1d", constraint=("MFO", dt.date(2027, 5, 7)))
    assert task.deadline == dt.datetime(2027, 6, 30, 17, 0)
    assert task.constraint.date == dt.datetime(2027, 2, 1, 8, 0)
    assert task.actual_start == dt.datetime(2027, 1, 5, 8, 0)
    assert late.constraint.date == dt.datetime(2027, 4, 30, 17, 0)
    assert must.constraint.date == dt.datetime(2027, 5, 7, 17, 0)


def test_explicit_times_are_kept() -> None:
    project = Project("Times", start="2027-01-04")
    task = project.add_task("Cutover", "1d", constraint=("SNET", "2027-02-01T18:00"))
    assert task.constraint.date == dt.datetime(2027, 2, 1, 18, 0)


def test_default_times_follow_the_project_settings() -> None:
    project = Project("Shift", start="2027-01-04", default_start_time=dt.time(7, 0),
                      default_finish_time=dt.time(15, 30))
    task = project.add_task("Task", "1d", deadline="2027-03-01")
    assert project.start == dt.datetime(2027, 1, 4, 7, 0)
    assert task.deadline == dt.datetime(2027, 3, 1, 15, 30)


def test_remove_calendar_refuses_calendars_in_use() -> None:
    project = Project("Calendars")
    office = project.add_calendar("Office", base="standard")
    night = project.add_calendar("Night", base=office)
    project.add_task("Patch window", "4h", calendar=night.id)
    with pytest.raises(ValidationError, match="still used by calendar 'night'"):
        project.remove_calendar(office)
    with pytest.raises(ValidationError, match="still used by task 'T1'"):
        project.remove_calendar("night")
    with pytest.raises(UnknownReferenceError):
        project.remove_calendar("nope")
    project.calendar = office.id
    with pytest.raises(ValidationError, match="still used by project"):
        project.remove_calendar(office)
    project.calendar = "standard"
    project.task("T1").calendar = None
    assert project.remove_calendar("night") is night
    assert set(project.calendars) == {"standard", "office"}


def test_explicit_midnight_is_kept_and_bare_days_take_default_times() -> None:
    assert Project("A", start="2027-01-04T00:00").start == dt.datetime(2027, 1, 4, 0, 0)
    assert Project("B", start="2027-01-04").start == dt.datetime(2027, 1, 4, 8, 0)
    assert Project("C", start=dt.date(2027, 1, 4), status_date="2027-02-01").status_date == \
        dt.datetime(2027, 2, 1, 17, 0)
