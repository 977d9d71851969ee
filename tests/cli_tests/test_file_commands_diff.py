"""The host-free file commands diff and gen-revert, run as a user would.

Both get ``--current FILE``, so none of these tests needs NetworkManager.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from engine import yamlio
from engine.merge import drop_absent, merge
from engine.normalize import normalize
from engine.secrets import PLACEHOLDER
from tests.cli_tests.file_helpers import ANSI, CURRENT, DESIRED, EXE, INVALID, NO_BUS, run, write

# --------------------------------------------------------------------------- diff


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
