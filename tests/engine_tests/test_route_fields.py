"""Issue 11, routes in the engine: every field of nmstate's route schema reaches NM and back.

The translation to NM's ``route-data`` and back is pure, so it is checked
here; tests/backend_tests/test_apply_issue11.py applies the same routes to
a real NetworkManager and reads the kernel.
"""

from __future__ import annotations

from typing import Any

from engine.backend.nm_routes import route_items, settings_to_routes
from engine.merge import merge
from engine.verify import verify

SRC_CWND = {
    "destination": "198.51.100.128/25",
    "next-hop-interface": "eth1",
    "next-hop-address": "192.0.2.1",
    "source": "192.0.2.10",
    "cwnd": 20,
    "metric": 150,
    "table-id": 100,
}
BLACKHOLE = {"destination": "10.99.0.0/16", "route-type": "blackhole"}
PROHIBIT6 = {"destination": "2001:db8:99::/48", "route-type": "prohibit"}
ECMP = [
    {
        "destination": "203.0.113.128/25",
        "next-hop-interface": "eth1",
        "next-hop-address": "192.0.2.1",
        "weight": 1,
    },
    {
        "destination": "203.0.113.128/25",
        "next-hop-interface": "eth1",
        "next-hop-address": "192.0.2.2",
        "weight": 3,
    },
]
TCP = {
    "destination": "192.0.2.128/25",
    "next-hop-interface": "eth1",
    "mtu": 1400,
    "lock-mtu": True,
    "quickack": True,
    "advmss": 1300,
    "initcwnd": 10,
    "initrwnd": 11,
}


def _state(*routes: dict[str, Any]) -> dict[str, Any]:
    return {"routes": {"config": list(routes)}}


def _profile(name: str, state: dict[str, Any]) -> dict[str, Any]:
    items = route_items(state, name)
    return {
        "connection": {"interface-name": name},
        "ipv4": {"route-data": items["ipv4"]},
        "ipv6": {"route-data": items["ipv6"]},
    }


def test_source_and_cwnd_are_written_as_src_and_locked_cwnd() -> None:
    (item,) = route_items(_state(SRC_CWND), "eth1")["ipv4"]
    assert item == {
        "dest": "198.51.100.128",
        "prefix": 25,
        "next-hop": "192.0.2.1",
        "metric": 150,
        "table": 100,
        "src": "192.0.2.10",
        "cwnd": 20,
        "lock-cwnd": True,
    }


def test_every_route_field_reads_back_as_written() -> None:
    state = _state(SRC_CWND, TCP, *ECMP)
    back = settings_to_routes(_profile("eth1", state))
    want = [{**r, "table-id": r.get("table-id", 254)} for r in state["routes"]["config"]]
    assert sorted(back, key=_key) == sorted(want, key=_key), (
        "each field written must come back (table-id: main when not given)"
    )


def _key(route: dict[str, Any]) -> str:
    return repr(sorted(route.items()))


def test_typed_routes_without_next_hop_live_on_the_loopback_profile() -> None:
    state = _state(BLACKHOLE, PROHIBIT6, SRC_CWND)
    assert route_items(state, "eth1")["ipv4"] == route_items(_state(SRC_CWND), "eth1")["ipv4"]
    items = route_items(state, "lo")
    assert items["ipv4"] == [{"dest": "10.99.0.0", "prefix": 16, "type": "blackhole"}]
    assert items["ipv6"] == [{"dest": "2001:db8:99::", "prefix": 48, "type": "prohibit"}]
    back = settings_to_routes(_profile("lo", state))
    assert {"destination": "10.99.0.0/16", "route-type": "blackhole", "table-id": 254} in back
    assert all("next-hop-interface" not in r for r in back), "shown as given: no next hop"


def _host(*routes: dict[str, Any]) -> dict[str, Any]:
    return {
        "routes": {"config": list(routes)},
        "interfaces": [{"name": "eth1", "type": "ethernet", "state": "up"}],
    }


def test_absent_with_empty_gateway_removes_only_gateway_less_routes() -> None:
    direct = {"destination": "192.0.2.128/25", "next-hop-interface": "eth1", "table-id": 254}
    via = {
        "destination": "198.51.100.0/24",
        "next-hop-interface": "eth1",
        "next-hop-address": "192.0.2.1",
        "table-id": 254,
    }
    pattern = {"next-hop-interface": "eth1", "next-hop-address": "", "state": "absent"}
    out = merge(_state(pattern), _host(direct, via))
    assert out["routes"]["config"] == [via]


def test_absent_table_zero_is_a_wildcard() -> None:
    """(``destination: ""`` is refused by validation, as nmstate refuses it: see
    test_routes_like_nmstate.test_absent_route_with_invalid_empty_destination.)"""
    a = {"destination": "192.0.2.128/25", "next-hop-interface": "eth1", "table-id": 100}
    b = {"destination": "198.51.100.0/24", "next-hop-interface": "eth1", "table-id": 254}
    pattern = {"table-id": 0, "next-hop-interface": "eth1", "state": "absent"}
    assert merge(_state(pattern), _host(a, b))["routes"]["config"] == []


def test_absent_by_weight_or_type_removes_only_those() -> None:
    out = merge(
        _state({"weight": 3, "destination": "203.0.113.128/25", "state": "absent"}),
        _host(*ECMP, BLACKHOLE),
    )
    assert [r.get("weight") for r in out["routes"]["config"]] == [None, 1]
    out = merge(_state({"route-type": "blackhole", "state": "absent"}), _host(*ECMP, BLACKHOLE))
    assert BLACKHOLE not in out["routes"]["config"] and len(out["routes"]["config"]) == 2


def _live(config: list[dict[str, Any]], running: list[dict[str, Any]]) -> dict[str, Any]:
    return {"routes": {"config": config, "running": running}, "interfaces": []}


def test_verify_wants_a_route_in_the_kernel_as_well_as_in_the_profile() -> None:
    desired = _state(SRC_CWND)
    in_profile = [{**SRC_CWND}]
    (miss,) = verify(desired, desired, _live(in_profile, []))
    assert miss.found == "not in the kernel"
    kernel = [{**SRC_CWND, "metric": 150}]
    assert verify(desired, desired, _live(in_profile, kernel)) == []


def test_verify_compares_route_attributes_in_the_profile() -> None:
    desired = _state(SRC_CWND)
    profile = [{**SRC_CWND, "cwnd": 10}]
    (miss,) = verify(desired, desired, _live(profile, [SRC_CWND]))
    assert miss.found == "no such route"


def test_verify_finds_a_typed_route_without_next_hop_in_the_kernel() -> None:
    """Given on ``lo`` (the only next hop nmstate lets a typed route name), found in the
    kernel without one."""
    desired = _state({**BLACKHOLE, "next-hop-interface": "lo"})
    config = [{**BLACKHOLE, "next-hop-interface": "lo", "table-id": 254}]
    running = [{**BLACKHOLE, "table-id": 254}]
    assert verify(desired, desired, _live(config, running)) == []
