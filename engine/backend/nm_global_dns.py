"""NetworkManager's global DNS: the manager's ``GlobalDnsConfiguration`` property.

nmstate writes DNS here when interface profiles cannot hold it, such as a
server list whose families alternate (IPv4, IPv6, IPv4): NM keeps one ordered
list for the ``*`` domain and ignores every profile's DNS while it is set.
NetworkManager 1.42's checkpoints do not cover it, so the apply records the
value it replaces and puts it back on every rollback path itself (as for the
static hostname).

The nmstate form used on both sides: ``{server: [...], search: [...], options:
[...]}``, empty lists left out; ``{}`` means "not set".
"""

from __future__ import annotations

from typing import Any

from dbus_fast import Variant

from engine.backend.nm_dbus import NM_IFACE, NM_PATH, PROPS_IFACE, NMClient, unwrap

PROPERTY = "GlobalDnsConfiguration"


def from_nm(value: Any) -> dict[str, list[str]]:
    """The nmstate form of the property's ``a{sv}`` value (Variants or plain)."""
    value = unwrap(value)
    if not isinstance(value, dict):
        return {}
    out: dict[str, list[str]] = {}
    domains = value.get("domains") or {}
    wildcard = domains.get("*") if isinstance(domains, dict) else None
    servers = list((wildcard or {}).get("servers") or [])
    if servers:
        out["server"] = [str(s) for s in servers]
    for key, name in (("searches", "search"), ("options", "options")):
        if value.get(key):
            out[name] = [str(v) for v in value[key]]
    return out


def to_nm(config: dict[str, Any]) -> dict[str, Variant]:
    """The property's ``a{sv}`` for ``config`` (nmstate form); ``{}`` clears it."""
    out: dict[str, Variant] = {}
    if config.get("search"):
        out["searches"] = Variant("as", [str(s) for s in config["search"]])
    if config.get("options"):
        out["options"] = Variant("as", [str(o) for o in config["options"]])
    if config.get("server"):
        servers = {"servers": Variant("as", [str(s) for s in config["server"]])}
        out["domains"] = Variant("a{sv}", {"*": Variant("a{sv}", servers)})
    return out


async def read_global_dns(client: NMClient) -> dict[str, list[str]]:
    return from_nm(await client.get(NM_PATH, NM_IFACE, PROPERTY))


async def write_global_dns(client: NMClient, config: dict[str, Any]) -> None:
    await client.call(
        NM_PATH,
        PROPS_IFACE,
        "Set",
        "ssv",
        [NM_IFACE, PROPERTY, Variant("a{sv}", to_nm(config))],
    )
