"""Kernel reads over netlink: links, addresses, routes, type attributes.

The kernel is the truth for what exists and what is configured right now;
NetworkManager adds intent (profiles, DHCP, managed or not). Reads are one
dump per object kind, so 600 links cost three round trips, not 600. Links,
the bulk of a read, are decoded from the bytes by
:mod:`engine.backend.netlink_links`; addresses and routes by pyroute2.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any

from engine import keys as k
from engine.backend.netlink_bridge import bridge_options, bridge_port
from engine.backend.netlink_links import read_links
from engine.backend.netlink_routes import DUMP_TYPES, routes_of
from engine.backend.netlink_typed import typed_routes
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
RT_TABLE_MAIN = k.MAIN_TABLE
RTN_UNICAST = 1
AF_BRIDGE = 7
RTEXT_FILTER_BRVLAN_COMPRESSED = 0x4  # port VLANs in the dump, ranges as begin/end pairs
IFF_UP = 1
IFF_LOWER_UP = 0x10000  # carrier
IFF_PROMISC = 0x100


@dataclass
class KernelState:
    """What netlink reported, already shaped as schema interfaces and routes."""

    interfaces: dict[str, dict[str, Any]] = field(default_factory=dict)
    routes: list[dict[str, Any]] = field(default_factory=list)
    #: Per link name: ``index``, ``up`` (admin) and ``carrier``. A link deleted and
    #: created again (same name and settings) shows only in its index, and the admin
    #: state of an unmanaged link only here, so a restore check compares these.
    #: Also what the screen shows of the link itself: ``operstate`` (RFC 2863 word,
    #: lower case), ``stats`` (IFLA_STATS64 counters), and ``speed`` (Mb/s) and
    #: ``duplex`` where the driver reports them.
    links: dict[str, dict[str, Any]] = field(default_factory=dict)


class NLAs:
    """A pyroute2 message's attributes by name, looked up in one pass instead of one per get.

    pyroute2's ``msg.get(name)`` scans the whole attribute list and wraps each
    entry on the way; shaping a route or an AF_BRIDGE port message asks for
    several (a link, ~15 of its ~60, cost 75 ms per 600 links that way).
    Indexing each message once and decoding a value only when it is asked for
    cuts that to a third. Fields of the
    fixed header (``index``, ``flags``, ``family`` ...) are read as well, so
    callers need not know which is which.
    """

    __slots__ = ("_msg", "_slots")

    def __init__(self, msg: Any) -> None:
        self._msg = msg
        slots: dict[str, Any] = {}
        for slot in msg["attrs"]:
            slots.setdefault(slot.name, slot)  # the first of repeated attributes, like get()
        self._slots = slots

    def get(self, name: str, default: Any = None) -> Any:
        slot = self._slots.get(name)
        if slot is None:
            return self._msg.get(name, default) if name.islower() else default
        value = slot.value
        return default if value is None else value


STATS_KEYS = (  # the IFLA_STATS64 counters the details pane shows
    "rx_bytes",
    "tx_bytes",
    "rx_packets",
    "tx_packets",
    "rx_errors",
    "tx_errors",
    "rx_dropped",
    "tx_dropped",
)


def _iface_type(link: dict[str, Any]) -> str:
    kind = link.get("kind")
    if kind is not None:
        return KIND_TO_TYPE.get(kind, k.UNKNOWN)
    if link.get("ifname") == "lo":
        return k.LOOPBACK
    return k.ETHERNET if link.get("address") else k.UNKNOWN


def vlan_filtering(link: dict[str, Any]) -> bool:
    """Whether ``link`` (a plain link) is a bridge that filters by VLAN."""
    data = link.get("data")
    return (
        link.get("kind") == "bridge"
        and data is not None
        and bool(data.get("IFLA_BR_VLAN_FILTERING"))
    )


def port_vlan_entries(msg: Any) -> list[tuple[int, int]]:
    """A port's (flags, vid) VLAN entries from an AF_BRIDGE RTM_NEWLINK (pyroute2 message)."""
    spec = NLAs(msg).get("IFLA_AF_SPEC")
    if spec is None:
        return []
    return [(int(v["flags"]), int(v["vid"])) for v in spec.get_attrs("IFLA_BRIDGE_VLAN_INFO")]


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


def _type_section(iface: dict[str, Any], link: dict[str, Any], names: dict[int, str]) -> None:
    """Fill the per-type section (veth peer, vxlan, mac-vlan ...) from IFLA_INFO_DATA."""
    kind = link.get("kind")
    data = link.get("data")
    # With IFLA_LINK_NETNSID the link index is in another namespace (a container's end of
    # a veth): looking it up here would name an unrelated local interface.
    other_ns = link.get("netnsid") is not None
    base = None if other_ns else names.get(link.get("link") or 0)
    if kind == "veth" and base:
        iface[k.VETH] = {k.PEER: base}
    elif kind == "bridge" and data is not None:
        iface[k.BRIDGE] = {k.OPTIONS: bridge_options(data), k.PORT: []}
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


