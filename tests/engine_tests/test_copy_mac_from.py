"""``copy-mac-from`` as nmstate resolves it (``apply_copy_mac_from``): the named
interface's permanent MAC, else its MAC, becomes the interface's ``mac-address``.
The host side (a bridge that takes a port's MAC) is in
tests/backend_tests/test_linux_bridge_like_nmstate.py."""

from __future__ import annotations

from typing import Any

from engine.copy_mac import resolve_copy_mac
from engine.genconf import gen_profiles, offline_state
from engine.merge import merge
from engine.topology import by_name
from engine.validate import validate

HOST: dict[str, Any] = {
    "interfaces": [
        {"name": "eth1", "type": "ethernet", "state": "up", "mac-address": "02:00:00:00:00:01"},
        {
            "name": "eth2",
            "type": "ethernet",
            "state": "up",
            "mac-address": "02:00:00:00:00:02",
            "permanent-mac-address": "02:00:00:00:00:22",
        },
    ]
}


def bridge(source: str, kind: str = "linux-bridge") -> dict[str, Any]:
    return {"name": "br0", "type": kind, "copy-mac-from": source}


def test_the_mac_of_the_source_becomes_the_interfaces() -> None:
    got = resolve_copy_mac({"interfaces": [bridge("eth1")]}, HOST)
    assert got["interfaces"] == [
        {"name": "br0", "type": "linux-bridge", "mac-address": "02:00:00:00:00:01"}
    ]
    assert by_name(merge({"interfaces": [bridge("eth1")]}, HOST))["br0"]["mac-address"] == (
        "02:00:00:00:00:01"
    )


def test_a_permanent_mac_wins_over_the_current_one() -> None:
    got = resolve_copy_mac({"interfaces": [bridge("eth2", "bond")]}, HOST)
    assert got["interfaces"][0]["mac-address"] == "02:00:00:00:00:22"


def test_the_source_as_the_desired_state_leaves_it() -> None:
    desired = {"interfaces": [bridge("eth1"), {"name": "eth1", "mac-address": "02:00:00:00:0a:01"}]}
    got = by_name(resolve_copy_mac(desired, HOST))["br0"]
    assert got["mac-address"] == "02:00:00:00:0A:01"


def test_other_types_ignore_it_as_nmstate_does() -> None:
    desired = {"interfaces": [{"name": "v1", "type": "veth", "copy-mac-from": "eth1"}]}
    assert resolve_copy_mac(desired, HOST) is desired


def test_a_missing_source_is_refused_in_nmstates_words() -> None:
    problems = [p for p in validate({"interfaces": [bridge("eth9")]}, HOST) if p.is_error]
    assert [p.path for p in problems] == ["interfaces[br0].copy-mac-from"]
    assert "Failed to find interface eth9 for copy-mac-from of iface br0" in problems[0].message
    # Without a host nothing is known about eth9: not judged.
    assert not [p for p in validate({"interfaces": [bridge("eth9")]}) if p.is_error]


def test_a_source_without_a_mac_is_refused() -> None:
    host = {"interfaces": [{"name": "eth1", "type": "ethernet", "state": "up"}]}
    problems = [p for p in validate({"interfaces": [bridge("eth1")]}, host) if p.is_error]
    assert "Failed to find mac address of interface eth1" in problems[0].message


def test_gen_conf_copies_a_mac_the_file_gives_and_says_when_it_cannot() -> None:
    state = {"interfaces": [bridge("eth1"), {"name": "eth1", "mac-address": "02:00:00:00:00:01"}]}
    (br0,) = [p for p in gen_profiles(state) if p["connection"]["interface-name"] == "br0"]
    assert br0["802-3-ethernet"]["assigned-mac-address"] == "02:00:00:00:00:01"
    _, notes = offline_state({"interfaces": [bridge("eth1")]})
    assert any("copy-mac-from eth1" in n for n in notes)
