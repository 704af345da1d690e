"""pmcore's scheduler against the dates Microsoft Project saved in the same files.

Every ``*.xml`` file in ``../shared/samples/mspdi`` is read with :class:`MspdiReader` and
scheduled with ``project.schedule()``. For every task row that carries saved dates (the
project summary row, UID 0, aside; summary tasks are compared like any other), each of these
fields that MS Project wrote is compared:

- Start, Finish, EarlyStart, EarlyFinish, LateStart, LateFinish: in *working time* of the
  task's calendar (on the clock for elapsed durations), within less than one working minute.
  Friday 17:00 and the following Monday 08:00 are the same point in working time, so a date
  shown at the other end of a weekend matches; ``docs/msproject.md`` lists those separately.
- TotalSlack and FreeSlack (tenths of a minute), within less than one minute.
- Critical, exactly.

A difference pmcore cannot match yet is a strict xfail. Its reason names what MS Project has,
what pmcore computes and why (one text per cause, in :data:`CAUSES`); the test raises
:class:`KnownDifference` only while pmcore still computes the value the reason states, so a
reason cannot go stale: a match fails as XPASS, another wrong value fails outright.

``docs/msproject.md`` shows the figures and differences; its generated blocks must equal what
this module computes (``python plugins/pmcore-msproject/tests/test_mspdi_schedule.py --write``
rewrites them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pmcore import Project, Task
from pmcore.io.formats import ReadLimits
from pmcore.schedule import Schedule
from pmcore.schedule.timeline import Timeline
from pmcore_msproject import MspdiReader

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT.parent / "shared" / "samples" / "mspdi"
PAGE = ROOT / "docs" / "msproject.md"
NS = "{http://schemas.microsoft.com/project}"
DATES = {"Start": "start", "Finish": "finish", "EarlyStart": "early_start",
         "EarlyFinish": "early_finish", "LateStart": "late_start", "LateFinish": "late_finish"}
FLOATS = {"TotalSlack": "total_float_minutes", "FreeSlack": "free_float_minutes"}
FIELDS = (*DATES, *FLOATS, "Critical")


def _files() -> list[str]:
    return sorted(path.name for path in SAMPLES.glob("*.xml")) if SAMPLES.is_dir() else []


# ---------------------------------------------------------------------------- known differences

CAUSES: dict[str, str] = {}
"""Why pmcore differs, one text per cause (see docs/msproject.md for the fixes)."""

KNOWN_DIFFERENCES: dict[tuple[str, str, str], tuple[str, str, str]] = {}
"""(file, UID, field): (cause, what MS Project has, what pmcore computes)."""


def _reason(key: tuple[str, str, str]) -> str:
    cause, saved, computed = KNOWN_DIFFERENCES[key]
    return f"MS Project has {saved}, pmcore computes {computed}: {CAUSES[cause]}"


class KnownDifference(Exception):  # noqa: N818 - an expected outcome, not an error
    """Raised by a known difference while pmcore computes exactly what its reason says."""


# ---------------------------------------------------------------------------- the comparison


@dataclass(frozen=True)
class Outcome:
    """One field of one task, as MS Project saved it and as pmcore computes it."""

    matched: bool
    saved: str
    computed: str
    same_clock: bool = True  # for dates that match: shown at the same wall-clock time too


@cache
def _tree(name: str) -> Any:
    return etree.parse(str(SAMPLES / name)).getroot()


@cache
def _scheduled(name: str) -> tuple[Project, Schedule]:
    with (SAMPLES / name).open("rb") as stream:
        project = MspdiReader().read(stream, source=name, limits=ReadLimits())
    return project, project.schedule(backend="python")


@cache
def _timeline(name: str, calendar: str | None) -> Timeline:
    project, _ = _scheduled(name)
    resolved = project.effective_calendar(calendar)
    return Timeline(resolved, dt.date(2000, 1, 3))


def rows(name: str) -> Iterator[tuple[str, str, str]]:
    """(UID, field, saved text) for every compared field of every task with saved dates."""
    for task in _tree(name).iter(f"{NS}Task"):
        uid = task.findtext(f"{NS}UID")
        if uid in (None, "0") or not task.findtext(f"{NS}Start"):
            continue  # the project summary row; blank rows without dates
        for tag in FIELDS:
            saved = task.findtext(f"{NS}{tag}")
            if saved is not None and saved.strip():
                yield uid, tag, saved.strip()


def task_rows(name: str) -> int:
    """Task rows in the file besides the project summary (UID 0)."""
    return sum(1 for task in _tree(name).iter(f"{NS}Task") if task.findtext(f"{NS}UID") != "0")


def _show_date(moment: dt.datetime) -> str:
    return moment.strftime("%a %Y-%m-%d %H:%M")


def _show_minutes(minutes: float) -> str:
    return f"{minutes:g} min"


def _working_gap(name: str, task: Task, saved: dt.datetime, computed: dt.datetime) -> float:
    """computed - saved in working minutes of the task's calendar (clock minutes if elapsed)."""
    if task.duration is not None and task.duration.elapsed:
        return (computed - saved).total_seconds() / 60
    timeline = _timeline(name, task.calendar)
    # seconds are kept: MS Project may save 16:59:59, which is less than a minute from 17:00
    return (timeline.work_of(computed.replace(second=0)) + computed.second / 60) - (
        timeline.work_of(saved.replace(second=0)) + saved.second / 60)


