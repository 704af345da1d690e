"""A calendar turned into a working-time axis, so the scheduler does integer arithmetic.

Every calendar the schedule uses is converted once into a :class:`Timeline`: for each day from
an origin, the working minutes before that day and the day's working spans. Instants are
*absolute minutes* since the origin's midnight; *work* is the number of working minutes from
the origin's midnight up to an instant (negative before it). Adding a duration is then
``work + minutes``, and only the final dates go back through the calendar.

Two instants share a work value when only non-working time lies between them, so turning work
back into an instant needs a side: :meth:`Timeline.start_instant` gives the *start* of the next
working period (a task starting after a Friday finish starts on Monday at 08:00), and
:meth:`Timeline.finish_instant` the *end* of the previous one (a task finishing at the end of
Friday finishes at 17:00, not on Monday morning). Milestones take the finish side, as in
Microsoft Project.

Days are added to the axis on demand in both directions; 20 years in a row without working
time raise a clear error instead of searching for ever.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from pmcore.errors import ValidationError
from pmcore.model.calendar import EffectiveCalendar

__all__ = ["ElapsedTimeline", "SpanArrays", "Timeline"]

MINUTES_PER_DAY = 1440
_CHUNK_DAYS = 366
_MAX_SEARCH_DAYS = 20 * 366


class Timeline:
    """The working-time axis of one calendar from an origin day."""

    def __init__(self, calendar: EffectiveCalendar, origin: dt.date):
        self.calendar = calendar
        self.origin = origin
        self._first = 0  # day index (from the origin) of the first stored day
        self._cum: list[int] = []  # working minutes from the origin's midnight to each day
        self._spans: list[tuple[tuple[int, int], ...]] = []
        self._end_cum = 0  # working minutes up to the end of the last stored day
        self._arrays: SpanArrays | None = None
        self._extend_forward(_CHUNK_DAYS)

    # -- building the axis ------------------------------------------------------------------

    def _days(self, first: int, count: int) -> tuple[list[tuple[tuple[int, int], ...]],
                                                     list[int]]:
        """The working spans of ``count`` days from day ``first``, and each day's minutes."""
        start = self.origin + dt.timedelta(days=first)
        days = self.calendar.working_times_between(start, start + dt.timedelta(days=count - 1))
        # the same few day shapes recur: each is converted and summed once
        shapes = {key: tuple((w.start, w.end) for w in times)
                  for key, times in dict(zip(map(id, days), days, strict=True)).items()}
        minutes = {key: sum(end - begin for begin, end in shape)
                   for key, shape in shapes.items()}
        keys = list(map(id, days))
        return list(map(shapes.__getitem__, keys)), list(map(minutes.__getitem__, keys))

    def _extend_forward(self, days: int) -> None:
        spans, minutes = self._days(self._first + len(self._cum), days)
        cum = list(accumulate(minutes, initial=self._end_cum))  # (the running total in C)
        self._end_cum = cum.pop()
        self._cum += cum
        self._spans += spans

    def _extend_backward(self, days: int) -> None:
        spans, minutes = self._days(self._first - days, days)
        before = self._cum[0] if self._cum else 0
        cum = list(accumulate(minutes, initial=before - sum(minutes)))
        cum.pop()  # (that is ``before`` again)
        self._cum[:0] = cum
        self._spans[:0] = spans
        self._first -= days

    def _ensure_day(self, index: int) -> int:
        """Make ``index`` stored; return its position in the lists."""
        while index < self._first:
            self._extend_backward(max(_CHUNK_DAYS, self._first - index))
        while index >= self._first + len(self._cum):
            self._extend_forward(max(_CHUNK_DAYS, index - self._first - len(self._cum) + 1))
        return index - self._first

    def _ensure_work(self, work: int, *, strict_after: bool) -> None:
        """Store days until ``work`` lies inside the axis.

        The search is bounded: 20 years in a row without any working time means the calendar
        has none, and that is an error rather than an endless search.
        """
        idle = 0
        while (work >= self._end_cum) if strict_after else (work > self._end_cum):
            before = self._end_cum
            chunk = max(_CHUNK_DAYS, len(self._cum))  # doubling: recurring rules expand less
            self._extend_forward(chunk)
            idle = idle + chunk if self._end_cum == before else 0
            if idle > _MAX_SEARCH_DAYS:
                self._no_working_time()
        idle = 0
        while self._cum and ((work < self._cum[0]) if strict_after else (work <= self._cum[0])):
            before = self._cum[0]
            chunk = max(_CHUNK_DAYS, len(self._cum))
            self._extend_backward(chunk)
            idle = idle + chunk if self._cum[0] == before else 0
            if idle > _MAX_SEARCH_DAYS:
                self._no_working_time()

    def _no_working_time(self) -> None:
        raise ValidationError("has no working time in 20 years, so nothing on it can be "
                              "scheduled", entity=f"calendar {self.calendar.calendar.id!r}",
                              field="week")

    # -- the stored axis, for bulk conversions ----------------------------------------------

    @property
    def stored(self) -> tuple[int, Sequence[int], Sequence[tuple[tuple[int, int], ...]]]:
        """The days converted so far: the first one's index from the origin, the working
        minutes before each day, and each day's working spans (minutes after midnight).

        The sequences are the timeline's own (not copies) and must not be changed; code that
        converts arrays of values at once (the Monte Carlo kernel) lays them out for numpy.
        Converting a value outside them stores more days.
        """
        return self._first, self._cum, self._spans

    @property
    def stored_work_end(self) -> int:
        """The working minutes up to the end of the last stored day."""
        return self._end_cum

    def span_arrays(self) -> SpanArrays:
        """The stored days' working spans as numpy arrays, for code that converts many values
        at once or in compiled loops (built again only after more days were stored)."""
        key = (self._first, len(self._cum))
        if self._arrays is None or self._arrays.key != key:
            self._arrays = SpanArrays.of(self)
        return self._arrays

    # -- conversions ------------------------------------------------------------------------

    def instant(self, moment: dt.datetime) -> int:
        """Absolute minutes from the origin's midnight to ``moment``."""
        delta = moment - dt.datetime.combine(self.origin, dt.time())
        return delta.days * MINUTES_PER_DAY + delta.seconds // 60

    def datetime(self, instant: int) -> dt.datetime:
        """The moment ``instant`` absolute minutes after the origin's midnight."""
        return dt.datetime.combine(self.origin, dt.time()) + dt.timedelta(minutes=instant)

    def work_at(self, instant: int) -> int:
        """Working minutes from the origin's midnight to ``instant``."""
        day, minute = divmod(instant, MINUTES_PER_DAY)
        position = self._ensure_day(day)
        work = self._cum[position]
        for begin, end in self._spans[position]:
            if minute <= begin:
                break
            work += min(minute, end) - begin
        return work

    def start_instant(self, work: int) -> int:
        """The start of the working period at which ``work`` minutes have passed."""
        self._ensure_work(work, strict_after=True)
        position = bisect.bisect_right(self._cum, work) - 1
        remaining = work - self._cum[position]
        day = position + self._first
        for begin, end in self._spans[position]:
            if remaining < end - begin:
                return day * MINUTES_PER_DAY + begin + remaining
            remaining -= end - begin
        raise AssertionError("unreachable: the day holds the work")  # pragma: no cover

    def finish_instant(self, work: int) -> int:
        """The end of the working period at which ``work`` minutes have passed."""
        self._ensure_work(work, strict_after=False)
        position = bisect.bisect_left(self._cum, work) - 1
        remaining = work - self._cum[position]
        day = position + self._first
        for begin, end in self._spans[position]:
            if remaining <= end - begin:
                return day * MINUTES_PER_DAY + begin + remaining
            remaining -= end - begin
        raise AssertionError("unreachable: the day holds the work")  # pragma: no cover

    def start_datetime(self, work: int) -> dt.datetime:
        """:meth:`start_instant` as a date and time."""
        return self.datetime(self.start_instant(work))

    def finish_datetime(self, work: int) -> dt.datetime:
        """:meth:`finish_instant` as a date and time."""
        return self.datetime(self.finish_instant(work))

    def work_of(self, moment: dt.datetime) -> int:
        """Working minutes from the origin's midnight to ``moment``."""
        return self.work_at(self.instant(moment))


