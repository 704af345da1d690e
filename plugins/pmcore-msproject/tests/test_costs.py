"""Costs of a plan read from Microsoft Project XML, against the costs Microsoft Project saved.

``mspdiassignmentcustom.xml`` (MPXJ's test file) has one 43-day task from 8 June to 5 August
2011 worked by two resources on rate table A, flat contour:

* Resource One, 100 %, 344 h at 26.00/h plus 17.00 per use: 344 x 26 + 17 = 8,961.00, which
  is the ``Cost`` Microsoft Project saved for the assignment (896100 hundredths).
* Resource Two, 63 %, 216 h 43 min at 18.00/h plus 14.00 per use: 216.7167 x 18 + 14 =
  3,914.90. Microsoft Project saved 3,909.78 for it, 5.12 less than its own work times its
  rate: the saved cost was not recalculated after the units changed (the resource's Work and
  the timephased work both say 216 h 43 min), so pmcore is checked against the formula there.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pmcore
from pmcore.finance import task_costs, time_phase, to_cents

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "mspdi"
SAMPLE = SAMPLES / "mspdiassignmentcustom.xml"
NS = {"p": "http://schemas.microsoft.com/project"}


def _saved_costs() -> dict[str, Decimal]:
    """The Cost Microsoft Project saved per resource UID, in currency units."""
    root = ET.parse(SAMPLE).getroot()
    return {a.findtext("p:ResourceUID", namespaces=NS) or "":
            Decimal(a.findtext("p:Cost", namespaces=NS) or "0") / 100
            for a in root.findall("p:Assignments/p:Assignment", NS)}


def _project() -> pmcore.Project:
    return pmcore.read(SAMPLE, strict=False)


def test_resource_one_costs_what_microsoft_project_saved() -> None:
    saved = _saved_costs()
    costs = task_costs(_project())
    task = costs.rows[0]
    assert saved["1"] == Decimal("8961.00")
    assert task.sources["R1"] == saved["1"]


def test_resource_two_is_work_times_rate_plus_per_use() -> None:
    costs = task_costs(_project()).rows[0]
    # 216 h 43 min = 13,003 minutes: 13003 / 60 x 18 + 14 = 3,914.90 exactly.
    assert to_cents(costs.sources["R2"]) == Decimal("3914.90")
    assert to_cents(costs.sources["R2"]) - _saved_costs()["2"] == Decimal("5.12")


def test_time_phased_cost_by_month() -> None:
    # The task's 43 working days are 344 h; Resource Two's 13,003 minutes are spread over
    # them evenly. June 8-30 holds 17 working days, July 21, August 1-5 five; the per-use
    # costs (17 + 14) fall on the start.
    project = _project()
    project.save_baseline(saved_at="2011-06-01T09:00")
    months = time_phase(project, period="month").by_period()
    task_minutes = 43 * 480

    def cost(days: int) -> Fraction:
        return days * 480 * (Fraction(26, 60) + Fraction(13003, task_minutes) * Fraction(18, 60))

    expected = [cost(17) + 31, cost(21), cost(5)]
    assert [to_cents(v) for v in months.values()] == [
        to_cents(Decimal(f.numerator) / Decimal(f.denominator)) for f in expected]
    assert to_cents(sum(months.values())) == Decimal("12875.90")
