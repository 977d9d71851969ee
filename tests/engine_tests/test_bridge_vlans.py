"""Bridge port VLANs between the schema, VID ranges and the kernel's entries (engine.bridge_vlans).

This kernel has no VLAN filtering, so the kernel half is exercised here with
entries shaped as the kernel sends them (and, in the backend tests, with a
netlink message built byte by byte and decoded by pyroute2).
"""

from __future__ import annotations

from typing import Any

from engine.bridge_vlans import (
    VLAN_INFO_PVID,
    VLAN_INFO_RANGE_BEGIN,
    VLAN_INFO_RANGE_END,
    VLAN_INFO_UNTAGGED,
    ranges_from_kernel,
    ranges_from_section,
    section_from_ranges,
    vid_map,
)
from engine.verify import verify

NATIVE = VLAN_INFO_PVID | VLAN_INFO_UNTAGGED
TRUNK: dict[str, Any] = {
    "mode": "trunk",
    "enable-native": True,
    "tag": 100,
    "trunk-tags": [{"id": 101}, {"id-range": {"min": 500, "max": 599}}],
}


def test_compressed_kernel_entries_read_as_the_trunk_they_configure() -> None:
    entries = [
        (NATIVE, 100),
        (0, 101),
        (VLAN_INFO_RANGE_BEGIN, 500),
        (VLAN_INFO_RANGE_END, 599),
    ]
    assert section_from_ranges(ranges_from_kernel(entries)) == TRUNK


def test_uncompressed_entries_merge_into_the_same_ranges() -> None:
    entries = [(NATIVE, 100), (0, 101)] + [(0, vid) for vid in range(500, 600)]
    assert section_from_ranges(ranges_from_kernel(entries)) == TRUNK


def test_one_native_vlan_is_an_access_port() -> None:
    assert section_from_ranges(ranges_from_kernel([(NATIVE, 200)])) == {
        "mode": "access",
        "tag": 200,
    }
    assert ranges_from_kernel([]) == []


def test_schema_to_ranges_and_back() -> None:
    assert section_from_ranges(ranges_from_section(TRUNK)) == TRUNK
    access = {"mode": "access", "tag": 7}
    assert ranges_from_section(access) == [
        {"vid-start": 7, "vid-end": 7, "pvid": True, "untagged": True}
    ]


def test_the_same_vlans_cut_differently_are_equal() -> None:
    cut = {
        "mode": "trunk",
        "enable-native": True,
        "tag": 100,
        "trunk-tags": [
            {"id-range": {"min": 550, "max": 599}},
            {"id": 101},
            {"id-range": {"min": 500, "max": 549}},
        ],
    }
    assert vid_map(cut) == vid_map(TRUNK)
    assert vid_map({**TRUNK, "enable-native": False}) != vid_map(TRUNK)


def _bridge(port_vlan: dict[str, Any]) -> dict[str, Any]:
    port = {"name": "eth1", "vlan": port_vlan}
    return {
        "interfaces": [
            {"name": "br0", "type": "linux-bridge", "state": "up", "bridge": {"port": [port]}}
        ]
    }


def test_verify_compares_port_vlans_as_vid_sets() -> None:
    desired = _bridge(TRUNK)
    live_same = _bridge(section_from_ranges(ranges_from_section(TRUNK)))
    live_same["interfaces"][0]["bridge"]["port"][0]["vlan"]["trunk-tags"].reverse()
    assert verify(desired, desired, live_same) == []
    live_other = _bridge({"mode": "access", "tag": 1})
    (mismatch,) = verify(desired, desired, live_other)
    assert mismatch.path == "br0.bridge.port[eth1].vlan"
