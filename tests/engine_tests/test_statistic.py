"""``statistic``: stacks and features of desired states, with nmstate's unit cases as the spec.

The first cases are nmstate's own (rust/src/lib/unit_tests/statistic.rs),
re-told in our schema; the rest pin what our reading adds: only desired or
changed interfaces that end up up count, OVS bridges have their own names,
later files drop what they make absent, inputs are never changed.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from engine.statistic import FEATURE_ORDER, combine, longest_unique, statistic

CURRENT = yaml.safe_load(
    """
interfaces:
- {name: eth1, type: ethernet, state: up, mac-address: "01:23:45:67:89:AB"}
- {name: eth2, type: ethernet, state: up, mac-address: "01:23:45:67:89:AC"}
"""
)

STACKED = yaml.safe_load(
    """
interfaces:
- name: br0.101
  type: vlan
  vlan: {base-iface: br0, id: 101}
  ipv4:
    enabled: true
    dhcp: false
    address: [{ip: 192.0.2.252, prefix-length: 24}]
  ipv6:
    enabled: true
    dhcp: false
    autoconf: false
    address: [{ip: "2001:db8:2::1", prefix-length: 64}]
- name: bond1
  type: bond
  link-aggregation: {mode: active-backup, port: [eth1, eth2]}
- name: br0
  type: linux-bridge
  state: up
  bridge: {port: [{name: bond1}]}
"""
)


def stat(*states: dict[str, Any], current: dict[str, Any] | None = None) -> tuple[list, list]:
    got = statistic(combine(states), CURRENT if current is None else current)
    return got.topology, got.features


def test_stack_runs_from_ip_mode_through_controllers_to_the_link() -> None:
    topology, features = stat(STACKED)
    assert topology == ["static_ip4,static_ip6 -> vlan -> linux-bridge -> bond -> ethernet"]
    assert features == []


def test_a_later_file_making_the_bridge_absent_drops_it_and_its_children() -> None:
    first = copy.deepcopy(STACKED)
    first["interfaces"].append(
        {"name": "eth2", "type": "ethernet", "ethernet": {"sr-iov": {"total-vfs": 2}}}
    )
    second = {"interfaces": [{"name": "br0", "type": "linux-bridge", "state": "absent"}]}
    assert stat(first, second) == (["bond -> ethernet"], ["sriov"])
    combined = combine([first, second])
    names = {i["name"] for i in combined["interfaces"]}
    assert names == {"bond1", "eth2"}  # br0 and the vlan on it are gone
    assert all(i.get("controller") != "br0" for i in combined["interfaces"])


def test_dns_features_in_nmstate_order() -> None:
    desired = {
        "dns-resolver": {
            "config": {
                "options": ["rotate", "ndots:8"],
                "search": ["example.com"],
                "server": ["2001:db8:1::1", "192.0.2.251"],
            }
        }
    }
    assert stat(desired, current={}) == (
        [],
        ["static-dns-name-server", "static-dns-option", "static-dns-search"],
    )
    assert stat({"dns-resolver": {"config": {"search": []}}})[1] == ["static-dns-search"]
    assert stat({"dns-resolver": {"config": {}}})[1] == []


def test_static_route_and_an_ip_mode_per_family() -> None:
    desired = yaml.safe_load(
        """
interfaces:
- name: eth1
  type: ethernet
  ipv4: {enabled: true, dhcp: false, address: [{ip: 192.168.1.1, prefix-length: 24}]}
  ipv6: {enabled: true, dhcp: true, autoconf: true}
routes:
  config:
  - {destination: 0.0.0.0/0, next-hop-address: 192.168.1.254, next-hop-interface: eth1}
