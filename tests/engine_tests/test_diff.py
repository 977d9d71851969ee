"""Diffs, their replay, summaries and unified YAML diffs (engine.diff), and revert."""

from __future__ import annotations

from typing import Any

from engine.diff import Change, apply_changes, diff, split_change_path, summary, unified
from engine.merge import drop_absent, merge
from engine.normalize import normalize
from engine.revert import revert_state
from engine.secrets import PLACEHOLDER


def _host() -> dict[str, Any]:
    return {
        "hostname": {"config": "h1"},
        "dns-resolver": {"config": {"server": ["192.0.2.53"], "search": []}},
        "routes": {
            "config": [
                {
                    "destination": "0.0.0.0/0",
                    "next-hop-address": "192.0.2.1",
                    "next-hop-interface": "br0",
                }
            ]
        },
        "interfaces": [
            {
                "name": "br0",
                "type": "linux-bridge",
                "state": "up",
                "mtu": 1500,
                "bridge": {"port": [{"name": "eth1"}]},
                "ipv4": {
                    "enabled": True,
                    "dhcp": False,
                    "address": [{"ip": "192.0.2.1", "prefix-length": 24}],
                },
            },
            {"name": "eth1", "type": "ethernet", "state": "up", "mtu": 1500, "controller": "br0"},
            {
                "name": "eth2",
                "type": "ethernet",
                "state": "up",
                "mtu": 1500,
                "802.1x": {"identity": "me", "password": "hunter2"},
            },
            {
                "name": "eth0.5",
                "type": "vlan",
                "state": "up",
                "mtu": 1500,
                "vlan": {"base-iface": "eth2", "id": 5},
            },
        ],
    }


DESIRED: dict[str, Any] = {
    "hostname": {"config": "h2"},
    "routes": {"config": [{"destination": "198.51.100.0/24", "next-hop-interface": "eth1"}]},
    "interfaces": [
        {"name": "br0", "ipv4": {"address": ["192.0.2.9/24"]}},
        {"name": "eth1", "mtu": 9000},
        {"name": "eth2", "802.1x": {"password": "s3cret"}},
        {"name": "eth0.5", "mtu": 1400},
        {"name": "vlan10", "type": "vlan", "vlan": {"base-iface": "eth1", "id": 10}},
        {"name": "dummy0", "state": "absent"},
    ],
}


def test_no_changes_for_equal_states() -> None:
    assert diff(_host(), normalize(_host())) == []


def test_property_granularity() -> None:
    merged = merge(DESIRED, _host())
    paths = {c.path: c for c in diff(_host(), merged)}
    assert paths["interfaces[eth1].mtu"] == Change("interfaces[eth1].mtu", 1500, 9000, "modify")
    assert paths["interfaces[br0].ipv4.address"].new == [{"ip": "192.0.2.9", "prefix-length": 24}]
    assert paths["interfaces[vlan10]"].kind == "add"
    assert paths["interfaces[eth0.5].mtu"] == Change("interfaces[eth0.5].mtu", 1500, 1400, "modify")
    assert paths["hostname.config"].kind == "modify"


def test_removed_interface_keeps_marker() -> None:
    merged = merge({"interfaces": [{"name": "eth1", "state": "absent"}]}, _host())
    [change] = [c for c in diff(_host(), merged) if c.path == "interfaces[eth1]"]
    assert change.kind == "remove"
    assert change.new == {"name": "eth1", "type": "ethernet", "state": "absent"}


def test_apply_changes_gives_merged() -> None:
    merged = merge(DESIRED, _host())
    assert apply_changes(_host(), diff(_host(), merged)) == merged
    gone = merge({"interfaces": [{"name": "br0", "state": "absent"}]}, _host())
    assert apply_changes(_host(), diff(_host(), gone)) == gone


def test_apply_changes_with_shared_names() -> None:
    cur = {
        "interfaces": [
            {"name": "br0", "type": "ovs-bridge", "state": "up"},
            {"name": "br0", "type": "ovs-interface", "state": "up", "mtu": 1500},
        ]
    }
    new = {
        "interfaces": [
            {"name": "br0", "type": "ovs-bridge", "state": "up"},
            {"name": "br0", "type": "ovs-interface", "state": "up", "mtu": 9000},
        ]
    }
    changes = diff(cur, new)
    assert [c.kind for c in changes] == ["modify"]
    assert apply_changes(cur, changes) == normalize(new)


def test_apply_changes_unnamed_entries_fall_back_to_whole_list() -> None:
    cur: dict[str, Any] = {"interfaces": [{"type": "dummy"}]}
    new: dict[str, Any] = {"interfaces": [{"type": "dummy", "mtu": 1}]}
    assert [c.path for c in diff(cur, new)] == ["interfaces"]
    assert apply_changes(cur, diff(cur, new)) == normalize(new)


def test_8021x_is_diffed_per_property() -> None:
    merged = merge(DESIRED, _host())
    paths = [c.path for c in diff(_host(), merged)]
    assert "interfaces[eth2].802.1x.password" in paths
    assert split_change_path("interfaces[eth2].802.1x.password") == ("eth2", ["802.1x", "password"])
    assert apply_changes(_host(), diff(_host(), merged)) == merged


