"""Risks and opportunities, as a PMO's risk register records them (PMBOK, ISO 31000).

A :class:`Risk` is an uncertain event described as cause, event and effect, filed under a
category of a :class:`RiskBreakdownStructure`, with an owner, a status in a fixed lifecycle
(:data:`TRANSITIONS`), dates, triggers, a pre-response :class:`Assessment` (probability and an
:class:`Impact` per :class:`ImpactDimension`), planned :class:`Response` s and a residual
(post-response) assessment. A threat's impact hurts the project; an opportunity's helps it.

Impacts have a qualitative level (1 = the lowest column of the probability-impact matrix) and,
where it can be measured, a quantitative value: a :class:`~pmcore.model.Duration` for the
schedule, money (``Decimal``) for the cost, and a number in the organisation's own unit for
scope, quality and reputation. Values are magnitudes (never negative); the risk's
:attr:`Risk.kind` says whether they are lost or gained.

The register that holds risks, their history and the issue log is
:class:`pmcore.model.risk_register.RiskRegister`; scoring, heat maps and escalation are in
:mod:`pmcore.risk`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import math
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from pmcore.errors import CycleError, UnknownReferenceError, ValidationError
from pmcore.model.base import check_id, check_text, to_date, to_enum
from pmcore.model.duration import Duration, to_duration
from pmcore.model.resource import to_money

__all__ = [
    "DEFAULT_ESCALATION_PATH",
    "MAX_LEVELS",
    "OPPORTUNITY_STRATEGIES",
    "THREAT_STRATEGIES",
    "TRANSITIONS",
    "Appetite",
    "Assessment",
    "Impact",
    "ImpactDimension",
    "ProbabilityImpactMatrix",
    "RbsCategory",
    "ResponseAction",
    "ResponseStrategy",
    "Risk",
    "RiskBreakdownStructure",
    "RiskKind",
    "RiskResponse",
    "RiskStatus",
]


class RiskKind(enum.Enum):
    """Whether a risk threatens the project's objectives or could help them."""

    THREAT = "threat"
    OPPORTUNITY = "opportunity"


class RiskStatus(enum.Enum):
    """Where a risk is in its lifecycle; :data:`TRANSITIONS` says which moves are allowed."""

    IDENTIFIED = "identified"
    """Recorded, not yet analysed."""
    ASSESSED = "assessed"
    """Probability and impacts estimated."""
    RESPONSE_PLANNED = "response_planned"
    """At least one response chosen, not yet carried out."""
    IN_PROGRESS = "in_progress"
    """The response actions are being carried out."""
    CLOSED = "closed"
    """No longer a risk: it expired, was avoided or retired. Final."""
    OCCURRED = "occurred"
    """The event happened; it is tracked as an issue in the register's issue log."""


_S = RiskStatus
TRANSITIONS: Mapping[RiskStatus, frozenset[RiskStatus]] = MappingProxyType({
    _S.IDENTIFIED: frozenset({_S.ASSESSED, _S.CLOSED, _S.OCCURRED}),
    _S.ASSESSED: frozenset({_S.RESPONSE_PLANNED, _S.CLOSED, _S.OCCURRED}),
    # Re-assessing sends a risk back to ASSESSED when its responses no longer fit.
    _S.RESPONSE_PLANNED: frozenset({_S.IN_PROGRESS, _S.ASSESSED, _S.CLOSED, _S.OCCURRED}),
    _S.IN_PROGRESS: frozenset({_S.ASSESSED, _S.CLOSED, _S.OCCURRED}),
    _S.OCCURRED: frozenset({_S.CLOSED}),
    _S.CLOSED: frozenset(),
})
"""The statuses each status may move to. ``CLOSED`` is final: a risk that comes back is
recorded as a new risk. A risk can occur at any time before it is closed."""


class ImpactDimension(enum.Enum):
    """The project objectives a risk can affect."""

    SCHEDULE = "schedule"
    COST = "cost"
    SCOPE = "scope"
    QUALITY = "quality"
    REPUTATION = "reputation"


class ResponseStrategy(enum.Enum):
    """PMBOK's response strategies: five for threats, four for opportunities (accept is both)."""

    AVOID = "avoid"
    MITIGATE = "mitigate"
    TRANSFER = "transfer"
    ACCEPT = "accept"
    ESCALATE = "escalate"
    EXPLOIT = "exploit"
    ENHANCE = "enhance"
    SHARE = "share"


THREAT_STRATEGIES = frozenset({ResponseStrategy.AVOID, ResponseStrategy.MITIGATE,
                               ResponseStrategy.TRANSFER, ResponseStrategy.ACCEPT,
                               ResponseStrategy.ESCALATE})
"""The strategies a threat's response may use."""

OPPORTUNITY_STRATEGIES = frozenset({ResponseStrategy.EXPLOIT, ResponseStrategy.ENHANCE,
                                    ResponseStrategy.SHARE, ResponseStrategy.ACCEPT})
"""The strategies an opportunity's response may use."""

MAX_LEVELS = 10
"""The most levels a probability-impact matrix has each way, and so the highest impact level."""

DEFAULT_ESCALATION_PATH: tuple[str, ...] = ("owner", "project manager", "PMO", "sponsor")
"""Who handles a risk at each escalation level: level 0 is the risk's owner."""


# ---------------------------------------------------------------------------- small helpers


def _text(entity: str, field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"must be text, got {value!r}", entity=entity, field=field)
    return value


