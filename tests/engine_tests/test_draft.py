"""The draft: starts interfaces from their current config, one undo step per change."""

from __future__ import annotations

from engine.draft import Draft, config_of

CURRENT = {
    "interfaces": [
        {
            "name": "br0",
            "type": "linux-bridge",
            "state": "up",
            "mac-address": "02:00:00:00:00:10",
            "mtu": 1500,
            "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.1", "prefix-length": 24}]},
        },
        {"name": "eth1", "type": "veth", "state": "up", "veth": {"peer": "eth1p"}},
    ]
}


def test_iface_starts_from_current_config_without_runtime_values() -> None:
    draft = Draft(current=CURRENT)
    br0 = draft.iface("br0")
    assert br0 is not None and br0["mtu"] == 1500
    assert "mac-address" not in br0
    assert draft.iface("nope") is None
    assert config_of(CURRENT["interfaces"][0])["ipv4"]["address"][0]["ip"] == "192.0.2.1"


def test_set_iface_undo_redo_and_dirty() -> None:
    draft = Draft(current=CURRENT)
    assert draft.empty and not draft.dirty
    br0 = draft.iface("br0")
    assert br0 is not None
    br0["mtu"] = 9000
    draft.set_iface(br0)
    assert draft.desired["interfaces"][0]["mtu"] == 9000 and draft.dirty
    br0["mtu"] = 9100
    draft.set_iface(br0)
    assert draft.iface("br0")["mtu"] == 9100  # type: ignore[index]
    assert draft.undo() and draft.iface("br0")["mtu"] == 9000  # type: ignore[index]
    assert draft.undo() and draft.empty
    assert not draft.undo()
    assert draft.redo() and draft.iface("br0")["mtu"] == 9000  # type: ignore[index]
    draft.mark_saved()
    assert not draft.dirty


def test_unchanged_edit_is_not_an_undo_step() -> None:
    draft = Draft(current=CURRENT)
    br0 = draft.iface("br0")
    assert br0 is not None
    draft.set_iface(br0)
    draft.set_iface(br0)
    assert draft.undo() and not draft.can_undo()


def test_set_state_absent_and_down() -> None:
    draft = Draft(current=CURRENT)
    draft.set_state("eth1", "absent")
    assert draft.desired["interfaces"] == [{"name": "eth1", "type": "veth", "state": "absent"}]
    draft.set_state("br0", "down")
    assert draft.iface("br0")["state"] == "down"  # type: ignore[index]
    draft.drop_iface("br0")
    assert [i["name"] for i in draft.desired["interfaces"]] == ["eth1"]


def test_replace_from_yaml_is_undoable_and_rebase_keeps_edits() -> None:
    draft = Draft(current=CURRENT, desired={"interfaces": [{"name": "br0", "mtu": 1400}]})
    assert not draft.dirty
    draft.replace({"interfaces": [{"name": "br0", "mtu": 1300}]})
    assert draft.dirty
    draft.rebase({"interfaces": []})
    assert draft.current == {"interfaces": []}
    assert draft.desired["interfaces"][0]["mtu"] == 1300
    assert draft.undo() and draft.desired["interfaces"][0]["mtu"] == 1400


def test_problem_paths_name_the_interface_and_its_field() -> None:
    from engine.paths import iface_field

    assert iface_field("interfaces[br0].ipv4.address[0].ip") == ("br0", ("ipv4", "address", "ip"))
    assert iface_field("interfaces[br0].bridge.port[eth1].stp-priority") == (
        "br0",
        ("bridge", "port", "stp-priority"),
    )
    assert iface_field("interfaces[eth1].802.1x.password") == ("eth1", ("802.1x", "password"))
    assert iface_field("routes.config[0]") == (None, ())
    assert iface_field("interfaces[0]") == (None, ())


def test_interfaces_that_are_not_a_list_are_a_problem_not_a_crash() -> None:
    import pytest

    from engine.draft import DraftShapeError

    draft = Draft(current={"interfaces": [{"name": "eth1", "type": "ethernet", "mtu": 1500}]})
    draft.replace({"interfaces": {"type": "veth"}})
    assert draft.interfaces() == []
    assert draft.iface("eth1") == {"name": "eth1", "type": "ethernet", "mtu": 1500}
    problem = draft.shape_problem()
    assert problem is not None and problem.path == "interfaces"
    with pytest.raises(DraftShapeError):
        draft.set_iface({"name": "eth1", "type": "ethernet", "mtu": 9000})
    assert draft.desired == {"interfaces": {"type": "veth"}}  # what was written stays
    draft.replace({"interfaces": ["eth1"]})
    assert draft.shape_problem() is not None and draft.iface("eth1") is not None


def test_view_shows_the_current_config_of_what_is_edited_without_changing_the_draft() -> None:
    current = {
        "interfaces": [{"name": "eth1", "type": "ethernet", "mtu": 1500, "mac-address": "x"}],
        "routes": {"config": [{"destination": "0.0.0.0/0", "next-hop-interface": "eth1"}]},
        "hostname": {"running": "h1"},
    }
    draft = Draft(current=current)
    assert draft.view("eth1")["interfaces"] == [{"name": "eth1", "type": "ethernet", "mtu": 1500}]
    assert draft.view(section="routes")["routes"] == current["routes"]
    assert draft.view(section="hostname") == {"hostname": {"config": "h1"}}
    assert draft.view(section="dns") == {"dns-resolver": {"config": {}}}
    assert draft.empty
    draft.set_iface({"name": "eth1", "type": "ethernet", "mtu": 9000})
    assert draft.view("eth1")["interfaces"] == [{"name": "eth1", "type": "ethernet", "mtu": 9000}]


def test_edits_of_one_group_are_one_undo_step() -> None:
    draft = Draft(current={"interfaces": [{"name": "br0", "type": "linux-bridge"}]})
    for ports in (["e"], ["et"], ["eth"], ["eth1"]):
        draft.set_iface({"name": "br0", "type": "linux-bridge", "ports": ports}, group="br0/p/0")
    draft.set_iface(
        {"name": "br0", "type": "linux-bridge", "ports": ["eth1", "x"]}, group="br0/p/1"
    )
    assert draft.undo() and draft.iface("br0")["ports"] == ["eth1"]  # type: ignore[index]
    assert draft.undo() and draft.empty  # the whole first word at once
    assert draft.redo() and draft.iface("br0")["ports"] == ["eth1"]  # type: ignore[index]
    draft.end_group()
    draft.set_iface({"name": "br0", "type": "linux-bridge", "ports": ["eth2"]}, group="br0/p/0")
    assert draft.undo() and draft.iface("br0")["ports"] == ["eth1"]  # type: ignore[index]
