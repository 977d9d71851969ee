"""The nmtui-state Textual app: live tree, editing, review, apply with a countdown."""

from __future__ import annotations

import argparse
from typing import Any

from textual import work
from textual.app import App
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input, TextArea

from engine.show import LiveState
from nmtui_state.actions import bindings
from nmtui_state.messages import HostChanged
from nmtui_state.session import Session

DEBOUNCE_S = 0.3
FALLBACK_REFRESH_S = 10.0  # kernel-only changes send no NM signal


class NmtuiStateApp(App[int]):
    """Declarative host networking in a terminal."""

    TITLE = "nmtui-state"
    CSS_PATH = "styles/app.tcss"
    BINDINGS = bindings("quit.ctrl", "help")
    ENABLE_COMMAND_PALETTE = True

    live: reactive[LiveState | None] = reactive(None, always_update=True)

    def __init__(
        self,
        session: Session | None = None,
        draft_file: str | None = None,
        countdown: int = 60,
        watch_host: bool = True,
    ) -> None:
        super().__init__()
        self.session = session or Session()
        self.draft_file = draft_file
        self.countdown_seconds = countdown
        self.watch_host = watch_host
        self._debounce: Timer | None = None
        self._refresh_pending = False

    def on_mount(self) -> None:
        from nmtui_state.screens.main import MainScreen

        if self.session.readonly:
            self.sub_title = "read-only"
        self.push_screen(MainScreen())
        self.refresh_live()
        if self.watch_host:
            self.start_watching()
            self.set_interval(FALLBACK_REFRESH_S, self.request_refresh)

    @work(exclusive=True, group="read", exit_on_error=False)
    async def refresh_live(self) -> None:
        """Re-read the host (NM + netlink) and publish it as ``live``."""
        self.live = await self.session.read()

    @work(group="watch", exit_on_error=False)
    async def start_watching(self) -> None:
        def changed() -> None:
            self.post_message(HostChanged())

        await self.session.watch(changed)

    def on_host_changed(self, _: HostChanged) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_S, self.request_refresh)

    def _typing(self) -> bool:
        return isinstance(self.focused, Input | TextArea)

    def request_refresh(self) -> None:
        """Refresh now, unless the user is typing in a field: then when they stop."""
        if self._typing():
            self._refresh_pending = True
            self.set_timer(1.0, self.request_refresh)
            return
        self._refresh_pending = False
        self.refresh_live()

    def action_help(self) -> None:
        from nmtui_state.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        self.session.close()


def run(args: argparse.Namespace) -> int:
    """Entry point of ``nmtui-state [FILE]``."""
    session = Session(readonly=bool(getattr(args, "readonly", False)))
    app = NmtuiStateApp(
        session,
        draft_file=getattr(args, "file", None),
        countdown=int(getattr(args, "countdown", 60)),
    )
    result: Any = app.run()
    return int(result or 0)
