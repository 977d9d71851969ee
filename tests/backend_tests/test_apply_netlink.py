"""The kernel half of ``show`` on shapes a sandbox cannot produce on demand.

``plain_link`` (engine.backend.netlink_links) turns the kernel's link messages into
plain dicts; these fakes are such dicts, so the shaping code sees what it sees on a
real host (the sandbox round trips in test_apply_roundtrip.py cover the common shapes
end to end).
"""

from __future__ import annotations

import struct
from typing import Any

from engine.backend.netlink import port_vlan_entries, shape_kernel, vlan_filtering


def _link(index: int, name: str, kind: str | None = None, **attrs: Any) -> dict[str, Any]:
    """A link as :func:`engine.backend.netlink_links.plain_link` hands it to the shaping code."""
    mac = f"02:00:00:00:00:{index:02x}"
    link: dict[str, Any] = {"index": index, "ifname": name, "flags": 1, "mtu": 1500}
    link["address"] = mac
    if kind is not None:
        link.update(kind=kind, data=attrs.pop("data", {}))
    link.update(attrs)
    return link


def test_veth_peer_in_another_namespace_is_not_a_local_interface() -> None:
    """A container's veth: its link index (7) is in the container's namespace, where the
    host's own index 7 is an unrelated interface."""
    links = [
        _link(7, "br0", "bridge", data={}),
        _link(8, "vethab", "veth", link=7, netnsid=0),
        _link(9, "ve1", "veth", link=10),
        _link(10, "ve1p", "veth", link=9),
    ]
    ifaces = shape_kernel(links, [], []).interfaces
    assert "veth" not in ifaces["vethab"]
    assert ifaces["ve1"]["veth"] == {"peer": "ve1p"}


def test_macvlan_modes_as_names_and_as_numbers() -> None:
    """pyroute2 0.9 decodes the mode to its name; older ones gave the kernel's bit value."""
    links = [
        _link(2, "eth0"),
        _link(3, "mv0", "macvlan", link=2, data={"IFLA_MACVLAN_MODE": "bridge"}),
        _link(4, "mt0", "macvtap", link=2, data={"IFLA_MACVTAP_MODE": "vepa"}),
        _link(5, "mv1", "macvlan", link=2, data={"IFLA_MACVLAN_MODE": 8}),
    ]
    ifaces = shape_kernel(links, [], []).interfaces
    assert ifaces["mv0"]["mac-vlan"] == {"base-iface": "eth0", "mode": "bridge"}
    assert ifaces["mt0"]["mac-vtap"] == {"base-iface": "eth0", "mode": "vepa"}
    assert ifaces["mv1"]["mac-vlan"]["mode"] == "passthru"


def _nla(kind: int, payload: bytes) -> bytes:
    size = 4 + len(payload)
    return struct.pack("HH", size, kind) + payload + b"\0" * (-size % 4)


def _af_bridge_port_message(index: int, master: int, entries: list[tuple[int, int]]) -> Any:
    """An RTM_NEWLINK of family AF_BRIDGE as the kernel sends it for a port with VLANs
    (IFLA_AF_SPEC > IFLA_BRIDGE_VLAN_INFO), decoded by pyroute2."""
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg

    nested = 0x8000
    vinfo = b"".join(_nla(2, struct.pack("HH", flags, vid)) for flags, vid in entries)
    body = (
        struct.pack("BxHiII", 7, 1, index, 0x1003, 0)
        + _nla(3, b"eth1\0")
        + _nla(10, struct.pack("I", master))
        + _nla(26 | nested, vinfo)
    )
    msg = ifinfmsg(struct.pack("IHHII", 16 + len(body), 16, 2, 1, 0) + body)
    msg.decode()
    return msg


def test_ports_of_a_vlan_filtering_bridge_show_their_vlans() -> None:
    """The kernel half of the port VLAN round trip (this kernel cannot filter by VLAN)."""
    entries = [(6, 100), (0, 101), (8, 500), (16, 599)]  # native 100, 101, 500-599
    msg = _af_bridge_port_message(8, 7, entries)
    assert port_vlan_entries(msg) == entries
    links = [
        _link(7, "br0", "bridge", data={"IFLA_BR_VLAN_FILTERING": 1}),
        _link(8, "eth1", master=7),
        _link(9, "br1", "bridge", data={}),
        _link(10, "eth2", master=9),
    ]
    ifaces = shape_kernel(links, [], [], {8: port_vlan_entries(msg), 10: [(6, 1)]}).interfaces
    (port,) = ifaces["br0"]["bridge"]["port"]
    assert port["vlan"] == {
        "mode": "trunk",
        "enable-native": True,
        "tag": 100,
        "trunk-tags": [{"id": 101}, {"id-range": {"min": 500, "max": 599}}],
    }
    (other,) = ifaces["br1"]["bridge"]["port"]
    assert "vlan" not in other  # br1 does not filter: its ports have no VLAN settings


def test_without_a_filtering_bridge_no_port_vlans_are_read() -> None:
    links = [_link(7, "br0", "bridge", data={}), _link(8, "eth1", master=7)]
    assert not any(vlan_filtering(link) for link in links)
    (port,) = shape_kernel(links, [], []).interfaces["br0"]["bridge"]["port"]
    assert "vlan" not in port