def _texts(entity: str, field: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(f"must be a list of text, got {value!r}", entity=entity,
                              field=field)
    items = tuple(value)
    for item in items:
        _text(entity, field, item)
    return items


def _optional_date(entity: str, field: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        return to_date(value)
    except ValidationError as exc:
        raise ValidationError(exc.reason, entity=entity, field=field) from None


def _probability(entity: str, field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValidationError(f"must be a number from 0 to 1, got {value!r}", entity=entity,
                              field=field)
    number = float(value)
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise ValidationError(f"must be from 0 to 1, got {value!r}", entity=entity, field=field)
    return number


def as_decimal(probability: float) -> Decimal:
    """A probability as the decimal it was written as (``0.3`` -> ``Decimal('0.3')``).

    ``repr`` of a float is the shortest text that reads back as the same float, so this is
    the number a person typed, not the binary fraction stored (``Decimal(0.3)`` would give
    ``0.299999...``), and money multiplied by it stays exact.
    """
    return Decimal(repr(probability))


# ---------------------------------------------------------------------------- impacts


@attrs.frozen
class Impact:
    """What a risk would do to one objective: a qualitative level and/or a measured value.

    Attributes:
        level: 1 for the lowest impact column of the probability-impact matrix, 2 for the
            next, ...; ``None`` to let the matrix derive it from ``value``.
        value: the magnitude: a ``Duration`` for the schedule, a ``Decimal`` amount of money
            for the cost, a ``Decimal`` in the organisation's own unit for scope, quality and
            reputation; ``None`` when it is not measured.
    """

    level: int | None = None
    value: Duration | Decimal | None = None

    def __attrs_post_init__(self) -> None:
        if self.level is not None and (isinstance(self.level, bool)
                                       or not isinstance(self.level, int)
                                       or not 1 <= self.level <= MAX_LEVELS):
            hint = f"; an amount is written Decimal({self.level}) or '{self.level}'" \
                if isinstance(self.level, int) and self.level > MAX_LEVELS else ""
            raise ValidationError(f"must be a whole number from 1 to {MAX_LEVELS}, got "
                                  f"{self.level!r}{hint}", entity="impact", field="level")


def _to_impact(dimension: ImpactDimension, value: Any, entity: str) -> Impact:
    field = f"impacts[{dimension.value!r}]"
    try:
        if isinstance(value, Impact):
            level, amount = value.level, value.value
        elif isinstance(value, int) and not isinstance(value, bool):
            level, amount = value, None
        elif isinstance(value, Mapping):
            unknown = set(value) - {"level", "value"}
            if unknown:
                raise ValidationError(f"unknown keys {sorted(unknown)}; use 'level' and 'value'")
            level, amount = value.get("level"), value.get("value")
        else:
            level, amount = None, value
        return Impact(level=level, value=_impact_value(dimension, amount))
    except ValidationError as exc:
        raise ValidationError(exc.reason, entity=entity, field=field) from None


def _impact_value(dimension: ImpactDimension, value: Any) -> Duration | Decimal | None:
    if value is None:
        return None
    if dimension is ImpactDimension.SCHEDULE:
        if isinstance(value, Decimal | bool):
            raise ValidationError(f"a schedule impact is a duration such as '10d', got {value!r}")
        duration = to_duration(value)
        if duration.value < 0:
            raise ValidationError(f"must not be negative, got {duration}; the risk's kind says "
                                  "whether time is lost or gained")
        return duration
    if isinstance(value, Duration):
        raise ValidationError(f"a {dimension.value} impact is a number, not the duration {value}")
    # The same exact-decimal rule as money: a float is refused (to_money says why).
    return to_money(value, entity="impact", field="value")


def _to_impacts(value: Any) -> dict[ImpactDimension, Impact]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError(f"must map dimensions (schedule, cost, scope, quality, "
                              f"reputation) to impacts, got {value!r}", entity="assessment",
                              field="impacts")
    result: dict[ImpactDimension, Impact] = {}
    for key, item in value.items():
        dimension = to_enum(ImpactDimension, key, entity="assessment", field="impacts")
        impact = _to_impact(dimension, item, "assessment")
        if impact.level is not None or impact.value is not None:
            result[dimension] = impact
    # Dimension order, so that equal assessments are written the same way.
    return {d: result[d] for d in ImpactDimension if d in result}


def _to_assessed_on(value: Any) -> dt.date | None:
    return _optional_date("assessment", "assessed_on", value)


def _to_probability(value: Any) -> float:
    return _probability("assessment", "probability", value)


@attrs.frozen(kw_only=True)
class Assessment:
    """A risk's probability and impacts, before responses (inherent) or after (residual).

    >>> a = Assessment(probability=0.3, impacts={"cost": "40000", "schedule": "10d"})
    >>> a.cost, a.schedule
    (Decimal('40000'), Duration('10d'))

    Attributes:
        probability: the chance the event happens, from 0 to 1.
        impacts: an :class:`Impact` per dimension; also accepts a level (``3``), a value
            (``"40000"``, ``"10d"``, ``Decimal(...)``, a ``Duration``) or a mapping with
            ``level`` and ``value``.
        assessed_on: when the assessment was made, if recorded.
    """

    probability: float = attrs.field(default=0.0, converter=_to_probability)
    impacts: dict[ImpactDimension, Impact] = attrs.field(factory=dict, converter=_to_impacts)
    assessed_on: dt.date | None = attrs.field(
        default=None, converter=_to_assessed_on)

    @property
    def schedule(self) -> Duration:
        """The schedule impact's value (``Duration.ZERO`` when not measured)."""
        value = self.impact(ImpactDimension.SCHEDULE).value
        return value if isinstance(value, Duration) else Duration.ZERO

    @property
    def cost(self) -> Decimal:
        """The cost impact's value (``Decimal(0)`` when not measured)."""
        value = self.impact(ImpactDimension.COST).value
        return value if isinstance(value, Decimal) else Decimal(0)

    def impact(self, dimension: ImpactDimension | str) -> Impact:
        """The impact on ``dimension`` (an empty :class:`Impact` when there is none)."""
        key = to_enum(ImpactDimension, dimension, entity="assessment", field="impacts")
        return self.impacts.get(key, Impact())

    @property
    def is_empty(self) -> bool:
        """True when neither a probability nor any impact has been estimated."""
        return self.probability == 0.0 and not self.impacts


def _to_assessment(value: Any) -> Assessment | None:
    if value is None or isinstance(value, Assessment):
        return value
    if isinstance(value, Mapping):
        return Assessment(**value)
    raise ValidationError(f"expected an Assessment, got {value!r}", entity="risk",
                          field="assessment")


# ---------------------------------------------------------------------------- responses


def _to_due(value: Any) -> dt.date | None:
    return _optional_date("response action", "due", value)


def _to_action_cost(value: Any) -> Decimal:
    return to_money(value, entity="response action", field="cost")


def _to_strategy(value: Any) -> ResponseStrategy:
    return to_enum(ResponseStrategy, value, entity="response", field="strategy")


@attrs.frozen(kw_only=True)
class ResponseAction:
    """One action of a response: what is done, by whom, by when and at what cost.

    ``cost`` is money (``Decimal``, a whole number or a string such as ``"5000"``).
    """

    description: str = attrs.field(validator=check_text)
    owner: str = attrs.field(default="", validator=check_text)
    due: dt.date | None = attrs.field(
        default=None, converter=_to_due)
    cost: Decimal = attrs.field(default=Decimal(0), converter=_to_action_cost)
    done: bool = attrs.field(default=False)

    @done.validator
    def _check_done(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, bool):
            raise ValidationError(f"must be true or false, got {value!r}",
                                  entity="response action", field="done")


def _to_actions(value: Any) -> tuple[ResponseAction, ...]:
    if isinstance(value, ResponseAction) or not isinstance(value, Iterable) \
            or isinstance(value, str | Mapping):
        raise ValidationError(f"must be a list of ResponseAction, got {value!r}",
                              entity="response", field="actions")
    actions = []
    for item in value:
        if isinstance(item, Mapping):
            item = ResponseAction(**item)
        if not isinstance(item, ResponseAction):
            raise ValidationError(f"must be a list of ResponseAction, got {item!r}",
                                  entity="response", field="actions")
        actions.append(item)
    return tuple(actions)


@attrs.frozen(kw_only=True)
class RiskResponse:
    """A planned response to a risk: a strategy and the actions that carry it out.

    Attributes:
        strategy: avoid, mitigate, transfer, accept or escalate for a threat; exploit,
            enhance, share or accept for an opportunity (the risk checks which applies).
        description: what the response does.
        owner: who is accountable for it (the risk's owner when empty).
        actions: the actions, each with an owner, a due date and a cost.
        contingency: the fallback plan if the response fails or the risk occurs.
    """

    strategy: ResponseStrategy = attrs.field(converter=_to_strategy)
    description: str = attrs.field(default="", validator=check_text)
    owner: str = attrs.field(default="", validator=check_text)
    actions: tuple[ResponseAction, ...] = attrs.field(default=(), converter=_to_actions)
    contingency: str = attrs.field(default="", validator=check_text)

    @property
    def cost(self) -> Decimal:
        """The cost of the response: the sum of its actions' costs."""
        return sum((a.cost for a in self.actions), Decimal(0))


def _to_responses(value: Any) -> tuple[RiskResponse, ...]:
    if isinstance(value, RiskResponse | str | Mapping) or not isinstance(value, Iterable):
        raise ValidationError(f"must be a list of RiskResponse, got {value!r}", entity="risk",
                              field="responses")
    responses = []
    for item in value:
        if isinstance(item, Mapping):
            item = RiskResponse(**item)
        if not isinstance(item, RiskResponse):
            raise ValidationError(f"must be a list of RiskResponse, got {item!r}",
                                  entity="risk", field="responses")
        responses.append(item)
    return tuple(responses)


# ---------------------------------------------------------------------------- the risk


def _to_kind(value: Any) -> RiskKind:
    return to_enum(RiskKind, value, entity="risk", field="kind")


def _to_status(value: Any) -> RiskStatus:
    return to_enum(RiskStatus, value, entity="risk", field="status")


def _to_identified_on(value: Any) -> dt.date | None:
    return _optional_date("risk", "identified_on", value)


def _to_proximity(value: Any) -> dt.date | None:
    return _optional_date("risk", "proximity", value)


def _to_review_on(value: Any) -> dt.date | None:
    return _optional_date("risk", "review_on", value)


def _to_triggers(value: Any) -> tuple[str, ...]:
    return _texts("risk", "triggers", value)


def _to_linked_tasks(value: Any) -> tuple[str, ...]:
    return _texts("risk", "linked_tasks", value)


@attrs.frozen(kw_only=True, repr=False)
class Risk:
    """A threat or an opportunity in a project's risk register.

    Risks are immutable: the register replaces a risk with a changed copy and records the
    change in its history. Create them through
    :meth:`~pmcore.model.risk_register.RiskRegister.add`.

    >>> r = Risk(id="RISK-1", title="Vendor delivers late", category="3.3",
    ...          assessment=Assessment(probability=0.3, impacts={"cost": "40000"}))
    >>> r.probability, r.cost_impact, r.emv()
    (0.3, Decimal('40000'), Decimal('-12000.0'))

    Attributes:
        id, title: the risk's id (``"RISK-1"``) and a short name.
        kind: threat (the default) or opportunity.
        cause, event, effect: the risk statement ("because of *cause*, *event* may occur,
            which would lead to *effect*"); see :attr:`description`.
        category: the code of a category of the register's risk breakdown structure.
        owner: who is accountable for the risk.
        status: where the risk is in its lifecycle (change it through the register).
        identified_on, proximity, review_on: when it was identified, when it could happen,
            when it is next reviewed.
        triggers: the warning signs that the risk is about to occur.
        assessment: the pre-response (inherent) probability and impacts.
        residual: the probability and impacts expected once the responses are carried out.
        responses: the planned responses.
        linked_tasks: ids of the tasks the risk would affect.
        secondary_of: the id of the risk whose response gave rise to this one.
        escalation_level: the level of the escalation path it was last escalated to (0: its
            owner handles it).
        notes: free text.
    """

    id: str = attrs.field()
    title: str = attrs.field(validator=check_text)
    kind: RiskKind = attrs.field(default=RiskKind.THREAT, converter=_to_kind)
    cause: str = attrs.field(default="", validator=check_text)
    event: str = attrs.field(default="", validator=check_text)
    effect: str = attrs.field(default="", validator=check_text)
    category: str | None = attrs.field(default=None)
    owner: str = attrs.field(default="", validator=check_text)
    status: RiskStatus = attrs.field(default=RiskStatus.IDENTIFIED, converter=_to_status)
    identified_on: dt.date | None = attrs.field(default=None, converter=_to_identified_on)
    proximity: dt.date | None = attrs.field(default=None, converter=_to_proximity)
    review_on: dt.date | None = attrs.field(default=None, converter=_to_review_on)
    triggers: tuple[str, ...] = attrs.field(default=(), converter=_to_triggers)
    assessment: Assessment | None = attrs.field(default=None, converter=_to_assessment)
    residual: Assessment | None = attrs.field(default=None, converter=_to_assessment)
    responses: tuple[RiskResponse, ...] = attrs.field(default=(), converter=_to_responses)
    linked_tasks: tuple[str, ...] = attrs.field(default=(), converter=_to_linked_tasks)
    secondary_of: str | None = attrs.field(default=None)
    escalation_level: int = attrs.field(default=0)
    notes: str = attrs.field(default="", validator=check_text)

    @id.validator
    def _check_id(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_id("risk", "id", value)

    @category.validator
    def _check_category(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check_id(self._label(), "category", value)

    @secondary_of.validator
    def _check_secondary_of(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check_id(self._label(), "secondary_of", value)

    @escalation_level.validator
    def _check_level(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(f"must be a whole number from 0, got {value!r}",
                                  entity=self._label(), field="escalation_level")

    def __attrs_post_init__(self) -> None:
        allowed = THREAT_STRATEGIES if self.kind is RiskKind.THREAT else OPPORTUNITY_STRATEGIES
        for response in self.responses:
            if response.strategy not in allowed:
                names = ", ".join(sorted(s.value for s in allowed))
                article = "an" if self.kind is RiskKind.OPPORTUNITY else "a"
                raise ValidationError(f"{response.strategy.value!r} is not a response to "
                                      f"{article} {self.kind.value} (use {names})",
                                      entity=self._label(), field="responses")
        for task_id in self.linked_tasks:
            check_id(self._label(), "linked_tasks", task_id)
        twice = sorted({t for t in self.linked_tasks if self.linked_tasks.count(t) > 1})
        if twice:
            raise ValidationError(f"tasks listed twice: {', '.join(twice)}",
                                  entity=self._label(), field="linked_tasks")
        if self.secondary_of is not None and self.secondary_of == self.id:
            raise ValidationError("a risk cannot be a secondary risk of itself",
                                  entity=self._label(), field="secondary_of")

    def _label(self) -> str:
        return f"risk {self.id!r}"

    @property
    def label(self) -> str:
        """How messages name the risk: ``risk 'RISK-1' (Vendor delivers late)``."""
        return f"risk {self.id!r} ({self.title})"

    @property
    def description(self) -> str:
        """The risk statement built from cause, event and effect (the parts that are given)."""
        parts = []
        if self.cause:
            parts.append(f"because of {self.cause}")
        if self.event:
            parts.append(f"{self.event} may occur")
        if self.effect:
            parts.append(f"which would lead to {self.effect}")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:] + "." if text else ""

    @property
    def is_open(self) -> bool:
        """True until the risk is closed or has occurred."""
        return self.status not in (RiskStatus.CLOSED, RiskStatus.OCCURRED)

    @property
    def sign(self) -> int:
        """``-1`` for a threat (its impacts are losses), ``+1`` for an opportunity."""
        return -1 if self.kind is RiskKind.THREAT else 1

    def current(self, residual: bool = False) -> Assessment:
        """The pre-response assessment, or with ``residual=True`` the residual one (falling
        back to the pre-response one when no residual assessment was made); an empty
        assessment when the risk has not been assessed."""
        chosen = (self.residual or self.assessment) if residual else self.assessment
        return chosen if chosen is not None else Assessment()

    @property
    def probability(self) -> float:
        """The pre-response probability (0 when not assessed)."""
        return self.current().probability

    @property
    def schedule_impact(self) -> Duration:
        """The pre-response schedule impact's magnitude (``Duration.ZERO`` if not measured)."""
        return self.current().schedule

    @property
    def cost_impact(self) -> Decimal:
        """The pre-response cost impact's magnitude (``Decimal(0)`` if not measured)."""
        return self.current().cost

    @property
    def response_cost(self) -> Decimal:
        """The cost of every planned response's actions."""
        return sum((r.cost for r in self.responses), Decimal(0))

    def response_benefit(self) -> Decimal | None:
        """What the responses are worth: the exposure they remove (pre-response minus
        residual) less what they cost; ``None`` without a residual assessment.

        A response that costs 4,500 to take a 40,000 threat from 30 % to 10 % removes
        12,000 - 4,000 = 8,000 of exposure: a benefit of 3,500. A negative benefit is a
        response that costs more than it saves.
        """
        if self.residual is None:
            return None
        return self.exposure() - self.exposure(residual=True) - self.response_cost

    def emv(self, residual: bool = False) -> Decimal:
        """Expected monetary value: probability x cost impact, negative for a threat.

        PMBOK's convention: a threat with probability 0.3 and a cost impact of 40,000 has an
        EMV of -12,000; an opportunity's EMV is positive.
        """
        assessment = self.current(residual)
        value = self.sign * as_decimal(assessment.probability) * assessment.cost
        return value if value else Decimal(0)  # never "-0.0"

    def exposure(self, residual: bool = False) -> Decimal:
        """The size of the EMV whatever its sign: probability x cost impact."""
        return abs(self.emv(residual))

    def __repr__(self) -> str:
        kind = "" if self.kind is RiskKind.THREAT else ", kind='opportunity'"
        return (f"Risk({self.id!r}, {self.title!r}{kind}, status={self.status.value!r}, "
                f"probability={self.probability:g}, cost_impact={str(self.cost_impact)!r}, "
                f"schedule_impact={str(self.schedule_impact)!r})")


# ---------------------------------------------------------------------------- RBS


@attrs.frozen
class RbsCategory:
    """A category of a risk breakdown structure: a code, a name and its parent's code."""

    code: str = attrs.field()
    name: str = attrs.field(validator=check_text)
    parent: str | None = None

    @code.validator
    def _check_code(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_id("risk category", "code", value)


def _to_categories(value: Any) -> tuple[RbsCategory, ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        raise ValidationError(f"must be a list of RbsCategory, got {value!r}",
                              entity="risk breakdown structure", field="categories")
    result = []
    for item in value:
        if isinstance(item, Mapping):
            item = RbsCategory(**item)
        elif isinstance(item, tuple):
            item = RbsCategory(*item)
        if not isinstance(item, RbsCategory):
            raise ValidationError(f"must be a list of RbsCategory, got {item!r}",
                                  entity="risk breakdown structure", field="categories")
        result.append(item)
    return tuple(result)


# PMBOK Guide, 6th edition, Figure 11-4 (extract from a sample risk breakdown structure).
_PMBOK_RBS: tuple[tuple[str, str, str | None], ...] = (
    ("1", "Technical risk", None),
    ("1.1", "Scope definition", "1"),
    ("1.2", "Requirements definition", "1"),
    ("1.3", "Estimates, assumptions and constraints", "1"),
    ("1.4", "Technical processes", "1"),
    ("1.5", "Technology", "1"),
    ("1.6", "Technical interfaces", "1"),
    ("2", "Management risk", None),
    ("2.1", "Project management", "2"),
    ("2.2", "Program/portfolio management", "2"),
    ("2.3", "Operations management", "2"),
    ("2.4", "Organization", "2"),
    ("2.5", "Resourcing", "2"),
    ("2.6", "Communication", "2"),
    ("3", "Commercial risk", None),
    ("3.1", "Contractual terms and conditions", "3"),
    ("3.2", "Internal procurement", "3"),
    ("3.3", "Suppliers and vendors", "3"),
    ("3.4", "Subcontracts", "3"),
    ("3.5", "Client/customer stability", "3"),
    ("3.6", "Partnerships and joint ventures", "3"),
    ("4", "External risk", None),
    ("4.1", "Legislation", "4"),
    ("4.2", "Exchange rates", "4"),
    ("4.3", "Site/facilities", "4"),
    ("4.4", "Environmental/weather", "4"),
    ("4.5", "Competition", "4"),
    ("4.6", "Regulatory", "4"),
)


@attrs.frozen
class RiskBreakdownStructure:
    """The tree of risk categories a register files its risks under.

    >>> rbs = RiskBreakdownStructure.pmbok()
    >>> [c.name for c in rbs.path("3.3")]
    ['Commercial risk', 'Suppliers and vendors']

    Raises:
        ValidationError: a code is used twice; CycleError: parents form a loop;
        UnknownReferenceError: a parent is not a category.
    """

    categories: tuple[RbsCategory, ...] = attrs.field(default=(), converter=_to_categories)

    def __attrs_post_init__(self) -> None:
        codes: dict[str, RbsCategory] = {}
        for category in self.categories:
            if category.code in codes:
                raise ValidationError(f"code {category.code!r} is used twice",
                                      entity="risk breakdown structure", field="categories")
            codes[category.code] = category
        for category in self.categories:
            if category.parent is not None and category.parent not in codes:
                raise UnknownReferenceError(category.parent, kind="risk category",
                                            entity=f"risk category {category.code!r}",
                                            field="parent")
        for category in self.categories:
            seen = [category.code]
            parent = category.parent
            while parent is not None:
                if parent in seen:
                    raise CycleError([*seen[seen.index(parent):], parent], kind="category",
                                     entity="risk breakdown structure")
                seen.append(parent)
                parent = codes[parent].parent

    @classmethod
    def pmbok(cls) -> RiskBreakdownStructure:
        """The sample RBS of the PMBOK Guide (6th edition, figure 11-4): technical,
        management, commercial and external risk, six categories each, coded ``"1"`` to
        ``"4.6"``."""
        if cls is RiskBreakdownStructure:
            return _pmbok_rbs()  # immutable, so every default register can share it
        return cls(tuple(RbsCategory(*c) for c in _PMBOK_RBS))

    def __contains__(self, code: object) -> bool:
        return any(c.code == code for c in self.categories)

    def __iter__(self) -> Iterator[RbsCategory]:
        return iter(self.categories)

    def __len__(self) -> int:
        return len(self.categories)

    def category(self, code: str) -> RbsCategory:
        """The category with this code.

        Raises:
            UnknownReferenceError: no such category.
        """
        for category in self.categories:
            if category.code == code:
                return category
        raise UnknownReferenceError(code, kind="risk category", entity="risk breakdown structure")

    def path(self, code: str) -> tuple[RbsCategory, ...]:
        """The categories from the top of the tree down to ``code``."""
        chain = [self.category(code)]
        while chain[-1].parent is not None:
            chain.append(self.category(chain[-1].parent))
        return tuple(reversed(chain))

    def children(self, code: str | None = None) -> tuple[RbsCategory, ...]:
        """The categories directly below ``code`` (the top-level ones for ``None``)."""
        return tuple(c for c in self.categories if c.parent == code)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per category with its level (1 at the top) and full path of names."""
        return [{"code": c.code, "name": c.name, "parent": c.parent,
                 "level": len(self.path(c.code)),
                 "path": " / ".join(p.name for p in self.path(c.code))}
                for c in self.categories]


# ---------------------------------------------------------------------------- matrix


def _numbers(entity: str, field: str, value: Any) -> tuple[float, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(f"must be a list of numbers, got {value!r}", entity=entity,
                              field=field)
    items = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | float | Decimal) \
                or not math.isfinite(float(item)):
            raise ValidationError(f"must be a list of numbers, got {item!r}", entity=entity,
                                  field=field)
        items.append(float(item))
    return tuple(items)


_MATRIX = "probability-impact matrix"


def _to_probability_labels(value: Any) -> tuple[str, ...]:
    return _texts(_MATRIX, "probability_labels", value)


def _to_impact_labels(value: Any) -> tuple[str, ...]:
    return _texts(_MATRIX, "impact_labels", value)


def _to_bounds(value: Any) -> tuple[float, ...]:
    return _numbers(_MATRIX, "probability_bounds", value)


def _to_probability_weights(value: Any) -> tuple[float, ...]:
    return _numbers(_MATRIX, "probability_weights", value)


def _to_impact_weights(value: Any) -> tuple[float, ...]:
    return _numbers(_MATRIX, "impact_weights", value)


def _to_score_limits(value: Any) -> tuple[float, ...]:
    return _numbers("appetite", "score_limits", value)


def _to_ratings(value: Any) -> tuple[tuple[float, str], ...]:
    entity, field = "probability-impact matrix", "ratings"
    if isinstance(value, Mapping):
        value = list(value.items())
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(f"must be a list of (lowest score, rating), got {value!r}",
                              entity=entity, field=field)
    result = []
    for item in value:
        if isinstance(item, Mapping):
            item = (item.get("from"), item.get("rating"))
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise ValidationError(f"each rating is (lowest score, name), got {item!r}",
                                  entity=entity, field=field)
        low, name = item
        (low,) = _numbers(entity, field, [low])
        result.append((low, _text(entity, field, name)))
    return tuple(result)


def _to_scales(value: Any) -> Mapping[ImpactDimension, tuple[Duration | Decimal, ...]]:
    entity = "probability-impact matrix"
    if not isinstance(value, Mapping):
        raise ValidationError(f"must map dimensions to impact bounds, got {value!r}",
                              entity=entity, field="impact_scales")
    result: dict[ImpactDimension, tuple[Duration | Decimal, ...]] = {}
    for key, bounds in value.items():
        dimension = to_enum(ImpactDimension, key, entity=entity, field="impact_scales")
        field = f"impact_scales[{dimension.value!r}]"
        if isinstance(bounds, str) or not isinstance(bounds, Iterable):
            raise ValidationError(f"must be a list of bounds, got {bounds!r}", entity=entity,
                                  field=field)
        try:
            values = tuple(_impact_value(dimension, b) for b in bounds)
        except ValidationError as exc:
            raise ValidationError(exc.reason, entity=entity, field=field) from None
        result[dimension] = tuple(v for v in values if v is not None)
    # Read-only: matrices are shared values (the default one by every register).
    return _ReadOnlyDict({d: result[d] for d in ImpactDimension if d in result})


class _ReadOnlyDict(dict[Any, Any]):
    """A dict that refuses changes, yet copies and pickles (a ``MappingProxyType`` does not)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a matrix's impact scales cannot be changed; build a new matrix")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (_ReadOnlyDict, (dict(self),))


def _magnitude(value: Duration | Decimal) -> float:
    return value.to_days() if isinstance(value, Duration) else float(value)


@attrs.frozen(kw_only=True)
class ProbabilityImpactMatrix:
    """A probability-impact matrix: levels, their weights, and the ratings of the scores.

    A probability falls in the first level whose upper bound it does not exceed; an impact's
    level is given on the risk, or derived from its value through ``impact_scales``. A
    risk's impact level is the highest over its dimensions (the usual practice: a risk is as
    bad as its worst effect). A cell's score is the probability level's weight times the
    impact level's weight, and its rating is the last rating whose lowest score it reaches.

    >>> m = ProbabilityImpactMatrix.five_by_five()
    >>> m.probability_level(0.3), m.score(2, 3), m.rating(6.0)
    (2, 6.0, 'medium')

    Attributes:
        probability_labels, impact_labels: the names of the levels, lowest first.
        probability_bounds: the upper bound of each probability level (the last is 1).
        probability_weights, impact_weights: each level's weight in the score (1, 2, 3, ...
            when not given; PMBOK's example uses 0.1 ... 0.9 and 0.05 ... 0.8).
        ratings: ``(lowest score, rating)`` pairs, lowest first.
        impact_scales: per dimension, the upper bounds of impact levels 1 to n-1 for the
            measured value (a larger value is level n); e.g. cost ``("5000", "20000", ...)``.
    """

    probability_labels: tuple[str, ...] = attrs.field(converter=_to_probability_labels)
    impact_labels: tuple[str, ...] = attrs.field(converter=_to_impact_labels)
    probability_bounds: tuple[float, ...] = attrs.field(converter=_to_bounds)
    probability_weights: tuple[float, ...] = attrs.field(default=(),
                                                         converter=_to_probability_weights)
    impact_weights: tuple[float, ...] = attrs.field(default=(), converter=_to_impact_weights)
    ratings: tuple[tuple[float, str], ...] = attrs.field(default=((0.0, "low"),),
                                                         converter=_to_ratings)
    impact_scales: Mapping[ImpactDimension, tuple[Duration | Decimal, ...]] = attrs.field(
        factory=dict, converter=_to_scales)

    def __attrs_post_init__(self) -> None:
        entity = "probability-impact matrix"
        n, m = len(self.probability_labels), len(self.impact_labels)
        if not (2 <= n <= MAX_LEVELS and 2 <= m <= MAX_LEVELS):
            raise ValidationError(f"needs 2 to {MAX_LEVELS} levels each way, got {n}x{m}",
                                  entity=entity, field="probability_labels" if n < 2
                                  else "impact_labels")
        if len(self.probability_bounds) != n:
            raise ValidationError(f"needs one bound per probability level ({n}), got "
                                  f"{len(self.probability_bounds)}", entity=entity,
                                  field="probability_bounds")
        bounds = self.probability_bounds
        if any(b <= a for a, b in itertools.pairwise(bounds)) or bounds[0] <= 0 \
                or bounds[-1] != 1.0:
            raise ValidationError(f"must rise above 0 to exactly 1, got {list(bounds)}",
                                  entity=entity, field="probability_bounds")
        if not self.probability_weights:
            object.__setattr__(self, "probability_weights", tuple(float(i) for i in
                                                                  range(1, n + 1)))
        if not self.impact_weights:
            object.__setattr__(self, "impact_weights", tuple(float(i) for i in range(1, m + 1)))
        for field, weights, count in (("probability_weights", self.probability_weights, n),
                                      ("impact_weights", self.impact_weights, m)):
            if len(weights) != count:
                raise ValidationError(f"needs {count} weights, got {len(weights)}",
                                      entity=entity, field=field)
            if any(b <= a for a, b in itertools.pairwise(weights)) or weights[0] < 0:
                raise ValidationError(f"must rise from 0 or more, got {list(weights)}",
                                      entity=entity, field=field)
        lows = [low for low, _ in self.ratings]
        if not lows or any(b <= a for a, b in itertools.pairwise(lows)):
            raise ValidationError(f"lowest scores must rise, got {lows}", entity=entity,
                                  field="ratings")
        if lows[0] > self.score(1, 1):
            raise ValidationError(f"the first rating must start at or below the lowest score "
                                  f"{self.score(1, 1):g}, got {lows[0]:g}", entity=entity,
                                  field="ratings")
        for dimension, scale in self.impact_scales.items():
            magnitudes = [_magnitude(v) for v in scale]
            if len(scale) != m - 1 or any(b <= a for a, b in itertools.pairwise(magnitudes)):
                raise ValidationError(f"needs {m - 1} rising bounds (levels 1 to {m - 1}), got "
                                      f"{[str(v) for v in scale]}", entity=entity,
                                      field=f"impact_scales[{dimension.value!r}]")

    @classmethod
    def five_by_five(cls, **changes: Any) -> ProbabilityImpactMatrix:
        """The common 5x5 matrix: levels very low ... very high weighted 1 to 5, probability
        bands up to 10 %, 30 %, 50 %, 70 % and 100 %, scores 1-4 *low*, 5-12 *medium*,
        15-25 *high*. ``changes`` replace any field (e.g. ``impact_scales``)."""
        if not changes and cls is ProbabilityImpactMatrix:
            return _five_by_five()  # immutable, so every default register can share it
        labels = ("very low", "low", "medium", "high", "very high")
        fields: dict[str, Any] = {
            "probability_labels": labels, "impact_labels": labels,
            "probability_bounds": (0.1, 0.3, 0.5, 0.7, 1.0),
            "ratings": ((1, "low"), (5, "medium"), (15, "high"))}
        return cls(**(fields | changes))

    @classmethod
    def three_by_three(cls, **changes: Any) -> ProbabilityImpactMatrix:
        """A 3x3 matrix: low, medium, high weighted 1 to 3, probability bands up to 1/3,
        2/3 and 1, scores 1-2 *low*, 3-4 *medium*, 6-9 *high*."""
        labels = ("low", "medium", "high")
        fields: dict[str, Any] = {
            "probability_labels": labels, "impact_labels": labels,
            "probability_bounds": (1 / 3, 2 / 3, 1.0),
            "ratings": ((1, "low"), (3, "medium"), (6, "high"))}
        return cls(**(fields | changes))

    @property
    def shape(self) -> tuple[int, int]:
        """(probability levels, impact levels)."""
        return len(self.probability_labels), len(self.impact_labels)

    def probability_level(self, probability: float) -> int:
        """The level (1 to n) a probability falls in."""
        p = _probability("probability-impact matrix", "probability", probability)
        for level, bound in enumerate(self.probability_bounds, 1):
            if p <= bound:
                return level
        return len(self.probability_bounds)  # pragma: no cover - the last bound is 1

    def impact_level(self, assessment: Assessment) -> int | None:
        """The highest impact level over the assessment's dimensions (``None`` if none).

        Raises:
            ValidationError: an impact's level is above the matrix's top level.
        """
        top = len(self.impact_labels)
        levels = []
        for dimension, impact in assessment.impacts.items():
            level = impact.level
            if level is None and impact.value is not None and dimension in self.impact_scales:
                magnitude = _magnitude(impact.value)
                if magnitude > 0:
                    bounds = [_magnitude(b) for b in self.impact_scales[dimension]]
                    level = next((i for i, b in enumerate(bounds, 1) if magnitude <= b), top)
            if level is not None:
                if level > top:
                    raise ValidationError(f"level {level} is above this matrix's top level "
                                          f"{top}", entity="assessment",
                                          field=f"impacts[{dimension.value!r}]")
                levels.append(level)
        return max(levels) if levels else None

    def score(self, probability_level: int, impact_level: int) -> float:
        """The score of a cell: the two levels' weights multiplied."""
        return self.probability_weights[probability_level - 1] * \
            self.impact_weights[impact_level - 1]

    def rating(self, score: float) -> str:
        """The rating of a score: the last one whose lowest score it reaches."""
        chosen = self.ratings[0][1]
        for low, name in self.ratings:
            if score >= low:
                chosen = name
        return chosen

    def to_records(self) -> list[dict[str, Any]]:
        """Every cell, highest probability first, as a table to draw the matrix from."""
        n, m = self.shape
        return [{"probability_level": p, "probability": self.probability_labels[p - 1],
                 "impact_level": i, "impact": self.impact_labels[i - 1],
                 "score": self.score(p, i), "rating": self.rating(self.score(p, i))}
                for p in range(n, 0, -1) for i in range(1, m + 1)]


# ---------------------------------------------------------------------------- appetite


def _decimals(value: Any) -> tuple[Decimal, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(f"must be a list of amounts, got {value!r}", entity="appetite",
                              field="exposure_limits")
    return tuple(to_money(v, entity="appetite", field="exposure_limits") for v in value)


@attrs.frozen(kw_only=True)
class Appetite:
    """How much risk a category tolerates before a risk in it is escalated, level by level.

    A risk whose score exceeds ``score_limits[k]`` (or whose exposure, probability x cost
    impact, exceeds ``exposure_limits[k]``) is escalated to at least level ``k + 1`` of the
    escalation path (level 0 being its owner); the higher of the two levels applies.

    Attributes:
        category: the RBS code it applies to, with every category below it (``None``: the
            whole register, used where no category's own appetite applies).
        score_limits: the highest score tolerated at each level, rising.
        exposure_limits: the highest exposure (money) tolerated at each level, rising.
    """

    category: str | None = None
    score_limits: tuple[float, ...] = attrs.field(default=(), converter=_to_score_limits)
    exposure_limits: tuple[Decimal, ...] = attrs.field(default=(), converter=_decimals)

    def __attrs_post_init__(self) -> None:
        if self.category is not None:
            check_id("appetite", "category", self.category)
        checks: tuple[tuple[str, tuple[Any, ...]], ...] = (
            ("score_limits", self.score_limits), ("exposure_limits", self.exposure_limits))
        for field, limits in checks:
            if any(b <= a for a, b in itertools.pairwise(limits)):
                raise ValidationError(f"limits must rise, got {[str(v) for v in limits]}",
                                      entity=f"appetite for {self.category or 'the register'}",
                                      field=field)
        if not self.score_limits and not self.exposure_limits:
            raise ValidationError("needs score_limits or exposure_limits",
                                  entity=f"appetite for {self.category or 'the register'}")

    def level(self, score: float | None, exposure: Decimal) -> tuple[int, str | None]:
        """The escalation level a risk reaches and what it crossed (``"score > 12"``)."""
        level, crossed = 0, None
        if score is not None:
            for k, limit in enumerate(self.score_limits, 1):
                if score > limit and k > level:
                    level, crossed = k, f"score {score:g} > {limit:g}"
        for k, money in enumerate(self.exposure_limits, 1):
            if exposure > money and k > level:
                level, crossed = k, f"exposure {exposure} > {money}"
        return level, crossed


@functools.cache
def _pmbok_rbs() -> RiskBreakdownStructure:
    return RiskBreakdownStructure(tuple(RbsCategory(*c) for c in _PMBOK_RBS))


@functools.cache
def _five_by_five() -> ProbabilityImpactMatrix:
    return ProbabilityImpactMatrix.five_by_five(ratings=((1, "low"), (5, "medium"),
                                                         (15, "high")))
