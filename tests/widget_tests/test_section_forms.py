"""RoutesForm, DnsForm, HostnameForm and the interface form's gateway, each in a tiny App."""

from __future__ import annotations

from textual.widgets import Input, Select

from tests.widget_tests.harness import WidgetApp, type_into, wait_for
from widgets.dns_form import DnsForm
from widgets.hostname_form import HostnameForm
from widgets.iface_form import IfaceForm
from widgets.routes_form import RoutesForm

HOST_ROUTE = {
    "destination": "203.0.113.0/24",
    "metric": 100,
    "next-hop-address": "192.0.2.1",
    "next-hop-interface": "eth1",
    "table-id": 254,
}
IFACES = ["br0", "eth1"]


async def test_routes_form_adds_a_route_typed_into_a_new_row() -> None:
    app = WidgetApp(lambda: RoutesForm([HOST_ROUTE], [], IFACES))
    async with app.run_test(size=(120, 30)) as pilot:
        form = app.query_one(RoutesForm)
        assert form.rows == [HOST_ROUTE]
        await pilot.click("#add-route")
        await wait_for(pilot, lambda: len(form.rows) == 2)
        assert app.messages == []  # an empty row is no route
        await type_into(pilot, form.cell(1, "destination"), "198.51.100.0/24")
        await type_into(pilot, form.cell(1, "next-hop-address"), "192.0.2.2")
        await type_into(pilot, form.cell(1, "metric"), "50")
        select = form.cell(1, "next-hop-interface")
        assert isinstance(select, Select)
        select.value = "eth1"
        await wait_for(pilot, lambda: "next-hop-interface" in app.messages[-1].routes_config[0])
        assert app.messages[-1].routes_config == [
            {
                "destination": "198.51.100.0/24",
                "next-hop-address": "192.0.2.2",
                "metric": 50,
                "next-hop-interface": "eth1",
            }
        ]


async def test_routes_form_removing_a_host_route_posts_state_absent() -> None:
    app = WidgetApp(lambda: RoutesForm([HOST_ROUTE], [], IFACES))
    async with app.run_test(size=(120, 30)) as pilot:
        form = app.query_one(RoutesForm)
        await pilot.click("#route-1-remove")
        await wait_for(pilot, lambda: bool(app.messages))
        assert app.messages[-1].routes_config == [{**HOST_ROUTE, "state": "absent"}]
        assert form.rows == []
        assert "203.0.113.0/24" in str(app.query_one("#routes-removed").render())


async def test_routes_form_removing_a_draft_only_route_drops_it() -> None:
    added = {"destination": "198.51.100.0/24", "next-hop-interface": "br0"}
    app = WidgetApp(lambda: RoutesForm([HOST_ROUTE], [added], IFACES))
    async with app.run_test(size=(120, 30)) as pilot:
        form = app.query_one(RoutesForm)
        assert form.rows == [HOST_ROUTE, added]
        await pilot.click("#route-2-remove")
        await wait_for(pilot, lambda: bool(app.messages))
        assert app.messages[-1].routes_config == []


async def test_routes_form_editing_a_host_route_replaces_it() -> None:
    app = WidgetApp(lambda: RoutesForm([HOST_ROUTE], [], IFACES))
    async with app.run_test(size=(120, 30)) as pilot:
        form = app.query_one(RoutesForm)
        await type_into(pilot, form.cell(0, "metric"), "200")
        await wait_for(pilot, lambda: bool(app.messages))
        assert app.messages[-1].routes_config == [
            {**HOST_ROUTE, "state": "absent"},
            {**HOST_ROUTE, "metric": 200},
        ]


async def test_dns_form_posts_servers_search_and_options() -> None:
    shown = {"server": ["192.0.2.53"], "search": ["example.test"], "options": []}
    app = WidgetApp(lambda: DnsForm(shown, {"server": ["192.0.2.53"]}))
    async with app.run_test(size=(100, 20)) as pilot:
        form = app.query_one(DnsForm)
        assert form.field("server").value == "192.0.2.53"
        await type_into(pilot, form.field("server"), "192.0.2.1, 2001:db8::1")
        await type_into(pilot, form.field("options"), "rotate")
        await wait_for(pilot, lambda: bool(app.messages) and app.messages[-1].config["options"])
        assert app.messages[-1].config == {
            "server": ["192.0.2.1", "2001:db8::1"],
            "search": ["example.test"],
            "options": ["rotate"],
        }


async def test_hostname_form_edits_the_static_name_and_shows_the_running_one() -> None:
    app = WidgetApp(lambda: HostnameForm("demo-host", "dhcp-name"))
    async with app.run_test(size=(100, 20)) as pilot:
        running = app.query_one("#hostname-running", Input)
        assert running.value == "dhcp-name" and running.disabled
        await type_into(pilot, app.query_one("#hostname-config", Input), "new-host")
        await wait_for(pilot, lambda: bool(app.messages))
        assert app.messages[-1].hostname == "new-host"
        assert all(isinstance(m, HostnameForm.Changed) for m in app.messages)


async def test_iface_form_gateway_posts_gateway_changed_not_an_iface_edit() -> None:
    iface = {"name": "eth1", "type": "veth", "state": "up", "ipv4": {"enabled": True}}
    app = WidgetApp(lambda: IfaceForm(iface, gateways={"ipv4": "", "ipv6": ""}))
    async with app.run_test(size=(100, 40)) as pilot:
        await type_into(pilot, app.query_one("#f-ipv4-gateway", Input), "192.0.2.1")
        await wait_for(pilot, lambda: app.messages and app.messages[-1].address == "192.0.2.1")
        last = app.messages[-1]
        assert (last.iface, last.family) == ("eth1", "ipv4")
        assert app.query_one(IfaceForm).iface == iface  # the interface itself is untouched
    # Without gateways there is no gateway field (nobody would act on it).
    bare = WidgetApp(lambda: IfaceForm(iface))
    async with bare.run_test(size=(100, 40)):
        assert not bare.query("#f-ipv4-gateway")
