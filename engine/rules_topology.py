"""Rules about how interfaces hang together: ports, controllers, bases, peers, routes.

The kernel and NetworkManager cannot build a graph in which an interface
ends up inside itself: bridge A a port of bridge B while B is a port of A,
a VLAN on itself, a veth paired with itself. NetworkManager does not refuse
such profiles up front; it activates them into a loop of failures. So these
are caught here, with the path in the file and the edit that breaks the loop.

A cycle may run through the host: a file that makes br0 a port of br9 when
br9, on the host and not mentioned in the file, already holds br0. The
containment graph is therefore the one the merge would leave: what the file
states, and the host's links for everything the file does not restate.
"""

from __future__ import annotations

import itertools
from typing import Any

from engine import keys as k
from engine.rules_context import Ctx
from engine.topology import has_port_list, parent_of, port_refs

#: (holder, held) → where the file states it: (file order, path, hint); None for the host's.
_Edges = dict[tuple[str, str], tuple[tuple[int, int], str, str] | None]


def check_ports(ctx: Ctx) -> None:
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
    listing = {f[k.NAME] for _, f in ctx.live() if has_port_list(f)}
    for i, iface in ctx.live():
        ctrl_ref = iface.get(k.CONTROLLER)
        if not isinstance(ctrl_ref, str):
            continue
        where = ctx.path(k.INTERFACES, i, k.CONTROLLER)
        name = iface[k.NAME]
        claimed_by = claims.get(name)
        if not ctrl_ref:
            if claimed_by is not None:  # nmstate's words, as for the next one
                ctx.error(
                    where,
                    f"Interface {name} desired to detach controller via controller property "
                    f"set to '', but still been listed as port of controller {claimed_by}",
                    f"remove {name} from the ports of {claimed_by}, or drop controller: ''",
                )
        elif ctrl_ref in listing and claimed_by is None:
            ctx.error(
                where,
                f"Interface {name} has controller {ctrl_ref} but not listed in port list "
                "of controller interface",
                f"add {name} to the ports of {ctrl_ref}, or drop its controller key",
            )
        elif ctrl_ref == name:
            ctx.error(
                where,
                f"{name} names itself as its own controller",
                "set controller to another interface, or to '' to detach it",
            )
        elif claimed_by is not None and claimed_by != ctrl_ref:
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


def _controller_after(
    ctx: Ctx, name: str, own: dict[str, Any], listed: dict[str, str], restated: set[str]
) -> str | None:
    """The controller ``name`` will have after the apply: its ``controller`` key, else a
    desired controller listing it, else its current one (unless that one is removed or
    restates its ports without it)."""
    ref = own.get(k.CONTROLLER)
    if isinstance(ref, str):
        return ref or None
    if name in listed:
        return listed[name]
    now = (ctx.current.get(name) or {}).get(k.CONTROLLER)
    if not isinstance(now, str) or not now or now in ctx.absent or now in restated:
        return None
    return now


def check_port_ip(ctx: Ctx) -> None:
    """A bridge or bond port asked for IP (``enabled: true``) is refused, as nmstate does.

    A port carries no IP: NetworkManager's port profiles have none, so the
    request would be silently dropped. An address only carried over from the
    host is dropped with an implied-effect line instead (:mod:`engine.effects`);
    this is about what the file itself asks for. VRF ports keep their IP.
    """
    types = {name: iface.get(k.TYPE) for name, iface in ctx.current.items()}
    types.update({f[k.NAME]: f.get(k.TYPE) for _, f in ctx.ifaces})
    listed: dict[str, str] = {}
    for _, f in ctx.live():
        for _, port in port_refs(f):
            listed.setdefault(port, f[k.NAME])
    restated = {f[k.NAME] for _, f in ctx.live() if has_port_list(f)}
    for i, iface in ctx.live():
        if iface.get(k.STATE, k.UP) != k.UP or iface.get(k.TYPE) == k.OVS_INTERFACE:
            continue
        asked = [
            fam
            for fam in k.IP_FAMILIES
            if isinstance(iface.get(fam), dict) and iface[fam].get(k.ENABLED) is True
        ]
        if not asked:
            continue
        name = iface[k.NAME]
        ctrl = _controller_after(ctx, name, iface, listed, restated)
        if ctrl is None or types.get(ctrl) == k.VRF:
            continue
        for fam in asked:
            ctx.error(
                ctx.path(k.INTERFACES, i, fam, k.ENABLED),
                f"{name} is a port of {ctrl}: {name} cannot have IP enabled as it is "
                "attached to a controller where IP is not allowed",
                f"set {fam}: {{enabled: false}} on {name} (or leave {fam} out), "
                f"and give the address to {ctrl}",
            )


