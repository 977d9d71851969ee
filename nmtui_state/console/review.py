"""The diff of what the set-up will change, its problems, and the apply itself.

The review is the engine's (validate, merge, diff against a fresh read), so
what is shown is exactly what the apply will do. Apply stays refused while
a problem stands. A failed apply has already been rolled back by the
engine; the screen says why and stays, so the admin can go back and fix.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from engine.errors import InvalidInput, NmtuiError
from nmtui_state.console.base import ConsoleScreen
from nmtui_state.console.flow import Pending
from nmtui_state.console.text import ascii_only

if TYPE_CHECKING:
    from engine.apply import Prepared

Reviewer = Callable[[dict[str, Any]], Awaitable["Prepared"]]
Applier = Callable[[dict[str, Any]], Awaitable[Pending]]
REVIEW_CSS = """
ReviewScreen VerticalScroll { height: 1fr; scrollbar-size: 0 0; margin-bottom: 3; }
"""


def review_text(prepared: Prepared) -> str:
    from engine.diff import summary

    lines = ["Changes (+ added, - removed, ~ changed):"]
    marks = {"add": "+", "remove": "-", "modify": "~"}
    for change in prepared.changes:
        for line in summary([change]):
            lines.append(f"  {marks.get(change.kind, '~')} {line}")
    if not prepared.changes:
        lines.append("  none: the host already looks like this")
    lines += [f"  warning: {w}" for w in prepared.warnings]
    return ascii_only("\n".join(lines))


class ReviewScreen(ConsoleScreen[Pending | None]):
    """Dismisses with the pending change once applied, or None to go back."""

    KEYS_TEXT = "Enter apply  PgUp/PgDn scroll  Esc back"
    DEFAULT_CSS = REVIEW_CSS
    BINDINGS = [
        Binding("escape", "back", "back", show=False),
        Binding("enter,a", "apply", "apply", show=False),
        Binding("pagedown,space", "scroll(1)", "down", show=False),
        Binding("pageup,b", "scroll(-1)", "up", show=False),
    ]

    def __init__(self, desired: dict[str, Any], reviewer: Reviewer, applier: Applier) -> None:
        super().__init__()
        self.desired, self.reviewer, self.applier = desired, reviewer, applier
        self.prepared: Prepared | None = None
        self.busy = False

    def body(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Checking against the host ...", id="review", markup=False)

    def on_mount(self) -> None:
        self.set_title("nmtui-state set-up console: review")
        self.run_review()

    @work(exclusive=True, group="console-review", exit_on_error=False)
    async def run_review(self) -> None:
        view = self.query_one("#review", Static)
        try:
            self.prepared = await self.reviewer(self.desired)
        except InvalidInput as exc:
            lines = ["Problems (nothing was touched):"]
            lines += [f"  {p.format()}" for p in exc.problems if p.is_error]
            view.update(ascii_only("\n".join(lines)))
            self.say("Fix these first: Esc goes back to the form.")
            return
        except NmtuiError as exc:
            view.update(ascii_only(f"Cannot review: {exc}"))
            return
        view.update(review_text(self.prepared))
        self.say("Enter applies, with a countdown to keep or revert.")

    def action_scroll(self, pages: int) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_to(y=scroll.scroll_y + pages * max(1, scroll.size.height - 1), animate=False)

    def action_apply(self) -> None:
        if self.prepared is None or self.busy:
            return
        self.busy = True
        self.say("Applying inside a NetworkManager checkpoint ...")
        self.run_apply()

    @work(exclusive=True, group="console-apply", exit_on_error=False)
    async def run_apply(self) -> None:
        try:
            pending = await self.applier(self.desired)
        except NmtuiError as exc:
            self.busy = False
            self.query_one("#review", Static).update(ascii_only(f"Apply failed:\n{exc}"))
            report = getattr(exc, "report", None)
            if report is not None and report.restored:
                self.say("Checked: the host is back as it was. Esc goes back to the form.")
            else:
                self.say("Rolled back; see above for what differs. Esc goes back to the form.")
            return
        self.dismiss(pending)

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)
