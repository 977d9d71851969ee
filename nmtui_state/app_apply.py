"""The app's apply flow: apply inside a checkpoint, count down, then keep or roll back.

An apply is one long exchange with the host (progress lines to the screen
that asked, the countdown, the checkpoint's end, a re-read); it lives here so
that :mod:`nmtui_state.app` holds the app's wiring (start-up, refresh, draft
actions). The app's ``_apply`` worker calls :func:`apply_and_confirm`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from engine.checkpoint import Checkpoint
from engine.draft import Draft
from engine.errors import NmtuiError
from engine.restore_check import RestoreReport
from nmtui_state.messages import ApplyEnded, ApplyProgress

if TYPE_CHECKING:
    from nmtui_state.app import NmtuiStateApp
    from nmtui_state.screens.countdown import Decision


async def apply_and_confirm(
    app: NmtuiStateApp, desired: dict[str, Any], origin: Screen[Any]
) -> None:
    """Apply ``desired``, reporting to ``origin`` by messages; then the countdown decides."""
    from nmtui_state.screens.countdown import CountdownScreen

    def progress(line: str) -> None:
        origin.post_message(ApplyProgress(line))

    try:
        result = await app.session.apply(desired, app.countdown_seconds, progress)
    except NmtuiError as exc:
        app.notify(f"Apply failed and was rolled back: {exc}", severity="error", timeout=15)
        origin.post_message(ApplyEnded(ok=False, text=str(exc)))
        return
    cp = result.checkpoint
    if cp is None:
        return
    app.pending = cp
    origin.post_message(ApplyEnded(ok=True))
    lines = len(result.prepared.changes)
    screen = CountdownScreen(cp, f"{lines} change(s) applied inside checkpoint {cp.path}.")
    decision = await app.push_screen_wait(screen)
    await _finish(app, cp, decision, lines)


async def _finish(app: NmtuiStateApp, cp: Checkpoint, decision: Decision, changes: int) -> None:
    from nmtui_state.screens.countdown import Decision
    from nmtui_state.screens.main import MainScreen

    try:
        if decision == Decision.KEEP:
            await app.session.finish(cp, keep=True)
            app.last_outcome = f"Kept: {changes} change(s) committed."
            live = await app.session.read()
            app.draft = Draft(current=live.state)
        elif decision == Decision.REVERT:
            report = await app.session.finish(cp, keep=False)
            app.last_outcome = _verdict("Reverted at your request", report)
        elif (report := await app.session.expired(cp)) is not None:
            app.last_outcome = _verdict(
                f"No answer within {cp.timeout} s: NetworkManager rolled the change back",
                report,
            )
        else:
            app.last_outcome = (
                f"No answer within {cp.timeout} s, but checkpoint {cp.path} is still "
                "pending: roll it back with nmtui-state rollback " + cp.number
            )
    except NmtuiError as exc:
        app.last_outcome = f"Could not finish checkpoint {cp.path}: {exc}"
    finally:
        app.pending = None
    app.notify(app.last_outcome, timeout=10)
    while not isinstance(app.screen, MainScreen) and len(app.screen_stack) > 1:
        app.pop_screen()
    app.live = await app.session.read()


def _verdict(what: str, report: RestoreReport | None) -> str:
    """The outcome line of a rollback: "restored" only when a re-read says so."""
    if report is None:
        return f"{what} (not checked)."
    return report.format(what)
