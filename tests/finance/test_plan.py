"""The cost plan: checks against the project, and its JSON file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pmcore
from pmcore.errors import FormatError, UnknownReferenceError, ValidationError
from pmcore.finance import (
    ApportionedEffort,
    BudgetRevision,
    ControlAccount,
    CostPlan,
    Expense,
    WeightedMilestone,
    read_cost_plan,
    write_cost_plan,
)


def _project() -> pmcore.Project:
    project = pmcore.Project("Plan", start="2027-01-04")
    project.add_task("Design", "5d", id="T1", ev_method="weighted_milestones")
    project.add_task("Review", "1d", id="T2", ev_method="apportioned_effort")
    project.add_milestone("Signed", id="M1")
    return project


def _plan(**changes: object) -> CostPlan:
    fields: dict[str, object] = {
        "accounts": [ControlAccount(id="CA", contingency="100")],
        "management_reserve": "250.50",
        "expenses": [Expense(task="T1", date="2027-01-05", amount="99.99")],
        "revisions": [BudgetRevision(id="CR-1", task="T1", amount="-10",
                                     approved_on="2027-01-06", approved_by="PMO",
                                     source="contingency")],
        "milestone_weights": {"T1": [WeightedMilestone("M1", "100")]},
        "apportioned": [ApportionedEffort("T2", "T1")]}
    fields.update(changes)
    return CostPlan(**fields)  # type: ignore[arg-type]


def test_file_round_trip(tmp_path: Path) -> None:
    plan = _plan()
    write_cost_plan(plan, tmp_path / "plan.costs.json")
    data = json.loads((tmp_path / "plan.costs.json").read_text())
    assert data["management_reserve"] == "250.50"  # money as text
    assert read_cost_plan(tmp_path / "plan.costs.json") == plan
    plan.check(_project())


def test_bad_files_are_format_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(FormatError, match="bad.json"):
        read_cost_plan(path)
    path.write_text(json.dumps({"format": "pmcore-costs", "budget": "1"}))
    with pytest.raises(FormatError, match=r"unknown keys \['budget'\]"):
        read_cost_plan(path)
    path.write_text(json.dumps({"format": "pmcore-costs", "actuals": [
        {"task": "T1", "date": "2027-01-05", "amount": 12.5}]}))
    with pytest.raises(FormatError, match="float"):
        read_cost_plan(path)


def test_checks_name_the_item() -> None:
    project = _project()
    with pytest.raises(UnknownReferenceError, match="expense of T9 on 2027-01-05.task"):
        _plan(expenses=[Expense(task="T9", date="2027-01-05", amount="1")]).check(project)
    with pytest.raises(ValidationError, match="no milestone weights"):
        _plan(milestone_weights={}).check(project)
    with pytest.raises(ValidationError, match="names no base task"):
        _plan(apportioned=[]).check(project)
    with pytest.raises(ValidationError, match="needs its approver"):
        BudgetRevision(id="CR-2", task="T1", amount="5", approved_on="2027-01-06",
                       approved_by=" ")
    with pytest.raises(ValidationError, match="used twice"):
        _plan(accounts=[ControlAccount(id="CA"), ControlAccount(id="CA")])
    with pytest.raises(ValidationError, match="source"):
        BudgetRevision(id="CR-3", task="T1", amount="5", approved_on="2027-01-06",
                       approved_by="PMO", source="piggy bank")
    with pytest.raises(ValidationError, match="contingency"):
        ControlAccount(id="CA", contingency="-1")
    assert _plan().contingency == 100
