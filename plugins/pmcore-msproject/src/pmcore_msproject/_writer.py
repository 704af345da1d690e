"""The MSPDI writer: a :class:`pmcore.Project` as Microsoft Project XML ("Save as XML").

The output validates against Microsoft's MSPDI schema (``mspdi_pj15``): elements come in the
order the schema lists them, and only what the pmcore model holds is written. Values are coded
as the reader (:mod:`pmcore_msproject._mspdi`) reads them, so reading a written file gives the
same project back. The units:

- ``Duration`` is ISO 8601 (``PT16H0M0S``) in the minutes the duration stands for (working
  minutes by the project's calendar options, clock minutes for elapsed units); the unit goes
  in ``DurationFormat`` (7 days, 8 elapsed days, ... and +32 when estimated).
- ``LinkLag`` is in whole tenths of a minute (a 2-day lag at 480 minutes a day is 9600), except
  a percentage lag, which is the whole percentage itself (``LagFormat`` 19 or 20).
- A recurring calendar exception becomes an MS Project recurrence (daily, weekly, monthly or
  yearly, by day or by position) when its rule has one; a rule MS Project cannot express is
  written as the dates it covers, merged into ranges.

Nothing from the environment is written (no user name, host, clock or path), so writing the
same project twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, BinaryIO

from pmcore.errors import FormatError
from pmcore.model import (
    Assignment,
    Calendar,
    CalendarException,
    CostAccrual,
    CustomFieldDefinition,
    CustomValue,
    Dependency,
    Duration,
    DurationUnit,
    EarnedValueMethod,
    FieldType,
    LinkType,
    Project,
    Rate,
    Resource,
    ResourceType,
    Task,
    WorkingTime,
    WorkWeek,
)
from pmcore.model.resource import RATE_TABLES
from pmcore_msproject import _fields
from pmcore_msproject._mspdi import (
    _ACCRUALS,
    _CONTOURS,
    _TASK_TYPES,
    CONSTRAINTS,
    DURATION_FORMATS,
    FIRST_DAY,
    LAST_DAY,
    LINK_TYPES,
    NS,
)
from pmcore_msproject._timephased import Timephased, TimephasedValue

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["MspdiWriter"]

SAVE_VERSION = 14
"""Microsoft Project 2010's file version: the oldest that reads manual tasks and work weeks."""

_Q = "{" + NS + "}"
_FORMAT_CODES = {unit: code for code, unit in DURATION_FORMATS.items() if unit is not None}
_CONSTRAINT_CODES = {name: code for code, name in enumerate(CONSTRAINTS)}
_LINK_CODES = {kind: code for code, kind in enumerate(LINK_TYPES)}
_RRULE_DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # DaysOfWeek bit order, 1 = Sunday
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
_HEX_ID = re.compile(r"^[0-9a-fA-F]{32}$")
_BYDAY = re.compile(r"^([+-]?\d)?(SU|MO|TU|WE|TH|FR|SA)$")
_SUPPORTED_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY",
                              "BYMONTH", "BYSETPOS", "WKST"})
_MAX_WORKING_TIMES = 5  # MS Project keeps at most five working spans a day
_MAX_RATES = 25  # the schema's bound on Rate rows, over the five tables
_TASK_TYPE_CODES = {kind: code for code, kind in enumerate(_TASK_TYPES)}
_ACCRUAL_CODES = {accrual: code for code, accrual in _ACCRUALS.items()}
_FIRST_DAY = dt.datetime.combine(FIRST_DAY, dt.time())


class MspdiWriter:
    """Writes MSPDI XML that Microsoft Project 2010 and later open (File > Open, XML format).

    Written: project properties, calendars (base and derived, work weeks, exceptions with
    their recurrences), tasks with their outline, dates, durations, constraints, progress,
    baselines 0-10 and custom fields, and the links between tasks. Raises
    :class:`~pmcore.errors.FormatError` for what MSPDI cannot hold (a name longer than the
    schema allows, a day with more than five working spans, more custom fields of a type than
    MS Project has) and for references to tasks or calendars the project does not have.
    """

    name = "mspdi"
    extensions = (".xml",)
    description = "Microsoft Project XML (MSPDI, opens in Project 2010 and later)"

    def __init__(self, *, timephased: Timephased | None = None) -> None:
        """``timephased``: period-by-period values to write beside the project (as read by
        :func:`~pmcore_msproject.read_timephased`); each value goes into its owner's element."""
        self.timephased = timephased

    def write(self, project: Project, stream: BinaryIO) -> None:
        """Write ``project`` as UTF-8 MSPDI XML; the project is not changed."""
        from lxml import etree

        root = _Document(project, self.timephased).build()
        stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True, pretty_print=True))


# ---------------------------------------------------------------------------- value formats


def _iso_duration(minutes: float) -> str:
    """Minutes as MSPDI's ISO 8601 duration, ``PT8H0M0S`` (seconds keep any fraction)."""
    seconds = Decimal(repr(minutes)) * 60
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    whole_minutes, rest = divmod(rest, 60)
    return f"{sign}PT{int(hours)}H{int(whole_minutes)}M{_plain(rest)}S"


def _remaining_work(task: str, start: dt.datetime, finish: dt.datetime,
                    minutes: float) -> TimephasedValue:
    """A day-unit period of remaining work (type 1) of ``task``'s assignment."""
    return TimephasedValue(owner=task, type=1, start=start, finish=finish, unit=2,
                           value=_iso_duration(minutes))


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``9995``, ``0.5``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _datetime(value: dt.datetime | dt.date) -> str:
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value.isoformat()


def _time(minute: int) -> str:
    """Minutes after midnight as ``HH:MM:SS``; the end of the day (1440) is ``00:00:00``."""
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}:00"


