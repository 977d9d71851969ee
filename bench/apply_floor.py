"""The apply benchmark's states and NetworkManager's bare floor, and the kernel checks.

Split from ``bench/apply.py`` (which runs the contenders and prints the
table): what each contender is asked to do (:func:`desired`, :func:`absent`),
the floor itself (bare ``AddConnection2`` + ``ActivateConnection``, then
``Delete``, waiting on NM's signals), and how a cell is judged done from the
kernel's side (:func:`check_applied`, :func:`check_removed`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import uuid
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from dbus_fast import Message
from dbus_fast.errors import DBusError

from engine.backend.nm_dbus import (
    ACTIVE_ACTIVATED,
    ACTIVE_IFACE,
    CONNECTION_IFACE,
    DEVICE_IFACE,
    NM_IFACE,
    NM_PATH,
    SETTINGS_IFACE,
    SETTINGS_PATH,
    NMClient,
)
from engine.backend.nm_exec import BLOCK_AUTOCONNECT
from engine.backend.nm_types import to_dbus

WAIT_SECONDS = 120.0
NS = uuid.UUID("5f0c6f0e-7a51-4f8e-9d0b-6b1f3c2a9e10")  # stable profile uuids across runs


# -- the states ---------------------------------------------------------------


def bridge_name(i: int) -> str:
    return f"bb{i}"


def port_name(i: int) -> str:
    return f"bp{i}"


def address(i: int) -> str:
    """The i-th bridge's address: one /24 each out of 198.18.0.0/15 (512 at most)."""
    if not 0 <= i < 512:
        raise ValueError("at most 512 bridges (one /24 each in 198.18.0.0/15)")
    return f"198.{18 + i // 256}.{i % 256}.1"


def desired(n: int, variant: str) -> dict[str, Any]:
    """The nmstate desired state with ``n`` bridges, the same for ours and the peer."""
    ifaces = []
    for i in range(n):
        ipv4: dict[str, Any] = {"enabled": False}
        if variant != "noip":
            ipv4 = {
                "enabled": True,
                "dhcp": False,
                "address": [{"ip": address(i), "prefix-length": 24}],
            }
        ports = [{"name": port_name(i)}] if variant == "port" else []
        ifaces.append(
            {
                "name": bridge_name(i),
                "type": "linux-bridge",
                "state": "up",
                # STP off: with it a port waits 2 x forward-delay (30 s) before carrier.
                "bridge": {"options": {"stp": {"enabled": False}}, "port": ports},
                "ipv4": ipv4,
                "ipv6": {"enabled": False},
            }
        )
    return {"interfaces": ifaces}


def absent(n: int) -> dict[str, Any]:
    """The desired state removing what :func:`desired` created."""
    return {
        "interfaces": [
            {"name": bridge_name(i), "type": "linux-bridge", "state": "absent"} for i in range(n)
        ]
    }


def profile_uuid(name: str) -> str:
    """A stable uuid per interface name, so reruns and contenders name profiles alike."""
    return str(uuid.uuid5(NS, name))


def bridge_settings(i: int, variant: str) -> dict[str, dict[str, Any]]:
    """The floor's NM profile for bridge i: what ours writes for it, spelled by hand."""
    name = bridge_name(i)
    ipv4: dict[str, Any] = {"method": "disabled"}
    if variant != "noip":
        ipv4 = {"method": "manual", "address-data": [{"address": address(i), "prefix": 24}]}
    return {
        "connection": {
            "id": name,
            "uuid": profile_uuid(name),
            "type": "bridge",
            "interface-name": name,
            "autoconnect": True,
            "autoconnect-slaves": 1,
        },
        "bridge": {"stp": False},
        "ipv4": ipv4,
        "ipv6": {"method": "disabled"},
    }


def veth_settings(i: int, controller: str) -> dict[str, dict[str, Any]]:
    """The floor's profile making the existing veth i a port of ``controller``."""
    name = port_name(i)
    con: dict[str, Any] = {
        "id": name,
        "uuid": profile_uuid(name),
        "type": "veth",
        "interface-name": name,
        "autoconnect": True,
        "master": controller,
        "slave-type": "bridge",
    }
    return {"connection": con, "veth": {"peer": f"{name}p"}, "bridge-port": {}}


