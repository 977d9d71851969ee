"""The console's only contact with the engine's apply path: review, apply pending, keep or undo.

All of it goes through the engine's one checkpoint lifecycle
(:mod:`engine.checkpoint`): the console shows what that object says and
never talks to NetworkManager itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # engine.apply loads jsonschema (~0.1 s): not before the first paint
    from engine.apply import ApplyResult, Prepared
    from engine.restore_check import RestoreReport


@dataclass
class Host:
    """Where the NetworkManager is (bus address) and which netns the kernel reads come from."""

    bus_address: str | None = field(
        default_factory=lambda: os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    )
    netns: str | None = field(default_factory=lambda: os.environ.get("NMTUI_STATE_NETNS"))


async def review(host: Host, desired: dict[str, Any]) -> Prepared:
    """Validate, merge, diff and plan against a fresh read (raises InvalidInput); no change."""
    from engine.apply import review as engine_review

    prepared, _live = await engine_review(desired, host.bus_address, host.netns)
    return prepared


@dataclass
class Pending:
    """An applied change whose checkpoint NetworkManager rolls back at its deadline."""

    result: ApplyResult

    def seconds_left(self) -> int:
        """What the checkpoint object says (the engine owns the clock)."""
        cp = self.result.checkpoint
        return 0 if cp is None else cp.seconds_left()


async def apply_pending(host: Host, desired: dict[str, Any], timeout: int) -> Pending:
    """Apply in a checkpoint left pending for ``timeout`` s; raises ApplyFailed (rolled back)."""
    from engine.apply import apply_async

    result = await apply_async(
        desired, commit=False, timeout=timeout, bus_address=host.bus_address, netns=host.netns
    )
    assert result.checkpoint is not None  # commit=False always leaves one
    return Pending(result)


async def finish(host: Host, pending: Pending, keep: bool) -> RestoreReport | None:
    """Commit (keep) or roll back now; a rollback's checked verdict (re-read and compared)."""
    from engine.checkpoint import finish as engine_finish

    cp = pending.result.checkpoint
    done = await engine_finish("commit" if keep else "rollback", cp, host.bus_address)
    return done.report


async def expired(host: Host, pending: Pending) -> RestoreReport | None:
    """Wait for NetworkManager's own rollback at the deadline and check it (None: not seen)."""
    from engine.checkpoint import wait_expired

    cp = pending.result.checkpoint
    return None if cp is None else await wait_expired(cp, host.bus_address)


def verdict(what: str, report: RestoreReport | None) -> str:
    """The outcome line of a rollback: "back as it was" only when a re-read says so."""
    return f"{what} (not checked)." if report is None else report.format(what)
