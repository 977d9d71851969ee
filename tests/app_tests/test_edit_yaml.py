"""The edit screen's YAML: what it starts with, its problems panel, its keys."""

from __future__ import annotations

from engine import yamlio
from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.edit import EditScreen
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.state_tree import NodeRef
from widgets.yaml_editor import YamlEditor


async def test_yaml_starts_with_the_current_config_of_what_is_edited(
    module_demo_sandbox: Sandbox,
) -> None:
    """Like ``nmstatectl edit``: the interface or section, not an empty editor."""
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "eth1")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        shown = yamlio.loads(app.screen.query_one(YamlEditor).text)
        (eth1,) = shown["interfaces"]
        assert eth1["name"] == "eth1" and eth1["ipv4"]["address"][0]["ip"] == "192.0.2.10"
        assert app.draft is not None and app.draft.empty  # looking is no edit
        await pilot.press("escape")
        for section, key, expect in (
            ("routes", "routes", "config"),
            ("dns", "dns-resolver", "config"),
            ("hostname", "hostname", "demo-host"),
        ):
            await wait_for(pilot, lambda: not isinstance(app.screen, EditScreen))
            assert app.screen.state_tree.select_ref(NodeRef("section", section))  # type: ignore[attr-defined]
            await pilot.pause(0.05)
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
            editor = app.screen.query_one(YamlEditor)
            text = editor.text
            assert key in yamlio.loads(text) and expect in text, (section, text)
            assert app.focused is editor  # no form: the YAML is where typing goes
            app.set_focus(None)
            await pilot.press("escape")
        routes = yamlio.dumps(app.draft.view(section="routes"))
        assert "192.0.2" in routes or "198.51.100" in routes  # the demo host's route is shown
