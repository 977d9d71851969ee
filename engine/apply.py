"""Apply a desired state: validate → merge → diff → plan → checkpoint → apply → verify.

Nothing touches the host until the desired state has passed the schema and
the semantic rules against the current state. Everything after that runs
inside a NetworkManager checkpoint; any failure (an NM error, a failed
activation, a verification mismatch, Ctrl-C) rolls it back and is reported
one readable line per problem.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from dbus_fast.errors import DBusError

from engine import checkpoint as lifecycle
from engine import keys as k
from engine.backend.kernel_probe import VLAN_FILTERING, missing_kinds
from engine.backend.nm_dbus import DEVICE_IFACE, NM_IFACE, NMClient
from engine.backend.nm_exec import Executor
from engine.backend.nm_names import KERNEL_KIND
from engine.backend.nm_read import read_profiles
from engine.backend.nm_steps import Device, Plan, Profile
from engine.checkpoint import Checkpoint
from engine.comparable import comparable
from engine.copy_mac import resolve_copy_mac
from engine.diff import Change, diff
from engine.effects import (
    Effect,
    implied,
    lost_routes,
    stacks_off,
    without_lost_routes,
)
from engine.errors import ApplyFailed, InvalidInput, NmtuiError, NoBackend, Problem
from engine.merge import merge
from engine.plan import make_plan
from engine.restore_check import Snapshot
from engine.show import LiveState, read_live
from engine.topology import by_name
from engine.validate import validate
from engine.verify import Mismatch, verify

VERIFY_SECONDS = 5.0  # nmstate's verification: 5 tries, 1 s apart
STABLE_SECONDS = 1.0
#: What a mismatch says of a route NM holds but has not put in the kernel yet: it waits
#: for the route's source address to pass IPv6 duplicate address detection (seen: 2 s).
NOT_IN_KERNEL = "not in the kernel"
RECHECK_FIRST, RECHECK_MAX = 0.02, 0.2  # seconds between verification reads, doubling


@dataclass
class Prepared:
    """Everything decided before the host is touched: the review screen shows exactly this."""

    desired: dict[str, Any]
    current: dict[str, Any]
    merged: dict[str, Any]
    changes: list[Change]
    plan: Plan
    warnings: list[str] = field(default_factory=list)
    #: What the plan does beyond the edited properties, each with why (engine.effects).
    effects: list[Effect] = field(default_factory=list)


@dataclass
class ApplyResult:
    """What an apply did (the prepared plan) and, when not committed, what is still pending."""

    prepared: Prepared
    checkpoint: Checkpoint | None = None  # set when commit=False: commit() or rollback() it
    notes: list[str] = field(default_factory=list)  # caveats of the pending checkpoint


def _devices(live: LiveState) -> dict[str, Device]:
    out: dict[str, Device] = {}
    if live.nm is None:
        return out
    for name, dev in live.nm.devices.items():
        # Not from ``applied``: external links' generated profiles are not read (nm_read).
        uuid = dev.active_uuid or (dev.applied or {}).get("connection", {}).get("uuid")
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
    client: NMClient,
    desired: dict[str, Any],
    live: LiveState,
    source: str = "",
    profiles: list[tuple[str, dict[str, dict[str, Any]]]] | None = None,
) -> Prepared:
    """Validate, merge, diff and plan; raises InvalidInput before anything is touched.

    ``profiles`` is NM's profile list (``read_profiles``) when the caller read it
    already, alongside the live state; else it is read here.
    """
    problems = validate(desired, live.state)
    current = comparable(live.state)  # what show adds but no apply sets is no difference
    errors = [p for p in problems if p.is_error]
    if errors:
        if source:
            errors = [
                p if p.source else type(p)(p.path, p.message, p.hint, p.severity, source, p.line)
                for p in errors
            ]
        raise InvalidInput(errors)
    # The MAC copied is asked for: the plan pins it and verification checks it.
    desired = resolve_copy_mac(desired, current)
    merged = merge(desired, current)
    merged, off = stacks_off(desired, current, merged)  # NM turns an empty IPv4 off
    lost = lost_routes(current, merged)
    merged = without_lost_routes(merged, lost)  # the plan, diff and verification see them go
    if profiles is None:
        profiles = await read_profiles(client)
    by_name = _profiles(profiles)
    try:
        global_now = live.nm.global_dns if live.nm is not None else {}
        plan = make_plan(desired, current, merged, by_name, _devices(live), global_now)
    except ValueError as exc:  # an interface the NM translation cannot express
        raise InvalidInput([Problem("", str(exc), source=source)]) from exc
    warnings = [p.format() for p in problems if not p.is_error]
    effects = off + lost + implied(desired, current, merged, plan)
    return Prepared(desired, current, merged, diff(current, merged), plan, warnings, effects)


async def review(
    desired: dict[str, Any], bus_address: str | None = None, netns: str | None = None
) -> tuple[Prepared, LiveState]:
    """Validate, merge, diff and plan against a fresh read of the host; nothing is touched.

    What the review screen shows is this :class:`Prepared`, the same object
    an apply of ``desired`` would execute. Raises InvalidInput or NoBackend.
    """
    client = await NMClient.connect(bus_address)
    try:
        live = await read_live(bus_address, netns, client=client)
        if live.nm is None:
            raise NoBackend(live.nm_missing or "NetworkManager is not available")
        return await prepare(client, desired, live), live
    finally:
        client.close()


async def _verify_loop(
    prepared: Prepared, bus_address: str | None, netns: str | None, client: NMClient
) -> list[Mismatch]:
    """Re-read and compare until it matches or gives up; the last mismatches.

    NM reports ACTIVATED a moment before every address and route is in the
    kernel, and deletes a removed profile's device a moment after the profile,
    so a mismatch is re-checked: at once when NM signals a device change
    (state, removal), else after a short wait that doubles from 20 ms up to
    0.2 s (addresses and routes reach the kernel without an NM signal). It
    gives up at the deadline, or earlier once the host has shown the same
    mismatches for STABLE_SECONDS (nothing is converging: an MTU the kernel
    refused stays refused), unless a route NM holds is still on its way to the
    kernel (:data:`NOT_IN_KERNEL`).
    """
    loop = asyncio.get_running_loop()
    changed = asyncio.Event()
    for interface, member in ((NM_IFACE, "DeviceRemoved"), (DEVICE_IFACE, "StateChanged")):
        await client.on_signal(interface, member, lambda _msg: changed.set())
    deadline = loop.time() + VERIFY_SECONDS
    last: list[Mismatch] = []
    since = loop.time()
    wait = RECHECK_FIRST
    while True:
        changed.clear()  # a change while reading makes the next check immediate
        live = await read_live(bus_address, netns, client=client)
        mismatches = verify(prepared.desired, prepared.merged, live.state)
        now = loop.time()
        if mismatches != last:
            last, since = mismatches, now
        stuck = now - since > STABLE_SECONDS
        if stuck and any(m.found == NOT_IN_KERNEL for m in mismatches):
            stuck = False
        if not mismatches or now > deadline or stuck:
            return mismatches
        # asyncio.timeout, not wait_for: Python 3.11's wait_for drops a cancellation
        # (Ctrl-C, SIGTERM) that lands as the event fires, and the apply would go on.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                await changed.wait()
        wait = min(wait * 2, RECHECK_MAX)


def _kernel_lines(prepared: Prepared) -> list[str]:
    """Why NM may have failed: link kinds (or bridge VLAN filtering) this kernel cannot create.

    NM only says "activation failed"; a probe in a throwaway netns tells
    whether the kernel lacks the driver, which is the fix the user needs.
    """
    asked = set(by_name(prepared.desired))
    wanted: set[str] = set()
    for iface in prepared.merged.get(k.INTERFACES, []):
        if iface.get(k.NAME) not in asked or iface.get(k.STATE) in (k.ABSENT, k.DOWN):
            continue
        if iface.get(k.TYPE) in KERNEL_KIND:
            wanted.add(KERNEL_KIND[iface[k.TYPE]])
        ports = (iface.get(k.BRIDGE) or {}).get(k.PORT) or []
        if any(isinstance(p, dict) and p.get(k.VLAN) for p in ports):
            wanted.add(VLAN_FILTERING)
    lines = []
    for kind in sorted(missing_kinds(wanted)):
        if kind == VLAN_FILTERING:
            lines.append(
                "this kernel lacks bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING), "
                "which the ports' vlan settings need"
            )
        else:
            lines.append(
                f"this kernel lacks {kind} support (NetworkManager cannot create {kind} links here)"
            )
    return lines


async def _nm_gone(client: NMClient) -> bool:
    """Whether NetworkManager left the bus (or the bus went) since the apply began."""
    try:
        return not await client.name_has_owner()
    except (DBusError, NmtuiError, OSError, EOFError):
        return True


def _half_applied(prepared: Prepared, cp: Checkpoint, bus_address: str | None) -> ApplyFailed:
    """NM stopped mid-apply: nothing can roll back, so say what may be done and how to undo.

    A checkpoint lives in NetworkManager's memory; when NM stops or dies it is
    gone without a rollback, and whatever steps had run stay. The way back is
    a state that undoes the change (``gen-revert``), written where the user
    can apply it once NetworkManager runs again.
    """
    from engine import yamlio
    from engine.pending import rundir
    from engine.revert import revert_state

    lines = [
        "NetworkManager stopped during the apply: its checkpoint is gone with it, so nothing "
        "was rolled back and the host may be half-applied. Steps that may have run:",
        *(f"  {line}" for line in prepared.plan.describe()),
    ]
    undo_state = revert_state(prepared.current, prepared.merged)
    target = rundir(bus_address) / f"revert-{cp.number}.yml"
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(yamlio.dumps(undo_state))
        lines.append(
            "to undo: start NetworkManager (systemctl start NetworkManager), then run "
            f"'nmtui-state apply {target}'"
        )
    except OSError as exc:
        lines.append(f"could not write the undo state ({exc}); see 'nmtui-state gen-revert'")
    lifecycle.forget(cp, bus_address)
    return ApplyFailed("\n".join(lines))


def _memory_only_hostname(name: str, source: str) -> Problem:
    """A static hostname is a file (/etc/hostname): memory-only cannot keep it off the disk.

    nmstate ignores ``hostname.config`` when not saving to disk and then fails
    its verification; the same refusal comes here before anything is touched.
    """
    return Problem(
        f"{k.HOSTNAME}.{k.CONFIG}",
        f"the static hostname {name!r} is written to /etc/hostname; a memory-only apply "
        "cannot set it",
        "apply without --memory-only, or set hostname.running instead",
        source=source,
    )


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
    stop_requested: Callable[[], bool] | None = None,
) -> ApplyResult:
    """Apply ``desired`` inside a checkpoint; see the module docstring for the guarantees.

    ``stop_requested`` says whether the caller was interrupted (a signal). It is
    asked once more before the commit: a cancel can be lost inside the event loop
    or a library, and an interrupted apply must never be kept.
    """
    client = await NMClient.connect(bus_address)
    try:
        # The profiles are read alongside the host: one wait instead of two.
        profiles_task = asyncio.create_task(read_profiles(client))
        # Its failure (no NM on the bus) is reported by read_live's side; mark it seen.
        profiles_task.add_done_callback(lambda t: t.cancelled() or t.exception())
        try:
            live = await read_live(bus_address, netns, client=client)
            if live.nm is None:
                raise NoBackend(live.nm_missing or "NetworkManager is not available")
            profiles = await profiles_task
        finally:
            profiles_task.cancel()  # no-op once it is done
        prepared = await prepare(client, desired, live, source, profiles)
        if memory_only and prepared.plan.hostname is not None:
            raise InvalidInput([_memory_only_hostname(prepared.plan.hostname, source)])
        cp = await lifecycle.open_checkpoint(
            client, timeout, live.nm.version, existed=frozenset(by_name(prepared.current))
        )
        cp = replace(cp, before=Snapshot(live.state, live.links), netns=netns)
        if prepared.plan.hostname is not None:
            old = (prepared.current.get(k.HOSTNAME) or {}).get(k.CONFIG) or ""
            cp = replace(cp, hostname_before=str(old))
        if prepared.plan.running_hostname is not None:
            old = (prepared.current.get(k.HOSTNAME) or {}).get(k.RUNNING) or ""
            cp = replace(cp, running_before=str(old))
        if prepared.plan.global_dns is not None:  # NM 1.42's checkpoint does not cover it
            cp = replace(cp, global_dns_before=dict(live.nm.global_dns))
        notes = lifecycle.guard(cp, bus_address, keep_record=not commit)
        try:
            async with lifecycle.keep_alive(client, cp):
                executor = Executor(client, memory_only=memory_only, progress=progress)
                await executor.start()
                await executor.run(prepared.plan, timeout=max(10.0, timeout - 5.0))
                if verify_result:
                    mismatches = await _verify_loop(prepared, bus_address, netns, client)
                    if mismatches:
                        raise ApplyFailed(
                            "verification failed:\n" + "\n".join(m.format() for m in mismatches)
                        )
                if stop_requested is not None and stop_requested():
                    raise asyncio.CancelledError  # interrupted, the cancel itself lost
        except (Exception, asyncio.CancelledError, KeyboardInterrupt) as exc:
            if await _nm_gone(client):  # NM died: its checkpoint died with it
                raise _half_applied(prepared, cp, bus_address) from exc
            report = await lifecycle.undo(client, cp, bus_address)
            if isinstance(exc, (asyncio.CancelledError, KeyboardInterrupt)):
                exc.add_note(report.format())  # the interrupted caller prints it
                raise
            if isinstance(exc, ApplyFailed):
                raise ApplyFailed(f"{exc}\n{report.format()}", report=report) from exc
            lines = [str(exc) or type(exc).__name__]
            if isinstance(exc, DBusError):
                lines = [f"NetworkManager said: {exc.text}"]
            if not isinstance(exc, NmtuiError):
                lines += _kernel_lines(prepared)
            text = "apply failed:\n" + "\n".join(lines) + "\n" + report.format()
            raise ApplyFailed(text, report=report) from exc
        if commit:
            await lifecycle.commit_now(client, cp, bus_address)
            return ApplyResult(prepared)
        cp = await lifecycle.restart_timer(client, cp)
        return ApplyResult(prepared, checkpoint=cp, notes=notes)
    finally:
        client.close()
