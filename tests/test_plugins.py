"""The plugin manager: built-ins through the hooks, entry points, and every hook exercised."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import BinaryIO

import pytest

import pmcore
from pmcore.cli import main
from pmcore.errors import FormatError, PluginError, ValidationError
from pmcore.io import ReadLimits
from pmcore.model import Problem, Severity
from pmcore.plugins import (
    BUILTIN_PLUGINS,
    Plugins,
    default_plugins,
    hookimpl,
    make_plugin_manager,
    reset_default_plugins,
)


def plan() -> pmcore.Project:
    project = pmcore.Project("Backup renewal", id="backup", start="2027-03-01")
    order = project.add_task("Order appliance", "2w")
    project.add_task("Install appliance", "3d", after=order)
    return project


class TaskListFormat:
    """A plugin-provided format: one task name per line (lossy, for the test)."""

    name = "tasklist"
    extensions = (".tasks.txt",)
    description = "task names, one per line"

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"#tasks")

    def read(self, stream: BinaryIO, *, source: str, limits: ReadLimits) -> pmcore.Project:
        lines = stream.read(limits.max_bytes).decode().splitlines()
        project = pmcore.Project(lines[1], id="from-tasklist")
        for line in lines[2:]:
            project.add_task(line, "1d")
        return project

    def write(self, project: pmcore.Project, stream: BinaryIO) -> None:
        stream.write("\n".join(["#tasks", project.name, *(t.name for t in project.tasks)])
                     .encode())


class RecordingPlugin:
    """Registers a format and a rule, and records the events it is told about."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, str]] = []

    @hookimpl
    def pmcore_register_readers(self) -> list[TaskListFormat]:
        return [TaskListFormat()]

    @hookimpl
    def pmcore_register_writers(self) -> list[TaskListFormat]:
        return [TaskListFormat()]

    @hookimpl
    def pmcore_validate_project(self, project: pmcore.Project) -> list[Problem]:
        return [Problem(ValidationError("has no owner", entity=t._label(), field="owner"),
                        severity=Severity.WARNING, code="no-owner")
                for t in project.work_tasks if "Owner" not in t.custom_fields]

    @hookimpl
    def pmcore_on_project_loaded(self, project: pmcore.Project, source: str) -> None:
        self.events.append(("loaded", project.name, source))

    @hookimpl
    def pmcore_on_project_saved(self, project: pmcore.Project, destination: str) -> None:
        self.events.append(("saved", project.name, destination))


def test_each_manager_is_new_and_has_the_builtins() -> None:
    first = make_plugin_manager(entry_points=False)
    second = make_plugin_manager(entry_points=False)
    assert first is not second
    assert [name for name, _ in first.list_name_plugin()] == list(BUILTIN_PLUGINS)
    facade = Plugins(first)
    assert [r.name for r in facade.readers()] == ["json", "yaml", "psplib"]
    assert [w.name for w in facade.writers()] == ["json", "yaml"]
    assert [c.name for c in facade.commands()] == ["plugins", "formats", "validate", "show",
                                                   "convert", "schedule", "capacity", "import",
                                                   "export", "methodologies", "forecast",
                                                   "evm", "risks", "simulate"]


def test_default_plugins_are_built_once_lazily() -> None:
    reset_default_plugins()
    assert default_plugins().pm is default_plugins().pm
    before = default_plugins().pm
    reset_default_plugins()
    assert default_plugins().pm is not before


def test_describe_reports_what_each_plugin_registers() -> None:
    infos = {i.name: i for i in Plugins(make_plugin_manager(entry_points=False)).describe()}
    assert infos["pmcore.io.json_format"].registrations == {
        "pmcore_register_readers": ("json",), "pmcore_register_writers": ("json",)}
    assert infos["pmcore.validation"].registrations == {"pmcore_validate_project": ()}
    assert infos["pmcore.cli.plugin"].distribution is not None
    assert infos["pmcore.cli.plugin"].distribution[0] == "pmcore"


