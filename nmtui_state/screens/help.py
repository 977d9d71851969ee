"""Help: the key bindings of the current screens, generated from the action catalogue."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nmtui_state.actions import CATALOGUE, bindings

INTRO = (
    "nmtui-state shows the host's network as a declarative state (nmstate YAML).\n"
    "Edit a draft with forms or YAML, review the per-property diff, apply it inside a\n"
    "NetworkManager checkpoint, then keep it or let it roll back."
)


def help_rows() -> list[tuple[str, str, str]]:
    """(keys, what they do, where they work) for every action of the catalogue.

    Two keys for one action in one place (Enter and y keep a change) share a
    row, so a key listed twice is always listed with two different places.
    """
    rows: dict[tuple[str, str], list[str]] = {}
    for action in CATALOGUE.values():
        rows.setdefault((action.description, action.where), []).append(action.key_label)
    return [(", ".join(keys), does, where) for (does, where), keys in rows.items()]


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings("help.close")

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", show_header=True, expand=True)
        table.add_column("key")
        table.add_column("does")
        table.add_column("where")
        for row in help_rows():
            table.add_row(*row)
        with VerticalScroll(id="help"):
            yield Static(INTRO)
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
