"""``nmtui-state service``: the first-boot apply of a state directory, like ``nmstatectl service``.

Three files (a bridge, a route + DNS change, a VLAN this kernel cannot
create): the two good ones are applied and renamed to ``.applied``, the
VLAN is rolled back and stays, the exit code is 1, and every event is one
plain log line. A second run applies nothing; ``keep_state_file_after_apply``
keeps the files and does not re-apply them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.service import read_conf, state_files
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import by_name, cli, live

BRIDGE = """interfaces:
- name: br1
  type: linux-bridge
  state: up
  ipv4: {enabled: false}
  ipv6: {enabled: false}
  bridge: {port: []}
"""
ROUTE_DNS = """dns-resolver:
  config:
    server: [192.0.2.54]
routes:
  config:
  - destination: 198.51.100.0/24
    next-hop-address: 192.0.2.1
    next-hop-interface: eth1
"""
VLAN = """interfaces:
- name: eth1.10
  type: vlan
  state: up
  vlan: {base-iface: eth1, id: 10}
  ipv4: {enabled: false}
  ipv6: {enabled: false}
"""
ANSI = re.compile(r"\x1b\[")


def _drop(folder: Path, keep: bool | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "10-bridge.yml").write_text(BRIDGE)
    (folder / "20-route-dns.yml").write_text(ROUTE_DNS)
    (folder / "30-vlan.yml").write_text(VLAN)
    if keep is not None:
        (folder / "nmstate.conf").write_text(
            f"[service]\nkeep_state_file_after_apply = {str(keep).lower()}\n"
        )
    return folder


def _service(sb: Sandbox, folder: Path, tmp_path: Path) -> tuple[int, list[str], str]:
    out = cli(sb, "service", "--config-dir", str(folder), "--status", str(tmp_path / "st.json"))
    assert not ANSI.search(out.stdout + out.stderr), "the log must carry no colour"
    return out.returncode, out.stdout.splitlines(), out.stderr


@pytest.mark.slow
async def test_service_applies_good_files_and_leaves_the_failing_one(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    folder = _drop(tmp_path / "nmstate")
    rc, log, err = _service(demo_sandbox, folder, tmp_path)
    assert rc == 1, (log, err)
    assert sorted(p.name for p in folder.iterdir()) == [
        "10-bridge.applied",
        "20-route-dns.applied",
        "30-vlan.yml",
    ]
    assert (folder / "10-bridge.applied").read_text() == BRIDGE  # renamed, not rewritten
    # One line per event, in name order, each naming its file and what happened.
    assert log[0] == f"nmtui-state service: {folder}: 3 state file(s) to apply"
    assert log[1] == (
        "nmtui-state service: 10-bridge.yml: applied (1 changes), renamed to 10-bridge.applied"
    )
    assert log[2].startswith("nmtui-state service: 20-route-dns.yml: applied (")
    assert log[3].startswith("nmtui-state service: 30-vlan.yml: failed, rolled back, left in place")
    assert "lacks vlan support" in log[3]
    assert log[4] == (
        "nmtui-state service: done: 2 applied, 0 unchanged, 1 failed, 0 invalid; exit 1"
    )
    assert len(log) == 5
    assert "30-vlan.yml: this kernel lacks vlan support" in err
    state = await live(demo_sandbox)
    ifaces = by_name(state)
    assert "br1" in ifaces and "eth1.10" not in ifaces
    assert "192.0.2.54" in state["dns-resolver"]["config"]["server"]
    assert any(r["destination"] == "198.51.100.0/24" for r in state["routes"]["config"])
    status = json.loads((tmp_path / "st.json").read_text())
    assert [e["event"] for e in status["events"]] == ["applied", "applied", "failed"]

    # Again: the applied files are not touched; only the still-failing file is tried.
    rc, log, _ = _service(demo_sandbox, folder, tmp_path)
    assert rc == 1
    assert not [line for line in log if ": applied" in line]
    assert "1 state file(s)" in log[0]
    # Once the failing file is dealt with, a run is a no-op that succeeds.
    (folder / "30-vlan.yml").unlink()
    rc, log, _ = _service(demo_sandbox, folder, tmp_path)
    assert rc == 0
    assert log == [
        f"nmtui-state service: {folder}: 0 state file(s) to apply",
        "nmtui-state service: done: 0 applied, 0 unchanged, 0 failed, 0 invalid; exit 0",
    ]


@pytest.mark.slow
async def test_keep_state_file_after_apply_keeps_files_and_skips_them_next_time(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    folder = _drop(tmp_path / "nmstate", keep=True)
    (folder / "30-vlan.yml").unlink()
    rc, log, err = _service(demo_sandbox, folder, tmp_path)
    assert rc == 0, (log, err)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "10-bridge.applied",
        "10-bridge.yml",
        "20-route-dns.applied",
        "20-route-dns.yml",
        "nmstate.conf",
    ]
    assert (folder / "20-route-dns.applied").read_text() == ROUTE_DNS
    assert "applied (1 changes), copied to 10-bridge.applied" in log[1]
    rc, log, _ = _service(demo_sandbox, folder, tmp_path)
    assert rc == 0
    assert log[1] == (
        "nmtui-state service: 10-bridge.yml: unchanged (same as 10-bridge.applied), "
        "not applied again"
    )
    assert not [line for line in log if ": applied" in line]
    # An edited file is new again.
    (folder / "10-bridge.yml").write_text(BRIDGE.replace("state: up", "state: up\n  mtu: 1400"))
    rc, log, _ = _service(demo_sandbox, folder, tmp_path)
    assert rc == 0 and "10-bridge.yml: applied (1 changes)" in log[1]
    assert by_name(await live(demo_sandbox))["br1"]["mtu"] == 1400


async def test_invalid_file_is_left_in_place_and_exits_2(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    folder = tmp_path / "nmstate"
    folder.mkdir()
    (folder / "05-bad.yml").write_text("interfaces:\n- name: eth1\n  type: veth\n  mtu: lots\n")
    rc, log, err = _service(demo_sandbox, folder, tmp_path)
    assert rc == 2
    assert (folder / "05-bad.yml").exists()
    assert "05-bad.yml: invalid, nothing touched, left in place" in log[1]
    assert "05-bad.yml:4" in log[1] and "Traceback" not in err


def test_nmstate_conf_values(tmp_path: Path) -> None:
    assert read_conf(tmp_path).keep_state_file_after_apply is False
    (tmp_path / "nmstate.conf").write_text("[service]\nkeep_state_file_after_apply = true\n")
    assert read_conf(tmp_path).keep_state_file_after_apply is True
    (tmp_path / "nmstate.conf").write_text("[service]\nkeep_state_file_after_apply = sure\n")
    out = cli_no_host(tmp_path)
    assert out.returncode == 2
    assert "nmstate.conf: service.keep_state_file_after_apply: must be true or false" in out.stderr


def test_yml_and_yaml_of_one_name_apply_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(BRIDGE)
    (tmp_path / "a.yaml").write_text(BRIDGE)
    (tmp_path / "b.yml").write_text(BRIDGE)
    with pytest.raises(Exception, match=r"both a.yaml and a.yml exist"):
        state_files(tmp_path)
    out = cli_no_host(tmp_path)
    assert out.returncode == 2 and "nothing was applied" in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "a.yml", "b.yml"]


def cli_no_host(folder: Path) -> object:
    """The service against no NetworkManager at all: input errors come first (exit 2)."""
    import subprocess

    from tests.backend_tests.apply_helpers import EXE

    return subprocess.run(
        [EXE, "service", "-c", str(folder), "--status", ""],
        env={"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={folder}/nobus", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
