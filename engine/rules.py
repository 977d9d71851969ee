"""Semantic validation: what a JSON Schema cannot say.

The schema checks shapes one object at a time. These rules check how
objects relate (a port claimed twice, a vlan on an interface that is being
deleted) and kernel limits the schema leaves loose (name length, MTU floors
of each IP family, bond options that only one mode understands). Each
problem carries a path the UI can jump to and a hint that says the fix.

When ``current`` is None the host is unknown (validating a file offline), so
"does not exist" is not reported: eth0 is usually on the host, not in the file.
"""

from __future__ import annotations

from typing import Any

from engine import keys as k
from engine.errors import Problem
from engine.paths import PathPart, format_path
from engine.topology import parent_of, port_refs

IFNAMSIZ = 15  # bytes, without the trailing NUL
MTU_MAX = 65535
MTU_MIN = {k.IPV4: 68, k.IPV6: 1280}
VLAN_ID_MAX = 4094
VXLAN_ID_MAX = 16777215
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


class _Ctx:
    """Indexes built once so every rule is a dictionary lookup (states can hold 1000s of links)."""

    def __init__(self, desired: dict[str, Any], current: dict[str, Any] | None) -> None:
        self.desired = desired
        self.host_known = current is not None
        raw = desired.get(k.INTERFACES)
        self.ifaces: list[tuple[int, dict[str, Any]]] = [
            (i, iface)
            for i, iface in enumerate(raw if isinstance(raw, list) else [])
            if isinstance(iface, dict) and isinstance(iface.get(k.NAME), str)
        ]
        self.names = {iface[k.NAME] for _, iface in self.ifaces}
        self.absent = {iface[k.NAME] for _, iface in self.ifaces if iface.get(k.STATE) == k.ABSENT}
        self.current: dict[str, dict[str, Any]] = {}
        cur = current.get(k.INTERFACES) if current else None
        for iface in cur if isinstance(cur, list) else []:
            if isinstance(iface, dict) and isinstance(iface.get(k.NAME), str):
                self.current.setdefault(iface[k.NAME], iface)
        self.problems: list[Problem] = []

    def path(self, *parts: PathPart) -> str:
        return format_path(parts, self.desired)

    def error(self, path: str, message: str, hint: str) -> None:
        self.problems.append(Problem(path, message, hint))

    def warn(self, path: str, message: str, hint: str) -> None:
        self.problems.append(Problem(path, message, hint, severity="warning"))

    def missing(self, name: str) -> bool:
        """True when ``name`` is neither in the desired state nor on the (known) host."""
        return self.host_known and name not in self.names and name not in self.current

    def live(self) -> list[tuple[int, dict[str, Any]]]:
        """Desired interfaces whose content matters (not being deleted or ignored)."""
        return [(i, f) for i, f in self.ifaces if f.get(k.STATE) not in (k.ABSENT, k.IGNORE)]


def _int(value: Any) -> int | None:
    """An option value as int: YAML gives ``100`` or ``"100"`` depending on quoting."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _check_names(ctx: _Ctx) -> None:
    """Kernel name limit (IFNAMSIZ counts bytes) and the same (name, type) given twice."""
    seen: dict[str, list[tuple[int, str]]] = {}
    for i, iface in ctx.ifaces:
        name: str = iface[k.NAME]
        raw_kind = iface.get(k.TYPE)
        kind = raw_kind if isinstance(raw_kind, str) else ""
        if len(name.encode()) > IFNAMSIZ and iface.get(k.STATE) != k.ABSENT:
            ctx.error(
                ctx.path(k.INTERFACES, i, k.NAME),
                f"name {name!r} is {len(name.encode())} bytes; the kernel allows {IFNAMSIZ}",
                f"shorten it to at most {IFNAMSIZ} bytes (UTF-8)",
            )
        # Same name and type twice; an entry without a type matches any type.
        for j, other in seen.get(name, []):
            if not kind or not other or kind == other:
                ctx.error(
                    ctx.path(k.INTERFACES, i, k.NAME),
                    f"{name} is listed twice (entries {j + 1} and {i + 1})",
                    "merge the two entries into one",
                )
                break
        seen.setdefault(name, []).append((i, kind))


def _check_ports(ctx: _Ctx) -> None:
    """Each port has one controller, exists and stays; a port-side ``controller`` agrees."""
    claims: dict[str, str] = {}
    for i, iface in ctx.live():
        ctrl: str = iface[k.NAME]
        for rel, port in port_refs(iface):
            where = ctx.path(k.INTERFACES, i, *rel)
            if port == ctrl:
                ctx.error(where, f"{ctrl} lists itself as a port", f"remove {ctrl} from its ports")
                continue
            owner = claims.setdefault(port, ctrl)
            if owner != ctrl:
                ctx.error(
                    where,
                    f"{port} is a port of both {owner} and {ctrl}",
                    f"remove {port} from the ports of {owner} or of {ctrl}",
                )
            if port in ctx.absent:
                ctx.error(
                    where,
                    f"port {port} of {ctrl} is marked absent",
                    f"remove {port} from the ports of {ctrl}, or keep {port}",
                )
            elif ctx.missing(port):
                ctx.error(
                    where,
                    f"port {port} of {ctrl} does not exist",
                    f"add {port} to the state or fix the name",
                )
    for i, iface in ctx.live():
        ctrl_ref = iface.get(k.CONTROLLER)
        if not isinstance(ctrl_ref, str) or not ctrl_ref:
            continue
        where = ctx.path(k.INTERFACES, i, k.CONTROLLER)
        name = iface[k.NAME]
        claimed_by = claims.get(name)
        if claimed_by is not None and claimed_by != ctrl_ref:
            ctx.error(
                where,
                f"{name} names controller {ctrl_ref} but is a port of {claimed_by}",
                f"set controller: {claimed_by} or move {name} to the ports of {ctrl_ref}",
            )
        elif ctrl_ref in ctx.absent:
            ctx.error(
                where,
                f"controller {ctrl_ref} of {name} is marked absent",
                f"detach {name} with controller: '' or keep {ctrl_ref}",
            )
        elif ctx.missing(ctrl_ref):
            ctx.error(
                where,
                f"controller {ctrl_ref} of {name} does not exist",
                f"add {ctrl_ref} to the state or fix the name",
            )


def _base_section(iface: dict[str, Any], base: str) -> str:
    """Which section's ``base-iface`` named ``base`` (for the problem path)."""
    kind = iface.get(k.TYPE)
    for section in ((kind,) if isinstance(kind, str) else ()) + tuple(sorted(k.CHILD_TYPES)):
        sect = iface.get(section)
        if isinstance(sect, dict) and sect.get(k.BASE_IFACE) == base:
            return section
    return str(kind)


