"""App-wide messages (widget messages live in the widget that posts them)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from engine.show import LiveState


@dataclass
class LiveStateRead(Message):
    """A fresh read of the host finished."""

    live: LiveState


@dataclass
class HostChanged(Message):
    """NetworkManager signalled a change; a (debounced) re-read should follow."""
