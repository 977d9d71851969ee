"""Semantic validation: what a JSON Schema cannot say.

The schema checks shapes one object at a time. These rules check how
objects relate (a port claimed twice, a vlan on an interface that is being
deleted) and kernel limits the schema leaves loose (name length, MTU floors
of each IP family, bond options that only one mode understands). Each
problem carries a path the UI can jump to and a hint that says the fix.

When ``current`` is None the host is unknown (validating a file offline), so
"does not exist" is not reported: eth0 is usually on the host, not in the file.

This module holds the value rules (IP, MTU, ids, bond options, kernel
support) and runs them all; the rules about how interfaces hang together
are in :mod:`engine.rules_topology`, those about names and MAC addresses in
:mod:`engine.rules_link`, those of route and rule entries in :mod:`engine.rules_routes`,
and the shared index in :mod:`engine.rules_context`.
"""

from __future__ import annotations

from typing import Any

from engine import keys as k
from engine.comparable import GROUP_FORWARD_MASK, GROUP_FWD_MASK, is_link_local, link_local_entry
from engine.errors import Problem
from engine.normalize import canonical_ip
from engine.rules_context import Ctx, to_int
from engine.rules_link import IFNAMSIZ, check_link
from engine.rules_routes import check_route_entries, check_route_rules
from engine.rules_topology import (
    check_bases,
    check_cycles,
    check_hsr,
    check_port_ip,
    check_ports,
    check_routes,
)

__all__ = ["IFNAMSIZ", "semantic_problems"]

MTU_MAX = 65535
MTU_MIN = {k.IPV4: 68, k.IPV6: 1280}
VLAN_ID_MAX = 4094
VXLAN_ID_MAX = 16777215
VLAN_DEFAULT_PVID = "vlan-default-pvid"
#: Devices the kernel runs above 65535 by default (lo: 65536, vrf: 65575).
_NO_MTU_CAP = frozenset({k.LOOPBACK, k.VRF})

_BOND_MODE_NAMES = k.BOND_MODES
# Option → the bond modes that understand it.
_BOND_OPTION_MODES: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("lacp_rate", "ad_select", "ad_actor_sys_prio", "ad_actor_system", "ad_user_port_key"),
        frozenset({"802.3ad"}),
    ),
    "primary": frozenset({"active-backup", "balance-tlb", "balance-alb"}),
    "tlb_dynamic_lb": frozenset({"balance-tlb", "balance-alb"}),
}
_ARP_MONITOR_MODES = frozenset(_BOND_MODE_NAMES) - {"802.3ad", "balance-tlb", "balance-alb"}
_KERNEL_MODULES = {
    k.BOND: "bonding",
    k.LINUX_BRIDGE: "bridge",
    k.VLAN: "8021q",
    k.VXLAN: "vxlan",
    k.VRF: "vrf",
    k.VETH: "veth",
    k.MAC_VLAN: "macvlan",
    k.MAC_VTAP: "macvtap",
    k.IPVLAN: "ipvlan",
    k.DUMMY: "dummy",
    k.TEAM: "team",
    k.MACSEC: "macsec",
    k.OVS_BRIDGE: "openvswitch",
    k.OVS_INTERFACE: "openvswitch",
}


def _family_enabled(ctx: Ctx, iface: dict[str, Any], family: str) -> bool | None:
    """Whether ``family`` ends up on: desired says, else addresses/DHCP imply it, else the host."""
    section = iface.get(family)
    if isinstance(section, dict):
        if isinstance(section.get(k.ENABLED), bool):
            return bool(section[k.ENABLED])
        if section.get(k.ADDRESS) or section.get(k.DHCP) is True or section.get(k.AUTOCONF) is True:
            return True
    cur = ctx.current.get(iface[k.NAME], {}).get(family)
    if isinstance(cur, dict) and isinstance(cur.get(k.ENABLED), bool):
        return bool(cur[k.ENABLED])
    return None


