"""Schema interface → NetworkManager profile: the connection section and each type's own.

Ports, IP, routes and DNS are in ``test_nm_settings_ports_ip.py``; the reverse
direction, round trips and D-Bus typing in ``test_nm_settings_reverse.py``;
the shared states in ``nm_settings_helpers.py``.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.backend.nm_names import IFACE_TYPE, KERNEL_KIND, NM_TYPE
from engine.backend.nm_settings import iface_to_settings, profile_uuid
from tests.backend_tests.nm_settings_helpers import (
    ALL_TYPES,
    assert_contains,
    iface,
    settings,
)

# --- connection section -------------------------------------------------------------


def test_connection_section_names_the_interface_with_a_stable_uuid() -> None:
    con = settings("d0")["connection"]
    assert con == {
        "id": "d0",
        "uuid": profile_uuid("d0", "dummy"),
        "type": "dummy",
        "interface-name": "d0",
        "autoconnect": True,
        "lldp": 1,
    }
    assert settings("d0")["connection"]["uuid"] == con["uuid"]
    assert profile_uuid("d0", "dummy") != profile_uuid("d0", "bond")


def test_existing_uuid_and_profile_name_are_kept() -> None:
    got = iface_to_settings(iface(ALL_TYPES, "eth9"), ALL_TYPES, existing_uuid="u-1")["connection"]
    assert got["uuid"] == "u-1" and got["id"] == "wired 9" and got["interface-name"] == "eth9"


def test_down_interface_does_not_autoconnect() -> None:
    assert settings("eth9")["connection"]["autoconnect"] is False


def test_lldp_maps_to_connection_lldp() -> None:
    state: dict[str, Any] = {
        "interfaces": [{"name": "e", "type": "ethernet", "lldp": {"enabled": True}}]
    }
    assert settings("e", state)["connection"]["lldp"] == 1
    state["interfaces"][0]["lldp"]["enabled"] = False
    assert settings("e", state)["connection"]["lldp"] == 0


def test_unknown_type_is_refused_by_name() -> None:
    state = {"interfaces": [{"name": "t0", "type": "team"}]}
    with pytest.raises(ValueError, match=r"t0.*team"):
        settings("t0", state)


def test_type_tables() -> None:
    assert NM_TYPE["linux-bridge"] == "bridge" and NM_TYPE["ethernet"] == "802-3-ethernet"
    assert NM_TYPE["mac-vtap"] == NM_TYPE["mac-vlan"] == "macvlan"
    assert IFACE_TYPE["bridge"] == "linux-bridge" and IFACE_TYPE["macvlan"] == "mac-vlan"
    assert IFACE_TYPE["ethernet"] == IFACE_TYPE["802-3-ethernet"] == "ethernet"
    assert KERNEL_KIND["mac-vtap"] == "macvtap" and KERNEL_KIND["linux-bridge"] == "bridge"
    assert "ethernet" not in KERNEL_KIND  # real NICs are never created


# --- per type ---------------------------------------------------------------------

PER_TYPE: dict[str, dict[str, Any]] = {
    "d0": {
        "connection": {"type": "dummy"},
        "dummy": {},
        "802-3-ethernet": {"mtu": 1400, "assigned-mac-address": "02:00:00:00:00:01"},
    },
    "eth1": {
        "connection": {"type": "802-3-ethernet"},
        "802-3-ethernet": {"mtu": 9000, "assigned-mac-address": "02:00:00:00:00:02"},
    },
    "br0": {
        "connection": {"type": "bridge", "autoconnect-slaves": 1},
        "bridge": {
            "stp": False,
            "priority": 4096,
            "forward-delay": 10,
            "hello-time": 3,
            "max-age": 25,
            "ageing-time": 100,
            "multicast-snooping": False,
            "vlan-protocol": "802.1ad",
            "vlan-filtering": True,
        },
    },
    "bond0": {
        "connection": {"type": "bond"},
        "bond": {"options": {"mode": "active-backup", "miimon": "100"}},
    },
    "v10": {
        "connection": {"type": "vlan"},
        "vlan": {"parent": "d0", "id": 10, "protocol": "802.1ad"},
    },
    "vx0": {
        "connection": {"type": "vxlan"},
        "vxlan": {
            "id": 42,
            "parent": "d0",
            "local": "192.0.2.1",
            "remote": "192.0.2.2",
            "destination-port": 4789,
            "learning": False,
        },
    },
    "mv0": {
        "connection": {"type": "macvlan"},
        "macvlan": {"parent": "d0", "mode": 2, "tap": False, "promiscuous": True},
    },
    "mt0": {
        "connection": {"type": "macvlan"},
        "macvlan": {"parent": "d0", "mode": 4, "tap": True, "promiscuous": False},
    },
    "ve0": {
        "connection": {"type": "veth"},
        "veth": {"peer": "ve1"},
        "802-3-ethernet": {"mtu": 1300},
        "ethtool": {  # NM's short names where ethtool has one, typed b / u
            "feature-gro": True,
            "feature-tso": False,
            "feature-tx-checksum-ipv4": False,
            "pause-autoneg": False,
            "coalesce-adaptive-rx": 1,
            "coalesce-rx-usecs": 30,
            "ring-rx": 256,
        },
    },
    "vrf0": {"connection": {"type": "vrf"}, "vrf": {"table": 500}},
    "lo": {"connection": {"type": "loopback"}, "loopback": {"mtu": 65536}},
    "ib0.8001": {
        "connection": {"type": "infiniband"},
        "infiniband": {
            "parent": "ib0",
            "p-key": 0x8001,
            "transport-mode": "connected",
            "mtu": 2044,
        },
    },
    "iv0": {
        "connection": {"type": "ipvlan"},
        "ipvlan": {"parent": "d0", "mode": 2, "private": True},
    },
    "eth9": {
        "802-1x": {
            "identity": "joe",
            "eap": ["tls"],
            "ca-cert": b"file:///etc/pki/ca.pem\0",
            "private-key": b"file:///etc/pki/k.pem\0",
            "private-key-password": "s3cret",
        }
    },
}


@pytest.mark.parametrize("name", sorted(PER_TYPE))
def test_type_settings(name: str) -> None:
    assert_contains(settings(name), PER_TYPE[name])


def test_mtu_lives_in_the_types_own_section_for_loopback_and_infiniband() -> None:
    assert "802-3-ethernet" not in settings("lo") and "802-3-ethernet" not in settings("ib0.8001")


def test_bridge_without_port_vlans_does_not_filter() -> None:
    state = copy.deepcopy(ALL_TYPES)
    for port in iface(state, "br0")["bridge"]["port"]:
        port.pop("vlan")
    assert "vlan-filtering" not in settings("br0", state)["bridge"]


def test_bond_boolean_options_are_kernel_digits() -> None:
    state = {
        "interfaces": [
            {
                "name": "b",
                "type": "bond",
                "link-aggregation": {
                    "mode": "802.3ad",
                    "options": {"use_carrier": True, "all_slaves_active": False},
                },
            }
        ]
    }
    assert settings("b", state)["bond"]["options"] == {
        "mode": "802.3ad",
        "use_carrier": "1",
        "all_slaves_active": "0",
    }


def test_macvlan_modes_use_nm_enum_values() -> None:
    state: dict[str, Any] = {
        "interfaces": [{"name": "m", "type": "mac-vlan", "mac-vlan": {"base-iface": "e"}}]
    }
    for mode, value in (("vepa", 1), ("bridge", 2), ("private", 3), ("passthru", 4), ("source", 5)):
        state["interfaces"][0]["mac-vlan"]["mode"] = mode
        assert settings("m", state)["macvlan"]["mode"] == value


def test_loopback_keeps_ip_even_without_addresses() -> None:
    assert settings("lo")["ipv4"] == {
        "method": "manual",
        "address-data": [{"address": "127.0.0.1", "prefix": 8}],
    }
    assert settings("lo")["ipv6"] == {"method": "auto"}  # NM refuses "disabled" on loopback
