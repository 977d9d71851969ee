"""Where things go in a state: each port's controller, and which interfaces carry DNS and rules.

Pure schema logic (no NetworkManager types), used by the plan and by the
profile translation in :mod:`engine.backend.nm_settings`. The lookups are
indexed once per state: a plan or a gen-conf translates
every interface of a state, and asking "who controls this port?" by
scanning all interfaces for each of them made a plan of N interfaces cost
O(N³) (DNS placement per interface, a controller scan per candidate).
"""

from __future__ import annotations

from typing import Any

from engine import keys as k
from engine.backend.nm_names import PORT_TYPE
from engine.topology import interfaces


def port_names(ctrl: dict[str, Any]) -> list[str]:
    """Names of the ports a controller interface lists (bridge, bond or vrf)."""
    kind = ctrl.get(k.TYPE)
    if kind == k.LINUX_BRIDGE:
        return [p[k.NAME] for p in (ctrl.get(k.BRIDGE) or {}).get(k.PORT) or []]
    if kind == k.BOND:
        return list((ctrl.get(k.LINK_AGGREGATION) or {}).get(k.PORT) or [])
    if kind == k.VRF:
        return list((ctrl.get(k.VRF) or {}).get(k.PORT) or [])
    return []


class Controllers:
    """The controllers (bridge, bond, vrf; not absent) of one state, by name and by port.

    Built in one pass; the first controller in state order wins either
    lookup, as a linear scan would. Valid while the state is not changed.
    """

    def __init__(self, state: dict[str, Any]) -> None:
        self.by_name: dict[str, dict[str, Any]] = {}
        self.by_port: dict[str, dict[str, Any]] = {}
        for ctrl in interfaces(state):
            if ctrl.get(k.STATE) == k.ABSENT or ctrl.get(k.TYPE) not in PORT_TYPE:
                continue
            self.by_name.setdefault(ctrl.get(k.NAME), ctrl)  # type: ignore[arg-type]
            for port in port_names(ctrl):
                self.by_port.setdefault(port, ctrl)


def find_controller(
    iface: dict[str, Any], state: dict[str, Any], index: Controllers | None = None
) -> dict[str, Any] | None:
    """The controller interface of ``iface``: its ``controller`` key, else whoever lists it.

    ``controller: ""`` means "detach" (nmstate), so no controller. A named
    controller missing from ``state`` raises ``ValueError``: its type decides
    ``slave-type`` and cannot be guessed. ``index`` (of ``state``) saves the
    scan when many interfaces of one state are asked about.
    """
    name = iface[k.NAME]
    index = index if index is not None else Controllers(state)
    if k.CONTROLLER in iface:
        wanted = iface[k.CONTROLLER]
        if not wanted:
            return None
        found = index.by_name.get(wanted)
        if found is not None:
            return found
        raise ValueError(
            f"interface {name}: controller {wanted!r} is not a bridge, bond or "
            "vrf in this state, so its port type is unknown"
        )
    return index.by_port.get(name)


def _is_l2_port(iface: dict[str, Any], state: dict[str, Any], index: Controllers) -> bool:
    """Whether ``iface`` is a bridge or bond port (those carry no IP; vrf ports do)."""
    try:
        ctrl = find_controller(iface, state, index)
    except ValueError:
        return True
    return ctrl is not None and ctrl[k.TYPE] != k.VRF


def _is_static(ip: Any, family: str) -> bool:
    auto = bool(ip.get(k.DHCP)) or (family == k.IPV6 and bool(ip.get(k.AUTOCONF)))
    return bool(ip.get(k.ENABLED)) and not auto and bool(ip.get(k.ADDRESS))


def _is_dynamic(ip: Any, family: str) -> bool:
    return bool(ip.get(k.DHCP)) or (family == k.IPV6 and bool(ip.get(k.AUTOCONF)))


def needs_global_dns(state: dict[str, Any]) -> bool:
    """Whether the DNS servers alternate families (IPv4, IPv6, IPv4): profiles keep each
    family's servers apart and cannot hold that order, so nmstate (and the plan) put
    them into NetworkManager's global DNS instead."""
    config = (state.get(k.DNS_RESOLVER) or {}).get(k.CONFIG) or {}
    runs = ""
    for server in config.get(k.SERVER) or []:
        fam = "6" if ":" in str(server) else "4"
        if not runs.endswith(fam):
            runs += fam
    return len(runs) > 2


