"""The real terminal: ``nmtui-state --sandbox`` in tmux shows the tree with br0 and its ports."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.app_tests.harness import require_tmux
from tests.conftest import require_nm

EXE = str(Path(sys.executable).parent / "nmtui-state")


SOCKET = f"nmtui-test-{uuid.uuid4().hex[:6]}"  # a private tmux server, not the user's


def _tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=True
    ).stdout


def _wait_screen(session: str, cond: object, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if callable(cond) and cond(screen):
            break
        time.sleep(0.2)
    return screen


@pytest.mark.parametrize(
    "term",
    ["TERM=xterm-256color", "TERM=linux", "TERM=xterm NO_COLOR=1"],
    ids=["256-colour", "16-colour-console", "no-colour"],
)
def test_app_in_tmux_shows_the_tree(term: str) -> None:
    """The tree reads the same in colour, on a 16-colour console and without colour."""
    require_nm()
    require_tmux()
    session = f"nmtui-{uuid.uuid4().hex[:6]}"
    _tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "100",
        "-y",
        "30",
        f"{term} {EXE} --sandbox",
    )
    _tmux("set-option", "-s", "escape-time", "0")  # Esc then q must not read as Alt+q
    try:
        screen = _wait_screen(session, lambda s: "eth3" in s and "Hostname" in s)
        lines = screen.splitlines()
        br0 = next(i for i, line in enumerate(lines) if "br0 linux-bridge up" in line)
        assert "eth2 veth up" in lines[br0 + 1] and "eth3 veth up" in lines[br0 + 2]
        assert "Hostname demo-host" in screen
        _tmux("send-keys", "-t", session, "/")
        _wait_screen(session, lambda s: "filter interfaces" in s, timeout=10)
        _tmux("send-keys", "-t", session, "-l", "eth1")
        filtered = _wait_screen(session, lambda s: "br0 linux-bridge" not in s, timeout=10)
        assert "eth1 veth up 192.0.2.10/24" in filtered
        assert "br0 linux-bridge" not in filtered
        _tmux("send-keys", "-t", session, "Escape")
        _wait_screen(session, lambda s: "br0 linux-bridge" in s and "filter inter" not in s)
        _tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            alive = subprocess.run(
                ["tmux", "-L", SOCKET, "has-session", "-t", session], capture_output=True
            )
            if alive.returncode != 0:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("q did not quit the app")
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)


def test_stale_columns_and_lines_do_not_pin_the_size() -> None:
    """``COLUMNS=80 LINES=24`` inherited (readline exports them; a tmux server passes
    them on) lose to the terminal's own size: the app fills the 120x40 pane."""
    require_nm()
    require_tmux()
    session = f"nmtui-{uuid.uuid4().hex[:6]}"
    command = f"COLUMNS=80 LINES=24 TERM=xterm-256color {EXE} --sandbox"
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    try:
        screen = _wait_screen(session, lambda s: "eth3" in s and "Hostname" in s)
        lines = screen.splitlines()
        assert max(len(line.rstrip()) for line in lines) > 100, screen
        assert sum(1 for line in lines if line.strip()) > 30, screen
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
