"""Issue 11, apply side, on a real NetworkManager: what was asked is what the host gets.

Each test starts from a fresh demo host (eth1 with addresses, a route and
DNS; eth2 and eth3 in br0; all three veths whose far ends, eth1p ..., are
unmanaged: the demo's stand-ins for NICs and their cables).
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from dbus_fast import Variant
from dbus_fast.errors import DBusError

from engine.backend.nm_dbus import (
    DEVICE_IFACE,
    NM_IFACE,
    NM_PATH,
    PROPS_IFACE,
    SETTINGS_IFACE,
    SETTINGS_PATH,
    NMClient,
)
from engine.errors import ApplyFailed
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    apply,
    by_name,
    ip,
    live,
    profile_ifaces,
)

pytestmark = pytest.mark.nm


async def test_type_ethernet_for_a_veth_nic_applies_its_addresses_dns_and_default_routes(
    demo_sandbox: Sandbox,
) -> None:
    desired: dict[str, Any] = {
        "dns-resolver": {"config": {"server": ["192.0.2.54"], "search": ["example.org"]}},
        "routes": {
            "config": [
                {
                    "destination": "0.0.0.0/0",
                    "next-hop-interface": "eth1",
                    "next-hop-address": "192.0.2.1",
                },
                {
                    "destination": "::/0",
                    "next-hop-interface": "eth1",
                    "next-hop-address": "2001:db8:1::ffff",
                },
            ]
        },
        "interfaces": [
            {
                "name": "eth1",
                "type": "ethernet",
                "state": "up",
                "ipv4": {"enabled": True, "address": [ip("192.0.2.252", 24)]},
                "ipv6": {"enabled": True, "address": [ip("2001:db8:1::1", 64)]},
            }
        ],
    }
    await apply(demo_sandbox, desired)
    after = await live(demo_sandbox)
    eth1 = by_name(after)["eth1"]
    assert eth1["type"] == "veth" and eth1["veth"] == {"peer": "eth1p"}
    assert eth1["ipv4"]["address"] == [ip("192.0.2.252", 24)]
    assert eth1["ipv6"]["address"] == [ip("2001:db8:1::1", 64)]
    assert after["dns-resolver"]["config"]["server"] == ["192.0.2.54"]
    running = {(r["destination"], r.get("next-hop-address")) for r in after["routes"]["running"]}
    assert {("0.0.0.0/0", "192.0.2.1"), ("::/0", "2001:db8:1::ffff")} <= running


# -- state: absent on a veth NIC ----------------------------------------------------------


async def _nm_device(client: NMClient, name: str, timeout: float = 10.0) -> str:
    """The NM device path of ``name``, once NM has seen the link."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            (path,) = await client.call(NM_PATH, NM_IFACE, "GetDeviceByIpIface", "s", [name])
            return str(path)
        except DBusError:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.02)


async def _external_veth_nic(sb: Sandbox, name: str) -> None:
    """A veth pair made outside NM (as a container runtime would): ``name`` is this
    host's NIC (managed), its peer the cable's far end (unmanaged, like the demo's)."""
    for argv in (
        ["ip", "link", "add", name, "type", "veth", "peer", "name", f"{name}p"],
        ["ip", "link", "set", f"{name}p", "up"],
    ):
        sb.run(argv, check=True)
    client = await NMClient.connect(sb.bus_address)
    try:
        for dev, managed in ((name, True), (f"{name}p", False)):
            path = await _nm_device(client, dev)
            await client.call(
                path, PROPS_IFACE, "Set", "ssv", [DEVICE_IFACE, "Managed", Variant("b", managed)]
            )
    finally:
        client.close()


async def test_absent_on_an_external_veth_nic_removes_its_profile_and_keeps_the_link(
    demo_sandbox: Sandbox,
) -> None:
    await _external_veth_nic(demo_sandbox, "nic9")
    nic = {
        "name": "nic9",
        "type": "ethernet",
        "ipv4": {"enabled": True, "address": [ip("10.9.0.1", 24)]},
    }
    await apply(demo_sandbox, {"interfaces": [nic]})
    assert by_name(await live(demo_sandbox))["nic9"]["ipv4"]["address"] == [ip("10.9.0.1", 24)]
    assert "nic9" in await profile_ifaces(demo_sandbox)
    result = await apply(
        demo_sandbox, {"interfaces": [{"name": "nic9", "type": "ethernet", "state": "absent"}]}
    )
    assert [s.action for s in result.prepared.plan.steps] == ["delete-profile"]
    assert "nic9" not in await profile_ifaces(demo_sandbox)
    after = by_name(await live(demo_sandbox))
    assert "nic9" in after and "nic9p" in after, "the NIC's link is not this host's to delete"
    assert not after["nic9"]["ipv4"].get("address")


