"""Semantic rules (engine.rules): one test per rule, each fails if its rule goes."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import Problem
from engine.rules import semantic_problems

HOST: dict[str, Any] = {
    "interfaces": [
        {"name": "eth0", "type": "ethernet", "state": "up", "ipv4": {"enabled": True}},
        {"name": "eth1", "type": "ethernet", "state": "up"},
        {"name": "eth2", "type": "ethernet", "state": "up"},
        {"name": "lo", "type": "loopback", "state": "up"},
    ]
}


def _ifaces(*ifaces: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"interfaces": list(ifaces), **extra}


def _only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


def _errors(desired: dict[str, Any], current: dict[str, Any] | None = HOST) -> list[Problem]:
    return [p for p in semantic_problems(desired, current) if p.is_error]


def test_clean_state_has_no_problems() -> None:
    desired = _ifaces(
        {
            "name": "br0",
            "type": "linux-bridge",
            "mtu": 9000,
            "bridge": {"port": [{"name": "eth1"}]},
            "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.1", "prefix-length": 24}]},
        },
        {"name": "eth0.10", "type": "vlan", "vlan": {"base-iface": "eth0", "id": 10}},
        routes={"config": [{"destination": "0.0.0.0/0", "next-hop-interface": "br0"}]},
    )
    assert semantic_problems(desired, HOST) == []


def test_port_claimed_by_two_controllers() -> None:
    p = _only(
        _errors(
            _ifaces(
                {"name": "br0", "type": "linux-bridge", "bridge": {"port": [{"name": "eth1"}]}},
                {
                    "name": "bond0",
                    "type": "bond",
                    "link-aggregation": {"mode": "active-backup", "port": ["eth1"]},
                },
            )
        )
    )
    assert p.path == "interfaces[bond0].link-aggregation.port[0]"
    assert "br0" in p.message and "bond0" in p.message
    assert p.hint


def test_controller_cannot_list_itself() -> None:
    p = _only(
        _errors(_ifaces({"name": "bond0", "type": "bond", "link-aggregation": {"port": ["bond0"]}}))
    )
    assert "itself" in p.message


def test_missing_port() -> None:
    p = _only(
        _errors(
            _ifaces({"name": "br0", "type": "linux-bridge", "bridge": {"port": [{"name": "eth9"}]}})
        )
    )
    assert p.path == "interfaces[br0].bridge.port[eth9]"
    assert p.hint == "add eth9 to the state or fix the name"


def test_unknown_host_skips_existence_checks() -> None:
    desired = _ifaces(
        {"name": "br0", "type": "linux-bridge", "bridge": {"port": [{"name": "eth9"}]}}
    )
    assert semantic_problems(desired, None) == []
    assert semantic_problems(desired) == []


def test_port_marked_absent() -> None:
    p = _only(
        _errors(
            _ifaces(
                {"name": "vrf0", "type": "vrf", "vrf": {"port": ["eth1"], "route-table-id": 10}},
                {"name": "eth1", "state": "absent"},
            ),
            None,
        )
    )
    assert p.path == "interfaces[vrf0].vrf.port[0]"
    assert "absent" in p.message


def test_port_names_another_controller() -> None:
    p = _only(
        _errors(
            _ifaces(
                {"name": "br0", "type": "linux-bridge", "bridge": {"port": [{"name": "eth1"}]}},
                {"name": "br1", "type": "linux-bridge"},
                {"name": "eth1", "controller": "br1"},
            )
        )
    )
    assert p.path == "interfaces[eth1].controller"


def test_port_controller_missing_or_absent() -> None:
    p = _only(_errors(_ifaces({"name": "eth1", "controller": "br7"})))
    assert "does not exist" in p.message
    p = _only(
        _errors(_ifaces({"name": "eth1", "controller": "br7"}, {"name": "br7", "state": "absent"}))
    )
    assert "absent" in p.message


@pytest.mark.parametrize("kind", ["vlan", "vxlan", "mac-vlan", "mac-vtap", "ipvlan"])
def test_missing_base_iface(kind: str) -> None:
    p = _only(_errors(_ifaces({"name": "c0", "type": kind, kind: {"base-iface": "eth9", "id": 1}})))
    assert p.path == f"interfaces[c0].{kind}.base-iface"
    assert "eth9" in p.message


def test_base_iface_is_itself() -> None:
    p = _only(_errors(_ifaces({"name": "v", "type": "vlan", "vlan": {"base-iface": "v", "id": 1}})))
    assert "own base" in p.message


def test_child_stays_up_while_parent_goes_absent() -> None:
    p = _only(
        _errors(
            _ifaces(
                {"name": "eth0", "state": "absent"},
                {"name": "eth0.10", "type": "vlan", "vlan": {"base-iface": "eth0", "id": 10}},
            )
        )
    )
    assert p.path == "interfaces[eth0.10].vlan.base-iface"
    assert "mark eth0.10 absent" in p.hint
    fine = _ifaces(
        {"name": "eth0", "state": "absent"},
        {
            "name": "eth0.10",
            "type": "vlan",
            "state": "absent",
            "vlan": {"base-iface": "eth0", "id": 10},
        },
    )
    assert _errors(fine) == []


def test_route_next_hop_interface_missing_or_absent() -> None:
    routes = {"config": [{"destination": "0.0.0.0/0", "next-hop-interface": "eth9"}]}
    p = _only(_errors({"routes": routes}))
    assert p.path == "routes.config[0].next-hop-interface"
    gone = {
        "routes": {"config": [{"destination": "0.0.0.0/0", "next-hop-interface": "eth1"}]},
        "interfaces": [{"name": "eth1", "state": "absent"}],
    }
    assert "absent" in _only(_errors(gone)).message
    deleting = {"routes": {"config": [{"next-hop-interface": "eth9", "state": "absent"}]}}
    assert _errors(deleting) == []


def test_duplicate_name_and_type() -> None:
    p = _only(
        _errors(_ifaces({"name": "eth1", "type": "ethernet"}, {"name": "eth1", "type": "ethernet"}))
    )
    assert "twice" in p.message
    assert _only(_errors(_ifaces({"name": "eth1"}, {"name": "eth1", "mtu": 1400})))
    ovs_pair = _ifaces(
        {"name": "br0", "type": "ovs-bridge"}, {"name": "br0", "type": "ovs-interface"}
    )
    assert _errors(ovs_pair) == []


def test_dhcp_with_static_addresses() -> None:
    addr = [{"ip": "192.0.2.1", "prefix-length": 24}]
    p = _only(
        _errors(_ifaces({"name": "eth1", "ipv4": {"enabled": True, "dhcp": True, "address": addr}}))
    )
    assert p.path == "interfaces[eth1].ipv4.address"
    assert "allow-extra-address" in p.hint
    allowed = {"enabled": True, "dhcp": True, "address": addr, "allow-extra-address": True}
    assert _errors(_ifaces({"name": "eth1", "ipv4": allowed})) == []


def test_autoconf_with_static_ipv6_addresses() -> None:
    addr = [{"ip": "2001:db8::1", "prefix-length": 64}]
    p = _only(
        _errors(
            _ifaces({"name": "eth1", "ipv6": {"enabled": True, "autoconf": True, "address": addr}})
        )
    )
    assert "autoconf" in p.message


@pytest.mark.parametrize(
    ("iface", "floor"),
    [
        ({"name": "eth1", "mtu": 60, "ipv4": {"enabled": True}}, "68"),
        ({"name": "eth0", "mtu": 60}, "68"),  # ipv4 is on on the host
        ({"name": "eth1", "mtu": 1000, "ipv6": {"enabled": True}}, "1280"),
        (
            {
                "name": "eth1",
                "mtu": 1000,
                "ipv6": {"address": [{"ip": "2001:db8::1", "prefix-length": 64}]},
            },
            "1280",
        ),
        ({"name": "eth1", "mtu": 70000}, "65535"),
    ],
)
def test_mtu_range(iface: dict[str, Any], floor: str) -> None:
    p = _only(_errors(_ifaces(iface)))
    assert p.path == f"interfaces[{iface['name']}].mtu"
    assert floor in p.message


def test_mtu_allowed_values() -> None:
    assert _errors(_ifaces({"name": "eth1", "mtu": 1000, "ipv6": {"enabled": False}})) == []
    assert _errors(_ifaces({"name": "lo", "mtu": 65536})) == []  # the kernel's own default


@pytest.mark.parametrize(("section", "vid"), [("vlan", 4095), ("vlan", -1), ("vxlan", 16777216)])
def test_id_out_of_range(section: str, vid: int) -> None:
    p = _only(
        _errors(
            _ifaces({"name": "c0", "type": section, section: {"base-iface": "eth0", "id": vid}})
        )
    )
    assert p.path == f"interfaces[c0].{section}.id"


def test_vlan_id_edges_are_fine() -> None:
    for vid in (0, 4094):
        assert (
            _errors(
                _ifaces({"name": "v", "type": "vlan", "vlan": {"base-iface": "eth0", "id": vid}})
            )
            == []
        )


def _bond(mode: str | int, **options: Any) -> dict[str, Any]:
    return _ifaces(
        {
            "name": "bond0",
            "type": "bond",
            "link-aggregation": {"mode": mode, "port": ["eth1"], "options": options},
        }
    )


@pytest.mark.parametrize("option", ["lacp_rate", "ad_select", "ad_actor_sys_prio"])
def test_bond_lacp_options_need_8023ad(option: str) -> None:
    p = _only(_errors(_bond("active-backup", **{option: 1})))
    assert p.path == f"interfaces[bond0].link-aggregation.options.{option}"
    assert _errors(_bond("802.3ad", **{option: 1})) == []


def test_bond_primary_needs_backup_or_tlb_alb() -> None:
    p = _only(_errors(_bond("802.3ad", primary="eth1")))
    assert "primary" in p.message
    for mode in ("active-backup", "balance-tlb", "balance-alb", 1):
        assert _errors(_bond(mode, primary="eth1")) == []


def test_bond_numeric_mode() -> None:
    assert _only(_errors(_bond(4, primary="eth1")))  # 4 is 802.3ad


def test_bond_miimon_and_arp_interval() -> None:
    p = _only(
        _errors(_bond("active-backup", miimon=100, arp_interval="200", arp_ip_target="192.0.2.1"))
    )
    assert p.path == "interfaces[bond0].link-aggregation.options.arp_interval"
    assert _errors(_bond("active-backup", miimon=0, arp_interval=200)) == []


def test_bond_arp_monitor_not_in_8023ad() -> None:
    p = _only(_errors(_bond("802.3ad", arp_interval=100)))
    assert "ARP" in p.message


def test_bond_uses_host_mode_when_omitted() -> None:
    host = {
        "interfaces": [
            *HOST["interfaces"],
            {"name": "bond0", "type": "bond", "link-aggregation": {"mode": "802.3ad"}},
        ]
    }
    desired = _ifaces({"name": "bond0", "link-aggregation": {"options": {"primary": "eth1"}}})
    assert _only(_errors(desired, host))


def test_name_over_15_bytes() -> None:
    p = _only(_errors(_ifaces({"name": "é" * 8, "type": "dummy"})))  # 8 characters, 16 bytes
    assert p.path == f"interfaces[{'é' * 8}].name"
    assert "16 bytes" in p.message
    assert _errors(_ifaces({"name": "a" * 15, "type": "dummy"})) == []


def test_missing_kernel_type_is_a_warning() -> None:
    desired = _ifaces({"name": "bond0", "type": "bond"})
    [p] = semantic_problems(desired, HOST, kernel_missing_types=frozenset({"bond"}))
    assert p.severity == "warning" and not p.is_error
    assert p.path == "interfaces[bond0].type"
    assert "modprobe bonding" in p.hint
    assert semantic_problems(desired, HOST) == []


def test_absent_and_ignored_interfaces_are_not_checked() -> None:
    desired = _ifaces(
        {"name": "eth1", "state": "absent", "mtu": 1}, {"name": "eth2", "state": "ignore", "mtu": 1}
    )
    assert _errors(desired) == []
