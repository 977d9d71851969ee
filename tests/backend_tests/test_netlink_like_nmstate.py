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
