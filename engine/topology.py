"""Who contains whom: controllers and their ports, base links and their children.

nmstate spells "eth1 is a port of br0" in four shapes (bridge and OVS
bridge: ``bridge.port[].name``; bond: ``link-aggregation.port``; VRF:
``vrf.port``; team: ``team.ports[].name``) and "vlan10 sits on eth0" as a
``base-iface`` in the type's own section. Everything that needs the graph
(rules, merge, the UI tree) asks this module instead of knowing the shapes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from engine import keys as k
from engine.paths import PathPart

# Section, list key, and whether list items are {name: ...} dicts.
_PORT_SHAPES: tuple[tuple[str, str, bool], ...] = (
    (k.BRIDGE, k.PORT, True),
    (k.LINK_AGGREGATION, k.PORT, False),
    (k.VRF, k.PORT, False),
    (k.TEAM, k.PORTS, True),
)
_SHAPE_BY_TYPE: dict[str, tuple[str, str, bool]] = {
    k.LINUX_BRIDGE: _PORT_SHAPES[0],
    k.OVS_BRIDGE: _PORT_SHAPES[0],
    k.BOND: _PORT_SHAPES[1],
    k.VRF: _PORT_SHAPES[2],
    k.TEAM: _PORT_SHAPES[3],
}
# The type's own section first, so a vlan's vlan.base-iface wins over stray sections.
_CHILD_SECTIONS: tuple[str, ...] = (
    k.VLAN,
    k.VXLAN,
    k.MAC_VLAN,
    k.MAC_VTAP,
    k.IPVLAN,
    k.INFINIBAND,
    k.MACSEC,
)


def _entry_name(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and isinstance(entry.get(k.NAME), str):
        name: str = entry[k.NAME]
        return name
    return None


def port_refs(iface: dict[str, Any]) -> list[tuple[tuple[PathPart, ...], str]]:
    """Every port ``iface`` lists, with the path (relative to the interface) where it is named.

    An OVS bond (a bridge port carrying ``link-aggregation``) is not an
    interface itself; its member ports are reported instead.
    """
    out: list[tuple[tuple[PathPart, ...], str]] = []
    for section, list_key, _ in _PORT_SHAPES:
        sect = iface.get(section)
        entries = sect.get(list_key) if isinstance(sect, dict) else None
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            members = _ovs_bond_members(entry)
            if section == k.BRIDGE and members is not None:
                for j, member in enumerate(members):
                    name = _entry_name(member)
                    if name:
                        out.append(((section, list_key, i, k.LINK_AGGREGATION, k.PORT, j), name))
                continue
            name = _entry_name(entry)
            if name:
                out.append(((section, list_key, i), name))
    return out


def ports_of(iface: dict[str, Any]) -> list[str]:
    """Names of the ports ``iface`` lists, in list order."""
    return [name for _, name in port_refs(iface)]


def has_port_list(iface: dict[str, Any]) -> bool:
    """Whether ``iface`` states its port list (an omitted list means "keep the current one")."""
    for section, list_key, _ in _PORT_SHAPES:
        sect = iface.get(section)
        if isinstance(sect, dict) and isinstance(sect.get(list_key), list):
            return True
    return False


def _shape(iface: dict[str, Any]) -> tuple[str, str, bool] | None:
    for shape in _PORT_SHAPES:
        sect = iface.get(shape[0])
        if isinstance(sect, dict) and isinstance(sect.get(shape[1]), list):
            return shape
    kind = iface.get(k.TYPE)
    return _SHAPE_BY_TYPE.get(kind) if isinstance(kind, str) else None


def is_controller(iface: dict[str, Any]) -> bool:
    """True for interfaces that can own ports (by type, or by carrying a port list)."""
    return _shape(iface) is not None


def set_ports(iface: dict[str, Any], names: Iterable[str]) -> None:
    """Rewrite ``iface``'s port list to ``names`` in place, keeping per-port settings.

    Bridge ports carry settings (``stp-priority``, ``vlan``...) that survive;
    new bridge ports become ``{name: ...}``. OVS bonds are left as they are.
    """
    shape = _shape(iface)
    if shape is None:
        return
    section, list_key, as_dicts = shape
    sect = iface.get(section)
    if not isinstance(sect, dict):
        sect = iface[section] = {}
    old = sect.get(list_key)
    wanted = list(dict.fromkeys(names))
    keep = set(wanted)
    by_name: dict[str, Any] = {}
    new_list: list[Any] = []
    for entry in old if isinstance(old, list) else []:
        members = _ovs_bond_members(entry)
        if members is not None:  # OVS bond: not a port itself; filter its members
            entry[k.LINK_AGGREGATION][k.PORT] = [m for m in members if _entry_name(m) in keep]
            keep -= {_entry_name(m) for m in members}
            new_list.append(entry)
            continue
        name = _entry_name(entry)
        if name is not None:
            by_name.setdefault(name, entry)
    for name in wanted:
        if name in keep:
            new_list.append(by_name.get(name, {k.NAME: name} if as_dicts else name))
    sect[list_key] = new_list


def _ovs_bond_members(entry: Any) -> list[Any] | None:
    """Member list of an OVS bond entry in a bridge port list, else None."""
    nested = entry.get(k.LINK_AGGREGATION) if isinstance(entry, dict) else None
    members = nested.get(k.PORT) if isinstance(nested, dict) else None
    return members if isinstance(members, list) else None


def sort_ports(iface: dict[str, Any]) -> None:
    """Sort ``iface``'s port lists by name in place (their order carries no meaning)."""
    for section, list_key, _ in _PORT_SHAPES:
        sect = iface.get(section)
        entries = sect.get(list_key) if isinstance(sect, dict) else None
        if isinstance(entries, list):
            entries.sort(key=_by_name)
            for entry in entries:
                members = _ovs_bond_members(entry)
                if members is not None:
                    members.sort(key=_by_name)


