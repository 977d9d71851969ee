"""A state file the first-boot service could not apply, opened as the draft with its problems.

Shows why the service failed (its log line, from the status it left in
/run), what validation says about the file now, and the file itself. The
admin can edit it in $EDITOR, apply it as it stands (through the review and
countdown), or leave it and set the uplink up from the form instead.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from engine.errors import InvalidInput
from nmtui_state.console.base import ConsoleScreen
from nmtui_state.console.text import ascii_only

DRAFT_CSS = "DraftScreen VerticalScroll { height: 1fr; scrollbar-size: 0 0; margin-bottom: 3; }"


def load_draft(path: Path, current: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """(the file's state or None when it does not parse, its problems as lines)."""
    from engine import yamlio
    from engine.validate import validate

    try:
        text, source = yamlio.read_text(path)
        state = yamlio.loads(text, source)
    except InvalidInput as exc:
        return None, [p.format() for p in exc.problems]
    problems = yamlio.attach_lines(validate(state, current), text, source)
    return state, [p.format() for p in problems]


class DraftScreen(ConsoleScreen[str | None]):
    """Dismisses with ``apply`` (this file), ``new`` (the form instead) or None (quit)."""

    KEYS_TEXT = "a apply this file  e edit  n set up from scratch  q quit  PgDn more"
    DEFAULT_CSS = DRAFT_CSS
    BINDINGS = [
        Binding("a", "choose('apply')", "apply", show=False),
        Binding("n", "choose('new')", "new", show=False),
        Binding("q", "choose('')", "quit", show=False),
        Binding("e", "edit", "edit", show=False),
        Binding("pagedown,space", "scroll(1)", "down", show=False),
        Binding("pageup,b", "scroll(-1)", "up", show=False),
    ]

    def __init__(self, path: Path, why: str, current: dict[str, Any]) -> None:
        super().__init__()
        self.path, self.why, self.current = path, why, current
        self.state: dict[str, Any] | None = None

    def body(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="draft", markup=False)

    def on_mount(self) -> None:
        self.set_title(f"nmtui-state set-up console: {self.path.name} was not applied")
        self.reload()

    def reload(self) -> None:
        self.state, problems = load_draft(self.path, self.current)
        lines = [f"{self.path} failed at boot and was left in place."]
        if self.why:
            lines += ["Why:", *[f"  {line}" for line in self.why.splitlines()]]
        lines.append("Problems now:" if problems else "Problems now: none found by validation")
        lines += [f"  {p}" for p in problems]
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            text = f"(cannot read: {exc})"
        lines += ["", f"--- {self.path.name}", *text.splitlines()]
        self.query_one("#draft", Static).update(ascii_only("\n".join(lines)))

    def action_choose(self, what: str) -> None:
        if what == "apply" and self.state is None:
            self.say("The file does not parse: edit it (e) or set up from scratch (n).")
            return
        self.dismiss(what or None)

    def action_edit(self) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with self.app.suspend():
            subprocess.run([*shlex.split(editor), str(self.path)], check=False)
        self.reload()

    def action_scroll(self, pages: int) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_to(y=scroll.scroll_y + pages * max(1, scroll.size.height - 1), animate=False)