def test_split_change_path_keeps_dotted_names() -> None:
    assert split_change_path("interfaces[eth0.5].ipv4.address") == ("eth0.5", ["ipv4", "address"])
    assert split_change_path("interfaces[eth0.5]") == ("eth0.5", [])
    assert split_change_path("dns-resolver.config.server") == (
        None,
        ["dns-resolver", "config", "server"],
    )


def test_summary_lines() -> None:
    lines = summary(diff(_host(), merge(DESIRED, _host())))
    assert "br0: ipv4 address 192.0.2.1/24 → 192.0.2.9/24" in lines
    assert "eth1: mtu 1500 → 9000" in lines
    assert "vlan10: new vlan interface" in lines
    assert "hostname: h1 → h2" in lines
    assert "routes: + 198.51.100.0/24 dev eth1" in lines
    gone = merge({"interfaces": [{"name": "br0", "state": "absent"}]}, _host())
    lines = summary(diff(_host(), gone))
    assert "br0: removed" in lines
    assert "routes: - 0.0.0.0/0 via 192.0.2.1 dev br0" in lines


def test_summary_ports_and_dns() -> None:
    desired = {
        "interfaces": [{"name": "br0", "bridge": {"port": [{"name": "eth2"}]}}],
        "dns-resolver": {"config": {"server": ["192.0.2.53", "192.0.2.54"]}},
    }
    lines = summary(diff(_host(), merge(desired, _host())))
    assert "br0: ports - eth1" in lines
    assert "br0: ports + eth2" in lines
    assert "dns: server + 192.0.2.54" in lines


def test_summary_address_added_and_order() -> None:
    two = [{"ip": "192.0.2.1", "prefix-length": 24}, {"ip": "192.0.2.2", "prefix-length": 24}]
    changes = [
        Change("interfaces[br0].ipv4.address", two[:1], two, "modify"),
        Change("interfaces[br0].ipv4.address", two, two[::-1], "modify"),
    ]
    assert summary(changes) == [
        "br0: ipv4 address + 192.0.2.2/24",
        "br0: ipv4 address order 192.0.2.1/24, 192.0.2.2/24 → 192.0.2.2/24, 192.0.2.1/24",
    ]


def test_summary_unset_list_against_empty_list() -> None:
    """A disabled stack (no address key) against ``address: []`` says so, not an empty order."""
    host = {"interfaces": [{"name": "eth1", "type": "ethernet", "ipv4": {"enabled": False}}]}
    desired = {"interfaces": [{"name": "eth1", "ipv4": {"enabled": True, "address": []}}]}
    lines = summary(diff(host, merge(desired, host)))
    assert "eth1: ipv4 address (unset) → []" in lines
    assert not [line for line in lines if " order " in line]


def test_secrets_masked_unless_shown() -> None:
    merged = merge(DESIRED, _host())
    changes = diff(_host(), merged)
    text = "\n".join(summary(changes))
    assert "s3cret" not in text and "hunter2" not in text
    assert PLACEHOLDER in text
    assert "s3cret" in "\n".join(summary(changes, show_secrets=True))
    whole = [
        Change("interfaces[eth3]", None, {"name": "eth3", "802.1x": {"password": "x1"}}, "add")
    ]
    assert "x1" not in "\n".join(summary(whole))
    body = "\n".join(line for _, line in unified(_host(), merged))
    assert "s3cret" not in body and "hunter2" not in body
    assert "s3cret" in "\n".join(line for _, line in unified(_host(), merged, show_secrets=True))


def test_unified_tags() -> None:
    merged = merge({"interfaces": [{"name": "eth1", "mtu": 9000}]}, _host())
    rows = unified(_host(), merged)
    assert rows[0][0] == "@"
    assert ("-", "  mtu: 1500") in rows
    assert ("+", "  mtu: 9000") in rows
    assert {tag for tag, _ in rows} <= {"@", "+", "-", " "}
    assert unified(_host(), _host()) == []


def test_revert_gives_current_back() -> None:
    merged = merge(DESIRED, _host())
    back = revert_state(_host(), merged)
    assert {"name": "vlan10", "type": "vlan", "state": "absent"} in back["interfaces"]
    assert back["routes"]["config"][0]["state"] == "absent"
    assert back["hostname"] == {"config": "h1"}
    assert drop_absent(merge(back, merged)) == normalize(_host())


def test_revert_restores_deleted_interfaces_routes_and_dns() -> None:
    desired = {"interfaces": [{"name": "br0", "state": "absent"}], "dns-resolver": {"config": {}}}
    merged = merge(desired, _host())
    back = revert_state(_host(), merged)
    names = {i["name"]: i for i in back["interfaces"]}
    assert names["br0"]["bridge"]["port"] == [{"name": "eth1"}]
    assert back["routes"]["config"] == _host()["routes"]["config"]
    assert back["dns-resolver"] == {"config": {"server": ["192.0.2.53"], "search": []}}
    assert drop_absent(merge(back, merged)) == normalize(_host())


def test_revert_of_no_change_is_empty() -> None:
    assert revert_state(_host(), merge({}, _host())) == {}