def _check_ip(ctx: Ctx) -> None:
    """nmstate refuses static addresses next to DHCP/autoconf unless ``allow-extra-address``."""
    for i, iface in ctx.live():
        for family in k.IP_FAMILIES:
            section = iface.get(family)
            if not isinstance(section, dict) or section.get(k.ENABLED) is False:
                continue
            auto = [key for key in (k.DHCP, k.AUTOCONF) if section.get(key) is True]
            if family == k.IPV4 and k.AUTOCONF in auto:
                auto.remove(k.AUTOCONF)
            address = section.get(k.ADDRESS)
            if isinstance(address, list):  # link-local ones are the kernel's, not static
                address = [a for a in address if not link_local_entry(a)]
            if auto and address and section.get(k.ALLOW_EXTRA_ADDRESS) is not True:
                ctx.error(
                    ctx.path(k.INTERFACES, i, family, k.ADDRESS),
                    f"static {family} addresses together with {' and '.join(auto)}",
                    f"remove the addresses, set {auto[0]}: false, or set allow-extra-address: true",
                )


def _address_text(entry: Any) -> str | None:
    """An address list entry's IP in canonical text (``fe80::1`` for ``FE80::0:1/64``)."""
    ip = entry.get(k.IP) if isinstance(entry, dict) else entry
    return canonical_ip(ip.partition("/")[0].strip()) if isinstance(ip, str) else None


def _check_link_local(ctx: Ctx) -> None:
    """A link-local IPv6 address is ignored when applying, as nmstate ignores it: say so.

    One the host has already (``show``'s output applied back) is no request and
    goes unmentioned; the kernel or NetworkManager makes those, not a profile.
    """
    for i, iface in ctx.live():
        section = iface.get(k.IPV6)
        addrs = section.get(k.ADDRESS) if isinstance(section, dict) else None
        if not isinstance(addrs, list):
            continue
        cur = (ctx.current.get(iface[k.NAME], {}).get(k.IPV6) or {}).get(k.ADDRESS) or []
        have = {_address_text(a) for a in cur}
        for j, entry in enumerate(addrs):
            ip = _address_text(entry)
            if ip is None or not is_link_local(ip) or ip in have:
                continue
            ctx.warn(
                ctx.path(k.INTERFACES, i, k.IPV6, k.ADDRESS, j),
                f"{ip} is an IPv6 link-local address (fe80::/10): it is ignored when "
                "applying, as nmstate ignores it; the kernel gives every IPv6 link one",
                "remove it from the list (other addresses are applied as usual)",
            )


def _check_mtu(ctx: Ctx) -> None:
    """IPv4 needs 68 bytes, IPv6 1280; the kernel caps most links at 65535."""
    for i, iface in ctx.live():
        mtu = iface.get(k.MTU)
        if not isinstance(mtu, int) or isinstance(mtu, bool):
            continue
        where = ctx.path(k.INTERFACES, i, k.MTU)
        kind = iface.get(k.TYPE, ctx.current.get(iface[k.NAME], {}).get(k.TYPE))
        if mtu > MTU_MAX and kind not in _NO_MTU_CAP:
            ctx.error(where, f"MTU {mtu} is above {MTU_MAX}", f"use an MTU of at most {MTU_MAX}")
            continue
        for family in k.IP_FAMILIES:
            floor = MTU_MIN[family]
            if mtu < floor and _family_enabled(ctx, iface, family):
                ctx.error(
                    where,
                    f"MTU {mtu} is below {floor}, the minimum for {family}",
                    f"raise the MTU to {floor} or more, or disable {family}",
                )
                break


