"""The whole flow against a real NetworkManager: edit → review → apply → keep / revert / timeout."""

from __future__ import annotations

import time

import pytest
import yaml

import nmtui_state.screens.countdown as countdown_mod
from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.countdown import CountdownScreen
from nmtui_state.screens.main import MainScreen
from nmtui_state.screens.review import ReviewScreen
from tests.app_tests.harness import edit_br0_address, make_app, settled_show, show, wait_for


def _br0_v4(text: str) -> list[dict[str, object]]:
    ifaces = {i["name"]: i for i in yaml.safe_load(text)["interfaces"]}
    return ifaces["br0"]["ipv4"]["address"]


def _assert_checked(outcome: str) -> None:
    """A rollback's outcome is a checked verdict: restored, or the differences listed."""
    assert "not checked" not in outcome
    assert (
        "checked: the host is as it was before the apply" in outcome
        or "difference(s) from before the apply remain" in outcome
    ), outcome


async def _to_countdown(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await edit_br0_address(pilot, app, "198.51.100.9/24")
    await pilot.press("ctrl+r")
    await wait_for(
        pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.prepared is not None
    )
    review = app.screen
    assert [(c.path, c.kind) for c in review.prepared.changes] == [
        ("interfaces[br0].ipv4.address", "modify")
    ]
    assert review.prepared.changes[0].new == [{"ip": "198.51.100.9", "prefix-length": 24}]
    assert not review.query_one("#apply").disabled
    await pilot.press("ctrl+a")
    await wait_for(pilot, lambda: isinstance(app.screen, CountdownScreen), timeout=30)
    assert app.pending is not None


async def _back_on_main(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await wait_for(
        pilot, lambda: isinstance(app.screen, MainScreen) and app.pending is None, timeout=30
    )


async def test_edit_review_apply_keep(demo_sandbox: Sandbox) -> None:
    app = make_app(demo_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_countdown(app, pilot)
        await wait_for(pilot, lambda: app.screen._armed)  # it ignores keys for 0.5 s
        await pilot.press("enter")
        await _back_on_main(app, pilot)
        assert app.last_outcome.startswith("Kept")
    assert _br0_v4(show(demo_sandbox)) == [{"ip": "198.51.100.9", "prefix-length": 24}]


async def test_edit_review_apply_revert(demo_sandbox: Sandbox) -> None:
    before = show(demo_sandbox)
    app = make_app(demo_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_countdown(app, pilot)
        assert _br0_v4(show(demo_sandbox)) == [{"ip": "198.51.100.9", "prefix-length": 24}]
        await wait_for(pilot, lambda: app.screen._armed)
        await pilot.press("escape")
        await _back_on_main(app, pilot)
        assert app.last_outcome.startswith("Reverted")
        _assert_checked(app.last_outcome)
    assert settled_show(demo_sandbox, before) == before


async def test_keys_typed_before_the_countdown_are_ignored(
    demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long arming delay keeps the test honest on a loaded machine.
    monkeypatch.setattr(countdown_mod, "ARM_DELAY_S", 3.0)
    app = make_app(demo_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_countdown(app, pilot)
        await pilot.press("enter")  # typed ahead: must not answer the modal
        await pilot.pause(0.2)
        assert isinstance(app.screen, CountdownScreen)
        await wait_for(pilot, lambda: app.screen._armed, timeout=10)
        await pilot.press("n")
        await _back_on_main(app, pilot)
        assert app.last_outcome.startswith("Reverted")


async def test_countdown_runs_out_and_nm_rolls_back(demo_sandbox: Sandbox) -> None:
    before = show(demo_sandbox)
    app = make_app(demo_sandbox, countdown=3)
    async with app.run_test(size=(120, 40)) as pilot:
        started = time.monotonic()
        await _to_countdown(app, pilot)
        await _back_on_main(app, pilot)
        assert time.monotonic() - started >= 2.5
        assert app.last_outcome.startswith("No answer within 3 s")
        _assert_checked(app.last_outcome)
    assert settled_show(demo_sandbox, before) == before
