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

from dataclasses import dataclass, field
from typing import Any

from engine import keys as k
from engine.backend.nm_settings import iface_to_settings
from engine.topology import controller_of, parent_of

SOFTWARE_TYPES = {
    k.LINUX_BRIDGE,
    k.BOND,
    k.VLAN,
    k.VXLAN,
    k.MAC_VLAN,
    k.MAC_VTAP,
    k.VETH,
    k.DUMMY,
    k.VRF,
    k.IPVLAN,
}


@dataclass(frozen=True)
class Profile:
    """An existing NM connection profile (settings as plain values)."""

    path: str
    uuid: str
    iface: str
    settings: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Device:
    """An existing NM device and the profile active on it, if any."""

    name: str
    path: str
    active_uuid: str | None = None


@dataclass(frozen=True)
class Step:
    """One thing NM is asked to do.

    ``action``: delete-profile, delete-device, add, update, activate, reapply, deactivate.
    """

    action: str
    iface: str
    settings: dict[str, dict[str, Any]] | None = None
    profile: str | None = None
    device: str | None = None
    why: str = ""

    def describe(self) -> str:
        words = {
            "delete-profile": "delete profile",
            "delete-device": "delete device",
            "add": "create profile",
            "update": "modify profile",
            "activate": "activate",
            "reapply": "reapply",
            "deactivate": "deactivate",
        }
        text = f"{self.iface}: {words.get(self.action, self.action)}"
        return f"{text} ({self.why})" if self.why else text


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    hostname: str | None = None  # static hostname to save, when it changes

    def describe(self) -> list[str]:
        """One line per interface: what NM will do, in order."""
        per: dict[str, list[str]] = {}
        for step in self.steps:
            per.setdefault(step.iface, []).append(step.describe().split(": ", 1)[1])
        lines = [f"{name}: {', '.join(actions)}" for name, actions in per.items()]
        if self.hostname is not None:
            lines.append(f"hostname: save {self.hostname!r}")
        return lines


def _ifaces(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i[k.NAME]: i for i in state.get(k.INTERFACES, []) if isinstance(i, dict)}


def depth(state: dict[str, Any]) -> dict[str, int]:
    """How far below a root each interface sits (controller → port, base → child)."""
    ifaces = _ifaces(state)
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
    return {r[k.NEXT_HOP_INTERFACE] for r in changed if r.get(k.NEXT_HOP_INTERFACE)}


def touched(desired: dict[str, Any], current: dict[str, Any], merged: dict[str, Any]) -> set[str]:
    """Interfaces the apply must look at: mentioned, changed by the merge, or carrying changes."""
    cur, new = _ifaces(current), _ifaces(merged)
    names = set(_ifaces(desired))
    names |= {n for n, i in new.items() if cur.get(n) != i}
    names |= _route_ifaces(current, merged)
    dns_old = (current.get(k.DNS_RESOLVER) or {}).get(k.CONFIG)
    dns_new = (merged.get(k.DNS_RESOLVER) or {}).get(k.CONFIG)
    if dns_old != dns_new:
        from engine.backend.nm_settings import dns_placement

        names |= set(dns_placement(merged).values()) | set(dns_placement(current).values())
    return names & set(new)


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


def _settings(iface: dict[str, Any], merged: dict[str, Any], old: Profile | None) -> dict[str, Any]:
    settings = iface_to_settings(iface, merged, existing_uuid=old.uuid if old else None)
    if old is not None and not iface.get(k.PROFILE_NAME):
        settings["connection"]["id"] = old.settings.get("connection", {}).get(
            "id", settings["connection"]["id"]
        )
    return settings


def make_plan(
    desired: dict[str, Any],
    current: dict[str, Any],
    merged: dict[str, Any],
    profiles: list[Profile],
    devices: dict[str, Device],
) -> Plan:
    """Ordered steps turning ``current`` into ``merged`` (``desired`` says what was asked)."""
    new = _ifaces(merged)
    depths = depth(merged)
    by_iface: dict[str, list[Profile]] = {}
    for profile in profiles:
        by_iface.setdefault(profile.iface, []).append(profile)
    names = sorted(touched(desired, current, merged), key=lambda n: (depths.get(n, 0), n))
    removals: list[Step] = []
    writes: list[Step] = []
    activations: list[Step] = []
    for name in names:
        iface = new[name]
        state = iface.get(k.STATE, k.UP)
        dev = devices.get(name)
        mine = by_iface.get(name, [])
        active = next((p for p in mine if dev and p.uuid == dev.active_uuid), None)
        if state == k.IGNORE:
            continue
        if state == k.ABSENT:
            removals += [Step("delete-profile", name, profile=p.path) for p in mine]
            if dev is not None and iface.get(k.TYPE) in SOFTWARE_TYPES:
                removals.append(Step("delete-device", name, device=dev.path))
            continue
        old = active or (mine[0] if mine else None)
        settings = _settings(iface, merged, old)
        if old is None:
            writes.append(Step("add", name, settings=settings, why="new profile"))
        elif _differs(old.settings, settings):
            writes.append(Step("update", name, settings=settings, profile=old.path))
        if state == k.DOWN:
            if dev is not None and dev.active_uuid:
                activations.append(Step("deactivate", name, device=dev.path))
            continue
        if active is not None and old is not None and _differs(old.settings, settings):
            activations.append(
                Step("reapply", name, device=dev.path if dev else None, profile=old.path)
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
    removals.sort(key=lambda s: -depths.get(s.iface, 0))
    plan = Plan(steps=removals + writes + activations)
    want_host = (merged.get(k.HOSTNAME) or {}).get(k.CONFIG)
    have_host = (current.get(k.HOSTNAME) or {}).get(k.CONFIG)
    if want_host is not None and want_host != have_host:
        plan.hostname = str(want_host)
    return plan
