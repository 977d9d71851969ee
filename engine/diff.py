"""What applying a state would change, at the granularity a person reviews.

``diff`` compares the host's state with the merged target property by
property (interfaces matched by name, lists compared whole), so the preview
can say ``eth1: mtu 1500 → 9000`` instead of dumping two YAML files.
``apply_changes`` replays a diff, which lets the tests prove the diff is
complete: ``apply_changes(current, diff(current, merged)) == merged``. Both
compare the :mod:`engine.comparable` forms (no link-local addresses, no
bridge timers). Every rendering masks secrets unless asked not to.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from engine import keys as k
from engine.comparable import comparable
from engine.normalize import clone, normalize
from engine.secrets import PLACEHOLDER, is_secret_path, mask_value
from engine.yamlio import dumps

ADD, REMOVE, MODIFY = "add", "remove", "modify"
_MISSING: Any = object()
_IFACE_PREFIX = f"{k.INTERFACES}["


@dataclass(frozen=True)
class Change:
    """One changed value. ``old`` is None for "add", ``new`` is None for "remove".

    A whole interface being deleted is a "remove" whose ``new`` is the
    ``state: absent`` marker the merged state carries (None if it is gone).
    """

    path: str
    old: Any
    new: Any
    kind: str  # ADD, REMOVE or MODIFY


def _same(a: Any, b: Any) -> bool:
    """Equality that tells ``1`` from ``True`` (Python's == does not)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _plain(d: dict[Any, Any]) -> bool:
    """Keys that survive a round trip through a dotted path (no brackets, no unknown dots)."""
    return all(
        isinstance(key, str) and key and (key in k.DOTTED_KEYS or not any(c in key for c in ".[]"))
        for key in d
    )


def _split_keys(text: str) -> list[str]:
    """``802.1x.identity`` → ``["802.1x", "identity"]``: known dotted keys stay whole."""
    out: list[str] = []
    for token in text.split("."):
        if out and f"{out[-1]}.{token}" in k.DOTTED_KEYS:
            out[-1] = f"{out[-1]}.{token}"
        else:
            out.append(token)
    return out


def _ordered_keys(a: dict[str, Any], b: dict[str, Any], top: bool = False) -> list[str]:
    lead = k.TOP_LEVEL_ORDER if top else k.LEADING_KEYS
    union = set(a) | set(b)
    return [key for key in lead if key in union] + sorted(union - set(lead))


def _diff_value(path: str, old: Any, new: Any, out: list[Change]) -> None:
    """Recurse through dicts; lists and scalars change as whole values."""
    if old is not _MISSING and new is not _MISSING and _same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict) and _plain(old) and _plain(new):
        for key in _ordered_keys(old, new):
            _diff_value(f"{path}.{key}", old.get(key, _MISSING), new.get(key, _MISSING), out)
        return
    if old is _MISSING:
        out.append(Change(path, None, new, ADD))
    elif new is _MISSING:
        out.append(Change(path, old, None, REMOVE))
    else:
        out.append(Change(path, old, new, MODIFY))


def _by_name(ifaces: list[Any]) -> dict[str, list[dict[str, Any]]] | None:
    out: dict[str, list[dict[str, Any]]] = {}
    for iface in ifaces:
        if not isinstance(iface, dict) or not isinstance(iface.get(k.NAME), str):
            return None
        out.setdefault(iface[k.NAME], []).append(iface)
    return out


