"""Time-phased cost against hand-worked cases, to the cent.

The standard calendar works 08:00-12:00 and 13:00-17:00, Monday to Friday: 8 hours a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

import pmcore
from pmcore.errors import ValidationError
from pmcore.finance import CostPlan, Expense, Periods, task_costs, time_phase
from pmcore.io.converter import structure_project, unstructure_project

D = Decimal
Staffed = Callable[..., pmcore.Project]



def test_ten_days_over_a_weekend_by_day(staffed: Staffed) -> None:
    # Thursday 7 January 2027 + 10 working days: Thu 7, Fri 8, Mon 11 - Fri 15, Mon 18 -
    # Wed 20. Each working day costs 8 h x 50 = 400.00; the weekend of 9-10 costs nothing.
    phased = time_phase(staffed(), period="day")
    daily = phased.by_period()
    assert daily[dt.date(2027, 1, 7)] == daily[dt.date(2027, 1, 8)] == D(400)
    assert daily[dt.date(2027, 1, 9)] == daily[dt.date(2027, 1, 10)] == 0
    assert daily[dt.date(2027, 1, 20)] == D(400)
    assert sum(1 for v in daily.values() if v) == 10
    assert phased.total == D(4000)


def test_ten_days_by_iso_week(staffed: Staffed) -> None:
    # Week of 4 Jan: Thu + Fri = 800; week of 11 Jan: 5 days = 2000; week of 18 Jan: 3 days
    # = 1200.
    weeks = time_phase(staffed(), period="week").by_period()
    assert list(weeks.values()) == [D(800), D(2000), D(1200)]
    assert list(weeks) == [dt.date(2027, 1, 4), dt.date(2027, 1, 11), dt.date(2027, 1, 18)]
    cumulative = time_phase(staffed(), period="week").cumulative()
    assert list(cumulative.values()) == [D(800), D(2800), D(4000)]


def test_rate_changes_on_its_effective_date_mid_task(staffed: Staffed) -> None:
    # 100/h until Sunday 10 Jan, 120/h from Monday 11 Jan. Thu + Fri at 100: 2 x 800 =
    # 1600; the 8 days from Monday at 120: 8 x 960 = 7680. Total 9280.
    project = staffed(rates=[{"standard_rate": "100"},
                             {"effective_from": "2027-01-11", "standard_rate": "120"}])
    weeks = time_phase(project, period="week").by_period()
    assert list(weeks.values()) == [D(1600), D(4800), D("2880")]
    assert task_costs(project)["T1"].total == D(9280)


def test_rate_change_on_a_wednesday_splits_the_week(staffed: Staffed) -> None:
    # From Wednesday 13 Jan at 60/h (was 50): week of 11 Jan is Mon+Tue at 400 and Wed-Fri
    # at 480: 800 + 1440 = 2240.
    project = staffed(rates=[{"standard_rate": "50"},
                             {"effective_from": "2027-01-13", "standard_rate": "60"}])
    weeks = list(time_phase(project, period="week").by_period().values())
    assert weeks == [D(800), D(2240), D(1440)]


@pytest.mark.parametrize(("accrual", "expected"), [
    ("start", [D(1800), D(2000), D(1200)]),    # all 1000 in the first week
    ("end", [D(800), D(2000), D(2200)]),       # all 1000 in the last week
    ("prorated", [D(1000), D(2500), D(1500)]),  # 1000 x 2/10, x 5/10, x 3/10
])
def test_fixed_cost_accrual(accrual: str, expected: list[Decimal], staffed: Staffed) -> None:
    project = staffed(fixed_cost="1000", fixed_cost_accrual=accrual)
    assert list(time_phase(project, period="week").by_period().values()) == expected


def test_cost_per_use_material_and_cost_resources() -> None:
    # Work: 10 d x 8 h x 50 = 4000, plus 75 per use at the start.
    # Material: 3.5 tons x 200 = 700 plus 20 per use = 720, prorated as the work.
    # Cost resource (travel): 450 entered on the assignment, accrued at the end.
    project = pmcore.Project("Mixed", start="2027-01-07")
    dana = project.add_resource("Dana", id="dana", rate_tables={
        "A": [{"standard_rate": "50", "cost_per_use": "75"}]})
    steel = project.add_resource("Steel", id="steel", type="material", material_label="t",
                                 rate_tables={"A": [{"standard_rate": "200",
                                                     "cost_per_use": "20"}]})
    travel = project.add_resource("Travel", id="travel", type="cost", accrue_at="end")
    task = project.add_task("Build", "10d", id="T1")
    project.assign(task, dana)
    project.assign(task, steel, units=3.5)
    project.assign(task, travel, cost="450")
    project.schedule().apply()
    costs = task_costs(project)["T1"]
    assert costs.kinds == {"labour": D(4075), "material": D(720), "cost_resources": D(450),
                           "fixed": 0, "expenses": 0}
    assert costs.total == D(5245)
    weeks = list(time_phase(project, period="week", baseline=None).by_period().values())
    # Week 1: 800 + 75 + 720 x 2/10 = 1019; week 2: 2000 + 360 = 2360;
    # week 3: 1200 + 216 + 450 = 1866.
    assert weeks == [D(1019), D(2360), D(1866)]


def test_resource_accruing_at_the_end(staffed: Staffed) -> None:
    project = staffed(baseline=False)
    dana = project.resource("dana")
    dana.accrue_at = "end"  # type: ignore[assignment]  # converted by attrs on_setattr
    project.save_baseline(saved_at="2027-01-01")
    assert list(time_phase(project, period="week").by_period().values()) == [0, 0, D(4000)]


def test_fiscal_year_starting_in_april(staffed: Staffed) -> None:
    # Monday 29 March 2027 + 10 days: Mon 29 - Wed 31 March (3 days = 1200) in the last
    # quarter of FY2027; Thu 1, Fri 2, Mon 5 - Fri 9 April (7 days = 2800) in FY2028-Q1.
    project = staffed(start="2027-03-29")
    phased = time_phase(project, period="quarter", fiscal_year_start=4)
    assert [(r.label, r.amount) for r in phased.rows] == [("FY2027-Q4", D(1200)),
                                                          ("FY2028-Q1", D(2800))]
    assert phased.starts == (dt.date(2027, 1, 1), dt.date(2027, 4, 1))
    years = time_phase(project, period="year", fiscal_year_start=4)
    assert [r.label for r in years.rows] == ["FY2027", "FY2028"]
    calendar = time_phase(project, period="quarter")
    assert [r.label for r in calendar.rows] == ["2027-Q1", "2027-Q2"]


def test_periods() -> None:
    april = Periods("quarter", fiscal_year_start=4)
    assert april.start_of(dt.date(2028, 2, 29)) == dt.date(2028, 1, 1)
    assert april.label(dt.date(2028, 1, 1)) == "FY2028-Q4"
    assert Periods("year", 7).start_of(dt.date(2027, 6, 30)) == dt.date(2026, 7, 1)
    assert Periods("week").label(dt.date(2027, 1, 4)) == "2027-W01"
    with pytest.raises(ValidationError, match="fiscal_year_start"):
        Periods("month", 13)
    with pytest.raises(ValidationError, match="kind"):
        Periods("fortnight")


def test_expenses_fall_on_their_day(staffed: Staffed) -> None:
    plan = CostPlan(expenses=[Expense(task="T1", date="2027-01-19", amount="300.25")])
    phased = time_phase(staffed(), plan, period="week")
    assert list(phased.by_period().values()) == [D(800), D(2000), D("1500.25")]


def test_baseline_dates_not_current_ones(staffed: Staffed) -> None:
    # The task slips a week after the baseline: PV stays on the baseline's weeks.
    project = staffed()
    project.task("T1").constraint = pmcore.model.Constraint("SNET", "2027-01-14T08:00")
    project.schedule().apply()
    planned = time_phase(project, period="week")
    current = time_phase(project, period="week", baseline=None)
    assert list(planned.by_period().values()) == [D(800), D(2000), D(1200)]
    # Current dates: Thursday 14 Jan + 10 days: 2 days in its week, 5, then 3.
    assert list(current.by_period().values()) == [D(800), D(2000), D(1200)]
    assert current.starts[0] == dt.date(2027, 1, 11)


def test_no_baseline_is_named(staffed: Staffed) -> None:
    with pytest.raises(ValidationError, match="task 'T1'.*has costs but no baseline") as caught:
        time_phase(staffed(baseline=False))
    assert caught.value.field == "baselines"


def test_records_are_rounded_to_the_cent(staffed: Staffed) -> None:
    # 1/3 of an hour a day: 50 x 8 x 1/3 = 133.333... a day; 10 days = 1333.33.
    project = staffed(baseline=False)
    project.assignment("A1").units = 1 / 3  # type: ignore[assignment]
    project.save_baseline(saved_at="2027-01-01")
    records = time_phase(project, period="month").to_records()
    assert records == [{"task": "T1", "account": None, "period": dt.date(2027, 1, 1),
                        "label": "2027-01", "amount": D("1333.33"), "currency": "EUR"}]


def test_a_resource_day_off_costs_nothing() -> None:
    # Dana (40/h) is off on Wednesday 6 Jan; her 3-day task starting Monday 4 Jan runs on her
    # calendar: Mon, Tue, Thu = 3 x 320 = 960, nothing on Wednesday (as the scheduler does).
    project = pmcore.Project("Leave", start="2027-01-04")
    calendar = project.add_calendar("Dana", base="standard", id="dana-cal")
    calendar.add_holiday("Day off", "2027-01-06")
    dana = project.add_resource("Dana", id="dana", calendar="dana-cal",
                                rate_tables={"A": [{"standard_rate": "40"}]})
    task = project.add_task("Write", "3d", id="T1")
    project.assign(task, dana)
    project.schedule().apply()
    daily = time_phase(project, period="day", baseline=None).by_period()
    assert [daily[dt.date(2027, 1, d)] for d in (4, 5, 6, 7)] == [D(320), D(320), 0, D(320)]


def test_overtime_is_charged_at_the_overtime_rate() -> None:
    # 5 days, 40 h of work of which 8 h overtime: 32 h x 50 + 8 h x 75 = 2200, spread evenly
    # over the 5 days (440 a day).
    project = pmcore.Project("Overtime", start="2027-01-04")
    dana = project.add_resource("Dana", id="dana", rate_tables={
        "A": [{"standard_rate": "50", "overtime_rate": "75"}]})
    task = project.add_task("Rush", "5d", id="T1")
    project.assign(task, dana, work="40h", overtime_work="8h")
    project.schedule().apply()
    assert task_costs(project)["T1"].total == D(2200)
    daily = time_phase(project, period="day", baseline=None).by_period()
    assert daily[dt.date(2027, 1, 4)] == D(440)
    data = unstructure_project(project)
    assert data["assignments"][0]["overtime_work"] == "8h"
    assert structure_project(data) == project
