"""Tasks, their constraints, and the dependencies between them."""

from __future__ import annotations

import datetime as dt
import enum
import math
from decimal import Decimal
from typing import Any

import attrs

from pmcore.errors import ValidationError
from pmcore.model.base import Entity, check_id, to_enum, to_optional_datetime
from pmcore.model.baseline import Baseline, check_baselines, to_baselines
from pmcore.model.duration import Duration, to_duration, to_optional_duration
from pmcore.model.estimate import Estimate
from pmcore.model.recurrence import Recurrence
from pmcore.model.resource import CostAccrual, to_money
from pmcore.model.split import Split, to_splits

__all__ = ["Constraint", "ConstraintType", "Dependency", "EarnedValueMethod", "LinkType", "Task",
           "TaskType"]


class ConstraintType(enum.Enum):
    """Microsoft Project's date constraints."""

    ASAP = "ASAP"
    """As soon as possible (the default when scheduling from the start)."""
    ALAP = "ALAP"
    """As late as possible."""
    SNET = "SNET"
    """Start no earlier than."""
    SNLT = "SNLT"
    """Start no later than."""
    FNET = "FNET"
    """Finish no earlier than."""
    FNLT = "FNLT"
    """Finish no later than."""
    MSO = "MSO"
    """Must start on."""
    MFO = "MFO"
    """Must finish on."""

    @property
    def needs_date(self) -> bool:
        """True for every constraint but ASAP and ALAP."""
        return self not in (ConstraintType.ASAP, ConstraintType.ALAP)


def _to_constraint_type(value: Any) -> ConstraintType:
    return to_enum(ConstraintType, value, entity="constraint", field="type")


@attrs.frozen
class Constraint:
    """A date constraint, e.g. ``Constraint("SNET", "2027-03-01T08:00")``."""

    type: ConstraintType = attrs.field(default=ConstraintType.ASAP,
                                       converter=_to_constraint_type)
    date: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)

    def __attrs_post_init__(self) -> None:
        if self.type.needs_date and self.date is None:
            raise ValidationError(f"{self.type.value} needs a date", entity="constraint",
                                  field="date")
        if not self.type.needs_date and self.date is not None:
            raise ValidationError(f"{self.type.value} takes no date", entity="constraint",
                                  field="date")

    def __str__(self) -> str:
        if self.date is None:
            return self.type.value
        return f"{self.type.value} {self.date:%Y-%m-%d %H:%M}"


def _to_constraint(value: Any) -> Constraint:
    if isinstance(value, Constraint):
        return value
    if isinstance(value, str | ConstraintType):
        return Constraint(value)
    if isinstance(value, tuple | list) and len(value) == 2:
        return Constraint(*value)
    raise ValidationError(f"expected a Constraint, got {value!r}", entity="task",
                          field="constraint")


def _to_percent(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"must be a number from 0 to 100, got {value!r}", entity="task",
                              field="percent_complete") from None


class LinkType(enum.Enum):
    """How a successor's dates depend on its predecessor's."""

    FS = "FS"
    """Finish-to-start: the successor starts after the predecessor finishes."""
    SS = "SS"
    """Start-to-start: the successor starts after the predecessor starts."""
    FF = "FF"
    """Finish-to-finish: the successor finishes after the predecessor finishes."""
    SF = "SF"
    """Start-to-finish: the successor finishes after the predecessor starts."""


class TaskType(enum.Enum):
    """Which of work, duration and units Microsoft Project holds when one of them changes.

    Work = duration x units: changing one changes another, and the task type says which of
    the three stays. Resource-driven scheduling uses it; pmcore keeps it as data for now.
    """

    FIXED_UNITS = "fixed_units"
    """Units stay; a new duration changes the work, new work changes the duration (the
    default)."""
    FIXED_WORK = "fixed_work"
    """Work stays; a new duration changes the units, new units change the duration."""
    FIXED_DURATION = "fixed_duration"
    """Duration stays; new units change the work, new work changes the units."""


def _to_task_type(value: Any) -> TaskType:
    if value.__class__ is TaskType:  # (every task is built through here)
        return value
    return to_enum(TaskType, value, entity="task", field="task_type")


# ---------------------------------------------------------------- costs and earned value fields


