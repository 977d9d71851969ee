"""Execute a plan's steps against NetworkManager and wait on its signals for the outcome.

Steps are issued in waves (see :func:`waves`): the independent ones of a
phase and depth level go out together, so N bridges cost a few round trips
rather than N. Activations are not waited for in between: NM queues a port
until its controller is ready, and a port-less bridge would otherwise hold
everything for its 2 s carrier wait.
Completion is learned from ``Connection.Active.StateChanged`` signals, not
from sleeping. A profile that waits for DHCP or router advertisements is
done once its link is ready (layer 2), as nmstate has it: NetworkManager
keeps asking for a lease (the profile's timeout is endless) and no server
may ever answer; apply does not wait for one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from dbus_fast import Message
from dbus_fast.errors import DBusError

from engine.backend.nm_dbus import (
    ACTIVE_ACTIVATED,
    ACTIVE_DEACTIVATED,
    ACTIVE_IFACE,
    CONNECTION_IFACE,
    DEVICE_IFACE,
    NM_IFACE,
    NM_PATH,
    SETTINGS_IFACE,
    SETTINGS_PATH,
    NMClient,
)
from engine.backend.nm_global_dns import write_global_dns
from engine.backend.nm_read import DEVICE_STATE_DISCONNECTED
from engine.backend.nm_steps import Plan, Step
from engine.backend.nm_types import to_dbus
from engine.backend.nm_types_extra import refusal_hint
from engine.backend.uts import nm_pid, set_running_hostname

TO_DISK = 0x1
IN_MEMORY = 0x2
# AddConnection2: no autoconnect until activated by hand. Every profile the plan adds
# for an interface that is up gets its own activate step; without this flag NM may
# autoconnect it first, and the explicit activation then supersedes (restarts) that one.
BLOCK_AUTOCONNECT = 0x20

#: NMActivationStateFlags: the link is up, only IP configuration is still running.
LAYER2_READY = 0x4
#: IP methods that wait on the network (a DHCP server, a router) rather than on the host.
_DYNAMIC = frozenset({"auto", "dhcp"})

# NMActiveConnectionStateReason (libnm's nm-dbus-interface.h), in words.
REASONS = {
    2: "disconnected by a user",
    3: "its device failed or went away",
    4: "service stopped",
    5: "IP configuration invalid",
    6: "connection attempt timed out",
    7: "service start timed out",
    8: "service start failed",
    9: "no secrets",
    10: "login failed",
    11: "profile removed",
    12: "a dependency (controller or base) failed",
    13: "the kernel link could not be created",
    14: "device removed",
}


def _gone(exc: DBusError) -> bool:
    """Whether NM refused because the object no longer exists (or is already inactive)."""
    return exc.type in (
        "org.freedesktop.DBus.Error.UnknownObject",
        "org.freedesktop.DBus.Error.UnknownInterface",
        "org.freedesktop.DBus.Error.UnknownMethod",
        "org.freedesktop.NetworkManager.Device.NotActive",
    )


class StepFailed(Exception):
    """One step failed; the message names the interface and what NM said."""

    def __init__(self, iface: str, message: str) -> None:
        super().__init__(f"{iface}: {message}")
        self.iface = iface


async def save_hostname(client: NMClient, name: str, timeout: float = 3.0) -> None:
    """Save the static hostname and wait until NM reports it.

    NM writes /etc/hostname and learns the new name from its file monitor a
    moment later; until then its ``Hostname`` property is stale, and a second
    SaveHostname (a rollback right after) compares against the stale value
    and may be dropped. Waiting makes both the verification and the undo exact.
    """
    await client.call(SETTINGS_PATH, SETTINGS_IFACE, "SaveHostname", "s", [name])
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (await client.get(SETTINGS_PATH, SETTINGS_IFACE, "Hostname") or "") != name:
        if loop.time() > deadline:
            return  # verification will say what the host has
        await asyncio.sleep(0.02)


async def set_running(client: NMClient, name: str) -> None:
    """Set the kernel hostname where NM runs (NM's UTS namespace: a sandbox has its own)."""
    pid = await nm_pid(client)
    try:
        await asyncio.to_thread(set_running_hostname, pid, name)
    except (OSError, ValueError) as exc:
        raise StepFailed("hostname", f"set running hostname failed: {exc}") from exc


def _phase(step: Step) -> int:
    if step.action in ("delete-profile", "delete-device"):
        return 0
    return 1 if step.action in ("add", "update") else 2


def waves(steps: list[Step]) -> list[list[Step]]:
    """The plan's steps cut into waves that may each run concurrently.

    A wave is a run of consecutive steps of one phase (removals, profile
    writes, activations) and, for removals and activations, one depth
    level: deeper removals finish before their parents go, and controllers
    and bases are asked to activate before their ports and children (NM
    would otherwise activate a port's controller on its own, and a second
    request would supersede that). Profile writes do not depend on each
    other and form one wave. Activations never wait for their outcome, so a
    wave costs one round trip, not an activation.
    """
    out: list[list[Step]] = []
    last: tuple[int, int] | None = None
    for step in steps:
        phase = _phase(step)
        key = (phase, 0 if phase == 1 else step.level)
        if key != last:
            out.append([])
            last = key
        out[-1].append(step)
    return out


#: The longest wait for an activation's signal before its state is looked at again.
ACTIVE_RECHECK_S = 1.0


@dataclass
class ActiveWatch:
    """Tracks Connection.Active state changes (path → (state, reason))."""

    states: dict[str, tuple[int, int]] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def on_signal(self, msg: Message) -> None:
        if msg.path and len(msg.body) >= 2:
            self.states[msg.path] = (int(msg.body[0]), int(msg.body[1]))
            self.changed.set()


@dataclass
class Executor:
    """Runs steps; remembers new profile paths so later steps can activate them."""

    client: NMClient
    memory_only: bool = False
    progress: Callable[[str], None] | None = None
    watch: ActiveWatch = field(default_factory=ActiveWatch)
    created: dict[str, str] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)  # active path -> iface
    dynamic: dict[str, bool] = field(default_factory=dict)  # active path -> DHCP/autoconf

    async def start(self) -> None:
        await self.client.on_signal(ACTIVE_IFACE, "StateChanged", self.watch.on_signal)

    def _say(self, step: Step) -> None:
        self._say_text(step.describe())

    def _say_text(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

    async def run(self, plan: Plan, timeout: float) -> None:
        if plan.global_dns is not None:
            self._say_text("DNS: global DNS " + ("set" if plan.global_dns else "cleared"))
            await write_global_dns(self.client, plan.global_dns)
        for wave in waves(plan.steps):
            for step in wave:
                self._say(step)
            await self._wave(wave)
        if plan.hostname is not None:
            await save_hostname(self.client, plan.hostname)
        await self.wait_active(timeout)
        if plan.running_hostname is not None:
            # Last, as nmstate does: NM re-asserts the static name on its own changes.
            self._say_text(f"hostname: set running {plan.running_hostname!r}")
            await set_running(self.client, plan.running_hostname)

    async def _wave(self, wave: list[Step]) -> None:
        """Run one wave: each interface's steps in order, the interfaces concurrently.

        Every call is waited for (NMClient bounds how many are in flight)
        before the first failure, in plan order, is raised: a rollback must
        not race steps still on their way to NM.
        """

        async def chain(steps: list[Step]) -> None:
            for step in steps:
                await self._step(step)

        per: dict[str, list[Step]] = {}
        for step in wave:
            per.setdefault(step.iface, []).append(step)
        results = await asyncio.gather(*(chain(s) for s in per.values()), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _step(self, step: Step) -> None:
        flags = IN_MEMORY if self.memory_only else TO_DISK
        try:
            if step.action == "delete-profile" and step.profile:
                await self.client.call(step.profile, CONNECTION_IFACE, "Delete")
            elif step.action == "delete-device" and step.device:
                with contextlib.suppress(DBusError):  # already gone with its profile
                    await self.client.call(step.device, DEVICE_IFACE, "Delete")
            elif step.action == "add" and step.settings is not None:
                path, _ = await self.client.call(
                    SETTINGS_PATH,
                    SETTINGS_IFACE,
                    "AddConnection2",
                    "a{sa{sv}}ua{sv}",
                    [to_dbus(step.settings), flags | BLOCK_AUTOCONNECT, {}],
                )
                self.created[step.iface] = path
            elif step.action == "update" and step.settings is not None and step.profile:
                await self.client.call(
                    step.profile,
                    CONNECTION_IFACE,
                    "Update2",
                    "a{sa{sv}}ua{sv}",
                    [to_dbus(step.settings), flags, {}],
                )
            elif step.action == "reapply" and step.device:
                try:
                    await self.client.call(
                        step.device, DEVICE_IFACE, "Reapply", "a{sa{sv}}tu", [{}, 0, 0]
                    )
                except DBusError:
                    # Some changes (controller, cloned MAC) cannot be reapplied, and a port
                    # whose controller went away is no longer active: re-activate instead.
                    await self._activate(step)
            elif step.action == "activate":
                await self._activate(step)
            elif step.action == "recreate" and step.device:
                await self._recreate(step, step.device)
            elif step.action == "deactivate" and step.device:
                try:
                    await self.client.call(step.device, DEVICE_IFACE, "Disconnect")
                except DBusError as exc:
                    if not _gone(exc):
                        raise
                    # Already gone with an earlier step (a removed controller or base).
        except DBusError as exc:
            what = step.describe().split(": ", 1)[1]
            raise StepFailed(
                step.iface, f"{what} failed: {exc.text}{refusal_hint(exc.text or '')}"
            ) from exc

    async def _recreate(self, step: Step, device: str, timeout: float = 20.0) -> None:
        """Deactivate, wait until NM has deleted the link it created, activate again.

        Activating over the old link fails ("no compatible device"): NM removes a
        software link only once its deactivation is through, so that is waited for
        (the device's ``Real`` turns false, or the device object goes). A link NM
        did not create stays: once disconnected it gets a short grace, then the
        activation goes ahead and NM's own answer is what the user sees.
        """
        try:
            await self.client.call(device, DEVICE_IFACE, "Disconnect")
        except DBusError as exc:
            if not _gone(exc):
                raise
        loop = asyncio.get_running_loop()
        deadline, grace = loop.time() + timeout, None
        while True:
            try:
                props = await self.client.get_all(device, DEVICE_IFACE)
            except DBusError as exc:
                if _gone(exc):
                    break
                raise
            if not props.get("Real", True):
                break
            if int(props.get("State", 0)) <= DEVICE_STATE_DISCONNECTED:
                grace = grace or loop.time() + 2.0
            if loop.time() > (grace or deadline):
                if grace is None:
                    raise StepFailed(step.iface, f"not deactivated within {timeout:.0f} s")
                break
            await asyncio.sleep(0.05)  # a short bounded poll: one object, a few rounds
        await self._activate(step)

    async def _activate(self, step: Step) -> None:
        profile = step.profile or self.created.get(step.iface)
        if profile is None:
            raise StepFailed(step.iface, "no profile to activate")
        # No device path: NM finds the device by the profile's interface-name, or creates
        # it for a software link. A path read before the earlier steps may be stale by
        # now (a veth deleted and re-created, a port released by its removed controller).
        for attempt in range(3):
            self.watch.changed.clear()
            try:
                (active,) = await self.client.call(
                    NM_PATH, NM_IFACE, "ActivateConnection", "ooo", [profile, "/", "/"]
                )
                break
            except DBusError as exc:
                # A port whose controller is being removed is still deactivating: NM
                # cancels the request ("Authorization request cancelled"). Retried once
                # that deactivation has been signalled, as nmstate retries activations.
                if attempt == 2 or "cancelled" not in (exc.text or ""):
                    raise
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(2.0):
                        await self.watch.changed.wait()
        self.pending[active] = step.iface

    async def _waits_only_for_a_lease(self, path: str) -> bool:
        """Whether an activation still running has its link up and asks the network for
        its addresses (DHCP, autoconf): then it is as done as apply will wait for."""
        try:
            if path not in self.dynamic:
                profile = await self.client.get(path, ACTIVE_IFACE, "Connection")
                (settings,) = await self.client.call(profile, CONNECTION_IFACE, "GetSettings")
                methods = {(settings.get(f) or {}).get("method") for f in ("ipv4", "ipv6")}
                self.dynamic[path] = bool(methods & _DYNAMIC)
            if not self.dynamic[path]:
                return False
            flags = await self.client.get(path, ACTIVE_IFACE, "StateFlags")
        except DBusError:
            return False  # gone meanwhile: its StateChanged says how it ended
        return bool(int(flags) & LAYER2_READY)

    async def wait_active(self, timeout: float) -> None:
        """Wait until every activation issued is ACTIVATED; fail on the first that is not."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        # Catch transitions that happened before the signal subscription saw them.
        for path in list(self.pending):
            if path not in self.watch.states:
                try:
                    state = await self.client.get(path, ACTIVE_IFACE, "State")
                    self.watch.states.setdefault(path, (int(state), 0))
                except DBusError:
                    self.watch.states.setdefault(path, (ACTIVE_DEACTIVATED, 0))
        while True:
            # Cleared before the states are read: the lease check below awaits D-Bus, and
            # a StateChanged landing then must wake the wait, not be cleared after it
            # (that lost wakeup held every apply a full second).
            self.watch.changed.clear()
            waiting = []
            for path, iface in self.pending.items():
                state, reason = self.watch.states.get(path, (0, 0))
                if state == ACTIVE_DEACTIVATED or state > ACTIVE_DEACTIVATED:
                    why = REASONS.get(reason, f"reason {reason}")
                    raise StepFailed(iface, f"NetworkManager could not activate it ({why})")
                if state != ACTIVE_ACTIVATED and not await self._waits_only_for_a_lease(path):
                    waiting.append(iface)
            if not waiting:
                return
            left = deadline - loop.time()
            if left <= 0:
                raise StepFailed(", ".join(waiting), f"not activated within {timeout:.0f} s")
            with contextlib.suppress(TimeoutError):  # not wait_for: it can drop a cancel
                async with asyncio.timeout(min(left, ACTIVE_RECHECK_S)):
                    await self.watch.changed.wait()
