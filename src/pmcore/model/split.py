"""Splits: interruptions of a task's work, as Microsoft Project's *Split Task* makes them.

A split task keeps its duration (the working time of its work) and runs in pieces: after
``after`` of its work the work stops for ``gap`` of working time on the task's calendar, then
resumes. The interruptions are stored relative to the task's work, so when the task moves the
pieces move with it, as they do in Microsoft Project; its finish comes later than an
uninterrupted task's by the gaps. The schedule shows the working pieces of each split task
(:attr:`pmcore.schedule.TaskSchedule.splits`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from pmcore.errors import ValidationError
from pmcore.model.duration import Duration, to_duration

__all__ = ["Split", "to_splits"]


def _working_length(value: Any, field: str) -> Duration:
    duration = to_duration(value)
    if duration.elapsed or duration.is_percent:
        raise ValidationError(f"must be working time such as '2d', got {duration}",
                              entity="split", field=field)
    if duration.value <= 0:
        raise ValidationError(f"must be longer than zero, got {duration}",
                              entity="split", field=field)
    return duration


def _to_after(value: Any) -> Duration:
    return _working_length(value, "after")


def _to_gap(value: Any) -> Duration:
    return _working_length(value, "gap")


@attrs.frozen
class Split:
    """One interruption: after ``after`` of the task's work, the work stops for ``gap``.

    Both are working time (``"2d"``, ``"4h"``); ``after`` counts the task's work only, not
    earlier gaps. ``Split("2d", "3d")`` on a 5-day task: two days of work, three working days
    of pause, then the last three days of work.
    """

    after: Duration = attrs.field(converter=_to_after)
    gap: Duration = attrs.field(converter=_to_gap)
    leveling: bool = attrs.field(default=False, kw_only=True)
    """Made by resource leveling (``level(..., split_remaining=True)``): cleared with the
    leveling delays when the project is leveled again, as Microsoft Project clears them."""

    def __repr__(self) -> str:
        made = ", leveling=True" if self.leveling else ""
        return f"Split(after={str(self.after)!r}, gap={str(self.gap)!r}{made})"


def to_splits(value: Iterable[Split | tuple[Any, Any] | dict[str, Any]] | None) -> tuple[Split,
                                                                                         ...]:
    """A task's splits as a tuple: :class:`Split` objects, ``(after, gap)`` pairs or dicts.

    Used as an attrs converter. The order does not matter: the scheduler takes the splits in
    the order of their ``after`` (in working minutes), adds up gaps at the same point, and
    drops splits at or beyond the end of the work, as Microsoft Project does when a split
    task is shortened.
    """
    if value is None or value == ():
        return ()
    if isinstance(value, Split | str | bytes | dict):
        raise ValidationError("expected a sequence of splits, e.g. [('2d', '1d')]",
                              entity="task", field="splits")
    splits: list[Split] = []
    for item in value:
        if isinstance(item, Split):
            splits.append(item)
        elif isinstance(item, dict):
            splits.append(Split(**item))
        elif isinstance(item, tuple | list) and len(item) == 2:
            splits.append(Split(*item))
        else:
            raise ValidationError(f"expected a Split or an (after, gap) pair, got {item!r}",
                                  entity="task", field="splits")
    return tuple(splits)
