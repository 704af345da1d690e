"""pmcore: project and portfolio management logic in code.

>>> import pmcore
>>> p = pmcore.Project("ERP upgrade", start="2027-01-04")
>>> design = p.add_task("Design", duration="10d")
>>> build = p.add_task("Build", duration="4w", after=design)
>>> [t.name for t in p.tasks]
['Design', 'Build']

Importing pmcore is cheap: the file formats, the plugin manager and dateutil are loaded on
first use, never at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pmcore.__about__ import __version__
from pmcore.errors import (
    CycleError,
    FormatError,
    PluginError,
    PMCoreError,
    UnknownReferenceError,
    ValidationError,
)
from pmcore.model import (
    Assignment,
    Availability,
    Baseline,
    BaselineReport,
    BaselineVariance,
    Calendar,
    CalendarException,
    CalendarOptions,
    Constraint,
    ConstraintType,
    CostAccrual,
    CustomFieldDefinition,
    Dependency,
    Duration,
    DurationUnit,
    FieldType,
    LinkType,
    Problem,
    Project,
    Rate,
    RateTable,
    Recurrence,
    Resource,
    ResourceType,
    Rollup,
    ScheduleFrom,
    Severity,
    Split,
    Task,
    TaskType,
    ValidationReport,
    Weekday,
    WorkContour,
    WorkingTime,
    WorkWeek,
    WorkWeekPeriod,
)

if TYPE_CHECKING:
    from pmcore.io import dumps, loads, read, write
    from pmcore.plugins import make_plugin_manager
    from pmcore.schedule import Schedule, TaskSchedule, schedule
    from pmcore.validation import validate

__all__ = [
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
    "CycleError",
    "Dependency",
    "Duration",
    "DurationUnit",
    "FieldType",
    "FormatError",
    "LinkType",
    "PMCoreError",
    "PluginError",
    "Problem",
    "Project",
    "Rate",
    "RateTable",
    "Recurrence",
    "Resource",
    "ResourceType",
    "Rollup",
    "Schedule",
    "ScheduleFrom",
    "Severity",
    "Split",
    "Task",
    "TaskSchedule",
    "TaskType",
    "UnknownReferenceError",
    "ValidationError",
    "ValidationReport",
    "Weekday",
    "WorkContour",
    "WorkWeek",
    "WorkWeekPeriod",
    "WorkingTime",
    "__version__",
    "dumps",
    "loads",
    "make_plugin_manager",
    "read",
    "schedule",
    "validate",
    "write",
]

_LAZY = {
    "read": "pmcore.io",
    "write": "pmcore.io",
    "loads": "pmcore.io",
    "dumps": "pmcore.io",
    "validate": "pmcore.validation",
    "make_plugin_manager": "pmcore.plugins",
    "schedule": "pmcore.schedule",
    "Schedule": "pmcore.schedule",
    "TaskSchedule": "pmcore.schedule",
}


def __getattr__(name: str) -> Any:
    # cattrs and pluggy are imported only when a file is read or plugins are needed.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pmcore' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
