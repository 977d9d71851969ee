"""The symbols the widgets draw, in two sets: Unicode, and one a Linux VT console can show.

A Linux virtual console's font holds 256 or 512 glyphs (mostly Latin-1,
line drawing and blocks); ``●``, ``⭘``, ``◌`` and eighth-blocks are missing
and show as diamonds or blanks, so a state drawn only by them is lost.
``TERM=linux``, ``vt100``, ``vt220`` (a console, a serial line) select the
ASCII set; everything else gets the Unicode one. The app chooses once at
start (:func:`use_vt_safe`); the words beside each symbol never change.
"""

from __future__ import annotations

from dataclasses import dataclass

VT_TERMS = ("linux", "vt100", "vt102", "vt220", "vt320", "ansi", "dumb")


def vt_safe_term(term: str | None) -> bool:
    """Whether ``TERM`` names a terminal whose font lacks most Unicode symbols."""
    base = (term or "").split("-", 1)[0]
    return base in VT_TERMS


@dataclass(frozen=True)
class Glyphs:
    """One symbol per link word (see :mod:`engine.link_view`)."""

    link: dict[str, str]
    expanded: str
    collapsed: str
    header_icon: str
    draft: str  # after an interface the draft changes
    problem: str  # in the YAML gutter and the problems list
    ok: str  # the problems list when there are none


UNICODE = Glyphs(
    link={
        "up": "●",
        "no-carrier": "◌",
        "dormant": "◐",
        "down": "○",
        "gone": "✗",
        "absent": "✗",
    },
    expanded="▼ ",
    collapsed="▶ ",
    header_icon="⭘",
    draft="✎ draft",
    problem="✗",
    ok="✓",
)
ASCII = Glyphs(
    link={
        "up": "*",
        "no-carrier": "!",
        "dormant": "~",
        "down": "-",
        "gone": "x",
        "absent": "x",
    },
    expanded="v ",
    collapsed="> ",
    header_icon="#",
    draft="[draft]",
    problem="x",
    ok="ok",
)

_current = UNICODE


def use_vt_safe(on: bool) -> None:
    """Draw with the ASCII set from now on (or the Unicode one again)."""
    global _current
    _current = ASCII if on else UNICODE


def glyphs() -> Glyphs:
    """The set in use."""
    return _current
