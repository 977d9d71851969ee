"""Route rules ↔ NetworkManager's ``ipv4/ipv6.routing-rules``, both directions side by side.

NetworkManager keeps policy routing rules in the ip setting of a profile
(one ``routing-rules`` list per family, each item an ``a{sv}``); nmstate
shows them as the top-level ``route-rules.config`` list. Which profile holds
a rule is :func:`engine.placement.rule_holders`' choice; this module only
translates, so that each schema key and its NM item key are named once, in
:data:`PLAIN`, for both directions.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from engine import keys as k

AF_INET = 2
AF_INET6 = 10
FAMILY_OF = {k.IPV4: AF_INET, k.IPV6: AF_INET6}
#: NM's ``action`` values are the kernel's FR_ACT_* numbers.
ACTIONS = {"blackhole": 6, "unreachable": 7, "prohibit": 8}
ACTION_NAMES = {v: name for name, v in ACTIONS.items()}
#: Schema key → NM item key, for the values that pass through unchanged.
PLAIN = {
    k.PRIORITY: "priority",
    "iif": "iifname",
    "suppress-prefix-length": "suppress-prefixlength",
}


def _u32(value: Any) -> int:
    """fwmark/fwmask: an integer, or nmstate's hex string ``"0x10"``."""
    return int(value, 16) if isinstance(value, str) else int(value)


def rule_family(rule: dict[str, Any]) -> str:
    """The family a rule belongs to: its addresses say it, else ``family``, else IPv4."""
    for key in (k.IP_FROM, k.IP_TO):
        if isinstance(rule.get(key), str):
            return k.IPV6 if ":" in rule[key] else k.IPV4
    return k.IPV6 if rule.get(k.FAMILY) == k.IPV6 else k.IPV4


# --- schema → NM ----------------------------------------------------------------


def rule_to_nm(rule: dict[str, Any]) -> dict[str, Any]:
    """One ``route-rules.config`` entry as a routing-rules item of its family."""
    family = rule_family(rule)
    item: dict[str, Any] = {"family": FAMILY_OF[family]}
    for key, side in ((k.IP_FROM, "from"), (k.IP_TO, "to")):
        if rule.get(key):
            net = ipaddress.ip_network(rule[key], strict=False)
            item[side], item[f"{side}-len"] = str(net.network_address), net.prefixlen
    for key, prop in PLAIN.items():
        if rule.get(key) is not None and not (key == k.PRIORITY and rule[key] == -1):
            item[prop] = rule[key]
    for key in ("fwmark", "fwmask"):
        if rule.get(key) is not None:
            item[key] = _u32(rule[key])
    if rule.get("action"):
        item["action"] = ACTIONS[rule["action"]]
    else:
        item["table"] = int(rule.get(k.ROUTE_TABLE) or k.MAIN_TABLE)
    return item


def rules_to_nm(rules: list[dict[str, Any]], family: str) -> list[dict[str, Any]]:
    """The routing-rules list of one family's ip setting."""
    return [rule_to_nm(r) for r in rules if rule_family(r) == family]


# --- NM → schema ----------------------------------------------------------------


def rule_from_nm(item: dict[str, Any], family: str) -> dict[str, Any]:
    """One routing-rules item as the schema's rule (the keys nmstate shows)."""
    rule: dict[str, Any] = {k.FAMILY: family}
    for side, key in (("from", k.IP_FROM), ("to", k.IP_TO)):
        if item.get(side):
            rule[key] = f"{item[side]}/{int(item.get(f'{side}-len', 0))}"
    for key, prop in PLAIN.items():
        if item.get(prop) is not None:
            rule[key] = item[prop]
    for key in ("fwmark", "fwmask"):
        if item.get(key):
            rule[key] = int(item[key])
    if item.get("action") in ACTION_NAMES:
        rule["action"] = ACTION_NAMES[item["action"]]
    else:
        rule[k.ROUTE_TABLE] = int(item.get("table") or k.MAIN_TABLE)
    return rule


def rules_from_nm(nm: dict[str, Any]) -> list[dict[str, Any]]:
    """Every routing rule a profile carries, both families."""
    out = []
    for family in k.IP_FAMILIES:
        for item in (nm.get(family) or {}).get("routing-rules") or []:
            out.append(rule_from_nm(item, family))
    return out


# --- NM item → keyfile ------------------------------------------------------------


def rule_text(item: dict[str, Any]) -> str:
    """A routing-rules item in the keyfile's ``routing-ruleN=`` form (NM's rule syntax)."""
    words = [f"priority {int(item.get('priority', 0))}"]
    for side in ("from", "to"):
        if item.get(side):
            words.append(f"{side} {item[side]}/{int(item.get(f'{side}-len', 0))}")
    if not item.get("from") and not item.get("to"):
        words.append("from ::/0" if item.get("family") == AF_INET6 else "from 0.0.0.0/0")
    if item.get("iifname"):
        words.append(f"iif {item['iifname']}")
    if item.get("suppress-prefixlength") is not None:
        words.append(f"suppress_prefixlength {int(item['suppress-prefixlength'])}")
    if item.get("action") in ACTION_NAMES:
        words.append(f"type {ACTION_NAMES[item['action']]}")
    else:
        words.append(f"table {int(item.get('table') or k.MAIN_TABLE)}")
    if item.get("fwmark") is not None:
        mark = f"fwmark {int(item['fwmark']):#x}"
        if item.get("fwmask") is not None:
            mark += f"/{int(item['fwmask']):#x}"
        words.append(mark)
    return " ".join(words)
