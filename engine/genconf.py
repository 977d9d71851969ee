"""Generate NetworkManager keyfiles from a state, like ``nmstatectl gc``.

The profiles come from :func:`engine.backend.nm_settings.iface_to_settings`,
the same translation apply uses, so a generated file configures exactly
what applying the state would. This module only changes the spelling from
D-Bus values to keyfile text (``man 5 nm-settings-keyfile``):

* ``802-3-ethernet`` is written under its alias ``[ethernet]``, and its
  D-Bus-only ``assigned-mac-address`` as ``cloned-mac-address``;
* ``address-data``/``route-data`` become ``address1=ip/len`` and
  ``route1=dest/len,next-hop,metric`` (+ ``route1_options=table=…``);
* ``dns-data`` is the keyfile ``dns`` list; lists end with ``;``;
* bond options are one key each; bridge VLANs use nmcli's ``10 pvid untagged,20-30``;
* enums NM writes by name (``addr-gen-mode``) are written by name, and a
  missing ``addr-gen-mode`` is written as ``default``, its D-Bus meaning.

The output is what NetworkManager 1.42 itself writes for the same profile,
checked by loading generated files into a real NM in the tests. Secrets
(802.1x passwords) are written as given: a keyfile is where NM keeps them,
and the caller writes the files root-only.
"""

from __future__ import annotations

import copy
from typing import Any

from engine import keys as k
from engine.backend.nm_names import ADDR_GEN_MODES
from engine.backend.nm_route_rules import rule_text
from engine.backend.nm_settings import iface_to_settings
from engine.backend.nm_settings_ovs import OVS_TYPES, attach, ovs_owners, ovs_profiles
from engine.backend.nm_types import signature
from engine.copy_mac import COPY_MAC_FROM, copies_mac, resolve_copy_mac
from engine.placement import needs_global_dns
from engine.topology import interfaces, port_refs

#: D-Bus setting name → keyfile section name.
SECTION_ALIAS = {"802-3-ethernet": "ethernet"}
#: (setting, D-Bus property) → keyfile key, where keyfile uses the libnm name.
KEY_ALIAS = {
    ("802-3-ethernet", "assigned-mac-address"): "cloned-mac-address",
    ("ipv4", "dns-data"): "dns",
    ("ipv6", "dns-data"): "dns",
}
_TYPE_ALIAS = {"802-3-ethernet": "ethernet"}
_GEN_MODE_NAMES = {num: name for name, num in ADDR_GEN_MODES.items()}
_ROUTE_MAIN = ("dest", "prefix", "next-hop", "metric")


def _escape(text: str, in_list: bool = False) -> str:
    """GKeyFile escaping: backslash, control characters, a leading space, ``;`` in lists."""
    out = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    out = out.replace("\r", "\\r")
    if in_list:
        out = out.replace(";", "\\;")
    return "\\s" + out[1:] if out.startswith(" ") else out


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _escape(str(value))


def _bytes(setting: str, value: bytes | list[int]) -> str:
    """Byte arrays: certificate ``file://`` URIs as paths, MACs as hex with colons."""
    raw = bytes(value)
    if setting == "802-1x" and raw.startswith(b"file://"):
        return _escape(raw.rstrip(b"\0").decode().removeprefix("file://"))
    return ":".join(f"{b:02X}" for b in raw)


def _bridge_vlans(vlans: list[dict[str, Any]]) -> str:
    """nmcli/keyfile VLAN list syntax: ``$vid[-$end] [pvid] [untagged]`` joined by commas."""
    parts = []
    for vlan in vlans:
        lo, hi = int(vlan["vid-start"]), int(vlan.get("vid-end", vlan["vid-start"]))
        text = str(lo) if lo == hi else f"{lo}-{hi}"
        text += " pvid" if vlan.get("pvid") else ""
        text += " untagged" if vlan.get("untagged") else ""
        parts.append(text)
    return ",".join(parts)


