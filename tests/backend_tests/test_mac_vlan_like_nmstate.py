"""MAC-VLAN and MAC-VTAP as nmstate's integration tests (``mac_vlan_test.py``,
``mac_vtap_test.py``) mean them, on a real NetworkManager and kernel, over the demo's
eth1: every mode, promiscuous off, an MTU edit; each checked in ``show`` and in the
kernel's own view (``ip -d link``), then removed.
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import apply, by_name, live, profile_ifaces

pytestmark = pytest.mark.nm

KINDS = {"mac-vlan": "macvlan0", "mac-vtap": "macvtap0"}


def child(kind: str, mode: str, promiscuous: bool) -> dict[str, Any]:
    """nmstate's ``macvlan_interface`` / ``macvtap_interface`` over eth1."""
    section = {"base-iface": "eth1", "mode": mode, "promiscuous": promiscuous}
    return {"name": KINDS[kind], "type": kind, "state": "up", kind: section}


def kernel_link(sb: Sandbox, name: str) -> str:
    out = subprocess.run(
        ["ip", "-n", sb.name, "-d", "link", "show", "dev", name], capture_output=True, text=True
    )
    return out.stdout if out.returncode == 0 else ""


async def assert_state(sb: Sandbox, iface: dict[str, Any]) -> None:
    kind, name = iface["type"], iface["name"]
    shown = by_name(await live(sb))[name]
    assert shown["state"] == "up" and shown["type"] == kind
    for key, value in iface[kind].items():
        assert shown[kind][key] == value, f"{name}.{kind}.{key}"
    if "mtu" in iface:
        assert shown["mtu"] == iface["mtu"]
    link = kernel_link(sb, name)
    assert f"{kind.replace('-', '')} mode {iface[kind]['mode']} " in link, link
    assert "@eth1:" in link


async def remove_and_check_gone(sb: Sandbox, iface: dict[str, Any]) -> None:
    await apply(sb, {"interfaces": [{**iface, "state": "absent"}]})
    name = iface["name"]
    assert name not in by_name(await live(sb)) and name not in await profile_ifaces(sb)
    assert kernel_link(sb, name) == ""


@pytest.mark.parametrize("mode", ["vepa", "bridge", "private", "passthru"])
@pytest.mark.parametrize("kind", list(KINDS))
async def test_add_multiple_modes(host: Sandbox, kind: str, mode: str) -> None:
    """nmstate's ``test_add_mac_vlan_multiple_modes`` and ``test_add_mac_vtap_multiple_modes``."""
    iface = child(kind, mode, True)
    try:
        await apply(host, {"interfaces": [iface]})
        await assert_state(host, iface)
    finally:
        await remove_and_check_gone(host, iface)


@pytest.mark.parametrize("kind", list(KINDS))
async def test_add_promiscuous_off(host: Sandbox, kind: str) -> None:
    iface = child(kind, "passthru", False)
    try:
        await apply(host, {"interfaces": [iface]})
        await assert_state(host, iface)
        assert "nopromisc" in kernel_link(host, iface["name"])
    finally:
        await remove_and_check_gone(host, iface)


@pytest.mark.parametrize("kind", list(KINDS))
async def test_edit_mtu(host: Sandbox, kind: str) -> None:
    """nmstate's ``test_edit_mac_vlan_`` / ``test_edit_mac_vtap``: MTU 1400 on a running one."""
    iface = child(kind, "passthru", True)
    try:
        await apply(host, {"interfaces": [iface]})
        await assert_state(host, iface)
        iface["mtu"] = 1400
        await apply(host, {"interfaces": [iface]})
        await assert_state(host, iface)
        assert " mtu 1400 " in kernel_link(host, iface["name"])
    finally:
        await remove_and_check_gone(host, iface)
