"""``show`` of the sandbox's demo host: names, types, ports, addresses, routes, DNS, hostname."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from engine.comparable import comparable
from nmtui_state.sandbox import Sandbox

EXE = str(Path(sys.executable).parent / "nmtui-state")


def _show(sb: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, "show", *args], env=sb.env(), capture_output=True, text=True, timeout=60
    )


def _ifaces(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["name"]: i for i in state["interfaces"]}


def test_show_demo_host(module_demo_sandbox: Sandbox) -> None:
    out = _show(module_demo_sandbox)
    assert out.returncode == 0, out.stderr
    state = yaml.safe_load(out.stdout)
    ifaces = _ifaces(state)
    assert {n: ifaces[n]["type"] for n in ("eth1", "eth2", "eth3", "br0", "lo")} == {
        "eth1": "veth",
        "eth2": "veth",
        "eth3": "veth",
        "br0": "linux-bridge",
        "lo": "loopback",
    }
    assert all(ifaces[n]["state"] == "up" for n in ("eth1", "eth2", "eth3", "br0"))
    assert ifaces["eth1p"]["state"] == "ignore"  # unmanaged: the far end of the cable
    assert [p["name"] for p in ifaces["br0"]["bridge"]["port"]] == ["eth2", "eth3"]
    assert ifaces["eth2"]["controller"] == "br0"
    assert ifaces["eth1"]["veth"]["peer"] == "eth1p"
    assert ifaces["eth1"]["ipv4"]["address"] == [{"ip": "192.0.2.10", "prefix-length": 24}]
    assert ifaces["eth1"]["ipv4"]["dhcp"] is False
    static, *link_local = ifaces["eth1"]["ipv6"]["address"]  # as nmstate: link-local shown
    assert static == {"ip": "2001:db8:1::10", "prefix-length": 64}
    assert [(a["ip"][:5], a["prefix-length"]) for a in link_local] == [("fe80:", 64)]
    assert ifaces["br0"]["ipv4"]["address"] == [{"ip": "198.51.100.1", "prefix-length": 24}]
    assert ifaces["eth2"]["ipv4"]["enabled"] is False
    assert ifaces["br0"]["bridge"]["options"]["stp"]["enabled"] is False
    route = {
        "destination": "203.0.113.0/24",
        "next-hop-interface": "eth1",
        "next-hop-address": "192.0.2.1",
        "metric": 100,
        "table-id": 254,
    }
    assert route in state["routes"]["config"]
    assert route in state["routes"]["running"]
    dns = state["dns-resolver"]["config"]
    assert dns["server"] == ["192.0.2.53", "2001:db8:1::53"]
    assert dns["search"] == ["example.test"]
    assert state["hostname"]["config"] == "demo-host"


def test_show_is_stable(module_demo_sandbox: Sandbox) -> None:
    first, second = _show(module_demo_sandbox), _show(module_demo_sandbox)
    assert first.returncode == 0
    # All but the bridge timers, which count down between the two reads.
    assert comparable(yaml.safe_load(first.stdout)) == comparable(yaml.safe_load(second.stdout))
    timers = ("gc-timer", "hello-timer")
    assert all(
        t in _ifaces(yaml.safe_load(first.stdout))["br0"]["bridge"]["options"] for t in timers
    )


def test_show_globs_json_and_running_config(module_demo_sandbox: Sandbox) -> None:
    import json

    out = _show(module_demo_sandbox, "--json", "-r", "eth*")
    state = json.loads(out.stdout)
    assert sorted(_ifaces(state)) == ["eth1", "eth1p", "eth2", "eth2p", "eth3", "eth3p"]
    assert "running" not in state["routes"] and "running" not in state["dns-resolver"]
    assert [r["next-hop-interface"] for r in state["routes"]["config"]] == ["eth1"]


def test_show_without_networkmanager_uses_netlink(
    module_demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    env = {**module_demo_sandbox.env(), "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/none"}
    out = subprocess.run([EXE, "show"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "NetworkManager data missing" in out.stderr
    ifaces = _ifaces(yaml.safe_load(out.stdout))
    assert ifaces["br0"]["ipv4"]["address"] == [{"ip": "198.51.100.1", "prefix-length": 24}]
    assert ifaces["br0"]["state"] == "up"
