"""Linux bridges as nmstate's integration tests (``tests/integration/linux_bridge_test.py``)
mean them, on a real NetworkManager and kernel.

nmstate's ``eth1``/``eth2`` ports are veth pairs made for each test (``p0``, ``p1``,
far ends ``p0p``, ``p1p``), so the demo host stays as it is. Cases that need what
this kernel lacks (8021q, bonding, bridge VLAN filtering, a kernel-only mode) are
not here (README, "nmstate's integration tests on this machine"). The refusals
nmstate expects (controller key vs port list, vlan-default-pvid without VLAN
filtering) are engine rules: tests/engine_tests/test_bridge_rules_like_nmstate.py.
"""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from typing import Any

import pytest

from engine.errors import InvalidInput
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    OFF,
    apply,
    by_name,
    live,
    profile_ifaces,
    set_managed,
)
from tests.backend_tests.test_mtu_like_nmstate import link_monitor

pytestmark = pytest.mark.nm

BR0, BR1 = "linux-br0", "linux-br1"


def veth(name: str, peer: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "veth", "veth": {"peer": peer}, "ipv4": OFF, "ipv6": OFF, **extra}


def pair(name: str) -> list[dict[str, Any]]:
    """A veth pair NM makes and manages, both ends up (so ``name`` has carrier)."""
    return [veth(name, f"{name}p"), veth(f"{name}p", name)]


def bridge(name: str, ports: list[str] | None, **extra: Any) -> dict[str, Any]:
    """nmstate's ``linux_bridge(name, subtree)`` with STP off (no topology changes) and
    no IP; ``ports`` None is nmstate's ``bridge_subtree_state=None``: no bridge section."""
    iface: dict[str, Any] = {"name": name, "type": "linux-bridge", "ipv4": OFF, "ipv6": OFF}
    if ports is not None:
        iface["bridge"] = {
            "options": {"stp": {"enabled": False}},
            "port": [{"name": p} for p in ports],
        }
    return {**iface, **extra}


def ip(sb: Sandbox, *args: str) -> str:
    out = subprocess.run(["ip", "-n", sb.name, *args], capture_output=True, text=True, check=True)
    return out.stdout


def ports_of(state: dict[str, Any], name: str) -> list[str]:
    return [p["name"] for p in by_name(state)[name]["bridge"].get("port", [])]


async def mac_of(sb: Sandbox, name: str) -> str:
    return str(by_name(await live(sb))[name]["mac-address"])


@pytest.fixture
async def ports(host: Sandbox) -> AsyncIterator[Sandbox]:
    """p0 and p1 (veth pairs NM made, far ends up), removed with any test bridge after."""
    await apply(host, {"interfaces": [*pair("p0"), *pair("p1")]})
    yield host
    gone = [{"name": n, "state": "absent"} for n in (BR0, BR1, "p0", "p1")]
    await apply(host, {"interfaces": gone})
    for name in ("tap0", BR0, BR1):
        subprocess.run(["ip", "-n", host.name, "link", "del", name], capture_output=True)


async def test_create_and_remove_linux_bridge_with_min_desired_state(host: Sandbox) -> None:
    await apply(host, {"interfaces": [{"name": BR0, "type": "linux-bridge", "state": "up"}]})
    assert by_name(await live(host))[BR0]["state"] == "up"
    await apply(host, {"interfaces": [{"name": BR0, "type": "linux-bridge", "state": "absent"}]})
    assert BR0 not in by_name(await live(host)) and BR0 not in await profile_ifaces(host)


async def test_create_and_remove_linux_bridge_with_no_bridge_section(ports: Sandbox) -> None:
    await apply(ports, {"interfaces": [bridge(BR0, None)]})
    assert ports_of(await live(ports), BR0) == []
    await apply(ports, {"interfaces": [{"name": BR0, "state": "absent"}]})
    assert BR0 not in by_name(await live(ports))
    assert "linux-br0" not in ip(ports, "-o", "link", "show")


