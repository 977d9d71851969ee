"""The nmtui-state Textual app: live tree, editing, review, apply with a countdown."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from collections.abc import Iterable
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, TextArea

from engine import yamlio
from engine.checkpoint import Checkpoint
from engine.draft import Draft
from engine.errors import NmtuiError
from engine.show import LiveState
from engine.textsafe import printable
from nmtui_state import draft_file, vt_look
from nmtui_state.actions import bindings
from nmtui_state.app_apply import apply_and_confirm
from nmtui_state.messages import ApplyRequested, HostChanged
from nmtui_state.session import Session

DEBOUNCE_S = 0.3
FALLBACK_REFRESH_S = 10.0  # kernel-only changes send no NM signal
TEACH_MIN_HEIGHT = 32  # lines: below this, teaching mode starts off


class NmtuiStateApp(App[int]):
    """Declarative host networking in a terminal."""

    TITLE = "nmtui-state"
    CSS_PATH = "styles/app.tcss"
    BINDINGS = bindings("quit.ctrl", "help")

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
        self._teaching: bool | None = None  # None: by the terminal's height (see teaching)
        self.vt_safe = vt_look.wanted()  # TERM=linux, vt220 ...: draw what a VT font has
        self.draft: Draft | None = None
        self.pending: Checkpoint | None = None
        self.last_outcome = ""
        # YAML typed in the edit screen that does not parse yet: a crash saves it too.
        self.unparsed_yaml: str | None = None
        self._debounce: Timer | None = None

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast, escaped: messages carry host text (names, NM's errors), so no
        control characters reach the terminal and no ``[...]`` is read as markup."""
        super().notify(
            printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    @property
    def teaching(self) -> bool:
        """Teaching mode (the YAML of each form edit under the form).

        Until the user toggles it (Ctrl+T), it is on only in a terminal tall
        enough to show it beside the form: at 24 lines its 7 lines pushed the
        field being typed off the screen.
        """
        if self._teaching is not None:
            return self._teaching
        return self.size.height >= TEACH_MIN_HEIGHT

    @teaching.setter
    def teaching(self, on: bool) -> None:
        self._teaching = on

    # -- start-up and live refresh ------------------------------------------------

    def on_mount(self) -> None:
        from nmtui_state.screens.main import MainScreen

        if self.session.readonly:
            self.sub_title = "read-only"
        vt_look.apply(self, self.vt_safe)
        if self.vt_safe:
            self.screen_change_signal.subscribe(
                self, lambda screen: self.call_after_refresh(vt_look.fix_screen, screen)
            )
        self._install_signal_handlers()
        self.push_screen(MainScreen())
        self.refresh_live()
        if self.watch_host:
            self.start_watching()
            self.set_interval(FALLBACK_REFRESH_S, self.request_refresh)

    @work(exclusive=True, group="read", exit_on_error=False)
    async def refresh_live(self) -> None:
        """Re-read the host (NM + netlink) and publish it as ``live``."""
        live = await self.session.read()
        if self.draft is None:
            self.draft = Draft(current=live.state, desired=self._initial_draft())
        self.live = live

    def _initial_draft(self) -> dict[str, Any]:
        if not self.draft_file:
            return {}
        try:
            return yamlio.load_file(self.draft_file)
        except NmtuiError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return {}

    @work(group="watch", exit_on_error=False)
    async def start_watching(self) -> None:
        def changed() -> None:
            self.post_message(HostChanged())

        await self.session.watch(changed)

    def on_host_changed(self, _: HostChanged) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_S, self.request_refresh)

    def request_refresh(self) -> None:
        """Refresh now, unless the user is typing in a field: then once they stop."""
        if not self.is_running or not self.screen_stack:
            return  # a timer that fired while the app shuts down
        if isinstance(self.focused, Input | TextArea):
            self.set_timer(1.0, self.request_refresh)
            return
        self.refresh_live()

    # -- draft actions (called by screens) ----------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Our actions in the command palette (Ctrl+P), next to Textual's own."""
        yield from super().get_system_commands(screen)
        main = self._main_screen()
        if main is not None and not self.session.readonly:
            yield SystemCommand(
                "Edit interface", "Edit the selected interface (e)", main.action_edit
            )
            yield SystemCommand(
                "Add interface", "Create a new interface (a)", main.action_add_iface
            )
            yield SystemCommand("Review draft", "Diff, problems and plan (v)", self.action_review)
        yield SystemCommand(
            "Save draft", "Write the draft as nmstate YAML (Ctrl+S)", self.action_save
        )
        yield SystemCommand(
            "Export draft as...", "Write the draft to another file", self.action_export
        )
        if main is not None and not self.session.readonly:
            yield SystemCommand(
                "Discard draft", "Forget every edit of the draft (D)", self.discard_draft
            )
        toggle_wrap = getattr(screen, "action_toggle_wrap", None)
        if toggle_wrap is not None:  # the edit screen's YAML pane
            yield SystemCommand("Wrap YAML lines", "Soft wrap on or off (Alt+Z)", toggle_wrap)
        yield SystemCommand("Refresh", "Re-read the host now (r)", self.refresh_live)
        # Not "Keys": Textual's own palette entry has that name (its key panel).
        yield SystemCommand("Help", "Every key binding, by screen (?)", self.action_help)

    def _main_screen(self) -> Any:
        from nmtui_state.screens.main import MainScreen

        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def action_help(self) -> None:
        from nmtui_state.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_review(self) -> None:
        from nmtui_state.screens.review import ReviewScreen

        if self.draft is None or self.draft.empty:
            self.notify("The draft is empty: edit an interface first (e)", severity="warning")
            return
        self.push_screen(ReviewScreen(self.draft))

    def action_save(self) -> None:
        """Save to the draft's file; a draft without one asks where (never the cwd silently)."""
        from nmtui_state.screens.path_prompt import PathScreen

        if self.draft is None:
            return
        if self.draft_file:
            self._save_to(self.draft_file)
            return

        def chosen(path: str | None) -> None:
            if path:
                self._save_to(path)

        self.push_screen(
            PathScreen("Save the draft (nmstate YAML) to:", draft_file.default_path()), chosen
        )

    def _save_to(self, path: str) -> None:
        if self.draft is None:
            return
        try:
            said = draft_file.write(self.draft, path)
        except OSError as exc:
            self.notify(f"cannot write {path}: {exc.strerror or exc}", severity="error")
            return
        self.draft.mark_saved()
        self.draft_file = path
        self.notify(f"Draft saved to {said}")

    def action_export(self) -> None:
        """Write the draft to a file of the user's choosing (it stays tied to its own file)."""
        from nmtui_state.screens.path_prompt import PathScreen

        if self.draft is None:
            return
        draft = self.draft

        def write(path: str | None) -> None:
            if not path:
                return
            try:
                said = draft_file.write(draft, path)
            except OSError as exc:
                self.notify(f"cannot write {path}: {exc.strerror or exc}", severity="error")
                return
            self.notify(f"Draft exported to {said}")

        self.push_screen(
            PathScreen("Export the draft (nmstate YAML) to:", "draft-export.yml"), write
        )

    def discard_draft(self) -> None:
        """Start over from the host as it is now (asks first when the draft holds edits)."""
        from nmtui_state.screens.confirm import ConfirmScreen

        draft = self.draft
        if draft is None or self.live is None:
            return
        live = self.live

        def answer(yes: bool | None) -> None:
            if yes:
                self.draft = Draft(current=live.state)
                self.unparsed_yaml = None
                self.notify("Draft discarded: nothing is changed on the host")
                self.live = live  # redraw the tree and status without the draft's marks

        if draft.empty:
            self.notify("The draft is already empty")
            return
        names = ", ".join(str(i.get("name")) for i in draft.interfaces()) or "global settings"
        self.push_screen(
            ConfirmScreen(f"Discard the draft ({names})? The host is not touched."), answer
        )

    def action_quit_app(self) -> None:
        from nmtui_state.screens.confirm import ConfirmScreen

        reasons = []
        if self.pending is not None:
            reasons.append("a change is waiting for confirmation (quitting rolls it back)")
        if self.draft is not None and self.draft.dirty:
            reasons.append("the draft has unsaved edits")
        if not reasons:
            self.exit(0)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.shutdown()

        self.push_screen(ConfirmScreen("Quit? " + "; ".join(reasons) + "."), answer)

    @work(group="shutdown", exit_on_error=False)
    async def shutdown(self, signalled: bool = False) -> None:
        """Exit, rolling back a pending checkpoint first (then, after a signal, for sure)."""
        if self.pending is not None:
            with contextlib.suppress(NmtuiError):
                await self.session.finish(self.pending, keep=False)
            self.pending = None
        if signalled:
            from nmtui_state.hangup import exit_soon

            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.remove_signal_handler(signum)
            exit_soon()
        self.exit(0)

    # -- apply and countdown --------------------------------------------------------

    def on_apply_requested(self, message: ApplyRequested) -> None:
        """A screen asked for an apply: run it, reporting back to that screen by messages."""
        self._apply(message.desired, self.screen)

    @work(exclusive=True, group="apply", exit_on_error=False)
    async def _apply(self, desired: dict[str, Any], origin: Screen[Any]) -> None:
        await apply_and_confirm(self, desired, origin)

    # -- signals ---------------------------------------------------------------------

    def _install_signal_handlers(self) -> None:
        """SIGHUP (SSH dropped) and SIGTERM roll a pending checkpoint back, then exit.

        Textual installs no SIGHUP handler; without one the process would die
        and leave NM's timer as the only safety net.
        """
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, self._on_hangup)

    def _on_hangup(self) -> None:
        self.shutdown(signalled=True)

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
    try:
        result: Any = run_app(app)
    finally:
        from nmtui_state.hangup import app_done

        app_done()
    return int(result or 0)


def run_app(app: NmtuiStateApp, **run_kwargs: Any) -> Any:
    """``app.run()``; if it stops on an internal error, the draft is saved and its path said."""
    from nmtui_state.crash import run_guarded

    return run_guarded(
        lambda: app.run(**run_kwargs),
        lambda: app.return_code,
        lambda: app.draft,
        lambda: app.unparsed_yaml,
    )
