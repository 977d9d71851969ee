"""What the TUI shows at 80x24, without colour, and on a VT console font.

Each test renders the real screen (against the sandbox's demo host) and
reads it as text, so it fails when the words, marks or keys are not on the
screen, whatever the colours say.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from nmtui_state.app import NmtuiStateApp
from nmtui_state.sandbox import Sandbox
from tests.app_tests.harness import edit_br0_address, make_app, ready, wait_for

SMALL = (80, 24)
VT_MISSING = "⭘▔▁▎▊▏▼●○"  # glyphs a Linux console font lacks (and that Textual/we drew)


def screen_text(app: NmtuiStateApp) -> str:
    """The whole screen as plain text, as a monochrome terminal would show its characters."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def _row(app: NmtuiStateApp, label: str) -> str:
    """The screen line of the form row whose label is ``label``."""
    for line in screen_text(app).splitlines():
        left = line.split("│")[0].rstrip(" ▁▂▃▄▅▆▇█")  # without the form's scrollbar
        if left[2:].startswith(label + " "):
            return left
    raise AssertionError(f"no form row {label!r} on screen:\n{screen_text(app)}")


async def test_switches_say_on_or_off_and_focus_shows_without_colour(
    module_demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=SMALL) as pilot:
        await edit_br0_address(pilot, app, "198.51.100.9/24")
        assert _row(app, "IPv4").split()[-1] == "on"
        assert _row(app, "IPv4 DHCP").split()[-1] == "off"
        app.screen.query_one("#f-ipv4-dhcp").focus()
        await pilot.press("space")
        await wait_for(pilot, lambda: _row(app, "IPv4 DHCP").split()[-1] == "on")
        assert _row(app, "IPv4 DHCP").startswith("> ")  # the focus mark
        assert not _row(app, "IPv4").startswith("> ")
        app.screen.query_one("#f-state").focus()
        await pilot.pause(0.1)
        row = _row(app, "state")
        assert row.startswith("> ") and row.split()[2] == "up"  # a focused Select keeps its value
        app.screen.query_one("#f-mtu").focus()
        await pilot.pause(0.1)
        assert _row(app, "MTU").startswith("> ")


async def test_80x24_footer_teaching_address_and_help(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)

        def footer() -> str:
            return screen_text(app).splitlines()[-1]

        await wait_for(pilot, lambda: "q Quit" in footer())  # drawn (a loaded machine is slow)
        assert "v Review" in footer() and "? Help" in footer(), footer()
        await edit_br0_address(pilot, app, "198.51.100.9/24")
        assert not app.screen.query_one("#teach").display  # off by default at 24 lines
        field = app.screen.query_one("#f-ipv4-address")
        assert field.size.width >= 34, field.size
        assert app.screen.query_one("#field-help").size.height >= 4  # the whole help text
        await pilot.press("ctrl+t")
        assert app.screen.query_one("#teach").display  # the key still turns it on


async def test_teaching_starts_on_in_a_tall_terminal(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await edit_br0_address(pilot, app, "198.51.100.9/24")
        assert app.screen.query_one("#teach").display


async def test_vt_console_draws_no_glyphs_its_font_lacks(
    module_demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "linux")
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        await pilot.pause(0.1)
        text = screen_text(app)
        assert "* br0 linux-bridge up" in text
        assert not [g for g in VT_MISSING if g in text], text
        await edit_br0_address(pilot, app, "198.51.100.9/24")
        await pilot.pause(0.1)
        text = screen_text(app)
        assert not [g for g in VT_MISSING if g in text], text
    monkeypatch.setenv("TERM", "xterm-256color")
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        assert "● br0" in screen_text(app)  # elsewhere the Unicode set stays
