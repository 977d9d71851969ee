"""The kernel read in its helper process (engine.backend.netlink_process).

``show`` reads netlink in a helper so the decoding runs beside the D-Bus
read and its garbage never reaches the caller. These tests pin what that
must not change: the same state as reading in-process, answers matched to
their reads, one-line errors, a fallback when the helper cannot run, one
helper per process, and nothing left behind.
"""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from engine.backend import netlink_process
from engine.backend.netlink import read_kernel
from engine.backend.netlink_process import KernelRead, helper_argv
from engine.comparable import comparable
from engine.errors import NoBackend
from engine.gc_pause import gc_paused
from nmtui_state.sandbox import Sandbox

ROUTE = {
    "destination": "203.0.113.0/24",
    "next-hop-interface": "eth1",
    "next-hop-address": "192.0.2.1",
    "metric": 100,
    "table-id": 254,
}


@pytest.fixture
def fresh_helper(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No helper yet: the test starts its own (and it is ended afterwards)."""
    monkeypatch.setattr(netlink_process, "_helper", None)
    yield
    helper = netlink_process._helper
    if helper is not None and helper.proc.poll() is None:
        helper.close()


def _result(read: KernelRead) -> Any:
    return asyncio.run(read.result())


def _comparable(ifaces: dict[str, Any]) -> dict[str, Any]:
    return comparable({"interfaces": list(ifaces.values())})


def test_helper_reads_what_an_in_process_read_gives(module_demo_sandbox: Sandbox) -> None:
    name = module_demo_sandbox.name
    direct = read_kernel(name)
    via_helper = _result(KernelRead(name))
    # The same but for the bridge timers, which count down between the two reads.
    assert _comparable(via_helper.interfaces) == _comparable(direct.interfaces)
    assert via_helper.routes == direct.routes
    assert {"eth1", "eth2", "eth3", "br0"} <= set(via_helper.interfaces)
    assert ROUTE in via_helper.routes  # a unicast route survives the kernel-side filter


def test_link_facts_carry_oper_state_speed_and_counters(module_demo_sandbox: Sandbox) -> None:
    """What the screen shows of a link, read in the sandbox's netns (not this one's sysfs)."""
    links = _result(KernelRead(module_demo_sandbox.name)).links
    eth1 = links["eth1"]
    assert eth1["operstate"] == "up" and eth1["carrier"] and eth1["up"]
    assert (eth1["speed"], eth1["duplex"]) == (10000, "full")  # veth's ethtool answer
    assert set(eth1["stats"]) >= {"rx_bytes", "tx_bytes", "rx_packets", "tx_packets"}
    assert links["lo"]["operstate"] == "unknown" and "speed" not in links["lo"]


def test_answers_go_to_their_own_reads(
    module_demo_sandbox: Sandbox, sandbox: Sandbox, fresh_helper: None
) -> None:
    """Reads of two hosts, collected in the opposite order, from one helper."""
    demo = KernelRead(module_demo_sandbox.name)
    bare = KernelRead(sandbox.name)

    async def both() -> tuple[Any, Any]:
        bare_state = await bare.result()
        return await demo.result(), bare_state

    demo_state, bare_state = asyncio.run(both())
    assert "br0" in demo_state.interfaces
    assert set(bare_state.interfaces) == {"lo"}
    assert netlink_process._helper is not None
    assert netlink_process._helper.pending() == 0


def test_one_helper_serves_the_process_and_ends_with_its_stdin(
    module_demo_sandbox: Sandbox, fresh_helper: None
) -> None:
    _result(KernelRead(module_demo_sandbox.name))
    helper = netlink_process._helper
    assert helper is not None
    pid = helper.proc.pid
    _result(KernelRead(module_demo_sandbox.name))
    assert netlink_process._helper is helper and helper.proc.pid == pid
    helper.close()
    assert helper.proc.returncode == 0


def test_prestart_starts_the_helper_that_later_reads_use(
    module_demo_sandbox: Sandbox, fresh_helper: None
) -> None:
    netlink_process.prestart()
    helper = netlink_process._helper
    assert helper is not None and helper.proc.poll() is None
    assert "br0" in _result(KernelRead(module_demo_sandbox.name)).interfaces
    assert netlink_process._helper is helper


def test_an_abandoned_read_leaves_nothing_behind(
    module_demo_sandbox: Sandbox, fresh_helper: None
) -> None:
    first = KernelRead(module_demo_sandbox.name)
    first.cancel()
    assert "br0" in _result(KernelRead(module_demo_sandbox.name)).interfaces
    assert netlink_process._helper is not None
    assert netlink_process._helper.pending() == 0  # the dropped answer was discarded


def test_helper_is_started_safely() -> None:
    """-P: a stray engine/ in a root shell's working directory is never imported."""
    assert helper_argv() == [
        sys.executable,
        "-P",
        "-m",
        "engine.backend.netlink_process",
        "--serve",
    ]


def test_a_missing_netns_is_no_backend_in_one_line_naming_the_fix() -> None:
    """A netns that is not there is "no usable backend" (exit 3), not a read error."""
    with pytest.raises(NoBackend) as caught:
        _result(KernelRead("nmtui-no-such-netns"))
    message = str(caught.value)
    assert "\n" not in message
    assert "nmtui-no-such-netns" in message and "does not exist" in message


def test_without_an_interpreter_to_start_it_reads_in_process(
    module_demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, fresh_helper: None
) -> None:
    monkeypatch.setattr(netlink_process.sys, "executable", "/nonexistent/python3")
    read = KernelRead(module_demo_sandbox.name)
    assert read._helper is None
    assert "br0" in _result(read).interfaces


def test_a_helper_that_dies_is_replaced_and_the_read_done_in_process(
    module_demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, fresh_helper: None
) -> None:
    crash = [sys.executable, "-c", "raise ImportError('no pyroute2 here')"]
    monkeypatch.setattr(netlink_process, "helper_argv", lambda: crash)
    read = KernelRead(module_demo_sandbox.name)
    assert "br0" in _result(read).interfaces  # answered by the in-process fallback
    dead = netlink_process._helper
    assert dead is not None and dead.gone
    monkeypatch.undo()
    monkeypatch.setattr(netlink_process, "_helper", dead)
    assert "br0" in _result(KernelRead(module_demo_sandbox.name)).interfaces
    assert netlink_process._helper is not dead  # a new helper took over


def test_the_helper_loop_answers_each_request_line() -> None:
    import io

    answers = io.StringIO()
    netlink_process.serve(io.StringIO("7 nmtui-no-such-netns\n"), answers)
    (line,) = answers.getvalue().splitlines()
    assert '"id": 7' in line and '"no_backend"' in line and "nmtui-no-such-netns" in line


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


def test_the_helper_collects_young_garbage_each_read_and_all_of_it_now_and_then(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Young-generation passes keep reads quick; the periodic full pass keeps the size steady."""
    import io

    passes: list[int] = []
    monkeypatch.setattr(netlink_process.gc, "collect", lambda gen=2: passes.append(gen) or 0)
    every = netlink_process.FULL_COLLECTION_EVERY
    requests = "".join(f"{n} nmtui-no-such-netns\n" for n in range(2 * every))
    netlink_process.serve(io.StringIO(requests), io.StringIO())
    assert len(passes) == 2 * every
    assert passes.count(2) == 2 and set(passes) == {1, 2}
