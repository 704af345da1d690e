"""pmcore's built-in CLI commands: plugins, formats, validate, show, convert."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.tree import Tree

from pmcore.cli.api import Command
from pmcore.cli.options import FileArg, check_choice, console
from pmcore.io import read, write
from pmcore.model import Project, Severity, Task
from pmcore.plugins import Plugins
from pmcore.schedule import Schedule

__all__ = ["BUILTIN_COMMANDS"]

FormatOption = Annotated[str | None, typer.Option(
    "--format", "-f", help="The reader to use (default: from the file name or content).")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def plugins_command(*, as_json: JsonFlag = False, plugins: Plugins) -> int:
    """List the registered plugins and what each registers."""
    infos = plugins.describe()
    if as_json:
        payload = [{"name": i.name,
                    "distribution": None if i.distribution is None else
                    {"name": i.distribution[0], "version": i.distribution[1]},
                    "hooks": {k: list(v) for k, v in i.registrations.items()}} for i in infos]
        typer.echo(json.dumps(payload, indent=2))
        return 0
    table = Table(title="pmcore plugins", title_justify="left")
    table.add_column("plugin")
    table.add_column("from")
    table.add_column("registers")
    for info in infos:
        origin = "-" if info.distribution is None else " ".join(info.distribution)
        lines = []
        for hook, names in info.registrations.items():
            label = hook.removeprefix("pmcore_register_").removeprefix("pmcore_")
            lines.append(f"{label}: {', '.join(names)}" if names else label)
        table.add_row(info.name, origin, "\n".join(lines) or "-")
    console().print(table)
    return 0


def formats_command(*, plugins: Plugins) -> int:
    """List the file formats that can be read and written."""
    readers = {r.name: r for r in plugins.readers()}
    writers = {w.name: w for w in plugins.writers()}
    table = Table(title="file formats", title_justify="left")
    for column in ("format", "read", "write", "extensions", "description"):
        table.add_column(column)
    for name in dict.fromkeys([*readers, *writers]):
        item: Any = readers.get(name) or writers[name]
        table.add_row(name, "yes" if name in readers else "-", "yes" if name in writers else "-",
                      " ".join(item.extensions), item.description)
    console().print(table)
    return 0


def validate_command(file: FileArg, *, format: FormatOption = None, as_json: JsonFlag = False,
                     plugins: Plugins) -> int:
    """Check a project file and report every problem (exit 1 if any is an error)."""
    project = read(file, format=format, strict=False, plugins=plugins)
    report = plugins.validate(project)
    if as_json:
        typer.echo(json.dumps({"file": file, "ok": report.ok,
                               "problems": report.to_records()}, indent=2))
    else:
        for problem in report:
            stream = sys.stderr if problem.severity is Severity.ERROR else sys.stdout
            stream.write(f"{file}: {problem}\n")
        if report.ok:
            warnings = f", {_count(len(report.warnings), 'warning')}" if report.warnings else ""
            counts = ", ".join(_count(n, what) for n, what in (
                (len(project), "task"), (len(project.dependencies), "dependency"),
                (len(project.calendars), "calendar")))
            typer.echo(f"{file}: ok ({counts}{warnings})")
    return 0 if report.ok else 1


def _label(project: Project, task: Task) -> str:
    parts = [f"[bold]{project.wbs_code(task)}[/bold]" if project.is_summary(task)
             else project.wbs_code(task), _escape(task.name)]
    details = []
    if project.is_summary(task):
        rollup = project.rollup(task)
        if rollup.duration is not None:
            details.append(str(rollup.duration))
        if rollup.percent_complete:
            details.append(f"{rollup.percent_complete:.0f}%")
    else:
        if task.is_milestone:
            details.append("milestone")
        elif task.duration is not None:
            details.append(str(task.duration))
        if task.percent_complete:
            details.append(f"{task.percent_complete:g}%")
    if task.start is not None and task.finish is not None:
        details.append(f"{task.start:%Y-%m-%d} → {task.finish:%Y-%m-%d}")
    if task.constraint.date is not None:
        details.append(str(task.constraint))
    predecessors = project.predecessors(task)
    if predecessors:
        links = ", ".join(project.wbs_code(d.predecessor) + _link_suffix(d) for d in predecessors)
        details.append(f"after {links}")
    text = " ".join(parts)
    return f"{text}  [dim]{_escape('  '.join(details))}[/dim]" if details else text


def _link_suffix(link: Any) -> str:
    suffix = "" if link.type.value == "FS" else link.type.value
    if not link.lag.is_zero:
        suffix += f"{'+' if link.lag.value > 0 else ''}{link.lag}"
    return suffix


def _count(number: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {noun if number == 1 else plural}"


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def show_command(
    file: FileArg,
    *,
    format: FormatOption = None,
    depth: Annotated[int | None, typer.Option(
        "--depth", "-d", min=1, help="Show only this many outline levels.")] = None,
    plugins: Plugins,
) -> int:
    """Show a project's work breakdown structure as a tree."""
    project = read(file, format=format, plugins=plugins)
    header = [f"[bold]{_escape(project.name)}[/bold]"]  # printed apart, so it is never cropped
    if project.start is not None:
        header.append(f"start {project.start:%Y-%m-%d}")
    header.append(f"{_count(len(project), 'task')}, "
                  f"{_count(len(project.milestones), 'milestone')}, "
                  f"{_count(len(project.dependencies), 'dependency')}, calendar "
                  f"{_escape(project.calendars[project.calendar].name)}")
    out = console()
    out.print("  ".join(header))
    tree = Tree(f"[bold]{_escape(project.name)}[/bold]", hide_root=True)
    branches: dict[str | None, Tree] = {None: tree}
    for task in project.tasks:
        if depth is not None and project.outline_level(task) > depth:
            continue
        branches[task.id] = branches[task.parent].add(_label(project, task))
    out.print(tree)
    return 0


