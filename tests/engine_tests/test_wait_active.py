"""Waiting for activations: a state change that lands while the wait itself talks to
NetworkManager wakes it, instead of being cleared and waited out."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest

from engine.backend import nm_exec
from engine.backend.nm_dbus import ACTIVE_ACTIVATED, NMClient

ACTIVATING = 1


class SignalDuringLeaseCheck(nm_exec.Executor):
    """The activation's ACTIVATED signal arrives while the lease check awaits D-Bus."""

    async def _waits_only_for_a_lease(self, path: str) -> bool:
        await asyncio.sleep(0)  # the D-Bus round trip: other callbacks run meanwhile
        self.watch.on_signal(cast(Any, _Signal(path)))
        return False


class _Signal:
    def __init__(self, path: str) -> None:
        self.path = path
        self.body = [ACTIVE_ACTIVATED, 0]


async def test_a_signal_during_the_lease_check_is_not_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(nm_exec, "ACTIVE_RECHECK_S", 60.0)  # a lost wakeup would hang
    executor = SignalDuringLeaseCheck(client=cast(NMClient, None))
    executor.pending["/active/1"] = "br9"
    executor.watch.states["/active/1"] = (ACTIVATING, 0)
    async with asyncio.timeout(10):
        await executor.wait_active(timeout=30)
