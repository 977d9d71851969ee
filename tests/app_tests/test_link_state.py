"""The main screen shows the kernel's link state, not only NetworkManager's, and marks
what carries the default route and the SSH session."""

from __future__ import annotations

import io
import subprocess

import pytest
from rich.console import Console
from textual.widgets.tree import TreeNode

from nmtui_state.app import NmtuiStateApp
from nmtui_state.sandbox import Sandbox
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.iface_details import IfaceDetails
from widgets.state_tree import NodeRef


def _labels(app: NmtuiStateApp) -> dict[str, str]:
    """Tree line text per interface name."""
    out: dict[str, str] = {}
    stack: list[TreeNode[NodeRef]] = list(app.screen.state_tree.root.children)  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        if node.data is not None and node.data.kind == "iface":
            out[node.data.name] = str(node.label)
        stack.extend(node.children)
    return out


def _details(app: NmtuiStateApp) -> str:
    """The details pane as plain text (rendered wide, so no line is folded)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(app.screen.query_one(IfaceDetails).content)
    return console.export_text()


def _ip(sb: Sandbox, *args: str) -> None:
    subprocess.run(["ip", "-n", sb.name, *args], check=True, timeout=10)


async def test_tree_shows_no_carrier_from_the_kernel(demo_sandbox: Sandbox) -> None:
    app = make_app(demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        assert " up" in _labels(app)["eth2"]
        # Pull the far ends of br0's ports: NM keeps the profiles active, the kernel says
        # NO-CARRIER on the ports and on the bridge.
        _ip(demo_sandbox, "link", "set", "eth2p", "down")
        _ip(demo_sandbox, "link", "set", "eth3p", "down")
        await pilot.press("r")
        await wait_for(pilot, lambda: "no-carrier" in _labels(app)["br0"])
        labels = _labels(app)
        assert "eth2 veth no-carrier" in labels["eth2"]
        assert "eth3 veth no-carrier" in labels["eth3"]
        assert "eth2p veth down unmanaged" in labels["eth2p"]
        await select(pilot, app, "eth2")
        await wait_for(pilot, lambda: _details(app).startswith("eth2 "))
        text = _details(app)
        assert (
            "no-carrier" in text and "carrier" in text and "no  (oper state lowerlayerdown)" in text
        )
        assert "rx" in text and "pkt" in text
        await select(pilot, app, "eth1")
        await wait_for(pilot, lambda: "10 Gb/s full duplex" in _details(app))


async def test_default_route_and_ssh_marks(
    demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ip(demo_sandbox, "route", "add", "default", "via", "192.0.2.1", "dev", "eth1")
    monkeypatch.setenv("SSH_CONNECTION", "198.51.100.77 50000 198.51.100.1 22")
    app = make_app(demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        labels = _labels(app)
        assert "default" in labels["eth1"] and "ssh" not in labels["eth1"]
        assert "ssh" in labels["br0"] and "default" not in labels["br0"]
        await select(pilot, app, "eth1")
        await wait_for(pilot, lambda: _details(app).startswith("eth1 "))
        assert "carries      the default route" in _details(app)
