"""Static routes ⇄ NetworkManager ``route-data``, both directions, one attribute table.

A route lives in the profile of its ``next-hop-interface``. A route with a
``route-type`` (blackhole, unreachable, prohibit) and no next hop has no
interface of its own: nmstate puts those on the loopback profile
(``lo``), and so does this, so the same file applies the same way with
either tool.

NetworkManager 1.42 ``route-data`` attributes used (``man 5 nm-settings-dbus``,
``ipv4.routes``): ``next-hop``, ``metric``, ``table``, ``type``, ``weight``
(ECMP), ``src``, ``cwnd`` (with ``lock-cwnd``, as nmstate sets it: a clamp
the kernel may not grow), ``initcwnd``, ``initrwnd``, ``mtu``, ``lock-mtu``,
``quickack``, ``advmss``.
"""

from __future__ import annotations

from typing import Any

from engine import keys as k

#: The interface whose profile carries routes that have a type but no next hop.
TYPED_ROUTE_IFACE = "lo"

ROUTE_TYPE = "route-type"

#: schema key → route-data attribute, for the attributes that map one to one.
ROUTE_ATTRS: dict[str, str] = {
    k.NEXT_HOP_ADDRESS: "next-hop",
    k.METRIC: "metric",
    "weight": "weight",
    ROUTE_TYPE: "type",
    "source": "src",
    "cwnd": "cwnd",
    "initcwnd": "initcwnd",
    "initrwnd": "initrwnd",
    k.MTU: "mtu",
    "lock-mtu": "lock-mtu",
    "quickack": "quickack",
    "advmss": "advmss",
}

#: Gateways that mean "no gateway" (nmstate prints none for a directly connected route).
NO_GATEWAY = ("", "0.0.0.0", "::")


def carrier(route: dict[str, Any]) -> str | None:
    """The interface whose profile holds ``route`` (None: no profile can)."""
    via = route.get(k.NEXT_HOP_INTERFACE)
    if via:
        return str(via)
    return TYPED_ROUTE_IFACE if route.get(ROUTE_TYPE) else None


def route_items(state: dict[str, Any], name: str) -> dict[str, list[dict[str, Any]]]:
    """route-data per family for the routes the profile of ``name`` carries."""
    out: dict[str, list[dict[str, Any]]] = {k.IPV4: [], k.IPV6: []}
    for route in (state.get(k.ROUTES) or {}).get(k.CONFIG) or []:
        if carrier(route) != name or route.get(k.STATE) == k.ABSENT:
            continue
        dest, _, plen = str(route[k.DESTINATION]).partition("/")
        v6 = ":" in dest
        item: dict[str, Any] = {"dest": dest, "prefix": int(plen or (128 if v6 else 32))}
        for key, attr in ROUTE_ATTRS.items():
            value = route.get(key)
            if value is None:
                continue
            if key == k.NEXT_HOP_ADDRESS and value in NO_GATEWAY:
                continue
            if key == k.METRIC and int(value) < 0:
                continue  # -1: NM's default metric
            item[attr] = value
        if route.get(k.TABLE_ID):
            item["table"] = int(route[k.TABLE_ID])
        if route.get("cwnd") is not None:
            item["lock-cwnd"] = True
        out[k.IPV6 if v6 else k.IPV4].append(item)
    return out


def settings_to_routes(nm: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema routes a profile carries (its ``route-data``), next-hop-interface filled.

    A route without its own table runs in the profile's ``route-table``, and
    with neither in the main table (254): what the kernel will show. A typed
    route (blackhole ...) on the loopback profile is one given without a next
    hop (see the module docstring), and is shown so.
    """
    name = (nm.get("connection") or {}).get("interface-name")
    out = []
    for family in k.IP_FAMILIES:
        sec = nm.get(family) or {}
        for item in sec.get("route-data") or []:
            route: dict[str, Any] = {k.DESTINATION: f"{item['dest']}/{item['prefix']}"}
            for key, attr in ROUTE_ATTRS.items():
                if item.get(attr) is not None:
                    route[key] = item[attr]
            if not (route.get(ROUTE_TYPE) and name == TYPED_ROUTE_IFACE):
                route[k.NEXT_HOP_INTERFACE] = name
            route[k.TABLE_ID] = int(item.get("table") or sec.get("route-table") or k.MAIN_TABLE)
            out.append(route)
    return out