def _by_name(entry: Any) -> tuple[bool, str]:
    name = _entry_name(entry)
    return (name is None, name or "")


def parent_of(iface: dict[str, Any]) -> str | None:
    """The ``base-iface`` of a vlan/vxlan/mac-vlan/mac-vtap/ipvlan/infiniband/macsec, else None."""
    kind = iface.get(k.TYPE)
    sections = _CHILD_SECTIONS
    if isinstance(kind, str) and kind in k.CHILD_TYPES:
        sections = (kind, *(s for s in _CHILD_SECTIONS if s != kind))
    for section in sections:
        sect = iface.get(section)
        if isinstance(sect, dict):
            base = sect.get(k.BASE_IFACE)
            if isinstance(base, str) and base:
                return base
    return None


def interfaces(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The well-formed interfaces of ``state`` (a dict with a string name), in order.

    States reach the engine from users' files before validation has run, so
    every walker of ``interfaces`` goes through here instead of trusting it.
    """
    ifaces = state.get(k.INTERFACES)
    if not isinstance(ifaces, list):
        return []
    return [i for i in ifaces if isinstance(i, dict) and isinstance(i.get(k.NAME), str)]


def by_name(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Interface name → interface, for the well-formed interfaces of ``state``."""
    return {i[k.NAME]: i for i in interfaces(state)}


def children(state: dict[str, Any]) -> dict[str, list[str]]:
    """Base interface → names of the interfaces stacked on it (by ``base-iface``, not ports)."""
    out: dict[str, list[str]] = {}
    for iface in interfaces(state):
        base = parent_of(iface)
        if base is not None:
            out.setdefault(base, []).append(iface[k.NAME])
    return out


def controller_of(state: dict[str, Any]) -> dict[str, str]:
    """Port → controller. Port lists win; a port's own ``controller`` fills the gaps.

    Controllers marked absent own nothing: their ports are being released.
    """
    out: dict[str, str] = {}
    ifaces = interfaces(state)
    for iface in ifaces:
        if iface.get(k.STATE) == k.ABSENT:
            continue
        for port in ports_of(iface):
            out.setdefault(port, iface[k.NAME])
    for iface in ifaces:
        ctrl = iface.get(k.CONTROLLER)
        if isinstance(ctrl, str) and ctrl and iface.get(k.STATE) != k.ABSENT:
            out.setdefault(iface[k.NAME], ctrl)
    return out


@dataclass
class Node:
    """One interface in the UI tree, with its ports and stacked children below it."""

    name: str
    type: str
    state: str
    children: list[Node] = field(default_factory=list)


def tree(state: dict[str, Any]) -> list[Node]:
    """Interfaces as a forest: controllers hold their ports, base links their children.

    Each interface appears exactly once. A port that is also stacked on a
    base (vlan10 on eth0, enslaved to br0) sits under its controller, since
    that is where its traffic goes. Cycles (invalid, but the UI must still
    draw them) are broken by promoting an unreached interface to a root.
    """
    ifaces = interfaces(state)
    index: dict[str, int] = {}
    for i, iface in enumerate(ifaces):
        index.setdefault(iface[k.NAME], i)
    holder: dict[int, int] = {}
    for port, ctrl in controller_of(state).items():
        if port in index and ctrl in index and index[port] != index[ctrl]:
            holder[index[port]] = index[ctrl]
    for i, iface in enumerate(ifaces):
        base = parent_of(iface)
        if i not in holder and base in index and index[base] != i:
            holder[i] = index[base]
    held: dict[int, list[int]] = {}
    for child, parent in holder.items():
        held.setdefault(parent, []).append(child)
    for parent, kids in held.items():
        # Ports in their controller's list order first, then stacked children by name.
        position = {name: i for i, name in enumerate(ports_of(ifaces[parent]))}
        kids.sort(key=lambda c: (position.get(ifaces[c][k.NAME], len(position)), ifaces[c][k.NAME]))

    seen: set[int] = set()

    def build(i: int) -> Node:
        seen.add(i)
        iface = ifaces[i]
        node = Node(iface[k.NAME], str(iface.get(k.TYPE, k.UNKNOWN)), str(iface.get(k.STATE, k.UP)))
        for child in held.get(i, []):
            if child not in seen:
                node.children.append(build(child))
        return node

    roots = [build(i) for i in range(len(ifaces)) if i not in holder]
    for i in range(len(ifaces)):
        if i not in seen:
            roots.append(build(i))
    return roots
