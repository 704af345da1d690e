"""The project: the aggregate that owns tasks, links, calendars, resources and assignments.

Every change to the plan's structure goes through a method of :class:`Project`, which keeps the
outline, the links and the calendars consistent and refuses changes that would break them.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from pmcore.errors import CycleError, PMCoreError, UnknownReferenceError, ValidationError
from pmcore.model import baseline as _baseline
from pmcore.model.base import (
    CustomFieldDefinition,
    Entity,
    check_id,
    check_text,
    to_datetime,
    to_enum,
    to_optional_datetime,
)
from pmcore.model.baseline import Baseline, BaselineReport, BaselineVariance
from pmcore.model.calendar import Calendar, EffectiveCalendar
from pmcore.model.duration import CalendarOptions, Duration, DurationUnit, to_duration
from pmcore.model.gate import GateReview  # phase-gate decisions (pmcore.methodology)
from pmcore.model.network import LinkTable, Network
from pmcore.model.recurrence import Recurrence, ends_by_rule, occurrence_days
from pmcore.model.resource import Assignment, Resource, ResourceType, check_currency
from pmcore.model.risk_register import RiskRegister  # risks (pmcore.risk)
from pmcore.model.task import Constraint, ConstraintType, Dependency, LinkType, Task
from pmcore.model.validation import Severity, ValidationReport

if TYPE_CHECKING:
    from pmcore.methodology.base import Methodology
    from pmcore.schedule import Schedule

__all__ = ["Project", "Rollup", "ScheduleFrom"]

TaskRef = Task | str
"""A task or its id: every method that takes a task accepts either."""

ResourceRef = Resource | str
"""A resource or its id: every method that takes a resource accepts either."""


class ScheduleFrom(enum.Enum):
    """Whether the project is scheduled forward from its start or backward from its finish."""

    START = "start"
    FINISH = "finish"


@attrs.frozen
class Rollup:
    """What a summary task shows, rolled up from the tasks below it.

    Attributes:
        start: earliest start of the tasks below that have dates, or ``None``.
        finish: latest finish of the tasks below that have dates, or ``None``.
        duration: working time from ``start`` to ``finish`` on the project calendar, in days.
        percent_complete: duration-weighted, as Microsoft Project computes it:
            the sum of actual durations over the sum of durations of the leaf tasks.
        work_items: number of leaf tasks below.
        milestones: number of milestones below.
    """

    start: dt.datetime | None
    finish: dt.datetime | None
    duration: Duration | None
    percent_complete: float
    work_items: int
    milestones: int


def _to_schedule_from(value: Any) -> ScheduleFrom:
    return to_enum(ScheduleFrom, value, entity="project", field="schedule_from")


def _is_bare_date(value: Any) -> bool:
    """A day without a time of day: a ``date`` or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return True
    return isinstance(value, str) and len(value.strip()) == 10


def _to_options(value: Any) -> CalendarOptions:
    return value if isinstance(value, CalendarOptions) else CalendarOptions(**value)


_SLUG = re.compile(r"[^a-z0-9]+")
_TASK_NUMBER = re.compile(r"T(\d+)")  # a generated task id


class Keep(enum.Enum):
    """The type of :data:`KEEP`."""

    KEEP = "keep"


KEEP = Keep.KEEP
"""Leave a setting as it is (where ``None`` would mean "none")."""

# What a recurring task's series decides for its occurrences; not settable on the summary.
_SERIES_FIELDS = frozenset({"duration", "milestone", "start", "finish", "constraint", "manual",
                            "actual_start", "actual_finish", "percent_complete", "recurrence",
                            "baselines"})


def _has_progress(task: Task) -> bool:
    return (task.actual_start is not None or task.actual_finish is not None
            or task.percent_complete > 0)


def _occurrence_day(task: Task) -> dt.date | None:
    """The day an occurrence is pinned to: its start-no-earlier-than date."""
    constraint = task.constraint
    if constraint.type is ConstraintType.SNET and constraint.date is not None:
        return constraint.date.date()
    return None


