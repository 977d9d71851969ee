"""What an apply does beyond the edited properties, each with its reason.

The diff of the merged state shows what the user changed. Some changes
carry others with them that the user never wrote: a route goes when its
interface loses its last address of the family or becomes a port, the DNS
servers move to another profile, ports are detached, children go with an
absent parent, an interface's profile is replaced rather than modified.
They are derived here from the plan itself (the NM profiles it will write,
translated back by the one reverse translator), so what the review shows is
what apply will do. ``prepare`` folds the route removals into the merged
state, so the diff lists them and verification expects them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine import keys as k
from engine.backend.nm_steps import Plan
from engine.placement import Controllers, find_controller
from engine.topology import by_name

FAMILY_NAME = {k.IPV4: "IPv4", k.IPV6: "IPv6"}


@dataclass(frozen=True)
class Effect:
    """One implied effect: on what, what happens, and why."""

    subject: str
    what: str
    why: str
    route: dict[str, Any] | None = None  # a route removed: the route itself

    def format(self) -> str:
        return f"{self.subject} {self.what}: {self.why}"


def _family(route: dict[str, Any]) -> str:
    return k.IPV6 if ":" in str(route.get(k.DESTINATION) or "") else k.IPV4


def _route_key(route: dict[str, Any]) -> tuple[Any, ...]:
    return (
        route.get(k.DESTINATION),
        route.get(k.NEXT_HOP_INTERFACE),
        route.get(k.NEXT_HOP_ADDRESS) or None,
        route.get(k.TABLE_ID) or k.MAIN_TABLE,
    )


def route_text(route: dict[str, Any]) -> str:
    text = f"route {route.get(k.DESTINATION)}"
    if route.get(k.NEXT_HOP_ADDRESS):
        text += f" via {route[k.NEXT_HOP_ADDRESS]}"
    return f"{text} dev {route.get(k.NEXT_HOP_INTERFACE)}"


def _cannot_carry(
    route: dict[str, Any], was: dict[str, Any], new: dict[str, Any], controllers: Controllers
) -> str | None:
    """Why the route's interface cannot carry it after the apply; None when it can."""
    name = str(route.get(k.NEXT_HOP_INTERFACE))
    iface = new.get(name)
    if iface is None or iface.get(k.STATE) == k.ABSENT:
        return f"{name} is removed"
    try:
        ctrl = find_controller(iface, {k.INTERFACES: list(new.values())}, controllers)
    except ValueError:
        ctrl = None
    if ctrl is not None:
        return f"{name} becomes a port of {ctrl.get(k.NAME)} (a port carries no IP)"
    family = _family(route)
    label = FAMILY_NAME[family]
    ip = iface.get(family) or {}
    dynamic = ip.get(k.DHCP) or ip.get(k.AUTOCONF)
    if ip.get(k.ENABLED) and (ip.get(k.ADDRESS) or dynamic):
        return None
    had = ((was.get(name) or {}).get(family) or {}).get(k.ADDRESS)
    return f"{name} loses its last {label} address" if had else f"{name} has no {label} address"


def lost_routes(current: dict[str, Any], merged: dict[str, Any]) -> list[Effect]:
    """Configured routes the merged state keeps but their interface can no longer carry.

    nmstate drops such routes of the current state along with the address
    or the interface; the merged state has to say so, or the review hides it.
    """
    was, new = by_name(current), by_name(merged)
    controllers = Controllers(merged)
    out = []
    for route in (merged.get(k.ROUTES) or {}).get(k.CONFIG) or []:
        if route.get(k.STATE) == k.ABSENT or route.get(k.NEXT_HOP_INTERFACE) is None:
            continue
        why = _cannot_carry(route, was, new, controllers)
        if why is not None:
            out.append(Effect(route_text(route), "removed", why, route))
    return out


def stacks_off(
    desired: dict[str, Any], current: dict[str, Any], merged: dict[str, Any]
) -> tuple[dict[str, Any], list[Effect]]:
    """``merged`` with IPv4 off where it is asked for with nothing on it, and the effects.

    No address and DHCP off: NetworkManager writes ``method=disabled`` (there is
    no static method without an address) and ``show`` then says ``enabled:
    false``. Unless the merged state says so too, the review shows IPv4 staying
    on and the next apply of the same file looks like a change. IPv6 in that
    case keeps its link-local address, so it stays on. An effect is listed only
    where IPv4 is on now.
    """
    asked, was = by_name(desired), by_name(current)
    off: set[str] = set()
    for name, iface in by_name(merged).items():
        ip = iface.get(k.IPV4)
        if not isinstance((asked.get(name) or {}).get(k.IPV4), dict) or not isinstance(ip, dict):
            continue
        if iface.get(k.TYPE) == k.LOOPBACK or iface.get(k.STATE) == k.ABSENT:
            continue
        if ip.get(k.ENABLED) and not ip.get(k.DHCP) and not ip.get(k.ADDRESS):
            off.add(name)
    if not off:
        return merged, []
    ifaces = [
        {**i, k.IPV4: {k.ENABLED: False}} if i.get(k.NAME) in off else i
        for i in merged.get(k.INTERFACES) or []
    ]
    why = "no address and DHCP off: NetworkManager disables a stack with nothing on it"
    effects = [
        Effect(name, "IPv4 turned off", why)
        for name in sorted(off)
        if ((was.get(name) or {}).get(k.IPV4) or {}).get(k.ENABLED, name not in was)
    ]
    return {**merged, k.INTERFACES: ifaces}, effects


