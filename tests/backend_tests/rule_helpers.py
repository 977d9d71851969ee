"""What the route-rule tests like nmstate's share: the kernel's rules (``ip -j rule``) in
the schema's words, nmstate's ``_check_ip_rules`` done strictly, and gen-conf keyfiles
loaded into NetworkManager and activated (nmstate's ``gen_conf_apply``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
from typing import Any

from engine.backend.nm_dbus import (
    ACTIVE_IFACE,
    NM_IFACE,
    NM_PATH,
    SETTINGS_IFACE,
    SETTINGS_PATH,
    NMClient,
)
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import live

ACTIVATED = 2  # NM_ACTIVE_CONNECTION_STATE_ACTIVATED
TABLE_NAMES = {"main": 254, "local": 255, "default": 253}
#: Rules every kernel has (priorities 0, 32766, 32767), never the test's.
BUILTIN = {0, 32766, 32767}


def kernel_rules(sb: Sandbox, family: str) -> list[dict[str, Any]]:
    """``ip -j rule`` of one family, without the kernel's built-in rules."""
    out = sb.run(["ip", "-j", family, "rule", "show"], capture_output=True)
    assert out.returncode == 0, out.stderr
    return [r for r in json.loads(out.stdout or "[]") if r["priority"] not in BUILTIN]


def _net(text: str) -> tuple[str, int]:
    net = ipaddress.ip_network(text, strict=False)
    return str(net.network_address), net.prefixlen


def _family(rule: dict[str, Any]) -> str:
    for key in ("ip-from", "ip-to"):
        if rule.get(key):
            return "-6" if ":" in rule[key] else "-4"
    return "-6" if rule.get("family") == "ipv6" else "-4"


def _kernel_view(found: dict[str, Any]) -> dict[str, Any]:
    """One ``ip -j rule`` entry in the schema's words."""
    out: dict[str, Any] = {"priority": found["priority"]}
    for side, key in (("src", "ip-from"), ("dst", "ip-to")):
        if found.get(side, "all") != "all":
            default = 128 if ":" in found[side] else 32
            out[key] = (found[side], int(found.get(f"{side}len", default)))
    table = found.get("table")
    if table is not None:
        out["route-table"] = TABLE_NAMES.get(table) or int(table)
    for key in ("fwmark", "fwmask"):
        if key in found:
            out[key] = int(found[key], 16)
    if "iif" in found:
        out["iif"] = found["iif"]
    if "suppress_prefixlen" in found:
        out["suppress-prefix-length"] = found["suppress_prefixlen"]
    if found.get("action") in ("blackhole", "unreachable", "prohibit"):
        out["action"] = found["action"]
    return out


def _expected(rule: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("ip-from", "ip-to"):
        if rule.get(key):
            out[key] = _net(rule[key])
    for key in ("priority", "fwmark", "fwmask", "iif", "action", "suppress-prefix-length"):
        if key in rule:
            out[key] = rule[key]
    if "action" not in rule:
        out["route-table"] = rule.get("route-table") or 254
    return out


def matches_in_kernel(sb: Sandbox, rule: dict[str, Any]) -> list[dict[str, Any]]:
    """The kernel rules that are ``rule``: every key it gives agrees, and a rule without
    ip-from (ip-to) matches only kernel rules from (to) all."""
    want = _expected(rule)
    hits = []
    for found in kernel_rules(sb, _family(rule)):
        view = _kernel_view(found)
        if all(view.get(key) == v for key, v in want.items()) and all(
            key in want for key in ("ip-from", "ip-to") if key in view
        ):
            hits.append(view)
    return hits


def in_kernel(sb: Sandbox, *rules: dict[str, Any]) -> None:
    """nmstate's ``_check_ip_rules``, exactly once each."""
    for rule in rules:
        hits = matches_in_kernel(sb, rule)
        assert len(hits) == 1, f"{rule}: {hits} in {kernel_rules(sb, _family(rule))}"


async def shown_rules(sb: Sandbox) -> list[dict[str, Any]]:
    return list(((await live(sb)).get("route-rules") or {}).get("config") or [])


def rules(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"route-rules": {"config": list(entries)}}


async def activate_keyfiles(sb: Sandbox, files: list[tuple[str, str]]) -> None:
    """Load gen-conf's keyfiles into NetworkManager and activate each, waiting until it is
    ACTIVATED (nmstate's ``gen_conf_apply``)."""
    client = await NMClient.connect(sb.bus_address)
    try:
        folder = sb.root / "etc-nm" / "system-connections"
        names = []
        for name, text in files:
            (folder / name).write_text(text)
            os.chmod(folder / name, 0o600)
            names.append(f"/etc/NetworkManager/system-connections/{name}")
        _ok, failures = await client.call(
            SETTINGS_PATH, SETTINGS_IFACE, "LoadConnections", "as", [names]
        )
        assert not failures, failures
        actives = []
        for _name, text in files:
            uuid = next(line[5:] for line in text.splitlines() if line.startswith("uuid="))
            (conn,) = await client.call(
                SETTINGS_PATH, SETTINGS_IFACE, "GetConnectionByUuid", "s", [uuid]
            )
            (active,) = await client.call(
                NM_PATH, NM_IFACE, "ActivateConnection", "ooo", [conn, "/", "/"]
            )
            actives.append(active)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        for active in actives:  # a bounded wait on each activation's own state
            while int(await client.get(active, ACTIVE_IFACE, "State")) != ACTIVATED:
                assert loop.time() < deadline, f"{active} not activated"
                await asyncio.sleep(0.05)
    finally:
        client.close()
