"""Pause Python's cyclic garbage collector while a big read builds its objects.

Reading a host allocates hundreds of thousands of small containers
(pyroute2 builds a dict and a list per netlink attribute; D-Bus replies
become nested dicts). None of them form cycles that matter, but each
allocation burst crosses the collector's generation-0 threshold again and
again, and as the young objects survive the collector also runs full
(generation 2) passes over an ever larger heap. Measured on a host with 600
links: the link dump took 0.41 s with the collector on and 0.07 s with it
paused; a whole ``show`` went from 0.95 s to 0.58 s, with the same peak
memory. The collector runs again (and catches up) as soon as the read ends:
the first allocation after the pause starts a full collection of everything
held back, so a caller that has something urgent to do with the result (send
it, print it) does that inside the block.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable automatic collection for the block; nested and concurrent blocks share one pause.

    The collector is enabled again when the outermost block ends, and only if
    it was enabled before the first one began (a caller that turned it off
    for good keeps it off).
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
