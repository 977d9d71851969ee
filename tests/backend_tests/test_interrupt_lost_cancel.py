"""An interrupt whose cancel got lost is still honoured: the apply asks before it commits.

Under a CPU hog a SIGINT mid-apply once ended in exit 0 with the change kept:
the cancel never reached the apply. The caller's "was I interrupted?" is now
asked once more before the commit, and the checkpoint is rolled back.
"""

from __future__ import annotations

import asyncio

import pytest

from engine.apply import apply_async
from engine.show import read_live
from nmtui_state.sandbox import Sandbox


async def test_interrupted_apply_is_rolled_back_not_committed(demo_sandbox: Sandbox) -> None:
    sb = demo_sandbox
    before = (await read_live(sb.bus_address, sb.name)).state
    desired = {"interfaces": [{"name": "br9", "type": "linux-bridge", "bridge": {"port": []}}]}
    with pytest.raises(asyncio.CancelledError) as stopped:
        await apply_async(
            desired,
            bus_address=sb.bus_address,
            netns=sb.name,
            stop_requested=lambda: True,
        )
    notes = " ".join(getattr(stopped.value, "__notes__", []))
    assert "rolled back" in notes, notes
    after = (await read_live(sb.bus_address, sb.name)).state
    assert [i["name"] for i in after["interfaces"]] == [i["name"] for i in before["interfaces"]]
