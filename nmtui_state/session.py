"""The app's link to the host: reads, change notifications, review, apply, commit, rollback.

All I/O the TUI does goes through here and runs in workers; screens get
plain results back. Holds no reference to the app.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dbus_fast import Message

from engine import checkpoint as cp_api
from engine.apply import ApplyResult, Prepared, apply_async, prepare
from engine.backend.nm_dbus import NMClient
from engine.checkpoint import Checkpoint
from engine.errors import NoBackend
from engine.show import LiveState, read_live

# NM objects whose changes mean "the host changed": devices, active connections, settings, DNS.
WATCHED = (
    ("org.freedesktop.DBus.Properties", "PropertiesChanged"),
    ("org.freedesktop.NetworkManager.Device", "StateChanged"),
    ("org.freedesktop.NetworkManager.Settings", "ConnectionRemoved"),
    ("org.freedesktop.NetworkManager.Settings", "NewConnection"),
)


@dataclass
class Session:
    """Where the host is (bus address, netns) and the long-lived signal connection."""

    bus_address: str | None = field(
        default_factory=lambda: os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    )
    netns: str | None = field(default_factory=lambda: os.environ.get("NMTUI_STATE_NETNS"))
    readonly: bool = False
    _watcher: NMClient | None = None

    async def read(self) -> LiveState:
        return await read_live(self.bus_address, self.netns)

    async def watch(self, on_change: Callable[[], None]) -> bool:
        """Call ``on_change`` on every NM signal that means the host changed; False without NM."""
        try:
            client = await NMClient.connect(self.bus_address)
        except NoBackend:
            return False

        def handler(msg: Message) -> None:
            if msg.path and msg.path.startswith("/org/freedesktop/NetworkManager"):
                on_change()

        for interface, member in WATCHED:
            await client.on_signal(interface, member, handler)
        self._watcher = client
        return True

    async def review(self, desired: dict[str, Any]) -> tuple[Prepared, LiveState]:
        """Validate, merge, diff and plan against a fresh read; raises InvalidInput."""
        client = await NMClient.connect(self.bus_address)
        try:
            live = await self.read()
            if live.nm is None:
                raise NoBackend(live.nm_missing or "NetworkManager is not available")
            return await prepare(client, desired, live), live
        finally:
            client.close()

    async def apply(
        self, desired: dict[str, Any], timeout: int, progress: Callable[[str], None]
    ) -> ApplyResult:
        """Apply inside a checkpoint left pending for ``timeout`` s (the countdown)."""
        return await apply_async(
            desired,
            commit=False,
            timeout=timeout,
            bus_address=self.bus_address,
            netns=self.netns,
            progress=progress,
        )

    async def deadline_ms(self, cp: Checkpoint) -> int:
        """NM's rollback deadline for ``cp`` on CLOCK_BOOTTIME, in ms."""
        client = await NMClient.connect(self.bus_address)
        try:
            created, timeout = await cp_api.deadline(client, cp)
            return created + timeout * 1000
        finally:
            client.close()

    async def finish(self, cp: Checkpoint, keep: bool) -> None:
        """Commit (keep) or roll back a pending checkpoint."""
        from engine.apply import checkpoint_action

        # The Checkpoint itself (not its path): it remembers the hostname, which NM's own
        # checkpoint does not cover.
        await checkpoint_action("commit" if keep else "rollback", cp, self.bus_address)

    async def checkpoint_gone(self, cp: Checkpoint) -> bool:
        client = await NMClient.connect(self.bus_address)
        try:
            return cp.path not in await cp_api.list_checkpoints(client)
        finally:
            client.close()

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
