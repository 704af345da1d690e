"""Building the plugin manager, and the typed facade through which pmcore uses it.

Nothing here runs at import. :func:`make_plugin_manager` builds a fresh manager with the
built-in plugins and, unless told otherwise, every plugin installed under the ``pmcore``
entry-point group. :func:`default_plugins` builds one lazily on first use and keeps it; tests and
notebooks can build their own and pass it wherever pmcore accepts ``plugins=``.

Two environment variables, read when a manager is built, help when an installed plugin
misbehaves: ``PMCORE_DISABLE_PLUGIN_AUTOLOAD=1`` skips entry points altogether, and
``PMCORE_DISABLE_PLUGINS=name,name`` blocks the named ones.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from importlib import metadata
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pluggy

from pmcore import hookspecs
from pmcore.errors import FormatError, PluginError, PMCoreError

if TYPE_CHECKING:
    import datetime as dt

    from pmcore.cli.api import Command
    from pmcore.finance.history import VarianceAlert
    from pmcore.io.formats import Reader, Writer
    from pmcore.methodology.base import Methodology
    from pmcore.model import Problem, Project, ValidationReport

__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PluginInfo",
    "PluginManager",
    "Plugins",
    "default_plugins",
    "hookimpl",
    "make_plugin_manager",
    "reset_default_plugins",
]

ENTRY_POINT_GROUP = "pmcore"
"""The entry-point group plugins register under, in their ``pyproject.toml``."""

hookimpl = pluggy.HookimplMarker("pmcore")
"""Marks a plugin's function as the implementation of the ``pmcore_*`` hook of its name."""

BUILTIN_PLUGINS: tuple[str, ...] = (
    "pmcore.io.json_format",
    "pmcore.io.yaml_format",
    "pmcore.io.psplib",
    "pmcore.validation",
    "pmcore.cli.plugin",
    "pmcore.methodology.builtin",
    "pmcore.finance.cli_plugin",  # pmcore evm (costs and earned value)
    "pmcore.risk.builtin",  # risks (pmcore.risk)
)
"""Modules registered in every manager, through the same hooks as third-party plugins."""


class PluginManager(pluggy.PluginManager):
    """A pluggy manager that remembers which distribution each plugin came from."""

    def __init__(self) -> None:
        super().__init__("pmcore")
        self.distributions: dict[str, tuple[str, str]] = {}


@attrs.frozen
class PluginInfo:
    """What ``pmcore plugins`` shows for one plugin.

    Attributes:
        name: the plugin's registered name (its entry-point name when installed).
        distribution: the distribution that installed it and its version, or ``None`` for
            plugins registered in code (built-ins show ``("pmcore", version)``).
        registrations: for each ``pmcore_register_*`` hook it implements, the names of what it
            registered; for other hooks, an empty tuple.
    """

    name: str
    distribution: tuple[str, str] | None
    registrations: dict[str, tuple[str, ...]]


def make_plugin_manager(
    *,
    entry_points: bool = True,
    plugins: Iterable[object] = (),
    blocked: Iterable[str] = (),
) -> PluginManager:
    """Build a plugin manager with pmcore's hooks and built-ins.

    Args:
        entry_points: also load plugins installed under the ``pmcore`` entry-point group
            (unless ``PMCORE_DISABLE_PLUGIN_AUTOLOAD`` is set).
        plugins: extra plugin objects or modules to register (e.g. in a test or a notebook),
            named by their module name or class name; pass ``(name, plugin)`` pairs to choose.
        blocked: plugin names not to register (also read from ``PMCORE_DISABLE_PLUGINS``).

    Raises:
        PluginError: a plugin failed to import or implements a hook pmcore does not define.
    """
    from pmcore.__about__ import __version__

    pm = PluginManager()
    pm.add_hookspecs(hookspecs)
    env_blocked = [n.strip() for n in os.environ.get("PMCORE_DISABLE_PLUGINS", "").split(",")]
    for name in (*blocked, *filter(None, env_blocked)):
        pm.set_blocked(name)
    for module_name in BUILTIN_PLUGINS:
        if not pm.is_blocked(module_name):
            _register(pm, importlib.import_module(module_name), module_name)
            pm.distributions[module_name] = ("pmcore", __version__)
    for plugin in plugins:
        if isinstance(plugin, tuple) and len(plugin) == 2 and isinstance(plugin[0], str):
            _register(pm, plugin[1], plugin[0])
        else:
            _register(pm, plugin, getattr(plugin, "__name__", None) or type(plugin).__name__)
    if entry_points and not os.environ.get("PMCORE_DISABLE_PLUGIN_AUTOLOAD"):
        _load_entry_points(pm)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"implements a hook pmcore does not define: {exc}",
                          plugin=pm.get_name(exc.plugin) or repr(exc.plugin)) from None
    return pm


