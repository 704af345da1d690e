"""Task.estimate: the value object, its checks, and its place in the JSON file format."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pmcore
from pmcore.errors import FormatError, ValidationError
from pmcore.io import dumps, loads
from pmcore.model.estimate import DistributionKind, Estimate


def _project() -> pmcore.Project:
    project = pmcore.Project("Estimates", start="2027-01-04")
    a = project.add_task("Design", "10d")
    a.estimate = Estimate(optimistic="8d", most_likely="10d", pessimistic="15d",
                          cost=("9000.00", "10000.00", "14000.50"), rate="85.25", shape=6)
    b = project.add_task("Build", "2d", after=a)
    b.estimate = Estimate(distribution="discrete", values=["1d", "2d", "5d"],
                          weights=[1, 2, 1])
    c = project.add_task("Test", "3ed", after=b)
    c.estimate = Estimate(distribution="lognormal", optimistic="2ed", most_likely="3ed",
                          pessimistic="6ed")
    return project


def test_estimates_round_trip_through_json() -> None:
    project = _project()
    text = dumps(project)
    again = loads(text)
    assert [t.estimate for t in again.tasks] == [t.estimate for t in project.tasks]
    assert dumps(again) == text
    first = again.tasks[0].estimate
    assert first is not None
    # money stays Decimal text, never a binary float
    assert first.cost == (Decimal("9000.00"), Decimal("10000.00"), Decimal("14000.50"))
    assert "\"14000.50\"" in text
    assert "\"85.25\"" in text
    assert first.distribution is DistributionKind.PERT
    assert first.shape == 6.0


def test_a_file_with_points_out_of_order_names_the_task() -> None:
    text = dumps(_project()).replace('"most_likely": "10d"', '"most_likely": "20d"')
    with pytest.raises(FormatError, match=r"tasks\[0\]\.estimate") as caught:
        loads(text)
    assert "optimistic <= most likely <= pessimistic" in str(caught.value)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"optimistic": "5d", "most_likely": "4d", "pessimistic": "6d"}, "most_likely"),
    ({"optimistic": "5d", "most_likely": "6d", "pessimistic": "5d"}, "most_likely"),
    ({"optimistic": "-1d", "most_likely": "1d", "pessimistic": "2d"}, "values"),
    ({"most_likely": "1d", "pessimistic": "2d"}, "optimistic"),
    ({"optimistic": "1d", "most_likely": "2d", "pessimistic": "3d", "shape": 0}, "shape"),
    ({"distribution": "discrete", "values": ["1d"], "weights": [1, 2]}, "weights"),
    ({"distribution": "discrete", "values": ["1d", "2d"], "weights": [-1, 2]}, "weights"),
    ({"distribution": "discrete"}, "values"),
    ({"distribution": "lognormal", "optimistic": "0d", "most_likely": "1d",
      "pessimistic": "2d"}, "optimistic"),
    ({"optimistic": "1d", "most_likely": "2d", "pessimistic": "3ed"}, "values"),
    ({"optimistic": "1d", "most_likely": "2d", "pessimistic": "3d",
      "cost": ("3", "2", "1")}, "cost"),
])
def test_bad_estimates_are_refused_naming_the_field(kwargs: dict[str, object],
                                                    field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Estimate(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == f"estimate.{field}"


def test_money_as_a_binary_float_is_refused() -> None:
    with pytest.raises(ValidationError, match="Decimal"):
        Estimate(optimistic="1d", most_likely="2d", pessimistic="3d",
                 cost=(1.5, 2.0, 3.0))  # type: ignore[arg-type]
    for cost in (True, "lots", "NaN", ("1", "2", "Infinity")):
        with pytest.raises(ValidationError) as caught:
            Estimate(optimistic="1d", most_likely="2d", pessimistic="3d",
                     cost=cost)  # type: ignore[arg-type]
        assert (caught.value.entity, caught.value.field) == ("estimate", "cost")


def test_task_checks_the_type_of_its_estimate() -> None:
    project = pmcore.Project("P", start="2027-01-04")
    task = project.add_task("A", "1d")
    with pytest.raises(ValidationError, match="task 'T1'"):
        task.estimate = "8d/10d/15d"  # type: ignore[assignment]