"""
    )
    assert stat(desired) == (["static_ip4,auto_ip6 -> ethernet"], ["static-route"])
    # Giving the section counts, as in nmstate, even when it only removes routes.
    assert stat({"routes": {"config": [{"destination": "0.0.0.0/0", "state": "absent"}]}})[1] == [
        "static-route"
    ]


def test_route_rules_and_suppress_prefix_length() -> None:
    rules = [
        {"ip-from": "192.168.3.2/32", "suppress-prefix-length": 0, "route-table": 200},
        {"ip-from": "2001:db8:b::/64", "route-table": 200},
    ]
    assert stat({"route-rules": {"config": rules}})[1] == [
        "static-route-rule",
        "static-route-rule-suppress-prefix-length",
    ]
    # An absent rule's suppress-prefix-length is a match pattern, not a use of the feature.
    absent = {**rules[0], "state": "absent"}
    assert stat({"route-rules": {"config": [absent, rules[1]]}})[1] == ["static-route-rule"]
    assert stat({"route-rules": {"config": []}})[1] == []


def test_hostname_lldp_and_dhcp_custom_hostnames() -> None:
    assert stat({"hostname": {"config": "hosta.example.org"}})[1] == ["static-hostname"]
    assert stat({"hostname": {"running": "x"}})[1] == []
    desired = yaml.safe_load(
        """
interfaces:
- name: eth1
  type: ethernet
  lldp: {enabled: false}
  ipv4: {enabled: true, dhcp: true, dhcp-custom-hostname: c9.example.org}
  ipv6: {enabled: true, dhcp: true, autoconf: true, dhcp-custom-hostname: c9.example.net}
"""
    )
    topology, features = stat(desired)
    assert topology == ["auto_ip4,auto_ip6 -> ethernet"]
    assert features == ["dhcpv4-custom-hostname", "dhcpv6-custom-hostname", "lldp"]


def test_features_come_from_the_desire_not_from_the_host() -> None:
    current = copy.deepcopy(CURRENT)
    current["interfaces"][0].update({"lldp": {"enabled": True}, "ethernet": {"sr-iov": {}}})
    assert stat({"interfaces": [{"name": "eth1", "mtu": 9000}]}, current=current)[1] == []


@pytest.mark.parametrize(
    ("count", "feature"),
    [
        (9, None),
        (10, "iface-count10-plus"),
        (51, "iface-count50-plus"),
        (101, "iface-count100-plus"),
        (499, "iface-count200-plus"),
        (500, "iface-count500-plus"),
    ],
)
def test_interface_count_buckets(count: int, feature: str | None) -> None:
    dummies = [{"name": f"dummy{i}", "type": "dummy"} for i in range(count)]
    dummies.append({"name": "down0", "type": "dummy", "state": "down"})  # not up: not counted
    topology, features = stat({"interfaces": dummies})
    assert features == ([feature] if feature else [])
    assert topology == ["dummy"]


def test_ovs_features_and_ovs_bridge_names_apart_from_kernel_names() -> None:
    desired = yaml.safe_load(
        """
interfaces:
- name: br0
  type: ovs-interface
  dpdk: {devargs: "0000:ab:cd.0"}
  ipv4: {enabled: true, address: [{ip: 192.0.2.1, prefix-length: 24}]}
- name: patch0
  type: ovs-interface
  patch: {peer: patch1}
- name: br0
  type: ovs-bridge
  bridge:
    port:
    - name: br0
    - name: patch0
    - name: bond99
      link-aggregation: {mode: balance-slb, port: [{name: eth1}, {name: eth2}]}
"""
    )
    topology, features = stat(desired)
    assert features == ["ovs-bond", "ovs-dpdk", "ovs-patch"]
    # The OVS interface sits on its bridge (the kernel br0 and the OVS br0 are two
    # interfaces); bond members are the bridge's deepest ports; patch0's shorter stack
    # is part of br0's.
    assert topology == ["static_ip4 -> ovs-interface -> ovs-bridge -> ethernet"]


def test_patch_ports_sit_on_their_bridges_not_below_them() -> None:
    desired = yaml.safe_load(
        """
