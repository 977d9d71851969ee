"""The schema file itself: nmstate's key names, enums, limits, descriptions, secrets.

Deleting a key, an enum value or a description from the schema makes a test
here fail; the example states that exercise the schema are in
``test_examples.py``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import pytest

from engine.schema_files import load_schema
from engine.validate import description_at
from tests.engine_tests.test_examples import INTERFACE_TYPES

# --------------------------------------------------------------------------- the schema


def _walk(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema with its JSON pointer."""
    if not isinstance(node, dict):
        return
    yield where, node
    for key in ("properties", "$defs"):
        for name, sub in node.get(key, {}).items():
            yield from _walk(sub, f"{where}/{key}/{name}")
    for key in ("items", "additionalProperties", "if", "then", "else", "not", "propertyNames"):
        yield from _walk(node.get(key), f"{where}/{key}")
    for key in ("allOf", "anyOf", "oneOf"):
        for i, sub in enumerate(node.get(key, [])):
            yield from _walk(sub, f"{where}/{key}/{i}")


# nmstate's own key names, per definition; a key deleted from the schema fails here.
REQUIRED_KEYS: dict[str, set[str]] = {
    "#": {
        "description", "hostname", "dns-resolver", "routes", "route-rules", "interfaces", "ovs-db",
    },
    "interface-base": {
        "name", "type", "state", "description", "profile-name", "mac-address",
        "accept-all-mac-addresses", "controller", "copy-mac-from", "ipv4", "ipv6", "ethtool",
        "lldp", "802.1x",
    },
    "ipv4": {
        "enabled", "dhcp", "address", "auto-dns", "auto-gateway", "auto-routes",
        "auto-route-table-id", "auto-route-metric", "dhcp-client-id", "dhcp-send-hostname",
        "dhcp-custom-hostname", "allow-extra-address",
    },
    "ipv6": {
        "enabled", "dhcp", "autoconf", "address", "auto-dns", "auto-gateway", "auto-routes",
        "auto-route-table-id", "auto-route-metric", "dhcp-duid", "addr-gen-mode", "token",
        "dhcp-send-hostname", "dhcp-custom-hostname", "allow-extra-address",
    },
    "ipv4-address": {"ip", "prefix-length"},
    "ipv6-address": {"ip", "prefix-length"},
    "ethtool": {"pause", "feature", "coalesce", "ring"},
    "lldp": {"enabled"},
    "ieee-802-1x": {
        "identity", "eap-methods", "private-key", "private-key-password", "client-cert",
        "ca-cert", "password",
    },
    "linux-bridge-config": {"options", "port"},
    "linux-bridge-options": {
        "stp", "mac-ageing-time", "multicast-snooping", "group-forward-mask", "hash-max",
        "vlan-protocol",
    },
    "linux-bridge-stp": {"enabled", "forward-delay", "hello-time", "max-age", "priority"},
    "linux-bridge-port": {"name", "stp-priority", "stp-path-cost", "stp-hairpin-mode", "vlan"},
    "bridge-port-vlan": {"mode", "tag", "enable-native", "trunk-tags"},
    "bridge-trunk-tag": {"id", "id-range"},
    "bond-config": {"mode", "port", "options"},
    "bond-options": {
        "miimon", "updelay", "downdelay", "primary", "lacp_rate", "xmit_hash_policy",
        "ad_select", "arp_interval", "arp_ip_target",
    },
    "vlan-config": {"base-iface", "id", "protocol"},
    "vxlan-config": {"id", "base-iface", "local", "remote", "destination-port", "learning"},
    "mac-vlan-config": {"base-iface", "mode", "promiscuous"},
    "mac-vtap-config": {"base-iface", "mode", "promiscuous"},
    "ipvlan-config": {"base-iface", "mode", "private", "vepa"},
    "veth-config": {"peer"},
    "vrf-config": {"port", "route-table-id"},
    "infiniband-config": {"mode", "pkey", "base-iface"},
    "ovs-bridge-config": {"options", "port"},
    "ovs-bridge-port": {"name"},
    "route": {
        "destination", "next-hop-interface", "next-hop-address", "metric", "table-id",
        "weight", "route-type", "state",
    },
    "route-rule": {
        "family", "ip-from", "ip-to", "priority", "route-table", "fwmark", "fwmask", "action",
        "iif", "state",
    },
    "dns-client": {"server", "search", "options"},
    "hsr-config": {"port1", "port2", "supervision-address", "multicast-spec", "protocol"},
    "macsec-config": {
        "encrypt", "base-iface", "mka-cak", "mka-ckn", "port", "validation", "send-sci", "offload",
    },
    "libreswan-config": {
        "right", "rightid", "rightrsasigkey", "rightcert", "left", "leftid", "leftrsasigkey",
        "leftcert", "ikev2", "psk", "ikelifetime", "salifetime", "ike", "esp", "dpddelay",
        "dpdtimeout", "dpdaction", "ipsec-interface", "authby", "rightsubnet", "leftsubnet",
        "leftmodecfgclient", "type", "hostaddrfamily", "clientaddrfamily",
        "require-id-on-certificate",
    },
}  # fmt: skip

