"""The safety net: every apply runs inside an NM checkpoint, and every way out restores the host.

"Restores" is judged byte for byte on ``nmtui-state show``: after a
rollback (by command, by timeout, after a failed verification, after
Ctrl-C) the host must print exactly what it printed before.

The changes avoid br0: rolling back a bridge profile makes NM re-activate
the bridge, which deletes and re-creates its veth ports (new MACs), a
property of the demo's veth "cables" that real ethernet ports do not have.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

import engine.apply
from engine.backend.nm_checkpoint import list_paths as list_checkpoints
from engine.backend.nm_dbus import NMClient
from engine.errors import ApplyFailed
from engine.verify import Mismatch
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    EXE,
    apply,
    by_name,
    cli,
    ip,
    live,
    show_text,
    write_state,
)

pytestmark = pytest.mark.nm

CHANGE = {
    "interfaces": [
        {
            "name": "eth1",
            "type": "veth",
            "ipv4": {"address": [ip("192.0.2.20", 24)]},
            "ipv6": {"address": [ip("2001:db8:1::20", 64)]},
        },
        {
            "name": "mv2",
            "type": "mac-vlan",
            "mac-vlan": {"base-iface": "eth1", "mode": "bridge"},
            "ipv4": {"enabled": True, "address": [ip("192.0.2.21", 24)]},
        },
    ],
    "routes": {
        "config": [
            {
                "destination": "198.19.0.0/16",
                "next-hop-interface": "eth1",
                "next-hop-address": "192.0.2.1",
            }
        ]
    },
    "dns-resolver": {"config": {"server": ["192.0.2.55"], "search": ["changed.test"]}},
}


@pytest.fixture
def change_file(tmp_path: Path) -> str:
    return write_state(tmp_path, "change.yml", CHANGE)


async def pending(sb: Sandbox) -> list[str]:
    """The checkpoints NM holds (a destroyed, i.e. committed, one is gone from the list)."""
    client = await NMClient.connect(sb.bus_address)
    try:
        return await list_checkpoints(client)
    finally:
        client.close()


def test_no_commit_then_rollback_restores_show(host: Sandbox, change_file: str) -> None:
    before = show_text(host)
    out = cli(host, "apply", "--no-commit", change_file)
    assert out.returncode == 0, out.stderr
    assert "pending: keep with 'nmtui-state commit" in out.stderr
    changed = show_text(host)
    assert changed != before and "mv2" in changed and "changed.test" in changed
    out = cli(host, "rollback")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("rolled back /org/freedesktop/NetworkManager/Checkpoint/")
    assert show_text(host) == before


async def test_no_commit_then_commit_keeps_it(
    host: Sandbox, change_file: str, tmp_path: Path
) -> None:
    before = show_text(host)
    old = by_name(await live(host))["eth1"]
    assert cli(host, "apply", "-q", "--no-commit", "--timeout", "5", change_file).returncode == 0
    assert len(await pending(host)) == 1
    out = cli(host, "commit")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("committed /org/freedesktop/NetworkManager/Checkpoint/")
    assert await pending(host) == []  # destroyed: its timeout can no longer roll anything back
    after = show_text(host)
    assert after != before and "mv2" in after and "changed.test" in after
    out = cli(host, "rollback")
    assert out.returncode == 1 and "nothing to roll back" in out.stderr
    undo = {
        "interfaces": [
            {k: old[k] for k in ("name", "type", "ipv4", "ipv6")},
            {"name": "mv2", "type": "mac-vlan", "state": "absent"},
        ],
        "routes": {"config": [{"destination": "198.19.0.0/16", "state": "absent"}]},
        "dns-resolver": {
            "config": {"server": ["192.0.2.53", "2001:db8:1::53"], "search": ["example.test"]}
        },
    }
    assert cli(host, "apply", "-q", write_state(tmp_path, "undo.yml", undo)).returncode == 0
    assert show_text(host) == before


async def test_timeout_rolls_back_without_us(host: Sandbox, change_file: str) -> None:
    """NM itself rolls back: the CLI has exited before the timeout passes."""
    before = show_text(host)
    started = time.monotonic()
    proc = subprocess.run(
        [EXE, "apply", "-q", "--no-commit", "--timeout", "5", change_file],
        env=host.env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr  # and it has exited: nothing of ours is running
    assert "rolls it back by itself in 5 s" in proc.stderr
    assert show_text(host) != before
    while show_text(host) != before:
        assert time.monotonic() - started < 15, "not rolled back within 15 s"
        time.sleep(0.25)
    assert time.monotonic() - started > 4.5, "rolled back before the timeout"
    assert await pending(host) == []


def test_second_apply_while_pending_names_the_checkpoint(
    host: Sandbox, change_file: str, tmp_path: Path
) -> None:
    before = show_text(host)
    first = cli(host, "apply", "-q", "--no-commit", change_file)
    assert first.returncode == 0, first.stderr
    path = first.stderr.split("checkpoint ", 1)[1].split()[0]
    other = write_state(tmp_path, "other.yml", {"hostname": {"config": "other"}})
    second = cli(host, "apply", other)
    assert second.returncode == 1
    assert path in second.stderr and f"nmtui-state rollback {path}" in second.stderr
    assert "already pending" in second.stderr
    assert cli(host, "rollback", path.rsplit("/", 1)[1]).returncode == 0
    assert show_text(host) == before


def test_real_verification_failure_rolls_back(host: Sandbox, tmp_path: Path) -> None:
    """The kernel refuses a mac-vlan MTU above its base's; NM still calls it activated."""
    before = show_text(host)
    desired = {
        "interfaces": [
            {
                "name": "mv3",
                "type": "mac-vlan",
                "mtu": 9000,
                "mac-vlan": {"base-iface": "eth1", "mode": "bridge"},
            }
        ]
    }
    out = cli(host, "apply", write_state(tmp_path, "mtu.yml", desired))
    assert out.returncode == 1
    assert "verification failed:\nmv3.mtu: wanted 9000, host has 1500\n" in out.stderr
    assert "rolled back; checked: the host is as it was before the apply" in out.stderr
    assert show_text(host) == before


async def test_verification_mismatch_rolls_back_profile_and_hostname(
    host: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mismatch on a changed (not new) profile: the old profile and hostname come back."""
    before = await live(host)

    def mismatch(*_args: Any) -> list[Mismatch]:
        return [Mismatch("eth1.ipv4.address", [ip("192.0.2.30", 24)], [ip("192.0.2.10", 24)])]

    monkeypatch.setattr(engine.apply, "verify", mismatch)
    monkeypatch.setattr(engine.apply, "VERIFY_SECONDS", 0.2)
    desired = {
        "interfaces": [
            {"name": "eth1", "type": "veth", "ipv4": {"address": [ip("192.0.2.30", 24)]}}
        ],
        "hostname": {"config": "never-kept"},
    }
    with pytest.raises(ApplyFailed) as failed:
        await apply(host, desired, memory_only=False)
    message = str(failed.value)
    assert "eth1.ipv4.address: wanted 192.0.2.30/24, host has 192.0.2.10/24" in message
    assert message.endswith("rolled back; checked: the host is as it was before the apply")
    assert await live(host) == before
