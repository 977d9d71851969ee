"""The form states are compared in: without what ``show`` reports but no apply sets.

nmstate 2 shows a few values it never applies or verifies; its ``sanitize``
drops them from the desired and the current state alike before comparing.
The same values are dropped here:

* IPv6 link-local addresses (fe80::/10): the kernel (or NetworkManager) gives
  every IPv6 link one, so listing it is no request, and ``address`` lists
  compare without them (a desired one is warned about, see ``rules_link``);
* a Linux bridge's ``gc-timer`` and ``hello-timer``: time left to the next
  forwarding-table clean-up and STP hello, different on every read;
* ``group-fwd-mask``, the kernel's name of ``group-forward-mask``: shown under
  both names as nmstate does, compared (and applied) as the one
  ``group-forward-mask``;
* a bridge's ``multicast-router`` given as the kernel's number (0, 1, 2, which
  nmstate takes): compared (and applied) as the word ``show`` reports.

Merge, diff, verify, the plan and the draft take states in this form, so
applying ``show``'s output changes nothing, and neither a verification nor a
rollback check reports a timer that moved. Pure; the input is never mutated.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from engine import keys as k

#: Bridge options that count down by themselves: shown, never applied or compared.
RUNTIME_BRIDGE_TIMERS = ("gc-timer", "hello-timer")
GROUP_FORWARD_MASK = "group-forward-mask"
GROUP_FWD_MASK = "group-fwd-mask"  # the kernel's (and nmstate's preferred) name of the same
_LINK_LOCAL = ipaddress.IPv6Network("fe80::/10")


@lru_cache(maxsize=4096)
def is_link_local(ip: str) -> bool:
    """Whether ``ip`` (an address, ``addr/len`` or ``addr%zone``) is IPv6 link-local."""
    text = ip.partition("/")[0].partition("%")[0].strip()
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return False
    return isinstance(addr, ipaddress.IPv6Address) and addr in _LINK_LOCAL


def link_local_entry(entry: Any) -> bool:
    """Whether an ``address`` list entry (dict or ``"ip/len"`` text) is link-local."""
    if isinstance(entry, dict):
        entry = entry.get(k.IP)
    return isinstance(entry, str) and is_link_local(entry)


def _ipv6(section: Any) -> Any:
    if not isinstance(section, dict) or not isinstance(section.get(k.ADDRESS), list):
        return section
    addrs = section[k.ADDRESS]
    if not any(link_local_entry(a) for a in addrs):
        return section
    return {**section, k.ADDRESS: [a for a in addrs if not link_local_entry(a)]}


def _bridge_options(opts: dict[str, Any]) -> dict[str, Any]:
    out = {key: v for key, v in opts.items() if key not in RUNTIME_BRIDGE_TIMERS}
    if GROUP_FWD_MASK in out:
        alias = out[GROUP_FWD_MASK]
        if GROUP_FORWARD_MASK not in out or out[GROUP_FORWARD_MASK] == alias:
            del out[GROUP_FWD_MASK]  # two values that differ stay: validation reports them
            out[GROUP_FORWARD_MASK] = alias
    router = out.get(k.MULTICAST_ROUTER)
    if isinstance(router, int) and not isinstance(router, bool):
        out[k.MULTICAST_ROUTER] = k.MULTICAST_ROUTER_WORDS.get(router, router)
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bridge(section: Any) -> Any:
    opts = section.get(k.OPTIONS) if isinstance(section, dict) else None
    if not isinstance(opts, dict):
        return section
    if not any(key in opts for key in (*RUNTIME_BRIDGE_TIMERS, GROUP_FWD_MASK)) and not (
        _is_number(opts.get(k.MULTICAST_ROUTER))
    ):
        return section
    return {**section, k.OPTIONS: _bridge_options(opts)}


def comparable_iface(iface: Any) -> Any:
    """One interface in the compared form (the same object when nothing is dropped)."""
    if not isinstance(iface, dict):
        return iface
    ipv6, bridge = _ipv6(iface.get(k.IPV6)), _bridge(iface.get(k.BRIDGE))
    if ipv6 is iface.get(k.IPV6) and bridge is iface.get(k.BRIDGE):
        return iface
    out = dict(iface)
    if ipv6 is not None:
        out[k.IPV6] = ipv6
    if bridge is not None:
        out[k.BRIDGE] = bridge
    return out


def comparable(state: dict[str, Any]) -> dict[str, Any]:
    """``state`` without link-local addresses and bridge timers, the bridge mask under one
    name. Interfaces that need no change are shared with the input, not copied."""
    ifaces = state.get(k.INTERFACES)
    if not isinstance(ifaces, list):
        return state
    out = [comparable_iface(i) for i in ifaces]
    if all(a is b for a, b in zip(out, ifaces, strict=True)):
        return state
    return {**state, k.INTERFACES: out}
