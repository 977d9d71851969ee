"""NetworkManager stopping during an apply: no rollback is possible, and the user is told so.

A checkpoint lives in NM's memory, so when NM dies the change stays half
done. The apply must say that (not a bare D-Bus error), list the steps that
may have run, and leave a state that undoes the change once NM is back.
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from engine import yamlio
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import EXE, ip, write_state

pytestmark = pytest.mark.nm


def test_nm_killed_mid_apply_says_half_applied_and_how_to_undo(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    sb = demo_sandbox
    desired = {
        "interfaces": [
            {
                "name": f"br{i}",
                "type": "linux-bridge",
                "ipv4": {"enabled": True, "address": [ip(f"198.18.{i}.1", 24)]},
            }
            for i in range(10, 16)
        ]
    }
    proc = subprocess.Popen(
        [EXE, "apply", write_state(tmp_path, "many.yml", desired)],
        env=sb.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()  # the apply is at work inside its checkpoint
    assert first.startswith("  "), first
    sb.kill_nm(signal.SIGKILL)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert "NetworkManager stopped during the apply" in err
    assert "half-applied" in err and "br10: " in err
    undo = [line for line in err.splitlines() if "nmtui-state apply /" in line]
    assert undo, err
    path = Path(undo[0].split("nmtui-state apply ", 1)[1].rstrip("'"))
    state = yamlio.loads(path.read_text())
    absent = {i["name"] for i in state["interfaces"] if i.get("state") == "absent"}
    assert {f"br{i}" for i in range(10, 16)} <= absent
    assert path.stat().st_mode & 0o777 == 0o600