def _check_ids(ctx: Ctx) -> None:
    """802.1Q ids are 12 bits (4095 reserved); VXLAN VNIs 24 bits."""
    for i, iface in ctx.live():
        for section, top in ((k.VLAN, VLAN_ID_MAX), (k.VXLAN, VXLAN_ID_MAX)):
            sect = iface.get(section)
            vid = to_int(sect.get(k.ID)) if isinstance(sect, dict) else None
            if vid is not None and not 0 <= vid <= top:
                ctx.error(
                    ctx.path(k.INTERFACES, i, section, k.ID),
                    f"{section} id {vid} is outside 0-{top}",
                    f"use an id from 0 to {top}",
                )


def _check_bridge_mask(ctx: Ctx) -> None:
    """``group-fwd-mask`` is ``group-forward-mask`` by its kernel name: two values conflict."""
    for i, iface in ctx.live():
        bridge = iface.get(k.BRIDGE)
        opts = bridge.get(k.OPTIONS) if isinstance(bridge, dict) else None
        if not isinstance(opts, dict) or GROUP_FWD_MASK not in opts:
            continue
        one, other = opts.get(GROUP_FORWARD_MASK), opts[GROUP_FWD_MASK]
        if one is not None and to_int(one) != to_int(other):
            ctx.error(
                ctx.path(k.INTERFACES, i, k.BRIDGE, k.OPTIONS, GROUP_FWD_MASK),
                f"{GROUP_FWD_MASK} {other} and {GROUP_FORWARD_MASK} {one} differ, but they are "
                "one setting (nmstate accepts both names)",
                "give one of them, or the same value to both",
            )


def _filters_vlans(ctx: Ctx, iface: dict[str, Any]) -> bool:
    """nmstate's ``vlan_filtering_is_enabled``: some port (of the desired list, else the
    host's) has a non-empty ``vlan`` section."""
    bridge = iface.get(k.BRIDGE) or {}
    ports = bridge.get(k.PORT) if isinstance(bridge, dict) else None
    if not isinstance(ports, list):
        ports = ((ctx.current.get(iface[k.NAME]) or {}).get(k.BRIDGE) or {}).get(k.PORT) or []
    return any(isinstance(p, dict) and p.get(k.VLAN) for p in ports)


def _check_default_pvid(ctx: Ctx) -> None:
    """A bridge's ``vlan-default-pvid`` other than 1 needs VLAN filtering (port VLANs)."""
    for i, iface in ctx.live():
        bridge = iface.get(k.BRIDGE)
        opts = bridge.get(k.OPTIONS) if isinstance(bridge, dict) else None
        pvid = opts.get(VLAN_DEFAULT_PVID) if isinstance(opts, dict) else None
        if pvid is None or to_int(pvid) == 1 or _filters_vlans(ctx, iface):
            continue
        ctx.error(
            ctx.path(k.INTERFACES, i, k.BRIDGE, k.OPTIONS, VLAN_DEFAULT_PVID),
            f"Linux bridge {iface[k.NAME]} has vlan-default-pvid different than 1 but VLAN "
            "filtering is not enabled.",
            "give a port a vlan section (that turns filtering on), or leave the option out",
        )


def _check_macsec(ctx: Ctx) -> None:
    """MKA needs both halves of the pre-shared key: the CAK and its name (CKN), or neither."""
    for i, iface in ctx.live():
        sect = iface.get(k.MACSEC)
        if not isinstance(sect, dict):
            continue
        cak, ckn = sect.get("mka-cak"), sect.get("mka-ckn")
        if (cak is None) != (ckn is None):
            given, other = ("mka-cak", "mka-ckn") if ckn is None else ("mka-ckn", "mka-cak")
            ctx.error(
                ctx.path(k.INTERFACES, i, k.MACSEC, other),
                f"{given} is given without {other}; MKA needs both or neither",
                f"add {other}, or remove {given}",
            )


def _bond_mode(value: Any) -> str | None:
    """Mode name from a name or the kernel's number (``4`` is ``802.3ad``)."""
    num = to_int(value)
    if num is not None and 0 <= num < len(_BOND_MODE_NAMES):
        return _BOND_MODE_NAMES[num]
    return value if isinstance(value, str) and value in _BOND_MODE_NAMES else None


