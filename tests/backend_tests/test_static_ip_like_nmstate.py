"""Static IP as nmstate's integration tests (``tests/integration/static_ip_address_test.py``)
mean it, on a real NetworkManager and kernel, with the demo's eth1 as nmstate's eth1.

nmstate's eth2 is a second veth made here (``ve1``): the demo's eth2 is a port of
br0. Its "unmanaged dummy" is the demo's eth1p, the unmanaged far end of eth1
(this kernel has no dummy). The engine-only halves (a port asked for IP, bad
addresses on an absent interface) are in tests/engine_tests/test_static_ip_like_nmstate.py.
"""

from __future__ import annotations

import copy
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    apply,
    by_name,
    cli,
    ip,
    live,
    live_shown,
    show_text,
    write_state,
)
from tests.backend_tests.test_mtu_like_nmstate import link_monitor

pytestmark = pytest.mark.nm

V4_1, V4_2 = "192.0.2.251", "192.0.2.252"
V6_1, V6_2 = "2001:db8:1::1", "2001:db8:2::1"
FAMILY_ADDR = {"ipv4": (V4_1, 24), "ipv6": (V6_1, 64)}


async def show_only(sb: Sandbox, name: str = "eth1") -> dict[str, Any]:
    return copy.deepcopy(by_name(await live(sb))[name])


