"""The bundled example project: it loads cleanly, says what it was designed to say, round-trips
through every format, and its generator reproduces it byte for byte.

The expected numbers below come from the design of the plan in ``examples/build_example.py``
(counted by hand from its WBS), not from reading the generated file.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import pmcore

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE = EXAMPLES / "erp-infrastructure-upgrade.pmcore.json"
GENERATOR = EXAMPLES / "build_example.py"

PHASES = [
    "Initiation and planning",
    "Network upgrade",
    "Cybersecurity hardening",
    "Backup system",
    "ERP upgrade",
    "Staff training",
    "Closure",
]
MILESTONES = [
    "Project plan approved",
    "Network upgrade complete",
    "Security baseline signed off",
    "Backup service accepted",
    "Design approved",
    "Go/No-go for cutover",
    "Go-live",
    "Project closed",
]
SUB_PHASES = [
    "Core switches",
    "Firewall and SD-WAN",
    "MFA rollout",
    "EDR deployment",
    "Build and configuration",
    "Data migration",
    "Testing",
    "Cutover",
]
CHANGE_WINDOW_TASKS = {"Replace core switches", "Firewall/SD-WAN cutover",
                       "Production cutover weekend"}


@pytest.fixture(scope="module")
def project() -> pmcore.Project:
    return pmcore.read(EXAMPLE)


def test_loads_without_problems(project: pmcore.Project) -> None:
    report = pmcore.validate(project)
    assert report.ok
    assert list(report) == []


def test_project_header(project: pmcore.Project) -> None:
    assert project.id == "erp-infra-2027"
    assert project.name == "ERP and infrastructure upgrade"
    assert project.start == dt.datetime(2027, 1, 4, 8, 0)
    assert project.manager == "Sabine Keller"
    assert "30 June 2027" in project.notes
    assert project.custom_fields == {"portfolio": "Digital foundation 2027"}
    assert project.external_refs == {"jira": "ERP"}


def test_size_and_shape(project: pmcore.Project) -> None:
    assert 55 <= len(project) <= 70
    assert len(project) == 65
    assert len(project.dependencies) == 66
    assert [t.name for t in project.milestones] == MILESTONES
    assert all(t.milestone and t.duration == pmcore.Duration.ZERO for t in project.milestones)
    assert [t.name for t in project.summary_tasks] == [
        "Initiation and planning", "Network upgrade", "Core switches", "Firewall and SD-WAN",
        "Cybersecurity hardening", "MFA rollout", "EDR deployment", "Backup system",
        "ERP upgrade", "Build and configuration", "Data migration", "Testing", "Cutover",
        "Staff training", "Closure",
    ]
    assert len(project.summary_tasks) == len(PHASES) + len(SUB_PHASES) == 15
    assert [t.name for t in project.children()] == PHASES
    assert all(project.outline_level(project.find(name)) == 2 for name in SUB_PHASES)
    assert max(project.outline_level(t) for t in project) == 3
    # Work packages: neither summaries nor milestones.
    assert len([t for t in project.work_tasks if not t.is_milestone]) == 42


@pytest.mark.parametrize(("name", "number"), [
    ("Project charter and business case", "1.1"),
    ("Order core switches and optics", "2.2.1"),
    ("Firewall/SD-WAN cutover", "2.3.2"),
    ("Post-cutover burn-in", "2.3.3"),
    ("Backup system", "4"),
    ("Design approved", "5.3"),
    ("Data cleansing", "5.5.1"),
    ("Go/No-go for cutover", "5.7.1"),
    ("Go-live", "5.7.3"),
    ("End-user training sessions", "6.4"),
    ("Project closed", "7.4"),
])
def test_outline_numbers(project: pmcore.Project, name: str, number: str) -> None:
    assert project.outline_number(project.find(name)) == number


def test_durations_use_many_units(project: pmcore.Project) -> None:
    def duration(name: str) -> str:
        return str(project.find(name).duration)

    assert duration("Project charter and business case") == "5d"
    assert duration("Fit-gap analysis") == "3w"
    assert duration("Lessons learned workshop") == "4h"
    assert duration("Post-cutover burn-in") == "3ed"
    assert duration("Configure modules (finance, logistics, HR)") == "1mo"
    assert duration("Production cutover weekend") == "36h"
    estimate = project.find("Vulnerability remediation").duration
    assert estimate is not None
    assert estimate.estimated
    assert all(project.find(phase).duration is None for phase in PHASES)


def _link(project: pmcore.Project, predecessor: str, successor: str) -> pmcore.Dependency:
    pred, succ = project.find(predecessor).id, project.find(successor).id
    (found,) = [d for d in project.dependencies
                if d.predecessor == pred and d.successor == succ]
    return found


def test_links_of_every_type_with_lags_and_leads(project: pmcore.Project) -> None:
    assert {d.type for d in project.dependencies} == set(pmcore.LinkType)
    expected = [
        ("Project charter and business case",
         "Current-state assessment (infrastructure and ERP)", "SS", "2d"),
        ("Deploy EDR agents to servers and endpoints",
         "Tune EDR policies and switch to block mode", "SS", "50%"),
        ("Tune EDR policies and switch to block mode", "Onboard log sources to the SIEM",
         "FF", "2d"),
        ("Configure immutable and offsite copies", "Restore tests (files, VMs, ERP database)",
         "FS", "2ed"),
        ("Configure modules (finance, logistics, HR)", "Prepare training materials", "FF", "1w"),
        ("Prepare training materials", "Train-the-trainer sessions", "FS", "-1d"),
        ("Migration rehearsal 1", "Migration rehearsal 2 (timed dress rehearsal)", "FS", "1w"),
        ("Hypercare", "Extended legacy ERP vendor support", "SF", "2w"),
        ("User acceptance testing", "End-user training sessions", "SS", "0d"),
        ("Project plan approved", "Backup system", "FS", "0d"),  # into a summary task
    ]
    for predecessor, successor, kind, lag in expected:
        link = _link(project, predecessor, successor)
        assert (link.type.value, str(link.lag)) == (kind, lag), (predecessor, successor)
    assert _link(project, "Prepare training materials", "Train-the-trainer sessions").is_lead
    gate = project.find("Go/No-go for cutover")
    assert {project.task(d.predecessor).name for d in project.predecessors(gate)} == {
        "User acceptance testing", "Migration rehearsal 2 (timed dress rehearsal)",
        "Backup service accepted", "Security baseline signed off",
        "End-user training sessions",
    }


def test_constraints_deadlines_and_priorities(project: pmcore.Project) -> None:
    cutover = project.find("Firewall/SD-WAN cutover")
    assert cutover.constraint == pmcore.Constraint("SNET", dt.datetime(2027, 3, 12, 18, 0))
    switches = project.find("Replace core switches")
    assert switches.constraint == pmcore.Constraint("FNLT", dt.datetime(2027, 4, 30, 17, 0))
    constrained = [t.name for t in project if t.constraint.type is not pmcore.ConstraintType.ASAP]
    assert sorted(constrained) == ["Firewall/SD-WAN cutover", "Replace core switches"]
    deadlines = {t.name: t.deadline for t in project if t.deadline is not None}
    assert deadlines == {
        "Backup service accepted": dt.datetime(2027, 5, 28, 17, 0),
        "Go-live": dt.datetime(2027, 6, 30, 17, 0),
        "Project closed": dt.datetime(2027, 9, 30, 17, 0),
    }
    priorities = {t.name: t.priority for t in project if t.priority != 500}
    assert priorities == {
        "Replace core switches": 1000,
        "Firewall/SD-WAN cutover": 1000,
        "Production cutover weekend": 1000,
        "External penetration test and retest": 800,
        "User acceptance testing": 800,
    }
    assert "36-hour cutover window" in project.find(
        "Migration rehearsal 2 (timed dress rehearsal)").notes


def test_calendars(project: pmcore.Project) -> None:
    assert list(project.calendars) == ["office", "weekend-change-window"]
    assert project.calendar == "office"
    assert project.calendars["office"].name == "Office"
    window = project.calendars["weekend-change-window"]
    assert window.base == "office"
    office = project.effective_calendar()
    assert office.working_minutes(dt.date(2027, 1, 4)) == 480
    assert [str(w) for w in office.working_times(dt.date(2027, 1, 4))] == [
        "08:00-12:00", "13:00-17:00"]
    assert not office.is_working_day(dt.date(2027, 1, 9))  # Saturday
    holidays = {
        dt.date(2027, 1, 1),  # New Year's Day
        dt.date(2027, 3, 26),  # Good Friday
        dt.date(2027, 3, 29),  # Easter Monday
        dt.date(2027, 5, 6),  # Ascension Day
        dt.date(2027, 5, 17),  # Whit Monday
        dt.date(2028, 12, 25),  # Christmas Day, recurring (a Monday in 2028)
        dt.date(2028, 12, 26),  # St Stephen's Day, recurring
        dt.date(2029, 1, 1),  # New Year's Day, recurring (a Monday in 2029)
        dt.date(2030, 5, 1),  # Labour Day, recurring (a Wednesday in 2030)
        *(dt.date(2027, 12, day) for day in range(27, 32)),  # company shutdown
    }
    for day in holidays:
        assert not office.is_working_day(day), day
    for day in (dt.date(2027, 3, 25), dt.date(2027, 3, 30), dt.date(2028, 1, 3),
                dt.date(2028, 4, 17)):  # Easter Monday 2028 is not entered: one-off in 2027
        assert office.is_working_day(day), day


def test_change_window_calendar(project: pmcore.Project) -> None:
    window = project.effective_calendar("weekend-change-window")
    assert window.working_minutes(dt.date(2027, 3, 12)) == 6 * 60  # Friday from 18:00
    assert window.working_minutes(dt.date(2027, 3, 13)) == 24 * 60  # Saturday
    assert window.working_minutes(dt.date(2027, 3, 14)) == 18 * 60  # Sunday until 18:00
    assert not window.is_working_day(dt.date(2027, 3, 10))  # Wednesday
    assert not window.is_working_day(dt.date(2027, 5, 1))  # Labour Day, from the office base
    assert not window.is_working_day(dt.date(2027, 12, 18))  # year-end change freeze
    assert window.is_working_day(dt.date(2028, 1, 15))  # after the freeze
    on_window = {t.name for t in project if t.calendar == "weekend-change-window"}
    assert on_window == CHANGE_WINDOW_TASKS
    for name in CHANGE_WINDOW_TASKS:
        assert project.task_calendar(project.find(name)).calendar.name == "Weekend change window"


def test_custom_fields_and_external_refs(project: pmcore.Project) -> None:
    definitions = project.field_definitions
    assert list(definitions) == ["cost_center", "risk_level", "cab_required", "capex",
                                 "portfolio"]
    assert definitions["risk_level"].choices == ("High", "Medium", "Low")
    assert definitions["cab_required"].type is pmcore.FieldType.FLAG
    assert definitions["cab_required"].label == "Requires CAB approval"
    assert definitions["capex"].type is pmcore.FieldType.COST
    assert definitions["portfolio"].applies_to == "project"
    assert all("cost_center" in project.find(phase).custom_fields for phase in PHASES)
    cab = {t.name for t in project if t.custom_fields.get("cab_required")}
    assert cab == CHANGE_WINDOW_TASKS
    capex = [t.custom_fields["capex"] for t in project if "capex" in t.custom_fields]
    assert len(capex) == 3
    assert sum(v for v in capex if isinstance(v, Decimal)) == Decimal("322500.00")
    high = {t.name for t in project if t.custom_fields.get("risk_level") == "High"}
    assert high == CHANGE_WINDOW_TASKS | {
        "Develop interfaces and reports", "Migration rehearsal 2 (timed dress rehearsal)",
        "Go-live"}
    by_jira = {t.external_refs["jira"]: t.name for t in project if "jira" in t.external_refs}
    assert by_jira["ERP-12"] == "Fit-gap analysis"
    assert by_jira["NET-19"] == "Firewall/SD-WAN cutover"
    changes = {t.external_refs["servicenow"] for t in project if "servicenow" in t.external_refs}
    assert changes == {"CHG0040213", "CHG0040561", "CHG0041877"}


def test_json_round_trip(project: pmcore.Project) -> None:
    text = pmcore.dumps(project)
    assert pmcore.loads(text) == project
    assert text == EXAMPLE.read_text(encoding="utf-8")


def test_yaml_round_trip(project: pmcore.Project) -> None:
    pytest.importorskip("yaml")
    text = pmcore.dumps(project, format="yaml")
    again = pmcore.loads(text, format="yaml")
    assert again == project
    assert pmcore.dumps(again) == EXAMPLE.read_text(encoding="utf-8")


def test_generator_reproduces_the_file(tmp_path: Path) -> None:
    output = tmp_path / "regenerated.pmcore.json"
    subprocess.run([sys.executable, str(GENERATOR), str(output)], check=True, cwd=tmp_path,
                   timeout=120)
    assert output.read_bytes() == EXAMPLE.read_bytes()
