"""Test helpers for pmcore and its plugins: Hypothesis strategies over the whole model.

A plugin that reads or writes a format can check its round trip on arbitrary projects::

    from hypothesis import given
    from pmcore.testing import projects

    @given(projects())
    def test_round_trip(project):
        assert my_format_loads(my_format_dumps(project)) == project

Needs ``hypothesis`` (a test dependency, not a dependency of pmcore).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

import pmcore
from pmcore import Calendar, CalendarException, Duration, DurationUnit, WorkWeek
from pmcore.model import Baseline, Recurrence

__all__ = [
    "baselines",
    "custom_values",
    "durations",
    "lags",
    "money",
    "projects",
    "rate_tables",
    "recurrences",
    "resources",
]

text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,12}", fullmatch=True)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 12, 31))
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
durations = st.builds(
    Duration,
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([u for u in DurationUnit if not u.percent]),
    estimated=st.booleans(),
)
lags = st.builds(Duration, finite, st.sampled_from(list(DurationUnit)))
work = st.builds(
    Duration,
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([u for u in DurationUnit if not u.percent and not u.elapsed]),
    estimated=st.booleans(),
)
money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                    allow_infinity=False)
units = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
custom_values = st.one_of(
    text, st.booleans(), st.integers(-(10**12), 10**12), finite,
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9,
                max_value=10**9).map(Decimal),
    days, moments, durations,
)
custom_fields = st.dictionaries(text.filter(bool), custom_values, max_size=3)
external_refs = st.dictionaries(st.sampled_from(["jira", "msproject", "planner"]), text,
                                max_size=2)


@st.composite
def working_times(draw: st.DrawFn) -> list[str]:
    """Non-overlapping working times on a 15-minute grid, as text."""
    cuts = sorted(draw(st.sets(st.integers(0, 96), max_size=6)))
    if len(cuts) % 2:
        cuts = cuts[:-1]
    return [f"{a * 15 // 60:02d}:{a * 15 % 60:02d}-{b * 15 // 60:02d}:{b * 15 % 60:02d}"
            for a, b in zip(cuts[::2], cuts[1::2], strict=True)]


@st.composite
def weeks(draw: st.DrawFn, complete: bool) -> WorkWeek:
    """A work week; with ``complete`` every day is defined (as a base calendar needs)."""
    days_ = {}
    for key in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        if complete or draw(st.booleans()):
            days_[key] = draw(working_times())
    return WorkWeek(days_)


@st.composite
def exceptions(draw: st.DrawFn) -> CalendarException:
    """One-off and recurring calendar exceptions."""
    start = draw(days)
    recurrence = draw(st.sampled_from([None, "FREQ=YEARLY", "FREQ=MONTHLY;BYMONTHDAY=1",
                                       "FREQ=WEEKLY;BYDAY=FR;COUNT=10", "FREQ=DAILY;INTERVAL=3"]))
    finish = draw(st.none() | st.integers(0, 400).map(lambda n: start + dt.timedelta(days=n)))
    if recurrence and "COUNT" in recurrence:
        finish = None
    return CalendarException(name=draw(text), start=start, finish=finish, recurrence=recurrence,
                             working_times=draw(working_times()))


@st.composite
def baselines(draw: st.DrawFn) -> Baseline:
    """One saved baseline: dates in order, a duration, and maybe when it was saved."""
    start = draw(moments)
    finish = start + draw(st.timedeltas(dt.timedelta(0), dt.timedelta(days=400)))
    return Baseline(start=start, finish=finish, duration=draw(durations),
                    saved_at=draw(st.none() | moments))


task_baselines = st.dictionaries(st.integers(0, 10), baselines(), max_size=3)

# Rules with the shortest range (in days) that is sure to hold an occurrence, or None for rules
# that end by their own COUNT; the ranges stay short, so a series has a few occurrences.
_RULES: list[tuple[str, int | None]] = [
    ("FREQ=MONTHLY;BYDAY=2TU", 62),
    ("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4", None),
    ("FREQ=YEARLY;COUNT=3", None),
    ("FREQ=DAILY;INTERVAL=10", 0),
    ("FREQ=MONTHLY;BYMONTHDAY=1;INTERVAL=3", 100),
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=2", None),
]


@st.composite
def recurrences(draw: st.DrawFn) -> Recurrence:
    """A recurring task's series with a few occurrences (monthly, weekly, yearly, daily)."""
    rule, shortest = draw(st.sampled_from(_RULES))
    start = draw(days)
    finish = None if shortest is None else \
        start + dt.timedelta(days=shortest + draw(st.integers(0, 60)))
    return Recurrence(rule, start, finish, duration=draw(durations))