def _check_bases(ctx: _Ctx) -> None:
    """A stacked interface needs a base that exists and outlives it."""
    for i, iface in ctx.live():
        base = parent_of(iface)
        if base is None:
            continue
        name = iface[k.NAME]
        where = ctx.path(k.INTERFACES, i, _base_section(iface, base), k.BASE_IFACE)
        if base == name:
            ctx.error(where, f"{name} is its own base interface", "name a different base-iface")
        elif base in ctx.absent:
            ctx.error(
                where,
                f"{name} stays {iface.get(k.STATE, k.UP)} but its base {base} is marked absent",
                f"mark {name} absent too, or keep {base}",
            )
        elif ctx.missing(base):
            ctx.error(
                where,
                f"base interface {base} of {name} does not exist",
                f"add {base} to the state or fix the name",
            )


def _check_routes(ctx: _Ctx) -> None:
    """A route added through a link needs that link (absent entries delete, so they need
    nothing).
    """
    routes = ctx.desired.get(k.ROUTES)
    config = routes.get(k.CONFIG) if isinstance(routes, dict) else None
    for j, route in enumerate(config if isinstance(config, list) else []):
        if not isinstance(route, dict) or route.get(k.STATE) == k.ABSENT:
            continue
        dev = route.get(k.NEXT_HOP_INTERFACE)
        if not isinstance(dev, str) or not dev:
            continue
        where = format_path([k.ROUTES, k.CONFIG, j, k.NEXT_HOP_INTERFACE])
        if dev in ctx.absent:
            ctx.error(
                where, f"route via {dev}, which is marked absent", f"drop the route or keep {dev}"
            )
        elif ctx.missing(dev):
            ctx.error(
                where,
                f"route via {dev}, which does not exist",
                f"add {dev} to the state or fix next-hop-interface",
            )


def _family_enabled(ctx: _Ctx, iface: dict[str, Any], family: str) -> bool | None:
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


def _check_ip(ctx: _Ctx) -> None:
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
            if (
                auto
                and isinstance(address, list)
                and address
                and section.get(k.ALLOW_EXTRA_ADDRESS) is not True
            ):
                ctx.error(
                    ctx.path(k.INTERFACES, i, family, k.ADDRESS),
                    f"static {family} addresses together with {' and '.join(auto)}",
                    f"remove the addresses, set {auto[0]}: false, or set allow-extra-address: true",
                )


def _check_mtu(ctx: _Ctx) -> None:
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


def _check_ids(ctx: _Ctx) -> None:
    """802.1Q ids are 12 bits (4095 reserved); VXLAN VNIs 24 bits."""
    for i, iface in ctx.live():
        for section, top in ((k.VLAN, VLAN_ID_MAX), (k.VXLAN, VXLAN_ID_MAX)):
            sect = iface.get(section)
            vid = _int(sect.get(k.ID)) if isinstance(sect, dict) else None
            if vid is not None and not 0 <= vid <= top:
                ctx.error(
                    ctx.path(k.INTERFACES, i, section, k.ID),
                    f"{section} id {vid} is outside 0-{top}",
                    f"use an id from 0 to {top}",
                )


def _bond_mode(value: Any) -> str | None:
    """Mode name from a name or the kernel's number (``4`` is ``802.3ad``)."""
    num = _int(value)
    if num is not None and 0 <= num < len(_BOND_MODE_NAMES):
        return _BOND_MODE_NAMES[num]
    return value if isinstance(value, str) and value in _BOND_MODE_NAMES else None


def _check_bond(ctx: _Ctx) -> None:
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
        miimon, arp = _int(effective.get("miimon")) or 0, _int(effective.get("arp_interval")) or 0
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


def _check_kernel(ctx: _Ctx, missing: frozenset[str]) -> None:
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
    ctx = _Ctx(desired, current if isinstance(current, dict) else None)
    _check_names(ctx)
    _check_ports(ctx)
    _check_bases(ctx)
    _check_routes(ctx)
    _check_ip(ctx)
    _check_mtu(ctx)
    _check_ids(ctx)
    _check_bond(ctx)
    if kernel_missing_types:
        _check_kernel(ctx, kernel_missing_types)
    return ctx.problems
