"""The methodology contract: what every methodology, built-in or a company's own, provides.

A methodology is an immutable object registered through the ``pmcore_register_methodologies``
hook. It defines

* its **lifecycle**: phases (phase-gate), or a cadence of timeboxes (Scrum), or a flow (Kanban);
* the **template** a new project starts with: :meth:`Methodology.new_project` (and
  :meth:`pmcore.Project.from_template`) builds a ready-to-plan project with the phases as
  summary tasks, the standard deliverables, the milestones and the gate checklists;
* the **metrics** it reports (:attr:`Methodology.metrics`);
* its **validation rules** (:meth:`Methodology.problems`).

Tailoring never copies a methodology: :meth:`Methodology.evolve` changes any field of a copy,
and each methodology offers an ``extend`` for the usual tailorings (rename phases, add gate
criteria) that also gives the result its own name.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Self

import attrs

from pmcore.errors import PluginError, ValidationError
from pmcore.model import Duration, Problem, Project, Severity, ValidationReport

if TYPE_CHECKING:
    from pmcore.plugins import Plugins

__all__ = ["METHODOLOGY_FIELD", "Methodology", "Metric", "check_name", "methodology_problems"]

METHODOLOGY_FIELD = "pmcore.methodology"
"""The project custom field in which a project made from a template records the methodology's
name."""

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def check_name(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a registry name is lower case letters, digits and hyphens."""
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValidationError(
            f"must be lower-case letters, digits and hyphens, starting with a letter, "
            f"got {value!r}", entity=f"methodology {getattr(instance, 'name', '?')!r}"
            if attribute.name != "name" else "methodology", field=attribute.name)


def _check_title(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"must be non-empty text, got {value!r}",
                              entity=f"methodology {instance.name!r}", field=attribute.name)


def _positive_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator for a methodology's counts (sprints, weeks): a whole number >= 1."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(f"must be a whole number >= 1, got {value!r}",
                              entity=f"methodology {instance.name!r}", field=attribute.name)


def _positive_duration(instance: Any, attribute: attrs.Attribute[Any], value: Duration) -> None:
    """attrs validator for a methodology's planned durations: positive working time."""
    if value.is_zero or value.to_minutes() < 0 or value.elapsed or value.is_percent:
        raise ValidationError(f"must be a positive working duration, got {value}",
                              entity=f"methodology {instance.name!r}", field=attribute.name)


@attrs.frozen(kw_only=True)
class Metric:
    """A metric a methodology reports: its name, what it tells, and the function computing it.

    Attributes:
        name: short name (``"velocity"``, ``"gate-status"``).
        description: one line for people.
        compute: the function that computes it; its docstring says what it takes.
    """

    name: str = attrs.field(validator=check_name)
    description: str
    compute: Callable[..., Any] = attrs.field(eq=False, repr=False)


def _to_metrics(value: Iterable[Metric]) -> tuple[Metric, ...]:
    metrics = tuple(value)
    for metric in metrics:
        if not isinstance(metric, Metric):
            raise ValidationError(f"must be Metric objects, got {metric!r}",
                                  entity="methodology", field="metrics")
    return metrics


@attrs.frozen(kw_only=True)
class Methodology(abc.ABC):
    """Base class of methodologies. Subclasses are attrs frozen classes.

    Attributes:
        name: the registry name users pass (``"phase-gate"``); unique across plugins.
        title: the name people read (``"Phase-gate (waterfall)"``).
        description: one or two sentences.
        metrics: the metrics it reports.
    """

    name: str = attrs.field(validator=check_name)
    title: str = attrs.field(validator=_check_title)
    description: str = ""
    metrics: tuple[Metric, ...] = attrs.field(default=(), converter=_to_metrics)

    @property
    @abc.abstractmethod
    def lifecycle(self) -> str:
        """The lifecycle in one line (``"4 phases, 3 gates"``, ``"6 sprints of 2w"``)."""

    @abc.abstractmethod
    def build(self, project: Project) -> None:
        """Add the template's tasks, links and milestones to ``project`` (a new, empty one)."""

    def problems(self, project: Project) -> Iterator[Problem]:
        """The problems this methodology's rules find in ``project`` (none by default).

        :func:`pmcore.validate` runs them for every project made from this methodology (whose
        ``"pmcore.methodology"`` custom field names it), with the registering plugin's name
        as the problems' source.
        """
        return iter(())

    def validate(self, project: Project) -> ValidationReport:
        """Check ``project`` with this methodology's rules."""
        return ValidationReport.of(self.problems(project))

    def metric(self, name: str) -> Metric:
        """The metric of this name.

        Raises:
            UnknownReferenceError: the methodology reports no such metric.
        """
        for metric in self.metrics:
            if metric.name == name:
                return metric
        from pmcore.errors import UnknownReferenceError

        known = ", ".join(m.name for m in self.metrics) or "none"
        raise UnknownReferenceError(name, kind="metric",
                                    entity=f"methodology {self.name!r} (reports: {known})")

    def new_project(self, *, name: str, start: Any, **fields: Any) -> Project:
        """A ready-to-plan project built from this methodology's template.

        ``start`` is required: a template is never dated from today. Other keyword arguments
        set :class:`pmcore.Project` fields (``calendar``, ``manager``, ``custom_fields``, ...).
        The project records the methodology's name in its ``"pmcore.methodology"`` custom
        field.

        Raises:
            ValidationError: a bad project field, or a start that is not a date.
        """
        if start is None:
            raise ValidationError("a project made from a template needs a start date",
                                  entity=f"project {name!r}", field="start")
        custom = dict(fields.pop("custom_fields", None) or {})
        custom[METHODOLOGY_FIELD] = self.name
        project = Project(name, start=start, custom_fields=custom, **fields)
        self.build(project)
        return project

    def evolve(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied to its fields (validated like a new one)."""
        return attrs.evolve(self, **changes)

    def __str__(self) -> str:
        return f"{self.name}: {self.title} ({self.lifecycle})"


def methodology_problems(project: Project, plugins: Plugins) -> Iterator[Problem]:
    """The problems the rules of ``project``'s methodology find, for :func:`pmcore.validate`.

    The methodology is the registered one named by the project's ``"pmcore.methodology"``
    custom field; a project without the field has none. A name that no plugin registers is a
    warning (``unknown-methodology``): the methodology's rules could not be checked.

    Raises:
        PluginError: the methodology's rules failed, or returned something not a Problem.
    """
    from pmcore.plugins import BUILTIN_PLUGINS

    name = project.custom_fields.get(METHODOLOGY_FIELD)
    if not isinstance(name, str):
        return
    found = plugins.methodology_sources().get(name)
    if found is None:
        known = ", ".join(plugins.methodology_sources()) or "none"
        yield Problem(ValidationError(f"names methodology {name!r}, which no plugin registers "
                                      f"(registered: {known}); its rules were not checked",
                                      entity=project.label,
                                      field=f"custom_fields[{METHODOLOGY_FIELD!r}]"),
                      code="unknown-methodology", severity=Severity.WARNING)
        return
    methodology, plugin = found
    source = "pmcore" if plugin in BUILTIN_PLUGINS else plugin
    try:
        found_problems = list(methodology.problems(project))
    except Exception as exc:  # a plugin's rules: report which plugin failed
        raise PluginError(f"methodology {name!r} failed to validate {project.label}: "
                          f"{type(exc).__name__}: {exc}", plugin=plugin) from exc
    for problem in found_problems:
        if not isinstance(problem, Problem):
            raise PluginError(f"methodology {name!r} returned {problem!r}, not a Problem",
                              plugin=plugin)
        yield attrs.evolve(problem, source=source)