def convert_command(
    source: Annotated[str, typer.Argument(help="The file to read ('-' for standard input).")],
    destination: Annotated[str, typer.Argument(help="The file to write ('-' for standard "
                                                    "output).")],
    *,
    source_format: Annotated[str | None, typer.Option(
        "--from", help="The reader to use (default: from the name or content).")] = None,
    destination_format: Annotated[str | None, typer.Option(
        "--to", help="The writer to use (default: from the file name).")] = None,
    plugins: Plugins,
) -> int:
    """Convert a project between any two registered formats."""
    project = read(source, format=source_format, plugins=plugins)
    target: str | Path = destination
    write(project, target, format=destination_format, plugins=plugins)
    if destination != "-":
        typer.echo(f"wrote {destination} ({len(project)} tasks)", err=True)
    return 0


def _schedule_document(schedule: Schedule) -> dict[str, Any]:
    """The public JSON contract of ``pmcore schedule --format json`` (names are stable)."""

    def iso(moment: dt.datetime | None) -> str | None:
        return None if moment is None else moment.isoformat()

    return {
        "project": {"start": iso(schedule.start), "finish": iso(schedule.finish),
                    "status_date": iso(schedule.status_date),
                    "duration_minutes": schedule.duration_minutes},
        "tasks": [{key: iso(value) if isinstance(value, dt.datetime) else value
                   for key, value in record.items()} for record in schedule.to_records()],
        "critical_path": list(schedule.critical_path),
        "conflicts": [{"task": c.task, "kind": c.kind, "message": c.message}
                      for c in schedule.conflicts],
        **({} if schedule.leveling is None else {"leveling": [
            {key: iso(value) if isinstance(value, dt.datetime) else value
             for key, value in record.items()} for record in schedule.leveling.to_records()]}),
    }


def _days(minutes: int, per_day: int) -> str:
    return f"{minutes / per_day:g}d"


