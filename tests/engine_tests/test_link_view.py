"""Link words and marks: the kernel's state, in words, and what an interface carries."""

from __future__ import annotations

from typing import Any

from engine.link_view import (
    counter_rows,
    default_route_ifaces,
    link_word,
    marks,
    nm_word,
    speed_text,
    state_words,
)


def _link(up: bool = True, carrier: bool = True, operstate: str = "up") -> dict[str, Any]:
    return {"index": 2, "up": up, "carrier": carrier, "operstate": operstate}


def test_link_word_follows_the_kernel() -> None:
    assert link_word(_link()) == "up"
    assert link_word(_link(carrier=False, operstate="lowerlayerdown")) == "no-carrier"
    assert link_word(_link(carrier=False, operstate="down")) == "no-carrier"
    assert link_word(_link(up=False, carrier=False, operstate="down")) == "down"
    assert link_word(_link(operstate="dormant")) == "dormant"
    assert link_word(_link(operstate="unknown")) == "up"  # loopback, tun: no oper state
    assert link_word(None) == "gone"


def test_state_words_put_the_link_first_and_nm_after() -> None:
    active = {"name": "br0", "state": "up"}
    assert state_words(active, _link(carrier=False)) == ["no-carrier"]
    assert state_words({"name": "eth1p", "state": "ignore"}, _link()) == ["up", "unmanaged"]
    assert state_words({"name": "eth9", "state": "down"}, _link(up=False)) == ["down", "inactive"]
    assert state_words({"name": "x", "state": "absent"}, None) == ["absent"]
    assert nm_word("ignore") == "unmanaged" and nm_word("up") == ""


STATE: dict[str, Any] = {
    "routes": {
        "running": [
            {"destination": "0.0.0.0/0", "next-hop-interface": "eth0", "metric": 600},
            {"destination": "0.0.0.0/0", "next-hop-interface": "eth1", "metric": 100},
            {"destination": "::/0", "next-hop-interface": "eth0", "metric": 100},
            {"destination": "0.0.0.0/0", "next-hop-interface": "vrf9", "table-id": 100},
            {"destination": "203.0.113.0/24", "next-hop-interface": "br0"},
        ]
    },
    "interfaces": [
        {"name": "eth0", "ipv4": {"address": [{"ip": "192.0.2.5", "prefix-length": 24}]}},
        {"name": "eth1", "ipv4": {"address": [{"ip": "198.51.100.5", "prefix-length": 24}]}},
    ],
}


def test_default_route_is_the_lowest_metric_per_family_in_main() -> None:
    assert default_route_ifaces(STATE) == {"eth1", "eth0"}  # v4: eth1 (100), v6: eth0
    only_v4 = {"routes": {"running": STATE["routes"]["running"][:2]}}
    assert default_route_ifaces(only_v4) == {"eth1"}


def test_marks_name_default_route_and_ssh_session() -> None:
    got = marks(STATE, "192.0.2.77 50000 192.0.2.5 22")
    assert got["eth0"] == ["default-route", "ssh"]
    assert got["eth1"] == ["default-route"]
    assert "ssh" not in marks(STATE, None).get("eth0", [])


def test_speed_and_counters_text() -> None:
    assert speed_text({"speed": 10000, "duplex": "full"}) == "10 Gb/s full duplex"
    assert speed_text({"speed": 100}) == "100 Mb/s"
    assert speed_text({}) == ""
    stats = {"rx_bytes": 2048, "rx_packets": 3, "tx_bytes": 10, "tx_errors": 1}
    rows = dict(counter_rows({"stats": stats}))
    assert rows["rx"] == "2.0 KiB, 3 pkt, 0 err, 0 drop"
    assert rows["tx"] == "10 B, 0 pkt, 1 err, 0 drop"
    assert counter_rows({}) == []
