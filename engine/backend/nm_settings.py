"""Translate between nmstate-schema interfaces and NetworkManager connection profiles.

One translation serves apply (profiles sent over D-Bus), ``gc`` (the same
profiles written as keyfiles) and ``show`` (profiles read back), so the
three can never disagree about what a key means. Values here are plain
Python; :mod:`engine.backend.nm_types` adds the D-Bus types.

NetworkManager 1.42 facts this relies on (``man 5 nm-settings-dbus``):

* ports name their controller with ``connection.master`` and
  ``connection.slave-type`` (the 1.42 D-Bus names);
* mtu and cloned MAC of software links live in ``802-3-ethernet``, except
  loopback and infiniband which have their own ``mtu``;
* name servers go in ``ipv4/ipv6.dns-data`` as strings (no byte packing);
* 1.42 has no ``ipvlan`` setting: ipvlan profiles take the shape newer NMs
  (1.52+) accept, and 1.42 rejects them.

The reverse direction (profile → interface) lives in
:mod:`engine.backend.nm_settings_read` and is re-exported here; the name and
enum tables both directions share are in :mod:`engine.backend.nm_names`.
"""

from __future__ import annotations

import uuid
from typing import Any

from engine import keys as k
from engine.backend.nm_names import (
    ADDR_GEN_MODES,
    BRIDGE_OPTS,
    BRIDGE_PORT_OPTS,
    CERT_KEYS,
    CLIENT_IDS,
    DOT1X_PROPS,
    IPVLAN_MODES,
    MACVLAN_MODES,
    MCAST_ROUTER,
    NM_TYPE,
    NMSTATE_DESCRIPTION,
    PORT_TYPE,
    STP_OPTS,
    VLAN_FLAG_LOOSE,
    VLAN_FLAG_REORDER,
    VLAN_PROTOCOLS,
)
from engine.backend.nm_route_rules import rules_to_nm
from engine.backend.nm_routes import route_items
from engine.backend.nm_settings_extra import extra_type_settings, sriov_settings
from engine.bridge_vlans import ranges_from_section
from engine.ethtool_names import nm_ethtool
from engine.placement import Controllers, dns_placement, find_controller, rule_placement

__all__ = ["iface_to_settings", "profile_uuid"]

#: Namespace of the deterministic profile UUIDs, so re-running gc gives the same files.
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "nmtui-state.invalid")

# --- forward: interface → profile -------------------------------------------------

#: ``dns-priority`` of the family listed first, and of the other (nmstate's values).
DNS_PRIORITY_FIRST = 40
DNS_PRIORITY_SECOND = 50


def profile_uuid(name: str, iface_type: str) -> str:
    """The deterministic UUID of a new profile for ``name``/``iface_type``."""
    return str(uuid.uuid5(UUID_NAMESPACE, f"{iface_type}/{name}"))


def _addresses(ip: dict[str, Any]) -> list[dict[str, Any]]:
    """address-data items; accepts ``{ip, prefix-length}`` dicts and ``"ip/len"`` strings."""
    out = []
    for entry in ip.get(k.ADDRESS) or []:
        if isinstance(entry, str):
            addr, _, plen = entry.partition("/")
            out.append({"address": addr, "prefix": int(plen or (128 if ":" in addr else 32))})
        else:
            out.append({"address": entry[k.IP], "prefix": int(entry[k.PREFIX_LENGTH])})
    return out


#: i32::MAX, nmstate's ``dhcp-timeout`` and ``ra-timeout`` for dynamic IP: endless.
DHCP_FOREVER = 2147483647


