"""Earned-value history: snapshots over time, trends, and threshold alerts.

Keep one :class:`~pmcore.finance.EvmSnapshot` per status date in an :class:`EvmHistory` to
chart CPI and SPI over time (:meth:`EvmHistory.trend`). :class:`Threshold` rules ("CPI below
0.9") are checked by :func:`check_thresholds`, which returns the :class:`VarianceAlert` s and
raises each as the ``pmcore_on_variance_alert`` event, so an integration can notify someone.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from pmcore.errors import ValidationError
from pmcore.finance.metrics import _to_decimal
from pmcore.finance.money import to_cents
from pmcore.model.base import to_enum

if TYPE_CHECKING:
    import pluggy

    from pmcore.finance.earned import EvmRow, EvmSnapshot
    from pmcore.plugins import Plugins

__all__ = ["Comparison", "EvmHistory", "Threshold", "VarianceAlert", "check_thresholds"]

# The metrics a threshold may watch: the numeric attributes of an EVM row.
_METRICS = ("pv", "ev", "ac", "sv", "cv", "spi", "cpi", "bac", "eac", "etc", "vac", "tcpi",
            "sv_percent", "cv_percent", "spi_t", "sv_t")


class Comparison(enum.Enum):
    """How a threshold compares a metric with its limit."""

    BELOW = "below"
    """The alert fires when the metric is strictly below the limit (CPI below 0.9)."""
    ABOVE = "above"
    """The alert fires when the metric is strictly above the limit (EAC above 1.1 x BAC)."""


_OPERATORS: dict[Comparison, Callable[[Any, Any], bool]] = {
    Comparison.BELOW: operator.lt, Comparison.ABOVE: operator.gt}


def _to_comparison(value: Any) -> Comparison:
    return to_enum(Comparison, value, entity="threshold", field="comparison")


def _to_limit(value: Any) -> Decimal:
    # As the EVM formulas read a figure: a float by its text (0.9, not 0.90000000000000002).
    return _to_decimal(value, entity="threshold", field="limit")


def _check_metric(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in _METRICS:
        raise ValidationError(f"must be one of {', '.join(_METRICS)}, got {value!r}",
                              entity="threshold", field="metric")


def _to_scopes(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen
class Threshold:
    """A variance alert rule: ``Threshold("cpi", "below", "0.9")``.

    Attributes:
        metric: the lower-case metric name (``cpi``, ``spi``, ``cv_percent``, ``spi_t``...).
        comparison: ``below`` or ``above`` (strictly).
        limit: the value compared with (a float is read as its shortest decimal text).
        scopes: which rows of a snapshot it watches: ``"project"`` (the default), ``"wbs"``
            (every WBS node), ``"account"`` (every control account), or several.
        name: how alerts call the rule (by default ``"cpi below 0.9"``).
    """

    metric: str = attrs.field(validator=_check_metric)
    comparison: Comparison = attrs.field(converter=_to_comparison)
    limit: Decimal = attrs.field(converter=_to_limit)
    scopes: tuple[str, ...] = attrs.field(default=("project",), converter=_to_scopes)
    name: str = attrs.field(default="")

    @scopes.validator
    def _check_scopes(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        bad = [s for s in value if s not in ("project", "wbs", "account")]
        if bad or not value:
            raise ValidationError(f"scopes are 'project', 'wbs' and 'account', got {value!r}",
                                  entity="threshold", field="scopes")

    @property
    def label(self) -> str:
        """The rule's name, or ``"<metric> <comparison> <limit>"``."""
        return self.name or f"{self.metric} {self.comparison.value} {self.limit}"

    def crossed_by(self, value: Decimal | None) -> bool:
        """True when ``value`` breaks the rule (an undefined metric never does)."""
        return value is not None and _OPERATORS[self.comparison](value, self.limit)


@attrs.frozen
class VarianceAlert:
    """A threshold crossed by one row of an earned-value snapshot.

    Attributes:
        project: the project's name.
        status_date: the snapshot's status date.
        scope: ``project``, ``wbs`` or ``account``; ``key`` the row (a WBS code, an account
            id, or the project's name).
        metric, value: the metric and its value in the snapshot.
        threshold: the rule crossed.
    """

    project: str
    status_date: dt.date
    scope: str
    key: str
    metric: str
    value: Decimal
    threshold: Threshold

    @property
    def message(self) -> str:
        """One line for a notification."""
        where = self.project if self.scope == "project" else f"{self.scope} {self.key}"
        shown = format(self.value.quantize(Decimal("0.0001")).normalize(), "f")
        return (f"{where}: {self.metric} = {shown} on {self.status_date}, "
                f"{self.threshold.comparison.value} {self.threshold.limit}")

    def __str__(self) -> str:
        return self.message


