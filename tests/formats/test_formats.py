"""The JSON and YAML formats: lossless round trips, and safe, clear refusal of bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import pmcore
from pmcore.errors import CycleError, FormatError, UnknownReferenceError
from pmcore.io import ReadLimits
from pmcore.testing import projects


def small_project() -> pmcore.Project:
    project = pmcore.Project("Payroll migration", id="payroll", start="2027-02-01")
    phase = project.add_task("Migration")
    extract = project.add_task("Extract data", "3d", parent=phase,
                               custom_fields={"Budget": Decimal("1250.00"),
                                              "Due": dt.date(2027, 2, 20)})
    load = project.add_task("Load data", "1.5ed", parent=phase, after=extract)
    project.add_milestone("Cutover", after=load)
    return project


def document(project: pmcore.Project) -> dict:
    return json.loads(pmcore.dumps(project))


def loads_doc(data: dict, **kwargs) -> pmcore.Project:
    return pmcore.loads(json.dumps(data), **kwargs)


# --- round trips ---------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_json_round_trip_is_lossless(project: pmcore.Project) -> None:
    text = pmcore.dumps(project)
    again = pmcore.loads(text, strict=False)
    assert again == project
    assert pmcore.dumps(again) == text  # stable: writing what was read changes nothing


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_yaml_round_trip_is_lossless(project: pmcore.Project) -> None:
    text = pmcore.dumps(project, format="yaml")
    assert pmcore.loads(text, format="yaml", strict=False) == project


def test_values_are_written_as_people_type_them() -> None:
    data = document(small_project())["project"]
    assert data["start"] == "2027-02-01T08:00:00"
    extract, load = data["tasks"][1], data["tasks"][2]
    assert extract["duration"] == "3d"
    assert extract["custom_fields"] == {"Budget": {"cost": "1250.00"},
                                        "Due": {"date": "2027-02-20"}}
    assert load["duration"] == "1.5ed"
    assert load["parent"] == "T1"
    assert data["dependencies"][0] == {"predecessor": "T2", "successor": "T3"}
    assert data["calendars"][0]["week"]["mon"] == ["08:00-12:00", "13:00-17:00"]
    assert "priority" not in extract  # defaults are omitted


def test_file_round_trip_through_paths(tmp_path: Path) -> None:
    project = small_project()
    for name in ("plan.pmcore.json", "plan.json", "plan.yaml"):
        pmcore.write(project, tmp_path / name)
        assert pmcore.read(tmp_path / name) == project
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "plan.pmcore.json",
                                                          "plan.yaml"]


def test_unknown_extension_is_sniffed_on_read(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(pmcore.dumps(small_project()), encoding="utf-8")
    assert pmcore.read(path).name == "Payroll migration"
    yaml_path = tmp_path / "plan.data"
    yaml_path.write_text(pmcore.dumps(small_project(), format="yaml"), encoding="utf-8")
    assert pmcore.read(yaml_path).name == "Payroll migration"


def test_unknown_extension_on_write_names_the_formats(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"plan\.docx: no writer .* \(json, yaml\)"):
        pmcore.write(small_project(), tmp_path / "plan.docx")


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "plan.json"
    with pytest.raises(FormatError, match="cannot be written"):
        pmcore.write(small_project(), target)
    assert not target.parent.exists()


def test_write_replaces_only_after_success(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("previous content", encoding="utf-8")

    class Broken:
        name, extensions, description = "broken", (".json",), "fails half way"

        def write(self, project: pmcore.Project, stream: io.BufferedWriter) -> None:
            stream.write(b"{half")
            raise OSError("disk full")

    from pmcore.plugins import hookimpl, make_plugin_manager

    class Plugin:
        @hookimpl
        def pmcore_register_writers(self) -> list[Broken]:
            return [Broken()]

    pm = make_plugin_manager(entry_points=False, plugins=[Plugin()])
    with pytest.raises(FormatError, match="disk full"):
        pmcore.write(small_project(), target, format="broken", plugins=pm)
    assert target.read_text(encoding="utf-8") == "previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


# --- strict and lenient reading ------------------------------------------------------------


def test_strict_read_raises_the_typed_error_and_lenient_read_reports_all() -> None:
    data = document(small_project())
    data["project"]["dependencies"].append({"predecessor": "T4", "successor": "T2"})
    data["project"]["tasks"][0]["calendar"] = "night-shift"
    with pytest.raises(CycleError, match="T2 .* -> T3 .* -> T4 .* -> T2"):
        loads_doc(data)
    del data["project"]["dependencies"][-1]
    with pytest.raises(UnknownReferenceError, match="night-shift"):
        loads_doc(data)
    data["project"]["dependencies"].append({"predecessor": "T4", "successor": "T2"})
    project = loads_doc(data, strict=False)
    report = pmcore.validate(project)
    codes = sorted(p.code for p in report.errors)
    assert codes == ["dependency-cycle", "unknown-calendar"]
    cycle = next(p.error for p in report.errors if isinstance(p.error, CycleError))
    assert set(cycle.cycle) == {"T2", "T3", "T4"}
    assert pmcore.loads(pmcore.dumps(project), strict=False) == project  # nothing is lost


# --- malformed and hostile input -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"format": "pmcore",\n  "schema_version": 1,\n  "project": {',
         r"<stream>:3:15: is not valid JSON"),
        ("[1, 2", r"is not valid JSON"),
        ('{"format": "pmcore", "format": "x"}', r"duplicate key 'format'"),
        ('{"format": "pmcore", "schema_version": NaN}', r"NaN is not allowed"),
        ('{"a": ' + "1" * 5000 + "}", r"is not valid JSON"),
        ('{"format": "msproject"}', r"is not a pmcore document"),
        ('{"format": "pmcore", "schema_version": 99, "project": {}}', r"schema version 99"),
        ('{"format": "pmcore", "schema_version": 1}', r"has no project object"),
        ('{"format": "pmcore", "schema_version": 1, "project": {}, "x": 1}',
         r"unknown top-level keys \['x'\]"),
    ],
)
def test_malformed_documents_are_refused_with_a_location(text: str, expected: str) -> None:
    with pytest.raises(FormatError, match=expected):
        pmcore.loads(text)


def test_invalid_values_are_reported_with_their_json_path() -> None:
    data = document(small_project())
    data["project"]["tasks"][2]["duration"] = "three days"
    data["project"]["tasks"][1]["priority"] = "high"
    with pytest.raises(FormatError) as info:
        loads_doc(data)
    error = info.value
    assert error.path == "$.project.tasks[1].priority"
    assert "and 1 more problem" in str(error)
    assert any("$.project.tasks[2].duration" in p for p in error.problems)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["project"]["tasks"][0].update(durration="3d"), "$.project.tasks[0]"),
        (lambda d: d["project"].update(start="next monday"), "$.project.start"),
        (lambda d: d["project"].update(start="2027-01-04T08:00:00+02:00"), "$.project.start"),
        (lambda d: d["project"]["calendars"][0]["week"].update(mon=["8-12"]),
         "$.project.calendars[0].week"),
        (lambda d: d["project"]["tasks"][1]["custom_fields"].update(x={"money": "1"}),
         "$.project.tasks[1].custom_fields"),
        (lambda d: d["project"].update(tasks={"id": "T1"}), "$.project.tasks"),
        (lambda d: d["project"]["dependencies"][0].update(type="XX"),
         "$.project.dependencies[0].type"),
        (lambda d: d["project"].pop("name"), "$.project.name"),
    ],
)
def test_each_bad_value_names_its_path(mutate, path: str) -> None:
    data = document(small_project())
    mutate(data)
    with pytest.raises(FormatError) as info:
        loads_doc(data)
    assert info.value.path == path


def test_size_limit() -> None:
    text = pmcore.dumps(small_project())
    with pytest.raises(FormatError, match="larger than the 100-byte limit"):
        pmcore.loads(text, limits=ReadLimits(max_bytes=100))
    assert pmcore.loads(text, limits=ReadLimits(max_bytes=len(text.encode()))).id == "payroll"


def test_depth_limit() -> None:
    data = document(small_project())
    data["project"]["tasks"][0]["custom_fields"] = {"deep": [[[[[["x"]]]]]]}
    with pytest.raises(FormatError, match="nested deeper than 8 levels"):
        loads_doc(data, limits=ReadLimits(max_depth=8))


def test_pathological_nesting_does_not_crash() -> None:
    with pytest.raises(FormatError, match="nested deeper|not valid JSON"):
        pmcore.loads("[" * 200_000 + "]" * 200_000)


def test_not_utf8() -> None:
    with pytest.raises(FormatError, match="not UTF-8"):
        pmcore.loads(b'{"format": "pmcore", "name": "\xff"}')


def test_yaml_billion_laughs_is_refused_without_expansion() -> None:
    bomb = "format: pmcore\nschema_version: 1\nproject:\n  a: &a [lol, lol, lol, lol]\n"
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        bomb += f"  {level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}]\n"
    with pytest.raises(FormatError, match="not allowed"):
        pmcore.loads(bomb, format="yaml")


def test_yaml_refuses_python_tags() -> None:
    payload = "format: pmcore\nschema_version: 1\nproject: !!python/object/apply:os.system [echo]\n"
    with pytest.raises(FormatError, match="not valid YAML"):
        pmcore.loads(payload, format="yaml")


def test_yaml_plain_times_stay_text() -> None:
    # YAML 1.1 reads 17:00 as the sexagesimal number 1020; pmcore reads the core schema.
    text = pmcore.dumps(small_project(), format="yaml").replace(
        "  name: Payroll migration\n",
        "  name: Payroll migration\n  default_finish_time: 16:30\n")
    assert pmcore.loads(text, format="yaml").default_finish_time == dt.time(16, 30)


def test_yaml_errors_carry_line_numbers() -> None:
    with pytest.raises(FormatError, match=r"<stream>:3:1: is not valid YAML"):
        pmcore.loads("format: pmcore\nproject: [unclosed\n", format="yaml")


def test_unknown_format_name() -> None:
    with pytest.raises(FormatError,
                       match=r"no reader named 'xlsx' \(registered: json, yaml, psplib\)"):
        pmcore.loads("{}", format="xlsx")


def test_missing_file() -> None:
    with pytest.raises(FormatError, match="missing.json: cannot be opened"):
        pmcore.read("missing.json")


def test_hand_written_minimal_document() -> None:
    text = ('{"format": "pmcore", "schema_version": 1, "project": {"name": "Quick plan", '
            '"tasks": [{"id": "T1", "name": "Do it", "duration": "2d"}]}}')
    first, second = pmcore.loads(text), pmcore.loads(text)
    assert first == second  # a stable id, not a random one per read
    assert first.id == "quick-plan"
    assert list(first.calendars) == ["standard"]  # no calendars given: the Standard one
