"""Issue 11, apply side, on a real NetworkManager: what was asked is what the host gets.

Each test starts from a fresh demo host (eth1 with addresses, a route and
DNS; eth2 and eth3 in br0; all three veths whose far ends, eth1p ..., are
unmanaged: the demo's stand-ins for NICs and their cables).
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
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
from tests.backend_tests.test_apply_roundtrip import (
    apply,
    by_name,
    cli,
    ip,
    live,
    profile_ifaces,
    write_state,
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


# -- route attributes -------------------------------------------------------------------

SRC_CWND = {
    "destination": "198.51.100.128/25",
    "next-hop-interface": "eth1",
    "next-hop-address": "192.0.2.1",
    "source": "192.0.2.10",
    "cwnd": 20,
    "metric": 150,
    "table-id": 100,
}
TYPED = [
    {"destination": "10.99.0.0/16", "route-type": "blackhole"},
    {"destination": "10.98.0.0/16", "route-type": "unreachable"},
    {"destination": "2001:db8:99::/48", "route-type": "prohibit"},
]
ECMP = [
    {
        "destination": "203.0.113.128/25",
        "next-hop-interface": "eth1",
        "next-hop-address": gateway,
        "metric": 100,
        "weight": weight,
    }
    for gateway, weight in (("192.0.2.1", 1), ("192.0.2.2", 3))
]


def _kernel(state: dict[str, Any], dest: str) -> list[dict[str, Any]]:
    return [r for r in state["routes"]["running"] if r["destination"] == dest]


async def test_route_source_cwnd_types_and_weights_reach_profile_and_kernel(
    demo_sandbox: Sandbox,
) -> None:
    await apply(demo_sandbox, {"routes": {"config": [SRC_CWND, *TYPED, *ECMP]}})
    state = await live(demo_sandbox)
    (kernel,) = _kernel(state, "198.51.100.128/25")
    assert (kernel["source"], kernel["cwnd"], kernel["table-id"]) == ("192.0.2.10", 20, 100)
    config = state["routes"]["config"]
    assert {**SRC_CWND} in config, "read back from NM's profile with every field"
    for typed in TYPED:
        (kernel,) = _kernel(state, typed["destination"])
        assert kernel["route-type"] == typed["route-type"]
        assert "next-hop-interface" not in kernel
        assert {**typed, "table-id": 254} in config
    lo = (await profile_ifaces(demo_sandbox))["lo"]
    assert any(p["ipv4"].get("route-data") for p in lo), "typed routes sit on lo, as nmstate's"
    hops = {(r["next-hop-address"], r["weight"]) for r in _kernel(state, "203.0.113.128/25")}
    assert hops == {("192.0.2.1", 1), ("192.0.2.2", 3)}, "one multipath route, weights kept"
    again = await apply(demo_sandbox, state)  # show's output, applied back: nothing to do
    assert again.prepared.plan.steps == [] and again.prepared.changes == []
    # ... and absent entries take them away again, typed ones from lo too.
    await apply(
        demo_sandbox,
        {
            "routes": {
                "config": [
                    {"destination": "198.51.100.128/25", "state": "absent"},
                    {"route-type": "blackhole", "state": "absent"},
                    {"route-type": "unreachable", "state": "absent"},
                    {"route-type": "prohibit", "state": "absent"},
                    {"destination": "203.0.113.128/25", "weight": 3, "state": "absent"},
                ]
            }
        },
    )
    state = await live(demo_sandbox)
    for route in (SRC_CWND, *TYPED):
        assert not _kernel(state, route["destination"])
    assert [r["next-hop-address"] for r in _kernel(state, "203.0.113.128/25")] == ["192.0.2.1"]


async def test_absent_with_empty_gateway_removes_only_the_gateway_less_route(
    demo_sandbox: Sandbox,
) -> None:
    direct = {"destination": "192.0.2.128/25", "next-hop-interface": "eth1", "table-id": 254}
    await apply(demo_sandbox, {"routes": {"config": [direct]}})
    assert _kernel(await live(demo_sandbox), "192.0.2.128/25")
    pattern = {"next-hop-interface": "eth1", "next-hop-address": "", "state": "absent"}
    await apply(demo_sandbox, {"routes": {"config": [pattern]}})
    state = await live(demo_sandbox)
    assert not _kernel(state, "192.0.2.128/25")
    assert _kernel(state, "203.0.113.0/24"), "the demo's route via 192.0.2.1 stays"


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


# -- idempotent apply -------------------------------------------------------------------

#: NetworkManager calls that change the host: none may happen when nothing is to change.
WRITES = {"AddConnection2", "Update2", "Reapply", "ActivateConnection", "Delete", "Disconnect"}


class _CallLog:
    """Every NMClient.call of an apply, as (interface, member)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, str]] = []
        real = NMClient.call
        log = self.calls

        async def call(self_: NMClient, path: str, interface: str, member: str, *a: Any, **kw: Any):  # type: ignore[no-untyped-def]
            log.append((interface, member))
            return await real(self_, path, interface, member, *a, **kw)

        monkeypatch.setattr(NMClient, "call", call)

    def writes(self) -> list[tuple[str, str]]:
        return [c for c in self.calls if c[1] in WRITES]


DUAL_STACK = {
    "interfaces": [
        {
            "name": "eth1",
            "type": "ethernet",
            "state": "up",
            "mtu": 1500,
            "ipv4": {"enabled": True, "dhcp": False, "address": [ip("192.0.2.252", 24)]},
            "ipv6": {
                "enabled": True,
                "dhcp": False,
                "autoconf": False,
                "address": [ip("2001:db8:1::1", 64)],
            },
        }
    ],
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
            {**SRC_CWND, "table-id": 254, "source": "192.0.2.252"},
            TYPED[0],
        ]
    },
    "hostname": {"config": "web01.example.org"},
}


async def test_applying_the_same_state_twice_makes_the_second_a_no_op(
    demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await apply(demo_sandbox, DUAL_STACK)
    assert first.prepared.plan.steps, "the first apply does change the host"
    log = _CallLog(monkeypatch)
    second = await apply(demo_sandbox, DUAL_STACK)
    assert second.prepared.changes == [] and second.prepared.plan.describe() == []
    assert log.writes() == [], "no profile written, nothing reapplied or activated"
    assert ("org.freedesktop.NetworkManager", "CheckpointCreate") in log.calls


async def test_cli_says_nothing_to_change_on_the_second_apply(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    path = write_state(tmp_path, "dual.yml", DUAL_STACK)
    first = cli(demo_sandbox, "apply", path)
    assert first.returncode == 0, first.stderr
    assert "nothing to change" not in first.stdout
    again = cli(demo_sandbox, "apply", path)
    assert (again.returncode, again.stdout) == (0, "nothing to change\n"), again.stderr


async def test_show_then_apply_of_the_whole_demo_host_is_a_no_op(
    demo_sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = cli(demo_sandbox, "show")
    assert shown.returncode == 0, shown.stderr
    path = tmp_path / "host.yml"
    path.write_text(shown.stdout)
    out = cli(demo_sandbox, "apply", str(path))
    assert (out.returncode, out.stdout) == (0, "nothing to change\n"), out.stderr
    log = _CallLog(monkeypatch)
    result = await apply(demo_sandbox, yaml.safe_load(shown.stdout))
    assert result.prepared.plan.steps == [] and log.writes() == []
    assert cli(demo_sandbox, "show").stdout == shown.stdout


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
