"""Risk management: the risk register, scoring, heat maps, appetite and escalation.

The register itself belongs to the project (``project.risks``, a
:class:`~pmcore.model.risk_register.RiskRegister`), so it travels with the project file; its
classes are re-exported here. Scoring goes through the ``pmcore_score_risk`` hook and
escalation through ``pmcore_on_risk_escalated``, so an organisation can plug in its own
method and its own notifications.

>>> import pmcore
>>> from pmcore.risk import rank_risks
>>> p = pmcore.Project("Plant", start="2027-01-04")
>>> risk = p.risks.add("Vendor delivers late", on="2027-01-04", probability=0.3,
...                    impacts={"cost": "40000"})
>>> rank_risks(p.risks).net_emv
Decimal('-12000.0')
"""

from __future__ import annotations

# -- the risk register (pmcore.model.risk, pmcore.model.risk_register)
from pmcore.model.risk import (
    DEFAULT_ESCALATION_PATH,
    MAX_LEVELS,
    OPPORTUNITY_STRATEGIES,
    THREAT_STRATEGIES,
    TRANSITIONS,
    Appetite,
    Assessment,
    Impact,
    ImpactDimension,
    ProbabilityImpactMatrix,
    RbsCategory,
    ResponseAction,
    ResponseStrategy,
    Risk,
    RiskBreakdownStructure,
    RiskKind,
    RiskResponse,
    RiskStatus,
)
from pmcore.model.risk_register import (
    ChangeAction,
    Issue,
    IssueLog,
    IssueStatus,
    RiskChange,
    RiskHistory,
    RiskRegister,
    RiskTrend,
    TrendPoint,
)
from pmcore.risk.escalation import EscalationReport, RiskEscalation, check_appetite
from pmcore.risk.scoring import (
    HeatMap,
    HeatMapCell,
    RiskRanking,
    RiskScore,
    expected_monetary_value,
    heat_map,
    matrix_score,
    rank_risks,
    score_risk,
)

__all__ = [
    "DEFAULT_ESCALATION_PATH",
    "MAX_LEVELS",
    "OPPORTUNITY_STRATEGIES",
    "THREAT_STRATEGIES",
    "TRANSITIONS",
    "Appetite",
    "Assessment",
    "ChangeAction",
    "EscalationReport",
    "HeatMap",
    "HeatMapCell",
    "Impact",
    "ImpactDimension",
    "Issue",
    "IssueLog",
    "IssueStatus",
    "ProbabilityImpactMatrix",
    "RbsCategory",
    "ResponseAction",
    "ResponseStrategy",
    "Risk",
    "RiskBreakdownStructure",
    "RiskChange",
    "RiskEscalation",
    "RiskHistory",
    "RiskKind",
    "RiskRanking",
    "RiskRegister",
    "RiskResponse",
    "RiskScore",
    "RiskStatus",
    "RiskTrend",
    "TrendPoint",
    "check_appetite",
    "expected_monetary_value",
    "heat_map",
    "matrix_score",
    "rank_risks",
    "score_risk",
]

# -- Monte Carlo schedule and cost risk analysis (pmcore.risk.montecarlo): names below
from pmcore.model.estimate import DistributionKind, Estimate
from pmcore.risk.correlation import Correlations
from pmcore.risk.montecarlo import (
    CostDistribution,
    DateDistribution,
    RiskEvent,
    SimulationResult,
    risk_events,
    simulate,
)

__all__ += [
    "Correlations",
    "CostDistribution",
    "DateDistribution",
    "DistributionKind",
    "Estimate",
    "RiskEvent",
    "SimulationResult",
    "risk_events",
    "simulate",
]
