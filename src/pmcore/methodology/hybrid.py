"""Hybrid: a phase-gate plan whose delivery phase runs as sprints or a Kanban flow.

The plan keeps its phases and gates; the delivery phase holds one task for the agile work (the
envelope of the sprints or of the flow: the items themselves live in the backlog or on the
board), then a *delivery milestone*, then the phase's other deliverables. The agile task's
planned duration is only a first guess; the team's forecast replaces it:

* :func:`forecast` runs a Monte Carlo forecast (:func:`pmcore.methodology.forecast_when`) over
  the team's history from the day the plan starts the agile work, and
* :func:`apply_forecast` returns a what-if copy of the plan whose agile task ends on the
  forecast date (at the project's default finish time), scheduled, with the delivery milestone
  and everything after it moved accordingly. The input project is not changed.

A forecast date that is not a working day moves the milestone back to the last working time
before it: the work is done by the end of that day.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import numpy.typing as npt

from pmcore.errors import ValidationError
from pmcore.methodology.base import Metric, _positive_duration, _positive_int
from pmcore.methodology.forecast import DEFAULT_TRIALS, WhenForecast, forecast_when
from pmcore.methodology.phasegate import (
    PHASE_GATE,
    Phase,
    PhaseGateMethodology,
    check,
)
from pmcore.methodology.scrum import ReleaseForecast
from pmcore.model import Duration, Problem, Project, Task
from pmcore.model.base import to_date
from pmcore.model.duration import to_duration
from pmcore.schedule import Schedule

__all__ = [
    "AGILE_FIELD",
    "DELIVERY_FIELD",
    "HYBRID",
    "SPRINT_DAYS_FIELD",
    "AgileMode",
    "HybridForecast",
    "HybridMethodology",
    "agile_start",
    "apply_forecast",
    "forecast",
]

AGILE_FIELD = "pmcore.agile"
"""Task custom field marking the agile work task; its value is ``"scrum"`` or ``"kanban"``."""

DELIVERY_FIELD = "pmcore.delivery"
"""Task custom field marking the delivery milestone (value ``True``)."""

SPRINT_DAYS_FIELD = "pmcore.sprint-days"
"""Task custom field on a Scrum agile task: a sprint's length in calendar days."""


class AgileMode(enum.Enum):
    """How the delivery phase is run."""

    SCRUM = "scrum"
    KANBAN = "kanban"


def _to_mode(value: Any) -> AgileMode:
    try:
        return value if isinstance(value, AgileMode) else AgileMode(value)
    except ValueError:
        raise ValidationError(f"must be 'scrum' or 'kanban', got {value!r}",
                              entity="hybrid methodology", field="mode") from None


@attrs.frozen(kw_only=True)
class HybridMethodology(PhaseGateMethodology):
    """A phase-gate lifecycle whose ``delivery`` phase is run as sprints or a Kanban flow.

    Attributes:
        delivery: the key of the phase run the agile way.
        mode: ``"scrum"`` (sprints) or ``"kanban"`` (a flow).
        sprint_length: with Scrum, a sprint's working duration.
        sprints: with Scrum, the sprints planned at first (the agile task lasts
            ``sprints * sprint_length``).
        flow_estimate: with Kanban, the flow's planned duration.
        milestone: the delivery milestone's name.

    Raises:
        UnknownReferenceError: ``delivery`` names no phase.
    """

    delivery: str
    mode: AgileMode = attrs.field(default=AgileMode.SCRUM, converter=_to_mode)
    sprint_length: Duration = attrs.field(default=Duration.weeks(2), converter=to_duration,
                                          validator=_positive_duration)
    sprints: int = attrs.field(default=4, validator=_positive_int)
    flow_estimate: Duration = attrs.field(default=Duration.weeks(8), converter=to_duration,
                                          validator=_positive_duration)
    milestone: str = "Delivery complete"

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        self.phase(self.delivery)

    @property
    def agile_estimate(self) -> Duration:
        """The agile task's planned duration."""
        if self.mode is AgileMode.KANBAN:
            return self.flow_estimate
        unit = self.sprint_length
        return Duration(unit.value * self.sprints, unit.unit)

    @property
    def lifecycle(self) -> str:
        """``"4 phases, 3 gates; 'deliver' as 4 sprints of 2w"``."""
        agile = f"{self.sprints} sprints of {self.sprint_length}" \
            if self.mode is AgileMode.SCRUM else f"a Kanban flow (planned {self.flow_estimate})"
        return f"{super().lifecycle}; {self.delivery!r} as {agile}"

    def open_phase(self, project: Project, phase: Phase, summary: Task,
                   previous: Task | None) -> Task | None:
        """The delivery phase starts with the agile task and the delivery milestone."""
        if phase is self.phase(self.delivery):
            return self._add_agile(project, summary, previous)
        return previous

    def problems(self, project: Project) -> Iterator[Problem]:
        """The phase-gate rules, and ``agile-delivery`` (error) when the plan does not have
        exactly one agile task and one delivery milestone for the forecast to feed."""
        yield from super().problems(project)
        try:
            _agile_parts(project)
        except ValidationError as exc:
            yield Problem(exc, code="agile-delivery")

    def _add_agile(self, project: Project, summary: Task, previous: Task | None) -> Task:
        agile: dict[str, Any] = {AGILE_FIELD: self.mode.value}
        if self.mode is AgileMode.SCRUM:
            name = f"Sprints ({self.sprints} x {self.sprint_length})"
            # The forecast counts sprints in calendar days: a working week is seven of them.
            weeks = self.sprint_length.to_minutes(project.options) \
                / project.options.minutes_per_week
            agile[SPRINT_DAYS_FIELD] = max(1, round(weeks * 7))
        else:
            name = "Kanban flow"
        work = project.add_task(name, self.agile_estimate, parent=summary, after=previous,
                                custom_fields=agile)
        return project.add_milestone(self.milestone, parent=summary, after=work,
                                     custom_fields={DELIVERY_FIELD: True})