def _ip_settings(iface: dict[str, Any], family: str, l2_port: bool) -> dict[str, Any]:
    """The ipv4/ipv6 setting from the interface's section (routes and DNS are added later).

    Loopback is special: NM 1.42 accepts only ``manual`` (with addresses) or
    ``auto`` (just 127.0.0.1/8 and ::1) there, since lo cannot lose IP.
    """
    ip = iface.get(family)
    if iface[k.TYPE] == k.LOOPBACK:
        addrs = _addresses(ip) if isinstance(ip, dict) else []
        return {"method": "manual", "address-data": addrs} if addrs else {"method": "auto"}
    if l2_port or not isinstance(ip, dict) or not ip.get(k.ENABLED):
        return {"method": "disabled"}
    v6 = family == k.IPV6
    dhcp, autoconf = bool(ip.get(k.DHCP)), v6 and bool(ip.get(k.AUTOCONF))
    addrs = _addresses(ip)
    if dhcp or autoconf:
        method = "dhcp" if v6 and not autoconf else "auto"
    elif addrs:
        method = "manual"
    else:
        method = "link-local" if v6 else "disabled"
    out: dict[str, Any] = {"method": method}
    if addrs:
        out["address-data"] = addrs
    if dhcp or autoconf:
        # nmstate's: NetworkManager never gives up waiting for a lease (and so never
        # takes down an interface the state wants up for want of one).
        out["dhcp-timeout"] = DHCP_FOREVER
        if autoconf:
            out["ra-timeout"] = DHCP_FOREVER
        for key, prop in (
            ("auto-dns", "ignore-auto-dns"),
            ("auto-routes", "ignore-auto-routes"),
            ("auto-gateway", "never-default"),
        ):
            if ip.get(key) is not None:
                out[prop] = not ip[key]
        if ip.get("auto-route-table-id") is not None:
            out["route-table"] = int(ip["auto-route-table-id"])
        if ip.get("auto-route-metric") is not None:
            out["route-metric"] = int(ip["auto-route-metric"])
    if not v6 and ip.get("dhcp-client-id"):
        out["dhcp-client-id"] = CLIENT_IDS.get(ip["dhcp-client-id"], ip["dhcp-client-id"])
    if v6 and ip.get("dhcp-duid"):
        out["dhcp-duid"] = ip["dhcp-duid"]
    if v6 and ip.get("addr-gen-mode") is not None:
        out["addr-gen-mode"] = ADDR_GEN_MODES[ip["addr-gen-mode"]]
    if v6 and ip.get("token"):
        out["token"] = ip["token"]
    return out


def _mac_bytes(mac: str) -> bytes:
    return bytes(int(part, 16) for part in mac.split(":"))


def _type_settings(iface: dict[str, Any], nm: dict[str, dict[str, Any]]) -> None:
    """The settings that depend on the interface type (bridge, bond, vlan...)."""
    kind = iface[k.TYPE]
    if kind == k.LINUX_BRIDGE:
        section = nm.setdefault("bridge", {})
        opts = (iface.get(k.BRIDGE) or {}).get(k.OPTIONS) or {}
        for key, (prop, _d) in STP_OPTS.items():
            if (opts.get("stp") or {}).get(key) is not None:
                section[prop] = opts["stp"][key]
        for key, (prop, _d) in BRIDGE_OPTS.items():
            value = opts.get(key)
            if key == "group-forward-mask" and value is None:
                value = opts.get("group-fwd-mask")  # its kernel name; validation refuses two
            if key == "vlan-protocol" and value is not None:
                value = VLAN_PROTOCOLS[str(value).lower()]
            elif key == "multicast-router" and isinstance(value, int):
                value = MCAST_ROUTER[value]
            if value is not None:
                section[prop] = value
        if opts.get("group-addr"):
            section["group-address"] = _mac_bytes(opts["group-addr"])
        ports = (iface.get(k.BRIDGE) or {}).get(k.PORT) or []
        if any(p.get(k.VLAN) for p in ports):
            section["vlan-filtering"] = True
    elif kind == k.BOND:
        agg = iface.get(k.LINK_AGGREGATION) or {}
        options = {"mode": str(agg.get(k.MODE) or "balance-rr")}
        for key, value in (agg.get(k.OPTIONS) or {}).items():
            options[key] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        nm["bond"] = {"options": options}
    elif kind == k.VLAN:
        vlan = iface.get(k.VLAN) or {}
        nm["vlan"] = {"parent": vlan[k.BASE_IFACE], "id": int(vlan[k.ID])}
        if vlan.get("protocol"):
            nm["vlan"]["protocol"] = VLAN_PROTOCOLS[str(vlan["protocol"]).lower()]
        if vlan.get("reorder-headers") is not None or vlan.get("loose-binding") is not None:
            nm["vlan"]["flags"] = VLAN_FLAG_REORDER * bool(
                vlan.get("reorder-headers", True)
            ) | VLAN_FLAG_LOOSE * bool(vlan.get("loose-binding"))
    elif kind == k.VXLAN:
        vx = iface.get(k.VXLAN) or {}
        nm["vxlan"] = {"id": int(vx[k.ID])}
        for key, prop in (
            (k.BASE_IFACE, "parent"),
            ("local", "local"),
            ("remote", "remote"),
            ("destination-port", "destination-port"),
            ("learning", "learning"),
        ):
            if vx.get(key) not in (None, ""):
                nm["vxlan"][prop] = vx[key]
    elif kind in (k.MAC_VLAN, k.MAC_VTAP):
        mv = iface.get(kind) or {}
        nm["macvlan"] = {
            "parent": mv[k.BASE_IFACE],
            "mode": MACVLAN_MODES[mv.get(k.MODE, "vepa")],
            "tap": kind == k.MAC_VTAP,
        }
        if mv.get("promiscuous") is not None:
            nm["macvlan"]["promiscuous"] = bool(mv["promiscuous"])
    elif kind == k.IPVLAN:
        iv = iface.get(k.IPVLAN) or {}
        nm["ipvlan"] = {"parent": iv[k.BASE_IFACE], "mode": IPVLAN_MODES[iv.get(k.MODE, "l2")]}
        nm["ipvlan"].update({f: bool(iv[f]) for f in ("private", "vepa") if f in iv})
    elif kind == k.VETH:
        peer = (iface.get(k.VETH) or {}).get(k.PEER)
        if not peer:
            raise ValueError(  # nmstate's words; a profile NM holds would have named it
                f"Veth interface {iface[k.NAME]} does not exist, peer name is required for "
                "creating it (give veth.peer, the name of the other end)"
            )
        nm["veth"] = {"peer": peer}
    elif kind == k.VRF:
        nm["vrf"] = {"table": int((iface.get(k.VRF) or {})[k.ROUTE_TABLE_ID])}
    elif kind == k.INFINIBAND:
        ib = iface.get(k.INFINIBAND) or {}
        nm["infiniband"] = {"transport-mode": ib.get(k.MODE, "datagram")}
        pkey = ib.get("pkey")
        if pkey is not None and int(str(pkey), 0) != 0xFFFF:
            nm["infiniband"]["p-key"] = int(str(pkey), 0)
        if ib.get(k.BASE_IFACE):
            nm["infiniband"]["parent"] = ib[k.BASE_IFACE]
    elif kind in (k.DUMMY, k.LOOPBACK):
        nm[NM_TYPE[kind]] = {}
    else:
        extra_type_settings(iface, nm)  # hsr, macsec, ipsec: engine.backend.nm_settings_extra


