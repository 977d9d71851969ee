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
