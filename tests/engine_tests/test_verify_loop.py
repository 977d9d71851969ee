"""apply's verification loop: when it re-reads the host (engine.apply._verify_loop).

NM signals a device change (a removal, a state) when a mismatch is about to
resolve; the loop must re-read at once then, and otherwise poll briefly,
never sleeping a fixed interval. The host reads are faked here; the real
ones are exercised by every apply in the sandbox tests.
"""

from __future__ import annotations

import asyncio
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
