"""The states the NM translation tests share: one interface of every type, and checks.

:data:`ALL_TYPES` (with ports, routes and DNS) is read by the translation
tests (``test_nm_settings*.py``), ``test_profiles_load.py`` (NM accepts each
profile) and the gen-conf tests; :func:`expected_back` says what reading a
profile back must give.
"""

from __future__ import annotations

import copy
from typing import Any

from engine.backend.nm_settings import iface_to_settings

V4 = {"enabled": True, "dhcp": False, "address": [{"ip": "192.0.2.1", "prefix-length": 24}]}
V6 = {
    "enabled": True,
    "dhcp": False,
    "autoconf": False,
    "address": [{"ip": "2001:db8:1::1", "prefix-length": 64}],
}
OFF = {"enabled": False}

#: One interface of every supported type, with ports, routes and DNS: shared by the
#: translation, genconf and NetworkManager load tests.
ALL_TYPES: dict[str, Any] = {
    "dns-resolver": {
        "config": {
            "server": ["192.0.2.53", "2001:db8::53"],
            "search": ["example.com"],
            "options": ["rotate"],
        }
    },
    "routes": {
        "config": [
            {
                "destination": "198.51.100.0/24",
                "next-hop-interface": "d0",
                "next-hop-address": "192.0.2.254",
                "metric": 150,
                "table-id": 100,
            },
            {
                "destination": "2001:db8:9::/64",
                "next-hop-interface": "d0",
                "next-hop-address": "2001:db8:1::fe",
            },
            {"destination": "203.0.113.0/24", "next-hop-interface": "d0", "metric": 77},
        ]
    },
    "interfaces": [
        {
            "name": "d0",
            "type": "dummy",
            "state": "up",
            "mtu": 1400,
            "lldp": {"enabled": True},
            "mac-address": "02:00:00:00:00:01",
            "ipv4": V4,
            "ipv6": {**V6, "addr-gen-mode": "eui64"},
        },
        {
            "name": "eth1",
            "type": "ethernet",
            "state": "up",
            "mtu": 9000,
            "mac-address": "02:00:00:00:00:02",
            "description": "uplink; rack=4 #a",  # nmstate's user data key, keyfile-escaped
            "ipv4": {"enabled": True, "dhcp": True},
            "ipv6": {"enabled": True, "dhcp": True, "autoconf": True},
        },
        {
            "name": "br0",
            "type": "linux-bridge",
            "state": "up",
            "bridge": {
                "options": {
                    "stp": {
                        "enabled": False,
                        "priority": 4096,
                        "forward-delay": 10,
                        "hello-time": 3,
                        "max-age": 25,
                    },
                    "mac-ageing-time": 100,
                    "multicast-snooping": False,
                    "vlan-protocol": "802.1ad",
                },
                "port": [
                    {
                        "name": "d1",
                        "stp-priority": 40,
                        "stp-path-cost": 150,
                        "stp-hairpin-mode": True,
                        "vlan": {
                            "mode": "trunk",
                            "tag": 10,
                            "enable-native": True,
                            "trunk-tags": [{"id": 20}, {"id-range": {"min": 30, "max": 40}}],
                        },
                    },
                    {"name": "d2", "vlan": {"mode": "access", "tag": 50}},
                ],
            },
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {"name": "d1", "type": "dummy", "state": "up"},
        {"name": "d2", "type": "dummy", "state": "up"},
        {
            "name": "bond0",
            "type": "bond",
            "state": "up",
            "link-aggregation": {
                "mode": "active-backup",
                "options": {"miimon": 100},
                "port": ["d3"],
            },
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {"name": "d3", "type": "dummy", "state": "up"},
        {
            "name": "v10",
            "type": "vlan",
            "state": "up",
            "vlan": {"base-iface": "d0", "id": 10, "protocol": "802.1ad"},
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {
            "name": "vx0",
            "type": "vxlan",
            "state": "up",
            "vxlan": {
                "id": 42,
                "base-iface": "d0",
                "local": "192.0.2.1",
                "remote": "192.0.2.2",
                "destination-port": 4789,
                "learning": False,
            },
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {
            "name": "mv0",
            "type": "mac-vlan",
            "state": "up",
            "mac-vlan": {"base-iface": "d0", "mode": "bridge", "promiscuous": True},
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {
            "name": "mt0",
            "type": "mac-vtap",
            "state": "up",
            "mac-vtap": {"base-iface": "d0", "mode": "passthru", "promiscuous": False},
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {
            "name": "ve0",
            "type": "veth",
            "state": "up",
            "mtu": 1300,
            "veth": {"peer": "ve1"},
            "ethtool": {
                "feature": {
                    "rx-gro": True,
                    "tx-tcp-segmentation": False,
                    "tx-checksum-ipv4": False,
                },
                "pause": {"autoneg": False},
                "coalesce": {"adaptive-rx": True, "rx-usecs": 30},
                "ring": {"rx": 256},
            },
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {
            "name": "vrf0",
            "type": "vrf",
            "state": "up",
            "vrf": {"route-table-id": 500, "port": ["d4"]},
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {
            "name": "d4",
            "type": "dummy",
            "state": "up",
            "ipv4": {
                "enabled": True,
                "dhcp": False,
                "address": [{"ip": "10.0.0.1", "prefix-length": 8}],
            },
        },
        {
            "name": "lo",
            "type": "loopback",
            "state": "up",
            "mtu": 65536,
            "ipv4": {
                "enabled": True,
                "dhcp": False,
                "address": [{"ip": "127.0.0.1", "prefix-length": 8}],
            },
        },
        {
            "name": "ib0.8001",
            "type": "infiniband",
            "state": "up",
            "mtu": 2044,
            "infiniband": {"base-iface": "ib0", "pkey": "0x8001", "mode": "connected"},
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {
            "name": "iv0",
            "type": "ipvlan",
            "state": "up",
            "ipvlan": {"base-iface": "d0", "mode": "l3", "private": True},
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {
            "name": "eth9",
            "type": "ethernet",
            "state": "down",
            "profile-name": "wired 9",
            "802.1x": {
                "identity": "joe",
                "eap-methods": ["tls"],
                "ca-cert": "/etc/pki/ca.pem",
                "client-cert": "/etc/pki/c.pem",
                "private-key": "/etc/pki/k.pem",
                "private-key-password": "s3cret",
            },
            "ipv4": OFF,
            "ipv6": OFF,
        },
        {"name": "gone0", "type": "dummy", "state": "absent"},
        {"name": "eth7", "type": "ethernet", "state": "ignore"},
    ],
}


def iface(state: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in state["interfaces"] if i["name"] == name)


def settings(name: str, state: dict[str, Any] = ALL_TYPES) -> dict[str, dict[str, Any]]:
    return iface_to_settings(iface(state, name), state)


def assert_contains(actual: Any, expected: Any, path: str = "") -> None:
    """``actual`` says at least what ``expected`` says (dict keys may be extra; lists match)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not a dict"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing from {actual!r}"
            assert_contains(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (
            f"{path}: {actual!r} != {expected!r}"
        )
        for num, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_contains(got, want, f"{path}[{num}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def expected_back(original: dict[str, Any]) -> dict[str, Any]:
    """What reading ``original``'s profile must give: it, plus what the state implied."""
    expected = copy.deepcopy(original)
    if original["name"] == "eth9":  # NM keeps secrets out of the profiles it returns
        expected["802.1x"].pop("private-key-password")
    if original["name"] in ("d1", "d2", "d3"):  # bridge and bond ports: no IP, a controller
        expected["ipv4"] = expected["ipv6"] = OFF
        expected["controller"] = {"d3": "bond0"}.get(original["name"], "br0")
    if original["name"] == "d4":
        expected["controller"] = "vrf0"
    return expected


LIVE = [i for i in ALL_TYPES["interfaces"] if i["state"] not in ("absent", "ignore")]
