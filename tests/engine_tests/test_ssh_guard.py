"""Warnings for changes to what carries the current SSH session."""

from __future__ import annotations

from engine.diff import diff
from engine.merge import merge
from engine.ssh_guard import session_interfaces, ssh_warnings

LIVE = {
    "routes": {
        "running": [
            {
                "destination": "0.0.0.0/0",
                "next-hop-interface": "eth1",
                "next-hop-address": "192.0.2.1",
            }
        ]
    },
    "interfaces": [
        {
            "name": "eth1",
            "type": "ethernet",
            "state": "up",
            "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.10", "prefix-length": 24}]},
        },
        {
            "name": "br0",
            "type": "linux-bridge",
            "state": "up",
            "ipv4": {"enabled": True, "address": [{"ip": "198.51.100.1", "prefix-length": 24}]},
            "bridge": {"port": [{"name": "eth2"}]},
        },
        {
            "name": "eth2",
            "type": "ethernet",
            "state": "up",
            "controller": "br0",
            "ipv4": {"enabled": False},
        },
    ],
}


def test_session_rides_on_the_server_address_and_the_route_back() -> None:
    assert session_interfaces(LIVE, "203.0.113.5 50000 192.0.2.10 22") == {"eth1"}
    # a client on br0's subnet: br0 carries it, and so does its port
    assert session_interfaces(LIVE, "198.51.100.7 50000 198.51.100.1 22") == {"br0", "eth2"}
    assert session_interfaces(LIVE, None) == set()
    assert session_interfaces(LIVE, "garbage") == set()


def test_changing_the_ssh_interface_warns_and_others_do_not() -> None:
    ssh = "203.0.113.5 50000 192.0.2.10 22"
    touch = merge(
        {
            "interfaces": [
                {
                    "name": "eth1",
                    "type": "ethernet",
                    "ipv4": {"address": [{"ip": "192.0.2.11", "prefix-length": 24}]},
                }
            ]
        },
        LIVE,
    )
    warnings = ssh_warnings(diff(LIVE, touch), LIVE, ssh)
    assert len(warnings) == 1 and "eth1" in warnings[0] and "SSH" in warnings[0]
    other = merge({"interfaces": [{"name": "br0", "type": "linux-bridge", "mtu": 9000}]}, LIVE)
    assert ssh_warnings(diff(LIVE, other), LIVE, ssh) == []
    assert ssh_warnings(diff(LIVE, touch), LIVE, None) == []
