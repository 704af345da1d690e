"""The PSPLIB single-mode project scheduling format (``.sm``), read into a :class:`Project`.

PSPLIB (Kolisch and Sprecher, 1996) is the standard benchmark library of the resource
constrained project scheduling problem (RCPSP). A ``.sm`` file holds one project: jobs with a
duration in periods, finish-to-start successors, and the units of each renewable resource every
job needs while it runs, against a constant capacity per resource.

The reader maps it onto pmcore's model so that the project can be scheduled and leveled like any
other:

* one PSPLIB period is one working day of 480 minutes on a calendar (``"psplib"``) where every
  day of the week is a working day, so a makespan in periods is the project's duration in days;
* job *j* is task ``J<j>`` named ``Job <j>``; the dummy source and sink (duration 0) are
  milestones;
* successors are finish-to-start links without lag;
* renewable resource *k* is work resource ``R<k>`` whose ``max_units`` is its capacity, and a
  job's demand is the ``units`` of its assignment (jobs that need none are not assigned);
  nonrenewable and doubly constrained resources (consumed once, not per period) become
  material resources ``N<k>``/``D<k>`` with the quantity as units.

Only single-mode files are read: a job with more than one mode (a ``.mm`` file) is refused.
:func:`parse_sm` gives the plain numbers without building a project, for code that works on
arrays (the benchmark, :mod:`pmcore.leveling`).
"""

from __future__ import annotations

import re
from typing import BinaryIO

import attrs

from pmcore.errors import FormatError
from pmcore.io.document import read_limited
from pmcore.io.formats import ReadLimits
from pmcore.model import Project
from pmcore.model.calendar import Calendar, WorkingTime, WorkWeek
from pmcore.plugins import hookimpl

__all__ = ["PSPLIB_CALENDAR", "PsplibFormat", "SmInstance", "parse_sm", "to_project"]

PSPLIB_CALENDAR = "psplib"
"""Id of the calendar a PSPLIB project is scheduled on: every day a working day of 8 hours."""

_SEPARATOR = re.compile(r"^\*{10,}\s*$")


@attrs.frozen(kw_only=True)
class SmInstance:
    """The numbers of a single-mode PSPLIB instance, jobs numbered from 1 as in the file.

    Attributes:
        name: the instance name (the file name without ``.sm``), or ``""``.
        horizon: the file's upper bound on the makespan (the sum of the durations).
        durations: each job's duration in periods; ``durations[0]`` is job 1.
        successors: each job's successors, by job number.
        demands: each job's demand of each renewable resource per period.
        capacities: each renewable resource's capacity per period.
        nonrenewable: each job's demand of each nonrenewable and doubly constrained resource.
        nonrenewable_capacities: their total availability.
        nonrenewable_kinds: ``"N"`` or ``"D"`` for each of them.
        release_date, due_date, tardiness_cost, mpm_time: the PROJECT INFORMATION row;
            ``mpm_time`` is the critical path length without resource limits.
    """

    name: str = ""
    horizon: int
    durations: tuple[int, ...]
    successors: tuple[tuple[int, ...], ...]
    demands: tuple[tuple[int, ...], ...]
    capacities: tuple[int, ...]
    nonrenewable: tuple[tuple[int, ...], ...] = ()
    nonrenewable_capacities: tuple[int, ...] = ()
    nonrenewable_kinds: tuple[str, ...] = ()
    release_date: int = 0
    due_date: int = 0
    tardiness_cost: int = 0
    mpm_time: int = 0

    @property
    def jobs(self) -> int:
        """The number of jobs, the dummy source and sink included."""
        return len(self.durations)


