"""Kernel routes (RTM_NEWROUTE messages from pyroute2) as schema routes.

What nmstate shows of the kernel's routing tables (rust/src/lib/nispor/route.rs):
routes of the unicast and the typed kinds (blackhole, unreachable, prohibit)
in the universe or link scope, from the protocols nmstate lists (boot,
static, ra, dhcp, mrouted, keepalived, babel). Not the kernel's own (prefix
routes of an address, link-local), and not those of routing daemons (BGP's
186, bird's 12): they are their daemon's, not the host's configuration.
A multipath (ECMP) route is one kernel entry with several next hops; the
schema spells it as one route per next hop, IPv4's each with its ``weight``
(nmstate shows none for IPv6, whose next hops the kernel keeps apart).
``cwnd`` is shown only when locked: ``man ip-route`` calls an unlocked one
useless, and nmstate shows it only with its lock too.
"""

from __future__ import annotations

import socket
from typing import Any

from engine import keys as k

RT_PROTO_KERNEL = 2
#: The protocols whose routes nmstate shows: boot, static, ra, dhcp, mrouted,
#: keepalived, babel.
SHOWN_PROTOCOLS = frozenset({3, 4, 9, 16, 17, 18, 42})
#: RT_SCOPE_UNIVERSE, RT_SCOPE_LINK: the scopes nmstate shows.
SHOWN_SCOPES = frozenset({0, 253})
RTN_UNICAST = 1
#: rtnetlink route type → schema ``route-type``.
TYPED: dict[int, str] = {6: "blackhole", 7: "unreachable", 8: "prohibit"}
#: The route types a dump asks for (strict checking filters by one type per dump).
DUMP_TYPES = (RTN_UNICAST, *TYPED)

#: RTA_METRICS entries → schema keys (RTAX_LOCK's MTU bit → lock-mtu).
METRICS = {
    "RTAX_MTU": k.MTU,
    "RTAX_CWND": "cwnd",
    "RTAX_ADVMSS": "advmss",
    "RTAX_INITCWND": "initcwnd",
    "RTAX_INITRWND": "initrwnd",
}
RTAX_MTU_LOCK = 1 << 2
RTAX_CWND_LOCK = 1 << 7


def _attrs(value: Any) -> dict[str, Any]:
    """A nested attribute (RTA_METRICS, a next hop) as name → value, first of each."""
    out: dict[str, Any] = {}
    if value is None:
        return out
    for name, val in value["attrs"] or []:  # pyroute2's get() would look for an NLA "attrs"
        out.setdefault(name, val)
    return out


def _metrics(value: Any, route: dict[str, Any]) -> None:
    metrics = _attrs(value)
    for attr, key in METRICS.items():
        if metrics.get(attr):
            route[key] = int(metrics[attr])
    if metrics.get("RTAX_QUICKACK"):
        route["quickack"] = True
    locks = int(metrics.get("RTAX_LOCK") or 0)
    if locks & RTAX_MTU_LOCK and k.MTU in route:
        route["lock-mtu"] = True
    if not locks & RTAX_CWND_LOCK:
        route.pop("cwnd", None)


def routes_of(msg: Any, nlas: Any, names: dict[int, str]) -> list[dict[str, Any]]:
    """The schema routes of one RTM_NEWROUTE (none for those nmstate does not show).

    ``nlas`` is the message's attribute index (:class:`engine.backend.netlink.NLAs`).
    """
    kind = msg["type"]
    if kind != RTN_UNICAST and kind not in TYPED:
        return []
    if msg["proto"] not in SHOWN_PROTOCOLS or msg["scope"] not in SHOWN_SCOPES:
        return []
    family = msg["family"]
    default = "0.0.0.0" if family == socket.AF_INET else "::"
    dst = nlas.get("RTA_DST") or default
    if family == socket.AF_INET6 and dst.startswith("fe80:") and msg["dst_len"] == 64:
        return []
    route: dict[str, Any] = {
        k.DESTINATION: f"{dst}/{msg['dst_len']}",
        k.TABLE_ID: nlas.get("RTA_TABLE") or msg["table"],
    }
    if kind in TYPED:
        route["route-type"] = TYPED[kind]
    priority = nlas.get("RTA_PRIORITY")
    if priority is not None:
        route[k.METRIC] = priority
    source = nlas.get("RTA_PREFSRC")
    if source:
        route["source"] = source
    _metrics(nlas.get("RTA_METRICS"), route)
    hops = nlas.get("RTA_MULTIPATH")
    if hops:
        out = []
        for hop in hops:
            one = dict(route)
            oif = hop["oif"]
            gateway = _attrs(hop).get("RTA_GATEWAY")
            if oif:
                one[k.NEXT_HOP_INTERFACE] = names.get(oif, str(oif))
            if gateway:
                one[k.NEXT_HOP_ADDRESS] = gateway
            if family == socket.AF_INET:
                one["weight"] = int(hop["hops"]) + 1
            out.append(one)
        return out
    oif = nlas.get("RTA_OIF")
    if oif and kind not in TYPED:  # a typed IPv6 route names lo: no next hop, really
        route[k.NEXT_HOP_INTERFACE] = names.get(oif, str(oif))
    gateway = nlas.get("RTA_GATEWAY")
    if gateway:
        route[k.NEXT_HOP_ADDRESS] = gateway
    return [route]
