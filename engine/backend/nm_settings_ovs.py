"""Open vSwitch profiles for gen-conf: bridge, one ``ovs-port`` per bridge port, interfaces.

NetworkManager models an OVS bridge in three layers (``man 5 nm-settings-dbus``,
``ovs-*`` settings; nmstate's ``rust/src/lib/nm/settings/ovs.rs`` writes the same):

* an ``ovs-bridge`` profile (no IP) with the bridge options;
* for each entry of ``bridge.port``, an ``ovs-port`` profile whose master is
  the bridge; it carries the port's VLAN mode/tag/trunks and, for an OVS
  bond, the bond mode, LACP and delays;
* the interfaces themselves (``ovs-interface``: internal, patch or DPDK; or
  a system NIC), each the port of its ``ovs-port`` profile, named by UUID
  because the ovs-port and the interface share one interface name.

Only gen-conf uses this: apply has no OVS plan, and Debian's NetworkManager
1.42 ships without the OVS device plugin, so apply keeps refusing OVS
before the host is touched.
"""

from __future__ import annotations

import copy
from typing import Any

from engine import keys as k
from engine.backend.nm_settings import iface_to_settings, profile_uuid

__all__ = ["OVS_TYPES", "attach", "ovs_owners", "ovs_profiles"]

OVS_TYPES = frozenset({k.OVS_BRIDGE, k.OVS_INTERFACE})
OVS_PORT = "ovs-port"
#: nmstate's OVS bond modes → NM ``ovs-port.bond-mode`` and ``ovs-port.lacp``.
_BOND_MODES: dict[str, tuple[str | None, str | None]] = {
    "active-backup": ("active-backup", None),
    "balance-slb": ("balance-slb", None),
    "balance-tcp": ("balance-tcp", "active"),
    "lacp": (None, "active"),
}


def _entries(bridge: dict[str, Any]) -> list[dict[str, Any]]:
    ports = (bridge.get(k.BRIDGE) or {}).get(k.PORT) or []
    return [p for p in ports if isinstance(p, dict) and isinstance(p.get(k.NAME), str)]


def _members(entry: dict[str, Any]) -> list[str]:
    agg = entry.get(k.LINK_AGGREGATION)
    ports = agg.get(k.PORT) if isinstance(agg, dict) else None
    return [m[k.NAME] for m in ports or [] if isinstance(m, dict) and m.get(k.NAME)]


