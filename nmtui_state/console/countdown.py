"""Keep or revert, against NetworkManager's own rollback deadline, in plain text.

Once a second only the seconds line changes, so a 9600-baud line carries a
few bytes per tick. At 0 NetworkManager has rolled back by itself (the
checkpoint's timer runs in the daemon, whatever happens to this console).
"""

from __future__ import annotations

from enum import Enum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from nmtui_state.console.base import ConsoleScreen
from nmtui_state.console.flow import Pending

ARM_DELAY_S = 0.5  # keys typed ahead (Enter of the review) must not answer this screen


class Decision(Enum):
    KEEP = "keep"
    REVERT = "revert"
    TIMEOUT = "timeout"


class CountdownScreen(ConsoleScreen[Decision]):
    """Enter or y keeps, Esc or n reverts, silence lets NetworkManager revert."""

    KEYS_TEXT = "(keys in a moment)"
    ARMED_KEYS = "Enter/y KEEP   Esc/n REVERT"
    BINDINGS = [
        Binding("enter,y", "keep", "keep", show=False),
        Binding("escape,n", "revert", "revert", show=False),
    ]

    def __init__(self, pending: Pending, total: int) -> None:
        super().__init__()
        self.pending, self.total = pending, total
        self.armed = False

    def body(self) -> ComposeResult:
        changes = len(self.pending.result.prepared.changes)
        yield Static(f"Applied {changes} change(s).", markup=False)
        yield Static("", classes="gap")
        yield Static("Is the network working? Keep it, or revert to how it was.", markup=False)
        yield Static("", classes="gap")
        yield Static("", id="seconds", markup=False)

    def on_mount(self) -> None:
        self.set_title("nmtui-state set-up console: keep or revert?")
        self.tick()
        self.set_interval(1.0, self.tick)
        self.set_timer(ARM_DELAY_S, self.arm)

    def arm(self) -> None:
        """From now on keys answer; the key line says so (a typed-ahead Enter did not count)."""
        self.armed = True
        self.query_one("#keys", Static).update(self.ARMED_KEYS)

    @property
    def remaining(self) -> int:
        return self.pending.seconds_left()

    def tick(self) -> None:
        left = self.remaining
        self.query_one("#seconds", Static).update(
            f"NetworkManager reverts by itself in {left:3d} s unless you keep it."
        )
        if left <= 0 and self.is_current:
            self.dismiss(Decision.TIMEOUT)

    def action_keep(self) -> None:
        if self.armed:
            self.dismiss(Decision.KEEP)

    def action_revert(self) -> None:
        if self.armed:
            self.dismiss(Decision.REVERT)