class EarnedValueMethod(enum.Enum):
    """How a task earns value (see :func:`pmcore.finance.evm`)."""

    PERCENT_COMPLETE = "percent_complete"
    """EV = budget x percent complete (the default, as Microsoft Project's EV method)."""
    PHYSICAL_PERCENT_COMPLETE = "physical_percent_complete"
    """EV = budget x physical percent complete, entered apart from the duration's progress."""
    ZERO_HUNDRED = "0/100"
    """Nothing until the task is complete, then its whole budget."""
    FIFTY_FIFTY = "50/50"
    """Half the budget once the task has started, the rest when it is complete."""
    WEIGHTED_MILESTONES = "weighted_milestones"
    """The budget shares of the milestones achieved (weights in the cost plan)."""
    LEVEL_OF_EFFORT = "level_of_effort"
    """Earned as planned: EV = PV (support work that produces nothing measurable)."""
    APPORTIONED_EFFORT = "apportioned_effort"
    """Earned in proportion to a base task's progress (named in the cost plan)."""


def _to_ev_method(value: Any) -> EarnedValueMethod:
    if value.__class__ is EarnedValueMethod:  # (every task is built through here)
        return value
    return to_enum(EarnedValueMethod, value, entity="task", field="ev_method")


def _to_fixed_cost_accrual(value: Any) -> CostAccrual:
    if value.__class__ is CostAccrual:
        return value
    return to_enum(CostAccrual, value, entity="task", field="fixed_cost_accrual")


def _to_physical_percent(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"must be a number from 0 to 100, got {value!r}", entity="task",
                              field="physical_percent_complete") from None


_NO_COST = Decimal(0)


def _to_task_money(value: Any) -> Any:
    # The validator names the task; a converter cannot, so doubtful values pass through.
    if value is _NO_COST:
        return value
    if isinstance(value, float):
        return value
    try:
        return to_money(value, entity="", field="")
    except ValidationError:
        return value


