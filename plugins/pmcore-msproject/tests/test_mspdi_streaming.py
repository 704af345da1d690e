"""The reader takes any element order, and streams big files in bounded memory."""

from __future__ import annotations

import gc
import io
import random
import tracemalloc
from pathlib import Path

import pytest
from lxml import etree

from pmcore.errors import FormatError
from pmcore.io.formats import ReadLimits
from pmcore.model import Duration, DurationUnit, Project
from pmcore_msproject import MspdiReader

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "mspdi"
SAMPLE_FILES = sorted(p.name for p in SAMPLES.glob("*.xml")) if SAMPLES.is_dir() else []
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"MSPDI samples not found at {SAMPLES} (../shared/samples/mspdi)")
NS = "http://schemas.microsoft.com/project"


def read_bytes(data: bytes, limits: ReadLimits | None = None) -> Project:
    return MspdiReader().read(io.BytesIO(data), source="test.xml", limits=limits or ReadLimits())


def content(project: Project) -> tuple[object, ...]:
    """Everything but the id, which a file without a GUID gets anew on every read."""
    return (project.name, project.start, project.finish, project.status_date,
            project.schedule_from, project.options, project.calendar, project.calendars,
            project.field_definitions, project.manager, project.notes, project.tasks,
            [project.outline_number(t) for t in project.tasks], project.dependencies,
            project.resources, project.assignments)


def shuffle_fields(element: etree._Element, rng: random.Random) -> None:
    """Shuffle the children of every element, keeping the order of same-named siblings.

    Fields of a record and the sections of the project move freely (``MinutesPerDay``
    after the tasks, ``Name`` after ``Duration``); lists keep their order, because there
    the order is data (the working times of a day, a task's predecessor links).
    """
    children = list(element)
    for child in children:
        shuffle_fields(child, rng)
    by_tag: dict[str, list[etree._Element]] = {}
    for child in children:
        by_tag.setdefault(str(child.tag), []).append(child)
    slots = [str(child.tag) for child in children]
    rng.shuffle(slots)
    for child in children:
        element.remove(child)
    for tag in slots:
        element.append(by_tag[tag].pop(0))


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_any_element_order_reads_the_same_project(name: str) -> None:
    original = (SAMPLES / name).read_bytes()
    root = etree.fromstring(original)
    shuffle_fields(root, random.Random(name))
    shuffled = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert shuffled != original
    assert content(read_bytes(shuffled)) == content(read_bytes(original))


def test_units_given_after_the_tasks_apply_to_them() -> None:
    # 2400 min = 1 working week at MinutesPerWeek 2400; DurationFormat 9 (weeks) and 21 (the
    # project's format) make it "1w", read right although both come after the tasks
    late = (f'<Project xmlns="{NS}"><Name>Late</Name><Tasks><Task><UID>1</UID><ID>1</ID>'
            "<Name>A</Name><OutlineLevel>1</OutlineLevel><Duration>PT40H0M0S</Duration>"
            "<DurationFormat>21</DurationFormat></Task></Tasks>"
            "<MinutesPerDay>480</MinutesPerDay><MinutesPerWeek>2400</MinutesPerWeek>"
            "<DurationFormat>9</DurationFormat></Project>").encode()
    (task,) = read_bytes(late).tasks
    assert task.duration == Duration(1, DurationUnit.WEEKS)
    # the same when the stream cannot be rewound: the whole file is read again from memory
    assert content(read_bytes(late)) == content(read_bytes(late))


def test_unknown_elements_anywhere_are_ignored() -> None:
    plain = (f'<Project xmlns="{NS}"><Name>P</Name><Tasks><Task><UID>1</UID><ID>1</ID>'
             "<Name>A</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>"
             "</Task></Tasks></Project>")
    extra = plain.replace("<Name>A</Name>", "<Name>A</Name><BuildNumber>16.0</BuildNumber>"
                          "<Future><Nested>1</Nested></Future>").replace(
        "<Tasks>", "<DefaultTaskEVMethod>0</DefaultTaskEVMethod><Tasks>")
    assert content(read_bytes(extra.encode())) == content(read_bytes(plain.encode()))


# ---------------------------------------------------------------------------- big files

