"""A Linux bridge and its ports as the kernel reports them (IFLA_INFO_DATA of kind bridge).

Every option nmstate 2 shows of a bridge, under nmstate's names and in its
units: seconds where NetworkManager and nmstate take seconds (the STP times,
``mac-ageing-time``: the kernel gives 1/100 s), the kernel's 1/100 s for the
multicast intervals and the two timers, as NetworkManager's ``bridge.multicast-*``
properties take them too. ``gc-timer`` and ``hello-timer`` count down to the
next forwarding-table clean-up and STP hello: shown, never applied or
compared (:mod:`engine.comparable`). ``group-forward-mask`` is shown under
both its names, as nmstate shows it. An option the kernel does not send
(``vlan-protocol`` and ``vlan-default-pvid`` without
CONFIG_BRIDGE_VLAN_FILTERING) is left out.

:data:`BRIDGE_ATTRS` and :data:`BRPORT_ATTRS` are what the link read decodes
of a bridge's and a port's data (:mod:`engine.backend.netlink_raw`): the
attributes read here, no others, since decoding all ~45 of each of a thousand
bridges was what made the read slow.
"""

from __future__ import annotations

from typing import Any

from engine import keys as k
from engine.backend.netlink_raw import Table, be16, mac, u8, u16, u32, u64
from engine.bridge_vlans import ranges_from_kernel, section_from_ranges

CENTISECONDS = 100
#: IFLA_BR_MCAST_ROUTER (the kernel's MDB_RTR_TYPE_*) -> the schema's word.
MCAST_ROUTER_WORDS = {0: "disabled", 1: "auto", 2: "enabled"}
#: IFLA_BR_VLAN_PROTOCOL (an ethertype) -> the schema's word.
VLAN_PROTOCOL_WORDS = {0x8100: "802.1q", 0x88A8: "802.1ad"}

#: schema option -> IFLA_BR_* attribute taken as the kernel gives it (an integer).
_PLAIN = {
    "gc-timer": "IFLA_BR_GC_TIMER",
    "hello-timer": "IFLA_BR_HELLO_TIMER",
    "group-forward-mask": "IFLA_BR_GROUP_FWD_MASK",
    "group-fwd-mask": "IFLA_BR_GROUP_FWD_MASK",
    "hash-max": "IFLA_BR_MCAST_HASH_MAX",
    "multicast-last-member-count": "IFLA_BR_MCAST_LAST_MEMBER_CNT",
    "multicast-last-member-interval": "IFLA_BR_MCAST_LAST_MEMBER_INTVL",
    "multicast-membership-interval": "IFLA_BR_MCAST_MEMBERSHIP_INTVL",
    "multicast-querier-interval": "IFLA_BR_MCAST_QUERIER_INTVL",
    "multicast-query-interval": "IFLA_BR_MCAST_QUERY_INTVL",
    "multicast-query-response-interval": "IFLA_BR_MCAST_QUERY_RESPONSE_INTVL",
    "multicast-startup-query-count": "IFLA_BR_MCAST_STARTUP_QUERY_CNT",
    "multicast-startup-query-interval": "IFLA_BR_MCAST_STARTUP_QUERY_INTVL",
    "vlan-default-pvid": "IFLA_BR_VLAN_DEFAULT_PVID",
}
#: schema option -> IFLA_BR_* attribute that is a flag (0/1).
_FLAGS = {
    "multicast-querier": "IFLA_BR_MCAST_QUERIER",
    "multicast-query-use-ifaddr": "IFLA_BR_MCAST_QUERY_USE_IFADDR",
    "multicast-snooping": "IFLA_BR_MCAST_SNOOPING",
}

