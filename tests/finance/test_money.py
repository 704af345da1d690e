"""Money: exact amounts, one currency at a time, conversion only through the
``pmcore_convert_currency`` hook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pmcore.errors import PluginError, ValidationError
from pmcore.finance import Money, convert, to_cents
from pmcore.plugins import hookimpl, make_plugin_manager


class FixedRates:
    """A plugin with one rate: 1 USD = 0.92 EUR, from 2027 only."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    @hookimpl
    def pmcore_convert_currency(self, amount: Decimal, from_currency: str, to_currency: str,
                                on: dt.date) -> Decimal | None:
        self.calls.append((amount, from_currency, to_currency, on))
        if (from_currency, to_currency) == ("USD", "EUR") and on.year >= 2027:
            return amount * Decimal("0.92")
        return None


class FloatRates:
    @hookimpl
    def pmcore_convert_currency(self, amount: Decimal) -> float:
        return float(amount)


def test_sums_are_exact() -> None:
    # 0.10 + 0.20 is 0.30 exactly; as floats it would be 0.30000000000000004.
    assert (Money("0.10", "EUR") + Money("0.20", "EUR")).amount == Decimal("0.30")
    assert str(Money("1234.565", "EUR")) == "1,234.57 EUR"  # half up, to the cent
    assert to_cents(Decimal("2.675")) == Decimal("2.68")


def test_float_amounts_are_refused() -> None:
    with pytest.raises(ValidationError, match="float"):
        Money(0.1, "EUR")


def test_mixing_currencies_is_an_error() -> None:
    with pytest.raises(ValidationError, match="cannot add USD and EUR"):
        Money("1", "EUR") + Money("1", "USD")


def test_convert_asks_the_plugins() -> None:
    rates = FixedRates()
    pm = make_plugin_manager(entry_points=False, plugins=[rates])
    converted = convert(Money("100.00", "USD"), "EUR", on=dt.date(2027, 3, 1), plugins=pm)
    assert converted == Money("92.0000", "EUR")  # 100.00 x 0.92
    assert rates.calls == [(Decimal("100.00"), "USD", "EUR", dt.date(2027, 3, 1))]


def test_no_rate_no_conversion() -> None:
    pm = make_plugin_manager(entry_points=False, plugins=[FixedRates()])
    with pytest.raises(ValidationError, match="no plugin converts USD to EUR"):
        convert(Money("100", "USD"), "EUR", on=dt.date(2026, 12, 31), plugins=pm)
    same = Money("5", "EUR")
    assert convert(same, "EUR", on=dt.date(2026, 1, 1), plugins=pm) is same


def test_a_float_from_a_plugin_is_its_error() -> None:
    pm = make_plugin_manager(entry_points=False, plugins=[FloatRates()])
    with pytest.raises(PluginError, match="not a finite Decimal"):
        convert(Money("1", "USD"), "EUR", on=dt.date(2027, 1, 1), plugins=pm)
