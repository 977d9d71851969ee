"""A keyboard-only pick list that marks the selected row with ``>`` (readable without colour).

Textual's OptionList shows the highlight by colour only, which a monochrome
VT220 may not show at all; this one spells it out and redraws only itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from nmtui_state.console.text import ascii_only


class Menu(Widget, can_focus=True):
    """Rows of text; up/down move, Enter picks (posts :class:`Menu.Picked`)."""

    DEFAULT_CSS = "Menu { height: auto; }"
    BINDINGS = [
        Binding("up,k", "move(-1)", "up", show=False),
        Binding("down,j", "move(1)", "down", show=False),
        Binding("enter", "pick", "pick", show=False),
    ]

    index: reactive[int] = reactive(0)

    @dataclass
    class Picked(Message):
        menu: Menu
        index: int

    def __init__(self, rows: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = [ascii_only(r) for r in rows]

    def render(self) -> Text:
        lines = []
        for i, row in enumerate(self.rows):
            mark = "> " if i == self.index else "  "
            lines.append(Text(mark + row, style="reverse" if i == self.index else ""))
        return Text("\n").join(lines)

    def action_move(self, step: int) -> None:
        if self.rows:
            self.index = max(0, min(len(self.rows) - 1, self.index + step))

    def action_pick(self) -> None:
        if self.rows:
            self.post_message(self.Picked(self, self.index))