TYPE_SECTIONS = {
    "ethernet": "ethernet", "veth": "veth", "linux-bridge": "bridge", "bond": "link-aggregation",
    "vlan": "vlan", "vxlan": "vxlan", "mac-vlan": "mac-vlan", "mac-vtap": "mac-vtap",
    "ipvlan": "ipvlan", "vrf": "vrf", "infiniband": "infiniband", "ovs-bridge": "bridge",
    "ovs-interface": "patch", "hsr": "hsr", "macsec": "macsec", "ipsec": "libreswan",
}  # fmt: skip

ENUMS: dict[str, set[Any]] = {
    "interface-base/properties/state": {"up", "down", "absent", "ignore"},
    "bond-config/properties/mode": {
        "balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb",
        "balance-alb",
    },
    "vlan-config/properties/protocol": {"802.1q", "802.1ad"},
    "bridge-port-vlan/properties/mode": {"trunk", "access"},
    "mac-vlan-config/properties/mode": {"vepa", "bridge", "private", "passthru", "source"},
    "ipvlan-config/properties/mode": {"l2", "l3", "l3s"},
    "ipv6/properties/addr-gen-mode": {"eui64", "stable-privacy"},
    "route/properties/route-type": {"blackhole", "prohibit", "unreachable"},
    "route-rule/properties/action": {"blackhole", "unreachable", "prohibit"},
    "route-rule/properties/family": {"ipv4", "ipv6"},
}  # fmt: skip


def _missing_keys(schema: dict[str, Any]) -> list[str]:
    """Every required key name, enum value or type branch the schema lacks."""
    defs = schema["$defs"]
    missing: list[str] = []
    for where, keys in REQUIRED_KEYS.items():
        node = schema if where == "#" else defs.get(where, {})
        missing += [f"{where}.{key}" for key in sorted(keys - set(node.get("properties", {})))]
    types = set(
        defs.get("interface-base", {}).get("properties", {}).get("type", {}).get("enum", [])
    )
    missing += [f"type enum: {t}" for t in sorted(INTERFACE_TYPES - types)]
    branches = {
        sub.get("if", {}).get("properties", {}).get("type", {}).get("const")
        for sub in defs.get("interface", {}).get("allOf", [])
    }
    for iface_type in sorted(INTERFACE_TYPES):
        if f"{iface_type}-interface" not in defs or iface_type not in branches:
            missing.append(f"definition of type {iface_type}")
    for iface_type, section in TYPE_SECTIONS.items():
        if section not in defs.get(f"{iface_type}-interface", {}).get("properties", {}):
            missing.append(f"{iface_type}.{section}")
    for where, values in ENUMS.items():
        def_name, _, rest = where.partition("/")
        node = defs.get(def_name, {})
        for token in rest.split("/"):
            node = node.get(token, {})
        missing += [f"{where}: {v}" for v in sorted(map(str, values - set(node.get("enum", []))))]
    return missing


def test_schema_has_nmstate_key_names() -> None:
    assert _missing_keys(load_schema()) == []


@pytest.mark.parametrize(
    ("where", "key"),
    [
        ("linux-bridge-port", "stp-priority"),
        ("bond-options", "lacp_rate"),
        ("#", "route-rules"),
        ("route", "next-hop-interface"),
    ],
)
def test_removing_a_key_is_noticed(where: str, key: str) -> None:
    schema = copy.deepcopy(load_schema())
    node = schema if where == "#" else schema["$defs"][where]
    del node["properties"][key]
    assert f"{where}.{key}" in _missing_keys(schema)


