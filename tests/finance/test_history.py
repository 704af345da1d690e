"""Snapshots over time, trends, and variance alerts raised as ``pmcore_on_variance_alert``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import pmcore
from pmcore.errors import ValidationError
from pmcore.finance import (
    ActualCost,
    CostPlan,
    EvmHistory,
    Threshold,
    VarianceAlert,
    check_thresholds,
    evm,
)
from pmcore.plugins import hookimpl, make_plugin_manager

D = Decimal


class Inbox:
    """A plugin that keeps every alert it is told about."""

    def __init__(self) -> None:
        self.alerts: list[VarianceAlert] = []

    @hookimpl
    def pmcore_on_variance_alert(self, alert: VarianceAlert) -> None:
        self.alerts.append(alert)


def _project() -> pmcore.Project:
    # 10 days from Monday 4 Jan at 50/h: 400 a day, BAC 4000.
    project = pmcore.Project("Trend", start="2027-01-04")
    dana = project.add_resource("Dana", id="dana", rate_tables={"A": [{"standard_rate": "50"}]})
    task = project.add_task("Build", "10d", id="T1", cost_account="CA")
    project.assign(task, dana)
    project.schedule().apply()
    project.save_baseline(saved_at="2027-01-01")
    return project


def _snapshots() -> list[pmcore.finance.EvmSnapshot]:
    # Week 1 (status Fri 8 Jan): 50 % done, PV 2000, EV 2000, AC 2000: CPI 1, SPI 1.
    # Week 2 (status Fri 15 Jan): 80 % done, PV 4000, EV 3200, AC 4000: CPI 0.8, SPI 0.8.
    project = _project()
    plan = CostPlan(accounts=[{"id": "CA"}], actuals=[
        ActualCost(task="T1", date="2027-01-08", amount="2000"),
        ActualCost(task="T1", date="2027-01-15", amount="2000")])
    project.task("T1").percent_complete = 50.0
    first = evm(project, plan, status_date="2027-01-08", by="account")
    project.task("T1").percent_complete = 80.0
    second = evm(project, plan, status_date="2027-01-15", by="account")
    return [first, second]


def test_trend_of_cpi_and_spi() -> None:
    first, second = _snapshots()
    history = EvmHistory().add(second).add(first)  # kept in date order
    assert history.trend() == [
        {"status_date": dt.date(2027, 1, 8), "cpi": D(1), "spi": D(1)},
        {"status_date": dt.date(2027, 1, 15), "cpi": D("0.8"), "spi": D("0.8")}]
    assert [r["ev"] for r in history.trend(["ev"], scope="account", key="CA")] == [
        D(2000), D(3200)]
    assert len(history.to_records()) == 4  # two rows (project, account) per snapshot
    with pytest.raises(ValidationError, match="two snapshots on 2027-01-08"):
        history.add(first)


def test_threshold_alerts_reach_the_plugins() -> None:
    first, second = _snapshots()
    inbox = Inbox()
    pm = make_plugin_manager(entry_points=False, plugins=[inbox])
    rules = [Threshold("cpi", "below", 0.9, scopes=("project", "account")),
             Threshold("spi", "below", "0.75")]
    assert check_thresholds(first, rules, plugins=pm) == ()
    alerts = check_thresholds(second, rules, plugins=pm)
    assert [(a.scope, a.key, a.metric, a.value) for a in alerts] == [
        ("project", "Trend", "cpi", D("0.8")), ("account", "CA", "cpi", D("0.8"))]
    assert inbox.alerts == list(alerts)
    assert alerts[0].message == "Trend: cpi = 0.8 on 2027-01-15, below 0.9"
    assert alerts[0].threshold.limit == D("0.9")  # the float 0.9 read as written


def test_no_notification_when_asked_not_to() -> None:
    _, second = _snapshots()
    inbox = Inbox()
    pm = make_plugin_manager(entry_points=False, plugins=[inbox])
    alerts = check_thresholds(second, [Threshold("cpi", "below", "1")], plugins=pm,
                              notify=False)
    assert len(alerts) == 1
    assert inbox.alerts == []


def test_undefined_metric_raises_nothing() -> None:
    # Before any actual cost CPI is undefined (None): no alert, whatever the limit.
    project = _project()
    snapshot = evm(project, CostPlan(accounts=[{"id": "CA"}]), status_date="2027-01-05")
    assert snapshot.total.cpi is None
    assert check_thresholds(snapshot, [Threshold("cpi", "below", "5")], notify=False) == ()


@pytest.mark.parametrize(("args", "field"), [
    (("cost", "below", "1"), "metric"), (("cpi", "under", "1"), "comparison"),
    (("cpi", "below", "x"), "limit")])
def test_bad_thresholds(args: tuple[str, str, str], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Threshold(*args)
    assert caught.value.field == field


def test_s_curve_over_time() -> None:
    # PV by week: 2000 (week of 4 Jan), 2000 (week of 11 Jan); AC booked 2000 + 2000; EV
    # 2000 at the first status date, 3200 at the second.
    first, second = _snapshots()
    curve = EvmHistory((first, second)).s_curve()
    assert [(r["period"], r["pv_cumulative"], r["ac_cumulative"], r["ev_cumulative"])
            for r in curve] == [
        (dt.date(2027, 1, 4), D(2000), D(2000), D(2000)),
        (dt.date(2027, 1, 11), D(4000), D(4000), D(3200))]
    assert EvmHistory().s_curve() == []
