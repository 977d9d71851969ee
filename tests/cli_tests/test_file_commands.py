"""The host-free file commands, run as a user would: validate, diff, format, gen-revert, gen-conf.

Every command gets ``--current FILE`` where it needs a current state, so
none of these tests needs NetworkManager (one test proves it by pointing
D-Bus at nothing).
"""

from __future__ import annotations

import configparser
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine import yamlio
from engine.merge import drop_absent, merge
from engine.normalize import normalize
from engine.secrets import PLACEHOLDER

EXE = str(Path(sys.executable).parent / "nmtui-state")
DATA = Path(__file__).resolve().parents[1] / "data"
VALID = DATA / "valid"
INVALID = DATA / "invalid"
NO_BUS = "unix:path=/nonexistent"
ANSI = "\x1b["


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI with ``args``; D-Bus points at nothing and NO_COLOR is unset unless ``env`` says."""
    full = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full["DBUS_SYSTEM_BUS_ADDRESS"] = NO_BUS
    full.update(env or {})
    return subprocess.run(
        [EXE, *args], input=stdin, capture_output=True, text=True, env=full, timeout=30
    )


def headers(path: Path) -> dict[str, str]:
    """The ``# expect:`` / ``# kind:`` / ``# current:`` lines of an invalid example."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"# (expect|kind|current): (.*)", line)
        if not m:
            break
        out[m[1]] = m[2]
    return out


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- validate

VALID_FILES = [
    "vlan.yml",
    "linux_bridge_port_vlans.yml",
    "bond_8023ad.yml",
    "routes.yml",
    "ethernet_8021x_peap.yml",
    "dns_resolver.yml",
]


def test_validate_valid_files_prints_ok_for_each() -> None:
    files = [str(VALID / name) for name in VALID_FILES]
    out = run("validate", *files)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [f"{f}: ok" for f in files]
    # D-Bus points at nothing: the files alone decide, and stderr says what was not checked.
    [note] = out.stderr.splitlines()
    assert "no host to check against" in note and "were not checked" in note


# (file, line the message must cite): schema errors, then semantic ones judged against
# the "# current:" state, and one wrong type whose hint used to be missing.
INVALID_CASES = [
    ("ipv4_prefix_33.yml", 10),
    ("unknown_interface_key.yml", 6),
    ("vlan_id_4095.yml", 8),
    ("bad_mac_address.yml", 6),
    ("dns_bad_server.yml", 6),
    ("route_gateway_wrong_family.yml", 10),
    ("stp_port_priority.yml", 9),
    ("unknown_8021x_key.yml", 8),
    ("ethtool_feature_not_bool.yml", 8),
    ("sem_vlan_base_missing.yml", 8),
    ("sem_bridge_port_missing.yml", 9),
    ("sem_route_nexthop_missing.yml", 7),
    ("sem_bridge_cycle.yml", 8),
    ("sem_own_controller.yml", 6),
    ("sem_veth_own_peer.yml", 7),
    ("sem_vxlan_own_base.yml", 8),
    ("sem_name_all.yml", 4),
    ("sem_multicast_mac.yml", 6),
]


@pytest.mark.parametrize(("name", "line"), INVALID_CASES)
def test_validate_invalid_names_file_line_path_and_fix(
    name: str, line: int, tmp_path: Path
) -> None:
    path = INVALID / name
    head = headers(path)
    args = ["validate", str(path)]
    if "current" in head:
        args += ["--current", write(tmp_path, "cur.yml", head["current"])]
    out = run(*args)
    assert out.returncode == 2, out.stdout + out.stderr
    assert f"{path}: ok" not in out.stdout
    first = out.stderr.splitlines()[0]
    assert first.startswith(f"nmtui-state: {path}:{line}: "), first
    assert f": {head['expect']}" in out.stderr
    assert re.search(r"\(fix: .+\)$", first), first
    assert "Traceback" not in out.stderr


def test_validate_judges_references_against_current(tmp_path: Path) -> None:
    """A base interface missing from --current is an error; without --current it is not."""
    path = str(INVALID / "sem_vlan_base_missing.yml")
    assert run("validate", path).returncode == 0
    cur = write(tmp_path, "cur.yml", "interfaces: []\n")
    out = run("validate", path, "--current", cur)
    assert out.returncode == 2
    assert "base-iface" in out.stderr


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("yaml_bad_indent.yml", 4),
        ("yaml_duplicate_key.yml", 5),
        ("yaml_tab_indent.yml", 1),
        ("yaml_unclosed_flow.yml", 11),
    ],
)
def test_broken_yaml_names_file_line_and_column(name: str, column: int) -> None:
    path = INVALID / name
    line = int(headers(path)["expect"].removeprefix("line "))
    out = run("validate", str(path))
    assert out.returncode == 2
    assert f"{path}:{line}: cannot parse YAML at column {column}:" in out.stderr
    assert "(fix: " in out.stderr
    assert "Traceback" not in out.stderr


