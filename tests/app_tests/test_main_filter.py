"""The main screen's filter: after it, details and edits follow the cursor."""

from __future__ import annotations

import io

from rich.console import Console

from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.edit import EditScreen
from tests.app_tests.harness import make_app, ready, wait_for
from widgets.iface_details import IfaceDetails
from widgets.state_tree import StateTree


def first_line(details: IfaceDetails) -> str:
    """The details pane's heading, as text."""
    console = Console(width=100, file=io.StringIO(), color_system=None)
    console.print(details.content)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return str(out).strip().splitlines()[0]


async def test_after_filter_details_and_edit_follow_the_cursor(
    module_demo_sandbox: Sandbox,
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        tree = app.screen.query_one(StateTree)
        details = app.screen.query_one(IfaceDetails)
        await pilot.press("slash", *"eth1", "enter")
        await wait_for(pilot, lambda: tree.selected_ref is not None and tree.has_focus)
        assert tree.selected_ref is not None and tree.selected_ref.name == "eth1"
        await pilot.press("escape")
        await wait_for(pilot, lambda: tree.filter_text == "")
        await pilot.pause(0.3)
        assert tree.cursor_node is not None and tree.cursor_node.data is not None
        assert tree.cursor_node.data.name == "eth1"  # the cursor stays on what was found
        assert "eth1" in first_line(details)
        await pilot.press("down")
        await pilot.pause(0.3)
        under = tree.cursor_node.data.name  # type: ignore[union-attr]
        assert under != "eth1"
        assert under in first_line(details)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        assert app.screen.iface_name == under  # type: ignore[attr-defined]
