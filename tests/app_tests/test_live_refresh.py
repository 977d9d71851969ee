"""The tree follows the host: NM's signals trigger a (debounced) re-read; the selection stays."""

from __future__ import annotations

from nmtui_state.sandbox import Sandbox
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.state_tree import NodeRef


def _br0_addresses(app: object) -> list[str]:
    live = app.live  # type: ignore[attr-defined]
    br0 = next(i for i in live.state["interfaces"] if i["name"] == "br0")
    return [a["ip"] for a in br0["ipv4"].get("address", [])]


async def test_host_change_shows_up_and_selection_is_kept(demo_sandbox: Sandbox) -> None:
    app = make_app(demo_sandbox, watch_host=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "eth1")
        reads = 0

        def count(_: object) -> None:
            nonlocal reads
            reads += 1

        app.watch(app, "live", count, init=False)
        demo_sandbox.run(
            ["nmcli", "connection", "modify", "br0", "+ipv4.addresses", "198.51.100.2/24"],
            check=True,
            capture_output=True,
        )
        demo_sandbox.run(["nmcli", "device", "reapply", "br0"], check=True, capture_output=True)
        # well before the 10 s fallback timer: the D-Bus signals did it
        await wait_for(pilot, lambda: "198.51.100.2" in _br0_addresses(app), timeout=5)
        assert app.screen.state_tree.selected_ref == NodeRef("iface", "eth1")  # type: ignore[attr-defined]
        assert 1 <= reads <= 6, reads  # a burst of signals is debounced into few reads
