"""What a live link cannot take on in place: the changes that make NM re-create it.

A VXLAN's VNI, a VLAN's id, a veth's peer are the link's identity in the
kernel. NetworkManager cannot Reapply them, and activating the changed profile
over the old link fails ("no compatible device"). nmstate deactivates such a
profile before activating it again; the plan does the same with one
``recreate`` step, and the review says so.
"""

from __future__ import annotations

from typing import Any

#: NM settings a live link cannot take on in place: its identity in the kernel (a VXLAN's
#: VNI, a VLAN's id and protocol, a veth's peer, a VRF's table). nmstate deactivates such
#: a profile before activating it again (``gen_nm_conn_need_to_deactivate_first``); a
#: Reapply, or an activation over the old link, fails with "no compatible device".
LINK_IDENTITY = {"vxlan": ("id",), "vlan": ("id", "protocol"), "veth": ("peer",), "vrf": ("table",)}


def recreates_link(
    existing: dict[str, dict[str, Any]], wanted: dict[str, dict[str, Any]]
) -> str | None:
    """What about the link's kernel identity changes when ``wanted`` replaces ``existing``
    (``"vxlan id 201 -> 200"``), or None when the link can stay."""
    for section, keys in LINK_IDENTITY.items():
        old, new = existing.get(section), wanted.get(section)
        if old is None or new is None:
            continue
        for key in keys:
            if key in new and new.get(key) != old.get(key):
                return f"{section} {key} {old.get(key)} -> {new.get(key)}"
    return None


def cannot_reapply(
    existing: dict[str, dict[str, Any]], wanted: dict[str, dict[str, Any]]
) -> str | None:
    """Why a changed profile must be activated again rather than Reapplied, or None.

    NetworkManager 1.42 dies (the daemon exits, its checkpoint with it) when a
    Reapply changes ``dns-options`` of an active profile; seen on the sandbox
    with any options added to or removed from a profile that holds DNS.
    Activating the profile again takes them without that.
    """
    for section in ("ipv4", "ipv6"):
        old, new = existing.get(section) or {}, wanted.get(section) or {}
        if (old.get("dns-options") or []) != (new.get("dns-options") or []):
            return f"{section}.dns-options change (NetworkManager 1.42 cannot Reapply it)"
    return None
