"""Route rules' canonical form and nmstate's priority rule, applied where states meet.

A rule has no name: it is the same rule when every key it gives is equal.
So that a rule read back from NetworkManager equals the rule written,
:func:`canonical_rule` drops what is implied (``family`` when an address
says it) and fills what NM always stores (``route-table`` 254 when neither a
table nor an action is given; fwmark/fwmask as integers, not ``"0x30"``).
A rule asked for without a priority is, as in nmstate, the existing rule
that matches everything it gives, or a new one numbered after the highest
priority in use, from 30000 up (:func:`with_priorities`).
"""

from __future__ import annotations

import contextlib
from typing import Any

from engine import keys as k
from engine.route_match import canonical_network

AUTO_PRIORITY_START = 30000  # nmstate's ROUTE_RULE_DEFAULT_PRIORITY
_MARKS = ("fwmark", "fwmask")


def _addr_family(rule: dict[str, Any]) -> str | None:
    for key in (k.IP_FROM, k.IP_TO):
        if isinstance(rule.get(key), str) and rule[key]:
            return k.IPV6 if ":" in rule[key] else k.IPV4
    return None


def canonical_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """``rule`` in the one form states are compared in (see the module docstring)."""
    out = dict(rule)
    for key in (k.IP_FROM, k.IP_TO):
        if isinstance(out.get(key), str):
            out[key] = canonical_network(out[key])
    for key in _MARKS:
        value = out.get(key)
        if isinstance(value, str) and value.lower().startswith("0x"):
            with contextlib.suppress(ValueError):  # validation reports a bad one
                out[key] = int(value, 16)
    fam = _addr_family(out)
    if fam is not None and out.get(k.FAMILY) == fam:
        del out[k.FAMILY]
    absent = out.get(k.STATE) == k.ABSENT
    if not absent and not out.get("action") and out.get(k.ROUTE_TABLE) in (None, 0):
        out[k.ROUTE_TABLE] = k.MAIN_TABLE
    if not absent and out.get(k.PRIORITY) == -1:
        del out[k.PRIORITY]  # "let the backend choose": the auto rule below
    return out


def _matches(entry: dict[str, Any], pattern: dict[str, Any]) -> bool:
    return all(entry.get(key) == v for key, v in pattern.items() if key != k.STATE)


def _family(rule: dict[str, Any]) -> str:
    return _addr_family(rule) or str(rule.get(k.FAMILY) or k.IPV4)


def rule_matches(entry: Any, pattern: dict[str, Any]) -> bool:
    """Whether ``entry`` is one of the rules ``pattern`` names: nmstate's ``is_match``.

    Both in :func:`canonical_rule`'s form. A key the pattern omits matches anything;
    ``ip-from: ""`` (``ip-to: ""``) only rules without one; ``family`` the family the
    entry's addresses (or its own ``family``) say; ``priority: -1`` and
    ``route-table: 0`` anything; an omitted fwmark/fwmask counts as 0.
    """
    if not isinstance(entry, dict):
        return False
    for key, want in pattern.items():
        have = entry.get(key)
        if key == k.STATE:
            continue
        if key in (k.IP_FROM, k.IP_TO) and want == "":
            if have:
                return False
        elif key == k.FAMILY:
            if want != _family(entry):
                return False
        elif key == k.PRIORITY:
            if want != -1 and want != have and not (want == 0 and have is None):
                return False
        elif key == k.ROUTE_TABLE:
            if want and want != have:
                return False
        elif key in _MARKS:
            if (want or 0) != (have or 0):
                return False
        elif want != have:
            return False
    return True


def with_priorities(current: list[Any], desired: list[Any]) -> list[Any]:
    """``desired`` with every rule that lacks a priority given one (nmstate's rule)."""
    used = [
        int(r[k.PRIORITY])
        for r in current + desired
        if isinstance(r, dict) and isinstance(r.get(k.PRIORITY), int)
    ]
    top = max([AUTO_PRIORITY_START - 1, *used])
    out: list[Any] = []
    for rule in desired:
        if not isinstance(rule, dict) or rule.get(k.STATE) == k.ABSENT or k.PRIORITY in rule:
            out.append(rule)
            continue
        same = next((c for c in current if isinstance(c, dict) and _matches(c, rule)), None)
        if same is not None:
            out.append(same)  # the rule is there already, under its priority
            continue
        top += 1
        out.append({**rule, k.PRIORITY: top})
    return out
