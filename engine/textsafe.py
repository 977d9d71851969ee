"""Host-provided text made safe to print on a terminal.

Interface names, profile descriptions and NetworkManager's error texts come
from the host, and an interface can be named ``\\x1b]0;owned\\x07``: printed
raw, that retitles the window, moves the cursor or hides text. Everything
of that kind that reaches a terminal goes through :func:`printable`, which
writes control characters (C0, DEL, C1) as visible ``\\xNN`` escapes.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def printable(text: str, newlines: bool = True) -> str:
    """``text`` with control characters escaped; tabs and (unless told) newlines kept."""
    pattern = _CONTROL if newlines else _CONTROL_OR_NEWLINE
    return pattern.sub(_escape, text) if pattern.search(text) else text