def test_validate_many_files_reports_the_good_ones_and_fails() -> None:
    good1, good2 = str(VALID / "dummy.yml"), str(VALID / "vlan.yml")
    bad = str(INVALID / "vlan_id_4095.yml")
    out = run("validate", good1, bad, good2)
    assert out.returncode == 2
    assert out.stdout.splitlines() == [f"{good1}: ok", f"{good2}: ok"]
    assert f"{bad}:8: interfaces[vlan10].vlan.id" in out.stderr


def test_validate_goes_on_after_broken_yaml_and_missing_files(tmp_path: Path) -> None:
    broken = str(INVALID / "yaml_tab_indent.yml")
    missing = str(tmp_path / "missing.yml")
    good = str(VALID / "dummy.yml")
    out = run("validate", broken, missing, good)
    assert out.returncode == 2
    assert out.stdout.splitlines() == [f"{good}: ok"]
    assert f"{broken}:5:" in out.stderr
    assert f"cannot read {missing}" in out.stderr


def test_validate_reads_stdin() -> None:
    text = (VALID / "vlan.yml").read_text(encoding="utf-8")
    out = run("validate", "-", stdin=text)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "<stdin>: ok\n"
    bad = (INVALID / "vlan_id_4095.yml").read_text(encoding="utf-8")
    out = run("validate", "-", stdin=bad)
    assert out.returncode == 2
    assert "<stdin>:8: interfaces[vlan10].vlan.id" in out.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{missing}"],
        ["format", "{missing}"],
        ["format", "--json", "{missing}"],
        ["gen-conf", "{missing}"],
        ["gc", "--yaml", "{missing}"],
        ["diff", "--current", "{cur}", "{missing}"],
        ["diff", "--current", "{missing}", "{cur}"],
        ["gen-revert", "--current", "{cur}", "{missing}"],
    ],
)
def test_missing_file_exits_2_with_cannot_read(command: list[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yml")
    cur = str(VALID / "dummy.yml")
    out = run(*(a.format(missing=missing, cur=cur) for a in command))
    assert out.returncode == 2
    assert f"cannot read {missing}" in out.stderr
    assert "(fix: " in out.stderr
    assert "Traceback" not in out.stderr


# --------------------------------------------------------------------------- diff

CURRENT = """\
hostname:
  running: oldhost
  config: oldhost
dns-resolver:
  config:
    search: [example.com]
    server: [192.0.2.53]
routes:
  config:
    - destination: 0.0.0.0/0
      next-hop-address: 192.0.2.254
      next-hop-interface: br0
      metric: 100
      table-id: 254
interfaces:
  - name: eth1
    type: ethernet
    state: up
    mtu: 1500
    controller: br0
  - name: eth2
    type: ethernet
    state: up
    mtu: 1500
  - name: br0
    type: linux-bridge
    state: up
    mtu: 1500
    ipv4:
      enabled: true
      dhcp: false
      address:
        - ip: 192.0.2.1
          prefix-length: 24
    ipv6:
      enabled: false
    bridge:
      port:
        - name: eth1
"""

DESIRED = """\
hostname:
  config: newhost
dns-resolver:
  config:
    server: [192.0.2.54]
routes:
  config:
    - destination: 198.51.100.0/24
      next-hop-address: 192.0.2.254
      next-hop-interface: br0
interfaces:
  - name: br0
    type: linux-bridge
    mtu: 9000
    ipv4:
      enabled: true
      address:
        - ip: 192.0.2.9
          prefix-length: 24
    bridge:
      port:
        - name: eth1
        - name: eth2
  - name: eth2
    type: ethernet
    controller: br0
  - name: dummy0
    type: dummy
"""


@pytest.fixture
def states(tmp_path: Path) -> tuple[str, str]:
    return write(tmp_path, "cur.yml", CURRENT), write(tmp_path, "want.yml", DESIRED)


def _split_diff(stdout: str) -> tuple[list[str], list[str]]:
    """(summary lines, unified diff lines): a blank line separates them."""
    summary, _, rest = stdout.partition("\n\n")
    return summary.splitlines(), rest.splitlines()


def test_diff_prints_summary_then_unified_diff(states: tuple[str, str]) -> None:
    cur, want = states
    out = run("diff", "--current", cur, want)
    assert out.returncode == 0, out.stderr
    summary, unified = _split_diff(out.stdout)
    assert "br0: ipv4 address 192.0.2.1/24 → 192.0.2.9/24" in summary
    assert "br0: mtu 1500 → 9000" in summary
    assert "br0: ports + eth2" in summary
    assert "dummy0: new dummy interface" in summary
    assert "dns: server 192.0.2.53 → 192.0.2.54" not in summary  # a list: per-item lines
    assert "dns: server + 192.0.2.54" in summary
    assert any(line.startswith("@@ ") for line in unified)
    assert any(line.startswith("- ") and "ip: 192.0.2.1" in line for line in unified)
    assert any(line.startswith("+ ") and "ip: 192.0.2.9" in line for line in unified)
    assert any(line.startswith("+ ") and "mtu: 9000" in line for line in unified)
    assert any(line.startswith("  ") for line in unified)  # context lines
    assert ANSI not in out.stdout  # stdout is a pipe, not a tty


def test_diff_summary_only(states: tuple[str, str]) -> None:
    cur, want = states
    out = run("diff", "--current", cur, want, "--summary")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "br0: ipv4 address 192.0.2.1/24 → 192.0.2.9/24" in lines
    assert "" not in lines
    assert not any(line.startswith(("@@", "+ ", "- ")) for line in lines)


def test_diff_of_equal_states_says_no_changes(states: tuple[str, str]) -> None:
    cur, _ = states
    out = run("diff", "--current", cur, cur)
    assert (out.returncode, out.stdout) == (0, "no changes\n")


def test_diff_is_colored_only_on_a_tty(states: tuple[str, str]) -> None:
    """The pipe case has no ANSI codes (tested above) because colour follows isatty."""
    cur, want = states

    def on_tty(env: dict[str, str]) -> str:
        master, slave = os.openpty()
        try:
            full = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
            full.update(env, DBUS_SYSTEM_BUS_ADDRESS=NO_BUS)
            proc = subprocess.run(
                [EXE, "diff", "--current", cur, want], stdout=slave, env=full, timeout=30
            )
            assert proc.returncode == 0
        finally:
            os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the slave side is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        return b"".join(chunks).decode()

    assert "\x1b[31m" in on_tty({}) and "\x1b[32m" in on_tty({})
    assert ANSI not in on_tty({"NO_COLOR": "1"})


PASSWORD_CURRENT = """\
interfaces:
  - name: eth1
    type: ethernet
    state: up
    802.1x:
      identity: alice
      eap-methods: [peap]
      phase2-auth: mschapv2
      password: oldsecret
  - name: eth2
    type: ethernet
    state: up
"""

PASSWORD_DESIRED = """\
interfaces:
  - name: eth1
    type: ethernet
    802.1x:
      identity: alice
      eap-methods: [peap]
      phase2-auth: mschapv2
      password: newsecret
  - name: eth2
    type: ethernet
    802.1x:
      identity: bob
      eap-methods: [peap]
      phase2-auth: mschapv2
      password: bobsecret
"""


def test_diff_masks_secrets_unless_asked(tmp_path: Path) -> None:
    cur = write(tmp_path, "cur.yml", PASSWORD_CURRENT)
    want = write(tmp_path, "want.yml", PASSWORD_DESIRED)
    out = run("diff", "--current", cur, want)
    assert out.returncode == 0, out.stderr
    summary, unified = _split_diff(out.stdout)
    assert f"eth1: 802.1x password changed ({PLACEHOLDER})" in summary
    assert any(line.startswith("+ ") and f"password: {PLACEHOLDER}" in line for line in unified)
    assert "identity: bob" in out.stdout
    for secret in ("oldsecret", "newsecret", "bobsecret"):
        assert secret not in out.stdout + out.stderr
    shown = run("diff", "--current", cur, want, "-s")
    assert shown.returncode == 0, shown.stderr
    assert "eth1: 802.1x password oldsecret → newsecret" in shown.stdout
    assert "bobsecret" in shown.stdout
    assert PLACEHOLDER not in shown.stdout
    long = run("diff", "--current", cur, want, "--show-secrets", "--summary")
    assert "eth1: 802.1x password oldsecret → newsecret" in long.stdout


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


# --------------------------------------------------------------------------- gen-revert


def test_gen_revert_merged_onto_the_target_gives_back_current(states: tuple[str, str]) -> None:
    cur, want = states
    out = run("gen-revert", "--current", cur, want)
    assert out.returncode == 0, out.stderr
    revert = yamlio.loads(out.stdout)
    assert {"name": "dummy0", "type": "dummy", "state": "absent"} in revert["interfaces"]
    current, desired = yamlio.loads(CURRENT), yamlio.loads(DESIRED)
    merged = merge(desired, current)
    assert drop_absent(merged) != normalize(current)
    assert drop_absent(merge(revert, merged)) == normalize(current)


def test_gen_revert_of_no_change_is_empty(states: tuple[str, str]) -> None:
    cur, _ = states
    out = run("gen-revert", "--current", cur, cur)
    assert out.returncode == 0, out.stderr
    assert yamlio.loads(out.stdout) == {}


def test_gen_revert_refuses_an_invalid_desired_state(states: tuple[str, str]) -> None:
    cur, _ = states
    bad = INVALID / "vlan_id_4095.yml"
    out = run("gen-revert", "--current", cur, str(bad))
    assert out.returncode == 2
    assert f"{bad}:8: interfaces[vlan10].vlan.id" in out.stderr
    assert out.stdout == ""


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
