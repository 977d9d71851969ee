"""The kernel read in its helper process (engine.backend.netlink_process).

``show`` reads netlink in a short-lived helper so the decoding runs beside
the D-Bus read and its garbage never reaches the caller. These tests pin
what that must not change: the same state as reading in-process, one-line
errors, a fallback when no helper can start, and no helper left behind.
"""

from __future__ import annotations

import asyncio
import gc
import sys
from typing import Any

import pytest

from engine.backend import netlink_process
from engine.backend.netlink import read_kernel
from engine.backend.netlink_process import KernelRead, helper_argv
from engine.gc_pause import gc_paused
from nmtui_state.sandbox import Sandbox


def _result(read: KernelRead) -> Any:
    return asyncio.run(read.result())


def test_helper_reads_what_an_in_process_read_gives(module_demo_sandbox: Sandbox) -> None:
    name = module_demo_sandbox.name
    direct = read_kernel(name)
    via_helper = _result(KernelRead(name))
    assert via_helper.interfaces == direct.interfaces
    assert via_helper.routes == direct.routes
    assert {"eth1", "eth2", "eth3", "br0"} <= set(via_helper.interfaces)
    route = {
        "destination": "203.0.113.0/24",
        "next-hop-interface": "eth1",
        "next-hop-address": "192.0.2.1",
        "metric": 100,
        "table-id": 254,
    }
    assert route in via_helper.routes  # a unicast route survives the kernel-side filter


def test_helper_is_started_safely() -> None:
    """-P: a stray engine/ in a root shell's working directory is never imported."""
    argv = helper_argv("ns0")
    assert argv[:4] == [sys.executable, "-P", "-m", "engine.backend.netlink_process"]
    assert argv[4:] == ["ns0"]
    assert helper_argv(None)[4:] == []


def test_a_failed_read_is_one_line_naming_the_cause() -> None:
    with pytest.raises(OSError) as caught:
        _result(KernelRead("nmtui-no-such-netns"))
    message = str(caught.value)
    assert "\n" not in message
    assert "netlink" in message and "No such file" in message


def test_without_an_interpreter_to_start_it_reads_in_process(
    module_demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(netlink_process.sys, "executable", "/nonexistent/python3")
    read = KernelRead(module_demo_sandbox.name)
    assert read._proc is None
    assert "br0" in _result(read).interfaces


def test_a_broken_helper_falls_back_to_reading_in_process(
    module_demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash = [sys.executable, "-c", "raise ImportError('no pyroute2 here')"]
    monkeypatch.setattr(netlink_process, "helper_argv", lambda netns: crash)
    assert "br0" in _result(KernelRead(module_demo_sandbox.name)).interfaces


def test_cancel_stops_a_running_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    slow = [sys.executable, "-c", "import time; time.sleep(30)"]
    monkeypatch.setattr(netlink_process, "helper_argv", lambda netns: slow)
    read = KernelRead(None)
    proc = read._proc
    assert proc is not None and proc.poll() is None
    read.cancel()
    assert proc.returncode == -9  # killed and reaped: no zombie, no orphan


def test_gc_pause_nests_and_restores() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still holds the pause
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()
