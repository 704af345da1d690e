"""Split tasks in MSPDI: read from the gaps in the work MS Project saves, written the same way.

MS Project has no split element: a split task's assignment holds periods of work with, in
between, periods of no work on working days (``<Value>PT0H0M0S</Value>``); days off hold
periods without a value. The files below are built by hand in that shape (MS Project's own
periods: a day each, from 08:00 to 08:00 the next day, the last one ending at the finish),
on the standard calendar from Monday 1 March 2027. The oracle for what a split means is the
finish the file states: pmcore's schedule of the task read with its splits must end there.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from lxml import etree

import pmcore
from pmcore import Split
from pmcore.io.formats import ReadLimits
from pmcore.model import Project
from pmcore_msproject import MspdiReader, MspdiWriter

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "mspdi"
SCHEMA = SAMPLES / "schema" / "mspdi_pj15-correct.xsd"


def read_bytes(data: bytes) -> Project:
    return MspdiReader().read(io.BytesIO(data), source="split.xml", limits=ReadLimits())


def write(project: Project) -> bytes:
    buffer = io.BytesIO()
    MspdiWriter().write(project, buffer)
    return buffer.getvalue()


def day(kind: int, uid: int, date: int, value: str | None, end: str = "") -> str:
    finish = end or f"2027-03-{date + 1:02d}T08:00:00"
    text = "" if value is None else f"<Value>{value}</Value>"
    return (f"<TimephasedData><Type>{kind}</Type><UID>{uid}</UID>"
            f"<Start>2027-03-{date:02d}T08:00:00</Start><Finish>{finish}</Finish>"
            f"<Unit>2</Unit>{text}</TimephasedData>")


def plan(periods: str, *, resource: int = 1, progress: str = "",
         finish: str = "2027-03-08T17:00:00") -> bytes:
    resources = ('<Resources><Resource><UID>1</UID><ID>1</ID><Name>Ann</Name><Type>1</Type>'
                 '</Resource></Resources>') if resource > 0 else ""
    return (f'<?xml version="1.0"?>\n<Project xmlns="http://schemas.microsoft.com/project">'
            f"<Name>Split</Name><StartDate>2027-03-01T08:00:00</StartDate>"
            f"<Tasks><Task><UID>1</UID><ID>1</ID><Name>Install</Name><OutlineLevel>1</OutlineLevel>"
            f"<Start>2027-03-01T08:00:00</Start><Finish>{finish}</Finish>"
            f"<Duration>PT40H0M0S</Duration><DurationFormat>7</DurationFormat>{progress}"
            f"</Task></Tasks>{resources}<Assignments><Assignment><UID>5</UID><TaskUID>1</TaskUID>"
            f"<ResourceUID>{resource}</ResourceUID><Units>1</Units><Work>PT40H0M0S</Work>"
            f"{periods}</Assignment></Assignments></Project>").encode()


# Monday 1 and Tuesday 2 worked, no work on Wednesday 3, Thursday 4 and Friday 5 worked, the
# weekend (no values), Monday 8 worked until 17:00: 5 days of work, a one-day split.
WEEK = "".join([day(1, 5, 1, "PT8H0M0S"), day(1, 5, 2, "PT8H0M0S"), day(1, 5, 3, "PT0H0M0S"),
                day(1, 5, 4, "PT8H0M0S"), day(1, 5, 5, "PT8H0M0S"), day(1, 5, 6, None),
                day(1, 5, 7, None), day(1, 5, 8, "PT8H0M0S", "2027-03-08T17:00:00")])


@pytest.mark.parametrize("resource", [1, -65535])
def test_a_day_without_work_is_a_split_and_the_schedule_ends_at_the_saved_finish(
        resource: int) -> None:
    project = read_bytes(plan(WEEK, resource=resource))
    task = project.task("T1")
    assert task.splits == (Split("2d", "1d"),)
    schedule = project.schedule()
    assert schedule["T1"].finish == dt.datetime(2027, 3, 8, 17)  # the file's Finish
    assert schedule["T1"].splits[0] == (dt.datetime(2027, 3, 1, 8), dt.datetime(2027, 3, 2, 17))


def test_a_malformed_work_period_reads_no_splits_a_malformed_baseline_period_is_ignored() -> None:
    broken = day(1, 5, 9, "PT8H0M0S", "2008-12-04T17:-0:00")  # a minute seen in a real file
    assert read_bytes(plan(WEEK + broken)).task("T1").splits == ()
    baseline = broken.replace("<Type>1</Type>", "<Type>4</Type>")
    assert read_bytes(plan(WEEK + baseline)).task("T1").splits == (Split("2d", "1d"),)


def test_days_off_without_values_are_not_splits() -> None:
    no_gap = WEEK.replace("PT0H0M0S", "PT8H0M0S")
    project = read_bytes(plan(no_gap, finish="2027-03-05T17:00:00"))
    assert project.task("T1").splits == ()


def test_the_status_date_gap_of_a_task_in_progress_is_not_a_split() -> None:
    # one day done (actual work Monday 1); the rest waits for the status date (no work on
    # Tuesday 2 and Wednesday 3), then Thursday 4 worked, Friday 5 not (a split), then the last
    # three days
    periods = "".join([day(2, 5, 1, "PT8H0M0S"), day(1, 5, 2, "PT0H0M0S"),
                       day(1, 5, 3, "PT0H0M0S"), day(1, 5, 4, "PT8H0M0S"),
                       day(1, 5, 5, "PT0H0M0S"), day(1, 5, 8, "PT8H0M0S"),
                       day(1, 5, 9, "PT8H0M0S"), day(1, 5, 10, "PT8H0M0S",
                                                     "2027-03-10T17:00:00")])
    progress = ("<ActualStart>2027-03-01T08:00:00</ActualStart>"
                "<PercentComplete>20</PercentComplete>")
    project = read_bytes(plan(periods, progress=progress, finish="2027-03-11T17:00:00"))
    assert project.task("T1").splits == (Split("2d", "1d"),)
    schedule = project.schedule(status_date="2027-03-03T17:00")
    assert schedule["T1"].finish == dt.datetime(2027, 3, 10, 17)


def test_splits_survive_a_write_and_a_read_and_validate() -> None:
    project = Project("Split", start="2027-03-01T08:00")
    ann = project.add_resource("Ann")
    staffed = project.add_task("Install", "5d", splits=[("2d", "1d")])
    project.assign(staffed, ann, units=0.5)
    alone = project.add_task("Cable", "3d", splits=[("4h", "2d"), ("2d", "4h")])
    project.schedule().apply()
    data = write(project)
    again = read_bytes(data)
    assert again.task(staffed.id).splits == (Split("2d", "1d"),)
    assert again.task(alone.id).splits == (Split("0.5d", "2d"), Split("2d", "0.5d"))
    assert [a.id for a in again.assignments] == [a.id for a in project.assignments]
    assert again.schedule()[alone.id].finish == project.schedule()[alone.id].finish
    # half-time Ann works 4 h a day: the periods carry her work, the gap none
    root = etree.fromstring(data)
    ns = {"m": "http://schemas.microsoft.com/project"}
    values = root.xpath("//m:Assignment[m:ResourceUID!='-65535']/m:TimephasedData/m:Value/text()",
                        namespaces=ns)
    assert values == ["PT8H0M0S", "PT0H0M0S", "PT12H0M0S"]
    if SCHEMA.is_file():
        schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
        assert schema.validate(root), schema.error_log.last_error


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="MSPDI samples not found")
def test_no_sample_has_a_split_task() -> None:
    # the samples' assignments have days off without values and no gaps on working days
    for path in sorted(SAMPLES.glob("*.xml")):
        project = pmcore.read(path, plugins=_plugins())
        assert [t.id for t in project.tasks if t.splits] == [], path.name


def _plugins() -> pmcore.plugins.PluginManager:
    import pmcore_msproject

    return pmcore.plugins.make_plugin_manager(entry_points=False, plugins=[pmcore_msproject])
