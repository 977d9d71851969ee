"""The link read decodes what pyroute2 decodes, and shows every bridge option.

:mod:`engine.backend.netlink_links` decodes RTM_NEWLINK messages from the bytes
instead of through pyroute2 (for speed). Its tables hard-code attribute types,
names and formats: checked here against pyroute2's own maps, and each message
of a real kernel (bridge, bridge port, veth, vxlan, macvlan, macvtap) decoded
both ways must give the same values. Attributes this kernel does not send
(vlan-protocol without CONFIG_BRIDGE_VLAN_FILTERING, the vlan kind without its
module) are checked on synthetic messages, decoded both ways too.
"""

from __future__ import annotations

import errno
import struct
from collections.abc import Iterator
from typing import Any

import pytest
from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg, state_by_code, stats_names

from engine.backend import netlink_raw as raw
from engine.backend.netlink import read_kernel
from engine.backend.netlink_bridge import BRIDGE_ATTRS, BRPORT_ATTRS, bridge_options
from engine.backend.netlink_links import (
    DATA_ATTRS,
    IFLA_INFO_DATA,
    IFLA_INFO_KIND,
    IFLA_INFO_SLAVE_DATA,
    IFLA_INFO_SLAVE_KIND,
    IFLA_LINKINFO,
    LINK_ATTRS,
    MACVLAN_MODE_WORDS,
    OPERSTATES,
    SLAVE_DATA_ATTRS,
    STATS64_NAMES,
    link_messages,
    plain_link,
)
from engine.backend.netns import netlink_fd
from nmtui_state.sandbox import Sandbox
from tests.conftest import require_nm

#: Our decoders -> the pyroute2 type each stands for.
PYROUTE2_TYPES = {
    raw.u8: "uint8",
    raw.u16: "uint16",
    raw.u32: "uint32",
    raw.u64: "uint64",
    raw.s32: "int32",
    raw.be16: "be16",
    raw.mac: "l2addr",
    raw.ipv4: "ip4addr",
    raw.ipv6: "ip6addr",
    raw.text: "asciiz",
}
INFO = ifinfmsg.ifinfo


def _pyroute2_ids(cls: Any) -> dict[int, tuple[str, str]]:
    """type -> (name, type name) of a pyroute2 NLA class, numbered as pyroute2 numbers them."""
    table = cls.nla_map
    if isinstance(table[0][0], int):
        return {entry[0]: (entry[1], entry[2]) for entry in table}
    return {i: (entry[0], entry[1]) for i, entry in enumerate(table)}


def _check_table(table: raw.Table, cls: Any) -> None:
    theirs = _pyroute2_ids(cls)
    for kind, (name, decoder) in table.items():
        assert theirs[kind][0] == name, (kind, name, theirs[kind])
        if decoder in PYROUTE2_TYPES:
            assert theirs[kind][1] == PYROUTE2_TYPES[decoder], (name, theirs[kind])


def test_attribute_tables_are_pyroute2s() -> None:
    _check_table(BRIDGE_ATTRS, INFO.bridge_data)
    _check_table(BRPORT_ATTRS, INFO.bridge_slave_data)
    for kind, table in DATA_ATTRS.items():
        _check_table(table, INFO.data_map[kind])
    _check_table(SLAVE_DATA_ATTRS["bridge"], INFO.data_map["bridge_slave"])
    top = {kind: (name, fn) for kind, name, fn in LINK_ATTRS.values()}
    _check_table(top, ifinfmsg)
    ifla = _pyroute2_ids(ifinfmsg)
    assert ifla[IFLA_LINKINFO][0] == "IFLA_LINKINFO"
    assert (ifla[16][1], ifla[23][1]) == ("state", "ifstats64")  # IFLA_OPERSTATE, IFLA_STATS64
    assert state_by_code == OPERSTATES and stats_names == STATS64_NAMES
    info = _pyroute2_ids(INFO)
    assert [info[i][0] for i in (1, 2, 4, 5)] == [
        "IFLA_INFO_KIND",
        "IFLA_INFO_DATA",
        "IFLA_INFO_SLAVE_KIND",
        "IFLA_INFO_SLAVE_DATA",
    ]
    assert (IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA) == (
        1,
        2,
        4,
        5,
    )
    assert INFO.macvlan_data.mode.value_map == MACVLAN_MODE_WORDS


