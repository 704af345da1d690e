"""Build the example project that pmcore's demo runs on.

An ERP and infrastructure upgrade at a mid-size company, planned the way an IT PMO would plan
it: seven phases with gates, a weekend change-window calendar for the cutovers, a licence
deadline, custom fields for cost centres, risk and CAB approval, keys of the tickets the
work is tracked under in Jira and ServiceNow, and a few resources (people, a role staffed by
the ERP vendor, hardware and travel) assigned to the tasks they work on.

Run ``python examples/build_example.py [OUTPUT]``. Without an argument it rewrites
``examples/erp-infrastructure-upgrade.pmcore.json``; the output is the same, byte for byte, on
every run (fixed ids, fixed dates, nothing taken from the clock).

Only pmcore's public API is used, so this script doubles as a tour of it.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pmcore

DEFAULT_OUTPUT = Path(__file__).with_name("erp-infrastructure-upgrade.pmcore.json")

OFFICE_DAY = ["08:00-12:00", "13:00-17:00"]

# Lookup tables of the custom fields.
PMO = "4000 PMO"
INFRA = "4100 IT infrastructure"
SECURITY = "4200 IT security"
APPS = "4300 Business applications"
TRAINING = "4400 Learning and development"
COST_CENTERS = (PMO, INFRA, SECURITY, APPS, TRAINING)
RISK_LEVELS = ("High", "Medium", "Low")


def add_calendars(p: pmcore.Project) -> tuple[pmcore.Calendar, pmcore.Calendar]:
    """The office calendar (the project calendar) and the weekend change window."""
    office = p.add_calendar(
        "Office",
        id="office",
        week={"mon": OFFICE_DAY, "tue": OFFICE_DAY, "wed": OFFICE_DAY, "thu": OFFICE_DAY,
              "fri": OFFICE_DAY, "sat": [], "sun": []},
    )
    # Holidays on a fixed date recur every year; the Easter-based ones move, so they are
    # entered for 2027 only.
    office.add_holiday("New Year's Day", "2027-01-01", recurrence="FREQ=YEARLY")
    office.add_holiday("Good Friday", "2027-03-26")
    office.add_holiday("Easter Monday", "2027-03-29")
    office.add_holiday("Labour Day", "2027-05-01", recurrence="FREQ=YEARLY")
    office.add_holiday("Ascension Day", "2027-05-06")
    office.add_holiday("Whit Monday", "2027-05-17")
    office.add_holiday("Christmas Day", "2027-12-25", recurrence="FREQ=YEARLY")
    office.add_holiday("St Stephen's Day", "2027-12-26", recurrence="FREQ=YEARLY")
    office.add_holiday("Company shutdown", "2027-12-27", until="2027-12-31")

    # Changes to production run from Friday 18:00 to Sunday 18:00. The window derives from
    # the office calendar, so its public holidays block changes too.
    window = p.add_calendar(
        "Weekend change window",
        base=office,
        week={"mon": [], "tue": [], "wed": [], "thu": [], "fri": ["18:00-24:00"],
              "sat": ["00:00-24:00"], "sun": ["00:00-18:00"]},
    )
    window.add_holiday("Year-end change freeze", "2027-12-13", until="2028-01-09")
    return office, window


def define_fields(p: pmcore.Project) -> None:
    """Custom fields, as a PMO would set them up in Microsoft Project or Jira."""
    p.define_field("cost_center", "text", alias="Cost center", choices=COST_CENTERS,
                   description="Cost centre that carries the task's cost.")
    p.define_field("risk_level", "text", alias="Risk level", choices=RISK_LEVELS,
                   description="Delivery risk as assessed in the risk register.")
    p.define_field("cab_required", "flag", alias="Requires CAB approval",
                   description="The change advisory board must approve the change first.")
    p.define_field("capex", "cost", alias="CAPEX budget",
                   description="Approved capital expenditure in EUR.")
    p.define_field("portfolio", "text", applies_to="project", alias="Portfolio")


def build_project() -> pmcore.Project:
    """The whole plan, phase by phase."""
    p = pmcore.Project(
        "ERP and infrastructure upgrade",
        id="erp-infra-2027",
        start="2027-01-04",
        calendars={},  # the office calendar below replaces Microsoft Project's Standard one
        manager="Sabine Keller",
        notes=(
            "Upgrade of the core network, security tooling and backup platform, followed by "
            "the ERP release upgrade they are a prerequisite for. The legacy ERP release "
            "loses vendor support on 30 June 2027, which sets the go-live deadline."
        ),
        custom_fields={"portfolio": "Digital foundation 2027"},
        external_refs={"jira": "ERP"},
    )
    office, window = add_calendars(p)
    p.calendar = office.id
    define_fields(p)

    # 1 Initiation and planning ------------------------------------------------------------
    initiation = p.add_task("Initiation and planning", custom_fields={"cost_center": PMO})
    charter = p.add_task("Project charter and business case", "5d", parent=initiation)
    assessment = p.add_task("Current-state assessment (infrastructure and ERP)", "2w",
                            parent=initiation)
    p.link(charter, assessment, "SS", "2d")
    plan = p.add_task("Integrated plan, budget and risk register", "1w",
                      after=[charter, assessment], parent=initiation)
    plan_approved = p.add_milestone(
        "Project plan approved", after=plan, parent=initiation,
        notes="Gate 1: steering committee approves scope, budget and the phase plan.")

    # 2 Network upgrade ----------------------------------------------------------------------
    network = p.add_task("Network upgrade", custom_fields={"cost_center": INFRA})
    network_design = p.add_task("Network design (HLD and LLD)", "2w", after=plan_approved,
                                parent=network, external_refs={"jira": "NET-3"})

    core = p.add_task("Core switches", parent=network)
    order_switches = p.add_task(
        "Order core switches and optics", "6w", after=network_design, parent=core,
        custom_fields={"capex": Decimal("184500.00"), "risk_level": "Medium"},
        notes="Six weeks is the distributor's quoted lead time.")
    stage_switches = p.add_task("Stage and configure switches in the lab", "1w",
                                after=order_switches, parent=core)
    replace_switches = p.add_task(
        "Replace core switches", "12h", after=stage_switches, parent=core,
        calendar=window.id,
        constraint=pmcore.Constraint("FNLT", "2027-04-30T17:00"),
        priority=1000,
        custom_fields={"cab_required": True, "risk_level": "High"},
        external_refs={"servicenow": "CHG0040561"},
        notes="Vendor support for the current core switches ends on 30 April 2027.")

    edge = p.add_task("Firewall and SD-WAN", parent=network)
    firewall_config = p.add_task("Migrate firewall rules and configure SD-WAN edges", "2w",
                                 after=network_design, parent=edge)
    firewall_cutover = p.add_task(
        "Firewall/SD-WAN cutover", "16h", after=firewall_config, parent=edge,
        calendar=window.id,
        constraint=pmcore.Constraint("SNET", "2027-03-12T18:00"),
        priority=1000,
        custom_fields={"cab_required": True, "risk_level": "High"},
        external_refs={"jira": "NET-19", "servicenow": "CHG0040213"},
        notes="Change window booked with the CAB for the weekend of 12-14 March 2027; "
              "rollback to the old firewall pair if the branch tunnels are not up by 10:00.")
    burn_in = p.add_task("Post-cutover burn-in", "3ed", after=firewall_cutover, parent=edge,
                         notes="72 hours of monitoring round the clock before sign-off.")

    wifi = p.add_task("Replace Wi-Fi access points", "2w", after=replace_switches,
                      parent=network, custom_fields={"capex": Decimal("42000.00")})
    network_done = p.add_milestone("Network upgrade complete", after=[burn_in, wifi],
                                   parent=network)

    # 3 Cybersecurity hardening --------------------------------------------------------------
    security = p.add_task("Cybersecurity hardening", custom_fields={"cost_center": SECURITY})
    mfa = p.add_task("MFA rollout", parent=security)
    mfa_pilot = p.add_task("MFA pilot with the IT department", "1w", after=plan_approved,
                           parent=mfa)
    mfa_all = p.add_task("MFA rollout to all staff", "3w", after=mfa_pilot, parent=mfa,
                         custom_fields={"risk_level": "Medium"})

    edr = p.add_task("EDR deployment", parent=security)
    edr_deploy = p.add_task("Deploy EDR agents to servers and endpoints", "2w",
                            after=plan_approved, parent=edr, external_refs={"jira": "SEC-8"})
    edr_tuning = p.add_task("Tune EDR policies and switch to block mode", "2w", parent=edr)
    p.link(edr_deploy, edr_tuning, "SS", "50%")  # tune once half the fleet reports in

    siem = p.add_task("Onboard log sources to the SIEM", "3w", after=plan_approved,
                      parent=security)
    p.link(edr_tuning, siem, "FF", "2d")  # the EDR feed is the last source to settle
    vulnerabilities = p.add_task(
        "Vulnerability remediation", "4w?", after=edr_deploy, parent=security,
        notes="Estimate: the size of the backlog is known only after the first EDR scans.")
    pentest = p.add_task(
        "External penetration test and retest", "2w",
        after=[vulnerabilities, mfa_all, burn_in], parent=security, priority=800,
        custom_fields={"risk_level": "Medium"},
        external_refs={"jira": "SEC-21"})
    security_done = p.add_milestone("Security baseline signed off", after=[pentest, siem],
                                    parent=security)

    # 4 Backup system ------------------------------------------------------------------------
    backup = p.add_task("Backup system", custom_fields={"cost_center": INFRA})
    p.link(plan_approved, backup)  # a link to a summary task drives everything below it
    buy_backup = p.add_task("Procure backup appliance", "4w", parent=backup,
                            custom_fields={"capex": Decimal("96000.00")})
    install_backup = p.add_task("Install appliance and configure backup jobs", "1w",
                                after=[buy_backup, replace_switches], parent=backup)
    immutable = p.add_task("Configure immutable and offsite copies", "1w",
                           after=install_backup, parent=backup,
                           notes="Object-lock retention 30 days; nightly replication to the "
                                 "second site.")
    restore_tests = p.add_task("Restore tests (files, VMs, ERP database)", "1w",
                               parent=backup, custom_fields={"risk_level": "Medium"})
    p.link(immutable, restore_tests, "FS", "2ed")  # let a first full backup run over a weekend
    backup_done = p.add_milestone(
        "Backup service accepted", after=restore_tests, parent=backup,
        deadline="2027-05-28T17:00",
        notes="The cyber insurance renewal on 1 June 2027 requires immutable backups.")

    # 5 ERP upgrade --------------------------------------------------------------------------
    erp = p.add_task("ERP upgrade", custom_fields={"cost_center": APPS},
                     external_refs={"jira": "ERP-1"})
    fit_gap = p.add_task("Fit-gap analysis", "3w", after=plan_approved, parent=erp,
                         external_refs={"jira": "ERP-12"})
    solution_design = p.add_task("Solution design", "2w", after=fit_gap, parent=erp,
                                 external_refs={"jira": "ERP-14"})
    design_approved = p.add_milestone(
        "Design approved", after=solution_design, parent=erp,
        notes="Gate 2: design authority approves the solution design and the interface list.")

    build = p.add_task("Build and configuration", parent=erp)
    provision = p.add_task("Provision servers and install the ERP release", "2w",
                           after=design_approved, parent=build,
                           custom_fields={"cost_center": INFRA})
    configure = p.add_task("Configure modules (finance, logistics, HR)", "1mo",
                           after=provision, parent=build, external_refs={"jira": "ERP-20"})
    interfaces = p.add_task("Develop interfaces and reports", "6w", parent=build,
                            custom_fields={"risk_level": "High"},
                            external_refs={"jira": "ERP-24"})
    p.link(configure, interfaces, "SS", "1w")

    migration = p.add_task("Data migration", parent=erp)
    cleansing = p.add_task("Data cleansing", "4w", after=fit_gap, parent=migration,
                           external_refs={"jira": "ERP-31"})
    rehearsal_1 = p.add_task("Migration rehearsal 1", "1w", after=[cleansing, provision],
                             parent=migration)
    rehearsal_2 = p.add_task("Migration rehearsal 2 (timed dress rehearsal)", "1w",
                             parent=migration, custom_fields={"risk_level": "High"},
                             notes="Must fit the 36-hour cutover window with 6 hours to spare.")
    p.link(rehearsal_1, rehearsal_2, "FS", "1w")  # a week to fix what rehearsal 1 found

    testing = p.add_task("Testing", parent=erp)
    integration = p.add_task("Integration tests", "3w", after=[configure, interfaces],
                             parent=testing, external_refs={"jira": "ERP-45"})
    uat = p.add_task("User acceptance testing", "3w", after=[integration, rehearsal_1],
                     parent=testing, priority=800, external_refs={"jira": "ERP-57"})

    cutover = p.add_task("Cutover", parent=erp)
    go_no_go = p.add_milestone(
        "Go/No-go for cutover", after=[uat, rehearsal_2, backup_done, security_done],
        parent=cutover,
        notes="Gate 3: steering committee decides on UAT results, rehearsal timings, "
              "restore tests and the security sign-off.")
    production_cutover = p.add_task(
        "Production cutover weekend", "36h", after=go_no_go, parent=cutover,
        calendar=window.id, priority=1000,
        custom_fields={"cab_required": True, "risk_level": "High"},
        external_refs={"jira": "ERP-88", "servicenow": "CHG0041877"},
        notes="Freeze the legacy ERP on Friday 18:00, final data load, smoke tests, "
              "open for business on Monday.")
    go_live = p.add_milestone("Go-live", after=production_cutover, parent=cutover,
                              deadline="2027-06-30T17:00",
                              custom_fields={"risk_level": "High"})
    hypercare = p.add_task("Hypercare", "4w", after=go_live, parent=erp,
                           notes="Daily defect triage with the key users and the vendor.")
    legacy_support = p.add_task(
        "Extended legacy ERP vendor support", "1mo", parent=erp,
        notes="Kept until two weeks into hypercare, as a fallback for month-end closing.")
    p.link(hypercare, legacy_support, "SF", "2w")

    # 6 Staff training -----------------------------------------------------------------------
    training = p.add_task("Staff training", custom_fields={"cost_center": TRAINING})
    needs_analysis = p.add_task("Training needs analysis", "1w", after=design_approved,
                                parent=training)
    materials = p.add_task("Prepare training materials", "3w", after=needs_analysis,
                           parent=training)
    p.link(configure, materials, "FF", "1w")  # screenshots need the configured system
    train_trainers = p.add_task("Train-the-trainer sessions", "3d", parent=training)
    p.link(materials, train_trainers, "FS", "-1d")  # trainers start on the final draft
    end_users = p.add_task("End-user training sessions", "3w", after=train_trainers,
                           parent=training, external_refs={"jira": "ERP-63"})
    p.link(uat, end_users, "SS")  # courses run on the UAT environment
    p.link(end_users, go_no_go)

    # 7 Closure ------------------------------------------------------------------------------
    closure = p.add_task("Closure", custom_fields={"cost_center": PMO})
    handover = p.add_task("Handover to operations", "1w", after=[hypercare, network_done],
                          parent=closure,
                          notes="Runbooks, CMDB entries, monitoring and the support model "
                                "signed over to the IT service desk.")
    lessons = p.add_task("Lessons learned workshop", "4h", after=handover, parent=closure)
    report = p.add_task("Final report and financial close", "3d", after=lessons,
                        parent=closure)
    p.add_milestone("Project closed", after=report, parent=closure,
                    deadline="2027-09-30T17:00")
    add_resources(p)
    add_estimates(p)
    add_risks(p)
    return p


def add_estimates(p: pmcore.Project) -> None:
    """Three-point estimates where the team is unsure, for the Monte Carlo risk analysis
    (``pmcore simulate``); the planned durations above stay the CPM schedule's."""
    from pmcore.risk import Estimate

    estimates = {
        "Current-state assessment (infrastructure and ERP)": Estimate(
            optimistic="8d", most_likely="10d", pessimistic="15d"),
        # distributors quote six weeks; a long tail when a component is back-ordered
        "Order core switches and optics": Estimate(
            distribution="lognormal", optimistic="5w", most_likely="6w", pessimistic="10w"),
        "Vulnerability remediation": Estimate(
            distribution="uniform", optimistic="3w", pessimistic="6w"),
        "Procure backup appliance": Estimate(
            distribution="triangular", optimistic="3w", most_likely="4w", pessimistic="8w"),
        "Fit-gap analysis": Estimate(optimistic="12d", most_likely="15d", pessimistic="22d"),
        "Solution design": Estimate(distribution="triangular", optimistic="8d",
                                    most_likely="10d", pessimistic="16d"),
        "Configure modules (finance, logistics, HR)": Estimate(
            optimistic="16d", most_likely="20d", pessimistic="32d"),
        "Develop interfaces and reports": Estimate(
            optimistic="25d", most_likely="30d", pessimistic="45d",
            cost=("60000.00", "75000.00", "110000.00")),
        "Data cleansing": Estimate(optimistic="15d", most_likely="20d", pessimistic="35d",
                                   cost=("18000.00", "24000.00", "40000.00")),
        # a rehearsal whose timings fail is run again the following week
        "Migration rehearsal 2 (timed dress rehearsal)": Estimate(
            distribution="discrete", values=["1w", "2w"], weights=[0.7, 0.3]),
        "Integration tests": Estimate(optimistic="12d", most_likely="15d", pessimistic="25d"),
        "User acceptance testing": Estimate(optimistic="13d", most_likely="15d",
                                            pessimistic="25d", shape=6),
    }
    for name, estimate in estimates.items():
        p.find(name).estimate = estimate


