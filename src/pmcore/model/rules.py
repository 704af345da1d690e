"""The built-in validation rules: a pure function from a project to the problems in it."""

from __future__ import annotations

from collections.abc import Iterator

from pmcore.errors import CycleError, UnknownReferenceError, ValidationError
from pmcore.model.base import CustomFieldDefinition, CustomValue, Entity, FieldType
from pmcore.model.calendar import Calendar, EffectiveCalendar
from pmcore.model.network import Network
from pmcore.model.project import Project
from pmcore.model.task import Task
from pmcore.model.validation import Problem, Severity

__all__ = ["core_problems"]


def core_problems(project: Project, *, loops: bool = True) -> Iterator[Problem]:
    """Every problem pmcore's own rules find in ``project``.

    ``loops=False`` skips the search for dependency loops and for links to a task's own
    summary, for callers that detect both anyway: the scheduler's topological sort finds them
    as loops, and then asks for the full report to name the problem.
    """
    yield from _outline_problems(project)
    yield from _link_problems(project, loops=loops)
    yield from _calendar_problems(project)
    yield from _date_problems(project)
    yield from _custom_field_problems(project)


def _outline_problems(project: Project) -> Iterator[Problem]:
    known = {t.id for t in project.tasks}
    for task in project.tasks:
        if task.parent is not None and task.parent not in known:
            yield Problem(UnknownReferenceError(task.parent, kind="task", entity=task._label(),
                                                field="parent"), code="unknown-parent")
    for task, loop in _outline_loops(project):
        yield Problem(CycleError(loop, kind="outline", entity=task._label()),
                      code="outline-cycle")


def _outline_loops(project: Project) -> list[tuple[Task, list[str]]]:
    """Each loop of parents once (child -> parent order), with the task it was found from."""
    known = {t.id for t in project.tasks}
    found: list[tuple[Task, list[str]]] = []
    reported: set[str] = set()
    # Only a task the outline cannot reach from the top can sit on a loop of parents.
    for task in (t for t in project.tasks if not project._outline()[t.id]):
        seen = [task.id]
        current = task.parent
        while current is not None and current in known:
            if current in seen:
                loop = [*seen[seen.index(current):], current]
                if not reported.intersection(loop):
                    reported.update(loop)
                    found.append((task, loop))
                break
            seen.append(current)
            current = project.task(current).parent
    return found


def _link_problems(project: Project, *, loops: bool) -> Iterator[Problem]:
    known = {t.id for t in project.tasks}
    dangling = False
    for link in project.dependencies:
        for field in ("predecessor", "successor"):
            ref = getattr(link, field)
            if ref not in known:
                dangling = True
                yield Problem(UnknownReferenceError(ref, kind="task",
                                                    entity=f"dependency {link.id!r}", field=field),
                              code="unknown-task")
        if loops and link.predecessor in known and link.successor in known:
            try:
                project._check_not_own_summary(link)
            except ValidationError as exc:
                yield Problem(exc, code="link-to-own-summary")
    if dangling or not loops:
        return  # loops cannot be traced through tasks that do not exist
    network = project._network()
    looping = {t for _task, loop in _outline_loops(project) for t in loop}
    if looping:  # an outline loop is reported as such; trace links as if those were leaves
        network = Network({p: k for p, k in project._children.items() if p not in looping})
        for link in project.dependencies:
            network.add_link(link)
    for loop in network.cycles():
        yield Problem(CycleError(loop, entity=project._label(), names=project._names(loop)),
                      code="dependency-cycle")


def _calendar_problems(project: Project) -> Iterator[Problem]:
    references: list[tuple[str, str, str]] = [(project.calendar, project._label(), "calendar")]
    references += [(t.calendar, t._label(), "calendar") for t in project.tasks
                   if t.calendar is not None]
    references += [(c.base, f"calendar {c.id!r}", "base") for c in project.calendars.values()
                   if c.base is not None]
    for calendar_id, calendar in project.calendars.items():
        if calendar.id != calendar_id:
            yield Problem(ValidationError(f"is filed under the id {calendar_id!r}",
                                          entity=f"calendar {calendar.id!r}", field="id"),
                          code="calendar-id-mismatch")
    reported: set[str] = set()
    for ref, entity, field in references:
        if ref not in project.calendars:
            yield Problem(UnknownReferenceError(ref, kind="calendar", entity=entity, field=field),
                          code="unknown-calendar")
    for calendar_id in project.calendars:
        try:
            resolved = EffectiveCalendar.resolve(calendar_id, project.calendars)
        except CycleError as exc:
            if not reported.intersection(exc.cycle):
                reported.update(exc.cycle)
                yield Problem(exc, code="calendar-cycle")
            continue
        except UnknownReferenceError:
            continue  # reported above
        if not resolved.has_working_time():
            yield Problem(ValidationError("has no working time on any day, so nothing "
                                          "scheduled on it could ever finish",
                                          entity=f"calendar {calendar_id!r}", field="week"),
                          code="calendar-without-working-time")
    for calendar in project.calendars.values():
        yield from _overlapping_exceptions(calendar)


