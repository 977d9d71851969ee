"""Check the IP addresses, networks, DNS servers and tokens of a state by parsing them.

JSON Schema patterns cannot tell a real address from nonsense such as
``300.1.1.1`` or a prefix of ``/40`` on IPv4, so :mod:`engine.validate` hands
every IP-valued field to these checks, which parse it with :mod:`ipaddress`
and report a bad value at its own path with a fix.  They are "is this value
well-formed" questions like the schema's, not cross-interface rules, which is
why they run with schema validation rather than in :mod:`engine.rules`.

:data:`Found` and :func:`problem_at` are the shared currency of every check
that feeds :func:`engine.validate.schema_problems`; they live here, below
:mod:`engine.validate`, so that module can import them without a cycle.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from typing import Any

from engine.errors import Problem
from engine.paths import PathPart, format_path

__all__ = ["Found", "interface_items", "ip_problems", "problem_at"]

# A problem together with the raw path it was found at, to sort problems in document order.
Found = tuple[list[PathPart], Problem]


def problem_at(parts: Sequence[PathPart], state: Any, message: str, hint: str = "") -> Found:
    """A problem at ``parts``, its path written readably (interfaces by name) for ``state``."""
    return list(parts), Problem(path=format_path(parts, state), message=message, hint=hint)


def interface_items(state: Any) -> list[tuple[int, dict[str, Any]]]:
    """``(index, interface)`` for each mapping in ``state['interfaces']``, skipping the rest."""
    if not isinstance(state, dict) or not isinstance(state.get("interfaces"), list):
        return []
    return [(i, item) for i, item in enumerate(state["interfaces"]) if isinstance(item, dict)]


def ip_problems(state: Any) -> Iterator[Found]:
    """Parse every IP-valued field with :mod:`ipaddress` and report bad ones where they are.

    An interface being removed is not: its addresses are never applied, and
    nmstate accepts a bad one there (``test_ignore_invalid_ip_on_absent_interface``).
    """
    for index, iface in interface_items(state):
        if iface.get("state") == "absent":
            continue
        base: list[PathPart] = ["interfaces", index]
        for family, version in (("ipv4", 4), ("ipv6", 6)):
            block = iface.get(family)
            if not isinstance(block, dict):
                continue
            for j, addr in _dict_items(block.get("address")):
                ip = addr.get("ip")
                if isinstance(ip, str):
                    yield from _check_host(
                        [*base, family, "address", j, "ip"], ip, version, state, family
                    )
            token = block.get("token") if version == 6 else None
            if isinstance(token, str) and token not in ("", "::"):
                yield from _check_token([*base, "ipv6", "token"], token, state)
        vxlan = iface.get("vxlan")
        if isinstance(vxlan, dict):
            for key in ("local", "remote"):
                if isinstance(vxlan.get(key), str):
                    yield from _check_host([*base, "vxlan", key], vxlan[key], None, state)
        bond = iface.get("link-aggregation")
        options = bond.get("options") if isinstance(bond, dict) else None
        if isinstance(options, dict):
            targets = options.get("arp_ip_target")
            if isinstance(targets, str) and targets.strip():
                for target in targets.split(","):
                    yield from _check_host(
                        [*base, "link-aggregation", "options", "arp_ip_target"],
                        target.strip(),
                        4,
                        state,
                    )
            ns_targets = options.get("ns_ip6_target")
            if isinstance(ns_targets, list):
                for j, target in enumerate(ns_targets):
                    if isinstance(target, str):
                        yield from _check_host(
                            [*base, "link-aggregation", "options", "ns_ip6_target", j],
                            target,
                            6,
                            state,
                        )

    if not isinstance(state, dict):
        return
    routes = state.get("routes")
    if isinstance(routes, dict):
        for section in ("config", "running"):
            for j, route in _dict_items(routes.get(section)):
                yield from _route_problems(["routes", section, j], route, state)
    rules = state.get("route-rules")
    if isinstance(rules, dict):
        for j, rule in _dict_items(rules.get("config")):
            for key in ("ip-from", "ip-to"):
                if rule.get(key) == "" and rule.get("state") == "absent":
                    continue  # nmstate's "only rules without this key"
                if isinstance(rule.get(key), str):
                    yield from _check_network(["route-rules", "config", j, key], rule[key], state)
    dns = state.get("dns-resolver")
    if isinstance(dns, dict):
        for section in ("config", "running"):
            block = dns.get(section)
            servers = block.get("server") if isinstance(block, dict) else None
            if isinstance(servers, list):
                for j, server in enumerate(servers):
                    if isinstance(server, str):
                        yield from _check_dns_server(
                            ["dns-resolver", section, "server", j], server, state
                        )


def _dict_items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _route_problems(parts: list[PathPart], route: dict[str, Any], state: Any) -> Iterator[Found]:
    destination = route.get("destination")
    dest_net = None
    if isinstance(destination, str):
        problems = list(_check_network([*parts, "destination"], destination, state))
        yield from problems
        if not problems:
            dest_net = ipaddress.ip_network(destination, strict=False)
    gateway = route.get("next-hop-address")
    if isinstance(gateway, str):
        if gateway == "":
            if route.get("state") != "absent":
                yield problem_at(
                    [*parts, "next-hop-address"],
                    state,
                    "is empty",
                    "omit next-hop-address for a directly connected route",
                )
        else:
            problems = list(_check_host([*parts, "next-hop-address"], gateway, None, state))
            yield from problems
            if not problems and dest_net is not None:
                hop = ipaddress.ip_address(gateway)
                if hop.version != dest_net.version:
                    yield problem_at(
                        [*parts, "next-hop-address"],
                        state,
                        f"is an IPv{hop.version} address but the destination "
                        f"{destination} is IPv{dest_net.version}",
                        f"use an IPv{dest_net.version} gateway for this route",
                    )
    source = route.get("source")
    if isinstance(source, str):
        yield from _check_host([*parts, "source"], source, None, state)


def _check_host(
    parts: list[PathPart], text: str, version: int | None, state: Any, family: str = ""
) -> Iterator[Found]:
    """A plain IP address (no prefix, no zone) of the given version (None: either)."""
    kind = f"IPv{version}" if version else "IP"
    example = {4: "192.0.2.10", 6: "2001:db8::10", None: "192.0.2.10 or 2001:db8::10"}[version]
    if "/" in text:
        yield problem_at(
            parts,
            state,
            f"{text!r} has a prefix length; a plain {kind} address is expected",
            "put the prefix in prefix-length"
            if family
            else f"write just the address, e.g. {example}",
        )
        return
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        yield problem_at(
            parts,
            state,
            f"{text!r} is not a valid {kind} address",
            f"write an address such as {example}",
        )
        return
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        yield problem_at(
            parts, state, f"{text!r} has a zone ('%{ip.scope_id}')", "remove the '%...' part"
        )
    elif version is not None and ip.version != version:
        hint = f"move it to ipv{ip.version}.address" if family else f"use an IPv{version} address"
        yield problem_at(
            parts, state, f"{text!r} is an IPv{ip.version} address, not IPv{version}", hint
        )


def _check_network(parts: list[PathPart], text: str, state: Any) -> Iterator[Found]:
    """An address/prefix network (a bare address means a single host)."""
    address, slash, prefix = text.partition("/")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        yield problem_at(
            parts,
            state,
            f"{text!r} is not a valid IP network",
            "write address/prefix, e.g. 192.0.2.0/24 or 2001:db8::/64",
        )
        return
    if not slash:
        return
    limit = 32 if ip.version == 4 else 128
    if not prefix.isdigit():
        yield problem_at(
            parts,
            state,
            f"{text!r} has an invalid prefix length {prefix!r}",
            f"write the prefix as a number from 0 to {limit}, e.g. /24",
        )
    elif int(prefix) > limit:
        yield problem_at(
            parts,
            state,
            f"prefix length {prefix} is too long for IPv{ip.version}",
            f"use a prefix from 0 to {limit}",
        )


def _check_token(parts: list[PathPart], text: str, state: Any) -> Iterator[Found]:
    try:
        token = ipaddress.IPv6Address(text)
    except ValueError:
        yield problem_at(
            parts,
            state,
            f"{text!r} is not a valid IPv6 token",
            "write the interface identifier like ::1:2:3:4",
        )
        return
    if int(token) >> 64:
        yield problem_at(
            parts,
            state,
            f"{text!r} sets bits of the network prefix",
            "a token only sets the last 64 bits, e.g. ::1:2:3:4",
        )


def _check_dns_server(parts: list[PathPart], text: str, state: Any) -> Iterator[Found]:
    address, percent, zone = text.partition("%")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        yield problem_at(
            parts,
            state,
            f"{text!r} is not a valid name server address",
            "write an IP address such as 192.0.2.53 or 2001:db8::53",
        )
        return
    if percent and not (isinstance(ip, ipaddress.IPv6Address) and ip.is_link_local and zone):
        yield problem_at(
            parts,
            state,
            f"{text!r}: only IPv6 link-local servers take '%interface'",
            "write fe80::1%eth1, or drop the '%' part",
        )
