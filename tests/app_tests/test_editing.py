"""Editing against a real host: form and YAML on one draft, problems, undo, add, review checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.add_iface import AddIfaceScreen
from nmtui_state.screens.edit import EditScreen
from nmtui_state.screens.review import ReviewScreen
from tests.app_tests.harness import edit_br0_address, make_app, ready, select, wait_for
from widgets.iface_form import IfaceForm
from widgets.problem_list import ProblemList
from widgets.yaml_editor import YamlEditor


async def test_yaml_edit_rebuilds_the_form_and_form_edit_rewrites_yaml(
    module_demo_sandbox: Sandbox,
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await edit_br0_address(pilot, app, "198.51.100.7/24")
        editor = app.screen.query_one(YamlEditor)
        assert "198.51.100.7" in editor.text
        assert "198.51.100.7" in str(app.screen.query_one("#teach").render())
        editor.load_text(editor.text.replace("mtu: 1500", "mtu: 9000"))
        await wait_for(pilot, lambda: app.screen.query_one("#f-mtu").value == "9000")
        assert app.draft is not None and app.draft.iface("br0")["mtu"] == 9000  # type: ignore[index]
        await pilot.press("ctrl+z")  # undo the YAML edit (focus is not in the text area)
        await wait_for(pilot, lambda: app.screen.query_one("#f-mtu").value == "1500")


async def test_problem_listed_with_path_blocks_apply(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await edit_br0_address(pilot, app, "198.51.100.7/33")
        problems = app.screen.query_one(ProblemList)
        await wait_for(pilot, lambda: bool(problems.errors))
        assert any(p.path.startswith("interfaces[br0].ipv4.address[0]") for p in problems.errors)
        problems.focus()
        problems.highlighted = 0
        await pilot.press("enter")  # jump to the field
        await wait_for(pilot, lambda: getattr(app.focused, "id", "") == "f-ipv4-address")
        await pilot.press("ctrl+r")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ReviewScreen)
                and bool(app.screen.query_one(ProblemList).errors)
            ),
        )
        assert app.screen.query_one("#apply").disabled
        await pilot.press("ctrl+a")
        await pilot.pause(0.2)
        assert app.pending is None


async def test_teaching_toggle_add_and_set_down(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "eth1")
        await pilot.press("d")
        assert app.draft is not None and app.draft.iface("eth1")["state"] == "down"  # type: ignore[index]
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AddIfaceScreen))
        app.screen.query_one("#add-type").value = "mac-vlan"
        app.screen.query_one("#add-base").value = "eth1"
        app.screen.query_one("#add-name").focus()
        for ch in "mv0":
            await pilot.press(ch)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        form = app.screen.query_one(IfaceForm)
        assert form.iface["type"] == "mac-vlan" and form.field_widget(("mac-vlan", "base-iface"))
        assert app.draft.iface("mv0") is not None
        teach = app.screen.query_one("#teach")
        assert teach.display
        await pilot.press("ctrl+t")
        assert not teach.display


async def test_readonly_refuses_edits(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    app.session.readonly = True
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "br0")
        await pilot.press("e")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, EditScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Review draft" not in titles and "Save draft" in titles


async def test_palette_offers_our_actions(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Edit interface", "Add interface", "Review draft", "Save draft"} <= set(titles)


async def test_review_warns_about_the_ssh_session(
    demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.10 22")
    app = make_app(demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "eth1")
        await pilot.press("e")
        await wait_for(pilot, lambda: bool(app.screen.query("#f-mtu")))
        app.screen.query_one("#f-mtu").value = "1400"
        await pilot.pause(0.1)
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.prepared is not None
        )
        text = str(app.screen.query_one("#warnings").render())
        assert "SSH" in text and "eth1" in text


async def test_review_reports_drift_and_offers_rebase(demo_sandbox: Sandbox) -> None:
    app = make_app(demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await edit_br0_address(pilot, app, "198.51.100.7/24")
        demo_sandbox.run(["ip", "addr", "add", "192.0.2.77/24", "dev", "eth1"], check=True)
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.prepared is not None
        )
        text = str(app.screen.query_one("#warnings").render())
        assert "host changed since this draft was started" in text and "eth1" in text
        rebase = app.screen.query_one("#rebase")
        assert not rebase.disabled and rebase.display
        await pilot.click("#rebase")
        await wait_for(
            pilot,
            lambda: (
                app.screen.prepared is not None
                and "host changed" not in str(app.screen.query_one("#warnings").render())
            ),
        )


async def test_save_and_export_write_nmstate_yaml(
    module_demo_sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine import yamlio
    from engine.validate import validate
    from nmtui_state.screens.path_prompt import PathScreen

    monkeypatch.chdir(tmp_path)
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await edit_br0_address(pilot, app, "198.51.100.7/24")
        await pilot.press("ctrl+s")  # no file yet: it asks where, starting in the cwd
        await wait_for(
            pilot, lambda: isinstance(app.screen, PathScreen) and bool(app.screen.query("#path"))
        )
        assert app.screen.query_one("#path").value == str(tmp_path / "nmtui-state-draft.yml")
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "nmtui-state-draft.yml").exists())
        saved = yamlio.load_file(tmp_path / "nmtui-state-draft.yml")
        assert saved["interfaces"][0]["ipv4"]["address"] == [
            {"ip": "198.51.100.7", "prefix-length": 24}
        ]
        assert validate(saved) == []
        assert app.draft is not None and not app.draft.dirty
        app.action_export()
        await wait_for(
            pilot, lambda: isinstance(app.screen, PathScreen) and bool(app.screen.query("#path"))
        )
        field = app.screen.query_one("#path")
        field.value = str(tmp_path / "exported.yml")
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "exported.yml").exists())
    assert yamlio.load_file(tmp_path / "exported.yml") == saved
