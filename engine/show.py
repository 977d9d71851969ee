"""Live state: NetworkManager (D-Bus) and the kernel (netlink) merged into one schema state.

The kernel says what exists and what addresses and routes are in place; NM
says what it manages, which profile drives an interface (DHCP or static,
profile name), the DNS and hostname it configured. Both are read
concurrently. Without NetworkManager the kernel view is still returned,
with ``nm_missing`` saying why.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import socket
from dataclasses import dataclass, field
from typing import Any

from engine import keys as k
from engine.backend.netlink import KernelState
from engine.backend.netlink_process import KernelRead
from engine.backend.netns import chosen_netns
from engine.backend.nm_dbus import NMClient
from engine.backend.nm_read import NMDevice, NMState, device_up, read_nm
from engine.backend.nm_route_rules import rules_from_nm
from engine.backend.nm_settings_read import (
    description_of,
    dns_entries,
    dot1x_config,
    ip_config,
    join_dns,
    settings_to_routes,
)
from engine.backend.uts import running_hostname
from engine.errors import NoBackend
from engine.ethtool_names import schema_ethtool
from engine.gc_pause import gc_paused
from engine.normalize import normalize


@dataclass
class LiveState:
    """The host's state, already normalized (the one form every consumer takes), and,
    when NM could not be read, why."""

    state: dict[str, Any]
    nm_missing: str | None = None
    nm: NMState | None = None
    #: Kernel link facts by interface name: index, up, carrier, operstate, stats, and
    #: speed/duplex where reported (see :class:`KernelState`).
    links: dict[str, dict[str, Any]] = field(default_factory=dict)


def _profile_view(
    iface: dict[str, Any], applied: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[tuple[int, dict[str, list[str]]]]]:
    """Lay what an applied profile says over a kernel-read interface; its routes and DNS.

    The kernel's addresses stay (they are what runs); the profile says how
    they are configured (static, DHCP, autoconf, disabled). The translation is
    :mod:`engine.backend.nm_settings_read`'s, the one every profile read uses.
    """
    kind = iface.get(k.TYPE) or k.UNKNOWN
    for family in k.IP_FAMILIES:
        if family not in applied:
            con = applied.get("connection") or {}
            if con.get("slave-type") or con.get("port-type"):  # a bridge or bond port
                iface[family] = {k.ENABLED: False}  # as nmstate shows it: no IP on a port
            continue  # else the kernel view stands
        config = ip_config(applied[family], family, kind)
        if not config[k.ENABLED]:
            iface[family] = config
        else:
            iface[family] = {**iface.get(family, {}), **config}
    if applied.get("ethtool"):  # what the profile configures (kernel: not read)
        iface["ethtool"] = schema_ethtool(applied["ethtool"])
    lldp = applied.get("connection", {}).get("lldp", -1)
    if lldp not in (-1, None):  # -1: NM's global default; nmstate shows only a set value
        iface["lldp"] = {k.ENABLED: bool(lldp)}
    for key in (k.MAC_VLAN, k.MAC_VTAP):
        if isinstance(iface.get(key), dict) and "macvlan" in applied:
            iface[key]["promiscuous"] = bool(applied["macvlan"].get("promiscuous", True))
    dot1x = dot1x_config(applied)  # its secrets are there only when read_live was asked
    if dot1x:
        iface["802.1x"] = dot1x
    profile = applied.get("connection", {}).get("id")
    if profile and profile != iface[k.NAME]:
        iface[k.PROFILE_NAME] = profile
    description = description_of(applied)  # shown only when set, as nmstate shows it
    if description:
        iface[k.DESCRIPTION] = description
    routes = settings_to_routes(applied)
    for route in routes:
        if k.NEXT_HOP_INTERFACE in route:  # a typed route (blackhole ...) has none
            route[k.NEXT_HOP_INTERFACE] = iface[k.NAME]
    return routes, dns_entries(applied)


def _generated(iface: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What NM's generated profile of an externally configured link says (it is not read).

    NM describes such a link from the kernel: static addressing where it has
    addresses, disabled where none. The kernel view is already here, so this
    saves one GetAppliedConnection per external link and shows the same.
    """
    v4 = "manual" if iface[k.IPV4].get(k.ENABLED) else "disabled"
    v6 = "manual" if iface[k.IPV6].get(k.ENABLED) else "disabled"
    return {"ipv4": {"method": v4}, "ipv6": {"method": v6}}


def _iface_state(iface: dict[str, Any], dev: NMDevice | None) -> None:
    if dev is None or not dev.managed:
        iface[k.STATE] = k.IGNORE
    elif not device_up(dev.state):
        iface[k.STATE] = k.DOWN


