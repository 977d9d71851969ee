"""The top-level sections of a merge besides interfaces: routes, route rules, DNS, hostname.

Split from :mod:`engine.merge` (which calls these) to keep each module to
one concern; the rules they implement are listed in that module's docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine import keys as k
from engine.route_match import route_matches
from engine.route_rules import rule_matches


def _freeze(entry: Any) -> str:
    return repr(sorted(entry.items())) if isinstance(entry, dict) else repr(entry)


def matches_rule(entry: Any, pattern: dict[str, Any]) -> bool:
    """Does an absent ``pattern`` hit ``entry``? Fields the pattern omits match anything.

    Rules match as nmstate's do (:func:`engine.route_rules.rule_matches`); routes use
    :func:`engine.route_match.route_matches`.
    """
    return rule_matches(entry, pattern)


def merge_entries(
    current: list[Any],
    desired: list[Any],
    matches: Callable[[Any, dict[str, Any]], bool] = matches_rule,
    present: Callable[[Any, dict[str, Any]], bool] | None = None,
    replaces: Callable[[Any, dict[str, Any]], bool] | None = None,
) -> list[Any]:
    """Append-only list merge for routes and rules, honouring ``state: absent`` wildcards.

    ``matches(entry, pattern)``: whether an absent pattern deletes an entry.
    ``present(entry, wanted)``: whether a kept entry already is the ``wanted`` one
    (a route given without the metric and table NM filled in); None: equal ones only.
    ``replaces(entry, wanted)``: whether ``wanted`` takes the place of the host's
    ``entry`` (a route asked for with another metric); None: nothing is replaced.
    """
    patterns = [e for e in desired if isinstance(e, dict) and e.get(k.STATE) == k.ABSENT]
    out = [e for e in current if not any(matches(e, p) for p in patterns)]
    if replaces is not None:
        asked = [e for e in desired if isinstance(e, dict) and e.get(k.STATE) != k.ABSENT]
        out = [e for e in out if not any(replaces(e, w) for w in asked)]
    seen = {_freeze(e) for e in out}
    for entry in desired:
        if isinstance(entry, dict) and entry.get(k.STATE) == k.ABSENT:
            continue
        key = _freeze(entry)
        if key in seen:
            continue
        if present is not None and isinstance(entry, dict) and any(present(e, entry) for e in out):
            continue
        seen.add(key)
        out.append(entry)
    return out


def route_present(entry: Any, wanted: dict[str, Any]) -> bool:
    """Whether the host's route ``entry`` is the route ``wanted`` asks for.

    Given fields must agree (the metric too, when given); an omitted gateway
    means none and an omitted table (or 0) the main one. What NM fills in (a
    metric, ``table-id: 254``) is no difference, so applying a file twice, or
    ``show``'s output, adds nothing.
    """
    pattern = {k.NEXT_HOP_ADDRESS: "", **wanted}
    if not pattern.get(k.TABLE_ID):
        pattern[k.TABLE_ID] = k.MAIN_TABLE
    return route_matches(entry, pattern)


def merge_section(
    want: Any,
    have: Any,
    drop_via: set[str],
    matches: Callable[[Any, dict[str, Any]], bool],
    present: Callable[[Any, dict[str, Any]], bool] | None = None,
    replaces: Callable[[Any, dict[str, Any]], bool] | None = None,
) -> Any:
    """Routes / route-rules: merge the ``config`` lists, keep the rest of the host's section.

    Routes through an interface being deleted go with it, asked for or not
    (the rules report asking for one).
    """
    have_dict = have if isinstance(have, dict) else {}
    cur = have_dict.get(k.CONFIG)
    cur_list = cur if isinstance(cur, list) else []
    asked = want.get(k.CONFIG) if isinstance(want, dict) else None

    def kept(entries: list[Any]) -> list[Any]:
        return [
            e
            for e in entries
            if not (isinstance(e, dict) and e.get(k.NEXT_HOP_INTERFACE) in drop_via)
        ]

    # The host's routes via a deleted interface go first, so that one of them cannot
    # stand in for an asked route it matches (merging twice would then differ).
    merged = kept(
        merge_entries(
            kept(cur_list), asked if isinstance(asked, list) else [], matches, present, replaces
        )
    )
    if merged == cur_list and (cur is not None or not have_dict):
        return have
    return {**have_dict, k.CONFIG: merged}


def merge_dns(want: Any, have: Any) -> Any:
    """``config`` replaces the keys it gives; an empty ``config`` purges."""
    if not isinstance(want, dict) or k.CONFIG not in want:
        return have
    have_dict = have if isinstance(have, dict) else {}
    asked = want[k.CONFIG]
    if not asked:  # config: {} (or null) purges
        return {**have_dict, k.CONFIG: {}}
    cur = have_dict.get(k.CONFIG)
    base = cur if isinstance(cur, dict) else {}
    return {**have_dict, k.CONFIG: {**base, **asked} if isinstance(asked, dict) else asked}


def merge_hostname(want: Any, have: Any) -> Any:
    """``config`` replaces the static hostname, ``running`` the kernel's (transient) one."""
    if not isinstance(want, dict) or not (k.CONFIG in want or k.RUNNING in want):
        return have
    have_dict = have if isinstance(have, dict) else {}
    asked = {part: want[part] for part in (k.CONFIG, k.RUNNING) if part in want}
    return {**have_dict, **asked}
