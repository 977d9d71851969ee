"""The console form as data: each mode becomes a state the engine accepts, bad fields are named.

VLAN and bond cannot be created on this kernel, so they are checked here
through validation, merge and diff against the demo host's state (as
``show`` prints it), the same path the console's review takes.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.diff import diff
from engine.merge import merge
from engine.validate import validate
from nmtui_state.console.line import squeeze
from nmtui_state.console.model import Setup, desired, field_problems, prefill
from nmtui_state.console.text import ascii_only, vt220_safe


def _current() -> dict[str, Any]:
    def iface(name: str, addr: str | None = None) -> dict[str, Any]:
        ipv4: dict[str, Any] = {"enabled": False}
        if addr:
            ip, plen = addr.split("/")
            ipv4 = {
                "enabled": True,
                "dhcp": False,
                "address": [{"ip": ip, "prefix-length": int(plen)}],
            }
        return {
            "name": name,
            "type": "veth",
            "state": "up",
            "ipv4": ipv4,
            "veth": {"peer": name + "p"},
        }

    return {
        "hostname": {"config": "demo-host", "running": "demo-host"},
        "dns-resolver": {"config": {"server": ["192.0.2.53"]}},
        "routes": {"config": [], "running": []},
        "interfaces": [iface("eth1", "192.0.2.10/24"), iface("eth2"), iface("eth3")],
    }


def _errors(state: dict[str, Any]) -> list[str]:
    return [p.format() for p in validate(state, _current()) if p.is_error]


@pytest.mark.parametrize(
    ("setup", "target", "kind"),
    [
        (Setup("eth1", "veth", "dhcp", hostname="h1"), "eth1", "veth"),
        (
            Setup("eth1", "veth", "static", "192.0.2.50/24", "192.0.2.1", "192.0.2.53"),
            "eth1",
            "veth",
        ),
        (Setup("eth1", "veth", "static", "2001:db8::5/64", "2001:db8::1"), "eth1", "veth"),
        (Setup("eth1", "veth", "vlan", "192.0.2.50/24", vlan_id="10"), "eth1.10", "vlan"),
        (Setup("eth1", "veth", "vlan", vlan_id="20"), "eth1.20", "vlan"),
        (Setup("eth2", "veth", "bond", bond_ports="eth3", bond_mode="802.3ad"), "bond0", "bond"),
    ],
    ids=["dhcp", "static4", "static6", "vlan-static", "vlan-dhcp", "bond"],
)
def test_every_mode_is_a_valid_state_with_a_diff(setup: Setup, target: str, kind: str) -> None:
    assert field_problems(setup) == []
    state = desired(setup)
    assert _errors(state) == []
    ifaces = {i["name"]: i for i in state["interfaces"]}
    assert ifaces[target]["type"] == kind
    changes = diff(_current(), merge(state, _current()))
    assert changes, "the form must ask for something"
    if setup.gateway:
        (route,) = state["routes"]["config"]
        assert route["next-hop-interface"] == target and route["next-hop-address"] == setup.gateway
    if kind == "bond":
        assert ifaces["bond0"]["link-aggregation"]["port"] == ["eth2", "eth3"]


@pytest.mark.parametrize(
    ("setup", "field", "words"),
    [
        (Setup("eth1", mode="static", address="192.0.2.50"), "address", "prefix length"),
        (Setup("eth1", mode="static", address="300.1.1.1/24"), "address", "not an IP"),
        (Setup("eth1", mode="static"), "address", "give an address"),
        (
            Setup("eth1", mode="static", address="192.0.2.5/24", gateway="gw"),
            "gateway",
            "not an IP",
        ),
        (
            Setup("eth1", mode="static", address="192.0.2.5/24", gateway="2001:db8::1"),
            "gateway",
            "different families",
        ),
        (Setup("eth1", mode="dhcp", dns="192.0.2.53, nine"), "dns", "nine is not"),
        (Setup("eth1", mode="vlan", vlan_id="5000"), "vlan_id", "1 to 4094"),
        (Setup("eth1", mode="bond", bond_mode="fast"), "bond_mode", "active-backup"),
    ],
)
def test_bad_fields_are_named(setup: Setup, field: str, words: str) -> None:
    problems = field_problems(setup)
    assert [f for f, _ in problems] == [field]
    assert words in problems[0][1]


def test_vlan_name_too_long_is_caught_by_validation() -> None:
    state = desired(Setup("enp129s0f1np1", "ethernet", "vlan", vlan_id="4000"))
    assert any("15" in e for e in _errors(state))


def test_static_form_starts_from_the_host() -> None:
    s = prefill(Setup("eth1", mode="static"), _current())
    assert (s.address, s.dns, s.hostname, s.uplink_type) == (
        "192.0.2.10/24",
        "192.0.2.53",
        "demo-host",
        "veth",
    )


def test_ascii_only_spells_engine_glyphs() -> None:
    text = ascii_only("eth1: mtu 1500 \u2192 9000 \u2014 ok \u2713 \u00e9")
    assert text == "eth1: mtu 1500 -> 9000 -- ok ok ?"
    assert vt220_safe(text) and not vt220_safe("\u2500")


def test_squeeze_erases_line_ends_only() -> None:
    """Trailing blanks become ESC[K; blanks followed by more text on the line stay."""
    blank = "\x1b[39;49m" + " " * 40 + "\x1b[0m"
    assert squeeze(f"\x1b[1;1Habc{blank}\n\x1b[2;1H") == "\x1b[1;1Habc\x1b[0m\x1b[K\n\x1b[2;1H"
    assert squeeze(f"abc{blank}\x1b[3;1Hx") == "abc\x1b[0m\x1b[K\x1b[3;1Hx"
    assert squeeze(f"abc{blank}") == "abc\x1b[0m\x1b[K"
    middle = f"abc{blank}\x1b[7mdef"
    assert squeeze(middle) == middle
