"""``gen_conf``: NetworkManager keyfiles from a state, like ``nmstatectl gc``."""

from __future__ import annotations

import configparser
import copy
from typing import Any

import pytest

from engine.backend.nm_settings import profile_uuid
from engine.genconf import gen_conf, keyfile_name, keyfile_text
from tests.backend_tests.nm_settings_helpers import ALL_TYPES, iface


def parsed(state: dict[str, Any] = ALL_TYPES) -> dict[str, configparser.ConfigParser]:
    """File name → parsed keyfile (strict: duplicate sections or keys fail)."""
    out = {}
    for name, text in gen_conf(state):
        parser = configparser.ConfigParser(interpolation=None, strict=True)
        parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys keep case
        parser.read_string(text, source=name)
        out[name] = parser
    return out


def section(file: str, name: str, state: dict[str, Any] = ALL_TYPES) -> dict[str, str]:
    return dict(parsed(state)[file][name])


def test_one_file_per_interface_not_absent_or_ignored() -> None:
    names = [name for name, _text in gen_conf(ALL_TYPES)]
    live = [i for i in ALL_TYPES["interfaces"] if i["state"] not in ("absent", "ignore")]
    assert len(names) == len(live)
    assert "gone0.nmconnection" not in names and "eth7.nmconnection" not in names
    assert "wired 9.nmconnection" in names  # profile-name names the file


def test_output_is_deterministic() -> None:
    assert gen_conf(ALL_TYPES) == gen_conf(copy.deepcopy(ALL_TYPES))


def test_connection_section() -> None:
    con = section("d0.nmconnection", "connection")
    assert con == {
        "id": "d0",
        "uuid": profile_uuid("d0", "dummy"),
        "type": "dummy",
        "interface-name": "d0",
        "autoconnect": "true",
        "lldp": "1",
    }
    assert parsed()["d0.nmconnection"].sections()[0] == "connection"
    assert section("wired 9.nmconnection", "connection")["autoconnect"] == "false"


def test_ethernet_uses_keyfile_aliases() -> None:
    keyfile = parsed()["eth1.nmconnection"]
    assert keyfile["connection"]["type"] == "ethernet"
    assert dict(keyfile["ethernet"]) == {"mtu": "9000", "cloned-mac-address": "02:00:00:00:00:02"}
    assert not keyfile.has_section("802-3-ethernet")


PER_TYPE: dict[str, dict[str, dict[str, str]]] = {
    "d0.nmconnection": {"dummy": {}, "ethernet": {"mtu": "1400"}},
    "br0.nmconnection": {
        "connection": {"type": "bridge", "autoconnect-slaves": "1"},
        "bridge": {
            "stp": "false",
            "priority": "4096",
            "forward-delay": "10",
            "hello-time": "3",
            "max-age": "25",
            "ageing-time": "100",
            "multicast-snooping": "false",
            "vlan-protocol": "802.1ad",
            "vlan-filtering": "true",
        },
    },
    "d1.nmconnection": {
        "connection": {"master": "br0", "slave-type": "bridge"},
        "bridge-port": {
            "priority": "40",
            "path-cost": "150",
            "hairpin-mode": "true",
            "vlans": "20,30-40,10 pvid untagged",
        },
    },
    "d2.nmconnection": {"bridge-port": {"vlans": "50 pvid untagged"}},
    "bond0.nmconnection": {"bond": {"mode": "active-backup", "miimon": "100"}},
    "d3.nmconnection": {"connection": {"master": "bond0", "slave-type": "bond"}},
    "v10.nmconnection": {"vlan": {"parent": "d0", "id": "10", "protocol": "802.1ad"}},
    "vx0.nmconnection": {
        "vxlan": {
            "id": "42",
            "parent": "d0",
            "local": "192.0.2.1",
            "remote": "192.0.2.2",
            "destination-port": "4789",
            "learning": "false",
        }
    },
    "mv0.nmconnection": {
        "macvlan": {"parent": "d0", "mode": "2", "tap": "false", "promiscuous": "true"}
    },
    "mt0.nmconnection": {
        "macvlan": {"parent": "d0", "mode": "4", "tap": "true", "promiscuous": "false"}
    },
    "ve0.nmconnection": {"veth": {"peer": "ve1"}, "ethernet": {"mtu": "1300"}},
    "vrf0.nmconnection": {"vrf": {"table": "500"}},
    "d4.nmconnection": {
        "connection": {"master": "vrf0", "slave-type": "vrf"},
        "ipv4": {"method": "manual", "address1": "10.0.0.1/8"},
    },
    "lo.nmconnection": {
        "loopback": {"mtu": "65536"},
        "ipv4": {"method": "manual", "address1": "127.0.0.1/8"},
        "ipv6": {"method": "auto"},
    },
    "ib0.8001.nmconnection": {
        "infiniband": {
            "parent": "ib0",
            "p-key": "32769",
            "transport-mode": "connected",
            "mtu": "2044",
        }
    },
    "iv0.nmconnection": {"ipvlan": {"parent": "d0", "mode": "2", "private": "true"}},
}


