"""Verify: does the host now match what was asked? One readable line per difference.

Only what the desired state says is compared (plus the state of every
interface the merge touched), because everything else in the merged state
came from the host in the first place. Dynamic values (MACs nobody asked
for, link-local addresses, bridge timers, counters) never appear here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from engine import keys as k
from engine.bridge_vlans import vid_map
from engine.comparable import comparable
from engine.route_match import route_matches, sanitized_route
from engine.topology import by_name

_PORT_VLAN = re.compile(r"\.port\[[^\]]+\]\.vlan$")  # a bridge port's VLANs, not a vlan link
UNVERIFIED_KEYS = {
    "802.1x",
    "ethtool",
    "lldp",
    k.PROFILE_NAME,
    "dispatch",
    "copy-mac-from",
}


@dataclass(frozen=True)
class Mismatch:
    path: str
    wanted: Any
    found: Any

    def format(self) -> str:
        return f"{self.path}: wanted {_fmt(self.wanted)}, host has {_fmt(self.found)}"


def _fmt(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        if not value:
            return "none"
        return ", ".join(_fmt(v) for v in value)
    if isinstance(value, dict) and k.IP in value:
        return f"{value[k.IP]}/{value.get(k.PREFIX_LENGTH, '?')}"
    if isinstance(value, dict) and k.NAME in value:
        return str(value[k.NAME])
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _addr_set(value: Any) -> set[tuple[str, int]]:
    return {(a[k.IP], int(a[k.PREFIX_LENGTH])) for a in value or [] if isinstance(a, dict)}


def _compare(path: str, wanted: Any, found: Any, out: list[Mismatch]) -> None:
    if _PORT_VLAN.search(path) and isinstance(wanted, dict) and isinstance(found, dict):
        # The same VLANs may be cut into ids and ranges differently, in another order.
        if vid_map(wanted) != vid_map(found):
            out.append(Mismatch(path, wanted, found))
        return
    if isinstance(wanted, dict):
        if not isinstance(found, dict):
            out.append(Mismatch(path, wanted, found))
            return
        for key, value in wanted.items():
            if key in UNVERIFIED_KEYS:
                continue
            if key not in found and key not in (k.ADDRESS, k.ENABLED, k.PORT):
                continue  # a property the live read does not report: cannot be verified
            _compare(f"{path}.{key}", value, found.get(key), out)
        return
    if path.endswith(f".{k.ADDRESS}"):
        if _addr_set(wanted) != _addr_set(found):
            out.append(Mismatch(path, wanted, found))
        return
    if path.endswith(f".{k.PORT}") and isinstance(wanted, list):
        names = sorted(p[k.NAME] if isinstance(p, dict) else p for p in wanted)
        have = sorted(p[k.NAME] if isinstance(p, dict) else p for p in found or [])
        if names != have:
            out.append(Mismatch(path, names, have))
            return
        by_name = {p[k.NAME]: p for p in found or [] if isinstance(p, dict)}
        for port in wanted:
            if isinstance(port, dict):
                _compare(
                    f"{path}[{port[k.NAME]}]",
                    {kk: v for kk, v in port.items() if kk != k.NAME},
                    by_name.get(port[k.NAME], {}),
                    out,
                )
        return
    if isinstance(wanted, str) and isinstance(found, str) and k.MAC_ADDRESS in path:
        if wanted.lower() != found.lower():
            out.append(Mismatch(path, wanted, found))
        return
    if wanted != found:
        out.append(Mismatch(path, wanted, found))


def _verify_iface(
    name: str,
    want: dict[str, Any],
    merged: dict[str, Any],
    live: dict[str, Any] | None,
    out: list[Mismatch],
    nic: bool = False,
) -> None:
    """``nic``: a veth standing for a NIC (see :func:`_veth_nics`), verified as an ethernet."""
    state = merged.get(k.STATE, k.UP)
    if state == k.IGNORE:
        return
    software = merged.get(k.TYPE) in k.SOFTWARE_TYPES and not nic
    if state in (k.ABSENT, k.DOWN) and software and live is not None:
        # NM deletes a software link it deactivates; until it has, the change is not done.
        out.append(Mismatch(f"{name}.state", state, "link still exists"))
        return
    if state == k.ABSENT:
        if (
            live is not None
            and live.get(k.STATE) not in (k.DOWN, k.IGNORE)
            and merged.get(k.TYPE) != k.ETHERNET
            and not nic
        ):
            out.append(Mismatch(f"{name}.state", "absent", live.get(k.STATE)))
        return
    if live is None:
        if state == k.UP:
            out.append(Mismatch(f"{name}.state", "up", "no such interface"))
        return
    if state == k.DOWN:
        if live.get(k.STATE) == k.UP:
            out.append(Mismatch(f"{name}.state", "down", "up"))
        return
    if live.get(k.STATE) != k.UP:
        out.append(Mismatch(f"{name}.state", "up", live.get(k.STATE)))
        return
    kind = want.get(k.TYPE)
    if kind is not None and not _same_kind(kind, live.get(k.TYPE)):
        out.append(Mismatch(f"{name}.type", kind, live.get(k.TYPE)))
        return
    body = _asked(
        merged, {key: v for key, v in want.items() if key not in (k.NAME, k.TYPE, k.STATE)}
    )
    for family in k.IP_FAMILIES:
        asked_ip = want.get(family)
        if isinstance(asked_ip, dict) and asked_ip.get(k.ADDRESS) == [] and family in body:
            # nmstate: with no address, whether the stack shows enabled depends on what
            # else it carries (routes, link-local), so ``enabled`` is not verified.
            body[family] = {key: v for key, v in body[family].items() if key != k.ENABLED}
    if k.DESCRIPTION in want:  # none is shown as nothing: nmstate reads it as ""
        asked, found = body.pop(k.DESCRIPTION, "") or "", live.get(k.DESCRIPTION) or ""
        if asked != found:
            out.append(Mismatch(f"{name}.{k.DESCRIPTION}", asked, found or None))
    _compare(name, body, live, out)


def _same_kind(asked: Any, found: Any) -> bool:
    """Whether the live type is the one asked for (a veth end is an ethernet interface)."""
    nic = (k.ETHERNET, k.VETH)
    return bool(asked == found or (asked in nic and found in nic))


def _asked(merged: Any, want: Any) -> Any:
    """The merged values at the places ``want`` mentions.

    The merged value is what the host should have (``ipv4: {enabled: false}``
    drops the addresses, loopback keeps 127.0.0.1, IPs and MACs are in
    canonical form); where the merge dropped a key there is nothing to check.
    """
    if not isinstance(want, dict) or not isinstance(merged, dict):
        return merged
    return {key: _asked(merged[key], value) for key, value in want.items() if key in merged}


#: What a kernel route must show of a desired one. The rest (metrics, ECMP
#: weights, which the kernel folds into one multipath entry only when the
#: metrics agree) is checked in the profile NM holds.
_KERNEL_ROUTE_KEYS = (
    k.DESTINATION,
    k.NEXT_HOP_INTERFACE,
    k.NEXT_HOP_ADDRESS,
    k.TABLE_ID,
    "route-type",
    "source",
)


def _verify_routes(desired: dict[str, Any], live: dict[str, Any], out: list[Mismatch]) -> None:
    """Each desired route is in NM's profiles and in the kernel; each absent one in neither.

    A typed route (blackhole ...) has no next hop in the kernel, wherever it is stored.
    """
    routes = live.get(k.ROUTES) or {}
    config = routes.get(k.CONFIG) or []
    running = routes.get(k.RUNNING) or []
    by_dest: dict[Any, list[dict[str, Any]]] = {}
    for r in config:  # indexed once: N routes asked for must not cost N x N matches
        by_dest.setdefault(r.get(k.DESTINATION), []).append(r)
    asked_routes = (desired.get(k.ROUTES) or {}).get(k.CONFIG) or []
    added = [
        sanitized_route(r)
        for r in asked_routes
        if isinstance(r, dict) and r.get(k.STATE) != k.ABSENT
    ]
    for i, asked in enumerate(asked_routes):
        if not isinstance(asked, dict):
            continue
        route = sanitized_route(asked)
        where = f"routes.config[{i}]"
        dest = route.get(k.DESTINATION)
        pool = config if not dest else by_dest.get(dest, [])
        if route.get(k.STATE) == k.ABSENT:
            if any(route_matches(r, route) for r in added):
                continue  # as nmstate: an absent entry a desired route matches (a new gateway)
            hits = [r for r in pool if route_matches(r, route)]
            if hits:
                out.append(Mismatch(where, "absent", hits))
            continue
        if not any(route_matches(r, route) for r in pool):
            out.append(Mismatch(where, route.get(k.DESTINATION), "no such route"))
            continue
        core = {key: route[key] for key in _KERNEL_ROUTE_KEYS if key in route}
        if route.get("route-type"):
            core.pop(k.NEXT_HOP_INTERFACE, None)
        if not any(route_matches(r, core) for r in running):
            out.append(Mismatch(where, route.get(k.DESTINATION), "not in the kernel"))


def _merged_by_name(desired: dict[str, Any], merged: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Merged interfaces by name; for a name the merged state holds twice, the asked type's.

    Two entries of one name (``type: linux-bridge`` asked for an existing
    veth) must not let the host's own entry stand in for what was asked.
    """
    out = by_name(merged)
    entries = [i for i in merged.get(k.INTERFACES) or [] if isinstance(i, dict)]
    for name, asked in by_name(desired).items():
        kind = asked.get(k.TYPE)
        same = [i for i in entries if i.get(k.NAME) == name and _same_kind(kind, i.get(k.TYPE))]
        if kind is not None and same:
            out[name] = min(same, key=lambda i: i.get(k.TYPE) != kind)
    return out