def combine(
    kernel: KernelState, nm: NMState | None, running_hostname: str | None
) -> dict[str, Any]:
    """One schema state from the kernel view and (when there is one) NM's view."""
    interfaces = []
    config_routes: list[dict[str, Any]] = []
    config_rules: list[dict[str, Any]] = []
    dns_configs: list[tuple[int, dict[str, list[str]]]] = []
    for name, iface in kernel.interfaces.items():
        if nm is not None:
            dev = nm.devices.get(name)
            _iface_state(iface, dev)
            applied = dev.applied if dev else None
            if dev is not None and dev.external and not applied:
                applied = _generated(iface)
            if applied:
                routes, dns = _profile_view(iface, applied)
                config_routes += routes
                dns_configs += dns
                config_rules += [r for r in rules_from_nm(applied) if r not in config_rules]
        interfaces.append(iface)
    state: dict[str, Any] = {}
    if nm is not None or running_hostname:
        hostname: dict[str, Any] = {}
        if running_hostname:
            hostname[k.RUNNING] = running_hostname
        if nm is not None:
            hostname[k.CONFIG] = nm.hostname
        state[k.HOSTNAME] = hostname
    if nm is not None:
        running_servers: list[str] = []
        running_search: list[str] = []
        for entry in nm.dns:
            running_servers += [s for s in entry.get("nameservers", []) if s not in running_servers]
            running_search += [d for d in entry.get("domains", []) if d not in running_search]
        config = join_dns(dns_configs)  # by dns-priority, as NM orders them
        if nm.global_dns:  # NM ignores every profile's DNS while it is set (nmstate's show)
            config = {
                key: list(nm.global_dns.get(key, [])) for key in (k.SERVER, k.SEARCH, k.OPTIONS)
            }
        dns_config = {k.SERVER: config[k.SERVER], k.SEARCH: config[k.SEARCH]}
        if config[k.OPTIONS]:  # as nmstate: shown only when set; NM reports none running
            dns_config[k.OPTIONS] = config[k.OPTIONS]
        state[k.DNS_RESOLVER] = {
            k.CONFIG: dns_config,
            k.RUNNING: {k.SERVER: running_servers, k.SEARCH: running_search},
        }
    state[k.ROUTES] = {k.CONFIG: config_routes, k.RUNNING: kernel.routes}
    if nm is not None:  # rules live in profiles; nmstate shows only their config
        state[k.ROUTE_RULES] = {k.CONFIG: config_rules}
    state[k.INTERFACES] = interfaces
    return state


async def read_live(
    bus_address: str | None = None,
    netns: str | None = None,
    kernel: KernelRead | None = None,
    client: NMClient | None = None,
    secrets: bool = False,
) -> LiveState:
    """Read NM and the kernel concurrently; fall back to the kernel alone without NM.

    ``secrets`` also fetches the 802.1x secrets of applied profiles (``show -s``):
    NM leaves them out of applied profiles, and only a caller that prints them
    unmasked should pay the extra calls.

    ``kernel`` is a kernel read the caller started early (it must be of the same
    netns); without one, it starts here. ``client`` is a connection to NM the
    caller already holds (apply does): it is used and left open, which saves
    setting up a bus connection per read. The garbage collector is paused for
    the read (see :mod:`engine.gc_pause`).
    """
    netns = chosen_netns(netns)
    kernel = kernel if kernel is not None else KernelRead(netns)
    try:
        with gc_paused():
            return await _read_live(bus_address, netns, kernel, client, secrets)
    finally:
        kernel.cancel()


async def _read_nm_or_why(
    bus_address: str | None, client: NMClient | None, secrets: bool = False
) -> tuple[NMState | None, str | None]:
    """NM's view, or None and why there is none (no NetworkManager on the bus)."""
    own = client is None
    try:
        if client is None:
            client = await NMClient.connect(bus_address)
        try:
            if not await client.name_has_owner():
                raise NoBackend(
                    "NetworkManager is not running (try: systemctl start NetworkManager)"
                )
            return await read_nm(client, secrets=secrets), None
        finally:
            if own:
                client.close()
    except NoBackend as exc:
        return None, str(exc)


def _nm_uts_hostname(nm: NMState | None) -> str | None:
    """The kernel hostname where NM runs (its static one if that cannot be read)."""
    if nm is None:
        return None
    if nm.pid is not None:
        with contextlib.suppress(OSError):
            return running_hostname(nm.pid)
    return nm.hostname


async def _read_live(
    bus_address: str | None,
    netns: str | None,
    kernel: KernelRead,
    client: NMClient | None,
    secrets: bool,
) -> LiveState:
    kernel_task = asyncio.create_task(kernel.result())
    try:
        nm, missing = await _read_nm_or_why(bus_address, client, secrets)
        kernel_state = await kernel_task
    finally:
        kernel_task.cancel()  # when NM's side failed: the result is not wanted
    # In a sandbox the kernel hostname lives in NM's UTS namespace: read it there.
    running = _nm_uts_hostname(nm) if netns else socket.gethostname()
    state = normalize(combine(kernel_state, nm, running))
    return LiveState(state, nm_missing=missing, nm=nm, links=kernel_state.links)


def filter_interfaces(state: dict[str, Any], globs: list[str]) -> dict[str, Any]:
    """Keep only interfaces (and routes through them) whose names match one of ``globs``."""
    if not globs:
        return state

    def match(name: str | None) -> bool:
        return name is not None and any(fnmatch.fnmatchcase(name, g) for g in globs)

    out = dict(state)
    out[k.INTERFACES] = [i for i in state.get(k.INTERFACES, []) if match(i.get(k.NAME))]
    routes = state.get(k.ROUTES)
    if isinstance(routes, dict):
        out[k.ROUTES] = {
            part: [r for r in entries if match(r.get(k.NEXT_HOP_INTERFACE))]
            for part, entries in routes.items()
        }
    return out


def running_config(state: dict[str, Any]) -> dict[str, Any]:
    """Only the configured parts (``show -r``): drop the ``running`` halves."""
    out = dict(state)
    for key in (k.ROUTES, k.DNS_RESOLVER, k.HOSTNAME):
        section = out.get(key)
        if isinstance(section, dict):
            out[key] = {part: v for part, v in section.items() if part != k.RUNNING}
    return out
