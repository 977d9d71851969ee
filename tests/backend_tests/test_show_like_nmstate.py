"""``show`` says what nmstate 2 says of an interface: promiscuous, LLDP, accept-all-MAC."""

from __future__ import annotations

import pytest

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import apply, by_name, live

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