def test_removing_an_interface_type_is_noticed() -> None:
    schema = copy.deepcopy(load_schema())
    schema["$defs"]["interface-base"]["properties"]["type"]["enum"].remove("vxlan")
    assert "type enum: vxlan" in _missing_keys(schema)


def test_type_enum_is_exactly_the_supported_types() -> None:
    enum = load_schema()["$defs"]["interface-base"]["properties"]["type"]["enum"]
    assert set(enum) == INTERFACE_TYPES


def test_sriov_and_ovs_db_keys() -> None:
    schema = load_schema()
    sriov = schema["$defs"]["ethernet-config"]["properties"]["sr-iov"]["properties"]
    assert sriov["drivers-autoprobe"]["type"] == "boolean"
    ovs_db = schema["properties"]["ovs-db"]["properties"]
    assert set(ovs_db) == {"external_ids", "other_config"}


def test_limits() -> None:
    defs = load_schema()["$defs"]
    assert (defs["vlan-id"]["minimum"], defs["vlan-id"]["maximum"]) == (0, 4094)
    assert defs["vxlan-config"]["properties"]["id"]["maximum"] == 16777215
    assert (defs["mtu"]["minimum"], defs["mtu"]["maximum"]) == (0, 65535)
    assert defs["ipv4-address"]["properties"]["prefix-length"]["maximum"] == 32
    assert defs["ipv6-address"]["properties"]["prefix-length"]["maximum"] == 128
    name = defs["interface-name"]
    assert name["maxLength"] == 15
    assert re.search(name["pattern"], "eth0")
    for bad in ("eth/0", "my nic", ".", "..", "a:b"):
        assert not re.search(name["pattern"], bad), bad


def test_secrets_are_marked() -> None:
    secret = {
        where.rsplit("/", 1)[-1]
        for where, node in _walk(load_schema())
        if node.get("x-secret") is True
    }
    assert {"password", "private-key-password", "mka-cak", "psk"} <= secret


def test_unknown_keys_are_rejected_everywhere() -> None:
    composed = {"#/$defs/interface-base", "#/$defs/interface"}
    for where, node in _walk(load_schema()):
        if "properties" in node and where not in composed and "/if" not in where:
            closed = node.get("additionalProperties") is False
            closed = closed or node.get("unevaluatedProperties") is False
            assert closed, f"{where} accepts unknown keys"


def test_every_property_has_a_description() -> None:
    for where, node in _walk(load_schema()):
        if "/if" in where:
            continue  # the type switch's conditions are not fields
        for name, sub in node.get("properties", {}).items():
            text = sub.get("description") if isinstance(sub, dict) else None
            assert isinstance(text, str) and len(text) > 10, f"{where}/properties/{name}"


def test_every_definition_has_a_title() -> None:
    for name, node in load_schema()["$defs"].items():
        assert isinstance(node.get("title"), str) and node["title"], name


@pytest.mark.parametrize(
    ("path", "iface_type", "word"),
    [
        ("interfaces[br0].bridge.options.stp.enabled", "linux-bridge", "STP"),
        ("interfaces[br0].bridge.options.stp.forward-delay", None, "Seconds"),
        ("interfaces[br0].bridge.port[eth1].stp-priority", "linux-bridge", "priority"),
        ("interfaces[br0].bridge.options", "ovs-bridge", "Open vSwitch"),
        ("interfaces[eth1].ipv4.address[0].prefix-length", None, "prefix"),
        ("interfaces[eth1].ipv6.addr-gen-mode", "ethernet", "stable-privacy"),
        ("interfaces[eth1].mtu", "ethernet", "transmission unit"),
        ("interfaces[bond0].link-aggregation.options.miimon", "bond", "MII"),
        ("interfaces[eth1].ethtool.feature.rx-gro", None, "true"),
        ("interfaces[eth1].802.1x.password", None, "Secret"),
        ("routes.config[0].next-hop-interface", None, "Interface"),
        ("route-rules.config[0].priority", None, "lower"),
        ("dns-resolver.config.server", None, "Name server"),
        ("interfaces", None, "interfaces"),
    ],
)
def test_description_at(path: str, iface_type: str | None, word: str) -> None:
    text = description_at(path, iface_type)
    assert text is not None and word in text, text


def test_description_at_unknown_path() -> None:
    assert description_at("interfaces[eth1].no-such-key") is None
    assert description_at("interfaces[eth1].vlan.id", "ethernet") is None
