"""Kanban flow metrics on a small board worked by hand, plus invariants on random histories.

The hand-worked board (March 2027; 2027-03-01 is a Monday; "dN" is March N):

    Backlog (to do) | Analysis (WIP 2) | Dev (WIP 2) | Done

    A: Backlog d1, Analysis d2, Dev d3, Done d5          cycle 5-2+1 = 4, lead 5-1+1 = 5
    B: Backlog d1, Analysis d3, Dev d4, Done d4          cycle 4-3+1 = 2, lead 4
    C: Backlog d2, Analysis d2, Dev d6, Done d10         cycle 10-2+1 = 9, lead 9
    D: Backlog d2, Dev d3, Done d3 (skips Analysis)      cycle 1, lead 2
    E: Backlog d3, Analysis d4, Dev d5, Analysis d6, Dev d8      in progress since d4
    F: Backlog d1, Analysis d2, Done d6, Dev d7, Done d9 (reopened)  cycle 9-2+1 = 8, lead 9
    G: Backlog d5                                        not started
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmcore.errors import FormatError, UnknownReferenceError, ValidationError
from pmcore.methodology.kanban import (
    Board,
    Column,
    ColumnKind,
    Flow,
    ItemHistory,
    read_item_histories,
)

BOARD = Board(name="Team", columns=[
    Column(name="Backlog", kind="todo"),
    Column(name="Analysis", kind="in_progress", wip_limit=2),
    Column(name="Dev", kind="in_progress", wip_limit=2),
    Column(name="Done", kind="done"),
])


def d(day: int) -> dt.date:
    return dt.date(2027, 3, day)


def history(item: str, *steps: tuple[str, int]) -> ItemHistory:
    return ItemHistory(id=item, transitions=[(s, f"2027-03-{n:02d}T{9 + k:02d}:00")
                                             for k, (s, n) in enumerate(steps)])


ITEMS = [
    history("A", ("Backlog", 1), ("Analysis", 2), ("Dev", 3), ("Done", 5)),
    history("B", ("Backlog", 1), ("Analysis", 3), ("Dev", 4), ("Done", 4)),
    history("C", ("Backlog", 2), ("Analysis", 2), ("Dev", 6), ("Done", 10)),
    history("D", ("Backlog", 2), ("Dev", 3), ("Done", 3)),
    history("E", ("Backlog", 3), ("Analysis", 4), ("Dev", 5), ("Analysis", 6), ("Dev", 8)),
    history("F", ("Backlog", 1), ("Analysis", 2), ("Done", 6), ("Dev", 7), ("Done", 9)),
    history("G", ("Backlog", 5)),
]
FLOW = Flow(BOARD, ITEMS)


def test_cycle_times_and_their_percentiles() -> None:
    cycle = FLOW.cycle_times()
    assert cycle.ids == ("A", "B", "C", "D", "F")
    assert cycle.days.tolist() == [4, 2, 9, 1, 8]
    assert cycle.starts[4] == d(2)
    assert cycle.finishes[4] == d(9)
    # sorted [1, 2, 4, 8, 9]; the p-th percentile is the ceil(p% of 5)-th smallest:
    # 85 % -> ceil(4.25) = 5th = 9; 50 % -> ceil(2.5) = 3rd = 4; 60 % -> 3rd = 4; 20 % -> 1st.
    assert cycle.percentile(85) == 9
    assert cycle.percentile(50) == 4
    assert cycle.percentile(60) == 4
    assert cycle.percentile(20) == 1
    assert cycle.share_within(4) == 3 / 5
    assert cycle.average == 24 / 5
    assert cycle.to_records()[0] == {"id": "A", "start": d(2), "finish": d(5), "days": 4}


def test_lead_times() -> None:
    lead = FLOW.lead_times()
    assert lead.days.tolist() == [5, 4, 9, 2, 9]
    assert lead.percentile(50) == 5  # sorted [2, 4, 5, 9, 9]
    assert lead.average == 29 / 5


def test_throughput_per_day_and_week() -> None:
    daily = FLOW.throughput()
    # done on d3 (D), d4 (B), d5 (A), d9 (F), d10 (C); F's first, reopened, Done on d6 is not
    assert daily.periods[0] == d(1)
    assert daily.periods[-1] == d(10)
    assert daily.counts.tolist() == [0, 0, 1, 1, 1, 0, 0, 0, 1, 1]
    assert daily.total == 5
    weekly = FLOW.throughput("week")
    assert weekly.to_records() == [{"period": d(1), "items": 3}, {"period": d(8), "items": 2}]
    part = FLOW.throughput(start="2027-03-04", end="2027-03-05")
    assert part.counts.tolist() == [1, 1]


def test_wip_per_day_and_littles_law() -> None:
    wip = FLOW.wip()
    # started A2 B3 C2 D3 E4 F2, done A5 B4 C10 D3 F9, E open:
    # d1 -, d2 ACF, d3 ABCDF, d4 ABCEF, d5 ACEF, d6-d9 CEF, d10 CE
    assert wip.counts.tolist() == [0, 3, 5, 5, 4, 3, 3, 3, 3, 2]
    # each item is in progress on exactly its cycle-time days: 24 finished + E's 7 (d4..d10)
    assert wip.counts.sum() == FLOW.cycle_times().days.sum() + 7


def test_aging_wip() -> None:
    aging = FLOW.aging("2027-03-04")
    # in progress at the end of d4: A (Dev, since d2), C and F (Analysis, since d2), E
    # (Analysis, since d4); B was done on d4. Finished by then: D (1 day), B (2 days).
    assert [(i.id, i.column, i.age, i.percentile) for i in aging.items] == [
        ("A", "Dev", 3, 100.0), ("C", "Analysis", 3, 100.0), ("F", "Analysis", 3, 100.0),
        ("E", "Analysis", 1, 50.0)]
    late = FLOW.aging()  # the history's last day, d10: only E, in Dev since d8, aged 7 days
    # finished cycle times [1, 2, 4, 8, 9]: 3 of 5 took 7 days or less
    assert late.to_records() == [{"id": "E", "column": "Dev", "started": d(4), "age": 7,
                                  "percentile": 60.0}]


def test_cumulative_flow() -> None:
    cfd = FLOW.cumulative_flow()
    assert cfd.columns == ("Backlog", "Analysis", "Dev", "Done")
    by_day = {day: cfd.counts[k].tolist() for k, day in enumerate(cfd.days)}
    # end of d3: E Backlog; B C F Analysis; A Dev; D Done
    assert by_day[d(3)] == [1, 3, 1, 1]
    assert by_day[d(1)] == [3, 0, 0, 0]
    assert by_day[d(7)] == [1, 1, 2, 3]   # G; E; C F; A B D
    assert by_day[d(10)] == [1, 0, 1, 5]
    assert cfd.cumulative[2].tolist() == [6, 5, 2, 1]
    records = cfd.to_records()
    assert records[8] == {"date": d(3), "column": "Backlog", "items": 1, "cumulative": 6}


def test_wip_limit_violations_name_items_and_days() -> None:
    violations = FLOW.wip_violations()
    assert [(v.column, v.date, v.items) for v in violations.violations] == [
        ("Analysis", d(2), ("A", "C", "F")),
        ("Analysis", d(3), ("B", "C", "F")),
        ("Analysis", d(4), ("C", "E", "F")),
        ("Dev", d(8), ("C", "E", "F")),
    ]
    assert violations.to_records()[0]["count"] == 3
    assert violations.to_records()[0]["limit"] == 2
    assert not FLOW.wip_violations(start="2027-03-05", end="2027-03-07")


def test_forecasts_sample_the_daily_throughput() -> None:
    # Two items done every day from d1 to d10: the forecast is exact (constant throughput).
    items = [history(f"K{k}", ("Backlog", 1), ("Dev", 1 + k // 2), ("Done", 1 + k // 2))
             for k in range(20)]
    flow = Flow(BOARD, items)
    when = flow.forecast_when(9, seed=1)
    assert when.start == d(11)
    assert when.percentile(95) == 5  # ceil(9 / 2)
    assert when.date(95) == d(15)
    many = flow.forecast_how_many("2027-03-20", seed=1)
    assert many.percentile(85) == 20  # 10 days (d11..d20) at 2 a day
    # The hand-worked board's last three days finished 0, 1, 1 items.
    narrow = FLOW.forecast_how_many("2027-03-11", window=3, trials=2000, seed=4)
    assert sorted({r["items"] for r in narrow.to_records()}) == [0, 1]


def test_board_rules() -> None:
    with pytest.raises(ValidationError, match="to do -> in progress -> done"):
        Board(name="X", columns=[Column(name="Done", kind="done"),
                                 Column(name="Doing", kind="in_progress")])
    with pytest.raises(ValidationError, match="twice"):
        Board(name="X", columns=[Column(name="A", kind="in_progress"),
                                 Column(name="A", kind="done")])
    with pytest.raises(ValidationError, match="at least one in-progress"):
        Board(name="X", columns=[Column(name="A", kind="todo"), Column(name="B", kind="done")])
    with pytest.raises(ValidationError) as info:
        Column(name="A", kind="in_progress", wip_limit=0)
    assert info.value.field == "wip_limit"
    with pytest.raises(ValidationError, match="todo, in_progress, done"):
        Column(name="A", kind="waiting")
    assert BOARD.columns[1].kind is ColumnKind.IN_PROGRESS


def test_a_history_going_backwards_names_the_item() -> None:
    with pytest.raises(ValidationError) as info:
        ItemHistory(id="K-7", transitions=[("Backlog", "2027-03-05"), ("Dev", "2027-03-04")])
    assert info.value.entity == "item 'K-7'"
    assert info.value.field == "transitions"
    assert "'Dev' at 2027-03-04T00:00:00 comes after 'Backlog'" in str(info.value)


def test_unknown_columns_and_duplicate_ids_name_the_item() -> None:
    with pytest.raises(UnknownReferenceError) as info:
        Flow(BOARD, [history("Z", ("Backlog", 1), ("Testing", 2))])
    assert info.value.entity == "item 'Z'"
    with pytest.raises(ValidationError, match="'A'.*twice"):
        Flow(BOARD, [ITEMS[0], ITEMS[0]])


def test_infer_a_board_from_histories() -> None:
    board = Board.infer(ITEMS, done=["done"])
    assert [(c.name, c.kind.value) for c in board.columns] == [
        ("Backlog", "todo"), ("Analysis", "in_progress"), ("Dev", "in_progress"),
        ("Done", "done")]
    assert Flow(board, ITEMS).cycle_times().days.tolist() == [4, 2, 9, 1, 8]
    with pytest.raises(ValidationError, match="no item ever reached a done state"):
        Board.infer(ITEMS, done=["Released"])


# -------------------------------------------------------------------------- CSV input

CSV = """\
id,state,timestamp,title
A,Backlog,2027-03-01T09:00,Login page
B,Backlog,2027-03-01
A,Analysis,2027-03-02T09:00
A,Dev,2027-03-03
B,Done,2027-03-04T17:30:00
A,Done,2027-03-05
"""


def test_read_a_csv_of_transitions(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text(CSV, encoding="utf-8")
    items = read_item_histories(path)
    assert [i.id for i in items] == ["A", "B"]
    assert items[0].title == "Login page"
    assert [t.state for t in items[0].transitions] == ["Backlog", "Analysis", "Dev", "Done"]
    assert items[1].transitions[1].at == dt.datetime(2027, 3, 4, 17, 30)
    jira = "Issue key,Summary,To Status,Changed\nP-1,X,Open,2027-01-02\nP-1,X,Done,2027-01-03\n"
    assert read_item_histories(io.StringIO(jira))[0].title == "X"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("id,state\nA,Backlog\n", 1, "no 'timestamp' column"),
    ("id,state,timestamp\nA,Backlog,2027-03-02\nA,Dev,2027-03-01\n", 3,
     "item 'A': timestamps go backwards: 'Dev' at 2027-03-01T00:00:00 comes after 'Backlog'"),
    ("id,state,timestamp\nA,Backlog,yesterday\n", 2, "item 'A': 'yesterday' is not"),
    ("id,state,timestamp\nA,,2027-03-01\n", 2, "empty item id or state"),
    ("id,state,timestamp\nA,Backlog\n", 2, "has 2 fields"),
    ("", 1, "is empty"),
    ("id,state,timestamp\nA,Backlog,2027-03-01T09:00\nA,Dev,2027-03-02T09:00+01:00\n", 3,
     "mixes timestamps with and without a time zone"),
])
def test_bad_csv_names_the_line_and_item(text: str, line: int, words: str) -> None:
    with pytest.raises(FormatError) as info:
        read_item_histories(io.StringIO(text))
    assert info.value.line == line
    assert words in str(info.value)


# -------------------------------------------------------------------------- invariants

COLUMNS = ["Backlog", "Analysis", "Dev", "Done"]


@st.composite
def histories(draw: st.DrawFn) -> list[ItemHistory]:
    count = draw(st.integers(1, 12))
    result = []
    for k in range(count):
        day = draw(st.integers(0, 20))
        steps = [("Backlog", day)]
        for _ in range(draw(st.integers(0, 5))):
            day += draw(st.integers(0, 4))
            steps.append((draw(st.sampled_from(COLUMNS)), day))
        result.append(ItemHistory(id=f"I{k}", transitions=[
            (s, dt.datetime(2027, 1, 1) + dt.timedelta(days=n, minutes=m))
            for m, (s, n) in enumerate(steps)]))
    return result


def naive_cycle_times(items: list[ItemHistory]) -> dict[str, int]:
    """Per item, in plain Python, straight from the definition."""
    result = {}
    for item in items:
        states = [(t.state, t.at.date()) for t in item.transitions]
        if states[-1][0] != "Done":
            continue
        start = next(day for state, day in states if state != "Backlog")
        k = len(states) - 1
        while k > 0 and states[k - 1][0] == "Done":
            k -= 1
        result[item.id] = (states[k][1] - start).days + 1
    return result


@given(histories())
def test_vectorised_metrics_agree_with_the_definitions(items: list[ItemHistory]) -> None:
    flow = Flow(BOARD, items)
    cycle = flow.cycle_times()
    assert dict(zip(cycle.ids, cycle.days.tolist(), strict=True)) == naive_cycle_times(items)
    assert flow.throughput().total == len(cycle.ids)
    cfd = flow.cumulative_flow()
    for k, day in enumerate(cfd.days):
        created = sum(1 for i in items if i.created.date() <= day)
        assert cfd.counts[k].sum() == created == cfd.cumulative[k, 0]
    # Little's law, exactly: summed WIP = summed cycle times + ages of open items at the end
    last = flow.last_day
    open_ages = sum(a.age for a in flow.aging(last).items)
    assert flow.wip().counts.sum() == int(np.sum(cycle.days)) + open_ages
