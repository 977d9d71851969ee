"""Kernel reads over netlink (pyroute2): links, addresses, routes, type attributes.

The kernel is the truth for what exists and what is configured right now;
NetworkManager adds intent (profiles, DHCP, managed or not). Reads are one
dump per object kind, so 600 links cost three round trips, not 600.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any

# Imported with the module, not on the first read: pyroute2 takes ~70 ms to import, which
# belongs to loading the backend, not to the first show or apply.
from pyroute2 import IPRoute

from engine import keys as k
from engine.backend.netns import netlink_fd

# rtnetlink link kind -> schema interface type
KIND_TO_TYPE: dict[str, str] = {
    "bridge": k.LINUX_BRIDGE,
    "veth": k.VETH,
    "vxlan": k.VXLAN,
    "macvlan": k.MAC_VLAN,
    "macvtap": k.MAC_VTAP,
    "vlan": k.VLAN,
    "bond": k.BOND,
    "dummy": k.DUMMY,
    "vrf": k.VRF,
    "ipvlan": k.IPVLAN,
}
MACVLAN_MODES = {1: "private", 2: "vepa", 4: "bridge", 8: "passthru", 16: "source"}
RT_PROTO_KERNEL = 2
RT_TABLE_MAIN = 254
RTN_UNICAST = 1
IFF_UP = 1
CENTISECONDS = 100


@dataclass
class KernelState:
    """What netlink reported, already shaped as schema interfaces and routes."""

    interfaces: dict[str, dict[str, Any]] = field(default_factory=dict)
    routes: list[dict[str, Any]] = field(default_factory=list)


def _kind(link: Any) -> str | None:
    kind: str | None = link.get_nested("IFLA_LINKINFO", "IFLA_INFO_KIND")
    return kind


def _info_data(link: Any) -> Any:
    return link.get_nested("IFLA_LINKINFO", "IFLA_INFO_DATA")


def _iface_type(link: Any) -> str:
    kind = _kind(link)
    if kind is not None:
        return KIND_TO_TYPE.get(kind, k.UNKNOWN)
    if link.get("ifname") == "lo":
        return k.LOOPBACK
    return k.ETHERNET if link.get("address") else k.UNKNOWN


def _bridge_options(data: Any) -> dict[str, Any]:
    get = data.get
    return {
        "stp": {
            k.ENABLED: bool(get("IFLA_BR_STP_STATE")),
            "forward-delay": get("IFLA_BR_FORWARD_DELAY", 0) // CENTISECONDS,
            "hello-time": get("IFLA_BR_HELLO_TIME", 0) // CENTISECONDS,
            "max-age": get("IFLA_BR_MAX_AGE", 0) // CENTISECONDS,
            k.PRIORITY: get("IFLA_BR_PRIORITY"),
        },
        "mac-ageing-time": get("IFLA_BR_AGEING_TIME", 0) // CENTISECONDS,
        "multicast-snooping": bool(get("IFLA_BR_MCAST_SNOOPING")),
        "group-forward-mask": get("IFLA_BR_GROUP_FWD_MASK", 0),
    }


def _bridge_port(link: Any) -> dict[str, Any]:
    data = link.get_nested("IFLA_LINKINFO", "IFLA_INFO_SLAVE_DATA")
    port: dict[str, Any] = {k.NAME: link.get("ifname")}
    if data is not None:
        port["stp-priority"] = data.get("IFLA_BRPORT_PRIORITY")
        port["stp-path-cost"] = data.get("IFLA_BRPORT_COST")
        port["stp-hairpin-mode"] = bool(data.get("IFLA_BRPORT_MODE"))
    return port


def _macvlan_mode(kind: str, data: Any) -> str:
    """The mode of a macvlan/macvtap link.

    pyroute2 (0.9) decodes IFLA_MACVLAN_MODE / IFLA_MACVTAP_MODE (they are
    distinct attribute names, same meaning) to a name already; older
    releases gave the kernel's bit value, so both are understood.
    """
    attr = "IFLA_MACVLAN_MODE" if kind == "macvlan" else "IFLA_MACVTAP_MODE"
    mode = data.get(attr)
    if mode is None:
        mode = data.get("IFLA_MACVLAN_MODE")
    if isinstance(mode, str):
        return mode if mode in MACVLAN_MODES.values() else "unknown"
    return MACVLAN_MODES.get(int(mode or 0), "unknown")


def _type_section(iface: dict[str, Any], link: Any, names: dict[int, str]) -> None:
    """Fill the per-type section (veth peer, vxlan, mac-vlan ...) from IFLA_INFO_DATA."""
    kind = _kind(link)
    data = _info_data(link)
    # With IFLA_LINK_NETNSID the link index is in another namespace (a container's end of
    # a veth): looking it up here would name an unrelated local interface.
    other_ns = link.get("IFLA_LINK_NETNSID") is not None
    base = None if other_ns else names.get(link.get("link") or 0)
    if kind == "veth" and base:
        iface[k.VETH] = {k.PEER: base}
    elif kind == "bridge" and data is not None:
        iface[k.BRIDGE] = {k.OPTIONS: _bridge_options(data), k.PORT: []}
    elif kind == "vxlan" and data is not None:
        section: dict[str, Any] = {
            k.ID: data.get("IFLA_VXLAN_ID"),
            "destination-port": data.get("IFLA_VXLAN_PORT"),
            "learning": bool(data.get("IFLA_VXLAN_LEARNING")),
        }
        base_idx = data.get("IFLA_VXLAN_LINK")
        if base_idx:
            section[k.BASE_IFACE] = names.get(base_idx, "")
        for attr, key in (
            ("IFLA_VXLAN_GROUP", "remote"),
            ("IFLA_VXLAN_LOCAL", "local"),
            ("IFLA_VXLAN_GROUP6", "remote"),
            ("IFLA_VXLAN_LOCAL6", "local"),
        ):
            if data.get(attr):
                section[key] = data.get(attr)
        iface[k.VXLAN] = section
    elif kind in ("macvlan", "macvtap") and data is not None:
        key = k.MAC_VLAN if kind == "macvlan" else k.MAC_VTAP
        iface[key] = {k.BASE_IFACE: base or "", k.MODE: _macvlan_mode(kind, data)}
    elif kind == "vlan" and data is not None:
        iface[k.VLAN] = {k.BASE_IFACE: base or "", k.ID: data.get("IFLA_VLAN_ID")}


def _route(msg: Any, names: dict[int, str]) -> dict[str, Any] | None:
    """A schema route from an RTM_NEWROUTE, or None for routes nmstate does not show."""
    if msg["type"] != RTN_UNICAST or msg["proto"] == RT_PROTO_KERNEL:
        return None
    family = msg["family"]
    default = "0.0.0.0" if family == socket.AF_INET else "::"
    dst = msg.get("dst") or default
    if family == socket.AF_INET6 and dst.startswith("fe80:") and msg["dst_len"] == 64:
        return None
    route: dict[str, Any] = {
        k.DESTINATION: f"{dst}/{msg['dst_len']}",
        k.TABLE_ID: msg.get("table") or msg["table"],
    }
    oif = msg.get("oif")
    if oif:
        route[k.NEXT_HOP_INTERFACE] = names.get(oif, str(oif))
    gateway = msg.get("gateway")
    if gateway:
        route[k.NEXT_HOP_ADDRESS] = gateway
    if msg.get("priority") is not None:
        route[k.METRIC] = msg.get("priority")
    return route


def read_kernel(netns: str | None = None) -> KernelState:
    """Dump links, addresses and routes (of ``netns``, or of this process's namespace)."""
    with IPRoute(fileno=netlink_fd(netns)) if netns else IPRoute() as ipr:
        links = list(ipr.get_links())
        addrs = list(ipr.get_addr())
        routes = list(ipr.get_routes(family=socket.AF_INET)) + list(
            ipr.get_routes(family=socket.AF_INET6)
        )
    return shape_kernel(links, addrs, routes)


def shape_kernel(links: list[Any], addrs: list[Any], routes: list[Any]) -> KernelState:
    """Turn raw netlink messages into schema-shaped interfaces and routes."""
    names = {link["index"]: link.get("ifname") for link in links}
    state = KernelState()
    for link in links:
        name = link.get("ifname")
        iface: dict[str, Any] = {
            k.NAME: name,
            k.TYPE: _iface_type(link),
            k.STATE: k.UP if link["flags"] & IFF_UP else k.DOWN,
            k.MTU: link.get("mtu"),
            k.IPV4: {k.ENABLED: False, k.ADDRESS: []},
            k.IPV6: {k.ENABLED: False, k.ADDRESS: []},
        }
        mac = link.get("address")
        if mac and iface[k.TYPE] != k.LOOPBACK:
            iface[k.MAC_ADDRESS] = mac.lower()
        master = link.get("master")
        if master:
            iface[k.CONTROLLER] = names.get(master, str(master))
        _type_section(iface, link, names)
        state.interfaces[name] = iface
    for link in links:
        master = link.get("master")
        controller = state.interfaces.get(names.get(master or 0) or "")
        if controller is not None and controller[k.TYPE] == k.LINUX_BRIDGE:
            controller[k.BRIDGE][k.PORT].append(_bridge_port(link))
        elif controller is not None and controller[k.TYPE] in (k.BOND, k.VRF):
            section = k.LINK_AGGREGATION if controller[k.TYPE] == k.BOND else k.VRF
            controller.setdefault(section, {}).setdefault(k.PORT, []).append(link.get("ifname"))
    for addr in addrs:
        owner = state.interfaces.get(names.get(addr["index"]) or "")
        if owner is None:
            continue
        iface = owner
        family = k.IPV4 if addr["family"] == socket.AF_INET else k.IPV6
        ip = addr.get("address")
        if family == k.IPV6 and ip.startswith("fe80:"):
            iface[k.IPV6][k.ENABLED] = True  # link-local: IPv6 is on, but nmstate hides it
            continue
        iface[family][k.ENABLED] = True
        iface[family][k.ADDRESS].append({k.IP: ip, k.PREFIX_LENGTH: addr["prefixlen"]})
    for msg in routes:
        route = _route(msg, names)
        if route is not None:
            state.routes.append(route)
    return state