def test_bridge_options_read_only_attributes_the_link_read_decodes() -> None:
    """An option added to bridge_options without its attribute in BRIDGE_ATTRS fails here
    (it would never be shown: the read leaves undecoded attributes out)."""
    asked: list[str] = []

    class Recorder(dict[str, Any]):
        def get(self, key: str, default: Any = None) -> Any:
            asked.append(key)
            return default

    bridge_options(Recorder())
    decoded = {name for name, _fn in BRIDGE_ATTRS.values()}
    assert asked and set(asked) <= decoded, set(asked) - decoded
    # ... and vlan_filtering's attribute, and each port option's
    assert "IFLA_BR_VLAN_FILTERING" in decoded
    ports = {name for name, _fn in BRPORT_ATTRS.values()}
    assert {"IFLA_BRPORT_PRIORITY", "IFLA_BRPORT_COST", "IFLA_BRPORT_MODE"} <= ports


def _pyroute2_link(msg: bytes) -> dict[str, Any]:
    """What :func:`plain_link` should give for ``msg``, decoded by pyroute2 instead."""
    decoded = ifinfmsg(msg)
    decoded.decode()
    link: dict[str, Any] = {"index": decoded["index"], "flags": decoded["flags"]}
    for key, (_kind, name, _fn) in LINK_ATTRS.items():
        value = decoded.get_attr(name)
        link[key] = {n: value[n] for n in STATS64_NAMES} if key == "stats" and value else value
    info = decoded.get_attr("IFLA_LINKINFO")
    if info is not None:
        kind = info.get_attr("IFLA_INFO_KIND")
        slave_kind = info.get_attr("IFLA_INFO_SLAVE_KIND") or kind
        link["kind"] = kind
        link["data"] = _values(info.get_attr("IFLA_INFO_DATA"), DATA_ATTRS.get(kind, {}))
        link["slave_data"] = _values(
            info.get_attr("IFLA_INFO_SLAVE_DATA"), SLAVE_DATA_ATTRS.get(slave_kind, {})
        )
    return link


def _values(nla: Any, table: raw.Table) -> dict[str, Any] | None:
    if nla is None:
        return None
    got = {name: nla.get_attr(name) for name, _fn in table.values()} if table else {}
    return {name: value for name, value in got.items() if value is not None}


# -- a real kernel ----------------------------------------------------------------------------

LINKS = (
    "link add br7 type bridge stp_state 1 priority 4096 forward_delay 800 hello_time 300"
    " max_age 1500 ageing_time 12000 group_fwd_mask 8 group_address 01:80:c2:00:00:0e",
    "link set br7 type bridge mcast_router 2 mcast_snooping 0 mcast_query_use_ifaddr 1"
    " mcast_querier 1 mcast_hash_max 1024 mcast_last_member_count 3"
    " mcast_startup_query_count 4 mcast_last_member_interval 200"
    " mcast_membership_interval 30000 mcast_querier_interval 26000"
    " mcast_query_interval 13000 mcast_query_response_interval 1100"
    " mcast_startup_query_interval 3200",
    "link add vp0 type veth peer name vp1",
    "link set vp0 master br7",
    "link set vp0 type bridge_slave priority 9 cost 77 hairpin on",
    "link add vx7 type vxlan id 77 remote 192.0.2.7 local 192.0.2.1 dstport 4790 dev vp1"
    " nolearning",
    "link add vx6 type vxlan id 66 remote 2001:db8::7 local 2001:db8::1 dstport 4789",
    "link add mv7 link vp1 type macvlan mode passthru",
)


@pytest.fixture(scope="module")
def links_host() -> Iterator[Sandbox]:
    """A bare sandbox with a bridge (every option off its default), a port, vxlan, macvlan."""
    require_nm()
    with Sandbox() as sb:
        for command in LINKS:
            sb.run(["ip", *command.split()], check=True, capture_output=True)
        # macvtap is a module of its own: where it is missing, the others still count
        macvtap = "link add mt7 link vp1 type macvtap mode vepa"
        sb.run(["ip", *macvtap.split(" ")], capture_output=True)
        yield sb


