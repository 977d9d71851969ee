"""``copy-mac-from``: a bond, bridge or OVS interface takes another interface's MAC.

As nmstate does (``apply_copy_mac_from`` in its ``inter_ifaces.rs``): the
named interface's permanent MAC when it has one, else its current MAC, both
read from that interface as the state being applied leaves it (what the
desired state says of it, over what the host has). The result is an
ordinary ``mac-address`` on the interface, so the profile pins it, the diff
shows it and verification checks it, and ``copy-mac-from`` itself is gone.
On other types nmstate ignores the key; so does this.

Pure: no I/O, inputs are never mutated.
"""

from __future__ import annotations

import copy
from typing import Any

from engine import keys as k

COPY_MAC_FROM = "copy-mac-from"
COPY_MAC_TYPES = frozenset({k.BOND, k.LINUX_BRIDGE, k.OVS_INTERFACE})


def _named(state: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    raw = (state or {}).get(k.INTERFACES)
    out: dict[str, dict[str, Any]] = {}
    for iface in raw if isinstance(raw, list) else []:
        if isinstance(iface, dict) and isinstance(iface.get(k.NAME), str):
            out.setdefault(iface[k.NAME], iface)
    return out


def copies_mac(iface: dict[str, Any], current: dict[str, dict[str, Any]]) -> str | None:
    """The interface ``iface`` copies its MAC from, when its type takes ``copy-mac-from``."""
    source = iface.get(COPY_MAC_FROM)
    if not isinstance(source, str) or not source or iface.get(k.STATE) in (k.ABSENT, k.IGNORE):
        return None
    kind = iface.get(k.TYPE) or (current.get(iface[k.NAME]) or {}).get(k.TYPE)
    return source if kind in COPY_MAC_TYPES else None


def source_mac(
    source: str, desired: dict[str, dict[str, Any]], current: dict[str, dict[str, Any]]
) -> str | None:
    """``source``'s permanent MAC, else its MAC, as the applied state leaves it; None if
    neither the desired state nor the host has one (or the interface at all)."""
    merged = {**(current.get(source) or {}), **(desired.get(source) or {})}
    for key in (k.PERMANENT_MAC_ADDRESS, k.MAC_ADDRESS):
        mac = merged.get(key)
        if isinstance(mac, str) and mac:
            return mac.upper()
    return None


def copy_mac_fault(
    iface: dict[str, Any], desired: dict[str, Any], current: dict[str, Any] | None
) -> str | None:
    """nmstate's refusal of ``iface``'s ``copy-mac-from``, or None. With no host known
    (``current`` None) only a source the desired state lacks a MAC for is not judged."""
    cur = _named(current)
    source = copies_mac(iface, cur)
    if source is None:
        return None
    want = _named(desired)
    if source not in want and source not in cur:
        if current is None:
            return None
        return f"Failed to find interface {source} for copy-mac-from of iface {iface[k.NAME]}"
    if source_mac(source, want, cur) is None and current is not None:
        return (
            f"Failed to find mac address of interface {source} "
            f"for copy-mac-from of iface {iface[k.NAME]}"
        )
    return None


def resolve_copy_mac(desired: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    """``desired`` with every resolvable ``copy-mac-from`` turned into ``mac-address``.

    Unresolvable ones (validation reports them) are left as they are.
    """
    want, cur = _named(desired), _named(current)
    if not any(copies_mac(i, cur) for i in want.values()):
        return desired
    out = copy.deepcopy(desired)
    for iface in _named(out).values():
        source = copies_mac(iface, cur)
        mac = source_mac(source, want, cur) if source else None
        if mac is not None:
            del iface[COPY_MAC_FROM]
            iface[k.MAC_ADDRESS] = mac
    return out
