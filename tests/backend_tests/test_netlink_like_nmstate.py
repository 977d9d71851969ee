"""The kernel half of ``show`` as nmstate 2 shows it (issue 11), on fake netlink messages.

Link-local addresses are listed in the kernel's order, MACs come in upper case,
and a bridge reports every option its IFLA_INFO_DATA carries (nmstate's names
and units). The sandbox tests in test_show_like_nmstate.py read a real kernel.
"""

from __future__ import annotations

import socket
from typing import Any

from engine.backend.netlink import shape_kernel
from tests.backend_tests.test_apply_netlink import _link


def _addr(index: int, ip: str, plen: int) -> dict[str, Any]:
    """An RTM_NEWADDR as the shaping code reads it (a mapping with ``address``)."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    return {"index": index, "family": family, "prefixlen": plen, "address": ip}


def test_link_local_addresses_are_listed_with_the_others_in_the_kernels_order() -> None:
    links = [_link(3, "eth1"), _link(4, "eth1p")]
    addrs = [
        _addr(3, "2001:db8:1::10", 64),
        _addr(3, "fe80::6d71:7249:631:c5a5", 64),
        _addr(4, "fe80::ff:fe00:101", 64),
    ]
    ifaces = shape_kernel(links, addrs, []).interfaces
    assert ifaces["eth1"]["ipv6"] == {
        "enabled": True,
        "address": [
            {"ip": "2001:db8:1::10", "prefix-length": 64},
            {"ip": "fe80::6d71:7249:631:c5a5", "prefix-length": 64},
        ],
    }
    assert ifaces["eth1p"]["ipv6"]["address"] == [{"ip": "fe80::ff:fe00:101", "prefix-length": 64}]


def test_macs_come_in_upper_case() -> None:
    link = _link(3, "eth1")
    link["address"] = "02:aa:bb:cc:dd:0e"
    assert shape_kernel([link], [], []).interfaces["eth1"]["mac-address"] == "02:AA:BB:CC:DD:0E"


#: A bridge's IFLA_INFO_DATA as pyroute2 decodes it (values of a fresh kernel bridge).
BRIDGE_DATA = {
    "IFLA_BR_FORWARD_DELAY": 1500,
    "IFLA_BR_HELLO_TIME": 200,
    "IFLA_BR_MAX_AGE": 2000,
    "IFLA_BR_AGEING_TIME": 30000,
    "IFLA_BR_STP_STATE": 0,
    "IFLA_BR_PRIORITY": 32768,
    "IFLA_BR_VLAN_FILTERING": 0,
    "IFLA_BR_VLAN_PROTOCOL": 0x88A8,
    "IFLA_BR_GROUP_FWD_MASK": 8,
    "IFLA_BR_HELLO_TIMER": 0,
    "IFLA_BR_GC_TIMER": 29594,
    "IFLA_BR_GROUP_ADDR": "01:80:c2:00:00:00",
    "IFLA_BR_MCAST_ROUTER": 1,
    "IFLA_BR_MCAST_SNOOPING": 1,
    "IFLA_BR_MCAST_QUERY_USE_IFADDR": 0,
    "IFLA_BR_MCAST_QUERIER": 1,
    "IFLA_BR_MCAST_HASH_ELASTICITY": 16,
    "IFLA_BR_MCAST_HASH_MAX": 4096,
    "IFLA_BR_MCAST_LAST_MEMBER_CNT": 2,
    "IFLA_BR_MCAST_STARTUP_QUERY_CNT": 2,
    "IFLA_BR_MCAST_LAST_MEMBER_INTVL": 100,
    "IFLA_BR_MCAST_MEMBERSHIP_INTVL": 26000,
    "IFLA_BR_MCAST_QUERIER_INTVL": 25500,
    "IFLA_BR_MCAST_QUERY_INTVL": 12500,
    "IFLA_BR_MCAST_QUERY_RESPONSE_INTVL": 1000,
    "IFLA_BR_MCAST_STARTUP_QUERY_INTVL": 3124,
    "IFLA_BR_VLAN_DEFAULT_PVID": 1,
}


def test_a_bridge_reports_the_options_nmstate_shows_in_its_names_and_units() -> None:
    ifaces = shape_kernel([_link(2, "br0", "bridge", data=BRIDGE_DATA)], [], []).interfaces
    assert ifaces["br0"]["bridge"]["options"] == {
        "stp": {
            "enabled": False,
            "forward-delay": 15,
            "hello-time": 2,
            "max-age": 20,
            "priority": 32768,
        },
        "gc-timer": 29594,
        "group-addr": "01:80:C2:00:00:00",
        "group-forward-mask": 8,
        "group-fwd-mask": 8,
        "hash-max": 4096,
        "hello-timer": 0,
        "mac-ageing-time": 300,
        "multicast-last-member-count": 2,
        "multicast-last-member-interval": 100,
        "multicast-membership-interval": 26000,
        "multicast-querier": True,
        "multicast-querier-interval": 25500,
        "multicast-query-interval": 12500,
        "multicast-query-response-interval": 1000,
        "multicast-query-use-ifaddr": False,
        "multicast-router": "auto",
        "multicast-snooping": True,
        "multicast-startup-query-count": 2,
        "multicast-startup-query-interval": 3124,
        "vlan-default-pvid": 1,
        "vlan-protocol": "802.1ad",
    }


def test_options_a_kernel_does_not_send_are_left_out() -> None:
    """Without CONFIG_BRIDGE_VLAN_FILTERING there is no vlan-protocol or default PVID."""
    data = {
        key: v
        for key, v in BRIDGE_DATA.items()
        if key not in ("IFLA_BR_VLAN_PROTOCOL", "IFLA_BR_VLAN_DEFAULT_PVID")
    }
    opts = shape_kernel([_link(2, "br0", "bridge", data=data)], [], []).interfaces["br0"]
    assert not {"vlan-protocol", "vlan-default-pvid"} & set(opts["bridge"]["options"])