TASK = """<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Task {uid}</Name><Type>0</Type>
<IsNull>0</IsNull><CreateDate>2027-01-04T08:00:00</CreateDate><WBS>{uid}</WBS>
<OutlineNumber>{uid}</OutlineNumber><OutlineLevel>1</OutlineLevel><Priority>500</Priority>
<Start>2027-01-04T08:00:00</Start><Finish>2027-01-04T17:00:00</Finish>
<Duration>PT8H0M0S</Duration><DurationFormat>7</DurationFormat><Work>PT8H0M0S</Work>
<ResumeValid>0</ResumeValid><EffortDriven>0</EffortDriven><Recurring>0</Recurring>
<OverAllocated>0</OverAllocated><Estimated>0</Estimated><Milestone>0</Milestone>
<Summary>0</Summary><Critical>0</Critical><IsSubproject>0</IsSubproject>
<IsSubprojectReadOnly>0</IsSubprojectReadOnly><ExternalTask>0</ExternalTask>
<EarlyStart>2027-01-04T08:00:00</EarlyStart><EarlyFinish>2027-01-04T17:00:00</EarlyFinish>
<LateStart>2027-01-04T08:00:00</LateStart><LateFinish>2027-01-04T17:00:00</LateFinish>
<StartVariance>0</StartVariance><FinishVariance>0</FinishVariance>
<WorkVariance>0.00</WorkVariance><FreeSlack>0</FreeSlack><TotalSlack>0</TotalSlack>
<FixedCost>0</FixedCost><FixedCostAccrual>3</FixedCostAccrual>
<PercentComplete>0</PercentComplete><PercentWorkComplete>0</PercentWorkComplete>
<Cost>0</Cost><OvertimeCost>0</OvertimeCost><OvertimeWork>PT0H0M0S</OvertimeWork>
<ActualDuration>PT0H0M0S</ActualDuration><ActualCost>0</ActualCost>
<ActualOvertimeCost>0</ActualOvertimeCost><ActualWork>PT0H0M0S</ActualWork>
<ActualOvertimeWork>PT0H0M0S</ActualOvertimeWork><RegularWork>PT8H0M0S</RegularWork>
<RemainingDuration>PT8H0M0S</RemainingDuration><RemainingCost>0</RemainingCost>
<RemainingWork>PT8H0M0S</RemainingWork><RemainingOvertimeCost>0</RemainingOvertimeCost>
<RemainingOvertimeWork>PT0H0M0S</RemainingOvertimeWork><ACWP>0.00</ACWP><CV>0.00</CV>
<ConstraintType>0</ConstraintType><CalendarUID>-1</CalendarUID>
<LevelAssignments>1</LevelAssignments><LevelingCanSplit>1</LevelingCanSplit>
<LevelingDelay>0</LevelingDelay><LevelingDelayFormat>8</LevelingDelayFormat>
<IgnoreResourceCalendar>0</IgnoreResourceCalendar><HideBar>0</HideBar><Rollup>0</Rollup>
<BCWS>0.00</BCWS><BCWP>0.00</BCWP><PhysicalPercentComplete>0</PhysicalPercentComplete>
<EarnedValueMethod>0</EarnedValueMethod>{link}<IsPublished>1</IsPublished>
<CommitmentType>0</CommitmentType></Task>
"""
LINK = ("<PredecessorLink><PredecessorUID>{uid}</PredecessorUID><Type>1</Type>"
        "<CrossProject>0</CrossProject><LinkLag>0</LinkLag><LagFormat>7</LagFormat>"
        "</PredecessorLink>")


def write_big_file(path: Path, tasks: int) -> None:
    """A flat plan as MS Project saves it: every field of every task, in a chain of links."""
    with path.open("w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="{NS}">'
                  "<Name>Big</Name><StartDate>2027-01-04T08:00:00</StartDate>"
                  "<MinutesPerDay>480</MinutesPerDay><Tasks>\n")
        for uid in range(1, tasks + 1):
            out.write(TASK.format(uid=uid, link=LINK.format(uid=uid - 1) if uid > 1 else ""))
        out.write("</Tasks></Project>\n")


def test_a_50_mb_file_streams_in_memory_bounded_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    write_big_file(path, 20_000)
    size = path.stat().st_size
    assert size > 45_000_000
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            project = MspdiReader().read(stream, source=str(path), limits=ReadLimits())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(project) == 20_000
    assert len(project.dependencies) == 19_999
    assert project.task("T20000").name == "Task 20000"
    # the project itself takes most of this; a DOM of the file would take several times it
    assert peak < 2 * size, f"peak {peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB file"


# ---------------------------------------------------------------------------- the collector

class _Watched(io.BytesIO):
    """A file that notes whether Python's cyclic garbage collector was on at each read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.collector: list[bool] = []

    def read(self, size: int | None = -1) -> bytes:
        self.collector.append(gc.isenabled())
        return super().read(size)


PLAIN = (f'<Project xmlns="{NS}"><Name>P</Name><Tasks><Task><UID>1</UID><ID>1</ID>'
         "<Name>A</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>"
         "</Task></Tasks></Project>").encode()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_paused_while_reading_and_left_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        stream = _Watched(PLAIN)
        project = MspdiReader().read(stream, source="test.xml", limits=ReadLimits())
        assert [t.name for t in project.tasks] == ["A"]
        assert stream.collector
        assert not any(stream.collector)
        assert gc.isenabled() is enabled
        with pytest.raises(FormatError):  # a failed read resumes it too
            MspdiReader().read(_Watched(PLAIN.replace(b"<UID>1", b"<UID>x")),
                               source="test.xml", limits=ReadLimits())
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
