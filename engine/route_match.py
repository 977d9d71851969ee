"""When does a route entry match another? nmstate's rule, for merge and verify alike.

A pattern (an ``absent`` entry, or a desired route being verified) matches
an entry when every field the pattern gives agrees, with nmstate's
readings: a missing ``destination`` (validation refuses an empty one, as
nmstate does) and a ``table-id`` of 0 match anything; ``next-hop-address: ""``
matches only routes without a gateway; an entry without ``table-id`` is in
the main table (254). A metric given (0 or more) must agree: nmstate
ignores the metric here, but an absent entry that names one deleting routes
of every metric would remove more than it says (this project's rule since
the first merge tests; -1 means "any").
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from engine import keys as k

_NO_GATEWAY = ("", "0.0.0.0", "::")


@lru_cache(maxsize=65536)
def canonical_network(text: str) -> str:
    """``text`` as the network nmstate's ``sanitize`` makes of it: host bits cleared
    (``198.51.100.1/24`` is ``198.51.100.0/24``), a bare address a single host
    (``203.0.113.1/32``). Text that is no network (``""`` too) comes back unchanged, for
    validation to report."""
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        return text


def sanitized_route(route: dict[str, Any]) -> dict[str, Any]:
    """``route`` as nmstate compares it: its destination as :func:`canonical_network`
    writes it, and a typed route's ``next-hop-interface: lo`` left out (the only next
    hop nmstate lets a blackhole name, and it shows none)."""
    out = route
    dest = route.get(k.DESTINATION)
    if isinstance(dest, str) and canonical_network(dest) != dest:
        out = {**out, k.DESTINATION: canonical_network(dest)}
    if route.get("route-type") and route.get(k.NEXT_HOP_INTERFACE) == "lo":
        out = {key: v for key, v in out.items() if key != k.NEXT_HOP_INTERFACE}
    return out


def _gateway(value: Any) -> Any:
    return "" if value is None or value in _NO_GATEWAY else value


def route_matches(
    entry: Any, pattern: dict[str, Any], ignore: frozenset[str] = frozenset()
) -> bool:
    """Whether ``entry`` is one of the routes ``pattern`` names (``ignore``: keys skipped)."""
    if not isinstance(entry, dict):
        return False
    for key, want in pattern.items():
        if key == k.STATE or key in ignore:
            continue
        have = entry.get(key)
        if key == k.DESTINATION:
            if want and want != have:
                return False
        elif key == k.NEXT_HOP_ADDRESS:
            if _gateway(want) != _gateway(have):
                return False
        elif key == k.TABLE_ID:
            if want and int(want) != int(have or k.MAIN_TABLE):
                return False
        elif key == k.METRIC:
            if want is not None and int(want) >= 0 and want != have:
                return False
        elif want != have:
            return False
    return True


def _identity(route: dict[str, Any]) -> tuple[Any, ...]:
    """nmstate's ``RouteEntry::sort_key`` without the state: what makes two routes the same
    route (the metric is not part of it)."""
    return (
        route.get(k.TABLE_ID) or k.MAIN_TABLE,
        route.get(k.NEXT_HOP_INTERFACE) or "lo",
        route.get(k.DESTINATION) or "",
        _gateway(route.get(k.NEXT_HOP_ADDRESS)),
        route.get("source") or "",
        route.get("weight") or 0,
        route.get("cwnd") or 0,
    )


def same_but_metric(entry: Any, wanted: dict[str, Any]) -> bool:
    """Whether the host's ``entry`` is ``wanted`` with another metric: nmstate keeps one
    route of each identity, so asking for a new metric replaces the old route."""
    return (
        isinstance(entry, dict)
        and k.METRIC in wanted
        and entry.get(k.METRIC) != wanted[k.METRIC]
        and _identity(entry) == _identity(wanted)
    )
