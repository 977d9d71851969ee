"""NetworkManager profile → nmstate-schema interface: the reverse of nm_settings.

Used by ``show`` (profiles read over D-Bus) and by tests (round trips). A
profile describes configuration, not the running host, so this reports
what the profile asks for; where a profile leaves an option out, the
default NetworkManager documents (``man 5 nm-settings-dbus``) stands in,
because that is what the host will run with.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from engine import keys as k
from engine.backend.nm_names import (
    ADDR_GEN_MODES,
    BRIDGE_OPTS,
    BRIDGE_PORT_OPTS,
    CERT_KEYS,
    CLIENT_IDS,
    DOT1X_PROPS,
    IFACE_TYPE,
    IPVLAN_MODES,
    MACVLAN_MODES,
    NMSTATE_DESCRIPTION,
    STP_OPTS,
    VLAN_FLAG_LOOSE,
    VLAN_FLAG_REORDER,
)
from engine.backend.nm_routes import settings_to_routes as settings_to_routes
from engine.bridge_vlans import section_from_ranges
from engine.ethtool_names import schema_ethtool

NM_DEFAULT_DNS_PRIORITY = 100  # what dns-priority 0 means for a non-VPN profile


def _mac_text(value: Any) -> str | None:
    """A MAC from NM's byte array or string form; None for the special words (``preserve``)."""
    if isinstance(value, bytes | bytearray | list) and value:
        return ":".join(f"{b:02X}" for b in value)
    if isinstance(value, str) and value.count(":") == 5:
        return value.upper()
    return None


def description_of(nm: dict[str, Any]) -> str | None:
    """The interface ``description`` a profile keeps where nmstate keeps it (user data)."""
    text = ((nm.get("user") or {}).get("data") or {}).get(NMSTATE_DESCRIPTION)
    return str(text) if text else None


def ip_config(sec: dict[str, Any] | None, family: str, kind: str) -> dict[str, Any]:
    """The schema ipv4/ipv6 section a profile's ip setting asks for, without addresses.

    The one translation of an ip setting's method and DHCP options: ``show``
    lays it over the kernel's addresses, :func:`settings_to_iface` adds the
    profile's own. No section means disabled; on loopback ``auto`` only means
    "the standard loopback addresses", not DHCP.
    """
    method = (sec or {}).get("method") or ("auto" if sec is not None else "disabled")
    if method in ("disabled", "ignore") or sec is None:
        return {k.ENABLED: False}
    v6 = family == k.IPV6
    dhcp = method in ("auto", "dhcp") and kind != k.LOOPBACK
    auto = method == "auto" and kind != k.LOOPBACK
    out: dict[str, Any] = {k.ENABLED: True, k.DHCP: dhcp}
    if v6:
        out[k.AUTOCONF] = auto
    if dhcp:
        for key, prop in (
            ("auto-dns", "ignore-auto-dns"),
            ("auto-routes", "ignore-auto-routes"),
            ("auto-gateway", "never-default"),
        ):
            out[key] = not sec.get(prop, False)
        if sec.get("route-table"):
            out["auto-route-table-id"] = int(sec["route-table"])
        if sec.get("route-metric", -1) != -1:
            out["auto-route-metric"] = int(sec["route-metric"])
    if sec.get("dhcp-client-id"):
        back = {nm_id: schema for schema, nm_id in CLIENT_IDS.items()}
        out["dhcp-client-id"] = back.get(sec["dhcp-client-id"], sec["dhcp-client-id"])
    for key in ("dhcp-duid", "token"):
        if v6 and sec.get(key):
            out[key] = sec[key]
    if v6 and sec.get("addr-gen-mode") is not None:
        modes = {num: name for name, num in ADDR_GEN_MODES.items()}
        out["addr-gen-mode"] = modes.get(int(sec["addr-gen-mode"]), "default")
    return out


