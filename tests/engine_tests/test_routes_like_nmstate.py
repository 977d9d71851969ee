"""Routes and route rules as nmstate's integration tests (``tests/integration/route_test.py``)
mean them, where the answer needs no host: what is refused before anything is touched,
how destinations and rule addresses are cleaned up, and which entries an absent one hits.

The same behaviours on a real NetworkManager and kernel are in
tests/backend_tests/test_routes_like_nmstate.py and test_route_rules_like_nmstate.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.merge import merge
from engine.validate import validate
from engine.verify import verify

ETH1 = {
    "name": "eth1",
    "type": "ethernet",
    "state": "up",
    "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.251", "prefix-length": 24}]},
    "ipv6": {"enabled": True, "address": [{"ip": "2001:db8:1::1", "prefix-length": 64}]},
}
HOST = {"interfaces": [ETH1, {"name": "lo", "type": "loopback", "state": "up"}]}


def _messages(state: dict[str, Any]) -> list[str]:
    return [f"{p.path}: {p.message}" for p in validate(state, HOST) if p.severity == "error"]


def _routes(*routes: dict[str, Any]) -> dict[str, Any]:
    return {"routes": {"config": list(routes)}}


def _rules(*rules: dict[str, Any]) -> dict[str, Any]:
    return {"route-rules": {"config": list(rules)}}


# -- refused, as nmstate refuses them ------------------------------------------------


def test_route_type_with_next_hop_interface() -> None:
    typed = {"destination": "203.0.113.0/24", "route-type": "blackhole"}
    (msg,) = _messages(_routes({**typed, "next-hop-interface": "eth1"}))
    assert "routes.config[0].next-hop-interface" in msg and "cannot have a next hop" in msg
    (msg,) = _messages(_routes({**typed, "next-hop-address": "192.0.2.1"}))
    assert "next-hop-address" in msg
    assert _messages(_routes({**typed, "next-hop-interface": "lo"})) == [], "lo is its home"
    assert _messages(_routes(typed)) == []


def test_add_static_route_with_route_type_on_0_0_0_0_8() -> None:
    """nmstate refuses 0.0.0.0/8 for a unicast route but takes it as a blackhole."""
    assert _messages(_routes({"destination": "0.0.0.0/8", "route-type": "blackhole"})) == []
    unicast = {"destination": "0.0.0.0/8", "next-hop-interface": "eth1"}
    (msg,) = _messages(_routes(unicast))
    assert "0.0.0.0/8" in msg
    default = {"destination": "0.0.0.0/0", "next-hop-interface": "eth1"}
    assert _messages(_routes(default)) == []


def test_unicast_route_without_next_hop_interface_is_refused() -> None:
    (msg,) = _messages(_routes({"destination": "203.0.113.0/24", "next-hop-address": "192.0.2.1"}))
    assert "without next-hop-interface" in msg


def test_absent_route_with_invalid_empty_destination() -> None:
    pattern = {"next-hop-interface": "eth1", "state": "absent", "destination": ""}
    (msg,) = _messages(_routes(pattern))
    assert "routes.config[0].destination" in msg


def test_cwnd_zero_is_refused() -> None:
    (msg,) = _messages(
        _routes({"destination": "203.0.113.0/24", "next-hop-interface": "eth1", "cwnd": 0})
    )
    assert "cwnd" in msg


def test_route_rule_add_without_from_or_to_or_family() -> None:
    msgs = _messages(_rules({"route-table": 50}, {"route-table": 51}))
    assert len(msgs) == 2 and all("neither ip-from, ip-to nor family" in m for m in msgs)
    assert _messages(_rules({"route-table": 50, "family": "ipv6", "priority": 100})) == []


def test_route_rule_family_must_agree_and_fwmask_needs_fwmark() -> None:
    (msg,) = _messages(_rules({"ip-from": "192.0.2.0/24", "family": "ipv6"}))
    assert "route-rules.config[0].ip-from" in msg
    (msg,) = _messages(_rules({"ip-from": "192.0.2.0/24", "fwmask": 16}))
    assert "fwmask" in msg


def test_absent_route_rule_with_empty_ip_from_to_is_accepted() -> None:
    absent = _rules(
        {"state": "absent", "ip-to": "", "route-table": 50},
        {"state": "absent", "ip-from": "", "route-table": 51},
    )
    assert _messages(absent) == []
    (msg,) = _messages(_rules({"ip-from": "", "ip-to": "192.0.2.0/24"}))
    assert "ip-from" in msg, "only an absent rule may say ''"


# -- sanitized as nmstate sanitizes ----------------------------------------------------


def _host_with(routes: list[dict[str, Any]], rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {**HOST, "routes": {"config": routes}, "route-rules": {"config": rules}}


def test_sanitize_route_destination() -> None:
    asked = [
        ("198.51.100.1/24", "198.51.100.0/24"),
        ("203.0.113.1", "203.0.113.1/32"),
        ("2001:db8:a::1/64", "2001:db8:a::/64"),
        ("2001:db8:b::0001", "2001:db8:b::1/128"),
    ]
    routes = [
        {"destination": d, "next-hop-interface": "eth1", "next-hop-address": "192.0.2.1"}
        for d, _ in asked
    ]
    merged = merge(_routes(*routes), _host_with([], []))
    assert sorted(r["destination"] for r in merged["routes"]["config"]) == sorted(
        want for _, want in asked
    )
    shown = [{**r, "destination": want} for r, (_, want) in zip(routes, asked, strict=True)]
    live = _host_with(shown, [])
    live["routes"]["running"] = live["routes"]["config"]
    assert verify(_routes(*routes), merged, live) == [], "verified in the sanitized form"


def test_sanitize_route_rule_from_to() -> None:
    rules = [
        {"ip-from": "203.0.113.1", "ip-to": "192.0.2.4/24", "priority": 100},
        {"ip-from": "2001:db8::1", "ip-to": "2001:db8::f/64", "priority": 101},
    ]
    merged = merge(_rules(*rules), _host_with([], []))
    got = {(r["ip-from"], r["ip-to"]) for r in merged["route-rules"]["config"]}
    assert got == {("203.0.113.1/32", "192.0.2.0/24"), ("2001:db8::1/128", "2001:db8::/64")}
    again = merge(_rules(*rules), merged)
    assert again["route-rules"] == merged["route-rules"], "applying twice adds nothing"


# -- which entries an absent one hits ------------------------------------------------


RULE_A = {"ip-from": "2001:db8:a::/64", "ip-to": "2001:db8:f::/64", "priority": 1000}
RULE_B = {"ip-from": "203.0.113.0/24", "ip-to": "192.0.2.0/24", "priority": 1000}
RULE_C = {"ip-from": "2001:db8:b::/64", "priority": 999, "route-table": 50}
RULE_D = {"ip-to": "192.0.2.9/32", "priority": 999, "route-table": 50}


def _left(absent: list[dict[str, Any]], rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list(merge(_rules(*absent), _host_with([], rules))["route-rules"]["config"])


def test_absent_route_rule_with_empty_ip_from_to() -> None:
    a, b = {**RULE_A, "route-table": 50}, {**RULE_B, "route-table": 50}
    left = _left(
        [
            {"state": "absent", "ip-to": "", "route-table": 50},
            {"state": "absent", "ip-from": "", "route-table": 50},
        ],
        [a, b, RULE_C, RULE_D],
    )
    assert len(left) == 2 and all(r.get("ip-from") and r.get("ip-to") for r in left)


@pytest.mark.parametrize(
    ("absent", "count"),
    [
        ({"state": "absent"}, 0),  # route_rule_clear_state
        ({"state": "absent", "route-table": 254}, 0),  # remove_route_rule_with_wildcard
        ({"state": "absent", "family": "ipv6"}, 1),
        ({"state": "absent", "ip-from": "203.0.113.1", "ip-to": "192.0.2.0/24"}, 1),
        ({"state": "absent", "priority": -1, "route-table": 0}, 0),
    ],
)
def test_absent_rule_wildcards(absent: dict[str, Any], count: int) -> None:
    rules = [
        {"ip-from": "203.0.113.1/32", "ip-to": "192.0.2.0/24", "priority": 30000},
        {"ip-from": "2001:db8:a::/64", "priority": 30001},
    ]
    assert len(_left([absent], rules)) == count


# -- a new metric replaces the route ---------------------------------------------------


def test_route_change_metric_replaces_the_route() -> None:
    """nmstate's ``test_route_change_metric`` / ``test_ignore_route_metric_difference``:
    a route asked for again with another metric is one route, with the new metric."""
    gw = {
        "destination": "0.0.0.0/0",
        "metric": 103,
        "next-hop-address": "192.0.2.1",
        "next-hop-interface": "eth1",
        "table-id": 254,
    }
    other = {**gw, "next-hop-address": "192.0.2.2", "metric": 101}
    merged = merge(_routes({**gw, "metric": 104}), _host_with([gw, other], []))
    assert merged["routes"]["config"] == [{**gw, "metric": 104}, other]
    unsaid = merge(_routes({k: v for k, v in gw.items() if k != "metric"}), _host_with([gw], []))
    assert unsaid["routes"]["config"] == [gw], "no metric asked: the host's stays"


def test_change_gateway_verifies_the_absent_entry_a_new_route_matches() -> None:
    """nmstate's ``routes_for_verify``: an absent entry that a route asked for in the same
    state matches (the old default route out, the new one in) is not checked."""
    old = {
        "destination": "0.0.0.0/0",
        "next-hop-address": "192.0.2.1",
        "next-hop-interface": "eth1",
        "table-id": 254,
    }
    new = {**old, "next-hop-address": "192.0.2.2"}
    gone = {"state": "absent", "next-hop-interface": "eth1", "destination": "0.0.0.0/0"}
    desired = _routes(gone, new)
    live = _host_with([new], [])
    live["routes"]["running"] = [new]
    assert verify(desired, merge(desired, _host_with([old], [])), live) == []
    live["routes"]["config"] = live["routes"]["running"] = [old, new]
    (miss,) = verify(_routes({**gone, "next-hop-address": "192.0.2.1"}, new), {}, live)
    assert miss.wanted == "absent", "an absent entry no asked route matches is checked"


def test_typed_route_on_lo_is_the_route_shown_without_a_next_hop() -> None:
    """nmstate's ``test_add_static_Ipv4_route_with_route_type``: ``next-hop-interface: lo``
    on a blackhole is the blackhole ``show`` prints without one."""
    shown = {"destination": "198.51.100.0/24", "route-type": "blackhole", "table-id": 254}
    asked = {**shown, "next-hop-interface": "lo"}
    host = _host_with([shown], [])
    assert merge(_routes(asked), host)["routes"] == host["routes"], "nothing to add"
    host["routes"]["running"] = [shown]
    assert verify(_routes(asked), host, host) == []


def test_ipv6_route_with_weight_is_refused() -> None:
    """nmstate's sanitize: "IPv6 ECMP route with weight is not supported yet"."""
    v6 = {"destination": "2001:db8:e::/64", "next-hop-interface": "eth1", "weight": 2}
    (msg,) = _messages(_routes({**v6, "next-hop-address": "2001:db8:1::2"}))
    assert "weight" in msg
    v4 = {"destination": "203.0.113.0/24", "next-hop-interface": "eth1", "weight": 2}
    assert _messages(_routes({**v4, "next-hop-address": "192.0.2.2"})) == []
