"""Form and YAML on one draft: neither side overwrites what is being typed on the other."""

from __future__ import annotations

from textual.pilot import Pilot

from nmtui_state.app import NmtuiStateApp
from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.edit import EditScreen
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.iface_form import IfaceForm
from widgets.problem_list import ProblemList
from widgets.yaml_editor import YamlEditor


async def open_edit(pilot: Pilot[object], app: NmtuiStateApp, name: str) -> YamlEditor:
    await ready(pilot, app)
    await select(pilot, app, name)
    await pilot.press("e")
    await wait_for(
        pilot, lambda: isinstance(app.screen, EditScreen) and bool(app.screen.query("#f-mtu"))
    )
    return app.screen.query_one(YamlEditor)


async def test_form_edit_while_the_yaml_does_not_parse_keeps_the_typed_text(
    module_demo_sandbox: Sandbox,
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_edit(pilot, app, "br0")
        typed = "interfaces:\n- name: br0\n  type: linux-bridge\n  mtu: [9000\n"
        editor.load_text(typed)
        problems = app.screen.query_one(ProblemList)
        await wait_for(pilot, lambda: any("parse" in p.message for p in problems.problems))
        before = app.draft.desired if app.draft else None
        form = app.screen.query_one(IfaceForm)
        assert form.disabled  # the form says it cannot be used now
        app.screen.query_one("#f-mtu").value = "1400"  # an edit that reaches the form anyway
        await pilot.pause(0.5)
        assert editor.text == typed
        assert app.draft is not None and app.draft.desired == before
        # Fixed YAML gives the form back.
        editor.load_text(typed.replace("[9000", "9000"))
        await wait_for(pilot, lambda: not app.screen.query_one(IfaceForm).disabled)
        assert app.screen.query_one("#f-mtu").value == "9000"


async def test_yaml_typed_is_not_rewritten_when_the_form_rebuilds(
    module_demo_sandbox: Sandbox,
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_edit(pilot, app, "br0")
        editor.focus()
        # No state, keys in an unusual order: exactly what the user wrote must stay.
        typed = "interfaces:\n- mtu: 9000\n  name: br0\n  type: linux-bridge\n"
        editor.load_text(typed)
        await wait_for(pilot, lambda: app.screen.query_one("#f-mtu").value == "9000")
        await pilot.pause(0.5)
        assert editor.text == typed
        assert app.draft is not None and "state" not in app.draft.desired["interfaces"][0]
