"""The cattrs converter between the model and plain data (dicts, lists, strings, numbers).

This is the one place that knows how the model is spelled in files. Values are written the way a
person would type them (``"10d"``, ``"08:00-12:00"``, ISO dates), fields left at their default
are omitted, and custom field values keep their type: text, numbers and flags are plain JSON,
the rest are tagged (``{"date": "2027-03-01"}``, ``{"cost": "1250.00"}``, ``{"duration": "3d"}``).
Money (rates, costs) is written as a decimal string (``"85.50"``), so no amount goes through a
binary float on its way in or out.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from pmcore.errors import ValidationError
from pmcore.model import (
    Assignment,
    Availability,
    Baseline,
    Calendar,
    CalendarException,
    Constraint,
    CustomFieldDefinition,
    CustomValue,
    Dependency,
    Duration,
    Project,
    Rate,
    RateTable,
    Recurrence,
    Resource,
    Task,
    Weekday,
    WorkingTime,
    WorkWeek,
    WorkWeekPeriod,
)
from pmcore.model.duration import CalendarOptions
from pmcore.model.estimate import Estimate  # a task's three-point estimate (pmcore.risk)
from pmcore.model.gate import GateReview  # phase-gate decisions (pmcore.methodology)
from pmcore.model.split import Split

__all__ = ["SCHEMA_VERSION", "converter", "structure_project", "unstructure_project"]

SCHEMA_VERSION = 1
"""The version of the document layout this pmcore writes, and the newest it reads."""

_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _expect(kind: type[Any] | tuple[type[Any], ...], value: Any, what: str) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValidationError(f"expected {what}, got {value!r}")


def _structure_datetime(value: Any, _: Any) -> dt.datetime:
    _expect(str, value, "an ISO date-time such as '2027-01-04T08:00:00'")
    try:
        result = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{value!r} is not an ISO date-time") from None
    if result.tzinfo is not None:
        raise ValidationError(f"{value!r} carries a time zone; project dates are local times")
    return result


def _structure_date(value: Any, _: Any) -> dt.date:
    _expect(str, value, "an ISO date such as '2027-01-04'")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{value!r} is not an ISO date") from None


def _structure_time(value: Any, _: Any) -> dt.time:
    _expect(str, value, "a time such as '08:00'")
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{value!r} is not a time such as '08:00'") from None


def _unstructure_time(value: dt.time) -> str:
    return value.isoformat(timespec="minutes" if not value.second and not value.microsecond
                           else "auto")


def _structure_duration(value: Any, _: Any) -> Duration:
    _expect(str, value, "a duration such as '3d'")
    return Duration.parse(value)


def _structure_week(value: Any, _: Any) -> WorkWeek:
    _expect(dict, value, "a mapping of weekday ('mon'...'sun') to working times")
    days: dict[int, Any] = {}
    for key, times in value.items():
        if key not in _DAY_KEYS:
            raise ValidationError(f"unknown weekday {key!r}; use one of {', '.join(_DAY_KEYS)}")
        if times is not None:
            _expect(list, times, "a list of working times such as '08:00-12:00'")
            for item in times:
                _expect(str, item, "a working time such as '08:00-12:00'")
        days[Weekday.parse(key)] = times
    return WorkWeek(days)


def _unstructure_week(week: WorkWeek) -> dict[str, list[str]]:
    return {key: [str(w) for w in times] for key, times in zip(_DAY_KEYS, week.days, strict=True)
            if times is not None}


_TAGS: dict[str, Callable[[str], CustomValue]] = {
    "cost": Decimal,
    "date": dt.date.fromisoformat,
    "datetime": dt.datetime.fromisoformat,
    "duration": Duration.parse,
}


def _structure_custom_value(value: Any) -> CustomValue:
    if isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text),) = value.items()
        parse = _TAGS.get(tag)
        if parse is not None and isinstance(text, str):
            try:
                return parse(text)
            except (ValueError, InvalidOperation):
                raise ValidationError(f"{text!r} is not a valid {tag}") from None
    raise ValidationError(
        f"expected text, a number, true/false, or one of {{'cost'|'date'|'datetime'|'duration': "
        f"text}}, got {value!r}")


def _structure_custom_fields(value: Any, _: Any) -> dict[str, CustomValue]:
    _expect(dict, value, "a mapping of field name to value")
    return {key: _structure_custom_value(item) for key, item in value.items()}


def _unstructure_custom_value(value: CustomValue) -> Any:
    if isinstance(value, Decimal):
        return {"cost": str(value)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Duration):
        return {"duration": str(value)}
    return value


def _listed(value: Any) -> list[Any]:
    _expect(list, value, "a list")
    return list(value)


def _structure_str_map(value: Any, _: Any) -> dict[str, str]:
    _expect(dict, value, "a mapping of text to text")
    for key, item in value.items():
        _expect(str, item, f"text for {key!r}")
    return dict(value)


def _structure_strict(kind: type[Any]) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        _expect(kind, value, "text" if kind is str else kind.__name__)
        return value

    return structure


def _structure_number(value: Any, _: Any) -> float:
    _expect((int, float), value, "a number")
    return float(value)


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    _expect(int, value, "a whole number")
    return int(value)


def _structure_enum(value: Any, kind: type[enum.Enum]) -> enum.Enum:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in kind)
        raise ValidationError(f"{value!r} is not one of {allowed}") from None


def _structure_money(value: Any, _: Any) -> Decimal:
    # Text only: a JSON number has already been through a binary float when it is parsed.
    _expect(str, value, "an amount as text, such as \"85.50\"")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValidationError(f"{value!r} is not an amount such as \"85.50\"") from None
    if not amount.is_finite():
        raise ValidationError(f"{value!r} is not a finite amount")
    return amount


def _structure_texts(value: Any, _: Any) -> tuple[str, ...]:
    items = _listed(value)
    for item in items:
        _expect(str, item, "text")
    return tuple(items)


def _structure_rate_table(conv: cattrs.Converter) -> Callable[[Any, Any], RateTable]:
    """A rate table is written as the list of its rates, oldest first."""

    def structure(value: Any, _: Any) -> RateTable:
        return RateTable(_structure_list(conv, value, Rate, "rates"))

    return structure


_BASELINE_KEYS = {str(n): n for n in range(11)}


def _structure_baselines(conv: cattrs.Converter) -> Callable[[Any, Any], dict[int, Baseline]]:
    """Baselines are written as an object from number ("0" to "10") to saved values."""

    def structure(value: Any, _: Any) -> dict[int, Baseline]:
        _expect(dict, value, 'a mapping of baseline number ("0" to "10") to a baseline')
        result: dict[int, Baseline] = {}
        errors: list[Exception] = []
        for key, item in value.items():
            try:
                number = _BASELINE_KEYS.get(key) if isinstance(key, str) else None
                if number is None:
                    raise ValidationError(f"baseline numbers are \"0\" to \"10\", got {key!r}")
                _expect(dict, item, "a baseline object")
                result[number] = conv.structure(item, Baseline)
            except Exception as exc:
                note = IterableValidationNote(f"Structuring baseline {key!r}", key, Baseline)
                exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                errors.append(exc)
        if errors:
            raise cattrs.IterableValidationError("while reading baselines", errors, dict)
        return dict(sorted(result.items()))

    return structure


@functools.cache
def converter() -> cattrs.Converter:
    """The converter used by every pmcore file format (built once, on first use)."""
    conv = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_unstructure_hook(dt.datetime, dt.datetime.isoformat)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(dt.time, _structure_time)
    conv.register_unstructure_hook(dt.time, _unstructure_time)
    conv.register_structure_hook(Decimal, _structure_money)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Duration, _structure_duration)
    conv.register_unstructure_hook(Duration, str)
    conv.register_structure_hook(WorkingTime, lambda v, _: WorkingTime.parse(
        _structure_strict(str)(v, _)))
    conv.register_unstructure_hook(WorkingTime, str)
    conv.register_structure_hook(WorkWeek, _structure_week)
    conv.register_unstructure_hook(WorkWeek, _unstructure_week)
    conv.register_structure_hook(str, _structure_strict(str))
    conv.register_structure_hook(bool, _structure_strict(bool))
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_number)
    conv.register_structure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.Enum),
                                      _structure_enum)
    conv.register_structure_hook_func(lambda t: t == dict[str, CustomValue],
                                      _structure_custom_fields)
    conv.register_unstructure_hook_func(
        lambda t: t == dict[str, CustomValue],
        lambda v: {k: _unstructure_custom_value(x) for k, x in v.items()})
    conv.register_structure_hook_func(lambda t: t == dict[str, str], _structure_str_map)
    conv.register_structure_hook_func(
        lambda t: t == tuple[CustomValue, ...],
        lambda v, _: tuple(_structure_custom_value(x) for x in _listed(v)))
    conv.register_unstructure_hook_func(
        lambda t: t == tuple[CustomValue, ...],
        lambda v: [_unstructure_custom_value(x) for x in v])
    conv.register_structure_hook(Constraint, _structure_constraint)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _structure_texts)
    conv.register_structure_hook_func(
        lambda t: t == tuple[Availability, ...],
        lambda v, _: tuple(_structure_list(conv, v, Availability, "availability")))
    conv.register_structure_hook(RateTable, _structure_rate_table(conv))
    conv.register_unstructure_hook(RateTable,
                                   lambda v: [conv.unstructure(r, Rate) for r in v.rates])
    conv.register_structure_hook_func(lambda t: t == dict[int, Baseline],
                                      _structure_baselines(conv))
    conv.register_unstructure_hook_func(
        lambda t: t == dict[int, Baseline],
        lambda v: {str(n): conv.unstructure(b, Baseline) for n, b in sorted(v.items())})
    attrs.resolve_types(Project)
    for kind in (CalendarOptions, CalendarException, WorkWeekPeriod, Calendar, Baseline,
                 Recurrence, Task, Dependency, CustomFieldDefinition, Availability, Rate,
                 Resource, Assignment, Estimate, Split):
        attrs.resolve_types(kind)
        conv.register_structure_hook(kind, _an_object(make_dict_structure_fn(
            kind, conv, _cattrs_forbid_extra_keys=True)))
        # A calendar's week is always written: its default depends on whether it has a base,
        # and a reader of the file should see the working times.
        overrides: dict[str, Any] = {"week": override(omit_if_default=False)} \
            if kind is Calendar else {}
        conv.register_unstructure_hook(kind, _in_reading_order(make_dict_unstructure_fn(
            kind, conv, _cattrs_omit_if_default=True, **overrides)))
    # -- gate reviews (pmcore.methodology.phasegate)
    attrs.resolve_types(GateReview)
    conv.register_structure_hook(GateReview, _an_object(make_dict_structure_fn(
        GateReview, conv, _cattrs_forbid_extra_keys=True)))
    conv.register_unstructure_hook(GateReview, make_dict_unstructure_fn(
        GateReview, conv, _cattrs_omit_if_default=True))
    # -- risks (pmcore.risk): the risk register's classes
    from pmcore.io.risk_format import register_risk_hooks

    register_risk_hooks(conv)
    return conv


def _an_object(structure: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Refuse a non-object plainly (cattrs would report "unknown error ... no attribute")."""

    def checked(value: Any, kind: Any) -> Any:
        _expect(dict, value, "an object")
        return structure(value, kind)

    return checked


