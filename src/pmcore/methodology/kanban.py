"""Kanban: boards with WIP limits, item state histories and the flow metrics computed from them.

A :class:`Board` lists its columns left to right, each of one kind: *to do* (not started),
*in progress* or *done*, optionally with a WIP limit. An :class:`ItemHistory` is the list of
columns an item entered and when (a Jira changelog, or any tool's export). A :class:`Flow`
joins the two and computes, vectorised with numpy over every item at once:

* cycle time: from the item's first entry into an in-progress (or later) column to the day it
  entered *done* for the last time; lead time: from its creation (its first transition) to
  that day. Both count calendar days inclusively, as ActionableAgile does: an item started and
  finished on the same day took 1 day.
* throughput per day or ISO week; WIP per day (an item is in progress on every day of its cycle
  time, so summed WIP equals summed cycle times: Little's law, exactly); aging WIP; cumulative
  flow per column per day; WIP limit violations with the items and days involved;
* Monte Carlo forecasts over the daily throughput (see :mod:`pmcore.methodology.forecast`).

A day's state is the state at the end of that day. Timestamps are read as given (naive or
aware); their calendar date is the day counted.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs
import numpy as np
import numpy.typing as npt

from pmcore.errors import FormatError, UnknownReferenceError, ValidationError
from pmcore.methodology.forecast import (
    DEFAULT_TRIALS,
    HowManyForecast,
    WhenForecast,
    _rank,
    _to_date,
    forecast_how_many,
    forecast_when,
)

__all__ = [
    "AgingItem",
    "AgingWip",
    "Board",
    "Column",
    "ColumnKind",
    "CumulativeFlow",
    "DailyWip",
    "Flow",
    "FlowTimes",
    "ItemHistory",
    "Throughput",
    "Transition",
    "WipViolation",
    "WipViolations",
    "read_item_histories",
]


class ColumnKind(enum.Enum):
    """What a column means for flow metrics."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


def _to_kind(value: Any) -> ColumnKind:
    if isinstance(value, ColumnKind):
        return value
    try:
        return ColumnKind(str(value).lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        raise ValidationError(f"must be one of todo, in_progress, done, got {value!r}",
                              entity="column", field="kind") from None


def _check_name(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"must be a non-empty text, got {value!r}",
                              entity=type(instance).__name__.lower(), field=attribute.name)


@attrs.frozen(kw_only=True)
class Column:
    """A board column: its name, kind and optional WIP limit (most items in it at once)."""

    name: str = attrs.field(validator=_check_name)
    kind: ColumnKind = attrs.field(converter=_to_kind)
    wip_limit: int | None = None

    def __attrs_post_init__(self) -> None:
        limit = self.wip_limit
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)
                                  or limit < 1):
            raise ValidationError(f"must be a whole number >= 1, got {limit!r}",
                                  entity=f"column {self.name!r}", field="wip_limit")


def _to_columns(value: Iterable[Column | Mapping[str, Any]]) -> tuple[Column, ...]:
    return tuple(c if isinstance(c, Column) else Column(**c) for c in value)


_ORDER = {ColumnKind.TODO: 0, ColumnKind.IN_PROGRESS: 1, ColumnKind.DONE: 2}


