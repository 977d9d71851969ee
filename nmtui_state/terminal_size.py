"""The terminal's own size wins over ``COLUMNS``/``LINES`` in the environment.

Textual sizes the screen with :func:`shutil.get_terminal_size`, which takes
``COLUMNS`` and ``LINES`` from the environment before it asks the terminal, and
asks again the same way on every resize. Those variables are often stale copies:
readline exports them (80x24 when it starts without a terminal), a parent shell
exports its own size, and a tmux server started by such a process hands them to
every pane. The app then drew itself 80x24 in a 120x40 pane and never grew on a
resize. When the terminal answers, its answer is the size; without one (a pipe, a
serial line that reports 0x0) the variables stay as the fallback they are meant to be.
"""

from __future__ import annotations

import os
import sys


def prefer_terminal_size() -> None:
    """Drop ``COLUMNS``/``LINES`` from this process's environment when stdout is a
    terminal that reports a size."""
    stream = sys.__stdout__
    if stream is None:
        return
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError):
        return
    if size.columns > 0 and size.lines > 0:
        for name in ("COLUMNS", "LINES"):
            os.environ.pop(name, None)
