"""Find and remove sandboxes whose owner died without tearing them down.

A sandbox's NetworkManager and dbus-daemon get SIGKILL when their parent
dies (``PR_SET_PDEATHSIG``), but a SIGKILLed parent runs no teardown: the
named netns, its temp dir and any command still running inside the netns
stay behind. Each sandbox therefore writes ``owner.json`` (pid, the pid's
start time, the netns name) into its temp dir before it creates anything
else, and the next start, or ``nmtui-state sandbox --cleanup``, removes what
no live owner claims.

What counts as stale, so that a sandbox still starting or run by an older
version is never taken:

* a temp dir whose owner is dead (pid gone, or reused: the start time
  differs); a temp dir without ``owner.json`` only when it is older than
  :data:`GRACE_SECONDS` and nothing answers on its bus socket;
* a netns named by a stale dir; a ``nmtui-sb-*`` netns that no dir names
  only when it is older than :data:`GRACE_SECONDS` and no process lives in it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

NETNS_DIR = Path("/run/netns")
NETNS_PREFIX = "nmtui-sb-"
DIR_PREFIX = "nmtui-sandbox-"
OWNER_FILE = "owner.json"
GRACE_SECONDS = 60.0


def _start_time(pid: int) -> str | None:
    """Field 22 of /proc/PID/stat: tells a live owner from a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rpartition(")")[2].split()[19]


def write_owner(root: Path, netns: str) -> None:
    """Claim ``root`` and ``netns`` for this process (called before either holds anything)."""
    pid = os.getpid()
    record = {"pid": pid, "start": _start_time(pid), "netns": netns}
    (root / OWNER_FILE).write_text(json.dumps(record))


@dataclass(frozen=True)
class Stale:
    """One leftover: a temp dir, a netns, or both."""

    root: Path | None
    netns: str | None

    def describe(self) -> str:
        parts = [str(p) for p in (self.netns and f"netns {self.netns}", self.root) if p]
        return " and ".join(parts)


def _owner(root: Path) -> dict[str, object] | None:
    try:
        record = json.loads((root / OWNER_FILE).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _owner_alive(record: dict[str, object]) -> bool:
    pid = record.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    return _start_time(pid) is not None and _start_time(pid) == record.get("start")


def _bus_answers(root: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(str(root / "bus"))
        except OSError:
            return False
    return True


def _older_than_grace(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > GRACE_SECONDS
    except OSError:
        return False


def _pids_in_netns(name: str) -> list[int]:
    """Processes whose network namespace is the named netns."""
    try:
        wanted = os.stat(NETNS_DIR / name)
    except OSError:
        return []
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            ns = os.stat(f"/proc/{entry}/ns/net")
            if (ns.st_ino, ns.st_dev) == (wanted.st_ino, wanted.st_dev):
                pids.append(int(entry))
    return pids


def find_stale(tmp: Path | None = None) -> list[Stale]:
    """Every leftover sandbox on this machine that no live process owns."""
    tmp = Path(tmp or tempfile.gettempdir())
    found: list[Stale] = []
    claimed: set[str] = set()
    for root in sorted(tmp.glob(DIR_PREFIX + "*")):
        if not root.is_dir():
            continue
        record = _owner(root)
        netns = record.get("netns") if record else None
        netns = netns if isinstance(netns, str) and netns.startswith(NETNS_PREFIX) else None
        if record is not None and _owner_alive(record):
            if netns:
                claimed.add(netns)
            continue
        if record is None and (not _older_than_grace(root) or _bus_answers(root)):
            continue
        if netns:
            claimed.add(netns)
        found.append(Stale(root, netns if netns and (NETNS_DIR / netns).exists() else None))
    with contextlib.suppress(OSError):
        for name in sorted(os.listdir(NETNS_DIR)):
            if not name.startswith(NETNS_PREFIX) or name in claimed:
                continue
            if _older_than_grace(NETNS_DIR / name) and not _pids_in_netns(name):
                found.append(Stale(None, name))
    return found


def remove(stale: Stale) -> None:
    """Kill what still runs in the netns, delete the netns, remove the temp dir."""
    if stale.netns:
        for pid in _pids_in_netns(stale.netns):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        subprocess.run(["ip", "netns", "del", stale.netns], capture_output=True, check=False)
    if stale.root is not None:
        shutil.rmtree(stale.root, ignore_errors=True)


def cleanup_stale(tmp: Path | None = None) -> list[Stale]:
    """Remove every stale sandbox; return what was removed (for the caller to say)."""
    found = find_stale(tmp)
    for stale in found:
        remove(stale)
    return found
