"""Small readability fixes: list-item marks in the review, one word for unmanaged, port
names in the details, the countdown's own keys, a palette without duplicate entries."""

from __future__ import annotations

import copy
import io
from collections import Counter

from rich.console import Console

from engine.checkpoint import Checkpoint
from nmtui_state.app import NmtuiStateApp
from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.countdown import CountdownScreen
from nmtui_state.screens.review import ReviewScreen
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.diff_view import DiffView
from widgets.iface_details import IfaceDetails


def _text(renderable: object) -> str:
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def _footer(app: NmtuiStateApp) -> str:
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True))
    lines = console.export_text().splitlines()
    return lines[-1] if lines else ""  # nothing laid out yet


async def test_review_marks_list_items_added_and_removed(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        assert app.draft is not None and app.live is not None
        br0 = copy.deepcopy(next(i for i in app.live.state["interfaces"] if i["name"] == "br0"))
        br0["bridge"]["port"] = [p for p in br0["bridge"]["port"] if p["name"] == "eth2"]
        br0["ipv4"]["address"].append({"ip": "198.51.100.2", "prefix-length": 24})
        br0["mtu"] = 1400
        app.draft.set_iface(br0)
        await pilot.press("v")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.prepared is not None
        )
        lines = _text(app.screen.query_one(DiffView).content).splitlines()
        assert any(line.strip().startswith("- br0: ports - eth3") for line in lines), lines
        assert any(line.strip().startswith("+ br0: ipv4 address + 198.51.100.2") for line in lines)
        assert any(line.strip().startswith("~ br0: mtu 1500 → 1400") for line in lines)


async def test_details_say_unmanaged_and_name_ports(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        details = app.screen.query_one(IfaceDetails)
        await select(pilot, app, "eth1p")
        await wait_for(pilot, lambda: _text(details.content).startswith("eth1p "))
        text = _text(details.content)
        assert "unmanaged" in text and "ignore" not in text
        await select(pilot, app, "br0")
        await wait_for(pilot, lambda: _text(details.content).startswith("br0 "))
        text = _text(details.content)
        assert "port[eth2].stp-priority" in text and "port[eth3].stp-priority" in text


async def test_countdown_footer_shows_its_own_keys(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await wait_for(pilot, lambda: "Edit" in _footer(app))  # the footer paints after the tree
        cp = Checkpoint("/org/freedesktop/NetworkManager/Checkpoint/1", 60)
        app.push_screen(CountdownScreen(cp, "test"))
        await wait_for(pilot, lambda: isinstance(app.screen, CountdownScreen))
        await wait_for(pilot, lambda: "Keep" in _footer(app))  # drawn once the screen settles
        footer = _footer(app)
        assert "Keep" in footer and "Revert" in footer and "Edit" not in footer, footer


async def test_palette_has_no_duplicate_entries(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        titles = Counter(c.title for c in app.get_system_commands(app.screen))
        assert [t for t, n in titles.items() if n > 1] == []
        assert "Help" in titles