@attrs.frozen(kw_only=True)
class Board:
    """A Kanban board: columns left to right, to-do ones first, then in progress, then done.

    >>> board = Board(name="Team", columns=[
    ...     Column(name="Backlog", kind="todo"),
    ...     Column(name="Doing", kind="in_progress", wip_limit=3),
    ...     Column(name="Done", kind="done")])
    >>> board.index("Doing")
    1
    """

    name: str = attrs.field(validator=_check_name)
    columns: tuple[Column, ...] = attrs.field(converter=_to_columns)

    def __attrs_post_init__(self) -> None:
        entity = f"board {self.name!r}"
        names = [c.name for c in self.columns]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValidationError(f"column {duplicates[0]!r} appears twice", entity=entity,
                                  field="columns")
        kinds = [c.kind for c in self.columns]
        if ColumnKind.IN_PROGRESS not in kinds or ColumnKind.DONE not in kinds:
            raise ValidationError("needs at least one in-progress and one done column",
                                  entity=entity, field="columns")
        ranks = [_ORDER[k] for k in kinds]
        if ranks != sorted(ranks):
            raise ValidationError("columns must run to do -> in progress -> done, left to right",
                                  entity=entity, field="columns")

    @classmethod
    def infer(cls, items: Iterable[ItemHistory], *, done: Iterable[str] = ("Done",),
              name: str = "Board") -> Board:
        """A board from the states the histories use, when no board is at hand.

        States named in ``done`` are done columns (compared ignoring case); states items were
        created in and never returned to are to-do columns; every other state is in progress.
        Columns are ordered by where states first appear in the histories on average.
        """
        done_names = {d.strip().lower() for d in done}
        positions: dict[str, list[int]] = {}
        created: set[str] = set()
        revisited: set[str] = set()
        for item in items:
            created.add(item.transitions[0].state)
            for index, transition in enumerate(item.transitions):
                if index:
                    revisited.add(transition.state)
                positions.setdefault(transition.state, []).append(index)
        if not any(s.lower() in done_names for s in positions):
            raise ValidationError(f"no item ever reached a done state ({', '.join(sorted(done))})",
                                  entity=f"board {name!r}", field="done")

        def kind(state: str) -> ColumnKind:
            if state.lower() in done_names:
                return ColumnKind.DONE
            if state in created and state not in revisited:
                return ColumnKind.TODO
            return ColumnKind.IN_PROGRESS

        order = sorted(positions, key=lambda s: (_ORDER[kind(s)],
                                                 sum(positions[s]) / len(positions[s]), s))
        return cls(name=name, columns=[Column(name=s, kind=kind(s)) for s in order])

    def index(self, state: str) -> int:
        """The position of the column named ``state``."""
        for index, column in enumerate(self.columns):
            if column.name == state:
                return index
        raise UnknownReferenceError(state, kind="column", entity=f"board {self.name!r}")


def _to_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(f"expected a date or time (ISO 8601), got {value!r}",
                          entity="transition", field="at")


@attrs.frozen
class Transition:
    """An item entering the column named ``state`` at ``at``."""

    state: str = attrs.field(validator=_check_name)
    at: dt.datetime = attrs.field(converter=_to_datetime)


def _to_transitions(value: Any) -> tuple[Transition, ...]:
    if isinstance(value, Mapping):
        value = list(value.items())
    result = []
    for entry in value:
        if isinstance(entry, Transition):
            result.append(entry)
        elif isinstance(entry, Mapping):
            result.append(Transition(entry["state"], entry["at"]))
        else:
            state, at = entry
            result.append(Transition(state, at))
    return tuple(result)


@attrs.frozen(kw_only=True)
class ItemHistory:
    """The columns an item entered, in time order; the first transition is its creation.

    ``transitions`` accepts :class:`Transition` objects, ``(state, when)`` pairs or a mapping
    of state to when (for an item that never went back).

    >>> ItemHistory(id="K-1", transitions=[("Backlog", "2027-03-01"), ("Doing", "2027-03-02")])
    ItemHistory(id='K-1', ...)
    """

    id: str = attrs.field(validator=_check_name)
    transitions: tuple[Transition, ...] = attrs.field(converter=_to_transitions)
    title: str = ""
    type: str = ""

    def __attrs_post_init__(self) -> None:
        entity = f"item {self.id!r}"
        if not self.transitions:
            raise ValidationError("has no transitions (not even its creation)", entity=entity,
                                  field="transitions")
        for before, after in zip(self.transitions, self.transitions[1:], strict=False):
            try:
                backwards = after.at < before.at
            except TypeError:
                raise ValidationError("mixes timestamps with and without a time zone",
                                      entity=entity, field="transitions") from None
            if backwards:
                raise ValidationError(
                    f"timestamps go backwards: {after.state!r} at {after.at.isoformat()} comes "
                    f"after {before.state!r} at {before.at.isoformat()}",
                    entity=entity, field="transitions")

    @property
    def created(self) -> dt.datetime:
        """When the item was created: its first transition."""
        return self.transitions[0].at

    def __repr__(self) -> str:
        path = " -> ".join(f"{t.state} {t.at.date().isoformat()}" for t in self.transitions)
        return f"ItemHistory(id={self.id!r}, {path})"


