"""Driving the real app against a sandbox: build it, wait for it, walk the edit flow."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from nmtui_state.app import NmtuiStateApp
from nmtui_state.sandbox import Sandbox
from nmtui_state.session import Session
from tests.conftest import IN_CI
from widgets.state_tree import NodeRef

EXE = str(Path(sys.executable).parent / "nmtui-state")


def make_app(sb: Sandbox, countdown: int = 30, **kwargs: object) -> NmtuiStateApp:
    session = Session(bus_address=sb.bus_address, netns=sb.name)
    return NmtuiStateApp(session, countdown=countdown, **kwargs)  # type: ignore[arg-type]


async def wait_for(pilot: Pilot[object], cond: Callable[[], object], timeout: float = 15) -> None:
    """Pump the app until ``cond()`` is true; fail the test after ``timeout`` seconds."""
    steps = int(timeout / 0.05)
    for _ in range(steps):
        if cond():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"condition not met within {timeout} s")


async def ready(pilot: Pilot[object], app: NmtuiStateApp) -> None:
    await wait_for(pilot, lambda: app.live is not None and app.draft is not None)
    await pilot.pause(0.1)


async def select(pilot: Pilot[object], app: NmtuiStateApp, name: str, kind: str = "iface") -> None:
    """Put the tree's cursor on an interface (or, ``kind="section"``, a section such as
    ``dns``) and wait until the tree says it is selected: ``e`` then edits that one."""
    ref = NodeRef(kind, name)
    tree = app.screen.state_tree  # type: ignore[attr-defined]
    assert tree.select_ref(ref)
    await wait_for(pilot, lambda: tree.selected_ref == ref)


async def edit_br0_address(pilot: Pilot[object], app: NmtuiStateApp, value: str) -> None:
    """Main screen → br0 → e → type a new IPv4 address into the form."""
    await ready(pilot, app)
    await select(pilot, app, "br0")
    await pilot.press("e")
    await wait_for(pilot, lambda: bool(app.screen.query("#f-ipv4-address")))
    field = app.screen.query_one("#f-ipv4-address")
    field.focus()
    await pilot.pause(0.05)
    await pilot.press("ctrl+u")  # clear the input (Input's delete-to-start binding)
    for ch in value:
        await pilot.press(ch)
    await pilot.pause(0.1)


def show(sb: Sandbox) -> str:
    """``nmtui-state show`` of the sandbox, without the unmanaged far ends of the demo's cables.

    A rollback that re-activates br0 re-creates its veth ports, and with them
    their peers (new MAC, link down): the far end of a cable, not host config.
    In the compared form (:mod:`engine.comparable`): the bridge timers count down
    between two reads, and a link-local address comes back when the kernel gets to it.
    """
    import yaml

    from engine.comparable import comparable

    out = subprocess.run(
        [EXE, "show"], env=sb.env(), capture_output=True, text=True, timeout=60, check=True
    )
    state = yaml.safe_load(out.stdout)
    state["interfaces"] = [i for i in state["interfaces"] if i.get("state") != "ignore"]
    return yaml.safe_dump(comparable(state), sort_keys=False)


def settled_show(sb: Sandbox, expected: str, timeout: float = 10.0) -> str:
    """``show`` once NM has finished re-activating after a rollback (bounded wait)."""
    import time

    deadline = time.monotonic() + timeout
    current = show(sb)
    while current != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        current = show(sb)
    return current


def require_tmux() -> None:
    """Skip without tmux, except in CI, where the terminal tests must run."""
    if not shutil.which("tmux"):
        if IN_CI:
            pytest.fail("tmux is needed for the terminal test (apt-get install tmux)")
        pytest.skip("tmux not installed")
