"""Kernel reads in a short-lived helper process, so they run beside the D-Bus read, not in turn.

pyroute2 decodes netlink in pure Python, and every message it builds is a
reference cycle (each object keeps ``self.chain = [self]``). Read on a
thread of the caller, a host with 600 links costs ~0.2 s of CPU under the
caller's GIL (stalling the D-Bus reader and, in the TUI, the screen) and
then ~0.09 s more when the garbage collector frees some 200,000 cyclic
objects. A helper process decodes on the other core while this one talks to
NetworkManager, pays the pyroute2 import there, and exits without ever
collecting: what comes back is the already shaped :class:`KernelState` as
JSON (plain dicts, a few hundred kilobytes at 600 links).

The helper is ``python -P -m engine.backend.netlink_process [NETNS]``, run
from ``/`` with this process's interpreter and the directory this ``engine``
package was loaded from first on its path (so a source checkout reads with
its own code, and a stray ``engine/`` in the working directory of a root
shell is never imported). When it cannot be started, or breaks for a reason
of its own (an interpreter without pyroute2, say), the read runs on a thread
here instead; a failure of the read itself is reported, not retried.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from engine.backend.netlink import KernelState, read_kernel

MODULE = "engine.backend.netlink_process"
READ_FAILED = 2  # the helper's exit status when the read itself failed (its stderr says why)
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def helper_argv(netns: str | None) -> list[str]:
    """The command line of the helper (``-P``: no working directory on ``sys.path``)."""
    return [sys.executable, "-P", "-m", MODULE, *([netns] if netns else [])]


def _helper_env() -> dict[str, str]:
    env = dict(os.environ)
    path = env.get("PYTHONPATH")
    env["PYTHONPATH"] = _PACKAGE_ROOT + (os.pathsep + path if path else "")
    return env


def _last_line(text: bytes) -> str:
    lines = text.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


class KernelRead:
    """One kernel read running in the helper process; :meth:`result` awaits it.

    Starting costs a millisecond (a fork and exec), so a caller that knows
    it will read (``nmtui-state show``) starts this before loading the rest
    of its code, and the helper's own start-up overlaps that.
    """

    def __init__(self, netns: str | None = None) -> None:
        self.netns = netns
        self._proc: subprocess.Popen[bytes] | None
        try:
            self._proc = subprocess.Popen(
                helper_argv(netns),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd="/",
                env=_helper_env(),
            )
        except OSError:
            self._proc = None  # no interpreter to start: read on a thread instead

    async def result(self) -> KernelState:
        """The shaped kernel state; OSError (one line) when the read failed."""
        import asyncio  # the caller runs a loop, so this costs nothing; a starter need not

        proc = self._proc
        if proc is None:
            return await asyncio.to_thread(read_kernel, self.netns)
        try:
            out, err = await asyncio.to_thread(proc.communicate)
        except BaseException:  # cancelled (a newer refresh, Ctrl-C): do not leave it running
            self.cancel()
            raise
        if proc.returncode == READ_FAILED:
            raise OSError(f"reading the kernel's links over netlink failed: {_last_line(err)}")
        if proc.returncode != 0:  # the helper itself broke (an interpreter without pyroute2?)
            return await asyncio.to_thread(read_kernel, self.netns)
        data = json.loads(out)
        return KernelState(interfaces=data["interfaces"], routes=data["routes"])

    def cancel(self) -> None:
        """Stop the helper if it is still running (its result is no longer wanted)."""
        if self._proc is not None and self._proc.poll() is None:
            with contextlib.suppress(OSError):
                self._proc.kill()
            self._proc.wait()


async def read_kernel_async(netns: str | None = None) -> KernelState:
    """:func:`engine.backend.netlink.read_kernel` in the helper process; awaitable."""
    return await KernelRead(netns).result()


def main(argv: list[str]) -> None:
    """The helper: read, print JSON, and leave without the exit-time garbage collection."""
    gc.disable()  # nothing here outlives the process: collecting would only cost time
    netns = argv[1] if len(argv) > 1 else None
    try:
        state = read_kernel(netns)
        payload = json.dumps({"interfaces": state.interfaces, "routes": state.routes})
    except Exception as exc:  # reported to the parent as one line, raised there
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n")
        sys.stderr.flush()
        os._exit(READ_FAILED)
    sys.stdout.write(payload)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
