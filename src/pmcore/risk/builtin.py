"""Registers pmcore's risk scoring, risk validation rules and ``pmcore risks`` through the
same hooks as a plugin would."""

from __future__ import annotations

from collections.abc import Iterator

from pmcore.cli.api import Command, commands_of
from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.model import Problem, Project, Severity
from pmcore.model.risk import ProbabilityImpactMatrix, Risk, RiskStatus
from pmcore.plugins import hookimpl
from pmcore.risk.scoring import RiskScore, matrix_score

__all__ = ["pmcore_register_commands", "pmcore_score_risk", "pmcore_validate_project"]


@hookimpl(trylast=True)
def pmcore_score_risk(risk: Risk, matrix: ProbabilityImpactMatrix, residual: bool) -> RiskScore:
    """pmcore's matrix score (:func:`pmcore.risk.matrix_score`); any plugin's answer wins."""
    return matrix_score(risk, matrix, residual=residual)


_NEEDS_RESPONSE = (RiskStatus.RESPONSE_PLANNED, RiskStatus.IN_PROGRESS)
_NEEDS_ASSESSMENT = (RiskStatus.ASSESSED, *_NEEDS_RESPONSE)


@hookimpl
def pmcore_validate_project(project: Project) -> Iterator[Problem]:
    """The register's references: linked tasks, categories, secondary risks, issues; and
    risks whose status claims an assessment or a response they do not have."""
    register = project.risks
    tasks = {t.id for t in project.tasks}
    for risk in register.risks:
        for task_id in risk.linked_tasks:
            if task_id not in tasks:
                yield Problem(UnknownReferenceError(task_id, kind="task", entity=risk.label,
                                                    field="linked_tasks"),
                              code="risk-unknown-task")
        if risk.category is not None and len(register.rbs) and risk.category not in register.rbs:
            yield Problem(UnknownReferenceError(risk.category, kind="risk category",
                                                entity=risk.label, field="category"),
                          code="risk-unknown-category")
        if risk.secondary_of is not None and risk.secondary_of not in register:
            yield Problem(UnknownReferenceError(risk.secondary_of, kind="risk",
                                                entity=risk.label, field="secondary_of"),
                          code="risk-unknown-risk")
        if risk.status in _NEEDS_ASSESSMENT and (risk.assessment is None
                                                 or risk.assessment.is_empty):
            yield Problem(ValidationError(f"is {risk.status.value.replace('_', ' ')} but has no "
                                          "assessment", entity=risk.label, field="assessment"),
                          severity=Severity.WARNING, code="risk-not-assessed")
        if risk.status in _NEEDS_RESPONSE and not risk.responses:
            yield Problem(ValidationError(f"is {risk.status.value.replace('_', ' ')} but has no "
                                          "response", entity=risk.label, field="responses"),
                          severity=Severity.WARNING, code="risk-without-response")
    for issue in register.issues:
        if issue.risk_id not in register:
            yield Problem(UnknownReferenceError(issue.risk_id, kind="risk",
                                                entity=f"issue {issue.id!r}", field="risk_id"),
                          code="issue-unknown-risk")


@hookimpl
def pmcore_register_commands() -> list[Command]:
    """``pmcore risks`` and ``pmcore simulate`` (none when the 'cli' extra is not installed)."""
    return commands_of("pmcore.risk._cli", "pmcore.risk._simulate_cli")
