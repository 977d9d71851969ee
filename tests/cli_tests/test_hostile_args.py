"""Arguments and environments an attacker or a careless admin gives: one line, a defined exit.

Each case here was a traceback, a hang or a leak before (see the hostile-input
issue): checkpoint names, timeouts, a netns for a user who cannot enter it,
secrets inside messages, escape sequences in names.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nmtui_state.sandbox import Sandbox

EXE = str(Path(sys.executable).parent / "nmtui-state")
SECRET = "123456789"
DOT1X_FILE = (
    "interfaces:\n- name: eth1\n  type: ethernet\n  802.1x:\n    identity: bob\n"
    "    eap-methods: [peap]\n    password: {password}\n"
)


def run(
    *args: str, env: dict[str, str] | None = None, user: str | None = None
) -> subprocess.CompletedProcess[str]:
    argv = [EXE, *args]
    if user is not None:
        setpriv = shutil.which("setpriv")
        if setpriv is None or os.geteuid() != 0:
            pytest.skip("needs root and setpriv to run as another user")
        argv = [setpriv, f"--reuid={user}", f"--regid={user}", "--clear-groups", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)


def one_line(out: subprocess.CompletedProcess[str]) -> str:
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["commit", "rollback"])
@pytest.mark.parametrize("given", ["garbage", "-1", "/x/../..", "0", "99999999999"])
def test_bad_checkpoint_names_are_input_errors(command: str, given: str) -> None:
    out = run(
        command, given, env={**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/nonexistent"}
    )
    assert out.returncode == 2
    line = one_line(out)
    assert repr(given) in line and "is not a checkpoint" in line


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("-1", "out of range; give 1 to 4294967295"),
        ("4294967296", "out of range; give 1 to 4294967295"),
        ("0", "never to roll back"),
        ("1e3", "not a number of seconds"),
    ],
)
def test_timeouts_outside_what_nm_means_are_refused(tmp_path: Path, value: str, said: str) -> None:
    state = tmp_path / "s.yml"
    state.write_text("interfaces: []\n")
    out = run("apply", "--timeout", value, str(state))
    assert out.returncode == 2
    assert said in one_line(out)


def test_a_typo_after_no_commit_says_the_checkpoint_is_still_pending(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    state = tmp_path / "s.yml"
    state.write_text("hostname:\n  config: typo-test\n")
    applied = run("apply", "--no-commit", "--timeout", "60", str(state), env=demo_sandbox.env())
    assert applied.returncode == 0, applied.stderr
    typo = run("rollback", "x1", env=demo_sandbox.env())
    assert typo.returncode == 2
    line = one_line(typo)
    assert "'x1' is not a checkpoint" in line and "still pending" in line
    back = run("rollback", env=demo_sandbox.env())
    assert back.returncode == 0, back.stderr


def test_a_netns_the_user_cannot_enter_is_no_backend(demo_sandbox: Sandbox) -> None:
    """Not root, NMTUI_STATE_NETNS set: exit 3 with advice, not a setns traceback."""
    env = {**demo_sandbox.env(), "HOME": "/tmp"}
    for command in (["show"], ["diff", "/dev/null"]):
        out = run(*command, env=env, user="65534")
        assert out.returncode == 3, out.stderr
        assert "Traceback" not in out.stderr


def test_a_bus_that_refuses_the_user_says_permission_not_is_dbus_running(
    demo_sandbox: Sandbox,
) -> None:
    env = {**demo_sandbox.env(), "HOME": "/tmp"}
    env.pop("NMTUI_STATE_NETNS")
    shown = run("show", env=env, user="65534")  # show falls back to the kernel's view
    assert shown.returncode == 0
    assert "permission denied reaching D-Bus" in shown.stderr
    assert "is dbus running" not in shown.stderr
    out = run("commit", env=env, user="65534")  # a command that needs NM: exit 3
    assert out.returncode == 3, out.stderr
    line = one_line(out)
    assert "ermission denied" in line and "is dbus running" not in line


def test_a_secret_is_never_quoted_in_a_validation_error(tmp_path: Path) -> None:
    state = tmp_path / "s.yml"
    state.write_text(DOT1X_FILE.format(password=SECRET))  # an int: a schema error at it
    out = run("validate", str(state))
    assert out.returncode == 2
    assert "802.1x.password" in out.stderr and SECRET not in out.stderr + out.stdout


@pytest.mark.parametrize("command", ["format", "gen-conf"])
def test_format_and_gen_conf_mask_secrets_unless_asked(tmp_path: Path, command: str) -> None:
    state = tmp_path / "s.yml"
    state.write_text(DOT1X_FILE.format(password=f'"{SECRET}"'))
    masked = run(command, str(state))
    assert masked.returncode == 0, masked.stderr
    assert SECRET not in masked.stdout and "bob" in masked.stdout
    clear = run(command, "--show-secrets", str(state))
    assert clear.returncode == 0, clear.stderr
    assert SECRET in clear.stdout


def test_escape_sequences_in_a_name_reach_the_terminal_escaped(tmp_path: Path) -> None:
    state = tmp_path / "s.yml"
    state.write_text('interfaces:\n- name: "e\\e]0;owned\\a"\n  type: ethernet\n  mtu: -5\n')
    out = run("validate", str(state))
    assert out.returncode == 2
    assert "\x1b" not in out.stderr and "\x07" not in out.stderr
    assert "\\x1b]0;owned\\x07" in out.stderr
