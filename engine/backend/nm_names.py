"""Schema ↔ NetworkManager names and enum values, shared by both translation directions.

:mod:`engine.backend.nm_settings` (interface → profile) and
:mod:`engine.backend.nm_settings_read` (profile → interface) both read these
tables, so a type name or an enum value is spelled once. Option tables give,
per schema key, the NM property and the default NM documents (None: no
default is reported). Apart from :mod:`engine.backend.nm_types`, which holds
the D-Bus signatures: these are names and values, not wire types.
"""

from __future__ import annotations

from typing import Any

from engine import keys as k
from engine.backend.nm_types_extra import EXTRA_KERNEL_KIND, EXTRA_NM_TYPE

NM_TYPE: dict[str, str] = {
    k.ETHERNET: "802-3-ethernet",
    k.VETH: "veth",
    k.LOOPBACK: "loopback",
    k.DUMMY: "dummy",
    k.LINUX_BRIDGE: "bridge",
    k.BOND: "bond",
    k.VLAN: "vlan",
    k.VXLAN: "vxlan",
    k.MAC_VLAN: "macvlan",
    k.MAC_VTAP: "macvlan",
    k.IPVLAN: "ipvlan",
    k.VRF: "vrf",
    k.INFINIBAND: "infiniband",
}
#: NM connection.type → schema type (``macvlan`` is refined to mac-vtap by ``macvlan.tap``).
IFACE_TYPE: dict[str, str] = {nm: schema for schema, nm in NM_TYPE.items() if schema != k.MAC_VTAP}
NM_TYPE.update(EXTRA_NM_TYPE)  # not read back: a "vpn" profile need not be libreswan
IFACE_TYPE["ethernet"] = k.ETHERNET  # keyfile alias of 802-3-ethernet
#: schema type → rtnetlink ``IFLA_INFO_KIND``.
KERNEL_KIND: dict[str, str] = {
    k.LINUX_BRIDGE: "bridge",
    k.BOND: "bond",
    k.VLAN: "vlan",
    k.VXLAN: "vxlan",
    k.MAC_VLAN: "macvlan",
    k.MAC_VTAP: "macvtap",
    k.VETH: "veth",
    k.DUMMY: "dummy",
    k.VRF: "vrf",
    k.IPVLAN: "ipvlan",
}
KERNEL_KIND.update(EXTRA_KERNEL_KIND)
#: controller schema type → ``connection.slave-type`` of its ports.
PORT_TYPE: dict[str, str] = {k.LINUX_BRIDGE: "bridge", k.BOND: "bond", k.VRF: "vrf"}

# Integer enums NM declares as plain ints on D-Bus (values from libnm's headers).
MACVLAN_MODES = {"vepa": 1, "bridge": 2, "private": 3, "passthru": 4, "source": 5}
IPVLAN_MODES = {"l2": 1, "l3": 2, "l3s": 3}
ADDR_GEN_MODES = {"eui64": 0, "stable-privacy": 1, "default-or-eui64": 2, "default": 3}
#: Schema spellings whose NM spelling differs.
CLIENT_IDS = {"ll": "mac", "iaid+duid": "duid"}
VLAN_PROTOCOLS = {"802.1q": "802.1Q", "802.1ad": "802.1ad"}
MCAST_ROUTER = {0: "disabled", 1: "auto", 2: "enabled"}
VLAN_FLAG_REORDER, VLAN_FLAG_LOOSE = 1, 4

#: bridge.options keys (schema → NM) outside ``stp``; NM default, where reading back fills one.
BRIDGE_OPTS: dict[str, tuple[str, Any]] = {
    "mac-ageing-time": ("ageing-time", 300),
    "multicast-snooping": ("multicast-snooping", True),
    "vlan-protocol": ("vlan-protocol", "802.1q"),
    "group-forward-mask": ("group-forward-mask", None),
    "hash-max": ("multicast-hash-max", None),
    "vlan-default-pvid": ("vlan-default-pvid", None),
    **{
        f"multicast-{o}": (f"multicast-{o}", None)
        for o in (
            "last-member-count",
            "last-member-interval",
            "membership-interval",
            "querier",
            "querier-interval",
            "query-interval",
            "query-response-interval",
            "query-use-ifaddr",
            "router",
            "startup-query-count",
            "startup-query-interval",
        )
    },
}
STP_OPTS: dict[str, tuple[str, Any]] = {
    k.ENABLED: ("stp", True),
    "priority": ("priority", 32768),
    "forward-delay": ("forward-delay", 15),
    "hello-time": ("hello-time", 2),
    "max-age": ("max-age", 20),
}
BRIDGE_PORT_OPTS: dict[str, tuple[str, Any]] = {
    "stp-priority": ("priority", 32),
    "stp-path-cost": ("path-cost", 100),
    "stp-hairpin-mode": ("hairpin-mode", False),
}
DOT1X_PROPS: dict[str, str] = {  # schema 802.1x key → NM 802-1x property
    "identity": "identity",
    "eap-methods": "eap",
    "ca-cert": "ca-cert",
    "client-cert": "client-cert",
    "private-key": "private-key",
    "private-key-password": "private-key-password",
    "password": "password",
    "phase2-auth": "phase2-auth",
}
CERT_KEYS = frozenset({"ca-cert", "client-cert", "private-key"})
#: Where nmstate keeps an interface's ``description``: a key of the profile's ``user``
#: setting (user data NetworkManager stores and ignores; NM 1.42 has no description).
NMSTATE_DESCRIPTION = "nmstate.interface.description"
