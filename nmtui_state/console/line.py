"""Fewer bytes on a slow line: trailing blanks of a line become one erase-to-end (``ESC [ K``).

Textual paints every line to the full width, so an 80-column screen of
short lines is mostly spaces: about 2 KB per full paint, two seconds at
9600 baud. A run of default-coloured spaces that ends a line (the next
thing is a newline, a cursor move, or the end of the update) is replaced
by ``ESC [ K``, which VT100 and later terminals (and the Linux console)
honour; the screen looks the same. Nothing else of the output changes.
"""

from __future__ import annotations

import re

from textual.drivers.linux_driver import LinuxDriver

# The console runs with ansi_color=True, so blank cells are written in the default colours.
_TRAILING = re.compile(r"(?:\x1b\[39;49m)? {4,}\x1b\[0m(?=\r?\n|\x1b\[\d+;\d+H|$)")


def squeeze(data: str) -> str:
    """``data`` with line-ending blank runs replaced by erase-to-end-of-line."""
    return _TRAILING.sub("\x1b[0m\x1b[K", data)


class SlowLineDriver(LinuxDriver):
    """The Linux driver, writing :func:`squeeze`-d output."""

    def write(self, data: str) -> None:
        super().write(squeeze(data))
