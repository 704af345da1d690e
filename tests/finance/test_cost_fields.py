"""The cost and earned-value fields of tasks and projects: validation and the JSON round trip."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pmcore
from pmcore.errors import ValidationError
from pmcore.io.converter import structure_project, unstructure_project
from pmcore.model import CostAccrual, EarnedValueMethod


def _project() -> pmcore.Project:
    p = pmcore.Project("Costs", start="2027-01-04", currency="USD")
    p.add_task("Licences", "5d", fixed_cost="1200.50", fixed_cost_accrual="start",
               cost_account="CA-1", ev_method="50/50", physical_percent_complete=40)
    p.add_task("Plain", "1d")
    return p


def test_fields_take_their_values() -> None:
    task = _project().task("T1")
    assert task.fixed_cost == Decimal("1200.50")
    assert task.fixed_cost_accrual is CostAccrual.START
    assert task.ev_method is EarnedValueMethod.FIFTY_FIFTY
    assert task.cost_account == "CA-1"
    assert task.physical_percent_complete == 40.0


def test_defaults_are_those_of_microsoft_project() -> None:
    plain = _project().task("T2")
    assert plain.fixed_cost == Decimal(0)
    assert plain.fixed_cost_accrual is CostAccrual.PRORATED
    assert plain.ev_method is EarnedValueMethod.PERCENT_COMPLETE
    assert pmcore.Project("x").currency == "EUR"


def test_round_trip_keeps_every_cost_field() -> None:
    project = _project()
    data = unstructure_project(project)
    assert data["currency"] == "USD"
    assert data["tasks"][0]["fixed_cost"] == "1200.50"  # money as a string, never a float
    assert data["tasks"][0]["ev_method"] == "50/50"
    assert "fixed_cost" not in data["tasks"][1]  # defaults are omitted
    assert structure_project(data) == project


@pytest.mark.parametrize(("field", "value"), [
    ("fixed_cost", "-5"), ("fixed_cost", 12.5), ("physical_percent_complete", 101),
    ("ev_method", "90/10"), ("fixed_cost_accrual", "sometimes"), ("cost_account", ""),
])
def test_bad_values_name_the_task_and_field(field: str, value: object) -> None:
    p = pmcore.Project("Bad", start="2027-01-04")
    with pytest.raises(ValidationError) as caught:
        p.add_task("Design", "1d", **{field: value})
    assert caught.value.field == field


@pytest.mark.parametrize("code", ["eur", "EURO", "E1R", ""])
def test_currency_is_an_iso_code(code: str) -> None:
    with pytest.raises(ValidationError, match="currency"):
        pmcore.Project("Bad", currency=code)
