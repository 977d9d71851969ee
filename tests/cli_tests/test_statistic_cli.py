"""nmstatectl's reporting commands and names: ``statistic``, ``version``, ``set``, ``gr``.

``statistic`` against the demo host reads the live state the way ``diff``
does, so a file that only names br0 still shows what br0 carries; with
``--current`` it needs no host, and with neither it exits 3 in one line.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import cli
from tests.cli_tests.file_helpers import run, write

DESIRED = (
    "interfaces:\n- {name: br0, type: linux-bridge}\n"
    "dns-resolver:\n  config:\n    server: [192.0.2.53]\n"
)


def test_statistic_of_the_live_host(module_demo_sandbox: Sandbox, tmp_path: Path) -> None:
    path = write(tmp_path, "d.yml", DESIRED)
    out = cli(module_demo_sandbox, "statistic", path)
    assert out.returncode == 0, out.stderr
    # br0 is named only; its addresses and its veth ports come from the host.
    want = {
        "topology": ["static_ip4,static_ip6 -> linux-bridge -> veth"],
        "features": ["static-dns-name-server"],
    }
    assert yaml.safe_load(out.stdout) == want
    assert out.stdout.startswith("topology:")  # nmstatectl's key order
    as_json = cli(module_demo_sandbox, "statistic", "--json", path)
    assert json.loads(as_json.stdout) == want


def test_set_is_apply_and_no_file_reads_stdin(host: Sandbox) -> None:
    out = cli(host, "set", "-q", stdin="hostname:\n  config: demo-host\n")
    assert out.returncode == 0, out.stderr
    assert "'set' is deprecated" in out.stderr and "use 'apply'" in out.stderr
    again = cli(host, "apply", stdin="hostname:\n  config: demo-host\n")
    assert again.returncode == 0 and again.stdout.strip() == "nothing to change", again


def test_edit_takes_nmstatectls_no_verify_and_memory_only(host: Sandbox) -> None:
    out = cli(host, "edit", "--no-verify", "--memory-only", "eth1", EDITOR="true")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "nothing to change"


def test_statistic_with_current_needs_no_host(tmp_path: Path) -> None:
    current = write(tmp_path, "cur.yml", "interfaces:\n- {name: eth1, type: ethernet}\n")
    second = write(
        tmp_path,
        "e.yml",
        "interfaces:\n- name: br0\n  type: linux-bridge\n  bridge: {port: [{name: eth1}]}\n",
    )
    out = run("statistic", "-c", current, write(tmp_path, "d.yml", DESIRED), second)
    assert out.returncode == 0, out.stderr
    assert yaml.safe_load(out.stdout) == {
        "topology": ["linux-bridge -> ethernet"],
        "features": ["static-dns-name-server"],
    }


def test_statistic_without_a_host_exits_3_in_one_line(tmp_path: Path) -> None:
    out = run("statistic", write(tmp_path, "d.yml", DESIRED))
    assert out.returncode == 3
    assert len(out.stderr.strip().splitlines()) == 1
    assert "--current" in out.stderr and out.stdout == ""


def test_statistic_refuses_an_invalid_file(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yml", "interfaces:\n- name: br0\n  type: linux-bridge\n  mtu: x\n")
    current = write(tmp_path, "cur.yml", "interfaces: []\n")
    out = run("statistic", "--current", current, bad)
    assert out.returncode == 2 and "bad.yml:4" in out.stderr, out.stderr


def test_version_command_prints_what_version_flag_does() -> None:
    flag, command = run("--version"), run("version")
    assert command.returncode == 0 and command.stdout == flag.stdout
    assert command.stdout.startswith("nmtui-state ")


def test_gr_is_gen_revert_with_short_current_and_json(tmp_path: Path) -> None:
    current = write(tmp_path, "cur.yml", "interfaces:\n- {name: eth1, type: ethernet, mtu: 1500}\n")
    desired = write(tmp_path, "d.yml", "interfaces:\n- {name: eth1, type: ethernet, mtu: 9000}\n")
    long = run("gen-revert", "--current", current, desired)
    short = run("gr", "-c", current, "--json", desired)
    assert long.returncode == short.returncode == 0, short.stderr
    assert json.loads(short.stdout) == yaml.safe_load(long.stdout)
    assert yaml.safe_load(long.stdout)["interfaces"][0]["mtu"] == 1500


def test_format_without_a_file_reads_stdin() -> None:
    out = run("format", stdin="interfaces:\n- {type: dummy, name: d0}\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("interfaces:\n- name: d0\n  type: dummy")