@pytest.mark.nm
def test_each_real_link_decodes_as_pyroute2_decodes_it(links_host: Sandbox) -> None:
    messages = link_messages(netlink_fd(links_host.name))
    ours = [plain_link(msg) for msg in messages]
    assert ours == [_pyroute2_link(msg) for msg in messages]
    by_name = {link["ifname"]: link for link in ours}
    assert {"bridge", "veth", "vxlan", "macvlan"} <= {link.get("kind") for link in ours}
    assert len(by_name["br7"]["data"]) >= 24  # every option this kernel sends
    assert by_name["vp0"]["slave_data"] == {
        "IFLA_BRPORT_PRIORITY": 9,
        "IFLA_BRPORT_COST": 77,
        "IFLA_BRPORT_MODE": 1,
    }
    assert by_name["vx6"]["data"]["IFLA_VXLAN_GROUP6"] == "2001:db8::7"


@pytest.mark.nm
def test_every_bridge_option_and_port_option_is_shown(links_host: Sandbox) -> None:
    ifaces = read_kernel(links_host.name).interfaces
    bridge = ifaces["br7"]["bridge"]
    opts = dict(bridge["options"])
    assert isinstance(opts.pop("gc-timer"), int) and isinstance(opts.pop("hello-timer"), int)
    # vlan-protocol and vlan-default-pvid only with CONFIG_BRIDGE_VLAN_FILTERING
    vlan_keys = ("vlan-protocol", "vlan-default-pvid")
    vlan_opts = {key: opts.pop(key) for key in vlan_keys if key in opts}
    assert vlan_opts in ({}, {"vlan-protocol": "802.1q", "vlan-default-pvid": 1})
    assert opts == {
        "stp": {
            "enabled": True,
            "forward-delay": 8,
            "hello-time": 3,
            "max-age": 15,
            "priority": 4096,
        },
        "mac-ageing-time": 120,
        "group-addr": "01:80:C2:00:00:0E",
        "group-forward-mask": 8,
        "group-fwd-mask": 8,
        "hash-max": 1024,
        "multicast-last-member-count": 3,
        "multicast-last-member-interval": 200,
        "multicast-membership-interval": 30000,
        "multicast-querier": True,
        "multicast-querier-interval": 26000,
        "multicast-query-interval": 13000,
        "multicast-query-response-interval": 1100,
        "multicast-query-use-ifaddr": True,
        "multicast-router": "enabled",
        "multicast-snooping": False,
        "multicast-startup-query-count": 4,
        "multicast-startup-query-interval": 3200,
    }
    assert bridge["port"] == [
        {"name": "vp0", "stp-priority": 9, "stp-path-cost": 77, "stp-hairpin-mode": True}
    ]
    assert ifaces["vx7"]["vxlan"] == {
        "id": 77,
        "destination-port": 4790,
        "learning": False,
        "base-iface": "vp1",
        "remote": "192.0.2.7",
        "local": "192.0.2.1",
    }
    assert ifaces["vx6"]["vxlan"]["remote"] == "2001:db8::7"
    assert ifaces["mv7"]["mac-vlan"] == {"base-iface": "vp1", "mode": "passthru"}
    assert ifaces["vp1"]["veth"] == {"peer": "vp0"}
    if "mt7" in ifaces:
        assert ifaces["mt7"]["mac-vtap"] == {"base-iface": "vp1", "mode": "vepa"}


# -- synthetic messages: what this kernel does not send ---------------------------------------

_FORMATS = {raw.u8: "=B", raw.u16: "=H", raw.u32: "=I", raw.u64: "=Q", raw.be16: ">H"}


def _nla(kind: int, payload: bytes, nested: bool = False) -> bytes:
    size = 4 + len(payload)
    head = struct.pack("=HH", size, kind | (0x8000 if nested else 0))
    return head + payload + b"\0" * (-size % 4)


