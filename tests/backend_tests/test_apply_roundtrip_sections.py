"""apply → show round trips of the sections (routes, DNS, hostname), to disk and to the NIC.

Like ``test_apply_roundtrip.py`` (interface types), each case applies on a
real NetworkManager and reads the host back; one apply goes to disk through
the CLI, one checks ethtool features in the kernel, one that a new profile
is activated once. The tests share one demo host per module and restore
what they change, so the order does not matter.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from engine.backend.nm_dbus import ACTIVE_IFACE, DEVICE_IFACE, NMClient
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    OFF,
    apply,
    by_name,
    cli,
    ip,
    live,
    show_text,
    write_state,
)

pytestmark = pytest.mark.nm


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
