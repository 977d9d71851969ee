"""The hostname as nmstate's integration tests (``tests/integration/hostname_test.py``)
mean it, on a real NetworkManager in its own UTS namespace and /etc overlay.

nmstate reads the running name with ``hostname`` and the static one from
/etc/hostname; here the running name is read in NM's UTS namespace
(:mod:`engine.backend.uts`) and /etc/hostname in the sandbox's overlay. NM 1.42
puts its static name back as the running one on its next policy update, so a
running name is checked as the apply's verification saw it, straight after.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from engine.backend.nm_dbus import NMClient
from engine.backend.uts import nm_pid, running_hostname
from engine.errors import InvalidInput
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import apply, cli, live, show_text, write_state

pytestmark = pytest.mark.nm

NAME1 = "nmstate-test1.example.org"
NAME2 = "nmstate-test2.example.org"


def etc_hostname(sb: Sandbox) -> Path:
    """/etc/hostname as NM wrote it (the sandbox's /etc is an overlay on this upper dir)."""
    return sb.root / "etc-upper" / "hostname"


async def running(sb: Sandbox) -> str:
    client = await NMClient.connect(sb.bus_address)
    try:
        return running_hostname(await nm_pid(client))
    finally:
        client.close()


@pytest.fixture
async def restore_hostname(host: Sandbox) -> AsyncIterator[Sandbox]:
    before = (await live(host))["hostname"]
    yield host
    await apply(host, {"hostname": {"config": before["config"]}})


async def test_hostname_set_chg_and_clear(restore_hostname: Sandbox) -> None:
    sb = restore_hostname
    await apply(sb, {"hostname": {"config": NAME1}})
    assert etc_hostname(sb).read_text().strip() == NAME1
    deadline = time.monotonic() + 10  # NM sets the running name from its policy, just after
    while await running(sb) != NAME1:
        assert time.monotonic() < deadline, "NM did not take the static name as running"
        await asyncio.sleep(0.05)
    result = await apply(sb, {"hostname": {"running": NAME2, "config": ""}})
    assert result.prepared.plan.running_hostname == NAME2
    assert not etc_hostname(sb).exists() or not etc_hostname(sb).read_text().strip()
    assert (await live(sb))["hostname"].get("config") in (None, "")


async def test_hostname_set_config_in_memory_only(
    restore_hostname: Sandbox, tmp_path: Path
) -> None:
    """nmstate refuses it (its verification fails: it does not write /etc/hostname when
    not saving to disk); here it is refused up front, exit 2, the host untouched."""
    sb = restore_hostname
    before = show_text(sb)
    state = {"hostname": {"running": NAME2, "config": NAME2}}
    with pytest.raises(InvalidInput) as refused:
        await apply(sb, state, memory_only=True)
    assert str(refused.value).startswith("hostname.config: ")
    assert "memory-only" in str(refused.value)
    out = cli(sb, "apply", "--memory-only", write_state(tmp_path, "h.yml", state))
    assert out.returncode == 2, out.stderr
    assert "hostname.config" in out.stderr and "without --memory-only" in out.stderr
    assert show_text(sb) == before
    assert await running(sb) != NAME2


async def test_hostname_set_config_in_memory_only_unchanged_is_fine(
    restore_hostname: Sandbox,
) -> None:
    """The same static name again writes nothing, so memory-only takes it (nmstate's
    verification passes too)."""
    sb = restore_hostname
    same = (await live(sb))["hostname"]["config"]
    await apply(sb, {"hostname": {"config": same, "running": NAME1}}, memory_only=True)


async def test_hostname_set_in_memory_only(restore_hostname: Sandbox) -> None:
    sb = restore_hostname
    config = etc_hostname(sb).read_text() if etc_hostname(sb).exists() else None
    result = await apply(sb, {"hostname": {"running": NAME2}}, memory_only=True)
    assert result.prepared.plan.running_hostname == NAME2
    assert result.prepared.plan.hostname is None
    assert (etc_hostname(sb).read_text() if etc_hostname(sb).exists() else None) == config


async def test_hostname_set_different_running_and_config(restore_hostname: Sandbox) -> None:
    sb = restore_hostname
    result = await apply(sb, {"hostname": {"running": NAME1, "config": NAME2}})
    assert (result.prepared.plan.running_hostname, result.prepared.plan.hostname) == (NAME1, NAME2)
    assert etc_hostname(sb).read_text().strip() == NAME2
    assert (await live(sb))["hostname"]["config"] == NAME2
