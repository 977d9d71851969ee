"""Key names and enumerated values of the nmstate schema, spelled once.

Every engine module reads states through these constants so a typo becomes
an import error instead of a silent ``None``, and so a reader can grep for
every place that touches, say, ``link-aggregation``.
"""

from __future__ import annotations

from typing import Final

# --- top level -------------------------------------------------------------
DESCRIPTION: Final = "description"
HOSTNAME: Final = "hostname"
DNS_RESOLVER: Final = "dns-resolver"
ROUTE_RULES: Final = "route-rules"
ROUTES: Final = "routes"
INTERFACES: Final = "interfaces"
OVS_DB: Final = "ovs-db"
OVN: Final = "ovn"
DISPATCH: Final = "dispatch"

#: nmstate prints the top level in this order; unknown keys follow alphabetically.
TOP_LEVEL_ORDER: Final = (
    DESCRIPTION,
    HOSTNAME,
    DNS_RESOLVER,
    ROUTE_RULES,
    ROUTES,
    INTERFACES,
    OVS_DB,
    OVN,
    DISPATCH,
)

# --- sections with desired/observed halves ----------------------------------
CONFIG: Final = "config"
RUNNING: Final = "running"

# --- interface ---------------------------------------------------------------
NAME: Final = "name"
TYPE: Final = "type"
STATE: Final = "state"
MTU: Final = "mtu"
MAC_ADDRESS: Final = "mac-address"
ACCEPT_ALL_MACS: Final = "accept-all-mac-addresses"
PERMANENT_MAC_ADDRESS: Final = "permanent-mac-address"
CONTROLLER: Final = "controller"
PROFILE_NAME: Final = "profile-name"

#: Keys nmstate prints first in an interface (and we in any list item), in this order.
LEADING_KEYS: Final = (NAME, TYPE, STATE)

# --- IP ----------------------------------------------------------------------
IPV4: Final = "ipv4"
IPV6: Final = "ipv6"
IP_FAMILIES: Final = (IPV4, IPV6)
ENABLED: Final = "enabled"
DHCP: Final = "dhcp"
AUTOCONF: Final = "autoconf"
ADDRESS: Final = "address"
IP: Final = "ip"
PREFIX_LENGTH: Final = "prefix-length"
ALLOW_EXTRA_ADDRESS: Final = "allow-extra-address"

# --- controllers and ports ---------------------------------------------------
BRIDGE: Final = "bridge"
PORT: Final = "port"
OPTIONS: Final = "options"
LINK_AGGREGATION: Final = "link-aggregation"
MODE: Final = "mode"
VRF: Final = "vrf"
ROUTE_TABLE_ID: Final = "route-table-id"
TEAM: Final = "team"
PORTS: Final = "ports"  # team.ports (team spells it in the plural)

# --- children with a base interface ------------------------------------------
BASE_IFACE: Final = "base-iface"
ID: Final = "id"
VLAN: Final = "vlan"
VXLAN: Final = "vxlan"
MAC_VLAN: Final = "mac-vlan"
MAC_VTAP: Final = "mac-vtap"
IPVLAN: Final = "ipvlan"
INFINIBAND: Final = "infiniband"
MACSEC: Final = "macsec"
VETH: Final = "veth"
PEER: Final = "peer"

# --- keys that contain a dot ------------------------------------------------------
IEEE_8021X: Final = "802.1x"
#: Keys with dots, which dotted paths must not split (``interfaces[eth0].802.1x.identity``).
DOTTED_KEYS: Final = frozenset({IEEE_8021X})

# --- routes and rules --------------------------------------------------------
DESTINATION: Final = "destination"
NEXT_HOP_ADDRESS: Final = "next-hop-address"
NEXT_HOP_INTERFACE: Final = "next-hop-interface"
METRIC: Final = "metric"
TABLE_ID: Final = "table-id"
#: The kernel's main routing table: where a route without a table-id lives.
MAIN_TABLE: Final = 254
IP_FROM: Final = "ip-from"
IP_TO: Final = "ip-to"
PRIORITY: Final = "priority"
ROUTE_TABLE: Final = "route-table"
FAMILY: Final = "family"

# --- DNS ---------------------------------------------------------------------
SERVER: Final = "server"
SEARCH: Final = "search"

# --- state values --------------------------------------------------------------
UP: Final = "up"
DOWN: Final = "down"
ABSENT: Final = "absent"
IGNORE: Final = "ignore"

# --- interface type values -----------------------------------------------------
ETHERNET: Final = "ethernet"
LINUX_BRIDGE: Final = "linux-bridge"
BOND: Final = "bond"
OVS_BRIDGE: Final = "ovs-bridge"
OVS_INTERFACE: Final = "ovs-interface"
DUMMY: Final = "dummy"
LOOPBACK: Final = "loopback"
UNKNOWN: Final = "unknown"
# VETH, VLAN, VXLAN, MAC_VLAN, MAC_VTAP, IPVLAN, INFINIBAND, MACSEC, VRF and TEAM
# double as type values: nmstate names each type's section after the type.

#: Types whose section carries a ``base-iface`` naming the parent link.
CHILD_TYPES: Final = frozenset({VLAN, VXLAN, MAC_VLAN, MAC_VTAP, IPVLAN, INFINIBAND, MACSEC})

#: Types that own ports.
CONTROLLER_TYPES: Final = frozenset({LINUX_BRIDGE, OVS_BRIDGE, BOND, VRF, TEAM})

#: The per-type sections an interface may carry (``bridge``, ``vlan`` ...).
TYPE_SECTIONS: Final = (
    BRIDGE,
    LINK_AGGREGATION,
    VLAN,
    VXLAN,
    MAC_VLAN,
    MAC_VTAP,
    VETH,
    VRF,
    IPVLAN,
    INFINIBAND,
)

#: Bond modes by nmstate's names (the kernel's order: mode 0 ... 6).
BOND_MODES: Final = (
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
)

#: Links that exist only while configured: NetworkManager deletes them when it deactivates
#: their profile (``state: down``) and with it (``absent``).
SOFTWARE_TYPES: Final = frozenset(
    {LINUX_BRIDGE, BOND, VLAN, VXLAN, MAC_VLAN, MAC_VTAP, VETH, DUMMY, VRF, IPVLAN}
)

#: A bridge's ``multicast-router`` in the kernel's numbers (nmstate takes them) → its word.
MULTICAST_ROUTER: Final = "multicast-router"
MULTICAST_ROUTER_WORDS: Final = {0: "disabled", 1: "auto", 2: "enabled"}
