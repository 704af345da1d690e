"""Timephased data of an MSPDI file: work and cost period by period, beside the project.

pmcore's :class:`~pmcore.Assignment` holds totals (work, actual work, remaining work) and a
contour, not the period-by-period values Microsoft Project saves in ``TimephasedData``. This
module reads those values into their own immutable table, :class:`Timephased`, and
:class:`~pmcore_msproject.MspdiWriter` writes such a table back beside the project
(``MspdiWriter(timephased=...)``), so a file's timephased data survives a read and a write.

A value belongs to an assignment, a task or a resource (``owner``: its pmcore id, ``A5``,
``T3``, ``R2``). ``type`` is MSPDI's code (1 assignment remaining work, 2 actual work, 3 actual
overtime work, 4 baseline work, 5 baseline cost, 6 actual cost, 7-71 the other baselines of
assignments, tasks and resources), ``unit`` the period's time unit (0 m, 1 h, 2 d, 3 w, 5 mo,
8 y) and ``value`` the text MS Project wrote (``PT8H0M0S`` for work, a number for costs),
kept as written so that writing it back changes nothing.

Left out: the values of assignments without a resource (``ResourceUID`` -65535, which pmcore
does not read as assignments), of the project summary task (UID 0) and of MS Project's unnamed
resource (UID 0); and values whose start or finish is not a date (one MPXJ test file has
``2008-12-04T17:-0:00``), which are counted in :attr:`Timephased.skipped` and logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from pmcore.errors import FormatError
from pmcore.io.formats import ReadLimits
from pmcore.model import Duration, DurationUnit

__all__ = ["Timephased", "TimephasedValue", "read_timephased"]

logger = logging.getLogger(__name__)

_OWNERS = {"Task": "T", "Resource": "R", "Assignment": "A"}


@attrs.frozen(kw_only=True)
class TimephasedValue:
    """One period of timephased data, as MSPDI holds it."""

    owner: str
    """The pmcore id of the assignment (``A5``), task (``T3``) or resource (``R2``)."""
    type: int
    """MSPDI's ``Type``: 1 remaining work, 2 actual work, 4 baseline work, ... (see module)."""
    start: dt.datetime | None
    finish: dt.datetime | None
    unit: int | None
    """The period's time unit: 0 m, 1 h, 2 d, 3 w, 5 mo, 8 y."""
    value: str | None
    """The value as written: ``PT8H0M0S`` for work, a number for costs."""

    @property
    def work(self) -> Duration | None:
        """The value as working time in hours, when it is a duration (``PT8H0M0S`` -> 8h)."""
        from pmcore_msproject._mspdi import _iso_minutes

        if self.value is None or not self.value.strip().startswith(("P", "-P")):
            return None
        try:
            return Duration(round(_iso_minutes(self.value) / 60, 9), DurationUnit.HOURS)
        except ValueError:
            return None


@attrs.frozen
class Timephased:
    """The timephased data of one file, in file order."""

    values: tuple[TimephasedValue, ...] = ()
    skipped: int = 0
    """Values left out because a date in them is malformed."""

    def of(self, owner: str) -> tuple[TimephasedValue, ...]:
        """The values of one assignment, task or resource (by pmcore id)."""
        return tuple(v for v in self.values if v.owner == owner)

    def total_work(self, owner: str, type: int) -> Duration:
        """The work of one owner's values of one ``type``, summed: for an assignment, type 1
        (remaining) plus type 2 (actual) is the work MS Project shows for it."""
        hours = sum(w.value for v in self.values if v.owner == owner and v.type == type
                    and (w := v.work) is not None)
        return Duration(round(hours, 9), DurationUnit.HOURS)

    def __iter__(self) -> Iterator[TimephasedValue]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per value (owner, type, start, finish, unit, value)."""
        return [attrs.asdict(v) for v in self.values]


def read_timephased(source: str | Path | BinaryIO, *,
                    limits: ReadLimits | None = None) -> Timephased:
    """Read the timephased data of an MSPDI file (a path or a binary stream).

    Parsed as safely as :class:`~pmcore_msproject.MspdiReader` parses (no DTD, no entities,
    no network, bounded size) and streamed.

    Raises:
        FormatError: the file is not well-formed XML, or declares a DOCTYPE.
    """
    if isinstance(source, str | Path):
        with Path(source).open("rb") as stream:
            return _read(stream, str(source), limits or ReadLimits())
    return _read(source, getattr(source, "name", "<stream>"), limits or ReadLimits())


def _read(stream: BinaryIO, name: str, limits: ReadLimits) -> Timephased:
    from lxml import etree

    from pmcore_msproject._mspdi import _Q, _iterparse, _local

    context = _iterparse(stream, source=name, limits=limits,
                         tags=(_Q + "TimephasedData", *(_Q + owner for owner in _OWNERS)))
    values: list[TimephasedValue] = []
    pending: list[TimephasedValue] = []
    skipped = 0
    try:
        for _, element in context:
            tag = _local(element)
            if tag == "TimephasedData":
                parent = element.getparent()
                kind = None if parent is None else _OWNERS.get(_local(parent))
                if kind is not None:
                    found = _value(element, kind, name)
                    if found is None:
                        skipped += 1
                    else:
                        pending.append(found)
                element.clear()
                continue
            # the owner ends after its values: keep them if pmcore has such an owner
            uid = element.findtext(_Q + "UID")
            other = element.findtext(_Q + "ResourceUID") if tag == "Assignment" else "1"
            if _number(uid) > 0 and _number(other) > 0:
                values.extend(pending)
            pending = []
            element.clear()
            container = element.getparent()
            while container is not None and element.getprevious() is not None:
                del container[0]
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"is not well-formed XML: {exc.msg}", source=name,
                          line=exc.lineno or None) from None
    return Timephased(tuple(values), skipped)


def _number(text: str | None) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        return -1


def _parse_value(element: Any, kind: str) -> TimephasedValue:
    """One ``TimephasedData`` element of an owner of ``kind`` (``A``, ``T`` or ``R``); the
    one parser of these elements, the reader's split periods included.

    Raises:
        ValueError: its start or finish is not a date.
    """
    from pmcore_msproject._mspdi import _Q

    def text(tag: str) -> str | None:
        found: str | None = element.findtext(_Q + tag)
        return found if found is None or found.strip() else None

    start, finish = (None if text(t) is None else
                     dt.datetime.fromisoformat(str(text(t)).strip()) for t in ("Start",
                                                                              "Finish"))
    unit = text("Unit")
    return TimephasedValue(owner=f"{kind}{_number(text('UID'))}",
                           type=_number(text("Type")), start=start, finish=finish,
                           unit=None if unit is None else _number(unit),
                           value=text("Value"))


def _value(element: Any, kind: str, source: str) -> TimephasedValue | None:
    try:
        return _parse_value(element, kind)
    except ValueError:
        logger.warning("%s: timephased value at line %s has a malformed date; left out",
                       source, element.sourceline)
        return None
