"""Kernel reads in a helper process, so they run beside the D-Bus read, not in turn.

pyroute2 decodes netlink in pure Python, and every message it builds is a
reference cycle (each object keeps ``self.chain = [self]``). Read on a
thread of the caller, a host with 600 links costs ~0.2 s of CPU under the
caller's GIL (stalling the D-Bus reader and, in the TUI, the screen) and
then ~0.09 s more when the garbage collector frees some 200,000 cyclic
objects. A helper process decodes on the other core while this one talks to
NetworkManager, pays the pyroute2 import there, and collects its garbage
after it has answered: what comes back is the already shaped
:class:`KernelState` as one line of JSON (~170 kB at 600 links). Links are
decoded without pyroute2 since (:mod:`engine.backend.netlink_links`, ~0.07 s
for 1000 bridges); addresses and routes still go through it, and the read
still overlaps NetworkManager's.

One helper serves a whole process: it starts on the first read and answers
requests (``ID NETNS``, one per line) until its stdin closes, which happens
when this process exits or dies, so the TUI's refreshes and an apply's
verification reads pay for the start only once. It is
``python -P -m engine.backend.netlink_process --serve``, run from ``/`` with
this process's interpreter and the directory this ``engine`` package was
loaded from first on its path (a source checkout reads with its own code,
and a stray ``engine/`` in the working directory of a root shell is never
imported). When it cannot be started, or dies (an interpreter without
pyroute2, say), reads run on a thread here instead; a failure of the read
itself (no such netns) is reported, not retried.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from engine.backend.netlink import KernelState, read_kernel
from engine.errors import NoBackend
from engine.gc_pause import gc_paused

MODULE = "engine.backend.netlink_process"
FULL_COLLECTION_EVERY = 16  # answers between full garbage collections in the helper
OWN_NETNS = "-"  # the request's netns field when the helper should read its own namespace
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def helper_argv() -> list[str]:
    """The helper's command line (``-P``: no working directory on ``sys.path``)."""
    return [sys.executable, "-P", "-m", MODULE, "--serve"]


def _helper_env() -> dict[str, str]:
    env = dict(os.environ)
    path = env.get("PYTHONPATH")
    env["PYTHONPATH"] = _PACKAGE_ROOT + (os.pathsep + path if path else "")
    return env


class HelperGone(Exception):
    """The helper exited (or never could start): read in-process instead."""


class Helper:
    """The parent's end of one helper process: send requests, match answers to them.

    Answers carry their request's id, so reads may be collected in any
    order and from any thread. One lock guards each direction of the pipe;
    the answers not yet collected have their own, so abandoning a read never
    waits for another read to finish (the TUI's event loop calls it).
    """

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            helper_argv(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # failures travel as answers; a crash is an EOF
            cwd="/",
            env=_helper_env(),
        )
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._recv_lock = threading.Lock()
        self._book_lock = threading.Lock()
        self._answers: dict[int, dict[str, Any]] = {}
        self._abandoned: set[int] = set()
        self.gone = False

    def send(self, netns: str | None) -> int:
        """Ask for a read of ``netns``; the id to :meth:`receive` its answer with."""
        stdin = self.proc.stdin
        assert stdin is not None
        with self._send_lock:
            request_id = next(self._ids)
            try:
                stdin.write(f"{request_id} {netns or OWN_NETNS}\n".encode())
                stdin.flush()
            except OSError as exc:
                self.gone = True
                raise HelperGone from exc
        return request_id

    def receive(self, request_id: int) -> dict[str, Any]:
        """The answer to ``request_id`` (blocking; call it on a worker thread)."""
        stdout = self.proc.stdout
        assert stdout is not None
        with self._recv_lock:
            while True:
                with self._book_lock:
                    if request_id in self._answers:
                        return self._answers.pop(request_id)
                line = stdout.readline()
                if not line:
                    self.gone = True
                    raise HelperGone
                answer = json.loads(line)
                with self._book_lock:
                    if answer["id"] in self._abandoned:
                        self._abandoned.discard(answer["id"])
                    else:
                        self._answers[answer["id"]] = answer

    def abandon(self, request_id: int) -> None:
        """Nobody will collect ``request_id``: drop its answer when it comes."""
        with self._book_lock:
            if self._answers.pop(request_id, None) is None:
                self._abandoned.add(request_id)

    def pending(self) -> int:
        """Answers kept or awaited for nobody (for tests: abandoned reads leave nothing)."""
        with self._book_lock:
            return len(self._answers) + len(self._abandoned)

    def close(self) -> None:
        """End the helper (closing its stdin is its signal to exit) and reap it."""
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