class SpanArrays:
    """A timeline's stored working spans, one element per span, in order.

    ``begin`` and ``end`` are absolute minutes, ``work`` the working minutes before each span;
    ``low`` and ``high`` bound the stored instants (``high`` excluded) and ``work_end`` is the
    working minutes at the end of the last stored day. Within those bounds a conversion is a
    binary search: the working minutes at an instant are ``work[k] + min(instant, end[k]) -
    begin[k]`` for the last span ``k`` begun before it, and a start (finish) instant is found
    in the first span whose work runs past (up to) the amount asked for.
    """

    __slots__ = ("begin", "end", "high", "key", "low", "work", "work_end")

    def __init__(self, begin: Any, end: Any, work: Any, low: int, high: int, work_end: int,
                 key: tuple[int, int]):
        self.begin, self.end, self.work = begin, end, work
        self.low, self.high, self.work_end, self.key = low, high, work_end, key

    @classmethod
    def of(cls, timeline: Timeline) -> SpanArrays:
        """Lay out what ``timeline`` has stored."""
        import numpy as np

        first, cum, spans = timeline.stored
        days = len(cum)
        # The days share a few shapes (span tuples): lay out each shape once, then gather.
        shapes = dict(zip(map(id, spans), spans, strict=True))
        number = {key: k for k, key in enumerate(shapes)}
        table = np.array([pair for shape in shapes.values() for pair in shape] or
                         np.empty((0, 2)), dtype=np.int64).reshape(-1, 2)
        sizes = np.fromiter(map(len, shapes.values()), dtype=np.int64, count=len(shapes))
        starts = np.cumsum(sizes) - sizes
        shape_of = np.fromiter(map(number.__getitem__, map(id, spans)), dtype=np.int64,
                               count=days)
        counts = sizes[shape_of]
        total = int(counts.sum())
        rows = np.repeat(starts[shape_of] - (np.cumsum(counts) - counts), counts) + \
            np.arange(total, dtype=np.int64)
        pairs = table[rows]
        midnight = np.repeat((first + np.arange(days, dtype=np.int64)) * MINUTES_PER_DAY,
                             counts)
        begin = midnight + pairs[:, 0]
        end = midnight + pairs[:, 1]
        work = np.empty(begin.size, dtype=np.int64)
        if begin.size:  # the spans are contiguous working time: work runs on from day one
            work[0] = cum[0]
            np.cumsum((end - begin)[:-1], out=work[1:])
            work[1:] += cum[0]
        return cls(begin, end, work, first * MINUTES_PER_DAY,
                   (first + days) * MINUTES_PER_DAY, timeline.stored_work_end, (first, days))


class ElapsedTimeline(Timeline):
    """Clock time: every minute works. Elapsed durations and lags run on it."""

    def __init__(self, origin: dt.date):
        self.origin = origin

    def work_at(self, instant: int) -> int:
        """Every minute counts."""
        return instant

    def start_instant(self, work: int) -> int:
        """Every minute counts."""
        return work

    def finish_instant(self, work: int) -> int:
        """Every minute counts."""
        return work
