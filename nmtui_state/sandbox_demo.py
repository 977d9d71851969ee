"""The sandbox's demo host, built through NetworkManager's D-Bus API.

Links are created as NM profiles (veth with a peer) because NM leaves
externally created veths unmanaged. The peer ends (``eth1p`` ...) stand in
for the far end of a cable: they are brought up over netlink so the NM side
has carrier, and NM never manages them.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import uuid
from typing import Any

from dbus_fast import Variant

from engine.backend.nm_dbus import (
    ACTIVE_ACTIVATED,
    ACTIVE_IFACE,
    NM_IFACE,
    NM_PATH,
    SETTINGS_IFACE,
    SETTINGS_PATH,
    NMClient,
)

DEMO_HOSTNAME = "demo-host"
DEMO_DNS4 = ["192.0.2.53"]
DEMO_DNS6 = ["2001:db8:1::53"]
DEMO_SEARCH = ["example.test"]

PEERS = ["eth1p", "eth2p", "eth3p"]
# The peers are the far ends of the demo's cables: not this host's to manage.
DEMO_NM_CONF = (
    "[keyfile]\nunmanaged-devices=" + ";".join(f"interface-name:{p}" for p in PEERS) + "\n"
)

Settings = dict[str, dict[str, Variant]]


def _addresses(addrs: list[tuple[str, int]]) -> Variant:
    return Variant(
        "aa{sv}", [{"address": Variant("s", a), "prefix": Variant("u", p)} for a, p in addrs]
    )


def _ip4(
    addrs: list[tuple[str, int]], dns: bool = False, routes: bool = False
) -> dict[str, Variant]:
    section: dict[str, Variant] = {
        "method": Variant("s", "manual"),
        "address-data": _addresses(addrs),
    }
    if dns:
        packed = [struct.unpack("=I", socket.inet_aton(a))[0] for a in DEMO_DNS4]
        section["dns"] = Variant("au", packed)
        section["dns-search"] = Variant("as", DEMO_SEARCH)
    if routes:
        section["route-data"] = Variant(
            "aa{sv}",
            [
                {
                    "dest": Variant("s", "203.0.113.0"),
                    "prefix": Variant("u", 24),
                    "next-hop": Variant("s", "192.0.2.1"),
                    "metric": Variant("u", 100),
                }
            ],
        )
    return section


def _ip6(addrs: list[tuple[str, int]], dns: bool = False) -> dict[str, Variant]:
    section: dict[str, Variant] = {
        "method": Variant("s", "manual"),
        "address-data": _addresses(addrs),
    }
    if dns:
        section["dns"] = Variant("aay", [socket.inet_pton(socket.AF_INET6, a) for a in DEMO_DNS6])
    return section


def _connection(name: str, kind: str, **extra: Variant) -> dict[str, Variant]:
    return {
        "id": Variant("s", name),
        "uuid": Variant("s", str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{name}.nmtui-demo"))),
        "type": Variant("s", kind),
        "interface-name": Variant("s", name),
        "autoconnect": Variant("b", True),
        **extra,
    }


# Fixed, locally administered MACs: the demo (and every snapshot of it) looks the same each run.
DEMO_MACS = {
    "br0": "02:00:00:00:00:10",
    "eth1": "02:00:00:00:00:01",
    "eth2": "02:00:00:00:00:02",
    "eth3": "02:00:00:00:00:03",
}
PEER_MACS = {
    "eth1p": "02:00:00:00:01:01",
    "eth2p": "02:00:00:00:01:02",
    "eth3p": "02:00:00:00:01:03",
}


def _mac(name: str) -> dict[str, Variant]:
    return {"assigned-mac-address": Variant("s", DEMO_MACS[name])}


def demo_profiles() -> list[Settings]:
    """NM settings of the demo host: br0 (eth2, eth3 as ports) and eth1, with v4+v6."""
    port = {"master": Variant("s", "br0"), "slave-type": Variant("s", "bridge")}
    no_ip4 = {"method": Variant("s", "disabled")}
    no_ip6 = {"method": Variant("s", "disabled")}
    return [
        {
            "connection": _connection("br0", "bridge"),
            "bridge": {"stp": Variant("b", False)},
            "802-3-ethernet": _mac("br0"),
            "ipv4": _ip4([("198.51.100.1", 24)]),
            "ipv6": _ip6([("2001:db8:2::1", 64)]),
        },
        {
            "connection": _connection("eth1", "veth"),
            "veth": {"peer": Variant("s", "eth1p")},
            "802-3-ethernet": _mac("eth1"),
            "ipv4": _ip4([("192.0.2.10", 24)], dns=True, routes=True),
            "ipv6": _ip6([("2001:db8:1::10", 64)], dns=True),
        },
        *(
            {
                "connection": _connection(name, "veth", **port),
                "veth": {"peer": Variant("s", f"{name}p")},
                "802-3-ethernet": _mac(name),
                "ipv4": no_ip4,
                "ipv6": no_ip6,
            }
            for name in ("eth2", "eth3")
        ),
    ]


async def wait_nm(bus_address: str, timeout: float) -> None:
    client = await NMClient.connect(bus_address)
    try:
        await client.wait_ready(timeout)
    finally:
        client.close()


def _peers_up(netns: str, peers: list[str]) -> list[str]:
    """Bring up the peers that exist; return those not there yet."""
    from pyroute2 import IPRoute

    from engine.backend.netns import netlink_fd

    left = []
    with IPRoute(fileno=netlink_fd(netns)) as ns:
        for peer in peers:
            idx = ns.link_lookup(ifname=peer)
            if idx:
                ns.link("set", index=idx[0], address=PEER_MACS[peer], state="up")
            else:
                left.append(peer)
    return left


async def build_demo(bus_address: str, netns: str, timeout: float = 15.0) -> None:
    """Add and activate the demo profiles, set the hostname, wait until all are ACTIVATED."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    client = await NMClient.connect(bus_address)
    try:
        await client.call(SETTINGS_PATH, SETTINGS_IFACE, "SaveHostname", "s", [DEMO_HOSTNAME])
        paths = await asyncio.gather(
            *(
                client.call(
                    SETTINGS_PATH,
                    SETTINGS_IFACE,
                    "AddConnection2",
                    "a{sa{sv}}ua{sv}",
                    [profile, 0x1, {}],
                )
                for profile in demo_profiles()
            )
        )
        actives = await asyncio.gather(
            *(
                client.call(NM_PATH, NM_IFACE, "ActivateConnection", "ooo", [path, "/", "/"])
                for path, _result in paths
            )
        )
        peers = list(PEERS)
        while peers:
            peers = await asyncio.to_thread(_peers_up, netns, peers)
            if peers:
                if loop.time() > deadline:
                    raise TimeoutError(f"demo veth peers never appeared: {peers}")
                await asyncio.sleep(0.01)
        pending: list[Any] = [a for (a,) in actives]
        # NM publishes a saved hostname only once its file monitor sees /etc/hostname change.
        while await client.get(SETTINGS_PATH, SETTINGS_IFACE, "Hostname") != DEMO_HOSTNAME:
            if loop.time() > deadline:
                raise TimeoutError("NetworkManager never reported the demo hostname")
            await asyncio.sleep(0.01)
        while pending:
            states = await asyncio.gather(*(client.get(a, ACTIVE_IFACE, "State") for a in pending))
            pending = [a for a, s in zip(pending, states, strict=True) if s != ACTIVE_ACTIVATED]
            if pending:
                if loop.time() > deadline:
                    raise TimeoutError(f"demo profiles not activated in {timeout} s: {pending}")
                await asyncio.sleep(0.01)
    finally:
        client.close()
