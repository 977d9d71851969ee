"""Merge a desired state onto the current one, the way nmstate reads a desired state.

A desired state is a *partial* description: whatever it leaves out stays
as the host has it. The merged result is the *full* state the host should
end up in, which is what the plan, the diff and verification compare
against. The rules, in nmstate's spirit:

* interfaces merge onto current ones by (name, type): dicts merge key by
  key, lists are replaced whole, unmentioned interfaces are untouched;
  ``ethernet`` and ``veth`` are one kind (nmstate reads a veth end as an
  ethernet interface), and an entry without ``type`` matches by name;
* a controller's port list is authoritative: listed ports get
  ``controller``, dropped ones lose it; a port may also join with its own
  ``controller: br0`` or leave with ``controller: ""``;
* ``state: absent`` stays in the result as a marker the plan deletes, and
  takes down what cannot outlive it: stacked children (vlan on the link)
  and the veth peer (unless the host does not manage it: ``ignore``),
  unless the desired state says otherwise, and routes through it. Its
  ports are released, not deleted;
* routes and route rules are append-only; an entry with ``state: absent``
  deletes every current entry it matches, omitted fields matching anything;
* ``dns-resolver.config`` replaces the keys it gives (``config: {}``
  purges); ``hostname.config`` replaces;
* ``ipv4: {enabled: false}`` leaves nothing else in the family; giving
  addresses or DHCP without ``enabled`` turns the family on; turning DHCP
  or autoconf on without listing addresses drops static ones (nmstate
  refuses the mix unless ``allow-extra-address``); a new bond mode
  discards the old mode's options; ``description: ""`` removes a description
  and is nothing where there is none; ``copy-mac-from`` becomes the
  ``mac-address`` it names (:mod:`engine.copy_mac`).

What ``show`` reports but no apply sets (IPv6 link-local addresses, bridge
timers: :mod:`engine.comparable`) is left out of both sides, so the result
never asks for them.

Pure: no I/O, inputs are never mutated, output is normalized.
"""

from __future__ import annotations

from typing import Any

from engine import keys as k
from engine.comparable import comparable
from engine.copy_mac import resolve_copy_mac
from engine.merge_ports import ignored_ports, keep_ignored_ports
from engine.merge_sections import (
    matches_rule,
    merge_dns,
    merge_hostname,
    merge_section,
    route_present,
)
from engine.normalize import normalize, normalize_in_place
from engine.route_match import route_matches, same_but_metric
from engine.route_rules import with_priorities
from engine.topology import has_port_list, is_controller, parent_of, ports_of, set_ports

_HANDLED_TOP = frozenset({k.INTERFACES, k.ROUTES, k.ROUTE_RULES, k.DNS_RESOLVER, k.HOSTNAME})


def deep_merge(base: Any, over: Any) -> Any:
    """``over`` onto ``base``: dicts merge recursively, anything else (lists too) replaces."""
    if not isinstance(base, dict) or not isinstance(over, dict):
        return over
    out = dict(base)
    for key, value in over.items():
        out[key] = deep_merge(out[key], value) if key in out else value
    return out


def absent_marker(iface: dict[str, Any]) -> dict[str, Any]:
    """What an interface being deleted looks like in a merged state."""
    marker: dict[str, Any] = {k.NAME: iface[k.NAME]}
    if k.TYPE in iface:
        marker[k.TYPE] = iface[k.TYPE]
    marker[k.STATE] = k.ABSENT
    return marker


def drop_absent(state: dict[str, Any]) -> dict[str, Any]:
    """The state the host is in once the plan has deleted the ``state: absent`` interfaces."""
    out = dict(state)
    ifaces = out.get(k.INTERFACES)
    if isinstance(ifaces, list):
        out[k.INTERFACES] = [
            i for i in ifaces if not (isinstance(i, dict) and i.get(k.STATE) == k.ABSENT)
        ]
    return out


