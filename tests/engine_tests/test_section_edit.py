"""Section edits: the routes/DNS/hostname forms' rows back into nmstate's desired state."""

from __future__ import annotations

from engine import keys as k
from engine.draft import Draft
from engine.merge import merge
from engine.section_edit import (
    absent_entry,
    dns_section,
    dns_shown,
    effective_routes,
    gateways_of,
    hostname_section,
    routes_config,
    routes_section,
    split_list,
    with_gateway,
)
from engine.validate import validate

HOST_ROUTE = {
    "destination": "203.0.113.0/24",
    "metric": 100,
    "next-hop-address": "192.0.2.1",
    "next-hop-interface": "eth1",
    "table-id": 254,
}
OTHER = {"destination": "198.51.100.0/24", "next-hop-interface": "eth1"}


def test_removing_a_host_route_writes_an_exact_absent_entry() -> None:
    config = routes_config([HOST_ROUTE], [], [])
    assert config == [{**HOST_ROUTE, "state": "absent"}]
    merged = merge({k.ROUTES: {k.CONFIG: config}}, {k.ROUTES: {k.CONFIG: [HOST_ROUTE]}})
    assert merged[k.ROUTES][k.CONFIG] == []


def test_removing_a_draft_only_route_just_drops_it() -> None:
    draft = [OTHER]
    rows = effective_routes([HOST_ROUTE], draft)
    assert rows == [HOST_ROUTE, OTHER]
    assert routes_config([HOST_ROUTE], draft, [HOST_ROUTE]) == []


def test_adding_keeps_host_routes_out_of_the_draft() -> None:
    assert routes_config([HOST_ROUTE], [], [HOST_ROUTE, OTHER]) == [OTHER]


def test_editing_a_host_route_is_absent_plus_new() -> None:
    edited = {**HOST_ROUTE, "metric": 200}
    assert routes_config([HOST_ROUTE], [], [edited]) == [absent_entry(HOST_ROUTE), edited]


def test_a_hand_written_wildcard_stays_while_it_still_removes_something() -> None:
    wildcard = {"next-hop-interface": "eth1", "state": "absent"}
    assert effective_routes([HOST_ROUTE], [wildcard]) == []
    assert routes_config([HOST_ROUTE], [wildcard], [OTHER]) == [wildcard, OTHER]
    # Putting the host route back makes the wildcard pointless: it goes.
    assert routes_config([HOST_ROUTE], [wildcard], [HOST_ROUTE]) == []


def test_gateway_adds_updates_and_removes_the_default_route() -> None:
    config = with_gateway([HOST_ROUTE], [], "eth1", k.IPV4, "192.0.2.254")
    default = {
        "destination": "0.0.0.0/0",
        "next-hop-interface": "eth1",
        "next-hop-address": "192.0.2.254",
    }
    assert config == [default]
    assert gateways_of(effective_routes([HOST_ROUTE], config), "eth1") == {
        k.IPV4: "192.0.2.254",
        k.IPV6: "",
    }
    config = with_gateway([HOST_ROUTE], config, "eth1", k.IPV4, "192.0.2.2")
    assert config == [{**default, "next-hop-address": "192.0.2.2"}]
    assert with_gateway([HOST_ROUTE], config, "eth1", k.IPV4, "") == []
    assert validate({k.ROUTES: {k.CONFIG: config}}) == []


def test_emptying_a_host_gateway_writes_absent_and_v6_uses_its_own_default() -> None:
    host_default = {**HOST_ROUTE, "destination": "0.0.0.0/0"}
    assert with_gateway([host_default], [], "eth1", k.IPV4, "") == [absent_entry(host_default)]
    v6 = with_gateway([host_default], [], "eth1", k.IPV6, "2001:db8:1::1")
    assert v6 == [
        {"destination": "::/0", "next-hop-interface": "eth1", "next-hop-address": "2001:db8:1::1"}
    ]
    # Changing the host's gateway keeps its metric and table.
    moved = with_gateway([host_default], [], "eth1", k.IPV4, "192.0.2.3")
    assert moved == [absent_entry(host_default), {**host_default, "next-hop-address": "192.0.2.3"}]


def test_routes_section_drops_when_empty() -> None:
    assert routes_section(None, []) is None
    assert routes_section({k.CONFIG: [OTHER]}, [HOST_ROUTE]) == {k.CONFIG: [HOST_ROUTE]}


def test_dns_only_the_changed_keys_and_never_a_purge() -> None:
    host = {"server": ["192.0.2.53"], "search": ["example.test"]}
    shown = dns_shown(host, None)
    assert shown == {"server": ["192.0.2.53"], "search": ["example.test"], "options": []}
    assert dns_section(host, shown) is None
    assert dns_section(host, {**shown, "server": ["192.0.2.54"]}) == {
        "config": {"server": ["192.0.2.54"]}
    }
    assert dns_shown(host, {}) == {"server": [], "search": [], "options": []}
    assert dns_shown(host, {"search": []})["server"] == ["192.0.2.53"]
    assert split_list("192.0.2.1, 192.0.2.2\n2001:db8::1") == [
        "192.0.2.1",
        "192.0.2.2",
        "2001:db8::1",
    ]


def test_hostname_section() -> None:
    host = {"config": "demo-host", "running": "demo-host"}
    assert hostname_section(host, "demo-host") is None
    assert hostname_section(host, " new-name ") == {"config": "new-name"}
    assert hostname_section(host, "") == {"config": ""}
    assert hostname_section(None, "") is None


def test_draft_set_section_is_undoable_and_none_removes() -> None:
    draft = Draft(current={})
    draft.set_section(k.HOSTNAME, {"config": "x"})
    assert draft.section(k.HOSTNAME) == {"config": "x"} and draft.dirty
    draft.set_section(k.HOSTNAME, {"config": "x"})  # unchanged: no undo step
    draft.set_section(k.HOSTNAME, None)
    assert k.HOSTNAME not in draft.desired and draft.empty
    draft.set_section(k.HOSTNAME, None)  # nothing to remove: no undo step
    assert draft.undo() and draft.desired == {k.HOSTNAME: {"config": "x"}}
    assert draft.undo() and draft.desired == {}
    assert not draft.undo()
