"""The PSPLIB reader, checked against the text of the sample files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import pmcore
from pmcore.io.psplib import parse_sm

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "psplib"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="PSPLIB samples not present")


def reference() -> dict[str, dict[str, str]]:
    with (SAMPLES / "reference.csv").open() as handle:
        return {row["instance"]: row for row in csv.DictReader(handle)}


def test_a_hand_picked_job_reads_as_in_the_file() -> None:
    # j3010_7.sm, PRECEDENCE RELATIONS: "2  1  2  15  26"; REQUESTS/DURATIONS:
    # "2  1  10  0  5  2  3"; RESOURCEAVAILABILITIES: "31  24  20  25"; MPM-Time 47.
    project = pmcore.read(SAMPLES / "j30" / "j3010_7.sm")
    job = project.task("J2")
    assert job.duration == pmcore.Duration.parse("10d")
    assert sorted(d.successor for d in project.successors(job)) == ["J15", "J26"]
    assert all(d.type is pmcore.LinkType.FS and d.lag.is_zero for d in project.successors(job))
    assert {a.resource: a.units for a in project.assignments_of(job)} == {
        "R2": 5.0, "R3": 2.0, "R4": 3.0}
    assert [r.max_units for r in project.resources] == [31.0, 24.0, 20.0, 25.0]
    assert project.task("J1").is_milestone
    assert project.task("J32").is_milestone
    assert len(project.tasks) == 32
    assert project.name == "j3010_7"


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("j*/*.sm")), ids=lambda p: p.stem)
def test_the_unleveled_schedule_is_the_critical_path_of_the_file(path: Path) -> None:
    # reference.csv's cpm_lb is the MPM-Time of the file: one period is one 480-minute day.
    project = pmcore.read(path)
    assert project.schedule().duration_minutes == 480 * int(reference()[path.stem]["cpm_lb"])


def test_the_format_is_recognised_by_content() -> None:
    data = (SAMPLES / "j30" / "j3010_7.sm").read_bytes()
    project = pmcore.read(io.BytesIO(data))
    assert project.task("J2").duration == pmcore.Duration.parse("10d")
    facade = pmcore.plugins.Plugins(pmcore.make_plugin_manager(entry_points=False))
    assert facade.reader_for("instance.txt", data[:4096]).name == "psplib"
    assert not facade.reader("psplib").sniff(b'{"format": "pmcore"}')


def test_parse_gives_the_plain_numbers() -> None:
    instance = parse_sm((SAMPLES / "j30" / "j3010_7.sm").read_text())
    assert instance.jobs == 32
    assert instance.horizon == 188
    assert instance.durations[2] == 7
    assert instance.successors[0] == (2, 3, 4)
    assert instance.demands[3] == (8, 10, 4, 4)
    assert instance.capacities == (31, 24, 20, 25)
    assert instance.mpm_time == 47


def _broken(old: str, new: str) -> str:
    text = (SAMPLES / "j30" / "j3010_7.sm").read_text()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("   2        1          2          15  26",
     "   2        1          3          15  26", 20, "declares 3 successors but lists 2"),
    ("   2        1          2          15  26",
     "   2        2          2          15  26", 20, "only single-mode"),
    ("   2        1          2          15  26",
     "   2        1          2          15  99", 20, "successor 99"),
    ("  2      1    10       0    5    2    3",
     "  2      1    1x       0    5    2    3", 56, "expected whole numbers"),
    ("  2      1    10       0    5    2    3",
     "  2      1    10       0    5    2", 56, "expected 7 numbers"),
])
def test_bad_files_name_the_line(old: str, new: str, line: int, message: str) -> None:
    with pytest.raises(pmcore.FormatError, match=message) as caught:
        parse_sm(_broken(old, new), source="bad.sm")
    assert caught.value.line == line
    assert caught.value.source == "bad.sm"


def test_a_truncated_file_is_a_format_error() -> None:
    text = (SAMPLES / "j30" / "j3010_7.sm").read_text()
    # line 19 holds job 1, so the first 40 lines end with job 22
    first_40_lines = "\n".join(text.splitlines()[:40])
    with pytest.raises(pmcore.FormatError, match="ends before the precedence row of job 23"):
        pmcore.read(io.BytesIO(first_40_lines.encode()), format="psplib")
    cut_mid_row = text[:text.index("  18        1")] + "  18        1"
    with pytest.raises(pmcore.FormatError, match="precedence row of job 18") as caught:
        parse_sm(cut_mid_row)
    assert caught.value.line == 36
