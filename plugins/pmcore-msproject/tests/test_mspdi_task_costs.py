"""A task's fixed cost, its accrual and its earned-value method in MSPDI.

MSPDI writes every cost in hundredths of the currency (``<FixedCost>100000</FixedCost>`` is
1,000.00), ``FixedCostAccrual`` as 1 start, 2 end, 3 prorated (MS Project's default), and
``EarnedValueMethod`` as 0 percent complete or 1 physical percent complete.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from pmcore.errors import FormatError
from pmcore.io.formats import ReadLimits
from pmcore.model import CostAccrual, EarnedValueMethod, Project
from pmcore_msproject import MspdiReader, MspdiWriter

SCHEMA = (Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "mspdi" / "schema"
          / "mspdi_pj15-correct.xsd")


def read_bytes(data: bytes) -> Project:
    return MspdiReader().read(io.BytesIO(data), source="costs.xml", limits=ReadLimits())


def plan(fields: str) -> bytes:
    return (f'<?xml version="1.0"?>\n<Project xmlns="http://schemas.microsoft.com/project">'
            f"<Name>Costs</Name><StartDate>2027-03-01T08:00:00</StartDate><Tasks><Task>"
            f"<UID>1</UID><ID>1</ID><Name>Licences</Name><OutlineLevel>1</OutlineLevel>"
            f"<Duration>PT8H0M0S</Duration>{fields}</Task></Tasks></Project>").encode()


def test_fixed_cost_accrual_and_earned_value_method_are_read() -> None:
    task = read_bytes(plan("<FixedCost>125050</FixedCost><FixedCostAccrual>1"
                           "</FixedCostAccrual><PhysicalPercentComplete>40"
                           "</PhysicalPercentComplete><EarnedValueMethod>1"
                           "</EarnedValueMethod>")).task("T1")
    assert task.fixed_cost == Decimal("1250.5")
    assert task.fixed_cost_accrual is CostAccrual.START
    assert task.ev_method is EarnedValueMethod.PHYSICAL_PERCENT_COMPLETE
    assert task.physical_percent_complete == 40


def test_ms_projects_defaults_read_as_pmcores() -> None:
    task = read_bytes(plan("<FixedCost>0</FixedCost><FixedCostAccrual>3</FixedCostAccrual>"
                           "<EarnedValueMethod>0</EarnedValueMethod>")).task("T1")
    assert (task.fixed_cost, task.fixed_cost_accrual, task.ev_method) == (
        Decimal(0), CostAccrual.PRORATED, EarnedValueMethod.PERCENT_COMPLETE)


def test_they_survive_a_write_and_a_read() -> None:
    project = Project("Costs", start="2027-03-01")
    task = project.add_task("Licences", "1d", fixed_cost="1250.50", fixed_cost_accrual="end",
                            ev_method="physical_percent_complete",
                            physical_percent_complete=40)
    buffer = io.BytesIO()
    MspdiWriter().write(project, buffer)
    assert b"<FixedCost>125050</FixedCost>" in buffer.getvalue()
    if SCHEMA.is_file():  # in the schema's order
        schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
        assert schema.validate(etree.fromstring(buffer.getvalue())), schema.error_log.last_error
    again = read_bytes(buffer.getvalue()).task(task.id)
    assert (again.fixed_cost, again.fixed_cost_accrual, again.ev_method,
            again.physical_percent_complete) == (Decimal("1250.5"), CostAccrual.END,
                                                 EarnedValueMethod.PHYSICAL_PERCENT_COMPLETE, 40)


@pytest.mark.parametrize(("fields", "where"), [
    ("<FixedCostAccrual>7</FixedCostAccrual>", "FixedCostAccrual"),
    ("<FixedCost>-5</FixedCost>", "FixedCost"),
    ("<FixedCost>five</FixedCost>", "FixedCost"),
    ("<FixedCost>NaN</FixedCost>", "FixedCost"),
    ("<EarnedValueMethod>4</EarnedValueMethod>", "EarnedValueMethod"),
])
def test_bad_values_name_the_element(fields: str, where: str) -> None:
    with pytest.raises(FormatError) as raised:
        read_bytes(plan(fields))
    assert raised.value.path == f"Project/Tasks/Task[UID=1]/{where}"


SAMPLES = SCHEMA.parents[1]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="MSPDI samples not found")
def test_the_currency_ms_project_saved_is_the_projects() -> None:
    data = (SAMPLES / "mspdirelations.xml").read_bytes()
    assert b"<CurrencyCode>GBP</CurrencyCode>" in data
    assert read_bytes(data).currency == "GBP"


def test_the_currency_survives_a_write_and_a_read() -> None:
    project = Project("Costs", start="2027-03-01", currency="CHF")
    buffer = io.BytesIO()
    MspdiWriter().write(project, buffer)
    assert read_bytes(buffer.getvalue()).currency == "CHF"
    with pytest.raises(FormatError) as raised:
        read_bytes(plan("").replace(b"<Name>Costs</Name>",
                                    b"<Name>Costs</Name><CurrencyCode>E1</CurrencyCode>"))
    assert raised.value.path == "Project/CurrencyCode"
