"""VXLAN as nmstate's integration tests (``tests/integration/vxlan_test.py``) mean it,
on a real NetworkManager and kernel.

One test per behaviour nmstate tests: add and remove (on a base, two on one base,
without a base, without a remote, with learning off), an invalid state leaves the
host as it was, ``down`` removes the link, a VXLAN created outside NM with no
remote is shown and removable, the VNI changes in place of the old one, and
accept-all-mac-addresses toggles. nmstate's bond-based case needs a bonding kernel
(this one has none): not carried over.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from engine.errors import InvalidInput
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    apply,
    by_name,
    cli,
    live,
    live_shown,
    profile_ifaces,
    show_text,
    write_state,
)

pytestmark = pytest.mark.nm


def vxlan(vni: int, base: str | None = None, **extra: Any) -> dict[str, Any]:
    """nmstate's ``VxlanState(...).up``: named ``<base>.<id>`` (``vxlan<id>`` without a
    base, where nmstate's test says ``None.<id>``), learning on, port 4789."""
    section: dict[str, Any] = {"id": vni, "learning": True, "destination-port": 4789}
    if base is not None:
        section["base-iface"] = base
    section.update(extra)
    name = f"{base}.{vni}" if base else f"vxlan{vni}"
    return {"name": name, "type": "vxlan", "state": "up", "vxlan": section}


