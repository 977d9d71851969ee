"""Controller/port and base/child relations (engine.topology)."""

from __future__ import annotations

from typing import Any

from engine.topology import (
    Node,
    children,
    controller_of,
    parent_of,
    port_refs,
    ports_of,
    set_ports,
    tree,
)

OVS = {
    "name": "ovs-br0",
    "type": "ovs-bridge",
    "bridge": {
        "port": [
            {"name": "eth1"},
            {"name": "bond1", "link-aggregation": {"port": [{"name": "eth2"}, {"name": "eth3"}]}},
        ]
    },
}

STATE: dict[str, Any] = {
    "interfaces": [
        {
            "name": "br0",
            "type": "linux-bridge",
            "bridge": {"port": [{"name": "bond0"}, {"name": "eth0.10"}]},
        },
        {
            "name": "bond0",
            "type": "bond",
            "link-aggregation": {"mode": "active-backup", "port": ["eth1", "eth2"]},
        },
        {"name": "eth1", "type": "ethernet"},
        {"name": "eth2", "type": "ethernet"},
        {"name": "eth0", "type": "ethernet"},
        {"name": "eth0.10", "type": "vlan", "vlan": {"base-iface": "eth0", "id": 10}},
        {"name": "mv0", "type": "mac-vlan", "mac-vlan": {"base-iface": "eth0", "mode": "bridge"}},
        {"name": "vx0", "type": "vxlan", "vxlan": {"base-iface": "bond0", "id": 5}},
        {"name": "vrf0", "type": "vrf", "vrf": {"port": ["lo9"], "route-table-id": 100}},
        {"name": "lo9", "type": "dummy"},
        {"name": "veth0", "type": "veth", "veth": {"peer": "veth1"}},
    ]
}


def _names(nodes: list[Node]) -> list[Any]:
    return [(n.name, _names(n.children)) if n.children else n.name for n in nodes]


def test_ports_of_every_shape() -> None:
    assert ports_of(STATE["interfaces"][0]) == ["bond0", "eth0.10"]
    assert ports_of(STATE["interfaces"][1]) == ["eth1", "eth2"]
    assert ports_of(STATE["interfaces"][8]) == ["lo9"]
    assert ports_of({"name": "t", "type": "team", "team": {"ports": [{"name": "e"}]}}) == ["e"]
    assert ports_of(OVS) == ["eth1", "eth2", "eth3"]
    assert ports_of({"name": "eth0"}) == []


def test_port_refs_give_paths() -> None:
    assert port_refs(OVS)[1] == (("bridge", "port", 1, "link-aggregation", "port", 0), "eth2")
    assert port_refs(STATE["interfaces"][1])[0] == (("link-aggregation", "port", 0), "eth1")


def test_parent_of() -> None:
    by_name = {i["name"]: i for i in STATE["interfaces"]}
    assert parent_of(by_name["eth0.10"]) == "eth0"
    assert parent_of(by_name["mv0"]) == "eth0"
    assert parent_of(by_name["vx0"]) == "bond0"
    assert (
        parent_of(
            {
                "name": "ib0.8001",
                "type": "infiniband",
                "infiniband": {"base-iface": "ib0", "pkey": "0x8001"},
            }
        )
        == "ib0"
    )
    assert parent_of({"name": "vx1", "type": "vxlan", "vxlan": {"base-iface": ""}}) is None
    assert parent_of(by_name["eth1"]) is None


def test_children_and_controller_of() -> None:
    assert children(STATE) == {"eth0": ["eth0.10", "mv0"], "bond0": ["vx0"]}
    assert controller_of(STATE) == {
        "bond0": "br0",
        "eth0.10": "br0",
        "eth1": "bond0",
        "eth2": "bond0",
        "lo9": "vrf0",
    }


def test_controller_of_uses_port_side_and_skips_absent() -> None:
    state = {
        "interfaces": [
            {"name": "eth1", "controller": "br0"},
            {
                "name": "br1",
                "type": "linux-bridge",
                "state": "absent",
                "bridge": {"port": [{"name": "eth2"}]},
            },
        ]
    }
    assert controller_of(state) == {"eth1": "br0"}


def test_tree_places_each_interface_once() -> None:
    assert _names(tree(STATE)) == [
        ("br0", [("bond0", ["eth1", "eth2", "vx0"]), "eth0.10"]),
        ("eth0", ["mv0"]),
        ("vrf0", ["lo9"]),
        "veth0",
    ]
    node = tree(STATE)[0]
    assert (node.type, node.state) == ("linux-bridge", "up")


def test_tree_survives_cycles_and_unknown_names() -> None:
    state = {
        "interfaces": [
            {"name": "a", "type": "vlan", "vlan": {"base-iface": "b", "id": 1}},
            {"name": "b", "type": "vlan", "vlan": {"base-iface": "a", "id": 2}},
            {"name": "c", "type": "vlan", "vlan": {"base-iface": "nowhere", "id": 3}},
        ]
    }
    flat: list[str] = []

    def walk(nodes: list[Node]) -> None:
        for n in nodes:
            flat.append(n.name)
            walk(n.children)

    walk(tree(state))
    assert sorted(flat) == ["a", "b", "c"]


def test_set_ports_keeps_port_settings() -> None:
    br = {
        "name": "br0",
        "type": "linux-bridge",
        "bridge": {"port": [{"name": "eth1", "stp-priority": 3}, {"name": "eth2"}]},
    }
    set_ports(br, ["eth1", "eth3"])
    assert br["bridge"]["port"] == [{"name": "eth1", "stp-priority": 3}, {"name": "eth3"}]
    bond: dict[str, Any] = {"name": "bond0", "type": "bond"}
    set_ports(bond, ["eth1"])
    assert bond["link-aggregation"] == {"port": ["eth1"]}
    ovs: dict[str, Any] = {
        "name": "o",
        "type": "ovs-bridge",
        "bridge": {
            "port": [{"name": "b", "link-aggregation": {"port": [{"name": "e1"}, {"name": "e2"}]}}]
        },
    }
    set_ports(ovs, ["e2", "e4"])
    assert ports_of(ovs) == ["e2", "e4"]
