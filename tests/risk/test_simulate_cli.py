"""``pmcore simulate``: the JSON document's keys and values, the table, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pmcore
from pmcore.cli import main
from pmcore.model.estimate import Estimate
from pmcore.risk.montecarlo import simulate


@pytest.fixture(autouse=True)
def _builtins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD", "1")


def _plan(path: Path) -> tuple[Path, pmcore.Project]:
    project = pmcore.Project("Rollout", start="2027-03-01")
    design = project.add_task("Design", "5d")
    design.estimate = Estimate(optimistic="4d", most_likely="5d", pessimistic="9d",
                               cost=("4000.00", "5000.00", "8000.00"))
    build = project.add_task("Build", "10d", after=design)
    build.estimate = Estimate(distribution="triangular", optimistic="8d", most_likely="10d",
                              pessimistic="16d")
    project.add_milestone("Live", after=build)
    project.risks.add("Supplier late", on="2027-03-01", probability=0.4,
                      impacts={"schedule": "5d", "cost": "3000.00"}, linked_tasks=[build.id])
    path.write_text(pmcore.dumps(project), encoding="utf-8")
    return path, project


def test_json_has_the_percentiles_probability_criticality_and_sensitivity(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = _plan(tmp_path / "rollout.pmcore.json")
    code = main(["simulate", str(path), "--iterations", "3000", "--seed", "7",
                 "--target-date", "2027-03-22", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    document = json.loads(out)
    assert set(document["finish"]) >= {"p10", "p50", "p80", "p90"}
    expected = simulate(pmcore.loads(path.read_text()), iterations=3000, seed=7)
    for p in (10, 50, 80, 90):
        assert document["finish"][f"p{p}"] == expected.finish.percentile(p).date().isoformat()
    assert document["probability_on_time"] == expected.probability_on_time("2027-03-22")
    assert 0 < document["probability_on_time"] < 1
    assert set(document["criticality"]) == {"T1", "T2", "T3"}
    assert document["criticality"]["T1"] == 1.0  # one chain: always critical
    assert set(document["sensitivity"]) == {"T1", "T2"}
    assert document["sensitivity"]["T2"] > document["sensitivity"]["T1"] > 0
    assert document["risks"]["RISK-1"]["probability"] == expected.risks["RISK-1"]
    assert document["cost"]["deterministic"] == "5000.00"
    assert document["milestones"]["T3"]["p50"] == expected.milestones["T3"].p50.date(
        ).isoformat()


def test_the_table_shows_p50_p80_and_top_risks(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = _plan(tmp_path / "rollout.pmcore.json")
    code = main(["simulate", str(path), "-n", "2000", "--seed", "3", "--target-date",
                 "2027-03-22"])
    out, _ = capsys.readouterr()
    assert code == 0
    result = simulate(pmcore.loads(path.read_text()), iterations=2000, seed=3)
    assert f"{result.finish.p50:%Y-%m-%d}" in out
    assert f"{result.finish.p80:%Y-%m-%d}" in out
    assert "RISK-1 Supplier late" in out
    assert "probability of finishing by 2027-03-22:" in out
    assert "2,000 iterations, seed 3 (vectorised)" in out


def test_bad_options_and_bad_files_exit_2(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = _plan(tmp_path / "rollout.pmcore.json")
    assert main(["simulate", str(path), "--format", "xml"]) == 2
    text = path.read_text().replace('"probability": 0.4', '"probability": 1.4')
    path.write_text(text)
    assert main(["simulate", str(path), "-n", "10"]) == 2
    _, err = capsys.readouterr()
    assert "risks.items[0]" in err
    assert "must be from 0 to 1, got 1.4" in err
