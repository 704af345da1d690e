"""The domain model: projects, tasks, dependencies, calendars, durations and custom fields."""

from pmcore.model.base import CustomFieldDefinition, CustomValue, Entity, FieldType
from pmcore.model.baseline import Baseline, BaselineReport, BaselineVariance
from pmcore.model.calendar import (
    Calendar,
    CalendarException,
    EffectiveCalendar,
    Weekday,
    WorkingTime,
    WorkWeek,
    WorkWeekPeriod,
)
from pmcore.model.duration import CalendarOptions, Duration, DurationUnit
from pmcore.model.project import KEEP, Project, Rollup, ScheduleFrom
from pmcore.model.recurrence import Recurrence
from pmcore.model.task import Constraint, ConstraintType, Dependency, LinkType, Task
from pmcore.model.validation import Problem, Severity, ValidationReport

__all__ = [
    "KEEP",
    "Baseline",
    "BaselineReport",
    "BaselineVariance",
    "Calendar",
    "CalendarException",
    "CalendarOptions",
    "Constraint",
    "ConstraintType",
    "CustomFieldDefinition",
    "CustomValue",
    "Dependency",
    "Duration",
    "DurationUnit",
    "EffectiveCalendar",
    "Entity",
    "FieldType",
    "LinkType",
    "Problem",
    "Project",
    "Recurrence",
    "Rollup",
    "ScheduleFrom",
    "Severity",
    "Task",
    "ValidationReport",
    "Weekday",
    "WorkWeek",
    "WorkWeekPeriod",
    "WorkingTime",
]
