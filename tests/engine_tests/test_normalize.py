"""Canonical form of states (engine.normalize)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.normalize import canonical_ip, normalize


def _iface(state: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in state["interfaces"] if i["name"] == name)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8::1/64", "2001:db8::1/64"),
        ("2001:DB8::/32", "2001:db8::/32"),
        ("not-an-ip", "not-an-ip"),
        ("", ""),
    ],
)
def test_canonical_ip(text: str, want: str) -> None:
    assert canonical_ip(text) == want


def test_macs_upper_case_everywhere_as_nmstate_prints_them() -> None:
    state = normalize(
        {
            "interfaces": [
                {
                    "name": "eth0",
                    "mac-address": "52:54:00:ab:cd:ef",
                    "permanent-mac-address": "aa:bb:cc:dd:ee:FF",
                },
                {
                    "name": "br0",
                    "type": "linux-bridge",
                    "bridge": {"options": {"group-addr": "01:80:c2:00:00:0e"}},
                },
            ]
        }
    )
    eth0 = _iface(state, "eth0")
    assert eth0["mac-address"] == "52:54:00:AB:CD:EF"
    assert eth0["permanent-mac-address"] == "AA:BB:CC:DD:EE:FF"
    assert _iface(state, "br0")["bridge"]["options"]["group-addr"] == "01:80:C2:00:00:0E"


def test_address_strings_become_dicts_and_order_is_kept() -> None:
    state = normalize(
        {
            "interfaces": [
                {
                    "name": "eth0",
                    "ipv6": {
                        "address": [
                            "2001:DB8::2/64",
                            {"ip": "2001:db8:0::1", "prefix-length": "64"},
                            {"ip": "2001:db8::3/48"},
                        ]
                    },
                }
            ]
        }
    )
    assert _iface(state, "eth0")["ipv6"]["address"] == [
        {"ip": "2001:db8::2", "prefix-length": 64},
        {"ip": "2001:db8::1", "prefix-length": 64},
        {"ip": "2001:db8::3", "prefix-length": 48},
    ]


def test_interfaces_sorted_by_name() -> None:
    state = normalize({"interfaces": [{"name": "eth1"}, {"name": "br0"}, {"name": "eth0"}]})
    assert [i["name"] for i in state["interfaces"]] == ["br0", "eth0", "eth1"]


def test_port_lists_sorted() -> None:
    state = normalize(
        {
            "interfaces": [
                {
                    "name": "br0",
                    "type": "linux-bridge",
                    "bridge": {"port": [{"name": "b"}, {"name": "a"}]},
                },
                {"name": "bond0", "type": "bond", "link-aggregation": {"port": ["y", "x"]}},
                {"name": "vrf0", "type": "vrf", "vrf": {"port": ["q", "p"]}},
            ]
        }
    )
    assert _iface(state, "br0")["bridge"]["port"] == [{"name": "a"}, {"name": "b"}]
    assert _iface(state, "bond0")["link-aggregation"]["port"] == ["x", "y"]
    assert _iface(state, "vrf0")["vrf"]["port"] == ["p", "q"]


def test_state_defaults_to_up_but_other_keys_are_not_filled() -> None:
    state = normalize({"interfaces": [{"name": "eth0", "ipv4": {}}]})
    assert _iface(state, "eth0") == {"name": "eth0", "state": "up", "ipv4": {}}
    absent = normalize({"interfaces": [{"name": "eth0", "state": "absent"}]})
    assert _iface(absent, "eth0")["state"] == "absent"


def test_listed_ports_get_their_controller() -> None:
    state = normalize(
        {
            "interfaces": [
                {
                    "name": "br0",
                    "type": "linux-bridge",
                    "bridge": {"port": [{"name": "eth0"}, {"name": "eth1"}]},
                },
                {"name": "eth0"},
                {"name": "eth1", "controller": "br9"},  # a conflict is left for the rules to report
                {
                    "name": "old",
                    "type": "bond",
                    "state": "absent",
                    "link-aggregation": {"port": ["eth2"]},
                },
                {"name": "eth2"},
            ]
        }
    )
    assert _iface(state, "eth0")["controller"] == "br0"
    assert _iface(state, "eth1")["controller"] == "br9"
    assert "controller" not in _iface(state, "eth2")


def test_routes_sorted_and_canonical_dns_order_kept() -> None:
    state = normalize(
        {
            "routes": {
                "config": [
                    {"destination": "2001:DB8::/64", "next-hop-interface": "eth0", "table-id": 200},
                    {
                        "destination": "198.51.100.0/24",
                        "next-hop-address": "192.0.2.1",
                        "table-id": 100,
                    },
                    {"destination": "0.0.0.0/0", "next-hop-address": "192.0.2.1"},
                ]
            },
            "dns-resolver": {
                "config": {"server": ["2001:DB8::53", "192.0.2.53"], "search": ["b", "a"]}
            },
        }
    )
    assert [r["destination"] for r in state["routes"]["config"]] == [
        "0.0.0.0/0",
        "198.51.100.0/24",
        "2001:db8::/64",
    ]
    assert state["dns-resolver"]["config"] == {
        "server": ["2001:db8::53", "192.0.2.53"],
        "search": ["b", "a"],
    }


def test_route_rules_sorted_by_priority() -> None:
    state = normalize(
        {
            "route-rules": {
                "config": [
                    {"priority": 200, "route-table": 1},
                    {"priority": 100, "ip-from": "2001:DB8::/64"},
                ]
            }
        }
    )
    assert state["route-rules"]["config"] == [
        {"priority": 100, "ip-from": "2001:db8::/64", "route-table": 254},  # NM stores main
        {"priority": 200, "route-table": 1},
    ]


def test_route_rules_in_the_form_nm_reads_back() -> None:
    """family implied by an address goes, hex marks become numbers, absent ones stay patterns."""
    state = normalize(
        {
            "route-rules": {
                "config": [
                    {"ip-to": "192.0.2.0/24", "family": "ipv4", "fwmark": "0x30", "priority": 5},
                    {"route-table": 254, "state": "absent"},
                    {"family": "ipv6", "priority": 7, "action": "blackhole"},
                ]
            }
        }
    )
    assert state["route-rules"]["config"] == [
        {"route-table": 254, "state": "absent"},
        {"ip-to": "192.0.2.0/24", "fwmark": 48, "priority": 5, "route-table": 254},
        {"family": "ipv6", "priority": 7, "action": "blackhole"},
    ]


def test_idempotent_and_pure() -> None:
    raw = {
        "interfaces": [
            {
                "name": "eth1",
                "mac-address": "AA:BB:CC:DD:EE:FF",
                "ipv4": {"address": ["192.0.2.1/24"]},
            },
            {"name": "br0", "bridge": {"port": [{"name": "eth1"}, {"name": "eth0"}]}},
            "garbage",
            {"no-name": True},
        ],
        "routes": {"config": [{"destination": "::/0"}, "junk", {"metric": "x"}]},
    }
    before = copy.deepcopy(raw)
    once = normalize(raw)
    assert raw == before
    assert normalize(once) == once


def test_malformed_input_is_left_alone() -> None:
    odd = {"interfaces": "nope", "routes": [], "dns-resolver": {"config": {"server": "x"}}}
    assert normalize(odd) == odd
