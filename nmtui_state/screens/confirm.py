"""A yes/no question as a modal (quit with a pending change, discard edits)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from nmtui_state.actions import bindings


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no question; Enter/y = yes, Esc/n = no."""

    BINDINGS = bindings("confirm.yes", "confirm.no")
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    #confirm { width: 60; height: auto; border: thick $warning; background: $surface;
               padding: 1 2; }
    #confirm Horizontal { height: auto; align: center middle; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question)
            with Horizontal():
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no", variant="primary")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