def _payload(decoder: raw.Decoder, number: int) -> bytes:
    if decoder is raw.mac:
        return bytes([1, 0x80, 0xC2, 0, 0, number % 256])
    return struct.pack(_FORMATS[decoder], number)


def _message(kind: str, data: bytes, slave: bytes = b"") -> bytes:
    info = _nla(IFLA_INFO_KIND, kind.encode() + b"\0") + _nla(IFLA_INFO_DATA, data, nested=True)
    if slave:
        info += _nla(IFLA_INFO_SLAVE_KIND, b"bridge\0")
        info += _nla(IFLA_INFO_SLAVE_DATA, slave, nested=True)
    stats = struct.pack(f"={len(STATS64_NAMES)}Q", *range(1, len(STATS64_NAMES) + 1))
    body = (
        struct.pack("=BxHiII", 0, 1, 42, 0x1043, 0)
        + _nla(3, b"x42\0")
        + _nla(1, bytes.fromhex("02aabbccdd0e"))
        + _nla(4, struct.pack("=I", 9000))
        + _nla(16, b"\x06")
        + _nla(23, stats)
        + _nla(37, struct.pack("=i", -1))
        + _nla(IFLA_LINKINFO, info, nested=True)
    )
    return struct.pack("=IHHII", 16 + len(body), 16, 2, 1, 0) + body


def test_every_decoded_bridge_and_port_attribute_decodes_as_pyroute2_decodes_it() -> None:
    """All of BRIDGE_ATTRS and BRPORT_ATTRS, vlan-protocol (big-endian) included."""
    data = b"".join(
        _nla(kind, _payload(fn, 0x88A8 if fn is raw.be16 else kind * 7 + 1))
        for kind, (_name, fn) in BRIDGE_ATTRS.items()
    )
    slave = b"".join(_nla(kind, _payload(fn, kind + 3)) for kind, (_n, fn) in BRPORT_ATTRS.items())
    msg = _message("bridge", data, slave)
    ours = plain_link(msg)
    assert ours == _pyroute2_link(msg)
    assert len(ours["data"]) == len(BRIDGE_ATTRS) and len(ours["slave_data"]) == len(BRPORT_ATTRS)
    assert ours["data"]["IFLA_BR_VLAN_PROTOCOL"] == 0x88A8
    assert bridge_options(ours["data"])["vlan-protocol"] == "802.1ad"
    assert (ours["operstate"], ours["netnsid"], ours["mtu"]) == ("UP", -1, 9000)


def test_vlan_and_macvlan_data_decode_as_pyroute2_decodes_them() -> None:
    vlan = _message("vlan", _nla(1, struct.pack("=H", 1234)))
    assert plain_link(vlan)["data"] == {"IFLA_VLAN_ID": 1234} == _pyroute2_link(vlan)["data"]
    for mode in (*MACVLAN_MODE_WORDS, 3):  # 3: no word, the number stays
        for kind in ("macvlan", "macvtap"):
            msg = _message(kind, _nla(1, struct.pack("=I", mode)))
            assert plain_link(msg) == _pyroute2_link(msg)


def test_a_truncated_attribute_ends_the_decode_without_error() -> None:
    msg = bytearray(_message("vlan", _nla(1, struct.pack("=H", 7))))
    struct.pack_into("=H", msg, 32, 0xFFF0)  # IFLA_IFNAME claims more than the message holds
    link = plain_link(bytes(msg))
    assert link["index"] == 42 and link["ifname"] is None


def test_a_dump_the_kernel_refuses_is_an_error_not_an_empty_host() -> None:
    """A strict socket refuses a link dump with a type in its header (EINVAL): raised, as
    pyroute2 raised it, where returning nothing would read as "every link is gone"."""
    bad = struct.pack("=BxHiII", 0, 1, 0, 0, 0)  # ifi_type 1
    with raw.open_socket(None, strict=True) as sock:
        with pytest.raises(OSError) as err:
            raw.dump(sock, 1, 18, bad, 16)
        assert err.value.errno == errno.EINVAL
        assert raw.dump(sock, 2, 18, bad, 16, lenient=True) == []
