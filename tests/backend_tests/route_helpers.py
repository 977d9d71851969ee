"""What the route tests like nmstate's share: nmstate's test routes, its ``assert_routes``
and ``assert_routes_missing``, and the kernel's tables seen with ``ip``.

Used by test_routes_like_nmstate.py (see there); nmstate's helpers are
tests/integration/route_test.py and testlib/route.py.
"""

from __future__ import annotations

import json
from typing import Any

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import apply, live

DEMO_ROUTE = {
    "destination": "203.0.113.0/24",
    "next-hop-interface": "eth1",
    "next-hop-address": "192.0.2.1",
    "metric": 100,
    "table-id": 254,
}


def route(dest: str, via: str, table: int = 254, metric: int = 103, **extra: Any) -> dict:
    return {
        "destination": dest,
        "metric": metric,
        "next-hop-address": via,
        "next-hop-interface": extra.pop("nic", "eth1"),
        "table-id": table,
        **extra,
    }


def v4_routes() -> list[dict[str, Any]]:
    """nmstate's ``_get_ipv4_test_routes``."""
    return [route("198.51.100.0/24", "192.0.2.1", 50), route("203.0.113.0/24", "192.0.2.1", 51)]


def v6_routes() -> list[dict[str, Any]]:
    """nmstate's ``_get_ipv6_test_routes``."""
    return [
        route("2001:db8:a::/64", "2001:db8:1::a", 50),
        route("2001:db8:b::/64", "2001:db8:1::b", 51),
    ]


def gateways4() -> list[dict[str, Any]]:
    return [route("0.0.0.0/0", "192.0.2.1"), route("0.0.0.0/0", "192.0.2.2", metric=101)]


def gateways6() -> list[dict[str, Any]]:
    return [route("::/0", "2001:db8:1::f"), route("::/0", "2001:db8:1::e", metric=101)]


#: The IPv4 tables other than main that these tests use. NetworkManager 1.42 leaves an
#: IPv4 route of such a table in the kernel when a Reapply drops it from the profile (its
#: route-table sync touches the main table only; IPv6 is not affected): see the README.
OTHER_TABLES = (50, 51, 99, 100, 255)


def nm_keeps_in_kernel(route: dict[str, Any]) -> bool:
    """Whether NM 1.42 leaves ``route`` in the kernel once it is out of the profile."""
    return ":" not in route["destination"] and route.get("table-id") in OTHER_TABLES


async def clean_routes(host: Sandbox) -> None:
    """nmstate's ``clean_up_route_rule``: every route gone, the demo's route back (and
    what NM 1.42 leaves in the kernel, flushed)."""
    await apply(host, {"routes": {"config": [{"state": "absent"}, DEMO_ROUTE]}})
    for table in OTHER_TABLES:
        host.run(["ip", "-4", "route", "flush", "table", str(table), "proto", "static"])


def _prepared(routes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """nmstate's ``_clone_prepare_routes``: the metric ignored, table 0 read as main."""
    out = []
    for route in routes:
        route = {key: v for key, v in route.items() if key not in ("metric", "state")}
        route["table-id"] = route.get("table-id") or 254
        out.append(route)
    return out


def _shown(state: dict[str, Any], part: str) -> list[dict[str, Any]]:
    return _prepared(state["routes"].get(part) or [])


async def assert_routes(sb: Sandbox, routes: list[dict[str, Any]], config: bool = True) -> None:
    """nmstate's ``assert_routes``: each route is in ``config`` and ``running``."""
    state = await live(sb)
    for route in _prepared(routes):
        if config:
            assert route in _shown(state, "config"), f"{route} in routes.config"
        assert route in _shown(state, "running"), f"{route} in the kernel"


async def assert_routes_missing(sb: Sandbox, routes: list[dict[str, Any]]) -> None:
    """nmstate's ``assert_routes_missing`` (the kernel not checked where NM 1.42 leaves
    the route behind, :func:`nm_keeps_in_kernel`)."""
    state = await live(sb)
    for route in _prepared(routes):
        assert route not in _shown(state, "config"), f"{route} still in routes.config"
        if not nm_keeps_in_kernel(route):
            assert route not in _shown(state, "running"), f"{route} still in the kernel"


def ip_routes(sb: Sandbox, family: str, table: str | int = "main") -> list[dict[str, Any]]:
    out = sb.run(["ip", "-j", family, "route", "show", "table", str(table)], capture_output=True)
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout or "[]"))


def ip(sb: Sandbox, *args: str) -> None:
    out = sb.run(["ip", *args], capture_output=True)
    assert out.returncode == 0, out.stderr


BRIDGE = "linux-br0"


def bridge(state: str = "up") -> dict[str, Any]:
    """nmstate's ``br_with_static_route``: a port-less bridge with eth1's addresses."""
    if state != "up":
        return {"name": BRIDGE, "type": "linux-bridge", "state": state}
    return {
        "name": BRIDGE,
        "type": "linux-bridge",
        "state": "up",
        "bridge": {"port": []},
        "ipv4": {
            "enabled": True,
            "dhcp": False,
            "address": [{"ip": "192.0.2.251", "prefix-length": 24}],
        },
        "ipv6": {
            "enabled": True,
            "dhcp": False,
            "autoconf": False,
            "address": [{"ip": "2001:db8:1::1", "prefix-length": 64}],
        },
    }


def bridge_routes() -> list[dict[str, Any]]:
    return [{**r, "next-hop-interface": BRIDGE} for r in v4_routes() + v6_routes()]
