"""Reporting periods: days, ISO weeks, months, and quarters and years of a fiscal year.

A fiscal year may start on the first of any month (``fiscal_year_start=4`` for April); it is
named by the calendar year in which it ends, so with an April start, April 2027 to March 2028
is ``FY2028`` and its first quarter (April to June 2027) ``FY2028-Q1``. With the default
January start, quarters and years are calendar ones (``2027-Q1``, ``2027``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from pmcore.errors import ValidationError

__all__ = ["PERIOD_KINDS", "Periods"]

PERIOD_KINDS = ("day", "week", "month", "quarter", "year")
"""The kinds of period costs are added up by."""


def _check_kind(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in PERIOD_KINDS:
        raise ValidationError(f"must be one of {', '.join(PERIOD_KINDS)}, got {value!r}",
                              entity="periods", field="kind")


def _check_month(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise ValidationError(f"must be a month number from 1 to 12, got {value!r}",
                              entity="periods", field="fiscal_year_start")


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@attrs.frozen
class Periods:
    """A kind of period and the month the fiscal year starts in.

    >>> q = Periods("quarter", fiscal_year_start=4)
    >>> q.start_of(dt.date(2027, 5, 20)), q.label(dt.date(2027, 4, 1))
    (datetime.date(2027, 4, 1), 'FY2028-Q1')
    """

    kind: str = attrs.field(default="month", validator=_check_kind)
    fiscal_year_start: int = attrs.field(default=1, validator=_check_month)

    def start_of(self, day: dt.date) -> dt.date:
        """The first day of the period that holds ``day``."""
        if self.kind == "day":
            return day
        if self.kind == "week":
            return day - dt.timedelta(days=day.weekday())
        first = day.replace(day=1)
        if self.kind == "month":
            return first
        offset = (day.month - self.fiscal_year_start) % 12  # months into the fiscal year
        keep = offset % 3 if self.kind == "quarter" else offset
        return _add_months(first, -keep)

    def next_start(self, start: dt.date) -> dt.date:
        """The first day of the period after the one starting on ``start``."""
        if self.kind == "day":
            return start + dt.timedelta(days=1)
        if self.kind == "week":
            return start + dt.timedelta(days=7)
        return _add_months(start, {"month": 1, "quarter": 3, "year": 12}[self.kind])

    def starts(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The starts of the periods from the one holding ``first`` to the one holding
        ``last``, both included."""
        starts = [self.start_of(first)]
        while self.next_start(starts[-1]) <= last:
            starts.append(self.next_start(starts[-1]))
        return starts

    def fiscal_year(self, day: dt.date) -> int:
        """The fiscal year of ``day``, named by the calendar year it ends in."""
        if self.fiscal_year_start == 1:
            return day.year
        return day.year + 1 if day.month >= self.fiscal_year_start else day.year

    def label(self, start: dt.date) -> str:
        """How reports name the period starting on ``start``: ``2027-03-15``, ``2027-W11``,
        ``2027-03``, ``2027-Q1`` / ``FY2028-Q1``, ``2027`` / ``FY2028``."""
        if self.kind == "day":
            return start.isoformat()
        if self.kind == "week":
            year, week, _ = start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{start:%Y-%m}"
        year = self.fiscal_year(start)
        prefix = str(year) if self.fiscal_year_start == 1 else f"FY{year}"
        if self.kind == "year":
            return prefix
        quarter = (start.month - self.fiscal_year_start) % 12 // 3 + 1
        return f"{prefix}-Q{quarter}"
