"""Earned value of a project at a status date: for the project, every WBS node and every
control account.

:func:`evm` places every task's budget in time on the baseline's dates (the performance
measurement baseline, PMB), earns value by each task's method, adds up the actual costs dated
up to the status date, and hands the sums to :func:`pmcore.finance.evm_metrics` and
:func:`pmcore.finance.earned_schedule`: the formulas live there, once.

Earning methods (``Task.ev_method``), for a task whose budget is BAC:

=====================  ======================================================================
percent_complete       BAC x percent complete
physical_percent...    BAC x physical percent complete
0/100                  0, then BAC once complete
50/50                  BAC / 2 once started, BAC once complete
weighted_milestones    BAC x the weights of the milestones complete / all its weights
level_of_effort        its planned value at the status date (always on schedule)
apportioned_effort     BAC x (EV / BAC of its base task)
=====================  ======================================================================

A task is *complete* at 100 % or with an actual finish on or before the status date; it has
*started* with progress or an actual start on or before it. The status date is a day: PV and AC
include the whole of it. Budget revisions approved on or before the status date change a
task's BAC and scale its PV; reserves never enter the PMB.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

import attrs

from pmcore.errors import ValidationError
from pmcore.finance._engine import CostModel, TaskCost
from pmcore.finance.metrics import (
    _MONEY_FIELDS,
    EarnedSchedule,
    EvmMetrics,
    earned_schedule,
    evm_metrics,
)
from pmcore.finance.money import Money, convert, to_cents
from pmcore.finance.periods import Periods
from pmcore.finance.plan import CostPlan, FundingSource
from pmcore.model import Project
from pmcore.model.base import to_date
from pmcore.model.task import EarnedValueMethod, Task
from pmcore.schedule.timeline import Timeline

if TYPE_CHECKING:
    import pluggy

    from pmcore.plugins import Plugins

__all__ = ["SCOPES", "CurvePoint", "EvmRow", "EvmSnapshot", "evm"]

SCOPES = ("project", "wbs", "account")
"""The kinds of row a snapshot has: the project, WBS nodes, control accounts."""

UNASSIGNED = "(unassigned)"
"""The account row of tasks without a cost account."""

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_INDEX_PLACES = Decimal("0.0001")
_RATIOS = ("spi", "cpi", "tcpi", "tcpi_eac", "sv_percent", "cv_percent", "percent_complete",
           "es", "at", "sv_t", "spi_t", "ieac_t")


def _percent(value: float) -> Decimal:
    return Decimal(repr(value)) / _HUNDRED


_T = TypeVar("_T")


class _Figure(Generic[_T]):
    """A read-only attribute of an :class:`EvmRow` that is the figure of the same name (or
    ``name``) of its ``metrics`` or ``schedule`` (``None`` where that is ``None``)."""

    def __init__(self, source: str, name: str | None = None) -> None:
        self._source = source
        self._name = name or ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = self._name or name
        self.__doc__ = f"``{self._name}`` of :attr:`{self._source}`."

    @overload
    def __get__(self, row: None, owner: type) -> _Figure[_T]: ...
    @overload
    def __get__(self, row: object, owner: type) -> _T: ...

    def __get__(self, row: object, owner: type) -> _Figure[_T] | _T:
        if row is None:
            return self
        source = getattr(row, self._source)
        return cast(_T, None if source is None else getattr(source, self._name))


@attrs.frozen(repr=False)
class EvmRow:
    """The earned value of one scope (the project, a WBS node or a control account).

    Money is exact (``Decimal``, unrounded); :meth:`as_dict` and ``to_records`` show it to the
    cent. The earned-schedule figures are in periods of the snapshot (``None`` with no budget
    or before the first period); ``forecast_finish`` is the day ``ieac_t`` periods after the
    curve's origin.

    Attributes:
        scope, key, name: ``project`` / ``wbs`` / ``account``, the row's key (the project's
            name, a WBS code, an account id) and its name.
        metrics: the :class:`~pmcore.finance.EvmMetrics` of the row.
        schedule: the :class:`~pmcore.finance.EarnedSchedule` of the row, or ``None``.
        planned_finish, forecast_finish: the baseline's finish and the forecast one.

    Each figure of :attr:`metrics` (``bac``, ``pv``, ``ev``, ``ac``, ``cpi``, ``eac``, ...)
    and of :attr:`schedule` (``es``, ``at``, ``sv_t``, ``spi_t``, ``ieac_t``; ``None`` without
    a schedule) is also read on the row itself: ``row.cpi`` is ``row.metrics.cpi``, and
    ``row.tcpi`` is ``row.metrics.tcpi_bac``.
    """

    scope: str
    key: str
    name: str
    metrics: EvmMetrics
    schedule: EarnedSchedule | None
    planned_finish: dt.date | None
    forecast_finish: dt.date | None

    bac = _Figure[Decimal]("metrics")
    pv = _Figure[Decimal | None]("metrics")
    ev = _Figure[Decimal]("metrics")
    ac = _Figure[Decimal]("metrics")
    sv = _Figure[Decimal | None]("metrics")
    cv = _Figure[Decimal]("metrics")
    spi = _Figure[Decimal | None]("metrics")
    cpi = _Figure[Decimal | None]("metrics")
    eac = _Figure[Decimal | None]("metrics")
    eac_cpi = _Figure[Decimal | None]("metrics")
    eac_atypical = _Figure[Decimal]("metrics")
    eac_cpi_spi = _Figure[Decimal | None]("metrics")
    eac_bottom_up = _Figure[Decimal | None]("metrics")
    etc = _Figure[Decimal | None]("metrics")
    vac = _Figure[Decimal | None]("metrics")
    tcpi_bac = _Figure[Decimal | None]("metrics")
    tcpi_eac = _Figure[Decimal | None]("metrics")
    sv_percent = _Figure[Decimal | None]("metrics")
    cv_percent = _Figure[Decimal | None]("metrics")
    percent_complete = _Figure[Decimal | None]("metrics")
    percent_spent = _Figure[Decimal | None]("metrics")
    tcpi = _Figure[Decimal | None]("metrics", "tcpi_bac")
    """The to-complete performance index to finish on budget (``tcpi_bac``)."""
    es = _Figure[Decimal | None]("schedule")
    at = _Figure[Decimal | None]("schedule")
    sv_t = _Figure[Decimal | None]("schedule")
    spi_t = _Figure[Decimal | None]("schedule")
    ieac_t = _Figure[Decimal | None]("schedule")

    def as_dict(self) -> dict[str, Any]:
        """The row with money to the cent and ratios to 4 places (``Decimal`` s)."""
        record: dict[str, Any] = {"scope": self.scope, "key": self.key, "name": self.name}
        for name in _MONEY_FIELDS:
            value = getattr(self, name)
            record[name] = None if value is None else to_cents(value)
        for name in _RATIOS:
            value = getattr(self, name)
            record[name] = None if value is None else value.quantize(_INDEX_PLACES)
        record["planned_finish"] = self.planned_finish
        record["forecast_finish"] = self.forecast_finish
        return record

    def __repr__(self) -> str:
        def shown(value: Decimal | None, places: Decimal) -> str:
            return "-" if value is None else str(value.quantize(places))
        return (f"EvmRow({self.scope} {self.key!r}: pv={shown(self.pv, Decimal('0.01'))} "
                f"ev={shown(self.ev, Decimal('0.01'))} ac={shown(self.ac, Decimal('0.01'))} "
                f"cpi={shown(self.cpi, Decimal('0.001'))} spi={shown(self.spi, Decimal('0.001'))})")


@attrs.frozen
class CurvePoint:
    """One period of the project's S-curve: planned value, actual cost and (up to the
    status date) earned value, each in the period and cumulative."""

    start: dt.date
    label: str
    pv: Decimal
    pv_cumulative: Decimal
    ac: Decimal
    ac_cumulative: Decimal
    ev_cumulative: Decimal | None


@attrs.frozen(repr=False)
class EvmSnapshot:
    """Earned value at one status date (see :func:`evm`); immutable.

    Attributes:
        project, currency, status_date: whose, in what, when.
        periods: the periods of the curve (and of the earned-schedule figures).
        baseline: the baseline number of the PMB.
        rows: the project's row first, then the WBS rows in outline order, then the
            account rows.
        curve: the project's S-curve by period.
        management_reserve, contingency: the reserves, held apart from the PMB (the
            contingency left after the revisions funded from it).
    """

    project: str
    currency: str
    status_date: dt.date
    periods: Periods
    baseline: int
    rows: tuple[EvmRow, ...]
    curve: tuple[CurvePoint, ...]
    management_reserve: Decimal
    contingency: Decimal

    @property
    def total(self) -> EvmRow:
        """The project's row."""
        return self.rows[0]

    def row(self, scope: str = "project", key: str | None = None) -> EvmRow | None:
        """The row of ``scope`` and ``key`` (the project's row for ``scope="project"``)."""
        if scope == "project":
            return self.rows[0]
        return next((r for r in self.rows if r.scope == scope and r.key == key), None)

    def of(self, scope: str) -> tuple[EvmRow, ...]:
        """The rows of one scope."""
        return tuple(r for r in self.rows if r.scope == scope)

    @property
    def budget(self) -> Decimal:
        """The project budget: the PMB (BAC) plus the reserves."""
        return self.total.bac + self.management_reserve + self.contingency

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row (see :meth:`EvmRow.as_dict`) with the status date and currency."""
        return [{"status_date": self.status_date, "currency": self.currency, **row.as_dict()}
                for row in self.rows]

    def curve_records(self) -> list[dict[str, Any]]:
        """The S-curve, one dict per period (money to the cent)."""
        def cents(value: Decimal | None) -> Decimal | None:
            return None if value is None else to_cents(value)
        return [{"period": p.start, "label": p.label, "pv": cents(p.pv),
                 "pv_cumulative": cents(p.pv_cumulative), "ac": cents(p.ac),
                 "ac_cumulative": cents(p.ac_cumulative),
                 "ev_cumulative": cents(p.ev_cumulative)} for p in self.curve]

    def __repr__(self) -> str:
        t = self.total
        return (f"EvmSnapshot({self.project!r} on {self.status_date}, {self.currency}: "
                f"bac={to_cents(t.bac)} pv={to_cents(t.pv or _ZERO)} ev={to_cents(t.ev)} "
                f"ac={to_cents(t.ac)}, rows={len(self.rows)})")


# ------------------------------------------------------------------------------- computing


def _complete(task: Task, status: dt.date) -> bool:
    return task.percent_complete >= 100 or (
        task.actual_finish is not None and task.actual_finish.date() <= status)


def _started(task: Task, status: dt.date) -> bool:
    return task.percent_complete > 0 or _complete(task, status) or (
        task.actual_start is not None and task.actual_start.date() <= status)


@attrs.define
class _Figures:
    bac: Decimal = _ZERO
    pv: Decimal = _ZERO
    ev: Decimal = _ZERO
    ac: Decimal = _ZERO
    etc: Decimal = _ZERO
    buckets: dict[int, Decimal] = attrs.field(factory=lambda: defaultdict(Decimal))
    finish: dt.datetime | None = None
    incomplete: int = 0  # budgeted tasks not complete
    done_at: dt.datetime | None = None  # when the last complete budgeted task finished

    def add(self, other: _Figures) -> None:
        self.bac += other.bac
        self.pv += other.pv
        self.ev += other.ev
        self.ac += other.ac
        self.etc += other.etc
        for index, amount in other.buckets.items():
            self.buckets[index] += amount
        if other.finish is not None and (self.finish is None or other.finish > self.finish):
            self.finish = other.finish
        self.incomplete += other.incomplete
        if other.done_at is not None and (self.done_at is None or other.done_at > self.done_at):
            self.done_at = other.done_at


def _budgeted(cost: TaskCost, approved: Decimal | None, delta: Decimal,
              label: str) -> dict[int, Decimal]:
    """The task's budget by bucket: its approved budget (by default its cost on the
    baseline's dates) plus ``delta`` from revisions, spread as its cost is (or over its
    working time when it has none, or on its start)."""
    target = (cost.total if approved is None else approved) + delta
    if target < 0:
        raise ValidationError(f"budget revisions take its budget below zero ({target})",
                              entity=label, field="revisions")
    if target == cost.total:
        return dict(cost.buckets)
    if cost.total:
        factor = target / cost.total
        return {i: amount * factor for i, amount in cost.buckets.items()}
    minutes = sum(cost.minutes.values())
    if minutes:
        return {i: target * m / minutes for i, m in cost.minutes.items()}
    return {cost.first: target} if target else {}


def _actuals(project: Project, plan: CostPlan, status: dt.date,
             plugins: Plugins | pluggy.PluginManager | None) -> dict[str, list[tuple[dt.date,
                                                                             Decimal]]]:
    found: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for actual in plan.actuals:
        amount = actual.amount
        if actual.currency is not None and actual.currency != project.currency:
            try:
                amount = convert(Money(amount, actual.currency), project.currency,
                                 on=actual.date, plugins=plugins).amount
            except ValidationError as exc:
                raise ValidationError(exc.reason, entity=actual.label,
                                      field="currency") from None
        found[actual.task].append((actual.date, amount))
    return found


def evm(project: Project, plan: CostPlan | None = None, *,
        status_date: dt.date | dt.datetime | str, period: str = "week",
        fiscal_year_start: int = 1, baseline: int = 0, by: str | Iterable[str] = (),
        eac_method: str = "cpi",
        plugins: Plugins | pluggy.PluginManager | None = None) -> EvmSnapshot:
    """The earned value of ``project`` at ``status_date``.

    Args:
        plan: the project's :class:`~pmcore.finance.CostPlan` (accounts, reserves, expenses,
            actual costs, revisions); none means no actual cost.
        status_date: the day progress is measured (required: never assumed to be today).
        period: the periods of the S-curve and of earned schedule (``day``, ``week``,
            ``month``, ``quarter``, ``year``); ``fiscal_year_start`` the month a fiscal year
            starts.
        baseline: the baseline whose dates are the PMB (0, MS Project's "Baseline").
        by: rows besides the project's: ``"wbs"`` (every task, by WBS code) and/or
            ``"account"`` (every control account).
        eac_method: which forecast ``eac`` is (see :func:`~pmcore.finance.evm_metrics`).
        plugins: converts actual costs in other currencies (``pmcore_convert_currency``).

    Raises:
        ValidationError: a task with costs but no baseline, an unknown account or task in the
            plan, an actual cost before the project start, a currency no plugin converts.
    """
    status = to_date(status_date)
    scopes = (by,) if isinstance(by, str) else tuple(by)
    for scope in scopes:
        if scope not in ("wbs", "account"):
            raise ValidationError(f"must be 'wbs' or 'account', got {scope!r}",
                                  entity="evm", field="by")
    plan = plan or CostPlan()
    plan.check(project)
    periods = Periods(period, fiscal_year_start)
    pmb = CostModel(project, plan, baseline=baseline)
    actuals = _actuals(project, plan, status, plugins)
    first_days = [d for d in (pmb.first_day, project.start.date() if project.start else None)
                  if d is not None] + [d for items in actuals.values() for d, _ in items]
    first = min(first_days, default=status)
    last = max(d for d in (pmb.last_day, status, first) if d is not None)
    starts = periods.starts(min(first, status), last)
    ends = [*starts[1:], periods.next_start(starts[-1])]
    cut = status + dt.timedelta(days=1)
    days = sorted({*starts, ends[-1], cut})
    cut_index = days.index(cut)
    period_of = [bisect.bisect_right(starts, d) - 1 for d in days[:-1]]  # bucket -> period
    costs = pmb.phase(days)
    # The current plan's cost of a task differs from its budget only when its dates moved
    # (rates apply by day), so only those tasks are costed again.
    current = CostModel(project, plan, baseline=None)
    moved = [t for t, when in current.dates.items() if pmb.dates.get(t) != when]
    forecast_totals = {t: cost.total for t, cost in costs.items()}
    if moved:
        span = [d for d in (current.first_day, current.last_day) if d is not None]
        for task_id, now in current.phase([min(span), max(span) + dt.timedelta(days=1)],
                                          only=moved).items():
            forecast_totals[task_id] = now.total

    revisions = plan.revisions_until(status)
    deltas: dict[str, Decimal] = defaultdict(Decimal)
    for revision in revisions:
        deltas[revision.task] += revision.amount
    figures: dict[str, _Figures] = {}
    for task in project.tasks:
        item = _Figures()
        cost = costs.get(task.id)
        if cost is not None:
            item.buckets = defaultdict(Decimal, _budgeted(
                cost, plan.budgets.get(task.id), deltas.get(task.id, _ZERO), task.label))
            item.bac = sum(item.buckets.values(), _ZERO)
            item.pv = sum((a for i, a in item.buckets.items() if i < cut_index), _ZERO)
            item.finish = pmb.dates[task.id][1]
        item.ac = sum((a for d, a in actuals.get(task.id, ()) if d <= status), _ZERO)
        if task.id in forecast_totals:
            item.etc = forecast_totals[task.id] * (1 - min(_percent(task.percent_complete),
                                                           Decimal(1)))
        figures[task.id] = item
    _earn(project, plan, status, figures)
    for task in project.tasks:
        item = figures[task.id]
        if item.bac > 0:
            if _complete(task, status):
                item.done_at = task.actual_finish or item.finish
            else:
                item.incomplete = 1

    rows: list[EvmRow] = []
    total = _Figures()
    for item in figures.values():
        total.add(item)
    row_args = (status, _Axis(project, starts, ends), period_of, eac_method)
    rows.append(_row("project", project.name, project.name, total, *row_args))
    if "wbs" in scopes:
        for task in project.tasks:
            node = _Figures()
            for member in (task, *project.descendants(task)):
                node.add(figures[member.id])
            rows.append(_row("wbs", project.wbs_code(task), task.name, node, *row_args))
    contingency = plan.contingency - sum(
        (r.amount for r in revisions if r.source is FundingSource.CONTINGENCY), _ZERO)
    reserve = plan.management_reserve - sum(
        (r.amount for r in revisions if r.source is FundingSource.MANAGEMENT_RESERVE), _ZERO)
    if "account" in scopes:
        # an account's row holds its own tasks and those of every account below it
        own: dict[str, list[Task]] = {}
        for task in project.tasks:
            own.setdefault(task.cost_account or UNASSIGNED, []).append(task)
        names = {a.id: a.name for a in plan.accounts}
        for key in [*(a.id for a in plan.accounts), UNASSIGNED]:
            node = _Figures()
            for code in (plan.within(key) if key != UNASSIGNED else (key,)):
                for leaf in own.get(code, []):
                    node.add(figures[leaf.id])
            if key != UNASSIGNED or node.bac or node.ac:
                rows.append(_row("account", key, names.get(key, ""), node, *row_args))
    return EvmSnapshot(project=project.name, currency=project.currency, status_date=status,
                       periods=periods, baseline=baseline, rows=tuple(rows),
                       curve=_curve(periods, starts, period_of, total, actuals, status,
                                    cut_index),
                       management_reserve=reserve, contingency=contingency)


def _earn(project: Project, plan: CostPlan, status: dt.date, figures: dict[str, _Figures]) -> None:
    weights = plan.milestone_weights
    bases = {a.task: a.base for a in plan.apportioned}
    later: list[Task] = []
    for task in project.tasks:
        item = figures[task.id]
        method = task.ev_method
        if method is EarnedValueMethod.PERCENT_COMPLETE:
            item.ev = item.bac * _percent(task.percent_complete)
        elif method is EarnedValueMethod.PHYSICAL_PERCENT_COMPLETE:
            item.ev = item.bac * _percent(task.physical_percent_complete)
        elif method is EarnedValueMethod.ZERO_HUNDRED:
            item.ev = item.bac if _complete(task, status) else _ZERO
        elif method is EarnedValueMethod.FIFTY_FIFTY:
            item.ev = item.bac if _complete(task, status) else (
                item.bac / 2 if _started(task, status) else _ZERO)
        elif method is EarnedValueMethod.WEIGHTED_MILESTONES:
            marks = weights[task.id]
            done = sum((w.weight for w in marks if _complete(project.task(w.milestone),
                                                             status)), _ZERO)
            item.ev = item.bac * done / sum((w.weight for w in marks), _ZERO)
        elif method is EarnedValueMethod.LEVEL_OF_EFFORT:
            item.ev = item.pv
        else:
            later.append(task)
    for task in later:  # apportioned effort follows its base, earned above
        item, base = figures[task.id], figures[bases[task.id]]
        item.ev = item.bac * base.ev / base.bac if base.bac else _ZERO


class _Axis:
    """The curve's time axis in periods, measured in working time of the project calendar.

    Position ``i + f`` is period ``i`` (from 0) with the fraction ``f`` of its working time
    gone, so a status at the end of Friday is a whole week and the weekend adds nothing. A
    period without working time counts by calendar days instead.
    """

    def __init__(self, project: Project, starts: Sequence[dt.date], ends: Sequence[dt.date]):
        self.starts, self.ends = list(starts), list(ends)
        self.timeline = Timeline(project.effective_calendar(), starts[0])
        self.work = [self._work(d) for d in (*starts, ends[-1])]

    def _work(self, day: dt.date) -> int:
        return self.timeline.work_of(dt.datetime.combine(day, dt.time()))

    def position(self, moment: dt.datetime) -> Decimal:
        """Where ``moment`` lies on the axis (0 before it starts)."""
        index = bisect.bisect_right(self.starts, moment.date()) - 1
        if index < 0:
            return _ZERO
        index = min(index, len(self.starts) - 1)
        span = self.work[index + 1] - self.work[index]
        if span <= 0:
            start = dt.datetime.combine(self.starts[index], dt.time())
            days = (self.ends[index] - self.starts[index]).days
            return index + Decimal((moment - start).total_seconds()) / (days * 86400)
        done = min(self.timeline.work_of(moment) - self.work[index], span)
        return index + Decimal(done) / span

    def day_at(self, position: Decimal) -> dt.date:
        """The day on which ``position`` falls (past the end, periods as long as the last)."""
        index = int(position)
        fraction = position - index
        if index >= len(self.starts):  # beyond the curve: whole periods like the last one
            span = self.work[-1] - self.work[-2]
            target = self.work[-1] + int((index - len(self.starts) + fraction) * span)
        else:
            span = self.work[index + 1] - self.work[index]
            target = self.work[index] + int((fraction * span).to_integral_value())
        return self.timeline.finish_datetime(max(target, self.work[0])).date()


def _row(scope: str, key: str, name: str, item: _Figures, status: dt.date, axis: _Axis,
         period_of: Sequence[int], eac_method: str) -> EvmRow:
    metrics = evm_metrics(bac=item.bac, pv=item.pv, ev=item.ev, ac=item.ac, etc=item.etc,
                          eac_method=eac_method)
    schedule = None
    planned = forecast = None
    if item.finish is not None:
        planned = item.finish.date()
    # Nothing due and nothing earned: earned schedule would count the idle periods before the
    # work as earned time, so it is left undefined.
    if item.bac > 0 and item.finish is not None and (item.pv > 0 or item.ev > 0):
        by_period: dict[int, Decimal] = defaultdict(Decimal)
        for index, amount in item.buckets.items():
            by_period[period_of[index]] += amount
        pd = axis.position(item.finish)
        periods = max(1, int(pd.to_integral_value(rounding="ROUND_CEILING")))
        active = [p for p, amount in by_period.items() if amount and p < periods]
        if active:
            # Periods before the first planned value count whole whatever EV is, so the
            # curve handed on starts at the first one: ES = that many + ES on the rest
            # (a WBS node of a few weeks in a three-year plan needs a few points, not 150).
            offset = min(active)
            cumulative, running = [], _ZERO
            for period in range(offset, periods):
                running += by_period.get(period, _ZERO)
                cumulative.append(running)
            at = axis.position(dt.datetime.combine(status + dt.timedelta(days=1), dt.time()))
            if not item.incomplete and item.done_at is not None:
                at = min(at, axis.position(item.done_at))  # Lipke: a finished job's AT stops
            es = offset + earned_schedule(pv_cumulative=cumulative, ev=min(item.ev, running),
                                          at=at).es
            whole = int(pd)
            if pd != whole and es > whole:
                # The last period is planned only up to PD: its planned value is earned over
                # that part of it, so the time earned in it scales to that part (ES = PD when
                # everything is earned, as Lipke has it at completion).
                es = whole + (es - whole) * (pd - whole)
            schedule = EarnedSchedule.from_es(es=es, at=at, pd=pd)
        if schedule is not None and schedule.ieac_t is not None:
            forecast = axis.day_at(schedule.ieac_t)
    return EvmRow(scope, key, name, metrics, schedule, planned, forecast)


def _curve(periods: Periods, starts: Sequence[dt.date], period_of: Sequence[int],
           total: _Figures, actuals: dict[str, list[tuple[dt.date, Decimal]]],
           status: dt.date, cut_index: int) -> tuple[CurvePoint, ...]:
    pv = [_ZERO] * len(starts)
    for index, amount in total.buckets.items():
        pv[period_of[index]] += amount
    ac = [_ZERO] * len(starts)
    for items in actuals.values():
        for day, amount in items:
            if day <= status:
                ac[max(0, bisect.bisect_right(starts, day) - 1)] += amount
    status_period = bisect.bisect_right(starts, status) - 1
    points: list[CurvePoint] = []
    pv_running = ac_running = _ZERO
    for index, start in enumerate(starts):
        pv_running += pv[index]
        ac_running += ac[index]
        points.append(CurvePoint(start, periods.label(start), pv[index], pv_running,
                                 ac[index], ac_running,
                                 total.ev if index == status_period else None))
    return tuple(points)
