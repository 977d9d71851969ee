"""``nmtui-state sandbox``: run a command against a disposable NetworkManager host."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nmtui_state.sandbox import Sandbox
from tests.conftest import require_nm

EXE = str(Path(sys.executable).parent / "nmtui-state")


def _netns() -> set[str]:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def _processes_on_bus(address: str) -> list[int]:
    """PIDs whose environment points at ``address`` (what the sandbox started)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"DBUS_SYSTEM_BUS_ADDRESS={address}".encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def test_sandbox_demo_runs_command_and_cleans_up() -> None:
    require_nm()
    script = 'echo "$NMTUI_STATE_NETNS $DBUS_SYSTEM_BUS_ADDRESS"; nmcli -t -f DEVICE,STATE device'
    out = subprocess.run(
        [EXE, "sandbox", "--demo", "--", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    first, *rest = out.stdout.splitlines()
    netns, address = first.split()
    states = dict(line.split(":", 1) for line in rest)
    assert {states[d] for d in ("eth1", "eth2", "eth3", "br0")} == {"connected"}
    assert netns not in _netns()
    assert _processes_on_bus(address) == []  # NetworkManager of that sandbox is gone
    socket_path = address.removeprefix("unix:path=")
    assert not Path(socket_path).exists()  # and its dbus-daemon's temp dir with it


def test_sandbox_command_runs_inside_the_netns() -> None:
    require_nm()
    out = subprocess.run(
        [EXE, "sandbox", "--demo", "--", "ip", "-o", "link", "show", "br0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and "br0" in out.stdout
    assert subprocess.run(["ip", "link", "show", "br0"], capture_output=True).returncode != 0


def test_sandbox_exit_code_is_the_commands() -> None:
    require_nm()
    out = subprocess.run(
        [EXE, "sandbox", "--", "sh", "-c", "exit 7"], capture_output=True, timeout=60
    )
    assert out.returncode == 7


def test_without_root_one_line_and_exit_3() -> None:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to drop privileges with setpriv")
    out = subprocess.run(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            EXE,
            "sandbox",
            "--",
            "true",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": "/tmp"},
    )
    assert out.returncode == 3, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "root" in lines[0] and "sudo" in lines[0]


def _leak_a_sandbox() -> tuple[str, Path, subprocess.Popen[str]]:
    """Start ``sandbox -- CMD`` and SIGKILL the nmtui-state process once CMD runs."""
    script = 'echo "$NMTUI_STATE_NETNS $DBUS_SYSTEM_BUS_ADDRESS"; exec sleep 600'
    owner = subprocess.Popen(
        [EXE, "sandbox", "--", "sh", "-c", script], stdout=subprocess.PIPE, text=True
    )
    assert owner.stdout is not None
    netns, address = owner.stdout.readline().split()  # the command runs: the sandbox is up
    owner.kill()
    owner.wait()
    root = Path(address.removeprefix("unix:path=")).parent
    return netns, root, owner


def test_a_sigkilled_owner_leaves_nothing_after_cleanup() -> None:
    """SIGKILL gives no teardown: the leak is real, and ``--cleanup`` removes all of it."""
    require_nm()
    netns, root, _ = _leak_a_sandbox()
    assert netns in _netns() and root.exists()  # what the SIGKILL left behind
    out = subprocess.run([EXE, "sandbox", "--cleanup"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert f"removed stale sandbox: netns {netns} and {root}" in out.stdout
    assert netns not in _netns()
    assert not root.exists()


def test_the_next_start_removes_stale_sandboxes_but_not_live_ones(sandbox: Sandbox) -> None:
    """A new sandbox sweeps leftovers whose owner died; a live one (this test's) is kept."""
    netns, root, _ = _leak_a_sandbox()
    with Sandbox():
        assert netns not in _netns() and not root.exists()
        assert sandbox.name in _netns() and sandbox.root.exists()
    out = subprocess.run([EXE, "sandbox", "--cleanup"], capture_output=True, text=True, timeout=60)
    assert sandbox.name not in out.stdout
    assert sandbox.name in _netns() and sandbox.root.exists()
