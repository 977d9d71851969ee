"""The kernel half of ``show`` on shapes a sandbox cannot produce on demand.

``plain_link`` turns pyroute2's messages into plain dicts; these fakes are
such dicts, so the shaping code sees what it sees on a real host (the sandbox round trips
in test_apply_roundtrip.py cover the common shapes end to end).
"""

from __future__ import annotations

from typing import Any

from engine.backend.netlink import shape_kernel


def _link(index: int, name: str, kind: str | None = None, **attrs: Any) -> dict[str, Any]:
    """A link as :func:`engine.backend.netlink.plain_link` hands it to the shaping code."""
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
