"""The built-in validation rules: a pure function from a project to the problems in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pmcore.errors import CycleError, UnknownReferenceError, ValidationError
from pmcore.model.base import CustomFieldDefinition, CustomValue, Entity, FieldType
from pmcore.model.calendar import Calendar, EffectiveCalendar
from pmcore.model.network import Network
from pmcore.model.project import Project
from pmcore.model.resource import Assignment, Availability, Resource, ResourceType
from pmcore.model.task import Task
from pmcore.model.validation import Problem, Severity

__all__ = ["core_problems", "resource_problems", "scheduling_problems"]


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
    for resource in project.resources:
        yield from resource_problems(resource)
    yield from _assignment_problems(project)


def scheduling_problems(project: Project) -> Iterator[Problem]:
    """The problems the scheduler cannot find itself while it compiles a project.

    Compiling finds unknown tasks, loops of links or parents and dates out of order, and then
    asks for the full report to name them; calendars and resources are only looked up as
    tasks need them, so their problems are checked first.
    """
    yield from _calendar_problems(project)
    for resource in project.resources:
        yield from resource_problems(resource)
    yield from _assignment_problems(project)


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
    references += [(r.calendar, r.label, "calendar") for r in project.resources
                   if r.calendar is not None]
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
    for assignment in project.assignments:
        if assignment.start is not None and assignment.finish is not None and \
                assignment.finish < assignment.start:
            yield Problem(ValidationError(f"{assignment.finish} is before start "
                                          f"{assignment.start}", entity=assignment.label,
                                          field="finish"), code="dates-out-of-order")


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
    entities += [("resource", r) for r in project.resources if r.custom_fields]
    entities += [("assignment", a) for a in project.assignments if a.custom_fields]
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
    if isinstance(entity, Project | Task | Resource | Assignment):
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




# ---------------------------------------------------------------------------- resources


def resource_problems(resource: Resource) -> Iterator[Problem]:
    """The problems of one resource on its own: its availability, rates and type.

    :meth:`pmcore.Project.add_resource` refuses a resource with any error here.
    """
    yield from _overlapping_availability(resource)
    yield from _rate_order(resource)
    yield from _resource_type_mismatches(resource)


def _period(period: Availability) -> str:
    start = "ever" if period.start is None else str(period.start)
    finish = "ever" if period.finish is None else str(period.finish)
    return f"{start} to {finish} at {period.units:g}"


def _overlapping_availability(resource: Resource) -> Iterator[Problem]:
    """Availability periods may not overlap: the units on a day would be ambiguous."""
    spans = sorted(resource.availability,
                   key=lambda p: p.start or dt.date.min)
    if len(spans) < 2:
        return
    holder = spans[0]  # the period reaching furthest so far
    for period in spans[1:]:
        reach = holder.finish or dt.date.max
        if (period.start or dt.date.min) <= reach:
            yield Problem(ValidationError(
                f"periods {_period(holder)} and {_period(period)} overlap from "
                f"{period.start or 'ever'}; the first one listed wins", entity=resource.label,
                field="availability"), code="overlapping-availability")
        if (period.finish or dt.date.max) > reach:
            holder = period


def _rate_order(resource: Resource) -> Iterator[Problem]:
    """Each rate table's effective dates increase; only the first rate may have none."""
    for letter, table in resource.rate_tables.items():
        previous: dt.date | None = None
        for index, rate in enumerate(table.rates):
            current = rate.effective_from
            if index and (current is None or (previous is not None and current <= previous)):
                shown = "no date" if current is None else str(current)
                yield Problem(ValidationError(
                    f"table {letter}: rate {index + 1} takes effect on {shown}, not after "
                    f"rate {index} ({previous or 'no date'}); effective dates must increase and "
                    "only the first rate may have none", entity=resource.label,
                    field="rate_tables"), code="rate-dates-not-increasing")
                break
            previous = current


def _resource_type_mismatches(resource: Resource) -> Iterator[Problem]:
    """Fields that the resource's type does not use: kept, but ignored."""
    unused: list[str] = []
    if resource.material_label and resource.type is not ResourceType.MATERIAL:
        unused.append("material_label")
    if resource.type is ResourceType.COST:
        unused += [name for name, used in (("max_units", resource.max_units != 1.0),
                                           ("availability", bool(resource.availability)),
                                           ("calendar", resource.calendar is not None),
                                           ("rate_tables", bool(resource.rate_tables)))
                   if used]
    for field in unused:
        yield Problem(ValidationError(f"is not used by {resource.type.value} resources",
                                      entity=resource.label, field=field),
                      code="resource-type-mismatch", severity=Severity.WARNING)


def _assignment_problems(project: Project) -> Iterator[Problem]:
    resources = {r.id: r for r in project.resources}
    seen: dict[tuple[str, str], str] = {}
    for assignment in project.assignments:
        label = assignment.label
        if assignment.task not in project:  # (no set of every task id for a few assignments)
            yield Problem(UnknownReferenceError(assignment.task, kind="task", entity=label,
                                                field="task"), code="unknown-task")
        elif project.is_summary(assignment.task):
            yield Problem(ValidationError(
                f"task {assignment.task!r} is a summary task; pmcore assigns resources to the "
                "tasks below summaries", entity=label, field="task"),
                code="assignment-to-summary", severity=Severity.WARNING)
        resource = resources.get(assignment.resource)
        if resource is None:
            yield Problem(UnknownReferenceError(assignment.resource, kind="resource",
                                                entity=label, field="resource"),
                          code="unknown-resource")
        else:
            yield from _assignment_type_mismatches(assignment, resource)
        key = (assignment.task, assignment.resource)
        if key in seen:
            yield Problem(ValidationError(
                f"resource {assignment.resource!r} is assigned to task {assignment.task!r} "
                f"twice (also by assignment {seen[key]!r})", entity=label, field="resource"),
                code="duplicate-assignment")
        else:
            seen[key] = assignment.id


def _assignment_type_mismatches(assignment: Assignment,
                                resource: Resource) -> Iterator[Problem]:
    if resource.type is ResourceType.COST:
        unused = [f for f in ("work", "actual_work", "remaining_work")
                  if getattr(assignment, f) is not None]
    else:
        unused = [f for f in ("cost", "actual_cost") if getattr(assignment, f) is not None]
    for field in unused:
        yield Problem(ValidationError(
            f"is not used for a {resource.type.value} resource ({resource.id!r})",
            entity=assignment.label, field=field),
            code="resource-type-mismatch", severity=Severity.WARNING)
