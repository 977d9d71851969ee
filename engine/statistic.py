"""What a set of desired states relies on: the shapes of its stacks and the features it uses.

``nmstatectl statistic`` answers "which topologies and which nmstate
features does this fleet's configuration use", so that a project can see
what a release must keep working (and what tests it owes). This module
gives the same answer for our schema, in nmstate's output shape:

* ``topology``: one string per stack, top to bottom, such as
  ``static_ip4 -> linux-bridge -> bond -> ethernet``: how the interface
  gets its IP (``static_ip4``, ``auto_ip6``... when it has no controller),
  the controller types above it, its own type, then its parent
  (``base-iface``) or, of its ports, the one with the deepest stack below.
  Only interfaces that end up up and that the states mention or change
  count, and a stack that is part of a longer one is left out;
* ``features``: nmstate's feature names, in nmstate's order.

Several files combine as nmstatectl combines them (:func:`combine`): later
files update earlier ones, and an interface a later file makes absent is
dropped from the desire, with the ports it lists and the children stacked
on it. Pure: no I/O, inputs are never mutated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from engine import keys as k
from engine.comparable import comparable
from engine.merge import deep_merge, merge
from engine.normalize import clone, normalize
from engine.topology import interfaces, is_controller, parent_of, ports_of

# Keys only this module reads (the rest are in engine.keys).
LLDP = "lldp"
SR_IOV = "sr-iov"
DHCP_CUSTOM_HOSTNAME = "dhcp-custom-hostname"
DPDK = "dpdk"
PATCH = "patch"
SUPPRESS_PREFIX_LENGTH = "suppress-prefix-length"
OPTIONS = "options"

#: nmstate's NmstateFeature names (serde kebab-case) in the enum's order, which is the
#: order nmstatectl prints them in (it sorts by the enum, not by the name). Never found
#: here, because the schema has no key for them: iface-name-refered-by-sriov-vf-id
#: (names cannot hold ':'), mac-based-identifier (no ``identifier``), mptcp (nmstate
#: declares it but never reports it), ovn-mapping and ovs-db-* (no ``ovn``/``ovs-db``).
FEATURE_ORDER: tuple[str, ...] = (
    "dhcpv4-custom-hostname",
    "dhcpv6-custom-hostname",
    "iface-name-refered-by-sriov-vf-id",
    "lldp",
    "mac-based-identifier",
    "mptcp",
    "ovn-mapping",
    "ovs-bond",
    "ovs-db-global",
    "ovs-db-interface",
    "ovs-dpdk",
    "ovs-patch",
    "sriov",
    "static-dns-name-server",
    "static-dns-option",
    "static-dns-search",
    "static-hostname",
    "static-route",
    "static-route-rule",
    "static-route-rule-suppress-prefix-length",
    "iface-count10-plus",
    "iface-count50-plus",
    "iface-count100-plus",
    "iface-count200-plus",
    "iface-count500-plus",
)

#: (at least this many desired interfaces up, feature), largest first; only one applies.
IFACE_COUNTS: tuple[tuple[int, str], ...] = (
    (500, "iface-count500-plus"),
    (200, "iface-count200-plus"),
    (100, "iface-count100-plus"),
    (50, "iface-count50-plus"),
    (10, "iface-count10-plus"),
)


@dataclass(frozen=True)
class Statistic:
    """nmstatectl statistic's answer: stacks (shortest first) and features (nmstate's order)."""

    topology: list[str]
    features: list[str]

    def as_dict(self) -> dict[str, list[str]]:
        """The printed shape, in nmstate's key order (topology, then features)."""
        return {"topology": list(self.topology), "features": list(self.features)}


# ----------------------------------------------------------------------------- combine


def _same(a: dict[str, Any], name: str, kind: Any) -> bool:
    """Does ``a`` stand for the interface (name, kind)? A missing or unknown type matches."""
    return bool(a[k.NAME] == name) and (
        kind in (None, k.UNKNOWN) or a.get(k.TYPE) in (kind, None, k.UNKNOWN)
    )


