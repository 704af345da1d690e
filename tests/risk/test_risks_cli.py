"""``pmcore risks FILE``: the register with score, rating and EMV, by exposure, as a table or
JSON; a risk linked to a missing task is an input problem (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pmcore
from pmcore.cli import main


@pytest.fixture(autouse=True)
def builtins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD", "1")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def plant(tmp_path: Path, linked: str = "T1") -> Path:
    project = pmcore.Project("Plant", start="2027-01-04")
    project.add_task("Install turbine", "10d")
    risks = project.risks
    risks.add("Vendor delivers late", on="2027-01-04", owner="Ann", probability=0.3,
              impacts={"cost": "40000", "schedule": 3}, linked_tasks=[linked])   # 2 x 3 = 6
    risks.add("Energy grant", on="2027-01-04", kind="opportunity", probability=0.5,
              impacts={"cost": "20000", "reputation": 2})                        # 3 x 2 = 6
    risks.add("Crane breaks", on="2027-01-04", probability=0.8,
              impacts={"cost": "60000", "schedule": 4})                          # 5 x 4 = 20
    risks.add("Permit refused", on="2027-01-04", probability=0.05,
              impacts={"cost": "500000", "scope": 5})
    risks.close("RISK-4", on="2027-01-05")
    path = tmp_path / "plant.pmcore.json"
    pmcore.write(project, path)
    return path


def test_table_by_exposure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "risks", str(plant(tmp_path)))
    assert code == 0
    rows = [line for line in out.splitlines() if line.strip().startswith(("│ 1", "│ 2", "│ 3"))
            or line.strip()[:1].isdigit()]
    ids = [word for line in rows for word in line.split() if word.startswith("RISK-")]
    # Exposures: crane 0.8 x 60,000 = 48,000; vendor 12,000; grant 10,000; permit closed.
    assert ids == ["RISK-3", "RISK-1", "RISK-2"]
    assert "-48,000.00" in out
    assert "high" in out
    assert "threat exposure 60,000.00, opportunity exposure 10,000.00, net EMV -50,000.00" in out


def test_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "risks", str(plant(tmp_path)), "--format", "json", "--all")
    assert code == 0
    document = json.loads(out)
    assert document["totals"] == {"risks": 4, "threat_exposure": "85000.00",
                                  "opportunity_exposure": "10000.0", "net_emv": "-75000.00"}
    first = document["risks"][0]
    assert (first["id"], first["score"], first["rating"], first["emv"]) == \
        ("RISK-3", 20.0, "high", "-48000.0")
    assert [r["id"] for r in document["risks"]] == ["RISK-3", "RISK-4", "RISK-1", "RISK-2"]


def test_a_missing_linked_task_is_a_problem(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "risks", str(plant(tmp_path, linked="T9")))
    assert code == 1
    assert err.strip() == ("pmcore: error: risk 'RISK-1' (Vendor delivers late).linked_tasks: "
                           "unknown task id 'T9'")


def test_a_bad_output_format_is_a_usage_error(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "risks", str(plant(tmp_path)), "--format", "csv")
    assert code == 2
    assert "'csv' is not one of table, json" in err


def test_heat_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "risks", str(plant(tmp_path)), "--heatmap")
    assert code == 0
    lines = out.splitlines()
    # Crane: probability level 5 (very high), impact 4 (high); vendor 2 x 3; grant 3 x 2.
    very_high = next(line for line in lines if line.startswith("│ very high"))
    assert very_high.split("│")[5].strip() == "RISK-3 (high)"
    low = next(line for line in lines if line.startswith("│ low "))
    assert low.split("│")[4].strip() == "RISK-1 (medium)"
    code, out, _ = run(capsys, "risks", str(plant(tmp_path)), "--heatmap", "--format", "json")
    cells = json.loads(out)["heat_map"]
    assert len(cells) == 25
    assert {(c["probability_level"], c["impact_level"]): c["risk_ids"] for c in cells
            if c["risk_ids"]} == {(5, 4): ["RISK-3"], (2, 3): ["RISK-1"], (3, 2): ["RISK-2"]}