def check_thresholds(snapshot: EvmSnapshot, thresholds: Iterable[Threshold], *,
                     plugins: Plugins | pluggy.PluginManager | None = None,
                     notify: bool = True) -> tuple[VarianceAlert, ...]:
    """The alerts ``snapshot`` raises against ``thresholds``, each sent to the plugins.

    Every row of the scopes a threshold watches is checked; an undefined metric (CPI with no
    actual cost yet) raises nothing. With ``notify`` (the default) each alert is raised as the
    ``pmcore_on_variance_alert`` event, in the order returned.
    """
    from pmcore.plugins import Plugins

    alerts: list[VarianceAlert] = []
    rules = list(thresholds)
    for row in snapshot.rows:
        for rule in rules:
            if row.scope not in rule.scopes:
                continue
            value = getattr(row, rule.metric)
            if rule.crossed_by(value):
                alerts.append(VarianceAlert(snapshot.project, snapshot.status_date, row.scope,
                                            row.key, rule.metric, value, rule))
    if notify and alerts:
        facade = Plugins.of(plugins)
        for alert in alerts:
            facade.variance_alert(alert)
    return tuple(alerts)


def _by_date(snapshots: Iterable[EvmSnapshot]) -> tuple[EvmSnapshot, ...]:
    ordered = sorted(snapshots, key=lambda s: s.status_date)
    for before, after in itertools.pairwise(ordered):
        if before.status_date == after.status_date:
            raise ValidationError(f"two snapshots on {after.status_date}", entity="history",
                                  field="snapshots")
    return tuple(ordered)


@attrs.frozen
class EvmHistory:
    """Earned-value snapshots of one project over time, oldest first.

    ``history.add(snapshot)`` returns a new history; the history itself never changes.
    """

    snapshots: tuple[EvmSnapshot, ...] = attrs.field(default=(), converter=_by_date)

    def add(self, snapshot: EvmSnapshot) -> EvmHistory:
        """A new history with ``snapshot`` in its place by date."""
        return EvmHistory((*self.snapshots, snapshot))

    def __len__(self) -> int:
        return len(self.snapshots)

    def trend(self, metrics: Sequence[str] = ("cpi", "spi"), *, scope: str = "project",
              key: str | None = None) -> list[dict[str, Any]]:
        """One dict per snapshot: ``status_date`` and each metric of one row, for a chart.

        ``scope``/``key`` choose the row (the project's row by default; a WBS code or an
        account id otherwise). A snapshot without that row gives ``None`` values.
        """
        for metric in metrics:
            if metric not in _METRICS:
                raise ValidationError(f"must be one of {', '.join(_METRICS)}, got {metric!r}",
                                      entity="history", field="metrics")
        records: list[dict[str, Any]] = []
        for snapshot in self.snapshots:
            row: EvmRow | None = snapshot.row(scope, key)
            record: dict[str, Any] = {"status_date": snapshot.status_date}
            for metric in metrics:
                record[metric] = None if row is None else getattr(row, metric)
            records.append(record)
        return records

    def s_curve(self) -> list[dict[str, Any]]:
        """The S-curve over time: one dict per period of the latest snapshot's curve.

        ``pv_cumulative`` and ``ac_cumulative`` come from the latest snapshot (the plan as it
        now stands, the costs booked so far); ``ev_cumulative`` is the earned value of the
        latest snapshot whose status date falls in the period (``None`` for periods without
        one), so the three lines of the classic chart can be drawn from it. Money to the
        cent.
        """
        if not self.snapshots:
            return []
        latest = self.snapshots[-1]
        starts = [point.start for point in latest.curve]
        earned: dict[dt.date, Decimal] = {}
        for snapshot in self.snapshots:  # oldest first: the latest in a period wins
            index = bisect.bisect_right(starts, snapshot.status_date) - 1
            if index >= 0:
                earned[starts[index]] = snapshot.total.ev
        return [{**record, "ev_cumulative": None if record["period"] not in earned
                 else to_cents(earned[record["period"]])}
                for record in latest.curve_records()]

    def to_records(self) -> list[dict[str, Any]]:
        """Every row of every snapshot, each with its ``status_date`` (for pandas)."""
        return [record for snapshot in self.snapshots for record in snapshot.to_records()]