def ovs_owners(state: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Interface → (OVS bridge, ovs-port) holding it, for every OVS port of ``state``.

    An interface listed directly is its own ovs-port's namesake; a member of
    an OVS bond sits in the bond's ovs-port.
    """
    out: dict[str, tuple[str, str]] = {}
    for bridge in state.get(k.INTERFACES) or []:
        if bridge.get(k.TYPE) != k.OVS_BRIDGE or bridge.get(k.STATE) == k.ABSENT:
            continue
        for entry in _entries(bridge):
            members = _members(entry)
            for name in members or [entry[k.NAME]]:
                out.setdefault(name, (bridge[k.NAME], entry[k.NAME]))
    return out


def _connection(name: str, nm_type: str, profile_id: str, up: bool) -> dict[str, Any]:
    return {
        "id": profile_id,
        "uuid": profile_uuid(name, nm_type),
        "type": nm_type,
        "interface-name": name,
        "autoconnect": up,
    }


def _port_profile(bridge: str, entry: dict[str, Any], up: bool) -> dict[str, dict[str, Any]]:
    name = entry[k.NAME]
    con = _connection(name, OVS_PORT, f"{OVS_PORT}-{name}", up)
    con.update(master=profile_uuid(bridge, k.OVS_BRIDGE), **{"slave-type": k.OVS_BRIDGE})
    port: dict[str, Any] = {}
    vlan = entry.get(k.VLAN) or {}
    if vlan.get(k.MODE):
        port["vlan-mode"] = vlan[k.MODE]
    if vlan.get("tag") is not None:
        port["tag"] = int(vlan["tag"])
    trunks = []
    for tag in vlan.get("trunk-tags") or []:
        if tag.get(k.ID) is not None:
            trunks.append({"start": int(tag[k.ID]), "end": int(tag[k.ID])})
        elif isinstance(tag.get("id-range"), dict):
            rng = tag["id-range"]
            trunks.append({"start": int(rng["min"]), "end": int(rng["max"])})
    if trunks:
        port["trunks"] = trunks
    agg = entry.get(k.LINK_AGGREGATION)
    if isinstance(agg, dict):
        mode, lacp = _BOND_MODES.get(str(agg.get(k.MODE)), (None, None))
        if mode:
            port["bond-mode"] = mode
        if lacp:
            port["lacp"] = lacp
        for key in ("bond-updelay", "bond-downdelay"):
            if agg.get(key) is not None:
                port[key] = int(agg[key])
    return {"connection": con, OVS_PORT: port}


def _bridge_profiles(iface: dict[str, Any]) -> list[dict[str, dict[str, Any]]]:
    name = iface[k.NAME]
    up = iface.get(k.STATE, k.UP) != k.DOWN
    con = _connection(name, k.OVS_BRIDGE, iface.get(k.PROFILE_NAME) or name, up)
    con["autoconnect-slaves"] = 1
    opts = (iface.get(k.BRIDGE) or {}).get(k.OPTIONS) or {}
    section: dict[str, Any] = {}
    stp = opts.get("stp")
    stp_on = stp.get(k.ENABLED) if isinstance(stp, dict) else stp
    if isinstance(stp_on, bool):
        section["stp-enable"] = stp_on
    for key, prop in (("rstp", "rstp-enable"), ("mcast-snooping-enable", "mcast-snooping-enable")):
        if isinstance(opts.get(key), bool):
            section[prop] = opts[key]
    if opts.get("fail-mode"):
        section["fail-mode"] = opts["fail-mode"]
    if opts.get("datapath"):
        section["datapath-type"] = opts["datapath"]
    out = [{"connection": con, k.OVS_BRIDGE: section}]
    out += [_port_profile(name, entry, up) for entry in _entries(iface)]
    return out


def _interface_profile(iface: dict[str, Any], state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An ovs-interface: the common translation (IP, routes, DNS, MTU) under OVS's type."""
    # Translated as a dummy (same IP/link handling, no kind-specific section), then retyped.
    stand_in = {key: v for key, v in copy.deepcopy(iface).items() if key not in ("patch", "dpdk")}
    stand_in[k.TYPE] = k.DUMMY
    stand_in.pop(k.CONTROLLER, None)
    nm = iface_to_settings(stand_in, state)
    nm.pop("dummy", None)
    con = nm["connection"]
    con.update(type=k.OVS_INTERFACE, uuid=profile_uuid(iface[k.NAME], k.OVS_INTERFACE))
    kind = "patch" if iface.get("patch") else "dpdk" if iface.get("dpdk") else "internal"
    nm[k.OVS_INTERFACE] = {"type": kind}
    if kind == "patch":
        nm["ovs-patch"] = {"peer": iface["patch"]["peer"]}
        for family in k.IP_FAMILIES:  # a patch port has no device to hold IP
            nm[family] = {"method": "disabled"}
    elif kind == "dpdk":
        dpdk = iface["dpdk"]
        nm["ovs-dpdk"] = {"devargs": dpdk["devargs"]}
        if dpdk.get("rx-queue") is not None:
            nm["ovs-dpdk"]["n-rxq"] = int(dpdk["rx-queue"])
    return nm


def attach(nm: dict[str, dict[str, Any]], owner: tuple[str, str]) -> None:
    """Make the profile ``nm`` the port of ovs-port ``owner[1]`` (no IP on a system port)."""
    con = nm["connection"]
    con["master"], con["slave-type"] = profile_uuid(owner[1], OVS_PORT), OVS_PORT
    if con["type"] != k.OVS_INTERFACE:
        for family in k.IP_FAMILIES:
            nm[family] = {"method": "disabled"}


def ovs_profiles(
    iface: dict[str, Any], state: dict[str, Any], owners: dict[str, tuple[str, str]]
) -> list[dict[str, dict[str, Any]]]:
    """The profiles of one OVS bridge (with its ovs-ports) or one ovs-interface.

    ``owners`` is :func:`ovs_owners` of ``state``, computed once per state.
    """
    if iface.get(k.TYPE) == k.OVS_BRIDGE:
        return _bridge_profiles(iface)
    nm = _interface_profile(iface, state)
    owner = owners.get(iface[k.NAME])
    if owner is not None:
        attach(nm, owner)
    return [nm]
