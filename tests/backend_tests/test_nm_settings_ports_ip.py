"""Schema interface → NetworkManager profile: ports, IP methods, routes and DNS placement."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.placement import dns_placement
from tests.backend_tests.nm_settings_helpers import (
    ALL_TYPES,
    OFF,
    V4,
    assert_contains,
    iface,
    settings,
)

# --- ports ------------------------------------------------------------------------


def test_bridge_port_gets_master_options_and_vlans() -> None:
    got = settings("d1")
    assert got["connection"]["master"] == "br0" and got["connection"]["slave-type"] == "bridge"
    assert got["bridge-port"] == {
        "priority": 40,
        "path-cost": 150,
        "hairpin-mode": True,
        "vlans": [
            {"vid-start": 20, "vid-end": 20, "pvid": False, "untagged": False},
            {"vid-start": 30, "vid-end": 40, "pvid": False, "untagged": False},
            {"vid-start": 10, "vid-end": 10, "pvid": True, "untagged": True},
        ],
    }
    assert settings("d2")["bridge-port"]["vlans"] == [
        {"vid-start": 50, "vid-end": 50, "pvid": True, "untagged": True}
    ]


def test_bond_and_vrf_ports() -> None:
    assert settings("d3")["connection"]["slave-type"] == "bond"
    assert settings("d3")["connection"]["master"] == "bond0"
    assert "bridge-port" not in settings("d3")
    vrf_port = settings("d4")
    assert vrf_port["connection"]["slave-type"] == "vrf"
    assert vrf_port["ipv4"]["method"] == "manual"  # vrf ports are layer 3


def test_l2_ports_carry_no_ip() -> None:
    state = copy.deepcopy(ALL_TYPES)
    iface(state, "d3")["ipv4"] = V4
    assert settings("d3", state)["ipv4"] == {"method": "disabled"}


def test_controller_key_wins_and_empty_detaches() -> None:
    state = copy.deepcopy(ALL_TYPES)
    iface(state, "d0")["controller"] = "bond0"
    assert settings("d0", state)["connection"]["slave-type"] == "bond"
    iface(state, "d3")["controller"] = ""
    assert "master" not in settings("d3", state)["connection"]


def test_port_joined_only_by_its_controller_key_gets_default_port_options() -> None:
    state = copy.deepcopy(ALL_TYPES)
    iface(state, "d0")["controller"] = "br0"
    got = settings("d0", state)
    assert got["connection"]["master"] == "br0" and got["bridge-port"] == {}


def test_controller_missing_from_state_is_an_error() -> None:
    state = {"interfaces": [{"name": "p", "type": "dummy", "controller": "nope"}]}
    with pytest.raises(ValueError, match="nope"):
        settings("p", state)


# --- IP ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ip", "v4", "v6"),
    [
        (OFF, "disabled", "disabled"),
        ({"enabled": True, "dhcp": True, "autoconf": True}, "auto", "auto"),
        ({"enabled": True, "dhcp": True, "autoconf": False}, "auto", "dhcp"),
        ({"enabled": True, "dhcp": False, "autoconf": False}, "disabled", "link-local"),
        (
            {"enabled": True, "address": [{"ip": "2001:db8::1", "prefix-length": 64}]},
            "manual",
            "manual",
        ),
    ],
)
def test_ip_methods(ip: dict[str, Any], v4: str, v6: str) -> None:
    state = {"interfaces": [{"name": "e", "type": "ethernet", "ipv4": ip, "ipv6": ip}]}
    got = settings("e", state)
    assert (got["ipv4"]["method"], got["ipv6"]["method"]) == (v4, v6)


def test_dynamic_ip_options() -> None:
    ip = {
        "enabled": True,
        "dhcp": True,
        "autoconf": True,
        "auto-dns": False,
        "auto-gateway": False,
        "auto-routes": True,
        "auto-route-table-id": 200,
        "auto-route-metric": 300,
        "dhcp-client-id": "ll",
        "addr-gen-mode": "stable-privacy",
        "address": ["192.0.2.9/24"],
    }
    state = {"interfaces": [{"name": "e", "type": "ethernet", "ipv4": ip, "ipv6": ip}]}
    got = settings("e", state)
    assert_contains(
        got["ipv4"],
        {
            "method": "auto",
            "ignore-auto-dns": True,
            "never-default": True,
            "ignore-auto-routes": False,
            "route-table": 200,
            "route-metric": 300,
            "dhcp-client-id": "mac",
            "address-data": [{"address": "192.0.2.9", "prefix": 24}],
        },
    )
    assert got["ipv6"]["addr-gen-mode"] == 1


def test_routes_go_to_their_next_hop_interface_by_family() -> None:
    d0 = settings("d0")
    assert d0["ipv4"]["route-data"] == [
        {
            "dest": "198.51.100.0",
            "prefix": 24,
            "next-hop": "192.0.2.254",
            "metric": 150,
            "table": 100,
        },
        {"dest": "203.0.113.0", "prefix": 24, "metric": 77},
    ]
    assert d0["ipv6"]["route-data"] == [
        {"dest": "2001:db8:9::", "prefix": 64, "next-hop": "2001:db8:1::fe"}
    ]
    assert "route-data" not in settings("eth1")["ipv4"]


def test_absent_routes_and_route_extras() -> None:
    state = {
        "interfaces": [{"name": "e", "type": "ethernet", "ipv4": V4}],
        "routes": {
            "config": [
                {"destination": "10.0.0.0/8", "next-hop-interface": "e", "state": "absent"},
                {
                    "destination": "10.1.0.0/16",
                    "next-hop-interface": "e",
                    "weight": 3,
                    "route-type": "blackhole",
                    "next-hop-address": "0.0.0.0",
                },
            ]
        },
    }
    assert settings("e", state)["ipv4"]["route-data"] == [
        {"dest": "10.1.0.0", "prefix": 16, "weight": 3, "type": "blackhole"}
    ]


def test_dns_on_first_static_interface_of_each_family() -> None:
    assert dns_placement(ALL_TYPES) == {"ipv4": "d0", "ipv6": "d0"}
    d0 = settings("d0")
    assert d0["ipv4"]["dns-data"] == ["192.0.2.53"] and d0["ipv6"]["dns-data"] == ["2001:db8::53"]
    assert d0["ipv4"]["dns-search"] == ["example.com"] and d0["ipv4"]["dns-options"] == ["rotate"]
    assert "dns-search" not in d0["ipv6"]  # once is enough
    assert "dns-data" not in settings("eth1")["ipv4"]  # DHCP interfaces get theirs from DHCP


def test_dns_falls_back_to_dynamic_interface_without_auto_dns_and_skips_ports() -> None:
    state = {
        "dns-resolver": {"config": {"server": ["192.0.2.53"]}},
        "interfaces": [
            {"name": "p", "type": "dummy", "controller": "b", "ipv4": V4},
            {"name": "b", "type": "bond", "link-aggregation": {"mode": "active-backup"}},
            {"name": "e1", "type": "ethernet", "ipv4": {"enabled": True, "dhcp": True}},
            {
                "name": "e2",
                "type": "ethernet",
                "ipv4": {"enabled": True, "dhcp": True, "auto-dns": False},
            },
        ],
    }
    assert dns_placement(state) == {"ipv4": "e2"}
    assert settings("e2", state)["ipv4"]["dns-data"] == ["192.0.2.53"]


def test_dynamic_ip_waits_for_a_lease_forever_as_nmstate_has_it() -> None:
    """nmstate sets dhcp-timeout (and ra-timeout for autoconf) to i32::MAX: NM never
    takes a desired interface down for want of a lease."""
    dynamic = {"enabled": True, "dhcp": True, "autoconf": True}
    state = {"interfaces": [{"name": "e", "type": "ethernet", "ipv4": dynamic, "ipv6": dynamic}]}
    got = settings("e", state)
    assert got["ipv4"]["dhcp-timeout"] == 2147483647
    assert got["ipv6"]["dhcp-timeout"] == got["ipv6"]["ra-timeout"] == 2147483647
    static = {"enabled": True, "address": [{"ip": "192.0.2.1", "prefix-length": 24}]}
    state["interfaces"][0]["ipv4"] = static
    assert "dhcp-timeout" not in settings("e", state)["ipv4"]