def _overlapping_exceptions(calendar: Calendar) -> Iterator[Problem]:
    """Date-range exceptions may not overlap, as Microsoft Project refuses such calendars.

    Recurring exceptions are not compared: their occurrences may legitimately fall inside a
    one-off range (a yearly holiday during a shutdown), and the one-off range wins.
    """
    spans = sorted((e.start, e.finish or e.start, e.name) for e in calendar.exceptions
                   if e.recurrence is None)
    if not spans:
        return
    _, reach, holder = spans[0]  # the exception reaching furthest so far
    for start, finish, name in spans[1:]:
        if start <= reach:
            yield Problem(ValidationError(
                f"exceptions {holder!r} and {name!r} overlap on {start}; the first one listed "
                "would win", entity=f"calendar {calendar.id!r}", field="exceptions"),
                code="overlapping-exceptions")
        if finish > reach:
            reach, holder = finish, name


def _date_problems(project: Project) -> Iterator[Problem]:
    for task in project.tasks:
        pairs = (("start", "finish"), ("actual_start", "actual_finish"))
        for first, second in pairs:
            early, late = getattr(task, first), getattr(task, second)
            if early is not None and late is not None and late < early:
                yield Problem(ValidationError(f"{late} is before {first} {early}",
                                              entity=task._label(), field=second),
                              code="dates-out-of-order")
        if task.actual_finish is not None and task.actual_start is None:
            yield Problem(ValidationError("has an actual finish but no actual start",
                                          entity=task._label(), field="actual_start"),
                          code="finish-without-start", severity=Severity.WARNING)
        if task.manual and (task.start is None or task.finish is None) and \
                not project.is_summary(task):
            yield Problem(ValidationError("is manually scheduled but has no start and finish",
                                          entity=task._label(), field="manual"),
                          code="manual-without-dates", severity=Severity.WARNING)


def _custom_field_problems(project: Project) -> Iterator[Problem]:
    definitions = project.field_definitions
    for key, definition in definitions.items():
        if definition.key != key:
            yield Problem(ValidationError(f"is filed under the key {key!r}",
                                          entity=f"custom field {definition.key!r}",
                                          field="key"), code="field-key-mismatch")
    entities: list[tuple[str, Entity]] = [("project", project)]
    entities += [("task", t) for t in project.tasks if t.custom_fields]
    entities += [("calendar", c) for c in project.calendars.values() if c.custom_fields]
    entities += [("dependency", d) for d in project.dependencies if d.custom_fields]
    for kind, entity in entities:
        label = _entity_label(kind, entity)
        for key, value in entity.custom_fields.items():
            if not any(t.accepts(value) for t in FieldType):  # edited in place, unchecked
                yield Problem(ValidationError(
                    f"{value!r} is not a custom field value (text, number, flag, cost, date, "
                    "date-time or duration)", entity=label, field=f"custom_fields[{key!r}]"),
                    code="custom-field-mismatch")
                continue
            declared = definitions.get(key)
            if declared is None:
                continue
            problem = _field_problem(declared, kind, value)
            if problem:
                yield Problem(ValidationError(problem, entity=label,
                                              field=f"custom_fields[{key!r}]"),
                              code="custom-field-mismatch")


def _entity_label(kind: str, entity: Entity) -> str:
    if isinstance(entity, Project | Task):
        return entity.label
    return f"{kind} {entity.id!r}"


def _field_problem(definition: CustomFieldDefinition, kind: str, value: CustomValue) -> str | None:
    if definition.applies_to != kind:
        return f"the field is defined for {definition.applies_to}s, not {kind}s"
    if not definition.type.accepts(value):
        return f"{value!r} is not a {definition.type.value}"
    if definition.choices and value not in definition.choices:
        return f"{value!r} is not one of the allowed values {list(definition.choices)!r}"
    return None


