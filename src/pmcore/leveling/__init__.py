"""Resource leveling: delay tasks so that no resource works over its maximum units.

:func:`level` levels a project, or several sharing resources, and returns a
:class:`LevelingResult` of leveling delays (which tasks move, by how much and why) that
:meth:`LevelingResult.apply` writes into the tasks.

The core works on plain arrays: an :class:`Rcpsp` (the resource-constrained project
scheduling problem in whole periods) is leveled by :func:`solve` (a serial
schedule-generation scheme with a priority rule, forward-backward improvement and Hartmann's
activity-list genetic algorithm under a budget) or by one pass of :func:`serial_sgs`.
``docs/how-to/leveling.md`` explains the algorithm and shows how to use it.

The inner loops run in pure Python, or compiled by numba when it is installed (the
:class:`Backend` option); both give identical results for the same seed and budget.
"""

from pmcore.leveling._project import LeveledTask, LevelingResult, level
from pmcore.leveling._rcpsp import (
    Backend,
    Rcpsp,
    Rule,
    Solution,
    numba_available,
    priority_list,
    serial_sgs,
    solve,
)

__all__ = [
    "Backend",
    "LeveledTask",
    "LevelingResult",
    "Rcpsp",
    "Rule",
    "Solution",
    "level",
    "numba_available",
    "priority_list",
    "serial_sgs",
    "solve",
]
