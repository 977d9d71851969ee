"""The app's link to the host: where it is, and the engine calls the TUI makes.

All I/O the TUI does goes through here and runs in workers; screens get
plain results back. It speaks only the engine's API (no D-Bus, no netlink:
an import-linter contract says so) and holds no reference to the app.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine import checkpoint as lifecycle
from engine.apply import ApplyResult, Prepared, apply_async, review
from engine.checkpoint import Checkpoint
from engine.restore_check import RestoreReport
from engine.show import LiveState, read_live
from engine.watch import HostWatch, watch_host


@dataclass
class Session:
    """Where the host is (bus address, netns) and the long-lived change subscription."""

    bus_address: str | None = field(
        default_factory=lambda: os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    )
    netns: str | None = field(default_factory=lambda: os.environ.get("NMTUI_STATE_NETNS"))
    readonly: bool = False
    _watch: HostWatch | None = None

    async def read(self) -> LiveState:
        return await read_live(self.bus_address, self.netns)

    async def watch(self, on_change: Callable[[], None]) -> bool:
        """Call ``on_change`` whenever the host changes; False without NetworkManager."""
        self._watch = await watch_host(self.bus_address, on_change)
        return self._watch is not None

    async def review(self, desired: dict[str, Any]) -> tuple[Prepared, LiveState]:
        """Validate, merge, diff and plan against a fresh read; raises InvalidInput."""
        return await review(desired, self.bus_address, self.netns)

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

    async def finish(self, cp: Checkpoint, keep: bool) -> RestoreReport | None:
        """Commit (keep) or roll back a pending checkpoint; a rollback's checked verdict."""
        done = await lifecycle.finish("commit" if keep else "rollback", cp, self.bus_address)
        return done.report

    async def expired(self, cp: Checkpoint) -> RestoreReport | None:
        """Wait for NetworkManager's own rollback at the deadline and check it; None if it
        did not come."""
        return await lifecycle.wait_expired(cp, self.bus_address)

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
