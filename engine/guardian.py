"""The guardian: finishes a rollback NetworkManager did alone, after its owner died.

NetworkManager's checkpoint rolls devices and profiles back when its timer
fires, even after the process that applied was SIGKILLed. It does not
restore what lies outside the checkpoint: the static hostname. So an apply
that changes such things starts this small process first, detached in its
own session, with the path of its pending record (:mod:`engine.pending`).
It waits until the checkpoint is gone. If the record is gone too, the
change was committed or rolled back by someone who cleaned up: it exits.
If the record is still there, nobody was left to finish: it restores the
hostname from the record, logs one line, removes the record and exits.

It never outlives its purpose: it exits when the record disappears, and
gives up when NetworkManager has been unreachable for ``NM_GONE_LIMIT``.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from engine import pending

POLL_SECONDS = 0.25
NM_GONE_LIMIT = 600.0


def log(line: str) -> None:
    """One journal-friendly line on stderr (a log file when started detached)."""
    print(f"nmtui-state-guardian[{os.getpid()}]: {line}", file=sys.stderr, flush=True)


async def _checkpoint_alive(bus_address: str | None, checkpoint: str) -> bool | None:
    """Whether NM still holds ``checkpoint``; None when NM cannot be asked right now."""
    from dbus_fast.errors import DBusError

    from engine.backend import nm_checkpoint
    from engine.backend.nm_dbus import NMClient
    from engine.errors import NmtuiError

    try:
        client = await NMClient.connect(bus_address)
    except (NmtuiError, OSError):
        return None
    try:
        if not await client.name_has_owner():
            return None
        return checkpoint in await nm_checkpoint.list_paths(client)
    except (DBusError, NmtuiError, OSError):
        return None
    finally:
        client.close()


async def _restore_hostname(
    bus_address: str | None,
    hostname: str | None,
    running: str | None = None,
    global_dns: dict[str, list[str]] | None = None,
) -> None:
    """Put back the static hostname, the running one and NM's global DNS (each when the
    apply changed it)."""
    from engine.backend.nm_dbus import NMClient
    from engine.backend.nm_exec import save_hostname, set_running
    from engine.backend.nm_global_dns import write_global_dns

    client = await NMClient.connect(bus_address)
    try:
        if hostname is not None:
            await save_hostname(client, hostname)
        if running:
            await set_running(client, running)
        if global_dns is not None:
            await write_global_dns(client, global_dns)
    finally:
        client.close()


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def guard(record_file: Path, owner: int | None = None) -> int:
    """Wait for the checkpoint of ``record_file`` to end; finish its rollback if needed."""
    first = pending.read(record_file)
    if first is None:
        return 0
    gone_since: float | None = None
    while True:
        if not record_file.exists():
            return 0  # committed, or rolled back by someone who cleaned up
        alive = await _checkpoint_alive(first.bus_address, first.checkpoint)
        if alive is None:
            gone_since = gone_since or time.monotonic()
            if time.monotonic() - gone_since > NM_GONE_LIMIT:
                log(f"NetworkManager unreachable for {NM_GONE_LIMIT:.0f} s; giving up")
                return 1
        elif not alive and not _alive(owner):
            break  # NM rolled back (its timer, or a rollback command) and the owner is gone
        else:
            gone_since = None
        await asyncio.sleep(POLL_SECONDS)
    record = pending.read(record_file)
    if record is None:
        return 0
    if (
        record.hostname_before is not None
        or record.running_before
        or record.global_dns_before is not None
    ):
        try:
            await _restore_hostname(
                record.bus_address,
                record.hostname_before,
                record.running_before,
                record.global_dns_before,
            )
        except Exception as exc:  # the log line is the only report left
            log(f"checkpoint {record.checkpoint} ended unattended; not restored: {exc}")
            return 1
        log(
            f"checkpoint {record.checkpoint} ended unattended (NetworkManager's timer); "
            f"hostname {record.hostname_before or record.running_before!r} and global DNS "
            f"{record.global_dns_before!r} put back where the change set them"
        )
    pending.drop(record.bus_address, record.checkpoint)
    return 0


def start(record_file: Path, owner: int) -> int:
    """Start a detached guardian for ``record_file`` watching process ``owner``; its pid."""
    log_file = record_file.with_suffix(".log")
    fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "engine.guardian", str(record_file), str(owner)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=fd,
            cwd="/",
            start_new_session=True,  # not in the terminal's process group: a hangup spares it
        )
    finally:
        os.close(fd)
    return proc.pid


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python -m engine.guardian RECORD.json OWNER_PID", file=sys.stderr)
        return 2
    return asyncio.run(guard(Path(argv[0]), int(argv[1])))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
