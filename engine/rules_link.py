"""Rules about one link's identity: its name and the MAC addresses it is given.

* Linux counts ``IFNAMSIZ`` in bytes, and a name given twice (with the same
  or no type) is one interface described twice.
* ``all`` and ``default`` cannot be interface names: the kernel keeps
  ``/proc/sys/net/ipv4/conf/all`` and ``.../default`` for every interface,
  so creating a link by that name fails deep inside NetworkManager
  (``.`` and ``..`` are refused by the schema's name pattern).
* A MAC with the low bit of the first octet set is a group (multicast or
  broadcast) address and 00:00:00:00:00:00 is no address: the kernel refuses
  both for a link (``EADDRNOTAVAIL``). ``show`` reports lo with the all-zero
  address, so a value equal to the host's own is not a request and passes.
* ``copy-mac-from`` must name an interface that exists and has a MAC
  (nmstate's two refusals, in its words; :mod:`engine.copy_mac`).
"""

from __future__ import annotations

from engine import keys as k
from engine.copy_mac import COPY_MAC_FROM, copy_mac_fault
from engine.rules_context import Ctx

IFNAMSIZ = 15  # bytes, without the trailing NUL
#: Names /proc/sys/net/{ipv4,ipv6}/conf/ already uses for its own entries.
RESERVED_NAMES = frozenset({"all", "default"})
_UNICAST_HINT = (
    "use a unicast address: the first octet must be even, e.g. 02:00:00:00:00:01 "
    "(locally administered)"
)


def check_names(ctx: Ctx) -> None:
    """Kernel name limit, reserved names, and the same (name, type) given twice."""
    seen: dict[str, list[tuple[int, str]]] = {}
    for i, iface in ctx.ifaces:
        name: str = iface[k.NAME]
        raw_kind = iface.get(k.TYPE)
        kind = raw_kind if isinstance(raw_kind, str) else ""
        stays = iface.get(k.STATE) != k.ABSENT
        if len(name.encode()) > IFNAMSIZ and stays:
            ctx.error(
                ctx.path(k.INTERFACES, i, k.NAME),
                f"name {name!r} is {len(name.encode())} bytes; the kernel allows {IFNAMSIZ}",
                f"shorten it to at most {IFNAMSIZ} bytes (UTF-8)",
            )
        if name in RESERVED_NAMES and stays:
            ctx.error(
                ctx.path(k.INTERFACES, i, k.NAME),
                f"the name {name!r} is reserved: /proc/sys/net/ipv4/conf/{name} holds the "
                "settings of every interface, so no link can be called that",
                f"rename the interface (e.g. '{name}0')",
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


def _mac_fault(mac: str) -> str | None:
    """Why an Ethernet MAC cannot be a link's address, or None (other lengths: not judged)."""
    parts = mac.split(":")
    if len(parts) != 6:
        return None
    try:
        octets = [int(p, 16) for p in parts]
    except ValueError:
        return None  # the schema reports the form
    if not any(octets):
        return "is the all-zero address, which no link can have"
    if octets[0] & 1:
        kind = "broadcast" if all(o == 0xFF for o in octets) else "multicast"
        return (
            f"is a {kind} (group) address (the first octet is odd), so the kernel "
            "refuses it as a link's own address"
        )
    return None


def check_macs(ctx: Ctx) -> None:
    """``mac-address`` of an interface and of its SR-IOV VFs must be unicast and not zero."""
    for i, iface in ctx.live():
        mac = iface.get(k.MAC_ADDRESS)
        if isinstance(mac, str):
            fault = _mac_fault(mac)
            cur = ctx.current.get(iface[k.NAME], {}).get(k.MAC_ADDRESS)
            unchanged = isinstance(cur, str) and cur.upper() == mac.upper()
            if fault and not unchanged:
                ctx.error(ctx.path(k.INTERFACES, i, k.MAC_ADDRESS), f"{mac} {fault}", _UNICAST_HINT)
        eth = iface.get(k.ETHERNET)
        sriov = eth.get("sr-iov") if isinstance(eth, dict) else None
        vfs = sriov.get("vfs") if isinstance(sriov, dict) else None
        for j, vf in enumerate(vfs if isinstance(vfs, list) else []):
            vf_mac = vf.get(k.MAC_ADDRESS) if isinstance(vf, dict) else None
            fault = _mac_fault(vf_mac) if isinstance(vf_mac, str) else None
            if fault:
                where = ctx.path(k.INTERFACES, i, k.ETHERNET, "sr-iov", "vfs", j, k.MAC_ADDRESS)
                ctx.error(where, f"{vf_mac} {fault}", _UNICAST_HINT)


def check_copy_mac(ctx: Ctx) -> None:
    """``copy-mac-from`` names an interface with a MAC (nmstate refuses it otherwise)."""
    current = {k.INTERFACES: list(ctx.current.values())} if ctx.host_known else None
    for i, iface in ctx.live():
        fault = copy_mac_fault(iface, ctx.desired, current)
        if fault:
            where = ctx.path(k.INTERFACES, i, COPY_MAC_FROM)
            ctx.error(where, fault, "name an existing interface that has a MAC address")


def check_link(ctx: Ctx) -> None:
    """Every rule of this module, in document order of concern."""
    check_names(ctx)
    check_macs(ctx)
    check_copy_mac(ctx)