def _fix_family(merged: dict[str, Any], wanted: dict[str, Any]) -> None:
    """Apply the IP-family rules to ``merged`` for the sections ``wanted`` mentions."""
    for family in k.IP_FAMILIES:
        asked = wanted.get(family)
        got = merged.get(family)
        if not isinstance(asked, dict) or not isinstance(got, dict):
            continue
        if asked.get(k.ENABLED) is False:
            # ``show`` spells a disabled family ``{address: [], enabled: false}``; asked
            # that way it stays that way, so applying show's output is no change.
            merged[family] = {k.ENABLED: False}
            if asked.get(k.ADDRESS) == []:
                merged[family][k.ADDRESS] = []
            continue
        turned_auto = asked.get(k.DHCP) is True or asked.get(k.AUTOCONF) is True
        if k.ENABLED not in asked and (asked.get(k.ADDRESS) or turned_auto):
            got[k.ENABLED] = True
        if turned_auto and k.ADDRESS not in asked and got.get(k.ALLOW_EXTRA_ADDRESS) is not True:
            got[k.ADDRESS] = []


#: What loopback always carries (nmstate appends them, asked for or not; NM keeps them).
_LOOPBACK_ADDRS = {k.IPV4: ("127.0.0.1", 8), k.IPV6: ("::1", 128)}


def _fix_loopback(merged: dict[str, Any]) -> None:
    """Loopback keeps 127.0.0.1/8 and ::1/128 when it is given other addresses."""
    if merged.get(k.TYPE) != k.LOOPBACK:
        return
    for family, (ip, plen) in _LOOPBACK_ADDRS.items():
        section = merged.get(family)
        if not isinstance(section, dict):
            continue
        addrs = section.get(k.ADDRESS)
        if not isinstance(addrs, list) or not addrs:
            continue
        if not any(isinstance(a, dict) and a.get(k.IP) == ip for a in addrs):
            merged[family] = {**section, k.ADDRESS: [{k.IP: ip, k.PREFIX_LENGTH: plen}, *addrs]}


#: Types nmstate treats as one: a veth end is an ethernet interface to it, so
#: ``type: ethernet`` for a veth means that veth, not a second, new interface.
_ETHERNET_KIND = frozenset({k.ETHERNET, k.VETH})


def _in_current_kind(wanted: dict[str, Any], cur: dict[str, Any]) -> dict[str, Any]:
    """``wanted`` without a ``type: ethernet`` that would turn the current veth into a NIC."""
    if wanted.get(k.TYPE) == k.ETHERNET and cur.get(k.TYPE) == k.VETH:
        return {key: value for key, value in wanted.items() if key != k.TYPE}
    return wanted


