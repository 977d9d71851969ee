"""DNS server orders that NetworkManager profiles can carry, and those that go to its
global DNS (as nmstate puts them)."""

from __future__ import annotations

import pytest

from engine.validate import validate


def _servers(*servers: str) -> dict[str, object]:
    return {"dns-resolver": {"config": {"server": list(servers)}}}


@pytest.mark.parametrize(
    "servers",
    [
        ("192.0.2.1", "2001:db8::1", "192.0.2.2"),
        ("2001:db8::1", "192.0.2.1", "2001:db8::2"),
    ],
)
def test_alternating_families_go_to_global_dns(servers: tuple[str, ...]) -> None:
    """Valid, as in nmstate: profiles cannot keep the order, NM's global DNS can."""
    from engine.placement import global_dns_change, needs_global_dns

    state = _servers(*servers)
    assert validate(state) == []
    assert needs_global_dns(state)
    assert global_dns_change(state, state, True, {}) == {"server": list(servers)}
    assert global_dns_change(state, state, True, {"server": list(servers)}) is None


def test_other_dns_clears_global_dns_only_when_set_and_asked_for() -> None:
    from engine.placement import global_dns_change, needs_global_dns

    state = _servers("192.0.2.1", "2001:db8::1")
    assert not needs_global_dns(state)
    assert global_dns_change(state, state, False, {"server": ["192.0.2.9"]}) == {}
    assert global_dns_change(state, state, False, {}) is None
    assert global_dns_change({"interfaces": []}, state, False, {"server": ["192.0.2.9"]}) is None


@pytest.mark.parametrize(
    "servers",
    [
        ("2001:db8::1", "192.0.2.1"),
        ("192.0.2.1", "192.0.2.2", "2001:db8::1", "2001:db8::2"),
        ("2001:db8::1", "2001:db8::2", "192.0.2.1"),
    ],
)
def test_one_family_then_the_other_is_fine(servers: tuple[str, ...]) -> None:
    assert validate(_servers(*servers)) == []


def test_static_servers_go_before_dhcp_ones_on_a_dhcp_interface() -> None:
    """With only DHCP interfaces, the servers go on one of them: NM lists them first."""
    from engine.backend.nm_settings import iface_to_settings
    from engine.placement import dns_placement

    state = {
        "dns-resolver": {"config": {"server": ["192.0.2.53"]}},
        "interfaces": [
            {"name": "lo", "type": "loopback", "ipv4": {"enabled": True, "address": []}},
            {"name": "eth1", "type": "ethernet", "ipv4": {"enabled": True, "dhcp": True}},
        ],
    }
    assert dns_placement(state) == {"ipv4": "eth1"}
    settings = iface_to_settings(state["interfaces"][1], state)
    assert settings["ipv4"]["dns-data"] == ["192.0.2.53"]
    assert settings["ipv4"]["method"] == "auto"


def test_global_dns_set_elsewhere_stays_and_no_profile_copies_it() -> None:
    """An apply that does not mention DNS leaves NM's global DNS alone, and the plan
    does not copy the servers onto a profile (NM would ignore them there)."""
    from engine.plan import make_plan

    eth1 = {
        "name": "eth1",
        "type": "ethernet",
        "state": "up",
        "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.10", "prefix-length": 24}]},
    }
    current = {
        "dns-resolver": {"config": {"server": ["192.0.2.53"], "search": []}},
        "interfaces": [eth1],
    }
    desired = {"interfaces": [{**eth1, "mtu": 1400}]}
    merged = {**current, "interfaces": [{**eth1, "mtu": 1400}]}
    now = {"server": ["192.0.2.53"]}
    plan = make_plan(desired, current, merged, [], {}, now)
    assert plan.global_dns is None and plan.dns_after == {}
    (add,) = [s for s in plan.steps if s.action == "add"]
    assert add.settings is not None and "dns-data" not in add.settings["ipv4"]
    asked = {**desired, "dns-resolver": {"config": {"server": ["192.0.2.54"]}}}
    plan = make_plan(asked, current, merged, [], {}, now)
    assert plan.global_dns == {} and plan.dns_after == {"ipv4": "eth1"}
