"""App-wide messages (widget messages live in the widget that posts them).

Screens and the app talk in these, never by calling each other's methods:
the review screen asks for an apply, the app runs it and reports back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from engine.show import LiveState


@dataclass
class LiveStateRead(Message):
    """A fresh read of the host finished."""

    live: LiveState


@dataclass
class HostChanged(Message):
    """NetworkManager signalled a change; a (debounced) re-read should follow."""


@dataclass
class ApplyRequested(Message):
    """A screen asks the app to apply ``desired`` (the draft it reviewed)."""

    desired: dict[str, Any]


@dataclass
class ApplyProgress(Message):
    """One line of what the apply is doing now, for the screen that asked for it."""

    line: str


@dataclass
class ApplyEnded(Message):
    """The apply is over: ``ok`` (pending or decided) or failed and rolled back (``text``)."""

    ok: bool
    text: str = ""
