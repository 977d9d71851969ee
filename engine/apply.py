"""Apply a desired state: validate → merge → diff → plan → checkpoint → apply → verify.

Nothing touches the host until the desired state has passed the schema and
the semantic rules against the current state. Everything after that runs
inside a NetworkManager checkpoint; any failure (an NM error, a failed
activation, a verification mismatch, Ctrl-C) rolls it back and is reported
one readable line per problem.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine import checkpoint as cp_api
from engine import keys as k
from engine.backend.kernel_probe import missing_kinds
from engine.backend.nm_dbus import DEVICE_IFACE, NMClient
from engine.backend.nm_exec import Executor, StepFailed
from engine.backend.nm_read import read_profiles
from engine.backend.nm_types import KERNEL_KIND
from engine.checkpoint import Checkpoint
from engine.diff import Change, diff
from engine.errors import ApplyFailed, InvalidInput, NoBackend
from engine.merge import merge
from engine.normalize import normalize
from engine.plan import Device, Plan, Profile, make_plan
from engine.show import LiveState, read_live
from engine.validate import validate
from engine.verify import Mismatch, verify

VERIFY_SECONDS = 5.0
SETTLE_SECONDS = 5.0
TRANSITIONAL = range(40, 100)  # NMDeviceState PREPARE .. SECONDARIES, DEACTIVATING=110 too


@dataclass
class Prepared:
    """Everything decided before the host is touched: the review screen shows exactly this."""

    desired: dict[str, Any]
    current: dict[str, Any]
    merged: dict[str, Any]
    changes: list[Change]
    plan: Plan
    warnings: list[str] = field(default_factory=list)


@dataclass
class ApplyResult:
    prepared: Prepared
    checkpoint: Checkpoint | None = None  # set when commit=False: commit() or rollback() it


def _devices(live: LiveState) -> dict[str, Device]:
    out: dict[str, Device] = {}
    if live.nm is None:
        return out
    for name, dev in live.nm.devices.items():
        uuid = (dev.applied or {}).get("connection", {}).get("uuid")
        out[name] = Device(name=name, path=dev.path, active_uuid=uuid)
    return out


def _profiles(raw: list[tuple[str, dict[str, dict[str, Any]]]]) -> list[Profile]:
    out = []
    for path, settings in raw:
        con = settings.get("connection", {})
        out.append(
            Profile(
                path=path,
                uuid=con.get("uuid", ""),
                iface=con.get("interface-name", ""),
                settings=settings,
            )
        )
    return out


async def prepare(
    client: NMClient, desired: dict[str, Any], live: LiveState, source: str = ""
) -> Prepared:
    """Validate, merge, diff and plan; raises InvalidInput before anything is touched."""
    current = normalize(live.state)
    problems = validate(desired, current)
    errors = [p for p in problems if p.is_error]
    if errors:
        if source:
            errors = [
                p if p.source else type(p)(p.path, p.message, p.hint, p.severity, source, p.line)
                for p in errors
            ]
        raise InvalidInput(errors)
    merged = merge(desired, current)
    changes = diff(current, merged)
    profiles = _profiles(await read_profiles(client))
    plan = make_plan(desired, current, merged, profiles, _devices(live))
    warnings = [p.format() for p in problems if not p.is_error]
    return Prepared(desired, current, merged, changes, plan, warnings)


async def _settle(client: NMClient) -> None:
    """After a rollback, wait (bounded) until no device is mid-transition."""
    from engine.backend.nm_dbus import NM_IFACE, NM_PATH

    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_SECONDS
    while loop.time() < deadline:
        paths = await client.get(NM_PATH, NM_IFACE, "Devices")
        states = await asyncio.gather(*(client.get(p, DEVICE_IFACE, "State") for p in paths))
        if not any(int(s) in TRANSITIONAL for s in states):
            return
        await asyncio.sleep(0.05)


async def _verify_loop(
    prepared: Prepared, bus_address: str | None, netns: str | None
) -> list[Mismatch]:
    """Re-read and compare until it matches or the deadline passes; the last mismatches."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + VERIFY_SECONDS
    while True:
        live = await read_live(bus_address, netns)
        mismatches = verify(prepared.desired, prepared.merged, normalize(live.state))
        if not mismatches or loop.time() > deadline:
            return mismatches
        await asyncio.sleep(0.1)


def _kernel_lines(failure: StepFailed, prepared: Prepared) -> list[str]:
    types = {i[k.NAME]: i.get(k.TYPE) for i in prepared.merged.get(k.INTERFACES, [])}
    wanted = {
        KERNEL_KIND[t]
        for n, t in types.items()
        if t in KERNEL_KIND and n in {i.get(k.NAME) for i in prepared.desired.get(k.INTERFACES, [])}
    }
    return [
        f"this kernel lacks {kind} support (NetworkManager cannot create {kind} links here)"
        for kind in sorted(missing_kinds(wanted))
    ]


async def apply_async(
    desired: dict[str, Any],
    *,
    verify_result: bool = True,
    commit: bool = True,
    timeout: int = 60,
    memory_only: bool = False,
    bus_address: str | None = None,
    netns: str | None = None,
    progress: Callable[[str], None] | None = None,
    source: str = "",
) -> ApplyResult:
    """Apply ``desired`` inside a checkpoint; see the module docstring for the guarantees."""
    client = await NMClient.connect(bus_address)
    try:
        live = await read_live(bus_address, netns)
        if live.nm is None:
            raise NoBackend(live.nm_missing or "NetworkManager is not available")
        prepared = await prepare(client, desired, live, source)
        cp = await cp_api.create(client, timeout, live.nm.version)
        try:
            async with cp_api.KeepAlive(client, cp, every=max(1.0, timeout / 3)):
                executor = Executor(client, memory_only=memory_only, progress=progress)
                await executor.start()
                await executor.run(prepared.plan, timeout=max(10.0, timeout - 5.0))
                if verify_result:
                    mismatches = await _verify_loop(prepared, bus_address, netns)
                    if mismatches:
                        raise ApplyFailed(
                            "verification failed:\n" + "\n".join(m.format() for m in mismatches)
                        )
        except (Exception, asyncio.CancelledError, KeyboardInterrupt) as exc:
            await cp_api.rollback(client, cp)
            await _settle(client)
            if isinstance(exc, StepFailed):
                lines = [str(exc), *_kernel_lines(exc, prepared)]
                raise ApplyFailed("apply failed, rolled back:\n" + "\n".join(lines)) from exc
            if isinstance(exc, ApplyFailed):
                raise ApplyFailed(f"{exc}\nrolled back to the previous state") from exc
            raise
        if commit:
            await cp_api.commit(client, cp)
            return ApplyResult(prepared)
        await cp_api.extend(client, cp)
        return ApplyResult(prepared, checkpoint=cp)
    finally:
        client.close()


async def checkpoint_action(action: str, path: str | None, bus_address: str | None = None) -> str:
    """``commit`` or ``rollback`` the given (or the only pending) checkpoint; returns its path."""
    client = await NMClient.connect(bus_address)
    try:
        if not await client.name_has_owner():
            raise NoBackend("NetworkManager is not running (try: systemctl start NetworkManager)")
        pending = await cp_api.list_checkpoints(client)
        if path is None:
            if not pending:
                raise ApplyFailed("no checkpoint is pending")
            path = pending[-1]
        elif path.isdigit():
            path = f"/org/freedesktop/NetworkManager/Checkpoint/{path}"
        if action == "commit":
            await cp_api.commit(client, path)
        else:
            await cp_api.rollback(client, path)
            await _settle(client)
        return path
    finally:
        client.close()
