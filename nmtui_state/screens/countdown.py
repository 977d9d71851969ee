"""The confirmation countdown after an apply: keep the change, or let it be reverted.

The number shown is what the pending :class:`~engine.checkpoint.Checkpoint`
says is left: NetworkManager's own deadline (creation time plus rollback
timeout, on CLOCK_BOOTTIME), so it is the time the daemon will actually roll
back, whatever happens to this process or the SSH session. The screen keeps
no clock of its own.
"""

from __future__ import annotations

from enum import Enum

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from engine.checkpoint import Checkpoint
from nmtui_state.actions import bindings
from widgets.countdown import Countdown

ARM_DELAY_S = 0.5  # keys typed before the modal appeared must not answer it


class Decision(Enum):
    KEEP = "keep"
    REVERT = "revert"
    TIMEOUT = "timeout"


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

    def __init__(self, checkpoint: Checkpoint, summary: str = "") -> None:
        super().__init__()
        self.checkpoint = checkpoint
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
        # Its own footer: otherwise the screen below (the review) keeps showing its keys.
        yield Footer()

    def on_mount(self) -> None:
        countdown = self.query_one(Countdown)
        countdown.total = self.checkpoint.timeout
        self._tick()
        self.set_interval(0.2, self._tick)
        self.set_timer(ARM_DELAY_S, self._arm)

    def _arm(self) -> None:
        self._armed = True

    @property
    def remaining(self) -> int:
        return self.checkpoint.seconds_left()

    def _tick(self) -> None:
        left = self.remaining
        shown = self.query(Countdown)
        if not shown:  # the screen is being torn down (app exit) between two ticks
            return
        shown.first().remaining = left
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
