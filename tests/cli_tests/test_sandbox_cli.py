"""``nmtui-state sandbox``: run a command against a disposable NetworkManager host."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_nm

EXE = str(Path(sys.executable).parent / "nmtui-state")


def _ours() -> tuple[set[int], set[str]]:
    pids = subprocess.run(
        ["pgrep", "-x", "NetworkManager|dbus-daemon"], capture_output=True, text=True
    ).stdout.split()
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return {int(p) for p in pids}, set(netns.split())


def test_sandbox_demo_runs_command_and_cleans_up() -> None:
    require_nm()
    before = _ours()
    out = subprocess.run(
        [EXE, "sandbox", "--demo", "--", "nmcli", "-t", "-f", "DEVICE,STATE", "device"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    states = dict(line.split(":", 1) for line in out.stdout.splitlines())
    assert {states[d] for d in ("eth1", "eth2", "eth3", "br0")} == {"connected"}
    assert _ours() == before


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
