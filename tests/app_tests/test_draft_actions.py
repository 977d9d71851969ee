"""The draft around the edit screen: marks in the tree, discard, save, rebase only on drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import yamlio
from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.confirm import ConfirmScreen
from nmtui_state.screens.edit import EditScreen
from nmtui_state.screens.path_prompt import PathScreen
from nmtui_state.screens.review import ReviewScreen
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.state_tree import NodeRef, StateTree


def _label(tree: StateTree, name: str) -> str:
    stack = list(tree.root.children)
    while stack:
        node = stack.pop()
        if node.data == NodeRef("iface", name):
            return str(node.label)
        stack.extend(node.children)
    raise AssertionError(f"{name} not in the tree")


async def test_pending_marks_and_discard(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        tree = app.screen.query_one(StateTree)
        assert "draft" not in _label(tree, "eth1")
        await select(pilot, app, "eth1")
        await pilot.press("d")
        await wait_for(pilot, lambda: "✎ draft" in _label(tree, "eth1"))
        assert "draft" not in _label(tree, "br0")
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.draft is not None and app.draft.empty)
        await wait_for(pilot, lambda: "draft" not in _label(tree, "eth1"))
        assert "Discard draft" in [c.title for c in app.get_system_commands(app.screen)]


async def test_saving_a_draft_with_errors_asks_where_and_does_not_promise_apply(
    module_demo_sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(module_demo_sandbox, watch_host=False)
    said: list[str] = []
    notify = app.notify

    def record(message: str, **kwargs: object) -> None:
        said.append(str(message))
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = record  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "eth1")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        app.screen.query_one("#f-mtu").value = "-5"  # an error: below the minimum
        await wait_for(pilot, lambda: app.draft is not None and not app.draft.empty)
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: isinstance(app.screen, PathScreen) and bool(app.screen.query("#path"))
        )
        assert not list(tmp_path.iterdir())  # nothing written before the user says where
        app.screen.query_one("#path").value = str(tmp_path / "wip.yml")
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "wip.yml").exists())
        assert yamlio.load_file(tmp_path / "wip.yml")["interfaces"][0]["mtu"] == -5
        message = next(m for m in said if "saved" in m)
        assert "works with nmstatectl apply" not in message
        assert "1 problem to fix first" in message and str(tmp_path / "wip.yml") in message


async def test_rebase_is_offered_only_when_the_host_drifted(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "eth1")
        await pilot.press("d")
        await pilot.press("v")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.prepared is not None
        )
        assert not app.screen.query_one("#rebase").display
