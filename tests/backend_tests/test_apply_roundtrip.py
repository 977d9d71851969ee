"""apply → show round trips on a real NetworkManager, one interface type at a time.

Every case applies a desired state and reads the host back (``show``'s
own reader: NM over D-Bus plus netlink), so a translation, plan, executor
or reader bug shows up as a difference. Each type also goes ``down``
(profile kept, deactivated, virtual device gone), back ``up`` from the
profile alone, and ``absent`` (profile and device gone). Sections (routes,
DNS, hostname), the CLI to disk and ethtool are in
``test_apply_roundtrip_sections.py``; the shared helpers in ``apply_helpers.py``.

The tests share one demo host per module (a fresh one costs about a
second); each creates its own interfaces and removes them, or restores
what it changed, so the order does not matter. Applies are
``memory_only`` (faster, nothing left on disk).

The kernel lacks bridge VLAN filtering here (like vlan, bond, dummy and
vrf: see ../shared/facts.md), so port VLANs are checked through the
profile NetworkManager stores and the failure path (exit 1, rolled back,
the reason named).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.apply import prepare
from engine.backend.kernel_probe import VLAN_FILTERING, kernel_has
from engine.backend.nm_dbus import (
    CONNECTION_IFACE,
    SETTINGS_IFACE,
    SETTINGS_PATH,
    NMClient,
)
from engine.backend.nm_exec import BLOCK_AUTOCONNECT, IN_MEMORY
from engine.backend.nm_settings_read import settings_to_ifaces
from engine.backend.nm_types import from_dbus, to_dbus
from engine.show import read_live
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    OFF,
    apply,
    by_name,
    cli,
    down_up_absent,
    ip,
    live,
    profile_ifaces,
    show_text,
    write_state,
)

pytestmark = pytest.mark.nm


# -- interfaces ----------------------------------------------------------------------------


async def test_veth_static_ipv4_and_ipv6_keeps_dns_and_routes(host: Sandbox) -> None:
    before = await live(host)
    old = by_name(before)["eth1"]
    desired = {
        "interfaces": [
            {
                "name": "eth1",
                "type": "veth",
                "ipv4": {"enabled": True, "address": [ip("192.0.2.11", 24), ip("192.0.2.12", 25)]},
                "ipv6": {"enabled": True, "address": [ip("2001:db8:1::11", 64)]},
            }
        ]
    }
    await apply(host, desired)
    after = await live(host)
    eth1 = by_name(after)["eth1"]
    assert eth1["ipv4"]["address"] == [ip("192.0.2.11", 24), ip("192.0.2.12", 25)]
    assert eth1["ipv6"]["address"] == [ip("2001:db8:1::11", 64)]
    assert eth1["ipv4"]["dhcp"] is False and eth1["ipv6"]["autoconf"] is False
    # eth1's profile was rewritten: the DNS and the route it carries must survive.
    assert after["dns-resolver"] == before["dns-resolver"]
    assert after["routes"] == before["routes"]
    assert eth1["mac-address"] == old["mac-address"]
    # ... and stay on eth1: DNS is not moved to another interface (br0) behind one's back.
    (profile,) = (await profile_ifaces(host))["eth1"]
    servers = profile["ipv4"].get("dns-data") or profile["ipv4"].get("dns")
    assert servers and profile["ipv4"]["dns-search"] == ["example.test"]
    assert not (await profile_ifaces(host))["br0"][0]["ipv4"].get("dns-search")
    await apply(host, {"interfaces": [{k: old[k] for k in ("name", "type", "ipv4", "ipv6")}]})
    assert await live(host) == before


async def test_new_veth_pair_down_up_absent(host: Sandbox) -> None:
    await apply(
        host,
        {
            "interfaces": [
                {
                    "name": "ve1",
                    "type": "veth",
                    "veth": {"peer": "ve1p"},
                    "mtu": 1400,
                    "ipv4": {"enabled": True, "address": [ip("10.1.0.1", 24)]},
                    "ipv6": {"enabled": True, "address": [ip("2001:db8:a::1", 64)]},
                }
            ]
        },
    )
    ifaces = by_name(await live(host))
    assert ifaces["ve1"]["state"] == "up"
    assert ifaces["ve1"]["veth"] == {"peer": "ve1p"}
    assert ifaces["ve1p"]["veth"] == {"peer": "ve1"}
    assert ifaces["ve1"]["mtu"] == 1400
    assert ifaces["ve1"]["ipv4"]["address"] == [ip("10.1.0.1", 24)]
    assert ifaces["ve1"]["ipv6"]["address"] == [ip("2001:db8:a::1", 64)]
    await down_up_absent(host, "ve1", "veth", also_gone=("ve1p",))


async def test_linux_bridge_stp_and_port_options(host: Sandbox) -> None:
    stp = {"enabled": True, "forward-delay": 10, "hello-time": 3, "max-age": 25, "priority": 4096}
    await apply(
        host,
        {
            "interfaces": [
                {
                    "name": "br1",
                    "type": "linux-bridge",
                    "ipv4": OFF,
                    "ipv6": OFF,
                    "bridge": {
                        "options": {"stp": stp, "mac-ageing-time": 120},
                        "port": [{"name": "pv1"}, {"name": "pv2"}],
                    },
                },
                {"name": "pv1", "type": "veth", "veth": {"peer": "pv1p"}},
                {"name": "pv2", "type": "veth", "veth": {"peer": "pv2p"}},
            ]
        },
    )
    ifaces = by_name(await live(host))
    opts = ifaces["br1"]["bridge"]["options"]
    assert opts["stp"] == stp and opts["mac-ageing-time"] == 120
    assert [p["name"] for p in ifaces["br1"]["bridge"]["port"]] == ["pv1", "pv2"]
    assert ifaces["pv1"]["controller"] == "br1" and ifaces["pv1"]["ipv4"]["enabled"] is False
    # Port options live in the ports' profiles: naming only the bridge must rewrite them.
    ports = [
        {"name": "pv1", "stp-priority": 40, "stp-path-cost": 150, "stp-hairpin-mode": True},
        {"name": "pv2", "stp-priority": 20},
    ]
    await apply(
        host, {"interfaces": [{"name": "br1", "type": "linux-bridge", "bridge": {"port": ports}}]}
    )
    got = {p["name"]: p for p in by_name(await live(host))["br1"]["bridge"]["port"]}
    assert {key: got["pv1"][key] for key in ports[0]} == ports[0]
    assert got["pv2"]["stp-priority"] == 20
    # Dropping a port from the list releases it (it stays, without a controller).
    one_port = {"port": [{"name": "pv1"}]}
    await apply(host, {"interfaces": [{"name": "br1", "type": "linux-bridge", "bridge": one_port}]})
    ifaces = by_name(await live(host))
    assert [p["name"] for p in ifaces["br1"]["bridge"]["port"]] == ["pv1"]
    assert "controller" not in ifaces["pv2"] and ifaces["pv2"]["state"] == "up"
    await down_up_absent(host, "br1", "linux-bridge")
    await apply(
        host,
        {"interfaces": [{"name": n, "type": "veth", "state": "absent"} for n in ("pv1", "pv2")]},
    )
    assert not {"pv1", "pv2", "pv1p", "pv2p"} & set(by_name(await live(host)))


BRIDGE_VLANS = {
    "interfaces": [
        {
            "name": "br2",
            "type": "linux-bridge",
            "ipv4": OFF,
            "ipv6": OFF,
            "bridge": {
                "options": {"stp": {"enabled": False}},
                "port": [
                    {"name": "pv3", "vlan": {"mode": "access", "tag": 100}},
                    {
                        "name": "pv4",
                        "vlan": {
                            "mode": "trunk",
                            "tag": 1,
                            "enable-native": True,
                            "trunk-tags": [{"id": 200}, {"id-range": {"min": 300, "max": 302}}],
                        },
                    },
                ],
            },
        },
        {"name": "pv3", "type": "veth", "veth": {"peer": "pv3p"}},
        {"name": "pv4", "type": "veth", "veth": {"peer": "pv4p"}},
    ]
}


async def test_bridge_port_vlans_reach_networkmanager(host: Sandbox) -> None:
    """The plan's own profiles for port VLANs, stored by NM and read back, say the same."""
    client = await NMClient.connect(host.bus_address)
    added = []
    try:
        prepared = await prepare(client, BRIDGE_VLANS, await read_live(host.bus_address, host.name))
        steps = [s for s in prepared.plan.steps if s.action == "add"]
        assert [s.iface for s in steps] == ["br2", "pv3", "pv4"]
        back = []
        for step in steps:
            assert step.settings is not None
            path, _ = await client.call(
                SETTINGS_PATH,
                SETTINGS_IFACE,
                "AddConnection2",
                "a{sa{sv}}ua{sv}",
                [to_dbus(step.settings), IN_MEMORY | BLOCK_AUTOCONNECT, {}],
            )
            added.append(path)
            (settings,) = await client.call(path, CONNECTION_IFACE, "GetSettings")
            back.append(from_dbus(settings))
        br2 = by_name({"interfaces": settings_to_ifaces(back)})["br2"]
        got = {p["name"]: p.get("vlan") for p in br2["bridge"]["port"]}
        asked = BRIDGE_VLANS["interfaces"][0]["bridge"]["port"]
        assert got == {p["name"]: p["vlan"] for p in asked}
    finally:
        for path in added:
            await client.call(path, CONNECTION_IFACE, "Delete")
        client.close()