# ------------------------------------------------------------------------------ forecasts


@attrs.frozen(kw_only=True, repr=False)
class HybridForecast:
    """A what-if plan: the hybrid project with its agile task ending on the forecast date.

    Attributes:
        project: the changed copy (the input project is untouched).
        schedule: its schedule.
        forecast_date: the day the forecast says the agile work is done.
        confidence: the forecast's percentile (``None`` when a date was given directly).
        agile_task, milestone: ids of the agile task and of the delivery milestone.
        agile_duration: the agile task's new duration.
    """

    project: Project
    schedule: Schedule
    forecast_date: dt.date
    confidence: float | None
    agile_task: str
    milestone: str
    agile_duration: Duration

    @property
    def milestone_date(self) -> dt.datetime:
        """When the delivery milestone falls in the what-if schedule."""
        return self.schedule[self.milestone].finish

    @property
    def finish(self) -> dt.datetime:
        """The what-if project's finish."""
        return self.schedule.finish

    def to_records(self) -> list[dict[str, Any]]:
        """The milestones of the what-if schedule: id, name, date."""
        return [{"id": t.id, "name": t.name, "date": self.schedule[t].finish}
                for t in self.project.milestones]

    def __repr__(self) -> str:
        shown = "" if self.confidence is None else f" at {self.confidence:g}%"
        return (f"HybridForecast(forecast_date={self.forecast_date}{shown}, "
                f"milestone={self.milestone_date:%Y-%m-%d %H:%M}, "
                f"finish={self.finish:%Y-%m-%d %H:%M})")


def _agile_parts(project: Project) -> tuple[Task, Task]:
    agile = [t for t in project.tasks if t.custom_fields.get(AGILE_FIELD) in ("scrum", "kanban")]
    milestones = [t for t in project.tasks if t.custom_fields.get(DELIVERY_FIELD) is True]
    if len(agile) != 1 or len(milestones) != 1:
        raise ValidationError(
            f"a hybrid plan has one agile task (custom field {AGILE_FIELD!r}) and one delivery "
            f"milestone ({DELIVERY_FIELD!r}); found {len(agile)} and {len(milestones)}",
            entity=project.label, field="tasks")
    return agile[0], milestones[0]


def agile_start(project: Project, schedule: Schedule | None = None) -> dt.date:
    """The day the plan starts the agile work (its actual start, else its scheduled start)."""
    task, _ = _agile_parts(project)
    if task.actual_start is not None:
        return task.actual_start.date()
    return (schedule or project.schedule())[task].start.date()


