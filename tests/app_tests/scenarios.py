"""The main screens in a known state, for snapshot tests and for screenshots/ (one source).

Each scenario is a ``run_before`` coroutine for pytest-textual-snapshot's
``snap_compare`` and for ``scripts/screenshots.py``. They run the real app
against a sandbox demo host, whose MACs and addresses are fixed, so the
pictures are the same on every run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from engine.checkpoint import Checkpoint
from nmtui_state.app import NmtuiStateApp
from nmtui_state.screens.countdown import CountdownScreen
from nmtui_state.screens.review import ReviewScreen
from tests.app_tests.harness import edit_br0_address, ready, select, wait_for

Scenario = Callable[[Pilot[object]], Awaitable[None]]


def _app(pilot: Pilot[object]) -> NmtuiStateApp:
    app = pilot.app
    assert isinstance(app, NmtuiStateApp)
    return app


async def still_counters(pilot: Pilot[object]) -> None:
    """Zero the kernel's packet counters (neighbour discovery moves them): a still picture."""
    app = _app(pilot)
    live = app.live
    assert live is not None
    for link in live.links.values():
        if link.get("stats"):
            link["stats"] = {key: 0 for key in link["stats"]}
    app.live = live  # always_update: the main screen renders the fixed counters
    await pilot.pause(0.05)


async def main_screen(pilot: Pilot[object]) -> None:
    """The live tree with br0 selected and its details."""
    app = _app(pilot)
    await ready(pilot, app)
    await still_counters(pilot)
    await select(pilot, app, "br0")
    await pilot.pause(0.2)


async def edit_screen(pilot: Pilot[object]) -> None:
    """br0's form with a new address typed, the draft's YAML beside it."""
    app = _app(pilot)
    await edit_br0_address(pilot, app, "198.51.100.9/24")
    app.set_focus(None)
    await pilot.pause(0.5)


async def review_screen(pilot: Pilot[object]) -> None:
    """The review of that edit: one property changes, NM modifies and reapplies br0."""
    app = _app(pilot)
    await edit_br0_address(pilot, app, "198.51.100.9/24")
    await pilot.press("ctrl+r")
    await wait_for(
        pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.prepared is not None
    )
    app.set_focus(None)
    await pilot.pause(0.2)


async def countdown_screen(pilot: Pilot[object]) -> None:
    """The confirmation modal over the main screen, held at 60 s for a stable picture."""
    app = _app(pilot)
    await main_screen(pilot)
    await app.push_screen(
        CountdownScreen(
            # No deadline read: the checkpoint says its whole timeout is left (a still picture).
            Checkpoint("/org/freedesktop/NetworkManager/Checkpoint/1", 60),
            "1 change(s) applied inside checkpoint /org/freedesktop/NetworkManager/Checkpoint/1.",
        )
    )
    await pilot.pause(0.3)


#: Terminals that show less: their environment, set before the app is created (Textual
#: reads NO_COLOR at start; the app picks its VT-safe look from TERM at start).
TERMINALS: dict[str, dict[str, str]] = {
    "no-color": {"NO_COLOR": "1"},
    "term-linux": {"TERM": "linux"},
}


async def routes_screen(pilot: Pilot[object]) -> None:
    """The routes form: the demo's route as a row, a new route typed below it."""
    from widgets.state_tree import NodeRef

    app = _app(pilot)
    await ready(pilot, app)
    assert app.screen.state_tree.select_ref(NodeRef("section", "routes"))  # type: ignore[attr-defined]
    await pilot.press("e")
    await wait_for(pilot, lambda: bool(app.screen.query("#add-route")))
    await pilot.click("#add-route")
    await wait_for(pilot, lambda: bool(app.screen.query("#route-2-destination")))
    for ch in "198.18.0.0/15":
        await pilot.press(ch)
    app.set_focus(None)
    await pilot.pause(0.5)


async def _section(pilot: Pilot[object], section: str, field_id: str) -> NmtuiStateApp:
    from widgets.state_tree import NodeRef

    app = _app(pilot)
    await ready(pilot, app)
    assert app.screen.state_tree.select_ref(NodeRef("section", section))  # type: ignore[attr-defined]
    await pilot.press("e")
    await wait_for(pilot, lambda: bool(app.screen.query(field_id)))
    return app


async def dns_screen(pilot: Pilot[object]) -> None:
    """The DNS form: the demo's servers and search list, what runs beside them."""
    app = await _section(pilot, "dns", "#dns-server")
    app.set_focus(None)
    await pilot.pause(0.5)


async def hostname_screen(pilot: Pilot[object]) -> None:
    """The hostname form with a new static name typed."""
    app = await _section(pilot, "hostname", "#hostname-config")
    app.screen.query_one("#hostname-config").focus()
    await pilot.press("ctrl+u")
    for ch in "edge-01":
        await pilot.press(ch)
    app.set_focus(None)
    await pilot.pause(0.5)


async def problems_screen(pilot: Pilot[object]) -> None:
    """br0's form with an address that is not one: the problem listed with its path and fix."""
    app = _app(pilot)
    await edit_br0_address(pilot, app, "198.51.100.300/24")
    await wait_for(pilot, lambda: bool(getattr(app.screen, "problems", None)))
    app.set_focus(None)
    await pilot.pause(0.5)


SCENARIOS: dict[str, Scenario] = {
    "main": main_screen,
    "edit": edit_screen,
    "routes": routes_screen,
    "dns": dns_screen,
    "hostname": hostname_screen,
    "problems": problems_screen,
    "review": review_screen,
    "countdown": countdown_screen,
}
