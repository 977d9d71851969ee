"""The checkpoint lifecycle: create → deadline → commit or rollback → wait until settled.

Every apply runs inside a NetworkManager checkpoint (the raw calls are
:mod:`engine.backend.nm_checkpoint`). This module is the one place that
knows what a pending change is: its deadline on NM's own clock
(CLOCK_BOOTTIME, so the countdown shows when the daemon will really roll
back, whatever happens to this process), what NM's snapshot does not cover
(the static hostname), and what "done" means after a rollback (no device
mid-transition, no link left that the apply created). The CLI's
``--no-commit``/``commit``/``rollback`` and the TUI's countdown all use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import time
from dataclasses import dataclass, field, replace

from dbus_fast.errors import DBusError

from engine import pending
from engine.backend import nm_checkpoint as nm_cp
from engine.backend.nm_dbus import DEVICE_IFACE, NM_IFACE, NM_PATH, NMClient
from engine.backend.nm_exec import StepFailed, save_hostname, set_running
from engine.backend.nm_global_dns import write_global_dns
from engine.errors import ApplyFailed, InvalidInput, NmtuiError, NoBackend, Problem
from engine.restore_check import UNCHECKED, RestoreReport, Snapshot, check

SETTLE_SECONDS = 5.0
EXPIRE_GRACE_SECONDS = 5.0  # how long after the deadline NM may take to roll back by itself
# NMDeviceState PREPARE (40) .. SECONDARIES (90), and DEACTIVATING (110).
TRANSITIONAL = frozenset((*range(40, 100), 110))
_GIVEN = re.compile(r"(?:/org/freedesktop/NetworkManager/Checkpoint/)?([1-9]\d{0,9})")


def boottime_ms() -> int:
    """Now on CLOCK_BOOTTIME, NM's clock for checkpoint creation times (ms)."""
    return int(time.clock_gettime(time.CLOCK_BOOTTIME) * 1000)


