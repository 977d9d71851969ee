"""Route rules: NM translation both ways, which profile holds them, nmstate's priorities."""

from __future__ import annotations

from typing import Any

from engine.backend.nm_route_rules import rule_text, rules_from_nm, rules_to_nm
from engine.merge import merge
from engine.normalize import normalize
from engine.placement import rule_placement
from engine.route_rules import AUTO_PRIORITY_START

EXAMPLE = {  # nmstate's examples/eth1_add_route_rule.yml
    "ip-to": "192.0.2.0/24",
    "ip-from": "198.51.100.0/24",
    "priority": 100,
    "route-table": 254,
    "fwmark": 0x30,
    "fwmask": 0x10,
}


def _iface(name: str, **ip: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "ethernet",
        "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.9", "prefix-length": 24}], **ip},
        "ipv6": {"enabled": True, "address": [{"ip": "2001:db8::9", "prefix-length": 64}]},
    }


def _rules(state: dict[str, Any]) -> list[dict[str, Any]]:
    return list(normalize(state)["route-rules"]["config"])


def test_translation_round_trips_every_key() -> None:
    rules = [
        EXAMPLE,
        {"family": "ipv6", "priority": 7, "action": "blackhole"},
        {"ip-from": "2001:db8::/64", "priority": 8, "iif": "eth1", "suppress-prefix-length": 0},
    ]
    nm = {family: {"routing-rules": rules_to_nm(rules, family)} for family in ("ipv4", "ipv6")}
    assert nm["ipv4"]["routing-rules"] == [
        {
            "family": 2,
            "from": "198.51.100.0",
            "from-len": 24,
            "to": "192.0.2.0",
            "to-len": 24,
            "priority": 100,
            "fwmark": 48,
            "fwmask": 16,
            "table": 254,
        }
    ]
    assert [r["family"] for r in nm["ipv6"]["routing-rules"]] == [10, 10]
    assert (
        nm["ipv6"]["routing-rules"][0]["action"] == 6
        and "table" not in nm["ipv6"]["routing-rules"][0]
    )
    back = _rules({"route-rules": {"config": rules_from_nm(nm)}})
    assert back == _rules({"route-rules": {"config": rules}})


def test_keyfile_text_is_nms_rule_syntax() -> None:
    (item,) = rules_to_nm([EXAMPLE], "ipv4")
    assert rule_text(item) == (
        "priority 100 from 198.51.100.0/24 to 192.0.2.0/24 table 254 fwmark 0x30/0x10"
    )
    (hole,) = rules_to_nm([{"family": "ipv6", "priority": 5, "action": "prohibit"}], "ipv6")
    assert rule_text(hole) == "priority 5 from ::/0 type prohibit"


def test_placement_prefers_iif_then_the_routes_table_then_the_first_ip_interface() -> None:
    state = {
        "interfaces": [_iface("eth1"), _iface("eth2"), _iface("eth3")],
        "routes": {
            "config": [
                {"destination": "203.0.113.0/24", "next-hop-interface": "eth3", "table-id": 100}
            ]
        },
        "route-rules": {
            "config": [
                {"priority": 1, "iif": "eth2", "route-table": 254},
                {"priority": 2, "ip-to": "203.0.113.0/24", "route-table": 100},
                {"priority": 3, "ip-to": "198.51.100.0/24", "route-table": 254},
            ]
        },
    }
    held = {name: [r["priority"] for r in rules] for name, rules in rule_placement(state).items()}
    assert held == {"eth2": [1], "eth3": [2], "eth1": [3]}


def test_a_rule_stays_where_it_is_held_now() -> None:
    from engine.placement import rule_key

    rule = {"priority": 3, "ip-to": "198.51.100.0/24", "route-table": 254}
    state = {"interfaces": [_iface("eth1"), _iface("eth2")], "route-rules": {"config": [rule]}}
    assert set(rule_placement(state, {rule_key(rule): "eth2"})) == {"eth2"}


def test_rules_without_priority_get_nmstates_auto_priority_or_match_an_existing_rule() -> None:
    current = {"route-rules": {"config": [{**EXAMPLE}]}}
    desired = {
        "route-rules": {
            "config": [
                {"ip-to": "192.0.2.0/24", "ip-from": "198.51.100.0/24"},  # the existing one
                {"ip-to": "203.0.113.0/24"},
                {"ip-to": "203.0.113.128/25", "priority": -1},
            ]
        }
    }
    merged = merge(desired, current)["route-rules"]["config"]
    assert sorted(r["priority"] for r in merged) == [
        100,
        AUTO_PRIORITY_START,
        AUTO_PRIORITY_START + 1,
    ]
