"""Keyfiles for hsr, macsec, ipsec (libreswan) and SR-IOV, and their secrets masked everywhere.

NM accepting these profiles is checked in ``tests/backend_tests/test_examples_load.py``;
here, what each key says, and that ``format``, ``diff`` and ``gen-conf``
never print a MACsec CAK or an IPsec PSK unless asked to.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine.genconf import gen_conf

EXE = str(Path(sys.executable).parent / "nmtui-state")
DATA = Path(__file__).resolve().parents[1] / "data" / "valid"
CAK = "50b71a8ef0bd5751ea76de6d6c98c03a"
PSK = "psk_password"


def keyfile(iface: dict[str, Any]) -> configparser.ConfigParser:
    [(_name, text)] = gen_conf({"interfaces": [iface]})
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read_string(text)
    return parser


def test_hsr() -> None:
    kf = keyfile(
        {"name": "hsr0", "type": "hsr",
         "hsr": {"port1": "eth1", "port2": "eth2", "multicast-spec": 40, "protocol": "prp"}}
    )  # fmt: skip
    assert kf["connection"]["type"] == "hsr"
    assert dict(kf["hsr"]) == {
        "port1": "eth1",
        "port2": "eth2",
        "multicast-spec": "40",
        "prp": "true",
    }


@pytest.mark.parametrize(("port", "written"), [(0, None), (7, "7")])
def test_macsec(port: int, written: str | None) -> None:
    kf = keyfile(
        {"name": "ms0", "type": "macsec",
         "macsec": {"base-iface": "eth1", "encrypt": True, "mka-cak": CAK, "mka-ckn": "f2b4",
                    "port": port, "validation": "strict", "send-sci": False}}
    )  # fmt: skip
    sect = dict(kf["macsec"])
    assert kf["connection"]["type"] == "macsec"
    assert sect.pop("port", None) == written  # NM wants 1-65534: port 0 leaves its default
    assert sect == {
        "mode": "0", "parent": "eth1", "encrypt": "true", "send-sci": "false",
        "mka-cak": CAK, "mka-ckn": "f2b4", "validation": "2",
    }  # fmt: skip


def test_ipsec_is_a_libreswan_vpn_profile() -> None:
    kf = keyfile(
        {"name": "vpn1", "type": "ipsec", "ipv4": {"enabled": True, "dhcp": True},
         "libreswan": {"right": "192.0.2.1", "leftid": "%fromcert", "psk": PSK,
                       "leftmodecfgclient": False, "dpddelay": 10, "type": "transport"}}
    )  # fmt: skip
    con = dict(kf["connection"])
    assert con["type"] == "vpn" and con["id"] == "vpn1"
    assert "interface-name" not in con  # a VPN profile names no device
    assert dict(kf["vpn"]) == {
        "service-type": "org.freedesktop.NetworkManager.libreswan",
        "right": "192.0.2.1", "leftid": "%fromcert", "dpddelay": "10",
        "leftmodecfgclient": "no", "type": "transport",
    }  # fmt: skip
    assert dict(kf["vpn-secrets"]) == {"pskvalue": PSK}
    assert kf["ipv4"]["method"] == "auto"


def test_sriov() -> None:
    vfs = [{"id": 0, "mac-address": "ee:2a:4e:8e:71:f5", "spoof-check": True, "trust": False,
            "vlan-id": 102, "qos": 5}, {"id": 1, "max-tx-rate": 100}]  # fmt: skip
    kf = keyfile(
        {"name": "eth1", "type": "ethernet",
         "ethernet": {"sr-iov": {"total-vfs": 2, "drivers-autoprobe": False, "vfs": vfs}}}
    )  # fmt: skip
    assert dict(kf["sriov"]) == {
        "total-vfs": "2",
        "autoprobe-drivers": "0",
        "vf.0": "mac=EE:2A:4E:8E:71:F5 spoof-check=true trust=false vlans=102.5.q",
        "vf.1": "max-tx-rate=100",
    }


def test_sriov_zero_vfs_writes_no_sriov_setting() -> None:
    kf = keyfile({"name": "eth1", "type": "ethernet", "ethernet": {"sr-iov": {"total-vfs": 0}}})
    assert "sriov" not in kf.sections()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/nonexistent"}
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=env, timeout=30)


@pytest.mark.parametrize(("file", "secret"), [("macsec.yml", CAK), ("ipsec.yml", PSK)])
def test_secrets_are_masked_unless_asked(file: str, secret: str, tmp_path: Path) -> None:
    src = str(DATA / file)
    empty = tmp_path / "cur.yml"
    empty.write_text("interfaces: []\n")
    for args in (
        ["gen-conf", src],
        ["gc", "--yaml", src],
        ["format", src],
        ["diff", "--current", str(empty), src],
    ):
        out = _run(*args)
        assert out.returncode == 0, (args, out.stderr)
        assert secret not in out.stdout + out.stderr, args
        assert "<_password_hid_by_nmstate>" in out.stdout, args
    for args in (["gen-conf", "-s", src], ["format", "-s", src]):
        out = _run(*args)
        assert out.returncode == 0 and secret in out.stdout, args


def test_diff_of_a_macsec_change(tmp_path: Path) -> None:
    cur = tmp_path / "cur.yml"
    cur.write_text(
        "interfaces:\n- {name: eth1, type: ethernet}\n- name: macsec0\n  type: macsec\n"
        f"  macsec: {{base-iface: eth1, encrypt: false, mka-cak: {CAK}, mka-ckn: f2b4}}\n"
    )
    want = tmp_path / "want.yml"
    want.write_text(
        "interfaces:\n- name: macsec0\n  type: macsec\n"
        f"  macsec: {{base-iface: eth1, encrypt: true, mka-cak: {'a' * 32}, mka-ckn: f2b4}}\n"
    )
    out = _run("diff", "--current", str(cur), str(want))
    assert out.returncode == 0, out.stderr
    assert "macsec0: macsec encrypt false → true" in out.stdout
    assert "macsec0: macsec mka-cak changed" in out.stdout  # the key changed ...
    assert CAK not in out.stdout and "a" * 32 not in out.stdout  # ... its values stay hidden


def _profiles(state: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    from engine.genconf import gen_profiles

    return {p["connection"]["id"]: p for p in gen_profiles(state)}


def test_ovs_bridge_gets_an_ovs_port_per_port_and_ports_name_it_by_uuid() -> None:
    state = {
        "interfaces": [
            {"name": "ovs0", "type": "ovs-interface",
             "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.1", "prefix-length": 24}]}},
            {"name": "ovs-br0", "type": "ovs-bridge",
             "bridge": {"options": {"stp": {"enabled": True}, "datapath": "netdev"},
                        "port": [{"name": "ovs0", "vlan": {"mode": "access", "tag": 2}},
                                 {"name": "bond1", "link-aggregation": {
                                     "mode": "balance-tcp", "port": [{"name": "eth1"}]}}]}},
        ]
    }  # fmt: skip
    got = _profiles(state)
    assert set(got) == {"ovs0", "ovs-br0", "ovs-port-ovs0", "ovs-port-bond1", "eth1"}
    br, port0, bond = got["ovs-br0"], got["ovs-port-ovs0"], got["ovs-port-bond1"]
    assert br["ovs-bridge"] == {"stp-enable": True, "datapath-type": "netdev"}
    assert "ipv4" not in br and "ipv4" not in port0  # no IP on the bridge or its ports
    assert port0["connection"]["master"] == br["connection"]["uuid"]
    assert port0["ovs-port"] == {"vlan-mode": "access", "tag": 2}
    assert bond["ovs-port"] == {"bond-mode": "balance-tcp", "lacp": "active"}
    ovs0, eth1 = got["ovs0"]["connection"], got["eth1"]["connection"]
    assert (ovs0["type"], ovs0["master"]) == ("ovs-interface", port0["connection"]["uuid"])
    assert got["ovs0"]["ipv4"]["address-data"] == [{"address": "192.0.2.1", "prefix": 24}]
    assert (eth1["type"], eth1["master"]) == ("802-3-ethernet", bond["connection"]["uuid"])
    assert got["eth1"]["ipv4"] == {"method": "disabled"}


def test_ovs_patch_and_dpdk_interfaces() -> None:
    state = {
        "interfaces": [
            {"name": "p0", "type": "ovs-interface", "patch": {"peer": "p1"}},
            {"name": "d0", "type": "ovs-interface", "dpdk": {"devargs": "0000:18:00.2",
                                                            "rx-queue": 10}},
        ]
    }  # fmt: skip
    got = _profiles(state)
    assert got["p0"]["ovs-interface"] == {"type": "patch"}
    assert got["p0"]["ovs-patch"] == {"peer": "p1"}
    assert got["d0"]["ovs-dpdk"] == {"devargs": "0000:18:00.2", "n-rxq": 10}
