"""The cost plan: what a project's budget needs beyond its tasks and resources.

A :class:`CostPlan` sits beside a :class:`~pmcore.Project` (the project keeps rates, fixed costs
and the cost account of each task; the plan keeps the rest):

* control accounts (:class:`ControlAccount`), each with its contingency reserve, and the
  project's management reserve: reserves are held apart from the performance measurement
  baseline and never enter planned value;
* planned expenses (:class:`Expense`): dated one-off costs of a task (a licence, a trip);
* actual costs (:class:`ActualCost`): dated amounts spent on a task, in any currency;
* approved task budgets (``budgets``, see :func:`pmcore.finance.approve_budget`): the cost of
  each task when the budget was approved, so that later changes to rates or assignments do
  not move the performance measurement baseline;
* budget revisions (:class:`BudgetRevision`): dated, approved changes to a task's budget, kept as
  records so the original baseline stays available for audit;
* what the weighted-milestone and apportioned-effort methods of earning value need.

Keeping it apart keeps the project small, while one JSON file (:func:`write_cost_plan`,
:func:`read_cost_plan`) carries a project's costs; the ``pmcore evm`` command takes it with
``--costs``. :meth:`CostPlan.check` checks it against the project.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from pmcore.errors import CycleError, FormatError, UnknownReferenceError, ValidationError
from pmcore.finance.money import check_currency, to_amount
from pmcore.model import Project
from pmcore.model.base import check_id, to_date, to_enum
from pmcore.model.task import EarnedValueMethod

__all__ = ["ActualCost", "ApportionedEffort", "BudgetRevision", "ControlAccount", "CostPlan",
           "Expense", "FundingSource", "WeightedMilestone", "read_cost_plan", "write_cost_plan"]

FORMAT = "pmcore-costs"


def _text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        raise ValidationError(f"must be text, got {value!r}", entity=instance.label,
                              field=attribute.name)


def _reference(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        check_id(instance.label, attribute.name, value)


@attrs.frozen(kw_only=True)
class ControlAccount:
    """A control account of the cost breakdown structure: tasks whose ``cost_account`` is its
    id roll up to it, and so do the accounts below it.

    Attributes:
        id: the account's code (``"CA-1.2"``).
        name, manager: as shown in reports.
        contingency: the contingency reserve for the account's known risks; held apart from
            its budget (the performance measurement baseline), released by budget revisions.
        parent: the id of the account this one rolls up to (``None`` at the top of the cost
            breakdown structure).
    """

    id: str
    name: str = attrs.field(default="", validator=_text)
    manager: str = attrs.field(default="", validator=_text)
    contingency: Decimal = attrs.field(default=Decimal(0))
    parent: str | None = None

    def __attrs_post_init__(self) -> None:
        check_id("control account", "id", self.id)
        if self.parent is not None:
            check_id(self.label, "parent", self.parent)
        object.__setattr__(self, "contingency", to_amount(self.contingency, entity=self.label,
                                                          field="contingency"))

    @property
    def label(self) -> str:
        """How messages name it: ``account 'CA-1'``."""
        return f"account {getattr(self, 'id', '?')!r}"


@attrs.frozen(kw_only=True)
class Expense:
    """A planned one-off cost of a task on a day (part of the task's budget)."""

    task: str
    date: dt.date = attrs.field(converter=to_date)
    amount: Decimal
    description: str = attrs.field(default="", validator=_text)

    def __attrs_post_init__(self) -> None:
        check_id(self.label, "task", self.task)
        object.__setattr__(self, "amount", to_amount(self.amount, entity=self.label,
                                                     field="amount"))

    @property
    def label(self) -> str:
        """How messages name it: ``expense of T3 on 2027-02-01``."""
        return f"expense of {getattr(self, 'task', '?')} on {getattr(self, 'date', '?')}"


@attrs.frozen(kw_only=True)
class ActualCost:
    """An amount actually spent on a task on a day.

    ``currency`` is the project's by default; an amount in another currency is converted on
    its day through the ``pmcore_convert_currency`` hook.
    """

    task: str
    date: dt.date = attrs.field(converter=to_date)
    amount: Decimal
    currency: str | None = None
    description: str = attrs.field(default="", validator=_text)

    def __attrs_post_init__(self) -> None:
        check_id(self.label, "task", self.task)
        object.__setattr__(self, "amount", to_amount(self.amount, entity=self.label,
                                                     field="amount"))
        if self.currency is not None:
            check_currency(self.currency, entity=self.label)

    @property
    def label(self) -> str:
        """How messages name it: ``actual cost of T3 on 2027-02-01``."""
        return f"actual cost of {getattr(self, 'task', '?')} on {getattr(self, 'date', '?')}"


class FundingSource(enum.Enum):
    """Where the money of a budget revision comes from (or goes back to, when negative)."""

    MANAGEMENT_RESERVE = "management_reserve"
    CONTINGENCY = "contingency"
    """The contingency reserve of the task's control account."""
    NEW_FUNDS = "new_funds"
    """Money added to the project by its sponsor (a change request)."""


def _to_source(value: Any) -> FundingSource:
    return to_enum(FundingSource, value, entity="budget revision", field="source")


@attrs.frozen(kw_only=True)
class BudgetRevision:
    """An approved change to a task's budget from ``approved_on``.

    The original baseline is never changed: the revision is added to it for every status date
    on or after ``approved_on``, and spread over the task's planned time as its budget is
    (a task without budget gets it over its working time).

    Attributes:
        id: the change record's reference (``"CR-12"``).
        task: the task (work package) whose budget changes.
        amount: the change, negative to take budget away.
        approved_on, approved_by: when and by whom it was approved (both required).
        source: the reserve or the new money it is funded from.
        reason: free text.
    """

    id: str
    task: str
    amount: Decimal
    approved_on: dt.date = attrs.field(converter=to_date)
    approved_by: str = attrs.field(validator=_text)
    source: FundingSource = attrs.field(default=FundingSource.MANAGEMENT_RESERVE,
                                        converter=_to_source)
    reason: str = attrs.field(default="", validator=_text)

    def __attrs_post_init__(self) -> None:
        check_id("budget revision", "id", self.id)
        check_id(self.label, "task", self.task)
        object.__setattr__(self, "amount", to_amount(self.amount, entity=self.label,
                                                     field="amount", signed=True))
        if not self.approved_by.strip():
            raise ValidationError("a budget revision needs its approver", entity=self.label,
                                  field="approved_by")

    @property
    def label(self) -> str:
        """How messages name it: ``budget revision 'CR-12'``."""
        return f"budget revision {getattr(self, 'id', '?')!r}"


@attrs.frozen
class WeightedMilestone:
    """A milestone of a weighted-milestone task and its weight (relative, e.g. 30)."""

    milestone: str
    weight: Decimal

    def __attrs_post_init__(self) -> None:
        check_id("weighted milestone", "milestone", self.milestone)
        object.__setattr__(self, "weight", to_amount(self.weight, entity="weighted milestone "
                                                     f"{self.milestone!r}", field="weight"))


@attrs.frozen
class ApportionedEffort:
    """An apportioned-effort task earns in proportion to ``base``'s earned value (inspection
    at 10 % of the build it inspects)."""

    task: str
    base: str

    def __attrs_post_init__(self) -> None:
        check_id("apportioned effort", "task", self.task)
        check_id("apportioned effort", "base", self.base)
        if self.task == self.base:
            raise ValidationError("a task cannot be apportioned to itself",
                                  entity=f"task {self.task!r}", field="base")


def _tuple_of(kind: type[Any]) -> Any:
    def convert(value: Any) -> tuple[Any, ...]:
        if value is None:
            return ()
        if isinstance(value, kind):
            return (value,)
        return tuple(v if isinstance(v, kind) else kind(**v) for v in value)
    return convert


def _to_accounts(value: Any) -> tuple[ControlAccount, ...]:
    return _tuple_of(ControlAccount)(value)  # type: ignore[no-any-return]


def _to_expenses(value: Any) -> tuple[Expense, ...]:
    return _tuple_of(Expense)(value)  # type: ignore[no-any-return]


def _to_actuals(value: Any) -> tuple[ActualCost, ...]:
    return _tuple_of(ActualCost)(value)  # type: ignore[no-any-return]


def _to_revisions(value: Any) -> tuple[BudgetRevision, ...]:
    return _tuple_of(BudgetRevision)(value)  # type: ignore[no-any-return]


def _to_apportioned(value: Any) -> tuple[ApportionedEffort, ...]:
    return _tuple_of(ApportionedEffort)(value)  # type: ignore[no-any-return]


def _to_milestones(value: Any) -> dict[str, tuple[WeightedMilestone, ...]]:
    result: dict[str, tuple[WeightedMilestone, ...]] = {}
    for task, items in dict(value or {}).items():
        result[task] = tuple(
            item if isinstance(item, WeightedMilestone)
            else WeightedMilestone(**item) if isinstance(item, Mapping)
            else WeightedMilestone(*item) for item in items)
    return result


def _to_budgets(value: Any) -> dict[str, Decimal]:
    if not isinstance(value, Mapping):
        raise ValidationError(f"must map task ids to amounts, got {value!r}",
                              entity="cost plan", field="budgets")
    return {task: to_amount(amount, entity=f"approved budget of {task!r}", field="amount")
            for task, amount in value.items()}


def _to_reserve(value: Any) -> Decimal:
    return to_amount(value, entity="cost plan", field="management_reserve")


@attrs.frozen(kw_only=True)
class CostPlan:
    """A project's accounts, reserves, expenses, actual costs and budget revisions.

    >>> plan = CostPlan(accounts=[ControlAccount(id="CA-1", contingency="5000")],
    ...                 management_reserve="10000")
    >>> plan.account("CA-1").contingency
    Decimal('5000')
    """

    accounts: tuple[ControlAccount, ...] = attrs.field(default=(),
                                                       converter=_to_accounts)
    management_reserve: Decimal = attrs.field(default=Decimal(0), converter=_to_reserve)
    expenses: tuple[Expense, ...] = attrs.field(default=(), converter=_to_expenses)
    actuals: tuple[ActualCost, ...] = attrs.field(default=(), converter=_to_actuals)
    revisions: tuple[BudgetRevision, ...] = attrs.field(default=(),
                                                        converter=_to_revisions)
    milestone_weights: dict[str, tuple[WeightedMilestone, ...]] = attrs.field(
        factory=dict, converter=_to_milestones)
    apportioned: tuple[ApportionedEffort, ...] = attrs.field(
        default=(), converter=_to_apportioned)
    budgets: dict[str, Decimal] = attrs.field(factory=dict, converter=_to_budgets)

    def __attrs_post_init__(self) -> None:
        for kind, ids in (("account", [a.id for a in self.accounts]),
                          ("budget revision", [r.id for r in self.revisions])):
            seen: set[str] = set()
            for item in ids:
                if item in seen:
                    raise ValidationError(f"id {item!r} is used twice", entity=f"{kind} {item!r}",
                                          field="id")
                seen.add(item)
        known = {a.id: a.parent for a in self.accounts}
        for account in self.accounts:
            if account.parent is not None and account.parent not in known:
                raise UnknownReferenceError(account.parent, kind="control account",
                                            entity=account.label, field="parent")
            path, above = [account.id], account.parent
            while above is not None:
                if above in path:
                    raise CycleError([*path[path.index(above):], above],
                                     kind="control account", entity="cost plan")
                path.append(above)
                above = known[above]

    def within(self, account_id: str) -> tuple[str, ...]:
        """``account_id`` and the ids of every account below it in the cost breakdown
        structure, in the plan's order: what rolls up to it."""
        self.account(account_id)
        children: dict[str, list[str]] = {}
        for account in self.accounts:
            if account.parent is not None:
                children.setdefault(account.parent, []).append(account.id)
        below, stack = {account_id}, [account_id]
        while stack:
            for child in children.get(stack.pop(), ()):
                below.add(child)
                stack.append(child)
        return tuple(a.id for a in self.accounts if a.id in below)

    def account(self, account_id: str) -> ControlAccount:
        """The control account ``account_id``; UnknownReferenceError if there is none."""
        for account in self.accounts:
            if account.id == account_id:
                return account
        raise UnknownReferenceError(account_id, kind="control account", entity="cost plan",
                                    field="accounts")

    @property
    def contingency(self) -> Decimal:
        """The contingency reserves of every account together."""
        return sum((a.contingency for a in self.accounts), Decimal(0))

    def revisions_until(self, day: dt.date | None) -> tuple[BudgetRevision, ...]:
        """The revisions approved on or before ``day`` (all of them for ``None``)."""
        return tuple(r for r in self.revisions if day is None or r.approved_on <= day)

    def check(self, project: Project) -> None:
        """Check every reference against ``project``.

        Raises:
            UnknownReferenceError: a task, milestone or account that does not exist, naming
                the item that refers to it (a task's ``cost_account`` included).
            ValidationError: an actual cost dated before the project start; a
                weighted-milestone task without weights or an apportioned task without base;
                a base that is itself apportioned.
        """
        accounts = {a.id for a in self.accounts}
        for task in project.tasks:
            if task.cost_account is not None and task.cost_account not in accounts:
                raise UnknownReferenceError(task.cost_account, kind="control account",
                                            entity=task.label, field="cost_account")
        items: list[tuple[str, str, str]] = [
            *((e.label, "task", e.task) for e in self.expenses),
            *((a.label, "task", a.task) for a in self.actuals),
            *((r.label, "task", r.task) for r in self.revisions),
            *((f"weighted milestones of {t!r}", "task", t) for t in self.milestone_weights),
            *((f"weighted milestones of {t!r}", "milestone", w.milestone)
              for t, ws in self.milestone_weights.items() for w in ws),
            *((f"apportioned effort of {a.task!r}", "task", a.task) for a in self.apportioned),
            *((f"apportioned effort of {a.task!r}", "base", a.base) for a in self.apportioned),
            *((f"approved budget of {t!r}", "task", t) for t in self.budgets),
        ]
        for entity, field, task_id in items:
            if task_id not in project:
                raise UnknownReferenceError(task_id, kind="task", entity=entity, field=field)
        if project.start is not None:
            for actual in self.actuals:
                if actual.date < project.start.date():
                    raise ValidationError(f"is dated before the project start "
                                          f"{project.start.date()}", entity=actual.label,
                                          field="date")
        bases = {a.task: a.base for a in self.apportioned}
        for task_id, base in bases.items():
            if base in bases:
                raise ValidationError(f"its base {base!r} is itself apportioned",
                                      entity=f"task {task_id!r}", field="base")
        for task in project.tasks:
            if task.ev_method is EarnedValueMethod.WEIGHTED_MILESTONES and not any(
                    w.weight > 0 for w in self.milestone_weights.get(task.id, ())):
                raise ValidationError("earns by weighted milestones but the cost plan gives "
                                      "it no milestone weights", entity=task.label,
                                      field="ev_method")
            if task.ev_method is EarnedValueMethod.APPORTIONED_EFFORT and task.id not in bases:
                raise ValidationError("earns by apportioned effort but the cost plan names no "
                                      "base task", entity=task.label, field="ev_method")

    # -- plain data -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data (money as strings, dates as ISO text), for JSON."""
        def plain(value: Any) -> Any:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, enum.Enum):
                return value.value
            return value

        def items(objects: Iterable[Any]) -> list[dict[str, Any]]:
            return [{k: plain(v) for k, v in attrs.asdict(o, recurse=False).items()
                     if v is not None and v != ""} for o in objects]

        data: dict[str, Any] = {"format": FORMAT, "version": 1}
        if self.management_reserve:
            data["management_reserve"] = str(self.management_reserve)
        for key in ("accounts", "expenses", "actuals", "revisions", "apportioned"):
            if getattr(self, key):
                data[key] = items(getattr(self, key))
        if self.milestone_weights:
            data["milestone_weights"] = {t: items(ws) for t, ws in
                                         self.milestone_weights.items()}
        if self.budgets:
            data["budgets"] = {t: str(amount) for t, amount in self.budgets.items()}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CostPlan:
        """A plan from :meth:`to_dict`'s plain data.

        Raises:
            ValidationError: a bad value, naming the item and the field; unknown keys.
        """
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise ValidationError(f"expected a {FORMAT!r} document", entity="cost plan",
                                  field="format")
        fields = {"accounts", "management_reserve", "expenses", "actuals", "revisions",
                  "milestone_weights", "apportioned", "budgets"}
        unknown = sorted(set(data) - fields - {"format", "version"})
        if unknown:
            raise ValidationError(f"unknown keys {unknown}", entity="cost plan")
        try:
            return cls(**{k: v for k, v in data.items() if k in fields})
        except TypeError as exc:  # an unknown or missing key in an item
            raise ValidationError(str(exc), entity="cost plan") from None


def write_cost_plan(plan: CostPlan, path: str | Path) -> None:
    """Write ``plan`` as JSON to ``path``."""
    Path(path).write_text(json.dumps(plan.to_dict(), indent=2) + "\n", encoding="utf-8")


def read_cost_plan(path: str | Path) -> CostPlan:
    """Read a cost plan written by :func:`write_cost_plan` (or by hand).

    Raises:
        FormatError: the file is not JSON or not a valid cost plan, naming the file.
    """
    source = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError(f"cannot read a cost plan: {exc}", source=source) from None
    try:
        return CostPlan.from_dict(data)
    except ValidationError as exc:
        raise FormatError(str(exc), source=source) from None
