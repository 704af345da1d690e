"""``pmcore import`` and ``pmcore export``: files from and for other tools, format by content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pmcore
from pmcore.cli import main

SAMPLE = (Path(__file__).resolve().parents[4] / "shared" / "samples" / "mspdi"
          / "task-links-project2007-mspdi.xml")
needs_sample = pytest.mark.skipif(not SAMPLE.is_file(), reason="MSPDI samples not present")


@needs_sample
def test_import_then_export_round_trips_a_microsoft_project_file(tmp_path: Path) -> None:
    imported = tmp_path / "project.json"
    exported = tmp_path / "again.xml"
    assert main(["import", str(SAMPLE), "-o", str(imported)]) == 0
    assert main(["export", str(imported), "-o", str(exported)]) == 0
    original, kept = pmcore.read(SAMPLE), pmcore.read(imported)
    # (this sample has no GUID: every read makes up a project id, so compare the contents)
    assert (kept.tasks, kept.dependencies, kept.calendars) == (
        original.tasks, original.dependencies, original.calendars)
    assert pmcore.read(exported) == kept  # the id written as the GUID comes back
    assert exported.read_text(encoding="utf-8").lstrip().startswith("<?xml")


@needs_sample
def test_the_format_is_found_by_content_not_only_by_name(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str],
                                                         ) -> None:
    odd = tmp_path / "plan.dat"
    shutil.copy(SAMPLE, odd)
    target = tmp_path / "out"  # no suffix: pmcore JSON
    assert main(["import", str(odd), "-o", str(target)]) == 0
    assert len(pmcore.read(target, format="json")) == 16
    assert main(["schedule", str(odd), "-f", "json"]) == 0
    assert '"critical_path"' in capsys.readouterr().out
