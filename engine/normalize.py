"""A canonical form of a state, so that states meaning the same compare equal.

Merge, diff, revert and the tests all compare states. Two files that differ
only in how they spell things (``2001:DB8::1`` vs ``2001:db8::1``, ``"ip/24"``
vs ``{ip, prefix-length}``, ``02:aa:..`` vs ``02:AA:..``, interface order) must
come out identical here, or every diff would be full of noise. MACs come out
in upper case, as nmstate prints them; IPs in Python's canonical (lower-case)
text.

What is *not* touched, on purpose:

* address order: the first address is the primary one;
* DNS server and search order: resolvers try them in order;
* omitted keys, with two exceptions: in a desired state an omitted key
  means "keep what the host has", so filling a default (say
  ``ipv4.enabled: false`` for ``ipv4: {}``) would change what a merge does.
  The exceptions say nothing new: a missing ``state`` is ``up`` (nmstate
  reads it so for every interface it is given), and a port listed by a
  controller in the same state gets ``controller: <name>`` when it names
  none (the host reports ports that way, and a merge attaches it anyway).

Nothing here raises on malformed input: validation reports it, normalize
only leaves it alone.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from engine import keys as k
from engine.ethtool_names import canonical_section
from engine.route_match import canonical_network, sanitized_route
from engine.route_rules import canonical_rule
from engine.topology import ports_of, sort_ports

#: MAC-valued keys: nmstate prints MACs in upper case and reads them in any case.
_MAC_KEYS = frozenset({k.MAC_ADDRESS, k.PERMANENT_MAC_ADDRESS, "group-addr"})
#: Route keys holding a plain address. Destinations and rule addresses are networks,
#: cleaned up as nmstate's ``sanitize`` does (:func:`engine.route_match.sanitized_route`):
#: ``198.51.100.1/24`` is ``198.51.100.0/24``, a bare ``203.0.113.1`` is ``203.0.113.1/32``.
_ROUTE_IP_KEYS = (k.NEXT_HOP_ADDRESS,)


#: Leaf types of parsed YAML/JSON: copied as they are, without a call per value.
_LEAVES = frozenset({str, int, float, bool, type(None)})


def clone(node: Any) -> Any:
    """Deep copy of plain state data (dicts, lists, scalars): far quicker than copy.deepcopy."""
    if isinstance(node, dict):
        return {key: v if type(v) in _LEAVES else clone(v) for key, v in node.items()}
    if isinstance(node, list | tuple):
        return [item if type(item) in _LEAVES else clone(item) for item in node]
    return node


def _clone_upper_macs(node: Any) -> Any:
    """clone() that also upper-cases MAC addresses on the way (one walk instead of two)."""
    if isinstance(node, dict):
        return {
            key: (value.upper() if key in _MAC_KEYS and isinstance(value, str) else value)
            if type(value) in _LEAVES
            else _clone_upper_macs(value)
            for key, value in node.items()
        }
    if isinstance(node, list | tuple):
        return [item if type(item) in _LEAVES else _clone_upper_macs(item) for item in node]
    return node


@lru_cache(maxsize=65536)
def canonical_ip(ip: str) -> str:
    """``ip`` in canonical text (lower-case, compressed IPv6); ``addr/len`` keeps its host bits.

    An IPv4-mapped IPv6 address keeps its dotted tail (``::ffff:192.0.2.1``), as
    nmstate (Rust's ``Ipv6Addr``) and ``inet_ntop`` print it; Python before 3.13
    would give ``::ffff:c000:201``. Text that is not an address comes back
    unchanged for validation to report.
    """
    try:
        if "/" in ip:
            iface = ipaddress.ip_interface(ip)
            return f"{_mapped_text(iface.ip)}/{iface.network.prefixlen}"
        return _mapped_text(ipaddress.ip_address(ip))
    except ValueError:
        return ip


def _mapped_text(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    mapped = getattr(addr, "ipv4_mapped", None)
    return f"::ffff:{mapped}" if mapped is not None else str(addr)


def _canonical_address(entry: Any) -> Any:
    """``"192.0.2.1/24"`` → ``{ip: 192.0.2.1, prefix-length: 24}``; dict entries canonicalised."""
    if isinstance(entry, str):
        ip, slash, length = entry.partition("/")
        if slash and length.strip().isdigit():
            return {k.IP: canonical_ip(ip.strip()), k.PREFIX_LENGTH: int(length)}
        return entry
    if isinstance(entry, dict):
        out = dict(entry)
        if isinstance(out.get(k.IP), str):
            ip, slash, length = out[k.IP].partition("/")
            if slash and length.isdigit() and k.PREFIX_LENGTH not in out:
                out[k.IP], out[k.PREFIX_LENGTH] = ip, int(length)
            out[k.IP] = canonical_ip(out[k.IP])
        plen = out.get(k.PREFIX_LENGTH)
        if isinstance(plen, str) and plen.strip().isdigit():
            out[k.PREFIX_LENGTH] = int(plen)
        return out
    return entry


def _normalize_interface(iface: dict[str, Any]) -> None:
    iface.setdefault(k.STATE, k.UP)
    if "ethtool" in iface:  # ethtool -K's short feature names (gro) -> kernel names (rx-gro)
        iface["ethtool"] = canonical_section(iface["ethtool"])
    for family in k.IP_FAMILIES:
        section = iface.get(family)
        if isinstance(section, dict) and isinstance(section.get(k.ADDRESS), list):
            section[k.ADDRESS] = [_canonical_address(a) for a in section[k.ADDRESS]]
    sort_ports(iface)


def _sort_key_part(value: Any) -> tuple[int, int, str]:
    """Orders numbers numerically and everything else as text, missing values first."""
    if value is None:
        return (0, 0, "")
    if isinstance(value, int) and not isinstance(value, bool):
        return (1, value, "")
    return (2, 0, str(value))


_ROUTE_ORDER = (k.TABLE_ID, k.DESTINATION, k.NEXT_HOP_INTERFACE, k.NEXT_HOP_ADDRESS, k.METRIC)
_RULE_ORDER = (k.PRIORITY, k.ROUTE_TABLE, k.FAMILY, k.IP_FROM, k.IP_TO)


def _entry_key(entry: Any, order: tuple[str, ...]) -> tuple[Any, ...]:
    if not isinstance(entry, dict):
        return ((3, 0, repr(entry)),)
    head = tuple(_sort_key_part(entry.get(key)) for key in order)
    rest = tuple(sorted((str(key), repr(v)) for key, v in entry.items() if key not in order))
    return (*head, rest)


def _normalize_entries(
    section: Any, ip_keys: tuple[str, ...], net_keys: tuple[str, ...], order: tuple[str, ...]
) -> None:
    """Canonicalise addresses and networks in routes/rules and sort them: their list order
    means nothing."""
    if not isinstance(section, dict):
        return
    for part in (k.CONFIG, k.RUNNING):
        entries = section.get(part)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if isinstance(entry, dict):
                for key in ip_keys:
                    if isinstance(entry.get(key), str):
                        entry[key] = canonical_ip(entry[key])
                for key in net_keys:
                    if isinstance(entry.get(key), str):
                        entry[key] = canonical_network(entry[key])
        entries.sort(key=lambda e: _entry_key(e, order))


def _normalize_dns(section: Any) -> None:
    """Canonical server addresses; order kept (resolvers try servers in order)."""
    if not isinstance(section, dict):
        return
    for part in (k.CONFIG, k.RUNNING):
        conf = section.get(part)
        if isinstance(conf, dict) and isinstance(conf.get(k.SERVER), list):
            conf[k.SERVER] = [canonical_ip(s) if isinstance(s, str) else s for s in conf[k.SERVER]]


def _iface_sort_key(iface: Any) -> tuple[int, str, str]:
    if not isinstance(iface, dict):
        return (1, "", repr(iface))
    return (0, str(iface.get(k.NAME, "")), str(iface.get(k.TYPE, "")))


def _fill_controllers(ifaces: list[Any]) -> None:
    """Give listed ports that name no controller the one listing them (first list wins)."""
    named = [i for i in ifaces if isinstance(i, dict) and isinstance(i.get(k.NAME), str)]
    owner: dict[str, str] = {}
    for iface in named:
        if iface.get(k.STATE) != k.ABSENT:
            for port in ports_of(iface):
                owner.setdefault(port, iface[k.NAME])
    if not owner:
        return
    for iface in named:
        ctrl = owner.get(iface[k.NAME])
        if (
            ctrl is not None
            and ctrl != iface[k.NAME]
            and k.CONTROLLER not in iface
            and iface.get(k.STATE) != k.ABSENT
        ):
            iface[k.CONTROLLER] = ctrl


def normalize(state: dict[str, Any]) -> dict[str, Any]:
    """A canonical copy of ``state``; idempotent, never mutates its argument."""
    out: dict[str, Any] = _clone_upper_macs(state)
    return normalize_in_place(out)


def normalize_in_place(out: dict[str, Any]) -> dict[str, Any]:
    """:func:`normalize` without the copy, for callers that own ``out`` (merge's result).

    MAC case is left alone here: the owner built ``out`` from normalized parts.
    """
    ifaces = out.get(k.INTERFACES)
    if isinstance(ifaces, list):
        for iface in ifaces:
            if isinstance(iface, dict):
                _normalize_interface(iface)
        ifaces.sort(key=_iface_sort_key)
        _fill_controllers(ifaces)
    routes = out.get(k.ROUTES)
    if isinstance(routes, dict) and isinstance(routes.get(k.CONFIG), list):
        routes[k.CONFIG] = [
            sanitized_route(r) if isinstance(r, dict) else r for r in routes[k.CONFIG]
        ]
    _normalize_entries(routes, _ROUTE_IP_KEYS, (), _ROUTE_ORDER)
    rules = out.get(k.ROUTE_RULES)
    if isinstance(rules, dict) and isinstance(rules.get(k.CONFIG), list):
        rules[k.CONFIG] = [canonical_rule(r) if isinstance(r, dict) else r for r in rules[k.CONFIG]]
    _normalize_entries(rules, (), (k.IP_FROM, k.IP_TO), _RULE_ORDER)
    _normalize_dns(out.get(k.DNS_RESOLVER))
    return out
