"""The app's link to the host: reads, change notifications, and (later) apply.

All I/O the TUI does goes through here and runs in workers; screens get
plain states back as messages. Holds no reference to the app.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from dbus_fast import Message

from engine.backend.nm_dbus import NMClient
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
        from engine.errors import NoBackend

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

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
