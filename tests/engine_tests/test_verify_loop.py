"""apply's verification loop: when it re-reads the host (engine.apply._verify_loop).

NM signals a device change (a removal, a state) when a mismatch is about to
resolve; the loop must re-read at once then, and otherwise poll briefly,
never sleeping a fixed interval. The host reads are faked here; the real
ones are exercised by every apply in the sandbox tests.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

from engine import apply as apply_mod
from engine.apply import Prepared, _verify_loop
from engine.backend.nm_steps import Plan
from engine.show import LiveState

WANTED = {"interfaces": [{"name": "br9", "type": "linux-bridge", "state": "absent"}]}
STILL_THERE = {"interfaces": [{"name": "br9", "type": "linux-bridge", "state": "up"}]}
GONE: dict[str, Any] = {"interfaces": []}


class FakeClient:
    """Records the signals the loop listens to, and can fire them."""

    def __init__(self) -> None:
        self.handlers: list[tuple[str, Callable[[Any], None]]] = []

    async def on_signal(self, interface: str, member: str, handler: Callable[[Any], None]) -> None:
        self.handlers.append((member, handler))

    def fire(self, member: str) -> None:
        for name, handler in self.handlers:
            if name == member:
                handler(None)


def _prepared() -> Prepared:
    return Prepared(WANTED, STILL_THERE, WANTED, [], Plan(steps=[]))


def _run(monkeypatch: pytest.MonkeyPatch, client: FakeClient, signal: str | None) -> int:
    """Run the loop over a host whose device is gone from the second read on; the reads."""
    reads = 0

    async def read_live(*_args: Any, **_kwargs: Any) -> LiveState:
        nonlocal reads
        reads += 1
        if reads == 1:
            if signal:  # NM removes the device just after the first read
                asyncio.get_running_loop().call_soon(client.fire, signal)
            return LiveState(STILL_THERE)
        return LiveState(GONE)

    monkeypatch.setattr(apply_mod, "read_live", read_live)
    loop = _verify_loop(_prepared(), None, None, client)  # type: ignore[arg-type]
    mismatches = asyncio.run(asyncio.wait_for(loop, timeout=10))  # hangs if nothing wakes it
    assert mismatches == []
    return reads


@pytest.mark.parametrize("signal", ["DeviceRemoved", "StateChanged"])
def test_an_nm_signal_triggers_the_recheck(monkeypatch: pytest.MonkeyPatch, signal: str) -> None:
    # Polling would wait longer than the test runs: only the signal can wake the loop.
    monkeypatch.setattr(apply_mod, "RECHECK_FIRST", 60.0)
    monkeypatch.setattr(apply_mod, "VERIFY_SECONDS", 120.0)
    client = FakeClient()
    assert _run(monkeypatch, client, signal) == 2
    assert {name for name, _ in client.handlers} == {"DeviceRemoved", "StateChanged"}


def test_without_a_signal_it_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Addresses reach the kernel without an NM signal: a short poll catches them."""
    assert _run(monkeypatch, FakeClient(), None) == 2


ROUTE = {
    "destination": "2001:db8:e::/64",
    "next-hop-interface": "eth1",
    "next-hop-address": "2001:db8:1::f",
    "source": "2001:db8:1::10",
    "table-id": 254,
}


def test_a_route_on_its_way_to_the_kernel_is_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """NM holds an IPv6 route with a source but installs it once that address has passed
    duplicate address detection (2 s seen): the loop keeps reading, as nmstate's 5 s
    verification does, instead of giving up after STABLE_SECONDS of the same mismatch."""
    monkeypatch.setattr(apply_mod, "STABLE_SECONDS", 0.05)
    wanted = {"routes": {"config": [ROUTE]}}
    waiting = {"routes": {"config": [ROUTE], "running": []}, "interfaces": []}
    there = {"routes": {"config": [ROUTE], "running": [ROUTE]}, "interfaces": []}
    start = time.monotonic()  # the clock of asyncio's loop.time()

    async def read_live(*_args: Any, **_kwargs: Any) -> LiveState:
        late = time.monotonic() - start > 0.3
        return LiveState(there if late else waiting)

    monkeypatch.setattr(apply_mod, "read_live", read_live)
    prepared = Prepared(wanted, {}, wanted, [], Plan(steps=[]))
    loop = _verify_loop(prepared, None, None, FakeClient())  # type: ignore[arg-type]
    assert asyncio.run(asyncio.wait_for(loop, timeout=10)) == []
