"""What every console screen shares: a title line, a status line and a key line, in ASCII."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from nmtui_state.console.text import ascii_only

T = TypeVar("T")

CSS = """
Screen { overflow: hidden; }
#title { height: 1; text-style: bold; }
#status { height: auto; max-height: 4; dock: bottom; margin-bottom: 1; }
#keys { height: 1; dock: bottom; }
.gap { height: 1; }
"""


class ConsoleScreen(Screen[T], Generic[T]):
    """A screen with ``#title`` on top and ``#status`` / ``#keys`` at the bottom."""

    TITLE_TEXT = ""
    KEYS_TEXT = ""

    def compose(self) -> ComposeResult:
        yield Static(ascii_only(self.TITLE_TEXT), id="title", markup=False)
        yield Static(ascii_only(self.KEYS_TEXT), id="keys", markup=False)
        yield Static("", id="status", markup=False)
        yield from self.body()

    def body(self) -> ComposeResult:
        yield from ()

    def say(self, text: str) -> None:
        """Show ``text`` on the status line (ASCII only; replaces what was there)."""
        self.query_one("#status", Static).update(ascii_only(text))

    def set_title(self, text: str) -> None:
        self.query_one("#title", Static).update(ascii_only(text))
