"""The restore check's comparison: "restored" only when a re-read equals the snapshot."""

from __future__ import annotations

import copy
from typing import Any

from engine.restore_check import UNCHECKED, Snapshot, check, compare


def _state() -> dict[str, Any]:
    return {
        "hostname": {"config": "h", "running": "h"},
        "routes": {
            "config": [],
            "running": [
                {
                    "destination": "203.0.113.0/24",
                    "next-hop-interface": "eth1",
                    "next-hop-address": "192.0.2.1",
                    "metric": 100,
                    "table-id": 254,
                }
            ],
        },
        "interfaces": [
            {"name": "eth1", "type": "veth", "state": "up", "veth": {"peer": "eth1p"}},
            {"name": "eth1p", "type": "veth", "state": "ignore", "veth": {"peer": "eth1"}},
        ],
    }


LINKS = {
    "eth1": {"index": 3, "up": True, "carrier": True},
    "eth1p": {"index": 4, "up": True, "carrier": True},
}


def test_equal_reads_are_restored() -> None:
    report = check(Snapshot(_state(), LINKS), Snapshot(_state(), copy.deepcopy(LINKS)))
    assert report.restored
    assert "checked" in report.format()


def test_running_hostname_alone_is_not_a_difference() -> None:
    after = _state()
    after["hostname"]["running"] = "other"  # the kernel copy follows NM's a moment later
    assert compare(_state(), after).restored


def test_recreated_link_with_far_end_down() -> None:
    links = copy.deepcopy(LINKS)
    links["eth1"]["index"] = 9
    links["eth1p"] = {"index": 10, "up": False, "carrier": False}
    report = check(Snapshot(_state(), LINKS), Snapshot(_state(), links))
    assert not report.restored
    text = report.format()
    assert "eth1: re-created by NetworkManager during the rollback (ifindex 3 → 9)" in text
    assert "its far end eth1p is down: bring it up with 'ip link set eth1p up'" in text


def test_metric_move_is_reported_with_its_fix() -> None:
    after = _state()
    after["routes"]["running"][0]["metric"] = 103
    report = compare(_state(), after)
    assert report.differences == [
        "route 203.0.113.0/24 via 192.0.2.1 dev eth1: metric 100 → 103 (NetworkManager chose "
        "a new one when it re-activated the interface; give the route a metric to pin it)"
    ]


def test_lost_route_and_changed_setting() -> None:
    after = _state()
    after["routes"]["running"] = []
    after["interfaces"][0]["mtu"] = 1400
    lines = compare(_state(), after).differences
    assert any("203.0.113.0/24" in line and "gone" in line for line in lines)
    assert any(line.startswith("eth1: mtu") for line in lines)


def test_no_snapshot_claims_nothing() -> None:
    assert not UNCHECKED.restored
    assert "not checked" in UNCHECKED.format()


def test_snapshot_survives_its_record() -> None:
    snap = Snapshot(_state(), LINKS)
    again = Snapshot.from_json(snap.to_json())
    assert again is not None and check(snap, again).restored
    assert Snapshot.from_json({"links": {}}) is None