def _link_settings(iface: dict[str, Any], nm: dict[str, dict[str, Any]]) -> None:
    """mtu, MAC, ethernet link modes, ethtool, 802.1x: the properties every type may carry."""
    kind = iface[k.TYPE]
    section = {k.LOOPBACK: "loopback", k.INFINIBAND: "infiniband"}.get(kind, "802-3-ethernet")
    wired: dict[str, Any] = {}
    if iface.get(k.MTU):
        nm.setdefault(section, {})["mtu"] = int(iface[k.MTU])
    if iface.get(k.MAC_ADDRESS) and section == "802-3-ethernet":
        wired["assigned-mac-address"] = str(iface[k.MAC_ADDRESS]).upper()
    if isinstance(iface.get(k.ACCEPT_ALL_MACS), bool) and section == "802-3-ethernet":
        wired["accept-all-mac-addresses"] = int(iface[k.ACCEPT_ALL_MACS])  # NM: -1 default
    eth = iface.get(k.ETHERNET) or {}
    for key, prop in (
        ("auto-negotiation", "auto-negotiate"),
        ("speed", "speed"),
        ("duplex", "duplex"),
    ):
        if eth.get(key) is not None:
            wired[prop] = eth[key]
    if wired or kind in (k.ETHERNET, k.VETH):
        nm.setdefault("802-3-ethernet", {}).update(wired)
    sriov_settings(iface, nm)
    if isinstance(iface.get("ethtool"), dict):
        ethtool = nm_ethtool(iface["ethtool"])
        if ethtool:
            nm["ethtool"] = ethtool
    dot1x = iface.get("802.1x") or {}
    for key, prop in DOT1X_PROPS.items():
        if dot1x.get(key) is not None:
            value = dot1x[key]
            if key in CERT_KEYS:
                value = b"file://" + str(value).encode() + b"\0"
            nm.setdefault("802-1x", {})[prop] = value


