"""An interrupted apply stays interrupted: stopping the checkpoint keep-alive must not
swallow a cancel (Ctrl-C, SIGTERM) of the apply that lands while it stops."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from engine.backend.nm_checkpoint import KeepAlive


async def test_cancel_during_keepalive_exit_reaches_the_caller() -> None:
    started, stopping = asyncio.Event(), asyncio.Event()

    async def slow_to_stop() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            stopping.set()
            await asyncio.sleep(0.5)  # a D-Bus call in flight while the apply ends
            raise

    keep = KeepAlive(None, "/org/freedesktop/NetworkManager/Checkpoint/1", 60)  # type: ignore[arg-type]
    keep._run = slow_to_stop  # type: ignore[method-assign]

    async def apply_body() -> str:
        async with keep:
            await started.wait()
        return "finished as if never interrupted"

    caller = asyncio.create_task(apply_body())
    await stopping.wait()  # the caller is now inside the keep-alive's exit
    caller.cancel()
    result: Any = None
    with pytest.raises(asyncio.CancelledError):
        result = await caller
    assert result is None