async def test_add_port_to_existing_bridge(ports: Sandbox) -> None:
    """The bridge's link stays up while a second port joins (nmstate's
    ``ip_monitor_assert_stable_link_up``)."""
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    with link_monitor(ports, BR0) as events:
        await apply(ports, {"interfaces": [bridge(BR0, ["p0", "p1"])]})
    now = await live(ports)
    assert ports_of(now, BR0) == ["p0", "p1"]
    assert by_name(now)["p1"]["controller"] == BR0
    assert not [e for e in events if "state DOWN" in e or "NO-CARRIER" in e], events


async def test_linux_bridge_uses_the_port_mac_implicitly(ports: Sandbox) -> None:
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    assert await mac_of(ports, BR0) == await mac_of(ports, "p0")


async def test_linux_bridge_uses_specified_mac_address(ports: Sandbox) -> None:
    mac = "02:00:00:00:0B:01"
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"], **{"mac-address": mac.lower()})]})
    assert await mac_of(ports, BR0) == mac
    assert mac.lower() in ip(ports, "link", "show", "dev", BR0)


async def test_create_linux_bridge_with_copy_mac_from(ports: Sandbox) -> None:
    """The bridge takes p1's MAC, as nmstate does: pinned in its profile (so not just
    the kernel's pick of a port's address) and shown."""
    p1_mac = await mac_of(ports, "p1")
    await apply(ports, {"interfaces": [bridge(BR0, ["p0", "p1"], **{"copy-mac-from": "p1"})]})
    assert await mac_of(ports, BR0) == p1_mac
    (profile,) = (await profile_ifaces(ports))[BR0]
    assert profile["802-3-ethernet"]["assigned-mac-address"] == p1_mac
    # Copied from p0 instead: a different MAC, so the bridge's own pick cannot pass for it.
    p0_mac = await mac_of(ports, "p0")
    await apply(ports, {"interfaces": [bridge(BR0, ["p0", "p1"], **{"copy-mac-from": "p0"})]})
    assert await mac_of(ports, BR0) == p0_mac


async def test_copy_mac_from_a_missing_interface_is_refused(host: Sandbox) -> None:
    desired = {"interfaces": [bridge(BR0, [], **{"copy-mac-from": "nosuch0"})]}
    with pytest.raises(InvalidInput, match="Failed to find interface nosuch0 for copy-mac-from"):
        await apply(host, desired)
    assert BR0 not in by_name(await live(host))


async def test_activate_empty_bridge_does_not_blocked_by_dhcp(host: Sandbox) -> None:
    """No DHCP server answers here: a port-less bridge with DHCP and autoconf still
    activates, and apply does not wait for a lease."""
    dynamic = {
        "ipv4": {"enabled": True, "dhcp": True},
        "ipv6": {"enabled": True, "dhcp": True, "autoconf": True},
    }
    try:
        await apply(host, {"interfaces": [{**bridge(BR0, None), **dynamic}]}, timeout=30)
        shown = by_name(await live(host))[BR0]
        assert shown["state"] == "up"
        assert shown["ipv4"]["dhcp"] is True and shown["ipv6"]["autoconf"] is True
    finally:
        await apply(host, {"interfaces": [{"name": BR0, "state": "absent"}]})


async def test_desire_port_only_should_preserve_ctrl_setting(ports: Sandbox) -> None:
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    await apply(ports, {"interfaces": [{"name": "p0"}]})
    now = await live(ports)
    assert ports_of(now, BR0) == ["p0"] and by_name(now)["p0"]["controller"] == BR0


async def test_moving_ports_from_absent_interface(ports: Sandbox) -> None:
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    await apply(ports, {"interfaces": [bridge(BR1, ["p0"]), {"name": BR0, "state": "absent"}]})
    now = await live(ports)
    assert BR0 not in by_name(now) and ports_of(now, BR1) == ["p0"]
    assert by_name(now)["p0"]["controller"] == BR1


async def test_change_multicast_snooping_from_false_to_true(ports: Sandbox) -> None:
    desired = bridge(BR0, ["p0", "p1"])
    for snooping in (False, True):
        desired["bridge"]["options"]["multicast-snooping"] = snooping
        await apply(ports, {"interfaces": [desired]})
        opts = by_name(await live(ports))[BR0]["bridge"]["options"]
        assert opts["multicast-snooping"] is snooping
        assert f"mcast_snooping {int(snooping)}" in ip(ports, "-d", "link", "show", "dev", BR0)


