"""Issue 11, apply side, in the engine: a desired interface lands on the host's own entry.

nmstate reads a veth end as an ethernet interface, so ``type: ethernet``
for a veth NIC means that veth; before, the merge added a second, new
``eth1`` next to the veth, the plan rewrote the veth from the host's own
values, and verification compared the host's entry with itself: an
IP-only change exited 0 with nothing applied.
"""

from __future__ import annotations

from typing import Any

from engine.merge import merge
from engine.verify import verify


def _veth_host() -> dict[str, Any]:
    return {
        "interfaces": [
            {
                "name": "eth1",
                "type": "veth",
                "state": "up",
                "veth": {"peer": "eth1p"},
                "ipv4": {
                    "enabled": True,
                    "dhcp": False,
                    "address": [{"ip": "192.0.2.10", "prefix-length": 24}],
                },
            }
        ]
    }


def _new_ip(kind: str | None) -> dict[str, Any]:
    iface: dict[str, Any] = {
        "name": "eth1",
        "ipv4": {"address": [{"ip": "192.0.2.252", "prefix-length": 24}]},
    }
    if kind is not None:
        iface["type"] = kind
    return {"interfaces": [iface]}


def test_type_ethernet_merges_onto_the_veth_of_that_name() -> None:
    merged = merge(_new_ip("ethernet"), _veth_host())
    (eth1,) = [i for i in merged["interfaces"] if i["name"] == "eth1"]
    assert eth1["type"] == "veth" and eth1["veth"] == {"peer": "eth1p"}
    assert eth1["ipv4"]["address"] == [{"ip": "192.0.2.252", "prefix-length": 24}]


def test_no_type_merges_by_name() -> None:
    merged = merge(_new_ip(None), _veth_host())
    (eth1,) = [i for i in merged["interfaces"] if i["name"] == "eth1"]
    assert eth1["type"] == "veth"
    assert eth1["ipv4"]["address"] == [{"ip": "192.0.2.252", "prefix-length": 24}]


def test_absent_as_ethernet_keeps_the_veth_kind_in_the_marker() -> None:
    desired = {"interfaces": [{"name": "eth1", "type": "ethernet", "state": "absent"}]}
    merged = merge(desired, _veth_host())
    (eth1,) = [i for i in merged["interfaces"] if i["name"] == "eth1"]
    assert eth1 == {"name": "eth1", "type": "veth", "state": "absent"}


def test_verify_reports_the_address_not_applied() -> None:
    desired = _new_ip("ethernet")
    merged = merge(desired, _veth_host())
    mismatches = verify(desired, merged, _veth_host())
    assert [m.path for m in mismatches] == ["eth1.ipv4.address"]


def test_verify_checks_the_entry_of_the_asked_type_when_the_merge_holds_two() -> None:
    # A merged state with the host's veth and a second, new entry of the asked type
    # (what the merge used to build): the asked one is compared, not the host's own.
    desired = {"interfaces": [{"name": "eth1", "type": "linux-bridge", "state": "up"}]}
    merged = {
        "interfaces": [
            {"name": "eth1", "type": "linux-bridge", "state": "up"},
            *_veth_host()["interfaces"],
        ]
    }
    mismatches = verify(desired, merged, _veth_host())
    assert [(m.path, m.wanted, m.found) for m in mismatches] == [
        ("eth1.type", "linux-bridge", "veth")
    ]


def test_verify_reports_a_desired_interface_the_merge_lost() -> None:
    desired = {"interfaces": [{"name": "eth9", "type": "ethernet", "state": "up"}]}
    mismatches = verify(desired, _veth_host(), _veth_host())
    assert [m.path for m in mismatches] == ["eth9"]


def test_hostname_running_merges_and_is_verified() -> None:
    host = {"hostname": {"config": "h1", "running": "h1"}}
    desired = {"hostname": {"running": "web01"}}
    merged = merge(desired, host)
    assert merged["hostname"] == {"config": "h1", "running": "web01"}
    (miss,) = verify(desired, merged, host)
    assert (miss.path, miss.wanted, miss.found) == ("hostname.running", "web01", "h1")
    assert verify(desired, merged, merged) == []


def test_revert_puts_back_the_running_hostname_it_changed() -> None:
    from engine.revert import revert_state

    host = {"hostname": {"config": "h1", "running": "h1"}}
    merged = merge({"hostname": {"running": "web01"}}, host)
    assert revert_state(host, merged)["hostname"] == {"running": "h1"}
    assert merge(revert_state(host, merged), merged)["hostname"] == host["hostname"]
