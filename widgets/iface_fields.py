"""The interface form's field table and its value conversions (no widgets).

Which fields each interface type shows (:data:`COMMON`, :data:`BY_TYPE`),
the gateway fields that stand for a default route, and how a value turns
into an input's text and back. Apart from :mod:`widgets.iface_form` so the
table and the parsing can be read (and tested) without Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine import keys as k

Path = tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """One form field: where it lives in the interface, and how it is edited."""

    path: Path
    label: str
    kind: str  # "select", "choice" (a select that may stay unset), "int", "bool", "text",
    # "addresses", "names", "gateway"
    options: tuple[str, ...] = ()

    @property
    def widget_id(self) -> str:
        return "f-" + "-".join(p.replace(".", "_") for p in self.path)


STATES = (k.UP, k.DOWN, k.ABSENT)
COMMON = (
    Field((k.STATE,), "state", "select", STATES),
    Field((k.MTU,), "MTU", "int"),
    Field((k.IPV4, k.ENABLED), "IPv4", "bool"),
    Field((k.IPV4, k.DHCP), "IPv4 DHCP", "bool"),
    Field((k.IPV4, k.ADDRESS), "IPv4 addresses", "addresses"),
    Field((k.IPV6, k.ENABLED), "IPv6", "bool"),
    Field((k.IPV6, k.DHCP), "IPv6 DHCP", "bool"),
    Field((k.IPV6, k.AUTOCONF), "IPv6 autoconf", "bool"),
    Field((k.IPV6, k.ADDRESS), "IPv6 addresses", "addresses"),
)
MACVLAN_MODES = ("vepa", "bridge", "private", "passthru", "source")
LACP_RATES = ("slow", "fast")
HASHES = ("layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4", "vlan+srcmac")
BY_TYPE: dict[str, tuple[Field, ...]] = {
    k.LINUX_BRIDGE: (
        Field((k.BRIDGE, k.PORT), "ports", "names"),
        Field((k.BRIDGE, k.OPTIONS, "stp", k.ENABLED), "STP", "bool"),
    ),
    k.BOND: (
        Field((k.LINK_AGGREGATION, k.MODE), "bond mode", "select", k.BOND_MODES),
        Field((k.LINK_AGGREGATION, k.PORT), "ports", "names"),
        Field((k.LINK_AGGREGATION, k.OPTIONS, "miimon"), "miimon (ms)", "int"),
        Field((k.LINK_AGGREGATION, k.OPTIONS, "primary"), "primary port", "text"),
        Field((k.LINK_AGGREGATION, k.OPTIONS, "lacp_rate"), "LACP rate", "choice", LACP_RATES),
        Field((k.LINK_AGGREGATION, k.OPTIONS, "xmit_hash_policy"), "hash policy", "choice", HASHES),
    ),
    k.VLAN: (
        Field((k.VLAN, k.BASE_IFACE), "base interface", "text"),
        Field((k.VLAN, k.ID), "VLAN id", "int"),
    ),
    k.VXLAN: (
        Field((k.VXLAN, k.ID), "VNI", "int"),
        Field((k.VXLAN, k.BASE_IFACE), "base interface", "text"),
        Field((k.VXLAN, "remote"), "remote", "text"),
        Field((k.VXLAN, "destination-port"), "UDP port", "int"),
    ),
    k.MAC_VLAN: (
        Field((k.MAC_VLAN, k.BASE_IFACE), "base interface", "text"),
        Field((k.MAC_VLAN, k.MODE), "mode", "select", MACVLAN_MODES),
    ),
    k.MAC_VTAP: (
        Field((k.MAC_VTAP, k.BASE_IFACE), "base interface", "text"),
        Field((k.MAC_VTAP, k.MODE), "mode", "select", MACVLAN_MODES),
    ),
    k.VETH: (Field((k.VETH, k.PEER), "peer", "text"),),
    k.VRF: (
        Field((k.VRF, k.ROUTE_TABLE_ID), "route table", "int"),
        Field((k.VRF, k.PORT), "ports", "names"),
    ),
}


PLACEHOLDERS: dict[Path, str] = {
    (k.IPV4, k.ADDRESS): "192.0.2.1/24, ...",
    (k.IPV6, k.ADDRESS): "2001:db8::1/64, ...",
}


def placeholder_for(field: Field) -> str:
    """An example value of the field's own family (IPv6 fields show an IPv6 example)."""
    return PLACEHOLDERS.get(field.path, "")


