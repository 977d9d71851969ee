"""The app's look on a Linux VT console or a serial terminal (TERM=linux, vt100, vt220).

Such a console's font lacks most of the symbols Textual draws: the header's
``⭘``, the eighth-blocks of its tall borders (``▔ ▁ ▎ ▊``), the footer's
``▏``, the select's ``▼`` (hidden), the scroll bar's partial blocks. The same idea as
the console screens (:mod:`nmtui_state.console`): draw only what such a font
has. The app calls :func:`apply` once at start; the CSS under ``App.-vt``
in ``styles/app.tcss`` swaps the borders, :func:`fix_screen` the symbols
that are text, not CSS, and :mod:`widgets.glyphs` the tree's.
"""

from __future__ import annotations

import os
from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widgets import Header

from widgets.glyphs import glyphs, use_vt_safe, vt_safe_term

VT_CLASS = "-vt"


class AsciiScrollBarRender(ScrollBarRender):
    """A scroll bar of whole cells: no eighth-blocks (a VT font has none)."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


def wanted(term: str | None = None) -> bool:
    """Whether ``TERM`` (default: the environment's) asks for the VT-safe look."""
    return vt_safe_term(os.environ.get("TERM") if term is None else term)


def apply(app: App[Any], on: bool) -> None:
    """Switch the app (and the widget glyphs) to the VT-safe look, or back."""
    use_vt_safe(on)
    app.set_class(on, VT_CLASS)
    ScrollBar.renderer = AsciiScrollBarRender if on else ScrollBarRender


def fix_screen(screen: Screen[Any]) -> None:
    """Replace the symbols a screen's widgets draw as text (after it has mounted)."""
    look = glyphs()
    for header in screen.query(Header):
        header.icon = look.header_icon