def _dns(merged: dict[str, Any], plan: Plan) -> list[Effect]:
    config = (merged.get(k.DNS_RESOLVER) or {}).get(k.CONFIG) or {}
    if plan.global_dns:
        why = "its servers alternate families, which profiles cannot keep in order"
        held = sorted(set(plan.dns_before.values()))
        also = f"; DNS leaves the profile of {', '.join(held)}" if held else ""
        return [Effect("DNS", "goes to NetworkManager's global DNS", why + also)]
    if not (config.get(k.SERVER) or config.get(k.SEARCH)):
        return []
    new = by_name(merged)
    out = []
    for family in k.IP_FAMILIES:
        old, to = plan.dns_before.get(family), plan.dns_after.get(family)
        if old == to or old is None:
            continue
        label = FAMILY_NAME[family]
        if to is None:
            why = f"no interface will have a static {label} address to hold them"
            out.append(Effect(f"DNS ({label})", f"leaves {old}'s profile", why))
            continue
        iface = new.get(old)
        if iface is None or iface.get(k.STATE) == k.ABSENT:
            why = f"{old} is removed"
        elif iface.get(k.CONTROLLER):
            why = f"{old} becomes a port of {iface[k.CONTROLLER]} (a port carries no IP)"
        elif iface.get(k.STATE, k.UP) != k.UP:
            why = f"{old} goes {iface.get(k.STATE)}"
        elif not ((iface.get(family) or {}).get(k.ADDRESS)):
            why = f"{old} loses its static {label} addresses"
        else:
            why = f"{old} can no longer hold them (it becomes a port)"
        out.append(Effect(f"DNS ({label})", f"moves from {old}'s profile to {to}'s", why))
    return out


def _structure(
    desired: dict[str, Any], current: dict[str, Any], merged: dict[str, Any], plan: Plan | None
) -> list[Effect]:
    asked, was, new = by_name(desired), by_name(current), by_name(merged)
    out = []
    for name, iface in new.items():
        old = was.get(name)
        if old is None or name in asked:
            continue
        if iface.get(k.STATE) == k.ABSENT and old.get(k.STATE) != k.ABSENT:
            out.append(Effect(name, "removed", "its parent (base or controller) is removed"))
        elif old.get(k.CONTROLLER) and not iface.get(k.CONTROLLER):
            why = f"{old[k.CONTROLLER]} no longer lists it as a port"
            out.append(Effect(name, f"detached from {old[k.CONTROLLER]}", why))
        elif iface.get(k.CONTROLLER) and iface.get(k.CONTROLLER) != old.get(k.CONTROLLER):
            why = f"{iface[k.CONTROLLER]} lists it as a port"
            out.append(Effect(name, f"attached to {iface[k.CONTROLLER]}", why))
    if plan is None:
        return out
    replaced = {s.iface for s in plan.steps if s.action == "add"} & {
        s.iface for s in plan.steps if s.action == "delete-profile"
    }
    for name in sorted(replaced):
        why = "its profile is deleted and created anew, so the link goes down briefly"
        out.append(Effect(name, "re-created", why))
    for step in plan.steps:
        if step.action == "recreate":
            why = f"{step.why}: a live link cannot change that, so NM deletes and re-makes it"
            out.append(Effect(step.iface, "re-created", why))
    for step in plan.steps:
        up = (was.get(step.iface) or {}).get(k.STATE) == k.UP
        if step.action == "activate" and up and step.profile and step.iface not in replaced:
            why = "a profile is activated on it (not reapplied), so it re-connects"
            out.append(Effect(step.iface, "briefly down", why))
    return out


def implied(
    desired: dict[str, Any], current: dict[str, Any], merged: dict[str, Any], plan: Plan
) -> list[Effect]:
    """The plan's effects beyond the edited properties (routes: see :func:`lost_routes`)."""
    return [
        *_dns(merged, plan),
        *_structure(desired, current, merged, plan),
    ]


def without_lost_routes(merged: dict[str, Any], effects: list[Effect]) -> dict[str, Any]:
    """``merged`` as the host will be: the routes the plan drops are gone from it."""
    lost = [_route_key(e.route) for e in effects if e.route is not None]
    if not lost:
        return merged
    routes = dict(merged.get(k.ROUTES) or {})
    routes[k.CONFIG] = [r for r in routes.get(k.CONFIG) or [] if _route_key(r) not in lost]
    return {**merged, k.ROUTES: routes}


def offline_preview(
    desired: dict[str, Any], current: dict[str, Any]
) -> tuple[dict[str, Any], list[Effect]]:
    """Merge and the effects that need no NetworkManager (a ``--current`` file's diff).

    Without NM's profiles there is no plan, so DNS moves and re-created
    profiles are not known; routes, ports and children are.
    """
    from engine.comparable import comparable
    from engine.merge import merge

    current = comparable(current)  # as merge and diff see it
    merged = merge(desired, current)
    merged, off = stacks_off(desired, current, merged)
    lost = lost_routes(current, merged)
    merged = without_lost_routes(merged, lost)
    return merged, off + lost + _structure(desired, current, merged, None)
