"""Issue 11, routes on a real NetworkManager: every route field reaches profile and kernel.

Each test starts from a fresh demo host (see test_apply_issue11.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    apply,
    live,
    profile_ifaces,
)

pytestmark = pytest.mark.nm


# -- route attributes -------------------------------------------------------------------

SRC_CWND = {
    "destination": "198.51.100.128/25",
    "next-hop-interface": "eth1",
    "next-hop-address": "192.0.2.1",
    "source": "192.0.2.10",
    "cwnd": 20,
    "metric": 150,
    "table-id": 100,
}
TYPED = [
    {"destination": "10.99.0.0/16", "route-type": "blackhole"},
    {"destination": "10.98.0.0/16", "route-type": "unreachable"},
    {"destination": "2001:db8:99::/48", "route-type": "prohibit"},
]
ECMP = [
    {
        "destination": "203.0.113.128/25",
        "next-hop-interface": "eth1",
        "next-hop-address": gateway,
        "metric": 100,
        "weight": weight,
    }
    for gateway, weight in (("192.0.2.1", 1), ("192.0.2.2", 3))
]


def _kernel(state: dict[str, Any], dest: str) -> list[dict[str, Any]]:
    return [r for r in state["routes"]["running"] if r["destination"] == dest]


async def test_route_source_cwnd_types_and_weights_reach_profile_and_kernel(
    demo_sandbox: Sandbox,
) -> None:
    await apply(demo_sandbox, {"routes": {"config": [SRC_CWND, *TYPED, *ECMP]}})
    state = await live(demo_sandbox)
    (kernel,) = _kernel(state, "198.51.100.128/25")
    assert (kernel["source"], kernel["cwnd"], kernel["table-id"]) == ("192.0.2.10", 20, 100)
    config = state["routes"]["config"]
    assert {**SRC_CWND} in config, "read back from NM's profile with every field"
    for typed in TYPED:
        (kernel,) = _kernel(state, typed["destination"])
        assert kernel["route-type"] == typed["route-type"]
        assert "next-hop-interface" not in kernel
        assert {**typed, "table-id": 254} in config
    lo = (await profile_ifaces(demo_sandbox))["lo"]
    assert any(p["ipv4"].get("route-data") for p in lo), "typed routes sit on lo, as nmstate's"
    hops = {(r["next-hop-address"], r["weight"]) for r in _kernel(state, "203.0.113.128/25")}
    assert hops == {("192.0.2.1", 1), ("192.0.2.2", 3)}, "one multipath route, weights kept"
    again = await apply(demo_sandbox, state)  # show's output, applied back: nothing to do
    assert again.prepared.plan.steps == [] and again.prepared.changes == []
    # ... and absent entries take them away again, typed ones from lo too.
    await apply(
        demo_sandbox,
        {
            "routes": {
                "config": [
                    {"destination": "198.51.100.128/25", "state": "absent"},
                    {"route-type": "blackhole", "state": "absent"},
                    {"route-type": "unreachable", "state": "absent"},
                    {"route-type": "prohibit", "state": "absent"},
                    {"destination": "203.0.113.128/25", "weight": 3, "state": "absent"},
                ]
            }
        },
    )
    state = await live(demo_sandbox)
    for route in (SRC_CWND, *TYPED):
        assert not _kernel(state, route["destination"])
    assert [r["next-hop-address"] for r in _kernel(state, "203.0.113.128/25")] == ["192.0.2.1"]


async def test_absent_with_empty_gateway_removes_only_the_gateway_less_route(
    demo_sandbox: Sandbox,
) -> None:
    direct = {"destination": "192.0.2.128/25", "next-hop-interface": "eth1", "table-id": 254}
    await apply(demo_sandbox, {"routes": {"config": [direct]}})
    assert _kernel(await live(demo_sandbox), "192.0.2.128/25")
    pattern = {"next-hop-interface": "eth1", "next-hop-address": "", "state": "absent"}
    await apply(demo_sandbox, {"routes": {"config": [pattern]}})
    state = await live(demo_sandbox)
    assert not _kernel(state, "192.0.2.128/25")
    assert _kernel(state, "203.0.113.0/24"), "the demo's route via 192.0.2.1 stays"
