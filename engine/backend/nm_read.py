"""Read NetworkManager's view over D-Bus: devices, applied profiles, DNS, hostname, checkpoints.

Everything but the applied profiles comes from one
``ObjectManager.GetManagedObjects`` call (NM ≥ 1.22 exports all its
objects under ``/org/freedesktop``): one round trip instead of one per
device. Applied profiles (``GetAppliedConnection``, a method, not a
property) are asked for concurrently, and only for activated devices whose
profile NM did not generate for an externally made link: those copy the
kernel's view and add nothing to it. Older NMs get the same result from
one ``GetAll`` per device.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from dbus_fast import Variant
from dbus_fast.errors import DBusError

from engine.backend.nm_dbus import (
    ACTIVE_IFACE,
    CONNECTION_IFACE,
    DEVICE_IFACE,
    DNS_IFACE,
    NM_IFACE,
    NM_PATH,
    SETTINGS_IFACE,
    SETTINGS_PATH,
    NMClient,
)
from engine.backend.nm_global_dns import PROPERTY as GLOBAL_DNS
from engine.backend.nm_global_dns import from_nm as global_from_nm
from engine.backend.uts import nm_pid

DEVICE_STATE_ACTIVATED = 100
DEVICE_STATE_IP_CONFIG = 70


def device_up(state: int) -> bool:
    """Whether a device counts as up, as nmstate counts it: activated, or its link up
    and its profile applied while IP configuration is still running (a DHCP server
    that never answers keeps it there; NM keeps asking and the profile is in force)."""
    return DEVICE_STATE_IP_CONFIG <= state <= DEVICE_STATE_ACTIVATED


DEVICE_STATE_UNMANAGED = 10
DEVICE_STATE_DISCONNECTED = 30  # at or below it a device holds no active profile
# NMSettingsConnectionFlags: a profile NM generated to describe an externally configured link.
SETTINGS_FLAG_EXTERNAL = 0x8
OBJECT_MANAGER_PATH = "/org/freedesktop"
OBJECT_MANAGER_IFACE = "org.freedesktop.DBus.ObjectManager"


@dataclass
class NMDevice:
    """One NM device: whether NM manages it, its state and the profile applied to it."""

    name: str
    path: str
    managed: bool
    state: int
    applied: dict[str, dict[str, Any]] | None = None
    active_uuid: str | None = None  # of the profile active on it, when ACTIVATED
    external: bool = False  # activated with a profile NM generated from the kernel's view
    profile_path: str | None = None  # the settings connection active on it


@dataclass
class NMState:
    """NetworkManager's part of the live state."""

    version: str = ""
    devices: dict[str, NMDevice] = field(default_factory=dict)
    hostname: str = ""
    #: NM's process id (None: the bus does not say): where its UTS namespace is.
    pid: int | None = None
    dns: list[dict[str, Any]] = field(default_factory=list)
    checkpoints: list[str] = field(default_factory=list)
    #: NM's global DNS in nmstate form ({} when not set; see nm_global_dns).
    global_dns: dict[str, list[str]] = field(default_factory=dict)


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


def _plain(props: dict[str, Any], *names: str) -> dict[str, Any]:
    """The named properties, unwrapped (raw replies keep dbus-fast Variants)."""
    out = {}
    for name in names:
        value = props.get(name)
        out[name] = value.value if isinstance(value, Variant) else value
    return out


async def _managed_objects(client: NMClient) -> dict[str, Any] | None:
    """All of NM's objects (raw), or None when this NM has no ObjectManager (< 1.22)."""
    try:
        (objects,) = await client.call(
            OBJECT_MANAGER_PATH, OBJECT_MANAGER_IFACE, "GetManagedObjects", raw=True
        )
    except DBusError:
        return None
    result: dict[str, Any] = objects
    return result