def _base_section(iface: dict[str, Any], base: str) -> str:
    """Which section's ``base-iface`` named ``base`` (for the problem path)."""
    kind = iface.get(k.TYPE)
    for section in ((kind,) if isinstance(kind, str) else ()) + tuple(sorted(k.CHILD_TYPES)):
        sect = iface.get(section)
        if isinstance(sect, dict) and sect.get(k.BASE_IFACE) == base:
            return section
    return str(kind)


def check_bases(ctx: Ctx) -> None:
    """A stacked interface needs a base that exists and outlives it; a veth another end."""
    for i, iface in ctx.live():
        name = iface[k.NAME]
        veth = iface.get(k.VETH)
        if isinstance(veth, dict) and veth.get(k.PEER) == name:
            ctx.error(
                ctx.path(k.INTERFACES, i, k.VETH, k.PEER),
                f"{name} is its own peer; a veth pair has two ends",
                "name the other end of the pair in veth.peer (e.g. " + f"{name[:13]}p)",
            )
        base = parent_of(iface)
        if base is None:
            continue
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


def check_hsr(ctx: Ctx) -> None:
    """An HSR/PRP link needs two distinct ports that exist and are not the link itself."""
    for i, iface in ctx.live():
        hsr = iface.get("hsr")
        if not isinstance(hsr, dict):
            continue
        name = iface[k.NAME]
        seen: str | None = None
        for key in ("port1", "port2"):
            port = hsr.get(key)
            if not isinstance(port, str):
                continue
            where = ctx.path(k.INTERFACES, i, "hsr", key)
            if port == name:
                ctx.error(where, f"{name} is its own {key}", f"name another interface as {key}")
            elif port == seen:
                ctx.error(
                    where,
                    f"port1 and port2 of {name} are both {port}",
                    "HSR/PRP sends every frame on two different ports: name two interfaces",
                )
            elif port in ctx.absent:
                ctx.error(where, f"{key} {port} of {name} is marked absent", f"keep {port}")
            elif ctx.missing(port):
                ctx.error(
                    where,
                    f"{key} {port} of {name} does not exist",
                    f"add {port} to the state or fix the name",
                )
            seen = port


def check_routes(ctx: Ctx) -> None:
    """A route added through a link needs that link (absent entries delete, so need nothing)."""
    routes = ctx.desired.get(k.ROUTES)
    config = routes.get(k.CONFIG) if isinstance(routes, dict) else None
    for j, route in enumerate(config if isinstance(config, list) else []):
        if not isinstance(route, dict) or route.get(k.STATE) == k.ABSENT:
            continue
        dev = route.get(k.NEXT_HOP_INTERFACE)
        if not isinstance(dev, str) or not dev:
            continue
        where = ctx.path(k.ROUTES, k.CONFIG, j, k.NEXT_HOP_INTERFACE)
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


