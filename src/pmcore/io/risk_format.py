"""How a project's risk register is spelled in pmcore's JSON and YAML files.

The register is the project's ``"risks"`` object, written only when it holds something::

    "risks": {
      "items": [{"id": "RISK-1", "title": "Vendor delivers late", "category": "3.3",
                 "status": "assessed",
                 "assessment": {"probability": 0.3,
                                "impacts": {"cost": "40000", "schedule": "10d",
                                            "reputation": 2}},
                 "linked_tasks": ["T3"]}],
      "issues": [...], "reviews": ["2027-02-01"], "history": [...],
      "rbs": [...], "matrix": {...}, "appetite": [...], "escalation_path": [...]
    }

An impact is a level (a whole number: ``2``), a value (text: ``"40000"``, ``"10d"``), or both
(``{"level": 3, "value": "40000"}``). Money is text, as everywhere in the format. The RBS,
matrix and escalation path are written only when they differ from the defaults.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from pmcore.errors import ValidationError
from pmcore.io.converter import _an_object, _expect, _structure_list
from pmcore.model.duration import Duration
from pmcore.model.risk import (
    DEFAULT_ESCALATION_PATH,
    MAX_LEVELS,
    Appetite,
    Assessment,
    Impact,
    ImpactDimension,
    ProbabilityImpactMatrix,
    RbsCategory,
    ResponseAction,
    Risk,
    RiskBreakdownStructure,
    RiskResponse,
)
from pmcore.model.risk_register import Issue, RiskChange, RiskRegister

__all__ = ["register_risk_hooks", "structure_register", "unstructure_register"]

_KINDS = (ResponseAction, RiskResponse, Assessment, Risk, RbsCategory, Appetite, Issue,
          RiskChange)
_FIRST = ("id", "title", "on", "risk_id", "action", "from_status", "to_status")


def _structure_impacts(value: Any, _: Any) -> dict[str, Any]:
    _expect(dict, value, "a mapping of dimension (schedule, cost, scope, quality, reputation) "
            "to an impact")
    result: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, bool) or not isinstance(item, int | str | dict):
            raise ValidationError(f"an impact is a level (2), a value as text (\"40000\", "
                                  f"\"10d\") or {{\"level\": ..., \"value\": ...}}; {key!r} "
                                  f"is {item!r}")
        level = item if isinstance(item, int) else \
            item.get("level") if isinstance(item, dict) else None
        if isinstance(level, int) and not isinstance(level, bool) and level > MAX_LEVELS:
            # A bare number is a level, so 40000 here is almost surely an amount.
            raise ValidationError(f"impact {key!r}: {level} is not a level (1 to "
                                  f"{MAX_LEVELS}); write an amount as text: \"{level}\"")
        if isinstance(item, dict):
            unknown = set(item) - {"level", "value"}
            if unknown:
                raise ValidationError(f"unknown keys {sorted(unknown)} in impact {key!r}")
            if "value" in item and not isinstance(item["value"], str):
                raise ValidationError(f"impact {key!r}: the value is text (\"40000\"), got "
                                      f"{item['value']!r}")
        result[key] = item
    return result  # the Assessment's converter types each value by its dimension


def _unstructure_impacts(value: dict[ImpactDimension, Impact]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for dimension, impact in value.items():
        text = None if impact.value is None else str(impact.value)
        if text is None:
            result[dimension.value] = impact.level
        elif impact.level is None:
            result[dimension.value] = text
        else:
            result[dimension.value] = {"level": impact.level, "value": text}
    return result


def _unstructure_matrix(matrix: ProbabilityImpactMatrix) -> dict[str, Any]:
    data: dict[str, Any] = {
        "probability_labels": list(matrix.probability_labels),
        "impact_labels": list(matrix.impact_labels),
        "probability_bounds": list(matrix.probability_bounds),
        "probability_weights": list(matrix.probability_weights),
        "impact_weights": list(matrix.impact_weights),
        "ratings": [{"from": low, "rating": name} for low, name in matrix.ratings]}
    if matrix.impact_scales:
        data["impact_scales"] = {d.value: [str(v) for v in bounds]
                                 for d, bounds in matrix.impact_scales.items()}
    return data


_MATRIX_KEYS = frozenset({"probability_labels", "impact_labels", "probability_bounds",
                          "probability_weights", "impact_weights", "ratings", "impact_scales"})


def _structure_matrix(value: Any, _: Any) -> ProbabilityImpactMatrix:
    _expect(dict, value, "a probability-impact matrix object")
    unknown = sorted(set(value) - _MATRIX_KEYS)
    if unknown:
        raise ValidationError(f"unknown keys {unknown} in the matrix")
    for key in ("probability_bounds", "probability_weights", "impact_weights"):
        for item in value.get(key, []):
            if isinstance(item, bool) or not isinstance(item, int | float):
                raise ValidationError(f"{key}: expected numbers, got {item!r}")
    for bounds in (value.get("impact_scales") or {}).values():
        _expect(list, bounds, "a list of bounds as text")
        for bound in bounds:
            _expect(str, bound, "a bound as text (\"5000\", \"5d\")")
    return ProbabilityImpactMatrix(**value)


def register_risk_hooks(conv: cattrs.Converter) -> None:
    """Teach pmcore's converter the risk register's classes (called when it is built)."""
    conv.register_structure_hook_func(lambda t: t == dict[ImpactDimension, Impact],
                                      _structure_impacts)
    conv.register_unstructure_hook_func(lambda t: t == dict[ImpactDimension, Impact],
                                        _unstructure_impacts)
    conv.register_structure_hook(ProbabilityImpactMatrix, _structure_matrix)
    conv.register_unstructure_hook(ProbabilityImpactMatrix, _unstructure_matrix)
    conv.register_structure_hook(Duration | Decimal, _structure_any_amount)
    for kind in _KINDS:
        attrs.resolve_types(kind)
        conv.register_structure_hook(kind, _an_object(make_dict_structure_fn(
            kind, conv, _cattrs_forbid_extra_keys=True)))
        conv.register_unstructure_hook(kind, _ordered(make_dict_unstructure_fn(
            kind, conv, _cattrs_omit_if_default=True)))


def _structure_any_amount(value: Any, _: Any) -> Any:
    _expect(str, value, "text such as \"40000\" or \"10d\"")
    return value


def _ordered(unstructure: Callable[[Any], dict[str, Any]]) -> Callable[[Any], Any]:
    def ordered(value: Any) -> dict[str, Any]:
        data = unstructure(value)
        head = {k: data[k] for k in _FIRST if k in data}
        return head | {k: v for k, v in data.items() if k not in head}

    return ordered


def unstructure_register(conv: cattrs.Converter, register: RiskRegister) -> dict[str, Any]:
    """The register as plain data (defaults left out)."""
    data: dict[str, Any] = {"items": [conv.unstructure(r, Risk) for r in register.risks]}
    if len(register.issues):
        data["issues"] = [conv.unstructure(i, Issue) for i in register.issues]
    if register.reviews:
        data["reviews"] = [d.isoformat() for d in register.reviews]
    if len(register.history):
        data["history"] = [conv.unstructure(c, RiskChange) for c in register.history]
    if register.rbs != RiskBreakdownStructure.pmbok():
        data["rbs"] = [conv.unstructure(c, RbsCategory) for c in register.rbs]
    if register.matrix != ProbabilityImpactMatrix.five_by_five():
        data["matrix"] = conv.unstructure(register.matrix, ProbabilityImpactMatrix)
    if register.appetite:
        data["appetite"] = [conv.unstructure(a, Appetite) for a in register.appetite]
    if register.escalation_path != DEFAULT_ESCALATION_PATH:
        data["escalation_path"] = list(register.escalation_path)
    return data


def is_default(register: RiskRegister) -> bool:
    """True for a register a project file need not mention."""
    return not (len(register) or len(register.issues) or register.reviews
                or len(register.history) or register.appetite) \
        and register.escalation_path == DEFAULT_ESCALATION_PATH \
        and register.rbs == RiskBreakdownStructure.pmbok() \
        and register.matrix == ProbabilityImpactMatrix.five_by_five()


_KEYS = ("items", "issues", "reviews", "history", "rbs", "matrix", "appetite",
         "escalation_path")


def structure_register(conv: cattrs.Converter, data: Any) -> RiskRegister:
    """Build a register from plain data; references are left for validation."""
    _expect(dict, data, "a risk register object with \"items\"")
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise ValidationError(f"unknown keys {unknown} in risks")
    parts: dict[str, Any] = {}
    errors: list[Exception] = []

    def attempt(key: str, build: Callable[[], Any]) -> None:
        try:
            parts[key] = build()
        except Exception as exc:  # gathered with their paths, as the project's fields are
            exc.__notes__ = [*getattr(exc, "__notes__", []),
                             AttributeValidationNote(f"Structuring risks.{key}", key, list)]
            errors.append(exc)

    for key, kind in (("items", Risk), ("issues", Issue), ("history", RiskChange),
                      ("rbs", RbsCategory), ("appetite", Appetite)):
        if key in data:
            attempt(key, functools.partial(_structure_list, conv, data[key], kind, key))
    if "reviews" in data:
        attempt("reviews", lambda: [conv.structure(d, dt.date) for d in _listed(data["reviews"])])
    if "matrix" in data:
        attempt("matrix", lambda: conv.structure(data["matrix"], ProbabilityImpactMatrix))
    if "escalation_path" in data:
        attempt("escalation_path", lambda: [conv.structure(n, str)
                                            for n in _listed(data["escalation_path"])])
    if errors:
        raise cattrs.ClassValidationError("while reading risks", errors, RiskRegister)
    config: dict[str, Any] = {}
    if "rbs" in parts:
        config["rbs"] = RiskBreakdownStructure(tuple(parts["rbs"]))
    if "matrix" in parts:
        config["matrix"] = parts["matrix"]
    if "escalation_path" in parts:
        config["escalation_path"] = tuple(parts["escalation_path"])
    if "appetite" in parts:
        config["appetite"] = tuple(parts["appetite"])
    return RiskRegister.restore(risks=parts.get("items", ()), issues=parts.get("issues", ()),
                                history=parts.get("history", ()),
                                reviews=parts.get("reviews", ()), **config)


def _listed(value: Any) -> list[Any]:
    _expect(list, value, "a list")
    return list(value)
