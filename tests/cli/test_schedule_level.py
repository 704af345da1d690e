"""``pmcore.schedule(..., level=True)`` and ``pmcore schedule FILE --level``.

Hand-worked: two 2-day tasks both need Dana (one person, 100 %) from the project start on
Monday 4 January 2027. Leveled, the one with less priority waits until the other is done: it
starts Wednesday 6 at 08:00 and finishes Thursday 7 at 17:00 (a leveling delay of 2 elapsed
days), so the plan finishes on Thursday 7 instead of Tuesday 5.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import pmcore
from pmcore.cli import main

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "psplib"


def plan() -> pmcore.Project:
    project = pmcore.Project("Two for Dana", start="2027-01-04")
    project.add_resource("Dana", id="dana")
    first = project.add_task("Migrate", "2d", id="migrate", priority=800)
    second = project.add_task("Document", "2d", id="document")
    project.assign(first, "dana")
    project.assign(second, "dana")
    return project


def test_schedule_can_level_without_changing_the_project() -> None:
    project = plan()
    leveled = pmcore.schedule(project, level=True)
    assert leveled["migrate"].start == dt.datetime(2027, 1, 4, 8)
    assert leveled["document"].start == dt.datetime(2027, 1, 6, 8)
    assert leveled.finish == dt.datetime(2027, 1, 7, 17)
    assert leveled.leveling is not None
    assert [(t.task, str(t.delay)) for t in leveled.leveling.tasks] == [("document", "2ed")]
    assert project.task("document").leveling_delay is None  # unchanged
    assert project.schedule().finish == dt.datetime(2027, 1, 5, 17)
    assert project.schedule().leveling is None
    leveled.leveling.apply(project)  # the user's choice
    assert project.schedule()["document"].start == dt.datetime(2027, 1, 6, 8)


def test_the_cli_levels_and_reports_the_delays(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.pmcore.json"
    pmcore.write(plan(), path)
    assert main(["schedule", str(path), "--level", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert document["project"]["finish"] == "2027-01-07T17:00:00"
    assert [(r["task"], r["leveling_delay"]) for r in document["leveling"]] == [
        ("document", "2ed")]
    assert "leveling delayed 1 task(s)" in err
    assert pmcore.read(path).task("document").leveling_delay is None  # the file is unchanged


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="PSPLIB samples not present")
def test_a_psplib_file_levels_to_its_optimum_makespan(capsys: pytest.CaptureFixture[str]) -> None:
    # j3010_7: reference.csv gives the proven optimum 49 periods (critical-path bound 47);
    # one period is one 480-minute working day.
    assert main(["schedule", str(SAMPLES / "j30" / "j3010_7.sm"), "--level",
                 "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["project"]["duration_minutes"] / 480 == 49


def test_the_cli_schedules_with_either_backend_to_the_same_document(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("numba")
    path = tmp_path / "plan.pmcore.json"
    project = plan()
    project.link("migrate", "document", "SS", "1ed")
    pmcore.write(project, path)
    documents = []
    for backend in ("python", "numba"):
        assert main(["schedule", str(path), "--format", "json", "--backend", backend]) == 0
        documents.append(json.loads(capsys.readouterr().out))
    assert documents[0] == documents[1]
    assert documents[0]["project"]["finish"] == "2027-01-06T17:00:00"


def test_the_cli_refuses_an_unknown_backend(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.pmcore.json"
    pmcore.write(plan(), path)
    assert main(["schedule", str(path), "--backend", "fortran"]) == 2
    assert "--backend" in capsys.readouterr().err
