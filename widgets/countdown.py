"""A big countdown to NetworkManager's rollback deadline."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class Countdown(Widget):
    """Seconds left before NM rolls back; the text says what happens, not only the number."""

    DEFAULT_CSS = """
    Countdown { height: auto; content-align: center middle; padding: 1 2; }
    """

    remaining: reactive[int] = reactive(0)
    total: reactive[int] = reactive(60)

    def render(self) -> RenderableType:
        seconds = max(0, self.remaining)
        width = 30
        filled = round(width * seconds / max(1, self.total))
        bar = "█" * filled + "░" * (width - filled)
        style = "bold red" if seconds <= 10 else "bold yellow"
        return Group(
            Text(f"{seconds:>3} s", style=style, justify="center"),
            Text(bar, style=style, justify="center"),
            Text("until NetworkManager rolls back by itself", style="dim", justify="center"),
        )
