"""The console's paths that the tmux test does not walk: a failed boot file, and --needed.

* A state file the service could not apply opens as the draft, with the
  service's reason and the file; applying it again fails, is rolled back,
  and the file stays; ``n`` goes on to the NIC list.
* ``console --needed`` (the unit's ExecCondition) says yes without a
  default route or with a failed file, and no once there is a route.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from nmtui_state.console.app import ConsoleApp
from nmtui_state.console.draft import DraftScreen
from nmtui_state.console.flow import Host
from nmtui_state.console.pick import NicScreen
from nmtui_state.console.review import ReviewScreen
from nmtui_state.console.text import vt220_safe
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import cli
from tests.cli_tests.test_service import VLAN

ROUTE = """routes:
  config:
  - destination: 0.0.0.0/0
    next-hop-address: 192.0.2.1
    next-hop-interface: eth1
    table-id: 254
"""


async def _until(cond: Callable[[], bool], timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not cond():
        assert loop.time() < deadline, "condition not reached"
        await asyncio.sleep(0.02)


def _text(app: ConsoleApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_failed_state_file_opens_as_the_draft(demo_sandbox: Sandbox, tmp_path: Path) -> None:
    folder = tmp_path / "nmstate"
    folder.mkdir()
    (folder / "30-vlan.yml").write_text(VLAN)
    status = tmp_path / "service.json"
    ran = cli(demo_sandbox, "service", "-c", str(folder), "--status", str(status))
    assert ran.returncode == 1
    app = ConsoleApp(
        Host(demo_sandbox.bus_address, demo_sandbox.name),
        folder,
        folder / "00-console.applied",
        status,
        countdown=30,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(lambda: isinstance(app.screen, DraftScreen))
        await pilot.pause()
        draft = _text(app, "#draft")
        assert "30-vlan.yml failed at boot and was left in place." in draft
        assert "this kernel lacks vlan support" in draft  # the service's reason
        assert "base-iface: eth1" in draft  # the file itself
        assert vt220_safe(draft)
        await pilot.press("a")
        await _until(lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await _until(lambda: review.prepared is not None)
        assert "eth1.10" in _text(app, "#review")  # the diff names the new VLAN
        await pilot.press("enter")
        await _until(lambda: "Apply failed" in _text(app, "#review"))
        assert "lacks vlan support" in _text(app, "#review")
        assert (folder / "30-vlan.yml").exists() and not (folder / "30-vlan.applied").exists()
        await pilot.press("escape")
        await _until(lambda: isinstance(app.screen, DraftScreen))
        await pilot.press("n")
        await _until(lambda: isinstance(app.screen, NicScreen))
        await pilot.pause()
        assert "eth1" in str(app.screen.query_one("#nics").render())
    state = cli(demo_sandbox, "show", "eth1.10")
    assert "eth1.10" not in state.stdout  # rolled back


def test_needed_follows_default_route_and_failed_files(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    folder = tmp_path / "nmstate"
    folder.mkdir()

    def needed() -> tuple[int, str]:
        out = cli(demo_sandbox, "console", "--needed", "-c", str(folder), "--status", "")
        return out.returncode, out.stdout.strip()

    assert needed() == (0, "console needed: no default route")
    route = tmp_path / "route.yml"
    route.write_text(ROUTE)
    assert cli(demo_sandbox, "apply", str(route)).returncode == 0
    code, text = needed()
    assert code == 1 and text.startswith("console not needed")
    (folder / "30-vlan.yml").write_text(VLAN)
    code, text = needed()
    assert code == 0 and text == "console needed: 30-vlan.yml was not applied"
