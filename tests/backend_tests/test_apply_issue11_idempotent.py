"""Issue 11, idempotent apply: the same file twice, and show's output, change nothing.

NM calls are counted by wrapping NMClient.call: no profile write, reapply
or activation may happen on the second run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.backend.nm_dbus import (
    NMClient,
)
from engine.comparable import comparable
from engine.yamlio import dumps
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    apply,
    cli,
    ip,
    show_text,
    write_state,
)
from tests.backend_tests.test_apply_issue11_routes import SRC_CWND, TYPED

pytestmark = pytest.mark.nm


# -- idempotent apply -------------------------------------------------------------------

#: NetworkManager calls that change the host: none may happen when nothing is to change.
WRITES = {"AddConnection2", "Update2", "Reapply", "ActivateConnection", "Delete", "Disconnect"}


class _CallLog:
    """Every NMClient.call of an apply, as (interface, member)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, str]] = []
        real = NMClient.call
        log = self.calls

        async def call(self_: NMClient, path: str, interface: str, member: str, *a: Any, **kw: Any):  # type: ignore[no-untyped-def]
            log.append((interface, member))
            return await real(self_, path, interface, member, *a, **kw)

        monkeypatch.setattr(NMClient, "call", call)

    def writes(self) -> list[tuple[str, str]]:
        return [c for c in self.calls if c[1] in WRITES]


DUAL_STACK = {
    "interfaces": [
        {
            "name": "eth1",
            "type": "ethernet",
            "state": "up",
            "mtu": 1500,
            "ipv4": {"enabled": True, "dhcp": False, "address": [ip("192.0.2.252", 24)]},
            "ipv6": {
                "enabled": True,
                "dhcp": False,
                "autoconf": False,
                "address": [ip("2001:db8:1::1", 64)],
            },
        }
    ],
    "routes": {
        "config": [
            {
                "destination": "0.0.0.0/0",
                "next-hop-interface": "eth1",
                "next-hop-address": "192.0.2.1",
            },
            {
                "destination": "::/0",
                "next-hop-interface": "eth1",
                "next-hop-address": "2001:db8:1::ffff",
            },
            {**SRC_CWND, "table-id": 254, "source": "192.0.2.252"},
            TYPED[0],
        ]
    },
    "hostname": {"config": "web01.example.org"},
}


async def test_applying_the_same_state_twice_makes_the_second_a_no_op(
    demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await apply(demo_sandbox, DUAL_STACK)
    assert first.prepared.plan.steps, "the first apply does change the host"
    log = _CallLog(monkeypatch)
    second = await apply(demo_sandbox, DUAL_STACK)
    assert second.prepared.changes == [] and second.prepared.plan.describe() == []
    assert log.writes() == [], "no profile written, nothing reapplied or activated"
    assert ("org.freedesktop.NetworkManager", "CheckpointCreate") in log.calls


async def test_cli_says_nothing_to_change_on_the_second_apply(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    path = write_state(tmp_path, "dual.yml", DUAL_STACK)
    first = cli(demo_sandbox, "apply", path)
    assert first.returncode == 0, first.stderr
    assert "nothing to change" not in first.stdout
    again = cli(demo_sandbox, "apply", path)
    assert (again.returncode, again.stdout) == (0, "nothing to change\n"), again.stderr


async def test_show_then_apply_of_the_whole_demo_host_is_a_no_op(
    demo_sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = cli(demo_sandbox, "show")
    assert shown.returncode == 0, shown.stderr
    path = tmp_path / "host.yml"
    path.write_text(shown.stdout)
    out = cli(demo_sandbox, "apply", str(path))
    assert (out.returncode, out.stdout) == (0, "nothing to change\n"), out.stderr
    log = _CallLog(monkeypatch)
    result = await apply(demo_sandbox, yaml.safe_load(shown.stdout))
    assert result.prepared.plan.steps == [] and log.writes() == []
    # The same host, but for the bridge timers counting down (see engine.comparable).
    assert show_text(demo_sandbox) == dumps(comparable(yaml.safe_load(shown.stdout)))
