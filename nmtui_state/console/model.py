"""The console's set-up form as data, and the nmstate state it stands for (no UI here).

One uplink, configured one of four ways: DHCP, a static address, a VLAN on
it, or a bond of it with other NICs; plus a default gateway, DNS servers
and the hostname. :func:`desired` turns the form into a partial state in
the schema (the same a person would write for ``nmtui-state apply``), so
the console's diff, apply and the file it writes are the engine's own.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from engine import keys as k

MODES = ("dhcp", "static", "vlan", "bond")
MODE_TEXT = {
    "dhcp": "DHCP (address from the network)",
    "static": "Static address",
    "vlan": "VLAN on this NIC (tagged uplink)",
    "bond": "Bond this NIC with others",
}
BOND_NAME = "bond0"
MAIN_TABLE = 254
BOND_MODES = ("active-backup", "802.3ad", "balance-rr", "balance-xor", "broadcast")


@dataclass
class Setup:
    """What the admin typed. Empty address under vlan/bond means DHCP."""

    uplink: str
    uplink_type: str = k.ETHERNET
    mode: str = "dhcp"
    address: str = ""
    gateway: str = ""
    dns: str = ""
    hostname: str = ""
    vlan_id: str = ""
    bond_ports: str = ""
    bond_mode: str = "active-backup"

    @property
    def target(self) -> str:
        """The interface that carries the address: the NIC, its VLAN, or the bond."""
        if self.mode == "vlan":
            return f"{self.uplink}.{self.vlan_id.strip()}"
        if self.mode == "bond":
            return BOND_NAME
        return self.uplink

    @property
    def static(self) -> bool:
        return self.mode == "static" or (self.mode in ("vlan", "bond") and bool(self.address))


def split_list(text: str) -> list[str]:
    """``a, b c`` → ``[a, b, c]``: lists typed on one line, by comma or space."""
    return [part for part in re.split(r"[,\s]+", text.strip()) if part]


def field_problems(s: Setup) -> list[tuple[str, str]]:
    """(field id, message) for what is wrong with the form itself, before any state exists."""
    out: list[tuple[str, str]] = []
    net: ipaddress.IPv4Interface | ipaddress.IPv6Interface | None = None
    if s.static:
        if not s.address.strip():
            out.append(("address", "give an address with its prefix, e.g. 192.0.2.50/24"))
        elif "/" not in s.address:
            out.append(("address", f"{s.address} needs a prefix length, e.g. {s.address}/24"))
        else:
            try:
                net = ipaddress.ip_interface(s.address.strip())
            except ValueError:
                out.append(("address", f"{s.address} is not an IP address with a prefix"))
    if s.gateway.strip():
        try:
            gw = ipaddress.ip_address(s.gateway.strip())
        except ValueError:
            out.append(("gateway", f"{s.gateway} is not an IP address"))
        else:
            if net is not None and gw.version != net.version:
                out.append(("gateway", "the gateway and the address are of different families"))
    for server in split_list(s.dns):
        try:
            ipaddress.ip_address(server)
        except ValueError:
            out.append(("dns", f"{server} is not an IP address"))
    if s.mode == "vlan":
        vid = s.vlan_id.strip()
        if not vid.isdigit() or not 1 <= int(vid) <= 4094:
            out.append(("vlan_id", "a VLAN id is a number from 1 to 4094"))
    if s.mode == "bond" and s.bond_mode not in BOND_MODES:
        out.append(("bond_mode", f"bond mode is one of {', '.join(BOND_MODES)}"))
    return out


def _ip(s: Setup) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(ipv4 section, ipv6 section or None) of the target interface."""
    if not s.static:
        return {k.ENABLED: True, k.DHCP: True}, None
    addr = ipaddress.ip_interface(s.address.strip())
    section = {
        k.ENABLED: True,
        k.DHCP: False,
        k.ADDRESS: [{k.IP: str(addr.ip), k.PREFIX_LENGTH: addr.network.prefixlen}],
    }
    if addr.version == 6:
        return {k.ENABLED: False}, {**section, k.AUTOCONF: False}
    return section, None


def desired(s: Setup) -> dict[str, Any]:
    """The partial state the form asks for (unmentioned interfaces are left alone)."""
    ipv4, ipv6 = _ip(s)
    target: dict[str, Any] = {k.NAME: s.target, k.STATE: k.UP, k.IPV4: ipv4}
    if ipv6 is not None:
        target[k.IPV6] = ipv6
    interfaces: list[dict[str, Any]] = []
    if s.mode == "vlan":
        target[k.TYPE] = k.VLAN
        target[k.VLAN] = {k.BASE_IFACE: s.uplink, k.ID: int(s.vlan_id.strip())}
        interfaces.append({k.NAME: s.uplink, k.TYPE: s.uplink_type, k.STATE: k.UP})
    elif s.mode == "bond":
        ports = [s.uplink, *[p for p in split_list(s.bond_ports) if p != s.uplink]]
        target[k.TYPE] = k.BOND
        target[k.LINK_AGGREGATION] = {k.MODE: s.bond_mode, k.PORT: ports}
    else:
        target[k.TYPE] = s.uplink_type
    interfaces.append(target)
    state: dict[str, Any] = {}
    if s.hostname.strip():
        state[k.HOSTNAME] = {k.CONFIG: s.hostname.strip()}
    servers = split_list(s.dns)
    if servers:
        state[k.DNS_RESOLVER] = {k.CONFIG: {k.SERVER: servers}}
    if s.gateway.strip():
        gw = ipaddress.ip_address(s.gateway.strip())
        state[k.ROUTES] = {
            k.CONFIG: [
                {
                    k.DESTINATION: "0.0.0.0/0" if gw.version == 4 else "::/0",
                    k.NEXT_HOP_ADDRESS: str(gw),
                    k.NEXT_HOP_INTERFACE: s.target,
                    # The main table, said explicitly: the host reads it back that way, and
                    # routes merge by exact entry, so the written file re-applies as a no-op.
                    k.TABLE_ID: MAIN_TABLE,
                }
            ]
        }
    state[k.INTERFACES] = interfaces
    return state


def prefill(s: Setup, state: dict[str, Any]) -> Setup:
    """The form for ``s.uplink`` started from what the host has now (address, DNS, hostname)."""
    for iface in state.get(k.INTERFACES, []):
        if iface.get(k.NAME) == s.uplink:
            s.uplink_type = str(iface.get(k.TYPE, k.ETHERNET))
            addrs = (iface.get(k.IPV4) or {}).get(k.ADDRESS) or []
            if addrs and not s.address:
                s.address = f"{addrs[0][k.IP]}/{addrs[0][k.PREFIX_LENGTH]}"
    if not s.hostname:
        s.hostname = str((state.get(k.HOSTNAME) or {}).get(k.CONFIG) or "")
    if not s.dns:
        cfg = (state.get(k.DNS_RESOLVER) or {}).get(k.CONFIG) or {}
        s.dns = ", ".join(str(x) for x in cfg.get(k.SERVER) or [])
    return s
