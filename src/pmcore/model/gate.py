"""Gate reviews: the decisions taken at the gates of a phase-gate project.

A review is part of the project's record, like a baseline: it is saved in the project file
(``gate_reviews``) and read back with it. What a gate is and which phase it opens is defined by
the project's methodology (:mod:`pmcore.methodology.phasegate`); a review only names the gate
by its key.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from pmcore.errors import ValidationError
from pmcore.model.base import check_id, to_date, to_enum

__all__ = ["GateDecision", "GateReview"]


class GateDecision(enum.Enum):
    """What the gatekeepers decide, in the terms of Cooper's Stage-Gate.

    ``GO`` opens the next phase (with conditions, when the review lists any); ``HOLD`` parks the
    project until a later review; ``RECYCLE`` sends it back to redo work of the phase before the
    gate; ``KILL`` ends it.
    """

    GO = "go"
    HOLD = "hold"
    RECYCLE = "recycle"
    KILL = "kill"


def _texts(value: Any) -> tuple[str, ...]:
    """attrs converter: one text or an iterable of texts, as a tuple."""
    return (value,) if isinstance(value, str) else tuple(value)


def _check_texts(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: every item is a non-empty text; the error names ``instance.label``."""
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(f"must be non-empty texts, got {item!r}",
                                  entity=instance.label, field=attribute.name)


def _check_approvers(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value:
        raise ValidationError("needs at least one approver", entity=instance.label,
                              field=attribute.name)
    _check_texts(instance, attribute, value)


@attrs.frozen(kw_only=True, init=False)
class GateReview:
    """One gate review: the gate, the decision, the day it was taken, who took it and on what
    conditions.

    >>> GateReview(gate="G1", decision="go", date="2027-01-13", approvers=["Sponsor"])
    GateReview(gate='G1', decision=<GateDecision.GO: 'go'>, date=datetime.date(2027, 1, 13), \
approvers=('Sponsor',), conditions=(), notes='')

    Attributes:
        gate: the key of the gate reviewed (``"G1"``).
        decision: go, hold, recycle or kill.
        date: the day of the decision.
        approvers: the gatekeepers who took it; at least one.
        conditions: what a go is subject to ("budget capped at 120k").
        notes: free text.

    Raises:
        ValidationError: naming the review and the field: a decision not in the allowed set, no
            approver, an empty approver or condition, a gate key that is not an id.
    """

    gate: str = attrs.field()
    decision: GateDecision = attrs.field()
    date: dt.date = attrs.field()
    approvers: tuple[str, ...] = attrs.field(converter=_texts, validator=_check_approvers)
    conditions: tuple[str, ...] = attrs.field(default=(), converter=_texts,
                                              validator=_check_texts)
    notes: str = ""

    def __init__(self, *, gate: str, decision: GateDecision | str, date: dt.date | str,
                 approvers: Any, conditions: Any = (), notes: str = "") -> None:
        check_id(f"gate review of {gate!r}", "gate", gate)
        label = f"gate review of {gate!r}"
        decision = to_enum(GateDecision, decision, entity=label, field="decision")
        try:
            day = to_date(date)
        except ValidationError as exc:
            raise ValidationError(exc.reason, entity=label, field="date") from None
        self.__attrs_init__(gate=gate, decision=decision, date=day, approvers=approvers,
                            conditions=conditions, notes=notes)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.notes, str):
            raise ValidationError(f"must be text, got {self.notes!r}", entity=self.label,
                                  field="notes")

    @property
    def label(self) -> str:
        """How messages name the review: ``gate review of 'G1' on 2027-01-13``."""
        return f"gate review of {self.gate!r} on {self.date}"

    @property
    def passed(self) -> bool:
        """True for a go decision."""
        return self.decision is GateDecision.GO
