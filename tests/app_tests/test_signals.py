"""Safety without the app: SIGKILL leaves NM's timer to roll back; SIGHUP rolls back at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from nmtui_state.sandbox import Sandbox
from tests.app_tests.harness import settled_show, show

REPO = Path(__file__).resolve().parents[2]


def _start(sb: Sandbox, countdown: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.app_tests.drive_countdown", str(countdown)],
        cwd=REPO,
        env=sb.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "COUNTDOWN", line
    return proc


def _br0_v4(text: str) -> object:
    ifaces = {i["name"]: i for i in yaml.safe_load(text)["interfaces"]}
    return ifaces["br0"]["ipv4"]["address"]


def test_sigkill_during_countdown_nm_rolls_back(demo_sandbox: Sandbox) -> None:
    before = show(demo_sandbox)
    proc = _start(demo_sandbox, countdown=6)
    killed_at = time.monotonic()
    assert _br0_v4(show(demo_sandbox)) == [{"ip": "198.51.100.9", "prefix-length": 24}]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    # No process of ours is left to roll back: only NetworkManager's own timer can.
    assert settled_show(demo_sandbox, before, timeout=20) == before
    assert time.monotonic() - killed_at < 20


def test_sighup_rolls_back_immediately(demo_sandbox: Sandbox) -> None:
    before = show(demo_sandbox)
    proc = _start(demo_sandbox, countdown=120)
    assert _br0_v4(show(demo_sandbox)) != _br0_v4(before)
    sent = time.monotonic()
    os.kill(proc.pid, signal.SIGHUP)
    proc.wait(timeout=20)
    assert settled_show(demo_sandbox, before, timeout=10) == before
    assert time.monotonic() - sent < 20  # far sooner than the 120 s NM deadline