def _number(value: float) -> str:
    """Units as a decimal the schema accepts: ``1``, ``0.63`` (never an exponent)."""
    return _plain(Decimal(repr(value)))


def _bool(value: bool) -> str:
    return "1" if value else "0"


def _format_code(duration: Duration) -> int:
    """The DurationFormat/LagFormat code of a duration's unit, +32 when estimated."""
    code = _FORMAT_CODES[duration.unit]
    return code + 32 if duration.estimated else code


# ---------------------------------------------------------------------------- the document


class _Document:
    """One project being written: numbers chosen once, then the tree built in schema order."""

    def __init__(self, project: Project, timephased: Timephased | None = None) -> None:
        self.project = project
        self.options = project.options
        self.calendar_uids = self._calendar_uids()
        self.task_uids = self._task_uids()
        self.task_rows = self._task_rows()
        self.definitions, self.slots = self._custom_fields()
        # each task's predecessor links, found once (asking the project per task is a scan)
        self.predecessors: dict[str, list[Dependency]] = {}
        for link in project.dependencies:
            self.predecessors.setdefault(link.successor, []).append(link)
        self.resource_uids = _uids(project.resources, "R")
        self.resource_rows = _rows(project.resources)
        self.assignment_uids = _uids(project.assignments, "A")
        self.split_spans = self._split_spans()
        self.timephased: dict[str, list[TimephasedValue]] = {}
        for value in timephased or ():
            self.timephased.setdefault(value.owner, []).append(value)
        known = {*self.task_uids, *self.resource_uids, *self.assignment_uids}
        for owner in self.timephased:
            if owner not in known:
                raise FormatError(f"timephased data belongs to {owner}, which the project does "
                                  "not have", path=f"timephased[{owner}]")

    # ------------------------------------------------------------------ numbering

    def _calendar_uids(self) -> dict[str, int]:
        """Calendar UIDs: the ones read from MS Project where still free, then new ones."""
        uids: dict[str, int] = {}
        for calendar in self.project.calendars.values():
            uid = _ref_number(calendar.external_refs.get("msproject"))
            if uid is not None and uid >= 1 and uid not in uids.values():
                uids[calendar.id] = uid
        following = max(uids.values(), default=0) + 1
        for calendar in self.project.calendars.values():
            if calendar.id not in uids:
                uids[calendar.id] = following
                following += 1
        return uids

    def _task_uids(self) -> dict[str, int]:
        """Task UIDs: MS Project's own where known, else the number of a ``T<n>`` id, else new.

        UID 0 is the project summary task, so tasks start at 1.
        """
        tasks = self.project.tasks
        uids: dict[str, int] = {}
        taken: set[int] = set()
        for task in tasks:
            uid = _ref_number(task.external_refs.get("msproject"))
            if uid is not None and uid >= 1 and uid not in taken:
                uids[task.id] = uid
                taken.add(uid)
        for task in tasks:
            match = re.fullmatch(r"T(\d{1,9})", task.id)
            if task.id not in uids and match and int(match[1]) >= 1 \
                    and int(match[1]) not in taken:
                uids[task.id] = int(match[1])
                taken.add(int(match[1]))
        following = max(taken, default=0) + 1
        for task in tasks:
            if task.id not in uids:
                uids[task.id] = following
                following += 1
        return uids

    def _task_rows(self) -> dict[str, int]:
        """Row numbers (``ID``): MS Project's own when they still run in outline order, which
        keeps the gaps of deleted rows; else 1, 2, 3, ..."""
        tasks = self.project.tasks
        rows = [_ref_number(t.external_refs.get("msproject_id")) for t in tasks]
        known = [r for r in rows if r is not None]
        if len(known) == len(rows) and all(r >= 1 for r in known) and \
                all(a < b for a, b in itertools.pairwise(known)):
            return {t.id: r for t, r in zip(tasks, known, strict=True)}
        return {t.id: number for number, t in enumerate(tasks, 1)}

    def _custom_fields(self) -> tuple[list[tuple[_fields.TaskField, str | None,
                                                 CustomFieldDefinition | None]],
                                      dict[tuple[str, str], _fields.TaskField]]:
        """Give every custom field of tasks, resources and assignments one of MS Project's
        fields (Text1, Number2, ...; resources and assignments have their own).

        A field keeps the MS Project field it was read from, or the one it is named after
        (``"Number3"``, ``"Resource Text1"``, or ``"Text1"`` on a resource); others take the
        first free field of their type and entity, with their key (or alias) as the alias MS
        Project shows. Returns the definitions to write and the field of each (entity, key).
        """
        project = self.project
        holders: dict[str, tuple[Task, ...] | tuple[Resource, ...] | tuple[Assignment, ...]] = {
            "task": project.tasks, "resource": project.resources,
            "assignment": project.assignments}
        slots: dict[tuple[str, str], _fields.TaskField] = {}
        written = []
        used: set[int] = set()

        def fits(field: _fields.TaskField | None, kind: FieldType, entity: str) -> bool:
            return field is not None and field.entity == entity and \
                field.field_id not in used and (
                    field.type is kind or (kind is FieldType.DATE
                                           and field.type is FieldType.DATETIME))

        for entity in _fields.ENTITIES:
            definitions = {k: d for k, d in project.field_definitions.items()
                           if d.applies_to == entity}
            types: dict[str, FieldType] = {k: d.type for k, d in definitions.items()}
            for holder in holders[entity]:
                for key, value in holder.custom_fields.items():
                    kind = types.setdefault(key, FieldType.of(value))
                    if not kind.accepts(value) and not (
                            kind is FieldType.NUMBER and FieldType.of(value) is FieldType.NUMBER):
                        raise FormatError(
                            f"custom field {key!r} of {holder.label} holds {value!r}, not a "
                            f"{kind.value}; MSPDI gives a field one type",
                            path=f"{holder.id}.custom_fields[{key!r}]")
            for key, kind in types.items():  # first the fields that name their MS Project field
                definition = definitions.get(key)
                ref = (_ref_number(definition.external_refs.get("msproject"))
                       if definition else None)
                named = (_fields.by_key(key), _fields.by_key(f"{entity} {key}"))
                for field in (None if ref is None else _fields.by_id(ref), *named):
                    if fits(field, kind, entity):
                        assert field is not None
                        slots[entity, key] = field
                        used.add(field.field_id)
                        break
            for key, kind in types.items():
                if (entity, key) in slots:
                    continue
                free = next((f for f in _fields.slots_for(kind, entity) if fits(f, kind, entity)),
                            None)
                if free is None:
                    count = len(_fields.slots_for(kind, entity))
                    raise FormatError(f"custom field {key!r}: MS Project has only {count} "
                                      f"{entity} fields for {kind.value} values, all taken",
                                      path=f"field_definitions[{key!r}]")
                slots[entity, key] = free
                used.add(free.field_id)
            for key in types:  # definitions in the project's order, not the order handed out
                field = slots[entity, key]
                definition = definitions.get(key)
                alias = definition.alias if definition and definition.alias else None
                if alias is None and field.key != key:
                    alias = key  # the only place MSPDI has for pmcore's own key
                written.append((field, alias, definition))
        return written, slots

    def _split_spans(self) -> dict[str, list[tuple[dt.datetime, dt.datetime, float]]]:
        """Per split task, its working pieces (start, finish, working minutes) from its start.

        Only tasks with a start and no progress: the pieces of a task in progress depend on
        the status date, and MS Project recomputes them.
        """
        from pmcore.schedule.engine import work_spans
        from pmcore.schedule.timeline import Timeline

        spans: dict[str, list[tuple[dt.datetime, dt.datetime, float]]] = {}
        for task in self.project.tasks:
            if not task.splits or task.start is None or task.actual_start is not None \
                    or task.duration is None or task.duration.elapsed \
                    or self.project.is_summary(task):
                continue
            work = round(task.duration.to_minutes(self.options))
            gaps: dict[int, int] = {}
            for split in task.splits:
                after = round(split.after.to_minutes(self.options))
                if 0 < after < work:
                    gaps[after] = gaps.get(after, 0) + round(split.gap.to_minutes(self.options))
            if not gaps:
                continue
            axis = Timeline(self.project.task_calendar(task), task.start.date())
            begin = axis.work_at(axis.instant(task.start))
            spans[task.id] = [(axis.start_datetime(a), axis.finish_datetime(b), b - a)
                              for a, b in work_spans(begin, sorted(gaps.items()), work)]
        return spans

    # ------------------------------------------------------------------ building

    def build(self) -> etree._Element:
        from lxml import etree

        project = self.project
        root = etree.Element(_Q + "Project", nsmap={None: NS})
        self.add(root, "SaveVersion", str(SAVE_VERSION))
        if len(project.name) <= 255:
            self.add(root, "Name", project.name, where="project name")
        if _HEX_ID.match(project.id):
            hex_id = project.id.upper()
            self.add(root, "GUID", f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-"
                                   f"{hex_id[16:20]}-{hex_id[20:]}")
        self.add(root, "Title", project.name, limit=512, where="project name")
        if project.manager:
            self.add(root, "Manager", project.manager, limit=512, where="project manager")
        self.add(root, "ScheduleFromStart", _bool(project.schedule_from.value == "start"))
        if project.start is not None:
            self.add(root, "StartDate", _datetime(project.start))
        if project.finish is not None:
            self.add(root, "FinishDate", _datetime(project.finish))
        self.add(root, "CurrencyCode", project.currency)
        self.add(root, "CalendarUID", str(self.calendar_uid(project.calendar, "project")))
        start, finish = project.default_start_time, project.default_finish_time
        self.add(root, "DefaultStartTime", _time(start.hour * 60 + start.minute))
        self.add(root, "DefaultFinishTime", _time(finish.hour * 60 + finish.minute))
        self.add(root, "MinutesPerDay", str(self.options.minutes_per_day))
        self.add(root, "MinutesPerWeek", str(self.options.minutes_per_week))
        self.add(root, "DaysPerMonth", str(self.options.days_per_month))
        self.add(root, "DurationFormat", str(_FORMAT_CODES[DurationUnit.DAYS]))
        if project.status_date is not None:
            self.add(root, "StatusDate", _datetime(project.status_date))
        if self.definitions:
            container = self.add(root, "ExtendedAttributes")
            for field, alias, definition in self.definitions:
                self.definition(container, field, alias, definition)
        if project.calendars:
            container = self.add(root, "Calendars")
            for calendar in project.calendars.values():
                self.calendar(container, calendar)
        tasks = self.add(root, "Tasks")
        self.summary_task(tasks)
        for task in project.tasks:
            self.task(tasks, task)
        if project.resources:
            container = self.add(root, "Resources")
            for resource in project.resources:
                self.resource(container, resource)
        # split tasks without resources: MS Project keeps their work periods (and so their
        # splits) on an assignment to no resource
        unstaffed = [t for t in project.tasks if t.splits and t.id in self.split_spans
                     and not project.assignments_of(t)]
        if project.assignments or unstaffed:
            container = self.add(root, "Assignments")
            for assignment in project.assignments:
                self.assignment(container, assignment)
            following = max(self.assignment_uids.values(), default=0) + 1
            for uid, task in enumerate(unstaffed, following):
                self.unstaffed_assignment(container, task, uid)
        return root

    def add(self, parent: etree._Element, tag: str, text: str | None = None, *,
            limit: int | None = None, where: str | None = None) -> etree._Element:
        """Append ``<tag>text</tag>``; refuse text over the schema's length or not XML-safe."""
        from lxml import etree

        element = etree.SubElement(parent, _Q + tag)
        if text is None:
            return element
        label = where or tag
        if limit is not None and len(text) > limit:
            raise FormatError(f"{label} is {len(text)} characters long; MSPDI allows {limit}",
                              path=label)
        try:
            element.text = text
        except ValueError:
            raise FormatError(f"{label} holds control characters that XML cannot carry",
                              path=label) from None
        return element

    def calendar_uid(self, calendar: str | None, where: str) -> int:
        if calendar is None:
            return -1
        uid = self.calendar_uids.get(calendar)
        if uid is None:
            raise FormatError(f"{where} uses calendar {calendar!r}, which the project does not "
                              "have", path=where)
        return uid

    # ------------------------------------------------------------------ custom field definitions

    def definition(self, parent: etree._Element, field: _fields.TaskField, alias: str | None,
                   definition: CustomFieldDefinition | None) -> None:
        element = self.add(parent, "ExtendedAttribute")
        self.add(element, "FieldID", str(field.field_id))
        self.add(element, "FieldName", field.name)
        self.add(element, "CFType", str(field.cf_type))
        if alias is not None:
            self.add(element, "Alias", alias, limit=50, where=f"alias of custom field {alias!r}")
        choices = definition.choices if definition is not None else ()
        if choices and field.type in (FieldType.TEXT, FieldType.NUMBER, FieldType.COST):
            values = self.add(element, "ValueList")
            for number, choice in enumerate(choices, 1):
                item = self.add(values, "Value")
                self.add(item, "ID", str(number))
                self.add(item, "Value", self.custom_text(field, choice)[0],
                         where=f"choice of custom field {field.name}")

    def custom_values(self, parent: etree._Element, entity: str,
                      values: dict[str, CustomValue], label: str) -> None:
        """``ExtendedAttribute`` elements: a field number and a value each."""
        for key, value in values.items():
            field = self.slots[entity, key]
            text, code = self.custom_text(field, value)
            item = self.add(parent, "ExtendedAttribute")
            self.add(item, "FieldID", str(field.field_id))
            self.add(item, "Value", text, where=f"custom field {key!r} of {label}")
            if code is not None:
                self.add(item, "DurationFormat", str(code))

    def custom_text(self, field: _fields.TaskField, value: CustomValue) -> tuple[str, int | None]:
        """A custom field value as MSPDI ``Value`` text, and its DurationFormat."""
        if isinstance(value, Duration):
            return _iso_duration(value.to_minutes(self.options)), _format_code(value)
        if isinstance(value, bool):
            return _bool(value), None
        if isinstance(value, Decimal):
            return _plain(value * 100), None  # MS Project stores hundredths of the unit
        if isinstance(value, dt.date):
            return _datetime(value), None
        if isinstance(value, float):
            return repr(value), None
        return str(value), None

    # ------------------------------------------------------------------ calendars

    def calendar(self, parent: etree._Element, calendar: Calendar) -> None:
        where = f"calendar {calendar.id!r}"
        element = self.add(parent, "Calendar")
        self.add(element, "UID", str(self.calendar_uids[calendar.id]))
        self.add(element, "Name", calendar.name, limit=512, where=f"name of {where}")
        self.add(element, "IsBaseCalendar", _bool(calendar.base is None))
        self.add(element, "BaseCalendarUID", str(self.calendar_uid(calendar.base, where)))
        self.weekdays(element, calendar.week, where)
        if calendar.exceptions:
            container = self.add(element, "Exceptions")
            for exception in calendar.exceptions:
                for item in _exception_items(exception):
                    self.exception(container, exception, item, where)
        if calendar.work_weeks:
            container = self.add(element, "WorkWeeks")
            for period in calendar.work_weeks:
                week = self.add(container, "WorkWeek")
                self.period(week, period.start, period.finish)
                self.add(week, "Name", period.name, limit=512,
                         where=f"work week {period.name!r} of {where}")
                self.weekdays(week, period.week, where)

    def weekdays(self, parent: etree._Element, week: WorkWeek, where: str) -> None:
        defined = [(i, times) for i, times in enumerate(week.days) if times is not None]
        if not defined:
            return  # every day as the base calendar
        container = self.add(parent, "WeekDays")
        for index, times in sorted(defined, key=lambda d: (d[0] + 1) % 7):
            weekday = self.add(container, "WeekDay")
            self.add(weekday, "DayType", str((index + 1) % 7 + 1))  # 1 = Sunday
            self.working_times(weekday, times or (), where)

    def working_times(self, parent: etree._Element, times: tuple[WorkingTime, ...],
                      where: str) -> None:
        self.add(parent, "DayWorking", _bool(bool(times)))
        if not times:
            return
        if len(times) > _MAX_WORKING_TIMES:
            raise FormatError(f"{where} has {len(times)} working times on a day; MS Project "
                              f"keeps at most {_MAX_WORKING_TIMES}", path=where)
        container = self.add(parent, "WorkingTimes")
        for span in times:
            item = self.add(container, "WorkingTime")
            self.add(item, "FromTime", _time(span.start))
            self.add(item, "ToTime", _time(span.end))

    def period(self, parent: etree._Element, start: dt.date, finish: dt.date) -> None:
        """A ``TimePeriod`` over whole days, as MS Project writes it (to 23:59 on the last)."""
        period = self.add(parent, "TimePeriod")
        self.add(period, "FromDate", _datetime(start))
        self.add(period, "ToDate", _datetime(dt.datetime.combine(finish, dt.time(23, 59))))

    def exception(self, parent: etree._Element, exception: CalendarException,
                  item: _ExceptionItem, where: str) -> None:
        element = self.add(parent, "Exception")
        self.add(element, "EnteredByOccurrences", _bool(item.count is not None))
        self.period(element, item.start, item.finish)
        self.add(element, "Occurrences", str(item.occurrences))
        self.add(element, "Name", exception.name, limit=512,
                 where=f"exception {exception.name!r} of {where}")
        self.add(element, "Type", str(item.kind))
        self.add(element, "Period", str(item.period))
        for tag in ("DaysOfWeek", "MonthItem", "MonthPosition", "Month", "MonthDay"):
            value = getattr(item, _snake(tag))
            if value is not None:
                self.add(element, tag, str(value))
        self.working_times(element, exception.working_times, where)

    # ------------------------------------------------------------------ tasks

    def summary_task(self, parent: etree._Element) -> None:
        """The project summary task (UID 0), which carries the project's notes."""
        element = self.add(parent, "Task")
        self.add(element, "UID", "0")
        self.add(element, "ID", "0")
        self.add(element, "Name", self.project.name, limit=512, where="project name")
        self.add(element, "OutlineNumber", "0")
        self.add(element, "OutlineLevel", "0")
        self.add(element, "Summary", "1")
        if self.project.notes:
            self.add(element, "Notes", self.project.notes, where="project notes")

    def task(self, parent: etree._Element, task: Task) -> None:
        project = self.project
        label = task.label
        element = self.add(parent, "Task")
        self.add(element, "UID", str(self.task_uids[task.id]))
        self.add(element, "ID", str(self.task_rows[task.id]))
        self.add(element, "Name", task.name, limit=512, where=f"name of {label}")
        self.add(element, "Type", str(_TASK_TYPE_CODES[task.task_type]))
        outline = project.outline_number(task)
        self.add(element, "WBS", task.wbs or outline, where=f"WBS of {label}")
        self.add(element, "OutlineNumber", outline)
        self.add(element, "OutlineLevel", str(project.outline_level(task)))
        self.add(element, "Priority", str(task.priority))
        if task.start is not None:
            self.add(element, "Start", _datetime(task.start))
        if task.finish is not None:
            self.add(element, "Finish", _datetime(task.finish))
        duration = task.duration
        if duration is not None:
            self.add(element, "Duration", _iso_duration(duration.to_minutes(self.options)))
            self.add(element, "DurationFormat", str(_format_code(duration)))
        self.add(element, "EffortDriven", _bool(task.effort_driven))
        if duration is not None:
            self.add(element, "Estimated", _bool(duration.estimated))
        self.add(element, "Milestone", _bool(task.milestone))
        self.add(element, "Summary", _bool(project.is_summary(task)))
        if task.fixed_cost or task.fixed_cost_accrual is not CostAccrual.PRORATED:
            self.add(element, "FixedCost", _plain(task.fixed_cost * 100))  # hundredths
            self.add(element, "FixedCostAccrual", str(_ACCRUAL_CODES[task.fixed_cost_accrual]))
        # MSPDI keeps whole percentages only
        self.add(element, "PercentComplete", str(math.floor(task.percent_complete + 0.5)))
        if task.actual_start is not None:
            self.add(element, "ActualStart", _datetime(task.actual_start))
        if task.actual_finish is not None:
            self.add(element, "ActualFinish", _datetime(task.actual_finish))
        if duration is not None:
            # what MS Project derives from the duration and % complete
            minutes = duration.to_minutes(self.options)
            done = minutes * task.percent_complete / 100
            self.add(element, "ActualDuration", _iso_duration(done))
            self.add(element, "RemainingDuration", _iso_duration(minutes - done))
        constraint = task.constraint
        self.add(element, "ConstraintType", str(_CONSTRAINT_CODES[constraint.type.value]))
        self.add(element, "CalendarUID", str(self.calendar_uid(task.calendar, label)))
        if constraint.date is not None:
            self.add(element, "ConstraintDate", _datetime(constraint.date))
        if task.deadline is not None:
            self.add(element, "Deadline", _datetime(task.deadline))
        delay = task.leveling_delay
        if delay is not None and delay.value:
            # in tenths of a minute, of working time or of the clock for an elapsed unit
            self.add(element, "LevelingDelay",
                     str(math.floor(delay.to_minutes(self.options) * 10 + 0.5)))
            self.add(element, "LevelingDelayFormat", str(_format_code(delay)))
        if task.notes:
            self.add(element, "Notes", task.notes, where=f"notes of {label}")
        if task.physical_percent_complete:
            self.add(element, "PhysicalPercentComplete",
                     str(math.floor(task.physical_percent_complete + 0.5)))
        if task.ev_method is EarnedValueMethod.PHYSICAL_PERCENT_COMPLETE:
            self.add(element, "EarnedValueMethod", "1")  # (0, percent complete, the default)
        for link in self.predecessors.get(task.id, ()):
            self.link(element, link.predecessor, link.type, link.lag, label)
        self.custom_values(element, "task", task.custom_fields, label)
        for number, baseline in sorted(task.baselines.items()):
            item = self.add(element, "Baseline")
            self.add(item, "Number", str(number))
            self.add(item, "Start", _datetime(baseline.start))
            self.add(item, "Finish", _datetime(baseline.finish))
            self.add(item, "Duration", _iso_duration(baseline.duration.to_minutes(self.options)))
            self.add(item, "DurationFormat", str(_FORMAT_CODES[baseline.duration.unit]))
            self.add(item, "EstimatedDuration", _bool(baseline.duration.estimated))
        self.add(element, "Manual", _bool(task.manual))
        self.timephased_values(element, task.id, self.task_uids[task.id])

    # ------------------------------------------------------------------ resources

    def resource(self, parent: etree._Element, resource: Resource) -> None:
        label = resource.label
        element = self.add(parent, "Resource")
        self.add(element, "UID", str(self.resource_uids[resource.id]))
        self.add(element, "ID", str(self.resource_rows[resource.id]))
        self.add(element, "Name", resource.name, limit=512, where=f"name of {label}")
        kind = resource.type
        self.add(element, "Type", "0" if kind is ResourceType.MATERIAL else "1")
        if resource.initials:
            self.add(element, "Initials", resource.initials, limit=512,
                     where=f"initials of {label}")
        if resource.material_label:
            self.add(element, "MaterialLabel", resource.material_label, limit=512,
                     where=f"material label of {label}")
        if resource.group:
            self.add(element, "Group", resource.group, limit=512, where=f"group of {label}")
        if resource.email:
            self.add(element, "EmailAddress", resource.email, limit=512,
                     where=f"email of {label}")
        self.add(element, "MaxUnits", _number(resource.max_units))
        self.add(element, "CanLevel", _bool(resource.can_level))
        self.add(element, "AccrueAt", str(_ACCRUAL_CODES[resource.accrue_at]))
        # the rate in force when the project starts, which MS Project shows on the sheet
        day = (self.project.start or dt.datetime(1984, 1, 1)).date()
        current = resource.rate_on(day)
        self.add(element, "StandardRate", _plain(current.standard_rate))
        self.add(element, "StandardRateFormat", "8" if kind is ResourceType.MATERIAL else "2")
        self.add(element, "OvertimeRate", _plain(current.overtime_rate))
        self.add(element, "OvertimeRateFormat", "2")
        self.add(element, "CostPerUse", _plain(current.cost_per_use * 100))
        if resource.calendar is not None:
            self.add(element, "CalendarUID", str(self.calendar_uid(resource.calendar, label)))
        if resource.notes:
            self.add(element, "Notes", resource.notes, where=f"notes of {label}")
        self.add(element, "IsGeneric", _bool(resource.generic))
        self.custom_values(element, "resource", resource.custom_fields, label)
        self.add(element, "IsCostResource", _bool(kind is ResourceType.COST))
        if resource.availability:
            container = self.add(element, "AvailabilityPeriods")
            for period in resource.availability:
                item = self.add(container, "AvailabilityPeriod")
                if period.start is not None:
                    self.add(item, "AvailableFrom", _datetime(period.start))
                if period.finish is not None:
                    self.add(item, "AvailableTo",
                             _datetime(dt.datetime.combine(period.finish, dt.time(23, 59))))
                self.add(item, "AvailableUnits", _number(period.units))
        rows = [(letter, rate, following) for letter, table in resource.rate_tables.items()
                for rate, following in itertools.zip_longest(table.rates, table.rates[1:])]
        if len(rows) > _MAX_RATES:
            raise FormatError(f"{label} has {len(rows)} cost rates; MSPDI holds at most "
                              f"{_MAX_RATES} over the five tables", path=f"{label}.rate_tables")
        if rows:
            container = self.add(element, "Rates")
            for letter, rate, following in rows:
                self.rate(container, letter, rate, following, kind)
        self.timephased_values(element, resource.id, self.resource_uids[resource.id])

    def rate(self, parent: etree._Element, letter: str, rate: Rate, following: Rate | None,
             kind: ResourceType) -> None:
        """A ``Rate`` row: in force from its date (MS Project's first date for the first
        row) to the minute before the next row's."""
        item = self.add(parent, "Rate")
        start = rate.effective_from or _FIRST_DAY
        self.add(item, "RatesFrom", _datetime(start))
        end = (dt.datetime.combine(LAST_DAY, dt.time(23, 59))
               if following is None or following.effective_from is None
               else dt.datetime.combine(following.effective_from, dt.time()) -
               dt.timedelta(minutes=1))
        self.add(item, "RatesTo", _datetime(end))
        self.add(item, "RateTable", str(RATE_TABLES.index(letter)))
        self.add(item, "StandardRate", _plain(rate.standard_rate))
        if kind is ResourceType.WORK:  # a material's rate is per unit, not per hour
            self.add(item, "StandardRateFormat", "2")
        self.add(item, "OvertimeRate", _plain(rate.overtime_rate))
        if kind is ResourceType.WORK:
            self.add(item, "OvertimeRateFormat", "2")
        self.add(item, "CostPerUse", _plain(rate.cost_per_use * 100))

    def assignment(self, parent: etree._Element, assignment: Assignment) -> None:
        label = assignment.label
        task = self.task_uids.get(assignment.task)
        resource = self.resource_uids.get(assignment.resource)
        if task is None or resource is None:
            missing = "task" if task is None else "resource"
            raise FormatError(f"{label} refers to a {missing} the project does not have",
                              path=label)
        element = self.add(parent, "Assignment")
        self.add(element, "UID", str(self.assignment_uids[assignment.id]))
        self.add(element, "TaskUID", str(task))
        self.add(element, "ResourceUID", str(resource))
        if assignment.actual_cost is not None:
            self.add(element, "ActualCost", _plain(assignment.actual_cost * 100))
        if assignment.actual_work is not None:
            self.add(element, "ActualWork", _iso_duration(self.work(assignment.actual_work)))
        if assignment.cost is not None:
            self.add(element, "Cost", _plain(assignment.cost * 100))
        self.add(element, "CostRateTable", str(RATE_TABLES.index(assignment.rate_table)))
        if assignment.finish is not None:
            self.add(element, "Finish", _datetime(assignment.finish))
        if assignment.notes:
            self.add(element, "Notes", assignment.notes, where=f"notes of {label}")
        if assignment.remaining_work is not None:
            self.add(element, "RemainingWork",
                     _iso_duration(self.work(assignment.remaining_work)))
        if assignment.start is not None:
            self.add(element, "Start", _datetime(assignment.start))
        self.add(element, "Units", _number(assignment.units))
        if assignment.work is not None:
            self.add(element, "Work", _iso_duration(self.work(assignment.work)))
        self.add(element, "WorkContour", str(_CONTOURS.index(assignment.contour)))
        self.custom_values(element, "assignment", assignment.custom_fields, label)
        uid = self.assignment_uids[assignment.id]
        if assignment.id in self.timephased:
            self.timephased_values(element, assignment.id, uid)
        else:
            self.split_periods(element, assignment.task, uid, assignment.units)

    def unstaffed_assignment(self, parent: etree._Element, task: Task, uid: int) -> None:
        """The assignment to no resource (``ResourceUID`` -65535) that carries the work
        periods of a split task without resources."""
        element = self.add(parent, "Assignment")
        self.add(element, "UID", str(uid))
        self.add(element, "TaskUID", str(self.task_uids[task.id]))
        self.add(element, "ResourceUID", "-65535")
        self.add(element, "Units", "1")
        self.split_periods(element, task.id, uid, 1.0)

    def split_periods(self, parent: etree._Element, task: str, uid: int, units: float) -> None:
        """A split task's remaining work as MS Project saves it: a period of work per piece,
        and a period of no work for each gap between them."""
        spans = self.split_spans.get(task)
        previous: dt.datetime | None = None
        for start, finish, minutes in spans or ():
            if previous is not None:
                self.timephased_item(parent, uid, _remaining_work(task, previous, start, 0.0))
            self.timephased_item(parent, uid,
                                 _remaining_work(task, start, finish, minutes * units))
            previous = finish

    def work(self, work: Duration) -> float:
        return work.to_minutes(self.options)

    def timephased_values(self, parent: etree._Element, owner: str, uid: int) -> None:
        """The owner's ``TimephasedData``, last in its element as the schema orders them."""
        for value in self.timephased.get(owner, ()):
            self.timephased_item(parent, uid, value)

    def timephased_item(self, parent: etree._Element, uid: int, value: TimephasedValue) -> None:
        item = self.add(parent, "TimephasedData")
        self.add(item, "Type", str(value.type))
        self.add(item, "UID", str(uid))
        if value.start is not None:
            self.add(item, "Start", _datetime(value.start))
        if value.finish is not None:
            self.add(item, "Finish", _datetime(value.finish))
        if value.unit is not None:
            self.add(item, "Unit", str(value.unit))
        if value.value is not None:
            self.add(item, "Value", value.value, where=f"timephased value of {value.owner}")

    def link(self, parent: etree._Element, predecessor: str, kind: LinkType, lag: Duration,
             label: str) -> None:
        uid = self.task_uids.get(predecessor)
        if uid is None:
            raise FormatError(f"{label} is linked to task {predecessor!r}, which the project "
                              "does not have", path=label)
        element = self.add(parent, "PredecessorLink")
        self.add(element, "PredecessorUID", str(uid))
        self.add(element, "Type", str(_LINK_CODES[kind]))
        # a percentage lag is stored as the percentage itself, others in tenths of a minute
        amount = lag.value if lag.is_percent else lag.to_minutes(self.options) * 10
        self.add(element, "LinkLag", str(math.floor(amount + 0.5)))
        self.add(element, "LagFormat", str(_format_code(lag)))


