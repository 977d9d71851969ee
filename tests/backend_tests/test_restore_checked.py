"""Every rollback path re-reads the host and says "restored" only when it is.

And what lies outside NetworkManager's checkpoint (the hostname) comes back
even when the process that applied was SIGKILLed: the guardian does it when
NetworkManager's timer rolls back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from engine.backend.nm_checkpoint import list_paths
from engine.backend.nm_dbus import NMClient
from engine.checkpoint import finish
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import EXE, apply, cli, ip, show_text, write_state

pytestmark = pytest.mark.nm

ADDRESS_CHANGE = {
    "interfaces": [
        {"name": "eth1", "type": "veth", "ipv4": {"address": [ip("192.0.2.30", 24)]}},
    ],
}

# The issue's case: eth1 becomes a port of a new bridge; br0's profile takes the DNS.
BRIDGE_OVER_ETH1 = {
    "interfaces": [
        {
            "name": "br1",
            "type": "linux-bridge",
            "bridge": {"port": [{"name": "eth1"}]},
            "ipv4": {"enabled": True, "address": [ip("192.0.2.10", 24)]},
        },
        {"name": "eth1", "type": "veth", "ipv4": {"enabled": False}, "ipv6": {"enabled": False}},
    ],
}


async def _checkpoints(sb: Sandbox) -> list[str]:
    client = await NMClient.connect(sb.bus_address)
    try:
        return await list_paths(client)
    finally:
        client.close()


async def _hostname(sb: Sandbox) -> str:
    client = await NMClient.connect(sb.bus_address)
    try:
        name: str = await client.get(
            "/org/freedesktop/NetworkManager/Settings",
            "org.freedesktop.NetworkManager.Settings",
            "Hostname",
        )
        return name
    finally:
        client.close()


def test_cli_rollback_checks_and_says_restored(host: Sandbox, tmp_path: Path) -> None:
    before = show_text(host)
    out = cli(host, "apply", "-q", "--no-commit", write_state(tmp_path, "a.yml", ADDRESS_CHANGE))
    assert out.returncode == 0, out.stderr
    back = cli(host, "rollback")
    assert back.returncode == 0, back.stderr
    assert "checked: the host is as it was before the apply" in back.stdout
    assert show_text(host) == before


async def test_rollback_that_recreates_links_says_what_differs(demo_sandbox: Sandbox) -> None:
    sb = demo_sandbox
    result = await apply(sb, BRIDGE_OVER_ETH1, commit=False, timeout=60)
    assert result.checkpoint is not None
    done = await finish("rollback", result.checkpoint, sb.bus_address)
    assert done.report is not None and done.report.checked
    text = done.report.format()
    # NM re-creates br0's veth ports when it rolls br0's profile back: said, not hidden.
    assert not done.report.restored, text
    assert "re-created by NetworkManager during the rollback" in text
    assert "far end" in text and "ip link set" in text
    assert "the host is as it was" not in text


def test_cli_rollback_exit_code_follows_the_check(demo_sandbox: Sandbox, tmp_path: Path) -> None:
    sb = demo_sandbox
    out = cli(sb, "apply", "-q", "--no-commit", write_state(tmp_path, "b.yml", BRIDGE_OVER_ETH1))
    assert out.returncode == 0, out.stderr
    back = cli(sb, "rollback")
    assert back.returncode == 1, back.stdout + back.stderr
    assert "difference(s) from before the apply remain" in back.stdout
    assert "re-created" in back.stdout


async def test_failed_apply_reports_the_checked_restore(host: Sandbox) -> None:
    from engine.errors import ApplyFailed

    desired: dict[str, Any] = {
        "interfaces": [{"name": "vl9", "type": "vlan", "vlan": {"base-iface": "eth1", "id": 9}}]
    }
    with pytest.raises(ApplyFailed) as failed:
        await apply(host, desired)
    assert failed.value.report is not None
    assert failed.value.report.restored, str(failed.value)
    assert "checked: the host is as it was before the apply" in str(failed.value)


async def test_sigkill_during_apply_still_restores_hostname(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    """The hostname lies outside NM's checkpoint: the detached guardian puts it back."""
    sb = demo_sandbox
    old = await _hostname(sb)
    desired = {
        "hostname": {"config": "killed-midway"},
        "interfaces": [
            {
                "name": "br5",
                "type": "linux-bridge",
                "ipv4": {"enabled": True, "address": [ip("198.18.5.1", 24)]},
            }
        ],
    }
    proc = subprocess.Popen(
        [EXE, "apply", "--timeout", "4", write_state(tmp_path, "k.yml", desired)],
        env=sb.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()  # the apply has started working inside its checkpoint
    assert first.startswith("  "), first
    deadline = time.monotonic() + 10
    while await _hostname(sb) != "killed-midway" and time.monotonic() < deadline:
        await asyncio.sleep(0.05)  # the hostname step runs early; wait for it, not a time
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stderr.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not await _checkpoints(sb) and await _hostname(sb) == old:
            break
        await asyncio.sleep(0.1)
    assert await _checkpoints(sb) == []
    assert await _hostname(sb) == old
    records = list((sb.root / "run").rglob("checkpoint-*.json"))
    deadline = time.monotonic() + 10
    while records and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        records = [r for r in records if r.exists()]
    assert records == [], "the guardian leaves no record behind"
