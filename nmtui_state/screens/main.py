"""Main screen: the live interface tree on the left, the selection's details on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from engine.show import LiveState
from nmtui_state.actions import bindings
from widgets.iface_details import IfaceDetails
from widgets.state_tree import NodeRef, StateTree


class MainScreen(Screen[None]):
    """Browse the host: tree, details, filter; entry to editing and review."""

    BINDINGS = bindings("quit", "filter", "refresh", "edit", "add", "review", "help")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter interfaces (Enter to keep, Esc to clear)", id="filter")
        with Horizontal(id="panes"):
            yield StateTree(id="tree")
            with VerticalScroll(id="details-pane"):
                yield IfaceDetails("Reading the host…", id="details")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.watch(self.app, "live", self._on_live, init=True)
        self.query_one(StateTree).focus()

    @property
    def state_tree(self) -> StateTree:
        return self.query_one(StateTree)

    def _on_live(self, live: LiveState | None) -> None:
        if live is None:
            return
        self.state_tree.set_state(live.state)
        if self.state_tree.cursor_node is None or self.state_tree.cursor_line < 0:
            self.state_tree.move_cursor_to_line(0)
        status = self.query_one("#status", Static)
        status.update(f"[b]note:[/] {live.nm_missing}" if live.nm_missing else "")
        self._show(self.state_tree.selected_ref)

    def _show(self, ref: NodeRef | None) -> None:
        live = getattr(self.app, "live", None)
        if ref is None or live is None:
            return
        self.query_one(IfaceDetails).show(live.state, ref.kind, ref.name)

    def on_state_tree_iface_highlighted(self, event: StateTree.IfaceHighlighted) -> None:
        self._show(event.ref)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.state_tree.filter_text = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.state_tree.focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.state_tree.filter_text = ""
            self.state_tree.focus()

    def action_refresh(self) -> None:
        self.app.refresh_live()  # type: ignore[attr-defined]

    def action_quit_app(self) -> None:
        self.app.exit(0)
