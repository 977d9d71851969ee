"""NetworkManager checkpoints: the safety net every apply runs inside.

A checkpoint is a snapshot NM keeps of all devices and profiles. If nobody
destroys it (commits) before its rollback timeout, NM itself restores the
snapshot, in the daemon, so a dropped SSH session or a killed client still
ends in the old state.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass
from typing import Any

from dbus_fast.errors import DBusError

from engine.backend.nm_dbus import CHECKPOINT_IFACE, NM_IFACE, NM_PATH, NMClient
from engine.errors import ApplyFailed, NmtuiError

DESTROY_ALL = 0x1
DELETE_NEW_CONNECTIONS = 0x2
DISCONNECT_NEW_DEVICES = 0x4
ALLOW_OVERLAPPING = 0x8
TRACK_INTERNAL_GLOBAL_DNS = 0x20  # NM >= 1.48 only
BASE_FLAGS = DELETE_NEW_CONNECTIONS | DISCONNECT_NEW_DEVICES
ROLLBACK_RESULTS = {0: "ok", 1: "no device", 2: "unmanaged", 3: "failed"}


@dataclass(frozen=True)
class Checkpoint:
    """A pending NM checkpoint, what ``apply(commit=False)`` returns and commit/rollback take."""

    path: str
    timeout: int
    #: The static hostname before the apply, when it changed it: NM's checkpoint does not
    #: cover the hostname, so a rollback through this object restores it (None: unchanged).
    hostname_before: str | None = None


class CheckpointBusy(NmtuiError):
    """Another checkpoint covers the devices: someone else's apply is pending."""

    def __init__(self, existing: str) -> None:
        super().__init__(
            f"a checkpoint is already pending ({existing}), left by another apply; "
            f"keep it with: nmtui-state commit {existing}  or undo it with: "
            f"nmtui-state rollback {existing}"
        )
        self.existing = existing


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version)[:3])


async def create(client: NMClient, timeout: int, nm_version: str = "") -> Checkpoint:
    """Create a checkpoint over all devices that rolls back by itself after ``timeout`` s."""
    flags = BASE_FLAGS
    if _version_tuple(nm_version) >= (1, 48):
        flags |= TRACK_INTERNAL_GLOBAL_DNS
    try:
        (path,) = await client.call(
            NM_PATH, NM_IFACE, "CheckpointCreate", "aouu", [[], timeout, flags]
        )
    except DBusError as exc:
        existing = await list_checkpoints(client)
        if existing:
            raise CheckpointBusy(existing[0]) from exc
        if flags & TRACK_INTERNAL_GLOBAL_DNS:
            (path,) = await client.call(
                NM_PATH, NM_IFACE, "CheckpointCreate", "aouu", [[], timeout, BASE_FLAGS]
            )
        else:
            raise ApplyFailed(f"NetworkManager refused a checkpoint: {exc.text}") from exc
    return Checkpoint(path=path, timeout=timeout)


async def list_checkpoints(client: NMClient) -> list[str]:
    paths: list[str] = await client.get(NM_PATH, NM_IFACE, "Checkpoints")
    return list(paths)


async def extend(client: NMClient, cp: Checkpoint, seconds: int | None = None) -> None:
    """Reset the checkpoint's timer to ``seconds`` (default: its timeout) from now."""
    await client.call(
        NM_PATH,
        NM_IFACE,
        "CheckpointAdjustRollbackTimeout",
        "ou",
        [cp.path, cp.timeout if seconds is None else seconds],
    )


async def commit(client: NMClient, cp: Checkpoint | str) -> None:
    """Keep the changes: destroy the checkpoint."""
    path = cp.path if isinstance(cp, Checkpoint) else cp
    try:
        await client.call(NM_PATH, NM_IFACE, "CheckpointDestroy", "o", [path])
    except DBusError as exc:
        raise ApplyFailed(
            f"cannot commit checkpoint {path}: {exc.text} "
            "(it may have been rolled back by its timeout already)"
        ) from exc


async def rollback(client: NMClient, cp: Checkpoint | str) -> dict[str, str]:
    """Restore the snapshot now; returns per-device results (``ok``, ``failed`` ...)."""
    path = cp.path if isinstance(cp, Checkpoint) else cp
    try:
        (result,) = await client.call(NM_PATH, NM_IFACE, "CheckpointRollback", "o", [path])
    except DBusError as exc:
        raise ApplyFailed(f"cannot roll back checkpoint {path}: {exc.text}") from exc
    return {dev: ROLLBACK_RESULTS.get(code, str(code)) for dev, code in result.items()}


async def deadline(client: NMClient, cp: Checkpoint | str) -> tuple[int, int]:
    """(Created, RollbackTimeout) of a checkpoint: Created is CLOCK_BOOTTIME in ms."""
    path = cp.path if isinstance(cp, Checkpoint) else cp
    props: dict[str, Any] = await client.get_all(path, CHECKPOINT_IFACE)
    return int(props.get("Created", 0)), int(props.get("RollbackTimeout", 0))


class KeepAlive:
    """Push the checkpoint's timer forward while a long apply is still working."""

    def __init__(self, client: NMClient, cp: Checkpoint, every: float = 5.0) -> None:
        self.client, self.cp, self.every = client, cp, every
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            with contextlib.suppress(DBusError):
                await extend(self.client, self.cp)

    async def __aenter__(self) -> KeepAlive:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
