"""Issue 11, "show leaves out what nmstate shows": what the engine makes of those values.

MACs in upper case, IPv6 link-local addresses, the bridge options the kernel
reports (two of them runtime-only timers) and ``description``: the kernel read
shapes them as nmstate 2 shows them, and merge, diff and verify neither trip
on them nor let a spelling difference pass for a change.
"""

from __future__ import annotations

from typing import Any

from engine.diff import diff
from engine.merge import merge
from engine.normalize import normalize
from engine.verify import verify

_MAC_UPPER = "02:AA:BB:CC:DD:0E"


def _host() -> dict[str, Any]:
    return normalize(
        {
            "interfaces": [
                {
                    "name": "eth1",
                    "type": "ethernet",
                    "state": "up",
                    "mac-address": _MAC_UPPER,
                    "mtu": 1500,
                    "ipv4": {"enabled": False},
                    "ipv6": {"enabled": False},
                }
            ]
        }
    )


def _eth1(state: dict[str, Any]) -> dict[str, Any]:
    return next(i for i in state["interfaces"] if i["name"] == "eth1")


# -- 1. MAC addresses: upper case shown, any case accepted --------------------------------


def test_a_lower_case_mac_asked_for_is_no_change_against_the_upper_case_shown_one() -> None:
    current = _host()
    desired = {"interfaces": [{"name": "eth1", "mac-address": _MAC_UPPER.lower()}]}
    merged = merge(desired, current)
    assert _eth1(merged)["mac-address"] == _MAC_UPPER
    assert diff(current, merged) == []
    assert verify(desired, merged, current) == []


def test_a_different_mac_in_lower_case_is_a_change_shown_in_upper_case() -> None:
    current = _host()
    desired = {"interfaces": [{"name": "eth1", "mac-address": "02:aa:bb:cc:dd:0f"}]}
    merged = merge(desired, current)
    (change,) = diff(current, merged)
    assert (change.path, change.old, change.new) == (
        "interfaces[eth1].mac-address",
        _MAC_UPPER,
        "02:AA:BB:CC:DD:0F",
    )
    (mismatch,) = verify(desired, merged, current)
    assert mismatch.path == "eth1.mac-address"