#: IFLA_INFO_DATA of kind bridge: kernel attribute type -> (pyroute2's name, decoder).
BRIDGE_ATTRS: Table = {
    1: ("IFLA_BR_FORWARD_DELAY", u32),
    2: ("IFLA_BR_HELLO_TIME", u32),
    3: ("IFLA_BR_MAX_AGE", u32),
    4: ("IFLA_BR_AGEING_TIME", u32),
    5: ("IFLA_BR_STP_STATE", u32),
    6: ("IFLA_BR_PRIORITY", u16),
    7: ("IFLA_BR_VLAN_FILTERING", u8),
    8: ("IFLA_BR_VLAN_PROTOCOL", be16),
    9: ("IFLA_BR_GROUP_FWD_MASK", u16),
    16: ("IFLA_BR_HELLO_TIMER", u64),
    19: ("IFLA_BR_GC_TIMER", u64),
    20: ("IFLA_BR_GROUP_ADDR", mac),
    22: ("IFLA_BR_MCAST_ROUTER", u8),
    23: ("IFLA_BR_MCAST_SNOOPING", u8),
    24: ("IFLA_BR_MCAST_QUERY_USE_IFADDR", u8),
    25: ("IFLA_BR_MCAST_QUERIER", u8),
    27: ("IFLA_BR_MCAST_HASH_MAX", u32),
    28: ("IFLA_BR_MCAST_LAST_MEMBER_CNT", u32),
    29: ("IFLA_BR_MCAST_STARTUP_QUERY_CNT", u32),
    30: ("IFLA_BR_MCAST_LAST_MEMBER_INTVL", u64),
    31: ("IFLA_BR_MCAST_MEMBERSHIP_INTVL", u64),
    32: ("IFLA_BR_MCAST_QUERIER_INTVL", u64),
    33: ("IFLA_BR_MCAST_QUERY_INTVL", u64),
    34: ("IFLA_BR_MCAST_QUERY_RESPONSE_INTVL", u64),
    35: ("IFLA_BR_MCAST_STARTUP_QUERY_INTVL", u64),
    39: ("IFLA_BR_VLAN_DEFAULT_PVID", u16),
}
#: IFLA_INFO_SLAVE_DATA of a bridge port (slave kind bridge).
BRPORT_ATTRS: Table = {
    2: ("IFLA_BRPORT_PRIORITY", u16),
    3: ("IFLA_BRPORT_COST", u32),
    4: ("IFLA_BRPORT_MODE", u8),
}


def _seconds(value: Any) -> int:
    return int(value or 0) // CENTISECONDS


def bridge_options(data: Any) -> dict[str, Any]:
    """The schema's ``bridge.options`` from a bridge's IFLA_INFO_DATA (anything with ``get``)."""
    get = data.get
    opts: dict[str, Any] = {
        "stp": {
            k.ENABLED: bool(get("IFLA_BR_STP_STATE")),
            "forward-delay": _seconds(get("IFLA_BR_FORWARD_DELAY")),
            "hello-time": _seconds(get("IFLA_BR_HELLO_TIME")),
            "max-age": _seconds(get("IFLA_BR_MAX_AGE")),
            k.PRIORITY: get("IFLA_BR_PRIORITY"),
        },
        "mac-ageing-time": _seconds(get("IFLA_BR_AGEING_TIME")),
    }
    for key, attr in _PLAIN.items():
        value = get(attr)
        if value is not None:
            opts[key] = int(value)
    for key, attr in _FLAGS.items():
        value = get(attr)
        if value is not None:
            opts[key] = bool(value)
    if get("IFLA_BR_GROUP_ADDR"):
        opts["group-addr"] = str(get("IFLA_BR_GROUP_ADDR")).upper()
    router = get("IFLA_BR_MCAST_ROUTER")
    if router in MCAST_ROUTER_WORDS:
        opts["multicast-router"] = MCAST_ROUTER_WORDS[router]
    protocol = get("IFLA_BR_VLAN_PROTOCOL")
    if protocol in VLAN_PROTOCOL_WORDS:
        opts["vlan-protocol"] = VLAN_PROTOCOL_WORDS[protocol]
    return opts


def bridge_port(link: dict[str, Any], vlans: list[tuple[int, int]] | None) -> dict[str, Any]:
    """A bridge's ``port`` entry for one port link (``vlans``: its kernel VLAN entries)."""
    data = link.get("slave_data")
    port: dict[str, Any] = {k.NAME: link.get("ifname")}
    if data is not None:
        port["stp-priority"] = data.get("IFLA_BRPORT_PRIORITY")
        port["stp-path-cost"] = data.get("IFLA_BRPORT_COST")
        port["stp-hairpin-mode"] = bool(data.get("IFLA_BRPORT_MODE"))
    if vlans is not None:
        ranges = ranges_from_kernel(vlans)
        if ranges:
            port[k.VLAN] = section_from_ranges(ranges)
    return port
