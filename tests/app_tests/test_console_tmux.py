"""The set-up console on a VT220 line: 80x24, TERM=vt220, NO_COLOR, keys only.

A scripted key sequence sets eth1 static with a gateway and DNS, keeps it
at the countdown, and the file the console wrote re-applies as a no-op.
Every byte the console sends to the terminal is checked to be ASCII (what
a VT220 draws in its default set), not just the text tmux shows.
"""

from __future__ import annotations

import re
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from nmtui_state.console.text import vt220_safe
from nmtui_state.sandbox import Sandbox
from tests.app_tests.harness import require_tmux
from tests.backend_tests.apply_helpers import EXE, by_name, cli, live

SOCKET = f"nmtui-console-{uuid.uuid4().hex[:6]}"


def _tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=True
    ).stdout


def _screen(session: str) -> str:
    return _tmux("capture-pane", "-p", "-t", session)


def _wait(session: str, cond: Callable[[str], bool], timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    screen = _screen(session)
    while not cond(screen):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; the screen was:\n{screen}")
        time.sleep(0.1)
        screen = _screen(session)
    return screen


@pytest.mark.slow
async def test_console_sets_eth1_static_on_a_vt220(demo_sandbox: Sandbox, tmp_path: Path) -> None:
    require_tmux()
    env = demo_sandbox.env()
    out = tmp_path / "nmstate" / "00-console.applied"
    raw = tmp_path / "raw.out"
    session = f"console-{uuid.uuid4().hex[:6]}"
    cmd = (
        f"env -i PATH=/usr/bin:/bin TERM=vt220 NO_COLOR=1 "
        f"DBUS_SYSTEM_BUS_ADDRESS={env['DBUS_SYSTEM_BUS_ADDRESS']} "
        f"NMTUI_STATE_NETNS={env['NMTUI_STATE_NETNS']} "
        f"{EXE} console -c {tmp_path / 'nmstate'} --status '' --countdown 30; "
        f"echo console-exit=$?; sleep 30"
    )
    _tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", "sh", "-c", cmd)
    _tmux("set-option", "-s", "escape-time", "0")
    _tmux("pipe-pane", "-t", session, "-o", f"cat >> {raw}")  # every byte the app sends
    screens: list[str] = []

    def see(cond: Callable[[str], bool]) -> str:
        screens.append(_wait(session, cond))
        return screens[-1]

    def keys(*k: str, literal: bool = False) -> None:
        _tmux("send-keys", "-t", session, *(["-l"] if literal else []), *k)

    def fill(label: str, text: str) -> None:
        """Clear the focused field, type, and see it land before moving on (as a person would)."""
        see(lambda s: f"> {label}" in s)
        keys("C-u")
        see(lambda s: any(line.rstrip() == f"> {label}" for line in s.splitlines()))
        keys(text, literal=True)
        see(lambda s: f"> {label:<13} {text}" in s)
        if label != "Hostname":
            keys("Enter")

    try:
        first = see(lambda s: "> eth1" in s)
        assert "carrier  02:00:00:00:00:01" in first
        assert "Why this screen: no default route" in first
        keys("Enter")
        see(lambda s: "How should eth1 be set up?" in s)
        keys("Down")
        see(lambda s: "> Static address" in s)
        keys("Enter")
        form = see(lambda s: "> Address       192.0.2.10/24" in s)
        assert "DNS servers   192.0.2.53, 2001:db8:1::53" in form  # started from the host
        fill("Address", "192.0.2.50/24")
        fill("Gateway", "192.0.2.1")
        fill("DNS servers", "192.0.2.53 198.51.100.53")
        fill("Hostname", "console-host")
        keys("Enter")
        review = see(lambda s: "Enter applies" in s)
        assert "~ eth1: ipv4 address 192.0.2.10/24 -> 192.0.2.50/24" in review
        assert "0.0.0.0/0 via 192.0.2.1 dev eth1" in review
        keys("Enter")
        # Keys answer once the key line shows them (a typed-ahead Enter must not keep).
        countdown = see(lambda s: "reverts by itself in" in s and "Enter/y KEEP" in s)
        assert re.search(r"Applied [1-9]\d* change\(s\)\.", countdown), countdown
        keys("Enter")
        done = see(lambda s: "Kept; written to" in s)
        assert "192.0.2.50/24" in done
        keys("q")
        see(lambda s: "console-exit=0" in s)
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)

    for screen in screens:
        assert vt220_safe(screen), screen
    stream = raw.read_bytes()
    assert stream, "pipe-pane recorded nothing"
    assert all(b < 0x80 for b in stream), sorted({b for b in stream if b >= 0x80})

    state = await live(demo_sandbox)
    eth1 = by_name(state)["eth1"]
    assert eth1["ipv4"]["address"] == [{"ip": "192.0.2.50", "prefix-length": 24}]
    assert state["dns-resolver"]["config"]["server"] == ["192.0.2.53", "198.51.100.53"]
    assert state["hostname"]["config"] == "console-host"
    assert any(r["destination"] == "0.0.0.0/0" for r in state["routes"]["running"])
    pending = cli(demo_sandbox, "commit")  # Keep committed: nothing is left pending
    assert pending.returncode == 1 and "no checkpoint is pending" in pending.stderr
    # The file on disk is the state that was kept: applying it again changes nothing.
    again = cli(demo_sandbox, "apply", str(out))
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "nothing to change"
