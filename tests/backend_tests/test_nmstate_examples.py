"""nmstate's own example files, applied with our CLI in order on one sandbox, seen from outside.

Each step checks the result the way an admin would: ``ip`` (links, routes,
rules), ``nmcli`` and the resolv.conf NetworkManager wrote. The files are
copies of nmstate's examples (tests/data/nmstate_examples); the demo host's
eth1 is a veth, which nmstate treats as ethernet, as these files say.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import cli
from tests.backend_tests.test_dns_placement import resolv_servers

pytestmark = pytest.mark.nm

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "nmstate_examples"


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(demo=True) as box:
        yield box


def apply(sb: Sandbox, name: str) -> None:
    out = cli(sb, "apply", str(EXAMPLES / f"{name}.yml"))
    assert out.returncode == 0, f"{name}: {out.stderr}"


def ip_json(sb: Sandbox, *args: str) -> list[dict[str, Any]]:
    out = sb.run(["ip", "-j", *args], capture_output=True)
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout or "[]"))


def links(sb: Sandbox) -> dict[str, dict[str, Any]]:
    return {link["ifname"]: link for link in ip_json(sb, "-d", "link", "show")}


def nm_hostname(sb: Sandbox) -> str:
    """The running hostname, inside NetworkManager's own UTS namespace."""
    assert sb._nm is not None
    out = subprocess.run(
        ["nsenter", "-t", str(sb._nm.pid), "-u", "hostname"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_linux_bridge(sb: Sandbox) -> None:
    apply(sb, "linuxbrige_eth1_up")
    found = links(sb)
    assert found["linux-br0"]["linkinfo"]["info_kind"] == "bridge"
    assert found["eth1"]["master"] == "linux-br0"
    assert found["linux-br0"]["linkinfo"]["info_data"]["stp_state"] == 1
    apply(sb, "linuxbrige_eth1_absent")
    found = links(sb)
    assert "linux-br0" not in found and "master" not in found["eth1"]


@pytest.mark.parametrize(("kind", "name"), [("mac_vlan", "macvlan0"), ("mac_vtap", "macvtap0")])
def test_mac_vlan_and_mac_vtap(sb: Sandbox, kind: str, name: str) -> None:
    apply(sb, f"{kind}_create")
    link = links(sb)[name]
    assert link["link"] == "eth1"
    assert link["linkinfo"]["info_data"]["mode"] == "passthru"
    apply(sb, f"{kind}_absent")
    assert name not in links(sb)


def test_veth(sb: Sandbox) -> None:
    apply(sb, "veth1_up")
    found = links(sb)
    assert found["veth1"]["link"] == "veth1peer" and "veth1peer" in found
    apply(sb, "veth1_absent")
    found = links(sb)
    assert "veth1" not in found and "veth1peer" not in found


def test_routes_with_attributes_then_all_removed(sb: Sandbox) -> None:
    apply(sb, "eth1_add_route")
    routes = ip_json(sb, "-4", "route", "show", "table", "all")
    via = [r for r in routes if r.get("dst") == "198.51.100.0/24" and r.get("dev") == "eth1"]
    assert via and via[0]["gateway"] == "192.0.2.1" and via[0]["metric"] == 150
    assert via[0]["prefsrc"] == "192.0.2.251"
    assert any(r.get("dst") == "198.51.200.0/24" and r.get("type") == "blackhole" for r in routes)
    cwnd = sb.run(
        ["ip", "-4", "route", "show", "198.51.100.0/24", "dev", "eth1"], capture_output=True
    )
    assert "cwnd lock 20" in cwnd.stdout  # nmstate locks cwnd (lock-cwnd), so does NM here
    apply(sb, "eth1_del_all_routes")
    left = ip_json(sb, "-4", "route", "show", "dev", "eth1", "proto", "static")
    assert left == []


def test_route_rule_then_all_removed(sb: Sandbox) -> None:
    apply(sb, "eth1_add_route_rule")
    rules = ip_json(sb, "-4", "rule", "show")
    rule = next(r for r in rules if r.get("priority") == 100)
    assert (rule["src"], rule["srclen"], rule["dst"], rule["dstlen"]) == (
        "198.51.100.0",
        24,
        "192.0.2.0",
        24,
    )
    assert (rule["fwmark"], rule["fwmask"], rule["table"]) == ("0x30", "0x10", "main")
    again = cli(sb, "apply", str(EXAMPLES / "eth1_add_route_rule.yml"))
    assert again.returncode == 0 and again.stdout.strip() == "nothing to change", again.stdout
    apply(sb, "eth1_del_all_route_rules")
    assert not [r for r in ip_json(sb, "-4", "rule", "show") if r.get("priority") == 100]


def test_dns_edit_then_remove(sb: Sandbox) -> None:
    apply(sb, "dns_edit_eth1")
    assert resolv_servers(sb) == ["2001:4860:4860::8888", "8.8.8.8"]
    routes = ip_json(sb, "route", "show", "default")
    assert any(r.get("gateway") == "192.0.2.1" for r in routes)
    v6 = ip_json(sb, "-6", "route", "show", "default")
    assert any(r.get("gateway") == "2001:db8:1::1" for r in v6)
    apply(sb, "dns_remove")
    assert resolv_servers(sb) == []


def test_static_then_dynamic_hostname(sb: Sandbox) -> None:
    apply(sb, "static_hostname")
    assert nm_hostname(sb) == "nmstate-test.example.org"
    static = sb.run(["nmcli", "general", "hostname"], capture_output=True)
    assert static.stdout.strip() == "nmstate-test.example.org"
    apply(sb, "dynamic_hostname")
    static = sb.run(["nmcli", "general", "hostname"], capture_output=True)
    assert static.stdout.strip() != "nmstate-test.example.org"
