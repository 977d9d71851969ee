"""The YAML editor of the draft: a TextArea that reports parsed states.

Parsing is debounced so typing stays smooth; a parse error is reported as
a Problem with its line, and the last good state is kept by the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea

from engine import yamlio
from engine.errors import InvalidInput, Problem

PARSE_DELAY_S = 0.3


class YamlEditor(TextArea):
    """``TextArea.code_editor`` for YAML that posts Parsed after edits settle."""

    DEFAULT_CSS = """
    YamlEditor { height: 1fr; }
    """

    @dataclass
    class Parsed(Message):
        """The text parsed (``state`` set) or failed (``problem`` set)."""

        editor: YamlEditor
        state: dict[str, Any] | None
        problem: Problem | None

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(
            text,
            language="yaml",
            id=id,
            show_line_numbers=True,
            tab_behavior="indent",
            soft_wrap=False,
        )
        self.indent_width = 2
        self._timer: Timer | None = None
        self._quiet = False

    def set_text_quietly(self, text: str) -> None:
        """Replace the text (from a form edit) without echoing a Parsed back."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if text == self.text:
            return
        self._quiet = True
        row = self.cursor_location[0]
        # One edit, not load_text: the editor's own undo (Ctrl+Z in it) can bring back
        # what was there before, and its history of typing is kept.
        self.replace(text, (0, 0), self.document.end, maintain_selection_offset=False)
        self.cursor_location = (min(row, self.document.line_count - 1), 0)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._quiet:
            self._quiet = False
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PARSE_DELAY_S, self.parse_now)

    @property
    def pending(self) -> bool:
        """Typed text that has not been parsed (and reported) yet."""
        return self._timer is not None

    def parse(self) -> tuple[dict[str, Any] | None, Problem | None]:
        """The text as a state, or why it does not parse (synchronous, posts nothing)."""
        try:
            return yamlio.loads(self.text, "draft"), None
        except InvalidInput as exc:
            return None, exc.problems[0] if exc.problems else Problem("", "cannot parse YAML")

    def parse_now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        state, problem = self.parse()
        self.post_message(self.Parsed(self, state, problem))

    def goto_line(self, line: int) -> None:
        """Put the cursor on 1-based ``line`` and focus."""
        self.cursor_location = (max(0, line - 1), 0)
        self.scroll_cursor_visible(center=True)
        self.focus()