@attrs.define(kw_only=True, repr=False)
class Task(Entity):
    """A row of the plan: a work package, a summary task or a milestone.

    Create tasks through :meth:`pmcore.Project.add_task`, which gives them ids, places them in
    the WBS and links them. A task becomes a summary task when it has children; its duration
    and dates then roll up from them.

    Attributes:
        duration: planned working duration (``None`` on summary tasks and unestimated rows).
        milestone: shown and rolled up as a milestone (zero-duration tasks are by default).
        manual: manually scheduled: the scheduler keeps ``start``/``finish`` as entered.
        start, finish: the task's dates as last scheduled, entered, or imported.
        constraint: a date constraint; ASAP by default.
        deadline: a target finish that does not constrain the schedule.
        priority: 0-1000, 500 by default; 1000 means "never level".
        percent_complete: duration progress, 0-100.
        actual_start, actual_finish: when work really started and finished.
        calendar: id of a task calendar, or ``None`` for the project calendar.
        wbs: a WBS code that replaces the outline number, as MS Project's custom WBS codes do.
        notes: free text.
        baselines: saved baselines by number (0-10); see :meth:`pmcore.Project.save_baseline`.
        recurrence: on the summary task of a recurring task, the series it holds; see
            :meth:`pmcore.Project.add_recurring_task`.
        task_type: fixed units (the default), fixed work or fixed duration; see
            :class:`TaskType`.
        effort_driven: when resources are added or removed, the task's work stays and is
            shared among them (off by default, as in Microsoft Project since 2010).
        leveling_delay: how long resource leveling delays the task's start past the date
            its links and constraints allow, as Microsoft Project records it (elapsed days
            by default; ``None`` when not leveled).
        splits: interruptions of the task's work (:class:`~pmcore.model.split.Split`), as
            Microsoft Project's *Split Task* makes them; see :meth:`split`.
        fixed_cost: a cost of the task apart from its resources (a ``Decimal`` in the
            project's currency; 0 by default).
        fixed_cost_accrual: when the fixed cost is incurred: at the start, prorated over the
            task's working time (the default, as Microsoft Project), or at the end.
        cost_account: id of the control account (in the cost plan) the task's costs roll up
            to; ``None`` when not assigned to one.
        ev_method: how the task earns value; see :class:`EarnedValueMethod`.
        physical_percent_complete: 0-100, the progress measured in deliverables, for the
            physical percent complete method.
        estimate: the uncertain duration (and cost) the Monte Carlo risk analysis draws
            from (:class:`~pmcore.model.estimate.Estimate`, :func:`pmcore.risk.simulate`);
            ``None`` when the duration is taken as certain. The CPM schedule ignores it.
    """

    parent: str | None = attrs.field(default=None, on_setattr=attrs.setters.frozen)
    duration: Duration | None = attrs.field(default=None, converter=to_optional_duration)
    milestone: bool = attrs.field(default=False)
    manual: bool = attrs.field(default=False)
    start: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)
    finish: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)
    constraint: Constraint = attrs.field(factory=Constraint, converter=_to_constraint)
    deadline: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)
    priority: int = attrs.field(default=500)
    percent_complete: float = attrs.field(default=0.0, converter=_to_percent)
    actual_start: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)
    actual_finish: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)
    calendar: str | None = attrs.field(default=None)
    wbs: str | None = None
    notes: str = ""
    baselines: dict[int, Baseline] = attrs.field(factory=dict, converter=to_baselines,
                                                 validator=check_baselines)
    recurrence: Recurrence | None = attrs.field(default=None)
    task_type: TaskType = attrs.field(default=TaskType.FIXED_UNITS, converter=_to_task_type)
    effort_driven: bool = attrs.field(default=False)
    leveling_delay: Duration | None = attrs.field(default=None,
                                                  converter=to_optional_duration)
    splits: tuple[Split, ...] = attrs.field(default=(), converter=to_splits)
    # -- costs and earned value (pmcore.finance)
    fixed_cost: Decimal = attrs.field(default=_NO_COST, converter=_to_task_money)
    fixed_cost_accrual: CostAccrual = attrs.field(default=CostAccrual.PRORATED,
                                                  converter=_to_fixed_cost_accrual)
    cost_account: str | None = attrs.field(default=None)
    ev_method: EarnedValueMethod = attrs.field(default=EarnedValueMethod.PERCENT_COMPLETE,
                                               converter=_to_ev_method)
    physical_percent_complete: float = attrs.field(default=0.0,
                                                   converter=_to_physical_percent)
    # -- risk analysis (pmcore.risk.montecarlo)
    estimate: Estimate | None = attrs.field(default=None)

    @estimate.validator
    def _check_estimate(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, Estimate):
            raise ValidationError(f"must be an Estimate or None, got {value!r}",
                                  entity=self._label(), field="estimate")

    @fixed_cost.validator
    def _check_fixed_cost(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not _NO_COST:
            to_money(value, entity=self._label(), field="fixed_cost")

    @cost_account.validator
    def _check_cost_account(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check_id(self._label(), "cost_account", value)

    @physical_percent_complete.validator
    def _check_physical_percent(self, attribute: attrs.Attribute[Any], value: float) -> None:
        if not (math.isfinite(value) and 0 <= value <= 100):
            raise ValidationError(f"must be between 0 and 100, got {value!r}",
                                  entity=self._label(), field="physical_percent_complete")

    @leveling_delay.validator
    def _check_leveling_delay(self, attribute: attrs.Attribute[Any],
                              value: Duration | None) -> None:
        if value is not None and (value.is_percent or value.value < 0):
            raise ValidationError(f"must be a non-negative length of time, got {value}",
                                  entity=self._label(), field="leveling_delay")

    @recurrence.validator
    def _check_recurrence(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, Recurrence):
            raise ValidationError(f"must be a Recurrence or None, got {value!r}",
                                  entity=self._label(), field="recurrence")

    @duration.validator
    def _check_duration(self, attribute: attrs.Attribute[Any], value: Duration | None) -> None:
        if value is not None and (value.is_percent or value.value < 0):
            raise ValidationError(f"must be a non-negative length of time, got {value}",
                                  entity=self._label(), field="duration")

    @priority.validator
    def _check_priority(self, attribute: attrs.Attribute[Any], value: int) -> None:
        if value.__class__ is int and 0 <= value <= 1000:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
            raise ValidationError(f"must be a whole number from 0 to 1000, got {value!r}",
                                  entity=self._label(), field="priority")

    @percent_complete.validator
    def _check_percent(self, attribute: attrs.Attribute[Any], value: float) -> None:
        if not (math.isfinite(value) and 0 <= value <= 100):
            raise ValidationError(f"must be between 0 and 100, got {value!r}",
                                  entity=self._label(), field="percent_complete")

    @parent.validator
    @calendar.validator
    def _check_reference(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None:
            try:
                check_id("task", attribute.name, value)
            except ValidationError:  # the message names the task: built only when needed
                check_id(self._label(), attribute.name, value)
        if attribute.name == "parent" and value == self.id:
            raise ValidationError("a task cannot be its own parent", entity=self._label(),
                                  field="parent")

    @milestone.validator
    @manual.validator
    @effort_driven.validator
    def _check_flag(self, attribute: attrs.Attribute[Any], value: bool) -> None:
        if not isinstance(value, bool):
            raise ValidationError(f"must be True or False, got {value!r}", entity=self._label(),
                                  field=attribute.name)

    def _label(self) -> str:
        name = getattr(self, "name", None)
        return f"task {self.id!r}" + (f" ({name})" if name else "")

    @property
    def label(self) -> str:
        """How messages name the task: ``task 'T4' (Design)``; for plugins' own problems."""
        return self._label()

    @property
    def is_milestone(self) -> bool:
        """Marked as a milestone, or of zero duration."""
        return self.milestone or (self.duration is not None and self.duration.is_zero)

    @property
    def is_complete(self) -> bool:
        """100 % complete."""
        return self.percent_complete >= 100

    def split(self, after: Duration | str, gap: Duration | str) -> Split:
        """Interrupt the task's work after ``after`` of it, for ``gap`` of working time.

        Like Microsoft Project's *Split Task*: the duration stays, the finish moves out by
        the gap. Returns the new :class:`~pmcore.model.split.Split`; ``task.splits = ()``
        joins the pieces again.
        """
        added = Split(after, gap)
        self.splits = (*self.splits, added)
        return added

    def __repr__(self) -> str:
        parts = [f"id={self.id!r}", f"name={self.name!r}"]
        if self.duration is not None:
            parts.append(f"duration='{self.duration}'")
        if self.milestone:
            parts.append("milestone=True")
        if self.parent is not None:
            parts.append(f"parent={self.parent!r}")
        if self.start is not None:
            parts.append(f"start='{self.start:%Y-%m-%d %H:%M}'")
        if self.finish is not None:
            parts.append(f"finish='{self.finish:%Y-%m-%d %H:%M}'")
        if self.percent_complete:
            parts.append(f"percent_complete={self.percent_complete:g}")
        if self.recurrence is not None:
            parts.append(f"recurrence={self.recurrence.rule!r}")
        return f"Task({', '.join(parts)})"


def _to_link_type(value: Any) -> LinkType:
    if value.__class__ is LinkType:  # (every link is built through here)
        return value
    return to_enum(LinkType, value, entity="dependency", field="type")


def _link_id(instance: Any) -> str:
    return f"{instance.predecessor}->{instance.successor}"


@attrs.frozen(kw_only=True, repr=False)
class Dependency(Entity):
    """A link between two tasks, e.g. design finish-to-start build with a 2-day lag.

    ``lag`` is a working-time duration on the successor's calendar, an elapsed duration
    (``"2ed"``), or a percentage of the predecessor's duration (``"50%"``); a negative lag is a
    lead. The id defaults to ``"<predecessor>-><successor>"``: a pair of tasks has at most one
    link, as in Microsoft Project.
    """

    predecessor: str
    successor: str
    type: LinkType = attrs.field(default=LinkType.FS, converter=_to_link_type)
    lag: Duration = attrs.field(default=Duration.ZERO, converter=to_duration)
    id: str = attrs.field(default=attrs.Factory(_link_id, takes_self=True))
    name: str = ""

    def __attrs_post_init__(self) -> None:
        check_id("dependency", "predecessor", self.predecessor)
        check_id("dependency", "successor", self.successor)
        check_id("dependency", "id", self.id)
        if self.predecessor == self.successor:
            raise ValidationError(f"task {self.successor!r} cannot depend on itself",
                                  entity=f"dependency {self.id!r}", field="successor")

    @property
    def is_lead(self) -> bool:
        """True when the lag is negative (the successor overlaps its predecessor)."""
        return self.lag.value < 0

    def __repr__(self) -> str:
        lag = "" if self.lag.is_zero else f"{'+' if self.lag.value > 0 else ''}{self.lag}"
        return f"Dependency({self.predecessor} {self.type.value}{lag} {self.successor})"