def add_risks(p: pmcore.Project) -> None:
    """The risk register's quantified risks, which the Monte Carlo analysis lets occur."""
    risks = p.risks
    risks.add("Switch delivery slips", on="2027-01-04", owner="Tomas Berg",
              cause="a global shortage of optics", event="the distributor misses its date",
              effect="the core switch replacement misses its change window",
              probability=0.3, impacts={"schedule": "3w", "cost": "8000.00"},
              linked_tasks=[p.find("Order core switches and optics").id])
    risks.add("Data quality worse than sampled", on="2027-01-04", owner="Sabine Keller",
              probability=0.25, impacts={"schedule": "2w", "cost": "20000.00"},
              linked_tasks=[p.find("Data cleansing").id])
    risks.add("Key users unavailable during UAT", on="2027-01-04", owner="Sabine Keller",
              cause="month-end closing in May", probability=0.4,
              impacts={"schedule": "1w", "cost": "12000.00"},
              linked_tasks=[p.find("User acceptance testing").id])
    risks.add("Vendor's interface templates fit", on="2027-01-04", kind="opportunity",
              owner="ERP consultant", probability=0.5,
              impacts={"schedule": "1w", "cost": "10000.00"},
              linked_tasks=[p.find("Develop interfaces and reports").id])


def add_resources(p: pmcore.Project) -> None:
    """A few resources and their assignments; resources do not drive the schedule yet."""
    manager = p.add_resource(
        "Sabine Keller", initials="SK", group="PMO", roles=["Project manager"],
        rate_tables={"A": pmcore.RateTable([pmcore.Rate(standard_rate=Decimal("95.00"))])})
    engineer = p.add_resource(
        "Tomas Berg", initials="TB", group="IT infrastructure", roles=["Network engineer"],
        skills=["Switching", "SD-WAN"],
        rate_tables={"A": pmcore.RateTable([
            pmcore.Rate(standard_rate=Decimal("85.00"), overtime_rate=Decimal("127.50"))])})
    # Two vendor consultants until go-live, one half time in hypercare; the vendor's rates
    # rise on 1 July.
    consultant = p.add_resource(
        "ERP consultant", generic=True, group="ERP vendor", max_units=2.0,
        availability=[pmcore.Availability(start="2027-07-01", units=0.5)],
        rate_tables={"A": pmcore.RateTable([
            pmcore.Rate(standard_rate=Decimal("140.00")),
            pmcore.Rate(effective_from="2027-07-01", standard_rate=Decimal("148.00"))])})
    switches = p.add_resource(
        "Core switch", "material", material_label="units",
        rate_tables={"A": pmcore.RateTable([pmcore.Rate(standard_rate=Decimal("18500.00"))])})
    travel = p.add_resource("Vendor travel", "cost", accrue_at="start")

    p.assign(p.find("Project charter and business case"), manager, 1.0, "40h")
    p.assign(p.find("Integrated plan, budget and risk register"), manager, 1.0, "40h")
    p.assign(p.find("Network design (HLD and LLD)"), engineer, 1.0, "80h")
    p.assign(p.find("Order core switches and optics"), switches, 4)
    p.assign(p.find("Replace core switches"), engineer, 1.0, "24h")
    p.assign(p.find("Fit-gap analysis"), consultant, 1.0, "120h")
    p.assign(p.find("Fit-gap analysis"), travel, cost=Decimal("3500.00"))
    p.assign(p.find("Configure modules (finance, logistics, HR)"), consultant, 2.0, "320h",
             contour="bell")
    p.assign(p.find("Hypercare"), consultant, 0.5, "80h", contour="front_loaded")


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    project = build_project()
    pmcore.validate(project).raise_for_errors()
    pmcore.write(project, output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
