"""Phase-gate (waterfall): phases separated by gates where gatekeepers decide go, hold, recycle
or kill.

A :class:`PhaseGateMethodology` lists its :class:`Phase` objects in order; every phase but the
first is opened by a :class:`Gate` with a checklist. Its template (:meth:`~PhaseGateMethodology.
new_project`, :meth:`pmcore.Project.from_template`) makes each phase a summary task over its
deliverables, chained finish-to-start, with each gate a milestone between two phases. The
tasks carry their role in custom fields (``"pmcore.phase"`` on a phase's summary task,
``"pmcore.gate"`` on a gate's milestone, ``"pmcore.entry-gate"`` on a phase opened by a gate),
so :func:`check` works on any project laid out this way, whichever methodology built it.

Decisions are :class:`pmcore.model.gate.GateReview` objects kept in the project's
``gate_reviews`` (saved in the project file): :func:`record_review` checks and adds one.
:func:`check` reports, without raising, every phase whose work has started although its gate
is not passed; for a project made from a phase-gate methodology the same problems come out of
:func:`pmcore.validate`, which runs the methodology's rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Self

import attrs

from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.methodology.base import Methodology, Metric
from pmcore.model import Duration, Problem, Project, Severity, Task
from pmcore.model.base import check_id
from pmcore.model.duration import to_duration
from pmcore.model.gate import GateDecision, GateReview, _check_texts, _texts

__all__ = [
    "ENTRY_GATE_FIELD",
    "GATE_FIELD",
    "PHASE_FIELD",
    "PHASE_GATE",
    "Deliverable",
    "Gate",
    "GateCheck",
    "GateDecision",
    "GateReview",
    "Phase",
    "PhaseGateMethodology",
    "PhaseStatus",
    "check",
    "record_review",
]

PHASE_FIELD = "pmcore.phase"
"""Task custom field marking a phase's summary task; its value is the phase key."""

GATE_FIELD = "pmcore.gate"
"""Task custom field marking a gate's milestone; its value is the gate key."""

ENTRY_GATE_FIELD = "pmcore.entry-gate"
"""Task custom field on a phase's summary task naming the gate that opens the phase."""


