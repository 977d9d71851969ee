"""Problems and error types shared by the engine, the CLI and the app.

Every failure a user can cause or meet maps to one exit code, so scripts can
tell "my file is wrong" (2) from "the host refused" (1) from "there is no
NetworkManager to talk to" (3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """Process exit codes, the CLI's contract with scripts."""

    OK = 0
    APPLY_FAILED = 1
    INVALID_INPUT = 2
    NO_BACKEND = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a state: where, what, and how to fix it.

    ``path`` is a dotted path into the state (``interfaces[br0].ipv4.address[0].ip``)
    so the UI can jump to the field and the CLI can print it.
    """

    path: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"
    source: str = ""  # file name, when the state came from one
    line: int | None = None
    column: int | None = None  # 1-based, for parse errors: where in the line the reader stopped

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        """One readable line: ``file:line: path: message (fix: hint)``."""
        where = self.source
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        head = f"{where}: " if where else ""
        label = "" if self.is_error else "warning: "
        text = (
            f"{head}{label}{self.path}: {self.message}"
            if self.path
            else f"{head}{label}{self.message}"
        )
        if self.hint:
            text += f" (fix: {self.hint})"
        return text


class NmtuiError(Exception):
    """Base of the errors the CLI turns into a message and an exit code."""

    exit_code: ExitCode = ExitCode.APPLY_FAILED


@dataclass
class InvalidInput(NmtuiError):
    """The user's input is wrong; nothing was touched."""

    problems: list[Problem] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.INVALID_INPUT

    def __str__(self) -> str:
        return "\n".join(p.format() for p in self.problems if p.is_error)


class NoBackend(NmtuiError):
    """No usable NetworkManager (missing, not running, or permission refused)."""

    exit_code = ExitCode.NO_BACKEND


class ApplyFailed(NmtuiError):
    """Apply or verification failed; the checkpoint was rolled back.

    ``report`` is the checked verdict on that rollback (an
    :class:`engine.restore_check.RestoreReport`), when there was one.
    """

    exit_code = ExitCode.APPLY_FAILED

    # Typed Any: errors is a model module the backend imports, restore_check is pipeline.
    def __init__(self, *args: object, report: Any = None) -> None:
        super().__init__(*args)
        self.report = report
