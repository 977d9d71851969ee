"""The interface tree: labels with their styles, and one layout per new state."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Tree

from engine.textsafe import printable
from tests.widget_tests.harness import WidgetApp, wait_for
from widgets.state_tree import StateTree, iface_label


def _state(count: int) -> dict[str, Any]:
    ifaces = [{"name": f"bb{i}", "type": "linux-bridge", "state": "up"} for i in range(count)]
    return {"interfaces": ifaces}


def test_label_styles_cover_their_words() -> None:
    iface = {
        "name": "br0",
        "type": "linux-bridge",
        "state": "up",
        "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.1", "prefix-length": 24}]},
    }
    label = iface_label(iface, None, ["default"], live=False)
    assert label.plain.endswith("br0 linux-bridge up [default] 192.0.2.1/24")
    styled = {label.plain[s.start : s.end]: str(s.style) for s in label.spans}
    assert styled["br0"] == "bold"
    assert styled[" linux-bridge"] == "dim"
    assert styled[" 192.0.2.1/24"] == "cyan"


def test_a_hostile_name_keeps_its_styles_in_place() -> None:
    label = iface_label({"name": "a\x1b[2Jb", "type": "veth\x07", "state": "up"}, live=False)
    assert "\x1b" not in label.plain and "\x07" not in label.plain
    name = next(s for s in label.spans if str(s.style) == "bold")
    assert label.plain[name.start : name.end] == printable("a\x1b[2Jb")
    kind = next(s for s in label.spans if str(s.style) == "dim")
    assert label.plain[kind.start : kind.end] == " " + printable("veth\x07")


async def test_a_new_state_is_laid_out_once_not_per_node(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tree lays itself out again per node added; 200 interfaces must not mean 200."""
    layouts = []
    invalidate = Tree._invalidate

    def counted(self: Tree[Any]) -> None:
        layouts.append(1)
        invalidate(self)

    app = WidgetApp(lambda: StateTree(id="tree"))
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.query_one(StateTree)
        monkeypatch.setattr(Tree, "_invalidate", counted)
        tree.set_state(_state(200))
        monkeypatch.undo()
        await wait_for(pilot, lambda: tree.last_line >= 200)
        assert len(layouts) <= 3  # clear(), the new nodes, and nothing per node
