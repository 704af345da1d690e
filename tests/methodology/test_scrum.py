"""Scrum: capacity, planning, velocity, burndown, burnup and release forecasts worked by hand.

Sprint "S4" runs Monday 2027-03-01 to Friday 2027-03-12: ten working days on the Standard
calendar (8 hours each), with the weekend of March 6-7 between.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pmcore
from pmcore.errors import FormatError, UnknownReferenceError, ValidationError
from pmcore.methodology.scrum import (
    Backlog,
    BacklogItem,
    Cadence,
    ItemKind,
    Sprint,
    Team,
    TeamMember,
    burndown,
    forecast_points,
    forecast_release,
    plan_sprint,
    read_sprints,
    release_burnup,
    velocity,
)
from pmcore.model import Calendar, WorkWeek
from pmcore.model.resource import Availability

S4 = Sprint(name="S4", start="2027-03-01", end="2027-03-12", goal="Checkout")


def test_team_capacity_from_calendars_units_and_focus() -> None:
    ben_calendar = Calendar.standard(id="ben")
    ben_calendar.add_holiday("Bridge day", "2027-03-05")
    cy_calendar = Calendar(id="cy", name="Mon-Wed", week=WorkWeek(
        {"mon": ["08:00-12:00", "13:00-17:00"], "tue": ["08:00-12:00", "13:00-17:00"],
         "wed": ["08:00-12:00", "13:00-17:00"], "thu": [], "fri": [], "sat": [], "sun": []}))
    team = Team(name="Checkout", members=[
        # 10 days x 8 h x focus 0.8 = 64 h
        TeamMember(name="Ana", focus_factor=0.8),
        # a holiday on Friday the 5th: 9 days x 8 h x half time = 36 h
        TeamMember(name="Ben", calendar=ben_calendar, units=0.5),
        # works Mon-Wed: 6 days, on leave Mon 8 and Tue 9: 4 days x 8 h x 0.75 = 24 h
        TeamMember(name="Cy", calendar=cy_calendar, focus_factor=0.75,
                   availability=[Availability("2027-03-08", "2027-03-09", 0)]),
    ])
    capacity = team.capacity(S4)
    assert capacity.members == (("Ana", 64.0), ("Ben", 36.0), ("Cy", 24.0))
    assert capacity.hours == 124.0
    # a full sprint delivered 30 points in 160 hours: plan 30 x 124 / 160 = 23.25 points
    assert capacity.points(30, 160) == 23.25
    assert capacity.to_records()[1] == {"sprint": "S4", "member": "Ben", "hours": 36.0}


def test_a_member_from_a_project_resource() -> None:
    project = pmcore.Project("Shop", start="2027-03-01")
    calendar = project.add_calendar("Dana", base="standard")
    calendar.add_holiday("Dentist", "2027-03-10")
    dana = project.add_resource("Dana", calendar=calendar, max_units=0.5)
    member = TeamMember.from_resource(project, dana, focus_factor=0.5)
    # 9 working days x 8 h x 0.5 units x 0.5 focus = 18 h
    assert member.hours(S4.start, S4.end) == 18.0
    with pytest.raises(ValidationError, match="effective_calendar"):
        TeamMember(name="X", calendar=calendar)


BACKLOG = Backlog([
    BacklogItem(id="S3", title="Pay by card", points=13, rank=4, epic="Payments"),
    BacklogItem(id="S1", title="Basket", points=5, rank=1, epic="Checkout"),
    BacklogItem(id="B1", title="Rounding", kind="bug", points=3, rank=3),
    BacklogItem(id="S2", title="Address", points=8, rank=2, epic="Checkout"),
    BacklogItem(id="S4", title="Receipt", points=2, rank=5),
    BacklogItem(id="X1", title="Research fraud", kind=ItemKind.SPIKE, rank=6),
])


def test_the_backlog_is_kept_in_rank_order() -> None:
    assert [i.id for i in BACKLOG] == ["S1", "S2", "B1", "S3", "S4", "X1"]
    assert BACKLOG.points_to("S3") == 29  # 5 + 8 + 3 + 13
    with pytest.raises(ValidationError) as info:
        BACKLOG.points_to()  # X1 has no estimate
    assert info.value.entity == "backlog item 'X1'"
    with pytest.raises(UnknownReferenceError):
        BACKLOG.points_to("nope")


def test_planning_fills_by_rank_up_to_capacity() -> None:
    plan = plan_sprint(BACKLOG, S4, 20)
    # 5 + 8 + 3 = 16; S3 (13) would make 29 > 20: strict rank stops there
    assert [i.id for i in plan.items] == ["S1", "S2", "B1"]
    assert plan.points == 16
    assert plan.stopped_at == "S3"
    filled = plan_sprint(BACKLOG, S4, 20, fill=True)
    # passes over S3 and takes S4 (2): 18; the spike X1 is unestimated and stops it
    assert [i.id for i in filled.items] == ["S1", "S2", "B1", "S4"]
    assert filled.skipped == ("S3",)
    assert filled.stopped_at == "X1"
    applied = plan.apply(BACKLOG)
    assert [i.id for i in applied.in_sprint(S4)] == ["S1", "S2", "B1"]
    # planning the next sprint skips what is already taken
    assert [i.id for i in plan_sprint(applied, S4, 13).items] == ["S3"]
    assert plan.to_records()[0] == {"sprint": "S4", "id": "S1", "title": "Basket",
                                    "points": 5.0, "rank": 1}


HISTORY = [
    Sprint(name="S1", start="2027-01-18", end="2027-01-31", completed_points=20),
    Sprint(name="S2", start="2027-02-01", end="2027-02-14", completed_points=26),
    Sprint(name="S3", start="2027-02-15", end="2027-02-28", completed_points=23),
    Sprint(name="S4", start="2027-03-01", end="2027-03-14", completed_points=31),
]


def test_velocity_of_the_last_sprints() -> None:
    v = velocity(HISTORY)  # the last three: 26, 23, 31
    assert v.sprints == ("S2", "S3", "S4")
    assert v.average == 80 / 3
    assert (v.minimum, v.maximum) == (23, 31)
    assert velocity(HISTORY, last=None).average == 25  # 100 / 4
    assert velocity(list(reversed(HISTORY)), last=1).values == (31,)  # by end date
    assert repr(v) == "Velocity(sprints=3, average=26.6667, range=23-31)"


def test_velocity_from_the_items_done_in_each_sprint() -> None:
    sprint = Sprint(name="S5", start="2027-03-15", end="2027-03-28")
    backlog = Backlog([
        BacklogItem(id="A", points=5, sprint="S5", done="2027-03-20"),
        BacklogItem(id="B", points=8, sprint="S5", done="2027-03-28"),
        BacklogItem(id="C", points=3, sprint="S5", done="2027-03-29"),  # after the end
        BacklogItem(id="D", points=2, sprint="S5"),
    ])
    assert velocity([sprint], backlog=backlog).values == (13,)
    with pytest.raises(ValidationError, match="no completed_points"):
        velocity([sprint])


def test_sprint_burndown() -> None:
    backlog = Backlog([
        BacklogItem(id="A", points=10, sprint="S4", done="2027-03-03"),
        BacklogItem(id="B", points=10, sprint="S4", done="2027-03-08"),
        BacklogItem(id="C", points=8, sprint="S4", done="2027-03-12"),
        BacklogItem(id="D", points=12, sprint="S4"),
        BacklogItem(id="E", points=99),  # not in the sprint
    ])
    chart = burndown(S4, backlog)
    assert chart.total == 40
    # 40 points over 10 working days: 4 a working day, flat over the weekend (6th, 7th)
    assert chart.ideal.tolist() == [36, 32, 28, 24, 20, 20, 20, 16, 12, 8, 4, 0]
    # A done on the 3rd, B on the 8th, C on the 12th; D is not done
    assert chart.remaining.tolist() == [40, 40, 30, 30, 30, 30, 30, 20, 20, 20, 20, 12]
    partial = burndown(S4, backlog, as_of="2027-03-09").to_records()
    assert partial[8] == {"date": dt.date(2027, 3, 9), "ideal": 12.0, "remaining": 20.0}
    assert partial[9]["remaining"] is None


def test_release_burnup() -> None:
    sprints = [Sprint(name="S3", start="2027-03-01", end="2027-03-14"),
               Sprint(name="S1", start="2027-02-01", end="2027-02-14"),
               Sprint(name="S2", start="2027-02-15", end="2027-02-28")]
    backlog = Backlog([
        BacklogItem(id="A", points=5, done="2027-02-10"),
        BacklogItem(id="B", points=8, done="2027-02-20"),
        BacklogItem(id="C", points=3, added="2027-02-16", done="2027-03-05"),
        BacklogItem(id="D", points=13, added="2027-03-02"),
        BacklogItem(id="E", added="2027-02-01"),  # unestimated: 0 until estimated
    ])
    burnup = release_burnup(sprints, backlog)
    # scope: 5 + 8 by Feb 14; + 3 by Feb 28; + 13 by Mar 14. done: 5; 13; 16
    assert burnup.to_records() == [
        {"sprint": "S1", "end": dt.date(2027, 2, 14), "scope": 13, "done": 5},
        {"sprint": "S2", "end": dt.date(2027, 2, 28), "scope": 16, "done": 13},
        {"sprint": "S3", "end": dt.date(2027, 3, 14), "scope": 29, "done": 16},
    ]


def test_release_forecast_with_constant_velocity_is_exact() -> None:
    sprints = [Sprint(name=f"S{k}", start=dt.date(2027, 2, 1) + dt.timedelta(days=14 * k),
                      end=dt.date(2027, 2, 14) + dt.timedelta(days=14 * k),
                      completed_points=10) for k in range(3)]  # last ends 2027-03-14
    backlog = Backlog([BacklogItem(id=f"I{k}", points=5, rank=k) for k in range(8)])
    forecast = forecast_release(backlog, sprints, up_to="I4", seed=1)
    # 25 points at 10 a sprint: ceil(2.5) = 3 sprints, 15 Mar + 3 x 14 days - 1 = 25 Apr
    assert forecast.points == 25
    assert forecast.sprints(95) == 3
    assert forecast.sprint_number(95) == 6
    assert forecast.date(95) == dt.date(2027, 4, 25)
    assert forecast.sentence() == ("With 85% confidence the backlog up to I4 (25 points) is "
                                   "done by sprint 6, ending 2027-04-25.")


def test_release_forecast_with_two_velocities() -> None:
    # velocities 10 or 20 with equal chance, 30 points: 2 sprints unless both are 10
    # (P = 1/4), so P(done in 2) = 3/4: the 70th percentile is 2 sprints, the 85th is 3.
    sprints = [Sprint(name="S1", start="2027-01-04", end="2027-01-17", completed_points=10),
               Sprint(name="S2", start="2027-01-18", end="2027-01-31", completed_points=20)]
    backlog = Backlog([BacklogItem(id="A", points=30)])
    forecast = forecast_release(backlog, sprints, trials=20_000, seed=7)
    assert forecast.sprints(70) == 2
    assert forecast.sprints(85) == 3
    assert forecast.to_records([85]) == [{"confidence": 85, "sprints": 3, "sprint": 5,
                                          "date": dt.date(2027, 3, 14)}]
    assert math.isclose(forecast.forecast.probability_by(dt.date(2027, 2, 28)), 0.75,
                        abs_tol=0.02)


def test_bad_input_names_the_item_or_sprint() -> None:
    with pytest.raises(ValidationError) as info:
        BacklogItem(id="S-9", points=-3)
    assert (info.value.entity, info.value.field) == ("backlog item 'S-9'", "points")
    with pytest.raises(ValidationError) as info:
        Sprint(name="Sprint 4", start="2027-03-14", end="2027-03-01")
    assert (info.value.entity, info.value.field) == ("sprint 'Sprint 4'", "end")
    assert "ends on 2027-03-01, before it starts on 2027-03-14" in str(info.value)
    with pytest.raises(ValidationError, match="twice"):
        Backlog([BacklogItem(id="A"), BacklogItem(id="A")])
    with pytest.raises(ValidationError) as info:
        TeamMember(name="Ana", focus_factor=1.5)
    assert info.value.field == "focus_factor"
    assert info.value.entity == "team member 'Ana'"
    with pytest.raises(ValidationError) as info:
        BacklogItem(id="S-9", title=3)  # type: ignore[arg-type]
    assert (info.value.entity, info.value.field) == ("backlog item 'S-9'", "title")
    with pytest.raises(ValidationError, match="story, bug or spike"):
        BacklogItem(id="A", kind="epic")
    with pytest.raises(ValidationError) as info:
        burndown(S4, Backlog([BacklogItem(id="U", sprint="S4")]))
    assert info.value.entity == "backlog item 'U'"


def test_results_are_immutable() -> None:
    chart = burndown(S4, Backlog([BacklogItem(id="A", points=1, sprint="S4")]))
    with pytest.raises(ValueError, match="read-only"):
        chart.ideal[0] = 3
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        S4.name = "x"  # type: ignore[misc]


SPRINTS_JSON = {"sprints": [
    {"name": "S1", "start": "2027-01-04", "end": "2027-01-17", "points": 21},
    {"name": "S2", "start": "2027-01-18", "end": "2027-01-31", "points": 25.5, "goal": "Pay"},
]}


def test_read_sprints() -> None:
    sprints = read_sprints(io.StringIO(json.dumps(SPRINTS_JSON)))
    assert [(s.name, s.completed_points, s.days) for s in sprints] == [
        ("S1", 21, 14), ("S2", 25.5, 14)]
    assert sprints[1].goal == "Pay"


@pytest.mark.parametrize(("text", "words"), [
    ('{"sprints": [', "not JSON"),
    ('{"sprints": []}', "$.sprints: expected a non-empty list"),
    ('[{"name": "S1", "start": "2027-01-04", "end": "2027-01-17"}]', "$[0]: missing 'points'"),
    ('[{"name": "S1", "start": "2027-01-04", "end": "2027-01-01", "points": 3}]',
     "$[0].end: sprint 'S1'.end: ends on 2027-01-01"),
    ('[{"name": "S1", "start": "2027-01-04", "end": "2027-01-17", "points": -3}]',
     "$[0].points"),
    ('[{"name": "S1", "start": "2027-01-04", "end": "2027-01-17", "points": 3, "x": 1}]',
     "unknown field 'x'"),
])
def test_bad_sprint_files_name_the_place(text: str, words: str) -> None:
    with pytest.raises(FormatError, match=None) as info:
        read_sprints(io.StringIO(text))
    assert words in str(info.value)


MON_FRI = [Sprint(name=f"Sprint {k + 1}", start=dt.date(2027, 1, 4) + dt.timedelta(days=14 * k),
                  end=dt.date(2027, 1, 15) + dt.timedelta(days=14 * k), completed_points=10)
           for k in range(4)]  # Monday to Friday two weeks later; the last ends 2027-02-26


def test_the_cadence_continues_sprints_with_weekends_between() -> None:
    cadence = Cadence.after(MON_FRI)
    # sprints start every 14 days and last 12: the next runs Mon 1 to Fri 12 March
    assert (cadence.start, cadence.every_days, cadence.length_days) == (
        dt.date(2027, 3, 1), 14, 12)
    assert cadence.end_of(1) == dt.date(2027, 3, 12)
    assert cadence.end_of(3) == dt.date(2027, 4, 9)  # 1 March + 2 x 14 + 11 days
    assert [cadence.sprints_ending_by(dt.date(2027, 3, d)) for d in (11, 12, 25, 26)] == [
        0, 1, 1, 2]
    with pytest.raises(ValidationError):
        Cadence(start=dt.date(2027, 3, 1), every_days=7, length_days=14)


def test_release_dates_are_the_last_days_of_sprints() -> None:
    # 25 points at 10 a sprint: 3 sprints, the third ending Friday 9 April
    forecast = forecast_release(25, MON_FRI, seed=1)
    assert (forecast.sprints(95), forecast.sprint_number(95)) == (3, 7)
    assert forecast.date(95) == dt.date(2027, 4, 9)


def test_points_forecast_counts_the_sprints_ending_by_the_date() -> None:
    assert forecast_points(MON_FRI, "2027-03-26", seed=1).percentile(85) == 20
    assert forecast_points(MON_FRI, "2027-03-25", seed=1).percentile(85) == 10
    none = forecast_points(MON_FRI, "2027-03-11", seed=1)
    assert (none.periods, none.percentile(85), none.until) == (0, 0, dt.date(2027, 3, 11))


@given(st.lists(st.one_of(st.none(), st.integers(0, 13)), min_size=0, max_size=15),
       st.integers(0, 60), st.booleans())
def test_planning_never_exceeds_capacity_and_keeps_rank(points: list[int | None],
                                                        capacity: int, fill: bool) -> None:
    backlog = Backlog([BacklogItem(id=f"I{k}", points=p, rank=k) for k, p in enumerate(points)])
    plan = plan_sprint(backlog, S4, capacity, fill=fill)
    assert plan.points <= capacity
    ranks = [i.rank for i in plan.items]
    assert ranks == sorted(ranks)
    if not fill:  # strict: a prefix of the backlog, stopped by the first misfit or no estimate
        assert [i.id for i in plan.items] == [f"I{k}" for k in range(len(plan.items))]
        if plan.stopped_at is not None:
            blocker = backlog.item(plan.stopped_at)
            assert blocker.points is None or plan.points + blocker.points > capacity
    else:  # filling: every item passed over was too big for what was left at its turn
        taken = 0.0
        for item in backlog:
            if item.points is None:
                break
            if item.id in plan.skipped:
                assert taken + item.points > capacity
            else:
                taken += item.points
        assert taken == plan.points
