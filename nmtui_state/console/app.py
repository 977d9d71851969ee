"""The set-up console app: NIC, mode, form, review, apply with countdown, keep writes the file.

The steps run as one worker that pushes each screen and waits for its
answer, so the path through the screens reads top to bottom here. A state
file the boot service left behind (it failed) is offered first, as the
draft. Keep commits the checkpoint and writes what was applied as an
``.applied`` state file, so the host's configuration is on disk in the
same format the service reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, ComposeResult
from textual.widgets import Static

from engine.errors import NmtuiError
from nmtui_state.console import base, flow
from nmtui_state.console.countdown import CountdownScreen, Decision
from nmtui_state.console.text import ascii_only


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Write ``state`` as nmstate YAML to ``path`` atomically (parents made as needed)."""
    from engine import yamlio

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(yamlio.dumps(state), encoding="utf-8")
    os.replace(tmp, path)


class ConsoleApp(App[int]):
    """``nmtui-state console``: first-boot network set-up on a serial line or VT."""

    CSS = base.CSS
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        host: flow.Host,
        config_dir: Path,
        output: Path,
        status_path: Path | None,
        countdown: int = 60,
    ) -> None:
        # The terminal's own colours: no colour codes on the line, the theme does not matter.
        from nmtui_state.console.line import SlowLineDriver

        super().__init__(ansi_color=True, driver_class=SlowLineDriver)
        self.host, self.config_dir, self.output = host, config_dir, output
        self.status_path, self.countdown = status_path, countdown
        self.pending: flow.Pending | None = None
        self.outcome = ""

    def compose(self) -> ComposeResult:
        yield Static("nmtui-state set-up console: reading the network ...", id="loading")

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, self.hang_up)
        self.steps()

    def hang_up(self) -> None:
        """The line dropped or systemd stops us: undo a pending change now, then go."""
        self.leave()

    @work(group="console-leave", exit_on_error=False)
    async def leave(self) -> None:
        if self.pending is not None:
            with contextlib.suppress(NmtuiError):
                await flow.finish(self.host, self.pending, keep=False)
            self.pending = None
        self.exit(0)

    async def reviewer(self, desired: dict[str, Any]) -> Any:
        return await flow.review(self.host, desired)

    async def applier(self, desired: dict[str, Any]) -> flow.Pending:
        self.pending = await flow.apply_pending(self.host, desired, self.countdown)
        return self.pending

    async def apply_and_confirm(self, desired: dict[str, Any]) -> bool | None:
        """Review, apply, countdown; True kept, False reverted, None went back before applying."""
        from nmtui_state.console.review import ReviewScreen

        pending = await self.push_screen_wait(ReviewScreen(desired, self.reviewer, self.applier))
        if pending is None:
            return None
        decision = await self.push_screen_wait(CountdownScreen(pending, self.countdown))
        try:
            if decision == Decision.KEEP:
                await flow.finish(self.host, pending, keep=True)
                return True
            if decision == Decision.REVERT:
                report = await flow.finish(self.host, pending, keep=False)
                self.outcome = flow.verdict("Reverted", report)
            else:
                report = await flow.expired(self.host, pending)
                self.outcome = flow.verdict("No answer in time: NetworkManager reverted", report)
        except NmtuiError as exc:
            self.outcome = f"Could not finish the change: {exc}"
        finally:
            self.pending = None
        return False

    @work(exclusive=True, group="console-steps", exit_on_error=False)
    async def steps(self) -> None:
        from engine.firstboot import read_host, reasons_for
        from engine.service import failed_files, read_status

        status = read_status(self.status_path) if self.status_path else None
        view = await read_host(self.host.bus_address, self.host.netns)
        why = reasons_for(view.state, self.config_dir, self.status_path)
        failed = failed_files(self.config_dir, status)
        if failed and failed[0][0].is_file():
            if not await self.failed_file(failed[0][0], failed[0][1], view.state):
                self.exit(0)
                return
            view = await read_host(self.host.bus_address, self.host.netns)
        await self.setup_loop(view, why)

    async def failed_file(self, path: Path, why: str, current: dict[str, Any]) -> bool:
        """Offer the failed file as the draft; False when the admin quits."""
        from engine.service import applied_path
        from nmtui_state.console.draft import DraftScreen

        while True:
            screen = DraftScreen(path, why, current)
            choice = await self.push_screen_wait(screen)
            if choice != "apply" or screen.state is None:
                return choice == "new"
            kept = await self.apply_and_confirm(screen.state)
            if kept:
                os.replace(path, applied_path(path))
                self.outcome = f"Kept; {path.name} is now {applied_path(path).name}."
                return True

    async def setup_loop(self, view: Any, why: list[str]) -> None:
        from engine.firstboot import read_host
        from nmtui_state.console.form import FormScreen
        from nmtui_state.console.model import Setup, desired, prefill
        from nmtui_state.console.pick import ModeScreen, NicScreen

        while True:
            hostname = str((view.state.get("hostname") or {}).get("config") or "")
            nics = NicScreen(view.nics, why, hostname)
            if self.outcome:
                nics.call_after_refresh(nics.say, self.outcome)
            nic = await self.push_screen_wait(nics)
            if nic is None:
                self.exit(0)
                return
            mode = await self.push_screen_wait(ModeScreen(nic))
            if mode is None:
                continue
            setup = Setup(uplink=nic.name, mode=mode)
            setup = prefill(setup, view.state) if mode == "static" else setup
            filled = await self.push_screen_wait(FormScreen(setup))
            if filled is None:
                continue
            wanted = desired(filled)
            kept = await self.apply_and_confirm(wanted)
            if kept:
                try:
                    write_state(self.output, wanted)
                    self.outcome = f"Kept; written to {self.output}. q quits."
                except OSError as exc:
                    self.outcome = ascii_only(f"Kept, but {self.output} not written: {exc}")
                view = await read_host(self.host.bus_address, self.host.netns)
                why = []
