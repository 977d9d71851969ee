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
        if text == self.text:
            return
        self._quiet = True
        row = self.cursor_location[0]
        self.load_text(text)
        self.cursor_location = (min(row, self.document.line_count - 1), 0)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._quiet:
            self._quiet = False
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PARSE_DELAY_S, self.parse_now)

    def parse_now(self) -> None:
        try:
            state = yamlio.loads(self.text, "draft")
        except InvalidInput as exc:
            self.post_message(self.Parsed(self, None, exc.problems[0] if exc.problems else None))
            return
        self.post_message(self.Parsed(self, state, None))

    def goto_line(self, line: int) -> None:
        """Put the cursor on 1-based ``line`` and focus."""
        self.cursor_location = (max(0, line - 1), 0)
        self.scroll_cursor_visible(center=True)
        self.focus()