@st.composite
def availabilities(draw: st.DrawFn) -> tuple[pmcore.Availability, ...]:
    """Availability periods in date order that do not overlap; the ends may be open."""
    cuts: list[dt.date | None] = [*sorted(draw(st.sets(days, max_size=6)))]
    if len(cuts) % 2:
        cuts = cuts[:-1]
    open_start, open_finish = draw(st.booleans()), draw(st.booleans())
    if cuts and open_start:
        cuts[0] = None
    if cuts and open_finish:
        cuts[-1] = None
    return tuple(pmcore.Availability(start, finish, draw(units))
                 for start, finish in zip(cuts[::2], cuts[1::2], strict=True))


@st.composite
def rate_tables(draw: st.DrawFn) -> dict[str, pmcore.RateTable]:
    """Cost rate tables A-E, each with rates in increasing effective date."""
    tables: dict[str, pmcore.RateTable] = {}
    for letter in draw(st.sets(st.sampled_from("ABCDE"), max_size=3)):
        dates: list[dt.date | None] = [*sorted(draw(st.sets(days, max_size=3)))]
        if draw(st.booleans()):
            dates.insert(0, None)
        tables[letter] = pmcore.RateTable([
            pmcore.Rate(effective_from=day, standard_rate=draw(money),
                        overtime_rate=draw(money), cost_per_use=draw(money))
            for day in dates])
    return tables


@st.composite
def resources(draw: st.DrawFn, project: pmcore.Project) -> pmcore.Resource:
    """A resource added to ``project``: work, material or cost, with every field drawn."""
    kind = draw(st.sampled_from(list(pmcore.ResourceType)))
    return project.add_resource(
        draw(text), kind, id=draw(st.none() | ids.filter(lambda i: i not in {
            r.id for r in project.resources})),
        material_label=draw(text) if kind is pmcore.ResourceType.MATERIAL else "",
        generic=draw(st.booleans()), initials=draw(text), group=draw(text),
        email=draw(text), roles=draw(st.lists(text.filter(bool), max_size=2)),
        skills=draw(st.lists(text.filter(bool), max_size=2)), team=draw(text),
        max_units=draw(units), availability=draw(availabilities()),
        calendar=draw(st.none() | st.sampled_from(sorted(project.calendars))),
        rate_tables=draw(rate_tables()),
        accrue_at=draw(st.sampled_from(list(pmcore.CostAccrual))),
        can_level=draw(st.booleans()), notes=draw(text),
        custom_fields=draw(custom_fields), external_refs=draw(external_refs))


