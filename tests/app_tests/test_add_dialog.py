"""The add dialog: a base picked from the host's interfaces, bond options in the form."""

from __future__ import annotations

from textual.widgets import Select, Static

from nmtui_state.app import NmtuiStateApp
from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.add_iface import AddIfaceScreen
from nmtui_state.screens.edit import EditScreen
from tests.app_tests.harness import make_app, ready, wait_for
from widgets.iface_form import IfaceForm


async def _open_add(pilot, app: NmtuiStateApp, kind: str, name: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(app.screen, AddIfaceScreen))
    app.screen.query_one("#add-type", Select).value = kind
    app.screen.query_one("#add-name").focus()
    for ch in name:
        await pilot.press(ch)
    await pilot.pause(0.05)


async def test_stacked_types_pick_their_base(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await _open_add(pilot, app, "vlan", "eth1.10")
        base = app.screen.query_one("#add-base", Select)
        assert base.display
        offered = [str(label) for label, _value in base._options]
        assert {"eth1", "br0", "eth2"} <= set(offered) and "lo" not in offered
        await pilot.press("enter")  # no base picked: the dialog says so and stays
        error = app.screen.query_one("#add-error", Static)
        await wait_for(pilot, lambda: "needs a base interface" in str(error.content))
        assert isinstance(app.screen, AddIfaceScreen)
        base.value = "eth1"
        app.screen.query_one("#add-name").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        assert app.draft is not None
        assert app.draft.iface("eth1.10")["vlan"]["base-iface"] == "eth1"  # type: ignore[index]
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, EditScreen))
        await _open_add(pilot, app, "linux-bridge", "br9")
        assert not app.screen.query_one("#add-base").display  # a bridge has no base


async def test_bond_form_has_its_options_and_ipv6_placeholder(
    module_demo_sandbox: Sandbox,
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await _open_add(pilot, app, "bond", "bond0")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        form = app.screen.query_one(IfaceForm)
        for option in ("miimon", "primary", "lacp_rate", "xmit_hash_policy"):
            assert form.field_widget(("link-aggregation", "options", option)) is not None
        miimon = app.screen.query_one("#f-link-aggregation-options-miimon")
        miimon.focus()
        for ch in "100":
            await pilot.press(ch)
        hashes = app.screen.query_one("#f-link-aggregation-options-xmit_hash_policy", Select)
        assert hashes.value == Select.NULL  # unset: the kernel's default, not a guess
        hashes.value = "layer3+4"
        await wait_for(
            pilot,
            lambda: (
                app.draft is not None
                and (app.draft.iface("bond0") or {}).get("link-aggregation", {}).get("options")
                == {"miimon": 100, "xmit_hash_policy": "layer3+4"}
            ),
        )
        assert app.screen.query_one("#f-ipv6-address").placeholder.startswith("2001:db8")
        assert app.screen.query_one("#f-ipv4-address").placeholder.startswith("192.0.2")
