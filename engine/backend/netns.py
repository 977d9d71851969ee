"""Netlink sockets inside a named network namespace, without forking.

pyroute2 enters a netns by forking a helper process per socket; in a
multi-threaded program (the TUI) a fork can deadlock on a lock another
thread held, and it costs ~30 ms. ``setns(2)`` on the calling thread only,
around one ``socket()`` call, gives a socket that lives in the target
namespace for good, and the thread goes straight back.
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket

from engine.errors import NoBackend

CLONE_NEWNET = 0x40000000
NETLINK_ROUTE = 0
NETNS_ENV = "NMTUI_STATE_NETNS"  # the named netns to read (a sandbox); unset: our own


def chosen_netns(netns: str | None = None) -> str | None:
    """``netns`` if given, else ``$NMTUI_STATE_NETNS``, else None (this process's netns)."""
    return netns if netns is not None else os.environ.get(NETNS_ENV) or None


def _setns(fd: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns: {os.strerror(err)}")


def netlink_fd(netns: str) -> int:
    """A NETLINK_ROUTE socket (as a file descriptor) opened inside ``netns``."""
    return socket_fd(netns, socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_ROUTE)


def socket_fd(netns: str, family: int, kind: int, proto: int = 0) -> int:
    """Any socket opened inside ``netns`` (an ethtool ioctl needs one of that namespace)."""
    try:
        return _socket_fd(netns, family, kind, proto)
    except OSError as exc:
        raise NoBackend(_reason(netns, exc)) from exc


def _reason(netns: str, exc: OSError) -> str:
    """What went wrong entering ``netns``, and what to do, in one line."""
    where = f"network namespace {netns!r} (NMTUI_STATE_NETNS)"
    if exc.errno == errno.ENOENT:
        return f"{where} does not exist; unset {NETNS_ENV} or start the sandbox again"
    if exc.errno in (errno.EPERM, errno.EACCES):
        return f"entering {where} needs root; run as root (sudo) or unset {NETNS_ENV}"
    return f"cannot enter {where}: {exc.strerror or exc}"


def _socket_fd(netns: str, family: int, kind: int, proto: int) -> int:
    path = netns if netns.startswith("/") else f"/run/netns/{netns}"
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        target = os.open(path, os.O_RDONLY)
        try:
            _setns(target)
            try:
                sock = socket.socket(family, kind, proto)
            finally:
                _setns(own)
        finally:
            os.close(target)
    finally:
        os.close(own)
    return sock.detach()
