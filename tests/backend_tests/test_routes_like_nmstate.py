"""Routes as nmstate's integration tests (``tests/integration/route_test.py``) mean them,
on a real NetworkManager and kernel.

One test per behaviour nmstate tests, named after it, on the module's demo host
(eth1: 192.0.2.10/24 and 2001:db8:1::10/64, a route 203.0.113.0/24 via 192.0.2.1).
nmstate's eth1 has 192.0.2.251 and 2001:db8:1::1; the addresses here are the demo's.
Each test leaves the host's routes as the demo built them (:func:`clean`). Where
nmstate reads ``routes.config`` as well as ``running``, a route made with ``ip route``
is checked in ``running`` only: ``config`` here is what NetworkManager's profiles
hold (see the README). The refusals and clean-ups that need no host are in
tests/engine_tests/test_routes_like_nmstate.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from engine.errors import InvalidInput
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import apply, by_name, live
from tests.backend_tests.route_helpers import (
    BRIDGE,
    DEMO_ROUTE,
    assert_routes,
    assert_routes_missing,
    bridge,
    bridge_routes,
    clean_routes,
    gateways4,
    gateways6,
    ip,
    ip_routes,
    route,
    v4_routes,
    v6_routes,
)

pytestmark = pytest.mark.nm


@pytest.fixture(autouse=True)
async def clean(host: Sandbox) -> AsyncIterator[None]:
    yield
    await clean_routes(host)


# -- adding -----------------------------------------------------------------------------


async def test_multiple_gateway(host: Sandbox) -> None:
    routes = gateways4() + gateways6()
    await apply(host, {"routes": {"config": routes}})
    await assert_routes(host, routes)


async def test_change_gateway(host: Sandbox) -> None:
    await apply(host, {"routes": {"config": [gateways4()[0], gateways6()[0]]}})
    new = [gateways4()[1], gateways6()[1]]
    old_gone = [
        {"state": "absent", "next-hop-interface": "eth1", "destination": "0.0.0.0/0"},
        {"state": "absent", "next-hop-interface": "eth1", "destination": "::/0"},
    ]
    await apply(host, {"routes": {"config": old_gone + new}})
    await assert_routes(host, new)
    await assert_routes_missing(host, [gateways4()[0], gateways6()[0]])


async def test_add_static_route_without_next_hop_address(host: Sandbox) -> None:
    routes = [
        {"next-hop-interface": "eth1", "destination": "0.0.0.0/0", "next-hop-address": "0.0.0.0"},
        {"next-hop-interface": "eth1", "destination": "::/0", "next-hop-address": "::"},
    ]
    await apply(host, {"routes": {"config": routes}})
    for family in ("-4", "-6"):
        default = [r for r in ip_routes(host, family) if r["dst"] == "default"]
        assert [(r["dev"], r.get("gateway")) for r in default] == [("eth1", None)], family


async def test_add_static_route_with_route_src(host: Sandbox) -> None:
    routes = [
        route("198.51.100.128/25", "192.0.2.1", source="192.0.2.10"),
        route("2001:db8:e::/64", "2001:db8:1::f", source="2001:db8:1::10"),
    ]
    await apply(host, {"routes": {"config": routes}})
    await assert_routes(host, routes)
    (v6,) = [r for r in ip_routes(host, "-6") if r["dst"] == "2001:db8:e::/64"]
    assert v6["prefsrc"] == "2001:db8:1::10"


async def test_add_static_Ipv4_route_with_route_type(host: Sandbox) -> None:
    """``next-hop-interface: lo`` may be said; the route is shown without a next hop."""
    route = {"destination": "198.51.100.0/24", "next-hop-interface": "lo"}
    await apply(host, {"routes": {"config": [{**route, "route-type": "blackhole"}]}})
    state = await live(host)
    typed = [r for r in state["routes"]["config"] if r.get("route-type") == "blackhole"]
    assert typed and all("next-hop-interface" not in r for r in typed)
    assert any(r.get("type") == "blackhole" for r in ip_routes(host, "-4"))


async def test_add_static_route_with_route_type(host: Sandbox) -> None:
    """Including 0.0.0.0/8, refused for a unicast route but a valid blackhole."""
    typed = [
        {"destination": "203.0.113.128/25", "next-hop-interface": "lo", "route-type": "blackhole"},
        {"destination": "2001:db8:e::/64", "route-type": "unreachable"},
        {"destination": "198.51.100.0/24", "route-type": "prohibit"},
        {"destination": "0.0.0.0/8", "route-type": "blackhole"},
    ]
    await apply(host, {"routes": {"config": typed}})
    v4 = {(r["dst"], r.get("type")) for r in ip_routes(host, "-4")}
    assert {("203.0.113.128/25", "blackhole"), ("198.51.100.0/24", "prohibit")} <= v4
    assert ("0.0.0.0/8", "blackhole") in v4
    assert ("2001:db8:e::/64", "unreachable") in {
        (r["dst"], r.get("type")) for r in ip_routes(host, "-6")
    }


async def test_route_type_with_next_hop_interface(host: Sandbox) -> None:
    route = {"destination": "198.51.100.0/24", "next-hop-interface": "eth1"}
    with pytest.raises(InvalidInput, match="cannot have a next hop"):
        await apply(host, {"routes": {"config": [{**route, "route-type": "blackhole"}]}})


async def test_absent_route_with_invalid_empty_destination(host: Sandbox) -> None:
    await apply(host, {"routes": {"config": v4_routes()}})
    absent = {"next-hop-interface": "eth1", "state": "absent", "destination": ""}
    with pytest.raises(InvalidInput, match="destination"):
        await apply(host, {"routes": {"config": [absent]}})
    await assert_routes(host, v4_routes())


@pytest.mark.parametrize("routes", [v4_routes, v6_routes], ids=["ipv4", "ipv6"])
async def test_remove_specific_route(host: Sandbox, routes: Any) -> None:
    wanted = routes()
    await apply(host, {"routes": {"config": wanted}})
    await assert_routes(host, wanted)
    await apply(host, {"routes": {"config": [{**wanted[0], "state": "absent"}]}})
    await assert_routes(host, wanted[1:])
    await assert_routes_missing(host, wanted[:1])


@pytest.mark.parametrize("routes", [v4_routes, v6_routes], ids=["ipv4", "ipv6"])
async def test_remove_wildcast_route_with_iface(host: Sandbox, routes: Any) -> None:
    wanted = routes()
    await apply(host, {"routes": {"config": wanted}})
    await apply(host, {"routes": {"config": [{"state": "absent", "next-hop-interface": "eth1"}]}})
    await assert_routes_missing(host, wanted)


async def test_remove_default_ipv6_gateway_and_revert(host: Sandbox) -> None:
    gw1 = {**gateways6()[0], "metric": -1, "table-id": 0}
    gw2 = {**gateways6()[1], "metric": -1, "table-id": 0}
    await apply(host, {"routes": {"config": [gw1]}})
    await apply(host, {"routes": {"config": [{**gw1, "state": "absent"}, gw2]}})
    await apply(host, {"routes": {"config": [gw1, {**gw2, "state": "absent"}]}})
    gateways = {r.get("gateway") for r in ip_routes(host, "-6")}
    assert "2001:db8:1::f" in gateways and "2001:db8:1::e" not in gateways


async def test_add_and_remove_ipv4_link_local_route(host: Sandbox) -> None:
    """nmstate's "link-local" route is the link's own subnet, in table 100."""
    route2 = {"destination": "192.0.2.0/24", "next-hop-address": "192.0.2.252"}
    route2.update({"next-hop-interface": "eth1", "table-id": 100})
    route3 = {**route2, "next-hop-address": "192.0.2.253"}
    await apply(host, {"routes": {"config": [route2]}})
    await apply(host, {"routes": {"config": [{**route2, "state": "absent"}, route3]}})
    assert "192.0.2.253" in {r.get("gateway") for r in ip_routes(host, "-4", 100)}
    await assert_routes(host, [route3])
    await assert_routes_missing(host, [route2])  # the kernel keeps .252: NM 1.42, see above


async def test_add_routes_to_local_route_table_255(host: Sandbox) -> None:
    routes = [
        route("203.0.113.128/25", "192.0.2.252", 255),
        route("2001:db8:e::/64", "2001:db8:1::2", 255),
    ]
    await apply(host, {"routes": {"config": routes}})
    await assert_routes(host, routes)
    assert any(r["dst"] == "203.0.113.128/25" for r in ip_routes(host, "-4", 255))


async def test_apply_empty_state_preserve_routes(host: Sandbox) -> None:
    routes = [gateways4()[0], gateways6()[0], *v4_routes(), *v6_routes()]
    await apply(host, {"routes": {"config": routes}})
    before = await live(host)
    result = await apply(host, {"interfaces": []})
    assert result.prepared.plan.steps == []
    after = await live(host)
    for key in ("routes", "dns-resolver"):
        assert after[key]["config"] == before[key]["config"], key


# -- metrics ------------------------------------------------------------------------------


async def test_route_change_metric(host: Sandbox) -> None:
    await apply(host, {"routes": {"config": [gateways4()[0], gateways6()[0]]}})
    v4 = {**gateways4()[0], "metric": 104}
    v6 = {**gateways6()[0], "metric": 105}
    await apply(host, {"routes": {"config": [v6, v4]}})
    for family, want in (("-4", v4), ("-6", v6)):
        default = [r for r in ip_routes(host, family) if r["dst"] == "default"]
        assert [(r["gateway"], r["metric"]) for r in default] == [
            (want["next-hop-address"], want["metric"])
        ], "replaced, not added beside the old one"


async def test_ignore_route_metric_difference(host: Sandbox) -> None:
    first = [v4_routes()[0], v6_routes()[0]]
    await apply(host, {"routes": {"config": first}})
    await apply(host, {"routes": {"config": [{**r, "metric": 104} for r in first]}})
    state = await live(host)
    dests = {r["destination"] for r in first}
    for part in ("config", "running"):
        same = [r for r in state["routes"][part] if r["destination"] in dests]
        assert sorted(r["metric"] for r in same) == [104, 104], part


# -- cwnd -------------------------------------------------------------------------------

CWND = [
    {"next-hop-interface": "eth1", "destination": "198.51.100.128/25"},
    {"next-hop-interface": "eth1", "destination": "2001:db8:e::/64"},
]
CWND[0]["next-hop-address"] = "192.0.2.1"
CWND[1]["next-hop-address"] = "2001:db8:1::f"


def cwnd_routes(cwnd: int) -> list[dict[str, Any]]:
    return [{**r, "cwnd": cwnd} for r in CWND]


async def test_add_route_with_cwnd(host: Sandbox) -> None:
    await apply(host, {"routes": {"config": cwnd_routes(20)}})
    await assert_routes(host, cwnd_routes(20))
    out = host.run(["ip", "-6", "route", "show", "2001:db8:e::/64"], capture_output=True)
    assert "cwnd lock 20" in out.stdout


async def test_delete_route_with_cwnd(host: Sandbox) -> None:
    await apply(host, {"routes": {"config": cwnd_routes(20)}})
    await apply(host, {"routes": {"config": [{"cwnd": 20, "state": "absent"}]}})
    await assert_routes_missing(host, cwnd_routes(20))
    await assert_routes(host, [DEMO_ROUTE])


async def test_remove_and_add_route_with_cwnd(host: Sandbox) -> None:
    await apply(host, {"routes": {"config": cwnd_routes(20)}})
    await apply(host, {"routes": {"config": [{"cwnd": 20, "state": "absent"}, *cwnd_routes(30)]}})
    await assert_routes(host, cwnd_routes(30))
    await assert_routes_missing(host, cwnd_routes(20))


async def test_route_cwnd_without_lock_means_cwnd_none(host: Sandbox) -> None:
    ip(host, "route", "add", "198.51.100.128/25", "via", "192.0.2.1", "dev", "eth1", "cwnd", "20")
    ip(host, "route", "add", "2001:db8:e::/64", "via", "2001:db8:1::f", "dev", "eth1", "cwnd", "20")
    try:
        state = await live(host)
        shown = [
            r
            for r in state["routes"]["running"]
            if r["destination"] in {"198.51.100.128/25", "2001:db8:e::/64"}
        ]
        assert len(shown) == 2 and all(r.get("cwnd") != 20 for r in shown)
    finally:
        ip(host, "route", "del", "198.51.100.128/25", "dev", "eth1")
        ip(host, "-6", "route", "del", "2001:db8:e::/64", "dev", "eth1")


# -- clean-up and what show leaves out -------------------------------------------------


async def test_sanitize_route_destination(host: Sandbox) -> None:
    asked = v4_routes() + v6_routes()
    for entry, dest in zip(
        asked,
        ("198.51.100.1/24", "203.0.113.1", "2001:db8:a::1/64", "2001:db8:b::0001"),
        strict=True,
    ):
        entry["destination"] = dest
    await apply(host, {"routes": {"config": asked}})
    expected = v4_routes() + v6_routes()
    expected[1]["destination"] = "203.0.113.1/32"
    expected[3]["destination"] = "2001:db8:b::1/128"
    await assert_routes(host, expected)


async def test_do_not_show_bgp_route(host: Sandbox) -> None:
    ip(host, "route", "add", "203.0.113.0/25", "dev", "eth1", "proto", "186")
    ip(host, "route", "add", "2001:db8:b6::/64", "dev", "eth1", "proto", "186")
    try:
        running = (await live(host))["routes"]["running"]
        dests = {r["destination"] for r in running}
        assert not dests & {"203.0.113.0/25", "2001:db8:b6::/64"}
        assert "203.0.113.0/24" in dests, "the static route is shown"
    finally:
        ip(host, "route", "del", "203.0.113.0/25", "dev", "eth1", "proto", "186")
        ip(host, "-6", "route", "del", "2001:db8:b6::/64", "dev", "eth1", "proto", "186")


async def test_preserve_unmanaged_routes(host: Sandbox) -> None:
    """A routing daemon's route (proto bird) is not shown, and outlives an apply that
    rewrites eth1's profile."""
    ecmp = [
        {"next-hop-interface": "eth1", "destination": "0.0.0.0/0", "weight": w} for w in (1, 256)
    ]
    ecmp[0]["next-hop-address"], ecmp[1]["next-hop-address"] = "192.0.2.252", "192.0.2.253"
    await apply(host, {"routes": {"config": ecmp}})
    await assert_routes(host, ecmp)
    bird = [
        "198.51.100.128/25",
        "via",
        "192.0.2.10",
        "dev",
        "eth1",
        "proto",
        "bird",
        "metric",
        "50",
    ]
    ip(host, "route", "add", *bird)
    try:
        await apply(host, {"routes": {"config": [*ecmp, v4_routes()[0]]}})
        await assert_routes(host, ecmp)
        kernel = ip_routes(host, "-4")
        assert any(r["dst"] == "198.51.100.128/25" and r["gateway"] == "192.0.2.10" for r in kernel)
        running = (await live(host))["routes"]["running"]
        assert all(r["destination"] != "198.51.100.128/25" for r in running), "hidden"
    finally:
        ip(host, "route", "del", *bird[:5])