class _Lines:
    """The file's lines with their numbers, read front to back."""

    def __init__(self, text: str, source: str):
        self.lines = text.splitlines()
        self.index = 0
        self.source = source

    def error(self, message: str, line: int | None = None) -> FormatError:
        return FormatError(message, source=self.source,
                           line=self.index if line is None else line)

    def next(self, what: str) -> str:
        if self.index >= len(self.lines):
            raise FormatError(f"ends before {what}", source=self.source,
                              line=len(self.lines) or 1)
        line = self.lines[self.index]
        self.index += 1
        return line

    def seek(self, heading: str) -> None:
        """Move past the line that starts with ``heading``."""
        while True:
            if self.next(f"the {heading.rstrip(':')} section").strip().startswith(heading):
                return

    def value(self, label: str) -> int:
        """The whole number after the colon on the next line starting with ``label``."""
        while True:
            line = self.next(f"the {label!r} line")
            if line.strip().lower().startswith(label.lower()):
                match = re.search(r":\s*(-?\d+)", line)
                if match is None:
                    raise self.error(f"expected a whole number after {label!r}, got {line!r}")
                return int(match.group(1))

    def numbers(self, what: str, count: int | None = None) -> list[int]:
        """The whole numbers on the next line."""
        line = self.next(what)
        try:
            values = [int(field) for field in line.split()]
        except ValueError:
            raise self.error(f"expected whole numbers in {what}, got {line.strip()!r}") \
                from None
        if count is not None and len(values) != count:
            raise self.error(f"expected {count} numbers in {what}, got {len(values)}")
        if any(v < 0 for v in values):
            raise self.error(f"{what} has a negative number: {line.strip()!r}")
        return values


def parse_sm(text: str, *, source: str = "<psplib>", name: str = "") -> SmInstance:
    """Parse the text of a single-mode PSPLIB file.

    Raises:
        FormatError: naming ``source`` and the line of anything missing or malformed: a
            section out of place, a count that does not match, a job numbered out of order, a
            successor that is no job, a job with several modes.
    """
    lines = _Lines(text, source)
    jobs = lines.value("jobs")
    horizon = lines.value("horizon")
    renewable = lines.value("- renewable")
    nonrenewable = lines.value("- nonrenewable")
    doubly = lines.value("- doubly constrained")
    if jobs < 2:
        raise lines.error(f"needs at least the dummy source and sink, got {jobs} jobs")
    lines.seek("PROJECT INFORMATION")
    lines.next("the project information header")
    info = lines.numbers("the project information row", 6)
    lines.seek("PRECEDENCE RELATIONS")
    lines.next("the precedence header")
    successors: list[tuple[int, ...]] = []
    for job in range(1, jobs + 1):
        row = lines.numbers(f"the precedence row of job {job}")
        if len(row) < 3 or row[0] != job:
            raise lines.error(f"expected the precedence row of job {job} (job, modes, "
                              f"successor count, successors), got {row}")
        if row[1] != 1:
            raise lines.error(f"job {job} has {row[1]} modes; only single-mode files (.sm) "
                              "are read")
        if len(row) != 3 + row[2]:
            raise lines.error(f"job {job} declares {row[2]} successors but lists "
                              f"{len(row) - 3}")
        for successor in row[3:]:
            if not 1 <= successor <= jobs or successor == job:
                raise lines.error(f"job {job} has successor {successor}, which is not another "
                                  f"job (1 to {jobs})")
        successors.append(tuple(row[3:]))
    lines.seek("REQUESTS/DURATIONS")
    lines.next("the requests header")
    dashes = lines.next("the requests header")
    if not dashes.strip().startswith("-"):
        raise lines.error(f"expected a line of dashes, got {dashes.strip()!r}")
    resources = renewable + nonrenewable + doubly
    durations: list[int] = []
    demands: list[tuple[int, ...]] = []
    consumed: list[tuple[int, ...]] = []
    for job in range(1, jobs + 1):
        row = lines.numbers(f"the request row of job {job}", 3 + resources)
        if row[0] != job or row[1] != 1:
            raise lines.error(f"expected job {job} in mode 1, got job {row[0]} mode {row[1]}")
        durations.append(row[2])
        demands.append(tuple(row[3:3 + renewable]))
        consumed.append(tuple(row[3 + renewable:]))
    lines.seek("RESOURCEAVAILABILITIES")
    lines.next("the resource names")
    capacities = lines.numbers("the resource availabilities", resources)
    return SmInstance(
        name=name, horizon=horizon, durations=tuple(durations), successors=tuple(successors),
        demands=tuple(demands), capacities=tuple(capacities[:renewable]),
        nonrenewable=tuple(consumed) if nonrenewable + doubly else (),
        nonrenewable_capacities=tuple(capacities[renewable:]),
        nonrenewable_kinds=("N",) * nonrenewable + ("D",) * doubly,
        release_date=info[2], due_date=info[3], tardiness_cost=info[4], mpm_time=info[5])


