"""SVG snapshots of the main screens at 80x24 and 120x40, against the sandbox's demo host."""

from __future__ import annotations

from typing import Any

import pytest

from nmtui_state.sandbox import Sandbox
from tests.app_tests.harness import make_app
from tests.app_tests.scenarios import SCENARIOS, TERMINALS


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", list(SCENARIOS))
def test_screen_snapshot(
    module_demo_sandbox: Sandbox, snap_compare: Any, screen: str, size: tuple[int, int]
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    assert snap_compare(app, terminal_size=size, run_before=SCENARIOS[screen])


@pytest.mark.parametrize("screen", ["main", "edit"])
@pytest.mark.parametrize("terminal", list(TERMINALS))
def test_main_screen_on_plain_terminals(
    module_demo_sandbox: Sandbox,
    snap_compare: Any,
    monkeypatch: pytest.MonkeyPatch,
    terminal: str,
    screen: str,
) -> None:
    """The main and edit screens at 80x24 without colour, and with a Linux console's glyphs."""
    monkeypatch.delenv("SSH_CONNECTION", raising=False)  # the [ssh] mark: not the runner's
    for name, value in TERMINALS[terminal].items():
        monkeypatch.setenv(name, value)
    app = make_app(module_demo_sandbox, watch_host=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=SCENARIOS[screen])
