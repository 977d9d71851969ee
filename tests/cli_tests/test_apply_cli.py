"""The host commands' contract with scripts: exit codes, one-line messages, nothing touched.

* 2: the input is wrong (YAML, schema, references, names); the host is not
  touched, so ``show`` prints the same bytes before and after;
* 3: no NetworkManager to talk to, with one line saying what to do;
* 1: nothing to commit or roll back;
* ``edit``: the $EDITOR round trip applies what was saved, and broken YAML
  asks to edit again instead of losing the edit.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import by_name, cli, show_text, write_state

pytestmark = pytest.mark.nm


BAD_INPUT: dict[str, tuple[str, list[str]]] = {
    # case: (file text, what the message must name)
    "yaml": (
        "interfaces:\n- name: eth1\n  type: veth\n   ipv4: {enabled: true}\n",
        ["bad.yml:4:", "cannot parse YAML"],
    ),
    "schema": (
        "interfaces:\n- name: eth1\n  type: veth\n  ipv4:\n    enabled: maybe\n",
        ["bad.yml:5:", "interfaces[eth1].ipv4.enabled", "true or false"],
    ),
    "unknown-base-vlan": (
        "interfaces:\n- name: eth9.5\n  type: vlan\n  vlan: {base-iface: eth9, id: 5}\n",
        ["interfaces[eth9.5].vlan.base-iface", "eth9", "does not exist"],
    ),
    "unknown-base-mac-vlan": (
        "interfaces:\n- name: mv9\n  type: mac-vlan\n"
        "  mac-vlan: {base-iface: eth9, mode: bridge}\n",
        ["interfaces[mv9].mac-vlan.base-iface", "eth9", "does not exist"],
    ),
    "bridge-cycle": (
        "interfaces:\n- name: brA\n  type: linux-bridge\n  bridge: {port: [{name: brB}]}\n"
        "- name: brB\n  type: linux-bridge\n  bridge: {port: [{name: brA}]}\n",
        ["bad.yml:4:", "interfaces[brA].bridge.port[brB]", "brA → brB → brA", "fix: remove"],
    ),
    "veth-own-peer": (
        "interfaces:\n- name: vx0\n  type: veth\n  veth: {peer: vx0}\n",
        ["interfaces[vx0].veth.peer", "its own peer"],
    ),
    "reserved-name": (
        "interfaces:\n- name: default\n  type: linux-bridge\n",
        ["interfaces[default].name", "reserved", "/proc/sys/net"],
    ),
    "multicast-mac": (
        "interfaces:\n- name: eth1\n  mac-address: '01:00:5E:00:00:01'\n",
        ["interfaces[eth1].mac-address", "multicast", "unicast"],
    ),
    "long-name": (
        "interfaces:\n- name: averyveryverylongname0\n  type: linux-bridge\n",
        ["interfaces[averyveryverylongname0].name", "22 bytes", "15"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_exits_2_and_touches_nothing(host: Sandbox, tmp_path: Path, case: str) -> None:
    text, named = BAD_INPUT[case]
    path = tmp_path / "bad.yml"
    path.write_text(text)
    before = show_text(host)
    out = cli(host, "apply", str(path))
    assert out.returncode == 2, out.stderr
    for word in named:
        assert word in out.stderr, (word, out.stderr)
    assert out.stdout == ""
    assert show_text(host) == before


@pytest.mark.parametrize("command", [["apply", "STATE"], ["commit"], ["rollback"]])
def test_no_backend_exits_3_with_one_line(
    host: Sandbox, tmp_path: Path, command: list[str]
) -> None:
    state = write_state(tmp_path, "ok.yml", {"hostname": {"config": "x"}})
    argv = [state if arg == "STATE" else arg for arg in command]
    out = cli(host, *argv, DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={tmp_path}/missing")
    assert out.returncode == 3, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert f"{tmp_path}/missing" in lines[0] and "try:" in lines[0]


@pytest.mark.parametrize(("command", "what"), [("commit", "commit"), ("rollback", "roll back")])
def test_nothing_pending_exits_1(host: Sandbox, command: str, what: str) -> None:
    out = cli(host, command)
    assert out.returncode == 1
    assert out.stderr.strip() == (
        f"nmtui-state: no checkpoint is pending, so there is nothing to {what} "
        "(apply --no-commit leaves one; it may also have timed out already)"
    )


def _editor(tmp_path: Path, script: str) -> str:
    path = tmp_path / "editor.sh"
    path.write_text("#!/bin/sh\nset -e\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def _eth1(sb: Sandbox) -> dict[str, Any]:
    return by_name(yaml.safe_load(show_text(sb)))["eth1"]


def _restore_eth1(sb: Sandbox, tmp_path: Path, old: dict[str, Any], before: str) -> None:
    state = {"interfaces": [{k: old[k] for k in ("name", "type", "ipv4", "ipv6")}]}
    assert cli(sb, "apply", "-q", write_state(tmp_path, "restore.yml", state)).returncode == 0
    assert show_text(sb) == before


def test_edit_applies_the_saved_change(host: Sandbox, tmp_path: Path) -> None:
    before, old = show_text(host), _eth1(host)
    editor = _editor(tmp_path, 'sed -i "s/192.0.2.10/192.0.2.44/" "$1"\n')
    out = cli(host, "edit", "eth1", EDITOR=editor)
    assert out.returncode == 0, out.stderr
    assert "eth1: ipv4 address 192.0.2.10/24 → 192.0.2.44/24" in out.stdout
    eth1 = _eth1(host)
    assert eth1["ipv4"]["address"] == [{"ip": "192.0.2.44", "prefix-length": 24}]
    assert eth1["ipv6"] == old["ipv6"]
    _restore_eth1(host, tmp_path, old, before)


def test_edit_broken_yaml_asks_again(host: Sandbox, tmp_path: Path) -> None:
    """First save: broken YAML; the retry prompt is answered yes; second save: valid."""
    before, old = show_text(host), _eth1(host)
    editor = _editor(
        tmp_path,
        'if [ ! -e "$1.orig" ]; then\n'
        '  cp "$1" "$1.orig"\n'
        '  printf "interfaces:\\n- name: eth1\\n   type: veth\\n" > "$1"\n'
        "else\n"
        '  sed "s/192.0.2.10/192.0.2.45/" "$1.orig" > "$1"\n'
        '  rm "$1.orig"\n'
        "fi\n",
    )
    out = cli(host, "edit", "eth1", EDITOR=editor, stdin="y\n")
    assert out.returncode == 0, out.stderr
    assert "cannot parse YAML" in out.stderr and "edit again? [Y/n]" in out.stderr
    assert _eth1(host)["ipv4"]["address"] == [{"ip": "192.0.2.45", "prefix-length": 24}]
    _restore_eth1(host, tmp_path, old, before)


def test_edit_broken_yaml_declined_touches_nothing(host: Sandbox, tmp_path: Path) -> None:
    before = show_text(host)
    editor = _editor(tmp_path, 'printf "interfaces: [\\n" > "$1"\n')
    out = cli(host, "edit", EDITOR=editor, stdin="n\n")
    assert out.returncode == 2
    assert "cannot parse YAML" in out.stderr
    assert show_text(host) == before
