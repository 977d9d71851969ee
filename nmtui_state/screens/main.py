"""Main screen: the live interface tree on the left, the selection's details on the right."""

from __future__ import annotations

import os
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Static

from engine import keys as k
from engine.draft import Draft, DraftShapeError
from engine.link_view import marks
from engine.show import LiveState
from nmtui_state.actions import bindings
from nmtui_state.screens.host_app import host_app
from widgets.iface_details import IfaceDetails
from widgets.state_tree import NodeRef, StateTree

DETAILS_DELAY_S = 0.08


class MainScreen(Screen[None]):
    """Browse the host: tree, details, filter; entry to editing and review."""

    BINDINGS = bindings(
        "quit", "filter", "refresh", "edit", "add", "down", "remove", "review", "discard", "help"
    )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter interfaces (Enter to keep, Esc to clear)", id="filter")
        with Horizontal(id="panes"):
            yield StateTree(id="tree")
            with VerticalScroll(id="details-pane"):
                yield IfaceDetails("Reading the host...", id="details")
        yield Static("", id="status")
        yield Footer(compact=True)

    _details_timer: Timer | None = None

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.watch(self.app, "live", self._on_live, init=True)
        self.state_tree.focus()

    def on_screen_resume(self) -> None:
        self._status()

    @property
    def state_tree(self) -> StateTree:
        return self.query_one(StateTree)

    @property
    def draft(self) -> Draft | None:
        draft: Draft | None = getattr(self.app, "draft", None)
        return draft

    def _on_live(self, live: LiveState | None) -> None:
        if live is None:
            return
        self.state_tree.set_state(live.state, live.links, self._marks(live))
        if self.state_tree.cursor_node is None or self.state_tree.cursor_line < 0:
            self.state_tree.move_cursor_to_line(0)
        self._show(self.state_tree.selected_ref)
        self._status()

    @staticmethod
    def _marks(live: LiveState) -> dict[str, list[str]]:
        """Default route and SSH session per interface (SSH_CONNECTION read now, as review)."""
        return marks(live.state, os.environ.get("SSH_CONNECTION"))

    def _status(self) -> None:
        live: LiveState | None = getattr(self.app, "live", None)
        draft = self.draft
        self.state_tree.set_pending(
            {str(i.get(k.NAME)) for i in draft.interfaces()} if draft is not None else set()
        )
        parts = []
        if live is not None and live.nm_missing:
            parts.append(f"[b]note:[/] {live.nm_missing}")
        if draft is not None and not draft.empty:
            names = [i.get(k.NAME) for i in draft.interfaces()]
            parts.append(f"draft: {', '.join(map(str, names)) or 'global settings'} — v to review")
        outcome = getattr(self.app, "last_outcome", "")
        if outcome:
            parts.append(outcome)
        self.query_one("#status", Static).update("  |  ".join(parts))

    def _show(self, ref: NodeRef | None) -> None:
        live: LiveState | None = getattr(self.app, "live", None)
        if ref is None or live is None:
            return
        self.query_one(IfaceDetails).show(
            live.state, ref.kind, ref.name, live.links, self._marks(live)
        )

    def on_state_tree_iface_highlighted(self, event: StateTree.IfaceHighlighted) -> None:
        # The details pane re-lays out the screen; while the cursor is moving (a held arrow
        # key), only the tree repaints, and the details follow once it rests.
        if self._details_timer is not None:
            self._details_timer.stop()
        ref = event.ref
        self._details_timer = self.set_timer(DETAILS_DELAY_S, lambda: self._show(ref))

    def _selected_iface(self) -> str | None:
        ref = self.state_tree.selected_ref
        if ref is None or ref.kind != "iface":
            self.notify("Select an interface first", severity="warning")
            return None
        return ref.name

    def _editable(self) -> bool:
        if host_app(self).session.readonly:
            self.notify("Read-only mode: editing is off", severity="warning")
            return False
        return self.draft is not None

    def action_edit(self) -> None:
        from nmtui_state.screens.edit import EditScreen

        ref = self.state_tree.selected_ref
        if not self._editable() or self.draft is None:
            return
        if ref is not None and ref.kind == "section":
            from nmtui_state.screens.section_edit import SectionEditScreen

            self.app.push_screen(SectionEditScreen(self.draft, ref.name))
            return
        name = ref.name if ref is not None and ref.kind == "iface" else None
        section = ref.name if ref is not None and ref.kind == "section" else None
        self.app.push_screen(EditScreen(self.draft, name, section))

    def action_add_iface(self) -> None:
        from nmtui_state.screens.add_iface import AddIfaceScreen
        from nmtui_state.screens.edit import EditScreen

        if not self._editable():
            return

        def added(iface: dict[str, Any] | None) -> None:
            if iface is not None and self.draft is not None:
                if not self._draft_edit(self.draft.set_iface, iface):
                    return
                self.app.push_screen(EditScreen(self.draft, iface[k.NAME]))

        live: LiveState | None = getattr(self.app, "live", None)
        bases = [
            str(i[k.NAME])
            for i in (live.state.get(k.INTERFACES, []) if live else [])
            if i.get(k.TYPE) != k.LOOPBACK
        ]
        self.app.push_screen(AddIfaceScreen(bases), added)

    def _set_state(self, state: str) -> None:
        name = self._selected_iface()
        if name is None or not self._editable() or self.draft is None:
            return
        if not self._draft_edit(self.draft.set_state, name, state):
            return
        self.notify(f"draft: {name} → {state} (v to review)")
        self._status()

    def _draft_edit(self, edit: Any, *args: Any) -> bool:
        """Run one draft edit; a draft whose ``interfaces`` is broken refuses it, said here."""
        try:
            edit(*args)
        except DraftShapeError as exc:
            self.notify(f"Not changed: the draft's {exc}; fix the YAML first", severity="error")
            return False
        return True

    def action_set_down(self) -> None:
        self._set_state(k.DOWN)

    def action_remove_iface(self) -> None:
        self._set_state(k.ABSENT)

    def action_review(self) -> None:
        host_app(self).action_review()

    def action_discard_draft(self) -> None:
        host_app(self).discard_draft()

    def action_save(self) -> None:
        host_app(self).action_save()

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

    def action_help(self) -> None:
        host_app(self).action_help()

    def action_refresh(self) -> None:
        host_app(self).refresh_live()

    def action_quit_app(self) -> None:
        host_app(self).action_quit_app()
