"""Review screen: the per-property diff, the problems, and what NetworkManager will do.

Apply stays disabled while any problem stands. Changes that touch the
interface or route carrying the current SSH session are called out, and if
the host changed since the draft was started (drift) the screen says what
changed and offers to rebase the draft.
"""

from __future__ import annotations

import os

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from engine.apply import Prepared
from engine.diff import diff, summary
from engine.draft import Draft
from engine.errors import InvalidInput, NmtuiError
from engine.ssh_guard import ssh_warnings
from engine.textsafe import printable
from nmtui_state.actions import bindings
from nmtui_state.messages import ApplyEnded, ApplyProgress, ApplyRequested
from nmtui_state.screens.host_app import host_app
from widgets.diff_view import DiffView
from widgets.problem_list import ProblemList


class ReviewScreen(Screen[None]):
    """What will change, property by property; Apply hands over to the countdown."""

    BINDINGS = bindings("review.back", "apply", "unified")

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft
        self.prepared: Prepared | None = None
        self.unified = False
        self.live_state: dict[str, object] | None = None
        self.progress_lines: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review"):
            yield Static("[b]Changes[/]", classes="section-title")
            yield DiffView("checking...", id="diff")
            yield Static("", id="effects")
            yield Static("[b]NetworkManager will[/]", classes="section-title")
            yield Static("", id="plan")
            yield Static("", id="warnings")
            yield ProblemList(id="problems")  # titled by its own border: "Problems (N)"
            yield Static("", id="progress")
        with Horizontal(id="review-buttons"):
            yield Button("Apply (Ctrl+A)", id="apply", variant="warning", disabled=True)
            yield Button("Rebase draft", id="rebase", disabled=True)
            yield Button("Back (Esc)", id="back")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rebase", Button).display = False
        self.run_review()

    @work(exclusive=True, group="review", exit_on_error=False)
    async def run_review(self) -> None:
        session = host_app(self).session
        problems = self.query_one(ProblemList)
        try:
            prepared, live = await session.review(self.draft.desired)
        except InvalidInput as exc:
            problems.set_problems(exc.problems)
            self.query_one(DiffView).update(Text("not computed while problems stand", style="dim"))
            self._set_apply(False)
            return
        except NmtuiError as exc:
            self.query_one(DiffView).update(Text(printable(str(exc)), style="red"))
            problems.set_problems([])
            self._set_apply(False)
            return
        self.prepared = prepared
        self.live_state = live.state
        problems.set_problems([])
        self._show(prepared, self.live_state)

    def _show(self, prepared: Prepared, live: dict[str, object]) -> None:
        self.query_one(DiffView).show_changes(
            prepared.changes, prepared.current, prepared.merged, unified_too=self.unified
        )
        effects = self.query_one("#effects", Static)
        effects.display = bool(prepared.effects)
        effects.update(
            Text(
                printable(
                    "\n".join(
                        [
                            "Implied by these changes:",
                            *(f"  {e.format()}" for e in prepared.effects),
                        ]
                    )
                )
            )
        )
        plan_lines = prepared.plan.describe() or ["nothing"]
        self.query_one("#plan", Static).update(
            Text(printable("\n".join(f"- {line}" for line in plan_lines)))
        )
        warnings = [f"! {w}" for w in prepared.warnings]
        warnings += [
            f"! SSH: {w}"
            for w in ssh_warnings(prepared.changes, live, os.environ.get("SSH_CONNECTION"))
        ]
        drift = diff(self.draft.current, live) if self.draft.current else []
        if drift:
            warnings.append("! The host changed since this draft was started:")
            warnings += [f"    {line}" for line in summary(drift)[:10]]
        rebase = self.query_one("#rebase", Button)
        rebase.disabled = not drift
        rebase.display = bool(drift)  # offered only when the host drifted
        self.query_one("#warnings", Static).update(
            Text(printable("\n".join(warnings)), style="yellow")
        )
        readonly = host_app(self).session.readonly
        self._set_apply(bool(prepared.changes or prepared.plan.steps) and not readonly)

    def _set_apply(self, enabled: bool) -> None:
        self.query_one("#apply", Button).disabled = not enabled

    def on_apply_progress(self, message: ApplyProgress) -> None:
        self.progress_lines.append(message.line)
        self.query_one("#progress", Static).update("\n".join(self.progress_lines))

    def on_apply_ended(self, message: ApplyEnded) -> None:
        """A failed apply was rolled back: say so and review the draft against the host again."""
        if not message.ok:
            self.on_apply_progress(ApplyProgress(f"✗ {message.text}"))
            self.run_review()

    def action_toggle_unified(self) -> None:
        self.unified = not self.unified
        if self.prepared is not None:
            self.query_one(DiffView).show_changes(
                self.prepared.changes,
                self.prepared.current,
                self.prepared.merged,
                unified_too=self.unified,
            )

    def action_apply(self) -> None:
        if self.prepared is None or self.query_one("#apply", Button).disabled:
            self.notify("Nothing to apply while problems stand", severity="warning")
            return
        self._set_apply(False)
        self.post_message(ApplyRequested(self.draft.desired))

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "back":
            self.action_back()
        elif event.button.id == "rebase" and self.live_state is not None:
            self.draft.rebase(self.live_state)
            self.notify("Draft rebased on the host's current state")
            self.run_review()