def _register(pm: PluginManager, plugin: object, name: str | None) -> None:
    label = name or getattr(plugin, "__name__", None) or type(plugin).__name__
    try:
        pm.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc), plugin=label) from None
    except ValueError as exc:  # registered twice, or a name clash
        raise PluginError(str(exc), plugin=label) from None


def _load_entry_points(pm: PluginManager) -> None:
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        name = entry_point.name
        if pm.is_blocked(name) or pm.has_plugin(name):
            continue
        try:
            plugin = entry_point.load()
        except Exception as exc:  # any failure inside third-party code is reported uniformly
            raise PluginError(
                f"failed to load entry point {entry_point.value!r}: {type(exc).__name__}: {exc} "
                "(set PMCORE_DISABLE_PLUGINS to skip it)", plugin=name) from exc
        _register(pm, plugin, name)
        dist = entry_point.dist
        if dist is not None:
            pm.distributions[name] = (dist.metadata["Name"] or dist.name, dist.version)


_Named = TypeVar("_Named", bound="Reader | Writer")


@functools.cache
def _default_manager() -> PluginManager:
    return make_plugin_manager()


def default_plugins() -> Plugins:
    """The process-wide plugins, built on first use (entry points included)."""
    return Plugins(_default_manager())


def reset_default_plugins() -> None:
    """Forget the default manager, so the next use rebuilds it (after installing a plugin)."""
    _default_manager.cache_clear()


def _call(impl: pluggy.HookImpl, hook_name: str, **kwargs: Any) -> list[Any]:
    """Call one plugin's implementation, turning its failures into a PluginError naming it."""
    return list(_invoke(impl, hook_name, kwargs) or ())


def _invoke(impl: pluggy.HookImpl, hook_name: str, given: dict[str, Any], about: str = "",
            *, builtin_errors: bool = False) -> Any:
    """One implementation's answer, given the arguments it names (as pluggy does, an
    implementation may take any subset of the hook's). Its failure becomes a PluginError
    naming the plugin (``about`` adds what it was asked about); with ``builtin_errors``,
    pmcore's own errors from a built-in pass through unchanged."""
    try:
        return impl.function(**{name: given[name] for name in impl.argnames})
    except PMCoreError as exc:
        if builtin_errors and impl.plugin_name in BUILTIN_PLUGINS:
            raise
        raise _failed(impl, hook_name, about, exc) from exc
    except Exception as exc:  # third-party code: report which plugin failed
        raise _failed(impl, hook_name, about, exc) from exc


def _failed(impl: pluggy.HookImpl, hook_name: str, about: str, exc: Exception) -> PluginError:
    return PluginError(f"{hook_name} failed{about}: {type(exc).__name__}: {exc}",
                       plugin=impl.plugin_name)


if TYPE_CHECKING:  # -- risks (pmcore.risk)
    from pmcore.model.risk import ProbabilityImpactMatrix, Risk
    from pmcore.risk.escalation import RiskEscalation
    from pmcore.risk.scoring import RiskScore


