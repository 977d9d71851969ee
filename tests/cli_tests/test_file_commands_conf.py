"""The host-free file commands format and gen-conf, and proof that none needs a host.

The last test points D-Bus at nothing: every file command still works and
only the host reads fail.
"""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path
from typing import Any

import yaml

from tests.cli_tests.file_helpers import INVALID, NO_BUS, VALID, run, write

# --------------------------------------------------------------------------- format

MESSY = """\
routes:
  config:
    - next-hop-interface: eth1
      destination: 198.51.100.0/24
interfaces:
  - ipv4:
      enabled: false
    mtu: 1500
    state: up
    type: ethernet
    name: eth1
  - vlan:
      id: 10
      base-iface: eth1
    type: vlan
    name: eth1.10
    state: up
dns-resolver:
  config:
    server: [192.0.2.53]
# a comment is dropped
"""


def test_format_orders_keys_and_is_idempotent(tmp_path: Path) -> None:
    src = write(tmp_path, "messy.yml", MESSY)
    out = run("format", src)
    assert out.returncode == 0, out.stderr
    formatted = yaml.safe_load(out.stdout)
    assert formatted == yaml.safe_load(MESSY)
    for iface in formatted["interfaces"]:
        assert list(iface)[:3] == ["name", "type", "state"]
    assert list(formatted) == ["dns-resolver", "routes", "interfaces"]
    assert list(formatted["routes"]["config"][0]) == ["destination", "next-hop-interface"]
    lines = out.stdout.splitlines()
    at = lines.index("- name: eth1.10")
    assert lines[at + 1 : at + 3] == ["  type: vlan", "  state: up"]
    again = run("format", write(tmp_path, "formatted.yml", out.stdout))
    assert again.returncode == 0
    assert again.stdout == out.stdout


def test_format_json_equals_the_yaml(tmp_path: Path) -> None:
    src = write(tmp_path, "messy.yml", MESSY)
    out = run("format", "--json", src)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data == yaml.safe_load(MESSY)
    assert list(data["interfaces"][0])[:3] == ["name", "type", "state"]
    as_yaml = run("format", src)
    assert data == yaml.safe_load(as_yaml.stdout)


def test_format_reads_stdin() -> None:
    out = run("format", "-", stdin=MESSY)
    assert out.returncode == 0, out.stderr
    assert yaml.safe_load(out.stdout) == yaml.safe_load(MESSY)


# --------------------------------------------------------------------------- gen-conf

BRIDGE_VLAN = """\
interfaces:
  - name: eth1
    type: ethernet
    state: up
  - name: eth2
    type: ethernet
    state: up
  - name: br0
    type: linux-bridge
    state: up
    ipv4:
      enabled: true
      address:
        - ip: 192.0.2.1
          prefix-length: 24
    bridge:
      options:
        stp:
          enabled: false
      port:
        - name: eth1
        - name: eth2
  - name: br0.10
    type: vlan
    state: up
    vlan:
      base-iface: br0
      id: 10
    ipv4:
      enabled: true
      dhcp: true
"""
NAMES = ["eth1", "eth2", "br0", "br0.10"]


def _keyfiles(stdout: str) -> dict[str, str]:
    """``# <name>.nmconnection`` headed blocks → {file name: text}."""
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in stdout.splitlines():
        m = re.fullmatch(r"# (\S+\.nmconnection)", line)
        if m:
            current = files.setdefault(m[1], [])
        else:
            assert current is not None, f"text before the first header: {line!r}"
            current.append(line)
    return {name: "\n".join(lines).strip() + "\n" for name, lines in files.items()}