def compare(name: str, uid: str, tag: str, saved: str) -> Outcome:
    """What MS Project saved in ``tag`` for task ``uid`` against pmcore's value."""
    project, schedule = _scheduled(name)
    task = project.task(f"T{uid}")
    got = schedule[f"T{uid}"]
    if tag in DATES:
        moment = dt.datetime.fromisoformat(saved)
        computed: dt.datetime = getattr(got, DATES[tag])
        gap = _working_gap(name, task, moment, computed)
        return Outcome(abs(gap) < 1, _show_date(moment), _show_date(computed),
                       same_clock=moment == computed)
    if tag in FLOATS:
        minutes = float(saved) / 10  # tenths of a minute
        value: int = getattr(got, FLOATS[tag])
        return Outcome(abs(value - minutes) < 1, _show_minutes(minutes), _show_minutes(value))
    critical = saved == "1"
    return Outcome(critical == got.critical, "yes" if critical else "no",
                   "yes" if got.critical else "no")


# ---------------------------------------------------------------------------- the tests


def _cases() -> list[Any]:
    if not SAMPLES.is_dir():
        return [pytest.param(None, None, None, None, marks=pytest.mark.skip(
            reason=f"MSPDI samples not found at {SAMPLES} (../shared/samples/mspdi)"))]
    cases = []
    for name in _files():
        for uid, tag, saved in rows(name):
            key = (name, uid, tag)
            marks = [pytest.mark.xfail(strict=True, raises=KnownDifference,
                                       reason=_reason(key))] if key in KNOWN_DIFFERENCES else []
            cases.append(pytest.param(name, uid, tag, saved, marks=marks,
                                      id=f"{name}-UID{uid}-{tag}"))
    return cases


@pytest.mark.parametrize(("name", "uid", "tag", "saved"), _cases())
def test_matches_ms_project(name: str, uid: str, tag: str, saved: str) -> None:
    outcome = compare(name, uid, tag, saved)
    known = KNOWN_DIFFERENCES.get((name, uid, tag))
    if known is not None and not outcome.matched and known[1:] == (outcome.saved,
                                                                   outcome.computed):
        raise KnownDifference(_reason((name, uid, tag)))
    assert outcome.matched, f"MS Project has {outcome.saved}, pmcore computes {outcome.computed}"


def _needs_samples() -> None:
    if not SAMPLES.is_dir():
        pytest.skip(f"MSPDI samples not found at {SAMPLES}")


@pytest.mark.parametrize("name", _files())
def test_numba_gives_every_sample_the_same_schedule(name: str) -> None:
    """The comparison above runs the Python backend; numba's must give the same records."""
    pytest.importorskip("numba")
    project, python = _scheduled(name)
    numba = project.schedule(backend="numba")
    assert numba.to_records() == python.to_records()
    assert numba.conflicts == python.conflicts


def test_every_known_difference_is_a_real_case() -> None:
    _needs_samples()
    compared = {(name, uid, tag) for name in _files() for uid, tag, _ in rows(name)}
    assert set(KNOWN_DIFFERENCES) <= compared
    assert {cause for cause, _, _ in KNOWN_DIFFERENCES.values()} == set(CAUSES)


def test_no_task_row_is_left_out() -> None:
    _needs_samples()
    assert len(_files()) >= 15
    for name in _files():
        assert task_rows(name) == sum(1 for _ in _compared_tasks(name)), name


def test_a_difference_of_one_working_minute_is_caught() -> None:
    """The tolerance is below one working minute: the comparison is not a tautology."""
    _needs_samples()
    uid, tag, saved = next((u, t, s) for u, t, s in rows("mspdirelations.xml")
                           if t == "Start")
    assert compare("mspdirelations.xml", uid, tag, saved).matched
    later = (dt.datetime.fromisoformat(saved) + dt.timedelta(minutes=1)).isoformat()
    assert not compare("mspdirelations.xml", uid, tag, later).matched
    slack = next(s for u, t, s in rows("mspdirelations.xml") if u == uid and t == "TotalSlack")
    assert compare("mspdirelations.xml", uid, "TotalSlack", slack).matched
    assert not compare("mspdirelations.xml", uid, "TotalSlack", str(int(slack) + 10)).matched


