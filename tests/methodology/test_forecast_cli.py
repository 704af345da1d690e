"""``pmcore forecast``: both methods, both questions, exit codes and errors.

Histories with constant throughput make the answers exact: two items done every day from
2027-03-01 to 2027-03-10, so 9 more items take ceil(9 / 2) = 5 days (March 11 to 15) and
the 10 days from March 11 to 20 deliver 20. Sprints of 14 days with a constant velocity of 10:
25 points take ceil(2.5) = 3 sprints.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmcore.cli.app import run
from pmcore.plugins import make_plugin_manager


@pytest.fixture(autouse=True)
def builtins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD", "1")


def histories(path: Path) -> Path:
    lines = ["id,state,timestamp"]
    for k in range(20):
        day = 1 + k // 2
        lines += [f"K{k},To Do,2027-03-01T08:00", f"K{k},Doing,2027-03-{day:02d}T09:00",
                  f"K{k},Done,2027-03-{day:02d}T17:00"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sprints(path: Path, velocities: list[float]) -> Path:
    import datetime as dt

    start = dt.date(2027, 1, 4)
    data = {"sprints": [
        {"name": f"S{k + 1}", "start": (start + dt.timedelta(days=14 * k)).isoformat(),
         "end": (start + dt.timedelta(days=14 * k + 13)).isoformat(), "points": v}
        for k, v in enumerate(velocities)]}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def forecast(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["forecast", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_when_by_throughput(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = histories(tmp_path / "items.csv")
    code, out, _ = forecast(capsys, str(file), "--method", "throughput", "--items", "9",
                            "--seed", "1")
    assert code == 0
    assert out == ("With 85% confidence, 9 items will be done by 2027-03-15 (5 days from "
                   "2027-03-11; 10,000 trials over 10 days of throughput).\n")


def test_how_many_by_throughput_as_json(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    file = histories(tmp_path / "items.csv")
    code, out, _ = forecast(capsys, str(file), "--method", "throughput", "--date", "2027-03-20",
                            "--confidence", "95", "--format", "json", "--seed", "3")
    assert code == 0
    payload = json.loads(out)
    assert payload["question"] == "how-many"
    assert payload["items"] == 20
    assert payload["periods"] == 10
    assert payload["confidence"] == 95
    assert payload["percentiles"][0] == {"percentile": 50, "items": 20}


def test_window_samples_only_recent_days(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    file = histories(tmp_path / "items.csv")
    code, out, _ = forecast(capsys, str(file), "-m", "throughput", "-n", "4", "--window", "3",
                            "--start", "2027-04-01", "-f", "json")
    payload = json.loads(out)
    # the last 3 days (March 8-10) finished 2 a day: 4 items take 2 days from April 1
    assert (code, payload["samples"], payload["date"]) == (0, 3, "2027-04-02")
    assert (payload["question"], payload["items"], payload["periods"]) == ("when", 4, 2)
    assert payload["percentiles"][-1] == {"percentile": 95, "periods": 2, "date": "2027-04-02"}


def test_when_by_velocity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = sprints(tmp_path / "sprints.json", [10, 10, 10])  # last ends 2027-02-14
    code, out, _ = forecast(capsys, str(file), "--method", "velocity", "--items", "25")
    assert code == 0
    # 3 sprints from 2027-02-15: 15 Feb + 42 days - 1 = 28 Mar
    assert out.startswith("With 85% confidence, 25 points will be done by 2027-03-28 "
                          "(3 sprints from 2027-02-15; 10,000 trials over 3 sprints of velocity)")


def test_how_many_by_velocity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = sprints(tmp_path / "sprints.json", [12, 12])  # last ends 2027-01-31
    # to 2027-03-14 is 6 weeks: 3 whole sprints of 12 points
    code, out, _ = forecast(capsys, str(file), "-m", "velocity", "--date", "2027-03-14",
                            "-f", "json")
    assert code == 0
    assert json.loads(out)["items"] == 36


def test_the_command_is_registered_by_a_builtin_plugin(capsys: pytest.CaptureFixture[str],
                                                       ) -> None:
    manager = make_plugin_manager(entry_points=False)
    assert manager.has_plugin("pmcore.methodology.builtin")
    assert run(["forecast", "--help"]) == 0
    assert "--confidence" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "code", "words"), [
    (["--method", "guess", "--items", "3"], 2, "guess"),
    (["--method", "throughput"], 2, "either --items N or --date D"),
    (["--method", "throughput", "--items", "3", "--date", "2027-04-01"], 2, "either"),
    (["--method", "throughput", "--date", "April"], 2, "not a date"),
    (["--method", "throughput", "--items", "3", "--format", "xml"], 2, "xml"),
    (["--method", "throughput", "--items", "3", "--confidence", "0"], 2, "(0, 100]"),
])
def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                      code: int, words: str) -> None:
    file = histories(tmp_path / "items.csv")
    result, out, err = forecast(capsys, str(file), *args)
    assert result == code
    assert words in out + err


def test_bad_files_name_the_line_and_item(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,state,timestamp\nK1,To Do,2027-03-02\nK1,Done,2027-03-01\n",
                   encoding="utf-8")
    code, _, err = forecast(capsys, str(bad), "--method", "throughput", "--items", "3")
    assert code == 2
    assert f"{bad}:3: item 'K1': timestamps go backwards" in err
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('[{"name": "S1", "start": "2027-01-14", "end": "2027-01-01", '
                        '"points": 3}]', encoding="utf-8")
    code, _, err = forecast(capsys, str(bad_json), "--method", "velocity", "--items", "3")
    assert code == 2
    assert "$[0].end: sprint 'S1'.end: ends on 2027-01-01, before it starts" in err
    nothing_done = tmp_path / "open.csv"
    nothing_done.write_text("id,state,timestamp\nK1,To Do,2027-03-01\nK1,Done,2027-03-02\n"
                            "K2,To Do,2027-03-01\n", encoding="utf-8")
    code, _, err = forecast(capsys, str(nothing_done), "-m", "throughput", "-n", "3",
                            "--done", "Released")
    assert code == 1
    assert "no item ever reached a done state" in err