def schedule_command(
    file: FileArg,
    *,
    status_date: Annotated[str | None, typer.Option(
        "--status-date", help="Progress is reported as of this date (ISO date or date-time).",
    )] = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", help="table, json or csv.")] = "table",
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Write to this file instead of standard output.")] = None,
    critical_threshold: Annotated[str, typer.Option(
        "--critical-threshold", help="Tasks with total float at or below this are critical.",
    )] = "0d",
    source_format: Annotated[str | None, typer.Option(
        "--from", help="The reader to use (default: from the file name or content).")] = None,
    level: Annotated[bool, typer.Option(
        "--level", help="Level resources first: delay tasks so no resource is over-allocated "
                        "(the file is not changed).")] = False,
    level_split: Annotated[bool, typer.Option(
        "--level-split", help="With --level: let leveling split remaining work (pause a task "
                              "where its resources are busy).")] = False,
    backend: Annotated[str, typer.Option(
        "--backend", help="What runs the scheduler's loops: auto, python or numba (the fast "
                          "extra; compiling takes a few seconds, worth it for very large "
                          "plans). The schedule is the same.")] = "auto",
    plugins: Plugins,
) -> int:
    """Schedule a project: dates, floats, the critical path and constraint conflicts."""
    check_choice(output_format, ("table", "json", "csv"))
    check_choice(backend, ("auto", "python", "numba"), option="--backend")
    project = read(file, format=source_format, plugins=plugins)
    if level_split and not level:
        raise typer.BadParameter("needs --level", param_hint="--level-split")
    schedule = project.schedule(status_date=status_date, critical_threshold=critical_threshold,
                                level={"split_remaining": True} if level_split else level,
                                backend=backend)
    if output_format == "json":
        text = json.dumps(_schedule_document(schedule), indent=2, ensure_ascii=False) + "\n"
    elif output_format == "csv":
        buffer = io.StringIO()
        records = schedule.to_records()
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]) if records else ["id"],
                                lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({key: json.dumps(value) if isinstance(value, dict) else
                             value.isoformat() if isinstance(value, dt.datetime) else value
                             for key, value in record.items()})
        text = buffer.getvalue()
    else:
        text = _schedule_table(project, schedule)
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
    for conflict in schedule.conflicts:
        sys.stderr.write(f"{file}: conflict: {conflict}\n")
    if schedule.leveling is not None:
        moved = [t for t in schedule.leveling.tasks if t.delay.value]
        split = [t for t in schedule.leveling.tasks if t.splits]
        sys.stderr.write(f"{file}: leveling delayed {len(moved)} task(s)"
                         + (f" and split {len(split)}" if split else "") + "\n")
        for task in schedule.leveling.tasks:
            if task.unresolved:
                sys.stderr.write(f"{file}: still over-allocated: {task.task} ({task.name}), "
                                 f"{', '.join(task.resources)}\n")
    return 0


def _schedule_table(project: Project, schedule: Schedule) -> str:
    per_day = project.options.minutes_per_day
    out = console(record=True, file=io.StringIO())
    out.print(f"[bold]{_escape(project.name)}[/bold]  start {schedule.start:%Y-%m-%d %H:%M}"
                  f"  finish {schedule.finish:%Y-%m-%d %H:%M}  "
                  f"({_days(schedule.duration_minutes, per_day)} of working time)")
    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("wbs", "task", "start", "finish", "total float", "free float", ""):
        table.add_column(column, no_wrap=True)
    for record in schedule:
        name = _escape(record.name)
        table.add_row(record.wbs, f"[bold]{name}[/bold]" if record.summary else name,
                      f"{record.start:%Y-%m-%d %H:%M}", f"{record.finish:%Y-%m-%d %H:%M}",
                      _days(record.total_float_minutes, per_day),
                      _days(record.free_float_minutes, per_day),
                      "critical" if record.critical and not record.summary else "")
    out.print(table)
    path = " → ".join(f"{project.wbs_code(t)} {_escape(project.task(t).name)}"
                      for t in schedule.critical_path)
    out.print(f"critical path: {path or '(none)'}")
    return out.export_text()


