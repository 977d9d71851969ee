"""No input crashes the edit screen; a crash anyway keeps the draft in a file that is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.edit import EditScreen
from nmtui_state.screens.review import ReviewScreen
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.problem_list import ProblemList
from widgets.yaml_editor import YamlEditor

MAPPING_IFACES = "interfaces:\n  type: veth\n"


async def test_interfaces_as_a_mapping_is_a_problem_not_a_crash(
    module_demo_sandbox: Sandbox,
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "br0")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        editor.load_text(MAPPING_IFACES)
        problems = app.screen.query_one(ProblemList)
        await wait_for(
            pilot, lambda: any(p.path == "interfaces" and p.is_error for p in problems.problems)
        )
        # The app lives on, and leaving the screen works.
        app.set_focus(None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, EditScreen))
        await pilot.pause(0.2)
        assert app.is_running
        # The main screen's draft edits are refused, the review lists the problem.
        await select(pilot, app, "eth1")
        await pilot.press("d")
        await pilot.pause(0.2)
        assert app.is_running and app.draft is not None
        assert app.draft.desired == {"interfaces": {"type": "veth"}}
        await pilot.press("v")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ReviewScreen)
                and bool(app.screen.query_one(ProblemList).errors)
            ),
        )


def test_a_crash_saves_the_draft_0600_and_says_where(
    module_demo_sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from engine import yamlio
    from nmtui_state.app import run_app

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = make_app(module_demo_sandbox, watch_host=False)

    def boom() -> None:
        raise RuntimeError("an internal error the user cannot cause on purpose")

    async def drive(pilot: Pilot[object]) -> None:
        await ready(pilot, app)
        await select(pilot, app, "eth1")
        await pilot.press("d")  # a draft edit: eth1 down
        app.unparsed_yaml = "interfaces:\n- name: eth1\n  mtu: [\n"
        app.call_later(boom)
        await pilot.pause(5)  # the crash ends the app (and this coroutine) long before

    run_app(app, headless=True, size=(120, 40), auto_pilot=drive)
    assert app.return_code == 1
    saved = list((tmp_path / "state" / "nmtui-state").glob("draft-*.yml"))
    draft = next(p for p in saved if not p.name.endswith(".typed.yml"))
    typed = next(p for p in saved if p.name.endswith(".typed.yml"))
    assert oct(draft.stat().st_mode & 0o777) == "0o600"
    assert yamlio.load_file(draft)["interfaces"][0] == {
        **yamlio.load_file(draft)["interfaces"][0],
        "name": "eth1",
        "state": "down",
    }
    assert "mtu: [" in typed.read_text()
    err = capsys.readouterr().err
    assert f"Your draft is saved in {draft}" in err and str(typed) in err


HOSTILE = [
    "interfaces: 5\n",
    "interfaces:\n- 5\n- [1]\n",
    "interfaces:\n- name: br0\n  type: linux-bridge\n  ipv4: 5\n",
    "interfaces:\n- name: br0\n  type: linux-bridge\n  ipv4:\n    address: 5\n",
    "interfaces:\n- name: br0\n  type: linux-bridge\n  ipv4:\n    address: true\n",
    "interfaces:\n- name: br0\n  type: linux-bridge\n  bridge:\n    port: 5\n",
    "interfaces:\n- name: br0\n  type: linux-bridge\n  bridge:\n    port:\n    - name: [1]\n",
    "interfaces:\n- name: br0\n  type: [linux-bridge]\n  state: [up]\n  mtu: {a: 1}\n",
    "interfaces:\n- name: br0\n  type: linux-bridge\n  bridge: [1]\n",
    "routes: 5\ndns-resolver: [1]\nhostname: x\n",
    "- just\n- a list\n",
]


async def test_no_yaml_input_crashes_the_edit_screen(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "br0")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        editor = app.screen.query_one(YamlEditor)
        problems = app.screen.query_one(ProblemList)
        for text in HOSTILE:
            editor.load_text(text)
            await wait_for(pilot, lambda: not editor.pending and bool(problems.errors))
            await pilot.pause(0.1)
            assert app.is_running and isinstance(app.screen, EditScreen), text
            # A form edit now is refused or taken, never a crash.
            if app.screen.query("#f-mtu"):
                app.screen.query_one("#f-mtu").value = "1400"
                await pilot.pause(0.1)
            if app.screen.query("#f-bridge-port"):
                app.screen.query_one("#f-bridge-port").value = "eth2"
                await pilot.pause(0.1)
            assert app.is_running, text