def global_dns_change(
    desired: dict[str, Any], merged: dict[str, Any], use: bool, now: dict[str, list[str]]
) -> dict[str, list[str]] | None:
    """NM's global DNS to write ({} clears it), or None to leave it as it is.

    ``use``: the merged servers alternate families (:func:`needs_global_dns`), so
    they go there and no profile carries DNS; any other DNS asked for clears it,
    as nmstate purges global DNS before it writes DNS to profiles. ``now``: NM's
    global DNS before the apply (nmstate form).
    """
    if use:
        config = (merged.get(k.DNS_RESOLVER) or {}).get(k.CONFIG) or {}
        keys = (k.SERVER, k.SEARCH, k.OPTIONS)
        want = {key: [str(v) for v in config[key]] for key in keys if config.get(key)}
        return want if want != now else None
    return {} if now and k.DNS_RESOLVER in desired else None


def dns_placement(
    state: dict[str, Any], prefer: dict[str, str] | None = None, index: Controllers | None = None
) -> dict[str, str]:
    """family → the interface whose profile carries the DNS servers of that family.

    Like nmstate: the interface in ``prefer`` (the one carrying them now)
    while it can still hold them, so an apply that leaves DNS alone never
    moves it; otherwise the first up interface with a static address of the
    family, else the first with dynamic addressing and ``auto-dns: false``,
    else the first with dynamic addressing: there NM puts the static servers
    before those DHCP or autoconf learn (nmstate's "prepend" case).
    A family missing from the result has no candidate; validation should
    report servers of that family.
    """
    index = index if index is not None else Controllers(state)
    found: dict[str, str] = {}
    for family in k.IP_FAMILIES:
        static: list[str] = []
        manual_dns: list[str] = []
        dynamic: list[str] = []
        for iface in interfaces(state):
            ip = iface.get(family)
            if iface.get(k.STATE, k.UP) != k.UP or not isinstance(ip, dict):
                continue
            if not ip.get(k.ENABLED) or iface.get(k.TYPE) == k.LOOPBACK:
                continue
            if _is_l2_port(iface, state, index):
                continue
            if _is_static(ip, family):
                static.append(iface[k.NAME])
            elif ip.get("auto-dns") is False:
                manual_dns.append(iface[k.NAME])
            elif _is_dynamic(ip, family):
                dynamic.append(iface[k.NAME])
        wanted = (prefer or {}).get(family)
        candidates = static + manual_dns + dynamic
        if wanted is not None and wanted in candidates:
            found[family] = wanted
        elif candidates:
            found[family] = candidates[0]
    return found


def rule_key(rule: dict[str, Any]) -> str:
    """A rule's identity: every key it gives (rules have no name)."""
    return repr(sorted((key, v) for key, v in rule.items() if key != k.STATE))


def _route_table_ifaces(state: dict[str, Any], family: str, table: int) -> list[str]:
    """Interfaces with a route of ``family`` in ``table``, in state order."""
    out: list[str] = []
    for route in (state.get(k.ROUTES) or {}).get(k.CONFIG) or []:
        dest = str(route.get(k.DESTINATION) or "")
        fam = k.IPV6 if ":" in dest else k.IPV4
        name = route.get(k.NEXT_HOP_INTERFACE)
        if (
            name
            and fam == family
            and route.get(k.STATE) != k.ABSENT
            and int(route.get(k.TABLE_ID) or k.MAIN_TABLE) == table
            and name not in out
        ):
            out.append(name)
    return out


def rule_placement(
    state: dict[str, Any], prefer: dict[str, str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """interface → the route rules its profile carries (NM keeps rules in an ip setting).

    Like nmstate: a rule stays on the interface holding it now (``prefer``,
    by :func:`rule_key`) while that can still hold it; else the ``iif`` it
    names; else an interface with routes in the rule's table; else the first
    up interface with the family enabled; else the loopback.
    """
    from engine.backend.nm_route_rules import rule_family

    up: dict[str, dict[str, Any]] = {
        str(i.get(k.NAME)): i
        for i in interfaces(state)
        if i.get(k.STATE, k.UP) == k.UP and i.get(k.NAME)
    }
    index = Controllers(state)

    def can_hold(name: str, family: str) -> bool:
        iface = up.get(name)
        ip = iface.get(family) if iface else None
        return (
            iface is not None
            and isinstance(ip, dict)
            and bool(ip.get(k.ENABLED))
            and not _is_l2_port(iface, state, index)
        )

    out: dict[str, list[dict[str, Any]]] = {}
    for rule in (state.get(k.ROUTE_RULES) or {}).get(k.CONFIG) or []:
        if not isinstance(rule, dict) or rule.get(k.STATE) == k.ABSENT:
            continue
        family = rule_family(rule)
        table = int(rule.get(k.ROUTE_TABLE) or k.MAIN_TABLE)
        candidates = [(prefer or {}).get(rule_key(rule), ""), str(rule.get("iif") or "")]
        candidates += _route_table_ifaces(state, family, table)
        candidates += [n for n in up if up[n].get(k.TYPE) != k.LOOPBACK]
        holder = next((n for n in candidates if n and can_hold(n, family)), "lo")
        out.setdefault(holder, []).append(rule)
    return out
