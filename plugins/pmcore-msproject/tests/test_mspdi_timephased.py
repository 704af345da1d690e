"""Timephased data: read from the files MS Project saved, written back where it belongs.

The oracle is Microsoft Project itself: the period values it saved for an assignment add up to
the totals it saved for the same assignment (remaining work for type 1, actual work for type 2).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from lxml import etree

import pmcore_msproject
from pmcore.errors import FormatError
from pmcore.io.formats import ReadLimits
from pmcore.model import Duration, DurationUnit, Project
from pmcore_msproject import MspdiReader, MspdiWriter, Timephased, TimephasedValue, read_timephased

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "mspdi"
SCHEMA = SAMPLES / "schema" / "mspdi_pj15-correct.xsd"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"MSPDI samples not found at {SAMPLES} (../shared/samples/mspdi)")


def read_project(data: bytes) -> Project:
    return MspdiReader().read(io.BytesIO(data), source="t.xml", limits=ReadLimits())


@needs_samples
@pytest.mark.parametrize(("name", "type_", "total"), [
    ("mspdiassignmentcustom.xml", 1, "remaining_work"),
    ("assignment-assignments-project2010-mspdi.xml", 2, "actual_work"),
])
def test_period_values_add_up_to_the_totals_ms_project_saved(name: str, type_: int,
                                                              total: str) -> None:
    data = (SAMPLES / name).read_bytes()
    project = read_project(data)
    timephased = read_timephased(SAMPLES / name)
    owners = {v.owner for v in timephased if v.type == type_}
    assert owners, "the sample has period values of this type"
    for assignment in project.assignments:
        if assignment.id not in owners:
            continue
        expected = getattr(assignment, total).to_minutes(project.options)
        summed = timephased.total_work(assignment.id, type_).to_minutes(project.options)
        # MS Project writes each period to the second; the totals to a tenth of a minute
        assert summed == pytest.approx(expected, abs=1.0), assignment.id


@needs_samples
def test_values_are_kept_as_ms_project_wrote_them() -> None:
    timephased = read_timephased(SAMPLES / "assignment-assignments-project2010-mspdi.xml")
    # the first actual-work period of assignment UID 5, as saved in the file
    assert timephased.of("A5")[0] == TimephasedValue(
        owner="A5", type=2, start=dt.datetime(2016, 1, 4, 8), finish=dt.datetime(2016, 1, 5, 8),
        unit=1, value="PT8H0M0S")
    assert timephased.of("A5")[0].work == Duration(8, DurationUnit.HOURS)
    # the task's own values (Type 11) are kept under the task
    assert {v.type for v in timephased.of("T2")} == {11}
    records = timephased.to_records()
    assert len(records) == len(timephased) == 16
    assert set(records[0]) == {"owner", "type", "start", "finish", "unit", "value"}


@needs_samples
@pytest.mark.parametrize("name", ["mspdiassignmentcustom.xml",
                                  "assignment-assignments-project2010-mspdi.xml"])
def test_timephased_data_survives_a_write_and_validates(name: str) -> None:
    project = read_project((SAMPLES / name).read_bytes())
    timephased = read_timephased(SAMPLES / name)
    buffer = io.BytesIO()
    MspdiWriter(timephased=timephased).write(project, buffer)
    again = read_timephased(io.BytesIO(buffer.getvalue()))
    assert again == timephased
    assert read_project(buffer.getvalue()) == project
    if SCHEMA.is_file():
        schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
        document = etree.fromstring(buffer.getvalue())
        assert schema.validate(document), schema.error_log.last_error


def test_written_under_the_owner_with_its_written_uid() -> None:
    project = Project("p", start=dt.datetime(2026, 3, 2, 8))
    task = project.add_task("Build", duration="2d")
    worker = project.add_resource("Ann")
    assignment = project.assign(task, worker)
    value = TimephasedValue(owner=assignment.id, type=1, start=dt.datetime(2026, 3, 2, 8),
                            finish=dt.datetime(2026, 3, 3, 8), unit=2, value="PT8H0M0S")
    buffer = io.BytesIO()
    MspdiWriter(timephased=Timephased((value,))).write(project, buffer)
    root = etree.fromstring(buffer.getvalue())
    ns = {"m": "http://schemas.microsoft.com/project"}
    (written,) = root.xpath("//m:Assignment/m:TimephasedData", namespaces=ns)
    uid = root.xpath("string(//m:Assignment/m:UID)", namespaces=ns)
    assert [(e.tag.split("}")[1], e.text) for e in written] == [
        ("Type", "1"), ("UID", uid), ("Start", "2026-03-02T08:00:00"),
        ("Finish", "2026-03-03T08:00:00"), ("Unit", "2"), ("Value", "PT8H0M0S")]


def test_values_of_an_owner_the_project_lacks_are_refused() -> None:
    project = Project("p", start=dt.datetime(2026, 3, 2, 8))
    project.add_task("Build", duration="2d")
    stray = TimephasedValue(owner="A99", type=1, start=None, finish=None, unit=2, value="1")
    with pytest.raises(FormatError, match="A99"):
        MspdiWriter(timephased=Timephased((stray,))).write(project, io.BytesIO())


_FILE = b"""<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
 <Assignments>
  <Assignment><UID>3</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>
   <TimephasedData><Type>1</Type><UID>3</UID><Start>2008-12-04T08:00:00</Start>
    <Finish>2008-12-04T17:-0:00</Finish><Unit>2</Unit><Value>PT8H0M0S</Value></TimephasedData>
   <TimephasedData><Type>2</Type><UID>3</UID><Start>2008-12-05T08:00:00</Start>
    <Finish>2008-12-06T08:00:00</Finish><Unit>2</Unit><Value>PT4H0M0S</Value></TimephasedData>
  </Assignment>
  <Assignment><UID>4</UID><TaskUID>1</TaskUID><ResourceUID>-65535</ResourceUID>
   <TimephasedData><Type>1</Type><UID>4</UID><Start>2008-12-04T08:00:00</Start>
    <Finish>2008-12-05T08:00:00</Finish><Unit>2</Unit><Value>PT8H0M0S</Value></TimephasedData>
  </Assignment>
 </Assignments>
</Project>"""


def test_malformed_dates_are_counted_and_unowned_values_left_out() -> None:
    timephased = read_timephased(io.BytesIO(_FILE))
    # one value has the minute "-0" (seen in a real file): left out and counted; the values of
    # the assignment without a resource (UID -65535) are not pmcore's and are not kept
    assert timephased.skipped == 1
    assert [(v.owner, v.type, v.work) for v in timephased] == [
        ("A3", 2, Duration(4, DurationUnit.HOURS))]


def test_hostile_and_broken_files_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE P [<!ENTITY a "aaaa">]><Project>&a;</Project>'
    with pytest.raises(FormatError, match="DOCTYPE"):
        read_timephased(io.BytesIO(bomb))
    with pytest.raises(FormatError, match="well-formed") as raised:
        read_timephased(io.BytesIO(_FILE[:400]))
    assert raised.value.line is not None


def test_a_file_over_the_size_limit_is_refused_as_the_reader_refuses_it() -> None:
    limits = ReadLimits(max_bytes=len(_FILE) - 1)
    with pytest.raises(FormatError, match="larger than"):
        MspdiReader().read(io.BytesIO(_FILE), source="t.xml", limits=limits)
    with pytest.raises(FormatError, match="larger than"):
        read_timephased(io.BytesIO(_FILE), limits=limits)


def test_exported() -> None:
    assert {"Timephased", "TimephasedValue", "read_timephased"} <= set(pmcore_msproject.__all__)
