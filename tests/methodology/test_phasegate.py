"""Phase-gate: the template against a hand-worked plan, gate reviews, violations, persistence.

The oracle for the dates is the standard calendar (Monday to Friday, 08:00-12:00 and
13:00-17:00, no holidays) worked by hand from Monday 2027-01-04:

    Initiation   Project charter 5d            Mon 01-04 .. Fri 01-08
                 Stakeholder register 3d       Mon 01-11 .. Wed 01-13
    G1 milestone                               Wed 01-13 17:00
    Planning     Requirements specification 10d Thu 01-14 .. Wed 01-27  (2 + 5 + 3 days)
                 Project management plan 5d    Thu 01-28 .. Wed 02-03
    G2 milestone                               Wed 02-03 17:00
    Execution    Solution build 20d            Thu 02-04 .. Wed 03-03  (2 + 5 + 5 + 5 + 3)
                 Acceptance testing 10d        Thu 03-04 .. Wed 03-17
    G3 milestone                               Wed 03-17 17:00
    Closure      Handover 5d                   Thu 03-18 .. Wed 03-24
                 Lessons learned 2d            Thu 03-25 .. Fri 03-26
                 Project closed (milestone)    Fri 03-26 17:00

60 working days in all (8 + 15 + 30 + 7): twelve whole weeks, so the project ends on the
Friday of the twelfth week.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pmcore
from pmcore.errors import FormatError, UnknownReferenceError, ValidationError
from pmcore.methodology import PHASE_GATE, phasegate
from pmcore.methodology.phasegate import (
    ENTRY_GATE_FIELD,
    GATE_FIELD,
    PHASE_FIELD,
    Deliverable,
    Gate,
    GateDecision,
    GateReview,
    Phase,
    PhaseGateMethodology,
    check,
    record_review,
)

D = dt.datetime


def new() -> pmcore.Project:
    return pmcore.Project.from_template("phase-gate", name="ERP", start="2027-01-04")


def review(gate: str, decision: str, date: str, **more: object) -> GateReview:
    return GateReview(gate=gate, decision=decision, date=date, approvers=["Sponsor"], **more)


# ---------------------------------------------------------------------------------- template


def test_the_template_has_the_phases_gates_and_deliverables_in_order() -> None:
    project = new()
    assert [(project.outline_number(t), t.name) for t in project.tasks] == [
        ("1", "Initiation"), ("1.1", "Project charter"), ("1.2", "Stakeholder register"),
        ("2", "G1: Approve initiation"),
        ("3", "Planning"), ("3.1", "Requirements specification"),
        ("3.2", "Project management plan"),
        ("4", "G2: Approve plan"),
        ("5", "Execution"), ("5.1", "Solution build"), ("5.2", "Acceptance testing"),
        ("6", "G3: Accept solution"),
        ("7", "Closure"), ("7.1", "Handover"), ("7.2", "Lessons learned"),
        ("7.3", "Project closed"),
    ]
    assert len(project.summary_tasks) == 4
    assert [t.name for t in project.milestones] == [
        "G1: Approve initiation", "G2: Approve plan", "G3: Accept solution", "Project closed"]
    assert [t.custom_fields.get(GATE_FIELD) for t in project.milestones] == [
        "G1", "G2", "G3", None]
    assert [(t.custom_fields[PHASE_FIELD], t.custom_fields.get(ENTRY_GATE_FIELD))
            for t in project.summary_tasks] == [
        ("initiate", None), ("plan", "G1"), ("execute", "G2"), ("close", "G3")]
    assert project.custom_fields["pmcore.methodology"] == "phase-gate"
    assert project.validate().ok
    assert pmcore.validate(project).ok


def test_the_template_schedules_to_the_hand_worked_dates() -> None:
    project = new()
    schedule = pmcore.schedule(project)
    dates = {t.name: (schedule[t].start, schedule[t].finish) for t in project.tasks}
    assert dates["Project charter"] == (D(2027, 1, 4, 8), D(2027, 1, 8, 17))
    assert dates["Stakeholder register"] == (D(2027, 1, 11, 8), D(2027, 1, 13, 17))
    assert dates["G1: Approve initiation"][1] == D(2027, 1, 13, 17)
    assert dates["Requirements specification"] == (D(2027, 1, 14, 8), D(2027, 1, 27, 17))
    assert dates["Planning"] == (D(2027, 1, 14, 8), D(2027, 2, 3, 17))
    assert dates["G2: Approve plan"][1] == D(2027, 2, 3, 17)
    assert dates["Solution build"] == (D(2027, 2, 4, 8), D(2027, 3, 3, 17))
    assert dates["Execution"] == (D(2027, 2, 4, 8), D(2027, 3, 17, 17))
    assert dates["G3: Accept solution"][1] == D(2027, 3, 17, 17)
    assert dates["Closure"] == (D(2027, 3, 18, 8), D(2027, 3, 26, 17))
    assert schedule.finish == D(2027, 3, 26, 17)
    # Every task below the summaries is on the one chain: all critical.
    assert set(schedule.critical_tasks) == {t.id for t in project.tasks
                                            if not project.is_summary(t)}


def test_gate_milestones_carry_their_checklist() -> None:
    project = new()
    g2 = project.find("G2: Approve plan")
    # The gate's own criterion, the exit criterion of Planning, the entry one of Execution.
    assert g2.notes.splitlines() == [
        "- [ ] Risks have owners and responses",
        "- [ ] Scope, schedule and cost baselines approved",
        "- [ ] Team and budget committed"]
    assert PHASE_GATE.checklist("G1") == ("Business case is viable",
                                          "Charter signed by the sponsor",
                                          "Project manager assigned")


def test_a_template_needs_a_start_and_a_known_methodology() -> None:
    with pytest.raises(ValidationError, match="start"):
        pmcore.Project.from_template("phase-gate", name="ERP", start=None)
    with pytest.raises(UnknownReferenceError, match="phase-gate, scrum, kanban, hybrid"):
        pmcore.Project.from_template("prince3", name="ERP", start="2027-01-04")
    with pytest.raises(ValidationError, match="methodology"):
        pmcore.Project.from_template(42, name="ERP", start="2027-01-04")  # type: ignore[arg-type]


def test_project_fields_pass_through_and_the_methodology_object_works_too() -> None:
    project = pmcore.Project.from_template(PHASE_GATE, name="ERP", start="2027-01-04",
                                           manager="Ada", custom_fields={"Region": "EU"})
    assert project.manager == "Ada"
    assert project.custom_fields == {"Region": "EU", "pmcore.methodology": "phase-gate"}


# ---------------------------------------------------------------------------------- violations


def test_work_in_a_phase_whose_gate_is_on_hold_is_reported_not_raised() -> None:
    project = new()
    record_review(project, review("G1", "hold", "2027-01-13", conditions="Re-cost the plan"))
    spec = project.find("Requirements specification")
    spec.actual_start = D(2027, 1, 14, 8)
    result = check(project)
    assert not result.ok
    [problem] = result.violations
    assert problem.code == "gate-not-passed"
    assert "gate 'G1' is not passed: its latest decision is hold on 2027-01-13" in str(problem)
    assert "Requirements specification" in str(problem)
    assert "Planning" in str(problem)
    planning = result.status("plan")
    assert (planning.decision, planning.decided_on, planning.conditions) == (
        GateDecision.HOLD, dt.date(2027, 1, 13), ("Re-cost the plan",))
    assert planning.started_on == D(2027, 1, 14, 8)
    assert planning.violation == "gate-not-passed"
    # The same finding through the validation hook, as a warning: the plan still loads.
    report = pmcore.validate(project)
    assert [(p.code, p.severity.value, p.source) for p in report] == [
        ("gate-not-passed", "warning", "pmcore")]
    assert pmcore.loads(pmcore.dumps(project)) == project
    pmcore.schedule(project)  # and schedules


def test_a_later_go_passes_the_gate_and_recycle_closes_it_again() -> None:
    project = new()
    project.find("Requirements specification").percent_complete = 10
    assert check(project).status("plan").violation == "gate-not-passed"  # never reviewed
    assert "it has not been reviewed" in str(check(project).problems[0])
    record_review(project, review("G1", "hold", "2027-01-13"))
    record_review(project, review("G1", "go", "2027-01-14"))
    result = check(project)
    assert result.ok
    assert result.status("plan").passed
    # A decision recorded later but dated earlier does not override the later one.
    record_review(project, review("G1", "recycle", "2027-01-13"))
    assert check(project).ok
    record_review(project, review("G1", "recycle", "2027-01-20"))
    assert check(project).status("plan").violation == "gate-not-passed"


def test_work_started_before_the_go_is_a_warning() -> None:
    project = new()
    project.find("Requirements specification").actual_start = D(2027, 1, 12, 8)
    project.find("Project charter").actual_start = D(2027, 1, 4, 8)
    record_review(project, review("G1", "go", "2027-01-13"))
    [problem] = check(project).problems
    assert problem.code == "started-before-gate"
    assert problem.severity.value == "warning"
    assert "on 2027-01-12, before gate 'G1' said go on 2027-01-13" in str(problem)
    # Initiation has no gate: its work is never a violation.
    assert check(project).status("initiate").violation is None


def test_a_killed_project_cannot_go_on() -> None:
    project = new()
    record_review(project, review("G1", "kill", "2027-01-13"))
    project.find("Project management plan").actual_start = D(2027, 1, 28, 8)
    assert [p.code for p in check(project).violations] == ["gate-not-passed"]
    assert "latest decision is kill" in str(check(project).violations[0])


def test_structural_problems_are_errors() -> None:
    project = new()
    gate = project.find("G2: Approve plan")
    execution = project.find("Execution")
    execution.custom_fields = {PHASE_FIELD: "execute"}  # the gate between is lost
    codes = [(p.code, p.severity.value) for p in pmcore.validate(project)]
    assert codes == [("phase-without-gate", "error")]
    execution.custom_fields = {PHASE_FIELD: "execute", ENTRY_GATE_FIELD: "G9"}
    assert [p.code for p in check(project).problems] == ["unknown-gate"]
    assert gate.custom_fields[GATE_FIELD] == "G2"
    # A review of a gate the project does not have, given directly to check().
    stray = check(new(), [review("G7", "go", "2027-02-01")])
    assert [p.code for p in stray.problems] == ["unknown-gate"]


def test_a_plain_project_has_nothing_to_check() -> None:
    project = pmcore.Project("Plain", start="2027-01-04")
    project.add_task("Work", "5d", actual_start="2027-01-04")
    assert check(project).phases == ()
    assert check(project).ok


# ---------------------------------------------------------------------------------- bad input


def test_a_decision_outside_the_allowed_set_names_the_review() -> None:
    with pytest.raises(ValidationError) as info:
        GateReview(gate="G1", decision="maybe", date="2027-01-13", approvers=["Sponsor"])
    assert info.value.entity == "gate review of 'G1'"
    assert info.value.field == "decision"
    assert "'go', 'hold', 'recycle', 'kill'" in str(info.value)


@pytest.mark.parametrize(("fields", "field"), [
    ({"approvers": []}, "approvers"),
    ({"approvers": ["  "]}, "approvers"),
    ({"conditions": [""]}, "conditions"),
    ({"date": "soon"}, "date"),
    ({"gate": " G1"}, "gate"),
])
def test_bad_reviews_name_the_field(fields: dict[str, object], field: str) -> None:
    base: dict[str, object] = {"gate": "G1", "decision": "go", "date": "2027-01-13",
                               "approvers": ["Sponsor"]}
    with pytest.raises(ValidationError) as info:
        GateReview(**{**base, **fields})  # type: ignore[arg-type]
    assert info.value.field == field


def test_review_and_definition_errors_name_the_first_bad_field() -> None:
    with pytest.raises(ValidationError) as info:
        GateReview(gate="G1", decision="go", date="2027-01-13", approvers=[], conditions=[""])
    assert str(info.value) == ("gate review of 'G1' on 2027-01-13.approvers: needs at least "
                               "one approver")
    with pytest.raises(ValidationError) as info:
        GateReview(gate="G1", decision="go", date="2027-01-13", approvers=["A"],
                   conditions=[3])
    assert str(info.value) == ("gate review of 'G1' on 2027-01-13.conditions: must be "
                               "non-empty texts, got 3")
    with pytest.raises(ValidationError) as info:
        Gate(key=" G1", name="Go")
    assert (info.value.entity, info.value.field) == ("gate", "key")
    with pytest.raises(ValidationError) as info:
        Phase(key="", name="P", deliverables=[("x", "1d")])
    assert (info.value.entity, info.value.field) == ("phase", "key")
    with pytest.raises(ValidationError) as info:
        Gate(key="G1", name="Go", criteria=[" "])
    assert str(info.value) == "gate 'G1'.criteria: must be non-empty texts, got ' '"


def test_a_review_dated_before_its_phase_is_refused_and_reported() -> None:
    project = new()
    project.find("Project charter").actual_start = D(2027, 1, 5, 8)
    with pytest.raises(ValidationError) as info:
        record_review(project, review("G1", "go", "2027-01-04"))
    assert str(info.value) == ("gate review of 'G1' on 2027-01-04.date: is before phase "
                               "'Initiation' started on 2027-01-05")
    with pytest.raises(ValidationError, match="the project starts on 2027-01-04"):
        record_review(project, review("G2", "go", "2027-01-01"))
    with pytest.raises(UnknownReferenceError, match="gates of project 'ERP': G1, G2, G3"):
        record_review(project, review("G4", "go", "2027-02-01"))
    assert project.gate_reviews == ()
    result = check(project, [review("G1", "go", "2027-01-04")])
    assert [p.code for p in result.problems] == ["review-before-phase"]


def test_methodology_definitions_are_checked() -> None:
    with pytest.raises(ValidationError) as info:
        Phase(key="plan", name=" ", deliverables=[("Plan", "5d")])
    assert (info.value.entity, info.value.field) == ("phase 'plan'", "name")
    with pytest.raises(ValidationError, match="at least one deliverable"):
        Phase(key="plan", name="Planning", deliverables=[])
    with pytest.raises(ValidationError, match="deliverable"):
        Deliverable("", "5d")
    with pytest.raises(ValidationError, match="gate between phases"):
        PhaseGateMethodology(name="bad", title="Bad", phases=[
            Phase(key="a", name="A", deliverables=[("x", "1d")]),
            Phase(key="b", name="B", deliverables=[("y", "1d")])])
    with pytest.raises(ValidationError, match="phase keys used twice"):
        PhaseGateMethodology(name="bad", title="Bad", phases=[
            Phase(key="a", name="A", deliverables=[("x", "1d")]),
            Phase(key="a", name="B", deliverables=[("y", "1d")],
                  gate=Gate(key="G1", name="Go"))])
    with pytest.raises(ValidationError, match="lower-case"):
        PHASE_GATE.evolve(name="Phase Gate")
    with pytest.raises(ValidationError) as info:
        Gate(key="G1", name="")
    assert (info.value.entity, info.value.field) == ("gate 'G1'", "name")


# ---------------------------------------------------------------------------------- tailoring


def test_extend_renames_phases_and_adds_criteria_without_changing_the_original() -> None:
    acme = PHASE_GATE.extend(name="acme", title="ACME gated delivery",
                             rename={"execute": "Delivery", "Closure": "Handover and close"},
                             criteria={"G2": ["Security review signed off"]},
                             approvers={"G2": ["CISO"]},
                             deliverables={"close": [("Benefits review", "1d")]})
    assert [p.name for p in acme.phases] == ["Initiation", "Planning", "Delivery",
                                             "Handover and close"]
    assert acme.gate("G2").criteria == ("Risks have owners and responses",
                                        "Security review signed off")
    assert acme.gate("G2").approvers == ("Sponsor", "PMO", "CISO")
    assert acme.gate("G1") == PHASE_GATE.gate("G1")  # gates not named are untouched
    assert acme.phase("close").deliverables[-1] == Deliverable("Benefits review", "1d")
    assert [p.name for p in PHASE_GATE.phases][2] == "Execution"
    assert "Security review signed off" not in PHASE_GATE.checklist("G2")
    project = acme.new_project(name="Billing", start="2027-01-04")
    assert project.find("Delivery").custom_fields[PHASE_FIELD] == "execute"
    assert "- [ ] Security review signed off" in project.find("G2: Approve plan").notes
    assert pmcore.schedule(project).finish == D(2027, 3, 29, 17)  # one more day: Monday
    with pytest.raises(UnknownReferenceError, match="phase id 'build'"):
        PHASE_GATE.extend(name="x", rename={"build": "Build"})
    with pytest.raises(UnknownReferenceError, match="gate id 'G9'"):
        PHASE_GATE.extend(name="x", criteria={"G9": ["?"]})
    with pytest.raises(ValidationError, match="name of its own"):
        PHASE_GATE.extend(name="phase-gate")
    with pytest.raises(ValidationError, match="phase names used twice"):
        PHASE_GATE.extend(name="x", rename={"plan": "Initiation"})


# ---------------------------------------------------------------------------------- persistence


def test_gate_reviews_round_trip_through_the_project_file() -> None:
    project = new()
    record_review(project, review("G1", "go", "2027-01-13", conditions=["Budget capped"],
                                  notes="Unanimous"))
    record_review(project, GateReview(gate="G2", decision=GateDecision.RECYCLE,
                                      date=dt.date(2027, 2, 3), approvers=("Sponsor", "PMO")))
    text = pmcore.dumps(project)
    data = json.loads(text)["project"]["gate_reviews"]
    assert data == [
        {"gate": "G1", "decision": "go", "date": "2027-01-13", "approvers": ["Sponsor"],
         "conditions": ["Budget capped"], "notes": "Unanimous"},
        {"gate": "G2", "decision": "recycle", "date": "2027-02-03",
         "approvers": ["Sponsor", "PMO"]}]
    again = pmcore.loads(text)
    assert again == project
    assert again.gate_reviews == project.gate_reviews
    assert pmcore.loads(pmcore.dumps(again, format="yaml"), format="yaml") == project
    assert "gate_reviews" not in json.loads(pmcore.dumps(pmcore.Project("Plain")))["project"]


def test_a_bad_decision_in_a_file_is_a_format_error_with_its_path() -> None:
    data = json.loads(pmcore.dumps(new()))
    data["project"]["gate_reviews"] = [{"gate": "G1", "decision": "perhaps",
                                        "date": "2027-01-13", "approvers": ["Sponsor"]}]
    with pytest.raises(FormatError) as info:
        pmcore.loads(json.dumps(data))
    assert "gate_reviews[0]" in str(info.value)
    assert "perhaps" in str(info.value)


def test_the_gate_status_metric_is_check() -> None:
    assert PHASE_GATE.metric("gate-status").compute is phasegate.check
    with pytest.raises(UnknownReferenceError, match="reports: gate-status"):
        PHASE_GATE.metric("velocity")
    records = check(new()).to_records()
    assert [(r["phase"], r["gate"], r["decision"], r["percent_complete"]) for r in records] == [
        ("initiate", None, None, 0.0), ("plan", "G1", None, 0.0),
        ("execute", "G2", None, 0.0), ("close", "G3", None, 0.0)]
    assert repr(check(new())) == ("GateCheck(ok=True, phases=[initiate:-, plan:-, execute:-, "
                                  "close:-], problems=0)")


def test_pmcore_validate_shows_the_violation_of_a_saved_plan(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pmcore.cli import main

    project = new()
    record_review(project, review("G1", "recycle", "2027-01-13"))
    project.find("Requirements specification").actual_start = D(2027, 1, 14, 8)
    path = tmp_path / "erp.pmcore.json"
    pmcore.write(project, path)
    assert main(["validate", str(path)]) == 0  # a warning: the plan is still valid
    out = capsys.readouterr()
    assert "gate 'G1' is not passed: its latest decision is recycle on 2027-01-13" in \
        out.out + out.err
    assert main(["validate", str(path), "--json"]) == 0
    assert '"gate-not-passed"' in capsys.readouterr().out


_texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1,
                 max_size=15).filter(str.strip)
_reviews = st.builds(
    GateReview, gate=st.sampled_from(["G1", "G2", "G3", "G9"]),
    decision=st.sampled_from(list(GateDecision)),
    date=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
    approvers=st.lists(_texts, min_size=1, max_size=3),
    conditions=st.lists(_texts, max_size=2),
    notes=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20))


@settings(max_examples=60, deadline=None)
@given(st.lists(_reviews, max_size=5))
def test_any_gate_reviews_round_trip(reviews: list[GateReview]) -> None:
    project = new()
    project.gate_reviews = tuple(reviews)
    for fmt in ("json", "yaml"):
        again = pmcore.loads(pmcore.dumps(project, format=fmt), format=fmt, strict=False)
        assert again.gate_reviews == project.gate_reviews
        assert again == project
