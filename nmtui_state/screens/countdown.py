"""The confirmation countdown after an apply: keep the change, or let it be reverted.

The deadline shown is NetworkManager's own (the checkpoint's creation time
plus its rollback timeout, on CLOCK_BOOTTIME), so the number on screen is
the time the daemon will actually roll back, whatever happens to this
process or the SSH session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from nmtui_state.actions import bindings
from widgets.countdown import Countdown

ARM_DELAY_S = 0.5  # keys typed before the modal appeared must not answer it


class Decision(Enum):
    KEEP = "keep"
    REVERT = "revert"
    TIMEOUT = "timeout"


def boottime_ms() -> int:
    return int(time.clock_gettime(time.CLOCK_BOOTTIME) * 1000)


class CountdownScreen(ModalScreen[Decision]):
    """Keep (Enter, y) or Revert (Esc, n); at 0 the answer is TIMEOUT and NM has rolled back."""

    BINDINGS = bindings("keep", "keep.y", "revert", "revert.n")
    DEFAULT_CSS = """
    CountdownScreen { align: center middle; }
    #countdown-box { width: 60; height: auto; border: thick $warning; background: $surface;
                     padding: 1 2; }
    #countdown-box Horizontal { height: auto; align: center middle; }
    #countdown-box Button { margin: 1 2 0 2; }
    """

    def __init__(self, deadline_ms: Callable[[], int], total: int, summary: str = "") -> None:
        super().__init__()
        self._deadline_ms = deadline_ms
        self._total = total
        self._summary = summary
        self._armed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="countdown-box"):
            yield Static("[b]Applied.[/] Is the host still reachable and working?")
            if self._summary:
                yield Static(self._summary, id="countdown-summary")
            yield Countdown(id="countdown")
            with Horizontal():
                yield Button("Keep (Enter)", id="keep", variant="success")
                yield Button("Revert (Esc)", id="revert", variant="error")

    def on_mount(self) -> None:
        countdown = self.query_one(Countdown)
        countdown.total = self._total
        self._tick()
        self.set_interval(0.2, self._tick)
        self.set_timer(ARM_DELAY_S, self._arm)

    def _arm(self) -> None:
        self._armed = True

    @property
    def remaining(self) -> int:
        return max(0, -(-(self._deadline_ms() - boottime_ms()) // 1000))

    def _tick(self) -> None:
        left = self.remaining
        self.query_one(Countdown).remaining = left
        if left <= 0 and self.is_current:
            self.dismiss(Decision.TIMEOUT)

    def action_keep(self) -> None:
        if self._armed:
            self.dismiss(Decision.KEEP)

    def action_revert(self) -> None:
        if self._armed:
            self.dismiss(Decision.REVERT)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "keep":
            self.action_keep()
        else:
            self.action_revert()
