"""Host change notifications: NetworkManager's D-Bus signals that mean "the host changed".

The TUI re-reads the host when one arrives (debounced); this module keeps
the bus connection and the signal list so the app never touches D-Bus.
"""

from __future__ import annotations

from collections.abc import Callable

from dbus_fast import Message

from engine.backend.nm_dbus import NMClient
from engine.errors import NoBackend

# NM objects whose changes mean "the host changed": devices, active connections, settings, DNS.
WATCHED = (
    ("org.freedesktop.DBus.Properties", "PropertiesChanged"),
    ("org.freedesktop.NetworkManager.Device", "StateChanged"),
    ("org.freedesktop.NetworkManager.Settings", "ConnectionRemoved"),
    ("org.freedesktop.NetworkManager.Settings", "NewConnection"),
)


class HostWatch:
    """A live subscription; ``close()`` ends it."""

    def __init__(self, client: NMClient) -> None:
        self._client: NMClient | None = client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


async def watch_host(bus_address: str | None, on_change: Callable[[], None]) -> HostWatch | None:
    """Call ``on_change`` on every NM signal that means the host changed; None without NM."""
    try:
        client = await NMClient.connect(bus_address)
    except NoBackend:
        return None

    def handler(msg: Message) -> None:
        if msg.path and msg.path.startswith("/org/freedesktop/NetworkManager"):
            on_change()

    for interface, member in WATCHED:
        await client.on_signal(interface, member, handler)
    return HostWatch(client)
