"""The kernel's links (RTM_NEWLINK), dumped over a plain socket and decoded from the bytes.

A link becomes the plain dict the shaping code in :mod:`engine.backend.netlink`
reads: ``index`` and ``flags`` from the ifinfomsg header, the attributes of
:data:`LINK_ATTRS` under their short names (None when the kernel sent none),
and, with IFLA_LINKINFO, ``kind``, ``data`` and ``slave_data``: IFLA_INFO_DATA
and IFLA_INFO_SLAVE_DATA as dicts of pyroute2's attribute names, the same
values its decoding gives (tests compare the two on real links). Only what
is shown is decoded: the per-kind tables list it, and a kind without one has
an empty ``data``. Decoding them here rather than through pyroute2 is what
:mod:`engine.backend.netlink_raw` is for: at 1000 bridges it is the bulk of
the read.
"""

from __future__ import annotations

import socket
import struct
from typing import Any

from engine.backend.netlink_bridge import BRIDGE_ATTRS, BRPORT_ATTRS
from engine.backend.netlink_raw import (
    Table,
    be16,
    decode,
    dump,
    ipv4,
    ipv6,
    mac,
    mapped,
    open_socket,
    s32,
    spans,
    struct_of,
    text,
    u8,
    u16,
    u32,
)

RTM_NEWLINK = 16
RTM_GETLINK = 18
IFINFOMSG = struct.Struct("=BxHiII")  # family, type, index, flags, change
#: IFLA_OPERSTATE (RFC 2863) -> the word pyroute2 gives.
OPERSTATES = dict(
    enumerate(("UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"))
)
#: struct rtnl_link_stats64, the fields pyroute2 names (newer kernels append more).
STATS64_NAMES = (
    "rx_packets",
    "tx_packets",
    "rx_bytes",
    "tx_bytes",
    "rx_errors",
    "tx_errors",
    "rx_dropped",
    "tx_dropped",
    "multicast",
    "collisions",
    "rx_length_errors",
    "rx_over_errors",
    "rx_crc_errors",
    "rx_frame_errors",
    "rx_fifo_errors",
    "rx_missed_errors",
    "tx_aborted_errors",
    "tx_carrier_errors",
    "tx_fifo_errors",
    "tx_heartbeat_errors",
    "tx_window_errors",
    "rx_compressed",
    "tx_compressed",
)
#: IFLA_MACVLAN_MODE / IFLA_MACVTAP_MODE -> pyroute2's word.
MACVLAN_MODE_WORDS = {0: "none", 1: "private", 2: "vepa", 4: "bridge", 8: "passthru", 16: "source"}

IFLA_LINKINFO = 18
#: plain link key -> (RTM_NEWLINK attribute type, pyroute2's name, decoder).
LINK_ATTRS: dict[str, tuple[int, str, Any]] = {
    "ifname": (3, "IFLA_IFNAME", text),
    "address": (1, "IFLA_ADDRESS", mac),
    "mtu": (4, "IFLA_MTU", u32),
    "master": (10, "IFLA_MASTER", u32),
    "link": (5, "IFLA_LINK", u32),
    "netnsid": (37, "IFLA_LINK_NETNSID", s32),
    "operstate": (16, "IFLA_OPERSTATE", mapped(u8, OPERSTATES)),
    "stats": (23, "IFLA_STATS64", struct_of(STATS64_NAMES, f"={len(STATS64_NAMES)}Q")),
}
_TOP: Table = {kind: (key, fn) for key, (kind, _name, fn) in LINK_ATTRS.items()}

IFLA_INFO_KIND = 1
IFLA_INFO_DATA = 2
IFLA_INFO_SLAVE_KIND = 4
IFLA_INFO_SLAVE_DATA = 5

VXLAN_ATTRS: Table = {
    1: ("IFLA_VXLAN_ID", u32),
    2: ("IFLA_VXLAN_GROUP", ipv4),
    3: ("IFLA_VXLAN_LINK", u32),
    4: ("IFLA_VXLAN_LOCAL", ipv4),
    7: ("IFLA_VXLAN_LEARNING", u8),
    15: ("IFLA_VXLAN_PORT", be16),
    16: ("IFLA_VXLAN_GROUP6", ipv6),
    17: ("IFLA_VXLAN_LOCAL6", ipv6),
}
MACVLAN_ATTRS: Table = {1: ("IFLA_MACVLAN_MODE", mapped(u32, MACVLAN_MODE_WORDS))}
MACVTAP_ATTRS: Table = {1: ("IFLA_MACVTAP_MODE", mapped(u32, MACVLAN_MODE_WORDS))}
VLAN_ATTRS: Table = {1: ("IFLA_VLAN_ID", u16)}
#: IFLA_INFO_KIND -> what is decoded of its IFLA_INFO_DATA (veth sends none in a dump).
DATA_ATTRS: dict[str, Table] = {
    "bridge": BRIDGE_ATTRS,
    "vxlan": VXLAN_ATTRS,
    "macvlan": MACVLAN_ATTRS,
    "macvtap": MACVTAP_ATTRS,
    "vlan": VLAN_ATTRS,
}
#: IFLA_INFO_SLAVE_KIND -> what is decoded of its IFLA_INFO_SLAVE_DATA.
SLAVE_DATA_ATTRS: dict[str, Table] = {"bridge": BRPORT_ATTRS}


def _nested(buf: bytes, span: tuple[int, int] | None, table: Table) -> dict[str, Any] | None:
    if span is None:
        return None
    start, length = span
    return decode(buf, start, start + length, table)


def _linkinfo(buf: bytes, offset: int, length: int) -> dict[str, Any]:
    """IFLA_LINKINFO as ``kind``, ``data`` and ``slave_data`` (None: not sent)."""
    inner = spans(buf, offset, offset + length)
    kind = slave_kind = None
    if IFLA_INFO_KIND in inner:
        kind = text(buf, *inner[IFLA_INFO_KIND])
    if IFLA_INFO_SLAVE_KIND in inner:
        slave_kind = text(buf, *inner[IFLA_INFO_SLAVE_KIND])
    return {
        "kind": kind,
        "data": _nested(buf, inner.get(IFLA_INFO_DATA), DATA_ATTRS.get(kind or "", {})),
        "slave_data": _nested(
            buf, inner.get(IFLA_INFO_SLAVE_DATA), SLAVE_DATA_ATTRS.get(slave_kind or kind or "", {})
        ),
    }


_TOP[IFLA_LINKINFO] = ("linkinfo", _linkinfo)


def plain_link(msg: bytes) -> dict[str, Any]:
    """One RTM_NEWLINK (the whole message, netlink header first) as a plain link dict."""
    _family, _type, index, flags, _change = IFINFOMSG.unpack_from(msg, 16)
    attrs = decode(msg, 16 + IFINFOMSG.size, len(msg), _TOP)
    link: dict[str, Any] = {"index": index, "flags": flags}
    for key in LINK_ATTRS:
        link[key] = attrs.get(key)
    info = attrs.get("linkinfo")
    if info is not None:
        link.update(info)
    return link


def link_messages(fileno: int | None) -> list[bytes]:
    """The raw RTM_NEWLINK messages of a link dump; ``fileno`` is closed when done."""
    with open_socket(fileno) as sock:
        return dump(sock, 1, RTM_GETLINK, IFINFOMSG.pack(socket.AF_UNSPEC, 0, 0, 0, 0), RTM_NEWLINK)


def read_links(fileno: int | None) -> list[dict[str, Any]]:
    """Every link of the netns ``fileno`` was opened in (None: this one), as plain links."""
    return [plain_link(msg) for msg in link_messages(fileno)]
