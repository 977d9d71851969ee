"""The host-free file commands, run as a user would: validate (and unreadable files).

Every command gets ``--current FILE`` where it needs a current state, so
none of these tests needs NetworkManager. diff and gen-revert are in
``test_file_commands_diff.py``; format, gen-conf and the no-host check in
``test_file_commands_conf.py``; the shared helpers in ``file_helpers.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_tests.file_helpers import INVALID, VALID, run, write


def headers(path: Path) -> dict[str, str]:
    """The ``# expect:`` / ``# kind:`` / ``# current:`` lines of an invalid example."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"# (expect|kind|current): (.*)", line)
        if not m:
            break
        out[m[1]] = m[2]
    return out


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