_FIRST = ("id", "name")
_LAST = ("custom_fields", "external_refs")


def _in_reading_order(unstructure: Callable[[Any], dict[str, Any]]) -> Callable[[Any], Any]:
    """Put ids and names first and the open-ended maps last, whatever the attrs order."""

    def ordered(value: Any) -> dict[str, Any]:
        data = unstructure(value)
        head = {k: data[k] for k in _FIRST if k in data}
        tail = {k: data[k] for k in _LAST if k in data}
        middle = {k: v for k, v in data.items() if k not in head and k not in tail}
        return head | middle | tail

    return ordered


def _structure_constraint(value: Any, _: Any) -> Constraint:
    _expect(dict, value, "a constraint such as {'type': 'SNET', 'date': '2027-03-01T08:00:00'}")
    unknown = set(value) - {"type", "date"}
    if unknown:
        raise ValidationError(f"unknown keys {sorted(unknown)} in a constraint")
    date = None if value.get("date") is None else _structure_datetime(value["date"], None)
    return Constraint(_structure_enum(value.get("type", "ASAP"), type(Constraint().type)), date)


_PROJECT_SCALARS = ("id", "name", "start", "finish", "schedule_from", "status_date", "calendar",
                    "options", "default_start_time", "default_finish_time", "manager", "notes",
                    "custom_fields", "external_refs",
                    "currency")  # costs (pmcore.finance)


