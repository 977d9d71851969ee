"""apply → show round trips on a real NetworkManager, one interface type or section at a time.

Every case applies a desired state and reads the host back (``show``'s
own reader: NM over D-Bus plus netlink), so a translation, plan, executor
or reader bug shows up as a difference. Each type also goes ``down``
(profile kept, deactivated, virtual device gone), back ``up`` from the
profile alone, and ``absent`` (profile and device gone).

The tests share one demo host per module (a fresh one costs about a
second); each creates its own interfaces and removes them, or restores
what it changed, so the order does not matter. Most applies are
``memory_only`` (faster, nothing left on disk); one goes to disk through
the CLI.

The kernel lacks bridge VLAN filtering here (like vlan, bond, dummy and
vrf: see ../shared/facts.md), so port VLANs are checked through the
profile NetworkManager stores and the failure path (exit 1, rolled back,
the reason named).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.apply import ApplyResult, apply_async, prepare
from engine.backend.kernel_probe import VLAN_FILTERING, kernel_has
from engine.backend.nm_dbus import (
    ACTIVE_IFACE,
    CONNECTION_IFACE,
    DEVICE_IFACE,
    SETTINGS_IFACE,
    SETTINGS_PATH,
    NMClient,
)
from engine.backend.nm_exec import BLOCK_AUTOCONNECT, IN_MEMORY
from engine.backend.nm_read import read_profiles
from engine.backend.nm_settings_read import settings_to_ifaces
from engine.backend.nm_types import from_dbus, to_dbus
from engine.show import read_live
from nmtui_state.sandbox import Sandbox

pytestmark = pytest.mark.nm

EXE = str(Path(sys.executable).parent / "nmtui-state")
OFF = {"enabled": False}


# -- helpers shared by the test_apply_* modules ------------------------------------------


def cli(
    sb: Sandbox, *args: str, stdin: str | None = None, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``nmtui-state ARGS`` against ``sb`` (extra ``env`` entries override)."""
    return subprocess.run(
        [EXE, *args],
        env={**sb.env(), **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def show_text(sb: Sandbox) -> str:
    """``nmtui-state show`` output: the byte-exact picture rollbacks are judged by."""
    out = cli(sb, "show")
    assert out.returncode == 0, out.stderr
    return out.stdout


async def live(sb: Sandbox) -> dict[str, Any]:
    """The host's state as ``show`` builds it (in process: faster than the CLI)."""
    return (await read_live(sb.bus_address, sb.name)).state


def by_name(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["name"]: i for i in state["interfaces"]}


async def apply(sb: Sandbox, desired: dict[str, Any], **kwargs: Any) -> ApplyResult:
    """``apply_async`` against ``sb``; memory-only unless told otherwise."""
    kwargs.setdefault("memory_only", True)
    return await apply_async(desired, bus_address=sb.bus_address, netns=sb.name, **kwargs)


async def profile_ifaces(sb: Sandbox) -> dict[str, list[dict[str, Any]]]:
    """interface name → the settings of every NM profile bound to it."""
    client = await NMClient.connect(sb.bus_address)
    try:
        out: dict[str, list[dict[str, Any]]] = {}
        for _path, settings in await read_profiles(client):
            name = settings.get("connection", {}).get("interface-name", "")
            out.setdefault(name, []).append(settings)
        return out
    finally:
        client.close()


def write_state(folder: Path, name: str, state: dict[str, Any]) -> str:
    path = folder / name
    path.write_text(yaml.safe_dump(state, sort_keys=False))
    return str(path)


def ip(addr: str, plen: int) -> dict[str, Any]:
    return {"ip": addr, "prefix-length": plen}


async def down_up_absent(
    sb: Sandbox, name: str, kind: str, also_gone: tuple[str, ...] = ()
) -> None:
    """``down`` keeps the profile and removes the link; ``up`` brings it back from the
    profile alone (nothing else said); ``absent``, of an up and of a down interface,
    removes both."""

    async def to(state: str) -> dict[str, dict[str, Any]]:
        await apply(sb, {"interfaces": [{"name": name, "type": kind, "state": state}]})
        return by_name(await live(sb))

    before = by_name(await live(sb))[name]
    for last in ("up", "down"):
        now = await to("down")
        assert name not in now and not set(also_gone) & set(now)
        assert name in await profile_ifaces(sb), "down keeps the profile"
        again = (await to("up"))[name]
        for key in (kind, "ipv4", "ipv6", "bridge", "mtu"):
            assert again.get(key) == before.get(key), f"{name}.{key} after down and up"
        if last == "down":
            await to("down")
        now = await to("absent")
        assert name not in now and not set(also_gone) & set(now)
        assert name not in await profile_ifaces(sb), f"absent (from {last}) deletes the profile"
        if last == "up":  # re-create it for the second round
            await apply(sb, {"interfaces": [before]})


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


# -- routes, DNS, hostname ---------------------------------------------------------------


async def test_routes_added_then_removed_by_wildcard(host: Sandbox) -> None:
    before = await live(host)
    v4 = {
        "destination": "198.18.0.0/16",
        "next-hop-interface": "eth1",
        "next-hop-address": "192.0.2.1",
        "metric": 150,
        "table-id": 254,
    }
    v6 = {
        "destination": "2001:db8:9::/48",
        "next-hop-interface": "br0",
        "next-hop-address": "2001:db8:2::fe",
        "metric": 50,
        "table-id": 254,
    }
    await apply(host, {"routes": {"config": [v4, v6]}})
    routes = (await live(host))["routes"]
    assert v4 in routes["config"] and v6 in routes["config"]
    assert v4 in routes["running"] and v6 in routes["running"]
    # Only the destination given: every field left out matches anything.
    absent = [{"destination": r["destination"], "state": "absent"} for r in (v4, v6)]
    await apply(host, {"routes": {"config": absent}})
    after = await live(host)
    assert after["routes"] == before["routes"]
    assert after["dns-resolver"] == before["dns-resolver"]


async def test_dns_resolver_replaces_servers_and_search(host: Sandbox) -> None:
    before = await live(host)
    config = {"server": ["192.0.2.54", "2001:db8:1::54"], "search": ["one.test", "two.test"]}
    await apply(host, {"dns-resolver": {"config": config}})
    dns = (await live(host))["dns-resolver"]
    assert dns["config"] == config and dns["running"] == config
    await apply(host, {"dns-resolver": {"config": before["dns-resolver"]["config"]}})
    assert (await live(host))["dns-resolver"] == before["dns-resolver"]


async def test_hostname(host: Sandbox) -> None:
    await apply(host, {"hostname": {"config": "round-trip"}})
    assert (await live(host))["hostname"] == {"config": "round-trip", "running": "round-trip"}
    await apply(host, {"hostname": {"config": "demo-host"}})
    assert (await live(host))["hostname"]["config"] == "demo-host"


def test_cli_apply_to_disk(host: Sandbox, tmp_path: Path) -> None:
    """Without --memory-only the profile is written as a keyfile NM reloads after a restart."""
    desired = {
        "interfaces": [
            {
                "name": "ve5",
                "type": "veth",
                "veth": {"peer": "ve5p"},
                "ipv4": {"enabled": True, "address": [ip("10.5.0.1", 24)]},
            }
        ]
    }
    out = cli(host, "apply", write_state(tmp_path, "ve5.yml", desired))
    assert out.returncode == 0, out.stderr
    assert "ve5: new veth interface" in out.stdout
    keyfile = host.root / "etc-nm" / "system-connections" / "ve5.nmconnection"
    text = keyfile.read_text()
    assert "interface-name=ve5" in text and "10.5.0.1/24" in text
    shown = yaml.safe_load(show_text(host))
    assert by_name(shown)["ve5"]["ipv4"]["address"] == [ip("10.5.0.1", 24)]
    desired["interfaces"][0]["state"] = "absent"
    out = cli(host, "apply", write_state(tmp_path, "ve5-absent.yml", desired))
    assert out.returncode == 0, out.stderr
    assert not keyfile.exists()


KERNEL_FEATURES = """
import json, sys
from pyroute2.ethtool import Ethtool
features = Ethtool().get_features(sys.argv[1]).features
print(json.dumps({name: f.enable for name, f in features.items()}))
"""


def kernel_features(sb: Sandbox, name: str) -> dict[str, bool]:
    """The offload features the kernel reports for ``name`` (ethtool ioctls, in the netns)."""
    out = sb.run([sys.executable, "-c", KERNEL_FEATURES, name], capture_output=True, check=True)
    result: dict[str, bool] = json.loads(out.stdout)
    return result


async def test_ethtool_features_reach_the_kernel(demo_sandbox: Sandbox) -> None:
    """ethtool -K's short name (tso) and a kernel name (rx-gro), through NM to the NIC."""
    before = kernel_features(demo_sandbox, "eth1")
    assert before["tx-tcp-segmentation"] is True and before["rx-gro"] is False  # veth defaults
    features = {"tso": False, "rx-gro": True}
    await apply(demo_sandbox, {"interfaces": [{"name": "eth1", "ethtool": {"feature": features}}]})
    after = kernel_features(demo_sandbox, "eth1")
    assert after["tx-tcp-segmentation"] is False and after["rx-gro"] is True
    shown = by_name(await live(demo_sandbox))["eth1"]["ethtool"]
    assert shown == {"feature": {"rx-gro": True, "tx-tcp-segmentation": False}}


NEW_ACTIVATION = 60  # NMDeviceStateReason: deactivated because another activation replaced it


async def test_a_new_profile_is_activated_once(sandbox: Sandbox) -> None:
    """No autoconnect races the plan's own activation (which would restart it)."""
    client = await NMClient.connect(sandbox.bus_address)
    reasons: list[int] = []
    activations: set[str] = set()
    try:
        await client.on_signal(DEVICE_IFACE, "StateChanged", lambda m: reasons.append(m.body[2]))
        await client.on_signal(ACTIVE_IFACE, "StateChanged", lambda m: activations.add(m.path))
        bridge = {
            "name": "bb0",
            "type": "linux-bridge",
            "bridge": {"port": []},
            "ipv4": {"enabled": True, "address": [ip("198.18.0.1", 24)]},
            "ipv6": OFF,
        }
        await apply(sandbox, {"interfaces": [bridge]}, memory_only=False)  # as a user would
        assert by_name(await live(sandbox))["bb0"]["state"] == "up"
    finally:
        client.close()
    assert NEW_ACTIVATION not in reasons
    assert len(activations) == 1
