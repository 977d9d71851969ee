"""NetworkManager's checkpoint calls over D-Bus, and the keep-alive of a long apply.

Only the raw calls live here; what a checkpoint means to an apply (its
deadline, commit, rollback, waiting until the host has settled) is
:mod:`engine.checkpoint`. NM keeps a checkpoint in the daemon: if nobody
destroys it before its rollback timeout, NM restores the snapshot itself,
so a dropped SSH session or a killed client still ends in the old state.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
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
CHECKPOINT_PREFIX = "/org/freedesktop/NetworkManager/Checkpoint/"


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


async def create(client: NMClient, timeout: int, nm_version: str = "") -> str:
    """Create a checkpoint over all devices, rolling back by itself after ``timeout`` s."""
    flags = BASE_FLAGS
    if _version_tuple(nm_version) >= (1, 48):
        flags |= TRACK_INTERNAL_GLOBAL_DNS
    try:
        (path,) = await client.call(
            NM_PATH, NM_IFACE, "CheckpointCreate", "aouu", [[], timeout, flags]
        )
    except DBusError as exc:
        existing = await list_paths(client)
        if existing:
            raise CheckpointBusy(existing[0]) from exc
        if not flags & TRACK_INTERNAL_GLOBAL_DNS:
            raise ApplyFailed(f"NetworkManager refused a checkpoint: {exc.text}") from exc
        (path,) = await client.call(
            NM_PATH, NM_IFACE, "CheckpointCreate", "aouu", [[], timeout, BASE_FLAGS]
        )
    return str(path)


async def list_paths(client: NMClient) -> list[str]:
    """The D-Bus paths of the checkpoints NM holds now."""
    paths: list[str] = await client.get(NM_PATH, NM_IFACE, "Checkpoints")
    return list(paths)


async def adjust(client: NMClient, path: str, seconds: int) -> None:
    """Reset the checkpoint's timer to ``seconds`` from now."""
    await client.call(NM_PATH, NM_IFACE, "CheckpointAdjustRollbackTimeout", "ou", [path, seconds])


async def destroy(client: NMClient, path: str) -> None:
    """Keep the changes: destroy the checkpoint."""
    try:
        await client.call(NM_PATH, NM_IFACE, "CheckpointDestroy", "o", [path])
    except DBusError as exc:
        raise ApplyFailed(
            f"cannot commit checkpoint {path}: {exc.text} "
            "(it may have been rolled back by its timeout already)"
        ) from exc


async def rollback(client: NMClient, path: str) -> dict[str, str]:
    """Restore the snapshot now; per-device results (``ok``, ``failed`` ...)."""
    try:
        (result,) = await client.call(NM_PATH, NM_IFACE, "CheckpointRollback", "o", [path])
    except DBusError as exc:
        raise ApplyFailed(f"cannot roll back checkpoint {path}: {exc.text}") from exc
    return {dev: ROLLBACK_RESULTS.get(code, str(code)) for dev, code in result.items()}


async def timing(client: NMClient, path: str) -> tuple[int, int]:
    """(Created, RollbackTimeout) of a checkpoint: Created is CLOCK_BOOTTIME in ms."""
    props: dict[str, Any] = await client.get_all(path, CHECKPOINT_IFACE)
    return int(props.get("Created", 0)), int(props.get("RollbackTimeout", 0))


class KeepAlive:
    """Push the checkpoint's timer forward while a long apply is still working."""

    def __init__(self, client: NMClient, path: str, timeout: int, every: float = 5.0) -> None:
        self.client, self.path, self.timeout, self.every = client, path, timeout, every
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            with contextlib.suppress(DBusError):
                await adjust(self.client, self.path, self.timeout)

    async def __aenter__(self) -> KeepAlive:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            # asyncio.wait, not ``await task`` under suppress(CancelledError): that would
            # also swallow a cancel of the caller (an interrupted apply) landing here.
            await asyncio.wait([self._task])