_helper: Helper | None = None
_helper_lock = threading.Lock()


def _the_helper() -> Helper:
    """This process's helper, started now if there is none or the last one died."""
    global _helper
    with _helper_lock:
        if _helper is None or _helper.gone:
            try:
                _helper = Helper()
            except OSError as exc:  # no interpreter to start
                raise HelperGone from exc
        return _helper


def prestart() -> None:
    """Start this process's helper now, if it is not running, without asking for a read.

    Its start (an interpreter, the pyroute2 import: ~0.1 s) is this module's
    equivalent of an import. A command that will read the kernel calls this
    first, so the start overlaps its own loading and checking instead of
    delaying its first read. Never fails: without a helper, reads run here.
    """
    with contextlib.suppress(HelperGone):
        _the_helper()


class KernelRead:
    """One kernel read, asked of the helper when created; :meth:`result` awaits it.

    Asking costs well under a millisecond (a millisecond or two more the first
    time, to start the helper), so a caller that knows it will read (``nmtui-state
    show``) creates this before loading the rest of its code.
    """

    def __init__(self, netns: str | None = None) -> None:
        self.netns = netns
        self._helper: Helper | None = None
        self._id = 0
        self._collected = False
        try:
            helper = _the_helper()
            self._id = helper.send(netns)
            self._helper = helper
        except HelperGone:
            pass

    async def result(self) -> KernelState:
        """The shaped kernel state; OSError (one line) when the read failed."""
        import asyncio  # the caller runs a loop, so this costs nothing; a starter need not

        helper = self._helper
        self._collected = True
        answer = None
        if helper is not None:
            try:
                answer = await asyncio.to_thread(helper.receive, self._id)
            except HelperGone:
                answer = None
        if answer is None:
            return await asyncio.to_thread(read_kernel, self.netns)
        if "no_backend" in answer:
            raise NoBackend(answer["no_backend"])
        if "error" in answer:
            raise OSError(f"reading the kernel's links over netlink failed: {answer['error']}")
        state = answer["state"]
        return KernelState(
            interfaces=state["interfaces"], routes=state["routes"], links=state["links"]
        )

    def cancel(self) -> None:
        """The result is no longer wanted (a newer refresh, Ctrl-C)."""
        if self._helper is not None and not self._collected:
            self._collected = True
            self._helper.abandon(self._id)


async def read_kernel_async(netns: str | None = None) -> KernelState:
    """:func:`engine.backend.netlink.read_kernel` in the helper process; awaitable."""
    return await KernelRead(netns).result()


def _answer(request: str) -> dict[str, Any]:
    request_id, _, netns = request.strip().partition(" ")
    answer: dict[str, Any] = {"id": int(request_id)}
    try:
        state = read_kernel(None if netns == OWN_NETNS else netns)
    except NoBackend as exc:  # the netns is missing or needs root: the parent's exit 3
        answer["no_backend"] = str(exc)
    except Exception as exc:  # reported to the parent as one line, raised there
        answer["error"] = f"{type(exc).__name__}: {exc}"
    else:
        answer["state"] = {
            "interfaces": state.interfaces,
            "routes": state.routes,
            "links": state.links,
        }
    return answer


def serve(requests: IO[str], answers: IO[str]) -> None:
    """The helper's loop: one answer line per request line, until the requests end.

    The collector runs between requests, never during a read (see the module
    docstring), so a long-lived helper (the TUI's) keeps a steady size.
    """
    for count, request in enumerate(requests, start=1):
        with gc_paused():  # ends with the answer sent: the collection it held back comes after
            answers.write(json.dumps(_answer(request)) + "\n")
            answers.flush()
        # The read's garbage is young: collecting the young generations frees it without
        # walking the whole heap (a full pass cost ~8 ms per read even on a small host,
        # which a caller reading again at once waits for). A full pass now and then
        # frees what survived them: without it, a day of TUI refreshes grew the helper
        # by ~2 kB a read.
        gc.collect() if count % FULL_COLLECTION_EVERY == 0 else gc.collect(1)


if __name__ == "__main__":
    if sys.argv[1:] != ["--serve"]:
        sys.exit(f"usage: python -m {MODULE} --serve  (started by nmtui-state, not by hand)")
    # Ctrl-C at the terminal reaches the whole process group: the parent decides what
    # stops; this helper ends when its parent does (its stdin closes).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import pyroute2  # noqa: F401 - now, while the parent is still busy loading its own code

    gc.freeze()  # what is loaded now lives as long as the helper: keep it out of collections

    with contextlib.suppress(BrokenPipeError):
        serve(sys.stdin, sys.stdout)
    os._exit(0)  # nothing to clean up; skip the exit-time collection