def _without(ifaces: list[dict[str, Any]], absent: dict[str, Any]) -> list[dict[str, Any]]:
    """``ifaces`` less ``absent``, the ports it lists and (unless an OVS bridge) its children.

    What is left forgets a controller that went (normalize wrote it into the
    ports of a controller listed in the same file).
    """
    name, kind = absent[k.NAME], absent.get(k.TYPE)
    ports = set(ports_of(absent))

    def goes(iface: dict[str, Any]) -> bool:
        if _same(iface, name, kind):
            return True
        if iface[k.NAME] in ports and iface.get(k.TYPE) != k.OVS_BRIDGE:
            return True
        return kind != k.OVS_BRIDGE and parent_of(iface) == name

    gone = {i[k.NAME] for i in ifaces if goes(i)}
    kept = [i for i in ifaces if not goes(i)]
    for iface in kept:
        ctrl = iface.get(k.CONTROLLER)
        if isinstance(ctrl, str) and ctrl in gone:
            del iface[k.CONTROLLER]
    return kept


def combine(states: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Several desired states as one desire, the way nmstatectl statistic reads its files.

    Interfaces merge by name and type (dicts key by key, lists replaced);
    ``hostname`` merges; ``dns-resolver`` is replaced by a later file that
    gives one. An interface a file makes absent leaves the desire, and so do
    the ports it lists and, unless it is an OVS bridge, the interfaces stacked
    on it: absent means "not part of what this configuration uses". Routes and
    route rules are append-only, so their ``config`` lists are joined (nmstate
    keeps only the first file's, which loses a later file's routes).
    """
    out: dict[str, Any] = {}
    ifaces: list[dict[str, Any]] = []
    for raw in states:
        state = normalize(raw)
        for key, value in state.items():
            if key == k.INTERFACES:
                continue
            if key in (k.ROUTES, k.ROUTE_RULES) and isinstance(value, dict):
                prev = out.get(key)
                have = prev if isinstance(prev, dict) else {}
                joined = {**have, **value}
                before, more = have.get(k.CONFIG), value.get(k.CONFIG)
                if isinstance(before, list) and isinstance(more, list):
                    joined[k.CONFIG] = [*before, *more]
                out[key] = joined
            elif key == k.DNS_RESOLVER:
                out[key] = clone(value)
            else:
                out[key] = deep_merge(out.get(key), clone(value))
        new = interfaces(state)
        for iface in new:
            pos = next(
                (i for i, old in enumerate(ifaces) if _same(old, iface[k.NAME], iface.get(k.TYPE))),
                None,
            )
            if pos is None:
                ifaces.append(clone(iface))
            else:
                ifaces[pos] = deep_merge(ifaces[pos], clone(iface))
        for iface in new:
            if iface.get(k.STATE) == k.ABSENT:
                ifaces = _without(ifaces, iface)
    if ifaces:
        out[k.INTERFACES] = ifaces
    return out


# ---------------------------------------------------------------------------- topology

Key = tuple[str, bool]  # (name, is an OVS bridge): OVS bridges live in their own namespace


def _key(iface: dict[str, Any]) -> Key:
    return (iface[k.NAME], iface.get(k.TYPE) == k.OVS_BRIDGE)


def _is_up(iface: dict[str, Any]) -> bool:
    return bool(iface.get(k.STATE, k.UP) == k.UP)


def ip_topology(iface: dict[str, Any]) -> str | None:
    """How ``iface`` gets its addresses: ``static_ip4,auto_ip6`` and the like, or None."""
    parts = []
    for family, tag in ((k.IPV4, "ip4"), (k.IPV6, "ip6")):
        sect = iface.get(family)
        if not isinstance(sect, dict) or sect.get(k.ENABLED) is not True:
            continue
        auto = sect.get(k.DHCP) is True or (family == k.IPV6 and sect.get(k.AUTOCONF) is True)
        addrs = sect.get(k.ADDRESS)
        if auto:
            parts.append(f"auto_{tag}")
        elif isinstance(addrs, list) and addrs:
            parts.append(f"static_{tag}")
    return ",".join(parts) or None


class _Graph:
    """The merged interfaces with who controls whom, for walking stacks up and down."""

    def __init__(self, ifaces: list[dict[str, Any]]) -> None:
        live = [i for i in ifaces if i.get(k.STATE) != k.ABSENT]
        self.kernel = {i[k.NAME]: i for i in live if i.get(k.TYPE) != k.OVS_BRIDGE}
        self.user = {i[k.NAME]: i for i in live if i.get(k.TYPE) == k.OVS_BRIDGE}
        self.controller: dict[Key, dict[str, Any]] = {}
        for ctrl in live:
            for port in ports_of(ctrl):
                found = self.kernel.get(port)
                if found is not None and found is not ctrl:
                    self.controller.setdefault(_key(found), ctrl)
        for iface in live:
            named = iface.get(k.CONTROLLER)
            if not isinstance(named, str) or not named or _key(iface) in self.controller:
                continue
            for cand in (self.kernel.get(named), self.user.get(named)):
                if cand is not None and cand is not iface and is_controller(cand):
                    self.controller[_key(iface)] = cand
                    break

    def above(self, iface: dict[str, Any], seen: frozenset[Key]) -> list[str]:
        """IP mode and controller types above ``iface``, outermost first."""
        ctrl = self.controller.get(_key(iface))
        if iface.get(k.TYPE) != k.OVS_INTERFACE and ctrl is not None:
            if _key(ctrl) in seen:
                return []
            return [*self.above(ctrl, seen | {_key(ctrl)}), str(ctrl.get(k.TYPE, k.UNKNOWN))]
        ip = ip_topology(iface)
        return [ip] if ip else []

    def below(self, iface: dict[str, Any], seen: frozenset[Key]) -> list[str]:
        """The parent's stack, else the deepest stack among the ports (a VLAN's link is below it).

        An OVS interface's "parent" is its OVS bridge; OVS interfaces are not
        followed as ports (nmstate does not show them below their bridge).
        """
        if iface.get(k.TYPE) == k.OVS_INTERFACE:
            ctrl = self.controller.get(_key(iface))
            if ctrl is None:
                return []
            return self._down(ctrl if ctrl.get(k.TYPE) == k.OVS_BRIDGE else None, seen)
        base = parent_of(iface)
        if base is not None:
            return self._down(self.kernel.get(base), seen)
        deepest: list[str] = []
        for name in ports_of(iface):
            port = self.kernel.get(name)
            if port is None or port.get(k.TYPE) == k.OVS_INTERFACE:
                continue
            chain = self._down(port, seen)
            if len(chain) > len(deepest):
                deepest = chain
        return deepest

    def _down(self, iface: dict[str, Any] | None, seen: frozenset[Key]) -> list[str]:
        if iface is None or _key(iface) in seen:
            return []
        return [str(iface.get(k.TYPE, k.UNKNOWN)), *self.below(iface, seen | {_key(iface)})]

    def stack(self, iface: dict[str, Any]) -> str:
        seen = frozenset({_key(iface)})
        own = str(iface.get(k.TYPE, k.UNKNOWN))
        return " -> ".join([*self.above(iface, seen), own, *self.below(iface, seen)])


def longest_unique(stacks: Iterable[str]) -> list[str]:
    """Distinct stacks, shortest first, without those contained in a longer one."""
    unique = sorted(set(stacks), key=lambda s: (len(s), s))
    return [s for i, s in enumerate(unique) if not any(s in t for t in unique[i + 1 :])]


# ---------------------------------------------------------------------------- features


def _present(section: Any, key: str) -> bool:
    return isinstance(section, dict) and section.get(key) is not None


def iface_features(iface: dict[str, Any]) -> set[str]:
    """Features one desired interface uses, by what it writes (not what the host has)."""
    found: set[str] = set()
    if iface.get(LLDP) is not None:
        found.add("lldp")
    for family, feature in ((k.IPV4, "dhcpv4-custom-hostname"), (k.IPV6, "dhcpv6-custom-hostname")):
        if _present(iface.get(family), DHCP_CUSTOM_HOSTNAME):
            found.add(feature)
    kind = iface.get(k.TYPE)
    if kind == k.ETHERNET and _present(iface.get(k.ETHERNET), SR_IOV):
        found.add("sriov")
    if kind == k.OVS_BRIDGE:
        bridge = iface.get(k.BRIDGE)
        ports = bridge.get(k.PORT) if isinstance(bridge, dict) else None
        if isinstance(ports, list) and any(_present(p, k.LINK_AGGREGATION) for p in ports):
            found.add("ovs-bond")
    if kind == k.OVS_INTERFACE:
        if iface.get(DPDK) is not None:
            found.add("ovs-dpdk")
        if iface.get(PATCH) is not None:
            found.add("ovs-patch")
    return found


def state_features(desired: dict[str, Any]) -> set[str]:
    """Features of the desired state's global sections (DNS, hostname, routes, rules).

    A section counts when the state gives it, even empty (``routes: {config: []}``
    is still a static-route configuration), as nmstate counts it; route rules
    count only when some are listed.
    """
    found: set[str] = set()
    dns = desired.get(k.DNS_RESOLVER)
    config = dns.get(k.CONFIG) if isinstance(dns, dict) else None
    for key, feature in (
        (k.SERVER, "static-dns-name-server"),
        (k.SEARCH, "static-dns-search"),
        (OPTIONS, "static-dns-option"),
    ):
        if _present(config, key):
            found.add(feature)
    if _present(desired.get(k.HOSTNAME), k.CONFIG):
        found.add("static-hostname")
    if _present(desired.get(k.ROUTES), k.CONFIG):
        found.add("static-route")
    rules = desired.get(k.ROUTE_RULES)
    listed = rules.get(k.CONFIG) if isinstance(rules, dict) else None
    if isinstance(listed, list) and listed:
        found.add("static-route-rule")
        if any(_present(r, SUPPRESS_PREFIX_LENGTH) and r.get(k.STATE) != k.ABSENT for r in listed):
            found.add("static-route-rule-suppress-prefix-length")
    return found


def count_feature(count: int) -> str | None:
    """The iface-count feature for ``count`` desired interfaces that end up up."""
    return next((feature for least, feature in IFACE_COUNTS if count >= least), None)


def statistic(desired: dict[str, Any], current: dict[str, Any]) -> Statistic:
    """Topologies and features of ``desired`` (one state; see :func:`combine`) on ``current``.

    The stacks are read from the merged state, so an interface the desire
    only names still shows what it sits on and what sits on it; an interface
    counts when the desire names it or the merge changes it (a port joining
    a desired bridge), and it ends up up.
    """
    want = normalize(desired)
    cur = comparable(normalize(current))  # as merged: no link-local addresses, no timers
    merged = interfaces(merge(want, cur))
    wanted = interfaces(want)
    before = {_key(i): i for i in interfaces(cur)}

    kinds: dict[str, list[Any]] = {}
    for w in wanted:
        kinds.setdefault(w[k.NAME], []).append(w.get(k.TYPE))

    def is_desired(iface: dict[str, Any]) -> bool:
        return any(_same(iface, iface[k.NAME], kind) for kind in kinds.get(iface[k.NAME], []))

    graph = _Graph(merged)
    counted = [i for i in merged if _is_up(i) and (is_desired(i) or before.get(_key(i)) != i)]
    topology = longest_unique(graph.stack(i) for i in counted)

    features = state_features(want)
    for iface in wanted:
        features |= iface_features(iface)
    extra = count_feature(sum(1 for i in merged if _is_up(i) and is_desired(i)))
    if extra:
        features.add(extra)
    rank = {name: i for i, name in enumerate(FEATURE_ORDER)}
    return Statistic(topology, sorted(features, key=lambda f: (rank.get(f, len(rank)), f)))
