"""Money: exact amounts in one currency, and conversion between currencies through a hook.

Amounts are :class:`~decimal.Decimal`, never ``float``. A project has one currency
(:attr:`pmcore.Project.currency`); adding amounts of two currencies is an error unless a
plugin converts them (the ``pmcore_convert_currency`` hook), because no exchange rate is ever
assumed.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import attrs

from pmcore.errors import ValidationError
from pmcore.model.resource import check_currency, parse_money

if TYPE_CHECKING:
    import pluggy

    from pmcore.plugins import Plugins

__all__ = ["CENT", "Money", "check_currency", "convert", "to_amount", "to_cents"]

CENT = Decimal("0.01")
"""Results are shown to the cent; sums are kept exact until then."""


def to_amount(value: Any, *, entity: str, field: str, signed: bool = False) -> Decimal:
    """An exact amount from a ``Decimal``, an ``int`` or a string; a ``float`` is refused.

    ``signed`` allows negative amounts (budget revisions that take money away).
    """
    amount = parse_money(value, entity=entity, field=field)
    if not amount.is_finite():
        raise ValidationError(f"expected an amount such as Decimal('85.50') or '85.50', got "
                              f"{value!r}", entity=entity, field=field)
    if amount < 0 and not signed:
        raise ValidationError(f"must not be negative, got {value!r}", entity=entity, field=field)
    return amount


def to_cents(amount: Decimal) -> Decimal:
    """``amount`` rounded half up to the cent (``Decimal('12.345')`` -> ``Decimal('12.35')``)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _to_decimal(value: Any) -> Decimal:
    return to_amount(value, entity="money", field="amount", signed=True)


def _to_code(value: Any) -> str:
    return check_currency(value, entity="money")


@attrs.frozen(order=False)
class Money:
    """An amount in a currency: ``Money("1250.00", "EUR")``.

    Adding or subtracting amounts of different currencies raises
    :class:`~pmcore.errors.ValidationError`; convert one first with :func:`convert`.

    >>> Money("10.10", "EUR") + Money("5", "EUR")
    Money('15.10', 'EUR')
    """

    amount: Decimal = attrs.field(converter=_to_decimal)
    currency: str = attrs.field(converter=_to_code)

    def _same(self, other: Money, operation: str) -> None:
        if self.currency != other.currency:
            raise ValidationError(f"cannot {operation} {other.currency} and {self.currency} "
                                  "amounts; convert one first (pmcore.finance.convert)",
                                  entity="money", field="currency")

    def __add__(self, other: Money) -> Money:
        self._same(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount <= other.amount

    def rounded(self) -> Money:
        """The amount to the cent."""
        return Money(to_cents(self.amount), self.currency)

    def __str__(self) -> str:
        return f"{to_cents(self.amount):,} {self.currency}"

    def __repr__(self) -> str:
        return f"Money({str(self.amount)!r}, {self.currency!r})"


def convert(money: Money, to: str, *, on: dt.date,
            plugins: Plugins | pluggy.PluginManager | None = None) -> Money:
    """``money`` in currency ``to`` at the rate of day ``on``, as a plugin converts it.

    The ``pmcore_convert_currency`` hook answers (the first plugin that returns an amount);
    an amount already in ``to`` is returned as it is.

    Raises:
        ValidationError: no plugin converts from ``money.currency`` to ``to`` (pmcore never
            guesses an exchange rate).
    """
    from pmcore.plugins import Plugins

    target = check_currency(to, entity="conversion", field="to")
    if money.currency == target:
        return money
    amount = Plugins.of(plugins).convert_currency(money.amount, money.currency, target, on)
    if amount is None:
        raise ValidationError(f"no plugin converts {money.currency} to {target} (implement "
                              "the pmcore_convert_currency hook)", entity="money",
                              field="currency")
    return Money(amount, target)
