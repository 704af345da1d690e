"""Builds the typer app from the registered commands and runs it with pmcore's exit codes."""

from __future__ import annotations

import functools
import inspect
import sys
import traceback
from typing import Annotated, Any

import pluggy
import typer

from pmcore.__about__ import __version__
from pmcore.cli.api import Command
from pmcore.errors import PMCoreError, ValidationError
from pmcore.plugins import Plugins, make_plugin_manager

__all__ = ["build_app", "run"]

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pmcore {__version__}")
        raise typer.Exit(EXIT_OK)


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    no_plugins: Annotated[bool, typer.Option(
        "--no-plugins", help="Do not load installed plugins (built-ins only).")] = False,
) -> None:
    """pmcore: project and portfolio management logic on the command line.

    Exit codes: 0 success, 1 a problem was found in the project, 2 a usage or input error.
    """


def _bind(command: Command, plugins: Plugins) -> Any:
    function = command.callback
    if not command.needs_plugins:
        return function
    signature = inspect.signature(function, eval_str=True)  # keep Annotated typer options

    @functools.wraps(function)
    def bound(*args: Any, **kwargs: Any) -> Any:
        return function(*args, plugins=plugins, **kwargs)

    bound.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p for name, p in signature.parameters.items() if name != "plugins"])
    return bound


def build_app(plugins: Plugins) -> typer.Typer:
    """A typer app with every command the plugins register."""
    app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                      context_settings={"help_option_names": ["-h", "--help"]})
    app.callback()(_root)
    for command in plugins.commands():
        doc = inspect.getdoc(command.callback) or ""
        app.command(command.name, help=command.help or doc or None)(_bind(command, plugins))
    return app


def _error(message: str) -> None:
    sys.stderr.write(f"pmcore: error: {message}\n")


def run(argv: list[str], *, plugins: pluggy.PluginManager | None = None) -> int:
    """Run the CLI; never raises, returns the exit code."""
    debug = "--debug" in argv
    try:
        manager = plugins if plugins is not None else make_plugin_manager(
            entry_points="--no-plugins" not in argv)
        app = build_app(Plugins(manager))
        result = app(args=argv, prog_name="pmcore", standalone_mode=False)
        return int(result or EXIT_OK) if not isinstance(result, bool) else EXIT_OK
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.TyperException as exc:  # usage errors: bad options, unknown commands
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            _error(str(exc))
        return EXIT_USAGE
    except typer.Abort:
        _error("aborted")
        return EXIT_USAGE
    except ValidationError as exc:
        if debug:
            traceback.print_exc()
        _error(str(exc))
        return EXIT_PROBLEM
    except PMCoreError as exc:
        if debug:
            traceback.print_exc()
        _error(str(exc))
        return EXIT_USAGE
    except Exception as exc:  # a bug: still one line unless --debug
        if debug:
            traceback.print_exc()
        _error(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        return EXIT_USAGE
