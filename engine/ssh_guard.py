"""Does a change touch what carries the current SSH session?

``SSH_CONNECTION`` is ``client_ip client_port server_ip server_port``. The
session rides on the interface holding ``server_ip`` and on the route the
host uses to reach ``client_ip``; a change to either (address, state,
controller, the route) may cut the admin off, which is exactly when the
confirmation countdown matters. Pure: the caller passes the environment
value and the live state.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from engine import keys as k
from engine.diff import Change, split_change_path
from engine.topology import by_name


def _iface_with_address(state: dict[str, Any], ip: str) -> str | None:
    for iface in state.get(k.INTERFACES, []):
        for family in k.IP_FAMILIES:
            for addr in (iface.get(family) or {}).get(k.ADDRESS) or []:
                if addr.get(k.IP) == ip:
                    return str(iface.get(k.NAME))
    return None


def _route_iface(state: dict[str, Any], client: str) -> str | None:
    """The interface of the longest-prefix route (or connected subnet) towards ``client``."""
    try:
        target = ipaddress.ip_address(client)
    except ValueError:
        return None
    best: tuple[int, str] | None = None
    routes = list((state.get(k.ROUTES) or {}).get(k.RUNNING) or [])
    for iface in state.get(k.INTERFACES, []):
        for family in k.IP_FAMILIES:
            for addr in (iface.get(family) or {}).get(k.ADDRESS) or []:
                routes.append(
                    {
                        k.DESTINATION: f"{addr[k.IP]}/{addr[k.PREFIX_LENGTH]}",
                        k.NEXT_HOP_INTERFACE: iface.get(k.NAME),
                    }
                )
    for route in routes:
        try:
            net = ipaddress.ip_network(route.get(k.DESTINATION, ""), strict=False)
        except ValueError:
            continue
        via = route.get(k.NEXT_HOP_INTERFACE)
        if (
            target.version == net.version
            and target in net
            and via
            and (best is None or net.prefixlen > best[0])
        ):
            best = (net.prefixlen, str(via))
    return best[1] if best else None


def session_interfaces(state: dict[str, Any], ssh_connection: str | None) -> set[str]:
    """Interfaces the SSH session depends on (empty when not over SSH)."""
    if not ssh_connection:
        return set()
    parts = ssh_connection.split()
    if len(parts) != 4:
        return set()
    client, server = parts[0], parts[2].split("%")[0]
    names = {_iface_with_address(state, server), _route_iface(state, client)}
    found = {n for n in names if n}
    ctrl = {n: i.get(k.CONTROLLER) for n, i in by_name(state).items()}
    for name in list(found):  # a port's traffic also depends on its controller, and back
        if ctrl.get(name):
            found.add(str(ctrl[name]))
    found |= {str(n) for n, c in ctrl.items() if c in found}
    return found


def ssh_warnings(
    changes: list[Change], state: dict[str, Any], ssh_connection: str | None
) -> list[str]:
    """One warning per change that touches an interface or route the SSH session uses."""
    used = session_interfaces(state, ssh_connection)
    if not used:
        return []
    out = []
    for change in changes:
        name, _keys = split_change_path(change.path)
        if name in used:
            out.append(f"{change.path} changes {name}, which carries this SSH session")
        elif change.path.startswith(k.ROUTES):
            items = [
                x for v in (change.old, change.new) for x in (v if isinstance(v, list) else [v])
            ]
            via = next(
                (
                    str(r[k.NEXT_HOP_INTERFACE])
                    for r in items
                    if isinstance(r, dict) and r.get(k.NEXT_HOP_INTERFACE) in used
                ),
                None,
            )
            if via:
                out.append(
                    f"{change.path} changes a route through {via}, which carries this SSH session"
                )
    return out
