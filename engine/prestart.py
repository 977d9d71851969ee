"""Start the host read early, before the rest of a command has loaded.

A kernel read runs in a helper process (:mod:`engine.backend.netlink_process`)
whose start-up (an interpreter, the pyroute2 import: about 0.1 s) overlaps
the caller's own imports when it is asked for first. The CLI and the app
call these two, so they need not reach into the backend themselves.
"""

from __future__ import annotations

from engine.backend.netlink_process import KernelRead, prestart
from engine.backend.netns import chosen_netns

__all__ = ["KernelRead", "kernel_read", "prestart"]


def kernel_read(netns: str | None = None) -> KernelRead:
    """Ask for a read of the kernel of ``netns`` (default: the chosen one) now.

    Pass the result to :func:`engine.show.read_live` as ``kernel``.
    """
    return KernelRead(chosen_netns(netns))
