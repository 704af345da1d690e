"""The risk register: the aggregate that owns a project's risks, their history and the issue log.

Every change goes through a method of :class:`RiskRegister`, dated by the caller (pmcore
never reads the clock), checked against the lifecycle (:data:`~pmcore.model.risk.TRANSITIONS`)
and recorded as a :class:`RiskChange` holding the risk as it became. From that history the
register answers what the risks were on any past date, which gives the exposure trend over
review dates (:meth:`RiskRegister.trend`). A risk that occurs opens an :class:`Issue`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import attrs

from pmcore.errors import UnknownReferenceError, ValidationError
from pmcore.model.base import check_id, to_date, to_enum
from pmcore.model.duration import Duration, to_duration
from pmcore.model.resource import to_money
from pmcore.model.risk import (
    DEFAULT_ESCALATION_PATH,
    TRANSITIONS,
    Appetite,
    Assessment,
    ProbabilityImpactMatrix,
    ResponseAction,
    Risk,
    RiskBreakdownStructure,
    RiskKind,
    RiskResponse,
    RiskStatus,
)

__all__ = [
    "ChangeAction",
    "Issue",
    "IssueLog",
    "IssueStatus",
    "RiskChange",
    "RiskHistory",
    "RiskRegister",
    "RiskTrend",
    "TrendPoint",
]

RiskRef = Risk | str
"""A risk or its id."""


class ChangeAction(enum.Enum):
    """What a history entry records."""

    ADDED = "added"
    UPDATED = "updated"
    TRANSITIONED = "transitioned"
    ESCALATED = "escalated"


def _to_change_date(value: Any) -> dt.date:
    return to_date(value)


def _to_action(value: Any) -> ChangeAction:
    return to_enum(ChangeAction, value, entity="history", field="action")


@attrs.frozen(kw_only=True)
class RiskChange:
    """One entry of the register's history.

    Attributes:
        on: the date of the change, as the caller gave it.
        risk_id: the risk changed.
        action: added, updated, transitioned (status changed) or escalated.
        from_status, to_status: the status before and after (equal unless transitioned;
            ``from_status`` is ``None`` when the risk was added).
        changed: the names of the fields that changed.
        note: the reason given.
        risk: the risk as it was after the change.
    """

    on: dt.date = attrs.field(converter=_to_change_date)
    risk_id: str
    action: ChangeAction = attrs.field(converter=_to_action)
    from_status: RiskStatus | None = None
    to_status: RiskStatus
    changed: tuple[str, ...] = ()
    note: str = ""
    risk: Risk


@attrs.frozen(repr=False)
class RiskHistory:
    """The register's changes in the order they were recorded."""

    changes: tuple[RiskChange, ...]

    def __repr__(self) -> str:
        span = f", {self.changes[0].on} to {self.changes[-1].on}" if self.changes else ""
        return f"RiskHistory(changes={len(self.changes)}{span})"

    def __iter__(self) -> Iterator[RiskChange]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def of(self, risk: RiskRef) -> RiskHistory:
        """The changes of one risk."""
        key = risk.id if isinstance(risk, Risk) else risk
        return RiskHistory(tuple(c for c in self.changes if c.risk_id == key))

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per change, for ``pandas.DataFrame``."""
        return [{"on": c.on, "risk_id": c.risk_id, "action": c.action.value,
                 "from_status": c.from_status.value if c.from_status else None,
                 "to_status": c.to_status.value, "changed": ", ".join(c.changed),
                 "note": c.note} for c in self.changes]


class IssueStatus(enum.Enum):
    """Whether an issue is still being dealt with."""

    OPEN = "open"
    RESOLVED = "resolved"


def _date(value: Any, entity: str, field: str) -> dt.date:
    try:
        return to_date(value)
    except ValidationError as exc:
        raise ValidationError(exc.reason, entity=entity, field=field) from None


def _to_raised_on(value: Any) -> dt.date:
    return _date(value, "issue", "raised_on")


def _to_resolved_on(value: Any) -> dt.date | None:
    return None if value is None else _date(value, "issue", "resolved_on")


def _to_issue_delay(value: Any) -> Duration | None:
    return None if value is None else to_duration(value)


def _to_issue_cost(value: Any) -> Decimal | None:
    return None if value is None else to_money(value, entity="issue", field="cost_impact")


def _to_issue_status(value: Any) -> IssueStatus:
    return to_enum(IssueStatus, value, entity="issue", field="status")


@attrs.frozen(kw_only=True)
class Issue:
    """An entry of the issue log: a risk that occurred, and what is done about it.

    Attributes:
        id: ``"ISSUE-1"``, ``"ISSUE-2"``, ... in the order they were raised.
        risk_id: the risk that occurred.
        title, owner: taken from the risk when it occurred.
        raised_on: the day the risk occurred.
        description: what happened.
        schedule_impact, cost_impact: the actual delay and cost, when known.
        status: open until resolved.
        resolved_on, resolution: when and how it was resolved.
    """

    id: str
    risk_id: str
    title: str
    raised_on: dt.date = attrs.field(converter=_to_raised_on)
    owner: str = ""
    description: str = ""
    schedule_impact: Duration | None = attrs.field(default=None, converter=_to_issue_delay)
    cost_impact: Decimal | None = attrs.field(default=None, converter=_to_issue_cost)
    status: IssueStatus = attrs.field(default=IssueStatus.OPEN, converter=_to_issue_status)
    resolved_on: dt.date | None = attrs.field(default=None, converter=_to_resolved_on)
    resolution: str = ""

    def __attrs_post_init__(self) -> None:
        check_id("issue", "id", self.id)
        if (self.status is IssueStatus.RESOLVED) != (self.resolved_on is not None):
            raise ValidationError("a resolved issue has a resolved_on date, an open one none",
                                  entity=f"issue {self.id!r}", field="resolved_on")
        if self.resolved_on is not None and self.resolved_on < self.raised_on:
            raise ValidationError(f"resolved on {self.resolved_on} before it was raised on "
                                  f"{self.raised_on}", entity=f"issue {self.id!r}",
                                  field="resolved_on")


@attrs.frozen(repr=False)
class IssueLog:
    """The issue log: every risk that occurred, open issues first then resolved ones."""

    issues: tuple[Issue, ...]

    def __repr__(self) -> str:
        return f"IssueLog(issues={len(self.issues)}, open={len(self.open)})"

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def open(self) -> tuple[Issue, ...]:
        """The issues not yet resolved."""
        return tuple(i for i in self.issues if i.status is IssueStatus.OPEN)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per issue, for ``pandas.DataFrame``."""
        return [{"id": i.id, "risk_id": i.risk_id, "title": i.title, "owner": i.owner,
                 "raised_on": i.raised_on, "status": i.status.value,
                 "description": i.description,
                 "schedule_impact": None if i.schedule_impact is None else str(i.schedule_impact),
                 "cost_impact": i.cost_impact, "resolved_on": i.resolved_on,
                 "resolution": i.resolution} for i in self.issues]