@functools.cache
def _project_defaults() -> dict[str, Any]:
    """The value each project field takes when not given (factories called once)."""
    defaults: dict[str, Any] = {}
    for field in attrs.fields(Project):
        factory = getattr(field.default, "factory", None)  # an attrs.Factory
        defaults[field.name] = factory() if callable(factory) else field.default
    return defaults


def unstructure_project(project: Project) -> dict[str, Any]:
    """The project as plain data, ready for ``json.dumps``."""
    conv = converter()
    data: dict[str, Any] = {}
    fields = attrs.fields_dict(Project)
    defaults = _project_defaults()
    for name in _PROJECT_SCALARS:
        value = getattr(project, name)
        if name in ("id", "name") or value != defaults.get(name):
            data[name] = conv.unstructure(value, fields[name].type)
    data["calendars"] = [conv.unstructure(c, Calendar) for c in project.calendars.values()]
    if project.field_definitions:
        data["field_definitions"] = [conv.unstructure(d, CustomFieldDefinition)
                                     for d in project.field_definitions.values()]
    data["tasks"] = [conv.unstructure(t, Task) for t in project.tasks]
    data["dependencies"] = [conv.unstructure(d, Dependency) for d in project.dependencies]
    # Written only when there are any, so plans without resources keep their old layout.
    if project.resources:
        data["resources"] = [conv.unstructure(r, Resource) for r in project.resources]
    if project.assignments:
        data["assignments"] = [conv.unstructure(a, Assignment) for a in project.assignments]
    # -- risks (pmcore.risk): written only when the register holds something
    from pmcore.io import risk_format

    if not risk_format.is_default(project.risks):
        data["risks"] = risk_format.unstructure_register(conv, project.risks)
    if project.gate_reviews:  # gate reviews (pmcore.methodology.phasegate)
        data["gate_reviews"] = [conv.unstructure(r, GateReview) for r in project.gate_reviews]
    return data


