"""Scheduling: the critical path method on working-time calendars, as Microsoft Project does it.

>>> import pmcore
>>> p = pmcore.Project("Demo", start="2027-01-04")
>>> design = p.add_task("Design", "5d")
>>> build = p.add_task("Build", "2w", after=design)
>>> s = pmcore.schedule(p)
>>> s.finish
datetime.datetime(2027, 1, 22, 17, 0)
>>> s.critical_path
('T1', 'T2')
"""

from __future__ import annotations

import datetime as dt
import sys
import types
from collections.abc import Mapping
from typing import Any

from pmcore.errors import ValidationError
from pmcore.model import Duration, Project, ScheduleFrom, ValidationReport
from pmcore.model.base import collector_paused, to_datetime
from pmcore.model.duration import to_duration
from pmcore.model.rules import scheduling_problems
from pmcore.schedule._jit import Backend
from pmcore.schedule._jit import resolve as resolve_backend
from pmcore.schedule.engine import ProgressMode, compile_project, run_passes
from pmcore.schedule.result import Conflict, Schedule, TaskSchedule

__all__ = ["Backend", "Conflict", "ProgressMode", "Schedule", "TaskSchedule", "schedule"]


def schedule(
    project: Project,
    *,
    status_date: dt.datetime | dt.date | str | None = None,
    critical_threshold: Duration | str | float = "0d",
    progress_mode: str = ProgressMode.RETAINED_LOGIC,
    level: bool | Mapping[str, Any] = False,
    backend: str = "auto",
) -> Schedule:
    """Schedule ``project`` and return an immutable :class:`Schedule`; the project is unchanged.

    Args:
        status_date: the date progress is reported as of (the project's own status date when
            omitted). Work not done by then is scheduled after it. A bare date means the
            project's default finish time that day, as in Microsoft Project.
        critical_threshold: tasks whose total float is at or below this are critical
            (Microsoft Project's "tasks are critical if slack is less than or equal to").
        progress_mode: :attr:`ProgressMode.RETAINED_LOGIC` (default) or
            :attr:`ProgressMode.PROGRESS_OVERRIDE`, for tasks started out of sequence.
        level: level resources first and schedule with the leveling delays (and splits) it
            finds: ``True`` for :func:`pmcore.leveling.level` with its defaults, or a mapping
            of its options (``level={"split_remaining": True, "within_slack": True}``). The
            project is still unchanged: the delays go into a private copy, the result is in
            ``schedule.leveling``, and ``schedule.leveling.apply(project)`` writes them into
            the project when wanted.
        backend: what runs the passes' tight loops: ``"python"``, ``"numba"`` (the ``fast``
            extra: compiled once per process, in a few seconds) or ``"auto"`` (numba when it
            is installed and already compiled in this process, or the plan is large enough
            to pay for compiling it). Every backend gives the same schedule; see
            :class:`pmcore.schedule.Backend`.

    Raises:
        ValidationError: the project cannot be scheduled: a dependency loop
            (:class:`~pmcore.errors.CycleError`), an unknown reference, a calendar without
            working time, or no start date (no finish date when scheduling from the finish).
    """
    leveling = None
    if level:
        from pmcore.io import dumps, loads
        from pmcore.leveling import level as level_resources

        leveling = level_resources(project, **({} if level is True else dict(level)))
        project = loads(dumps(project))
        leveling.apply(project)
    jit = resolve_backend(backend, len(project.tasks))
    with collector_paused():
        result = _schedule(project, status_date, critical_threshold, progress_mode, jit)
    result.leveling = leveling
    return result


def _schedule(project: Project, status_date: dt.datetime | dt.date | str | None,
              critical_threshold: Duration | str | float, progress_mode: str,
              jit: bool) -> Schedule:
    ValidationReport.of(scheduling_problems(project)).raise_for_errors()
    if project.schedule_from is ScheduleFrom.START and project.start is None:
        raise ValidationError("is needed to schedule (or schedule from the finish)",
                              entity=project.label, field="start")
    status = project.status_date if status_date is None else to_datetime(
        status_date, default_time=project.default_finish_time)
    threshold = to_duration(critical_threshold)
    minutes = round(threshold.to_minutes(project.options))
    if progress_mode not in (ProgressMode.RETAINED_LOGIC, ProgressMode.PROGRESS_OVERRIDE):
        raise ValidationError(f"must be 'retained_logic' or 'progress_override', got "
                              f"{progress_mode!r}", entity="schedule", field="progress_mode")
    compiled = compile_project(project, jit=jit)
    passes = run_passes(compiled, status_date=status, progress_mode=progress_mode)
    return Schedule(compiled, passes, status_date=status, critical_threshold=minutes,
                    progress_mode=progress_mode)


class _CallableModule(types.ModuleType):
    """Lets ``pmcore.schedule(project)`` work although ``pmcore.schedule`` is also this package.

    Importing a submodule binds the package onto its parent, replacing a function of the same
    name; calling the package calls :func:`schedule`.
    """

    def __call__(self, project: Project, **options: Any) -> Schedule:
        return schedule(project, **options)


sys.modules[__name__].__class__ = _CallableModule