def _from_objects(
    objects: dict[str, Any],
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]], set[str]]:
    """Manager properties, (path, device properties) listed, and the paths of devices whose
    active profile NM generated for an external link (no applied profile worth reading)."""
    manager = _plain(
        objects.get(NM_PATH, {}).get(NM_IFACE, {}),
        "Version",
        "AllDevices",
        "Checkpoints",
        GLOBAL_DNS,
    )
    devices: list[tuple[str, dict[str, Any]]] = []
    external: set[str] = set()
    for path in manager.get("AllDevices") or []:
        raw = objects.get(path, {}).get(DEVICE_IFACE)
        if raw is None:
            continue  # vanished between the listing and the snapshot
        dev = _plain(raw, "Interface", "IpInterface", "Managed", "State", "ActiveConnection")
        active = _plain(
            objects.get(dev["ActiveConnection"] or "", {}).get(ACTIVE_IFACE, {}),
            "Connection",
            "Uuid",
        )
        dev["ActiveUuid"] = active["Uuid"]
        dev["ProfilePath"] = active["Connection"]
        settings = objects.get(active["Connection"] or "", {}).get(CONNECTION_IFACE, {})
        if int(_plain(settings, "Flags")["Flags"] or 0) & SETTINGS_FLAG_EXTERNAL:
            external.add(path)
        devices.append((path, dev))
    return manager, devices, external


async def _per_device(client: NMClient) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """Manager and device properties the old way: one GetAll per device."""
    manager = await client.get_all(NM_PATH, NM_IFACE)
    listed: list[str] = manager.get("AllDevices") or manager.get("Devices") or []
    found = await asyncio.gather(*(_device(client, p) for p in listed))
    return manager, [(p, d) for p, d in zip(listed, found, strict=True) if d is not None]


async def _with_secrets(
    client: NMClient, profile_path: str | None, applied: dict[str, dict[str, Any]] | None
) -> None:
    """Fill the 802.1x secrets NM keeps out of an applied profile (GetSecrets on its profile)."""
    if not applied or "802-1x" not in applied or not profile_path or profile_path == "/":
        return
    try:
        (found,) = await client.call(profile_path, CONNECTION_IFACE, "GetSecrets", "s", ["802-1x"])
    except DBusError:
        return  # agent-owned or not saved: there is nothing stored to show
    applied["802-1x"].update(found.get("802-1x", {}))


async def read_nm(client: NMClient, secrets: bool = False) -> NMState:
    """NetworkManager's devices, their applied profiles, DNS, hostname and checkpoints.

    ``secrets`` adds the 802.1x secrets to the applied profiles that have that setting.
    """
    objects, hostname, dns, pid = await asyncio.gather(
        _managed_objects(client),
        client.get(SETTINGS_PATH, SETTINGS_IFACE, "Hostname"),
        client.get(f"{NM_PATH}/DnsManager", DNS_IFACE, "Configuration"),
        nm_pid(client),
    )
    external: set[str] = set()
    if objects is not None and NM_PATH in objects:
        manager, devices, external = _from_objects(objects)
    else:
        manager, devices = await _per_device(client)
    active = [p for p, d in devices if device_up(int(d.get("State", 0))) and p not in external]
    applied = await asyncio.gather(*(_applied(client, p) for p in active))
    by_path = dict(zip(active, applied, strict=True))
    if secrets:
        profile_of = {p: d.get("ProfilePath") for p, d in devices}
        await asyncio.gather(*(_with_secrets(client, profile_of[p], by_path[p]) for p in active))
    state = NMState(
        version=manager.get("Version", ""),
        hostname=hostname or "",
        pid=pid,
        dns=dns or [],
        checkpoints=list(manager.get("Checkpoints") or []),
        global_dns=global_from_nm(manager.get(GLOBAL_DNS)),
    )
    for path, dev in devices:
        name = str(dev.get("IpInterface") or dev.get("Interface") or path)
        dev_state = int(dev.get("State", 0))
        got = by_path.get(path)
        uuid = dev.get("ActiveUuid") or (got or {}).get("connection", {}).get("uuid")
        state.devices[name] = NMDevice(
            name=name,
            path=path,
            managed=bool(dev.get("Managed")),
            state=dev_state,
            applied=got,
            active_uuid=str(uuid) if uuid and device_up(dev_state) else None,
            external=path in external and dev_state == DEVICE_STATE_ACTIVATED,
            profile_path=dev.get("ProfilePath"),
        )
    return state


async def read_profiles(client: NMClient) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    """Every connection profile as (D-Bus path, plain settings), fetched concurrently."""
    (paths,) = await client.call(SETTINGS_PATH, SETTINGS_IFACE, "ListConnections")
    settings = await asyncio.gather(
        *(client.call(p, CONNECTION_IFACE, "GetSettings") for p in paths)
    )
    return [(p, s[0]) for p, s in zip(paths, settings, strict=True)]
