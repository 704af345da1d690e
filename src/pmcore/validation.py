"""Validating a project with every plugin's rules; pmcore's own rules are the first plugin."""

from __future__ import annotations

from collections.abc import Iterator

import pluggy

from pmcore.model import Problem, Project, ValidationReport
from pmcore.model.rules import core_problems
from pmcore.plugins import Plugins, hookimpl

__all__ = ["validate"]


def validate(project: Project, *, plugins: Plugins | pluggy.PluginManager | None = None,
             ) -> ValidationReport:
    """Check ``project`` with pmcore's rules and every plugin's, and report all problems.

    >>> import pmcore
    >>> p = pmcore.Project("Demo", start="2027-01-04")
    >>> _ = p.add_task("Design", "5d")
    >>> pmcore.validate(p).ok
    True
    """
    return Plugins.of(plugins).validate(project)


@hookimpl
def pmcore_validate_project(project: Project) -> Iterator[Problem]:
    """pmcore's built-in rules (see :meth:`pmcore.Project.validate`)."""
    return core_problems(project)