def psplib_calendar() -> Calendar:
    """Every day of the week a working day of 08:00-12:00 and 13:00-17:00 (480 minutes)."""
    day = (WorkingTime(480, 720), WorkingTime(780, 1020))
    return Calendar(id=PSPLIB_CALENDAR, name="PSPLIB periods (every day 8 hours)",
                    week=WorkWeek((day,) * 7))


def to_project(instance: SmInstance, *, start: str = "2027-01-04") -> Project:
    """The instance as a project on the every-day calendar (see the module docstring)."""
    name = instance.name or "PSPLIB instance"
    notes = (f"PSPLIB single-mode instance: horizon {instance.horizon}, release date "
             f"{instance.release_date}, due date {instance.due_date}, tardiness cost "
             f"{instance.tardiness_cost}, MPM time {instance.mpm_time}")
    project = Project(name, start=start, calendar=PSPLIB_CALENDAR,
                      calendars={PSPLIB_CALENDAR: psplib_calendar()}, notes=notes)
    tasks = [project.add_task(f"Job {job}", f"{duration}d", id=f"J{job}")
             for job, duration in enumerate(instance.durations, start=1)]
    for job, successors in enumerate(instance.successors):
        for successor in successors:
            project.link(tasks[job], tasks[successor - 1])
    renewable = [project.add_resource(f"R {k}", id=f"R{k}", max_units=capacity)
                 for k, capacity in enumerate(instance.capacities, start=1)]
    consumed = [project.add_resource(f"{kind} {k}", "material", id=f"{kind}{k}",
                                     material_label="units",
                                     notes=f"PSPLIB availability {capacity}")
                for k, (kind, capacity) in enumerate(
                    zip(instance.nonrenewable_kinds, instance.nonrenewable_capacities,
                        strict=True), start=1)]
    for job, task in enumerate(tasks):
        for resource, units in zip(renewable, instance.demands[job], strict=True):
            if units:
                project.assign(task, resource, units)
        if consumed:
            for resource, units in zip(consumed, instance.nonrenewable[job], strict=True):
                if units:
                    project.assign(task, resource, units)
    return project


class PsplibFormat:
    """Reads PSPLIB single-mode ``.sm`` files (see :mod:`pmcore.io.psplib`)."""

    name = "psplib"
    extensions = (".sm",)
    description = "PSPLIB single-mode RCPSP instance (read only)"

    def sniff(self, head: bytes) -> bool:
        """PSPLIB files open with a line of asterisks and the base data file's name."""
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return text.startswith(b"*" * 10) and b"file with basedata" in text[:400]

    def read(self, stream: BinaryIO, *, source: str, limits: ReadLimits) -> Project:
        """Read a project from a ``.sm`` file."""
        raw = read_limited(stream, source=source, limits=limits)
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError as exc:
            raise FormatError(f"is not a plain-text PSPLIB file (byte {exc.start})",
                              source=source) from None
        stem = re.sub(r"\.sm$", "", source.replace("\\", "/").rsplit("/", 1)[-1],
                      flags=re.IGNORECASE)
        name = "" if stem.startswith("<") else stem
        return to_project(parse_sm(text, source=source, name=name))


@hookimpl
def pmcore_register_readers() -> list[PsplibFormat]:
    """The PSPLIB ``.sm`` reader."""
    return [PsplibFormat()]
