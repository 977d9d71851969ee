"""The preview is the truth: after an apply, the host is what the review predicted.

Each edit of the corpus is reviewed (``prepare``: merge, implied effects,
plan), applied, and the fresh read compared with the predicted state on
everything a state says (interface states, ports, addresses, configured
routes, DNS), dynamic values (kernel routes, MACs, link-local) aside. A
difference is a bug in the preview. The implied effects the review names
are checked too: the route it says goes is gone, the one it keeps is there.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.apply import review
from engine.effects import route_text
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import apply, ip, live

pytestmark = pytest.mark.nm

DEMO_ROUTE = "route 203.0.113.0/24 via 192.0.2.1 dev eth1"

CORPUS: dict[str, dict[str, Any]] = {
    "address-change": {
        "interfaces": [
            {"name": "eth1", "type": "veth", "ipv4": {"address": [ip("192.0.2.40", 24)]}}
        ]
    },
    "bridge-over-eth1": {
        "interfaces": [
            {
                "name": "br1",
                "type": "linux-bridge",
                "bridge": {"port": [{"name": "eth1"}]},
                "ipv4": {"enabled": True, "address": [ip("192.0.2.10", 24)]},
                "ipv6": {"enabled": True, "address": [ip("2001:db8:1::10", 64)]},
            },
            {
                "name": "eth1",
                "type": "veth",
                "ipv4": {"enabled": False},
                "ipv6": {"enabled": False},
            },
        ]
    },
    "ipv4-off": {"interfaces": [{"name": "eth1", "type": "veth", "ipv4": {"enabled": False}}]},
    "macvlan-with-route": {
        "interfaces": [
            {
                "name": "mv1",
                "type": "mac-vlan",
                "mac-vlan": {"base-iface": "eth1", "mode": "bridge"},
                "ipv4": {"enabled": True, "address": [ip("198.18.1.1", 24)]},
            }
        ],
        "routes": {
            "config": [
                {
                    "destination": "198.18.64.0/18",
                    "next-hop-interface": "mv1",
                    "next-hop-address": "198.18.1.254",
                }
            ]
        },
    },
    "dns-and-route": {
        "dns-resolver": {"config": {"server": ["192.0.2.99"], "search": ["corpus.test"]}},
        "routes": {
            "config": [
                {
                    "destination": "198.19.0.0/16",
                    "next-hop-interface": "eth1",
                    "next-hop-address": "192.0.2.1",
                    "metric": 150,
                }
            ]
        },
    },
    "bridge-removed": {"interfaces": [{"name": "br0", "type": "linux-bridge", "state": "absent"}]},
}


def _ip(section: Any) -> Any:
    if not isinstance(section, dict) or not section.get("enabled"):
        return {"enabled": False}
    addrs = sorted((a["ip"], a["prefix-length"]) for a in section.get("address") or [])
    return {"enabled": True, "address": addrs}


def _route(r: dict[str, Any]) -> tuple[Any, ...]:
    return (
        r.get("destination"),
        r.get("next-hop-interface"),
        r.get("next-hop-address") or None,
        r.get("table-id") or 254,
    )


def projection(state: dict[str, Any]) -> dict[str, Any]:
    """What a state says, without what the host chooses by itself."""
    ifaces = {}
    for iface in state.get("interfaces") or []:
        if iface.get("state") in ("ignore", "absent"):
            continue
        ifaces[iface["name"]] = {
            "state": iface.get("state", "up"),
            "controller": iface.get("controller") or None,
            "ipv4": _ip(iface.get("ipv4")),
            "ipv6": _ip(iface.get("ipv6")),
        }
    routes = sorted(
        _route(r)
        for r in (state.get("routes") or {}).get("config") or []
        if r.get("state") != "absent"
    )
    dns = (state.get("dns-resolver") or {}).get("config") or {}
    return {
        "interfaces": ifaces,
        "routes": routes,
        "dns": (sorted(dns.get("server") or []), list(dns.get("search") or [])),
    }


@pytest.mark.parametrize("name", sorted(CORPUS))
async def test_host_after_apply_is_the_preview(demo_sandbox: Sandbox, name: str) -> None:
    sb, desired = demo_sandbox, CORPUS[name]
    prepared, _ = await review(desired, sb.bus_address, sb.name)
    predicted = projection(prepared.merged)
    await apply(sb, desired)
    after = projection(await live(sb))
    assert after == predicted, (
        f"{name}: the host differs from the preview\n"
        f"effects said: {[e.format() for e in prepared.effects]}"
    )


async def test_the_lost_route_is_in_the_review_with_its_reason(demo_sandbox: Sandbox) -> None:
    prepared, _ = await review(
        CORPUS["bridge-over-eth1"], demo_sandbox.bus_address, demo_sandbox.name
    )
    lines = [e.format() for e in prepared.effects]
    assert f"{DEMO_ROUTE} removed: eth1 becomes a port of br1 (a port carries no IP)" in lines
    assert any(line.startswith("DNS (IPv4) moves from eth1's profile to") for line in lines)
    removed = [c for c in prepared.changes if c.path.startswith("routes")]
    assert removed, "the diff itself lists the route going"


async def test_ipv4_off_names_the_route_and_keeps_what_can_stay(demo_sandbox: Sandbox) -> None:
    prepared, _ = await review(CORPUS["ipv4-off"], demo_sandbox.bus_address, demo_sandbox.name)
    lines = [e.format() for e in prepared.effects]
    assert f"{DEMO_ROUTE} removed: eth1 loses its last IPv4 address" in lines
    assert all("2001:" not in line or "DNS" in line for line in lines)


def test_route_text_reads_like_ip_route() -> None:
    route = {
        "destination": "0.0.0.0/0",
        "next-hop-interface": "eth1",
        "next-hop-address": "1.2.3.4",
    }
    assert route_text(route) == "route 0.0.0.0/0 via 1.2.3.4 dev eth1"
