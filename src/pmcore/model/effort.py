"""Work = duration x units: how Microsoft Project's task types keep the three consistent.

Per assignment, work is the task's working duration times the assignment's units. When one of
the three changes, the task type says which of the other two moves:

============== ===================== ===================== =====================
task type      duration changes      units change          work changes
============== ===================== ===================== =====================
fixed units    work                  duration              duration
fixed work     units                 duration              duration
fixed duration work                  work                  units
============== ===================== ===================== =====================

An *effort-driven* task keeps its total work when resources are added or removed: the work is
shared in proportion to the units, and the duration shrinks or grows (fixed units, fixed work)
or each assignment's units do (fixed duration). These functions hold the arithmetic; the
:class:`~pmcore.Project` methods ``assign``, ``unassign``, ``set_duration``, ``set_units``
and ``set_work`` apply them.
"""

from __future__ import annotations

from collections.abc import Sequence

from pmcore.model.duration import CalendarOptions, Duration
from pmcore.model.resource import Assignment
from pmcore.model.task import Task, TaskType

__all__ = ["work_minutes"]


def _minutes(value: Duration | None, options: CalendarOptions) -> float:
    return 0.0 if value is None else value.to_minutes(options)


def work_minutes(assignment: Assignment, task: Task, options: CalendarOptions) -> float:
    """An assignment's work in minutes: as recorded, else the task's duration x its units."""
    if assignment.work is not None:
        return assignment.work.to_minutes(options)
    return _minutes(task.duration, options) * assignment.units


def _in_unit_of(minutes: float, like: Duration | None, options: CalendarOptions) -> Duration:
    """``minutes`` as a duration in the unit of ``like`` (days by default)."""
    unit = like if like is not None and not like.elapsed and like.value else Duration.days(1)
    per_unit = Duration(1, unit.unit).to_minutes(options)
    return Duration(round(minutes / per_unit, 6), unit.unit)


def _hours(minutes: float) -> Duration:
    return Duration.hours(round(minutes / 60, 6))


def set_task_duration(task: Task, assignments: Sequence[Assignment], duration: Duration,
                      options: CalendarOptions) -> None:
    """The task's duration changes: work (fixed units, fixed duration) or units (fixed work)."""
    minutes = duration.to_minutes(options)
    if task.task_type is TaskType.FIXED_WORK and minutes > 0:
        for a in assignments:
            a.units = round(work_minutes(a, task, options) / minutes, 9)
    else:
        for a in assignments:
            a.work = _hours(minutes * a.units)
    task.duration = duration


def _duration_from_work(task: Task, assignments: Sequence[Assignment],
                        options: CalendarOptions) -> None:
    """The task lasts as long as its longest assignment: max(work / units)."""
    spans = [_minutes(a.work, options) / a.units for a in assignments if a.units > 0]
    if spans:
        task.duration = _in_unit_of(max(spans), task.duration, options)


def set_units(task: Task, assignments: Sequence[Assignment], changed: Assignment, units: float,
              options: CalendarOptions) -> None:
    """An assignment's units change: duration (fixed units, fixed work) or work."""
    for a in assignments:
        if a.work is None:
            a.work = _hours(work_minutes(a, task, options))
    changed.units = units
    if task.task_type is TaskType.FIXED_DURATION:
        changed.work = _hours(_minutes(task.duration, options) * units)
    else:
        _duration_from_work(task, assignments, options)


def set_work(task: Task, assignments: Sequence[Assignment], changed: Assignment,
             work: Duration, options: CalendarOptions) -> None:
    """An assignment's work changes: units (fixed duration) or duration."""
    for a in assignments:
        if a.work is None:
            a.work = _hours(work_minutes(a, task, options))
    changed.work = work
    duration = _minutes(task.duration, options)
    if task.task_type is TaskType.FIXED_DURATION and duration > 0:
        changed.units = round(work.to_minutes(options) / duration, 9)
    else:
        _duration_from_work(task, assignments, options)


def share_work(task: Task, assignments: Sequence[Assignment], total: float,
               options: CalendarOptions) -> None:
    """Effort-driven: ``total`` minutes of work shared by ``assignments`` in proportion to
    their units; the duration (fixed units, fixed work) or the units (fixed duration) follow.
    """
    units = sum(a.units for a in assignments)
    if not assignments or units <= 0:
        return
    duration = _minutes(task.duration, options)
    if task.task_type is TaskType.FIXED_DURATION and duration > 0:
        for a in assignments:
            share = total * a.units / units
            a.work = _hours(share)
            a.units = round(share / duration, 9)
    else:
        span = total / units
        for a in assignments:
            a.work = _hours(span * a.units)
        task.duration = _in_unit_of(span, task.duration, options)