# -- bare D-Bus: the floor, and the untimed set-up ----------------------------

# dbus-daemon refuses more than 128 pending replies per connection (system-bus
# default): every burst of calls below stays under it.
MAX_PENDING = 64

T = TypeVar("T")


async def gather_bounded(coros: Iterable[Awaitable[T]], limit: int = MAX_PENDING) -> list[T]:
    """``asyncio.gather`` with at most ``limit`` awaiting at once, results in order."""
    sem = asyncio.Semaphore(limit)

    async def one(coro: Awaitable[T]) -> T:
        async with sem:
            return await coro

    return await asyncio.gather(*(one(c) for c in coros))


@dataclass
class ActiveWatch:
    """Connection.Active states seen in StateChanged signals, by object path."""

    states: dict[str, int]
    changed: asyncio.Event

    @classmethod
    async def attach(cls, client: NMClient) -> ActiveWatch:
        watch = cls({}, asyncio.Event())
        await client.on_signal(ACTIVE_IFACE, "StateChanged", watch.on_signal)
        return watch

    def on_signal(self, msg: Message) -> None:
        if msg.path and msg.body:
            self.states[msg.path] = int(msg.body[0])
            self.changed.set()

    async def wait_activated(self, client: NMClient, actives: list[str], timeout: float) -> None:
        """Until every path is ACTIVATED; signals first, one Get for those not heard of yet."""
        for path in actives:
            if path not in self.states:
                with contextlib.suppress(DBusError):  # gone already: its signal says why
                    self.states.setdefault(path, int(await client.get(path, ACTIVE_IFACE, "State")))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            states = [self.states.get(p, 0) for p in actives]
            if any(s > ACTIVE_ACTIVATED for s in states):
                raise RuntimeError("an activation failed (DEACTIVATING/DEACTIVATED)")
            if all(s == ACTIVE_ACTIVATED for s in states):
                return
            if loop.time() > deadline:
                raise RuntimeError(f"not all activated within {timeout:.0f} s")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout=0.5)


async def add_profile(client: NMClient, settings: dict[str, dict[str, Any]], flags: int) -> str:
    path, _ = await client.call(
        SETTINGS_PATH,
        SETTINGS_IFACE,
        "AddConnection2",
        "a{sa{sv}}ua{sv}",
        [to_dbus(settings), flags, {}],
    )
    return str(path)


async def activate(client: NMClient, profile: str) -> str:
    (active,) = await client.call(
        NM_PATH, NM_IFACE, "ActivateConnection", "ooo", [profile, "/", "/"]
    )
    return str(active)


async def add_and_activate(
    bus_address: str, profiles: list[dict[str, dict[str, Any]]], flags: int
) -> None:
    """Add and activate ``profiles`` concurrently and wait until all are ACTIVATED (set-up)."""
    client = await NMClient.connect(bus_address)
    try:
        watch = await ActiveWatch.attach(client)

        async def one(settings: dict[str, dict[str, Any]]) -> str:
            return await activate(client, await add_profile(client, settings, flags))

        actives = await gather_bounded(one(s) for s in profiles)
        await watch.wait_activated(client, list(actives), WAIT_SECONDS)
    finally:
        client.close()


async def wait_devices(bus_address: str, names: set[str], timeout: float = WAIT_SECONDS) -> None:
    """Until NM has a device for each of ``names`` (set-up: NM must know a port to use it)."""
    client = await NMClient.connect(bus_address)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            (paths,) = await client.call(NM_PATH, NM_IFACE, "GetAllDevices")
            found = await gather_bounded(client.get(p, DEVICE_IFACE, "Interface") for p in paths)
            if names <= set(found):
                return
            if loop.time() > deadline:
                raise RuntimeError(f"NM did not see {len(names - set(found))} devices")
            await asyncio.sleep(0.02)
    finally:
        client.close()