def _routes(family: str, routes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """``routeN=dest/len[,next-hop[,metric]]`` and ``routeN_options`` for the other attributes."""
    lines = []
    unspecified = "::" if family == k.IPV6 else "0.0.0.0"
    for num, route in enumerate(routes, start=1):
        text = f"{route['dest']}/{route['prefix']}"
        if route.get("next-hop") or route.get("metric") is not None:
            text += f",{route.get('next-hop') or unspecified}"
        if route.get("metric") is not None:
            text += f",{route['metric']}"
        lines.append((f"route{num}", text))
        extra = [
            f"{key}={_scalar(value)}" for key, value in route.items() if key not in _ROUTE_MAIN
        ]
        if extra:
            lines.append((f"route{num}_options", ",".join(extra)))
    return lines


def _sriov_vfs(vfs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """``vf.N=mac=… spoof-check=true vlans=ID.QOS.PROTO``: NM's VF string without its index."""
    lines = []
    for vf in vfs:
        attrs = []
        for key, value in vf.items():
            if key == "index":
                continue
            if key == "vlans":
                value = ";".join(
                    f"{v['id']}.{v.get('qos', 0)}.{'ad' if v.get('protocol') else 'q'}"
                    for v in value
                )
            attrs.append(f"{key}={_scalar(value)}")
        lines.append((f"vf.{vf['index']}", " ".join(attrs)))
    return lines


def _section_lines(setting: str, props: dict[str, Any]) -> list[tuple[str, str]]:
    """The ``key=value`` pairs of one keyfile section."""
    lines: list[tuple[str, str]] = []
    for prop, value in props.items():
        if value is None:
            continue
        sig = signature(setting, prop)  # unknown properties fail here, as for D-Bus
        key = KEY_ALIAS.get((setting, prop), prop)
        if prop == "address-data":
            lines += [
                (f"address{n}", f"{a['address']}/{a['prefix']}")
                for n, a in enumerate(value, start=1)
            ]
        elif prop == "route-data":
            lines += _routes(setting, value)
        elif prop == "routing-rules":
            lines += [(f"routing-rule{n}", rule_text(r)) for n, r in enumerate(value, start=1)]
        elif prop == "vlans":
            lines.append((key, _bridge_vlans(value)))
        elif (setting, prop) == ("sriov", "vfs"):
            lines += _sriov_vfs(value)
        elif (setting, prop) == ("ovs-port", "trunks"):
            spans = [(int(t["start"]), int(t["end"])) for t in value]
            lines.append((key, ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)))
        elif sig == "a{ss}":  # bond.options, vpn.data (and vpn.secrets): one key per option
            lines += [(opt, _escape(str(val))) for opt, val in value.items()]
        elif sig == "ay":
            lines.append((key, _bytes(setting, value)))
        elif sig == "as":
            lines.append((key, "".join(_escape(str(v), in_list=True) + ";" for v in value)))
        elif (setting, prop) == ("ipv6", "addr-gen-mode"):
            lines.append((key, _GEN_MODE_NAMES.get(int(value), str(value))))
        elif (setting, prop) == ("connection", "type"):
            lines.append((key, _TYPE_ALIAS.get(value, value)))
        else:
            lines.append((key, _scalar(value)))
    if setting == "ipv6" and "addr-gen-mode" not in props:
        # On D-Bus a missing addr-gen-mode means "default"; in a keyfile it means
        # "default-or-eui64". Spell out the D-Bus meaning so both agree.
        lines.append(("addr-gen-mode", _GEN_MODE_NAMES[ADDR_GEN_MODES["default"]]))
    return lines


def keyfile_text(settings: dict[str, dict[str, Any]]) -> str:
    """One profile (plain settings, as from ``iface_to_settings``) as keyfile text.

    ``[connection]`` comes first and ``[ipv4]``/``[ipv6]`` last, the order NM
    itself writes, so generated files diff cleanly against NM's own.
    """
    last = ("ipv4", "ipv6")
    order = [s for s in ("connection",) if s in settings]
    order += [s for s in settings if s != "connection" and s not in last]
    order += [s for s in last if s in settings]
    blocks = []
    for setting in order:
        props = settings[setting]
        if setting == "vpn" and "secrets" in props:
            # A keyfile keeps VPN secrets in their own [vpn-secrets] section.
            props = {key: value for key, value in props.items() if key != "secrets"}
        lines = _section_lines(setting, props)
        body = "".join(f"{key}={value}\n" for key, value in lines)
        blocks.append(f"[{SECTION_ALIAS.get(setting, setting)}]\n{body}")
        if props is not settings[setting]:
            secrets = _section_lines("vpn", {"secrets": settings[setting]["secrets"]})
            blocks.append("[vpn-secrets]\n" + "".join(f"{key}={val}\n" for key, val in secrets))
    return "\n".join(blocks)


def keyfile_name(profile_id: str) -> str:
    """``<profile>.nmconnection``, with the one character a file name cannot hold replaced."""
    return profile_id.replace("/", "_") + ".nmconnection"


class UntranslatableInterface(ValueError):
    """An interface gen-conf cannot express; ``name`` says which, for messages with a line."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


class UntranslatableDns(ValueError):
    """DNS gen-conf cannot write: servers whose families alternate (nmstate's gen-conf
    refuses them too, "not supported yet"). Keyfiles keep each family's servers apart;
    only NetworkManager's global DNS, which an apply writes, keeps that order."""

    path = "dns-resolver.config.server"


def offline_state(state: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``state`` as nmstate's gen-conf mode reads it, and a note per assumption made.

    There is no host to ask what an interface is, so (as ``nmstatectl gc``)
    an interface without a type (or ``unknown``) is ethernet, and a port a
    controller lists but the file does not describe is an ethernet port. A
    child's base needs nothing: the keyfile names its parent by interface
    name. ``state`` itself is not changed.
    """
    out = resolve_copy_mac(copy.deepcopy(state), None)  # from a MAC the file gives
    notes: list[str] = [
        f"{iface[k.NAME]}: copy-mac-from {iface[COPY_MAC_FROM]}: the file gives no MAC "
        "for it; nothing written (nmstatectl gc refuses this)"
        for iface in interfaces(out)
        if copies_mac(iface, {})
    ]
    ifaces = interfaces(out)
    for iface in ifaces:
        if iface.get(k.TYPE) in (None, k.UNKNOWN) and iface.get(k.STATE) != k.ABSENT:
            iface[k.TYPE] = k.ETHERNET
            notes.append(
                f"{iface[k.NAME]} has no type here; written as ethernet, as nmstatectl gc does"
            )
    known = {iface[k.NAME] for iface in ifaces}
    added: list[dict[str, Any]] = []
    for iface in ifaces:
        if iface.get(k.STATE, k.UP) in (k.ABSENT, k.IGNORE):
            continue
        for _, port in port_refs(iface):
            if port not in known:
                known.add(port)
                added.append({k.NAME: port, k.TYPE: k.ETHERNET, k.STATE: k.UP})
                notes.append(
                    f"{port} is a port not described in the file; written as ethernet, "
                    "as nmstatectl gc does"
                )
    if added:
        out[k.INTERFACES] = [*(out.get(k.INTERFACES) or []), *added]
    if out.get("ovs-db"):
        notes.append("ovs-db goes to the Open vSwitch database, not to a keyfile: left out")
    return out, notes


def gen_profiles(state: dict[str, Any]) -> list[dict[str, dict[str, Any]]]:
    """The NM profiles (plain settings) gen-conf writes for ``state``, in file order.

    One per interface that is not absent/ignored, plus an ``ovs-port`` per
    OVS bridge port. The state is read as :func:`offline_state` does (no host
    is consulted). Raises ``UntranslatableInterface`` (a ``ValueError``) for an
    interface the translation cannot express (an unsupported type, a
    controller missing from the state).
    """
    state, _notes = offline_state(state)
    if needs_global_dns(state):
        raise UntranslatableDns(
            "IPv4 and IPv6 name servers alternate; keyfiles keep each family's servers "
            "apart, so only NetworkManager's global DNS (written by apply) keeps this order"
        )
    owners = ovs_owners(state)  # OVS ports: see engine.backend.nm_settings_ovs
    out: list[dict[str, dict[str, Any]]] = []
    for iface in state.get(k.INTERFACES) or []:
        if iface.get(k.STATE, k.UP) in (k.ABSENT, k.IGNORE):
            continue
        try:
            if iface.get(k.TYPE) in OVS_TYPES:
                out += ovs_profiles(iface, state, owners)
            elif iface[k.NAME] in owners:  # a system port of an OVS bridge
                plain = {key: v for key, v in iface.items() if key != k.CONTROLLER}
                out.append(iface_to_settings(plain, state))
                attach(out[-1], owners[iface[k.NAME]])
            else:
                out.append(iface_to_settings(iface, state))
        except ValueError as exc:
            raise UntranslatableInterface(str(iface.get(k.NAME)), str(exc)) from exc
    return out


def gen_conf(state: dict[str, Any]) -> list[tuple[str, str]]:
    """(file name, keyfile text) for each profile of :func:`gen_profiles`."""
    return [(keyfile_name(p["connection"]["id"]), keyfile_text(p)) for p in gen_profiles(state)]
