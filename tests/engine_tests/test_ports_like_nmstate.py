"""Ports a desired port list cannot take away (engine.merge_ports), as nmstate keeps
them: ports the host does not manage, and ports the state says to ignore. The host
side is in tests/backend_tests/test_linux_bridge_like_nmstate.py."""

from __future__ import annotations

from typing import Any

from engine.merge import merge
from engine.topology import by_name, ports_of

HOST: dict[str, Any] = {
    "interfaces": [
        {
            "name": "br0",
            "type": "linux-bridge",
            "state": "up",
            "bridge": {"port": [{"name": "p0"}, {"name": "u0"}, {"name": "tap0"}]},
        },
        {"name": "p0", "type": "veth", "state": "up", "controller": "br0"},
        {"name": "p1", "type": "veth", "state": "up"},
        {"name": "u0", "type": "veth", "state": "ignore", "controller": "br0"},
        {"name": "tap0", "type": "unknown", "state": "down", "controller": "br0"},
    ]
}


def merged_ports(*ifaces: dict[str, Any]) -> list[str]:
    return ports_of(by_name(merge({"interfaces": list(ifaces)}, HOST))["br0"])


def bridge(*ports: str) -> dict[str, Any]:
    return {"name": "br0", "type": "linux-bridge", "bridge": {"port": [{"name": p} for p in ports]}}


def test_unmanaged_and_unknown_ports_stay() -> None:
    assert merged_ports(bridge("p1")) == ["p1", "tap0", "u0"]


def test_a_port_the_state_ignores_stays() -> None:
    assert merged_ports(bridge("p1"), {"name": "p0", "state": "ignore"}) == [
        "p0",
        "p1",
        "tap0",
        "u0",
    ]


def test_an_unmanaged_port_the_state_names_goes() -> None:
    """Named in the desired state (to manage it), it is no longer left alone."""
    assert merged_ports(bridge("p1"), {"name": "u0", "state": "up"}) == ["p1", "tap0"]
