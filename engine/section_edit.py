"""Pure edits of the draft's global sections: routes (and gateways), DNS, hostname.

The forms show what the host will have once the draft is applied, and the
user edits that list. nmstate's desired state does not say "the routes are
now X" though: ``routes.config`` is append-only, and a host route goes
away only through an entry with ``state: absent``. These functions turn
"the rows the user wants" back into the smallest ``routes.config`` that
gets there, so a removed host route becomes an absent entry and a route
that only the draft had is just dropped. DNS and hostname follow their own
nmstate rules (``dns-resolver.config`` replaces the keys it gives,
``hostname.config`` replaces). Pure: no I/O, no UI.
"""

from __future__ import annotations

import copy
from typing import Any

from engine import keys as k
from engine.merge_sections import merge_entries, route_present
from engine.route_match import route_matches

Route = dict[str, Any]

#: The default route's destination per family, as the normalized state spells it.
DEFAULT_DESTINATION = {k.IPV4: "0.0.0.0/0", k.IPV6: "::/0"}
#: The keys a DNS form edits, in the order nmstate prints them.
DNS_KEYS = (k.SERVER, k.SEARCH, k.OPTIONS)


def _freeze(route: Any) -> str:
    return repr(sorted(route.items())) if isinstance(route, dict) else repr(route)


def _absent(route: Any) -> bool:
    return isinstance(route, dict) and route.get(k.STATE) == k.ABSENT


def _hits(route: Any, pattern: Route) -> bool:
    """Does the absent ``pattern`` remove ``route``? (Omitted fields match anything.)"""
    return isinstance(route, dict) and all(
        route.get(key) == value for key, value in pattern.items() if key != k.STATE
    )


def absent_entry(route: Route) -> Route:
    """The ``state: absent`` entry that removes exactly ``route`` (every field given)."""
    marker = {key: copy.deepcopy(v) for key, v in route.items() if key != k.STATE}
    marker[k.STATE] = k.ABSENT
    return marker


def effective_routes(host: list[Any], draft: list[Any]) -> list[Route]:
    """The static routes the host will have: its own, less the absent ones, plus the draft's."""
    return [
        copy.deepcopy(r)
        for r in merge_entries(host, draft, route_matches, route_present)
        if isinstance(r, dict)
    ]


def routes_config(host: list[Any], draft: list[Any], rows: list[Route]) -> list[Route]:
    """The draft ``routes.config`` that turns the host's routes into ``rows``.

    Absent entries already in the draft are kept while they still remove a
    host route the user does not want (a hand-written wildcard stays a
    wildcard); every other unwanted host route gets an exact absent entry;
    rows the host does not keep are added. Absent entries come first, as
    nmstate applies them first.
    """
    wanted = {_freeze(r) for r in rows}
    patterns = [
        p
        for p in draft
        if _absent(p) and any(_hits(h, p) and _freeze(h) not in wanted for h in host)
    ]
    kept = [h for h in host if not any(_hits(h, p) for p in patterns)]
    removed = [absent_entry(h) for h in kept if isinstance(h, dict) and _freeze(h) not in wanted]
    have = {_freeze(h) for h in kept}
    added: list[Route] = []
    for row in rows:
        key = _freeze(row)
        if key not in have:
            have.add(key)
            added.append(copy.deepcopy(row))
    return [copy.deepcopy(p) for p in patterns] + removed + added


def family_of(route: Route) -> str:
    """``ipv6`` for a route whose destination (or gateway) is IPv6, else ``ipv4``."""
    text = str(route.get(k.DESTINATION) or route.get(k.NEXT_HOP_ADDRESS) or "")
    return k.IPV6 if ":" in text else k.IPV4


def is_default(route: Route, family: str) -> bool:
    return route.get(k.DESTINATION) == DEFAULT_DESTINATION[family]


def gateway_of(routes: list[Route], iface: str, family: str) -> str:
    """The gateway of ``iface``'s default route of ``family`` in ``routes`` ("" when none)."""
    for route in routes:
        if is_default(route, family) and route.get(k.NEXT_HOP_INTERFACE) == iface:
            return str(route.get(k.NEXT_HOP_ADDRESS) or "")
    return ""


def gateways_of(routes: list[Route], iface: str) -> dict[str, str]:
    """Both families' gateways of ``iface`` (what the interface form shows)."""
    return {family: gateway_of(routes, iface, family) for family in k.IP_FAMILIES}


def with_gateway(
    host: list[Any], draft: list[Any], iface: str, family: str, address: str
) -> list[Route]:
    """The draft ``routes.config`` with ``iface``'s ``family`` default route via ``address``.

    An existing default route through ``iface`` keeps its metric and table
    and only changes its next hop; an empty ``address`` removes it (with an
    absent entry when the host has it).
    """
    rows = effective_routes(host, draft)
    mine = [
        i
        for i, r in enumerate(rows)
        if is_default(r, family) and r.get(k.NEXT_HOP_INTERFACE) == iface
    ]
    address = address.strip()
    if address and mine:
        rows[mine[0]] = {**rows[mine[0]], k.NEXT_HOP_ADDRESS: address}
        drop = set(mine[1:])
    elif address:
        rows.append(
            {
                k.DESTINATION: DEFAULT_DESTINATION[family],
                k.NEXT_HOP_INTERFACE: iface,
                k.NEXT_HOP_ADDRESS: address,
            }
        )
        drop = set()
    else:
        drop = set(mine)
    rows = [r for i, r in enumerate(rows) if i not in drop]
    return routes_config(host, draft, rows)


def routes_section(section: Any, config: list[Route]) -> dict[str, Any] | None:
    """The draft's ``routes`` section with ``config`` (None once nothing is left in it)."""
    out = dict(section) if isinstance(section, dict) else {}
    if config:
        out[k.CONFIG] = config
    else:
        out.pop(k.CONFIG, None)
    return out or None


# --- DNS ------------------------------------------------------------------------


def dns_shown(host: Any, draft: Any) -> dict[str, list[str]]:
    """The DNS settings the host will have: the draft's keys over the host's.

    A draft ``config: {}`` purges, so every key shows empty.
    """
    host_cfg = host if isinstance(host, dict) else {}
    purged = isinstance(draft, dict) and not draft
    draft_cfg = draft if isinstance(draft, dict) else {}
    out: dict[str, list[str]] = {}
    for key in DNS_KEYS:
        value = draft_cfg[key] if key in draft_cfg else [] if purged else host_cfg.get(key)
        out[key] = [str(v) for v in value] if isinstance(value, list) else []
    return out


def dns_section(host: Any, config: dict[str, list[str]]) -> dict[str, Any] | None:
    """The draft's ``dns-resolver`` for a form's ``config``: only the keys that differ.

    Nothing differing gives None (no section), never ``config: {}``, which
    nmstate reads as "remove all DNS settings".
    """
    host_cfg = host if isinstance(host, dict) else {}
    changed = {
        key: list(value)
        for key, value in config.items()
        if list(value) != list(host_cfg.get(key) or [])
    }
    return {k.CONFIG: changed} if changed else None


def split_list(text: str) -> list[str]:
    """Items typed one per line, or separated by commas or spaces."""
    return [p for p in text.replace(",", " ").split() if p]


# --- hostname -------------------------------------------------------------------


def hostname_section(host: Any, static: str) -> dict[str, Any] | None:
    """The draft's ``hostname`` for a typed static hostname (None when it is the host's)."""
    host_cfg = (host or {}).get(k.CONFIG) if isinstance(host, dict) else None
    static = static.strip()
    if static == (host_cfg or ""):
        return None
    return {k.CONFIG: static}