async def test_absent_on_a_demo_nic_leaves_the_unmanaged_peer_out_of_the_plan(
    demo_sandbox: Sandbox,
) -> None:
    result = await apply(
        demo_sandbox, {"interfaces": [{"name": "eth1", "type": "ethernet", "state": "absent"}]}
    )
    # (br0 takes the DNS eth1 carried: an implied move, not part of this.)
    steps = [(s.iface, s.action) for s in result.prepared.plan.steps if s.iface != "br0"]
    assert steps == [("eth1", "delete-profile")]
    assert "eth1p" not in {c.path.split(".")[0] for c in result.prepared.changes}
    assert "eth1" not in await profile_ifaces(demo_sandbox)


# -- hostname.running ---------------------------------------------------------------------


async def test_running_hostname_is_set_where_nm_runs_and_verified(demo_sandbox: Sandbox) -> None:
    """Set with sethostname(2) in NM's UTS namespace (the sandbox's own), as nmstate does.

    NetworkManager 1.42 puts its static name back on its next policy update
    ("current hostname was changed outside NetworkManager"), so what is
    asserted is what the apply saw: its verification read the new name.
    """
    ours = socket.gethostname()
    progress: list[str] = []
    result = await apply(
        demo_sandbox, {"hostname": {"running": "transient-1"}}, progress=progress.append
    )
    assert result.prepared.plan.running_hostname == "transient-1"
    assert "hostname: set running 'transient-1'" in progress
    assert socket.gethostname() == ours, "the sandbox's name, not this machine's"
    client = await NMClient.connect(demo_sandbox.bus_address)
    try:
        assert await client.get(SETTINGS_PATH, SETTINGS_IFACE, "Hostname") == "demo-host"
    finally:
        client.close()


async def test_running_hostname_mismatch_fails_verification_and_rolls_back(
    demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A running name that does not take (here: the setter is a no-op) is a mismatch."""
    import engine.backend.nm_exec as nm_exec

    async def no_op(_client: NMClient, _name: str) -> None:
        return None

    monkeypatch.setattr(nm_exec, "set_running", no_op)
    with pytest.raises(ApplyFailed, match=r"hostname\.running: wanted transient-2"):
        await apply(demo_sandbox, {"hostname": {"running": "transient-2"}})
    assert (await live(demo_sandbox))["hostname"]["running"] == "demo-host"


async def test_dns_example_with_default_routes_applies_in_the_order_written(
    demo_sandbox: Sandbox,
) -> None:
    """nmstate's DNS example (servers IPv6 first) with default routes through eth1.

    NM keeps the families' servers apart and lists IPv4 first at equal
    priority; the apply used to fail verification on the order and roll
    everything back, routes included ("default routes missing").
    """
    desired = {
        "dns-resolver": {
            "config": {
                "search": ["example.com", "example.org"],
                "server": ["2001:4860:4860::8888", "8.8.8.8"],
            }
        },
        "routes": {
            "config": [
                {
                    "destination": "0.0.0.0/0",
                    "next-hop-address": "192.0.2.1",
                    "next-hop-interface": "eth1",
                },
                {
                    "destination": "::/0",
                    "next-hop-address": "2001:db8:1::1",
                    "next-hop-interface": "eth1",
                },
            ]
        },
        "interfaces": [
            {
                "name": "eth1",
                "type": "ethernet",
                "state": "up",
                "ipv4": {"enabled": True, "address": [ip("192.0.2.251", 24)]},
                "ipv6": {"enabled": True, "address": [ip("2001:db8:1::2", 64)]},
            }
        ],
    }
    await apply(demo_sandbox, desired)
    state = await live(demo_sandbox)
    assert state["dns-resolver"]["config"]["server"] == ["2001:4860:4860::8888", "8.8.8.8"]
    assert state["dns-resolver"]["running"]["server"] == ["2001:4860:4860::8888", "8.8.8.8"]
    running = {r["destination"] for r in state["routes"]["running"]}
    assert {"0.0.0.0/0", "::/0"} <= running
