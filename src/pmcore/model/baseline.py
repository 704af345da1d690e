"""Baselines: the plan as it was agreed, and how far the current plan has moved from it.

Microsoft Project keeps eleven baselines per task, *Baseline* (number 0) and *Baseline 1* to
*Baseline 10*. Saving one copies each task's start, finish and duration into it; the variance
fields then compare the current plan with it:

* start variance = current start - baseline start,
* finish variance = current finish - baseline finish,
* duration variance = current duration - baseline duration,

the date variances counted in working time on the task's calendar, so a task that slips from a
Friday to the next Monday is one working day late, not three. A positive variance is a delay.

:meth:`pmcore.Project.save_baseline`, :meth:`~pmcore.Project.baseline_variance` and
:meth:`~pmcore.Project.baseline_report` are the entry points; the functions here do the work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.model.base import to_datetime, to_optional_datetime
from pmcore.model.calendar import EffectiveCalendar, WorkingTime
from pmcore.model.duration import CalendarOptions, Duration, DurationUnit, to_duration

if TYPE_CHECKING:
    from pmcore.model.project import Project, TaskRef
    from pmcore.model.task import Task
    from pmcore.schedule import Schedule

__all__ = [
    "BASELINE_NUMBERS",
    "Baseline",
    "BaselineReport",
    "BaselineVariance",
    "check_baseline_number",
]

BASELINE_NUMBERS = range(11)
"""The baseline numbers: 0 (Microsoft Project's "Baseline") to 10 ("Baseline 10")."""


def check_baseline_number(number: object) -> int:
    """``number`` if it is a whole number from 0 to 10; raises :class:`ValidationError`."""
    if isinstance(number, bool) or not isinstance(number, int) or number not in BASELINE_NUMBERS:
        raise ValidationError(f"must be a whole number from 0 to 10, got {number!r}",
                              entity="baseline", field="number")
    return number


def _check_duration(instance: Any, attribute: attrs.Attribute[Any], value: Duration) -> None:
    if value.is_percent or value.value < 0:
        raise ValidationError(f"must be a non-negative length of time, got {value}",
                              entity="baseline", field="duration")


@attrs.frozen(kw_only=True)
class Baseline:
    """One task's saved plan: start, finish and duration, and when it was saved.

    Attributes:
        start, finish: the task's dates when the baseline was saved.
        duration: the task's duration then (for a summary task, the working time from its
            start to its finish on its calendar).
        saved_at: when the baseline was saved, as given to
            :meth:`~pmcore.Project.save_baseline` (``None`` when unknown, e.g. imported).
    """

    start: dt.datetime = attrs.field(converter=to_datetime)
    finish: dt.datetime = attrs.field(converter=to_datetime)
    duration: Duration = attrs.field(converter=to_duration, validator=_check_duration)
    saved_at: dt.datetime | None = attrs.field(default=None, converter=to_optional_datetime)

    def __attrs_post_init__(self) -> None:
        if self.finish < self.start:
            raise ValidationError(f"finish {self.finish} is before start {self.start}",
                                  entity="baseline", field="finish")


def to_baselines(value: Any) -> dict[int, Baseline]:
    """attrs converter for ``Task.baselines``: any mapping becomes a dict (checked later)."""
    if value.__class__ is dict:  # (every task is built through here: the usual case first)
        return dict(value)
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return dict(value)
    return value  # type: ignore[no-any-return]  # the validator names the problem


def check_baselines(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator for ``Task.baselines``: numbers 0-10 to :class:`Baseline` objects."""
    if value.__class__ is dict and not value:  # no baselines (most tasks): nothing to check
        return
    label = getattr(instance, "label", type(instance).__name__)
    if not isinstance(value, dict):
        raise ValidationError(f"must map baseline numbers (0-10) to Baseline objects, got "
                              f"{value!r}", entity=label, field=attribute.name)
    for number, baseline in value.items():
        try:
            check_baseline_number(number)
        except ValidationError as exc:
            raise ValidationError(exc.reason, entity=label, field=attribute.name) from None
        if not isinstance(baseline, Baseline):
            raise ValidationError(f"baseline {number} must be a Baseline, got {baseline!r}",
                                  entity=label, field=attribute.name)


def exact_duration(minutes: int, options: CalendarOptions) -> Duration:
    """Working minutes as a duration that holds them exactly.

    In days when that takes at most two decimals (``"40.5d"``, as Microsoft Project shows a
    summary task's duration), else in hours, else in minutes.
    """
    if (minutes * 100) % options.minutes_per_day == 0:
        return Duration(minutes * 100 // options.minutes_per_day / 100, DurationUnit.DAYS)
    if minutes % 60 == 0:
        return Duration(minutes // 60, DurationUnit.HOURS)
    return Duration(minutes, DurationUnit.MINUTES)


class WorkingClock(Protocol):
    """What counting variances needs of a calendar (an :class:`EffectiveCalendar` has it)."""

    def working_minutes_between(self, start: dt.datetime, finish: dt.datetime) -> int:
        """Working minutes from ``start`` to ``finish`` (zero when ``finish <= start``)."""
        ...


def signed_working_minutes(calendar: WorkingClock, before: dt.datetime,
                           after: dt.datetime) -> int:
    """Working minutes from ``before`` to ``after``: negative when ``after`` is earlier."""
    if after >= before:
        return calendar.working_minutes_between(before, after)
    return -calendar.working_minutes_between(after, before)


def duration_minutes(duration: Duration, options: CalendarOptions) -> int:
    """A duration in whole minutes, as the scheduler counts it (elapsed ones on the clock)."""
    return round(duration.to_minutes(options))


# --------------------------------------------------------------------------- current values


class CachedClock:
    """A calendar's working time, each day looked up once: for many tasks on one calendar.

    Counts exactly as :meth:`EffectiveCalendar.working_minutes_between`; the days of a range
    not seen yet are read at once (:meth:`EffectiveCalendar.working_times_between`), so a
    recurring holiday is expanded once per range, not once per day.
    """

    def __init__(self, calendar: EffectiveCalendar):
        self.calendar = calendar
        self._days: dict[dt.date, tuple[WorkingTime, ...]] = {}

    def _times(self, first: dt.date, last: dt.date) -> list[tuple[WorkingTime, ...]]:
        count = (last - first).days + 1
        days = [first + dt.timedelta(days=i) for i in range(count)]
        if any(day not in self._days for day in days):
            read = self.calendar.working_times_between(first, last)
            self._days.update(zip(days, read, strict=True))
        return [self._days[day] for day in days]

    def working_minutes_between(self, start: dt.datetime, finish: dt.datetime) -> int:
        """Working minutes from ``start`` to ``finish`` (zero when ``finish <= start``)."""
        if finish <= start:
            return 0
        total = 0
        first, last = start.date(), finish.date()
        for offset, spans in enumerate(self._times(first, last)):
            day = first + dt.timedelta(days=offset)
            midnight = dt.datetime.combine(day, dt.time())
            lower = (start - midnight) // dt.timedelta(minutes=1) if day == first else 0
            upper = (finish - midnight) // dt.timedelta(minutes=1) if day == last else 1440
            for span in spans:
                total += max(0, min(span.end, upper) - max(span.start, lower))
        return total


class _Calendars:
    """Task calendars by id, resolved once and counted with a day cache, per call."""

    def __init__(self, project: Project):
        self._project = project
        self._cache: dict[str | None, CachedClock] = {}

    def of(self, task: Task) -> CachedClock:
        found = self._cache.get(task.calendar)
        if found is None:
            found = self._cache[task.calendar] = CachedClock(self._project.task_calendar(task))
        return found


def _current(project: Project, task: Task, schedule: Schedule | None,
             ) -> tuple[dt.datetime, dt.datetime] | None:
    """The task's current start and finish: from ``schedule``, else its own dates."""
    if schedule is None:
        if task.start is None or task.finish is None:
            return None
        return task.start, task.finish
    if task.id not in schedule:
        raise UnknownReferenceError(task.id, kind="task", entity="schedule (the project has "
                                    "changed since it was scheduled; schedule it again)")
    dates = schedule[task.id]
    return dates.start, dates.finish


def _duration(project: Project, task: Task, start: dt.datetime, finish: dt.datetime,
              calendars: _Calendars) -> Duration:
    """The task's duration: its own, or for a summary the working time it spans."""
    if task.duration is not None and not project.is_summary(task):
        return task.duration
    if finish <= start:
        return Duration.ZERO
    worked = calendars.of(task).working_minutes_between(start, finish)
    return exact_duration(worked, project.options)


def _chosen(project: Project, tasks: TaskRef | Iterable[TaskRef] | None) -> list[Task]:
    if tasks is None:
        return list(project.tasks)
    if isinstance(tasks, str) or not isinstance(tasks, Iterable):
        return [project.task(tasks)]
    return [project.task(t) for t in tasks]


# --------------------------------------------------------------------------- saving


def save_baseline(project: Project, schedule: Schedule | None = None, number: int = 0,
                  tasks: TaskRef | Iterable[TaskRef] | None = None, *,
                  saved_at: dt.datetime | dt.date | str) -> dict[str, Baseline]:
    """See :meth:`pmcore.Project.save_baseline`."""
    check_baseline_number(number)
    saved = to_datetime(saved_at)
    chosen = _chosen(project, tasks)
    calendars = _Calendars(project)
    result: dict[str, Baseline] = {}
    updates: list[tuple[Task, Baseline | None]] = []
    for task in chosen:  # everything is computed before any task changes
        dates = _current(project, task, schedule)
        if dates is None:
            updates.append((task, None))
            continue
        start, finish = dates
        baseline = Baseline(start=start, finish=finish, saved_at=saved,
                            duration=_duration(project, task, start, finish, calendars))
        updates.append((task, baseline))
        result[task.id] = baseline
    for task, saved_baseline in updates:
        kept = {n: b for n, b in task.baselines.items() if n != number}
        if saved_baseline is not None:
            kept[number] = saved_baseline
        task.baselines = dict(sorted(kept.items()))
    return result


def clear_baseline(project: Project, number: int = 0,
                   tasks: TaskRef | Iterable[TaskRef] | None = None) -> tuple[str, ...]:
    """See :meth:`pmcore.Project.clear_baseline`."""
    check_baseline_number(number)
    cleared = []
    for task in _chosen(project, tasks):
        if number in task.baselines:
            task.baselines = {n: b for n, b in task.baselines.items() if n != number}
            cleared.append(task.id)
    return tuple(cleared)


# --------------------------------------------------------------------------- variances


@attrs.frozen(kw_only=True)
class BaselineVariance:
    """How far one task has moved from one of its baselines.

    Variances are in minutes: start and finish in working minutes of the task's calendar,
    duration in the minutes its durations stand for (clock minutes for elapsed durations).
    A positive variance is a delay or growth, as in Microsoft Project; the ``Duration``
    properties give the same values as durations in minutes.

    Attributes:
        task, name: the task's id and name.
        number: which baseline (0-10).
        baseline: the saved values.
        start, finish, duration: the current values (from the schedule, when one was given).
    """

    task: str
    name: str
    number: int
    baseline: Baseline
    start: dt.datetime
    finish: dt.datetime
    duration: Duration
    start_variance_minutes: int
    finish_variance_minutes: int
    duration_variance_minutes: int

    @property
    def start_variance(self) -> Duration:
        """Start variance in working minutes."""
        return Duration(self.start_variance_minutes, DurationUnit.MINUTES)

    @property
    def finish_variance(self) -> Duration:
        """Finish variance in working minutes."""
        return Duration(self.finish_variance_minutes, DurationUnit.MINUTES)

    @property
    def duration_variance(self) -> Duration:
        """Duration variance in minutes."""
        return Duration(self.duration_variance_minutes, DurationUnit.MINUTES)

    @property
    def late(self) -> bool:
        """True when the task finishes later than its baseline finish."""
        return self.finish_variance_minutes > 0

    def to_record(self) -> dict[str, Any]:
        """The row as a flat dict of plain values (datetimes, ints, text)."""
        return {
            "id": self.task, "name": self.name, "baseline": self.number,
            "baseline_start": self.baseline.start, "baseline_finish": self.baseline.finish,
            "baseline_duration": str(self.baseline.duration),
            "baseline_saved_at": self.baseline.saved_at,
            "start": self.start, "finish": self.finish, "duration": str(self.duration),
            "start_variance_minutes": self.start_variance_minutes,
            "finish_variance_minutes": self.finish_variance_minutes,
            "duration_variance_minutes": self.duration_variance_minutes,
        }


def _variance(project: Project, task: Task, baseline: Baseline, number: int,
              dates: tuple[dt.datetime, dt.datetime], calendars: _Calendars) -> BaselineVariance:
    start, finish = dates
    calendar = calendars.of(task)
    duration = _duration(project, task, start, finish, calendars)
    options = project.options
    return BaselineVariance(
        task=task.id, name=task.name, number=number, baseline=baseline,
        start=start, finish=finish, duration=duration,
        start_variance_minutes=signed_working_minutes(calendar, baseline.start, start),
        finish_variance_minutes=signed_working_minutes(calendar, baseline.finish, finish),
        duration_variance_minutes=(duration_minutes(duration, options)
                                   - duration_minutes(baseline.duration, options)),
    )


def baseline_variance(project: Project, task: TaskRef, schedule: Schedule | None = None,
                      number: int = 0) -> BaselineVariance:
    """See :meth:`pmcore.Project.baseline_variance`."""
    check_baseline_number(number)
    found = project.task(task)
    baseline = found.baselines.get(number)
    if baseline is None:
        raise ValidationError(f"has no baseline {number}; save one with save_baseline()",
                              entity=found.label, field="baselines")
    dates = _current(project, found, schedule)
    if dates is None:
        raise ValidationError("has no start and finish to compare with its baseline; pass a "
                              "schedule", entity=found.label, field="start")
    return _variance(project, found, baseline, number, dates, _Calendars(project))


@attrs.frozen(kw_only=True)
class BaselineReport:
    """Every task's variance from one baseline, in outline order.

    Iterate it for :class:`BaselineVariance` rows, index it by task or id, or call
    :meth:`to_records` for a table (``pandas.DataFrame(report.to_records())``).

    Attributes:
        number: which baseline (0-10).
        rows: one row per task that has this baseline and current dates.
        unbaselined: ids of tasks without this baseline (work added since it was saved).
        undated: ids of tasks with this baseline but no current dates (only without a
            schedule: tasks whose dates were cleared).
    """

    number: int
    rows: tuple[BaselineVariance, ...]
    unbaselined: tuple[str, ...] = ()
    undated: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[BaselineVariance]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, task: Task | str) -> BaselineVariance:
        key = task if isinstance(task, str) else task.id
        for row in self.rows:
            if row.task == key:
                return row
        raise UnknownReferenceError(key, kind="task", entity=f"baseline {self.number} report")

    @property
    def late(self) -> tuple[BaselineVariance, ...]:
        """Rows of tasks finishing later than their baseline finish."""
        return tuple(row for row in self.rows if row.late)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per row (see :meth:`BaselineVariance.to_record`)."""
        return [row.to_record() for row in self.rows]


def baseline_report(project: Project, schedule: Schedule | None = None,
                    number: int = 0) -> BaselineReport:
    """See :meth:`pmcore.Project.baseline_report`."""
    check_baseline_number(number)
    calendars = _Calendars(project)
    rows: list[BaselineVariance] = []
    unbaselined: list[str] = []
    undated: list[str] = []
    for task in project.tasks:
        baseline = task.baselines.get(number)
        if baseline is None:
            unbaselined.append(task.id)
            continue
        dates = _current(project, task, schedule)
        if dates is None:
            undated.append(task.id)
            continue
        rows.append(_variance(project, task, baseline, number, dates, calendars))
    return BaselineReport(number=number, rows=tuple(rows), unbaselined=tuple(unbaselined),
                          undated=tuple(undated))
