"""When does a route entry match another? nmstate's rule, for merge and verify alike.

A pattern (an ``absent`` entry, or a desired route being verified) matches
an entry when every field the pattern gives agrees, with nmstate's
readings: an empty or missing ``destination`` and a ``table-id`` of 0 match
anything; ``next-hop-address: ""`` matches only routes without a gateway;
an entry without ``table-id`` is in the main table (254). A metric given
(0 or more) must agree: nmstate ignores the metric here, but an absent entry
that names one deleting routes of every metric would remove more than it
says (this project's rule since the first merge tests; -1 means "any").
"""

from __future__ import annotations

from typing import Any

from engine import keys as k

_NO_GATEWAY = ("", "0.0.0.0", "::")


def _gateway(value: Any) -> Any:
    return "" if value is None or value in _NO_GATEWAY else value


def route_matches(
    entry: Any, pattern: dict[str, Any], ignore: frozenset[str] = frozenset()
) -> bool:
    """Whether ``entry`` is one of the routes ``pattern`` names (``ignore``: keys skipped)."""
    if not isinstance(entry, dict):
        return False
    for key, want in pattern.items():
        if key == k.STATE or key in ignore:
            continue
        have = entry.get(key)
        if key == k.DESTINATION:
            if want and want != have:
                return False
        elif key == k.NEXT_HOP_ADDRESS:
            if _gateway(want) != _gateway(have):
                return False
        elif key == k.TABLE_ID:
            if want and int(want) != int(have or k.MAIN_TABLE):
                return False
        elif key == k.METRIC:
            if want is not None and int(want) >= 0 and want != have:
                return False
        elif want != have:
            return False
    return True
