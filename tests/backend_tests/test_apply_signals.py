"""Signals during an apply: Ctrl-C, SIGTERM and SIGHUP roll back at once; ignored ones stay ignored.

A process started with a signal ignored keeps it ignored (``nohup`` ignores
SIGHUP, a background job of a script ignores SIGINT): such an apply goes on
and is kept. The child's dispositions are set explicitly, so the tests do
not depend on how pytest itself was started (a suite run as a background
job inherits SIGINT ignored).
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    EXE,
    cli,
    ip,
    profile_ifaces,
    show_text,
    write_state,
)

pytestmark = pytest.mark.nm

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _bridge(name: str) -> dict[str, Any]:
    """A port-less bridge with static IPv4: its apply takes about 2 s (activation, verify)."""
    return {
        "interfaces": [
            {
                "name": name,
                "type": "linux-bridge",
                "bridge": {"port": []},
                "ipv4": {"enabled": True, "address": [ip("10.8.0.1", 24)]},
            }
        ]
    }


def _interrupt(
    sb: Sandbox, tmp_path: Path, signum: int, name: str, ignored: bool = False, times: int = 1
) -> subprocess.CompletedProcess[str]:
    """Start an apply, and signal it mid-way.

    "Mid-way" is the first progress line (a plan step started inside the
    checkpoint), not a fixed delay: on a loaded machine 0.5 s can pass before
    the process has even imported the engine. ``ignored`` starts the child
    with ``signum`` ignored, as ``nohup`` or a shell's ``&`` do; ``times``
    sends the signal that many times in a row (an impatient Ctrl-C).
    """

    def dispositions() -> None:
        for s in HANDLED:
            signal.signal(s, signal.SIG_DFL)
        if ignored:
            signal.signal(signum, signal.SIG_IGN)

    proc = subprocess.Popen(
        [EXE, "apply", write_state(tmp_path, f"{name}.yml", _bridge(name))],
        env=sb.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=dispositions,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()  # blocks until the apply reports its first step
    assert first.startswith("  "), first
    assert proc.poll() is None, "the apply finished before it could be interrupted"
    proc.send_signal(signum)
    said = ""
    for _ in range(times - 1):
        # A signal sent while the last is still pending merges with it: wait until the
        # first one is seen (the apply says it rolls back), then send the next.
        while "rolling back" not in said:
            line = proc.stderr.readline()
            assert line, f"the apply ended before it said it rolls back: {said}"
            said += line
        proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, first + said + err)


@pytest.mark.parametrize(
    ("signum", "name"),
    [(signal.SIGINT, "br7"), (signal.SIGTERM, "br8"), (signal.SIGHUP, "br9")],
    ids=["SIGINT", "SIGTERM", "SIGHUP"],
)
async def test_interrupt_rolls_back(host: Sandbox, tmp_path: Path, signum: int, name: str) -> None:
    before = show_text(host)
    out = _interrupt(host, tmp_path, signum, name)
    assert out.returncode == 128 + signum, out.stderr
    assert f"interrupted ({signal.Signals(signum).name})" in out.stderr
    assert "rolled back" in out.stderr
    assert show_text(host) == before
    assert name not in await profile_ifaces(host)


async def test_second_ctrl_c_does_not_cut_the_rollback_short(host: Sandbox, tmp_path: Path) -> None:
    before = show_text(host)
    out = _interrupt(host, tmp_path, signal.SIGINT, "br4", times=2)
    assert out.returncode == 130, out.stderr
    assert "still rolling back" in out.stderr
    assert "rolled back; checked: the host is as it was before the apply" in out.stderr
    assert show_text(host) == before
    assert "br4" not in await profile_ifaces(host)


@pytest.mark.parametrize(
    ("signum", "name"),
    [(signal.SIGHUP, "br5"), (signal.SIGINT, "br6")],
    ids=["nohup-SIGHUP", "background-SIGINT"],
)
async def test_ignored_signal_lets_the_apply_finish(
    host: Sandbox, tmp_path: Path, signum: int, name: str
) -> None:
    out = _interrupt(host, tmp_path, signum, name, ignored=True)
    try:
        assert out.returncode == 0, out.stderr
        assert "interrupted" not in out.stderr
        assert name in await profile_ifaces(host)
    finally:
        gone = {"interfaces": [{"name": name, "type": "linux-bridge", "state": "absent"}]}
        assert cli(host, "apply", write_state(tmp_path, "gone.yml", gone)).returncode == 0
    assert name not in await profile_ifaces(host)
