"""The Scrum and Kanban methodology definitions: their lifecycles, templates and metrics.

The backlog, sprint, board and flow-metric code is in :mod:`pmcore.methodology.scrum`,
:mod:`pmcore.methodology.kanban` and :mod:`pmcore.methodology.forecast`; this module says how a
project run each way is laid out as a plan, and which of those metrics it reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs

from pmcore.errors import ValidationError
from pmcore.methodology.base import Methodology, Metric, _positive_duration, _positive_int
from pmcore.methodology.forecast import forecast_how_many, forecast_when
from pmcore.methodology.kanban import Board, Column, Flow
from pmcore.methodology.scrum import burndown, forecast_release, release_burnup, velocity
from pmcore.model import Duration, Problem, Project, Severity
from pmcore.model.duration import to_duration

__all__ = ["KANBAN", "SCRUM", "SPRINT_FIELD", "KanbanMethodology", "ScrumMethodology"]

SPRINT_FIELD = "pmcore.sprint"
"""Task custom field marking a sprint's task; its value is the sprint's number."""


def _check_event(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(f"must be non-empty texts, got {item!r}",
                                  entity=f"methodology {instance.name!r}", field=attribute.name)


@attrs.frozen(kw_only=True)
class ScrumMethodology(Methodology):
    """Scrum: a release made of sprints of a fixed length.

    The template is one task per sprint (``"Sprint 1"``, ...), each ``sprint_length`` long and
    chained finish-to-start, then a ``release`` milestone. Sprint contents live in the product
    backlog (:mod:`pmcore.methodology.scrum`), not in the plan.

    Attributes:
        sprint_length: a sprint's working duration (``"2w"``: ten days on the standard
            calendar).
        sprints: how many sprints the release plan holds.
        release: the release milestone's name.
        events: the Scrum events of each sprint (shown in the sprint tasks' notes).
    """

    sprint_length: Duration = attrs.field(default=Duration.weeks(2), converter=to_duration,
                                          validator=_positive_duration)
    sprints: int = attrs.field(default=6, validator=_positive_int)
    release: str = "Release"
    events: tuple[str, ...] = attrs.field(
        default=("Sprint planning", "Daily scrum", "Sprint review", "Sprint retrospective"),
        converter=tuple, validator=_check_event)

    @property
    def lifecycle(self) -> str:
        """``"6 sprints of 2w"``."""
        return f"{self.sprints} sprints of {self.sprint_length}"

    def build(self, project: Project) -> None:
        """Add the sprint tasks and the release milestone."""
        previous = None
        notes = "\n".join(f"- {event}" for event in self.events)
        for number in range(1, self.sprints + 1):
            previous = project.add_task(f"Sprint {number}", self.sprint_length, after=previous,
                                        notes=notes, custom_fields={SPRINT_FIELD: number})
        project.add_milestone(self.release, after=previous)

    def problems(self, project: Project) -> Iterator[Problem]:
        """Sprints are fixed-length timeboxes: a sprint task (one with a ``"pmcore.sprint"``
        number) lasting other than ``sprint_length`` is a warning, ``sprint-length``."""
        for task in project.tasks:
            if task.custom_fields.get(SPRINT_FIELD) is None or task.duration is None:
                continue
            options = project.options
            if task.duration.to_minutes(options) != self.sprint_length.to_minutes(options):
                yield Problem(ValidationError(
                    f"lasts {task.duration}, but {self.name} sprints are timeboxes of "
                    f"{self.sprint_length}", entity=task.label, field="duration"),
                    code="sprint-length", severity=Severity.WARNING)


def _default_board() -> Board:
    return Board(name="Team board", columns=[
        Column(name="Backlog", kind="todo"),
        Column(name="Ready", kind="todo", wip_limit=5),
        Column(name="In progress", kind="in_progress", wip_limit=3),
        Column(name="Review", kind="in_progress", wip_limit=2),
        Column(name="Done", kind="done"),
    ])


@attrs.frozen(kw_only=True)
class KanbanMethodology(Methodology):
    """Kanban: a continuous flow over a board with WIP limits, and its meeting cadences.

    Kanban has no phases and no timeboxes, so its template is the flow's cadences over a
    planning horizon: a ``"Board live"`` milestone at the start, a weekly replenishment
    meeting and a service delivery review every other week, as recurring tasks.

    Attributes:
        board: the board a team starts with (columns and WIP limits).
        horizon: how many calendar weeks the cadences are planned for.
        replenishment: the replenishment meeting's recurrence rule (RFC 5545).
        delivery_review: the service delivery review's recurrence rule.
    """

    board: Board = attrs.field(factory=_default_board)
    horizon: int = attrs.field(default=12, validator=_positive_int)
    replenishment: str = "FREQ=WEEKLY;BYDAY=MO"
    delivery_review: str = "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"

    @property
    def lifecycle(self) -> str:
        """The board's columns with their WIP limits, left to right."""
        return "flow: " + " > ".join(
            c.name if c.wip_limit is None else f"{c.name} (WIP {c.wip_limit})"
            for c in self.board.columns)

    def build(self, project: Project) -> None:
        """Add the start milestone and the recurring meetings up to the horizon."""
        if project.start is None:
            raise ValidationError("the Kanban cadences are planned from the project's start",
                                  entity=project.label, field="start")
        until = project.start.date() + dt.timedelta(weeks=self.horizon, days=-1)
        project.add_milestone("Board live")
        project.add_recurring_task("Replenishment", "1h", self.replenishment, finish=until,
                                   notes="Select the next items into Ready, within its limit.")
        project.add_recurring_task("Service delivery review", "1h", self.delivery_review,
                                   finish=until, notes="Review lead times, throughput and "
                                   "blockers against the service expectations.")


SCRUM = ScrumMethodology(
    name="scrum",
    title="Scrum",
    description="A release of fixed-length sprints; velocity, burndown and burnup, and a "
                "Monte Carlo release forecast over past velocities.",
    metrics=(
        Metric(name="velocity", description="points completed per sprint over the last "
               "sprints: average and range", compute=velocity),
        Metric(name="burndown", description="a sprint's remaining points per day",
               compute=burndown),
        Metric(name="release-burnup", description="done and total scope per sprint",
               compute=release_burnup),
        Metric(name="release-forecast", description="the sprint and date by which the backlog "
               "is done, by Monte Carlo over past velocities", compute=forecast_release),
    ),
)
"""The built-in Scrum methodology: six two-week sprints and a release milestone."""

KANBAN = KanbanMethodology(
    name="kanban",
    title="Kanban",
    description="A continuous flow over a board with WIP limits; cycle and lead time, "
                "throughput, WIP, aging work and cumulative flow; Monte Carlo flow forecasts.",
    metrics=(
        Metric(name="cycle-time", description="calendar days from start to done, per item",
               compute=Flow.cycle_times),
        Metric(name="lead-time", description="calendar days from creation to done, per item",
               compute=Flow.lead_times),
        Metric(name="throughput", description="items done per day or week",
               compute=Flow.throughput),
        Metric(name="wip", description="items in progress per day", compute=Flow.wip),
        Metric(name="aging-wip", description="age of the items in progress",
               compute=Flow.aging),
        Metric(name="cumulative-flow", description="items per column per day",
               compute=Flow.cumulative_flow),
        Metric(name="wip-violations", description="days a column held more than its limit",
               compute=Flow.wip_violations),
        Metric(name="forecast-when", description="when N items will be done (Monte Carlo "
               "over daily throughput)", compute=forecast_when),
        Metric(name="forecast-how-many", description="how many items by a date (Monte Carlo "
               "over daily throughput)", compute=forecast_how_many),
    ),
)
"""The built-in Kanban methodology: a five-column board and a 12-week cadence plan."""
