"""Baselines and recurring-task series in the JSON and YAML formats.

The hypothesis round trips in test_formats.py cover them through ``pmcore.testing.projects``
(which now draws baselines and recurring tasks); these tests pin the written shape and the
refusal of malformed values, with their JSON paths.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import pmcore
from pmcore.errors import FormatError
from pmcore.model import Baseline, Recurrence
from pmcore.testing import baselines, recurrences

T = dt.datetime


def plan() -> pmcore.Project:
    project = pmcore.Project("Patching", id="patching", start="2027-01-04")
    design = project.add_task("Design", "5d")
    project.add_recurring_task("Patch window", "4h", "FREQ=MONTHLY;BYDAY=2TU;COUNT=2")
    project.save_baseline(project.schedule(), saved_at="2027-01-01T09:30")
    project.save_baseline(project.schedule(), 10, tasks=[design], saved_at="2027-01-02T09:30")
    return project


def tasks_of(project: pmcore.Project) -> list[dict[str, Any]]:
    return json.loads(pmcore.dumps(project))["project"]["tasks"]


def test_baselines_are_written_by_number() -> None:
    design = tasks_of(plan())[0]
    assert design["baselines"] == {
        "0": {"start": "2027-01-04T08:00:00", "finish": "2027-01-08T17:00:00",
              "duration": "5d", "saved_at": "2027-01-01T09:30:00"},
        "10": {"start": "2027-01-04T08:00:00", "finish": "2027-01-08T17:00:00",
               "duration": "5d", "saved_at": "2027-01-02T09:30:00"},
    }
    assert list(design) == ["id", "name", "duration", "baselines"]


def test_empty_baselines_and_unknown_save_dates_are_left_out() -> None:
    project = pmcore.Project("Plain", start="2027-01-04")
    task = project.add_task("Survey", "1d")
    assert "baselines" not in tasks_of(project)[0]
    task.baselines = {2: Baseline(start=T(2027, 1, 4, 8), finish=T(2027, 1, 4, 17),
                                         duration="1d")}
    assert tasks_of(project)[0]["baselines"] == {
        "2": {"start": "2027-01-04T08:00:00", "finish": "2027-01-04T17:00:00",
              "duration": "1d"}}
    assert pmcore.loads(pmcore.dumps(project)) == project


def test_the_series_is_written_on_the_summary_task() -> None:
    summary, first, second = tasks_of(plan())[1:]
    assert summary["recurrence"] == {"rule": "FREQ=MONTHLY;BYDAY=2TU;COUNT=2",
                                     "start": "2027-01-04", "duration": "4h"}
    assert "duration" not in summary
    assert (first["name"], first["parent"], first["duration"], first["constraint"]) == (
        "Patch window 1", "T2", "4h", {"type": "SNET", "date": "2027-01-12T08:00:00"})
    assert second["constraint"]["date"] == "2027-02-09T08:00:00"
    project = pmcore.Project("Defaults", start="2027-01-04")
    project.add_recurring_task("Check", "1d", "FREQ=WEEKLY", finish="2027-01-31")
    assert tasks_of(project)[0]["recurrence"] == {"rule": "FREQ=WEEKLY", "start": "2027-01-04",
                                                  "finish": "2027-01-31"}


@pytest.mark.parametrize("format", ["json", "yaml"])
def test_round_trip(format: str) -> None:
    project = plan()
    text = pmcore.dumps(project, format=format)
    again = pmcore.loads(text, format=format)
    assert again == project
    assert pmcore.dumps(again, format=format) == text
    assert again.recurring_tasks[0].recurrence == project.recurring_tasks[0].recurrence
    assert again.find("Design").baselines == project.find("Design").baselines


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(baselines(), recurrences())
def test_the_strategies_give_valid_values_that_round_trip(baseline: Baseline,
                                                          series: Recurrence) -> None:
    project = pmcore.Project("Drawn", id="drawn")
    project.add_task("Task", baselines={0: baseline, 7: baseline}, recurrence=series)
    assert pmcore.loads(pmcore.dumps(project)) == project
    assert 1 <= len(series.dates()) <= 1000


def document(**task: Any) -> str:
    return json.dumps({"format": "pmcore", "schema_version": 1, "project": {
        "name": "Hand written", "tasks": [{"id": "T1", "name": "Task", **task}]}})


GOOD = {"start": "2027-01-04T08:00:00", "finish": "2027-01-08T17:00:00", "duration": "5d"}


def test_hand_written_baselines_and_series_load() -> None:
    project = pmcore.loads(document(
        baselines={"3": GOOD}, recurrence={"rule": "FREQ=DAILY;COUNT=2", "start": "2027-01-04"},
    ), strict=False)
    task = project.task("T1")
    assert task.baselines == {3: Baseline(**GOOD)}
    assert task.recurrence == Recurrence("FREQ=DAILY;COUNT=2", dt.date(2027, 1, 4))


@pytest.mark.parametrize(
    ("task", "path", "message"),
    [
        ({"baselines": {"11": GOOD}}, "$.project.tasks[0].baselines['11']",
         'baseline numbers are "0" to "10"'),
        ({"baselines": {"01": GOOD}}, "$.project.tasks[0].baselines['01']",
         'baseline numbers are "0" to "10"'),
        ({"baselines": [GOOD]}, "$.project.tasks[0].baselines", "expected a mapping"),
        ({"baselines": {"0": "2027-01-04"}}, "$.project.tasks[0].baselines['0']",
         "expected a baseline object"),
        ({"baselines": {"0": {**GOOD, "finish": "2027-01-01T08:00:00"}}},
         "$.project.tasks[0].baselines['0']", "is before start"),
        ({"baselines": {"0": {**GOOD, "work": "40h"}}}, "$.project.tasks[0].baselines['0']",
         "extra fields found"),
        ({"baselines": {"0": {**GOOD, "duration": "five days"}}},
         "$.project.tasks[0].baselines['0'].duration", "is not a duration"),
        ({"baselines": {"0": {**GOOD, "saved_at": "2027-01-01T09:00:00Z"}}},
         "$.project.tasks[0].baselines['0'].saved_at", "time zone"),
        ({"recurrence": "FREQ=DAILY;COUNT=2"}, "$.project.tasks[0].recurrence",
         "expected an object"),
        ({"recurrence": {"rule": "FREQ=MONTHLY", "start": "2027-01-01"}},
         "$.project.tasks[0].recurrence", "never ends"),
        ({"recurrence": {"rule": "FREQ=DAILY;COUNT=5000", "start": "2027-01-01"}},
         "$.project.tasks[0].recurrence", "more than 1000 occurrences"),
        ({"recurrence": {"rule": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2",
                         "start": "2027-01-01"}},
         "$.project.tasks[0].recurrence", "gives no occurrence"),
        ({"recurrence": {"rule": "FREQ=DAILY;COUNT=2", "start": "2027-01-01", "every": 2}},
         "$.project.tasks[0].recurrence", "extra fields found"),
        ({"recurrence": {"rule": "FREQ=DAILY;COUNT=2"}},
         "$.project.tasks[0].recurrence.start", "required field missing"),
    ],
)
def test_malformed_values_are_refused_with_their_path(task: dict[str, Any], path: str,
                                                      message: str) -> None:
    with pytest.raises(FormatError, match=message) as info:
        pmcore.loads(document(**task))
    assert info.value.path == path
