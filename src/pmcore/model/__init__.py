"""The domain model: projects, tasks, dependencies, calendars, durations, custom fields,
resources and assignments."""

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
from pmcore.model.resource import (
    Assignment,
    Availability,
    CostAccrual,
    Rate,
    RateTable,
    Resource,
    ResourceType,
    WorkContour,
)
from pmcore.model.split import Split
from pmcore.model.task import (
    Constraint,
    ConstraintType,
    Dependency,
    EarnedValueMethod,  # costs and earned value (pmcore.finance)
    LinkType,
    Task,
    TaskType,
)
from pmcore.model.validation import Problem, Severity, ValidationReport

__all__ = [
    "KEEP",
    "Assignment",
    "Availability",
    "Baseline",
    "BaselineReport",
    "BaselineVariance",
    "Calendar",
    "CalendarException",
    "CalendarOptions",
    "Constraint",
    "ConstraintType",
    "CostAccrual",
    "CustomFieldDefinition",
    "CustomValue",
    "Dependency",
    "Duration",
    "DurationUnit",
    "EarnedValueMethod",
    "EffectiveCalendar",
    "Entity",
    "FieldType",
    "LinkType",
    "Problem",
    "Project",
    "Rate",
    "RateTable",
    "Recurrence",
    "Resource",
    "ResourceType",
    "Rollup",
    "ScheduleFrom",
    "Severity",
    "Split",
    "Task",
    "TaskType",
    "ValidationReport",
    "Weekday",
    "WorkContour",
    "WorkWeek",
    "WorkWeekPeriod",
    "WorkingTime",
]