OutputArg = Annotated[str, typer.Option(
    "--output", "-o", help="The file to write (its name picks the format; '-' for standard "
                           "output).")]


def import_command(
    file: FileArg,
    *,
    output: OutputArg,
    source_format: Annotated[str | None, typer.Option(
        "--from", help="The reader to use (default: from the name or content).")] = None,
    destination_format: Annotated[str | None, typer.Option(
        "--to", help="The writer to use (default: from the output's name, else pmcore JSON).",
    )] = None,
    plugins: Plugins,
) -> int:
    """Import a file from another tool (Microsoft Project XML, PSPLIB, ...) as a pmcore file."""
    fmt = destination_format or (None if Path(output).suffix else "json")
    return convert_command(file, output, source_format=source_format,
                           destination_format=fmt, plugins=plugins)


def export_command(
    file: FileArg,
    *,
    output: OutputArg,
    destination_format: Annotated[str | None, typer.Option(
        "--to", help="The writer to use (default: from the output's name).")] = None,
    source_format: Annotated[str | None, typer.Option(
        "--from", help="The reader to use (default: from the name or content).")] = None,
    plugins: Plugins,
) -> int:
    """Export a pmcore file for another tool (e.g. ``-o plan.xml`` for Microsoft Project)."""
    return convert_command(file, output, source_format=source_format,
                           destination_format=destination_format, plugins=plugins)


def capacity_command(
    files: Annotated[list[str], typer.Argument(
        help="Project files (a portfolio: people with the same name are one person).",
        metavar="FILE...")],
    *,
    by: Annotated[str, typer.Option(
        "--by", help="Group demand and capacity by resource, role or team.")] = "resource",
    period: Annotated[str, typer.Option(
        "--period", help="day, week (ISO weeks) or month.")] = "month",
    output_format: Annotated[str, typer.Option(
        "--format", "-f", help="table or json.")] = "table",
    plugins: Plugins,
) -> int:
    """Demand against capacity per resource, role or team and period, across projects."""
    from pmcore.resources import capacity

    check_choice(output_format, ("table", "json"))
    result = capacity([read(file, plugins=plugins) for file in files], by=by, period=period)
    records = result.to_records()
    if output_format == "json":
        sys.stdout.write(json.dumps([{**r, "period": r["period"].isoformat()} for r in records],
                                    indent=2) + "\n")
        return 0
    lines = [f"{by:<24} {period:<10} {'demand h':>9} {'capacity h':>10} {'use':>6} {'over h':>7}"]
    for r in records:
        use = "-" if r["utilisation"] is None else f"{r['utilisation']:.0%}"
        lines.append(f"{r['group']:<24} {r['period'].isoformat():<10} {r['demand_hours']:>9g} "
                     f"{r['capacity_hours']:>10g} {use:>6} {r['over_hours']:>7g}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


BUILTIN_COMMANDS = (
    Command(name="plugins", callback=plugins_command, needs_plugins=True),
    Command(name="formats", callback=formats_command, needs_plugins=True),
    Command(name="validate", callback=validate_command, needs_plugins=True),
    Command(name="show", callback=show_command, needs_plugins=True),
    Command(name="convert", callback=convert_command, needs_plugins=True),
    Command(name="schedule", callback=schedule_command, needs_plugins=True),
    Command(name="capacity", callback=capacity_command, needs_plugins=True),
    Command(name="import", callback=import_command, needs_plugins=True),
    Command(name="export", callback=export_command, needs_plugins=True),
)
COMMANDS = BUILTIN_COMMANDS
"""What :func:`pmcore.cli.api.commands_of` registers from this module."""
