"""Impossible topologies and reserved names/addresses are refused before NetworkManager.

Each test names one shape the kernel or NetworkManager cannot build (a
controller cycle, a link stacked on itself, a veth paired with itself, a
name /proc/sys/net reserves, a multicast MAC) and asserts the problem's
path and fix; each fails if its rule is removed.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import Problem
from engine.rules import semantic_problems
from engine.validate import validate

HOST: dict[str, Any] = {
    "interfaces": [
        {"name": "eth0", "type": "ethernet", "state": "up"},
        {"name": "eth1", "type": "ethernet", "state": "up"},
        {"name": "lo", "type": "loopback", "state": "up", "mac-address": "00:00:00:00:00:00"},
        {"name": "br9", "type": "linux-bridge", "state": "up", "bridge": {"port": []}},
    ]
}


def _errors(desired: dict[str, Any], current: dict[str, Any] | None = HOST) -> list[Problem]:
    return [p for p in validate(desired, current) if p.is_error]


def _bridge(name: str, *ports: str) -> dict[str, Any]:
    return {"name": name, "type": "linux-bridge", "bridge": {"port": [{"name": p} for p in ports]}}


def _has(problems: list[Problem], path: str, word: str) -> Problem:
    for p in problems:
        if p.path == path and word in p.message:
            return p
    raise AssertionError(f"no problem at {path} with {word!r}: {[p.format() for p in problems]}")


@pytest.mark.parametrize("current", [HOST, None], ids=["host", "offline"])
def test_two_bridges_ports_of_each_other(current: dict[str, Any] | None) -> None:
    state = {"interfaces": [_bridge("br0", "br1"), _bridge("br1", "br0")]}
    found = _errors(state, current)
    p = _has(found, "interfaces[br0].bridge.port[br1]", "cycle")
    assert "br0 → br1 → br0" in p.message
    assert "br1" in p.hint and "remove" in p.hint
    assert len([q for q in found if "cycle" in q.message]) == 1  # one cycle, one problem


def test_three_controller_cycle_through_bond_and_vrf() -> None:
    state = {
        "interfaces": [
            _bridge("br0", "bond0"),
            {"name": "bond0", "type": "bond", "link-aggregation": {"mode": "active-backup",
                                                                   "port": ["vrf0"]}},
            {"name": "vrf0", "type": "vrf", "vrf": {"port": ["br0"], "route-table-id": 100}},
        ]
    }  # fmt: skip
    p = _has(_errors(state), "interfaces[br0].bridge.port[bond0]", "cycle")
    assert "br0 → bond0 → vrf0 → br0" in p.message


def test_cycle_through_controller_keys() -> None:
    state = {
        "interfaces": [
            {"name": "br0", "type": "linux-bridge", "controller": "br1"},
            {"name": "br1", "type": "linux-bridge", "controller": "br0"},
        ]
    }
    p = _has(_errors(state, None), "interfaces[br0].controller", "cycle")
    assert "br1 → br0 → br1" in p.message  # br0's key says br1 holds br0


def test_cycle_with_the_host_s_controller() -> None:
    """br0 (in the file) takes br9 as a port while br9, on the host, holds br0."""
    host = {
        "interfaces": [
            *HOST["interfaces"][:3],
            _bridge("br9", "br0"),
            {"name": "br0", "type": "linux-bridge", "controller": "br9", "bridge": {"port": []}},
        ]
    }
    state = {"interfaces": [_bridge("br0", "br9")]}
    p = _has(_errors(state, host), "interfaces[br0].bridge.port[br9]", "cycle")
    assert "br9" in p.message


def test_vlan_stacked_in_a_loop() -> None:
    state = {
        "interfaces": [
            {"name": "v1", "type": "mac-vlan", "mac-vlan": {"base-iface": "v2", "mode": "bridge"}},
            {"name": "v2", "type": "mac-vlan", "mac-vlan": {"base-iface": "v1", "mode": "bridge"}},
        ]
    }
    _has(_errors(state), "interfaces[v1].mac-vlan.base-iface", "cycle")


def test_own_controller() -> None:
    state = {"interfaces": [{"name": "eth1", "type": "ethernet", "controller": "eth1"}]}
    p = _has(_errors(state), "interfaces[eth1].controller", "its own controller")
    assert "controller" in p.hint


@pytest.mark.parametrize(
    ("kind", "section"),
    [("vlan", "vlan"), ("mac-vlan", "mac-vlan"), ("mac-vtap", "mac-vtap"), ("vxlan", "vxlan")],
)
def test_stacked_on_itself(kind: str, section: str) -> None:
    body: dict[str, Any] = {"base-iface": "x0"}
    if kind in ("vlan", "vxlan"):
        body["id"] = 10
    else:
        body["mode"] = "bridge"
    state = {"interfaces": [{"name": "x0", "type": kind, section: body}]}
    found = _errors(state, None)
    _has(found, f"interfaces[x0].{section}.base-iface", "own base")


def test_veth_peer_is_itself() -> None:
    state = {"interfaces": [{"name": "veth0", "type": "veth", "veth": {"peer": "veth0"}}]}
    p = _has(_errors(state, None), "interfaces[veth0].veth.peer", "its own peer")
    assert "peer" in p.hint


@pytest.mark.parametrize("name", ["all", "default", "ALL"])
def test_names_reserved_by_proc_sys_net(name: str) -> None:
    state = {"interfaces": [{"name": name, "type": "linux-bridge"}]}
    found = _errors(state, None)
    if name == "ALL":  # names are case-sensitive: only the lower-case ones collide
        assert found == []
        return
    p = _has(found, f"interfaces[{name}].name", "reserved")
    assert "/proc/sys/net" in p.message and "rename" in p.hint


def test_reserved_name_absent_is_harmless() -> None:
    assert _errors({"interfaces": [{"name": "all", "state": "absent"}]}, None) == []


@pytest.mark.parametrize("name", [".", ".."])
def test_dot_names_are_refused(name: str) -> None:
    assert _errors({"interfaces": [{"name": name, "type": "dummy"}]}, None)


@pytest.mark.parametrize(
    ("mac", "word"),
    [
        ("01:00:5E:00:00:01", "multicast"),
        ("33:33:00:00:00:01", "multicast"),
        ("ff:ff:ff:ff:ff:ff", "broadcast"),
        ("00:00:00:00:00:00", "all-zero"),
    ],
)
def test_unusable_mac_addresses(mac: str, word: str) -> None:
    state = {"interfaces": [{"name": "eth1", "type": "ethernet", "mac-address": mac}]}
    p = _has(_errors(state), "interfaces[eth1].mac-address", word)
    assert "unicast" in p.hint


def test_vf_mac_is_checked_too() -> None:
    vfs = [{"id": 0, "mac-address": "03:00:00:00:00:01"}]
    eth = {"sr-iov": {"total-vfs": 1, "vfs": vfs}}
    state = {"interfaces": [{"name": "eth1", "type": "ethernet", "ethernet": eth}]}
    _has(_errors(state), "interfaces[eth1].ethernet.sr-iov.vfs[0].mac-address", "multicast")


def test_unicast_and_locally_administered_macs_are_fine() -> None:
    for mac in ("52:54:00:12:34:56", "02:00:00:00:00:01", "00:11:22:33:44:55"):
        state = {"interfaces": [{"name": "eth1", "type": "ethernet", "mac-address": mac}]}
        assert _errors(state) == [], mac


def test_the_host_s_own_zero_mac_may_be_given_back() -> None:
    """`show` reports lo's 00:00:... MAC; giving it back unchanged is not a request to set it."""
    state = {"interfaces": [{"name": "lo", "type": "loopback", "mac-address": "00:00:00:00:00:00"}]}
    assert _errors(state) == []


def test_rules_alone_report_the_cycle() -> None:
    """The cycle is a semantic rule (the schema cannot see it)."""
    state = {"interfaces": [_bridge("br0", "br1"), _bridge("br1", "br0")]}
    assert any("cycle" in p.message for p in semantic_problems(state, None))


def test_hsr_port_in_a_cycle() -> None:
    state = {
        "interfaces": [
            {"name": "hsr0", "type": "hsr", "hsr": {"port1": "br0", "port2": "eth1"}},
            _bridge("br0", "hsr0"),
        ]
    }
    p = _has(_errors(state), "interfaces[hsr0].hsr.port1", "cycle")
    assert "hsr0 → br0 → hsr0" in p.message