class Plugins:
    """The typed facade over a plugin manager: the only code that calls ``pm.hook``.

    Args:
        pm: a manager from :func:`make_plugin_manager`; the default one when omitted.
    """

    def __init__(self, pm: pluggy.PluginManager | None = None):
        self.pm = pm if pm is not None else _default_manager()

    @classmethod
    def of(cls, plugins: Plugins | pluggy.PluginManager | None) -> Plugins:
        """Accept what public functions take as ``plugins=``: a facade, a manager, or None."""
        if isinstance(plugins, Plugins):
            return plugins
        return cls(plugins)

    def _collect(self, hook_name: str, check: Callable[[Any], bool], what: str) -> list[Any]:
        items: list[Any] = []
        owners: dict[str, str] = {}
        hook = getattr(self.pm.hook, hook_name)
        for impl in hook.get_hookimpls():  # in registration order
            for item in _call(impl, hook_name):
                if not check(item):
                    raise PluginError(f"{hook_name} returned {item!r}, which is not a {what}",
                                      plugin=impl.plugin_name)
                if item.name in owners:
                    raise PluginError(f"registers a {what} named {item.name!r}, as plugin "
                                      f"{owners[item.name]!r} already does",
                                      plugin=impl.plugin_name)
                owners[item.name] = impl.plugin_name
                items.append(item)
        return items

    def readers(self) -> tuple[Reader, ...]:
        """Every registered reader, built-ins first."""
        from pmcore.io.formats import Reader

        return tuple(self._collect("pmcore_register_readers",
                                   lambda r: isinstance(r, Reader), "reader"))

    def writers(self) -> tuple[Writer, ...]:
        """Every registered writer, built-ins first."""
        from pmcore.io.formats import Writer

        return tuple(self._collect("pmcore_register_writers",
                                   lambda w: isinstance(w, Writer), "writer"))

    def commands(self) -> tuple[Command, ...]:
        """Every registered CLI command."""
        from pmcore.cli.api import Command

        return tuple(self._collect("pmcore_register_commands",
                                   lambda c: isinstance(c, Command), "command"))

    def reader(self, name: str) -> Reader:
        """The reader registered under ``name``."""
        return _by_name(self.readers(), name, "reader")

    def writer(self, name: str) -> Writer:
        """The writer registered under ``name``."""
        return _by_name(self.writers(), name, "writer")

    def reader_for(self, path: str, head: bytes = b"") -> Reader:
        """Choose a reader by the file's name, else by sniffing its first bytes."""
        readers = self.readers()
        chosen = _by_extension(readers, path)
        if chosen is None:
            chosen = next((r for r in readers if head and r.sniff(head)), None)
        if chosen is None:
            names = ", ".join(r.name for r in readers)
            raise FormatError(f"no reader recognises this file; pass a format ({names})",
                              source=path)
        return chosen

    def writer_for(self, path: str) -> Writer:
        """Choose a writer by the file's name."""
        writers = self.writers()
        chosen = _by_extension(writers, path)
        if chosen is None:
            names = ", ".join(w.name for w in writers)
            raise FormatError(f"no writer for this file name; pass a format ({names})",
                              source=path)
        return chosen

    def validate(self, project: Project) -> ValidationReport:
        """Run every plugin's validation rules over ``project``."""
        from pmcore.model import Problem, ValidationReport

        problems: list[Problem] = []
        for impl in self.pm.hook.pmcore_validate_project.get_hookimpls():
            for problem in _call(impl, "pmcore_validate_project", project=project):
                if not isinstance(problem, Problem):
                    raise PluginError(f"pmcore_validate_project returned {problem!r}, "
                                      "not a Problem", plugin=impl.plugin_name)
                source = "pmcore" if impl.plugin_name in BUILTIN_PLUGINS else impl.plugin_name
                problems.append(attrs.evolve(problem, source=source))
        problems.extend(self._methodology_problems(project))  # pmcore.methodology
        return ValidationReport.of(problems)

    def project_loaded(self, project: Project, source: str) -> None:
        """Tell plugins a project was loaded."""
        for impl in self.pm.hook.pmcore_on_project_loaded.get_hookimpls():
            _call(impl, "pmcore_on_project_loaded", project=project, source=source)

    def project_saved(self, project: Project, destination: str) -> None:
        """Tell plugins a project was saved."""
        for impl in self.pm.hook.pmcore_on_project_saved.get_hookimpls():
            _call(impl, "pmcore_on_project_saved", project=project, destination=destination)

    # -- methodologies (pmcore.methodology)

    def methodology_sources(self) -> dict[str, tuple[Methodology, str]]:
        """Every registered methodology by name, with the name of the plugin registering it."""
        from pmcore.methodology.base import Methodology

        found: dict[str, tuple[Methodology, str]] = {}
        for impl in self.pm.hook.pmcore_register_methodologies.get_hookimpls():
            for item in _call(impl, "pmcore_register_methodologies"):
                if not isinstance(item, Methodology):
                    raise PluginError(f"pmcore_register_methodologies returned {item!r}, which "
                                      "is not a Methodology", plugin=impl.plugin_name)
                if item.name in found:
                    raise PluginError(f"registers a methodology named {item.name!r}, as plugin "
                                      f"{found[item.name][1]!r} already does",
                                      plugin=impl.plugin_name)
                found[item.name] = (item, impl.plugin_name)
        return found

    def _methodology_problems(self, project: Project) -> list[Problem]:
        """The rules of the methodology ``project`` was made from."""
        from pmcore.methodology.base import methodology_problems

        return list(methodology_problems(project, self))

    def methodologies(self) -> tuple[Methodology, ...]:
        """Every registered methodology, built-ins first."""
        return tuple(m for m, _ in self.methodology_sources().values())

    def methodology(self, name: str) -> Methodology:
        """The methodology registered under ``name``.

        Raises:
            UnknownReferenceError: none is (the message lists those that are).
        """
        from pmcore.errors import UnknownReferenceError

        found = self.methodology_sources()
        if name not in found:
            raise UnknownReferenceError(name, kind="methodology",
                                        entity=f"registered: {', '.join(found) or 'none'}")
        return found[name][0]

    # -- costs and earned value (pmcore.finance)

    def convert_currency(self, amount: Decimal, from_currency: str, to_currency: str,
                         on: dt.date) -> Decimal | None:
        """The first plugin's conversion of ``amount``; ``None`` when no plugin converts."""
        given = {"amount": amount, "from_currency": from_currency,
                 "to_currency": to_currency, "on": on}
        for impl in reversed(self.pm.hook.pmcore_convert_currency.get_hookimpls()):
            result = _invoke(impl, "pmcore_convert_currency", given)
            if result is None:
                continue
            if not isinstance(result, Decimal) or not result.is_finite():
                raise PluginError(f"pmcore_convert_currency returned {result!r}, not a "
                                  "finite Decimal", plugin=impl.plugin_name)
            return result
        return None

    def variance_alert(self, alert: VarianceAlert) -> None:
        """Tell plugins an earned-value threshold was crossed."""
        for impl in self.pm.hook.pmcore_on_variance_alert.get_hookimpls():
            _call(impl, "pmcore_on_variance_alert", alert=alert)

    # -- risks (pmcore.risk)

    def score_risk(self, risk: Risk, matrix: ProbabilityImpactMatrix,
                   residual: bool = False) -> RiskScore:
        """The first plugin's score of ``risk`` (pmcore's matrix method answers last)."""
        from pmcore.risk.scoring import RiskScore

        given = {"risk": risk, "matrix": matrix, "residual": residual}
        for impl in reversed(self.pm.hook.pmcore_score_risk.get_hookimpls()):
            builtin = impl.plugin_name in BUILTIN_PLUGINS
            result = _invoke(impl, "pmcore_score_risk", given, f" for {risk.label}",
                             builtin_errors=True)
            if result is None:
                continue
            if not isinstance(result, RiskScore) or result.risk_id != risk.id:
                raise PluginError(f"pmcore_score_risk returned {result!r}, not a RiskScore of "
                                  f"{risk.label}", plugin=impl.plugin_name)
            if not builtin and result.method == "matrix":
                result = attrs.evolve(result, method=impl.plugin_name)
            return result
        raise PluginError("no plugin implements pmcore_score_risk", plugin="pmcore")

    def risk_escalated(self, escalation: RiskEscalation) -> None:
        """Tell plugins a risk crossed its appetite."""
        for impl in self.pm.hook.pmcore_on_risk_escalated.get_hookimpls():
            _call(impl, "pmcore_on_risk_escalated", escalation=escalation)

    def describe(self) -> list[PluginInfo]:
        """Every registered plugin with its distribution and what it registers."""
        distributions = getattr(self.pm, "distributions", {})
        infos: list[PluginInfo] = []
        for name, plugin in self.pm.list_name_plugin():
            if plugin is None:
                continue  # blocked
            registrations: dict[str, tuple[str, ...]] = {}
            for caller in self.pm.get_hookcallers(plugin) or ():
                impl = next(i for i in caller.get_hookimpls() if i.plugin is plugin)
                if caller.name.startswith("pmcore_register_"):
                    registrations[caller.name] = tuple(
                        str(getattr(item, "name", item)) for item in _call(impl, caller.name))
                else:
                    registrations[caller.name] = ()
            infos.append(PluginInfo(name, distributions.get(name), dict(sorted(
                registrations.items()))))
        return infos


def _by_name(items: Sequence[_Named], name: str, what: str) -> _Named:
    for item in items:
        if item.name == name:
            return item
    known = ", ".join(i.name for i in items) or "none"
    raise FormatError(f"no {what} named {name!r} (registered: {known})")


def _by_extension(items: Sequence[_Named], path: str) -> _Named | None:
    name = PurePath(path).name.lower()
    best: tuple[int, _Named] | None = None
    for item in items:
        for extension in item.extensions:
            if name.endswith(extension) and (best is None or len(extension) > best[0]):
                best = (len(extension), item)
    return None if best is None else best[1]
