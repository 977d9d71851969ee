"""MTU as nmstate's integration tests (``tests/integration/ethernet_mtu_test.py``) mean
it, on a real NetworkManager and kernel, with the demo's eth1 as nmstate's eth1.

Each test takes eth1 as ``show`` prints it (nmstate's ``statelib.show_only``),
changes the MTU and applies it back. nmstate's two-VLANs case runs here on two
MAC-VLANs over eth1 (this kernel has no 8021q); its VLAN form is planned in
test_apply_plan (test_mtu_on_two_vlans_with_a_shared_base_reaches_each_profile).
"""

from __future__ import annotations

import copy
import itertools
import select
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from engine.errors import InvalidInput
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import apply, by_name, live, show_text

pytestmark = pytest.mark.nm


async def show_only(sb: Sandbox, name: str = "eth1") -> dict[str, Any]:
    return {"interfaces": [copy.deepcopy(by_name(await live(sb))[name])]}


def kernel_mtu(sb: Sandbox, name: str) -> int:
    """The kernel's own MTU (``/sys/class/net`` shows the reader's namespace: read inside)."""
    out = subprocess.run(
        ["ip", "netns", "exec", sb.name, "cat", f"/sys/class/net/{name}/mtu"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout)


async def set_mtu(sb: Sandbox, mtu: int) -> dict[str, Any]:
    desired = await show_only(sb)
    desired["interfaces"][0]["mtu"] = mtu
    await apply(sb, desired)
    return desired


async def assert_state(sb: Sandbox, desired: dict[str, Any]) -> None:
    shown = by_name(await live(sb))
    for iface in desired["interfaces"]:
        assert shown[iface["name"]]["mtu"] == iface["mtu"]
        assert kernel_mtu(sb, iface["name"]) == iface["mtu"]


@pytest.fixture
async def eth1(host: Sandbox) -> Any:
    """eth1 back at 1500 with its addresses after each test."""
    before = await show_only(host)
    yield host
    await apply(host, before)


@pytest.mark.parametrize("mtu", [1900, 1400, 9000, 10000], ids=lambda m: f"mtu{m}")
async def test_change_iface_mtu(eth1: Sandbox, mtu: int) -> None:
    """Increase, decrease, the jumbo limit and beyond it (a veth takes up to 65535)."""
    await assert_state(eth1, await set_mtu(eth1, mtu))


async def test_decrease_to_ipv6_min_ethernet_frame_size(eth1: Sandbox) -> None:
    assert (await show_only(eth1))["interfaces"][0]["ipv6"]["enabled"] is True
    await assert_state(eth1, await set_mtu(eth1, 1280))


async def test_lower_than_ipv6_minimum_is_refused_and_nothing_changes(eth1: Sandbox) -> None:
    before = show_text(eth1)
    with pytest.raises(InvalidInput) as refused:
        await set_mtu(eth1, 1279)
    assert "interfaces[eth1].mtu" in str(refused.value) and "1280" in str(refused.value)
    assert show_text(eth1) == before


async def test_mtu_576_without_ipv6(eth1: Sandbox) -> None:
    desired = await show_only(eth1)
    desired["interfaces"][0]["ipv6"] = {"enabled": False}
    desired["interfaces"][0]["mtu"] = 576
    await apply(eth1, desired)
    await assert_state(eth1, desired)
    assert by_name(await live(eth1))["eth1"]["ipv6"] == {"enabled": False}


async def test_set_mtu_on_two_children_with_a_shared_base(eth1: Sandbox) -> None:
    kids = [
        {"name": f"mv{n}", "type": "mac-vlan", "mac-vlan": {"base-iface": "eth1", "mode": "bridge"}}
        for n in (101, 102)
    ]
    await apply(eth1, {"interfaces": kids})
    try:
        desired = {"interfaces": [(await show_only(eth1))["interfaces"][0], *copy.deepcopy(kids)]}
        for iface in desired["interfaces"]:
            iface["mtu"] = 2000
        await apply(eth1, desired)
        await assert_state(eth1, desired)
    finally:
        await apply(eth1, {"interfaces": [{"name": k["name"], "state": "absent"} for k in kids]})


@contextmanager
def link_monitor(sb: Sandbox, name: str) -> Iterator[list[str]]:
    """``ip monitor link`` in the sandbox, listening before the body runs; yields the
    lines about ``name`` once the body is done.

    Listening means: a change made after the monitor started (eth1p's queue length,
    the unmanaged far end) has come through. It is made again until one does.
    """
    proc = subprocess.Popen(
        ["ip", "-n", sb.name, "-o", "monitor", "link"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 20
        for qlen in itertools.cycle((1001, 1000)):
            assert time.monotonic() < deadline, "ip monitor never reported a change"
            subprocess.run(
                ["ip", "-n", sb.name, "link", "set", "eth1p", "txqueuelen", str(qlen)], check=True
            )
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            if ready and "eth1p" in proc.stdout.readline():
                break
        yield lines
    finally:
        subprocess.run(["ip", "-n", sb.name, "link", "set", "eth1p", "txqueuelen", "1000"])
        proc.terminate()
        rest, _ = proc.communicate(timeout=10)
        lines += [
            line for line in rest.splitlines() if f": {name}:" in line or f": {name}@" in line
        ]


async def test_change_mtu_with_stable_link_up(eth1: Sandbox) -> None:
    """The link never goes down for an MTU change (a Reapply, not a re-activation)."""
    with link_monitor(eth1, "eth1") as events:
        desired = await set_mtu(eth1, 1900)
    await assert_state(eth1, desired)
    assert events, "the MTU change itself was seen by the monitor"
    assert not [e for e in events if "state DOWN" in e or "NO-CARRIER" in e], events


async def test_empty_state_preserves_the_old_mtu(eth1: Sandbox) -> None:
    desired = await set_mtu(eth1, 1900)
    await apply(eth1, {"interfaces": [{"name": "eth1"}]})
    await assert_state(eth1, desired)