async def floor_apply(bus_address: str, n: int, variant: str, flags: int) -> None:
    """Bridges (and their ports) added and activated with bare D-Bus, until all ACTIVATED."""
    client = await NMClient.connect(bus_address)
    try:
        watch = await ActiveWatch.attach(client)

        # The floor activates every profile explicitly, as our executor does: a racing
        # autoconnect would supersede (restart) some activations and make it noisy.
        flags |= BLOCK_AUTOCONNECT

        async def one(i: int) -> list[str]:
            bridge = await add_profile(client, bridge_settings(i, variant), flags)
            actives = [await activate(client, bridge)]
            if variant == "port":
                port = await add_profile(client, veth_settings(i, bridge_name(i)), flags)
                actives.append(await activate(client, port))
            return actives

        nested = await gather_bounded(one(i) for i in range(n))
        await watch.wait_activated(client, [p for ps in nested for p in ps], WAIT_SECONDS)
    finally:
        client.close()


async def floor_remove(bus_address: str, netns: str, n: int) -> None:
    """Delete the bridge profiles; done once neither NM nor the kernel has their devices."""
    client = await NMClient.connect(bus_address)
    try:
        names = [bridge_name(i) for i in range(n)]
        devices = await gather_bounded(
            client.call(NM_PATH, NM_IFACE, "GetDeviceByIpIface", "s", [x]) for x in names
        )
        profiles = await gather_bounded(
            client.call(
                SETTINGS_PATH, SETTINGS_IFACE, "GetConnectionByUuid", "s", [profile_uuid(x)]
            )
            for x in names
        )
        await gather_bounded(client.call(p, CONNECTION_IFACE, "Delete") for (p,) in profiles)
        wanted_gone = {d for (d,) in devices}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        while True:
            (present,) = await client.call(NM_PATH, NM_IFACE, "GetAllDevices")
            if not wanted_gone & set(present) and not kernel_bridges(netns):
                return
            if loop.time() > deadline:
                raise RuntimeError(f"devices still present after {WAIT_SECONDS:.0f} s")
            await asyncio.sleep(0.01)
    finally:
        client.close()


# -- checks (untimed, except floor_remove's kernel look) ----------------------


def _ip_json(netns: str, *args: str) -> list[dict[str, Any]]:
    out = subprocess.run(
        ["ip", "-n", netns, "-j", *args], capture_output=True, text=True, check=True
    ).stdout
    result: list[dict[str, Any]] = json.loads(out or "[]")
    return result


def kernel_bridges(netns: str) -> dict[str, list[str]]:
    """The benchmark's bridges in the kernel: name -> IPv4 addresses (with prefix)."""
    return {
        link["ifname"]: [
            f"{a['local']}/{a['prefixlen']}"
            for a in link.get("addr_info", [])
            if a["family"] == "inet"
        ]
        for link in _ip_json(netns, "addr", "show", "type", "bridge")
        if link["ifname"].startswith("bb")
    }


def check_applied(netns: str, n: int, variant: str) -> str | None:
    """None when the kernel has exactly what :func:`desired` asks for, else what differs."""
    found = kernel_bridges(netns)
    want = {bridge_name(i): [] if variant == "noip" else [f"{address(i)}/24"] for i in range(n)}
    if found != want:
        missing = sorted(set(want) - set(found))[:3]
        wrong = sorted(x for x in set(want) & set(found) if want[x] != found[x])[:3]
        return f"kernel differs: {len(found)}/{n} bridges, missing {missing}, wrong addr {wrong}"
    if variant == "port":
        masters = {link["ifname"]: link.get("master") for link in _ip_json(netns, "link")}
        bad = [port_name(i) for i in range(n) if masters.get(port_name(i)) != bridge_name(i)]
        if bad:
            return f"ports not attached: {bad[:3]}"
    return None


def check_removed(netns: str) -> str | None:
    left = kernel_bridges(netns)
    return f"{len(left)} bridges left: {sorted(left)[:3]}" if left else None


# -- the contenders -------------------------------------------------------------
