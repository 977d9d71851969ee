"""Help: the key bindings of the current screens, generated from the action catalogue."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nmtui_state.actions import CATALOGUE

INTRO = (
    "nmtui-state shows the host's network as a declarative state (nmstate YAML).\n"
    "Edit a draft with forms or YAML, review the per-property diff, apply it inside a\n"
    "NetworkManager checkpoint, then keep it or let it roll back."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", show_header=True, expand=True)
        table.add_column("key")
        table.add_column("does")
        for action in CATALOGUE.values():
            table.add_row(
                action.key.replace("question_mark", "?").replace("slash", "/"), action.description
            )
        with VerticalScroll(id="help"):
            yield Static(INTRO)
            yield Static(table)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