def forecast(project: Project, samples: Sequence[float] | npt.ArrayLike, items: float, *,
             confidence: float = 85, trials: int = DEFAULT_TRIALS, seed: int | None = None,
             ) -> HybridForecast:
    """Forecast when ``items`` will be done and return the plan that follows from it.

    ``samples`` is the team's history: items done per calendar day (Kanban) or story points
    per sprint (Scrum; ``items`` is then the remaining points, and a period is a sprint of the
    plan's sprint length in calendar days). The forecast starts on the day the plan starts the
    agile work. See :func:`apply_forecast`.

    Raises:
        ValidationError: the project is not a hybrid plan, or bad forecast arguments.
    """
    task, _ = _agile_parts(project)
    period = task.custom_fields.get(SPRINT_DAYS_FIELD, 1) \
        if task.custom_fields.get(AGILE_FIELD) == "scrum" else 1
    if not isinstance(period, int) or isinstance(period, bool) or period < 1:
        raise ValidationError(f"must be a whole number of days >= 1, got {period!r}",
                              entity=task.label, field=f"custom_fields[{SPRINT_DAYS_FIELD!r}]")
    current = project.schedule()
    result = forecast_when(samples, items, trials=trials, seed=seed,
                           start=agile_start(project, current), period_days=period)
    return _apply_forecast(project, result, confidence, current)


def apply_forecast(project: Project, forecast: WhenForecast | ReleaseForecast | dt.date | str,
                   *, confidence: float = 85) -> HybridForecast:
    """A what-if copy of ``project`` whose agile task ends on the forecast date.

    ``forecast`` is a :class:`pmcore.methodology.WhenForecast` or a Scrum
    :class:`~pmcore.methodology.scrum.ReleaseForecast` (its date at ``confidence``: for a
    release, the last day of the sprint that finishes the backlog), or a date. The agile
    task's duration becomes the working time from its scheduled start to
    that day's default finish time, so the delivery milestone lands on the forecast date and
    every later phase and gate moves with it. ``project`` is not changed.

    Raises:
        ValidationError: the project is not a hybrid plan, or the date is before the agile
            work starts.
    """
    return _apply_forecast(project, forecast, confidence, None)


def _apply_forecast(project: Project, forecast: WhenForecast | ReleaseForecast | dt.date | str,
                    confidence: float, current: Schedule | None) -> HybridForecast:
    """:func:`apply_forecast`, given the project's schedule when the caller already has it."""
    task, milestone = _agile_parts(project)
    if isinstance(forecast, WhenForecast | ReleaseForecast):
        day, shown = forecast.date(confidence), confidence
    else:
        try:
            day, shown = to_date(forecast), None
        except ValidationError as exc:
            raise ValidationError(exc.reason, entity="hybrid forecast",
                                  field="forecast") from None
    what_if = copy.deepcopy(project)
    start = (project.schedule() if current is None else current)[task.id].start
    finish = dt.datetime.combine(day, what_if.default_finish_time)
    minutes = what_if.task_calendar(task.id).working_minutes_between(start, finish)
    if minutes <= 0:
        raise ValidationError(f"forecast date {day} is not after the agile work starts "
                              f"({start:%Y-%m-%d %H:%M})", entity=task.label, field="duration")
    per_day = what_if.options.hours_per_day * 60
    duration = Duration.days(minutes / per_day) if minutes % per_day == 0 \
        else Duration.minutes(minutes)
    what_if.set_duration(task.id, duration)
    return HybridForecast(project=what_if, schedule=what_if.schedule(), forecast_date=day,
                          confidence=shown, agile_task=task.id, milestone=milestone.id,
                          agile_duration=duration)


# ------------------------------------------------------------------------------ the built-in

HYBRID = HybridMethodology(
    name="hybrid",
    title="Hybrid (phase-gate with agile delivery)",
    description="Phase-gate initiation, planning and closure around a delivery phase run as "
                "Scrum sprints; the team's Monte Carlo forecast sets the delivery milestone.",
    phases=(
        PHASE_GATE.phase("initiate"),
        PHASE_GATE.phase("plan"),
        Phase(key="deliver", name="Agile delivery",
              deliverables=[("Operational readiness", "3d")],
              entry_criteria=["Product backlog ordered and estimated"],
              exit_criteria=["Increment accepted by the product owner"],
              gate=PHASE_GATE.gate("G2")),
        PHASE_GATE.phase("close"),
    ),
    delivery="deliver",
    metrics=(Metric(name="gate-status", description="each phase's gate decision and work "
                    "started without a passed gate", compute=check),
             Metric(name="delivery-forecast", description="the plan with the delivery "
                    "milestone at the team's forecast date", compute=forecast)),
)
"""The built-in hybrid methodology: phase-gate's four phases, the third run as four two-week
sprints."""
