"""gen-conf works offline, as ``nmstatectl gc`` does: no host, and nothing assumed about one.

nmstate's gen-conf mode treats an interface without a type as ethernet and
a port listed by a controller but absent from the file as an ethernet port;
a child (VLAN, mac-vlan, mac-vtap, vxlan) names its parent by interface
name in the keyfile, so the parent need not be in the file.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine.genconf import gen_conf, offline_state

EXE = str(Path(sys.executable).parent / "nmtui-state")
NO_BUS = "unix:path=/nonexistent"


def files(state: dict[str, Any]) -> dict[str, configparser.ConfigParser]:
    out = {}
    for name, text in gen_conf(state):
        parser = configparser.ConfigParser(interpolation=None, strict=True)
        parser.optionxform = str  # type: ignore[assignment, method-assign]
        parser.read_string(text, source=name)
        out[name] = parser
    return out


def test_interface_without_type_is_ethernet() -> None:
    out = files({"interfaces": [{"name": "eth1", "mtu": 9000, "ipv4": {"enabled": False}}]})
    assert out["eth1.nmconnection"]["connection"]["type"] == "ethernet"
    assert out["eth1.nmconnection"]["ethernet"]["mtu"] == "9000"


def test_type_unknown_is_ethernet_too() -> None:
    state, notes = offline_state({"interfaces": [{"name": "x1", "type": "unknown"}]})
    assert state["interfaces"][0]["type"] == "ethernet"
    assert notes == ["x1 has no type here; written as ethernet, as nmstatectl gc does"]


@pytest.mark.parametrize(
    ("kind", "section", "extra", "nm_section"),
    [
        ("vlan", "vlan", {"id": 101}, "vlan"),
        ("mac-vlan", "mac-vlan", {"mode": "bridge"}, "macvlan"),
        ("mac-vtap", "mac-vtap", {"mode": "passthru"}, "macvlan"),
        ("vxlan", "vxlan", {"id": 5, "remote": "192.0.2.9"}, "vxlan"),
    ],
)
def test_child_whose_base_is_not_in_the_file(
    kind: str, section: str, extra: dict[str, Any], nm_section: str
) -> None:
    state = {"interfaces": [{"name": "c0", "type": kind, section: {"base-iface": "eth1", **extra}}]}
    out = files(state)
    assert list(out) == ["c0.nmconnection"]  # the base gets no profile of its own
    assert out["c0.nmconnection"][nm_section]["parent"] == "eth1"


@pytest.mark.parametrize(
    ("ctrl", "slave_type"),
    [
        ({"name": "vrf0", "type": "vrf", "vrf": {"port": ["eth1"], "route-table-id": 100}}, "vrf"),
        ({"name": "br0", "type": "linux-bridge", "bridge": {"port": [{"name": "eth1"}]}}, "bridge"),
        (
            {
                "name": "bond0",
                "type": "bond",
                "link-aggregation": {"mode": "active-backup", "port": ["eth1"]},
            },
            "bond",
        ),
    ],
)
def test_port_not_in_the_file_is_an_ethernet_port(ctrl: dict[str, Any], slave_type: str) -> None:
    out = files({"interfaces": [ctrl]})
    con = out["eth1.nmconnection"]["connection"]
    assert (con["type"], con["master"], con["slave-type"]) == ("ethernet", ctrl["name"], slave_type)


def test_offline_state_leaves_the_input_alone() -> None:
    state = {
        "interfaces": [
            {"name": "br0", "type": "linux-bridge", "bridge": {"port": [{"name": "e1"}]}}
        ]
    }
    before = repr(state)
    offline_state(state)
    assert repr(state) == before


VLAN_ON_ETH1 = """\
interfaces:
  - name: eth1.101
    type: vlan
    state: up
    vlan:
      base-iface: eth1
      id: 101
  - name: vrf0
    type: vrf
    vrf:
      port: [eth2]
      route-table-id: 100
  - name: eth3
    ipv4: {enabled: false}
"""


def test_cli_gen_conf_needs_no_host(tmp_path: Path) -> None:
    src = tmp_path / "s.yml"
    src.write_text(VLAN_ON_ETH1)
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": NO_BUS}
    out = subprocess.run(
        [EXE, "gen-conf", str(src)], capture_output=True, text=True, env=env, timeout=30
    )
    assert out.returncode == 0, out.stderr
    names = [line[2:] for line in out.stdout.splitlines() if line.startswith("# ")]
    assert names == [
        "eth1.101.nmconnection",
        "vrf0.nmconnection",
        "eth3.nmconnection",
        "eth2.nmconnection",
    ]
    assert "eth3 has no type here; written as ethernet" in out.stderr
    assert "eth2 is a port not described in the file; written as ethernet" in out.stderr


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": NO_BUS}
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=env, timeout=30)


def test_gen_conf_untyped_and_unknown_are_ethernet_as_in_nmstatectl_gc() -> None:
    src = Path(__file__).resolve().parents[1] / "data" / "valid" / "unknown_and_untyped.yml"
    out = _cli("gen-conf", str(src))
    assert out.returncode == 0, out.stderr
    assert "# wg0.nmconnection" in out.stdout and "# eth1.nmconnection" in out.stdout
    assert out.stdout.count("type=ethernet") == 2
    assert "wg0 has no type here; written as ethernet" in out.stderr


def test_gen_conf_untranslatable_is_invalid_input_not_a_crash(tmp_path: Path) -> None:
    """A port naming a controller the file does not describe: its slave-type is unknowable."""
    path = tmp_path / "s.yml"
    path.write_text("interfaces:\n- name: eth1\n  type: ethernet\n  controller: br7\n")
    src = str(path)
    out = _cli("gen-conf", src)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert f"{src}:2: interfaces[eth1]: " in out.stderr
    assert "'br7'" in out.stderr and "(fix: " in out.stderr