def structure_project(data: Mapping[str, Any]) -> Project:
    """Build a project from plain data; cross-references are left for validation.

    Raises:
        cattrs.ClassValidationError: (grouping every problem found) for wrong shapes or values;
            :mod:`pmcore.io` turns it into a :class:`~pmcore.errors.FormatError`.
    """
    conv = converter()
    fields = attrs.fields_dict(Project)
    allowed = {*_PROJECT_SCALARS, "calendars", "field_definitions", "tasks", "dependencies",
               "resources", "assignments", "gate_reviews"}
    allowed.add("risks")  # -- risks (pmcore.risk)
    errors: list[Exception] = []
    kwargs: dict[str, Any] = {}

    def attempt(key: str, build: Callable[[], Any]) -> None:
        try:
            kwargs[key] = build()
        except Exception as exc:  # collected and reported together, with their paths
            note = AttributeValidationNote(f"Structuring project.{key}", key, fields[key].type
                                           if key in fields else list)
            exc.__notes__ = [*getattr(exc, "__notes__", []), note]
            errors.append(exc)

    unknown = sorted(set(data) - allowed)
    if unknown:
        errors.append(ValidationError(f"unknown keys {unknown}"))
    if "name" not in data:
        missing = KeyError("name")
        missing.__notes__ = [AttributeValidationNote("Structuring project.name", "name", str)]
        errors.append(missing)
    for name in _PROJECT_SCALARS:
        if name in data:
            kind: Any = fields[name].type
            attempt(name, functools.partial(conv.structure, data[name], kind))
    for key, kind in (("calendars", Calendar), ("field_definitions", CustomFieldDefinition),
                      ("tasks", Task), ("dependencies", Dependency), ("resources", Resource),
                      ("assignments", Assignment)):
        attempt(key, functools.partial(_structure_list, conv, data.get(key, []), kind, key))
    if "gate_reviews" in data:  # gate reviews (pmcore.methodology.phasegate)
        attempt("gate_reviews", functools.partial(_structure_list, conv, data["gate_reviews"],
                                                  GateReview, "gate_reviews"))
    if "risks" in data:  # -- risks (pmcore.risk)
        from pmcore.io.risk_format import structure_register

        attempt("risks", functools.partial(structure_register, conv, data["risks"]))
    if errors:
        raise cattrs.ClassValidationError("while reading the project", errors, Project)
    calendars = kwargs.pop("calendars")
    duplicates = _duplicates(c.id for c in calendars)
    definitions = kwargs.pop("field_definitions")
    if duplicates:
        raise ValidationError(f"calendar ids used twice: {duplicates}", entity="project",
                              field="calendars")
    if "calendars" in data:  # a hand-written file without any keeps the Standard calendar
        kwargs["calendars"] = {c.id: c for c in calendars}
    kwargs["field_definitions"] = {d.key: d for d in definitions}
    if "id" not in kwargs and isinstance(kwargs.get("name"), str):
        # A stable id for hand-written files, so that reading a file twice gives equal projects.
        kwargs["id"] = re.sub(r"[^a-z0-9]+", "-", kwargs["name"].lower()).strip("-") or "project"
    return Project.restore(tasks=kwargs.pop("tasks"), dependencies=kwargs.pop("dependencies"),
                           resources=kwargs.pop("resources"),
                           assignments=kwargs.pop("assignments"), **kwargs)


def _structure_list(conv: cattrs.Converter, items: Any, kind: type[Any], key: str) -> list[Any]:
    _expect(list, items, f"a list of {key}")
    result: list[Any] = []
    errors: list[Exception] = []
    for index, item in enumerate(items):
        try:
            _expect(dict, item, f"an object for each of {key}")
            result.append(conv.structure(item, kind))
        except Exception as exc:
            note = IterableValidationNote(f"Structuring {key} @ index {index}", index, kind)
            exc.__notes__ = [*getattr(exc, "__notes__", []), note]
            errors.append(exc)
    if errors:
        raise cattrs.IterableValidationError(f"while reading {key}", errors, list)
    return result


def _duplicates(ids: Any) -> list[str]:
    seen: set[str] = set()
    twice: list[str] = []
    for item in ids:
        if item in seen and item not in twice:
            twice.append(item)
        seen.add(item)
    return twice
