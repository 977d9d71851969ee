"""The routes, DNS and hostname forms and the gateway field, driven against a real host."""

from __future__ import annotations

import json

from textual.pilot import Pilot

from engine.diff import summary
from nmtui_state.app import NmtuiStateApp
from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.countdown import CountdownScreen
from nmtui_state.screens.main import MainScreen
from nmtui_state.screens.review import ReviewScreen
from nmtui_state.screens.section_edit import SectionEditScreen
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.dns_form import DnsForm
from widgets.hostname_form import HostnameForm
from widgets.problem_list import ProblemList
from widgets.routes_form import RoutesForm
from widgets.state_tree import NodeRef
from widgets.yaml_editor import YamlEditor

DEMO_ROUTE = {
    "destination": "203.0.113.0/24",
    "metric": 100,
    "next-hop-address": "192.0.2.1",
    "next-hop-interface": "eth1",
    "table-id": 254,
}


async def _open_section(pilot: Pilot[object], app: NmtuiStateApp, section: str) -> None:
    """Main screen → the Routes/DNS/Hostname node → e."""
    await ready(pilot, app)
    assert app.screen.state_tree.select_ref(NodeRef("section", section))  # type: ignore[attr-defined]
    await pilot.pause(0.05)
    await pilot.press("e")
    await wait_for(
        pilot, lambda: isinstance(app.screen, SectionEditScreen) and bool(app.screen.query("#form"))
    )


async def _type(pilot: Pilot[object], app: NmtuiStateApp, selector: str, text: str) -> None:
    app.screen.query_one(selector).focus()
    await pilot.pause(0.05)
    await pilot.press("ctrl+u")
    for ch in text:
        await pilot.press(ch)
    await pilot.pause(0.1)


def _yaml(app: NmtuiStateApp) -> str:
    return app.screen.query_one(YamlEditor).text


async def test_add_a_route_by_form_shows_in_yaml_and_review(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_section(pilot, app, "routes")
        form = app.screen.query_one(RoutesForm)
        assert form.rows == [DEMO_ROUTE]  # the host's route, as a row
        await pilot.click("#add-route")
        await wait_for(pilot, lambda: len(form.rows) == 2)
        await _type(pilot, app, "#route-2-destination", "198.18.0.0/15")
        await _type(pilot, app, "#route-2-next-hop-address", "192.0.2.254")
        form.cell(1, "next-hop-interface").value = "eth1"  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: "next-hop-interface: eth1" in _yaml(app))
        assert app.draft is not None
        assert app.draft.desired["routes"]["config"] == [
            {
                "destination": "198.18.0.0/15",
                "next-hop-address": "192.0.2.254",
                "next-hop-interface": "eth1",
            }
        ]
        assert "198.18.0.0/15" in _yaml(app) and "state: absent" not in _yaml(app)
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.prepared is not None
        )
        lines = summary(app.screen.prepared.changes)  # type: ignore[attr-defined]
        assert any("198.18.0.0/15" in line for line in lines), lines
        assert not app.screen.query_one("#apply").disabled


async def test_remove_the_host_route_by_form_writes_state_absent(
    module_demo_sandbox: Sandbox,
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_section(pilot, app, "routes")
        await pilot.click("#route-1-remove")
        await wait_for(pilot, lambda: "state: absent" in _yaml(app))
        assert app.draft is not None
        assert app.draft.desired["routes"]["config"] == [{**DEMO_ROUTE, "state": "absent"}]
        assert "203.0.113.0/24" in _yaml(app)
        assert app.screen.query_one(RoutesForm).rows == []
        # Undo puts the route back, in the draft and as a row of the rebuilt form.
        app.set_focus(None)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: app.screen.query_one(RoutesForm).rows == [DEMO_ROUTE])
        assert "routes" not in app.draft.desired