def _merge_iface(cur: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """One desired interface onto its current entry (a new bond mode drops old options).

    ``type: ethernet`` given for a veth keeps the veth: the link and its NM
    profile stay what they are, only the properties asked for change.
    """
    wanted = _in_current_kind(wanted, cur)
    base = cur
    cur_agg, want_agg = cur.get(k.LINK_AGGREGATION), wanted.get(k.LINK_AGGREGATION)
    if (
        isinstance(cur_agg, dict)
        and isinstance(want_agg, dict)
        and k.MODE in want_agg
        and want_agg[k.MODE] != cur_agg.get(k.MODE)
    ):
        base = {**cur, k.LINK_AGGREGATION: {x: v for x, v in cur_agg.items() if x != k.OPTIONS}}
    merged: dict[str, Any] = deep_merge(base, wanted)
    _fix_family(merged, wanted)
    _fix_loopback(merged)
    _drop_empty_description(merged, cur)
    return merged


def _drop_empty_description(merged: dict[str, Any], cur: dict[str, Any]) -> None:
    """``description: ""`` removes a description; where there is none it says nothing
    (as nmstate, which reads a profile without one as ``""``), so it is no change."""
    if merged.get(k.DESCRIPTION) == "" and not cur.get(k.DESCRIPTION):
        del merged[k.DESCRIPTION]


class _Interfaces:
    """The merged interface list with the indexes the controller/child passes need."""

    def __init__(self, current: list[Any]) -> None:
        self.items: list[Any] = current
        self.by_name: dict[str, list[int]] = {}
        for pos, iface in enumerate(current):
            if isinstance(iface, dict) and isinstance(iface.get(k.NAME), str):
                self.by_name.setdefault(iface[k.NAME], []).append(pos)

    def find(self, wanted: dict[str, Any]) -> int | None:
        """Position of the entry ``wanted`` merges onto: same name, same type if it gives one."""
        positions = self.by_name.get(wanted[k.NAME], [])
        kind = wanted.get(k.TYPE)
        if kind is None:
            return positions[0] if positions else None
        for pos in positions:
            if self.items[pos].get(k.TYPE) in (kind, None, k.UNKNOWN):
                return pos
        for pos in positions:
            if kind in _ETHERNET_KIND and self.items[pos].get(k.TYPE) in _ETHERNET_KIND:
                return pos
        return None

    def add(self, iface: dict[str, Any]) -> None:
        self.by_name.setdefault(iface[k.NAME], []).append(len(self.items))
        self.items.append(iface)

    def named(self) -> list[dict[str, Any]]:
        return [i for i in self.items if isinstance(i, dict) and isinstance(i.get(k.NAME), str)]


def _named(state: dict[str, Any]) -> list[dict[str, Any]]:
    raw = state.get(k.INTERFACES)
    return [
        i
        for i in (raw if isinstance(raw, list) else [])
        if isinstance(i, dict) and isinstance(i.get(k.NAME), str)
    ]


def _merge_ports(ifaces: _Interfaces, wanted: list[dict[str, Any]]) -> None:
    """Make port lists and ``controller`` keys agree, with desired port lists winning."""
    live = [w for w in wanted if w.get(k.STATE) != k.ABSENT]
    authoritative = {w[k.NAME] for w in live if has_port_list(w)}
    claims: dict[str, str] = {}
    for w in live:
        if w[k.NAME] in authoritative:
            for port in ports_of(w):
                claims.setdefault(port, w[k.NAME])
    detach: set[str] = set()
    for w in live:
        ctrl = w.get(k.CONTROLLER)
        if isinstance(ctrl, str) and w[k.NAME] not in claims:
            if ctrl:
                claims[w[k.NAME]] = ctrl
            else:
                detach.add(w[k.NAME])
    owners: dict[str, str] = {}
    controllers: set[str] = set()
    for iface in ifaces.named():
        if not is_controller(iface):
            continue
        name = iface[k.NAME]
        controllers.add(name)
        if iface.get(k.STATE) == k.ABSENT:
            continue
        if name not in authoritative:
            old = ports_of(iface)
            new = [p for p in old if claims.get(p, name) == name and p not in detach]
            new += [p for p, c in claims.items() if c == name and p not in new]
            if new != old:
                set_ports(iface, new)
        for port in ports_of(iface):
            owners.setdefault(port, name)
    for iface in ifaces.named():
        if iface.get(k.STATE) == k.ABSENT:
            iface.pop(k.CONTROLLER, None)
            continue
        owner = owners.get(iface[k.NAME])
        if owner is not None and owner != iface[k.NAME]:
            iface[k.CONTROLLER] = owner
        elif iface.get(k.CONTROLLER) == "" or _str_in(iface.get(k.CONTROLLER), controllers):
            del iface[k.CONTROLLER]


def _str_in(value: Any, names: set[str]) -> bool:
    return isinstance(value, str) and value in names


def _cascade_absent(
    ifaces: _Interfaces, mentioned: set[str], removed: set[str], peers: dict[str, str]
) -> set[str]:
    """Mark absent what dies with the ``removed`` interfaces; return every absent name.

    Only interfaces removed by this merge cascade: a marker already in
    ``current`` (merging onto a merged state) has taken its dependants along.
    """
    stacked: dict[str, list[int]] = {}
    for pos, iface in enumerate(ifaces.items):
        if isinstance(iface, dict) and isinstance(iface.get(k.NAME), str):
            base = parent_of(iface)
            if base is not None:
                stacked.setdefault(base, []).append(pos)
    absent = {i[k.NAME] for i in ifaces.named() if i.get(k.STATE) == k.ABSENT}
    queue = sorted(removed)
    while queue:
        gone = queue.pop()
        victims = list(stacked.get(gone, []))
        if gone in peers:
            # A peer this host does not manage (``ignore``: the far end of a NIC's
            # cable) is not this host's to remove; nmstate leaves ignored ones out.
            victims += [
                pos
                for pos in ifaces.by_name.get(peers[gone], [])
                if ifaces.items[pos].get(k.STATE) != k.IGNORE
            ]
        for pos in victims:
            iface = ifaces.items[pos]
            name = iface[k.NAME]
            if name in mentioned or iface.get(k.STATE) == k.ABSENT:
                continue
            ifaces.items[pos] = absent_marker(iface)
            absent.add(name)
            queue.append(name)
    return absent


def _veth_peers(ifaces: list[dict[str, Any]]) -> dict[str, str]:
    """veth name → peer name, both directions (deleting either end deletes the pair)."""
    peers: dict[str, str] = {}
    for iface in ifaces:
        sect = iface.get(k.VETH)
        peer = sect.get(k.PEER) if isinstance(sect, dict) else None
        if isinstance(peer, str) and peer:
            peers.setdefault(iface[k.NAME], peer)
            peers.setdefault(peer, iface[k.NAME])
    return peers


def _as_veth_end(new: dict[str, Any], new_peers: dict[str, str]) -> None:
    """A new interface named as a new veth's peer is that pair's other end, even typed
    ``ethernet`` (nmstate's kind for a veth end): its profile must make the same pair,
    since an ethernet profile has no link to activate until the pair exists."""
    other = new_peers.get(new[k.NAME])
    if other is not None and new.get(k.TYPE) in (None, k.ETHERNET) and k.VETH not in new:
        new[k.TYPE] = k.VETH
        new[k.VETH] = {k.PEER: other}


def _merge_interfaces(want: dict[str, Any], have: dict[str, Any]) -> tuple[list[Any], set[str]]:
    """The merged interface list and the names of every interface marked absent in it."""
    raw = have.get(k.INTERFACES)
    ifaces = _Interfaces(list(raw) if isinstance(raw, list) else [])
    peers = _veth_peers(ifaces.named())
    held = ignored_ports(ifaces.named())
    wanted = _named(want)
    new_peers = {p: n for n, p in _veth_peers(wanted).items() if n not in ifaces.by_name}
    removed: set[str] = set()
    for w in wanted:
        pos = ifaces.find(w)
        if w.get(k.STATE) == k.ABSENT:
            if pos is not None:
                ifaces.items[pos] = absent_marker(
                    {**ifaces.items[pos], **_in_current_kind(w, ifaces.items[pos])}
                )
                removed.add(w[k.NAME])
        elif pos is None:
            new = dict(w)
            _as_veth_end(new, new_peers)
            _fix_family(new, w)
            _drop_empty_description(new, {})
            ifaces.add(new)
        else:
            ifaces.items[pos] = _merge_iface(ifaces.items[pos], w)
    absent = _cascade_absent(ifaces, {w[k.NAME] for w in wanted}, removed, peers)
    _merge_ports(ifaces, wanted)
    keep_ignored_ports(ifaces.items, ifaces.find, wanted, held)
    return ifaces.items, absent


def merge(desired: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The full state the host should reach when ``desired`` is applied to ``current``."""
    # Compared forms: a link-local address or a bridge timer is neither asked nor kept.
    want = comparable(normalize(resolve_copy_mac(desired, current)))
    out = comparable(normalize(current))
    if k.INTERFACES in want or k.INTERFACES in out:
        out[k.INTERFACES], absent = _merge_interfaces(want, out)
    else:
        absent = set()
    rules_want = want.get(k.ROUTE_RULES)
    if isinstance(rules_want, dict) and isinstance(rules_want.get(k.CONFIG), list):
        have = (out.get(k.ROUTE_RULES) or {}).get(k.CONFIG) or []
        rules_want[k.CONFIG] = with_priorities(have, rules_want[k.CONFIG])
    routes = merge_section(
        want.get(k.ROUTES), out.get(k.ROUTES), absent, route_matches, route_present, same_but_metric
    )
    rules = merge_section(want.get(k.ROUTE_RULES), out.get(k.ROUTE_RULES), set(), matches_rule)
    for key, section in ((k.ROUTES, routes), (k.ROUTE_RULES, rules)):
        if section is not None:
            out[key] = section
    for key, fn in ((k.DNS_RESOLVER, merge_dns), (k.HOSTNAME, merge_hostname)):
        section = fn(want.get(key), out.get(key))
        if section is not None:
            out[key] = section
    for key, value in want.items():
        if key not in _HANDLED_TOP:
            out[key] = deep_merge(out.get(key), value)
    return normalize_in_place(out)
