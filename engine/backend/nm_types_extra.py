"""D-Bus names and types of the settings for hsr, macsec, ipsec (libreswan VPN) and SR-IOV.

Kept apart from :mod:`engine.backend.nm_types` and :mod:`engine.backend.nm_names`
(which merge these tables into their own) so each type added after the first
wave is one readable block.
From ``man 5 nm-settings-dbus``; NetworkManager 1.42 (this host's) has
``macsec``, ``vpn`` and ``sriov`` but not ``hsr``, which came with 1.46, as
did ``macsec.offload``.
"""

from __future__ import annotations

from engine import keys as k

HSR = "hsr"
IPSEC = "ipsec"
LIBRESWAN = "libreswan"
#: The VPN plugin service nmstate's ipsec interfaces are profiles of.
LIBRESWAN_SERVICE = "org.freedesktop.NetworkManager.libreswan"
#: First NetworkManager release that knows each setting (older ones refuse the profile).
NM_SINCE: dict[str, tuple[int, int]] = {"hsr": (1, 46), "macsec.offload": (1, 46)}

#: schema type → NM ``connection.type``.
EXTRA_NM_TYPE: dict[str, str] = {HSR: "hsr", k.MACSEC: "macsec", IPSEC: "vpn"}

EXTRA_SIGNATURES: dict[tuple[str, str], str] = {
    ("hsr", "port1"): "s",
    ("hsr", "port2"): "s",
    ("hsr", "multicast-spec"): "u",
    ("hsr", "prp"): "b",
    ("macsec", "parent"): "s",
    ("macsec", "mode"): "i",
    ("macsec", "encrypt"): "b",
    ("macsec", "mka-cak"): "s",
    ("macsec", "mka-ckn"): "s",
    ("macsec", "port"): "i",
    ("macsec", "validation"): "i",
    ("macsec", "send-sci"): "b",
    ("macsec", "offload"): "i",
    ("vpn", "service-type"): "s",
    ("vpn", "data"): "a{ss}",
    ("vpn", "secrets"): "a{ss}",
    ("sriov", "total-vfs"): "u",
    ("sriov", "autoprobe-drivers"): "i",
    ("sriov", "vfs"): "aa{sv}",
    # Open vSwitch (gen-conf only: engine.backend.nm_settings_ovs)
    ("ovs-bridge", "stp-enable"): "b",
    ("ovs-bridge", "rstp-enable"): "b",
    ("ovs-bridge", "mcast-snooping-enable"): "b",
    ("ovs-bridge", "fail-mode"): "s",
    ("ovs-bridge", "datapath-type"): "s",
    ("ovs-port", "vlan-mode"): "s",
    ("ovs-port", "tag"): "u",
    ("ovs-port", "trunks"): "aa{sv}",
    ("ovs-port", "bond-mode"): "s",
    ("ovs-port", "lacp"): "s",
    ("ovs-port", "bond-updelay"): "u",
    ("ovs-port", "bond-downdelay"): "u",
    ("ovs-interface", "type"): "s",
    ("ovs-patch", "peer"): "s",
    ("ovs-dpdk", "devargs"): "s",
    ("ovs-dpdk", "n-rxq"): "u",
}
#: Keys inside ``sriov.vfs`` items; ``vlans`` is itself a list of ``a{sv}`` (below).
EXTRA_ITEM_SIGNATURES: dict[tuple[str, str], dict[str, str]] = {
    ("sriov", "vfs"): {
        "index": "u",
        "mac": "s",
        "spoof-check": "b",
        "trust": "b",
        "min-tx-rate": "u",
        "max-tx-rate": "u",
        "vlans": "aa{sv}",
    },
    ("sriov", "vfs.vlans"): {"id": "u", "qos": "u", "protocol": "u"},
    ("ovs-port", "trunks"): {"start": "u", "end": "u"},
}

MACSEC_VALIDATION = {"disabled": 0, "check": 1, "strict": 2}
MACSEC_OFFLOAD = {"off": 0, "phy": 1, "mac": 2}
MACSEC_MODE_PSK = 0
#: NMTernary, as ``sriov.autoprobe-drivers`` takes it.
TERNARY = {True: 1, False: 0}
#: SR-IOV VF VLAN protocol numbers (``vlan-proto`` in nmstate).
VF_VLAN_PROTOCOLS = {"802.1q": 0, "802.1ad": 1}
#: schema type → rtnetlink ``IFLA_INFO_KIND`` (for the "kernel lacks it" explanation).
EXTRA_KERNEL_KIND: dict[str, str] = {HSR: "hsr", k.MACSEC: "macsec"}


def refusal_hint(text: str) -> str:
    """What NetworkManager's terse refusal of a profile of these types means, or ''.

    NM 1.42 answers a profile with an ``hsr`` setting "hsr: unknown setting
    name" and an ipsec (VPN) activation with no connection to run over "Could
    not find source connection"; neither says what to do.
    """
    for setting, (major, minor) in NM_SINCE.items():
        if "." not in setting and text.startswith(f"{setting}: unknown setting name"):
            return (
                f" (NetworkManager has the {setting} setting from {major}.{minor}; "
                "this one is older, so it cannot hold this interface)"
            )
    if "unknown setting name" in text and text.startswith("ipvlan:"):
        return " (NetworkManager has the ipvlan setting from 1.52; this one is older)"
    if "Could not find source connection" in text:
        return (
            " (an ipsec interface is a VPN profile: NetworkManager activates it over an "
            "active connection that has the default route, and needs its libreswan "
            "plugin, NetworkManager-libreswan, installed)"
        )
    return ""