@dataclass(frozen=True)
class Checkpoint:
    """A pending change: what ``apply(commit=False)`` returns and commit/rollback take."""

    path: str
    timeout: int
    #: NM's rollback deadline, CLOCK_BOOTTIME ms (None: not read, e.g. a bare path).
    deadline_ms: int | None = None
    #: The static hostname before the apply, when it changed it: NM's checkpoint does not
    #: cover the hostname, so a rollback through this object restores it (None: unchanged).
    hostname_before: str | None = None
    #: The running (kernel) hostname before the apply, when it set it: outside NM's
    #: checkpoint as well, restored the same way (None: unchanged).
    running_before: str | None = None
    #: NM's global DNS before the apply, when it changed it (nmstate form; {}: unset):
    #: NetworkManager 1.42's checkpoint does not cover it either.
    global_dns_before: dict[str, list[str]] | None = None
    #: Interfaces that existed before the apply: after a rollback, links beyond them are
    #: ones the apply created, and are waited for (or deleted) until gone.
    existed: frozenset[str] = field(default_factory=frozenset)
    #: The host as read before the apply: every rollback re-reads and compares with it,
    #: so "restored" is a checked claim (None: unknown, e.g. a bare number given).
    before: Snapshot | None = field(default=None, compare=False, repr=False)
    #: The network namespace the host's kernel side is read in (None: this process's).
    netns: str | None = None

    @property
    def number(self) -> str:
        """The short form the CLI takes (``nmtui-state commit 3``)."""
        return self.path.rsplit("/", 1)[-1]

    def seconds_left(self, now_ms: int | None = None) -> int:
        """Whole seconds until NM rolls back by itself (rounded up; 0 once due)."""
        if self.deadline_ms is None:
            return self.timeout
        now = boottime_ms() if now_ms is None else now_ms
        return max(0, -(-(self.deadline_ms - now) // 1000))


async def _deadline(client: NMClient, path: str) -> int:
    created, timeout = await nm_cp.timing(client, path)
    return created + timeout * 1000


async def open_checkpoint(
    client: NMClient, timeout: int, nm_version: str = "", existed: frozenset[str] = frozenset()
) -> Checkpoint:
    """Create a checkpoint over all devices that NM rolls back after ``timeout`` s."""
    path = await nm_cp.create(client, timeout, nm_version)
    return Checkpoint(path, timeout, await _deadline(client, path), existed=existed)


async def restart_timer(client: NMClient, cp: Checkpoint) -> Checkpoint:
    """Give the user the whole timeout from now (the countdown starts after the apply)."""
    await nm_cp.adjust(client, cp.path, cp.timeout)
    return replace(cp, deadline_ms=await _deadline(client, cp.path))


def keep_alive(client: NMClient, cp: Checkpoint) -> nm_cp.KeepAlive:
    """Hold the timer off while the apply itself is still working."""
    return nm_cp.KeepAlive(client, cp.path, cp.timeout, every=max(1.0, cp.timeout / 3))


async def settle(client: NMClient, existed: frozenset[str] | None = None) -> None:
    """After a rollback, wait (bounded) until no device is mid-transition.

    With ``existed`` (the interfaces before the apply), also until every link
    the apply created is gone again. NM deletes them asynchronously after the
    rollback returns; and when a new profile was failing, an autoconnect retry
    already under way can re-create its link just after the rollback deleted
    the profile, leaving an orphan no profile owns. Those are deleted here.
    """

    async def device(path: str) -> tuple[str, int, str]:
        try:
            props = await client.get_all(path, DEVICE_IFACE)
        except DBusError:
            return path, 0, ""  # removed while we asked: not in transition any more
        return path, int(props.get("State", 0)), str(props.get("Interface", ""))

    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_SECONDS
    deleted: set[str] = set()
    while loop.time() < deadline:
        paths = await client.get(NM_PATH, NM_IFACE, "Devices")
        devices = await asyncio.gather(*(device(p) for p in paths))
        busy = any(state in TRANSITIONAL for _, state, _ in devices)
        new = [p for p, _, n in devices if existed and n and n not in existed]
        if not busy and not new:
            return
        if not busy:
            for path in set(new) - deleted:
                deleted.add(path)
                with contextlib.suppress(DBusError):  # not a software link, or gone already
                    await client.call(path, DEVICE_IFACE, "Delete")
        await asyncio.sleep(0.05)


async def undo(client: NMClient, cp: Checkpoint, bus_address: str | None = None) -> RestoreReport:
    """Roll back now, restore what NM's snapshot does not cover, settle, and check.

    The report compares a fresh read with the snapshot taken before the apply:
    "restored" is said only when they match.
    """
    await nm_cp.rollback(client, cp.path)
    return await _after_rollback(client, cp, bus_address)


async def _after_rollback(
    client: NMClient, cp: Checkpoint, bus_address: str | None
) -> RestoreReport:
    """What every rollback path does once NM's rollback ran (by us or by its timer)."""
    if cp.hostname_before is not None:  # outside NM's snapshot: ours to put back
        with contextlib.suppress(DBusError):
            await save_hostname(client, cp.hostname_before)
    if cp.running_before is not None:
        with contextlib.suppress(StepFailed):
            await set_running(client, cp.running_before)
    if cp.global_dns_before is not None:
        with contextlib.suppress(DBusError):
            await write_global_dns(client, cp.global_dns_before)
    await settle(client, cp.existed)
    pending.drop(bus_address, cp.path)
    if cp.before is None:
        return UNCHECKED
    from engine.show import read_live  # the pipeline's reader; imported late (it is heavy)

    live = await read_live(bus_address, cp.netns, client=client)
    return check(cp.before, Snapshot(live.state, live.links))


async def commit_now(client: NMClient, cp: Checkpoint, bus_address: str | None = None) -> None:
    """Keep the change (and drop its record: the guardian then has nothing to do)."""
    await nm_cp.destroy(client, cp.path)
    pending.drop(bus_address, cp.path)


@dataclass(frozen=True)
class Finished:
    """How a commit or rollback ended: the checkpoint, and for a rollback the checked verdict."""

    path: str
    report: RestoreReport | None = None

    @property
    def number(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def parse_given(given: str) -> str:
    """The checkpoint path a user typed (``3`` or its D-Bus path); InvalidInput otherwise."""
    match = _GIVEN.fullmatch(given.strip())
    if match is None:
        raise InvalidInput(
            [
                Problem(
                    "checkpoint",
                    f"{given!r} is not a checkpoint",
                    "give its number or D-Bus path, as apply --no-commit printed it "
                    "(or none: the pending one)",
                )
            ]
        )
    return nm_cp.CHECKPOINT_PREFIX + match.group(1)


def guard(cp: Checkpoint, bus_address: str | None, keep_record: bool) -> list[str]:
    """Before the host is touched: leave what outlives this process; caveats to show.

    The record lets another process (``nmtui-state rollback 3``) end the change
    properly; when the change writes outside NM's checkpoint (the hostname), a
    detached guardian (:mod:`engine.guardian`) puts that back if NM's timer
    rolls back after this process died, SIGKILL included.
    """
    needs_guardian = (
        cp.hostname_before is not None
        or cp.running_before is not None
        or cp.global_dns_before is not None
    )
    if not (keep_record or needs_guardian):
        return []
    rec = record(cp, bus_address)
    if not rec.save():
        where = rec.path.parent
        return [
            f"cannot write {where} (set NMTUI_STATE_RUNDIR to a writable directory): "
            "if this process dies, the hostname is not restored and a rollback from "
            "another shell is not checked"
        ]
    if needs_guardian:
        from engine import guardian

        guardian.start(rec.path, os.getpid())
    return []


def forget(cp: Checkpoint, bus_address: str | None) -> None:
    """The checkpoint is gone without a rollback (NM stopped): drop its record."""
    pending.drop(bus_address, cp.path)


def record(cp: Checkpoint, bus_address: str | None) -> pending.PendingRecord:
    """The on-disk record of ``cp``: what another process needs to end it properly."""
    return pending.PendingRecord(
        checkpoint=cp.path,
        timeout=cp.timeout,
        bus_address=bus_address,
        netns=cp.netns,
        before=cp.before.to_json() if cp.before else None,
        existed=sorted(cp.existed),
        hostname_before=cp.hostname_before,
        running_before=cp.running_before,
        global_dns_before=cp.global_dns_before,
    )


def from_record(rec: pending.PendingRecord) -> Checkpoint:
    """The Checkpoint an apply in another process left, as its record describes it."""
    return Checkpoint(
        rec.checkpoint,
        rec.timeout,
        hostname_before=rec.hostname_before,
        running_before=rec.running_before,
        global_dns_before=rec.global_dns_before,
        existed=frozenset(rec.existed),
        before=Snapshot.from_json(rec.before),
        netns=rec.netns,
    )


async def _pending(
    client: NMClient, given: Checkpoint | str | None, action: str, bus_address: str | None
) -> Checkpoint:
    paths = await nm_cp.list_paths(client)
    if isinstance(given, Checkpoint):
        cp = given
    elif given is None:
        if not paths:
            what = "commit" if action == "commit" else "roll back"
            raise ApplyFailed(
                f"no checkpoint is pending, so there is nothing to {what} "
                "(apply --no-commit leaves one; it may also have timed out already)"
            )
        cp = Checkpoint(paths[-1], 0)
    else:
        cp = Checkpoint(parse_given(given), 0)
    if not isinstance(given, Checkpoint):
        rec = pending.load(bus_address, cp.path)
        if rec is not None:
            cp = from_record(rec)
    if cp.path not in paths:
        raise ApplyFailed(
            f"checkpoint {cp.path} is not pending (pending: {', '.join(paths) or 'none'}); "
            "it was committed or rolled back already, or timed out"
        )
    return cp


async def finish(
    action: str, given: Checkpoint | str | None, bus_address: str | None = None
) -> Finished:
    """``commit`` or ``rollback`` the given (or the only pending) checkpoint; its path.

    Given the :class:`Checkpoint` an apply returned (not just its path), a
    rollback also restores the static hostname and waits until the links
    the apply created are gone.
    """
    if isinstance(given, str):
        parse_given(given)  # a typo is invalid input before NM is even asked
    client = await NMClient.connect(bus_address)
    try:
        if not await client.name_has_owner():
            raise NoBackend("NetworkManager is not running (try: systemctl start NetworkManager)")
        cp = await _pending(client, given, action, bus_address)
        if action == "commit":
            await commit_now(client, cp, bus_address)
            return Finished(cp.path)
        return Finished(cp.path, await undo(client, cp, bus_address))
    finally:
        client.close()


async def pending_numbers(bus_address: str | None = None) -> list[int] | None:
    """The numbers of the checkpoints NM holds now; None when NM cannot be asked.

    Said after a refused commit/rollback, so a typo never leaves the user
    unaware that a checkpoint is still pending (and will roll back by itself).
    """
    try:
        client = await NMClient.connect(bus_address)
    except (NmtuiError, OSError, ValueError, EOFError):
        return None
    try:
        return [int(p.rsplit("/", 1)[-1]) for p in await nm_cp.list_paths(client)]
    except (NmtuiError, OSError, ValueError, EOFError):
        return None
    finally:
        client.close()


async def is_pending(cp: Checkpoint, bus_address: str | None = None) -> bool:
    """Whether NetworkManager still holds ``cp`` (False once its timer rolled it back)."""
    client = await NMClient.connect(bus_address)
    try:
        return cp.path in await nm_cp.list_paths(client)
    finally:
        client.close()


async def wait_expired(cp: Checkpoint, bus_address: str | None = None) -> RestoreReport | None:
    """After the deadline: wait until NM's own rollback is done and check it; None if it
    never came."""
    client = await NMClient.connect(bus_address)
    try:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + cp.seconds_left() + EXPIRE_GRACE_SECONDS
        while cp.path in await nm_cp.list_paths(client):
            if loop.time() > give_up:
                return None
            await asyncio.sleep(0.1)
        return await _after_rollback(client, cp, bus_address)
    finally:
        client.close()
