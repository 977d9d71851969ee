"""The YAML editor of the draft: a TextArea that reports parsed states.

Parsing is debounced so typing stays smooth; a parse error is reported as
a Problem with its line, and the last good state is kept by the screen.
Lines that have problems carry a mark in the gutter (``✗``, in red where
there is colour), so they can be found while scrolling the text.

Long lines wrap (soft wrap, on by default): at 80x24 the YAML pane is under
40 columns, and a search list or an address cut at the pane's edge reads as
a different value. ``toggle_wrap`` turns it off for a column-exact view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Offset
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import TextArea

from engine import yamlio
from engine.errors import InvalidInput, Problem
from widgets.glyphs import glyphs

PARSE_DELAY_S = 0.3
MARK_STYLE = Style(color="red", bold=True)


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
            tab_behavior="focus",  # Tab moves on (to the problems); indent with spaces
            soft_wrap=True,
        )
        self.indent_width = 2
        self._timer: Timer | None = None
        self._quiet = False
        self.problem_lines: frozenset[int] = frozenset()  # 1-based lines marked in the gutter

    def mark_lines(self, lines: set[int] | frozenset[int]) -> None:
        """Mark these 1-based lines as having problems (replaces the previous marks)."""
        lines = frozenset(lines)
        if lines != self.problem_lines:
            self.problem_lines = lines
            self.refresh()

    def render_line(self, y: int) -> Strip:
        """TextArea's line, with the gutter's margin showing the mark on a problem line."""
        strip = super().render_line(y)
        if not self.problem_lines or not self.show_line_numbers:
            return strip
        # The screen row's document line; a wrapped line's continuation rows (their
        # first column is not the line's) have no number, so no mark either.
        row, column = self.wrapped_document.offset_to_location(Offset(0, self.scroll_offset.y + y))
        if column != 0 or row + 1 not in self.problem_lines:
            return strip
        width = self.gutter_width
        if strip.cell_length < width or width < 2:
            return strip
        gutter, rest = strip.crop(0, width - 2), strip.crop(width - 1, strip.cell_length)
        mark = Strip([Segment(glyphs().problem, MARK_STYLE)], 1)
        return Strip.join([gutter, mark, rest])

    def toggle_wrap(self) -> bool:
        """Switch soft wrap; returns whether it is now on (the cursor stays on its line)."""
        self.soft_wrap = not self.soft_wrap
        self.scroll_cursor_visible()
        return self.soft_wrap

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

    def goto_line(self, line: int, column: int | None = None, focus: bool = True) -> None:
        """Put the cursor on 1-based ``line`` (and ``column``), and focus unless told not to."""
        row = min(max(0, line - 1), self.document.line_count - 1)
        col = max(0, (column or 1) - 1)
        self.cursor_location = (row, min(col, len(self.document.get_line(row))))
        self.scroll_cursor_visible(center=True)
        if focus:
            self.focus()
