"""Issue 11, apply side, on a real NetworkManager: what was asked is what the host gets.

Each test starts from a fresh demo host (eth1 with addresses, a route and
DNS; eth2 and eth3 in br0; all three veths whose far ends, eth1p ..., are
unmanaged: the demo's stand-ins for NICs and their cables).
"""

from __future__ import annotations

from typing import Any

import pytest

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.test_apply_roundtrip import apply, by_name, ip, live

pytestmark = pytest.mark.nm


async def test_type_ethernet_for_a_veth_nic_applies_its_addresses_dns_and_default_routes(
    demo_sandbox: Sandbox,
) -> None:
    desired: dict[str, Any] = {
        "dns-resolver": {"config": {"server": ["192.0.2.54"], "search": ["example.org"]}},
        "routes": {
            "config": [
                {
                    "destination": "0.0.0.0/0",
                    "next-hop-interface": "eth1",
                    "next-hop-address": "192.0.2.1",
                },
                {
                    "destination": "::/0",
                    "next-hop-interface": "eth1",
                    "next-hop-address": "2001:db8:1::ffff",
                },
            ]
        },
        "interfaces": [
            {
                "name": "eth1",
                "type": "ethernet",
                "state": "up",
                "ipv4": {"enabled": True, "address": [ip("192.0.2.252", 24)]},
                "ipv6": {"enabled": True, "address": [ip("2001:db8:1::1", 64)]},
            }
        ],
    }
    await apply(demo_sandbox, desired)
    after = await live(demo_sandbox)
    eth1 = by_name(after)["eth1"]
    assert eth1["type"] == "veth" and eth1["veth"] == {"peer": "eth1p"}
    assert eth1["ipv4"]["address"] == [ip("192.0.2.252", 24)]
    assert eth1["ipv6"]["address"] == [ip("2001:db8:1::1", 64)]
    assert after["dns-resolver"]["config"]["server"] == ["192.0.2.54"]
    running = {(r["destination"], r.get("next-hop-address")) for r in after["routes"]["running"]}
    assert {("0.0.0.0/0", "192.0.2.1"), ("::/0", "2001:db8:1::ffff")} <= running