def _uids(entities: tuple[Resource, ...] | tuple[Assignment, ...], prefix: str,
          ) -> dict[str, int]:
    """UIDs from 1: MS Project's own where known, else the number of a ``<prefix><n>`` id,
    else new ones (resource UID 0 is MS Project's own unnamed resource)."""
    uids: dict[str, int] = {}
    taken: set[int] = set()
    for entity in entities:
        uid = _ref_number(entity.external_refs.get("msproject"))
        if uid is not None and uid >= 1 and uid not in taken:
            uids[entity.id] = uid
            taken.add(uid)
    for entity in entities:
        match = re.fullmatch(prefix + r"(\d{1,9})", entity.id)
        if entity.id not in uids and match and int(match[1]) >= 1 \
                and int(match[1]) not in taken:
            uids[entity.id] = int(match[1])
            taken.add(int(match[1]))
    following = max(taken, default=0) + 1
    for entity in entities:
        if entity.id not in uids:
            uids[entity.id] = following
            following += 1
    return uids


def _rows(resources: tuple[Resource, ...]) -> dict[str, int]:
    """Resource row numbers (``ID``): MS Project's own while they still increase, else 1,
    2, 3..."""
    rows = [_ref_number(r.external_refs.get("msproject_id")) for r in resources]
    known = [r for r in rows if r is not None]
    if len(known) == len(rows) and all(r >= 1 for r in known) and \
            all(a < b for a, b in itertools.pairwise(known)):
        return {r.id: row for r, row in zip(resources, known, strict=True)}
    return {r.id: number for number, r in enumerate(resources, 1)}