# ------------------------------------------------------------------------------- results


def _date(day: int) -> dt.date:
    return dt.date.fromordinal(int(day))


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _dates(days: npt.NDArray[np.int64]) -> tuple[dt.date, ...]:
    """Day ordinals as dates, converted by numpy rather than one call per day."""
    return tuple((days - _EPOCH).astype("datetime64[D]").tolist())


def _span(first: int, last: int) -> tuple[dt.date, ...]:
    """Every day from ordinal ``first`` to ``last`` (inclusive), as dates."""
    return _dates(np.arange(first, last + 1, dtype=np.int64))


def _readonly(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


def _share_at_most(sorted_values: npt.NDArray[Any], value: float) -> float:
    if not sorted_values.size:
        return 0.0
    return float(np.searchsorted(sorted_values, value, side="right")) / sorted_values.size


def _percentile_of(values: npt.NDArray[Any], percentile: float) -> int:
    if not values.size:
        raise ValidationError("no finished items to take a percentile of", entity="flow times",
                              field="days")
    rank = _rank(percentile, int(values.size))
    return int(np.partition(values, rank - 1)[rank - 1])


@attrs.frozen(kw_only=True, eq=False, repr=False)
class FlowTimes:
    """Cycle or lead times of the finished items, in calendar days (inclusive).

    Attributes:
        kind: ``"cycle"`` or ``"lead"``.
        ids: the finished items, in the order given.
        starts: each item's first day (started for cycle time, created for lead time).
        finishes: the day each item was done.
        days: ``finish - start + 1`` per item (a read-only numpy array).
    """

    kind: str
    ids: tuple[str, ...]
    starts: tuple[dt.date, ...]
    finishes: tuple[dt.date, ...]
    days: npt.NDArray[np.int64]

    def percentile(self, percentile: float = 85) -> int:
        """The fewest days within which ``percentile`` % of the items were done.

        As ActionableAgile's scatterplot lines read: "85 % of items took 9 days or less".
        """
        return _percentile_of(self.days, percentile)

    def share_within(self, days: float) -> float:
        """The share of items that took ``days`` or less."""
        return _share_at_most(np.sort(self.days), days)

    @property
    def average(self) -> float:
        """The mean in days (``nan`` when no item is finished)."""
        return float(self.days.mean()) if self.days.size else float("nan")

    def to_records(self) -> list[dict[str, Any]]:
        """One record per item: ``id``, ``start``, ``finish``, ``days``."""
        return [{"id": i, "start": s, "finish": f, "days": int(d)}
                for i, s, f, d in zip(self.ids, self.starts, self.finishes, self.days,
                                      strict=True)]

    def __repr__(self) -> str:
        if not self.days.size:
            return f"FlowTimes(kind={self.kind!r}, items=0)"
        return (f"FlowTimes(kind={self.kind!r}, items={self.days.size}, "
                f"average={self.average:.1f}, p50={self.percentile(50)}, "
                f"p85={self.percentile(85)}, p95={self.percentile(95)})")


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Throughput:
    """Items finished per day or per ISO week (Monday to Sunday), zeros included.

    Attributes:
        period: ``"day"`` or ``"week"``.
        periods: the first day of each period.
        counts: items finished in each period (a read-only numpy array).
    """

    period: str
    periods: tuple[dt.date, ...]
    counts: npt.NDArray[np.int64]

    @property
    def total(self) -> int:
        """Items finished in the whole range."""
        return int(self.counts.sum())

    def to_records(self) -> list[dict[str, Any]]:
        """One record per period: ``period`` (its first day), ``items``."""
        return [{"period": p, "items": int(c)}
                for p, c in zip(self.periods, self.counts, strict=True)]

    def __repr__(self) -> str:
        span = f"{self.periods[0]}..{self.periods[-1]}" if self.periods else "empty"
        return (f"Throughput(period={self.period!r}, {span}, total={self.total}, "
                f"mean={self.counts.mean() if self.counts.size else 0:.2f})")


@attrs.frozen(kw_only=True, eq=False, repr=False)
class DailyWip:
    """Items in progress per day: started on or before the day and not done before it."""

    days: tuple[dt.date, ...]
    counts: npt.NDArray[np.int64]

    def to_records(self) -> list[dict[str, Any]]:
        """One record per day: ``date``, ``wip``."""
        return [{"date": d, "wip": int(c)} for d, c in zip(self.days, self.counts, strict=True)]

    def __repr__(self) -> str:
        span = f"{self.days[0]}..{self.days[-1]}" if self.days else "empty"
        top = int(self.counts.max()) if self.counts.size else 0
        return f"DailyWip({span}, max={top})"


@attrs.frozen(kw_only=True)
class AgingItem:
    """An item in progress on a given day.

    Attributes:
        id: the item.
        column: the column it was in at the end of the day.
        started: the day it started.
        age: days in progress so far, counting the start day and the day itself.
        percentile: the share (in %) of items finished by then whose cycle time was ``age`` days
            or less: how far into the historical cycle times the item has aged.
    """

    id: str
    column: str
    started: dt.date
    age: int
    percentile: float


@attrs.frozen(kw_only=True)
class AgingWip:
    """Work in progress on :attr:`at`, oldest first."""

    at: dt.date
    items: tuple[AgingItem, ...]

    def to_records(self) -> list[dict[str, Any]]:
        """One record per item: ``id``, ``column``, ``started``, ``age``, ``percentile``."""
        return [attrs.asdict(item) for item in self.items]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class CumulativeFlow:
    """Items per column at the end of each day, for a cumulative flow diagram.

    Attributes:
        days: the days covered.
        columns: the board's column names, left to right.
        counts: items in each column at the end of each day, shape (days, columns).
        cumulative: items in that column or any column to its right: the line a cumulative
            flow diagram draws for the column (arrivals into it), shape (days, columns).
    """

    days: tuple[dt.date, ...]
    columns: tuple[str, ...]
    counts: npt.NDArray[np.int64]
    cumulative: npt.NDArray[np.int64]

    def to_records(self) -> list[dict[str, Any]]:
        """One record per day and column: ``date``, ``column``, ``items``, ``cumulative``."""
        return [{"date": day, "column": column, "items": int(self.counts[d, c]),
                 "cumulative": int(self.cumulative[d, c])}
                for d, day in enumerate(self.days) for c, column in enumerate(self.columns)]

    def __repr__(self) -> str:
        span = f"{self.days[0]}..{self.days[-1]}" if self.days else "empty"
        return f"CumulativeFlow({span}, columns={list(self.columns)})"


@attrs.frozen(kw_only=True)
class WipViolation:
    """A column holding more items than its WIP limit at the end of ``date``."""

    column: str
    date: dt.date
    items: tuple[str, ...]
    limit: int

    @property
    def count(self) -> int:
        """Items in the column that day."""
        return len(self.items)


@attrs.frozen(kw_only=True)
class WipViolations:
    """Every day a WIP limit was exceeded, by column then day."""

    violations: tuple[WipViolation, ...]

    def __len__(self) -> int:
        return len(self.violations)

    def __bool__(self) -> bool:
        return bool(self.violations)

    def to_records(self) -> list[dict[str, Any]]:
        """One record per column and day: ``column``, ``date``, ``count``, ``limit``, ``items``."""
        return [{"column": v.column, "date": v.date, "count": v.count, "limit": v.limit,
                 "items": list(v.items)} for v in self.violations]


# ---------------------------------------------------------------------------------- flow


_NONE = -1


class Flow:
    """A board and its items' histories, turned into arrays once for every metric.

    Args:
        board: the board whose columns the histories name.
        items: the item histories; ids must be unique.

    Raises:
        UnknownReferenceError: a history names a column the board does not have.
        ValidationError: two histories have the same id.
    """

    def __init__(self, board: Board, items: Iterable[ItemHistory]):
        self.board = board
        self.items: tuple[ItemHistory, ...] = tuple(items)
        self.ids = tuple(item.id for item in self.items)
        seen: set[str] = set()
        for item_id in self.ids:
            if item_id in seen:
                raise ValidationError("appears twice in the histories",
                                      entity=f"item {item_id!r}", field="id")
            seen.add(item_id)
        column_index = {c.name: k for k, c in enumerate(board.columns)}
        # One flat pass over every transition; the arrays are built from it once.
        per_item = [item.transitions for item in self.items]
        flat = [transition for transitions in per_item for transition in transitions]
        day_of = [transition.at.toordinal() for transition in flat]
        column_of = [column_index.get(transition.state, -1) for transition in flat]
        item_of = np.repeat(np.arange(len(per_item), dtype=np.int64),
                            [len(transitions) for transitions in per_item])
        if -1 in column_of:
            at = column_of.index(-1)
            raise UnknownReferenceError(flat[at].state, kind="column",
                                        entity=f"item {self.items[int(item_of[at])].id!r}",
                                        field="transitions")
        items_arr = np.asarray(item_of, dtype=np.int64)
        days = np.asarray(day_of, dtype=np.int64)
        columns = np.asarray(column_of, dtype=np.int64)
        count = len(self.items)
        kinds = np.asarray([_ORDER[c.kind] for c in board.columns], dtype=np.int64)
        first_row = np.searchsorted(items_arr, np.arange(count))
        self._created = days[first_row] if count else np.zeros(0, dtype=np.int64)

        # An item's days never decrease, so its first started row has the least day.
        unset = np.iinfo(np.int64).max
        started = np.full(count, unset, dtype=np.int64)
        idx = np.flatnonzero(kinds[columns] >= 1)
        np.minimum.at(started, items_arr[idx], days[idx])
        started[started == unset] = _NONE
        self._started = started

        finished = np.full(count, _NONE, dtype=np.int64)
        is_done = kinds[columns] == 2
        same_as_previous = np.zeros(items_arr.size, dtype=bool)
        same_as_previous[1:] = items_arr[1:] == items_arr[:-1]
        previous_done = np.zeros(items_arr.size, dtype=bool)
        previous_done[1:] = is_done[:-1]
        run_start = is_done & ~(same_as_previous & previous_done)
        last_row = np.append(first_row[1:], items_arr.size) - 1 if count else first_row
        done_now = is_done[last_row] if count else np.zeros(0, dtype=bool)
        idx = np.flatnonzero(run_start)
        latest_run = np.full(count, _NONE, dtype=np.int64)
        np.maximum.at(latest_run, items_arr[idx], days[idx])  # the last run into done wins
        finished[done_now] = latest_run[done_now]
        self._finished = finished

        # State segments: the state at the end of each day is the day's last transition.
        keep = np.ones(items_arr.size, dtype=bool)
        keep[:-1] = ~((items_arr[1:] == items_arr[:-1]) & (days[1:] == days[:-1]))
        self._seg_item = items_arr[keep]
        self._seg_column = columns[keep]
        self._seg_start = days[keep]
        seg_end = np.full(self._seg_start.size, np.iinfo(np.int64).max, dtype=np.int64)
        if self._seg_start.size:
            follows = self._seg_item[1:] == self._seg_item[:-1]
            seg_end[:-1][follows] = self._seg_start[1:][follows]
        self._seg_end = seg_end
        self._first_day = int(days.min()) if days.size else None
        self._last_day = int(days.max()) if days.size else None

    def __repr__(self) -> str:
        done = int(np.count_nonzero(self._finished != _NONE))
        return f"Flow(board={self.board.name!r}, items={len(self.items)}, done={done})"

    # ----------------------------------------------------------------- ranges

    def _range(self, start: dt.date | str | None, end: dt.date | str | None) -> tuple[int, int]:
        if self._first_day is None or self._last_day is None:
            raise ValidationError("has no items", entity=f"board {self.board.name!r}",
                                  field="items")
        first = self._first_day if start is None else _day(start, "start")
        last = self._last_day if end is None else _day(end, "end")
        if last < first:
            raise ValidationError(f"end {_date(last)} is before start {_date(first)}",
                                  entity="flow range", field="end")
        return first, last

    @property
    def first_day(self) -> dt.date:
        """The day of the earliest transition."""
        return _date(self._range(None, None)[0])

    @property
    def last_day(self) -> dt.date:
        """The day of the latest transition: the end of the history."""
        return _date(self._range(None, None)[1])

    # ----------------------------------------------------------------- metrics

    def _times(self, kind: str, begin: npt.NDArray[np.int64]) -> FlowTimes:
        done = np.flatnonzero(self._finished != _NONE)
        starts = begin[done]
        finishes = self._finished[done]
        return FlowTimes(kind=kind, ids=tuple(self.ids[i] for i in done.tolist()),
                         starts=_dates(starts), finishes=_dates(finishes),
                         days=_readonly(finishes - starts + 1))

    def cycle_times(self) -> FlowTimes:
        """Cycle time of every finished item: first in-progress day to done day, inclusive."""
        return self._times("cycle", self._started)

    def lead_times(self) -> FlowTimes:
        """Lead time of every finished item: created day to done day, inclusive."""
        return self._times("lead", self._created)

    def throughput(self, period: str = "day", *, start: dt.date | str | None = None,
                   end: dt.date | str | None = None) -> Throughput:
        """Items finished per day or ISO week from ``start`` to ``end`` (default: the history).

        Weeks are whole ISO weeks: the first is the week containing ``start``.
        """
        if period not in ("day", "week"):
            raise ValidationError(f"must be 'day' or 'week', got {period!r}", entity="throughput",
                                  field="period")
        first, last = self._range(start, end)
        done = self._finished[(self._finished >= first) & (self._finished <= last)]
        if period == "week":
            first -= _date(first).weekday()
            last += 6 - _date(last).weekday()
            counts = np.bincount((done - first) // 7, minlength=(last - first + 1) // 7)
            periods = tuple(_date(first + 7 * k) for k in range(counts.size))
        else:
            counts = np.bincount(done - first, minlength=last - first + 1)
            periods = _span(first, last)
        return Throughput(period=period, periods=periods,
                          counts=_readonly(counts.astype(np.int64)))

    def wip(self, *, start: dt.date | str | None = None,
            end: dt.date | str | None = None) -> DailyWip:
        """Items in progress on each day: started on or before it, not done before it."""
        first, last = self._range(start, end)
        width = last - first + 1
        begun = self._started != _NONE
        change = np.zeros(width + 1, dtype=np.int64)
        lo = np.clip(self._started[begun] - first, 0, width)
        finish = self._finished[begun]
        hi = np.where(finish == _NONE, width, np.clip(finish - first + 1, 0, width))
        valid = hi > lo
        np.add.at(change, lo[valid], 1)
        np.add.at(change, hi[valid], -1)
        counts = np.cumsum(change[:-1])
        return DailyWip(days=_span(first, last),
                        counts=_readonly(counts))

    def _states_at(self, day: int) -> npt.NDArray[np.int64]:
        """Each item's column at the end of ``day`` (-1 before it was created)."""
        state = np.full(len(self.items), _NONE, dtype=np.int64)
        active = (self._seg_start <= day) & (day < self._seg_end)
        state[self._seg_item[active]] = self._seg_column[active]
        return state

    def aging(self, at: dt.date | str | None = None) -> AgingWip:
        """Items in progress at the end of ``at`` (default: the last day of the history).

        Each item's age is set against the cycle times of the items finished on or before
        ``at``: the share of them that took no longer than its age so far.
        """
        day = self._range(None, None)[1] if at is None else _day(at, "at")
        in_progress = (self._started != _NONE) & (self._started <= day) & \
            ((self._finished == _NONE) | (self._finished > day))
        finished = (self._finished != _NONE) & (self._finished <= day)
        history = np.sort(self._finished[finished] - self._started[finished] + 1)
        state = self._states_at(day)
        rows = []
        for index in np.flatnonzero(in_progress):
            age = int(day - self._started[index] + 1)
            rows.append(AgingItem(
                id=self.ids[index], column=self.board.columns[state[index]].name,
                started=_date(self._started[index]), age=age,
                percentile=round(100 * _share_at_most(history, age), 1)))
        rows.sort(key=lambda r: (-r.age, r.id))
        return AgingWip(at=_date(day), items=tuple(rows))

    def _column_counts(self, first: int, last: int) -> npt.NDArray[np.int64]:
        width = last - first + 1
        columns = len(self.board.columns)
        change = np.zeros((width + 1, columns), dtype=np.int64)
        lo = np.clip(self._seg_start - first, 0, width)
        hi = np.clip(self._seg_end - first, 0, width)  # the max sentinel clips to the end
        valid = hi > lo
        np.add.at(change, (lo[valid], self._seg_column[valid]), 1)
        np.add.at(change, (hi[valid], self._seg_column[valid]), -1)
        return np.cumsum(change[:-1], axis=0)

    def cumulative_flow(self, *, start: dt.date | str | None = None,
                        end: dt.date | str | None = None) -> CumulativeFlow:
        """Items per column at the end of each day, and the cumulative lines of the diagram."""
        first, last = self._range(start, end)
        counts = self._column_counts(first, last)
        cumulative = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1]
        return CumulativeFlow(days=_span(first, last),
                              columns=tuple(c.name for c in self.board.columns),
                              counts=_readonly(counts),
                              cumulative=_readonly(np.ascontiguousarray(cumulative)))

    def wip_violations(self, *, start: dt.date | str | None = None,
                       end: dt.date | str | None = None) -> WipViolations:
        """Every day on which a column held more items than its WIP limit, with the items."""
        first, last = self._range(start, end)
        counts = self._column_counts(first, last)
        found: list[WipViolation] = []
        for column, spec in enumerate(self.board.columns):
            if spec.wip_limit is None:
                continue
            over = np.flatnonzero(counts[:, column] > spec.wip_limit)
            if not over.size:
                continue
            # Every (segment, day) pair of this column within the range, then those on the
            # days over the limit: one vectorised expansion instead of a scan per day.
            mine = np.flatnonzero(self._seg_column == column)
            lo = np.clip(self._seg_start[mine] - first, 0, last - first + 1)
            hi = np.clip(self._seg_end[mine] - first, 0, last - first + 1)
            lengths = np.maximum(hi - lo, 0)
            owner = np.repeat(self._seg_item[mine], lengths)
            starts = np.repeat(lo, lengths)
            offsets = np.arange(owner.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            day = starts + offsets
            is_over = np.zeros(last - first + 1, dtype=bool)
            is_over[over] = True
            keep = is_over[day]
            day, owner = day[keep], owner[keep]
            order = np.lexsort((owner, day))
            day, owner = day[order], owner[order]
            bounds = np.flatnonzero(np.diff(day)) + 1
            for chunk_days, chunk_items in zip(np.split(day, bounds), np.split(owner, bounds),
                                               strict=True):
                found.append(WipViolation(
                    column=spec.name, date=_date(first + int(chunk_days[0])),
                    items=tuple(sorted(self.ids[i] for i in chunk_items.tolist())),
                    limit=spec.wip_limit))
        return WipViolations(violations=tuple(found))

    # ----------------------------------------------------------------- forecasts

    def recent_throughput(self, window: int | None = None) -> Throughput:
        """Daily throughput over the last ``window`` days of the history (default: all of it):
        the samples the forecasts draw from."""
        first, last = self._range(None, None)
        if window is not None and (isinstance(window, bool) or not isinstance(window, int)
                                   or window < 1):
            raise ValidationError(f"must be a whole number of days >= 1, got {window!r}",
                                  entity="flow forecast", field="window")
        if window is not None:
            first = max(first, last - window + 1)
        return self.throughput("day", start=_date(first), end=_date(last))

    def forecast_when(self, items: float, *, start: dt.date | str | None = None,
                      window: int | None = None, trials: int = DEFAULT_TRIALS,
                      seed: int | None = None) -> WhenForecast:
        """When will ``items`` more be done, sampling the daily throughput.

        Args:
            items: how many items are left.
            start: the first day forecast (default: the day after the history ends).
            window: sample only the last ``window`` days of the history (default: all of it).
            trials: simulated futures.
            seed: makes the forecast reproducible (see
                :func:`pmcore.methodology.forecast_when`).
        """
        samples = self.recent_throughput(window).counts
        return forecast_when(samples, items, start=self._next_day() if start is None else start,
                             trials=trials, seed=seed)

    def forecast_how_many(self, until: dt.date | str, *, start: dt.date | str | None = None,
                          window: int | None = None, trials: int = DEFAULT_TRIALS,
                          seed: int | None = None) -> HowManyForecast:
        """How many items will be done by the end of ``until``, sampling the daily throughput."""
        samples = self.recent_throughput(window).counts
        return forecast_how_many(samples, until=until,
                                 start=self._next_day() if start is None else start,
                                 trials=trials, seed=seed)

    def _next_day(self) -> dt.date:
        return self.last_day + dt.timedelta(days=1)


def _day(value: dt.date | str, field: str) -> int:
    return _to_date(value, "flow", field).toordinal()


# ---------------------------------------------------------------------------------- input

_ID_HEADERS = ("id", "item", "key", "issue key", "issue")
_STATE_HEADERS = ("state", "status", "to status", "to", "column")
_TIME_HEADERS = ("timestamp", "at", "date", "changed", "entered", "created")


def read_item_histories(source: str | os.PathLike[str] | IO[str]) -> tuple[ItemHistory, ...]:
    """Read item histories from a CSV of transitions, one row per column an item entered.

    The header names three columns, in any order, case ignored: the item (``id``, ``key``,
    ``issue key``), the column it entered (``state``, ``status``, ``to status``) and when
    (``timestamp``, ``changed``, ``date``; ISO 8601, a date or a date and time). Optional
    ``title`` and ``type`` columns are kept. An item's first row is its creation; its rows
    need not be adjacent but must be in time order. This is the shape of a Jira issue
    changelog export with the creation added as a first row per issue.

    Raises:
        FormatError: a missing column, a bad timestamp or an item whose timestamps go
            backwards, naming the line and the item.
    """
    if isinstance(source, str | os.PathLike):
        name = str(source)
        with Path(source).open(encoding="utf-8-sig", newline="") as stream:
            return _read_histories(stream, name)
    return _read_histories(source, getattr(source, "name", "<stream>"))


def _read_histories(stream: IO[str], name: str) -> tuple[ItemHistory, ...]:
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError("is empty; expected a header such as id,state,timestamp",
                          source=name, line=1) from None
    except csv.Error as exc:
        raise FormatError(f"not CSV: {exc}", source=name, line=1) from None
    keys = [h.strip().lower() for h in header]

    def optional(options: Sequence[str]) -> int | None:
        return next((keys.index(o) for o in options if o in keys), None)

    def required(options: Sequence[str]) -> int:
        found = optional(options)
        if found is None:
            raise FormatError(f"no {options[0]!r} column (accepted: {', '.join(options)})",
                              source=name, line=1)
        return found

    id_col, state_col = required(_ID_HEADERS), required(_STATE_HEADERS)
    time_col = required(_TIME_HEADERS)
    title_col, type_col = optional(("title", "summary", "name")), optional(("type",))
    rows: dict[str, list[tuple[int, str, dt.datetime]]] = {}
    extra: dict[str, tuple[str, str]] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) <= max(id_col, state_col, time_col):
                raise FormatError(f"has {len(record)} fields, the header {len(header)}",
                                  source=name, line=line)
            item, state = record[id_col].strip(), record[state_col].strip()
            if not item or not state:
                raise FormatError("has an empty item id or state", source=name, line=line)
            try:
                at = _to_datetime(record[time_col])
            except ValidationError:
                raise FormatError(f"item {item!r}: {record[time_col]!r} is not an ISO 8601 date "
                                  "or time", source=name, line=line) from None
            history = rows.setdefault(item, [])
            if history and at < history[-1][2]:
                raise FormatError(
                    f"item {item!r}: timestamps go backwards: {state!r} at {at.isoformat()} "
                    f"comes after {history[-1][1]!r} at {history[-1][2].isoformat()} "
                    f"(line {history[-1][0]})", source=name, line=line)
            history.append((line, state, at))
            if item not in extra:
                extra[item] = (record[title_col].strip() if title_col is not None
                               and title_col < len(record) else "",
                               record[type_col].strip() if type_col is not None
                               and type_col < len(record) else "")
    except csv.Error as exc:
        raise FormatError(f"not CSV: {exc}", source=name, line=reader.line_num) from None
    except TypeError as exc:  # aware and naive timestamps cannot be compared
        raise FormatError(f"mixes timestamps with and without a time zone: {exc}", source=name,
                          line=reader.line_num) from None
    return tuple(ItemHistory(id=item, transitions=[(s, a) for _, s, a in history],
                             title=extra[item][0], type=extra[item][1])
                 for item, history in rows.items())
