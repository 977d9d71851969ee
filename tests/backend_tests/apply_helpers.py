"""Helpers the apply tests share: run the CLI, read the host back, apply in process.

Used by the ``test_apply_*`` round trips here and by the CLI and console
tests that drive a sandbox: one spelling of "apply this", "show me the host"
and "the profiles NM holds".
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from engine.apply import ApplyResult, apply_async
from engine.backend.nm_dbus import NMClient
from engine.backend.nm_read import read_profiles
from engine.comparable import comparable
from engine.show import read_live
from engine.yamlio import dumps
from nmtui_state.sandbox import Sandbox

EXE = str(Path(sys.executable).parent / "nmtui-state")
OFF = {"enabled": False}


def cli(
    sb: Sandbox, *args: str, stdin: str | None = None, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``nmtui-state ARGS`` against ``sb`` (extra ``env`` entries override)."""
    return subprocess.run(
        [EXE, *args],
        env={**sb.env(), **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def show_text(sb: Sandbox) -> str:
    """``nmtui-state show`` output, the picture rollbacks are judged by, in its compared
    form: without what changes by itself (bridge timers) or comes with a link when the
    kernel gets round to it (IPv6 link-local addresses), see :mod:`engine.comparable`."""
    out = cli(sb, "show")
    assert out.returncode == 0, out.stderr
    return dumps(comparable(yaml.safe_load(out.stdout)))


async def live_shown(sb: Sandbox) -> dict[str, Any]:
    """The host's state as ``show`` builds it (in process: faster than the CLI)."""
    return (await read_live(sb.bus_address, sb.name)).state


async def live(sb: Sandbox) -> dict[str, Any]:
    """:func:`live_shown` in the form apply compares (no link-local addresses, no bridge
    timers): what the round trips check, without the values no apply sets."""
    return comparable(await live_shown(sb))


def by_name(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["name"]: i for i in state["interfaces"]}


async def apply(sb: Sandbox, desired: dict[str, Any], **kwargs: Any) -> ApplyResult:
    """``apply_async`` against ``sb``; memory-only unless told otherwise or the state sets
    the static hostname (a file, which memory-only refuses as nmstate does)."""
    sets_config = isinstance(desired.get("hostname"), dict) and "config" in desired["hostname"]
    kwargs.setdefault("memory_only", not sets_config)
    return await apply_async(desired, bus_address=sb.bus_address, netns=sb.name, **kwargs)


async def profile_ifaces(sb: Sandbox) -> dict[str, list[dict[str, Any]]]:
    """interface name → the settings of every NM profile bound to it."""
    client = await NMClient.connect(sb.bus_address)
    try:
        out: dict[str, list[dict[str, Any]]] = {}
        for _path, settings in await read_profiles(client):
            name = settings.get("connection", {}).get("interface-name", "")
            out.setdefault(name, []).append(settings)
        return out
    finally:
        client.close()


def write_state(folder: Path, name: str, state: dict[str, Any]) -> str:
    path = folder / name
    path.write_text(yaml.safe_dump(state, sort_keys=False))
    return str(path)


def ip(addr: str, plen: int) -> dict[str, Any]:
    return {"ip": addr, "prefix-length": plen}


async def down_up_absent(
    sb: Sandbox, name: str, kind: str, also_gone: tuple[str, ...] = ()
) -> None:
    """``down`` keeps the profile and removes the link; ``up`` brings it back from the
    profile alone (nothing else said); ``absent``, of an up and of a down interface,
    removes both."""

    async def to(state: str) -> dict[str, dict[str, Any]]:
        await apply(sb, {"interfaces": [{"name": name, "type": kind, "state": state}]})
        return by_name(await live(sb))

    before = by_name(await live(sb))[name]
    for last in ("up", "down"):
        now = await to("down")
        assert name not in now and not set(also_gone) & set(now)
        assert name in await profile_ifaces(sb), "down keeps the profile"
        again = (await to("up"))[name]
        for key in (kind, "ipv4", "ipv6", "bridge", "mtu"):
            assert again.get(key) == before.get(key), f"{name}.{key} after down and up"
        if last == "down":
            await to("down")
        now = await to("absent")
        assert name not in now and not set(also_gone) & set(now)
        assert name not in await profile_ifaces(sb), f"absent (from {last}) deletes the profile"
        if last == "up":  # re-create it for the second round
            await apply(sb, {"interfaces": [before]})


def set_managed(sb: Sandbox, name: str, managed: bool) -> None:
    """``nmcli dev set NAME managed yes|no``, repeated until NM has seen a link just made
    (each try is a round trip to NM, so this waits on NM, not on a clock)."""
    deadline = time.monotonic() + 20
    while True:
        done = subprocess.run(
            ["nmcli", "dev", "set", name, "managed", "yes" if managed else "no"],
            env=sb.env(),
            capture_output=True,
            text=True,
        )
        if done.returncode == 0:
            return
        assert time.monotonic() < deadline, done.stderr