interfaces:
- {name: patch0, type: ovs-interface, patch: {peer: patch1}}
- {name: ovs-br0, type: ovs-bridge, bridge: {port: [{name: patch0}]}}
- {name: patch1, type: ovs-interface, patch: {peer: patch0}}
- {name: ovs-br1, type: ovs-bridge, bridge: {port: [{name: patch1}]}}
"""
    )
    assert stat(desired) == (["ovs-interface -> ovs-bridge"], ["ovs-patch"])


def test_a_port_the_merge_attaches_counts_with_its_own_stack() -> None:
    current = yaml.safe_load(
        """
interfaces:
- {name: eth1, type: ethernet}
- {name: eth3, type: ethernet}
- {name: v10, type: vlan, vlan: {base-iface: eth3, id: 10}}
"""
    )
    desired = {
        "interfaces": [
            {"name": "bond0", "type": "bond", "link-aggregation": {"port": ["eth1", "v10"]}}
        ]
    }
    # bond0 shows its deepest port; eth1, attached by the merge, adds the shorter stack.
    assert stat(desired, current=current)[0] == ["bond -> ethernet", "bond -> vlan -> ethernet"]


def test_only_interfaces_desired_or_changed_and_up_count() -> None:
    current = yaml.safe_load(
        """
interfaces:
- {name: eth1, type: ethernet}
- {name: eth2, type: ethernet}
- {name: eth3, type: ethernet, controller: br9}
- {name: br9, type: linux-bridge, bridge: {port: [{name: eth3}]}}
"""
    )
    joined = {"interfaces": [{"name": "br1", "type": "linux-bridge", "bridge": {"port": []}}]}
    assert stat(joined, current=current)[0] == ["linux-bridge"]
    # eth2 is not mentioned, but joining br1 changes it: its stack counts too.
    joined["interfaces"][0]["bridge"]["port"] = [{"name": "eth2"}]
    down = {"name": "eth1", "type": "ethernet", "state": "down"}
    joined["interfaces"].append(down)
    assert stat(joined, current=current)[0] == ["linux-bridge -> ethernet"]


def test_longest_unique_keeps_stacks_no_longer_one_contains() -> None:
    stacks = ["bond -> ethernet", "linux-bridge -> bond -> ethernet", "veth", "bond -> ethernet"]
    assert longest_unique(stacks) == ["veth", "linux-bridge -> bond -> ethernet"]


def test_a_controller_cycle_ends() -> None:
    # Invalid (validation refuses it), but the walk must still end.
    desired = {
        "interfaces": [
            {"name": "br0", "type": "linux-bridge", "bridge": {"port": [{"name": "bond0"}]}},
            {"name": "bond0", "type": "bond", "link-aggregation": {"port": ["br0"]}},
        ]
    }
    topology, _ = stat(desired, current={})
    assert topology and all(t.count("linux-bridge") <= 2 for t in topology)


def test_inputs_are_not_changed_and_features_are_known_names() -> None:
    first, current = copy.deepcopy(STACKED), copy.deepcopy(CURRENT)
    second = {"interfaces": [{"name": "br0", "type": "linux-bridge", "state": "absent"}]}
    got = statistic(combine([first, second]), current)
    assert first == STACKED and current == CURRENT
    assert second == {"interfaces": [{"name": "br0", "type": "linux-bridge", "state": "absent"}]}
    assert set(got.features) <= set(FEATURE_ORDER)
    assert list(got.as_dict()) == ["topology", "features"]


def test_later_files_update_earlier_ones_and_routes_add_up() -> None:
    first = {
        "interfaces": [{"name": "eth1", "type": "ethernet", "ipv4": {"enabled": False}}],
        "route-rules": {"config": [{"ip-from": "192.0.2.0/24", "route-table": 100}]},
    }
    second = {
        "interfaces": [
            {
                "name": "eth1",
                "type": "ethernet",
                "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.2", "prefix-length": 24}]},
            }
        ],
        "route-rules": {"config": [{"ip-to": "198.51.100.0/24", "suppress-prefix-length": 0}]},
    }
    topology, features = stat(first, second)
    assert topology == ["static_ip4 -> ethernet"]
    assert features == ["static-route-rule", "static-route-rule-suppress-prefix-length"]
    assert len(combine([first, second])["route-rules"]["config"]) == 2
