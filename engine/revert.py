"""The desired state that undoes an apply (``nmstatectl gen-revert``).

Checkpoints roll back only within their timeout; after that the way back
is another apply. ``revert_state(current, merged)`` is a desired state that,
merged onto ``merged``, gives ``current`` again, so the UI can offer
"undo" as an ordinary, reviewable apply.

It relies on ``current`` being a full state, as the host reports it: a key
the host omitted cannot be "un-set" by a desired state, because omitted
means "keep" in nmstate's language.
"""

from __future__ import annotations

from typing import Any

from engine import keys as k
from engine.comparable import comparable
from engine.merge import absent_marker
from engine.normalize import clone, normalize


def _key(iface: dict[str, Any]) -> tuple[str, str]:
    return iface[k.NAME], str(iface.get(k.TYPE, ""))


def _named(state: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    raw = state.get(k.INTERFACES)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for iface in raw if isinstance(raw, list) else []:
        if isinstance(iface, dict) and isinstance(iface.get(k.NAME), str):
            out.setdefault(_key(iface), iface)
    return out


def _revert_interfaces(cur: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """New interfaces go absent; changed or deleted ones come back whole."""
    before, after = _named(cur), _named(new)
    out: list[dict[str, Any]] = []
    for key, iface in after.items():
        old = before.get(key)
        if old is None:
            if iface.get(k.STATE) != k.ABSENT:
                out.append(absent_marker(iface))
        elif old != iface:
            out.append(_full(old, iface))
    out += [_full(old, None) for key, old in before.items() if key not in after]
    return out


def _full(old: dict[str, Any], new: dict[str, Any] | None) -> dict[str, Any]:
    """The host's interface as it was.

    No ``controller: ""`` is needed to undo an attach: the controller is in
    the revert too (new → absent, existing → its old, authoritative port list).
    """
    out: dict[str, Any] = clone(old)
    return out


def _config(section: Any) -> list[Any]:
    conf = section.get(k.CONFIG) if isinstance(section, dict) else None
    return conf if isinstance(conf, list) else []


def _matches(entry: Any, pattern: dict[str, Any]) -> bool:
    return isinstance(entry, dict) and all(
        entry.get(key) == value for key, value in pattern.items() if key != k.STATE
    )


def _revert_entries(cur: Any, new: Any) -> list[Any] | None:
    """Absent entries for what was added, re-added entries for what was removed.

    An absent entry matches every route it does not contradict, so current
    entries it would also hit are re-added (merge deletes before it adds).
    """
    before, after = _config(cur), _config(new)
    before_keys, after_keys = {_freeze(e) for e in before}, {_freeze(e) for e in after}
    added = [e for e in after if _freeze(e) not in before_keys]
    removed = [e for e in before if _freeze(e) not in after_keys]
    if not added and not removed:
        return None
    patterns = [{**e, k.STATE: k.ABSENT} for e in added if isinstance(e, dict)]
    hit = [e for e in before if _freeze(e) in after_keys and any(_matches(e, p) for p in patterns)]
    return patterns + [clone(e) for e in removed + hit]


def _freeze(entry: Any) -> str:
    """A hashable stand-in for a route or rule (their values are scalars)."""
    return repr(sorted(entry.items())) if isinstance(entry, dict) else repr(entry)


def _revert_dns(cur: Any, new: Any) -> Any:
    """The host's DNS config, with keys it lacked emptied (omitted would keep them)."""
    before = cur.get(k.CONFIG) if isinstance(cur, dict) else None
    after = new.get(k.CONFIG) if isinstance(new, dict) else None
    if before == after:
        return None
    if not before:
        return {k.CONFIG: {}}
    config: dict[str, Any] = clone(before) if isinstance(before, dict) else {}
    for key in after if isinstance(after, dict) else {}:
        config.setdefault(key, [])  # a key the host did not have: empty it
    return {k.CONFIG: config}


def revert_state(current: dict[str, Any], merged: dict[str, Any]) -> dict[str, Any]:
    """A desired state that, merged onto ``merged``, gives ``current`` back."""
    cur, new = comparable(normalize(current)), comparable(normalize(merged))
    out: dict[str, Any] = {}
    ifaces = _revert_interfaces(cur, new)
    if ifaces:
        out[k.INTERFACES] = ifaces
    for key in (k.ROUTES, k.ROUTE_RULES):
        entries = _revert_entries(cur.get(key), new.get(key))
        if entries is not None:
            out[key] = {k.CONFIG: entries}
    dns = _revert_dns(cur.get(k.DNS_RESOLVER), new.get(k.DNS_RESOLVER))
    if dns is not None:
        out[k.DNS_RESOLVER] = dns
    before_host = cur.get(k.HOSTNAME)
    after_host = new.get(k.HOSTNAME)
    if isinstance(before_host, dict) and before_host != after_host:
        after = after_host if isinstance(after_host, dict) else {}
        # Each half that changed goes back (``running``: set by hostname.running).
        parts = {
            part: before_host[part]
            for part in (k.CONFIG, k.RUNNING)
            if part in before_host and before_host[part] != after.get(part)
        }
        if parts:
            out[k.HOSTNAME] = parts
    for key, value in cur.items():
        if (
            key not in (k.INTERFACES, k.ROUTES, k.ROUTE_RULES, k.DNS_RESOLVER, k.HOSTNAME)
            and new.get(key) != value
        ):
            out[key] = clone(value)
    return normalize(out)