def _desired_edges(ctx: Ctx, edges: _Edges) -> tuple[set[str], set[str], set[str]]:
    """Containment the file states; returns (controllers restating ports, ports naming a
    controller, ports some desired controller lists).
    """
    listed: set[str] = set()
    keyed: set[str] = set()
    claimed: set[str] = set()
    for i, iface in ctx.live():
        name = iface[k.NAME]
        if has_port_list(iface):
            listed.add(name)
        for j, (rel, port) in enumerate(port_refs(iface)):
            claimed.add(port)
            if port != name and port not in ctx.absent:
                hint = f"remove {port} from the ports of {name}"
                edges.setdefault((name, port), ((i, j), ctx.path(k.INTERFACES, i, *rel), hint))
        hsr = iface.get("hsr")
        for j, key in enumerate(("port1", "port2")):
            member = hsr.get(key) if isinstance(hsr, dict) else None
            if isinstance(member, str) and member != name and member not in ctx.absent:
                hint = f"name a {key} outside the cycle"
                where = ctx.path(k.INTERFACES, i, "hsr", key)
                edges.setdefault((name, member), ((i, -3 - j), where, hint))
        ctrl = iface.get(k.CONTROLLER)
        if isinstance(ctrl, str):
            keyed.add(name)
            if ctrl and ctrl != name and ctrl not in ctx.absent:
                where = ctx.path(k.INTERFACES, i, k.CONTROLLER)
                hint = f"give {name} a controller outside the cycle, or controller: ''"
                edges.setdefault((ctrl, name), ((i, -1), where, hint))
        base = parent_of(iface)
        if base is not None and base != name and base not in ctx.absent:
            where = ctx.path(k.INTERFACES, i, _base_section(iface, base), k.BASE_IFACE)
            hint = f"give {name} a base-iface outside the cycle"
            edges.setdefault((base, name), ((i, -2), where, hint))
        elif base is None:
            cur_base = parent_of(ctx.current.get(name, {}))
            if cur_base is not None and cur_base != name and cur_base not in ctx.absent:
                edges.setdefault((cur_base, name), None)
    return listed, keyed, claimed


def _host_edges(
    ctx: Ctx, edges: _Edges, listed: set[str], keyed: set[str], claimed: set[str]
) -> None:
    """The host's containment for what the file leaves as it is."""
    taken = keyed | claimed | ctx.absent  # ports whose place the file decides
    for name, cur in ctx.current.items():
        if name in ctx.absent:
            continue
        if name not in listed:
            for port in (p for _, p in port_refs(cur) if p not in taken and p != name):
                edges.setdefault((name, port), None)
        ctrl = cur.get(k.CONTROLLER)
        kept = isinstance(ctrl, str) and ctrl not in ("", name) and name not in taken
        if kept and ctrl not in listed and ctrl not in ctx.absent:
            edges.setdefault((str(ctrl), name), None)
        if name not in ctx.names:
            base = parent_of(cur)
            if base is not None and base != name and base not in ctx.absent:
                edges.setdefault((base, name), None)


def _cycles(edges: _Edges) -> list[list[str]]:
    """Each cycle of the holder → held graph once, as [a, b, ..., a] (iterative DFS)."""
    held: dict[str, list[str]] = {}
    for holder, child in edges:
        held.setdefault(holder, []).append(child)
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    found: list[list[str]] = []
    for root in held:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        trail: list[str] = [root]
        state[root] = 1
        while stack:
            node, pos = stack[-1]
            kids = held.get(node, [])
            if pos >= len(kids):
                stack.pop()
                trail.pop()
                state[node] = 2
                continue
            stack[-1] = (node, pos + 1)
            kid = kids[pos]
            if state.get(kid) == 1:
                found.append([*trail[trail.index(kid) :], kid])
            elif kid not in state:
                state[kid] = 1
                stack.append((kid, 0))
                trail.append(kid)
    return found


def check_cycles(ctx: Ctx) -> None:
    """No interface may contain itself through ports, controllers or base interfaces."""
    edges: _Edges = {}
    listed, keyed, claimed = _desired_edges(ctx, edges)
    if ctx.host_known:
        _host_edges(ctx, edges, listed, keyed, claimed)
    for cycle in _cycles(edges):
        stated: list[tuple[tuple[int, int], str, str, int]] = []
        for n, step in enumerate(itertools.pairwise(cycle)):
            said = edges.get(step)
            if said is not None:
                stated.append((*said, n))
        if not stated:
            continue  # the host's own loop: not this file's doing
        _order, where, hint, first = min(stated)
        ring = cycle[first:-1] + cycle[:first] + [cycle[first]]
        ctx.error(
            where,
            f"{' → '.join(ring)} is a cycle: an interface cannot contain itself "
            "(through ports, controllers or base interfaces)",
            hint,
        )