def _ip_from(nm: dict[str, Any], family: str, kind: str) -> dict[str, Any]:
    """The schema ipv4/ipv6 section from a profile's ip setting, its addresses included."""
    sec = nm.get(family)
    out = ip_config(sec, family, kind)
    if out[k.ENABLED] and sec is not None:
        out[k.ADDRESS] = [
            {k.IP: a["address"], k.PREFIX_LENGTH: int(a["prefix"])}
            for a in sec.get("address-data") or []
        ]
    return out


def _filled(section: dict[str, Any], table: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    """Schema keys from NM properties, NM's default standing in where one is documented."""
    out = {}
    for key, (prop, default) in table.items():
        value = section.get(prop, default)
        if value is not None:
            out[key] = value
    return out


def bridge_port_entry(nm: dict[str, Any]) -> dict[str, Any]:
    """The controller's ``bridge.port`` item for a port profile (name, stp-*, vlan)."""
    sec = nm.get("bridge-port") or {}
    entry: dict[str, Any] = {k.NAME: nm["connection"].get("interface-name")}
    entry.update(_filled(sec, BRIDGE_PORT_OPTS))
    if sec.get("vlans"):
        entry[k.VLAN] = section_from_ranges(sec["vlans"])
    return entry


def _type_from(nm: dict[str, Any], kind: str, iface: dict[str, Any]) -> None:
    """The type-specific schema section of ``iface`` from the profile."""
    if kind == k.LINUX_BRIDGE:
        br = nm.get("bridge") or {}
        opts = _filled(br, BRIDGE_OPTS)
        opts["vlan-protocol"] = str(opts["vlan-protocol"]).lower()
        if isinstance(br.get("group-address"), bytes | list) and br["group-address"]:
            opts["group-addr"] = _mac_text(br["group-address"])
        opts["stp"] = _filled(br, STP_OPTS)
        iface[k.BRIDGE] = {k.OPTIONS: opts, k.PORT: []}
    elif kind == k.BOND:
        options = dict((nm.get("bond") or {}).get("options") or {})
        mode = options.pop("mode", "balance-rr")
        iface[k.LINK_AGGREGATION] = {
            k.MODE: mode,
            k.PORT: [],
            k.OPTIONS: {o: int(v) if v.isdigit() else v for o, v in options.items()},
        }
    elif kind == k.VLAN:
        vlan = nm.get("vlan") or {}
        flags = int(vlan.get("flags", VLAN_FLAG_REORDER))
        iface[k.VLAN] = {
            k.BASE_IFACE: vlan.get("parent"),
            k.ID: int(vlan.get("id", 0)),
            "protocol": str(vlan.get("protocol") or "802.1q").lower(),
            "reorder-headers": bool(flags & VLAN_FLAG_REORDER),
            "loose-binding": bool(flags & VLAN_FLAG_LOOSE),
        }
    elif kind == k.VXLAN:
        vx = nm.get("vxlan") or {}
        out = {
            k.ID: int(vx.get("id", 0)),
            "destination-port": int(vx.get("destination-port", 8472)),
            "learning": bool(vx.get("learning", True)),
        }
        for key, prop in ((k.BASE_IFACE, "parent"), ("local", "local"), ("remote", "remote")):
            if vx.get(prop):
                out[key] = vx[prop]
        iface[k.VXLAN] = out
    elif kind in (k.MAC_VLAN, k.MAC_VTAP):
        mv = nm.get("macvlan") or {}
        modes = {num: name for name, num in MACVLAN_MODES.items()}
        iface[kind] = {
            k.BASE_IFACE: mv.get("parent"),
            k.MODE: modes.get(mv.get("mode", 0), "unknown"),
            "promiscuous": bool(mv.get("promiscuous", True)),
        }
    elif kind == k.IPVLAN:
        iv = nm.get("ipvlan") or {}
        modes = {num: name for name, num in IPVLAN_MODES.items()}
        iface[k.IPVLAN] = {
            k.BASE_IFACE: iv.get("parent"),
            k.MODE: modes.get(iv.get("mode", 1)),
            "private": bool(iv.get("private")),
            "vepa": bool(iv.get("vepa")),
        }
    elif kind == k.VETH:
        iface[k.VETH] = {k.PEER: (nm.get("veth") or {}).get("peer")}
    elif kind == k.VRF:
        iface[k.VRF] = {k.ROUTE_TABLE_ID: int((nm.get("vrf") or {}).get("table", 0)), k.PORT: []}
    elif kind == k.INFINIBAND:
        ib = nm.get("infiniband") or {}
        pkey = int(ib.get("p-key", -1))
        iface[k.INFINIBAND] = {
            k.MODE: ib.get("transport-mode") or "datagram",
            "pkey": f"0x{pkey if pkey >= 0 else 0xFFFF:04x}",
        }
        if ib.get("parent"):
            iface[k.INFINIBAND][k.BASE_IFACE] = ib["parent"]


def settings_to_iface(nm: dict[str, Any], device_type: str | None = None) -> dict[str, Any]:
    """The schema interface a profile describes, as far as the profile says.

    ``device_type`` (schema or NM spelling) is a fallback for profiles whose
    ``connection.type`` is missing or unknown. Controller port lists are left
    empty: they are filled across profiles by :func:`settings_to_ifaces`.
    """
    con = nm.get("connection") or {}
    nm_type = con.get("type")
    kind = IFACE_TYPE.get(nm_type or "") or (
        IFACE_TYPE.get(device_type or "") or device_type or k.UNKNOWN
    )
    if kind == k.MAC_VLAN and (nm.get("macvlan") or {}).get("tap"):
        kind = k.MAC_VTAP
    name = con.get("interface-name") or con.get("id")
    iface: dict[str, Any] = {
        k.NAME: name,
        k.TYPE: kind,
        k.STATE: k.UP if con.get("autoconnect", True) else k.DOWN,
    }
    if con.get("id") and con["id"] != name:
        iface[k.PROFILE_NAME] = con["id"]
    if description_of(nm):
        iface[k.DESCRIPTION] = description_of(nm)
    if con.get("master"):
        iface[k.CONTROLLER] = con["master"]
    mtu_sec = {k.LOOPBACK: "loopback", k.INFINIBAND: "infiniband"}.get(kind, "802-3-ethernet")
    if (nm.get(mtu_sec) or {}).get("mtu"):
        iface[k.MTU] = int(nm[mtu_sec]["mtu"])
    wired = nm.get("802-3-ethernet") or {}
    mac = _mac_text(wired.get("assigned-mac-address")) or _mac_text(wired.get("cloned-mac-address"))
    if mac:
        iface[k.MAC_ADDRESS] = mac
    if wired.get("accept-all-mac-addresses", -1) in (0, 1):
        iface[k.ACCEPT_ALL_MACS] = bool(wired["accept-all-mac-addresses"])
    # NM reports auto-negotiate false by default, meaning "leave the link alone": only
    # worth showing when it is on or speed/duplex are pinned.
    eth = {
        key: wired[prop]
        for key, prop in (("speed", "speed"), ("duplex", "duplex"))
        if wired.get(prop)
    }
    if eth or wired.get("auto-negotiate"):
        iface[k.ETHERNET] = {"auto-negotiation": bool(wired.get("auto-negotiate")), **eth}
    if con.get("lldp", -1) != -1:
        iface["lldp"] = {k.ENABLED: bool(con["lldp"])}
    _type_from(nm, kind, iface)
    if nm.get("ethtool"):
        iface["ethtool"] = schema_ethtool(nm["ethtool"])
    dot1x = dot1x_config(nm)
    if dot1x:
        iface["802.1x"] = dot1x
    for family in k.IP_FAMILIES:
        iface[family] = _ip_from(nm, family, kind)
    return iface


def dot1x_config(nm: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The schema's ``802.1x`` section of a profile (secrets only where the caller fetched them)."""
    dot1x = nm.get("802-1x") or {}
    if not dot1x:
        return None
    return {
        key: (
            bytes(dot1x[prop]).rstrip(b"\0").decode().removeprefix("file://")
            if key in CERT_KEYS
            else dot1x[prop]
        )
        for key, prop in DOT1X_PROPS.items()
        if dot1x.get(prop)
    }


def settings_to_ifaces(profiles: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Interfaces for a set of profiles, with controllers' port lists filled from their ports.

    A port names its controller by interface name or by profile UUID; both resolve here.
    """
    profiles = list(profiles)
    by_uuid = {
        p["connection"].get("uuid"): p["connection"].get("interface-name")
        for p in profiles
        if p.get("connection")
    }
    ifaces = [settings_to_iface(p) for p in profiles]
    by_name = {i[k.NAME]: i for i in ifaces}
    for prof, iface in zip(profiles, ifaces, strict=True):
        if k.CONTROLLER not in iface:
            continue
        iface[k.CONTROLLER] = by_uuid.get(iface[k.CONTROLLER]) or iface[k.CONTROLLER]
        ctrl = by_name.get(iface[k.CONTROLLER])
        if ctrl is None:
            continue
        if ctrl[k.TYPE] == k.LINUX_BRIDGE:
            ctrl[k.BRIDGE][k.PORT].append(bridge_port_entry(prof))
        elif ctrl[k.TYPE] == k.BOND:
            ctrl[k.LINK_AGGREGATION][k.PORT].append(iface[k.NAME])
        elif ctrl[k.TYPE] == k.VRF:
            ctrl[k.VRF][k.PORT].append(iface[k.NAME])
    return ifaces


def _dns_servers(sec: dict[str, Any], family: str) -> list[str]:
    """A profile's name servers: ``dns-data`` (strings), or the legacy packed ``dns``.

    NM's legacy form is IPv4 as integers in network byte order and IPv6 as
    16-byte arrays; GetAppliedConnection on NM 1.42 gives only that form.
    """
    if sec.get("dns-data"):
        return [str(s) for s in sec["dns-data"]]
    out = []
    for raw in sec.get("dns") or []:
        if family == k.IPV4:
            out.append(str(ipaddress.IPv4Address(int(raw).to_bytes(4, "little"))))
        else:
            out.append(str(ipaddress.IPv6Address(bytes(raw))))
    return out


def dns_priority(sec: dict[str, Any]) -> int:
    """A family's effective ``dns-priority``: NM reads 0 as its default, 100."""
    value = int(sec.get("dns-priority") or 0)
    return value if value else NM_DEFAULT_DNS_PRIORITY


def dns_entries(nm: dict[str, Any]) -> list[tuple[int, dict[str, list[str]]]]:
    """Each family's DNS config of a profile with its priority, IPv4 first (NM's tie order)."""
    out = []
    for family in k.IP_FAMILIES:
        sec = nm.get(family) or {}
        entry = {
            k.SERVER: _dns_servers(sec, family),
            k.SEARCH: list(sec.get("dns-search") or []),
            k.OPTIONS: list(sec.get("dns-options") or []),
        }
        if any(entry.values()):
            out.append((dns_priority(sec), entry))
    return out


def join_dns(entries: Iterable[tuple[int, dict[str, list[str]]]]) -> dict[str, list[str]]:
    """DNS configs in the order NM uses them: by priority, ties in the order given."""
    out: dict[str, list[str]] = {k.SERVER: [], k.SEARCH: [], k.OPTIONS: []}
    for _prio, entry in sorted(entries, key=lambda e: e[0]):
        for key in out:
            out[key] += [v for v in entry.get(key, []) if v not in out[key]]
    return out


def settings_to_dns(nm: dict[str, Any]) -> dict[str, list[str]]:
    """The DNS config a profile carries: servers of both families, search, options."""
    return join_dns(dns_entries(nm))