@pytest.mark.parametrize("file", sorted(PER_TYPE))
def test_type_sections(file: str) -> None:
    keyfile = parsed()[file]
    for name, expected in PER_TYPE[file].items():
        assert keyfile.has_section(name), f"{file} lacks [{name}]"
        got = dict(keyfile[name])
        assert {key: got.get(key) for key in expected} == expected, f"{file} [{name}]"


def test_ip_addresses_routes_and_dns() -> None:
    v4 = section("d0.nmconnection", "ipv4")
    assert v4 == {
        "method": "manual",
        "address1": "192.0.2.1/24",
        "route1": "198.51.100.0/24,192.0.2.254,150",
        "route1_options": "table=100",
        "route2": "203.0.113.0/24,0.0.0.0,77",
        "dns": "192.0.2.53;",
        "dns-search": "example.com;",
        "dns-options": "rotate;",
        "dns-priority": "40",  # both families have servers: the first listed (IPv4) leads
    }
    v6 = section("d0.nmconnection", "ipv6")
    assert v6["route1"] == "2001:db8:9::/64,2001:db8:1::fe" and v6["dns"] == "2001:db8::53;"
    assert v6["dns-priority"] == "50"
    assert v6["addr-gen-mode"] == "eui64"


def test_missing_addr_gen_mode_is_written_as_its_dbus_meaning() -> None:
    assert section("eth1.nmconnection", "ipv6")["addr-gen-mode"] == "default"


def test_route_extras_go_to_route_options() -> None:
    state = {
        "interfaces": [
            {
                "name": "e",
                "type": "ethernet",
                "ipv4": {"enabled": True, "address": ["192.0.2.1/24"]},
            }
        ],
        "routes": {
            "config": [
                {
                    "destination": "10.0.0.0/8",
                    "next-hop-interface": "e",
                    "route-type": "blackhole",
                    "weight": 2,
                }
            ]
        },
    }
    v4 = section("e.nmconnection", "ipv4", state)
    assert v4["route1"] == "10.0.0.0/8" and v4["route1_options"] == "weight=2,type=blackhole"


def test_secrets_and_certificates_written_as_given() -> None:
    dot1x = section("wired 9.nmconnection", "802-1x")
    assert dot1x == {
        "identity": "joe",
        "eap": "tls;",
        "ca-cert": "/etc/pki/ca.pem",
        "client-cert": "/etc/pki/c.pem",
        "private-key": "/etc/pki/k.pem",
        "private-key-password": "s3cret",
    }


def test_bridge_group_address_as_mac_text() -> None:
    state = copy.deepcopy(ALL_TYPES)
    iface(state, "br0")["bridge"]["options"]["group-addr"] = "01:80:c2:00:00:00"
    assert section("br0.nmconnection", "bridge", state)["group-address"] == "01:80:C2:00:00:00"


def test_list_values_escape_separators_and_leading_space() -> None:
    text = keyfile_text(
        {"connection": {"id": " odd"}, "ipv4": {"dns-search": ["a;b", "c"], "method": "auto"}}
    )
    assert "id=\\sodd\n" in text and "dns-search=a\\;b;c;\n" in text


def test_unknown_property_is_refused() -> None:
    with pytest.raises(KeyError, match=r"vlan\.colour"):
        keyfile_text({"vlan": {"colour": "red"}})


def test_file_name_cannot_escape_the_directory() -> None:
    assert keyfile_name("a/b") == "a_b.nmconnection"
