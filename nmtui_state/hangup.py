"""Making sure the app ends after SIGHUP/SIGTERM, once the pending change is rolled back.

When the terminal goes away (SSH dropped, ``tmux kill-session``), Textual's
exit still restores the terminal: its writes go to a hung-up tty, its
writer thread dies on the error, and the main thread then blocks for ever
on the writer's full queue. The rollback has happened by then, but the
process stays as an orphan, and since the event loop no longer runs, the
asyncio SIGTERM handler never fires either.

So once the rollback is done, SIGTERM and SIGHUP go back to ordinary
handlers that raise ``SystemExit`` (a blocked lock wait is interrupted by a
real signal sent to the main thread), and a watchdog thread sends the main
thread SIGTERM if the exit has not finished within :data:`GRACE_S`, and
ends the process outright if that does not help either.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType

GRACE_S = 2.0
STOP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)


_app_done = threading.Event()


def app_done() -> None:
    """The app's run has returned: the watchdog stands down (a sandbox teardown may follow)."""
    _app_done.set()


def _raise_exit(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def exit_soon(grace: float = GRACE_S) -> threading.Thread:
    """After a rollback on a signal: let signals end the process, and end it after ``grace`` s."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _raise_exit)

    main = threading.main_thread().ident

    def watchdog() -> None:
        # To the main thread itself: a process-wide signal may land on another thread,
        # and then the main thread's blocked wait is never interrupted. Again each
        # ``grace`` (a cleanup may block once more), and in the end without cleanups.
        for _ in range(3):
            if _app_done.wait(grace):
                return
            if main is not None:
                signal.pthread_kill(main, signal.SIGTERM)
        if not _app_done.wait(grace):
            os._exit(128 + signal.SIGTERM)

    thread = threading.Thread(target=watchdog, name="exit-watchdog", daemon=True)
    thread.start()
    return thread
