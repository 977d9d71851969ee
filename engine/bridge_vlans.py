"""Bridge port VLANs: the schema's ``vlan`` section, VID ranges, and the kernel's entries.

Three places describe the VLANs of a port on a VLAN-filtering bridge:

* the schema (nmstate's): ``mode: access`` with one ``tag``, or ``mode: trunk``
  with ``trunk-tags`` (ids and id ranges) and, with ``enable-native``, the
  untagged ``tag``;
* NetworkManager's ``bridge-port.vlans``: ranges with ``pvid`` and
  ``untagged`` flags (the ``vid-start``/``vid-end`` dicts used here);
* the kernel's ``IFLA_BRIDGE_VLAN_INFO`` entries: (flags, vid), a range
  given as a RANGE_BEGIN entry and a RANGE_END entry.

A port's VLANs are equal when they map every VID to the same (pvid,
untagged) flags, however the ranges are cut and ordered: :func:`vid_map` is
what verification compares.
"""

from __future__ import annotations

from typing import Any

from engine import keys as k

# include/uapi/linux/if_bridge.h
VLAN_INFO_PVID = 0x2
VLAN_INFO_UNTAGGED = 0x4
VLAN_INFO_RANGE_BEGIN = 0x8
VLAN_INFO_RANGE_END = 0x10


def _range(lo: int, hi: int, native: bool) -> dict[str, Any]:
    return {"vid-start": lo, "vid-end": hi, "pvid": native, "untagged": native}


def ranges_from_section(vlan: dict[str, Any]) -> list[dict[str, Any]]:
    """VID ranges from a port's schema ``vlan`` (access: one pvid; trunk: tags + native)."""
    if vlan.get(k.MODE, "trunk") == "access":
        return [_range(int(vlan["tag"]), int(vlan["tag"]), True)] if vlan.get("tag") else []
    out = []
    for tag in vlan.get("trunk-tags") or []:
        rng = tag.get("id-range")
        lo, hi = (int(rng["min"]), int(rng["max"])) if rng else (int(tag[k.ID]),) * 2
        out.append(_range(lo, hi, False))
    if vlan.get("enable-native") and vlan.get("tag"):
        out.append(_range(int(vlan["tag"]), int(vlan["tag"]), True))
    return out


def section_from_ranges(ranges: list[dict[str, Any]]) -> dict[str, Any]:
    """A port's schema ``vlan`` from VID ranges (inverse of :func:`ranges_from_section`)."""
    native = [v for v in ranges if v.get("pvid") and v.get("untagged")]
    tagged = [v for v in ranges if v not in native]
    if native and not tagged:
        return {k.MODE: "access", "tag": int(native[0]["vid-start"])}
    tags = [
        {k.ID: int(v["vid-start"])}
        if v["vid-start"] == v.get("vid-end", v["vid-start"])
        else {"id-range": {"min": int(v["vid-start"]), "max": int(v["vid-end"])}}
        for v in tagged
    ]
    out: dict[str, Any] = {k.MODE: "trunk", "trunk-tags": tags, "enable-native": bool(native)}
    if native:
        out["tag"] = int(native[0]["vid-start"])
    return out


def ranges_from_kernel(entries: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """VID ranges from a port's kernel (flags, vid) entries, in VID order.

    Explicit ranges (RANGE_BEGIN .. RANGE_END) and runs of consecutive VIDs
    with the same flags both become one range, so a dump with or without
    the kernel's compression reads the same.
    """
    vids: dict[int, bool] = {}  # vid -> native (pvid and untagged)
    begin: int | None = None
    for flags, vid in entries:
        native = bool(flags & VLAN_INFO_PVID and flags & VLAN_INFO_UNTAGGED)
        if flags & VLAN_INFO_RANGE_BEGIN:
            begin = vid
            continue
        first = begin if begin is not None and flags & VLAN_INFO_RANGE_END else vid
        begin = None
        for one in range(first, vid + 1):
            vids[one] = native
    out: list[dict[str, Any]] = []
    for vid in sorted(vids):
        last = out[-1] if out else None
        if last and last["vid-end"] == vid - 1 and last["pvid"] == vids[vid] and not vids[vid]:
            last["vid-end"] = vid
        else:
            out.append(_range(vid, vid, vids[vid]))
    return out


def vid_map(vlan: dict[str, Any]) -> dict[int, bool]:
    """Every VID of a schema ``vlan`` section and whether it is the native (untagged) one."""
    out: dict[int, bool] = {}
    for rng in ranges_from_section(vlan):
        for vid in range(int(rng["vid-start"]), int(rng["vid-end"]) + 1):
            out[vid] = bool(rng["pvid"])
    return out
