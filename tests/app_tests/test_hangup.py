"""The terminal goes away during a countdown: the change is rolled back and the app ends.

Before the fix the rollback happened, but Textual's exit then blocked for
ever writing to the hung-up terminal, and the orphan ignored SIGTERM.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import yaml

from nmtui_state.sandbox import Sandbox
from tests.app_tests.harness import require_tmux, settled_show, show

EXE = str(Path(sys.executable).parent / "nmtui-state")
SOCKET = f"nmtui-hup-{uuid.uuid4().hex[:6]}"  # a private tmux server
DRAFT = {
    "interfaces": [
        {
            "name": "br0",
            "type": "linux-bridge",
            "ipv4": {"enabled": True, "address": [{"ip": "198.51.100.9", "prefix-length": 24}]},
        }
    ]
}


def _tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=True
    ).stdout


def _wait_screen(session: str, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return
        time.sleep(0.1)  # polling a condition with a deadline
    raise AssertionError(f"{text!r} not on screen within {timeout} s:\n{screen}")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_terminal_gone_during_countdown_rolls_back_and_exits(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    require_tmux()
    before = show(demo_sandbox)
    draft = tmp_path / "draft.yml"
    draft.write_text(yaml.safe_dump(DRAFT))
    keys = ("DBUS_SYSTEM_BUS_ADDRESS", "NMTUI_STATE_NETNS")
    env = " ".join(f"{key}={demo_sandbox.env()[key]}" for key in keys)
    session = f"hup-{uuid.uuid4().hex[:6]}"
    _tmux(
        "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
        f"exec env TERM=xterm-256color {env} {EXE} --countdown 120 {draft}",
    )  # fmt: skip
    try:
        pid = int(_tmux("display-message", "-p", "-t", session, "#{pane_pid}"))
        _wait_screen(session, "Hostname demo-host")
        _tmux("send-keys", "-t", session, "v")
        _wait_screen(session, "no problems")
        _tmux("send-keys", "-t", session, "C-a")
        _wait_screen(session, "Keep (Enter)")
        assert show(demo_sandbox) != before
        _tmux("kill-session", "-t", session)  # the terminal goes away: SIGHUP
        deadline = time.monotonic() + 20
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, 9)  # our own child: do not leave it behind
            raise AssertionError("the app did not exit within 20 s of the hangup")
        assert settled_show(demo_sandbox, before, timeout=15) == before
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
