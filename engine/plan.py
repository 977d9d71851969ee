"""Plan: what NetworkManager must do, per profile, to turn the current state into the merged one.

Pure: it takes the current and merged states and NM's profiles and devices
as plain data, and returns ordered steps. The same plan is shown on the
review screen ("br0: modify profile, reapply") and executed by
:mod:`engine.apply`, so what the user approves is what runs.

Order matters to NetworkManager: children and ports are removed before
their parents; controllers and bases are created and activated before
their ports and children.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from engine import keys as k
from engine.backend.nm_recreate import cannot_reapply, recreates_link
from engine.backend.nm_routes import carrier
from engine.backend.nm_settings import iface_to_settings
from engine.backend.nm_steps import Device, Plan, Profile, Step
from engine.placement import (
    Controllers,
    dns_placement,
    global_dns_change,
    needs_global_dns,
    rule_key,
    rule_placement,
)
from engine.topology import by_name, controller_of, parent_of

SOFTWARE_TYPES = k.SOFTWARE_TYPES


def depth(state: dict[str, Any]) -> dict[str, int]:
    """How far below a root each interface sits (controller → port, base → child)."""
    ifaces = by_name(state)
    ctrl = controller_of(state)
    above = {n: ctrl.get(n) or parent_of(i) for n, i in ifaces.items()}
    out: dict[str, int] = {}
    for name in ifaces:
        seen, node, d = {name}, above.get(name), 0
        while node and node in ifaces and node not in seen:
            seen.add(node)
            d += 1
            node = above.get(node)
        out[name] = d
    return out


def _route_ifaces(current: dict[str, Any], merged: dict[str, Any]) -> set[str]:
    """Interfaces whose profile carries a route that changes."""

    def entries(state: dict[str, Any]) -> list[Any]:
        return list((state.get(k.ROUTES) or {}).get(k.CONFIG) or [])

    old, new = entries(current), entries(merged)
    changed = [r for r in old if r not in new] + [r for r in new if r not in old]
    return {via for via in map(carrier, changed) if via}


def _port_entries(ctrl: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """A bridge's per-port settings (``bridge.port[]``) by port name."""
    ports = ((ctrl or {}).get(k.BRIDGE) or {}).get(k.PORT) or []
    return {p[k.NAME]: p for p in ports if isinstance(p, dict) and k.NAME in p}