def read_kernel(netns: str | None = None) -> KernelState:
    """Dump links, addresses and routes (of ``netns``, or of this process's namespace).

    pyroute2 is imported here, not with the module: it takes ~60 ms to import, and
    :func:`engine.show.read_live` calls this on a worker thread, so the import overlaps
    the wait for NetworkManager's replies instead of delaying the first request.

    Route dumps ask the kernel for unicast and typed routes only (strict checking, Linux
    ≥ 4.20): the local table's hundreds of local, broadcast and multicast
    entries are never shown, so they need not be decoded. A kernel that
    ignores the filter sends everything, and :func:`routes_of` drops it instead.
    The typed routes (blackhole ...) come in their own dumps, one per type.
    Links come over a socket of their own, decoded without pyroute2
    (:mod:`engine.backend.netlink_links`).
    """
    from pyroute2 import IPRoute

    links = read_links(netlink_fd(netns) if netns else None)
    fileno = netlink_fd(netns) if netns else None
    with IPRoute(fileno=fileno, strict_check=True) as ipr:
        port_vlans = None
        if any(vlan_filtering(link) for link in links):
            port_vlans = {
                msg["index"]: port_vlan_entries(msg)
                for msg in ipr.link(
                    "dump", family=AF_BRIDGE, ext_mask=RTEXT_FILTER_BRVLAN_COMPRESSED
                )
            }
        addrs = list(ipr.get_addr())
    # Both families in one dump per type, filtered by the kernel (see netlink_typed).
    routes = typed_routes(netlink_fd(netns) if netns else None, DUMP_TYPES)
    state = shape_kernel(links, addrs, routes, port_vlans)
    _add_speeds(state, netns)
    return state


def _add_speeds(state: KernelState, netns: str | None) -> None:
    """Speed and duplex of the links with carrier (one ethtool ioctl each)."""
    from engine.backend.link_speed import read_speeds

    names = [n for n, link in state.links.items() if link["carrier"] and n != "lo"]
    for name, facts in read_speeds(netns, names).items():
        state.links[name].update(facts)


def _link_facts(link: dict[str, Any]) -> dict[str, Any]:
    """The per-link facts of :attr:`KernelState.links` from a plain link."""
    stats = link.get("stats") or {}
    operstate = link.get("operstate")
    return {
        "index": link["index"],
        "up": bool(link["flags"] & IFF_UP),
        "carrier": bool(link["flags"] & IFF_LOWER_UP),
        "operstate": str(operstate).lower() if operstate is not None else "unknown",
        "stats": {key: int(stats.get(key) or 0) for key in STATS_KEYS} if stats else {},
    }


def shape_kernel(
    links: list[dict[str, Any]],
    addrs: list[Any],
    routes: list[Any],
    port_vlans: dict[int, list[tuple[int, int]]] | None = None,
) -> KernelState:
    """Turn links (as :func:`engine.backend.netlink_links.plain_link` gives them), addresses
    and routes (pyroute2 messages) into schema-shaped interfaces and routes.

    ``port_vlans`` (ifindex -> kernel VLAN entries) is only read when some bridge
    filters by VLAN; ports of such a bridge get their ``vlan`` section from it.
    """
    names: dict[int, str] = {link["index"]: link["ifname"] for link in links}
    state = KernelState()
    for link in links:
        name: str = link["ifname"]
        iface: dict[str, Any] = {
            k.NAME: name,
            k.TYPE: _iface_type(link),
            k.STATE: k.UP if link["flags"] & IFF_UP else k.DOWN,
            k.MTU: link.get("mtu"),
            # IFF_PROMISC: the link accepts every frame, whatever its destination MAC
            "accept-all-mac-addresses": bool(link["flags"] & IFF_PROMISC),
            k.IPV4: {k.ENABLED: False, k.ADDRESS: []},
            k.IPV6: {k.ENABLED: False, k.ADDRESS: []},
        }
        mac = link.get("address")
        if mac and iface[k.TYPE] != k.LOOPBACK:
            iface[k.MAC_ADDRESS] = mac.upper()  # as nmstate prints MACs
        master = link.get("master")
        if master:
            iface[k.CONTROLLER] = names.get(master, str(master))
        _type_section(iface, link, names)
        state.interfaces[name] = iface
        state.links[name] = _link_facts(link)
    filtering_bridges = {link["index"] for link in links if vlan_filtering(link)}
    for link in links:
        master = link.get("master")
        controller = state.interfaces.get(names.get(master or 0) or "")
        if controller is not None and controller[k.TYPE] == k.LINUX_BRIDGE:
            filtering = port_vlans is not None and master in filtering_bridges
            vlans = (port_vlans or {}).get(link["index"], []) if filtering else None
            controller[k.BRIDGE][k.PORT].append(bridge_port(link, vlans))
        elif controller is not None and controller[k.TYPE] in (k.BOND, k.VRF):
            section = k.LINK_AGGREGATION if controller[k.TYPE] == k.BOND else k.VRF
            controller.setdefault(section, {}).setdefault(k.PORT, []).append(link.get("ifname"))
    for addr in addrs:
        owner = state.interfaces.get(names.get(addr["index"]) or "")
        if owner is None:
            continue
        iface = owner
        family = k.IPV4 if addr["family"] == socket.AF_INET else k.IPV6
        # Link-local ones (fe80::/10) too, in the kernel's order, as nmstate 2 shows them;
        # merge, diff and verify leave them out (engine.comparable).
        iface[family][k.ENABLED] = True
        entry = {k.IP: addr.get("address"), k.PREFIX_LENGTH: addr["prefixlen"]}
        iface[family][k.ADDRESS].append(entry)
    for msg in routes:
        state.routes += routes_of(msg, NLAs(msg), names)
    return state