@st.composite
def projects(draw: st.DrawFn) -> pmcore.Project:
    """Projects using every part of the model: calendars, outline, links, custom fields."""
    start = draw(st.none() | moments)
    project = pmcore.Project(
        draw(text), id=draw(ids), start=start, status_date=draw(st.none() | moments),
        manager=draw(text), notes=draw(text), custom_fields=draw(custom_fields),
        external_refs=draw(external_refs),
        options=pmcore.CalendarOptions(minutes_per_day=draw(st.integers(1, 1440)),
                                       minutes_per_week=draw(st.integers(1, 10080)),
                                       days_per_month=draw(st.integers(1, 31))),
    )
    for index in range(draw(st.integers(0, 3))):
        base = draw(st.sampled_from([None, *project.calendars]))
        calendar = Calendar(id=f"cal-{index}", name=draw(text), base=base,
                            week=draw(weeks(complete=base is None)),
                            exceptions=draw(st.lists(exceptions(), max_size=3)),
                            custom_fields=draw(custom_fields))
        project.calendars[calendar.id] = calendar
    if draw(st.booleans()):
        project.define_field("Cost center", "text", choices=("IT", "OPS"), alias="CC")
    tasks: list[pmcore.Task] = []
    for _ in range(draw(st.integers(0, 12))):
        parent = draw(st.none() | st.sampled_from(tasks)) if tasks else None
        constraint = draw(st.sampled_from(list(pmcore.ConstraintType)))
        task = project.add_task(
            draw(text), draw(st.none() | durations), parent=parent,
            milestone=draw(st.booleans()), manual=draw(st.booleans()),
            constraint=pmcore.Constraint(constraint, draw(moments) if constraint.needs_date
                                         else None),
            deadline=draw(st.none() | moments), priority=draw(st.integers(0, 1000)),
            percent_complete=draw(st.floats(0, 100)),
            calendar=draw(st.none() | st.sampled_from(sorted(project.calendars))),
            wbs=draw(st.none() | text), notes=draw(text),
            custom_fields=draw(custom_fields), external_refs=draw(external_refs),
            baselines=draw(task_baselines),
            task_type=draw(st.sampled_from(list(pmcore.TaskType))),
            effort_driven=draw(st.booleans()),
        )
        tasks.append(task)
    for _ in range(draw(st.integers(0, 2))):  # recurring tasks: a summary and its occurrences
        series = draw(recurrences())
        summary = project.add_recurring_task(
            draw(text), series.duration, series.rule, start=series.start, finish=series.finish,
            parent=draw(st.none() | st.sampled_from(tasks)) if tasks else None,
            calendar=draw(st.none() | st.just("standard")),
            notes=draw(text), custom_fields=draw(custom_fields))
        tasks.append(summary)
    for _ in range(draw(st.integers(0, 10))):
        if len(tasks) < 2:
            break
        a, b = draw(st.lists(st.sampled_from(tasks), min_size=2, max_size=2, unique_by=id))
        # A loop, a duplicate or an own-summary link is refused, as it should be.
        with contextlib.suppress(pmcore.ValidationError):
            project.link(a, b, draw(st.sampled_from(list(pmcore.LinkType))), draw(lags),
                         custom_fields=draw(custom_fields))
    staff = [draw(resources(project)) for _ in range(draw(st.integers(0, 4)))]
    leaves = project.work_tasks
    for _ in range(draw(st.integers(0, 6))):
        if not staff or not leaves:
            break
        resource = draw(st.sampled_from(staff))
        is_cost = resource.type is pmcore.ResourceType.COST
        start = draw(st.none() | moments)
        finish = None if start is None else \
            start + draw(st.timedeltas(dt.timedelta(0), dt.timedelta(days=400)))
        # A resource is assigned to a task once; a second try is refused, as it should be.
        with contextlib.suppress(pmcore.ValidationError):
            project.assign(
                draw(st.sampled_from(leaves)), resource, draw(units),
                None if is_cost else draw(st.none() | work),
                actual_work=None if is_cost else draw(st.none() | work),
                remaining_work=None if is_cost else draw(st.none() | work),
                rate_table=draw(st.sampled_from("ABCDE")),
                contour=draw(st.sampled_from(list(pmcore.WorkContour))),
                start=start, finish=finish,
                cost=draw(money) if is_cost else None,
                actual_cost=draw(st.none() | money) if is_cost else None,
                notes=draw(text), custom_fields=draw(custom_fields),
                external_refs=draw(external_refs))
    return project
