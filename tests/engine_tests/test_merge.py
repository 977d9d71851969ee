"""nmstate's merge rules (engine.merge), one test per rule."""

from __future__ import annotations

import copy
from typing import Any

from engine.merge import drop_absent, merge
from engine.normalize import normalize


def _host() -> dict[str, Any]:
    return {
        "hostname": {"config": "h1", "running": "h1"},
        "dns-resolver": {
            "config": {"server": ["192.0.2.53"], "search": ["example.com"], "options": ["rotate"]}
        },
        "route-rules": {
            "config": [{"priority": 100, "ip-from": "192.0.2.0/24", "route-table": 100}]
        },
        "routes": {
            "config": [
                {
                    "destination": "0.0.0.0/0",
                    "next-hop-address": "192.0.2.1",
                    "next-hop-interface": "br0",
                },
                {
                    "destination": "198.51.100.0/24",
                    "next-hop-address": "192.0.2.1",
                    "next-hop-interface": "br0",
                    "table-id": 100,
                },
                {"destination": "203.0.113.0/24", "next-hop-interface": "eth2", "metric": 5},
            ]
        },
        "interfaces": [
            {
                "name": "eth0",
                "type": "ethernet",
                "state": "up",
                "mtu": 1500,
                "ipv4": {
                    "enabled": True,
                    "dhcp": False,
                    "address": [{"ip": "198.51.100.7", "prefix-length": 24}],
                },
                "ethtool": {"feature": {"rx-checksum": True, "tso": True}},
            },
            {
                "name": "eth1",
                "type": "ethernet",
                "state": "up",
                "controller": "br0",
                "ipv4": {"enabled": False},
            },
            {"name": "eth2", "type": "ethernet", "state": "up", "ipv4": {"enabled": False}},
            {
                "name": "br0",
                "type": "linux-bridge",
                "state": "up",
                "bridge": {"options": {"stp": {"enabled": False}}, "port": [{"name": "eth1"}]},
                "ipv4": {
                    "enabled": True,
                    "dhcp": False,
                    "address": [{"ip": "192.0.2.2", "prefix-length": 24}],
                },
            },
            {
                "name": "br0.10",
                "type": "vlan",
                "state": "up",
                "vlan": {"base-iface": "br0", "id": 10},
            },
            {"name": "v0", "type": "veth", "state": "up", "veth": {"peer": "v1"}},
            {"name": "v1", "type": "veth", "state": "up", "veth": {"peer": "v0"}},
            {
                "name": "bond0",
                "type": "bond",
                "state": "up",
                "link-aggregation": {
                    "mode": "active-backup",
                    "port": [],
                    "options": {"miimon": 100, "primary": "eth9"},
                },
            },
        ],
    }


