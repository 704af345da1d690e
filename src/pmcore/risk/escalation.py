"""Risk appetite and escalation: a risk that crosses its category's appetite goes up the path.

Each :class:`~pmcore.model.risk.Appetite` gives, for a category of the RBS (and every
category below it) or for the whole register, the highest score and the highest exposure
tolerated at each level of the register's escalation path (by default owner -> project
manager -> PMO -> sponsor). :func:`check_appetite` scores every open risk, and for each one
whose level has risen since it was last checked records the escalation in the register's
history and tells the plugins through ``pmcore_on_risk_escalated``. A risk back within its
appetite is de-escalated quietly (recorded, no event), so running the check again raises
nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pluggy

from pmcore.model.base import to_date
from pmcore.model.risk import Risk
from pmcore.model.risk_register import RiskRegister
from pmcore.plugins import Plugins

__all__ = ["EscalationReport", "RiskEscalation", "check_appetite"]


@attrs.frozen(kw_only=True)
class RiskEscalation:
    """The event a risk raises when it crosses its appetite.

    Attributes:
        risk: the risk, as it is once escalated.
        level: the level of the path reached (1 for the first level above the owner).
        previous_level: the level it had before.
        path: the whole escalation path, the owner first.
        reason: the limit crossed, e.g. ``"exposure 60000.0 > 50000"``.
        score, exposure: what was measured.
        on: the date of the check.
    """

    risk: Risk
    level: int
    previous_level: int
    path: tuple[str, ...]
    reason: str
    score: float | None
    exposure: Decimal
    on: dt.date

    @property
    def escalate_to(self) -> str:
        """Who now handles the risk: ``path[level]``."""
        return self.path[self.level]

    @property
    def chain(self) -> tuple[str, ...]:
        """The path from the owner up to the level reached."""
        return self.path[: self.level + 1]

    def to_record(self) -> dict[str, Any]:
        """The event as a plain dict."""
        return {"risk_id": self.risk.id, "title": self.risk.title,
                "category": self.risk.category, "owner": self.risk.owner,
                "previous_level": self.previous_level, "level": self.level,
                "escalate_to": self.escalate_to, "chain": " -> ".join(self.chain),
                "reason": self.reason, "score": self.score, "exposure": self.exposure,
                "on": self.on}


@attrs.frozen(repr=False)
class EscalationReport:
    """The escalations one check raised, in register order."""

    escalations: tuple[RiskEscalation, ...]

    def __repr__(self) -> str:
        items = ", ".join(f"{e.risk.id} -> {e.escalate_to}" for e in self.escalations)
        return f"EscalationReport([{items}])"

    def __iter__(self) -> Iterator[RiskEscalation]:
        return iter(self.escalations)

    def __len__(self) -> int:
        return len(self.escalations)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per escalation, for ``pandas.DataFrame``."""
        return [e.to_record() for e in self.escalations]


def check_appetite(register: RiskRegister, *, on: dt.date | str, residual: bool = False,
                   plugins: Plugins | pluggy.PluginManager | None = None) -> EscalationReport:
    """Escalate every open risk whose score or exposure crosses its appetite.

    A risk's level is the highest level whose limit it exceeds in the appetite that applies
    to its category (:meth:`RiskRegister.appetite_for`); scores come from the
    ``pmcore_score_risk`` hook on the register's matrix. A risk whose level rose is
    escalated (recorded in the history, dated ``on``) and ``pmcore_on_risk_escalated`` is
    called with the :class:`RiskEscalation`; one whose level fell is recorded without an
    event.

    >>> from pmcore.model.risk import Appetite
    >>> register = RiskRegister(appetite=[Appetite(exposure_limits=["10000", "50000"])])
    >>> _ = register.add("Vendor late", on="2027-01-04", probability=0.3,
    ...                  impacts={"cost": "40000"})
    >>> [(e.risk.id, e.escalate_to, e.reason) for e in check_appetite(register, on="2027-01-05")]
    [('RISK-1', 'project manager', 'exposure 12000.0 > 10000')]
    """
    facade = Plugins.of(plugins)
    day = to_date(on)
    path = register.escalation_path
    raised: list[RiskEscalation] = []
    for risk in register.open_risks:
        appetite = register.appetite_for(risk.category)
        score = facade.score_risk(risk, register.matrix, residual)
        level, reason = (0, None) if appetite is None else \
            appetite.level(score.score, score.exposure)
        level = min(level, len(path) - 1)
        if level > risk.escalation_level:
            escalated = register.escalate(risk, level, on=day, note=reason or "")
            event = RiskEscalation(risk=escalated, level=level,
                                   previous_level=risk.escalation_level, path=path,
                                   reason=reason or "", score=score.score,
                                   exposure=score.exposure, on=day)
            facade.risk_escalated(event)
            raised.append(event)
        elif level < risk.escalation_level:
            register.escalate(risk, level, on=day, note="back within appetite")
    return EscalationReport(tuple(raised))