def test_plugin_format_rule_and_events(tmp_path: Path) -> None:
    plugin = RecordingPlugin()
    pm = make_plugin_manager(entry_points=False, plugins=[plugin])
    path = tmp_path / "plan.tasks.txt"
    pmcore.write(plan(), path, plugins=pm)
    assert path.read_text() == "#tasks\nBackup renewal\nOrder appliance\nInstall appliance"
    loaded = pmcore.read(path, plugins=pm)
    assert [t.name for t in loaded.tasks] == ["Order appliance", "Install appliance"]
    sniffed = tmp_path / "plan.unknown"
    sniffed.write_bytes(path.read_bytes())
    assert pmcore.read(sniffed, plugins=pm).id == "from-tasklist"
    assert plugin.events == [("saved", "Backup renewal", str(path)),
                             ("loaded", "Backup renewal", str(path)),
                             ("loaded", "Backup renewal", str(sniffed))]
    report = pmcore.validate(plan(), plugins=pm)
    assert report.ok  # warnings only
    assert [(p.code, p.source) for p in report.warnings] == [
        ("no-owner", "RecordingPlugin"), ("no-owner", "RecordingPlugin")]
    assert "task 'T1' (Order appliance).owner: has no owner" in report.warnings[0].message


def test_builtin_problems_are_attributed_to_pmcore() -> None:
    project = plan()
    project.calendar = "missing"
    report = pmcore.validate(project, plugins=make_plugin_manager(entry_points=False))
    assert [(p.code, p.source) for p in report.errors] == [("unknown-calendar", "pmcore")]


def test_blocking_a_builtin() -> None:
    pm = make_plugin_manager(entry_points=False, blocked=["pmcore.io.yaml_format"])
    assert [r.name for r in Plugins(pm).readers()] == ["json", "psplib"]
    with pytest.raises(FormatError, match="no writer named 'yaml'"):
        pmcore.dumps(plan(), format="yaml", plugins=pm)


def test_unknown_hook_is_refused() -> None:
    class Typo:
        @hookimpl
        def pmcore_register_reader(self) -> list[object]:
            return []

    with pytest.raises(PluginError, match="pmcore_register_reader"):
        make_plugin_manager(entry_points=False, plugins=[Typo()])


def test_broken_plugins_are_named() -> None:
    class Crashes:
        @hookimpl
        def pmcore_register_readers(self) -> list[object]:
            raise RuntimeError("boom")

    class ReturnsJunk:
        @hookimpl
        def pmcore_register_writers(self) -> list[object]:
            return ["not a writer"]

    class Duplicate:
        @hookimpl
        def pmcore_register_readers(self) -> list[object]:
            from pmcore.io.json_format import JsonFormat
            return [JsonFormat()]

    with pytest.raises(PluginError, match="pmcore_register_readers failed: RuntimeError: boom"):
        Plugins(make_plugin_manager(entry_points=False, plugins=[Crashes()])).readers()
    with pytest.raises(PluginError, match="returned 'not a writer', which is not a writer"):
        Plugins(make_plugin_manager(entry_points=False, plugins=[ReturnsJunk()])).writers()
    with pytest.raises(PluginError, match=r"'Duplicate': registers a reader named 'json', as "
                       r"plugin 'pmcore.io.json_format' already does"):
        Plugins(make_plugin_manager(entry_points=False, plugins=[Duplicate()])).readers()


# --- installed plugins, found through the "pmcore" entry-point group ------------------------


def install_fake_distribution(root: Path, name: str, module_source: str,
                              entry_point: str) -> None:
    """Lay out a module and a dist-info directory the way pip would."""
    (root / f"{name}.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
    dist_info = root / f"{name}-1.2.3.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: 1.2.3\n",
        encoding="utf-8")
    (dist_info / "entry_points.txt").write_text(f"[pmcore]\n{entry_point}\n", encoding="utf-8")


HELLO_PLUGIN = """
    from pmcore.cli.api import Command
    from pmcore.plugins import hookimpl

    def hello(who: str = "PMO") -> int:
        '''Say hello.'''
        print(f"hello {who}")
        return 0

    @hookimpl
    def pmcore_register_commands():
        return [Command(name="hello", callback=hello)]
"""