def fields_for(iface_type: str) -> tuple[Field, ...]:
    return COMMON + BY_TYPE.get(iface_type, ())


# The gateway is not a key of the interface: it is this interface's default route in
# ``routes.config``, so the form posts GatewayChanged and the screen edits the routes.
GATEWAY = "gateway"
GATEWAY_HELP = {
    k.IPV4: "Default route (0.0.0.0/0) through this interface via this address, "
    "written to routes.config; empty removes it.",
    k.IPV6: "Default route (::/0) through this interface via this address, "
    "written to routes.config; empty removes it.",
}
GATEWAY_PLACEHOLDER = {k.IPV4: "192.0.2.1", k.IPV6: "2001:db8::1"}


def with_gateway_fields(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """``fields`` with a gateway field after each family's addresses."""
    out: list[Field] = []
    for field in fields:
        out.append(field)
        if field.kind == "addresses" and field.path[0] in GATEWAY_HELP:
            family = field.path[0]
            label = "IPv4 gateway" if family == k.IPV4 else "IPv6 gateway"
            out.append(Field((family, GATEWAY), label, "gateway"))
    return tuple(out)


def get_at(iface: dict[str, Any], path: Path) -> Any:
    node: Any = iface
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def set_at(iface: dict[str, Any], path: Path, value: Any) -> None:
    """Set (or, for ``None``, remove) the value at ``path``, creating sections as needed."""
    node = iface
    for part in path[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            if value is None:
                return
            nxt = node[part] = {}
        node = nxt
    if value is None:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


def to_text(field: Field, value: Any) -> str:
    """How a value shows in a text input."""
    if value is None:
        return ""
    if field.kind in ("addresses", "names") and not isinstance(value, list):
        return str(value)  # not a list (typed in the YAML): shown as is, validation says why
    if field.kind == "addresses":
        return ", ".join(
            f"{a.get(k.IP)}/{a.get(k.PREFIX_LENGTH)}" if isinstance(a, dict) else str(a)
            for a in value
        )
    if field.kind == "names":
        return ", ".join(str(p.get(k.NAME, "")) if isinstance(p, dict) else str(p) for p in value)
    return str(value)


def from_text(field: Field, text: str, old: Any) -> Any:
    """Parse an input's text back into a state value (unparseable text passes through)."""
    text = text.strip()
    if field.kind == "int":
        if not text:
            return None
        return int(text) if text.lstrip("-").isdigit() else text
    if field.kind == "addresses":
        out: list[dict[str, Any]] = []
        for item in filter(None, (p.strip() for p in text.replace(" ", ",").split(","))):
            ip, _, prefix = item.partition("/")
            entry: dict[str, Any] = {k.IP: ip}
            if prefix:
                entry[k.PREFIX_LENGTH] = int(prefix) if prefix.isdigit() else prefix
            out.append(entry)
        return out
    if field.kind == "names":
        names = [n for n in (p.strip() for p in text.replace(" ", ",").split(",")) if n]
        if field.path[0] == k.BRIDGE:  # bridge ports are objects; keep their options
            kept = old if isinstance(old, list) else []
            by_name = {
                p.get(k.NAME): p
                for p in kept
                if isinstance(p, dict) and isinstance(p.get(k.NAME), str)
            }
            return [by_name.get(n, {k.NAME: n}) for n in names]
        return names
    return text or None
