"""The pmcore command line: outputs, one-line errors and exit codes 0/1/2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import pmcore
from pmcore.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "erp-infrastructure-upgrade.pmcore.json"


@pytest.fixture(autouse=True)
def builtins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed third-party plugins must not change what these tests see."""
    monkeypatch.setenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD", "1")


def plan() -> pmcore.Project:
    project = pmcore.Project("Office move", id="move", start="2027-05-03")
    prepare = project.add_task("Prepare")
    pack = project.add_task("Pack", "2d", parent=prepare)
    label = project.add_task("Label crates", "4h", parent=prepare)
    project.link(pack, label, "SS", "1d")
    project.add_milestone("Moved", after=prepare)
    return project


def write_doc(path: Path, mutate=None) -> Path:
    data = json.loads(pmcore.dumps(plan()))
    if mutate:
        mutate(data["project"])
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"pmcore {pmcore.__version__}\n", "")


def test_plugins_lists_the_builtins(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plugins", "--json")
    assert code == 0
    listed = {p["name"]: p for p in json.loads(out)}
    assert listed["pmcore.io.json_format"]["hooks"] == {
        "pmcore_register_readers": ["json"], "pmcore_register_writers": ["json"]}
    assert listed["pmcore.cli.plugin"]["hooks"]["pmcore_register_commands"] == [
        "plugins", "formats", "validate", "show", "convert", "schedule", "capacity", "import",
        "export"]
    code, out, _ = run(capsys, "plugins")
    assert code == 0
    assert "pmcore.io.yaml_format" in out
    assert "readers: yaml" in out


def test_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formats")
    assert code == 0
    assert ".pmcore.json" in out
    assert ".yml" in out


def test_validate_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_doc(tmp_path / "plan.json")
    code, out, err = run(capsys, "validate", str(path))
    assert (code, err) == (0, "")
    assert out == f"{path}: ok (4 tasks, 2 dependencies, 1 calendar)\n"


def test_validate_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(EXAMPLE))
    assert code == 0
    assert ": ok (" in out


def test_cycle_is_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_doc(tmp_path / "cycle.json", lambda p: p["dependencies"].append(
        {"predecessor": "T4", "successor": "T2"}))
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert "dependency cycle" in lines[0]
    # Moved follows the Prepare summary, so a link from Moved into Pack loops through it.
    assert lines[0].endswith("dependency cycle: T1 (Prepare) -> T4 (Moved) -> T2 (Pack) -> "
                             "T1 (Prepare)")
    code, _, err = run(capsys, "show", str(path))
    assert code == 1
    assert err.startswith("pmcore: error: ")
    assert len(err.splitlines()) == 1


def test_unknown_reference_is_one_line_and_exit_1(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = write_doc(tmp_path / "ref.json",
                     lambda p: p["dependencies"][0].update(predecessor="T99"))
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1
    assert err == f"{path}: error: dependency 'T99->T3'.predecessor: unknown task id 'T99'\n"


def test_malformed_file_is_one_line_and_exit_2(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "pmcore",\n "project": [1,,]}', encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path))
    assert (code, out) == (2, "")
    assert err == f"pmcore: error: {path}:2:16: is not valid JSON: Expecting value\n"


def test_bad_value_names_the_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_doc(tmp_path / "value.json", lambda p: p["tasks"][1].update(duration="2 days!"))
    code, _, err = run(capsys, "show", str(path))
    assert code == 2
    assert err.startswith(f"pmcore: error: {path} at $.project.tasks[1].duration: '2 days!' "
                          "is not a duration")


def test_missing_file_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "no-such-file.json")
    assert code == 2
    assert err == "pmcore: error: no-such-file.json: cannot be opened: No such file or directory\n"
    code, _, err = run(capsys, "frobnicate")
    assert code == 2
    assert "No such command 'frobnicate'" in err
    code, _, err = run(capsys, "show")
    assert code == 2
    assert "Missing argument" in err


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--debug", "show", "no-such-file.json")
    assert code == 2
    assert "Traceback (most recent call last)" in err
    assert err.endswith("pmcore: error: no-such-file.json: cannot be opened: "
                        "No such file or directory\n")