def test_entry_point_plugin_adds_a_cli_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    install_fake_distribution(tmp_path, "pmcore_hello", HELLO_PLUGIN, "hello = pmcore_hello")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD")
    monkeypatch.setenv("PMCORE_DISABLE_PLUGINS", "msproject")  # only the fake one
    infos = {i.name: i for i in Plugins(make_plugin_manager()).describe()}
    assert infos["hello"].distribution == ("pmcore-hello", "1.2.3")
    assert infos["hello"].registrations == {"pmcore_register_commands": ("hello",)}
    assert main(["hello", "--who", "steering committee"]) == 0
    assert capsys.readouterr().out == "hello steering committee\n"
    assert main(["--no-plugins", "hello"]) == 2  # built-ins only: no such command


def test_broken_entry_point_is_named_and_can_be_disabled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    install_fake_distribution(tmp_path, "pmcore_broken", "import does_not_exist\n",
                              "broken = pmcore_broken")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD")
    with pytest.raises(PluginError, match="plugin 'broken': failed to load entry point"):
        make_plugin_manager()
    assert main(["formats"]) == 2
    assert capsys.readouterr().err.startswith("pmcore: error: plugin 'broken'")
    monkeypatch.setenv("PMCORE_DISABLE_PLUGINS", "broken,msproject")
    assert "broken" not in {i.name for i in Plugins(make_plugin_manager()).describe()}
    monkeypatch.delenv("PMCORE_DISABLE_PLUGINS")
    monkeypatch.setenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert [i.name for i in Plugins(make_plugin_manager()).describe()] == list(BUILTIN_PLUGINS)


def test_dumps_loads_through_a_stream() -> None:
    buffer = io.BytesIO()
    pmcore.write(plan(), buffer)
    buffer.seek(0)
    assert pmcore.read(buffer) == plan()


def test_failing_event_hook_is_reported_as_a_plugin_error(tmp_path: Path) -> None:
    class Grumpy:
        @hookimpl
        def pmcore_on_project_saved(self, project: pmcore.Project, destination: str) -> None:
            raise KeyError("no webhook configured")

    pm = make_plugin_manager(entry_points=False, plugins=[("grumpy", Grumpy())])
    with pytest.raises(PluginError, match="plugin 'grumpy': pmcore_on_project_saved failed: "
                                          "KeyError"):
        pmcore.write(plan(), tmp_path / "plan.json", plugins=pm)
    assert pmcore.read(tmp_path / "plan.json") == plan()  # the file itself was written


def test_an_implementation_may_take_fewer_arguments_than_the_hook(tmp_path: Path) -> None:
    # pluggy's rule: an implementation names the arguments it wants, a subset of the spec's
    saved: list[str] = []

    class Auditor:
        @hookimpl
        def pmcore_on_project_saved(self, destination: str) -> None:
            saved.append(Path(destination).name)

    pm = make_plugin_manager(entry_points=False, plugins=[("auditor", Auditor())])
    pmcore.write(plan(), tmp_path / "plan.json", plugins=pm)
    assert saved == ["plan.json"]


def test_cli_runs_with_a_given_plugin_manager(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    pm = make_plugin_manager(entry_points=False, plugins=[RecordingPlugin()])
    path = tmp_path / "plan.json"
    pmcore.write(plan(), path)
    assert main(["convert", str(path), str(tmp_path / "plan.tasks.txt")], plugins=pm) == 0
    assert (tmp_path / "plan.tasks.txt").read_text().startswith("#tasks\nBackup renewal")
    capsys.readouterr()


def test_builtin_commands_need_the_cli_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from pmcore.cli.api import commands_of

    assert [c.name for c in commands_of("pmcore.risk._cli", "pmcore.risk._simulate_cli")] == [
        "risks", "simulate"]
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "typer" else real(name, *a))
    assert commands_of("pmcore.cli.commands") == []
    assert Plugins(make_plugin_manager(entry_points=False)).commands() == ()
