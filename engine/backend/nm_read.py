"""Read NetworkManager's view over D-Bus: devices, applied profiles, DNS, hostname, checkpoints.

Reads are batched by stage (manager → all devices at once → all applied
profiles at once), so the number of round trips does not grow with the
number of devices.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from dbus_fast.errors import DBusError

from engine.backend.nm_dbus import (
    CONNECTION_IFACE,
    DEVICE_IFACE,
    DNS_IFACE,
    NM_IFACE,
    NM_PATH,
    SETTINGS_IFACE,
    SETTINGS_PATH,
    NMClient,
)

DEVICE_STATE_ACTIVATED = 100
DEVICE_STATE_UNMANAGED = 10


@dataclass
class NMDevice:
    """One NM device: whether NM manages it, its state and the profile applied to it."""

    name: str
    path: str
    managed: bool
    state: int
    applied: dict[str, dict[str, Any]] | None = None


@dataclass
class NMState:
    """NetworkManager's part of the live state."""

    version: str = ""
    devices: dict[str, NMDevice] = field(default_factory=dict)
    hostname: str = ""
    dns: list[dict[str, Any]] = field(default_factory=list)
    checkpoints: list[str] = field(default_factory=list)


async def _applied(client: NMClient, path: str) -> dict[str, dict[str, Any]] | None:
    try:
        settings, _version = await client.call(path, DEVICE_IFACE, "GetAppliedConnection", "u", [0])
    except DBusError:
        return None  # not activated (any more): no applied profile
    result: dict[str, dict[str, Any]] = settings
    return result


async def _device(client: NMClient, path: str) -> dict[str, Any] | None:
    """A device's properties; None when it vanished between listing and asking (a race
    every read during an apply or a rollback can hit)."""
    try:
        return await client.get_all(path, DEVICE_IFACE)
    except DBusError:
        return None


async def read_nm(client: NMClient) -> NMState:
    """NetworkManager's devices, their applied profiles, DNS, hostname and checkpoints."""
    manager, hostname, dns = await asyncio.gather(
        client.get_all(NM_PATH, NM_IFACE),
        client.get(SETTINGS_PATH, SETTINGS_IFACE, "Hostname"),
        client.get(f"{NM_PATH}/DnsManager", DNS_IFACE, "Configuration"),
    )
    listed: list[str] = manager.get("AllDevices") or manager.get("Devices") or []
    found = await asyncio.gather(*(_device(client, p) for p in listed))
    paths = [p for p, d in zip(listed, found, strict=True) if d is not None]
    props = [d for d in found if d is not None]
    active = [
        p for p, d in zip(paths, props, strict=True) if d.get("State") == DEVICE_STATE_ACTIVATED
    ]
    applied = await asyncio.gather(*(_applied(client, p) for p in active))
    by_path = dict(zip(active, applied, strict=True))
    state = NMState(
        version=manager.get("Version", ""),
        hostname=hostname or "",
        dns=dns or [],
        checkpoints=list(manager.get("Checkpoints") or []),
    )
    for path, dev in zip(paths, props, strict=True):
        name = str(dev.get("IpInterface") or dev.get("Interface") or path)
        state.devices[name] = NMDevice(
            name=name,
            path=path,
            managed=bool(dev.get("Managed")),
            state=int(dev.get("State", 0)),
            applied=by_path.get(path),
        )
    return state


async def read_profiles(client: NMClient) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    """Every connection profile as (D-Bus path, plain settings), fetched concurrently."""
    (paths,) = await client.call(SETTINGS_PATH, SETTINGS_IFACE, "ListConnections")
    settings = await asyncio.gather(
        *(client.call(p, CONNECTION_IFACE, "GetSettings") for p in paths)
    )
    return [(p, s[0]) for p, s in zip(paths, settings, strict=True)]