def kernel_addrs(sb: Sandbox, name: str, family: str) -> list[str]:
    """Global addresses as the kernel lists them, in its order (``ip -o addr show``)."""
    flag = "-6" if family == "ipv6" else "-4"
    out = subprocess.run(
        ["ip", "-n", sb.name, "-o", flag, "addr", "show", "dev", name, "scope", "global"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line.split()[3].split("/")[0] for line in out.stdout.splitlines()]


def static(*addrs: tuple[str, int]) -> dict[str, Any]:
    return {"enabled": True, "address": [ip(a, p) for a, p in addrs]}


@pytest.fixture
async def eth1(host: Sandbox) -> AsyncIterator[Sandbox]:
    """eth1 back with its addresses after each test."""
    before = await show_only(host)
    yield host
    await apply(host, {"interfaces": [before]})


@pytest.fixture
async def ve1(eth1: Sandbox) -> AsyncIterator[Sandbox]:
    """A second veth (nmstate's eth2), up with no address; removed afterwards."""
    await apply(
        eth1,
        {"interfaces": [{"name": "ve1", "type": "veth", "veth": {"peer": "ve1p"}}]},
    )
    yield eth1
    await apply(eth1, {"interfaces": [{"name": "ve1", "type": "veth", "state": "absent"}]})


async def test_add_static_ipv4_with_full_state(eth1: Sandbox) -> None:
    """show's eth1, whole, with a new IPv4 address: the address replaces the old one and
    the rest of what show printed applies back unchanged."""
    desired = await show_only(eth1)
    desired["ipv4"] = {**desired["ipv4"], **static(("198.51.100.249", 24))}
    await apply(eth1, {"interfaces": [desired]})
    after = await show_only(eth1)
    assert after["ipv4"]["address"] == [ip("198.51.100.249", 24)]
    assert {key: v for key, v in after.items() if key != "ipv4"} == {
        key: v for key, v in desired.items() if key != "ipv4"
    }
    assert kernel_addrs(eth1, "eth1", "ipv4") == ["198.51.100.249"]


async def test_add_static_ipv6_with_link_local_only(eth1: Sandbox) -> None:
    """Link-local addresses asked for are ignored (with a warning): the kernel's own
    link-local address stays, the two asked for never appear."""
    asked = [ip("fe80::1", 64), ip("fe80::2", 64)]
    result = await apply(
        eth1, {"interfaces": [{"name": "eth1", "ipv6": {"enabled": True, "address": asked}}]}
    )
    assert any("link-local" in w for w in result.prepared.warnings), result.prepared.warnings
    shown = by_name(await live_shown(eth1))["eth1"]["ipv6"]["address"]
    assert not [a for a in asked if a in shown], shown
    assert [a for a in shown if a["ip"].startswith("fe80:")], shown
    assert kernel_addrs(eth1, "eth1", "ipv6") == []


async def test_add_iface_with_static_ipv6_expanded_format(eth1: Sandbox) -> None:
    expanded = "2001:0db8:85a3:0000:0000:8a2e:0370:7331"
    await apply(
        eth1, {"interfaces": [{"name": "eth1", "type": "veth", "ipv6": static((expanded, 64))}]}
    )
    assert (await show_only(eth1))["ipv6"]["address"] == [ip("2001:db8:85a3::8a2e:370:7331", 64)]
    assert kernel_addrs(eth1, "eth1", "ipv6") == ["2001:db8:85a3::8a2e:370:7331"]


@pytest.mark.parametrize("family", ["ipv4", "ipv6"])
async def test_add_ifaces_with_same_static_ip_address_in_one_transaction(
    ve1: Sandbox, family: str
) -> None:
    addr = FAMILY_ADDR[family]
    desired = [{"name": name, "type": "veth", family: static(addr)} for name in ("eth1", "ve1")]
    await apply(ve1, {"interfaces": desired})
    shown = by_name(await live(ve1))
    for name in ("eth1", "ve1"):
        assert shown[name][family]["address"] == [ip(*addr)]
        assert kernel_addrs(ve1, name, family) == [addr[0]]


@pytest.mark.parametrize("family", ["ipv4", "ipv6"])
async def test_add_iface_with_same_static_ip_address_to_existing(ve1: Sandbox, family: str) -> None:
    """ve1 takes eth1's address as it is now; eth1 keeps it."""
    existing = (await show_only(ve1))[family]["address"]
    await apply(
        ve1, {"interfaces": [{"name": "ve1", family: {"enabled": True, "address": existing}}]}
    )
    shown = by_name(await live(ve1))
    assert shown["ve1"][family]["address"] == existing
    assert shown["eth1"][family]["address"] == existing


async def test_add_static_ipv6_with_full_state_keeps_the_order(eth1: Sandbox) -> None:
    """nmstate's add_static_ipv6_with_full_state and preserve_ipv6_addresses_order: the
    show output with two addresses, the second sorting first, comes back as written,
    in show and in the kernel."""
    desired = await show_only(eth1)
    desired["ipv6"] = {**desired["ipv6"], **static((V6_2, 64), (V6_1, 64))}
    await apply(eth1, {"interfaces": [desired]})
    assert (await show_only(eth1))["ipv6"]["address"] == [ip(V6_2, 64), ip(V6_1, 64)]
    assert kernel_addrs(eth1, "eth1", "ipv6") == [V6_2, V6_1]


@pytest.mark.parametrize(
    ("family", "new"), [("ipv4", (V4_2, 24)), ("ipv6", (V6_2, 64))], ids=["ipv4", "ipv6"]
)
async def test_modify_ip_with_reapply(eth1: Sandbox, family: str, new: tuple[str, int]) -> None:
    """An address change is a Reapply: the link never goes down (nmstate's
    ip_monitor_assert_stable_link_up)."""
    with link_monitor(eth1, "eth1") as events:
        await apply(eth1, {"interfaces": [{"name": "eth1", family: static(new)}]})
    assert (await show_only(eth1))[family]["address"] == [ip(*new)]
    assert kernel_addrs(eth1, "eth1", family) == [new[0]]
    assert not [e for e in events if "state DOWN" in e or "NO-CARRIER" in e], events


async def test_add_static_ipv6_with_no_address(eth1: Sandbox) -> None:
    """IPv6 enabled with no address keeps (at least) the link-local one."""
    await apply(eth1, {"interfaces": [{"name": "eth1", "ipv6": static()}]})
    shown = by_name(await live_shown(eth1))["eth1"]["ipv6"]
    assert shown["enabled"] is True
    assert [a for a in shown["address"] if a["ip"].startswith("fe80:")], shown
    assert kernel_addrs(eth1, "eth1", "ipv6") == []


async def test_remove_all_ip_address(eth1: Sandbox) -> None:
    """``address: []`` on both families applies and verifies; show then says IPv4 is
    disabled (nmstate's assert_state_match after setting ipv4.enabled false)."""
    await apply(eth1, {"interfaces": [{"name": "eth1", "ipv4": static(), "ipv6": static()}]})
    shown = await show_only(eth1)
    assert shown["ipv4"] == {"enabled": False}
    assert shown["ipv6"]["enabled"] is True and not shown["ipv6"].get("address")
    assert kernel_addrs(eth1, "eth1", "ipv4") == kernel_addrs(eth1, "eth1", "ipv6") == []


async def test_remove_all_ipv4_is_shown_as_turned_off_and_applies_once(eth1: Sandbox) -> None:
    """The review says IPv4 goes off (NM disables a stack with nothing on it), and the
    same file applied again changes nothing: the merged state is what show will say."""
    state = {"interfaces": [{"name": "eth1", "ipv4": static()}]}
    first = (await apply(eth1, state)).prepared
    assert ("interfaces[eth1].ipv4.enabled", True, False) in [
        (c.path, c.old, c.new) for c in first.changes
    ]
    assert "eth1 IPv4 turned off" in [f"{e.subject} {e.what}" for e in first.effects]
    again = (await apply(eth1, state)).prepared
    assert again.changes == [] and again.plan.steps == [] and again.effects == []


async def test_get_ip_address_from_unmanaged_veth(host: Sandbox) -> None:
    """Addresses added with ``ip addr`` on an interface NM does not manage are shown."""
    for args in (["addr", "add", f"{V4_1}/24"], ["-6", "addr", "add", f"{V6_2}/64"]):
        subprocess.run(["ip", "-n", host.name, *args, "dev", "eth1p"], check=True)
    try:
        shown = await show_only(host, "eth1p")
        assert shown["ipv4"] == {"enabled": True, "address": [ip(V4_1, 24)]}
        assert shown["ipv6"]["enabled"] is True
        assert shown["ipv6"]["address"] == [ip(V6_2, 64)]  # link-local left out (comparable)
    finally:
        for flag in ("-4", "-6"):
            subprocess.run(
                ["ip", "-n", host.name, flag, "addr", "flush", "dev", "eth1p", "scope", "global"],
                check=True,
            )


async def test_ignore_invalid_ip_on_absent_interface(ve1: Sandbox) -> None:
    """Addresses of an interface being removed are not checked: the removal goes ahead."""
    bad = {
        "name": "ve1",
        "state": "absent",
        "ipv4": {"enabled": True, "address": [ip("a.a.a.a", 24)]},
        "ipv6": {"enabled": True, "address": [ip("::g", 64)]},
    }
    await apply(ve1, {"interfaces": [bad]})
    assert "ve1" not in by_name(await live(ve1))


async def test_preserve_ip_conf_if_not_mentioned(eth1: Sandbox) -> None:
    before = await show_only(eth1)
    await apply(eth1, {"interfaces": [{"name": "eth1"}]})
    after = await show_only(eth1)
    assert after["ipv4"] == before["ipv4"] and after["ipv6"] == before["ipv6"]
    assert after["ipv4"]["address"] and after["ipv6"]["address"]


async def test_ignore_dhcp_client_id_if_static(eth1: Sandbox) -> None:
    ipv4 = {**static((V4_1, 24)), "dhcp": False, "dhcp-client-id": "ll"}
    await apply(eth1, {"interfaces": [{"name": "eth1", "type": "veth", "ipv4": ipv4}]})
    assert (await show_only(eth1))["ipv4"]["address"] == [ip(V4_1, 24)]


async def test_add_invalid_port_ip_config(host: Sandbox, tmp_path: Path) -> None:
    """linux_bridge_test's add_invalid_port_ip_config: DHCP asked for on a bridge port
    is refused (exit 2, the path, the fix) and nothing changes. An address the port only
    had before it joined is dropped instead: test_predicted_is_applied's bridge-over-eth1."""
    before = show_text(host)
    state = {
        "interfaces": [
            {"name": "eth2", "type": "veth", "ipv4": {"enabled": True, "dhcp": True}},
            {"name": "br0", "type": "linux-bridge", "bridge": {"port": [{"name": "eth2"}]}},
        ]
    }
    out = cli(host, "apply", write_state(tmp_path, "port-dhcp.yml", state))
    assert out.returncode == 2, out.stderr
    assert "interfaces[eth2].ipv4.enabled" in out.stderr
    assert "port of br0" in out.stderr and "enabled: false" in out.stderr
    assert show_text(host) == before
