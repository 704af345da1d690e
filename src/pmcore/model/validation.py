"""Problems found in a project, collected rather than raised, so a user sees all of them."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from pmcore.errors import ValidationError

__all__ = ["Problem", "Severity", "ValidationReport"]


class Severity(enum.Enum):
    """How bad a problem is: errors make a project unschedulable or ambiguous."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Problem:
    """One finding: what is wrong, where, and the typed error it would raise.

    Attributes:
        error: the pmcore error describing the problem (a :class:`CycleError`,
            :class:`UnknownReferenceError`, ...); ``str(problem)`` is its message.
        severity: error or warning.
        code: a stable short name for the rule, e.g. ``"dependency-cycle"``.
        source: the plugin that reported it (``"pmcore"`` for the built-in rules).
    """

    error: ValidationError
    severity: Severity = Severity.ERROR
    code: str = "invalid"
    source: str = "pmcore"

    @property
    def message(self) -> str:
        """The one-line description."""
        return str(self.error)

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.error}"


def _errors_first(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: p.severity is not Severity.ERROR))


@attrs.frozen
class ValidationReport:
    """The result of validating a project: every problem found, errors first."""

    problems: tuple[Problem, ...] = attrs.field(converter=_errors_first)

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> ValidationReport:
        """Build a report from any iterable of problems."""
        return cls(tuple(problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of error severity."""
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems of warning severity."""
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    def raise_for_errors(self) -> None:
        """Raise the first error's typed exception, if there is any error."""
        if self.errors:
            raise self.errors[0].error

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per problem, for ``pandas.DataFrame``."""
        return [
            {
                "severity": p.severity.value,
                "code": p.code,
                "entity": p.error.entity,
                "field": p.error.field,
                "message": p.message,
                "source": p.source,
            }
            for p in self.problems
        ]
