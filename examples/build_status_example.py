"""Build the example project at a status date, with its costs: what ``pmcore evm`` shows.

The ERP and infrastructure upgrade of ``build_example.py``, baselined on 3 January 2027 and
reported on at the end of March: the phases are control accounts, a few tasks carry fixed
costs (appliances, licences, a penetration test), the budget holds a management reserve and
contingency for the ERP and network accounts, one change request moved money from the reserve
to the interfaces, and actual costs were booked per task. The network work runs under budget;
the ERP build runs late and over budget.

Run ``python examples/build_status_example.py [DIRECTORY]``. It writes
``erp-infrastructure-upgrade-status.pmcore.json`` and, beside it, the cost plan
``erp-infrastructure-upgrade-status.costs.json`` (``pmcore evm`` finds it there); the output
is the same, byte for byte, on every run.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pmcore
from pmcore.finance import (
    ActualCost,
    BudgetRevision,
    ControlAccount,
    CostPlan,
    task_costs,
    to_cents,
    write_cost_plan,
)

HERE = Path(__file__).parent
NAME = "erp-infrastructure-upgrade-status"
STATUS_DATE = dt.date(2027, 3, 31)
BASELINED = "2027-01-03T09:00"

# Fixed costs: (task name, amount, accrual).
FIXED_COSTS = [
    ("Procure backup appliance", "42000.00", "end"),
    ("External penetration test and retest", "18000.00", "end"),
    ("Onboard log sources to the SIEM", "12000.00", "prorated"),
    ("MFA rollout to all staff", "8500.00", "start"),
    ("Extended legacy ERP vendor support", "9000.00", "prorated"),
    ("End-user training sessions", "6000.00", "prorated"),
]
EARNING = {"External penetration test and retest": "0/100",
           "Procure backup appliance": "50/50",
           "Hypercare": "level_of_effort"}
CONTINGENCY = {"Network upgrade": "5000.00", "ERP upgrade": "10000.00"}

# Progress on 31 March 2027 where it differs from "done if it should be done by then, not
# started otherwise": (task name, percent complete).
PROGRESS = {
    "Order core switches and optics": 100.0,
    "Stage and configure switches in the lab": 60.0,
    "Migrate firewall rules and configure SD-WAN edges": 100.0,
    "Post-cutover burn-in": 100.0,
    "External penetration test and retest": 50.0,
    "Data cleansing": 80.0,
    "Migration rehearsal 1": 40.0,
    "Configure modules (finance, logistics, HR)": 20.0,
    "Develop interfaces and reports": 5.0,
    "Provision servers and install the ERP release": 100.0,
}
# Actual cost as a share of the earned budget, by phase: the network runs under budget,
# the ERP over it.
SPEND = {"Network upgrade": Decimal("0.92"), "ERP upgrade": Decimal("1.18")}


def _load_builder() -> object:
    spec = importlib.util.spec_from_file_location("build_example", HERE / "build_example.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build() -> tuple[pmcore.Project, CostPlan]:
    """The baselined project with its progress on 31 March 2027, and its cost plan."""
    project: pmcore.Project = _load_builder().build_project()  # type: ignore[attr-defined]
    phases = project.children()
    accounts = []
    for number, phase in enumerate(phases, start=1):
        account = f"CA-{number}"
        accounts.append(ControlAccount(id=account, name=phase.name,
                                       contingency=CONTINGENCY.get(phase.name, "0")))
        for task in (phase, *project.descendants(phase)):
            task.cost_account = account
    for name, amount, accrual in FIXED_COSTS:
        task = project.find(name)
        task.fixed_cost = Decimal(amount)
        task.fixed_cost_accrual = accrual  # type: ignore[assignment]
    for name, method in EARNING.items():
        project.find(name).ev_method = method  # type: ignore[assignment]
    project.schedule().apply()
    project.save_baseline(saved_at=BASELINED)

    project.status_date = dt.datetime.combine(STATUS_DATE, dt.time(17))
    budgets = task_costs(project, baseline=0)
    actuals = []
    for task in project.work_tasks:
        saved = task.baselines[0]
        done = PROGRESS.get(task.name, 100.0 if saved.finish.date() <= STATUS_DATE else 0.0)
        if not done:
            continue
        task.percent_complete = done
        task.actual_start = saved.start
        if done >= 100:
            task.actual_finish = saved.finish
        try:
            budget = budgets[task.id].total
        except KeyError:
            continue
        phase = project.ancestors(task)[-1].name
        spent = budget * Decimal(repr(done)) / 100 * SPEND.get(phase, Decimal(1))
        booked = min(saved.finish.date(), STATUS_DATE)
        actuals.append(ActualCost(task=task.id, date=booked, description="invoices and timesheets",
                                  amount=to_cents(spent)))
    plan = CostPlan(
        accounts=accounts, management_reserve="15000.00", actuals=actuals,
        revisions=[BudgetRevision(id="CR-01", task=project.find(
            "Develop interfaces and reports").id, amount="4000.00", approved_on="2027-03-15",
            approved_by="Steering committee", source="management_reserve",
            reason="Two more interfaces to the warehouse system")])
    plan.check(project)
    return project, plan


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else HERE
    project, plan = build()
    pmcore.validate(project).raise_for_errors()
    pmcore.write(project, directory / f"{NAME}.pmcore.json")
    write_cost_plan(plan, directory / f"{NAME}.costs.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
