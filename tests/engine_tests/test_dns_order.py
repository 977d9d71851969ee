"""DNS server orders that NetworkManager profiles can and cannot carry."""

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
def test_alternating_families_are_refused_with_the_fix(servers: tuple[str, ...]) -> None:
    (problem,) = validate(_servers(*servers))
    assert problem.path == "dns-resolver.config.server"
    assert "alternate" in problem.message
    assert "one family first" in problem.hint


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