@attrs.frozen
class TrendPoint:
    """The register's open risks on one date, summed.

    Attributes:
        on: the date.
        open_risks: how many risks were open (neither closed nor occurred).
        threat_exposure: the sum of probability x cost impact over open threats.
        opportunity_exposure: the same over open opportunities.
        net_emv: ``opportunity_exposure - threat_exposure`` (the register's EMV).
        schedule_exposure: the sum of probability x schedule impact over open threats, in
            days.
    """

    on: dt.date
    open_risks: int
    threat_exposure: Decimal
    opportunity_exposure: Decimal
    net_emv: Decimal
    schedule_exposure: float


@attrs.frozen(repr=False)
class RiskTrend:
    """Total exposure per review date: the data of a risk burndown chart."""

    points: tuple[TrendPoint, ...]
    residual: bool = False

    def __repr__(self) -> str:
        exposures = ", ".join(f"{p.on}: {p.threat_exposure}" for p in self.points)
        return f"RiskTrend(threat_exposure={{{exposures}}})"

    def __iter__(self) -> Iterator[TrendPoint]:
        return iter(self.points)

    def __len__(self) -> int:
        return len(self.points)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per date, for ``pandas.DataFrame`` (plot ``threat_exposure``)."""
        return [attrs.asdict(p) for p in self.points]


def _to_path(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(f"must be a list of names, got {value!r}", entity="risk register",
                              field="escalation_path")
    path = tuple(value)
    if len(path) < 2 or not all(isinstance(n, str) and n for n in path):
        raise ValidationError(f"needs at least two names (the owner and someone above), got "
                              f"{list(path)!r}", entity="risk register", field="escalation_path")
    return path


def _to_appetite(value: Any) -> tuple[Appetite, ...]:
    if isinstance(value, Appetite):
        return (value,)
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(f"must be a list of Appetite, got {value!r}",
                              entity="risk register", field="appetite")
    items = tuple(value)
    for item in items:
        if not isinstance(item, Appetite):
            raise ValidationError(f"must be a list of Appetite, got {item!r}",
                                  entity="risk register", field="appetite")
    return items


# Fields that only the register's own methods change.
_MANAGED = frozenset({"id", "status", "escalation_level"})


@attrs.define(kw_only=True, eq=False, repr=False)
class RiskRegister:
    """A project's risks and opportunities, their history and the issue log.

    >>> register = RiskRegister()
    >>> risk = register.add("Vendor delivers late", on="2027-01-04", category="3.3",
    ...                     probability=0.3, impacts={"cost": "40000", "schedule": "10d"})
    >>> register.transition(risk, "assessed", on="2027-01-11").status
    <RiskStatus.ASSESSED: 'assessed'>
    >>> [c.action.value for c in register.history]
    ['added', 'transitioned']

    Attributes:
        rbs: the risk breakdown structure categories come from (PMBOK's sample by default;
            an empty one allows any category code).
        matrix: the probability-impact matrix risks are scored on (5x5 by default).
        appetite: the escalation thresholds, per category and for the whole register.
        escalation_path: who handles a risk at each level, the owner first.
    """

    rbs: RiskBreakdownStructure = attrs.field(factory=RiskBreakdownStructure.pmbok)
    matrix: ProbabilityImpactMatrix = attrs.field(
        factory=ProbabilityImpactMatrix.five_by_five)
    appetite: tuple[Appetite, ...] = attrs.field(default=(), converter=_to_appetite)
    escalation_path: tuple[str, ...] = attrs.field(default=DEFAULT_ESCALATION_PATH,
                                                   converter=_to_path)

    _risks: dict[str, Risk] = attrs.field(init=False, factory=dict)
    _history: list[RiskChange] = attrs.field(init=False, factory=list)
    _issues: dict[str, Issue] = attrs.field(init=False, factory=dict)
    _reviews: list[dt.date] = attrs.field(init=False, factory=list)

    @rbs.validator
    def _check_rbs(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, RiskBreakdownStructure):
            raise ValidationError(f"must be a RiskBreakdownStructure, got {value!r}",
                                  entity="risk register", field="rbs")

    @matrix.validator
    def _check_matrix(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, ProbabilityImpactMatrix):
            raise ValidationError(f"must be a ProbabilityImpactMatrix, got {value!r}",
                                  entity="risk register", field="matrix")

    def __attrs_post_init__(self) -> None:
        self._check_appetite(self.appetite)

    def _check_appetite(self, appetite: tuple[Appetite, ...]) -> None:
        seen: set[str | None] = set()
        for item in appetite:
            where = f"appetite for {item.category or 'the register'}"
            if item.category in seen:
                raise ValidationError("is given twice", entity=where, field="category")
            seen.add(item.category)
            if item.category is not None and len(self.rbs) and item.category not in self.rbs:
                raise UnknownReferenceError(item.category, kind="risk category", entity=where,
                                            field="category")
            for field, limits in (("score_limits", item.score_limits),
                                  ("exposure_limits", item.exposure_limits)):
                if len(limits) > len(self.escalation_path) - 1:
                    raise ValidationError(
                        f"has {len(limits)} limits but the escalation path has only "
                        f"{len(self.escalation_path) - 1} levels above the owner",
                        entity=where, field=field)

    def set_appetite(self, *appetite: Appetite) -> None:
        """Replace the appetite thresholds (checked against the RBS and the path)."""
        items = _to_appetite(appetite)
        self._check_appetite(items)
        self.appetite = items

    def appetite_for(self, category: str | None) -> Appetite | None:
        """The appetite that applies to a category: its own, else its nearest ancestor's,
        else the register-wide one (``category=None``), else none."""
        by_category = {a.category: a for a in self.appetite}
        if category is not None:
            chain = [c.code for c in reversed(self.rbs.path(category))] \
                if category in self.rbs else [category]
            for code in chain:
                if code in by_category:
                    return by_category[code]
        return by_category.get(None)

    # ------------------------------------------------------------------ reading

    @property
    def risks(self) -> tuple[Risk, ...]:
        """Every risk, in the order they were added."""
        return tuple(self._risks.values())

    @property
    def open_risks(self) -> tuple[Risk, ...]:
        """The risks neither closed nor occurred: those a simulation should draw."""
        return tuple(r for r in self._risks.values() if r.is_open)

    def due_for_review(self, on: dt.date | str) -> tuple[Risk, ...]:
        """The open risks whose review date is ``on`` or earlier, soonest first: the agenda
        of a review meeting held that day."""
        day = _date(on, "risk register", "due_for_review")
        due = [r for r in self._risks.values()
               if r.is_open and r.review_on is not None and r.review_on <= day]
        return tuple(sorted(due, key=lambda r: r.review_on or day))

    def actions_due(self, on: dt.date | str) -> tuple[tuple[Risk, ResponseAction], ...]:
        """The response actions not done whose due date is ``on`` or earlier, with their
        open risks, soonest first: what to chase at a review."""
        day = _date(on, "risk register", "actions_due")
        due = [(r, a) for r in self._risks.values() if r.is_open for response in r.responses
               for a in response.actions if not a.done and a.due is not None and a.due <= day]
        return tuple(sorted(due, key=lambda item: item[1].due or day))

    def approaching(self, on: dt.date | str, within: int) -> tuple[Risk, ...]:
        """The open risks whose proximity (when they could happen) falls from ``on`` to
        ``within`` days later, soonest first."""
        day = _date(on, "risk register", "approaching")
        until = day + dt.timedelta(days=within)
        near = [r for r in self._risks.values()
                if r.is_open and r.proximity is not None and day <= r.proximity <= until]
        return tuple(sorted(near, key=lambda r: r.proximity or day))

    @property
    def threats(self) -> tuple[Risk, ...]:
        """The threats, in order."""
        return tuple(r for r in self._risks.values() if r.kind is RiskKind.THREAT)

    @property
    def opportunities(self) -> tuple[Risk, ...]:
        """The opportunities, in order."""
        return tuple(r for r in self._risks.values() if r.kind is RiskKind.OPPORTUNITY)

    def __iter__(self) -> Iterator[Risk]:
        return iter(self.risks)

    def __len__(self) -> int:
        return len(self._risks)

    def __contains__(self, item: object) -> bool:
        key = item.id if isinstance(item, Risk) else item
        return isinstance(key, str) and key in self._risks

    def __getitem__(self, risk: RiskRef) -> Risk:
        return self.risk(risk)

    def risk(self, risk: RiskRef) -> Risk:
        """The current version of a risk, by id (or from an older copy of it).

        Raises:
            UnknownReferenceError: no such risk.
        """
        key = risk.id if isinstance(risk, Risk) else risk
        found = self._risks.get(key) if isinstance(key, str) else None
        if found is None:
            raise UnknownReferenceError(str(key), kind="risk", entity="risk register")
        return found

    def secondary_risks(self, risk: RiskRef) -> tuple[Risk, ...]:
        """The risks that responses to ``risk`` gave rise to."""
        key = self.risk(risk).id
        return tuple(r for r in self._risks.values() if r.secondary_of == key)

    @property
    def history(self) -> RiskHistory:
        """Every change, in the order recorded."""
        return RiskHistory(tuple(self._history))

    @property
    def issues(self) -> IssueLog:
        """The issue log: open issues first, each group in the order raised."""
        ordered = sorted(self._issues.values(), key=lambda i: i.status is IssueStatus.RESOLVED)
        return IssueLog(tuple(ordered))

    def issue(self, issue: Issue | str) -> Issue:
        """An issue by id."""
        key = issue.id if isinstance(issue, Issue) else issue
        found = self._issues.get(key) if isinstance(key, str) else None
        if found is None:
            raise UnknownReferenceError(str(key), kind="issue", entity="risk register")
        return found

    @property
    def reviews(self) -> tuple[dt.date, ...]:
        """The dates the register was reviewed, in order."""
        return tuple(self._reviews)

    # ------------------------------------------------------------------ changing

    def add(self, risk: Risk | str, *, on: dt.date | str | None = None,
            note: str = "", **fields: Any) -> Risk:
        """Add a risk (a :class:`Risk`, or a title and :class:`Risk` fields) and return it.

        Ids default to ``RISK-1``, ``RISK-2``, .... ``probability`` and ``impacts`` build
        the pre-response :class:`Assessment`. The change is dated ``on``, by default the
        risk's ``identified_on`` (which ``on`` also sets when it is missing).

        Raises:
            ValidationError: the id is taken, no date is given, or a field is invalid.
            UnknownReferenceError: the category is not in the RBS, or ``secondary_of``
                names no risk.
        """
        if isinstance(risk, Risk):
            if fields:
                risk = attrs.evolve(risk, **self._fields(risk.label, fields))
        else:
            fields = self._fields(f"risk {risk!r}", fields)
            fields.setdefault("id", self._new_id())
            risk = Risk(title=risk, **fields)
        if risk.id in self._risks:
            raise ValidationError(f"id {risk.id!r} is already used by another risk",
                                  entity=risk.label, field="id")
        day = risk.identified_on if on is None else _date(on, risk.label, "on")
        if day is None:
            raise ValidationError("needs a date: give on= or identified_on", entity=risk.label,
                                  field="identified_on")
        if risk.identified_on is None:
            risk = attrs.evolve(risk, identified_on=day)
        self._check_references(risk)
        self._risks[risk.id] = risk
        self._record(day, ChangeAction.ADDED, None, risk, (), note)
        return risk

    def update(self, risk: RiskRef, *, on: dt.date | str, note: str = "",
               **changes: Any) -> Risk:
        """Change fields of a risk and return its new version.

        ``probability`` and ``impacts`` change the pre-response assessment (the other of the
        two is kept). The status changes through :meth:`transition`, never here.

        Raises:
            ValidationError: a field is managed by the register, or a value is invalid.
        """
        current = self.risk(risk)
        managed = sorted(set(changes) & _MANAGED)
        if managed:
            hint = " (use transition)" if "status" in managed else ""
            raise ValidationError(f"{', '.join(managed)} cannot be changed by update{hint}",
                                  entity=current.label)
        return self._change(current, _date(on, current.label, "on"), ChangeAction.UPDATED,
                            self._fields(current.label, changes, current), note)

    def transition(self, risk: RiskRef, status: RiskStatus | str, *, on: dt.date | str,
                   note: str = "", **changes: Any) -> Risk:
        """Move a risk to another status (after applying ``changes``, as :meth:`update`).

        A risk is *assessed* only once it has an assessment, and its response *planned* or
        *in progress* only once it has a response. Moving to *occurred* opens an issue with
        the risk's title and owner (see :meth:`occurred` to say what happened).

        Raises:
            ValidationError: the move is not in :data:`~pmcore.model.risk.TRANSITIONS`, or
                the risk lacks what the new status needs.
        """
        current = self.risk(risk)
        target = to_enum(RiskStatus, status, entity=current.label, field="status")
        day = _date(on, current.label, "on")
        if target not in TRANSITIONS[current.status]:
            allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current.status])) or "none"
            raise ValidationError(f"cannot move from {current.status.value!r} to "
                                  f"{target.value!r} (allowed: {allowed})",
                                  entity=current.label, field="status")
        managed = sorted(set(changes) & _MANAGED)
        if managed:
            raise ValidationError(f"{', '.join(managed)} cannot be changed here",
                                  entity=current.label)
        fields = self._fields(current.label, changes, current)
        candidate = attrs.evolve(current, **fields)
        if target is RiskStatus.ASSESSED and (candidate.assessment is None
                                              or candidate.assessment.is_empty):
            raise ValidationError("cannot be assessed without a probability or an impact",
                                  entity=current.label, field="assessment")
        if target in (RiskStatus.RESPONSE_PLANNED, RiskStatus.IN_PROGRESS) \
                and not candidate.responses:
            raise ValidationError(f"cannot be {target.value.replace('_', ' ')} without a "
                                  "response", entity=current.label, field="responses")
        self._check_chronology(current, day)
        fields["status"] = target
        new = self._change(current, day, ChangeAction.TRANSITIONED, fields, note)
        if target is RiskStatus.OCCURRED:
            self._open_issue(new, day, "", None, None)
        return new

    def close(self, risk: RiskRef, *, on: dt.date | str, note: str = "") -> Risk:
        """Close a risk (it expired, was avoided, or its issue is over)."""
        return self.transition(risk, RiskStatus.CLOSED, on=on, note=note)

    def occurred(self, risk: RiskRef, *, on: dt.date | str, description: str = "",
                 schedule_impact: Duration | str | None = None,
                 cost_impact: Decimal | str | int | None = None) -> Issue:
        """Record that a risk happened: its status becomes *occurred* and an issue is opened
        with what happened and, when known, the actual delay and cost."""
        current = self.risk(risk)
        day = _date(on, current.label, "on")
        if RiskStatus.OCCURRED not in TRANSITIONS[current.status]:
            raise ValidationError(f"cannot occur once {current.status.value}",
                                  entity=current.label, field="status")
        self._check_chronology(current, day)
        # The issue is built first, so bad impacts leave the register unchanged.
        issue = Issue(id=self._new_issue_id(), risk_id=current.id, title=current.title,
                      owner=current.owner, raised_on=day, description=description,
                      schedule_impact=schedule_impact, cost_impact=cost_impact)
        self._change(current, day, ChangeAction.TRANSITIONED,
                     {"status": RiskStatus.OCCURRED}, description)
        self._issues[issue.id] = issue
        return issue

    def resolve_issue(self, issue: Issue | str, *, on: dt.date | str,
                      resolution: str = "") -> Issue:
        """Mark an issue resolved."""
        current = self.issue(issue)
        if current.status is IssueStatus.RESOLVED:
            raise ValidationError(f"was resolved on {current.resolved_on}",
                                  entity=f"issue {current.id!r}", field="status")
        resolved = attrs.evolve(current, status=IssueStatus.RESOLVED,
                                resolved_on=_date(on, f"issue {current.id!r}", "on"),
                                resolution=resolution)
        self._issues[resolved.id] = resolved
        return resolved

    def add_response(self, risk: RiskRef, response: RiskResponse, *, on: dt.date | str,
                     note: str = "") -> Risk:
        """Add a response to a risk's responses."""
        current = self.risk(risk)
        return self.update(current, on=on, note=note,
                           responses=(*current.responses, response))

    def escalate(self, risk: RiskRef, level: int, *, on: dt.date | str,
                 note: str = "") -> Risk:
        """Record the escalation level a risk has reached (used by
        :func:`pmcore.risk.check_appetite`, which also tells the plugins)."""
        current = self.risk(risk)
        if isinstance(level, bool) or not isinstance(level, int) \
                or not 0 <= level < len(self.escalation_path):
            raise ValidationError(f"must be from 0 to {len(self.escalation_path) - 1}, got "
                                  f"{level!r}", entity=current.label, field="escalation_level")
        return self._change(current, _date(on, current.label, "on"), ChangeAction.ESCALATED,
                            {"escalation_level": level}, note)

    def review(self, on: dt.date | str) -> None:
        """Record a review of the register on ``on``: one of the dates of :meth:`trend`."""
        day = _date(on, "risk register", "review")
        if day not in self._reviews:
            self._reviews.append(day)
            self._reviews.sort()

    # ------------------------------------------------------------------ the past

    def as_of(self, day: dt.date | str) -> tuple[Risk, ...]:
        """The risks as they were at the end of ``day``, replayed from the history.

        A risk without history (read from a file that has none) counts from its
        ``identified_on`` date, as it is now.
        """
        when = _date(day, "risk register", "as_of")
        state: dict[str, Risk] = {}
        for change in self._history:
            if change.on <= when:
                state[change.risk_id] = change.risk
        recorded = {c.risk_id for c in self._history}  # (once, not a scan of it per risk)
        for risk in self._risks.values():
            if risk.id not in recorded \
                    and (risk.identified_on is None or risk.identified_on <= when):
                state[risk.id] = risk
        return tuple(state[r] for r in self._risks if r in state)

    def trend(self, dates: Sequence[dt.date | str] | None = None, *,
              residual: bool = False) -> RiskTrend:
        """Total exposure of the open risks on each date (by default each review date).

        Exposure is probability x impact of the pre-response assessment, or with
        ``residual=True`` of the residual one where a risk has it.
        """
        days = list(self._reviews) if dates is None else \
            sorted({_date(d, "risk register", "trend") for d in dates})
        points = []
        for day in days:
            threats = opportunities = Decimal(0)
            schedule = 0.0
            count = 0
            for risk in self.as_of(day):
                if not risk.is_open:
                    continue
                count += 1
                assessment = risk.current(residual)
                if risk.kind is RiskKind.THREAT:
                    threats += risk.exposure(residual)
                    schedule += assessment.probability * assessment.schedule.to_days()
                else:
                    opportunities += risk.exposure(residual)
            points.append(TrendPoint(day, count, threats, opportunities,
                                     opportunities - threats, schedule))
        return RiskTrend(tuple(points), residual)

    # ------------------------------------------------------------------ records

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per risk, for ``pandas.DataFrame``."""
        records = []
        for r in self._risks.values():
            category = self.rbs.category(r.category).name \
                if r.category is not None and r.category in self.rbs else None
            records.append({
                "id": r.id, "title": r.title, "kind": r.kind.value, "status": r.status.value,
                "category": r.category, "category_name": category, "owner": r.owner,
                "probability": r.probability, "schedule_impact": str(r.schedule_impact),
                "cost_impact": r.cost_impact, "emv": r.emv(),
                "residual_probability": r.residual.probability if r.residual else None,
                "residual_emv": r.emv(residual=True) if r.residual else None,
                "responses": ", ".join(s.strategy.value for s in r.responses),
                "response_cost": r.response_cost,
                "response_benefit": r.response_benefit(),
                "linked_tasks": ", ".join(r.linked_tasks), "identified_on": r.identified_on,
                "proximity": r.proximity, "review_on": r.review_on,
                "escalation_level": r.escalation_level,
                "description": r.description})
        return records

    # ------------------------------------------------------------------ internals

    def _new_id(self) -> str:
        number = len(self._risks) + 1
        while f"RISK-{number}" in self._risks:
            number += 1
        return f"RISK-{number}"

    def _new_issue_id(self) -> str:
        number = len(self._issues) + 1
        while f"ISSUE-{number}" in self._issues:
            number += 1
        return f"ISSUE-{number}"

    @staticmethod
    def _fields(label: str, fields: dict[str, Any], current: Risk | None = None,
                ) -> dict[str, Any]:
        fields = dict(fields)
        if "probability" in fields or "impacts" in fields:
            if "assessment" in fields:
                raise ValidationError("give an assessment, or probability and impacts, not "
                                      "both", entity=label, field="assessment")
            base = current.assessment if current is not None and current.assessment else None
            values: dict[str, Any] = {"probability": base.probability if base else 0.0,
                                      "impacts": base.impacts if base else {}}
            for key in ("probability", "impacts"):
                if key in fields:
                    values[key] = fields.pop(key)
            try:
                fields["assessment"] = Assessment(**values)
            except ValidationError as exc:
                raise ValidationError(exc.reason, entity=label, field=exc.field) from None
        return fields

    def _check_references(self, risk: Risk) -> None:
        if risk.category is not None and len(self.rbs) and risk.category not in self.rbs:
            raise UnknownReferenceError(risk.category, kind="risk category", entity=risk.label,
                                        field="category")
        if risk.secondary_of is not None and risk.secondary_of not in self._risks:
            raise UnknownReferenceError(risk.secondary_of, kind="risk", entity=risk.label,
                                        field="secondary_of")

    def _check_chronology(self, risk: Risk, day: dt.date) -> None:
        last = next((c.on for c in reversed(self._history) if c.risk_id == risk.id), None)
        if last is not None and day < last:
            raise ValidationError(f"a change on {day} cannot come before the last one, on "
                                  f"{last}", entity=risk.label, field="on")

    def _change(self, current: Risk, day: dt.date, action: ChangeAction,
                fields: dict[str, Any], note: str) -> Risk:
        self._check_chronology(current, day)
        new = attrs.evolve(current, **fields)
        changed = tuple(a.name for a in attrs.fields(Risk)
                        if getattr(new, a.name) != getattr(current, a.name))
        if not changed:
            return current
        if "category" in changed or "secondary_of" in changed:
            self._check_references(new)
        self._risks[new.id] = new
        self._record(day, action, current.status, new, changed, note)
        return new

    def _record(self, day: dt.date, action: ChangeAction, before: RiskStatus | None,
                risk: Risk, changed: tuple[str, ...], note: str) -> None:
        self._history.append(RiskChange(on=day, risk_id=risk.id, action=action,
                                        from_status=before, to_status=risk.status,
                                        changed=changed, note=note, risk=risk))

    def _open_issue(self, risk: Risk, day: dt.date, description: str,
                    schedule_impact: Duration | None, cost_impact: Decimal | None) -> Issue:
        issue = Issue(id=self._new_issue_id(), risk_id=risk.id, title=risk.title,
                      owner=risk.owner, raised_on=day, description=description,
                      schedule_impact=schedule_impact, cost_impact=cost_impact)
        self._issues[issue.id] = issue
        return issue

    # ------------------------------------------------------------------ files and comparison

    @classmethod
    def restore(cls, *, risks: Iterable[Risk] = (), history: Iterable[RiskChange] = (),
                issues: Iterable[Issue] = (), reviews: Iterable[dt.date] = (),
                **config: Any) -> RiskRegister:
        """Rebuild a register from stored parts, as readers do; only duplicate ids are
        refused. Categories, secondary risks and linked tasks are checked by validation."""
        register = cls(**config)
        for risk in risks:
            if risk.id in register._risks:
                raise ValidationError(f"id {risk.id!r} is used by two risks",
                                      entity=f"risk {risk.id!r}", field="id")
            register._risks[risk.id] = risk
        register._history = list(history)
        for issue in issues:
            if issue.id in register._issues:
                raise ValidationError(f"id {issue.id!r} is used by two issues",
                                      entity=f"issue {issue.id!r}", field="id")
            register._issues[issue.id] = issue
        register._reviews = sorted(set(reviews))
        return register

    def _content(self) -> tuple[Any, ...]:
        return (self.rbs, self.matrix, self.appetite, self.escalation_path, self.risks,
                tuple(self._history), tuple(self._issues.values()), self.reviews)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RiskRegister):
            return NotImplemented
        return self._content() == other._content()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"RiskRegister(risks={len(self._risks)}, open={len(self.open_risks)}, "
                f"issues={len(self._issues)}, reviews={len(self._reviews)})")