def _iface(state: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((i for i in state["interfaces"] if i["name"] == name), None)


def _get(state: dict[str, Any], name: str) -> dict[str, Any]:
    iface = _iface(state, name)
    assert iface is not None, name
    return iface


def test_empty_desired_changes_nothing() -> None:
    assert merge({}, _host()) == normalize(_host())


def test_pure_and_normalized() -> None:
    host, desired = _host(), {"interfaces": [{"name": "eth0", "mtu": 9000}]}
    host_copy, desired_copy = copy.deepcopy(host), copy.deepcopy(desired)
    out = merge(desired, host)
    assert host == host_copy and desired == desired_copy
    assert normalize(out) == out


def test_omitted_properties_are_kept_and_dicts_merge() -> None:
    out = merge(
        {"interfaces": [{"name": "eth0", "mtu": 9000, "ethtool": {"feature": {"tso": False}}}]},
        _host(),
    )
    eth0 = _get(out, "eth0")
    assert eth0["mtu"] == 9000
    assert eth0["ipv4"]["address"] == [{"ip": "198.51.100.7", "prefix-length": 24}]
    # ethtool -K's short name (tso) comes out as the kernel's (normalize)
    assert eth0["ethtool"]["feature"] == {"rx-checksum": True, "tx-tcp-segmentation": False}


def test_lists_replace_whole() -> None:
    out = merge({"interfaces": [{"name": "eth0", "ipv4": {"address": ["192.0.2.9/24"]}}]}, _host())
    assert _get(out, "eth0")["ipv4"]["address"] == [{"ip": "192.0.2.9", "prefix-length": 24}]


def test_match_by_name_and_type() -> None:
    host = {"interfaces": [{"name": "br0", "type": "ovs-bridge", "state": "up", "mtu": 1500}]}
    out = merge({"interfaces": [{"name": "br0", "type": "ovs-interface", "mtu": 9000}]}, host)
    assert [(i["type"], i.get("mtu")) for i in out["interfaces"]] == [
        ("ovs-bridge", 1500),
        ("ovs-interface", 9000),
    ]
    untyped = merge({"interfaces": [{"name": "br0", "mtu": 9000}]}, host)
    assert untyped["interfaces"] == [
        {"name": "br0", "type": "ovs-bridge", "state": "up", "mtu": 9000}
    ]


def test_unmentioned_interfaces_untouched() -> None:
    out = merge({"interfaces": [{"name": "eth0", "mtu": 9000}]}, _host())
    for name in ("eth1", "eth2", "br0", "br0.10", "v0", "bond0"):
        assert _get(out, name) == _get(normalize(_host()), name)


def test_new_interface_added_with_state_up() -> None:
    out = merge({"interfaces": [{"name": "dummy0", "type": "dummy"}]}, _host())
    assert _get(out, "dummy0") == {"name": "dummy0", "type": "dummy", "state": "up"}


def test_port_listed_by_controller_gets_controller() -> None:
    out = merge(
        {"interfaces": [{"name": "br0", "bridge": {"port": [{"name": "eth1"}, {"name": "eth2"}]}}]},
        _host(),
    )
    assert _get(out, "eth2")["controller"] == "br0"


def test_port_removed_from_list_is_detached() -> None:
    out = merge({"interfaces": [{"name": "br0", "bridge": {"port": [{"name": "eth2"}]}}]}, _host())
    assert "controller" not in _get(out, "eth1")
    assert _get(out, "eth1")["state"] == "up"


def test_port_moves_between_controllers() -> None:
    out = merge(
        {"interfaces": [{"name": "bond0", "link-aggregation": {"port": ["eth1"]}}]}, _host()
    )
    assert _get(out, "eth1")["controller"] == "bond0"
    assert _get(out, "br0")["bridge"]["port"] == []


def test_port_side_controller_attaches_and_detaches() -> None:
    out = merge({"interfaces": [{"name": "eth2", "controller": "br0"}]}, _host())
    assert _get(out, "br0")["bridge"]["port"] == [{"name": "eth1"}, {"name": "eth2"}]
    assert _get(out, "eth2")["controller"] == "br0"
    out = merge({"interfaces": [{"name": "eth1", "controller": ""}]}, _host())
    assert _get(out, "br0")["bridge"]["port"] == []
    assert "controller" not in _get(out, "eth1")


def test_absent_interface_stays_as_marker() -> None:
    out = merge({"interfaces": [{"name": "eth2", "state": "absent"}]}, _host())
    assert _get(out, "eth2") == {"name": "eth2", "type": "ethernet", "state": "absent"}
    assert _iface(drop_absent(out), "eth2") is None


def test_absent_unknown_interface_is_dropped() -> None:
    out = merge({"interfaces": [{"name": "ghost", "state": "absent"}]}, _host())
    assert _iface(out, "ghost") is None


def test_absent_controller_releases_ports() -> None:
    out = merge({"interfaces": [{"name": "br0", "state": "absent"}]}, _host())
    eth1 = _get(out, "eth1")
    assert eth1["state"] == "up" and "controller" not in eth1


def test_children_of_absent_parent_go_absent() -> None:
    out = merge({"interfaces": [{"name": "br0", "state": "absent"}]}, _host())
    assert _get(out, "br0.10")["state"] == "absent"


def test_child_mentioned_in_desired_is_not_cascaded() -> None:
    out = merge(
        {
            "interfaces": [
                {"name": "br0", "state": "absent"},
                {"name": "br0.10", "type": "vlan", "mtu": 1400},
            ]
        },
        _host(),
    )
    assert _get(out, "br0.10")["state"] == "up"  # the rules report this conflict


def test_veth_peer_goes_with_its_pair() -> None:
    out = merge({"interfaces": [{"name": "v1", "state": "absent"}]}, _host())
    assert _get(out, "v0")["state"] == "absent"


def test_routes_through_absent_interface_are_dropped() -> None:
    out = merge({"interfaces": [{"name": "eth2", "state": "absent"}]}, _host())
    assert all(r.get("next-hop-interface") != "eth2" for r in out["routes"]["config"])


def test_routes_append_without_duplicates() -> None:
    new = {"destination": "2001:db8::/64", "next-hop-interface": "eth0"}
    dup = {"destination": "0.0.0.0/0", "next-hop-address": "192.0.2.1", "next-hop-interface": "br0"}
    out = merge({"routes": {"config": [new, dup, new]}}, _host())
    assert len(out["routes"]["config"]) == 4
    assert new in out["routes"]["config"]


def test_absent_route_deletes_matches_with_wildcards() -> None:
    out = merge(
        {"routes": {"config": [{"next-hop-address": "192.0.2.1", "state": "absent"}]}}, _host()
    )
    assert out["routes"]["config"] == [
        {"destination": "203.0.113.0/24", "next-hop-interface": "eth2", "metric": 5}
    ]
    out = merge({"routes": {"config": [{"table-id": 100, "state": "absent"}]}}, _host())
    assert len(out["routes"]["config"]) == 2
    out = merge(
        {"routes": {"config": [{"destination": "0.0.0.0/0", "metric": 7, "state": "absent"}]}},
        _host(),
    )
    assert len(out["routes"]["config"]) == 3  # no route has metric 7


def test_absent_route_entry_is_not_kept() -> None:
    out = merge(
        {"routes": {"config": [{"destination": "192.0.2.99/32", "state": "absent"}]}}, _host()
    )
    assert all("state" not in r for r in out["routes"]["config"])


def test_route_rules_append_and_absent() -> None:
    rule = {"priority": 200, "ip-to": "192.0.2.0/24", "route-table": 200}
    out = merge({"route-rules": {"config": [rule]}}, _host())
    assert len(out["route-rules"]["config"]) == 2
    out = merge({"route-rules": {"config": [{"route-table": 100, "state": "absent"}]}}, _host())
    assert out["route-rules"]["config"] == []


def test_dns_config_replaces_given_keys() -> None:
    out = merge({"dns-resolver": {"config": {"server": ["2001:db8::53"]}}}, _host())
    assert out["dns-resolver"]["config"] == {
        "server": ["2001:db8::53"],
        "search": ["example.com"],
        "options": ["rotate"],
    }


def test_dns_empty_config_purges() -> None:
    out = merge({"dns-resolver": {"config": {}}}, _host())
    assert out["dns-resolver"]["config"] == {}


def test_hostname_config_replaces() -> None:
    out = merge({"hostname": {"config": "h2"}}, _host())
    assert out["hostname"] == {"config": "h2", "running": "h1"}


def test_disabling_a_family_drops_addresses_and_dhcp() -> None:
    out = merge({"interfaces": [{"name": "eth0", "ipv4": {"enabled": False}}]}, _host())
    assert _get(out, "eth0")["ipv4"] == {"enabled": False}


def test_empty_address_list_removes_addresses() -> None:
    out = merge({"interfaces": [{"name": "eth0", "ipv4": {"address": []}}]}, _host())
    assert _get(out, "eth0")["ipv4"] == {"enabled": True, "dhcp": False, "address": []}


def test_addresses_turn_a_disabled_family_on() -> None:
    out = merge({"interfaces": [{"name": "eth2", "ipv4": {"address": ["192.0.2.5/24"]}}]}, _host())
    assert _get(out, "eth2")["ipv4"]["enabled"] is True


def test_turning_dhcp_on_drops_static_addresses() -> None:
    out = merge({"interfaces": [{"name": "eth0", "ipv4": {"dhcp": True}}]}, _host())
    assert _get(out, "eth0")["ipv4"] == {"enabled": True, "dhcp": True, "address": []}
    out = merge(
        {"interfaces": [{"name": "eth0", "ipv4": {"dhcp": True, "allow-extra-address": True}}]},
        _host(),
    )
    assert _get(out, "eth0")["ipv4"]["address"] == [{"ip": "198.51.100.7", "prefix-length": 24}]


def test_new_bond_mode_discards_old_options() -> None:
    out = merge(
        {
            "interfaces": [
                {
                    "name": "bond0",
                    "link-aggregation": {"mode": "802.3ad", "options": {"lacp_rate": "fast"}},
                }
            ]
        },
        _host(),
    )
    assert _get(out, "bond0")["link-aggregation"]["options"] == {"lacp_rate": "fast"}
    same = merge(
        {
            "interfaces": [
                {
                    "name": "bond0",
                    "link-aggregation": {"mode": "active-backup", "options": {"miimon": 50}},
                }
            ]
        },
        _host(),
    )
    assert _get(same, "bond0")["link-aggregation"]["options"] == {"miimon": 50, "primary": "eth9"}


def test_other_top_level_keys() -> None:
    out = merge(
        {"description": "lab", "ovs-db": {"external_ids": {"a": "1"}}},
        {"ovs-db": {"external_ids": {"b": "2"}}},
    )
    assert out == {"description": "lab", "ovs-db": {"external_ids": {"a": "1", "b": "2"}}}


def test_idempotent() -> None:
    desired = {
        "interfaces": [
            {"name": "br0", "state": "absent"},
            {"name": "eth0", "ipv4": {"dhcp": True}},
            {"name": "eth2", "controller": "bond0"},
            {"name": "vlan5", "type": "vlan", "vlan": {"base-iface": "eth0", "id": 5}},
        ],
        "routes": {
            "config": [
                {"destination": "0.0.0.0/0", "state": "absent"},
                {"destination": "::/0", "next-hop-interface": "eth0"},
            ]
        },
        "dns-resolver": {"config": {}},
    }
    once = merge(desired, _host())
    assert merge(desired, once) == once
    assert merge(once, once) == once


def test_a_new_veths_peer_typed_ethernet_is_the_pairs_other_end() -> None:
    """nmstate's add_veth_with_ethernet_peer: the peer's profile makes the same pair (an
    ethernet profile would have no link to activate until the pair exists)."""
    desired = {
        "interfaces": [
            {"name": "veth1", "type": "veth", "veth": {"peer": "veth1peer"}},
            {"name": "veth1peer", "type": "ethernet"},
        ]
    }
    got = {i["name"]: i for i in merge(desired, {"interfaces": []})["interfaces"]}
    assert got["veth1peer"]["type"] == "veth"
    assert got["veth1peer"]["veth"] == {"peer": "veth1"}
    # An ethernet NIC that exists is left as it is.
    host = {"interfaces": [{"name": "veth1peer", "type": "ethernet", "state": "up"}]}
    got = {i["name"]: i for i in merge(desired, host)["interfaces"]}
    assert got["veth1peer"]["type"] == "ethernet"
