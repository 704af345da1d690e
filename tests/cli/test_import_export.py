"""``pmcore import`` and ``pmcore export`` with pmcore's own formats (the Microsoft Project
case is tested with its plugin)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pmcore
from pmcore.cli import main

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "psplib" / "j30" / \
    "j3010_7.sm"


@pytest.mark.skipif(not SAMPLE.is_file(), reason="PSPLIB samples not present")
def test_import_finds_the_format_by_content_and_export_picks_it_by_name(tmp_path: Path) -> None:
    odd = tmp_path / "instance.dat"  # a PSPLIB file under a name that does not tell
    shutil.copy(SAMPLE, odd)
    imported = tmp_path / "instance"  # no suffix: pmcore JSON
    assert main(["import", str(odd), "-o", str(imported)]) == 0
    project = pmcore.read(imported, format="json")
    assert len(project) == 32  # 30 jobs and the two dummies
    exported = tmp_path / "instance.pmcore.yaml"
    assert main(["export", str(imported), "--from", "json", "-o", str(exported)]) == 0
    assert pmcore.read(exported) == project
