"""Refusals nmstate's ``linux_bridge_test.py`` and ``veth_test.py`` expect
(``NmstateValueError``), in nmstate's words, before anything is touched. Engine
only: the rules judge the state against the host's (here a fixed one)."""

from __future__ import annotations

from typing import Any

import pytest

from engine.genconf import UntranslatableInterface, gen_profiles
from engine.validate import validate

HOST: dict[str, Any] = {
    "interfaces": [
        {"name": "eth1", "type": "ethernet", "state": "up", "controller": "br0"},
        {"name": "eth2", "type": "ethernet", "state": "up"},
        {
            "name": "br0",
            "type": "linux-bridge",
            "state": "up",
            "bridge": {"port": [{"name": "eth1"}]},
        },
    ]
}


def errors(*ifaces: dict[str, Any]) -> list[str]:
    return [p.format() for p in validate({"interfaces": list(ifaces)}, HOST) if p.is_error]


def bridge(*ports: str, **opts: Any) -> dict[str, Any]:
    section: dict[str, Any] = {"port": [{"name": p} for p in ports]}
    if opts:
        section["options"] = opts
    return {"name": "br0", "type": "linux-bridge", "state": "up", "bridge": section}


def test_has_controller_prop_but_not_in_port_list() -> None:
    (got,) = errors({"name": "eth2", "state": "up", "controller": "br0"}, bridge("eth1"))
    assert "Interface eth2 has controller br0 but not listed in port list" in got
    assert got.startswith("interfaces[eth2].controller")


def test_has_controller_prop_but_in_other_port_list() -> None:
    (got,) = errors({"name": "eth2", "state": "up", "controller": "br1"}, bridge("eth2"))
    assert "eth2 names controller br1 but is a port of br0" in got


def test_controller_detach_but_in_port_list() -> None:
    (got,) = errors({"name": "eth2", "state": "up", "controller": ""}, bridge("eth2"))
    assert "Interface eth2 desired to detach controller via controller property" in got
    assert "listed as port of controller br0" in got


def test_controller_key_alone_still_attaches_and_detaches() -> None:
    """nmstate's add_port_to_br_with_controller_property / controller_detach_from_linux_bridge:
    without a port list in the state the controller key decides."""
    assert not errors({"name": "eth2", "state": "up", "controller": "br0"})
    assert not errors({"name": "eth1", "state": "up", "controller": ""})
    assert not errors({"name": "eth2", "controller": "br0"}, bridge("eth1", "eth2"))


def test_linux_bridge_option_vlan_default_pvid_no_filtering() -> None:
    (got,) = errors(bridge("eth1", **{"vlan-default-pvid": 5}))
    assert "has vlan-default-pvid different than 1 but VLAN filtering is not enabled" in got
    assert not errors(bridge("eth1", **{"vlan-default-pvid": 1}))


def test_vlan_default_pvid_with_port_vlans_is_fine() -> None:
    """nmstate's option_vlan_default_pvid_on_trunk_mode: a port with VLANs filters."""
    trunk = {"mode": "trunk", "trunk-tags": [{"id": 101}]}
    state = bridge(**{"vlan-default-pvid": 5})
    state["bridge"]["port"] = [{"name": "eth1", "vlan": trunk}]
    assert not errors(state)


def test_veth_without_peer_fails() -> None:
    """Refused when its profile is written (gen-conf here, the plan on a host), not by
    validation: a veth set down keeps its profile but not its link, and comes back up
    from the profile alone, which validation (that sees no profiles) cannot tell apart."""
    with pytest.raises(UntranslatableInterface, match="peer name is required for creating it"):
        gen_profiles({"interfaces": [{"name": "veth1", "type": "veth", "state": "up"}]})
    host = {"interfaces": [{"name": "veth1", "type": "veth", "veth": {"peer": "veth1p"}}]}
    change = {"interfaces": [{"name": "veth1", "type": "veth", "mtu": 1400}]}
    assert not [p for p in validate(change, host) if p.is_error]


def test_add_invalid_port_ip_config() -> None:
    """A port with DHCP (or any IP family turned on) is refused; one that only loses its
    current addresses by joining is not (they are dropped, and the review says so)."""
    dhcp = {"name": "eth2", "ipv4": {"enabled": True, "dhcp": True}}
    (got,) = errors(dhcp, bridge("eth1", "eth2"))
    assert got.startswith("interfaces[eth2].ipv4.enabled")
    assert "eth2 cannot have IP enabled as it is attached to a controller" in got
    # By the port's own controller key, and as a port the host already has.
    assert errors({**dhcp, "controller": "br0"})
    assert errors({"name": "eth1", "ipv6": {"enabled": True}})
    assert not errors({"name": "eth2", "ipv4": {"enabled": False}}, bridge("eth1", "eth2"))
    assert not errors({"name": "eth2"}, bridge("eth1", "eth2"))
    assert not errors({"name": "eth1", "controller": "", "ipv4": {"enabled": True}})
