"""Admin state and behaviours common to every interface, as nmstate's integration tests
(``iface_admin_state_test.py``, ``interface_common_test.py``) mean them, on a real
NetworkManager and kernel.

nmstate's eth1 is a NIC NetworkManager manages but did not create (its CI makes a veth
pair with ``ip``): setting it down keeps the link. The demo's eth1 is a pair NM made
(NM deletes such a link when it deactivates it), so the down cases run on ``nic1``,
made as nmstate's CI makes eth1 and handed to NM.

nmstate's take-over cases use a dummy made with ``ip link`` (this kernel has no
dummy driver); here the same is done with each link type ``ip`` can make on it: a
MAC-VLAN, a VXLAN and a bridge.
"""

from __future__ import annotations

import copy
import subprocess
from collections.abc import AsyncIterator
from typing import Any

import pytest

from engine.errors import InvalidInput
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import apply, by_name, live, profile_ifaces, set_managed

pytestmark = pytest.mark.nm

#: name → (``ip link add`` arguments after the name, the state that takes it over)
OUTSIDE: dict[str, tuple[list[str], dict[str, Any]]] = {
    "mac-vlan": (
        ["link", "eth1", "type", "macvlan", "mode", "bridge"],
        {"mac-vlan": {"base-iface": "eth1", "mode": "bridge"}},
    ),
    "vxlan": (
        ["type", "vxlan", "id", "301", "dstport", "4789", "dev", "eth1"],
        {"vxlan": {"base-iface": "eth1", "id": 301, "destination-port": 4789}},
    ),
    "linux-bridge": (["type", "bridge"], {"ipv4": {"enabled": False}, "ipv6": {"enabled": False}}),
}


def kernel_link(sb: Sandbox, name: str) -> str:
    out = subprocess.run(
        ["ip", "-n", sb.name, "-d", "link", "show", "dev", name], capture_output=True, text=True
    )
    return out.stdout if out.returncode == 0 else ""


async def eth1_state(sb: Sandbox) -> dict[str, Any]:
    return copy.deepcopy(by_name(await live(sb))["eth1"])


@pytest.fixture
async def eth1(host: Sandbox) -> AsyncIterator[Sandbox]:
    """eth1 up as the demo has it after each test (nmstate's ``eth1_up``)."""
    before = await eth1_state(host)
    yield host
    await apply(host, {"interfaces": [before]})
    assert by_name(await live(host))["eth1"]["state"] == "up"


@pytest.fixture
async def nic1(host: Sandbox) -> AsyncIterator[Sandbox]:
    """A veth made with ``ip``, managed by NM and up in a profile, its far end nic1p up
    and unmanaged: nmstate's CI sets its eth1 up so (``nmcli dev set eth1peer managed
    no``)."""
    ip = ["ip", "-n", host.name, "link"]
    subprocess.run([*ip, "add", "nic1", "type", "veth", "peer", "name", "nic1p"], check=True)
    try:
        subprocess.run([*ip, "set", "nic1p", "up"], check=True)
        set_managed(host, "nic1p", False)
        set_managed(host, "nic1", True)
        await apply(host, {"interfaces": [{"name": "nic1", "type": "ethernet", "state": "up"}]})
        assert by_name(await live(host))["nic1"]["state"] == "up"
        yield host
    finally:
        await apply(host, {"interfaces": [{"name": "nic1", "state": "absent"}]})
        subprocess.run([*ip, "del", "nic1"], capture_output=True)


async def test_set_a_down_iface_down(nic1: Sandbox) -> None:
    """A NIC set down stays down when asked again, and its link stays (it is a NIC)."""
    desired = {"interfaces": [{"name": "nic1", "type": "ethernet", "state": "down"}]}
    for _ in range(2):
        await apply(nic1, desired)
        assert by_name(await live(nic1))["nic1"]["state"] == "down"
        assert kernel_link(nic1, "nic1") != ""
    assert "nic1" in await profile_ifaces(nic1), "down keeps the profile"


async def test_set_iface_down_without_type(nic1: Sandbox) -> None:
    await apply(nic1, {"interfaces": [{"name": "nic1", "state": "down"}]})
    assert by_name(await live(nic1))["nic1"]["state"] == "down"


async def test_change_iface_without_type(eth1: Sandbox) -> None:
    await apply(eth1, {"interfaces": [{"name": "eth1", "mtu": 1400}]})
    shown = by_name(await live(eth1))["eth1"]
    assert shown["mtu"] == 1400 and shown["state"] == "up"
    assert " mtu 1400 " in kernel_link(eth1, "eth1")


async def test_enable_and_disable_accept_all_mac_addresses(eth1: Sandbox) -> None:
    desired = await eth1_state(eth1)
    for wanted in (True, False):
        desired["accept-all-mac-addresses"] = wanted
        await apply(eth1, {"interfaces": [desired]})
        assert by_name(await live(eth1))["eth1"]["accept-all-mac-addresses"] is wanted
        assert f"promiscuity {int(wanted)}" in kernel_link(eth1, "eth1")


@pytest.fixture(params=list(OUTSIDE))
async def outside(host: Sandbox, request: pytest.FixtureRequest) -> AsyncIterator[dict[str, Any]]:
    """nmstate's ``ip_link_dummy``: a link made with ``ip link``; the state taking it over."""
    kind = request.param
    args, sections = OUTSIDE[kind]
    name = "ext0"
    subprocess.run(["ip", "-n", host.name, "link", "add", name, *args], check=True)
    try:
        yield {"name": name, "type": kind, "state": "up", **sections}
    finally:
        subprocess.run(["ip", "-n", host.name, "link", "del", name], capture_output=True)
        await apply(host, {"interfaces": [{"name": name, "state": "absent"}]})


async def test_take_over_virtual_interface_then_remove(
    host: Sandbox, outside: dict[str, Any]
) -> None:
    name = outside["name"]
    await apply(host, {"interfaces": [outside]})
    shown = by_name(await live(host))[name]
    assert shown["state"] == "up" and shown["type"] == outside["type"]
    assert name in await profile_ifaces(host), "taken over: NM has a profile for it"
    await apply(host, {"interfaces": [{**outside, "state": "absent"}]})
    assert name not in by_name(await live(host)) and name not in await profile_ifaces(host)
    assert kernel_link(host, name) == ""


async def test_take_over_virtual_interface_and_rollback(
    host: Sandbox, outside: dict[str, Any]
) -> None:
    """A bad state after the take-over is refused, and the interface stays as it was."""
    name = outside["name"]
    await apply(host, {"interfaces": [outside]})
    with pytest.raises(InvalidInput, match="invalid_key"):
        await apply(host, {"interfaces": [{**outside, "invalid_key": "foo"}]})
    shown = by_name(await live(host))[name]
    assert shown["state"] == "up" and name in await profile_ifaces(host)
    assert kernel_link(host, name) != ""