@attrs.define(kw_only=True, eq=False, repr=False, init=False)
class Project(Entity):
    """A project plan.

    >>> p = Project("ERP upgrade", start="2027-01-04")
    >>> design = p.add_task("Design", duration="10d")
    >>> build = p.add_task("Build", duration="4w", after=design)
    >>> p.outline_number(build)
    '2'

    Attributes:
        start: the project start (a bare date starts at ``default_start_time``).
        finish: the required finish when scheduling backward from it.
        schedule_from: forward from the start (default) or backward from the finish.
        status_date: the date progress is reported as of; never assumed to be today.
        calendar: id of the project calendar, "standard" unless you choose another.
        options: hours per day and week and days per month, as in Microsoft Project.
        calendars: every calendar by id; a new project has Microsoft Project's Standard one.
        field_definitions: declared custom fields by key.

    Resources and assignments are reached through :attr:`resources`, :attr:`assignments` and
    the methods that change them (:meth:`add_resource`, :meth:`assign`, ...).
        manager, notes: free text.
        risks: the :class:`~pmcore.model.risk_register.RiskRegister` of the project's risks
            and opportunities (empty for a new project).
        currency: the ISO 4217 code of every amount in the plan (rates, fixed costs, the cost
            plan); ``"EUR"`` unless you choose another. Amounts in another currency are
            converted through the ``pmcore_convert_currency`` hook, or refused.
        gate_reviews: the decisions taken at the project's gates, in the order recorded
            (:func:`pmcore.methodology.phasegate.record_review` checks and adds one).
    """

    name: str = attrs.field(validator=check_text)
    id: str = attrs.field(factory=lambda: uuid.uuid4().hex, on_setattr=attrs.setters.frozen)
    start: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)
    finish: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)
    schedule_from: ScheduleFrom = attrs.field(default=ScheduleFrom.START,
                                              converter=_to_schedule_from)
    status_date: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)
    calendar: str = "standard"
    options: CalendarOptions = attrs.field(factory=CalendarOptions, converter=_to_options)
    default_start_time: dt.time = dt.time(8, 0)
    default_finish_time: dt.time = dt.time(17, 0)
    calendars: dict[str, Calendar] = attrs.field(factory=lambda: {"standard": Calendar.standard()})
    field_definitions: dict[str, CustomFieldDefinition] = attrs.field(factory=dict)
    manager: str = attrs.field(default="", validator=check_text)
    notes: str = attrs.field(default="", validator=check_text)
    # -- risks (pmcore.risk): the register, its history and the issue log
    risks: RiskRegister = attrs.field(factory=RiskRegister)

    @risks.validator
    def _check_risks(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, RiskRegister):
            raise ValidationError(f"must be a RiskRegister, got {value!r}",
                                  entity=self._label(), field="risks")

    # -- costs (pmcore.finance)
    currency: str = attrs.field(default="EUR")

    @currency.validator
    def _check_currency(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_currency(value, entity=self._label())

    # -- gate reviews (pmcore.methodology.phasegate)
    gate_reviews: tuple[GateReview, ...] = attrs.field(default=(), converter=tuple)

    @gate_reviews.validator
    def _check_gate_reviews(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        for review in value:
            if not isinstance(review, GateReview):
                raise ValidationError(f"must be GateReview objects, got {review!r}",
                                      entity=self._label(), field="gate_reviews")

    _tasks: dict[str, Task] = attrs.field(init=False, factory=dict)
    _children: dict[str | None, list[str]] = attrs.field(init=False, factory=lambda: {None: []})
    _links: dict[tuple[str, str], Dependency] = attrs.field(init=False, factory=dict)
    _next_number: int = attrs.field(init=False, default=1)
    _outline_cache: dict[str, tuple[int, ...]] | None = attrs.field(init=False, default=None)
    # The row order as a tuple, valid while the outline it was built from is the current one.
    _rows_cache: tuple[dict[str, tuple[int, ...]], tuple[Task, ...]] | None = attrs.field(
        init=False, default=None)
    _network_cache: Network | None = attrs.field(init=False, default=None)
    # Each task's slot (see LinkTable): a number it keeps while it is in the project.
    _slots: dict[str, int] = attrs.field(init=False, factory=dict)
    _slots_removed: int = attrs.field(init=False, default=0)  # (slots are never reused)
    # The links as columns, kept as links are added; None after a removal, until asked for.
    _link_columns: LinkTable | None = attrs.field(init=False, factory=LinkTable)
    _resources: dict[str, Resource] = attrs.field(init=False, factory=dict)
    _assignments: dict[str, Assignment] = attrs.field(init=False, factory=dict)
    # The next number of a generated resource ("R<n>") and assignment ("A<n>") id.
    _next_numbers: dict[str, int] = attrs.field(init=False, factory=dict)

    def __init__(self, name: str, **kwargs: Any) -> None:
        # Bare days take the project's default start and finish times, as in MS Project; an
        # explicit time, midnight included, is kept.
        start_time = kwargs.get("default_start_time", dt.time(8, 0))
        finish_time = kwargs.get("default_finish_time", dt.time(17, 0))
        for key, default in (("start", start_time), ("status_date", finish_time),
                             ("finish", finish_time)):
            if _is_bare_date(kwargs.get(key)) and isinstance(default, dt.time):
                kwargs[key] = to_datetime(kwargs[key], default_time=default)
        self.__attrs_init__(name=name, **kwargs)

    def __attrs_post_init__(self) -> None:
        if self.schedule_from is ScheduleFrom.FINISH and self.finish is None:
            raise ValidationError("scheduling from the finish needs a finish date",
                                  entity=self._label(), field="finish")
        if self.start is not None and self.finish is not None and self.finish < self.start:
            raise ValidationError(f"finish {self.finish} is before start {self.start}",
                                  entity=self._label(), field="finish")

    def _label(self) -> str:
        return f"project {self.name!r}"

    @property
    def label(self) -> str:
        """How messages name the project: ``project 'ERP upgrade'``."""
        return self._label()

    # ------------------------------------------------------------------ tasks and the outline

    @property
    def tasks(self) -> tuple[Task, ...]:
        """Every task in outline (row) order."""
        outline = self._outline()
        if self._rows_cache is None or self._rows_cache[0] is not outline:
            self._rows_cache = (outline, tuple(self._tasks[t] for t in outline))
        return self._rows_cache[1]

    def __iter__(self) -> Iterator[Task]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self._tasks)

    def __contains__(self, item: object) -> bool:
        key = item.id if isinstance(item, Task) else item
        return isinstance(key, str) and key in self._tasks

    def __getitem__(self, task: TaskRef) -> Task:
        return self.task(task)

    def task(self, task: TaskRef) -> Task:
        """The task with this id (or this task, checked to belong to the project).

        Raises:
            UnknownReferenceError: no such task in this project.
        """
        key = task.id if isinstance(task, Task) else task
        found = self._tasks.get(key) if isinstance(key, str) else None
        if found is None:
            raise UnknownReferenceError(str(key), kind="task", entity=self._label())
        return found

    def find(self, name: str) -> Task:
        """The task with this exact name; raises when none or several match."""
        matches = [t for t in self._tasks.values() if t.name == name]
        if len(matches) != 1:
            problem = "no task is" if not matches else f"{len(matches)} tasks are"
            raise UnknownReferenceError(name, kind="task name",
                                        entity=f"{self._label()} ({problem} named so)")
        return matches[0]

    def add_task(
        self,
        name: str,
        duration: Duration | str | float | None = None,
        *,
        after: TaskRef | Iterable[TaskRef] | None = None,
        parent: TaskRef | None = None,
        milestone: bool | None = None,
        id: str | None = None,
        **fields: Any,
    ) -> Task:
        """Add a task at the end of ``parent``'s children (or of the top level) and return it.

        ``after`` links the new task finish-to-start after one task or several. ``milestone``
        defaults to true for zero durations. Other keyword arguments set :class:`Task` fields
        (``constraint``, ``priority``, ``calendar``, ``custom_fields``, ...).

        Dates given without a time of day take the project's default times, as Microsoft
        Project does: the default start time for starts and start constraints (SNET, SNLT,
        MSO), the default finish time for finishes, finish constraints and deadlines.
        """
        parent_id = None if parent is None else self.task(parent).id
        task_id = self._new_id(id)
        fields = self._with_default_times(fields)
        dur = None if duration is None else to_duration(duration)
        if milestone is None:
            milestone = dur is not None and dur.is_zero
        predecessors = self._refs(after)
        if fields.get("calendar") is not None and fields["calendar"] not in self.calendars:
            raise UnknownReferenceError(fields["calendar"], kind="calendar",
                                        entity=f"task {task_id!r} ({name})", field="calendar")
        task = Task(id=task_id, name=name, duration=dur, milestone=milestone, parent=parent_id,
                    **fields)
        next_number = self._next_number
        self._insert(task)
        try:
            for predecessor in predecessors:
                self.link(predecessor, task)
        except PMCoreError:  # a refused link leaves the project as it was, without the task
            self.remove_task(task)
            self._next_number = next_number
            raise
        return task

    def _with_default_times(self, fields: dict[str, Any]) -> dict[str, Any]:
        start, finish = self.default_start_time, self.default_finish_time
        result = dict(fields)
        for key, default in (("start", start), ("actual_start", start), ("finish", finish),
                             ("actual_finish", finish), ("deadline", finish)):
            if _is_bare_date(result.get(key)):
                result[key] = to_datetime(result[key], default_time=default)
        constraint = result.get("constraint")
        if isinstance(constraint, tuple | list) and len(constraint) == 2 and \
                _is_bare_date(constraint[1]):
            kind = ConstraintType(constraint[0]) if not isinstance(constraint[0], ConstraintType) \
                else constraint[0]
            default = start if kind.value.startswith(("S", "M")) and kind.value != "MFO" \
                else finish
            result["constraint"] = Constraint(kind, to_datetime(constraint[1],
                                                                default_time=default))
        return result

    def add_milestone(self, name: str, *, after: TaskRef | Iterable[TaskRef] | None = None,
                      parent: TaskRef | None = None, **fields: Any) -> Task:
        """Add a zero-duration milestone."""
        return self.add_task(name, Duration.ZERO, after=after, parent=parent, milestone=True,
                             **fields)

    def _refs(self, refs: TaskRef | Iterable[TaskRef] | None) -> list[Task]:
        if refs is None:
            return []
        if isinstance(refs, Task | str):
            return [self.task(refs)]
        return [self.task(r) for r in refs]

    def _new_id(self, requested: str | None) -> str:
        if requested is not None:
            check_id("task", "id", requested)
            if requested in self._tasks:
                raise ValidationError(f"id {requested!r} is already used by another task",
                                      entity=f"task {requested!r}", field="id")
            return requested
        while f"T{self._next_number}" in self._tasks:
            self._next_number += 1
        return f"T{self._next_number}"

    def _insert(self, task: Task) -> None:
        # (this runs per task of a file read: attributes of the project are set only when they
        # change, as each assignment goes through attrs' hooks)
        self._tasks[task.id] = task
        self._slots[task.id] = self._slot_bound  # (a new slot: every slot is below it)
        if self._link_columns is not None and self._link_columns.dangling:
            self._link_columns = None  # a link may name this task: its slot is now known
        self._children.setdefault(task.parent, []).append(task.id)
        if (match := _TASK_NUMBER.fullmatch(task.id)) is not None and \
                int(match[1]) >= self._next_number:
            self._next_number = int(match[1]) + 1
        if self._outline_cache is not None:
            self._outline_cache = None
        if self._network_cache is not None and task.parent is not None:
            parent = self._tasks.get(task.parent)
            if parent is None:
                self._network_cache = None  # a dangling parent (restore): rebuild on demand
            else:
                self._network_cache.add_child(task.parent, task.id, parent.parent)

    def remove_task(self, task: TaskRef) -> list[Task]:
        """Remove a task with everything below it, every link touching them and their
        resource assignments.

        Returns the removed tasks, the given one first.
        """
        root = self.task(task)
        removed = [self._tasks[t] for t in self._subtree(root.id)]
        gone = {t.id for t in removed}
        for key in [k for k in self._links if k[0] in gone or k[1] in gone]:
            del self._links[key]
        for assignment_id in [k for k, a in self._assignments.items() if a.task in gone]:
            del self._assignments[assignment_id]
        self._children[root.parent].remove(root.id)
        for t in removed:
            del self._tasks[t.id]
            del self._slots[t.id]
            self._children.pop(t.id, None)
        self._slots_removed += len(removed)
        self._link_columns = None
        self._outline_cache = None
        self._network_cache = None
        return removed

    def move_task(self, task: TaskRef, *, parent: TaskRef | None = None,
                  index: int | None = None) -> None:
        """Move a task (with its subtree) under ``parent`` (top level if ``None``).

        ``index`` is the position among the new siblings (at the end by default). Refuses a move
        under the task's own subtree, one that would close a dependency loop, or one that would
        put a task under a summary it is linked to; a refused move changes nothing.
        """
        moving = self.task(task)
        new_parent = None if parent is None else self.task(parent).id
        subtree = self._subtree(moving.id)
        if new_parent is not None and new_parent in subtree:
            loop = [moving.id]  # child -> parent, as validate() reports outline loops
            current: str | None = new_parent
            while current is not None and current != moving.id:
                loop.append(current)
                current = self._tasks[current].parent
            raise CycleError((*loop, moving.id), kind="outline",
                             entity=f"task {moving.id!r} ({moving.name})")
        old_parent = moving.parent
        old_index = self._children[old_parent].index(moving.id)
        self._children[old_parent].remove(moving.id)
        siblings = self._children.setdefault(new_parent, [])
        siblings.insert(len(siblings) if index is None else index, moving.id)
        object.__setattr__(moving, "parent", new_parent)  # parent is frozen against direct edits
        self._outline_cache = None
        self._network_cache = None
        try:
            moved = set(subtree)
            for link in self._links.values():  # a moved task may now sit under a linked task
                if link.predecessor in moved or link.successor in moved:
                    self._check_not_own_summary(link)
            cycles = self._network().cycles()
            if cycles:
                raise CycleError(cycles[0], entity=f"task {moving.id!r} ({moving.name})",
                             names=self._names(cycles[0]))
        except ValidationError:
            siblings.remove(moving.id)
            self._children[old_parent].insert(old_index, moving.id)
            object.__setattr__(moving, "parent", old_parent)
            self._outline_cache = None
            self._network_cache = None
            raise

    def children(self, task: TaskRef | None = None) -> tuple[Task, ...]:
        """The direct children of ``task`` (the top-level tasks when ``None``)."""
        key = None if task is None else self.task(task).id
        return tuple(self._tasks[t] for t in self._children.get(key, ()) if t in self._tasks)

    def parent(self, task: TaskRef) -> Task | None:
        """The summary task directly above, or ``None`` at the top level."""
        parent = self.task(task).parent
        return None if parent is None else self._tasks.get(parent)

    def ancestors(self, task: TaskRef) -> tuple[Task, ...]:
        """Summary tasks above ``task``, nearest first."""
        found: list[Task] = []
        current = self.parent(task)
        while current is not None and len(found) <= len(self._tasks):
            found.append(current)
            current = self.parent(current)
        return tuple(found)

    def descendants(self, task: TaskRef) -> tuple[Task, ...]:
        """Every task below ``task`` in outline order (not ``task`` itself)."""
        return tuple(self._tasks[t] for t in self._subtree(self.task(task).id)[1:])

    def _subtree(self, root: str) -> list[str]:
        order: list[str] = []
        stack = [root]
        while stack:
            current = stack.pop()
            order.append(current)
            stack.extend(reversed(self._children.get(current, ())))
        return order

    def is_summary(self, task: TaskRef) -> bool:
        """True when the task has children."""
        return bool(self._children.get(self.task(task).id))

    @property
    def summary_tasks(self) -> tuple[Task, ...]:
        """Tasks with children, in outline order."""
        return tuple(t for t in self.tasks if self._children.get(t.id))

    @property
    def work_tasks(self) -> tuple[Task, ...]:
        """Tasks without children (work packages and milestones), in outline order."""
        return tuple(t for t in self.tasks if not self._children.get(t.id))

    @property
    def milestones(self) -> tuple[Task, ...]:
        """Milestones, in outline order."""
        return tuple(t for t in self.tasks if t.is_milestone)

    def _outline(self) -> dict[str, tuple[int, ...]]:
        if self._outline_cache is None:
            numbers: dict[str, tuple[int, ...]] = {}
            kids_of = self._children.get
            # depth first, in row order; per level, where its list of children was left off
            stack: list[tuple[Iterator[tuple[int, str]], tuple[int, ...]]] = [
                (enumerate(self._children[None], 1), ())]
            while stack:
                siblings, prefix = stack[-1]
                for position, current in siblings:
                    numbers[current] = number = (*prefix, position)
                    kids = kids_of(current)
                    if kids:
                        stack.append((enumerate(kids, 1), number))
                        break
                else:
                    stack.pop()
            # Tasks unreachable from the top (a file with a dangling or looping parent) keep
            # their place after the rest rather than vanishing.
            for orphan in self._tasks:
                if orphan not in numbers:
                    numbers[orphan] = ()
            self._outline_cache = numbers
        return self._outline_cache

    def outline_number(self, task: TaskRef) -> str:
        """The task's outline number, e.g. ``"2.1.3"``."""
        return ".".join(map(str, self._outline()[self.task(task).id]))

    def outline_level(self, task: TaskRef) -> int:
        """1 for top-level tasks, 2 for their children, and so on."""
        return len(self._outline()[self.task(task).id])

    def wbs_code(self, task: TaskRef) -> str:
        """The task's WBS code: its own ``wbs`` if set, else the outline number."""
        found = self.task(task)
        return found.wbs if found.wbs else self.outline_number(found)

    def rollup(self, task: TaskRef) -> Rollup:
        """Roll up dates, duration-weighted progress and counts from the tasks below ``task``.

        For a task without children this describes the task itself.
        """
        root = self.task(task)
        leaves = [self._tasks[t] for t in self._subtree(root.id)
                  if not self._children.get(t)]
        starts = [t.start for t in leaves if t.start is not None]
        finishes = [t.finish for t in leaves if t.finish is not None]
        start = min(starts) if starts else None
        finish = max(finishes) if finishes else None
        minutes = [(t.duration.to_minutes(self.options) if t.duration is not None else 0.0,
                    t.percent_complete) for t in leaves]
        total = sum(m for m, _ in minutes)
        if total > 0:
            percent = sum(m * pc for m, pc in minutes) / total
        else:  # only milestones below: complete when they all are
            percent = 100.0 if leaves and all(t.is_complete for t in leaves) else 0.0
        duration = None
        if start is not None and finish is not None and finish >= start:
            calendar = self.effective_calendar()
            worked = calendar.working_minutes_between(start, finish)
            duration = Duration(round(worked / self.options.minutes_per_day, 4), DurationUnit.DAYS)
        return Rollup(start=start, finish=finish, duration=duration,
                      percent_complete=round(percent, 6), work_items=len(leaves),
                      milestones=sum(1 for t in leaves if t.is_milestone))

    # ------------------------------------------------------------------ dependencies

    @property
    def dependencies(self) -> tuple[Dependency, ...]:
        """Every link, in the order they were added."""
        return tuple(self._links.values())

    def link(
        self,
        predecessor: TaskRef,
        successor: TaskRef,
        type: LinkType | str = LinkType.FS,
        lag: Duration | str | float = Duration.ZERO,
        **fields: Any,
    ) -> Dependency:
        """Link two tasks; ``lag`` may be negative (a lead), elapsed, or a percentage.

        Raises:
            UnknownReferenceError: either task is not in the project.
            ValidationError: the tasks are already linked, or one is a summary of the other.
            CycleError: the link would close a loop; the error lists it.
        """
        pred, succ = self.task(predecessor), self.task(successor)
        link = Dependency(predecessor=pred.id, successor=succ.id, type=type, lag=lag, **fields)
        entity = f"dependency {link.id!r}"
        for key in ((pred.id, succ.id), (succ.id, pred.id)):
            if key in self._links:
                raise ValidationError(f"{key[0]} and {key[1]} are already linked "
                                      f"({self._links[key]!r}); unlink them first", entity=entity)
        self._check_not_own_summary(link)
        network = self._network()
        loop = network.cycle_if_added(link)
        if loop is not None:
            raise CycleError(loop, entity=entity, names=self._names(loop))
        network.add_link(link)
        self._links[(pred.id, succ.id)] = link
        if self._link_columns is not None:
            self._link_columns.append(link, self._slots)
        return link

    def _names(self, ids: Iterable[str]) -> dict[str, str]:
        return {i: self._tasks[i].name for i in ids if i in self._tasks}

    def _is_ancestor(self, ancestor: str, task: str) -> bool:
        tasks = self._tasks
        node = tasks.get(task)
        current = None if node is None else node.parent
        steps = 0
        while current is not None and steps <= len(tasks):  # bounded even if parents loop
            if current == ancestor:
                return True
            node = tasks.get(current)
            current = None if node is None else node.parent
            steps += 1
        return False

    def _check_not_own_summary(self, link: Dependency) -> None:
        for low, high in ((link.predecessor, link.successor), (link.successor, link.predecessor)):
            if self._is_ancestor(high, low):
                raise ValidationError(
                    f"task {low!r} cannot be linked to its own summary task {high!r}",
                    entity=f"dependency {link.id!r}")

    def unlink(self, predecessor: TaskRef, successor: TaskRef) -> Dependency:
        """Remove the link between two tasks and return it."""
        key = (self.task(predecessor).id, self.task(successor).id)
        link = self._links.pop(key, None)
        if link is None:
            raise UnknownReferenceError(f"{key[0]}->{key[1]}", kind="dependency",
                                        entity=self._label())
        self._network_cache = None
        self._link_columns = None
        return link

    def predecessors(self, task: TaskRef) -> tuple[Dependency, ...]:
        """Links into ``task``."""
        key = self.task(task).id
        return tuple(d for d in self._links.values() if d.successor == key)

    def successors(self, task: TaskRef) -> tuple[Dependency, ...]:
        """Links out of ``task``."""
        key = self.task(task).id
        return tuple(d for d in self._links.values() if d.predecessor == key)

    def _link_table(self) -> LinkTable:
        """The links as columns (for scheduling), in the order of :attr:`dependencies`."""
        if self._link_columns is None:
            self._link_columns = LinkTable.of(self._links.values(), self._slots)
        return self._link_columns

    def _child_ids(self) -> Iterator[tuple[str, list[str]]]:
        """Each id that has children, with their ids in row order (for scheduling)."""
        return ((parent, kids) for parent, kids in self._children.items()
                if parent is not None and kids)

    def _slots_of(self, ids: Iterable[str]) -> Iterator[int]:
        """The slots of the tasks ``ids`` (see :class:`~pmcore.model.network.LinkTable`)."""
        return map(self._slots.__getitem__, ids)

    @property
    def _slot_bound(self) -> int:
        """Every slot is below this."""
        return len(self._slots) + self._slots_removed

    def _network(self) -> Network:
        if self._network_cache is None:
            network = Network(self._children)
            for link in self._links.values():
                network.add_link(link)
            self._network_cache = network
        return self._network_cache

    # ------------------------------------------------------------------ calendars and fields

    def add_calendar(self, name: str, *, base: Calendar | str | None = None, id: str | None = None,
                     **fields: Any) -> Calendar:
        """Add a calendar; with a ``base`` it derives from that calendar.

        The id defaults to a slug of the name (``"Ops 24x7"`` -> ``"ops-24x7"``).
        """
        base_id = base.id if isinstance(base, Calendar) else base
        if base_id is not None and base_id not in self.calendars:
            raise UnknownReferenceError(base_id, kind="calendar", entity=f"calendar {name!r}",
                                        field="base")
        calendar_id = id or self._calendar_slug(name)
        if calendar_id in self.calendars:
            raise ValidationError(f"id {calendar_id!r} is already used by another calendar",
                                  entity=f"calendar {name!r}", field="id")
        calendar = Calendar(id=calendar_id, name=name, base=base_id, **fields)
        self.calendars[calendar.id] = calendar
        return calendar

    def remove_calendar(self, calendar: Calendar | str) -> Calendar:
        """Remove a calendar that nothing uses: the project, a task, a resource or a calendar.

        Raises:
            UnknownReferenceError: no such calendar.
            ValidationError: the calendar is still in use (the message says by what).
        """
        key = calendar.id if isinstance(calendar, Calendar) else calendar
        if key not in self.calendars:
            raise UnknownReferenceError(key, kind="calendar", entity=self._label())
        users = [self._label()] if self.calendar == key else []
        users += [t._label() for t in self._tasks.values() if t.calendar == key]
        users += [r.label for r in self._resources.values() if r.calendar == key]
        users += [f"calendar {c.id!r}" for c in self.calendars.values() if c.base == key]
        if users:
            raise ValidationError(f"is still used by {', '.join(users[:3])}"
                                  + (f" and {len(users) - 3} more" if len(users) > 3 else ""),
                                  entity=f"calendar {key!r}")
        return self.calendars.pop(key)

    def _calendar_slug(self, name: str) -> str:
        slug = _SLUG.sub("-", name.lower()).strip("-") or "calendar"
        candidate, n = slug, 2
        while candidate in self.calendars:
            candidate, n = f"{slug}-{n}", n + 1
        return candidate

    def effective_calendar(self, calendar: Calendar | str | None = None) -> EffectiveCalendar:
        """A calendar with its bases resolved; the project calendar by default."""
        key = self.calendar if calendar is None else (
            calendar.id if isinstance(calendar, Calendar) else calendar)
        return EffectiveCalendar.resolve(key, self.calendars, referrer=self._label(),
                                         field="calendar")

    def task_calendar(self, task: TaskRef) -> EffectiveCalendar:
        """The calendar a task is scheduled on: its own, or the project's."""
        found = self.task(task)
        if found.calendar is None:
            return self.effective_calendar()
        return EffectiveCalendar.resolve(found.calendar, self.calendars,
                                         referrer=found._label(), field="calendar")

    def define_field(self, key: str, type: str, *, applies_to: str = "task",
                     alias: str | None = None, **fields: Any) -> CustomFieldDefinition:
        """Declare a custom field so its values are type-checked by :meth:`validate`."""
        definition = CustomFieldDefinition(key=key, type=type, applies_to=applies_to,
                                           alias=alias, **fields)
        self.field_definitions[key] = definition
        return definition

    # ------------------------------------------------------------------ resources

    @property
    def resources(self) -> tuple[Resource, ...]:
        """Every resource, in the order they were added."""
        return tuple(self._resources.values())

    def resource(self, resource: ResourceRef) -> Resource:
        """The resource with this id (or this resource, checked to belong to the project).

        Raises:
            UnknownReferenceError: no such resource in this project.
        """
        key = resource.id if isinstance(resource, Resource) else resource
        found = self._resources.get(key) if isinstance(key, str) else None
        if found is None:
            raise UnknownReferenceError(str(key), kind="resource", entity=self._label())
        return found

    def add_resource(
        self,
        name: str,
        type: ResourceType | str = ResourceType.WORK,
        *,
        id: str | None = None,
        calendar: Calendar | str | None = None,
        **fields: Any,
    ) -> Resource:
        """Add a resource and return it; its id defaults to the next free ``"R<n>"``.

        ``type`` is ``"work"`` (the default), ``"material"`` or ``"cost"``. ``calendar`` is
        the resource calendar (a calendar of the project, or its id); without one the resource
        works on the project calendar. Other keyword arguments set :class:`~pmcore.Resource`
        fields (``max_units``, ``availability``, ``rate_tables``, ``email``, ...).

        >>> p = Project("Demo")
        >>> p.add_resource("Dana Fox", max_units=0.5)
        Resource(id='R1', name='Dana Fox', max_units=0.5)

        Raises:
            UnknownReferenceError: the calendar is not in the project.
            ValidationError: a value is invalid, the id is taken, availability periods overlap
                or a rate table's effective dates do not increase.
        """
        from pmcore.model.rules import resource_problems

        resource_id = self._new_entity_id(id, "resource")
        calendar_id = calendar.id if isinstance(calendar, Calendar) else calendar
        resource = Resource(id=resource_id, name=name, type=type, calendar=calendar_id,
                            **fields)
        if calendar_id is not None and calendar_id not in self.calendars:
            raise UnknownReferenceError(calendar_id, kind="calendar", entity=resource.label,
                                        field="calendar")
        for problem in resource_problems(resource):
            if problem.severity is Severity.ERROR:
                raise problem.error
        self._resources[resource.id] = resource
        self._count_id("resource", resource.id)
        return resource

    def remove_resource(self, resource: ResourceRef) -> Resource:
        """Remove a resource and its assignments, as Microsoft Project does; return it."""
        found = self.resource(resource)
        for key in [k for k, a in self._assignments.items() if a.resource == found.id]:
            del self._assignments[key]
        return self._resources.pop(found.id)

    def resource_calendar(self, resource: ResourceRef) -> EffectiveCalendar:
        """The calendar a resource works on: its own, or the project's."""
        found = self.resource(resource)
        if found.calendar is None:
            return self.effective_calendar()
        return EffectiveCalendar.resolve(found.calendar, self.calendars,
                                         referrer=found.label, field="calendar")

    def _new_entity_id(self, requested: str | None, kind: str) -> str:
        """A free id for a new resource or assignment: ``requested``, or the next ``R<n>`` /
        ``A<n>``; numbers only go up, so a removed entity's id is not given to a new one."""
        existing: dict[str, Any] = self._resources if kind == "resource" else self._assignments
        if requested is not None:
            check_id(kind, "id", requested)
            if requested in existing:
                raise ValidationError(f"id {requested!r} is already used by another {kind}",
                                      entity=f"{kind} {requested!r}", field="id")
            return requested
        prefix = "R" if kind == "resource" else "A"
        number = self._next_numbers.get(kind, 1)
        while f"{prefix}{number}" in existing:
            number += 1
        return f"{prefix}{number}"

    def _count_id(self, kind: str, entity_id: str) -> None:
        prefix = "R" if kind == "resource" else "A"
        if (match := re.fullmatch(rf"{prefix}(\d+)", entity_id)) is not None:
            self._next_numbers[kind] = max(self._next_numbers.get(kind, 1), int(match[1]) + 1)

    # ------------------------------------------------------------------ assignments

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        """Every assignment, in the order they were made."""
        return tuple(self._assignments.values())

    def assignment(self, assignment: Assignment | str) -> Assignment:
        """The assignment with this id (or this assignment, checked to belong to the project).

        Raises:
            UnknownReferenceError: no such assignment in this project.
        """
        key = assignment.id if isinstance(assignment, Assignment) else assignment
        found = self._assignments.get(key) if isinstance(key, str) else None
        if found is None:
            raise UnknownReferenceError(str(key), kind="assignment", entity=self._label())
        return found

    def assign(
        self,
        task: TaskRef,
        resource: ResourceRef,
        units: float = 1.0,
        work: Duration | str | float | None = None,
        *,
        id: str | None = None,
        **fields: Any,
    ) -> Assignment:
        """Assign a resource to a task and return the assignment (id ``"A<n>"`` by default).

        ``units`` is how much of the resource works on the task (``0.5`` is half time; for a
        material resource, the quantity); ``work`` the total working time, if known. Other
        keyword arguments set :class:`~pmcore.Assignment` fields (``contour``,
        ``rate_table``, ``cost`` for a cost resource, ...). On an effort-driven task that
        already has work resources, the task's total work stays and is shared (see
        :mod:`pmcore.model.effort`): the duration shortens (fixed units, fixed work) or each
        assignment's units drop (fixed duration). :meth:`set_duration`, :meth:`set_units`
        and :meth:`set_work` change one of work, duration and units the same way.

        A resource is assigned to a task at most once, as in Microsoft Project. Unlike
        Microsoft Project, pmcore refuses assignments to summary tasks: assign the tasks below.

        Raises:
            UnknownReferenceError: the task or the resource is not in the project.
            ValidationError: the task is a summary task, the resource is already assigned to
                it, the id is taken, or a value is invalid.
        """
        found_task, found_resource = self.task(task), self.resource(resource)
        assignment_id = self._new_entity_id(id, "assignment")
        entity = f"assignment {assignment_id!r} ({found_resource.id} on {found_task.id})"
        if self.is_summary(found_task):
            raise ValidationError(f"{found_task.label} is a summary task; assign resources to "
                                  "the tasks below it", entity=entity, field="task")
        for existing in self._assignments.values():
            if existing.task == found_task.id and existing.resource == found_resource.id:
                raise ValidationError(
                    f"{found_resource.label} is already assigned to {found_task.label} (by "
                    f"assignment {existing.id!r}); change that assignment instead",
                    entity=entity, field="resource")
        assignment = Assignment(id=assignment_id, task=found_task.id,
                                resource=found_resource.id, units=units, work=work, **fields)
        from pmcore.model import effort

        sharing = self._work_assignments(found_task)
        if found_task.effort_driven and sharing and found_resource.type is ResourceType.WORK:
            total = sum(effort.work_minutes(a, found_task, self.options) for a in sharing)
            self._assignments[assignment.id] = assignment
            effort.share_work(found_task, [*sharing, assignment], total, self.options)
        else:
            self._assignments[assignment.id] = assignment
        self._count_id("assignment", assignment.id)
        return assignment

    def _work_assignments(self, task: Task) -> list[Assignment]:
        return [a for a in self._assignments.values() if a.task == task.id and a.units > 0
                and self._resources[a.resource].type is ResourceType.WORK]

    def set_duration(self, task: TaskRef, duration: Duration | str | float) -> None:
        """Change a task's duration as Microsoft Project does: its assignments' work follows
        (fixed units, fixed duration), or their units do (fixed work)."""
        from pmcore.model import effort

        found = self.task(task)
        effort.set_task_duration(found, self._work_assignments(found), to_duration(duration),
                                 self.options)

    def set_units(self, task: TaskRef, resource: ResourceRef, units: float) -> None:
        """Change an assignment's units: the task's duration follows (fixed units, fixed
        work; the longest assignment sets it), or the assignment's work (fixed duration)."""
        from pmcore.model import effort

        found, changed = self.task(task), self._assignment_of(task, resource)
        checked = attrs.evolve(changed, units=units)  # validates the value
        effort.set_units(found, self._work_assignments(found), changed, checked.units,
                         self.options)

    def set_work(self, task: TaskRef, resource: ResourceRef,
                 work: Duration | str | float) -> None:
        """Change an assignment's work: the task's duration follows (fixed units, fixed
        work), or the assignment's units (fixed duration)."""
        from pmcore.model import effort

        found, changed = self.task(task), self._assignment_of(task, resource)
        checked = attrs.evolve(changed, work=work)  # validates the value
        assert checked.work is not None
        effort.set_work(found, self._work_assignments(found), changed, checked.work,
                        self.options)

    def _assignment_of(self, task: TaskRef, resource: ResourceRef) -> Assignment:
        task_id, resource_id = self.task(task).id, self.resource(resource).id
        for assignment in self._assignments.values():
            if assignment.task == task_id and assignment.resource == resource_id:
                return assignment
        raise UnknownReferenceError(f"{resource_id} on {task_id}", kind="assignment",
                                    entity=self._label())

    def unassign(self, task: TaskRef, resource: ResourceRef) -> Assignment:
        """Remove the assignment of ``resource`` to ``task`` and return it.

        Raises:
            UnknownReferenceError: the task or the resource is unknown, or not assigned.
        """
        from pmcore.model import effort

        found = self.task(task)
        removed = self._assignment_of(found, resource)
        before = self._work_assignments(found)
        total = sum(effort.work_minutes(a, found, self.options) for a in before)
        del self._assignments[removed.id]
        remaining = self._work_assignments(found)
        if found.effort_driven and remaining and removed in before:
            effort.share_work(found, remaining, total, self.options)
        return removed

    def assignments_of(self, task: TaskRef) -> tuple[Assignment, ...]:
        """The assignments on ``task``, in the order they were made."""
        key = self.task(task).id
        return tuple(a for a in self._assignments.values() if a.task == key)

    def assignments_for(self, resource: ResourceRef) -> tuple[Assignment, ...]:
        """The assignments of ``resource``, in the order they were made."""
        key = self.resource(resource).id
        return tuple(a for a in self._assignments.values() if a.resource == key)

    # ------------------------------------------------------------------ validation

    def validate(self) -> ValidationReport:
        """Check the whole project and report every problem found, without raising.

        The rules: references resolve (parents, links, calendars, assignments), the outline
        and the links have no loops, no task is linked to its own summary, calendars have
        working time, dates are in order, availability periods do not overlap, rate tables
        are in date order, and custom fields match their definitions. Plugins add rules
        through the ``pmcore_validate_project`` hook; :func:`pmcore.validate` runs them all.
        """
        from pmcore.model.rules import core_problems

        return ValidationReport.of(core_problems(self))

    # ------------------------------------------------------------------ scheduling

    def schedule(
        self,
        *,
        status_date: dt.datetime | dt.date | str | None = None,
        critical_threshold: Duration | str | float = "0d",
        progress_mode: str = "retained_logic",
        level: bool | Mapping[str, Any] = False,
        backend: str = "auto",
    ) -> Schedule:
        """Schedule the project; see :func:`pmcore.schedule.schedule`. The project is unchanged.

        >>> p = Project("Demo", start="2027-01-04")
        >>> _ = p.add_task("Design", "5d")
        >>> p.schedule().finish
        datetime.datetime(2027, 1, 8, 17, 0)
        """
        from pmcore.schedule import schedule

        return schedule(self, status_date=status_date, critical_threshold=critical_threshold,
                        progress_mode=progress_mode, level=level, backend=backend)

    # ------------------------------------------------------------------ baselines

    def save_baseline(
        self,
        schedule: Schedule | None = None,
        number: int = 0,
        tasks: TaskRef | Iterable[TaskRef] | None = None,
        *,
        saved_at: dt.datetime | dt.date | str,
    ) -> dict[str, Baseline]:
        """Save baseline ``number`` (0-10) of every task, or of ``tasks``; return what was saved.

        Each task's start and finish come from ``schedule`` (``schedule[task].start`` and
        ``.finish``) when one is given, else from the task's own dates. The duration is the
        task's (for a summary task, the working time from its start to its finish on its
        calendar). ``saved_at`` is recorded with each baseline: pass the moment you save it
        (pmcore never reads the clock). Saving replaces that baseline of the chosen tasks; a
        chosen task without dates is left without it. Other baselines are untouched.

        >>> p = Project("Demo", start="2027-01-04")
        >>> design = p.add_task("Design", "5d")
        >>> saved = p.save_baseline(p.schedule(), saved_at="2027-01-01T09:00")
        >>> design.baselines[0].finish
        datetime.datetime(2027, 1, 8, 17, 0)

        Raises:
            ValidationError: ``number`` is not 0-10.
            UnknownReferenceError: a task is not in the project, or not in ``schedule``.
        """
        return _baseline.save_baseline(self, schedule, number, tasks, saved_at=saved_at)

    def clear_baseline(self, number: int = 0,
                       tasks: TaskRef | Iterable[TaskRef] | None = None) -> tuple[str, ...]:
        """Remove baseline ``number`` from every task (or from ``tasks``); return their ids."""
        return _baseline.clear_baseline(self, number, tasks)

    def baseline_variance(self, task: TaskRef, schedule: Schedule | None = None,
                          number: int = 0) -> BaselineVariance:
        """How far ``task`` has moved from its baseline ``number``, as Microsoft Project shows it.

        Start and finish variances are the working minutes, on the task's calendar, from the
        baseline date to the current one (negative when the task is early); the duration
        variance is the current duration minus the baseline one. Current dates come from
        ``schedule`` when given, else from the task.

        Raises:
            ValidationError: the task has no such baseline, or no dates to compare with it.
        """
        return _baseline.baseline_variance(self, task, schedule, number)

    def baseline_report(self, schedule: Schedule | None = None,
                        number: int = 0) -> BaselineReport:
        """Every task's variance from baseline ``number``; ``.to_records()`` gives a table."""
        return _baseline.baseline_report(self, schedule, number)

    # ------------------------------------------------------------------ recurring tasks

    @property
    def recurring_tasks(self) -> tuple[Task, ...]:
        """The summary tasks of recurring tasks (those holding a series), in outline order."""
        return tuple(t for t in self.tasks if t.recurrence is not None)

    def add_recurring_task(
        self,
        name: str,
        duration: Duration | str | float,
        recurrence: str,
        *,
        start: dt.datetime | dt.date | str | None = None,
        finish: dt.datetime | dt.date | str | None = None,
        parent: TaskRef | None = None,
        calendar: str | None = None,
        id: str | None = None,
        **fields: Any,
    ) -> Task:
        """Add a recurring task: a summary holding the series, one child per occurrence.

        ``recurrence`` is an RFC 5545 rule (``"FREQ=MONTHLY;BYDAY=2TU"``: the second Tuesday
        of every month) counted from ``start`` (the project's start by default) up to
        ``finish``, or to the rule's own ``COUNT`` or ``UNTIL``. Each occurrence is named
        ``"<name> 1"``, ``"<name> 2"``, ..., lasts ``duration``, and is pinned by a
        start-no-earlier-than constraint at the project's default start time of its day, as
        Microsoft Project does. A day that is not a working day of ``calendar`` (the project
        calendar by default) moves to the next working day. Other keyword arguments set fields
        of the summary task (``notes``, ``priority``, ``custom_fields``, ...).

        >>> p = Project("Ops", start="2027-01-01")
        >>> patch = p.add_recurring_task("Patch window", "4h", "FREQ=MONTHLY;BYDAY=2TU",
        ...                              finish="2027-03-31")
        >>> [t.name for t in p.children(patch)]
        ['Patch window 1', 'Patch window 2', 'Patch window 3']
        >>> [str(t.constraint) for t in p.children(patch)]
        ['SNET 2027-01-12 08:00', 'SNET 2027-02-09 08:00', 'SNET 2027-03-09 08:00']

        Raises:
            ValidationError: the rule is invalid, never ends, gives no occurrence or more than
                1000, or ``fields`` sets what the series decides (dates, duration, constraint).
        """
        refused = sorted(set(fields) & _SERIES_FIELDS)
        if refused:
            raise ValidationError(f"{', '.join(refused)} cannot be set on a recurring task; "
                                  "the series decides them", entity=f"recurring task {name!r}")
        first = self.start if start is None else start
        if first is None:
            raise ValidationError("needs a start (the project has none)",
                                  entity=f"recurring task {name!r}", field="start")
        series = Recurrence(recurrence, first, finish, duration=to_duration(duration))
        days = occurrence_days(series, self._series_calendar(calendar, name))
        summary = self.add_task(name, parent=parent, id=id, calendar=calendar,
                                recurrence=series, **fields)
        try:
            for day in days:
                self._add_occurrence(summary, series, day)
        except PMCoreError:  # pragma: no cover - the days and the calendar are checked above
            self.remove_task(summary)
            raise
        self._renumber_occurrences(summary)
        return summary

    def update_recurring_task(
        self,
        summary: TaskRef,
        *,
        name: str | None = None,
        duration: Duration | str | float | None = None,
        recurrence: str | None = None,
        start: dt.datetime | dt.date | str | None = None,
        finish: dt.datetime | dt.date | str | Keep | None = KEEP,
        calendar: str | Keep | None = KEEP,
    ) -> Task:
        """Change a recurring task's series and regenerate its occurrences.

        Only what is given changes (``finish=None`` removes the finish; ``calendar=None`` puts
        the series on the project calendar). A new rule with its own ``COUNT`` or ``UNTIL``
        drops the old finish unless one is given. An occurrence whose day is still a day of the
        series keeps its id, its links and its progress; occurrences on days the series no
        longer has are removed with their links, except those with progress (an actual date or
        a percent complete), which are history and stay; occurrences for new days are added.
        Occurrences are then renumbered in date order. A new ``duration`` or ``calendar``
        applies to every occurrence. Links to the summary task are kept.

        Raises:
            ValidationError: the task holds no series, or the new series is refused (as by
                :meth:`add_recurring_task`); the project is then unchanged.
        """
        task = self.task(summary)
        if name is not None and not isinstance(name, str):
            raise ValidationError(f"must be text, got {name!r}", entity=task.label, field="name")
        old = task.recurrence
        if old is None:
            raise ValidationError("is not a recurring task (it holds no series)",
                                  entity=task.label, field="recurrence")
        changes: dict[str, Any] = {}
        if recurrence is not None:
            changes["rule"] = recurrence
            if finish is KEEP and ends_by_rule(recurrence):
                changes["finish"] = None
        if start is not None:
            changes["start"] = start
        if not isinstance(finish, Keep):
            changes["finish"] = finish
        if duration is not None:
            changes["duration"] = to_duration(duration)
        series = attrs.evolve(old, **changes)
        new_calendar = task.calendar if isinstance(calendar, Keep) else calendar
        days = occurrence_days(series, self._series_calendar(new_calendar, task.name))
        # Nothing has changed so far; from here on nothing can fail.
        wanted: dict[dt.date, str | None] = dict.fromkeys(days)
        for child in self.children(task):
            day = _occurrence_day(child)
            if day is not None and day in wanted and wanted[day] is None:
                wanted[day] = child.id
                if duration is not None:
                    child.duration = series.duration
                if not isinstance(calendar, Keep):
                    child.calendar = new_calendar
                child.constraint = Constraint(
                    ConstraintType.SNET, dt.datetime.combine(day, self.default_start_time))
            elif not _has_progress(child):
                self.remove_task(child)
        task.recurrence = series
        task.calendar = new_calendar
        if name is not None:
            task.name = name
        for day, existing in wanted.items():
            if existing is None:
                self._add_occurrence(task, series, day)
        self._renumber_occurrences(task)
        return task

    def _series_calendar(self, calendar: str | None, name: str) -> EffectiveCalendar:
        if calendar is not None and calendar not in self.calendars:
            raise UnknownReferenceError(calendar, kind="calendar",
                                        entity=f"recurring task {name!r}", field="calendar")
        return self.effective_calendar(calendar)

    def _add_occurrence(self, summary: Task, series: Recurrence, day: dt.date) -> Task:
        return self.add_task(
            summary.name, series.duration, parent=summary, calendar=summary.calendar,
            constraint=Constraint(ConstraintType.SNET,
                                  dt.datetime.combine(day, self.default_start_time)))

    def _renumber_occurrences(self, summary: Task) -> None:
        """Put the occurrences in date order and name them "<name> 1", "<name> 2", ..."""
        def day_of(task_id: str) -> dt.date:
            child = self._tasks[task_id]
            moment = child.actual_start or child.start
            return _occurrence_day(child) or (moment.date() if moment else dt.date.max)

        order = self._children[summary.id]
        order.sort(key=day_of)
        for number, task_id in enumerate(order, 1):
            self._tasks[task_id].name = f"{summary.name} {number}"
        self._outline_cache = None

    # ------------------------------------------------------------------ building from parts

    @classmethod
    def restore(
        cls,
        *,
        tasks: Iterable[Task],
        dependencies: Iterable[Dependency],
        resources: Iterable[Resource] = (),
        assignments: Iterable[Assignment] = (),
        **fields: Any,
    ) -> Project:
        """Rebuild a project from stored parts without checking cross-references.

        Readers use this so that a file with a dangling reference or a loop still loads and
        every problem can be reported by :meth:`validate`; nothing in it is dropped. Call
        ``project.validate().raise_for_errors()`` before trusting it.
        """
        name = fields.pop("name")
        project = cls(name, **fields)
        for task in tasks:
            if task.id in project._tasks:
                raise ValidationError(f"id {task.id!r} is used by two tasks",
                                      entity=f"task {task.id!r}", field="id")
            project._insert(task)
        for link in dependencies:
            key = (link.predecessor, link.successor)
            if key in project._links:
                raise ValidationError(f"{key[0]} and {key[1]} are linked twice",
                                      entity=f"dependency {link.id!r}")
            project._links[key] = link
            if project._link_columns is not None:
                project._link_columns.append(link, project._slots)
        for resource in resources:
            if resource.id in project._resources:
                raise ValidationError(f"id {resource.id!r} is used by two resources",
                                      entity=f"resource {resource.id!r}", field="id")
            project._resources[resource.id] = resource
            project._count_id("resource", resource.id)
        for assignment in assignments:
            if assignment.id in project._assignments:
                raise ValidationError(f"id {assignment.id!r} is used by two assignments",
                                      entity=f"assignment {assignment.id!r}", field="id")
            project._assignments[assignment.id] = assignment
            project._count_id("assignment", assignment.id)
        return project

    # -- templates (pmcore.methodology)

    @classmethod
    def from_template(cls, methodology: Methodology | str, *, name: str, start: Any,
                      plugins: Any = None, **fields: Any) -> Project:
        """A ready-to-plan project from a methodology's template.

        ``methodology`` is a :class:`pmcore.methodology.Methodology` or the name of a registered
        one (looked up in ``plugins``, the default plugins when omitted). ``start`` is required;
        other keyword arguments set project fields. See
        :meth:`pmcore.methodology.Methodology.new_project`.

        >>> p = Project.from_template("phase-gate", name="ERP", start="2027-01-04")
        >>> [t.name for t in p.summary_tasks]
        ['Initiation', 'Planning', 'Execution', 'Closure']

        Raises:
            UnknownReferenceError: no methodology is registered under that name.
        """
        from pmcore.methodology import resolve

        return resolve(methodology, plugins=plugins).new_project(name=name, start=start,
                                                                 **fields)

    # ------------------------------------------------------------------ comparison and display

    def _content(self) -> tuple[Any, ...]:
        public = tuple(getattr(self, a.name) for a in attrs.fields(type(self)) if a.init)
        return (*public, [(t, self.outline_number(t)) for t in self.tasks], self.dependencies,
                self.resources, self.assignments)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Project):
            return NotImplemented
        return self._content() == other._content()

    __hash__ = None

    def __repr__(self) -> str:
        start = f", start='{self.start:%Y-%m-%d}'" if self.start else ""
        return (f"Project({self.name!r}{start}, tasks={len(self._tasks)}, "
                f"dependencies={len(self._links)}, calendars={len(self.calendars)})")