def iface_to_settings(
    iface: dict[str, Any],
    state: dict[str, Any],
    existing_uuid: str | None = None,
    dns_prefer: dict[str, str] | None = None,
    *,
    dns_on: dict[str, str] | None = None,
    controllers: Controllers | None = None,
    rules_on: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, dict[str, Any]]:
    """The NM profile (plain values) for one schema interface of ``state``.

    ``state`` supplies what the interface alone does not say: its controller
    (and that controller's port options), its routes and the DNS servers it
    should carry. ``existing_uuid`` keeps an existing profile's identity;
    ``dns_prefer`` names the interfaces carrying DNS now (see :func:`dns_placement`).
    A caller translating many interfaces of one state passes ``dns_on`` (that
    placement, computed once) and ``controllers`` (the state's index), which
    keeps a whole plan linear instead of cubic in the number of interfaces;
    ``rules_on`` is :func:`rule_placement` of ``state``, likewise.
    """
    name, kind = iface[k.NAME], iface.get(k.TYPE)
    if kind not in NM_TYPE:
        raise ValueError(
            f"interface {name}: type {kind!r} has no NetworkManager translation "
            f"here (supported: {', '.join(sorted(NM_TYPE))})"
        )
    con: dict[str, Any] = {
        "id": iface.get(k.PROFILE_NAME) or name,
        "uuid": existing_uuid or profile_uuid(name, kind),
        "type": NM_TYPE[kind],
        "interface-name": name,
        "autoconnect": iface.get(k.STATE, k.UP) != k.DOWN,
    }
    if kind in PORT_TYPE:
        con["autoconnect-slaves"] = 1  # bring listed ports up with the controller
    if isinstance(iface.get("lldp"), dict) and iface["lldp"].get(k.ENABLED) is not None:
        con["lldp"] = 1 if iface["lldp"][k.ENABLED] else 0
    nm: dict[str, dict[str, Any]] = {"connection": con}
    if isinstance(iface.get(k.DESCRIPTION), str):  # as nmstate: "" empties the user data
        text = iface[k.DESCRIPTION]
        nm["user"] = {"data": {NMSTATE_DESCRIPTION: text} if text else {}}
    ctrl = find_controller(iface, state, controllers)
    if ctrl is not None:
        con["master"], con["slave-type"] = ctrl[k.NAME], PORT_TYPE[ctrl[k.TYPE]]
    _type_settings(iface, nm)
    _link_settings(iface, nm)
    if ctrl is not None and ctrl[k.TYPE] == k.LINUX_BRIDGE:
        listed = (ctrl.get(k.BRIDGE) or {}).get(k.PORT) or []
        entry: dict[str, Any] = next((p for p in listed if p.get(k.NAME) == name), {})
        port = nm["bridge-port"] = {
            prop: entry[key]
            for key, (prop, _d) in BRIDGE_PORT_OPTS.items()
            if entry.get(key) is not None
        }
        if entry.get(k.VLAN):
            port["vlans"] = ranges_from_section(entry[k.VLAN])
    l2_port = ctrl is not None and ctrl[k.TYPE] != k.VRF
    routes = route_items(state, name)
    if dns_on is None:
        dns_on = dns_placement(state, dns_prefer, controllers)
    dns = (state.get(k.DNS_RESOLVER) or {}).get(k.CONFIG) or {}
    for family in k.IP_FAMILIES:
        ip = nm[family] = _ip_settings(iface, family, l2_port)
        if routes[family]:
            ip["route-data"] = routes[family]
        if dns_on.get(family) == name:
            _dns_settings(ip, family, dns, dns_on)
    if rules_on is None:
        rules_on = rule_placement(state)
    for family in k.IP_FAMILIES:
        items = rules_to_nm(rules_on.get(name, []), family)
        if items:
            nm[family]["routing-rules"] = items
    return nm


def _dns_settings(
    ip: dict[str, Any], family: str, dns: dict[str, Any], dns_on: dict[str, str]
) -> None:
    """The DNS part of one family's ip setting, on the profile chosen to carry it.

    NetworkManager keeps IPv4 and IPv6 servers apart and orders the
    configurations by ``dns-priority`` (lower first). As nmstate does, the
    family of the first server listed carries the search list and options;
    when both families have servers it gets priority 40 and the other 50, so
    resolv.conf lists them in the order the state wrote. (With one family
    only, the order is kept within it and NM's default priority stays.)
    """
    servers = [str(s) for s in dns.get(k.SERVER) or []]
    mine = [s for s in servers if (":" in s) == (family == k.IPV6)]
    if mine:
        ip["dns-data"] = mine
    first_v6 = bool(servers) and ":" in servers[0]
    preferred = k.IPV6 if first_v6 else k.IPV4
    if preferred not in dns_on:
        preferred = k.IPV4 if k.IPV4 in dns_on else k.IPV6
    both = len(mine) not in (0, len(servers))
    if both:
        ip["dns-priority"] = DNS_PRIORITY_FIRST if family == preferred else DNS_PRIORITY_SECOND
    if family == preferred:
        if dns.get(k.SEARCH):
            ip["dns-search"] = list(dns[k.SEARCH])
        if dns.get(k.OPTIONS):
            ip["dns-options"] = list(dns[k.OPTIONS])