def _whole(path: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> Change | None:
    """A whole-interface change, with deletion shown as "remove" even when a marker remains."""
    if old is None and new is None:
        return None
    if old is None:
        return Change(path, None, new, ADD)
    if new is None or (new.get(k.STATE) == k.ABSENT and old.get(k.STATE) != k.ABSENT):
        return Change(path, old, new, REMOVE)
    if old.get(k.STATE) == k.ABSENT and new.get(k.STATE) != k.ABSENT:
        return Change(path, old, new, ADD)
    return None if _same(old, new) else Change(path, old, new, MODIFY)


def _diff_interfaces(old: Any, new: Any, out: list[Change]) -> None:
    """Interfaces matched by name, so paths read ``interfaces[br0].mtu``."""
    old_list = old if isinstance(old, list) else []
    new_list = new if isinstance(new, list) else []
    old_by, new_by = _by_name(old_list), _by_name(new_list)
    if old_by is None or new_by is None:  # unnamed entries: only the whole list is addressable
        _diff_value(k.INTERFACES, old, new, out)
        return
    for name in sorted(set(old_by) | set(new_by)):
        path = f"{_IFACE_PREFIX}{name}]"
        olds, news = old_by.get(name, []), new_by.get(name, [])
        if len(olds) <= 1 and len(news) <= 1:
            _diff_interface(path, olds[0] if olds else None, news[0] if news else None, out)
            continue
        # Same name, several types (ovs-bridge + ovs-interface): whole entries, keyed by type.
        for kind in sorted({str(i.get(k.TYPE)) for i in olds + news}):
            a = next((i for i in olds if str(i.get(k.TYPE)) == kind), None)
            b = next((i for i in news if str(i.get(k.TYPE)) == kind), None)
            whole = _whole(path, a, b)
            if whole is not None:
                out.append(whole)


def _diff_interface(
    path: str, a: dict[str, Any] | None, b: dict[str, Any] | None, out: list[Change]
) -> None:
    """Property changes of one interface; whole-interface ones when it comes, goes or retypes."""
    whole = _whole(path, a, b)
    if whole is None:
        return
    retyped = a is not None and b is not None and a.get(k.TYPE) != b.get(k.TYPE)
    if whole.kind != MODIFY or a is None or b is None or retyped or not (_plain(a) and _plain(b)):
        out.append(whole)
    else:
        for key in _ordered_keys(a, b):
            _diff_value(f"{path}.{key}", a.get(key, _MISSING), b.get(key, _MISSING), out)


def diff(current: dict[str, Any], merged: dict[str, Any]) -> list[Change]:
    """Changes that turn ``current`` into ``merged``, in print order."""
    cur, new = comparable(normalize(current)), comparable(normalize(merged))
    out: list[Change] = []
    for key in _ordered_keys(cur, new, top=True):
        a, b = cur.get(key, _MISSING), new.get(key, _MISSING)
        if key == k.INTERFACES:
            _diff_interfaces(cur.get(key), new.get(key), out)
        else:
            _diff_value(key, a, b, out)
    return out


def split_change_path(path: str) -> tuple[str | None, list[str]]:
    """``interfaces[eth0.10].ipv4.address`` → ``("eth0.10", ["ipv4", "address"])``.

    Interface names may contain dots (``eth0.10``), so the name runs to the
    first ``].`` rather than the first dot.
    """
    if path.startswith(_IFACE_PREFIX):
        rest = path[len(_IFACE_PREFIX) :]
        end = rest.find("].")
        if end < 0:
            return rest[:-1], []
        return rest[:end], _split_keys(rest[end + 2 :])
    return None, _split_keys(path)


def _set(node: dict[str, Any], keys: list[str], change: Change) -> None:
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    if change.kind == REMOVE:
        node.pop(keys[-1], None)
    else:
        node[keys[-1]] = clone(change.new)


def _index(state: dict[str, Any]) -> tuple[dict[str, list[dict[str, Any]]], list[Any]]:
    """Named interfaces by name, plus the unnamed entries (kept as they are)."""
    raw = state.get(k.INTERFACES)
    by_name: dict[str, list[dict[str, Any]]] = {}
    unnamed: list[Any] = []
    for iface in raw if isinstance(raw, list) else []:
        if isinstance(iface, dict) and isinstance(iface.get(k.NAME), str):
            by_name.setdefault(iface[k.NAME], []).append(iface)
        else:
            unnamed.append(iface)
    return by_name, unnamed


def apply_changes(current: dict[str, Any], changes: list[Change]) -> dict[str, Any]:
    """``current`` with ``changes`` replayed (normalized); the inverse check of :func:`diff`."""
    state = comparable(normalize(current))
    by_name, unnamed = _index(state)
    rebuilt = False
    for change in changes:
        name, keys = split_change_path(change.path)
        if name is None:
            _set(state, keys, change)
            if keys[0] == k.INTERFACES:  # the whole list changed: index the new one
                by_name, unnamed = _index(state)
                rebuilt = False
            continue
        entries = by_name.setdefault(name, [])
        if keys:
            if entries:
                _set(entries[0], keys, change)
            continue
        # The entry to replace is the one the change saw: match the old value's type.
        ref = change.old if isinstance(change.old, dict) else change.new
        kind = ref.get(k.TYPE) if isinstance(ref, dict) else None
        pos = next((i for i, e in enumerate(entries) if e.get(k.TYPE) == kind), None)
        rebuilt = True
        if change.new is None:
            if pos is not None:
                del entries[pos]
        elif pos is None:
            entries.append(clone(change.new))
        else:
            entries[pos] = clone(change.new)
    if rebuilt:
        state[k.INTERFACES] = [i for entries in by_name.values() for i in entries] + unnamed
    return normalize(state)


# --- rendering -------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is _MISSING or value is None:
        return "(unset)" if value is _MISSING else "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value else '""'
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return str(value)


def _fmt_address(entry: Any) -> str:
    if isinstance(entry, dict) and k.IP in entry:
        plen = entry.get(k.PREFIX_LENGTH)
        return f"{entry[k.IP]}/{plen}" if plen is not None else str(entry[k.IP])
    return _fmt(entry)


_ENTRY_WORDS = (
    (k.DESTINATION, ""),
    (k.IP_FROM, "from "),
    (k.IP_TO, "to "),
    (k.NEXT_HOP_ADDRESS, "via "),
    (k.NEXT_HOP_INTERFACE, "dev "),
    (k.METRIC, "metric "),
    (k.TABLE_ID, "table "),
    (k.PRIORITY, "priority "),
    (k.ROUTE_TABLE, "table "),
    (k.FAMILY, ""),
)


def _fmt_entry(entry: Any) -> str:
    """A route or rule the way ``ip route`` would say it."""
    if not isinstance(entry, dict):
        return _fmt(entry)
    words = [f"{word}{_fmt(entry[key])}" for key, word in _ENTRY_WORDS if key in entry]
    known = {key for key, _ in _ENTRY_WORDS}
    words += [f"{key}={_fmt(v)}" for key, v in sorted(entry.items()) if key not in known]
    return " ".join(words)


_PORT_LISTS = {(k.BRIDGE, k.PORT), (k.LINK_AGGREGATION, k.PORT), (k.VRF, k.PORT), (k.TEAM, k.PORTS)}


def _fmt_port(entry: Any) -> str:
    if isinstance(entry, dict) and isinstance(entry.get(k.NAME), str):
        extra = {key: v for key, v in entry.items() if key != k.NAME}
        return f"{entry[k.NAME]} {_fmt(extra)}" if extra else str(entry[k.NAME])
    return _fmt(entry)


def _list_lines(head: str, old: Any, new: Any, fmt: Any) -> list[str] | None:
    """Per-item lines for a list change; None when the values are not both lists."""
    a = old if isinstance(old, list) else [] if old is _MISSING or old is None else None
    b = new if isinstance(new, list) else [] if new is _MISSING or new is None else None
    if a is None or b is None:
        return None
    removed = [x for x in a if not any(_same(x, y) for y in b)]
    added = [y for y in b if not any(_same(x, y) for x in a)]
    if not a and not b:  # unset against an empty list: say which, not an empty "order"
        return [f"{head} {'[]' if a is old else '(unset)'} → {'[]' if b is new else '(unset)'}"]
    if not removed and not added:
        order = ", ".join(fmt(x) for x in a), ", ".join(fmt(y) for y in b)
        return [f"{head} order {order[0]} → {order[1]}"]
    pairs = min(len(removed), len(added)) if fmt is _fmt_address else 0
    lines = [f"{head} {fmt(x)} → {fmt(y)}" for x, y in zip(removed, added, strict=False)][:pairs]
    lines += [f"{head} - {fmt(x)}" for x in removed[pairs:]]
    lines += [f"{head} + {fmt(y)}" for y in added[pairs:]]
    return lines


def _who(name: str | None, keys: list[str]) -> tuple[str, list[str]]:
    """Subject and remaining label words: ``dns-resolver.config.server`` → ("dns", ["server"])."""
    if name is not None:
        return name, keys
    head, rest = keys[0], keys[1:]
    if rest[:1] == [k.CONFIG]:
        rest = rest[1:]
    label = {k.DNS_RESOLVER: "dns", k.ROUTE_RULES: "route rules"}.get(head, head)
    return label, rest


def _describe(path: str, old: Any, new: Any, show_secrets: bool) -> list[str]:
    name, keys = split_change_path(path)
    who, words = _who(name, keys)
    head = f"{who}: {' '.join(words)}".rstrip()
    if not show_secrets:
        if is_secret_path(path):
            verb = "set" if old is _MISSING else "removed" if new is _MISSING else "changed"
            return [f"{head} {verb} ({PLACEHOLDER})"]
        old = old if old is _MISSING else mask_value(old)
        new = new if new is _MISSING else mask_value(new)
    if name is None and keys[0] in (k.ROUTES, k.ROUTE_RULES) and words == []:
        lines = _list_lines(f"{who}:", old, new, _fmt_entry)
    elif words[-1:] == [k.ADDRESS] and len(words) == 2 and words[0] in k.IP_FAMILIES:
        lines = _list_lines(head, old, new, _fmt_address)
    elif name is not None and tuple(words) in _PORT_LISTS:
        lines = _list_lines(f"{who}: ports", old, new, _fmt_port)
    elif isinstance(old, list) or isinstance(new, list):
        lines = _list_lines(head, old, new, _fmt)
    else:
        lines = None
    return lines if lines is not None else [f"{head} {_fmt(old)} → {_fmt(new)}"]


def summary(changes: list[Change], show_secrets: bool = False) -> list[str]:
    """Short human lines, one per changed value (per address / port / route for lists)."""
    lines: list[str] = []
    for change in changes:
        name, keys = split_change_path(change.path)
        if name is not None and not keys:
            new_kind = change.new.get(k.TYPE, "") if isinstance(change.new, dict) else ""
            if change.kind == ADD:
                lines.append(f"{name}: new {new_kind} interface".replace("  ", " "))
                continue
            if change.kind == REMOVE:
                lines.append(f"{name}: removed")
                continue
            nested: list[Change] = []
            for key in _ordered_keys(change.old, change.new):
                _diff_value(
                    f"{change.path}.{key}",
                    change.old.get(key, _MISSING),
                    change.new.get(key, _MISSING),
                    nested,
                )
            lines += summary(nested, show_secrets)
            continue
        old = _MISSING if change.kind == ADD else change.old
        new = _MISSING if change.kind == REMOVE else change.new
        lines += _describe(change.path, old, new, show_secrets)
    return lines


def unified(
    current: dict[str, Any], merged: dict[str, Any], show_secrets: bool = False
) -> list[tuple[str, str]]:
    """A unified YAML diff as (tag, text): tag "+", "-", " " or "@" (hunk header), no prefix."""
    before = dumps(mask_value(comparable(normalize(current)), show_secrets)).splitlines()
    after = dumps(mask_value(comparable(normalize(merged)), show_secrets)).splitlines()
    out: list[tuple[str, str]] = []
    for line in difflib.unified_diff(before, after, "current", "merged", lineterm="", n=3):
        if line.startswith(("---", "+++")) and not out:
            continue
        if line.startswith("@@"):
            out.append(("@", line))
        else:
            out.append((line[:1] or " ", line[1:]))
    return out
