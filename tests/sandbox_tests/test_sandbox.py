"""The sandbox: a real NetworkManager that leaves nothing behind and does not touch the host."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from nmtui_state.sandbox import Sandbox, missing_prerequisites
from tests.conftest import require_nm


def _netns() -> set[str]:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def _pid_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.split(")")[-1].split()[0] != "Z"


def test_demo_host_devices_connected(demo_sandbox: Sandbox) -> None:
    out = demo_sandbox.run(
        ["nmcli", "-t", "-f", "DEVICE,TYPE,STATE", "device"], capture_output=True, check=True
    ).stdout
    states = {line.split(":")[0]: line.split(":")[2] for line in out.splitlines()}
    for dev in ("eth1", "eth2", "eth3", "br0"):
        assert states.get(dev) == "connected", out
    assert states["eth1p"] == "unmanaged"


def test_demo_host_kernel_side(demo_sandbox: Sandbox) -> None:
    addr = demo_sandbox.run(["ip", "-br", "addr"], capture_output=True, check=True).stdout
    assert "192.0.2.10/24" in addr and "2001:db8:1::10/64" in addr
    assert "198.51.100.1/24" in addr
    links = demo_sandbox.run(["ip", "-o", "link"], capture_output=True, check=True).stdout
    for port in ("eth2", "eth3"):
        line = next(ln for ln in links.splitlines() if f" {port}@" in ln)
        assert "master br0" in line
    route = demo_sandbox.run(["ip", "route"], capture_output=True, check=True).stdout
    assert "203.0.113.0/24 via 192.0.2.1 dev eth1" in route
    host = demo_sandbox.run(["nmcli", "general", "hostname"], capture_output=True).stdout
    assert host.strip() == "demo-host"


def test_ready_fast_and_teardown_leaves_nothing() -> None:
    require_nm()
    sb = Sandbox(demo=True)
    started = time.monotonic()
    sb.start()
    ready = time.monotonic() - started
    assert ready < 5.0, f"sandbox took {ready:.2f} s to be ready"
    pids = [p.pid for p in (sb._nm, sb._dbus) if p is not None]
    root, name = sb.root, sb.name
    assert name in _netns()
    assert all(_pid_alive(p) for p in pids)
    sb.stop()
    assert not any(_pid_alive(p) for p in pids)
    assert name not in _netns()
    assert not root.exists()
    assert str(root) not in Path("/proc/self/mountinfo").read_text()
    sb.stop()  # idempotent


def test_two_sandboxes_are_independent() -> None:
    require_nm()
    with Sandbox() as a, Sandbox() as b:
        a.run(
            [
                "nmcli",
                "connection",
                "add",
                "type",
                "bridge",
                "ifname",
                "bra",
                "ipv4.method",
                "disabled",
                "ipv6.method",
                "disabled",
            ],
            capture_output=True,
            check=True,
        )
        links_b = b.run(["ip", "-o", "link"], capture_output=True, check=True).stdout
        cons_b = b.run(["nmcli", "-t", "connection"], capture_output=True, check=True).stdout
        assert "bra" not in links_b and "bra" not in cons_b
        assert "bra" in a.run(["nmcli", "-t", "connection"], capture_output=True).stdout


def test_hostname_and_dns_stay_in_the_sandbox(demo_sandbox: Sandbox) -> None:
    etc_hostname = Path("/etc/hostname").read_bytes() if Path("/etc/hostname").exists() else b""
    resolv = Path("/etc/resolv.conf").read_bytes() if Path("/etc/resolv.conf").exists() else b""
    kernel_name = socket.gethostname()
    demo_sandbox.run(
        ["nmcli", "general", "hostname", "leak-check"], check=True, capture_output=True
    )
    demo_sandbox.run(
        ["nmcli", "connection", "modify", "eth1", "ipv4.dns", "192.0.2.99"],
        check=True,
        capture_output=True,
    )
    demo_sandbox.run(["nmcli", "connection", "up", "eth1"], check=True, capture_output=True)
    deadline = time.monotonic() + 3  # NM publishes it once its file monitor fires
    seen = ""
    while seen != "leak-check" and time.monotonic() < deadline:
        seen = demo_sandbox.run(
            ["nmcli", "general", "hostname"], capture_output=True
        ).stdout.strip()
    assert seen == "leak-check"
    assert socket.gethostname() == kernel_name
    assert (Path("/etc/hostname").read_bytes() if Path("/etc/hostname").exists() else b"") == (
        etc_hostname
    )
    assert (
        Path("/etc/resolv.conf").read_bytes() if Path("/etc/resolv.conf").exists() else b""
    ) == resolv
    assert b"192.0.2.99" not in resolv


def test_missing_tools_named_with_fix(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("root check comes first when not root")
    message = missing_prerequisites(search_path=str(tmp_path))
    assert message is not None
    assert "network-manager" in message and "dbus" in message
    assert "apt-get install" in message