def test_show_prints_the_wbs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_doc(tmp_path / "plan.json")
    code, out, _ = run(capsys, "show", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("Office move  start 2027-05-03  4 tasks, 1 milestone, "
                        "2 dependencies, calendar Standard")
    assert lines[1] == "1 Prepare"
    assert lines[2] == "├── 1.1 Pack  2d"
    assert lines[3] == "└── 1.2 Label crates  4h  after 1.1SS+1d"
    assert lines[4] == "2 Moved  milestone  after 1"
    code, out, _ = run(capsys, "show", str(path), "--depth", "1")
    assert out.splitlines()[1:] == ["1 Prepare", "2 Moved  milestone  after 1"]


def test_convert_between_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_doc(tmp_path / "plan.json")
    code, _, err = run(capsys, "convert", str(source), str(tmp_path / "plan.yaml"))
    assert (code, err) == (0, f"wrote {tmp_path / 'plan.yaml'} (4 tasks)\n")
    code, _, _ = run(capsys, "convert", str(tmp_path / "plan.yaml"),
                     str(tmp_path / "again.pmcore.json"))
    assert code == 0
    assert (tmp_path / "again.pmcore.json").read_text(encoding="utf-8") == pmcore.dumps(plan())
    code, out, _ = run(capsys, "convert", str(source), "-", "--to", "yaml")
    assert code == 0
    assert pmcore.loads(out, format="yaml") == plan()


def test_example_round_trips_through_the_cli(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "copy.pmcore.json"
    assert run(capsys, "convert", str(EXAMPLE), str(target))[0] == 0
    assert target.read_bytes() == EXAMPLE.read_bytes()


def test_python_dash_m_entry_point() -> None:
    result = subprocess.run([sys.executable, "-m", "pmcore", "--version"], capture_output=True,
                            text=True, check=False)
    assert (result.returncode, result.stdout) == (0, f"pmcore {pmcore.__version__}\n")


# --- pmcore schedule ------------------------------------------------------------------------

SCHEDULE_KEYS = ["id", "name", "wbs", "refs", "start", "finish", "early_start", "early_finish",
                 "late_start", "late_finish", "total_float_minutes", "free_float_minutes",
                 "critical", "summary", "milestone"]


def test_schedule_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_doc(tmp_path / "plan.json",
                     lambda p: p["tasks"][1].update(external_refs={"msproject": "12"}))
    code, out, err = run(capsys, "schedule", str(path), "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    # Monday 2027-05-03: Pack 2d Mon-Tue; Label crates 4h starts SS+1d on Tuesday 08:00.
    assert document["project"] == {"start": "2027-05-03T08:00:00",
                                   "finish": "2027-05-04T17:00:00", "status_date": None,
                                   "duration_minutes": 960}
    tasks = {t["id"]: t for t in document["tasks"]}
    assert [list(t) for t in document["tasks"]] == [SCHEDULE_KEYS] * 4
    pack, label, moved = tasks["T2"], tasks["T3"], tasks["T4"]
    assert pack["refs"] == {"msproject": "12"}
    assert (pack["start"], pack["finish"]) == ("2027-05-03T08:00:00", "2027-05-04T17:00:00")
    assert (label["start"], label["finish"]) == ("2027-05-04T08:00:00", "2027-05-04T12:00:00")
    assert label["total_float_minutes"] == 240
    assert label["critical"] is False
    assert moved["milestone"] is True
    assert moved["start"] == "2027-05-04T17:00:00"
    assert tasks["T1"]["summary"] is True
    assert document["critical_path"] == ["T2", "T4"]


def test_schedule_table_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_doc(tmp_path / "plan.json")
    code, out, _ = run(capsys, "schedule", str(path))
    assert code == 0
    assert out.splitlines()[0] == ("Office move  start 2027-05-03 08:00  finish 2027-05-04 17:00"
                                   "  (2d of working time)")
    assert out.splitlines()[-1] == "critical path: 1.1 Pack → 2 Moved"
    target = tmp_path / "schedule.csv"
    code, out, _ = run(capsys, "schedule", str(path), "-f", "csv", "-o", str(target))
    assert (code, out) == (0, "")
    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[0] == ",".join(SCHEDULE_KEYS)
    assert rows[3].startswith("T3,Label crates,1.2,{},2027-05-04T08:00:00,2027-05-04T12:00:00,")


def test_schedule_reports_conflicts_and_status_date(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = write_doc(tmp_path / "plan.json", lambda p: p["tasks"][3].update(
        constraint={"type": "MSO", "date": "2027-05-03T17:00:00"}))
    code, out, err = run(capsys, "schedule", str(path), "-f", "json",
                         "--status-date", "2027-05-10")
    assert code == 0
    document = json.loads(out)
    assert document["project"]["status_date"] == "2027-05-10T17:00:00"
    assert [c["kind"] for c in document["conflicts"]] == ["MSO"]
    assert err.startswith(f"{path}: conflict: task 'T4' (Moved): ")
    code, _, err = run(capsys, "schedule", str(path), "-f", "xml")
    assert code == 2
    assert "'xml' is not one of table, json, csv" in err
