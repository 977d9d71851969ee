"""Is the host back as it was? A rollback's claim, checked against a fresh read.

NetworkManager's checkpoint rollback restores profiles and device states,
but not always the host as it was: software links it had to touch come back
re-created (new ifindex and MAC, a veth's far end down, so a bridge over it
loses carrier), route metrics it chose itself move, and anything outside
the checkpoint (the hostname) is not covered at all. So every rollback path
re-reads the host and compares it with the read taken before the apply;
"restored" is printed only when they match, and otherwise one line per
difference, each with what the user can do about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine import keys as k
from engine.diff import diff, summary
from engine.topology import by_name


@dataclass(frozen=True)
class Snapshot:
    """The host as read just before an apply: what a rollback must bring back."""

    state: dict[str, Any]
    links: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "links": self.links}

    @classmethod
    def from_json(cls, data: Any) -> Snapshot | None:
        if not isinstance(data, dict) or not isinstance(data.get("state"), dict):
            return None
        links = data.get("links")
        return cls(data["state"], dict(links) if isinstance(links, dict) else {})


@dataclass(frozen=True)
class RestoreReport:
    """The verdict on one rollback: empty ``differences`` means restored.

    ``checked`` is False when there was no snapshot to compare with (a
    checkpoint made by another tool, or whose record is gone): then nothing
    is claimed either way.
    """

    differences: list[str] = field(default_factory=list)
    checked: bool = True

    @property
    def restored(self) -> bool:
        return self.checked and not self.differences

    def format(self, what: str = "rolled back") -> str:
        """One verdict line, then one line per difference."""
        if not self.checked:
            return (
                f"{what} (not checked: there is no snapshot of the host from before this "
                "change; compare with 'nmtui-state show')"
            )
        if self.restored:
            return f"{what}; checked: the host is as it was before the apply"
        head = f"{what}, but {len(self.differences)} difference(s) from before the apply remain:"
        return "\n".join([head, *(f"  {line}" for line in self.differences)])


UNCHECKED = RestoreReport(checked=False)


def _comparable(state: dict[str, Any]) -> dict[str, Any]:
    """The state without its self-changing parts (running DNS, the running hostname copy)."""
    out = dict(state)
    dns = out.get(k.DNS_RESOLVER)
    if isinstance(dns, dict):
        out[k.DNS_RESOLVER] = {p: v for p, v in dns.items() if p != k.RUNNING}
    host = out.get(k.HOSTNAME)
    if isinstance(host, dict):
        out[k.HOSTNAME] = {p: v for p, v in host.items() if p != k.RUNNING}
    return out


def _route_key(route: dict[str, Any]) -> tuple[Any, ...]:
    return (
        route.get(k.DESTINATION),
        route.get(k.NEXT_HOP_INTERFACE),
        route.get(k.NEXT_HOP_ADDRESS),
        route.get(k.TABLE_ID),
    )


def _route_text(route: dict[str, Any]) -> str:
    text = f"route {route.get(k.DESTINATION)}"
    if route.get(k.NEXT_HOP_ADDRESS):
        text += f" via {route[k.NEXT_HOP_ADDRESS]}"
    return f"{text} dev {route.get(k.NEXT_HOP_INTERFACE)}"


def _metric_moves(before: dict[str, Any], after: dict[str, Any]) -> tuple[list[str], set[int]]:
    """Kernel routes that came back with another metric (NM re-chose it on re-activation)."""
    old = (before.get(k.ROUTES) or {}).get(k.RUNNING) or []
    new = (after.get(k.ROUTES) or {}).get(k.RUNNING) or []
    new_by_key: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for route in new:
        new_by_key.setdefault(_route_key(route), []).append(route)
    old_keys = {_route_key(r) for r in old}
    lines, moved = [], set()
    for route in old:
        found = new_by_key.get(_route_key(route)) or []
        metrics = {r.get(k.METRIC) for r in found}
        if not found and not _noise(route):
            lines.append(f"{_route_text(route)}: gone from the kernel's routing table")
        elif found and route.get(k.METRIC) not in metrics:
            lines.append(
                f"{_route_text(route)}: metric {route.get(k.METRIC)} → "
                f"{', '.join(str(m) for m in sorted(metrics, key=str))} (NetworkManager chose a "
                "new one when it re-activated the interface; give the route a metric to pin it)"
            )
            moved.add(id(route))
    for route in new:
        if _route_key(route) not in old_keys and not _noise(route):
            lines.append(f"{_route_text(route)}: in the kernel's routing table, but not before")
    return lines, moved


def _noise(route: dict[str, Any]) -> bool:
    """Kernel routes that come and go with a link's carrier (IPv6 link-local, multicast)."""
    dest = str(route.get(k.DESTINATION) or "")
    return dest.startswith(("fe80:", "ff00:", "ff02:"))


Links = dict[str, dict[str, Any]]


def _link_lines(before: Links, after: Links, now: dict[str, Any]) -> tuple[list[str], set[str]]:
    """Links re-created (new index), left down, or without carrier; and the re-created."""
    lines: list[str] = []
    recreated = {
        name
        for name, link in before.items()
        if name in after and after[name].get("index") != link.get("index")
    }
    for name in sorted(recreated):
        line = (
            f"{name}: re-created by NetworkManager during the rollback "
            f"(ifindex {before[name].get('index')} → {after[name].get('index')})"
        )
        peer = ((now.get(name) or {}).get(k.VETH) or {}).get(k.PEER)
        if peer and before.get(peer, {}).get("up") and not after.get(peer, {}).get("up"):
            line += f"; its far end {peer} is down: bring it up with 'ip link set {peer} up'"
        lines.append(line)
    for name, link in sorted(before.items()):
        later = after.get(name)
        if later is None:
            continue  # gone: the state comparison says so
        if link.get("up") and not later.get("up"):
            lines.append(f"{name}: link down (was up): bring it up with 'ip link set {name} up'")
        elif link.get("carrier") and later.get("up") and not later.get("carrier"):
            lines.append(f"{name}: no carrier (it had carrier before the apply)")
    return lines, recreated


def _hint(line: str, recreated: set[str]) -> str:
    """Mark a property difference of a re-created link as a consequence of that."""
    name = line.split(":", 1)[0].split(" ", 1)[0]
    if name in recreated:
        return f"{line} (re-created by NetworkManager during the rollback)"
    return line


def compare(
    before: dict[str, Any],
    after: dict[str, Any],
    before_links: Links | None = None,
    after_links: Links | None = None,
) -> RestoreReport:
    """How ``after`` (a fresh read) differs from ``before`` (the read before the apply).

    ``*_links`` are the kernel's link facts by name (index, up, carrier): a
    changed index is a link NetworkManager deleted and created again, which
    a state alone (same name, same settings) cannot show.
    """
    lines, recreated = _link_lines(before_links or {}, after_links or {}, by_name(after))
    metric_lines, _ = _metric_moves(before, after)
    lines += metric_lines
    old, new = _comparable(before), _comparable(after)
    for section in (old, new):
        routes = section.get(k.ROUTES)
        if isinstance(routes, dict):  # kernel routes: compared above, by identity and metric
            section[k.ROUTES] = {p: v for p, v in routes.items() if p != k.RUNNING}
    for line in summary(diff(old, new)):
        lines.append(_hint(line.strip(), recreated))
    return RestoreReport(lines)


def check(before: Snapshot, after: Snapshot) -> RestoreReport:
    """:func:`compare` of two snapshots (states and link indexes)."""
    return compare(before.state, after.state, before.links, after.links)
