"""ASCII for a VT220: what the console draws passes through :func:`ascii_only`.

A VT220 draws ASCII, its Latin-1-like supplemental set and DEC line drawing;
a serial terminal emulator set to any of those is guaranteed ASCII only. The
engine's messages use a few typographic glyphs (arrows, dashes), mapped
here to ASCII spellings; anything else becomes ``?``.
"""

from __future__ import annotations

GLYPHS = {
    "\u2192": "->",  # rightwards arrow
    "\u2190": "<-",
    "\u2014": "--",  # em dash
    "\u2013": "-",  # en dash
    "\u2026": "...",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2022": "*",
    "\u2713": "ok",
    "\u2717": "x",
    "\u00a0": " ",
}


def ascii_only(text: str) -> str:
    """``text`` with every character outside printable ASCII (and newline) spelled in ASCII."""
    out = []
    for ch in text:
        if ch == "\n" or " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(GLYPHS.get(ch, "?"))
    return "".join(out)


def vt220_safe(text: str) -> bool:
    """Whether ``text`` holds only characters a VT220 draws in its default (ASCII) set."""
    return all(ch == "\n" or " " <= ch <= "~" for ch in text)
