"""Profiles for hsr, macsec and ipsec interfaces, and the SR-IOV part of ethernet ones.

The same shapes nmstate writes (``rust/src/lib/nm/settings/{hsr,macsec,vpn,sriov}.rs``):

* ``hsr`` → NM's ``hsr`` setting (``port1``, ``port2``, ``multicast-spec``,
  ``prp``). NetworkManager has it from 1.46; 1.42 refuses such a profile.
* ``macsec`` → NM's ``macsec`` setting, in pre-shared-key mode (nmstate
  sets no mode; NM's default is psk). NM wants ``port`` in 1-65534, so
  nmstate's ``port: 0`` leaves NM's default (1).
* ``ipsec`` → a ``vpn`` profile of the libreswan plugin: the Libreswan keys
  in ``vpn.data`` (booleans as ``yes``/``no``), the PSK as the
  ``pskvalue`` secret. A VPN profile has no ``interface-name``.
* ``ethernet.sr-iov`` → NM's ``sriov`` setting; ``total-vfs: 0`` drops it,
  ``drivers-autoprobe`` is ``sriov.autoprobe-drivers``.
"""

from __future__ import annotations

from typing import Any

from engine import keys as k
from engine.backend.nm_types_extra import (
    HSR,
    IPSEC,
    LIBRESWAN,
    LIBRESWAN_SERVICE,
    MACSEC_MODE_PSK,
    MACSEC_OFFLOAD,
    MACSEC_VALIDATION,
    TERNARY,
    VF_VLAN_PROTOCOLS,
)

__all__ = ["extra_type_settings", "sriov_settings"]

#: Libreswan keys copied into ``vpn.data`` as they are (after str()).
_LIBRESWAN_KEYS = (
    "right", "rightid", "rightrsasigkey", "rightcert", "left", "leftid", "leftrsasigkey",
    "leftcert", "ikev2", "ikelifetime", "salifetime", "ike", "esp", "dpddelay", "dpdtimeout",
    "dpdaction", "ipsec-interface", "authby", "leftmodecfgclient", "rightsubnet", "leftsubnet",
    "type", "clientaddrfamily", "hostaddrfamily", "require-id-on-certificate",
)  # fmt: skip


def _hsr(iface: dict[str, Any], nm: dict[str, dict[str, Any]]) -> None:
    conf = iface.get(HSR) or {}
    section = nm.setdefault("hsr", {})
    for key in ("port1", "port2"):
        if conf.get(key):
            section[key] = str(conf[key])
    if conf.get("multicast-spec") is not None:
        section["multicast-spec"] = int(conf["multicast-spec"])
    if conf.get("protocol") is not None:
        section["prp"] = conf["protocol"] == "prp"


def _macsec(iface: dict[str, Any], nm: dict[str, dict[str, Any]]) -> None:
    conf = iface.get(k.MACSEC) or {}
    section = nm.setdefault("macsec", {"mode": MACSEC_MODE_PSK})
    if conf.get(k.BASE_IFACE):
        section["parent"] = conf[k.BASE_IFACE]
    for key in ("encrypt", "send-sci"):
        if conf.get(key) is not None:
            section[key] = bool(conf[key])
    for key in ("mka-cak", "mka-ckn"):
        if conf.get(key) is not None:
            section[key] = str(conf[key])
    if isinstance(conf.get("port"), int) and conf["port"] >= 1:
        section["port"] = int(conf["port"])
    if conf.get("validation") is not None:
        section["validation"] = MACSEC_VALIDATION[conf["validation"]]
    if conf.get("offload") not in (None, "off"):
        section["offload"] = MACSEC_OFFLOAD[conf["offload"]]


def _data_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _ipsec(iface: dict[str, Any], nm: dict[str, dict[str, Any]]) -> None:
    conf = iface.get(LIBRESWAN) or {}
    nm["connection"].pop("interface-name", None)  # a VPN profile names no device
    data = {key: _data_value(conf[key]) for key in _LIBRESWAN_KEYS if conf.get(key) is not None}
    vpn: dict[str, Any] = {"service-type": LIBRESWAN_SERVICE, "data": data}
    if conf.get("psk") is not None:
        vpn["secrets"] = {"pskvalue": str(conf["psk"])}
    nm["vpn"] = vpn


def extra_type_settings(iface: dict[str, Any], nm: dict[str, dict[str, Any]]) -> bool:
    """The type settings of hsr, macsec and ipsec into ``nm``; False for other types."""
    kind = iface.get(k.TYPE)
    if kind == HSR:
        _hsr(iface, nm)
    elif kind == k.MACSEC:
        _macsec(iface, nm)
    elif kind == IPSEC:
        _ipsec(iface, nm)
    else:
        return False
    return True


def _vf(vf: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"index": int(vf[k.ID])}
    if vf.get(k.MAC_ADDRESS):
        out["mac"] = str(vf[k.MAC_ADDRESS]).upper()
    for key in ("spoof-check", "trust"):
        if vf.get(key) is not None:
            out[key] = bool(vf[key])
    for key in ("min-tx-rate", "max-tx-rate"):
        if vf.get(key) is not None:
            out[key] = int(vf[key])
    if vf.get("vlan-id"):
        proto = VF_VLAN_PROTOCOLS.get(str(vf.get("vlan-proto", "802.1q")).lower(), 0)
        out["vlans"] = [
            {"id": int(vf["vlan-id"]), "qos": int(vf.get("qos") or 0), "protocol": proto}
        ]
    return out


def sriov_settings(iface: dict[str, Any], nm: dict[str, dict[str, Any]]) -> None:
    """NM's ``sriov`` setting from ``ethernet.sr-iov`` (none when total-vfs is 0)."""
    eth = iface.get(k.ETHERNET)
    conf = eth.get("sr-iov") if isinstance(eth, dict) else None
    if not isinstance(conf, dict) or conf.get("total-vfs") == 0:
        return
    section: dict[str, Any] = {}
    if conf.get("total-vfs") is not None:
        section["total-vfs"] = int(conf["total-vfs"])
    if isinstance(conf.get("drivers-autoprobe"), bool):
        section["autoprobe-drivers"] = TERNARY[conf["drivers-autoprobe"]]
    vfs = conf.get("vfs")
    if isinstance(vfs, list) and vfs:
        section["vfs"] = [_vf(vf) for vf in vfs if isinstance(vf, dict)]
    nm["sriov"] = section
