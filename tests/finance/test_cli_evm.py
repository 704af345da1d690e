"""``pmcore evm FILE --status-date DATE [--by wbs|account] [--format table|json]``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import pmcore
from pmcore.cli import main
from pmcore.finance import CostPlan, write_cost_plan
from pmcore.plugins import reset_default_plugins

Portal = Callable[[], tuple[pmcore.Project, CostPlan]]


@pytest.fixture(autouse=True)
def builtins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD", "1")
    reset_default_plugins()


def _files(portal: Portal, tmp_path: Path) -> Path:
    project, plan = portal()
    path = tmp_path / "portal.pmcore.json"
    pmcore.write(project, path)
    write_cost_plan(plan, tmp_path / "portal.costs.json")
    return path


def test_json_has_lower_case_metrics_and_money_as_strings(
        portal: Portal, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _files(portal, tmp_path)
    code = main(["evm", str(path), "--status-date", "2027-01-15", "--by", "account",
                 "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert err == f"costs from {tmp_path / 'portal.costs.json'}\n"
    document = json.loads(out)
    assert document["status_date"] == "2027-01-15"
    project, ca1, ca2 = document["rows"]
    # The figures of test_evm.py, worked out by hand there.
    assert (project["pv"], project["ev"], project["ac"], project["bac"]) == (
        "4900.00", "4500.00", "3600.00", "7800.00")
    assert (project["eac"], project["etc"], project["vac"]) == ("6240.00", "4460.00",
                                                                "1560.00")
    assert project["cpi"] == 1.25
    assert project["spi"] == 0.9184
    assert {"sv", "cv", "tcpi", "es", "spi_t", "sv_t", "ieac_t"} <= set(project)
    assert (ca1["key"], ca2["key"]) == ("CA-1", "CA-2")
    assert project["forecast_finish"] == "2027-01-26"


def test_table(portal: Portal, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _files(portal, tmp_path)
    code = main(["evm", str(path), "--status-date", "2027-01-15", "--by", "wbs",
                 "--costs", str(tmp_path / "portal.costs.json")])
    out, err = capsys.readouterr()
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "Portal: earned value on 2027-01-15 (EUR, periods: week)"
    assert lines[2].split()[:4] == ["Portal", "4900.00", "4500.00", "3600.00"]
    assert lines[3].split()[:5] == ["wbs", "1", "2000.00", "1600.00", "2100.00"]
    assert lines[-1] == "planned finish 2027-01-22, forecast finish 2027-01-26 (earned schedule)"


def test_without_a_baseline_the_task_is_named(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    project = pmcore.Project("Bare", start="2027-01-04")
    task = project.add_task("Build", "2d", fixed_cost="100")
    project.schedule().apply()
    path = tmp_path / "bare.pmcore.json"
    pmcore.write(project, path)
    assert task.id == "T1"
    code = main(["evm", str(path), "--status-date", "2027-01-05"])
    _, err = capsys.readouterr()
    assert code == 1  # a problem in the model, as pmcore's other commands report them
    assert "task 'T1' (Build).baselines: has costs but no baseline" in err


def test_bad_format_option(portal: Portal, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    path = _files(portal, tmp_path)
    code = main(["evm", str(path), "--status-date", "2027-01-15", "--format", "xml"])
    assert code == 2
    assert "table, json" in capsys.readouterr().err


def test_the_example_at_its_status_date(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / \
        "erp-infrastructure-upgrade-status.pmcore.json"
    code = main(["evm", str(example), "--status-date", "2027-03-31", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    total = document["rows"][0]
    assert total["cpi"] < 1  # the ERP build runs over budget
    assert total["spi"] < 1  # and late


def test_the_status_example_is_reproduced_byte_for_byte(tmp_path: Path) -> None:
    import subprocess
    import sys

    examples = Path(__file__).resolve().parents[2] / "examples"
    subprocess.run([sys.executable, str(examples / "build_status_example.py"), str(tmp_path)],
                   check=True)
    for name in ("erp-infrastructure-upgrade-status.pmcore.json",
                 "erp-infrastructure-upgrade-status.costs.json"):
        assert (tmp_path / name).read_bytes() == (examples / name).read_bytes(), name