def _check_bond(ctx: Ctx) -> None:
    """Bond options the kernel rejects for the chosen mode, and two link monitors at once."""
    for i, iface in ctx.live():
        agg = iface.get(k.LINK_AGGREGATION)
        opts = agg.get(k.OPTIONS) if isinstance(agg, dict) else None
        if not isinstance(agg, dict) or not isinstance(opts, dict) or not opts:
            continue
        cur = ctx.current.get(iface[k.NAME], {}).get(k.LINK_AGGREGATION)
        cur = cur if isinstance(cur, dict) else {}
        mode = _bond_mode(agg.get(k.MODE, cur.get(k.MODE)))
        if mode is None:
            continue
        cur_opts = cur.get(k.OPTIONS)
        same_mode = _bond_mode(cur.get(k.MODE)) == mode and isinstance(cur_opts, dict)
        effective = {**(cur_opts if same_mode and isinstance(cur_opts, dict) else {}), **opts}
        at = (k.INTERFACES, i, k.LINK_AGGREGATION, k.OPTIONS)
        for option in opts:
            modes = _BOND_OPTION_MODES.get(option)
            if modes is not None and mode not in modes and opts[option] is not None:
                ctx.error(
                    ctx.path(*at, option),
                    f"bond option {option} does not apply to mode {mode}",
                    f"remove {option}, or use mode {' or '.join(sorted(modes))}",
                )
        miimon, arp = (
            to_int(effective.get("miimon")) or 0,
            to_int(effective.get("arp_interval")) or 0,
        )
        if arp > 0 and mode not in _ARP_MONITOR_MODES and "arp_interval" in opts:
            ctx.error(
                ctx.path(*at, "arp_interval"),
                f"ARP monitoring does not work in mode {mode}",
                "use miimon instead (set arp_interval: 0)",
            )
        elif miimon > 0 and arp > 0 and ("miimon" in opts or "arp_interval" in opts):
            key = "arp_interval" if "arp_interval" in opts else "miimon"
            ctx.error(
                ctx.path(*at, key),
                "miimon and arp_interval are both enabled",
                "pick one link monitor: set miimon or arp_interval to 0",
            )


def _check_kernel(ctx: Ctx, missing: frozenset[str]) -> None:
    """Types the backend found missing: a warning, since a module may be loaded before apply."""
    for i, iface in ctx.live():
        kind = iface.get(k.TYPE)
        if isinstance(kind, str) and kind in missing:
            module = _KERNEL_MODULES.get(kind, kind)
            ctx.warn(
                ctx.path(k.INTERFACES, i, k.TYPE),
                f"this host's kernel has no {kind} support",
                f"load the module ('modprobe {module}') or install it before applying",
            )


def semantic_problems(
    desired: dict[str, Any],
    current: dict[str, Any] | None = None,
    *,
    kernel_missing_types: frozenset[str] | None = None,
) -> list[Problem]:
    """Problems of ``desired`` judged against ``current`` (the host's state, when known).

    ``kernel_missing_types`` is what the backend found the kernel lacks; such
    types give warnings, since a module may still be loaded before apply.
    """
    if not isinstance(desired, dict):
        return []
    ctx = Ctx(desired, current if isinstance(current, dict) else None)
    check_link(ctx)
    check_ports(ctx)
    check_port_ip(ctx)
    check_bases(ctx)
    check_hsr(ctx)
    check_cycles(ctx)
    check_routes(ctx)
    check_route_entries(ctx)
    check_route_rules(ctx)
    _check_ip(ctx)
    _check_link_local(ctx)
    _check_mtu(ctx)
    _check_ids(ctx)
    _check_bridge_mask(ctx)
    _check_default_pvid(ctx)
    _check_macsec(ctx)
    _check_bond(ctx)
    if kernel_missing_types:
        _check_kernel(ctx, kernel_missing_types)
    return ctx.problems