def _ref_number(ref: str | None) -> int | None:
    """An MS Project number kept in ``external_refs``, or ``None`` when it is not one."""
    if ref is None or not re.fullmatch(r"\d{1,9}", ref.strip()):
        return None
    return int(ref)


def _snake(tag: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", tag).lower()


# ---------------------------------------------------------------------------- exceptions


class _ExceptionItem:
    """One MSPDI ``Exception``: the recurrence fields MS Project stores."""

    def __init__(self, *, start: dt.date, finish: dt.date, kind: int = 1, period: int = 1,
                 count: int | None = None, occurrences: int = 1,
                 days_of_week: int | None = None, month_item: int | None = None,
                 month_position: int | None = None, month: int | None = None,
                 month_day: int | None = None) -> None:
        self.start, self.finish, self.kind, self.period = start, finish, kind, period
        self.count, self.occurrences = count, occurrences
        self.days_of_week, self.month_item, self.month_position = (days_of_week, month_item,
                                                                   month_position)
        self.month, self.month_day = month, month_day


def _exception_items(exception: CalendarException) -> list[_ExceptionItem]:
    """The MSPDI exceptions for one pmcore exception: one, or the dates it covers."""
    start = exception.start
    if exception.recurrence is None:
        finish = exception.finish or start
        return [_ExceptionItem(start=start, finish=finish,
                               occurrences=(finish - start).days + 1)]
    parts = {key.upper(): value.upper() for key, _, value in
             (p.partition("=") for p in exception.recurrence.split(";") if p)}
    last = exception.finish or LAST_DAY
    if "UNTIL" in parts:
        until = _until(parts["UNTIL"])
        if until is not None:
            last = min(last, until)
    count = int(parts["COUNT"]) if parts.get("COUNT", "").isdigit() else None
    days = list(exception.occurrences(start, last))
    if not days:
        return []  # it covers no day MS Project can hold
    # MS Project bounds every recurrence by a last day: the one given, the last of COUNT
    # occurrences, the rule's UNTIL, or its own last date for a rule that never ends
    finish = (exception.finish or days[-1]) if count is not None else last
    pattern = _pattern(parts, start)
    if pattern is None:  # no MS Project recurrence says this: write the days themselves
        return list(_ranges(days))
    return [_ExceptionItem(start=start, finish=finish, count=count,
                           occurrences=count if count is not None else len(days), **pattern)]


def _until(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text[:8], "%Y%m%d").date()
    except ValueError:
        return None


def _ranges(days: list[dt.date]) -> Iterator[_ExceptionItem]:
    """Consecutive days merged into date ranges."""
    first = previous = days[0]
    for day in days[1:]:
        if day != previous + dt.timedelta(days=1):
            yield _ExceptionItem(start=first, finish=previous,
                                 occurrences=(previous - first).days + 1)
            first = day
        previous = day
    yield _ExceptionItem(start=first, finish=previous, occurrences=(previous - first).days + 1)


def _pattern(parts: dict[str, str], start: dt.date) -> dict[str, int] | None:
    """MS Project's recurrence fields for an RRULE, or ``None`` when it has none for it.

    The reverse of the reader: Type 1/7 daily, 6 weekly (``DaysOfWeek`` bits), 4 monthly on a
    day, 5 monthly by position, 2 yearly on a date, 3 yearly by position.
    """
    if set(parts) - _SUPPORTED_PARTS:
        return None
    interval_text = parts.get("INTERVAL", "1")
    if not interval_text.isdigit() or int(interval_text) < 1:
        return None
    interval = int(interval_text)
    freq = parts.get("FREQ")
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    plain_days = all(_ordinal(d) == 0 for d in days)
    if freq == "DAILY":
        if "BYMONTH" in parts or "BYMONTHDAY" in parts or "BYSETPOS" in parts:
            return None
        if days:
            if interval != 1 or not plain_days:
                return None
            return _weekly(days, 1)
        return {"kind": 1 if interval == 1 else 7, "period": interval}
    if freq == "WEEKLY":
        if "BYMONTH" in parts or "BYMONTHDAY" in parts or "BYSETPOS" in parts or not plain_days:
            return None
        days = days or [_RRULE_DAYS[(start.weekday() + 1) % 7]]
        # MS Project's weeks start on Sunday: other week starts differ every other week
        if interval > 1 and len(days) > 1 and parts.get("WKST", "MO") != "SU":
            return None
        return _weekly(days, interval)
    if freq == "MONTHLY":
        if "BYMONTH" in parts:
            return None
        where = _in_month(parts, days, start)
        return None if where is None else {"kind": where[0] + 3, "period": interval, **where[1]}
    if freq == "YEARLY":
        months = parts.get("BYMONTH", str(start.month)).split(",")
        if interval != 1 or len(months) != 1 or not months[0].isdigit() or \
                not 1 <= int(months[0]) <= 12:
            return None
        where = _in_month(parts, days, start)
        if where is None:
            return None
        return {"kind": where[0] + 1, "period": 1, "month": int(months[0]) - 1, **where[1]}
    return None


def _ordinal(day: str) -> int | None:
    """The position of a BYDAY item (``2TU`` -> 2, ``-1FR`` -> -1, ``MO`` -> 0), ``None`` if
    it is not one."""
    match = _BYDAY.match(day)
    if match is None:
        return None
    return int(match[1]) if match[1] else 0


def _weekly(days: list[str], interval: int) -> dict[str, int]:
    mask = sum(1 << _RRULE_DAYS.index(d) for d in set(days))
    return {"kind": 6, "period": interval, "days_of_week": mask}


def _in_month(parts: dict[str, str], days: list[str], start: dt.date,
              ) -> tuple[int, dict[str, int]] | None:
    """(1, MonthDay) for a day of the month, (2, MonthItem/MonthPosition) for a position."""
    positions = {1: 0, 2: 1, 3: 2, 4: 3, -1: 4}
    if "BYMONTHDAY" in parts:
        text = parts["BYMONTHDAY"]
        if days or "BYSETPOS" in parts or not text.isdigit() or not 1 <= int(text) <= 31:
            return None
        return 1, {"month_day": int(text)}
    if not days:
        return 1, {"month_day": start.day}
    if "BYSETPOS" in parts:
        try:
            setpos = int(parts["BYSETPOS"])
        except ValueError:
            return None
        if setpos not in positions or any(_ordinal(d) != 0 for d in days):
            return None
        kinds = {frozenset(_RRULE_DAYS): 0, frozenset(_WEEKDAYS): 1, frozenset(("SA", "SU")): 2}
        item = kinds.get(frozenset(days))
        if item is None:
            if len(days) != 1:
                return None
            item = 3 + _RRULE_DAYS.index(days[0])
        return 2, {"month_item": item, "month_position": positions[setpos]}
    match = _BYDAY.match(days[0]) if len(days) == 1 else None
    if match is None or match[1] is None or int(match[1]) not in positions:
        return None
    return 2, {"month_item": 3 + _RRULE_DAYS.index(match[2]),
               "month_position": positions[int(match[1])]}
