"""D-Bus signatures of the NetworkManager setting properties this project writes.

NetworkManager's ``AddConnection2``/``Update2`` take ``a{sa{sv}}``: every
property value is a variant, and the variant's type must be exactly the one
NM declares (a ``u`` where NM wants ``i`` is rejected, or worse, silently
dropped). dbus-fast cannot guess the type from a Python ``int``, so this
module spells out each property's signature once, taken from
``man 5 nm-settings-dbus`` of NetworkManager 1.42.

Properties whose value is an array of dictionaries (``address-data``,
``route-data``, bridge ``vlans``) carry a nested ``a{sv}`` per item, whose
keys need their own signatures: those live in :data:`ITEM_SIGNATURES`.

A property missing from the tables raises ``KeyError`` naming it, rather
than being sent with a guessed type: a wrong guess would turn into an
obscure NM error at apply time.

The schema ↔ NM name and enum tables (``NM_TYPE``, ``MACVLAN_MODES``...)
are in :mod:`engine.backend.nm_names`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dbus_fast import Variant

from engine.backend.nm_types_extra import EXTRA_ITEM_SIGNATURES, EXTRA_SIGNATURES
from engine.ethtool_names import SECTIONS as ETHTOOL_SIGNATURES

#: ``(setting, property) -> D-Bus signature`` for every property the translation emits.
SIGNATURES: dict[tuple[str, str], str] = {
    # connection
    ("connection", "id"): "s",
    ("connection", "uuid"): "s",
    ("connection", "type"): "s",
    ("connection", "interface-name"): "s",
    ("connection", "autoconnect"): "b",
    ("connection", "autoconnect-priority"): "i",
    ("connection", "autoconnect-slaves"): "i",
    ("connection", "master"): "s",
    ("connection", "slave-type"): "s",
    ("connection", "lldp"): "i",
    ("connection", "zone"): "s",
    ("connection", "stable-id"): "s",
    # 802-3-ethernet (also carries mtu and the cloned MAC of most software types)
    ("802-3-ethernet", "mtu"): "u",
    ("802-3-ethernet", "accept-all-mac-addresses"): "i",
    ("802-3-ethernet", "assigned-mac-address"): "s",
    ("802-3-ethernet", "cloned-mac-address"): "ay",
    ("802-3-ethernet", "mac-address"): "ay",
    ("802-3-ethernet", "auto-negotiate"): "b",
    ("802-3-ethernet", "speed"): "u",
    ("802-3-ethernet", "duplex"): "s",
    # loopback, infiniband
    ("loopback", "mtu"): "u",
    ("infiniband", "mtu"): "u",
    ("infiniband", "transport-mode"): "s",
    ("infiniband", "p-key"): "i",
    ("infiniband", "parent"): "s",
    # bridge
    ("bridge", "stp"): "b",
    ("bridge", "priority"): "u",
    ("bridge", "forward-delay"): "u",
    ("bridge", "hello-time"): "u",
    ("bridge", "max-age"): "u",
    ("bridge", "ageing-time"): "u",
    ("bridge", "group-address"): "ay",
    ("bridge", "group-forward-mask"): "u",
    ("bridge", "mac-address"): "ay",
    ("bridge", "multicast-hash-max"): "u",
    ("bridge", "multicast-last-member-count"): "u",
    ("bridge", "multicast-last-member-interval"): "t",
    ("bridge", "multicast-membership-interval"): "t",
    ("bridge", "multicast-querier"): "b",
    ("bridge", "multicast-querier-interval"): "t",
    ("bridge", "multicast-query-interval"): "t",
    ("bridge", "multicast-query-response-interval"): "t",
    ("bridge", "multicast-query-use-ifaddr"): "b",
    ("bridge", "multicast-router"): "s",
    ("bridge", "multicast-snooping"): "b",
    ("bridge", "multicast-startup-query-count"): "u",
    ("bridge", "multicast-startup-query-interval"): "t",
    ("bridge", "vlan-default-pvid"): "u",
    ("bridge", "vlan-filtering"): "b",
    ("bridge", "vlan-protocol"): "s",
    ("bridge", "vlan-stats-enabled"): "b",
    ("bridge", "vlans"): "aa{sv}",
    # bridge-port
    ("bridge-port", "priority"): "u",
    ("bridge-port", "path-cost"): "u",
    ("bridge-port", "hairpin-mode"): "b",
    ("bridge-port", "vlans"): "aa{sv}",
    # bond
    ("bond", "options"): "a{ss}",
    ("user", "data"): "a{ss}",
    # vlan
    ("vlan", "parent"): "s",
    ("vlan", "id"): "u",
    ("vlan", "flags"): "u",
    ("vlan", "protocol"): "s",
    # vxlan
    ("vxlan", "id"): "u",
    ("vxlan", "parent"): "s",
    ("vxlan", "local"): "s",
    ("vxlan", "remote"): "s",
    ("vxlan", "destination-port"): "u",
    ("vxlan", "learning"): "b",
    ("vxlan", "ageing"): "u",
    ("vxlan", "ttl"): "u",
    ("vxlan", "tos"): "u",
    # macvlan (also macvtap, with tap=true)
    ("macvlan", "parent"): "s",
    ("macvlan", "mode"): "u",
    ("macvlan", "promiscuous"): "b",
    ("macvlan", "tap"): "b",
    # ipvlan: not in NetworkManager 1.42 (added in 1.52); kept so newer NMs can be fed.
    ("ipvlan", "parent"): "s",
    ("ipvlan", "mode"): "u",
    ("ipvlan", "private"): "b",
    ("ipvlan", "vepa"): "b",
    # veth, vrf
    ("veth", "peer"): "s",
    ("vrf", "table"): "u",
    # 802-1x (the subset nmstate's schema has)
    ("802-1x", "identity"): "s",
    ("802-1x", "eap"): "as",
    ("802-1x", "ca-cert"): "ay",
    ("802-1x", "client-cert"): "ay",
    ("802-1x", "private-key"): "ay",
    ("802-1x", "private-key-password"): "s",
    ("802-1x", "password"): "s",
    ("802-1x", "phase2-auth"): "s",
}

# ipv4 and ipv6 share most properties and their types.
for _family in ("ipv4", "ipv6"):
    SIGNATURES.update(
        {
            (_family, "method"): "s",
            (_family, "address-data"): "aa{sv}",
            (_family, "gateway"): "s",
            (_family, "route-data"): "aa{sv}",
            (_family, "routing-rules"): "aa{sv}",
            (_family, "dns-data"): "as",
            (_family, "dns-search"): "as",
            (_family, "dns-options"): "as",
            (_family, "dns-priority"): "i",
            (_family, "ignore-auto-dns"): "b",
            (_family, "ignore-auto-routes"): "b",
            (_family, "never-default"): "b",
            (_family, "route-table"): "u",
            (_family, "route-metric"): "x",
            (_family, "may-fail"): "b",
            (_family, "dhcp-timeout"): "i",
            (_family, "ra-timeout"): "i",
            (_family, "dhcp-send-hostname"): "b",
            (_family, "dhcp-hostname"): "s",
        }
    )
SIGNATURES.update(
    {
        ("ipv4", "dns"): "au",  # legacy: network byte order integers; prefer dns-data
        ("ipv4", "dhcp-client-id"): "s",
        ("ipv6", "dns"): "aay",  # legacy: 16-byte arrays; prefer dns-data
        ("ipv6", "addr-gen-mode"): "i",
        ("ipv6", "dhcp-duid"): "s",
        ("ipv6", "token"): "s",
        ("ipv6", "ip6-privacy"): "i",
    }
)

_ADDRESS_ITEM = {"address": "s", "prefix": "u"}
_ROUTE_ITEM = {
    "dest": "s",
    "prefix": "u",
    "next-hop": "s",
    "metric": "u",
    "table": "u",
    "type": "s",
    "weight": "u",
    "src": "s",
    "onlink": "b",
    "mtu": "u",
    "lock-mtu": "b",
    "cwnd": "u",
    "lock-cwnd": "b",
    "initcwnd": "u",
    "initrwnd": "u",
    "quickack": "b",
    "advmss": "u",
}
#: The routing-rules item keys (nm-settings-dbus(5)); see engine.backend.nm_route_rules.
_RULE_ITEM = {
    "family": "i",
    "priority": "u",
    "from": "s",
    "from-len": "y",
    "to": "s",
    "to-len": "y",
    "table": "u",
    "fwmark": "u",
    "fwmask": "u",
    "iifname": "s",
    "action": "y",
    "suppress-prefixlength": "i",
}
_BRIDGE_VLAN_ITEM = {"vid-start": "q", "vid-end": "q", "pvid": "b", "untagged": "b"}

#: Per-key signatures of the dictionaries inside ``aa{sv}`` properties.
ITEM_SIGNATURES: dict[tuple[str, str], dict[str, str]] = {
    ("ipv4", "address-data"): _ADDRESS_ITEM,
    ("ipv6", "address-data"): _ADDRESS_ITEM,
    ("ipv4", "route-data"): _ROUTE_ITEM,
    ("ipv6", "route-data"): _ROUTE_ITEM,
    ("ipv4", "routing-rules"): _RULE_ITEM,
    ("ipv6", "routing-rules"): _RULE_ITEM,
    ("bridge", "vlans"): _BRIDGE_VLAN_ITEM,
    ("bridge-port", "vlans"): _BRIDGE_VLAN_ITEM,
}

SIGNATURES.update(EXTRA_SIGNATURES)
ITEM_SIGNATURES.update(EXTRA_ITEM_SIGNATURES)


def signature(setting: str, prop: str) -> str:
    """The D-Bus signature of ``setting.prop``; ``KeyError`` naming it when unknown.

    ``ethtool`` properties are an open family (one per feature the kernel
    knows): their signature follows from their prefix (``feature-``: b ...).
    """
    if setting == "ethtool":
        for prefix, sig in ETHTOOL_SIGNATURES.values():
            if prop.startswith(prefix):
                return sig
    try:
        return SIGNATURES[(setting, prop)]
    except KeyError:
        raise KeyError(
            f"no D-Bus signature known for NetworkManager property {setting}.{prop}; "
            "add it to engine.backend.nm_types.SIGNATURES (see man 5 nm-settings-dbus)"
        ) from None


def _variant(sig: str, value: Any, where: str) -> Variant:
    """``Variant(sig, value)``, with the property named when the value does not fit."""
    try:
        return Variant(sig, value)
    except Exception as exc:  # dbus-fast raises several types for a mismatch
        raise TypeError(f"{where}: value {value!r} does not fit D-Bus type {sig!r}") from exc


def _item(setting: str, prop: str, item: Mapping[str, Any]) -> dict[str, Variant]:
    """One ``a{sv}`` element of an ``aa{sv}`` property, each key typed from ITEM_SIGNATURES."""
    table = ITEM_SIGNATURES.get((setting, prop))
    if table is None:
        raise KeyError(f"no item signatures known for {setting}.{prop} (an aa{{sv}} property)")
    out: dict[str, Variant] = {}
    for key, value in item.items():
        if key not in table:
            raise KeyError(
                f"no D-Bus signature known for key {key!r} inside {setting}.{prop}; "
                "add it to engine.backend.nm_types.ITEM_SIGNATURES"
            )
        if table[key] == "aa{sv}":  # a list of dicts inside the item (sriov.vfs[].vlans)
            nested = [_item(setting, f"{prop}.{key}", sub) for sub in value]
            out[key] = Variant("aa{sv}", nested)
            continue
        out[key] = _variant(table[key], value, f"{setting}.{prop}[].{key}")
    return out


def to_dbus(settings: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Variant]]:
    """Wrap plain settings (``{setting: {property: value}}``) in typed Variants for NM.

    ``None`` values are left out (NM's default applies). An empty setting
    section is kept: an empty ``dummy`` or ``vrf`` section still tells NM the
    setting is present.
    """
    out: dict[str, dict[str, Variant]] = {}
    for setting, props in settings.items():
        section: dict[str, Variant] = {}
        for prop, value in props.items():
            if value is None:
                continue
            sig = signature(setting, prop)
            if sig == "aa{sv}":
                items = [_item(setting, prop, item) for item in value]
                section[prop] = Variant("aa{sv}", items)
            else:
                section[prop] = _variant(sig, value, f"{setting}.{prop}")
        out[setting] = section
    return out


def unwrap(value: Any) -> Any:
    """``value`` with every Variant replaced by its content, recursively."""
    if isinstance(value, Variant):
        return unwrap(value.value)
    if isinstance(value, dict):
        return {key: unwrap(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [unwrap(item) for item in value]
    return value


def from_dbus(settings: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Plain settings from NM's ``a{sa{sv}}`` (Variants unwrapped; already plain values pass).

    Unlike :func:`to_dbus` this needs no signatures, so it keeps every
    property NM returns, including ones this project never writes
    (``permissions``, legacy ``addresses``...): readers pick what they know.
    """
    return {
        setting: {prop: unwrap(value) for prop, value in props.items()}
        for setting, props in settings.items()
    }