def test_the_page_shows_the_current_figures() -> None:
    _needs_samples()
    text = PAGE.read_text(encoding="utf-8")
    for block, body in generated_blocks().items():
        found = _block(block).search(text)
        assert found, f"docs/msproject.md has no generated block {block!r}"
        assert found[1] == body, (
            f"docs/msproject.md block {block!r} is out of date; run "
            "python plugins/pmcore-msproject/tests/test_mspdi_schedule.py --write")
    tasks, fields = _totals()
    summary = (ROOT / "docs" / "explanation" / "scheduling.md").read_text(encoding="utf-8")
    assert re.search(rf"{tasks[0]}\s+of\s+{tasks[1]}\s+tasks\s+and\s+{fields[0]}\s+of\s+"
                     rf"{fields[1]}\s+compared\s+fields", summary), (
        f"docs/explanation/scheduling.md should say {tasks[0]} of {tasks[1]} tasks and "
        f"{fields[0]} of {fields[1]} compared fields match")


# ---------------------------------------------------------------------------- the page's figures


def _compared_tasks(name: str) -> Iterator[tuple[str, list[tuple[str, Outcome]]]]:
    fields: dict[str, list[tuple[str, Outcome]]] = {}
    for uid, tag, saved in rows(name):
        fields.setdefault(uid, []).append((tag, compare(name, uid, tag, saved)))
    yield from fields.items()


def _totals() -> tuple[tuple[int, int], tuple[int, int]]:
    """(tasks matched, compared), (fields matched, compared) over every sample file."""
    outcomes = [fields for name in _files() for _, fields in _compared_tasks(name)]
    flat = [o for fields in outcomes for _, o in fields]
    return ((sum(all(o.matched for _, o in fields) for fields in outcomes), len(outcomes)),
            (sum(o.matched for o in flat), len(flat)))


def _block(name: str) -> re.Pattern[str]:
    return re.compile(rf"<!-- generated: {name} -->\n(.*?)<!-- end: {name} -->", re.DOTALL)


def generated_blocks() -> dict[str, str]:
    """The Markdown of each generated block of docs/msproject.md."""
    figures = ["| file | tasks matched / compared | fields matched / compared | differences |",
               "|---|---:|---:|---|"]
    totals = [0, 0, 0, 0]
    display = ["| file | UID | field | MS Project shows | pmcore shows |", "|---|---:|---|---|---|"]
    by_cause: dict[str, list[str]] = {cause: [] for cause in CAUSES}
    for name in _files():
        tasks = list(_compared_tasks(name))
        matched_tasks = sum(all(o.matched for _, o in fields) for _, fields in tasks)
        outcomes = [(uid, tag, o) for uid, fields in tasks for tag, o in fields]
        matched = sum(o.matched for _, _, o in outcomes)
        causes = sorted({KNOWN_DIFFERENCES[(name, uid, tag)][0]
                         for uid, tag, o in outcomes if not o.matched})
        figures.append(f"| {name} | {matched_tasks} / {len(tasks)} | {matched} / "
                       f"{len(outcomes)} | {', '.join(f'[{c}](#{c})' for c in causes) or '-'} |")
        totals = [total + add for total, add in zip(
            totals, (matched_tasks, len(tasks), matched, len(outcomes)), strict=True)]
        for uid, tag, o in outcomes:
            if o.matched and not o.same_clock:
                display.append(f"| {name} | {uid} | {tag} | {o.saved} | {o.computed} |")
            elif not o.matched:
                by_cause[KNOWN_DIFFERENCES[(name, uid, tag)][0]].append(
                    f"| {name} | {uid} | {tag} | {o.saved} | {o.computed} |")
    figures.append(f"| **all {len(_files())} files** | **{totals[0]} / {totals[1]}** | "
                   f"**{totals[2]} / {totals[3]}** | |")
    blocks = {"figures": "\n".join(figures) + "\n", "display": "\n".join(display) + "\n"}
    for cause, lines in by_cause.items():
        blocks[cause] = "\n".join(["| file | UID | field | MS Project | pmcore |",
                                   "|---|---:|---|---|---|", *lines]) + "\n"
    return blocks


def _write_page() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for block, body in generated_blocks().items():
        found = _block(block).search(text)
        if found is None:
            raise SystemExit(f"docs/msproject.md has no generated block {block!r}")
        text = text[:found.start(1)] + body + text[found.end(1):]
    PAGE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="rewrite the generated blocks of docs/msproject.md")
    if parser.parse_args().write:
        _write_page()
    else:
        for block, body in generated_blocks().items():
            print(f"<!-- generated: {block} -->\n{body}<!-- end: {block} -->\n")