async def test_support_query_multipath_route(host: Sandbox) -> None:
    v4 = ["203.0.113.128/25", "metric", "500"]
    v6 = ["2001:db8:e::/64", "metric", "501"]
    for family, dest, hops in (
        ("-4", v4, ("192.0.2.252", "192.0.2.253")),
        ("-6", v6, ("2001:db8:1::2", "2001:db8:1::3")),
    ):
        words = [w for hop in hops for w in ("nexthop", "via", hop, "dev", "eth1", "onlink")]
        ip(host, family, "route", "add", *dest, *words)
    try:
        expected = [
            route("203.0.113.128/25", "192.0.2.252", metric=500, weight=1),
            route("203.0.113.128/25", "192.0.2.253", metric=500, weight=1),
            route("2001:db8:e::/64", "2001:db8:1::2", metric=501),
            route("2001:db8:e::/64", "2001:db8:1::3", metric=501),
        ]
        await assert_routes(host, expected, config=False)
    finally:
        ip(host, "route", "del", *v4)
        ip(host, "-6", "route", "del", *v6)


# -- routes and their interface --------------------------------------------------------


async def test_iface_down_with_routes_in_current(host: Sandbox) -> None:
    """Both of nmstate's families at once, on a bridge: ``down`` takes the link, and its
    routes with it."""
    await apply(host, {"interfaces": [bridge()], "routes": {"config": bridge_routes()}})
    try:
        await assert_routes(host, bridge_routes())
        await apply(host, {"interfaces": [bridge("down")]})
        await assert_routes_missing(host, bridge_routes())
    finally:
        await apply(host, {"interfaces": [bridge("absent")]})


