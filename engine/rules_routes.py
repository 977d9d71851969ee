"""What nmstate refuses in ``routes`` and ``route-rules`` entries, beyond their shape.

The schema checks each entry's fields one by one, :mod:`engine.address_checks`
their addresses. These are the rules of nmstate's ``Routes::validate``,
``RouteEntry::sanitize`` and ``RouteRuleEntry::sanitize`` (rust/src/lib/route.rs,
route_rule.rs), with nmstate's reasons:

- a typed route (blackhole, unreachable, prohibit) has no next hop: neither a
  ``next-hop-interface`` other than ``lo`` nor a ``next-hop-address``;
- a route that is not typed needs a ``next-hop-interface`` (nmstate: "not
  supported"; no profile could hold it);
- ``0.0.0.0/8`` and its subnets are no destination of an untyped route;
- ``cwnd`` 0 is refused (the kernel would take it as "unset");
- an IPv6 route with a ``weight`` is refused (nmstate: IPv6 ECMP weights are not
  supported; NetworkManager takes weights for IPv4 only);
- a route rule names ``ip-from``, ``ip-to`` or ``family`` (else it has no family);
  a ``family`` that an address contradicts is refused, and so is ``fwmask``
  without ``fwmark``.

Absent entries delete, so only the wildcard rules apply to them.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from engine import keys as k
from engine.rules_context import Ctx

ROUTE_TYPE = "route-type"
LOOPBACK = "lo"


def _entries(ctx: Ctx, section: str) -> list[tuple[int, dict[str, Any]]]:
    block = ctx.desired.get(section)
    config = block.get(k.CONFIG) if isinstance(block, dict) else None
    if not isinstance(config, list):
        return []
    return [(j, e) for j, e in enumerate(config) if isinstance(e, dict)]


def _zero_net(dest: Any) -> bool:
    """Whether ``dest`` is 0.0.0.0/8 or inside it (the default route 0.0.0.0/0 is not)."""
    if not isinstance(dest, str):
        return False
    try:
        net = ipaddress.ip_network(dest, strict=False)
    except ValueError:
        return False
    return net.version == 4 and net.prefixlen >= 8 and net.network_address.packed[0] == 0


def check_route_entries(ctx: Ctx) -> None:
    for j, route in _entries(ctx, k.ROUTES):
        if route.get(k.STATE) == k.ABSENT:
            continue
        where = ctx.path(k.ROUTES, k.CONFIG, j)
        typed = route.get(ROUTE_TYPE)
        via = route.get(k.NEXT_HOP_INTERFACE)
        if typed:
            if via and via != LOOPBACK:
                ctx.error(
                    ctx.path(k.ROUTES, k.CONFIG, j, k.NEXT_HOP_INTERFACE),
                    f"a {typed} route cannot have a next hop (next-hop-interface: {via})",
                    "drop next-hop-interface (typed routes live on lo, as in nmstate)",
                )
            if route.get(k.NEXT_HOP_ADDRESS):
                ctx.error(
                    ctx.path(k.ROUTES, k.CONFIG, j, k.NEXT_HOP_ADDRESS),
                    f"a {typed} route cannot have a next hop address",
                    "drop next-hop-address",
                )
        elif not via:
            ctx.error(
                where,
                "a route without next-hop-interface is not supported",
                "name the interface the route goes out of, or give a route-type",
            )
        if not typed and _zero_net(route.get(k.DESTINATION)):
            ctx.error(
                ctx.path(k.ROUTES, k.CONFIG, j, k.DESTINATION),
                "0.0.0.0/8 and its subnets cannot be the destination of a unicast route",
                "use the default route 0.0.0.0/0 instead",
            )
        dest = route.get(k.DESTINATION)
        if route.get("weight") is not None and isinstance(dest, str) and ":" in dest:
            ctx.error(
                ctx.path(k.ROUTES, k.CONFIG, j, "weight"),
                "an IPv6 route cannot have a weight (ECMP weights are IPv4 only)",
                "drop weight; IPv6 routes to one destination share it equally",
            )
        if route.get("cwnd") == 0:
            ctx.error(
                ctx.path(k.ROUTES, k.CONFIG, j, "cwnd"),
                "cwnd cannot be 0",
                "give a congestion window of 1 or more, or omit cwnd",
            )


def _family_of(text: Any) -> str | None:
    if not isinstance(text, str) or not text:
        return None
    return k.IPV6 if ":" in text else k.IPV4


def check_route_rules(ctx: Ctx) -> None:
    for j, rule in _entries(ctx, k.ROUTE_RULES):
        if rule.get(k.STATE) == k.ABSENT:
            continue
        where = ctx.path(k.ROUTE_RULES, k.CONFIG, j)
        family = rule.get(k.FAMILY)
        if not rule.get(k.IP_FROM) and not rule.get(k.IP_TO) and not family:
            ctx.error(
                where,
                "neither ip-from, ip-to nor family is given",
                "add ip-from or ip-to, or family: ipv4 / ipv6 for a rule matching all",
            )
        for key in (k.IP_FROM, k.IP_TO):
            said = _family_of(rule.get(key))
            if family and said and said != family:
                ctx.error(
                    ctx.path(k.ROUTE_RULES, k.CONFIG, j, key),
                    f"is an {said} network but family is {family}",
                    "make family agree with the addresses, or omit it",
                )
        if rule.get("fwmask") is not None and not rule.get("fwmark"):
            ctx.error(
                ctx.path(k.ROUTE_RULES, k.CONFIG, j, "fwmask"),
                "fwmask is given but fwmark is not (or is 0)",
                "add fwmark, or drop fwmask",
            )