def _changed_ports(cur: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """Ports whose settings in their controller's port list change.

    Those live in the *port's* NM profile (``bridge-port``), so the port must
    be rewritten even though its own interface entry did not change. A key
    the new entry omits is left as it is (nothing to do).
    """
    out: set[str] = set()
    for name, ctrl in new.items():
        if ctrl.get(k.STATE) == k.ABSENT:
            continue
        old_entries = _port_entries(cur.get(name))
        for port, entry in _port_entries(ctrl).items():
            have = old_entries.get(port, {})
            if any(have.get(key) != value for key, value in entry.items()):
                out.add(port)
    return out


def dns_holders(profiles: list[Profile], devices: dict[str, Device]) -> dict[str, str]:
    """family → the interface whose *active* profile carries DNS of that family now.

    A family without servers of its own is given the other family's carrier
    (or the search list's): servers of both families on one interface keep
    the order the user wrote, which servers split across two cannot.
    """
    out: dict[str, str] = {}
    search: str | None = None
    for profile in profiles:
        dev = devices.get(profile.iface)
        if dev is None or dev.active_uuid != profile.uuid:
            continue
        for family in k.IP_FAMILIES:
            ip = profile.settings.get(family) or {}
            if (ip.get("dns-data") or ip.get("dns")) and family not in out:
                out[family] = profile.iface
            if ip.get("dns-search") and search is None:
                search = profile.iface
    fallback = out.get(k.IPV4) or out.get(k.IPV6) or search
    if fallback is not None:
        for family in k.IP_FAMILIES:
            out.setdefault(family, fallback)
    return out


def rule_holders(profiles: list[Profile], devices: dict[str, Device]) -> dict[str, str]:
    """rule key → the interface whose active profile carries that route rule now."""
    from engine.backend.nm_route_rules import rules_from_nm
    from engine.normalize import normalize

    out: dict[str, str] = {}
    for profile in profiles:
        dev = devices.get(profile.iface)
        if dev is None or dev.active_uuid != profile.uuid:
            continue
        rules = rules_from_nm(profile.settings)
        if rules:
            found = normalize({k.ROUTE_RULES: {k.CONFIG: rules}})[k.ROUTE_RULES][k.CONFIG]
            out.update({rule_key(r): profile.iface for r in found})
    return out


def _rule_ifaces(
    current: dict[str, Any], merged: dict[str, Any], rules: tuple[set[str], set[str]]
) -> set[str]:
    """When the rules change: every interface holding rules now or after (``rules``: those
    two sets). Unchanged profiles drop out later, when their settings compare equal."""
    old = (current.get(k.ROUTE_RULES) or {}).get(k.CONFIG) or []
    new = (merged.get(k.ROUTE_RULES) or {}).get(k.CONFIG) or []
    if old == new:
        return set()
    return rules[0] | rules[1]


def touched(
    desired: dict[str, Any],
    current: dict[str, Any],
    merged: dict[str, Any],
    dns_now: dict[str, str] | None = None,
    rules: tuple[set[str], set[str]] = (set(), set()),
) -> set[str]:
    """Interfaces the apply must look at: changed by the merge, or carrying changes.

    A mentioned interface the merge leaves as the host has it is not one of
    them (nmstate skips those too): applying a file twice, or ``show``'s own
    output, rewrites no profile and reapplies nothing.

    ``dns_now`` (family → interface carrying DNS now) keeps DNS where it is;
    when the DNS config changes or its carrier goes, both the old and the new
    carrier are rewritten.
    """
    cur, new = by_name(current), by_name(merged)
    names = {n for n, i in new.items() if cur.get(n) != i}
    names |= _route_ifaces(current, merged)
    names |= _changed_ports(cur, new)
    names |= _rule_ifaces(current, merged, rules)
    dns_old = (current.get(k.DNS_RESOLVER) or {}).get(k.CONFIG)
    dns_new = (merged.get(k.DNS_RESOLVER) or {}).get(k.CONFIG)
    now = dns_now if dns_now is not None else dns_placement(current)
    target = dns_placement(merged, now)
    if dns_old != dns_new or target != now:
        names |= set(now.values())  # they drop what they carry (or keep it, unchanged)
        if _carries_dns(dns_new):  # nothing to carry: no interface needs taking it on
            names |= set(target.values())
    return names & set(new)


def _carries_dns(config: Any) -> bool:
    """Whether a ``dns-resolver.config`` has anything a profile would hold."""
    keys = (k.SERVER, k.SEARCH, k.OPTIONS)
    return isinstance(config, dict) and any(config.get(key) for key in keys)


def _differs(existing: dict[str, dict[str, Any]], wanted: dict[str, dict[str, Any]]) -> bool:
    for section, props in wanted.items():
        have = existing.get(section, {})
        for key, value in props.items():
            if key == "uuid":
                continue
            if have.get(key) != value:
                return True
    old_con, new_con = existing.get("connection", {}), wanted.get("connection", {})
    return bool(old_con.get("master") != new_con.get("master"))


def _pinned(old: Profile | None, key: str) -> bool:
    """Whether the existing profile sets the MTU / MAC / promiscuous mode itself (then it
    stays pinned)."""
    if old is None:
        return False
    for section in ("802-3-ethernet", "loopback"):
        props = old.settings.get(section) or {}
        if key == k.MTU and props.get("mtu"):
            return True
        if key == k.ACCEPT_ALL_MACS and props.get("accept-all-mac-addresses", -1) != -1:
            return True
        if key == k.MAC_ADDRESS and (
            props.get("cloned-mac-address") or props.get("assigned-mac-address")
        ):
            return True
    return False


def _same(key: str, asked: Any, live: Any) -> bool:
    if key == k.MAC_ADDRESS:
        return str(asked).lower() == str(live).lower()
    return bool(asked == live)


def _settings(
    iface: dict[str, Any],
    merged: dict[str, Any],
    old: Profile | None,
    asked: dict[str, Any],
    live: dict[str, Any],
    dns_on: dict[str, str],
    controllers: Controllers,
    rules_on: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """The profile for ``iface``: what the merged state says, minus what only the kernel said.

    The merged state carries the live MTU and MAC of every interface; writing
    them into a profile nobody asked to pin them in would pin a veth's random
    MAC forever and turn a cheap reapply into a full re-activation (NM cannot
    reapply a cloned-mac change), which cycles every port of a bridge. A
    value asked for that the host already has (``show`` output applied back,
    as ``edit`` does) is not a request to pin it either.
    """

    def keep(key: str) -> bool:
        if key not in (k.MTU, k.MAC_ADDRESS, k.ACCEPT_ALL_MACS) or _pinned(old, key):
            return True
        return key in asked and not (key in live and _same(key, asked[key], live[key]))

    iface = {key: value for key, value in iface.items() if keep(key)}
    settings = iface_to_settings(
        iface,
        merged,
        existing_uuid=old.uuid if old else None,
        dns_on=dns_on,
        controllers=controllers,
        rules_on=rules_on,
    )
    if old is not None and not iface.get(k.PROFILE_NAME):
        settings["connection"]["id"] = old.settings.get("connection", {}).get(
            "id", settings["connection"]["id"]
        )
    return settings


def _from_profile(old: Profile, asked: dict[str, Any]) -> dict[str, Any]:
    """``asked`` merged onto what an inactive profile (no device, so no live view) says.

    Without this, ``{name: br1, state: up}`` for a bridge that is down would
    rewrite its profile from those three keys and lose the rest.
    """
    from engine.backend.nm_settings_read import settings_to_iface
    from engine.merge import merge

    base = settings_to_iface(old.settings)
    base.pop(k.STATE, None)
    merged = merge({k.INTERFACES: [asked]}, {k.INTERFACES: [base]})
    found: dict[str, Any] = by_name(merged).get(asked[k.NAME], asked)
    return found


def _deletes_link(iface: dict[str, Any]) -> bool:
    """Whether removing ``iface`` deletes its kernel link too, as nmstate does.

    A veth is an ethernet interface to nmstate: only its profiles go, and
    NetworkManager itself deletes the link when it created it (a pair made
    from a veth profile). A veth NIC made by someone else (a container
    runtime, the far end of a cable) keeps its link.
    """
    return iface.get(k.TYPE) in SOFTWARE_TYPES and iface.get(k.TYPE) != k.VETH


def make_plan(
    desired: dict[str, Any],
    current: dict[str, Any],
    merged: dict[str, Any],
    profiles: list[Profile],
    devices: dict[str, Device],
    global_dns: dict[str, list[str]] | None = None,
) -> Plan:
    """Ordered steps turning ``current`` into ``merged`` (``desired`` says what was asked).

    ``global_dns``: NM's global DNS now (nmstate form); see placement.global_dns_change.
    """
    new, cur, asked = by_name(merged), by_name(current), by_name(desired)
    depths = depth(merged)
    by_iface: dict[str, list[Profile]] = {}
    for profile in profiles:
        by_iface.setdefault(profile.iface, []).append(profile)
    dns_now = dns_holders(profiles, devices)
    # Indexed once: per interface, these were scans of the whole state (O(N³) per plan).
    controllers = Controllers(merged)
    # Global DNS set and DNS not asked about: it stays, and no profile takes a copy.
    keep_global = bool(global_dns) and k.DNS_RESOLVER not in desired
    use_global = keep_global or needs_global_dns(merged)
    dns_on = {} if use_global else dns_placement(merged, dns_now, controllers)
    rules_now = rule_holders(profiles, devices)
    rules_on = rule_placement(merged, rules_now)
    rule_ifaces = (set(rules_now.values()), set(rules_on))
    names = sorted(
        touched(desired, current, merged, dns_now, rule_ifaces),
        key=lambda n: (depths.get(n, 0), n),
    )
    removals: list[Step] = []
    writes: list[Step] = []
    activations: list[Step] = []
    # Asked absent but not on the host: its profiles (a down interface's) still go.
    for name, want in asked.items():
        if want.get(k.STATE) == k.ABSENT and name not in new:
            removals += [
                Step("delete-profile", name, profile=p.path) for p in by_iface.get(name, [])
            ]
    for name in names:
        iface = new[name]
        state = iface.get(k.STATE, k.UP)
        dev = devices.get(name)
        mine = by_iface.get(name, [])
        active = next((p for p in mine if dev and p.uuid == dev.active_uuid), None)
        if state == k.IGNORE or (iface.get(k.TYPE) == k.UNKNOWN and name not in asked):
            continue  # not managed, or no profile can say it (a tap released by its bridge)
        if state == k.ABSENT:
            removals += [Step("delete-profile", name, profile=p.path) for p in mine]
            if dev is not None and _deletes_link(iface):
                removals.append(Step("delete-device", name, device=dev.path))
            continue
        old = active or (mine[0] if mine else None)
        if name not in cur and old is not None and name in asked:
            iface = _from_profile(old, asked[name])
        settings = _settings(
            iface,
            merged,
            old,
            asked.get(name, {}),
            cur.get(name, {}),
            dns_on,
            controllers,
            rules_on,
        )
        if old is None:
            writes.append(Step("add", name, settings=settings, why="new profile"))
        elif _differs(old.settings, settings):
            writes.append(Step("update", name, settings=settings, profile=old.path))
        if state == k.DOWN:
            if dev is not None and dev.active_uuid:
                activations.append(Step("deactivate", name, device=dev.path))
            continue
        change = recreates_link(active.settings, settings) if active is not None else None
        if active is not None and change:
            activations.append(
                Step("recreate", name, profile=active.path, device=dev.path if dev else None)
            )
            activations[-1] = replace(activations[-1], why=change)
        elif active is not None and old is not None and _differs(old.settings, settings):
            why = cannot_reapply(active.settings, settings) or ""
            step = "activate" if why else "reapply"
            activations.append(
                Step(step, name, device=dev.path if dev else None, profile=old.path, why=why)
            )
        elif active is None:
            activations.append(
                Step(
                    "activate",
                    name,
                    profile=old.path if old else None,
                    device=dev.path if dev else None,
                )
            )
    # An absent interface is a bare marker in the merged state: its place in the tree
    # (port of, stacked on) is only known from the current state.
    was = depth(current)
    removals = [
        replace(s, level=max(depths.get(s.iface, 0), was.get(s.iface, 0))) for s in removals
    ]
    removals.sort(key=lambda s: -s.level)
    activations = [replace(s, level=depths.get(s.iface, 0)) for s in activations]
    plan = Plan(steps=removals + writes + activations, dns_before=dns_now, dns_after=dns_on)
    if not keep_global:
        plan.global_dns = global_dns_change(desired, merged, use_global, global_dns or {})
    want_host = (merged.get(k.HOSTNAME) or {}).get(k.CONFIG)
    have_host = (current.get(k.HOSTNAME) or {}).get(k.CONFIG)
    if want_host is not None and want_host != have_host:
        plan.hostname = str(want_host)
    want_run = (desired.get(k.HOSTNAME) or {}).get(k.RUNNING)
    have_run = (current.get(k.HOSTNAME) or {}).get(k.RUNNING)
    if want_run is not None and want_run != have_run:
        plan.running_hostname = str(want_run)
    return plan