def _veth_nics(live: dict[str, dict[str, Any]]) -> set[str]:
    """Live veths whose peer this host does not manage (``ignore``) or cannot see.

    Such a veth is a NIC to this host (the other end is a cable's far end, or
    in another namespace): removing it removes its profiles, and its link
    stays unless NetworkManager created it, so the link is no mismatch.
    """
    out = set()
    for name, iface in live.items():
        peer = (iface.get(k.VETH) or {}).get(k.PEER) if iface.get(k.TYPE) == k.VETH else None
        if peer is not None and (live.get(peer) or {}).get(k.STATE, k.IGNORE) == k.IGNORE:
            out.add(name)
    return out


def verify(desired: dict[str, Any], merged: dict[str, Any], live: dict[str, Any]) -> list[Mismatch]:
    """Differences between what ``desired`` (merged onto the host) asks and the ``live`` state.

    Both in their compared forms: a link-local address or a bridge timer is never a mismatch.
    """
    desired, live = comparable(desired), comparable(live)
    out: list[Mismatch] = []
    want, new, have = by_name(desired), _merged_by_name(desired, merged), by_name(live)
    nics = _veth_nics(have)
    for name, iface in new.items():
        if name in want or iface.get(k.STATE) == k.ABSENT:
            _verify_iface(name, want.get(name, {}), iface, have.get(name), out, name in nics)
    for name, asked in want.items():
        # Everything asked for is checked: an interface the merge lost is a mismatch too.
        if name not in new and asked.get(k.STATE, k.UP) != k.ABSENT:
            out.append(Mismatch(f"{name}", asked.get(k.STATE, k.UP), "not in the applied state"))
    _verify_routes(desired, live, out)
    _verify_rules(desired, live, out)
    dns_want = (desired.get(k.DNS_RESOLVER) or {}).get(k.CONFIG)
    if dns_want is not None:
        dns_new = (merged.get(k.DNS_RESOLVER) or {}).get(k.CONFIG) or {}
        dns_have = (live.get(k.DNS_RESOLVER) or {}).get(k.CONFIG) or {}
        for key in (k.SERVER, k.SEARCH):
            if (dns_new.get(key) or []) != (dns_have.get(key) or []):
                out.append(
                    Mismatch(
                        f"dns-resolver.config.{key}",
                        dns_new.get(key) or [],
                        dns_have.get(key) or [],
                    )
                )
    host_want = (desired.get(k.HOSTNAME) or {}).get(k.CONFIG)
    host_have = (live.get(k.HOSTNAME) or {}).get(k.CONFIG)
    if host_want is not None and host_want != host_have:
        out.append(Mismatch("hostname.config", host_want, host_have))
    run_want = (desired.get(k.HOSTNAME) or {}).get(k.RUNNING)
    run_have = (live.get(k.HOSTNAME) or {}).get(k.RUNNING)
    if run_want is not None and run_want != run_have:
        out.append(Mismatch("hostname.running", run_want, run_have))
    return out


def _verify_rules(desired: dict[str, Any], live: dict[str, Any], out: list[Mismatch]) -> None:
    """Each rule asked for is there (the keys it gives match); each absent one is gone."""
    from engine.route_rules import canonical_rule, rule_matches

    have = (live.get(k.ROUTE_RULES) or {}).get(k.CONFIG) or []
    for i, rule in enumerate((desired.get(k.ROUTE_RULES) or {}).get(k.CONFIG) or []):
        if not isinstance(rule, dict):
            continue
        pattern = canonical_rule(rule)
        hits = [r for r in have if rule_matches(r, pattern)]
        if pattern.get(k.STATE) == k.ABSENT and hits:
            out.append(Mismatch(f"route-rules.config[{i}]", "absent", hits))
        elif pattern.get(k.STATE) != k.ABSENT and not hits:
            out.append(Mismatch(f"route-rules.config[{i}]", pattern, "no such rule"))
