"""The running (kernel, transient) hostname of the UTS namespace NetworkManager runs in.

nmstate sets ``hostname.running`` with ``sethostname(2)``; NetworkManager has
no D-Bus call for it (``SaveHostname`` writes the static one). The host is
where NM runs: in a sandbox NM has a UTS namespace of its own, so the name
is read and set there, by ``setns(2)`` on the calling thread only, around
the one call, and straight back (as :mod:`engine.backend.netns` does for
the network namespace). NM's pid comes from the bus daemon.
"""

from __future__ import annotations

import ctypes
import os
import socket

from dbus_fast.errors import DBusError

from engine.backend.nm_dbus import DBUS_BUS, DBUS_PATH, NM_BUS, NMClient

CLONE_NEWUTS = 0x04000000
#: The kernel's limit (HOST_NAME_MAX is 64 with the terminating NUL).
MAX_LEN = 64


def _setns(fd: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWUTS) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns: {os.strerror(err)}")


def _in_uts_of(pid: int | None, name: str | None) -> str:
    """Set (when ``name``) and return the hostname of ``pid``'s UTS namespace (None: ours)."""
    if pid is None or os.readlink(f"/proc/{pid}/ns/uts") == os.readlink("/proc/self/ns/uts"):
        if name is not None:
            socket.sethostname(name)
        return socket.gethostname()
    own = os.open("/proc/thread-self/ns/uts", os.O_RDONLY)
    try:
        target = os.open(f"/proc/{pid}/ns/uts", os.O_RDONLY)
        try:
            _setns(target)
            try:
                if name is not None:
                    socket.sethostname(name)
                return socket.gethostname()
            finally:
                _setns(own)
        finally:
            os.close(target)
    finally:
        os.close(own)


async def nm_pid(client: NMClient) -> int | None:
    """NetworkManager's process id, as the bus daemon knows it (None: not on the bus)."""
    try:
        (pid,) = await client.call(
            DBUS_PATH,
            DBUS_BUS,
            "GetConnectionUnixProcessID",
            "s",
            [NM_BUS],
            destination=DBUS_BUS,
        )
    except DBusError:  # no owner, or a bus that does not say
        return None
    return int(pid)


def running_hostname(pid: int | None) -> str:
    """The kernel hostname where process ``pid`` runs (None: this process)."""
    return _in_uts_of(pid, None)


def set_running_hostname(pid: int | None, name: str) -> str:
    """Set the kernel hostname where ``pid`` runs (None: here); the name it then has."""
    if not name or len(name) >= MAX_LEN:
        raise ValueError(f"a running hostname has 1 to {MAX_LEN - 1} characters, not {name!r}")
    return _in_uts_of(pid, name)
