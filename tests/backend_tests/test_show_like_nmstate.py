"""``show`` says what nmstate 2 says of an interface: promiscuous, LLDP, accept-all-MAC,
MACs in upper case (issue 11)."""

from __future__ import annotations

import pytest
import yaml

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    apply,
    by_name,
    cli,
    live,
    live_shown,
    profile_ifaces,
)

pytestmark = pytest.mark.nm


async def test_mac_vlan_promiscuous_and_lldp_are_shown(demo_sandbox: Sandbox) -> None:
    await apply(
        demo_sandbox,
        {
            "interfaces": [
                {
                    "name": "mv9",
                    "type": "mac-vlan",
                    "mac-vlan": {"base-iface": "eth1", "mode": "passthru", "promiscuous": False},
                },
                {"name": "eth2", "type": "veth", "lldp": {"enabled": True}},
            ]
        },
    )
    ifaces = by_name(await live(demo_sandbox))
    assert ifaces["mv9"]["mac-vlan"] == {
        "base-iface": "eth1",
        "mode": "passthru",
        "promiscuous": False,
    }
    assert ifaces["eth2"]["lldp"] == {"enabled": True}
    assert "lldp" not in ifaces["eth3"]  # NM's default (-1) is not a setting of the profile


async def test_accept_all_mac_addresses_is_the_kernels_promisc_flag(demo_sandbox: Sandbox) -> None:
    assert by_name(await live(demo_sandbox))["eth3"]["accept-all-mac-addresses"] is False
    demo_sandbox.run(["ip", "link", "set", "eth3", "promisc", "on"], check=True)
    assert by_name(await live(demo_sandbox))["eth3"]["accept-all-mac-addresses"] is True


async def test_macs_are_shown_in_upper_case_and_a_lower_case_one_asked_again_is_no_change(
    demo_sandbox: Sandbox,
) -> None:
    asked = {"interfaces": [{"name": "eth1", "type": "veth", "mac-address": "02:aa:bb:cc:dd:0e"}]}
    await apply(demo_sandbox, asked)
    assert by_name(await live(demo_sandbox))["eth1"]["mac-address"] == "02:AA:BB:CC:DD:0E"
    shown = cli(demo_sandbox, "show", "eth1")
    assert "  mac-address: 02:AA:BB:CC:DD:0E\n" in shown.stdout, shown.stdout
    again = await apply(demo_sandbox, asked)
    assert again.prepared.changes == [] and again.prepared.plan.steps == []


async def test_link_local_addresses_are_shown_and_one_asked_for_is_ignored(
    demo_sandbox: Sandbox,
) -> None:
    # eth1p is the kernel's own (unmanaged): its EUI-64 address follows from its fixed MAC.
    ll = {"ip": "fe80::ff:fe00:101", "prefix-length": 64}
    assert ll in by_name(await live_shown(demo_sandbox))["eth1p"]["ipv6"]["address"]
    eth1 = by_name(await live_shown(demo_sandbox))["eth1"]
    asked = [*eth1["ipv6"]["address"], {"ip": "fe80::1", "prefix-length": 64}]
    result = await apply(
        demo_sandbox, {"interfaces": [{"name": "eth1", "ipv6": {"address": asked}}]}
    )
    assert result.prepared.changes == [] and result.prepared.plan.steps == []
    assert any("fe80::1 is an IPv6 link-local address" in w for w in result.prepared.warnings)
    (profile,) = (await profile_ifaces(demo_sandbox))["eth1"]
    assert [a["address"] for a in profile["ipv6"]["address-data"]] == ["2001:db8:1::10"]


async def test_bridge_options_the_kernel_reports_are_shown_and_applied(
    demo_sandbox: Sandbox,
) -> None:
    opts = by_name(await live_shown(demo_sandbox))["br0"]["bridge"]["options"]
    assert isinstance(opts["gc-timer"], int) and opts["hello-timer"] == 0  # STP is off
    assert opts["group-addr"] == "01:80:C2:00:00:00"
    assert (opts["group-forward-mask"], opts["group-fwd-mask"]) == (0, 0)
    assert (opts["hash-max"], opts["multicast-router"], opts["multicast-querier"]) == (
        4096,
        "auto",
        False,
    )
    assert opts["multicast-membership-interval"] == 26000
    asked = {
        "hash-max": 1024,
        "group-fwd-mask": 8,
        "group-addr": "01:80:c2:00:00:0e",
        "multicast-router": "enabled",
        "multicast-querier": True,
        "multicast-query-interval": 20000,
        "multicast-last-member-count": 3,
    }
    state = {"interfaces": [{"name": "br0", "type": "linux-bridge", "bridge": {"options": asked}}]}
    result = await apply(demo_sandbox, state)
    assert result.prepared.plan.describe() == ["br0: modify profile, reapply"]
    now = by_name(await live_shown(demo_sandbox))["br0"]["bridge"]["options"]
    assert {key: now[key] for key in asked} == {
        **asked,
        "group-addr": "01:80:C2:00:00:0E",
        "group-fwd-mask": 8,
    }
    assert now["group-forward-mask"] == 8
    # What show says of br0, timers included, applied back: nothing to do.
    shown = cli(demo_sandbox, "show", "br0")
    again = await apply(demo_sandbox, yaml.safe_load(shown.stdout))
    assert again.prepared.changes == [] and again.prepared.plan.steps == []


async def test_a_description_is_kept_in_the_profile_shown_and_removed(
    demo_sandbox: Sandbox,
) -> None:
    text = "uplink to rack 4"
    asked = {"interfaces": [{"name": "eth1", "type": "veth", "description": text}]}
    first = await apply(demo_sandbox, asked)
    assert first.prepared.plan.describe() == ["eth1: modify profile, reapply"]
    (profile,) = (await profile_ifaces(demo_sandbox))["eth1"]
    assert profile["user"]["data"] == {"nmstate.interface.description": text}
    assert by_name(await live(demo_sandbox))["eth1"]["description"] == text
    assert f"  description: {text}\n" in cli(demo_sandbox, "show", "eth1").stdout
    again = await apply(demo_sandbox, asked)
    assert again.prepared.changes == [] and again.prepared.plan.steps == []
    cleared = {"interfaces": [{"name": "eth1", "type": "veth", "description": ""}]}
    await apply(demo_sandbox, cleared)
    assert "description" not in by_name(await live(demo_sandbox))["eth1"]
    (profile,) = (await profile_ifaces(demo_sandbox))["eth1"]
    assert not (profile.get("user") or {}).get("data")
    last = await apply(demo_sandbox, cleared)
    assert last.prepared.changes == [] and last.prepared.plan.steps == []
