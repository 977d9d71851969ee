"""Host text on screen is escaped: an interface named with a terminal escape sequence
shows as ``\\x1b[31m`` in the tree, the details and a toast, and never reaches the
terminal as a control character (which could recolour it, set its title or worse)."""

from __future__ import annotations

import io
import subprocess

from rich.console import Console

from nmtui_state.sandbox import Sandbox
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.iface_details import IfaceDetails

HOSTILE = "ev\x1b[31m"


async def test_escape_in_a_name_is_shown_escaped(demo_sandbox: Sandbox) -> None:
    subprocess.run(
        ["ip", "-n", demo_sandbox.name, "link", "add", HOSTILE, "type", "veth", "peer", "evp"],
        check=True,
        timeout=10,
    )
    app = make_app(demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await wait_for(pilot, lambda: app.live is not None and HOSTILE in app.live.links)
        tree = app.screen.state_tree  # type: ignore[attr-defined]

        def hostile_node() -> object:
            stack = list(tree.root.children)
            while stack:
                node = stack.pop()
                if node.data is not None and node.data.name == HOSTILE:
                    return node
                stack.extend(node.children)
            return None

        await wait_for(pilot, lambda: hostile_node() is not None)
        node = hostile_node()
        label = str(node.label)  # type: ignore[attr-defined]
        assert "\x1b" not in label and "ev\\x1b[31m" in label
        await select(pilot, app, HOSTILE)

        def details() -> str:
            console = Console(width=200, file=io.StringIO(), record=True)
            console.print(app.screen.query_one(IfaceDetails).content)
            return console.export_text()

        await wait_for(pilot, lambda: "ev\\x1b[31m" in details())
        assert "\x1b" not in details()
        app.notify(f"{HOSTILE} went away [b]now[/b]")
        await pilot.pause()
        toast = list(app._notifications)[-1]
        assert "\x1b" not in toast.message and "ev\\x1b[31m" in toast.message
        assert toast.markup is False  # host text is never read as markup
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "ev\\x1b[31m" in svg