@pytest.mark.parametrize(
    ("value", "word"),
    [
        (0, "disabled"),
        (2, "enabled"),
        (1, "auto"),
        ("disabled", "disabled"),
        ("enabled", "enabled"),
        ("auto", "auto"),
    ],
    ids=["disabled_integer", "enabled_integer", "auto_integer", "disabled", "enabled", "auto"],
)
async def test_linux_bridge_multicast_router(ports: Sandbox, value: Any, word: str) -> None:
    """nmstate takes the kernel's numbers or NM's words; show reports the word."""
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    opts = {"options": {"multicast-router": value}}
    await apply(ports, {"interfaces": [{"name": BR0, "bridge": opts}]})
    assert by_name(await live(ports))[BR0]["bridge"]["options"]["multicast-router"] == word
    number = {"disabled": 0, "auto": 1, "enabled": 2}[word]
    assert f"mcast_router {number}" in ip(ports, "-d", "link", "show", "dev", BR0)


async def test_linux_bridge_enable_and_disable_accept_all_mac_addresses(ports: Sandbox) -> None:
    desired = bridge(BR0, ["p0"])
    for wanted in (True, False):
        desired["accept-all-mac-addresses"] = wanted
        await apply(ports, {"interfaces": [desired]})
        assert by_name(await live(ports))[BR0]["accept-all-mac-addresses"] is wanted
        link = ip(ports, "-d", "link", "show", "dev", BR0)
        assert f"promiscuity {int(wanted)}" in link


async def test_delete_bridge_created_by_iproute(host: Sandbox) -> None:
    ip(host, "link", "add", BR0, "type", "bridge")
    try:
        await apply(host, {"interfaces": [bridge(BR0, None)]})
        assert by_name(await live(host))[BR0]["state"] == "up"
        gone = {"name": BR0, "type": "linux-bridge", "state": "absent"}
        await apply(host, {"interfaces": [gone]})
        assert BR0 not in by_name(await live(host))
        assert BR0 not in ip(host, "-o", "link", "show")
    finally:
        subprocess.run(["ip", "-n", host.name, "link", "del", BR0], capture_output=True)


@pytest.fixture
async def unmanaged_port(ports: Sandbox) -> AsyncIterator[Sandbox]:
    """nmstate's ``bridge_unmanaged_port``: linux-br0 from NM with no port, and u0 (a
    veth made with ``ip``, set unmanaged as nmstate sets its dummy0) put in it with ``ip``."""
    await apply(ports, {"interfaces": [bridge(BR0, [])]})
    ip(ports, "link", "add", "u0", "type", "veth", "peer", "name", "u0p")
    try:
        set_managed(ports, "u0", False)
        ip(ports, "link", "set", "u0", "up")
        ip(ports, "link", "set", "u0", "master", BR0)
        yield ports
    finally:
        subprocess.run(["ip", "-n", ports.name, "link", "del", "u0"], capture_output=True)


async def test_bridge_with_unmanaged_ports(unmanaged_port: Sandbox) -> None:
    now = await live(unmanaged_port)
    assert ports_of(now, BR0) == ["u0"]
    assert by_name(now)["u0"]["state"] == "ignore"


async def test_linux_bridge_replace_unmanaged_port(unmanaged_port: Sandbox) -> None:
    shown = by_name(await live(unmanaged_port))[BR0]
    shown.pop("mac-address")
    shown["bridge"]["port"] = [{"name": "p0"}]
    await apply(unmanaged_port, {"interfaces": [shown]})
    assert "p0" in ports_of(await live(unmanaged_port), BR0)


