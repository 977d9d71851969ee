"""What the set-up console needs from the host: the NICs, and whether it is needed at all.

The console unit runs ``nmtui-state console --needed`` as its condition: the
screen opens only when the first boot left no working network, meaning no
default route (IPv4 or IPv6) or a state file the service could not apply.
A NIC's carrier comes from NetworkManager's ``InterfaceFlags`` (the kernel's
LOWER_UP as NM saw it), the rest from the same live read ``show`` uses.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine import keys as k

NIC_TYPES = (k.ETHERNET, k.VETH, "infiniband")
DEFAULT_DESTINATIONS = ("0.0.0.0/0", "::/0")
IFF_CARRIER = 0x10000  # NM_DEVICE_INTERFACE_FLAG_CARRIER


@dataclass(frozen=True)
class Nic:
    """A network card the admin can pick as the uplink."""

    name: str
    type: str
    mac: str
    carrier: bool | None  # None: NM did not say
    addresses: tuple[str, ...] = ()
    dhcp: bool = False


@dataclass
class HostView:
    """The live state and its NICs, read once when the console starts."""

    state: dict[str, Any]
    nics: list[Nic] = field(default_factory=list)
    nm_missing: str | None = None


def has_default_route(state: dict[str, Any]) -> bool:
    """Whether the kernel has a default route (either family) in any table."""
    running = (state.get(k.ROUTES) or {}).get(k.RUNNING) or []
    return any(r.get(k.DESTINATION) in DEFAULT_DESTINATIONS for r in running)


def _addresses(iface: dict[str, Any]) -> tuple[str, ...]:
    out = []
    for family in (k.IPV4, k.IPV6):
        for a in (iface.get(family) or {}).get(k.ADDRESS) or []:
            out.append(f"{a.get(k.IP)}/{a.get(k.PREFIX_LENGTH)}")
    return tuple(out)


async def read_host(bus_address: str | None = None, netns: str | None = None) -> HostView:
    """The live state and the NICs NetworkManager manages, with carrier and MAC."""
    from engine.backend.nm_dbus import DEVICE_IFACE, NMClient
    from engine.normalize import normalize
    from engine.show import read_live

    live = await read_live(bus_address, netns)
    state = normalize(live.state)
    flags: dict[str, int] = {}
    if live.nm is not None:
        client = await NMClient.connect(bus_address)
        try:

            async def one(name: str, path: str) -> None:
                with contextlib.suppress(Exception):  # a device gone meanwhile: carrier unknown
                    flags[name] = int(await client.get(path, DEVICE_IFACE, "InterfaceFlags"))

            await asyncio.gather(*(one(n, d.path) for n, d in live.nm.devices.items()))
        finally:
            client.close()
    nics = []
    for iface in state.get(k.INTERFACES, []):
        if iface.get(k.TYPE) not in NIC_TYPES or iface.get(k.STATE) == k.IGNORE:
            continue
        name = str(iface.get(k.NAME))
        nics.append(
            Nic(
                name=name,
                type=str(iface.get(k.TYPE)),
                mac=str(iface.get(k.MAC_ADDRESS, "")),
                carrier=bool(flags[name] & IFF_CARRIER) if name in flags else None,
                addresses=_addresses(iface),
                dhcp=bool((iface.get(k.IPV4) or {}).get(k.DHCP)),
            )
        )
    nics.sort(key=lambda n: n.name)
    return HostView(state, nics, live.nm_missing)


def failed_reasons(config_dir: str | Path, status_path: str | Path | None) -> list[str]:
    """One line per state file the last service run left in place."""
    from engine.service import failed_files, read_status

    status = read_status(status_path) if status_path else None
    return [
        f"{path.name} was not applied" + (f": {why.splitlines()[0]}" if why else "")
        for path, why in failed_files(config_dir, status)
    ]


def reasons_for(
    state: dict[str, Any], config_dir: str | Path, status_path: str | Path | None
) -> list[str]:
    """Why the console is needed, judged from a state already read (no waiting)."""
    reasons = failed_reasons(config_dir, status_path)
    if not has_default_route(state):
        reasons.append("no default route")
    return reasons


async def console_reasons(
    config_dir: str | Path,
    status_path: str | Path | None,
    bus_address: str | None = None,
    netns: str | None = None,
    wait: float = 0.0,
) -> list[str]:
    """Why the console is needed (empty: it is not); waits up to ``wait`` s for a default route.

    DHCP may still be under way when the unit starts, so a missing default
    route is re-checked until ``wait`` runs out; a failed state file needs
    the admin at once.
    """
    from engine.normalize import normalize
    from engine.show import read_live

    reasons = failed_reasons(config_dir, status_path)
    if reasons:
        return reasons
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        live = await read_live(bus_address, netns)
        if has_default_route(normalize(live.state)):
            return []
        if loop.time() >= deadline:
            return ["no default route"]
        await asyncio.sleep(1.0)
