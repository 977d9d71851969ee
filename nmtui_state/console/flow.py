"""The console's only contact with the engine's apply path: review, apply pending, keep or undo.

Kept in one small place on purpose: the checkpoint life cycle (apply with
``commit=False``, read NM's deadline, then commit or roll back) is about to
move behind one engine object, and this module is what gets rewired then.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # engine.apply loads jsonschema (~0.1 s): not before the first paint
    from engine.apply import ApplyResult, Prepared


@dataclass
class Host:
    """Where the NetworkManager is (bus address) and which netns the kernel reads come from."""

    bus_address: str | None = field(
        default_factory=lambda: os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    )
    netns: str | None = field(default_factory=lambda: os.environ.get("NMTUI_STATE_NETNS"))


async def review(host: Host, desired: dict[str, Any]) -> Prepared:
    """Validate, merge, diff and plan against a fresh read (raises InvalidInput); no change."""
    from engine.apply import prepare
    from engine.backend.nm_dbus import NMClient
    from engine.errors import NoBackend
    from engine.show import read_live

    client = await NMClient.connect(host.bus_address)
    try:
        live = await read_live(host.bus_address, host.netns, client=client)
        if live.nm is None:
            raise NoBackend(live.nm_missing or "NetworkManager is not available")
        return await prepare(client, desired, live)
    finally:
        client.close()


@dataclass
class Pending:
    """An applied change NetworkManager rolls back at ``deadline_ms`` (CLOCK_BOOTTIME)."""

    result: ApplyResult
    deadline_ms: int


async def apply_pending(host: Host, desired: dict[str, Any], timeout: int) -> Pending:
    """Apply in a checkpoint left pending for ``timeout`` s; raises ApplyFailed (rolled back)."""
    from engine import checkpoint as cp_api
    from engine.apply import apply_async
    from engine.backend.nm_dbus import NMClient

    result = await apply_async(
        desired, commit=False, timeout=timeout, bus_address=host.bus_address, netns=host.netns
    )
    assert result.checkpoint is not None  # commit=False always leaves one
    client = await NMClient.connect(host.bus_address)
    try:
        created, seconds = await cp_api.deadline(client, result.checkpoint)
    finally:
        client.close()
    return Pending(result, created + seconds * 1000)


async def finish(host: Host, pending: Pending, keep: bool) -> None:
    """Commit (keep) or roll back now; the Checkpoint object also restores the hostname."""
    from engine.apply import checkpoint_action

    cp = pending.result.checkpoint
    await checkpoint_action("commit" if keep else "rollback", cp, host.bus_address)


async def rolled_back(host: Host, pending: Pending) -> bool:
    """Whether NetworkManager has dropped the checkpoint (its timer ran out)."""
    from engine import checkpoint as cp_api
    from engine.backend.nm_dbus import NMClient

    cp = pending.result.checkpoint
    client = await NMClient.connect(host.bus_address)
    try:
        return cp is None or cp.path not in await cp_api.list_checkpoints(client)
    finally:
        client.close()
