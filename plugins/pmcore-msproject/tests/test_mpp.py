"""Binary Microsoft Project files through MPXJ (the ``[mpp]`` extra).

There is no ``.mpp`` among the sample files, and MPXJ cannot write one. So the MPXJ path is
checked two ways: MPXJ reads each MSPDI sample and writes it as MSPDI again, and pmcore must
read the same plan as from the original (MPXJ is an independent reader of these files); and
MPXJ writes a sample as MPX (Microsoft Project's older exchange format, which it writes and
reads), which ``pmcore.read`` then opens by its content, through the same reader as ``.mpp``.
The tests are skipped when mpxj, JPype1 or Java are missing; the error that a user without
them gets is tested everywhere.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import attrs
import pytest

import pmcore
import pmcore_msproject
from pmcore.errors import FormatError, PluginError
from pmcore.io.formats import ReadLimits
from pmcore.model import Assignment, Project
from pmcore.plugins import Plugins, make_plugin_manager
from pmcore_msproject import MppReader, MspdiReader, mpxj_to_mspdi

# These tests start a JVM inside the test process, which then shares the process with every
# later test; `nox -s tests` runs them in a pytest process of their own, without faulthandler
# (the JVM handles SIGSEGV itself), as JPype's own test suite does.
pytestmark = pytest.mark.jvm

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "mspdi"
WITH_RESOURCES = ["assignment-assignments-project2010-mspdi.xml", "mspdiassignmentcustom.xml",
                  "mspdiavailability.xml", "resource-type-project2010-mspdi.xml",
                  "task-links-project2007-mspdi.xml", "mspdirelations.xml"]


@pytest.fixture(scope="module")
def jvm() -> object:
    """MPXJ's Java classes, or a skip saying what is missing."""
    pytest.importorskip("jpype", reason="JPype1 not installed (extra [mpp])")
    pytest.importorskip("mpxj", reason="mpxj not installed (extra [mpp])")
    if not SAMPLES.is_dir():
        pytest.skip(f"MSPDI samples not found at {SAMPLES}")
    from pmcore_msproject._mpp import _mpxj

    try:
        return _mpxj()
    except PluginError as exc:  # no Java runtime here
        pytest.skip(str(exc))


def read_sample(name: str) -> Project:
    with (SAMPLES / name).open("rb") as stream:
        return MspdiReader().read(stream, source=name, limits=ReadLimits())


def done_or_zero(assignment: Assignment) -> Assignment:
    # MPXJ leaves out an actual work of zero; MS Project writes PT0H0M0S
    if assignment.actual_work is None:
        return attrs.evolve(assignment, actual_work="0h")
    return assignment


@pytest.mark.parametrize("name", WITH_RESOURCES)
def test_mpxj_reads_the_samples_as_pmcore_does(jvm: object, name: str) -> None:
    ours = read_sample(name)
    through_mpxj = MspdiReader().read(io.BytesIO(mpxj_to_mspdi((SAMPLES / name).read_bytes())),
                                      source=name, limits=ReadLimits())
    assert through_mpxj.tasks == ours.tasks
    assert through_mpxj.dependencies == ours.dependencies
    assert through_mpxj.calendars == ours.calendars
    assert through_mpxj.resources == ours.resources
    assert [done_or_zero(a) for a in through_mpxj.assignments] == \
        [done_or_zero(a) for a in ours.assignments]


def test_an_mpx_file_is_found_by_content_and_read(jvm: object, tmp_path: Path) -> None:
    import jpype

    name = "mspdiassignmentcustom.xml"
    target = tmp_path / "plan.bin"  # no telling suffix: found by its first bytes, "MPX,"
    writer = None
    for package in ("org.mpxj", "net.sf.mpxj"):
        try:
            reader = jpype.JClass(f"{package}.reader.UniversalProjectReader")
            writer = jpype.JClass(f"{package}.mpx.MPXWriter")
            break
        except TypeError:
            continue
    assert writer is not None
    writer().write(reader().read(str(SAMPLES / name)), str(target))
    assert target.read_bytes().startswith(b"MPX")
    pm = make_plugin_manager(entry_points=False, plugins=[pmcore_msproject])
    project = pmcore.read(target, plugins=pm)
    original = read_sample(name)
    assert [t.name for t in project.tasks] == [t.name for t in original.tasks]
    assert [t.duration for t in project.tasks] == [t.duration for t in original.tasks]
    assert [(r.name, r.rate_tables) for r in project.resources] == [
        (r.name, r.rate_tables) for r in original.resources]
    # MPX keeps work in hundredths of an hour: 216 h 43 min is 216.72 h there
    assert [(a.units, a.work and round(a.work.value, 2)) for a in project.assignments] == [
        (a.units, a.work and round(a.work.value, 2)) for a in original.assignments]
    # and from the command line, with the installed plugins
    from pmcore.cli import main

    imported = tmp_path / "plan.json"
    assert main(["import", str(target), "-o", str(imported)]) == 0
    assert [t.name for t in pmcore.read(imported).tasks] == [t.name for t in original.tasks]


def test_what_mpxj_cannot_read_is_a_format_error(jvm: object) -> None:
    reader = MppReader()
    with pytest.raises(FormatError, match="MPXJ"):
        reader.read(io.BytesIO(b"MPX,not really"), source="bad.mpx", limits=ReadLimits())


def test_without_mpxj_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mpxj", None)  # import mpxj raises ImportError
    with pytest.raises(PluginError) as caught:
        MppReader().read(io.BytesIO(b"MPX,"), source="plan.mpx", limits=ReadLimits())
    assert 'pip install "pmcore-msproject[mpp]"' in str(caught.value)
    assert "Java" in str(caught.value)
    assert caught.value.plugin == "msproject"


def test_the_reader_is_registered_and_sniffs_mpp_files() -> None:
    pm = make_plugin_manager(entry_points=False, plugins=[pmcore_msproject])
    reader = Plugins(pm).reader("mpp")
    assert reader.sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))  # OLE2: .mpp
    assert reader.sniff(b"MPX,Microsoft Project for Windows,4.0,ANSI")
    assert not reader.sniff(b'<?xml version="1.0"?><Project')
    assert Plugins(pm).reader_for("plan.mpp", b"").name == "mpp"


def test_the_custom_field_numbers_are_mpxjs(jvm: object) -> None:
    # An independent check of all 360 FieldIDs in _fields: MPXJ's own table
    import jpype

    from pmcore_msproject import _fields

    classes = {}
    for package in ("org.mpxj", "net.sf.mpxj"):
        try:
            helper = jpype.JClass(f"{package}.common.FieldTypeHelper")
            classes = {entity: jpype.JClass(f"{package}.{entity.title()}Field")
                       for entity in _fields.ENTITIES}
            break
        except TypeError:
            continue
    assert classes
    every = _fields.TASK_FIELDS + _fields.RESOURCE_FIELDS + _fields.ASSIGNMENT_FIELDS
    for field in every:
        constant = getattr(classes[field.entity], field.name.upper())
        assert int(helper.getFieldID(constant)) == field.field_id, (field.entity, field.name)