async def test_dns_servers_by_form(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_section(pilot, app, "dns")
        form = app.screen.query_one(DnsForm)
        assert form.field("server").value == "192.0.2.53, 2001:db8:1::53"
        await _type(pilot, app, "#dns-server", "192.0.2.99, 192.0.2.98")
        await wait_for(pilot, lambda: "192.0.2.98" in _yaml(app))
        assert app.draft is not None
        # Only the servers changed: search stays the host's and is not repeated.
        assert app.draft.desired["dns-resolver"] == {
            "config": {"server": ["192.0.2.99", "192.0.2.98"]}
        }


async def test_hostname_by_form(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_section(pilot, app, "hostname")
        form = app.screen.query_one(HostnameForm)
        assert form.config == "demo-host" and form.running == "demo-host"
        await _type(pilot, app, "#hostname-config", "edge-7")
        await wait_for(pilot, lambda: "edge-7" in _yaml(app))
        assert app.draft is not None and app.draft.desired["hostname"] == {"config": "edge-7"}


async def _set_eth1_gateway(pilot: Pilot[object], app: NmtuiStateApp, address: str) -> None:
    await ready(pilot, app)
    await select(pilot, app, "eth1")
    await pilot.press("e")
    await wait_for(pilot, lambda: bool(app.screen.query("#f-ipv4-gateway")))
    await _type(pilot, app, "#f-ipv4-gateway", address)


async def test_gateway_on_eth1_adds_the_default_route(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(130, 40)) as pilot:
        await _set_eth1_gateway(pilot, app, "192.0.2.1")
        await wait_for(pilot, lambda: "0.0.0.0/0" in _yaml(app))
        assert app.draft is not None
        assert app.draft.desired["routes"]["config"] == [
            {
                "destination": "0.0.0.0/0",
                "next-hop-interface": "eth1",
                "next-hop-address": "192.0.2.1",
            }
        ]
        assert "interfaces" not in app.draft.desired  # the interface itself did not change
        await _type(pilot, app, "#f-ipv4-gateway", "")
        await wait_for(pilot, lambda: "0.0.0.0/0" not in _yaml(app))
        assert "routes" not in app.draft.desired
        # A bridge port has no IP of its own, so its form has no gateway.
        app.set_focus(None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await select(pilot, app, "eth2")
        await pilot.press("e")
        await wait_for(pilot, lambda: bool(app.screen.query("#f-mtu")))
        assert not app.screen.query("#f-ipv4-gateway")


async def test_gateway_applied_shows_in_ip_route(demo_sandbox: Sandbox) -> None:
    app = make_app(demo_sandbox)
    async with app.run_test(size=(130, 40)) as pilot:
        await _set_eth1_gateway(pilot, app, "192.0.2.1")
        await wait_for(pilot, lambda: "0.0.0.0/0" in _yaml(app))
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.prepared is not None
        )
        await pilot.press("ctrl+a")
        await wait_for(pilot, lambda: isinstance(app.screen, CountdownScreen), timeout=30)
        await wait_for(pilot, lambda: app.screen._armed)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, MainScreen) and app.pending is None, timeout=30
        )
        assert app.last_outcome.startswith("Kept"), app.last_outcome
    out = demo_sandbox.run(["ip", "-j", "route"], check=True, capture_output=True)
    routes = json.loads(out.stdout)
    defaults = [r for r in routes if r.get("dst") == "default"]
    assert [(r.get("gateway"), r.get("dev")) for r in defaults] == [("192.0.2.1", "eth1")], routes


async def test_a_route_problem_jumps_to_its_cell(module_demo_sandbox: Sandbox) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_section(pilot, app, "routes")
        await pilot.click("#add-route")
        await wait_for(pilot, lambda: bool(app.screen.query("#route-2-destination")))
        await _type(pilot, app, "#route-2-destination", "198.18.0.0/15")
        await _type(pilot, app, "#route-2-next-hop-address", "192.0.2")
        problems = app.screen.query_one(ProblemList)
        await wait_for(pilot, lambda: bool(problems.errors))
        assert [p.path for p in problems.errors] == ["routes.config[0].next-hop-address"]
        problems.focus()
        problems.highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.focused, "id", "") == "route-2-next-hop-address")