def _parse(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


def test_gen_conf_prints_a_keyfile_per_interface(tmp_path: Path) -> None:
    out = run("gen-conf", write(tmp_path, "state.yml", BRIDGE_VLAN))
    assert out.returncode == 0, out.stderr
    files = _keyfiles(out.stdout)
    assert list(files) == [f"{n}.nmconnection" for n in NAMES]
    conf = {name.removesuffix(".nmconnection"): _parse(text) for name, text in files.items()}
    for name in NAMES:
        assert conf[name]["connection"]["interface-name"] == name
        assert conf[name].sections()[0] == "connection"
    for port in ("eth1", "eth2"):
        assert conf[port]["connection"]["type"] == "ethernet"
        assert conf[port]["connection"]["master"] == "br0"
        assert conf[port]["connection"]["slave-type"] == "bridge"
        assert conf[port].has_section("bridge-port")
        assert conf[port]["ipv4"]["method"] == "disabled"
    assert conf["br0"]["connection"]["type"] == "bridge"
    assert conf["br0"]["bridge"]["stp"] == "false"
    assert conf["br0"]["ipv4"]["method"] == "manual"
    assert conf["br0"]["ipv4"]["address1"] == "192.0.2.1/24"
    assert conf["br0.10"]["connection"]["type"] == "vlan"
    assert dict(conf["br0.10"]["vlan"]) == {"parent": "br0", "id": "10"}
    assert conf["br0.10"]["ipv4"]["method"] == "auto"


def test_gc_yaml_gives_nmstatectl_shape(tmp_path: Path) -> None:
    src = write(tmp_path, "state.yml", BRIDGE_VLAN)
    plain = _keyfiles(run("gen-conf", src).stdout)
    out = run("gc", "--yaml", src)
    assert out.returncode == 0, out.stderr
    data = yaml.safe_load(out.stdout)
    assert list(data) == ["NetworkManager"]
    pairs: list[Any] = data["NetworkManager"]
    assert all(isinstance(p, list) and len(p) == 2 for p in pairs)
    assert [name for name, _ in pairs] == list(plain)
    for name, content in pairs:
        assert content == plain[name]
        _parse(content)


def test_gen_conf_refuses_an_invalid_state() -> None:
    bad = INVALID / "vlan_id_4095.yml"
    out = run("gen-conf", str(bad))
    assert out.returncode == 2
    assert f"{bad}:8: interfaces[vlan10].vlan.id" in out.stderr
    assert out.stdout == ""


def test_gen_conf_refuses_dns_families_that_alternate(tmp_path: Path) -> None:
    """nmstate's gen-conf cannot place them either: keyfiles keep each family apart."""
    state = """\
dns-resolver:
  config:
    server: [192.0.2.1, "2001:db8::1", 192.0.2.2]
interfaces:
- name: eth1
  type: ethernet
"""
    out = run("gen-conf", write(tmp_path, "dns.yml", state))
    assert out.returncode == 2, out.stderr
    assert "dns-resolver.config.server: IPv4 and IPv6 name servers alternate" in out.stderr
    assert "(fix: list the servers of one family first" in out.stderr
    assert out.stdout == ""


# --------------------------------------------------------------------------- no host


def test_file_commands_need_no_networkmanager(states: tuple[str, str], tmp_path: Path) -> None:
    """With D-Bus pointing nowhere the file commands still work; only host reads fail (3)."""
    cur, want = states
    gc_src = write(tmp_path, "gc.yml", BRIDGE_VLAN)
    env = {"DBUS_SYSTEM_BUS_ADDRESS": NO_BUS, "DBUS_SESSION_BUS_ADDRESS": NO_BUS}
    for args in (
        ["validate", want, str(VALID / "vlan.yml")],
        ["validate", want, "--current", cur],
        ["format", want],
        ["format", "--json", want],
        ["gen-conf", gc_src],
        ["gc", "--yaml", gc_src],
        ["diff", "--current", cur, want],
        ["diff", "--current", cur, want, "--summary"],
        ["gen-revert", "--current", cur, want],
    ):
        out = run(*args, env=env)
        assert out.returncode == 0, (args, out.stderr)
        assert out.stdout
    # The environment really has no NetworkManager: reading the host fails, cleanly.
    for command in ("diff", "gen-revert"):
        out = run(command, want, env=env)
        assert out.returncode == 3, out.stderr
        assert "--current FILE" in out.stderr