def _check_key(instance: Gate | Phase, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_id(type(instance).__name__.lower(), attribute.name, value)


def _check_name(instance: Gate | Phase, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"needs a name, got {value!r}",
                              entity=f"{type(instance).__name__.lower()} {instance.key!r}",
                              field=attribute.name)


@attrs.frozen
class Deliverable:
    """A standard deliverable of a phase: a work task of a planned duration, or a milestone
    when the duration is zero.

    >>> Deliverable("Project charter", "5d")
    Deliverable(name='Project charter', duration=Duration('5d'))
    """

    name: str
    duration: Duration = attrs.field(converter=to_duration)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValidationError(f"needs a name, got {self.name!r}", entity="deliverable",
                                  field="name")

    @property
    def label(self) -> str:
        """How messages name it."""
        return f"deliverable {self.name!r}"


def _to_deliverables(value: Any) -> tuple[Deliverable, ...]:
    items = []
    for item in value:
        if isinstance(item, Deliverable):
            items.append(item)
        elif isinstance(item, tuple | list) and len(item) == 2:
            items.append(Deliverable(*item))
        else:
            raise ValidationError(f"expected a Deliverable or a (name, duration) pair, got "
                                  f"{item!r}", entity="phase", field="deliverables")
    return tuple(items)


@attrs.frozen(kw_only=True)
class Gate:
    """A gate: the review that must say go before the phase after it starts.

    Attributes:
        key: short stable id (``"G2"``), what reviews name.
        name: what the gate decides (``"Approve the plan"``).
        criteria: the gate's own checklist items; :meth:`PhaseGateMethodology.checklist` adds
            the exit criteria of the phase before and the entry criteria of the phase after.
        approvers: the roles expected to decide (the gatekeepers).
    """

    key: str = attrs.field(validator=_check_key)
    name: str = attrs.field(validator=_check_name)
    criteria: tuple[str, ...] = attrs.field(default=(), converter=_texts, validator=_check_texts)
    approvers: tuple[str, ...] = attrs.field(default=(), converter=_texts,
                                             validator=_check_texts)

    @property
    def label(self) -> str:
        """How messages name it: ``gate 'G2'``."""
        return f"gate {self.key!r}"

    @property
    def title(self) -> str:
        """The gate milestone's name: ``"G2: Approve the plan"``."""
        return f"{self.key}: {self.name}"


@attrs.frozen(kw_only=True)
class Phase:
    """A phase (a stage) of a phase-gate lifecycle.

    Attributes:
        key: short stable id (``"plan"``).
        name: what people read (``"Planning"``); renaming keeps the key.
        deliverables: the phase's standard deliverables, in order; at least one.
        entry_criteria: what must be true before the phase starts.
        exit_criteria: what must be true before it ends.
        gate: the gate that opens the phase (``None`` only for a first phase without one).
    """

    key: str = attrs.field(validator=_check_key)
    name: str = attrs.field(validator=_check_name)
    deliverables: tuple[Deliverable, ...] = attrs.field(converter=_to_deliverables)
    entry_criteria: tuple[str, ...] = attrs.field(default=(), converter=_texts,
                                                  validator=_check_texts)
    exit_criteria: tuple[str, ...] = attrs.field(default=(), converter=_texts,
                                                 validator=_check_texts)
    gate: Gate | None = None

    def __attrs_post_init__(self) -> None:
        if not self.deliverables:
            raise ValidationError("needs at least one deliverable", entity=self.label,
                                  field="deliverables")
        names = [d.name for d in self.deliverables]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValidationError(f"lists deliverables twice: {twice}", entity=self.label,
                                  field="deliverables")
        if self.gate is not None and not isinstance(self.gate, Gate):
            raise ValidationError(f"must be a Gate, got {self.gate!r}", entity=self.label,
                                  field="gate")

    @property
    def label(self) -> str:
        """How messages name it: ``phase 'plan' (Planning)``."""
        return f"phase {self.key!r} ({self.name})"


# ------------------------------------------------------------------------------ the methodology


def _to_phases(value: Any) -> tuple[Phase, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class PhaseGateMethodology(Methodology):
    """A phase-gate lifecycle: phases in order, a gate before each phase but the first.

    Tailor a built-in with :meth:`extend` (rename phases, add gate criteria or deliverables)
    or :meth:`evolve` (replace any field).

    Raises:
        ValidationError: no phase; two phases or gates with one key, or two phases with one
            name; a phase after the first without a gate.
    """

    phases: tuple[Phase, ...] = attrs.field(converter=_to_phases)

    def __attrs_post_init__(self) -> None:
        label = f"methodology {self.name!r}"
        if not self.phases:
            raise ValidationError("needs at least one phase", entity=label, field="phases")
        for phase in self.phases:
            if not isinstance(phase, Phase):
                raise ValidationError(f"must be Phase objects, got {phase!r}", entity=label,
                                      field="phases")
        for what, values in (("phase keys", [p.key for p in self.phases]),
                             ("phase names", [p.name for p in self.phases]),
                             ("gate keys", [g.key for g in self.gates])):
            twice = sorted({v for v in values if values.count(v) > 1})
            if twice:
                raise ValidationError(f"{what} used twice: {twice}", entity=label,
                                      field="phases")
        for phase in self.phases[1:]:
            if phase.gate is None:
                raise ValidationError("has no gate: a phase-gate lifecycle needs a gate "
                                      "between phases", entity=f"{label} {phase.label}",
                                      field="gate")

    # -- the contract ----------------------------------------------------------------------

    @property
    def gates(self) -> tuple[Gate, ...]:
        """The gates in order."""
        return tuple(p.gate for p in self.phases if p.gate is not None)

    @property
    def lifecycle(self) -> str:
        """``"4 phases, 3 gates"``."""
        return f"{len(self.phases)} phases, {len(self.gates)} gates"

    def phase(self, key: str) -> Phase:
        """The phase with this key (or this name).

        Raises:
            UnknownReferenceError: no such phase.
        """
        for phase in self.phases:
            if key in (phase.key, phase.name):
                return phase
        raise UnknownReferenceError(key, kind="phase", entity=f"methodology {self.name!r}")

    def gate(self, key: str) -> Gate:
        """The gate with this key.

        Raises:
            UnknownReferenceError: no such gate.
        """
        for gate in self.gates:
            if gate.key == key:
                return gate
        raise UnknownReferenceError(key, kind="gate", entity=f"methodology {self.name!r}")

    def checklist(self, gate: str) -> tuple[str, ...]:
        """What the gatekeepers check at ``gate``: the gate's own criteria, then the exit
        criteria of the phase before it, then the entry criteria of the phase it opens."""
        found = self.gate(gate)
        index = next(i for i, p in enumerate(self.phases) if p.gate is found)
        before = self.phases[index - 1].exit_criteria if index else ()
        return (*found.criteria, *before, *self.phases[index].entry_criteria)

    def build(self, project: Project) -> None:
        """Add the phases, deliverables and gate milestones to ``project``.

        Each gate is a milestone at the top level, after the last deliverable of the phase
        before it; each phase is a summary task whose deliverables are chained
        finish-to-start, the first one after the gate. The gate milestone's notes hold its
        checklist, one ``- [ ] item`` per line.
        """
        previous: Task | None = None
        for phase in self.phases:
            fields: dict[str, Any] = {PHASE_FIELD: phase.key}
            if phase.gate is not None:
                gate = phase.gate
                notes = "\n".join(f"- [ ] {item}" for item in self.checklist(gate.key))
                previous = project.add_milestone(gate.title, after=previous, notes=notes,
                                                 custom_fields={GATE_FIELD: gate.key})
                fields[ENTRY_GATE_FIELD] = gate.key
            summary = project.add_task(phase.name, custom_fields=fields,
                                       notes=_phase_notes(phase))
            previous = self.open_phase(project, phase, summary, previous)
            for deliverable in phase.deliverables:
                previous = project.add_task(deliverable.name, deliverable.duration,
                                            parent=summary, after=previous)

    def open_phase(self, project: Project, phase: Phase, summary: Task,
                   previous: Task | None) -> Task | None:
        """What a phase starts with before its deliverables, which follow the task returned
        (nothing here: the gate); a tailored methodology may add work (hybrid: the sprints)."""
        return previous

    def problems(self, project: Project) -> Iterator[Problem]:
        """The phase-gate rules: see :func:`check`."""
        return iter(check(project).problems)

    # -- tailoring -------------------------------------------------------------------------

    def extend(
        self,
        *,
        name: str,
        title: str | None = None,
        description: str | None = None,
        rename: Mapping[str, str] | None = None,
        criteria: Mapping[str, Iterable[str]] | None = None,
        deliverables: Mapping[str, Iterable[Deliverable | tuple[str, str]]] | None = None,
        approvers: Mapping[str, Iterable[str]] | None = None,
    ) -> Self:
        """A tailored copy under a new ``name``; this methodology is unchanged.

        Args:
            rename: phase key (or current name) -> new name; keys stay, so reviews still match.
            criteria: gate key -> criteria added to the gate's checklist.
            deliverables: phase key (or name) -> deliverables added at the end of the phase.
            approvers: gate key -> approvers added to the gate.

        Raises:
            UnknownReferenceError: a phase or gate that this methodology does not have.
            ValidationError: the new name is taken by this methodology, or the result breaks a
                rule (two phases with one name, ...).
        """
        if name == self.name:
            raise ValidationError("a tailored methodology needs a name of its own",
                                  entity=f"methodology {self.name!r}", field="name")
        phases = list(self.phases)

        # Looked up in the original: a phase already tailored is still found by key or name.
        def index_of(key: str) -> int:
            return self.phases.index(self.phase(key))

        def gate_index(key: str) -> int:
            gate = self.gate(key)
            return next(i for i, p in enumerate(self.phases) if p.gate == gate)

        for key, new_name in (rename or {}).items():
            i = index_of(key)
            phases[i] = attrs.evolve(phases[i], name=new_name)
        for key, added in (deliverables or {}).items():
            i = index_of(key)
            phases[i] = attrs.evolve(phases[i], deliverables=(*phases[i].deliverables,
                                                             *_to_deliverables(added)))
        for field, additions in (("criteria", criteria), ("approvers", approvers)):
            for key, texts in (additions or {}).items():
                i = gate_index(key)
                gate = phases[i].gate
                assert gate is not None  # gate_index found it
                changes: dict[str, Any] = {field: (*getattr(gate, field), *_texts(texts))}
                phases[i] = attrs.evolve(phases[i], gate=attrs.evolve(gate, **changes))
        return attrs.evolve(self, name=name, title=title or self.title,
                            description=self.description if description is None
                            else description, phases=tuple(phases))


def _phase_notes(phase: Phase) -> str:
    lines = [f"Entry: {item}" for item in phase.entry_criteria]
    lines += [f"Exit: {item}" for item in phase.exit_criteria]
    return "\n".join(lines)


# ------------------------------------------------------------------------------ gate reviews


@attrs.frozen(kw_only=True)
class PhaseStatus:
    """Where one phase of a project stands against its gate.

    Attributes:
        phase: the phase key; ``name`` and ``task`` are its summary task's name and id.
        gate: the key of the gate that opens it (``None`` for a first phase without one).
        decision: the gate's latest decision, ``None`` when it has not been reviewed.
        decided_on: the day of that decision.
        conditions: the conditions of that decision.
        started_on: the earliest actual start of work in the phase, ``None`` if none started.
        percent_complete: the phase's rolled-up percent complete.
        violation: the code of the rule the phase breaks, or ``None``.
    """

    phase: str
    name: str
    task: str
    gate: str | None
    decision: GateDecision | None
    decided_on: dt.date | None
    conditions: tuple[str, ...]
    started_on: dt.datetime | None
    percent_complete: float
    violation: str | None

    @property
    def passed(self) -> bool:
        """The phase may start: it has no gate, or the gate's latest decision is go."""
        return self.gate is None or self.decision is GateDecision.GO


@attrs.frozen
class GateCheck:
    """The result of :func:`check`: each phase's status and the problems found.

    ``ok`` is true when nothing was found. ``to_records()`` gives one row per phase.
    """

    phases: tuple[PhaseStatus, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """No problem at all: every started phase has passed its gate."""
        return not self.problems

    @property
    def violations(self) -> tuple[Problem, ...]:
        """The problems about work started in a phase whose gate was not passed."""
        return tuple(p for p in self.problems
                     if p.code in ("gate-not-passed", "started-before-gate"))

    def status(self, phase: str) -> PhaseStatus:
        """The status of the phase with this key (or name)."""
        for status in self.phases:
            if phase in (status.phase, status.name):
                return status
        raise UnknownReferenceError(phase, kind="phase", entity="gate check")

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per phase, for ``pandas.DataFrame``."""
        return [{"phase": s.phase, "name": s.name, "task": s.task, "gate": s.gate,
                 "decision": None if s.decision is None else s.decision.value,
                 "decided_on": s.decided_on, "conditions": list(s.conditions),
                 "started_on": s.started_on, "percent_complete": s.percent_complete,
                 "violation": s.violation} for s in self.phases]

    def __repr__(self) -> str:
        shown = ", ".join(f"{s.phase}:{'-' if s.decision is None else s.decision.value}"
                          for s in self.phases)
        return f"GateCheck(ok={self.ok}, phases=[{shown}], problems={len(self.problems)})"


@attrs.frozen
class _Layout:
    """Where the phases and gates of a project are, read from the role custom fields."""

    phases: tuple[Task, ...]
    gates: dict[str, Task]

    @classmethod
    def of(cls, project: Project) -> _Layout:
        phases = tuple(t for t in project.tasks if isinstance(t.custom_fields.get(PHASE_FIELD),
                                                              str))
        gates: dict[str, Task] = {}
        for task in project.tasks:
            key = task.custom_fields.get(GATE_FIELD)
            if isinstance(key, str):
                gates.setdefault(key, task)
        return cls(phases, gates)

    def phase_before(self, gate: str) -> Task | None:
        """The phase just before the one ``gate`` opens (``None`` when it opens the first)."""
        for index, phase in enumerate(self.phases):
            if phase.custom_fields.get(ENTRY_GATE_FIELD) == gate:
                return self.phases[index - 1] if index else None
        return None


def _first_start(project: Project, phase: Task) -> dt.datetime | None:
    """The earliest moment work in the phase is known to have started."""
    moments: list[dt.datetime] = []
    for task in (phase, *project.descendants(phase)):
        moment = task.actual_start or task.actual_finish
        if moment is None and task.percent_complete > 0:
            moment = task.start or dt.datetime.max  # started, when unknown
        if moment is not None:
            moments.append(moment)
    return min(moments) if moments else None


def _started_task(project: Project, phase: Task) -> Task | None:
    for task in (phase, *project.descendants(phase)):
        if task.actual_start or task.actual_finish or task.percent_complete > 0:
            return task
    return None


def _lower_bound(project: Project, layout: _Layout, gate: str) -> tuple[dt.date, str] | None:
    """The day before which a review of ``gate`` cannot have happened, and why."""
    before = layout.phase_before(gate)
    if before is not None:
        started = _first_start(project, before)
        if started is not None and started != dt.datetime.max:
            return started.date(), f"phase {before.name!r} started on {started.date()}"
    if project.start is not None:
        return project.start.date(), f"the project starts on {project.start.date()}"
    return None


def record_review(project: Project, review: GateReview) -> GateReview:
    """Check ``review`` against ``project`` and add it to ``project.gate_reviews``.

    >>> import pmcore
    >>> p = pmcore.Project.from_template("phase-gate", name="Demo", start="2027-01-04")
    >>> _ = record_review(p, GateReview(gate="G1", decision="go", date="2027-01-13",
    ...                                 approvers=["Sponsor"]))
    >>> [r.decision.value for r in p.gate_reviews]
    ['go']

    Raises:
        UnknownReferenceError: the project has no milestone for the review's gate.
        ValidationError: the review is dated before the phase the gate closes started (or,
            when it has not started, before the project's start).
    """
    if not isinstance(review, GateReview):
        raise ValidationError(f"expected a GateReview, got {review!r}", entity=project.label,
                              field="gate_reviews")
    layout = _Layout.of(project)
    if review.gate not in layout.gates:
        known = ", ".join(layout.gates) or "none"
        raise UnknownReferenceError(review.gate, kind="gate",
                                    entity=f"{review.label} (gates of {project.label}: {known})",
                                    field="gate")
    bound = _lower_bound(project, layout, review.gate)
    if bound is not None and review.date < bound[0]:
        raise ValidationError(f"is before {bound[1]}", entity=review.label, field="date")
    project.gate_reviews = (*project.gate_reviews, review)
    return review


def check(project: Project, reviews: Iterable[GateReview] | None = None) -> GateCheck:
    """Where each phase of ``project`` stands against its gate, and what breaks the rules.

    ``reviews`` defaults to ``project.gate_reviews``. A gate is passed when its latest review
    (by date; the one recorded last on a tie) says go. Problems, reported and not raised:

    * ``gate-not-passed`` (warning): work in a phase has started (an actual start or finish,
      or a percent complete) but the phase's gate is not passed;
    * ``started-before-gate`` (warning): the gate was passed, but work started before the go;
    * ``phase-without-gate`` (error): a phase after the first has no gate;
    * ``unknown-gate`` (error): a phase or a review names a gate the project has no milestone
      for;
    * ``review-before-phase`` (error): a review is dated before the phase it closes started.

    A project without phase summary tasks (no ``"pmcore.phase"`` field) has nothing to check.
    The two violations are warnings, so a plan that breaks governance still loads and
    schedules; the broken references are errors, as elsewhere in pmcore.
    """
    all_reviews = tuple(project.gate_reviews if reviews is None else reviews)
    layout = _Layout.of(project)
    problems: list[Problem] = []
    latest: dict[str, GateReview] = {}
    for decided in sorted(all_reviews, key=lambda r: r.date):  # stable: ties keep their order
        latest[decided.gate] = decided
        if decided.gate not in layout.gates:
            problems.append(Problem(UnknownReferenceError(decided.gate, kind="gate",
                                                          entity=decided.label, field="gate"),
                                    code="unknown-gate"))
            continue
        bound = _lower_bound(project, layout, decided.gate)
        if bound is not None and decided.date < bound[0]:
            problems.append(Problem(ValidationError(f"is before {bound[1]}",
                                                    entity=decided.label, field="date"),
                                    code="review-before-phase"))
    statuses: list[PhaseStatus] = []
    for index, phase in enumerate(layout.phases):
        gate = phase.custom_fields.get(ENTRY_GATE_FIELD)
        gate_key = gate if isinstance(gate, str) else None
        label = f"phase {phase.name!r} ({phase.id})"
        if gate_key is None and index:
            problems.append(Problem(ValidationError(
                f"has no gate between it and phase {layout.phases[index - 1].name!r}",
                entity=label, field=ENTRY_GATE_FIELD), code="phase-without-gate"))
        elif gate_key is not None and gate_key not in layout.gates:
            problems.append(Problem(UnknownReferenceError(
                gate_key, kind="gate", entity=label, field=ENTRY_GATE_FIELD),
                code="unknown-gate"))
        review = latest.get(gate_key) if gate_key is not None else None
        started = _first_start(project, phase)
        violation: str | None = None
        if started is not None and gate_key is not None:
            first = _started_task(project, phase)
            where = "" if first is None else f" ({first.label})"
            if review is None or not review.passed:
                state = "it has not been reviewed" if review is None else \
                    f"its latest decision is {review.decision.value} on {review.date}"
                violation = "gate-not-passed"
                problems.append(Problem(ValidationError(
                    f"work has started{where} but gate {gate_key!r} is not passed: {state}",
                    entity=label, field="gate"), code=violation, severity=Severity.WARNING))
            elif started != dt.datetime.max and started.date() < review.date:
                violation = "started-before-gate"
                problems.append(Problem(ValidationError(
                    f"work started{where} on {started.date()}, before gate {gate_key!r} "
                    f"said go on {review.date}", entity=label, field="gate"),
                    code=violation, severity=Severity.WARNING))
        statuses.append(PhaseStatus(
            phase=str(phase.custom_fields[PHASE_FIELD]), name=phase.name, task=phase.id,
            gate=gate_key, decision=None if review is None else review.decision,
            decided_on=None if review is None else review.date,
            conditions=() if review is None else review.conditions,
            started_on=None if started == dt.datetime.max else started,
            percent_complete=project.rollup(phase).percent_complete
            if project.is_summary(phase) else phase.percent_complete,
            violation=violation))
    return GateCheck(tuple(statuses), tuple(problems))


# ------------------------------------------------------------------------------ the built-in

PHASE_GATE = PhaseGateMethodology(
    name="phase-gate",
    title="Phase-gate (waterfall)",
    description="Initiation, planning, execution and closure, each opened by a gate review "
                "that decides go, hold, recycle or kill.",
    phases=(
        Phase(key="initiate", name="Initiation",
              deliverables=[("Project charter", "5d"), ("Stakeholder register", "3d")],
              exit_criteria=["Charter signed by the sponsor"]),
        Phase(key="plan", name="Planning",
              deliverables=[("Requirements specification", "10d"),
                            ("Project management plan", "5d")],
              entry_criteria=["Project manager assigned"],
              exit_criteria=["Scope, schedule and cost baselines approved"],
              gate=Gate(key="G1", name="Approve initiation",
                        criteria=["Business case is viable"], approvers=["Sponsor"])),
        Phase(key="execute", name="Execution",
              deliverables=[("Solution build", "20d"), ("Acceptance testing", "10d")],
              entry_criteria=["Team and budget committed"],
              exit_criteria=["Acceptance criteria met"],
              gate=Gate(key="G2", name="Approve plan",
                        criteria=["Risks have owners and responses"],
                        approvers=["Sponsor", "PMO"])),
        Phase(key="close", name="Closure",
              deliverables=[("Handover", "5d"), ("Lessons learned", "2d"),
                            ("Project closed", "0d")],
              exit_criteria=["Contracts closed"],
              gate=Gate(key="G3", name="Accept solution",
                        criteria=["Operations ready to take over"],
                        approvers=["Sponsor", "Operations"])),
    ),
    metrics=(Metric(name="gate-status", description="each phase's gate decision, start and "
                    "percent complete, and work started without a passed gate",
                    compute=check),),
)
"""The built-in phase-gate methodology: four phases of 8, 15, 30 and 7 working days, three
gates between them."""
