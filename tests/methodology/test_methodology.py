"""The methodology contract, its registration through pmcore_register_methodologies, the
Scrum and Kanban templates (hand-worked on the standard calendar) and ``pmcore methodologies``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import attrs
import pytest

import pmcore
from pmcore.cli import main
from pmcore.errors import PluginError, UnknownReferenceError, ValidationError
from pmcore.methodology import (
    HYBRID,
    KANBAN,
    PHASE_GATE,
    SCRUM,
    Methodology,
    methodologies,
    resolve,
)
from pmcore.methodology.agile import SPRINT_FIELD
from pmcore.plugins import Plugins, hookimpl, make_plugin_manager

D = dt.datetime


class Acme:
    """A company plugin: a tailored phase-gate, registered like the built-ins."""

    @hookimpl
    def pmcore_register_methodologies(self) -> list[Methodology]:
        return [PHASE_GATE.extend(name="acme-gated", title="ACME gated",
                                  rename={"execute": "Delivery"})]


def test_the_builtins_are_registered_through_the_hook() -> None:
    pm = make_plugin_manager(entry_points=False)
    facade = Plugins(pm)
    assert [m.name for m in facade.methodologies()] == ["phase-gate", "scrum", "kanban",
                                                        "hybrid"]
    assert facade.methodologies() == (PHASE_GATE, SCRUM, KANBAN, HYBRID)
    assert {name: plugin for name, (_, plugin) in facade.methodology_sources().items()} == \
        dict.fromkeys(["phase-gate", "scrum", "kanban", "hybrid"], "pmcore.methodology.builtin")
    info = next(i for i in facade.describe() if i.name == "pmcore.methodology.builtin")
    assert info.registrations["pmcore_register_methodologies"] == (
        "phase-gate", "scrum", "kanban", "hybrid")
    assert [m.name for m in methodologies()] == ["phase-gate", "scrum", "kanban", "hybrid"]


def test_a_plugin_registers_a_tailored_methodology_used_by_name() -> None:
    pm = make_plugin_manager(entry_points=False, plugins=[("acme", Acme())])
    assert [m.name for m in methodologies(plugins=pm)][-1] == "acme-gated"
    assert Plugins(pm).methodology_sources()["acme-gated"][1] == "acme"
    project = pmcore.Project.from_template("acme-gated", name="Billing", start="2027-01-04",
                                           plugins=pm)
    assert [t.name for t in project.summary_tasks] == ["Initiation", "Planning", "Delivery",
                                                       "Closure"]
    assert project.custom_fields["pmcore.methodology"] == "acme-gated"
    with pytest.raises(UnknownReferenceError, match="unknown methodology id 'acme-gated'"):
        resolve("acme-gated")  # the default plugins do not have it


def test_a_duplicate_name_or_a_wrong_object_is_a_plugin_error() -> None:
    class Twice:
        @hookimpl
        def pmcore_register_methodologies(self) -> list[Methodology]:
            return [SCRUM]

    class Wrong:
        @hookimpl
        def pmcore_register_methodologies(self) -> list[object]:
            return ["scrum"]

    with pytest.raises(PluginError, match="'twice'.*named 'scrum', as plugin "
                                          "'pmcore.methodology.builtin' already does"):
        Plugins(make_plugin_manager(entry_points=False, plugins=[("twice", Twice())])
                ).methodologies()
    with pytest.raises(PluginError, match="'wrong'.*not a Methodology"):
        Plugins(make_plugin_manager(entry_points=False, plugins=[("wrong", Wrong())])
                ).methodology("scrum")


def test_every_builtin_fulfils_the_contract() -> None:
    for methodology in (PHASE_GATE, SCRUM, KANBAN, HYBRID):
        project = methodology.new_project(name=methodology.title, start="2027-01-04")
        assert len(project) > 0
        assert project.validate().ok
        assert methodology.validate(project).ok
        assert methodology.metrics
        assert all(callable(m.compute) for m in methodology.metrics)
        assert str(methodology).startswith(f"{methodology.name}: {methodology.title} (")
        assert attrs.evolve(methodology) == methodology  # immutable, comparable values
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            methodology.name = "x"  # type: ignore[misc]


# ------------------------------------------------------------------------------- validation


class Strict:
    """A plugin whose methodology has a rule of its own, and one whose rules fail."""

    @hookimpl
    def pmcore_register_methodologies(self) -> list[Methodology]:
        @attrs.frozen(kw_only=True)
        class Managed(type(SCRUM)):  # type: ignore[misc]
            def problems(self, project: pmcore.Project) -> Iterator[pmcore.Problem]:
                yield from super().problems(project)
                if not project.manager:
                    yield pmcore.Problem(pmcore.ValidationError(
                        "needs a manager", entity=project.label, field="manager"),
                        code="no-manager")

        @attrs.frozen(kw_only=True)
        class Broken(type(SCRUM)):  # type: ignore[misc]
            def problems(self, project: pmcore.Project) -> Iterator[pmcore.Problem]:
                raise RuntimeError("boom")

        fields = attrs.asdict(SCRUM, recurse=False)
        return [Managed(**{**fields, "name": "managed-scrum"}),
                Broken(**{**fields, "name": "broken-scrum"})]


def test_validate_runs_the_rules_of_the_projects_methodology() -> None:
    pm = make_plugin_manager(entry_points=False, plugins=[("strict", Strict())])
    project = pmcore.Project.from_template("managed-scrum", name="App", start="2027-01-04",
                                           plugins=pm)
    project.set_duration(project.find("Sprint 2"), "8d")
    report = pmcore.validate(project, plugins=pm)
    assert [(p.code, p.severity.value, p.source) for p in report] == [
        ("no-manager", "error", "strict"), ("sprint-length", "warning", "strict")]
    assert str(report.warnings[0]) == ("warning: task 'T2' (Sprint 2).duration: lasts 8d, but "
                                       "managed-scrum sprints are timeboxes of 2w")
    # The same project under the default plugins: its methodology is unknown there.
    [unknown] = pmcore.validate(project)
    assert (unknown.code, unknown.severity.value) == ("unknown-methodology", "warning")
    assert "names methodology 'managed-scrum', which no plugin registers" in str(unknown)
    broken = pmcore.Project.from_template("broken-scrum", name="App", start="2027-01-04",
                                          plugins=pm)
    with pytest.raises(PluginError, match="'strict'.*'broken-scrum' failed.*boom"):
        pmcore.validate(broken, plugins=pm)


def test_a_project_without_a_methodology_gets_no_methodology_rules() -> None:
    project = pmcore.Project.from_template("scrum", name="App", start="2027-01-04")
    project.set_duration(project.find("Sprint 1"), "3d")
    assert [p.code for p in pmcore.validate(project)] == ["sprint-length"]
    del project.custom_fields["pmcore.methodology"]
    assert pmcore.validate(project).problems == ()


# ------------------------------------------------------------------------------- Scrum


def test_the_scrum_template_is_six_two_week_sprints_and_a_release() -> None:
    project = pmcore.Project.from_template("scrum", name="App", start="2027-01-04")
    schedule = pmcore.schedule(project)
    assert [t.name for t in project.tasks] == [*(f"Sprint {n}" for n in range(1, 7)), "Release"]
    assert [t.custom_fields.get(SPRINT_FIELD) for t in project.tasks] == [1, 2, 3, 4, 5, 6,
                                                                          None]
    # Sprint n runs from the Monday of week 2n-1 to the Friday of week 2n.
    monday = dt.date(2027, 1, 4)
    for number in range(1, 7):
        task = project.find(f"Sprint {number}")
        first = monday + dt.timedelta(weeks=2 * (number - 1))
        assert schedule[task].start == D.combine(first, dt.time(8))
        assert schedule[task].finish == D.combine(first + dt.timedelta(days=11), dt.time(17))
    assert schedule[project.find("Release")].finish == D(2027, 3, 26, 17)
    assert SCRUM.lifecycle == "6 sprints of 2w"
    assert SCRUM.metric("velocity").compute is pmcore.methodology.scrum.velocity


def test_scrum_is_tailored_by_evolve() -> None:
    short = SCRUM.evolve(name="scrum-3x1", sprints=3, sprint_length="1w", release="Go-live")
    project = short.new_project(name="App", start="2027-01-04")
    assert pmcore.schedule(project)[project.find("Go-live")].finish == D(2027, 1, 22, 17)
    with pytest.raises(ValidationError, match="sprints"):
        SCRUM.evolve(sprints=0)
    with pytest.raises(ValidationError, match="sprint_length"):
        SCRUM.evolve(sprint_length="0d")


# ------------------------------------------------------------------------------- Kanban


def test_the_kanban_template_holds_the_cadences_over_twelve_weeks() -> None:
    project = pmcore.Project.from_template("kanban", name="Ops", start="2027-01-04")
    schedule = pmcore.schedule(project)
    replenishment = project.children(project.find("Replenishment"))
    reviews = project.children(project.find("Service delivery review"))
    # Mondays 01-04 .. 03-22: twelve; every other Friday from 01-08: 01-08 .. 03-19, six.
    assert [schedule[t].start.date() for t in replenishment] == [
        dt.date(2027, 1, 4) + dt.timedelta(weeks=n) for n in range(12)]
    assert [schedule[t].start.date() for t in reviews] == [
        dt.date(2027, 1, 8) + dt.timedelta(weeks=2 * n) for n in range(6)]
    assert schedule[replenishment[0]].finish == D(2027, 1, 4, 9)  # one hour
    assert KANBAN.lifecycle == ("flow: Backlog > Ready (WIP 5) > In progress (WIP 3) > "
                                "Review (WIP 2) > Done")
    assert [m.name for m in KANBAN.metrics][:3] == ["cycle-time", "lead-time", "throughput"]
    with pytest.raises(ValidationError, match="planned from the project's start"):
        KANBAN.build(pmcore.Project("No start"))


# ------------------------------------------------------------------------------- the CLI


@pytest.fixture
def acme_manager() -> object:
    return make_plugin_manager(entry_points=False, plugins=[("acme", Acme())])


def test_pmcore_methodologies_lists_them_with_their_plugin(
        capsys: pytest.CaptureFixture[str], acme_manager: object) -> None:
    assert main(["methodologies", "--json"], plugins=acme_manager) == 0  # type: ignore[arg-type]
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["plugin"]) for r in rows] == [
        ("phase-gate", "pmcore"), ("scrum", "pmcore"), ("kanban", "pmcore"),
        ("hybrid", "pmcore"), ("acme-gated", "acme")]
    assert rows[0]["lifecycle"] == "4 phases, 3 gates"
    assert rows[0]["metrics"] == ["gate-status"]
    assert rows[0]["distribution"]["name"] == "pmcore"
    assert rows[-1]["distribution"] is None
    assert main(["methodologies"], plugins=acme_manager) == 0  # type: ignore[arg-type]
    table = capsys.readouterr().out
    assert "acme-gated" in table
    assert "ACME gated" in table
    assert "6 sprints of 2w" in table