async def test_delete_both_route_and_interface(host: Sandbox) -> None:
    await apply(host, {"interfaces": [bridge()], "routes": {"config": bridge_routes()}})
    await apply(
        host,
        {
            "interfaces": [bridge("absent")],
            "routes": {"config": [{"next-hop-interface": BRIDGE, "state": "absent"}]},
        },
    )
    assert BRIDGE not in by_name(await live(host))
    await assert_routes_missing(host, bridge_routes())
    for family in ("-4", "-6"):
        for table in (50, 51):
            assert not ip_routes(host, family, table), f"table {table} emptied"


async def test_disable_ipv4_and_remove_wildcard_route(host: Sandbox) -> None:
    """In one apply, on the bridge: IPv4 off and every route through it absent."""
    await apply(host, {"interfaces": [bridge()], "routes": {"config": bridge_routes()}})
    try:
        off = {**bridge(), "ipv4": {"enabled": False}}
        gone = {"state": "absent", "next-hop-interface": BRIDGE}
        await apply(host, {"interfaces": [off], "routes": {"config": [gone]}})
        await assert_routes_missing(host, bridge_routes())
        assert not by_name(await live(host))[BRIDGE]["ipv4"]["enabled"]
    finally:
        await apply(host, {"interfaces": [bridge("absent")]})