def kernel_link(sb: Sandbox, name: str) -> str:
    """``ip -d link show NAME`` in the sandbox ('' when there is no such link)."""
    out = subprocess.run(
        ["ip", "-n", sb.name, "-d", "link", "show", "dev", name],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout if out.returncode == 0 else ""


async def assert_state(sb: Sandbox, desired: dict[str, Any]) -> None:
    """nmstate's ``assert_state``: every key asked for is what the host shows."""
    shown = by_name(await live(sb))
    for iface in desired["interfaces"]:
        got = shown[iface["name"]]
        assert got["state"] == iface["state"]
        for key, value in iface.get("vxlan", {}).items():
            assert got["vxlan"].get(key) == value, f"{iface['name']}.vxlan.{key}"
        for key in ("accept-all-mac-addresses", "mtu"):
            if key in iface:
                assert got.get(key) == iface[key], f"{iface['name']}.{key}"


async def remove_and_check_gone(sb: Sandbox, *names: str) -> None:
    """nmstate's ``vxlans_absent`` then ``assert_absent``: no link, no profile."""
    await apply(
        sb, {"interfaces": [{"name": n, "type": "vxlan", "state": "absent"} for n in names]}
    )
    shown = by_name(await live(sb))
    profiles = await profile_ifaces(sb)
    for name in names:
        assert name not in shown and name not in profiles
        assert kernel_link(sb, name) == ""


async def test_add_and_remove_vxlan(host: Sandbox) -> None:
    desired = {"interfaces": [vxlan(201, "eth1", remote="192.168.100.1")]}
    await apply(host, desired)
    await assert_state(host, desired)
    link = kernel_link(host, "eth1.201")
    assert "vxlan id 201 remote 192.168.100.1 dev eth1" in link and "dstport 4789" in link
    await remove_and_check_gone(host, "eth1.201")


async def test_add_and_remove_two_vxlans_on_same_iface(host: Sandbox) -> None:
    desired = {
        "interfaces": [
            vxlan(201, "eth1", remote="192.168.100.1"),
            vxlan(202, "eth1", remote="192.168.100.2"),
        ]
    }
    await apply(host, desired)
    await assert_state(host, desired)
    await remove_and_check_gone(host, "eth1.201", "eth1.202")


async def test_add_and_remove_vxlan_without_base_iface(host: Sandbox) -> None:
    desired = {"interfaces": [vxlan(201, remote="192.168.100.1")]}
    await apply(host, desired)
    await assert_state(host, desired)
    assert "base-iface" not in by_name(await live(host))["vxlan201"]["vxlan"]
    assert " dev " not in kernel_link(host, "vxlan201")
    await remove_and_check_gone(host, "vxlan201")


async def test_add_and_remove_vxlan_nolearning(host: Sandbox) -> None:
    desired = {"interfaces": [vxlan(201, remote="192.168.100.1", learning=False)]}
    await apply(host, desired)
    await assert_state(host, desired)
    assert "nolearning" in kernel_link(host, "vxlan201")
    await remove_and_check_gone(host, "vxlan201")


async def test_add_and_remove_vxlan_with_no_remote(host: Sandbox) -> None:
    desired = {"interfaces": [vxlan(201, local="192.168.100.1")]}
    await apply(host, desired)
    await assert_state(host, desired)
    shown = by_name(await live(host))["vxlan201"]["vxlan"]
    assert shown.get("remote", "") == ""
    assert "local 192.168.100.1" in kernel_link(host, "vxlan201")
    await remove_and_check_gone(host, "vxlan201")


async def test_invalid_vxlan_state_leaves_the_host_as_it_was(host: Sandbox) -> None:
    """nmstate's ``test_rollback_for_vxlans``: a key nobody knows fails the whole state
    (here before anything is touched), and the host shows exactly what it did before."""
    before = show_text(host)
    desired = {
        "interfaces": [
            vxlan(201, "eth1", remote="192.168.100.1"),
            {**vxlan(202, "eth1", remote="192.168.100.2"), "invalid_key": "foo"},
        ]
    }
    with pytest.raises(InvalidInput, match="invalid_key"):
        await apply(host, desired)
    assert show_text(host) == before
    assert kernel_link(host, "eth1.201") == ""


async def test_set_vxlan_iface_down_removes_the_link(host: Sandbox) -> None:
    await apply(host, {"interfaces": [vxlan(201, "eth1", remote="192.168.100.1")]})
    await apply(host, {"interfaces": [{"name": "eth1.201", "type": "vxlan", "state": "down"}]})
    assert "eth1.201" not in by_name(await live(host))
    assert kernel_link(host, "eth1.201") == ""
    await remove_and_check_gone(host, "eth1.201")


async def test_show_vxlan_created_outside_with_no_remote(host: Sandbox) -> None:
    """A VXLAN made with ``ip link`` and no remote is shown (no remote key, or empty),
    and ``state: absent`` removes it although NM never had a profile for it."""
    add = "link add eth1.201 type vxlan id 201 dstport 4789 dev eth1"
    subprocess.run(["ip", "-n", host.name, *add.split()], check=True)
    try:
        shown = by_name(await live_shown(host))["eth1.201"]
        assert shown["type"] == "vxlan"
        assert shown["vxlan"]["id"] == 201 and shown["vxlan"]["base-iface"] == "eth1"
        assert shown["vxlan"]["destination-port"] == 4789
        assert shown["vxlan"].get("remote", "") == ""
    finally:
        await remove_and_check_gone(host, "eth1.201")


async def test_add_vxlan_and_modify_vxlan_id(host: Sandbox, tmp_path: Path) -> None:
    """A new VNI needs a new link (NM cannot change it in place): the preview says the
    link is re-created, and apply does that instead of failing."""
    desired = {"interfaces": [vxlan(201, "eth1", remote="192.168.100.1")]}
    await apply(host, desired)
    desired["interfaces"][0]["vxlan"]["id"] = 200
    preview = cli(host, "diff", write_state(tmp_path, "vni.yml", desired))
    assert preview.returncode == 0, preview.stderr
    assert "re-created" in preview.stdout and "vxlan id 201 -> 200" in preview.stdout
    await apply(host, desired)
    await assert_state(host, desired)
    assert "vxlan id 200 " in kernel_link(host, "eth1.201")
    assert len((await profile_ifaces(host))["eth1.201"]) == 1, "one profile, changed in place"
    await remove_and_check_gone(host, "eth1.201")


async def test_vxlan_enable_and_disable_accept_all_mac_addresses(host: Sandbox) -> None:
    desired = {"interfaces": [vxlan(201, "eth1", remote="192.168.100.1")]}
    await apply(host, desired)
    for wanted, flag in ((True, "promiscuity 1"), (False, "promiscuity 0")):
        desired["interfaces"][0]["accept-all-mac-addresses"] = wanted
        await apply(host, desired)
        await assert_state(host, desired)
        assert flag in kernel_link(host, "eth1.201")
    await remove_and_check_gone(host, "eth1.201")