async def test_bridge_port_vlans_apply(host: Sandbox, tmp_path: Path) -> None:
    """Without CONFIG_BRIDGE_VLAN_FILTERING: exit 1, the host untouched, the reason named."""
    if kernel_has(VLAN_FILTERING):
        await apply(host, BRIDGE_VLANS)  # verify() passes or raises
        await apply(host, {"interfaces": [{"name": "br2", "state": "absent"}]})
        return
    before = show_text(host)
    out = cli(host, "apply", "--memory-only", write_state(tmp_path, "vlans.yml", BRIDGE_VLANS))
    assert out.returncode == 1, out.stderr
    assert "rolled back" in out.stderr
    assert "this kernel lacks bridge VLAN filtering" in out.stderr
    assert show_text(host) == before
    assert not {"br2", "pv3", "pv4"} & set(await profile_ifaces(host))


@pytest.mark.parametrize(
    ("name", "kind", "section"),
    [
        ("mv1", "mac-vlan", {"base-iface": "eth1", "mode": "bridge"}),
        ("mt1", "mac-vtap", {"base-iface": "eth1", "mode": "vepa"}),
        (
            "vx1",
            "vxlan",
            {"id": 101, "base-iface": "eth1", "remote": "192.0.2.99", "destination-port": 4790},
        ),
    ],
)
async def test_stacked_link(host: Sandbox, name: str, kind: str, section: dict[str, Any]) -> None:
    ipv4 = {"enabled": True, "address": [ip("10.2.0.1", 24)]}
    await apply(host, {"interfaces": [{"name": name, "type": kind, kind: section, "ipv4": ipv4}]})
    iface = by_name(await live(host))[name]
    assert iface["type"] == kind and iface["state"] == "up"
    assert {key: iface[kind].get(key) for key in section} == section
    assert iface["ipv4"]["address"] == ipv4["address"]
    await down_up_absent(host, name, kind)


async def test_loopback_extra_address_keeps_127_0_0_1(host: Sandbox) -> None:
    before = by_name(await live(host))["lo"]
    await apply(host, {"interfaces": [{"name": "lo", "ipv4": {"address": [ip("127.0.0.2", 8)]}}]})
    lo = by_name(await live(host))["lo"]
    assert lo["ipv4"]["address"] == [ip("127.0.0.1", 8), ip("127.0.0.2", 8)]
    assert lo["ipv6"]["address"] == [ip("::1", 128)]
    await apply(host, {"interfaces": [{"name": "lo", "ipv4": {"address": [ip("127.0.0.1", 8)]}}]})
    assert by_name(await live(host))["lo"]["ipv4"] == before["ipv4"]