async def test_ignore_unmanged_tap_as_bridge_port(ports: Sandbox) -> None:
    """A tap made outside NM and put in the bridge stays its port next to the ones the
    state lists: it has no profile to change, so the state cannot take it out.

    nmstate's fixture also makes the bridge with ``ip link``; NM without udev (the
    sandbox) leaves such a bridge unmanaged, and taking it over then drops its ports
    inside NM. So here NM makes the bridge and ``ip`` adds the tap, and the state is
    applied again.
    """
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    ip(ports, "tuntap", "add", "name", "tap0", "mode", "tap")
    ip(ports, "link", "set", "tap0", "master", BR0)
    ip(ports, "link", "set", "tap0", "up")
    assert sorted(ports_of(await live(ports), BR0)) == ["p0", "tap0"]
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    assert sorted(ports_of(await live(ports), BR0)) == ["p0", "tap0"]


async def test_explicitly_ignore_a_bridge_port(ports: Sandbox) -> None:
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    desired = [bridge(BR0, ["p0", "p1"]), {"name": "p0", "state": "ignore"}]
    await apply(ports, {"interfaces": desired})
    assert ports_of(await live(ports), BR0) == ["p0", "p1"]


async def test_add_invalid_port_ip_config(ports: Sandbox) -> None:
    """DHCP asked for on a port is refused before anything is touched."""
    port = {"name": "p0", "ipv4": {"enabled": True, "dhcp": True}}
    with pytest.raises(InvalidInput, match="p0 cannot have IP enabled"):
        await apply(ports, {"interfaces": [port, bridge(BR0, ["p0"])]})
    assert BR0 not in by_name(await live(ports))


async def test_replace_port_on_linux_bridge(ports: Sandbox) -> None:
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    await apply(ports, {"interfaces": [bridge(BR0, ["p1"])]})
    now = by_name(await live(ports))
    assert [p["name"] for p in now[BR0]["bridge"]["port"]] == ["p1"]
    assert now["p0"]["state"] == "up" and "controller" not in now["p0"]


async def test_add_port_to_br_with_controller_property(ports: Sandbox) -> None:
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    await apply(ports, {"interfaces": [{"name": "p1", "state": "up", "controller": BR0}]})
    assert ports_of(await live(ports), BR0) == ["p0", "p1"]


async def test_controller_detach_from_linux_bridge(ports: Sandbox) -> None:
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    await apply(ports, {"interfaces": [{"name": "p0", "state": "up", "controller": ""}]})
    now = await live(ports)
    assert ports_of(now, BR0) == [] and "controller" not in by_name(now)["p0"]


async def test_linux_bridge_show_port_ip_as_disabled(ports: Sandbox) -> None:
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    shown = by_name(await live(ports))["p0"]
    assert shown["ipv4"] == {"enabled": False} and shown["ipv6"] == {"enabled": False}


@pytest.mark.parametrize("stp", [False, True], ids=["no_stp", "with_stp"])
async def test_add_linux_bridge_with_empty_ipv6_static_address(ports: Sandbox, stp: bool) -> None:
    """IPv6 on, no address, no DHCP or autoconf: the bridge is up with IPv6 enabled."""
    desired = bridge(BR0, ["p0"], ipv6={"enabled": True, "dhcp": False, "autoconf": False})
    desired["bridge"]["options"]["stp"]["enabled"] = stp
    await apply(ports, {"interfaces": [desired]})
    shown = by_name(await live(ports))[BR0]
    assert shown["state"] == "up" and shown["bridge"]["options"]["stp"]["enabled"] is stp
    assert shown["ipv6"]["enabled"] is True and not shown["ipv6"].get("address")


async def test_empty_state_does_not_change_bridge_options(ports: Sandbox) -> None:
    await apply(ports, {"interfaces": [bridge(BR0, ["p0"])]})
    before = by_name(await live(ports))[BR0]
    await apply(ports, {"interfaces": [{"name": BR0}]})
    assert by_name(await live(ports))[BR0]["bridge"] == before["bridge"]


async def test_create_bridge_with_mixed_case_group_addr(host: Sandbox) -> None:
    desired = bridge(BR0, [])
    desired["bridge"]["options"]["group-addr"] = "01:80:C2:00:00:0a"
    try:
        await apply(host, {"interfaces": [desired]})
        opts = by_name(await live(host))[BR0]["bridge"]["options"]
        assert opts["group-addr"] == "01:80:C2:00:00:0A"
    finally:
        await apply(host, {"interfaces": [{"name": BR0, "state": "absent"}]})
