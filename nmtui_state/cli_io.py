"""Reading state files and printing problems and diffs for the CLI."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, TextIO

from engine import yamlio
from engine.errors import InvalidInput, Problem
from engine.textsafe import printable

COLORS = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m", "~": "\x1b[33m"}
RESET = "\x1b[0m"


@dataclass
class StateFile:
    """A loaded state and where it came from (for messages with file and line)."""

    state: dict[str, Any]
    text: str
    source: str


def read_state(path: str) -> StateFile:
    """Load ``path`` (``-`` = stdin); broken YAML raises InvalidInput naming file, line, column."""
    text, source = yamlio.read_text(path)
    return StateFile(yamlio.loads(text, source), text, source)


def check(sf: StateFile, current: dict[str, Any] | None = None) -> list[Problem]:
    """Validate a loaded file; problems carry the file name and line."""
    # Here, not at the top: jsonschema costs ~100 ms to import, and show never validates.
    from engine.validate import validate

    return yamlio.attach_lines(validate(sf.state, current), sf.text, sf.source)


def fail_on_errors(problems: list[Problem]) -> None:
    """Print warnings; raise InvalidInput (exit 2) when any problem is an error."""
    for p in problems:
        if not p.is_error:
            print(f"nmtui-state: {printable(p.format())}", file=sys.stderr)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise InvalidInput(errors)


def color_enabled() -> bool:
    import os

    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def print_unified(lines: list[tuple[str, str]]) -> None:
    use = color_enabled()
    for tag, text in lines:
        prefix = "" if tag == "@" else f"{tag} " if tag != " " else "  "
        line = printable(f"{prefix}{text}", newlines=False)
        print(f"{COLORS[tag]}{line}{RESET}" if use and tag in COLORS else line)


def print_lines(lines: list[str], file: TextIO | None = None) -> None:
    """Print host-derived lines (summaries, notes) with control characters escaped."""
    for line in lines:
        print(printable(line, newlines=False), file=file or sys.stdout)
