"""Static IP as nmstate's integration tests mean it, where no host is needed: what
validation refuses or lets through, and what verification compares.

The host halves are in tests/backend_tests/test_static_ip_like_nmstate.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.merge import merge
from engine.validate import validate
from engine.verify import verify

V4 = {"enabled": True, "address": [{"ip": "192.0.2.10", "prefix-length": 24}]}
HOST: dict[str, Any] = {
    "interfaces": [
        {"name": "eth1", "type": "ethernet", "state": "up", "ipv4": V4},
        {"name": "eth2", "type": "ethernet", "state": "up", "controller": "br0"},
        {"name": "eth3", "type": "ethernet", "state": "up", "controller": "vrf0"},
        {
            "name": "br0",
            "type": "linux-bridge",
            "state": "up",
            "bridge": {"port": [{"name": "eth2"}]},
        },
        {
            "name": "vrf0",
            "type": "vrf",
            "state": "up",
            "vrf": {"port": ["eth3"], "route-table-id": 9},
        },
    ]
}


def errors(desired: dict[str, Any]) -> list[str]:
    return [p.format() for p in validate(desired, HOST) if p.is_error]


def bridge(*ports: str) -> dict[str, Any]:
    return {"name": "br1", "type": "linux-bridge", "bridge": {"port": [{"name": p} for p in ports]}}


@pytest.mark.parametrize(
    "ipv4", [{"enabled": True, "dhcp": True}, V4, {"enabled": True}], ids=["dhcp", "static", "bare"]
)
def test_add_invalid_port_ip_config(ipv4: dict[str, Any]) -> None:
    """linux_bridge_test: IP enabled on an interface that becomes a bridge port is refused."""
    got = errors({"interfaces": [{"name": "eth1", "ipv4": ipv4}, bridge("eth1")]})
    assert len(got) == 1, got
    assert got[0].startswith("interfaces[eth1].ipv4.enabled: eth1 is a port of br1")
    assert "(fix: set ipv4: {enabled: false} on eth1" in got[0]


def test_ip_on_a_port_the_host_already_has_is_refused_too() -> None:
    got = errors({"interfaces": [{"name": "eth2", "ipv6": {"enabled": True, "autoconf": True}}]})
    assert [g.split(":")[0] for g in got] == ["interfaces[eth2].ipv6.enabled"], got
    assert "port of br0" in got[0]


@pytest.mark.parametrize(
    "desired",
    [
        # carried over from the host, not asked for: dropped with an implied-effect line
        {"interfaces": [bridge("eth1")]},
        {"interfaces": [{"name": "eth1", "ipv4": {"enabled": False}}, bridge("eth1")]},
        # detached first, by its own key or by its controller's new port list
        {"interfaces": [{"name": "eth2", "controller": "", "ipv4": V4}]},
        {
            "interfaces": [
                {"name": "eth2", "ipv4": V4},
                {"name": "br0", "type": "linux-bridge", "bridge": {"port": []}},
            ]
        },
        {"interfaces": [{"name": "eth2", "ipv4": V4}, {"name": "br0", "state": "absent"}]},
        # a VRF port keeps its IP (nmstate's can_have_ip)
        {"interfaces": [{"name": "eth3", "ipv4": V4}]},
    ],
    ids=["carried-over", "disabled", "detached", "port-list", "controller-absent", "vrf-port"],
)
def test_ip_that_a_port_may_keep_or_is_not_asked_for_passes(desired: dict[str, Any]) -> None:
    assert errors(desired) == []


def test_ignore_invalid_ip_on_absent_interface() -> None:
    bad = {
        "name": "eth1",
        "state": "absent",
        "ipv4": {"enabled": True, "address": [{"ip": "a.a.a.a", "prefix-length": 24}]},
        "ipv6": {"enabled": True, "address": [{"ip": "::g", "prefix-length": 64}]},
    }
    assert errors({"interfaces": [bad]}) == []
    up = {**bad, "state": "up"}
    assert [e.split(":")[0] for e in errors({"interfaces": [up]})] == [
        "interfaces[eth1].ipv4.address[0].ip",
        "interfaces[eth1].ipv6.address[0].ip",
    ]


def test_ignore_dhcp_client_id_if_static() -> None:
    ipv4 = {**V4, "dhcp": False, "dhcp-client-id": "ll"}
    assert errors({"interfaces": [{"name": "eth1", "type": "ethernet", "ipv4": ipv4}]}) == []


def test_remove_all_ip_address_verifies_with_ipv4_shown_disabled() -> None:
    """``address: []`` with ``enabled: true``: NM disables a stack with nothing on it and
    show says so; nmstate does not verify ``enabled`` then."""
    desired = {"interfaces": [{"name": "eth1", "ipv4": {"enabled": True, "address": []}}]}
    merged = merge(desired, HOST)
    after = {
        "interfaces": [
            {**HOST["interfaces"][0], "ipv4": {"enabled": False}},
            *HOST["interfaces"][1:],
        ]
    }
    assert verify(desired, merged, after) == []
    still = {"interfaces": [HOST["interfaces"][0], *HOST["interfaces"][1:]]}
    assert [m.path for m in verify(desired, merged, still)] == ["eth1.ipv4.address"]


def _off(desired: dict[str, Any], current: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    from engine.effects import offline_preview

    merged, effects = offline_preview(desired, current)
    ipv4 = {i["name"]: i.get("ipv4") for i in merged["interfaces"]}
    return ipv4, [e.format() for e in effects if "IPv4 turned off" in e.what]


def test_ipv4_with_nothing_on_it_is_previewed_off() -> None:
    """NM writes method=disabled for IPv4 with no address and no DHCP: the merged state,
    and so the diff, says off, with the reason; IPv6 keeps link-local and stays on."""
    ipv4, said = _off({"interfaces": [{"name": "eth1", "ipv4": {"address": []}}]}, HOST)
    assert ipv4["eth1"] == {"enabled": False}
    assert said == [
        "eth1 IPv4 turned off: no address and DHCP off: "
        "NetworkManager disables a stack with nothing on it"
    ]
    v6 = {"interfaces": [{"name": "eth1", "ipv6": {"enabled": True, "address": []}}]}
    assert _off(v6, HOST)[1] == []


def test_ipv4_off_only_said_when_it_changes() -> None:
    off_now = merge({"interfaces": [{"name": "eth1", "ipv4": {"enabled": False}}]}, HOST)
    state = {"interfaces": [{"name": "eth1", "ipv4": {"enabled": True, "address": []}}]}
    ipv4, said = _off(state, off_now)
    assert ipv4["eth1"] == {"enabled": False} and said == []
    new = {"interfaces": [{"name": "ve9", "type": "veth", "ipv4": {"enabled": True}}]}
    assert len(_off(new, HOST)[1]) == 1  # a new interface: its IPv4 is asked for, and off


def test_ipv4_with_dhcp_or_on_loopback_is_left_on() -> None:
    dhcp = {"interfaces": [{"name": "eth1", "ipv4": {"enabled": True, "dhcp": True}}]}
    assert _off(dhcp, HOST)[0]["eth1"]["enabled"] is True
    lo_host = {"interfaces": [{"name": "lo", "type": "loopback", "ipv4": V4}]}
    lo = {"interfaces": [{"name": "lo", "ipv4": {"enabled": True, "address": []}}]}
    assert _off(lo, lo_host)[1] == []
