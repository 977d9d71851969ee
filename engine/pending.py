"""The record of a pending change, on disk, for whoever ends it (or outlives its owner).

An apply writes one small JSON file per checkpoint before it touches the
host: the snapshot of the host before, the interfaces that existed and the
hostname to put back. ``nmtui-state rollback`` in another shell reads it
to restore the hostname and to check the restore; the guardian
(:mod:`engine.guardian`) reads it when NetworkManager's timer rolled back
with nobody left to do the rest. Committing or rolling back removes it.

The files live in ``$NMTUI_STATE_RUNDIR`` (default ``/run/nmtui-state``),
in a subdirectory per bus, so sandboxes never see each other's records.
They hold the host's state (secrets included, as NM reported them), so the
directories are 0700 and the files 0600.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_RUNDIR = "/run/nmtui-state"


def rundir(bus_address: str | None) -> Path:
    """Where records of the NetworkManager on ``bus_address`` live."""
    base = Path(os.environ.get("NMTUI_STATE_RUNDIR") or DEFAULT_RUNDIR)
    bus = bus_address or os.environ.get("DBUS_SYSTEM_BUS_ADDRESS") or "system"
    return base / hashlib.sha256(bus.encode()).hexdigest()[:12]


def record_path(bus_address: str | None, checkpoint: str) -> Path:
    return rundir(bus_address) / f"checkpoint-{checkpoint.rsplit('/', 1)[-1]}.json"


@dataclass
class PendingRecord:
    """What a rollback needs that NetworkManager's checkpoint does not keep."""

    checkpoint: str
    timeout: int
    bus_address: str | None = None
    netns: str | None = None
    before: dict[str, Any] | None = None  # restore_check.Snapshot.to_json()
    existed: list[str] = field(default_factory=list)
    hostname_before: str | None = None
    running_before: str | None = None
    global_dns_before: dict[str, list[str]] | None = None

    @property
    def path(self) -> Path:
        return record_path(self.bus_address, self.checkpoint)

    def save(self) -> bool:
        """Write atomically, owner-only; False when the run directory is not writable."""
        target = self.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = target.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(asdict(self), out)
            os.replace(tmp, target)
        except OSError:
            return False
        return True


def drop(bus_address: str | None, checkpoint: str) -> None:
    """The change ended (committed or rolled back and checked): forget it."""
    with contextlib.suppress(OSError):
        record_path(bus_address, checkpoint).unlink()


def read(path: Path) -> PendingRecord | None:
    """The record in ``path``, or None (none written, ended already, or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        return PendingRecord(**data)
    except TypeError:
        return None


def load(bus_address: str | None, checkpoint: str) -> PendingRecord | None:
    """The record of ``checkpoint`` on ``bus_address``, or None."""
    return read(record_path(bus_address, checkpoint))
