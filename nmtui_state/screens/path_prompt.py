"""Ask for a file path (export the draft)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from nmtui_state.actions import bindings


class PathScreen(ModalScreen[str | None]):
    """Ask for a file path (export); returns it, or None when cancelled."""

    BINDINGS = bindings("cancel")
    DEFAULT_CSS = """
    PathScreen { align: center middle; }
    #path-box { width: 70; height: auto; border: thick $primary; background: $surface;
                padding: 1 2; }
    """

    def __init__(self, prompt: str, initial: str) -> None:
        super().__init__()
        self.prompt = prompt
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="path-box"):
            yield Label(self.prompt)
            yield Input(self.initial, id="path")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
