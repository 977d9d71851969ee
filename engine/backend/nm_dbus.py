"""A thin asyncio client for NetworkManager's D-Bus API (dbus-fast).

Calls go out as raw messages with known signatures instead of through
introspected proxies: introspecting every object costs one round trip
each, and NetworkManager's API is stable and documented
(``man 5 nm-settings-dbus``, the D-Bus interface docs).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any

from dbus_fast import BusType, Message, MessageType, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.errors import DBusError

from engine.errors import NoBackend

NM_BUS = "org.freedesktop.NetworkManager"
NM_PATH = "/org/freedesktop/NetworkManager"
NM_IFACE = "org.freedesktop.NetworkManager"
SETTINGS_PATH = f"{NM_PATH}/Settings"
SETTINGS_IFACE = f"{NM_IFACE}.Settings"
CONNECTION_IFACE = f"{NM_IFACE}.Settings.Connection"
DEVICE_IFACE = f"{NM_IFACE}.Device"
ACTIVE_IFACE = f"{NM_IFACE}.Connection.Active"
CHECKPOINT_IFACE = f"{NM_IFACE}.Checkpoint"
IP4CONFIG_IFACE = f"{NM_IFACE}.IP4Config"
IP6CONFIG_IFACE = f"{NM_IFACE}.IP6Config"
DNS_IFACE = f"{NM_IFACE}.DnsManager"
PROPS_IFACE = "org.freedesktop.DBus.Properties"
DBUS_BUS = "org.freedesktop.DBus"
DBUS_PATH = "/org/freedesktop/DBus"

# NMActiveConnectionState
ACTIVE_ACTIVATING = 1
ACTIVE_ACTIVATED = 2
ACTIVE_DEACTIVATED = 4


def unwrap(value: Any) -> Any:
    """Strip dbus-fast ``Variant`` wrappers recursively, so results are plain Python."""
    if isinstance(value, Variant):
        return unwrap(value.value)
    if isinstance(value, dict):
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


# dbus-daemon refuses more than 128 pending replies per connection (max_replies_per_connection,
# also Debian's system.conf), and dbus-fast closes the bus when its socket buffer fills: keep
# concurrent calls well below both.
MAX_IN_FLIGHT = 64


class NMClient:
    """One connection to the (system) bus NetworkManager is on."""

    def __init__(self, bus: MessageBus) -> None:
        self.bus = bus
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)

    @classmethod
    async def connect(cls, bus_address: str | None = None) -> NMClient:
        """Connect to ``bus_address`` (default: ``DBUS_SYSTEM_BUS_ADDRESS`` or the system bus).

        Raises :class:`NoBackend` with a message saying what to do when the
        bus cannot be reached.
        """
        address = bus_address or os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
        try:
            bus = await MessageBus(bus_address=address, bus_type=BusType.SYSTEM).connect()
        except PermissionError as exc:
            where = address or "the system bus"
            raise NoBackend(
                f"permission denied reaching D-Bus at {where} ({exc.strerror or exc}); "
                "run as root (sudo), or as a user the bus policy lets in"
            ) from exc
        except (OSError, DBusError, ValueError) as exc:
            where = address or "the system bus"
            raise NoBackend(
                f"cannot reach D-Bus at {where} ({exc}); is dbus running? "
                "(try: systemctl start dbus, or nmtui-state --sandbox to use a private host)"
            ) from exc
        return cls(bus)

    def close(self) -> None:
        self.bus.disconnect()

    async def call(
        self,
        path: str,
        interface: str,
        member: str,
        signature: str = "",
        body: list[Any] | None = None,
        destination: str = NM_BUS,
        raw: bool = False,
    ) -> list[Any]:
        """Call a method and return its (unwrapped) reply body; D-Bus errors raise DBusError.

        ``raw`` keeps the ``Variant`` wrappers: for big replies (all of NM's
        objects) of which the caller needs a few values, unwrapping everything
        would cost more than the call.
        """
        message = Message(
            destination=destination,
            path=path,
            interface=interface,
            member=member,
            signature=signature,
            body=body or [],
        )
        async with self._slots:
            reply = await self.bus.call(message)
        if reply is None:
            return []
        if reply.message_type == MessageType.ERROR:
            raise DBusError(reply.error_name or "org.freedesktop.DBus.Error.Failed", *reply.body)
        return list(reply.body) if raw else [unwrap(v) for v in reply.body]

    async def get_all(self, path: str, interface: str) -> dict[str, Any]:
        """All properties of one interface of one object, in one round trip."""
        (props,) = await self.call(path, PROPS_IFACE, "GetAll", "s", [interface])
        result: dict[str, Any] = props
        return result

    async def get(self, path: str, interface: str, name: str) -> Any:
        (value,) = await self.call(path, PROPS_IFACE, "Get", "ss", [interface, name])
        return value

    async def name_has_owner(self, name: str = NM_BUS) -> bool:
        (owned,) = await self.call(
            DBUS_PATH, DBUS_BUS, "NameHasOwner", "s", [name], destination=DBUS_BUS
        )
        return bool(owned)

    async def wait_ready(self, timeout: float = 10.0) -> None:
        """Wait until NetworkManager owns its name and has finished starting up."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                if await self.name_has_owner() and not await self.get(NM_PATH, NM_IFACE, "Startup"):
                    return
            except DBusError:
                pass
            if loop.time() > deadline:
                raise NoBackend(
                    f"NetworkManager did not come up on the bus within {timeout:.0f} s "
                    "(is it running? try: systemctl start NetworkManager)"
                )
            await asyncio.sleep(0.02)

    async def on_signal(
        self, interface: str, member: str, handler: Callable[[Message], None]
    ) -> None:
        """Call ``handler(message)`` for every matching signal (adds a bus match rule)."""
        rule = f"type='signal',interface='{interface}',member='{member}'"
        await self.call(DBUS_PATH, DBUS_BUS, "AddMatch", "s", [rule], destination=DBUS_BUS)

        def filt(msg: Message) -> None:
            if (
                msg.message_type == MessageType.SIGNAL
                and msg.interface == interface
                and msg.member == member
            ):
                handler(msg)

        self.bus.add_message_handler(filt)
