"""The systemd units shipped in the package, and ``install-units`` that puts them in place.

The unit files here (package data, in the wheel) name ``/usr/bin/nmtui-state``;
installing rewrites that to the executable actually running (a pipx or venv
install lives elsewhere), so ``systemd-analyze verify`` finds the command.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

SERVICE = "nmtui-state.service"
CONSOLE = "nmtui-state-console@.service"
UNITS = (SERVICE, CONSOLE)
SHIPPED_EXE = "/usr/bin/nmtui-state"
TTY_NAME = re.compile(r"^[A-Za-z0-9]+$")


def unit_text(name: str) -> str:
    """The shipped text of unit ``name``."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def executable() -> str:
    """The ``nmtui-state`` next to the running interpreter (a venv, pipx), else the shipped path."""
    beside = Path(sys.executable).parent / "nmtui-state"
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else SHIPPED_EXE


def rendered(name: str, exe: str | None = None) -> str:
    """Unit ``name`` as it is installed: with the real path of the executable."""
    return unit_text(name).replace(SHIPPED_EXE, exe or executable())


def install(dest: str | Path, consoles: list[str], enable: bool = True) -> list[str]:
    """Write the units to ``dest``; with ``enable``, reload systemd and enable them.

    Returns what was done, one line each. ``consoles`` are tty names
    (``ttyS0``, ``tty1``) that get ``nmtui-state-console@NAME.service``.
    """
    from engine.errors import InvalidInput, Problem

    for tty in consoles:
        name = tty.removeprefix("/dev/")
        if not TTY_NAME.match(name):
            raise InvalidInput(
                [Problem("--console", f"{tty!r} is not a tty name", "give e.g. ttyS0 or tty1")]
            )
    target = Path(dest)
    target.mkdir(parents=True, exist_ok=True)
    done = []
    for name in UNITS:
        path = target / name
        path.write_text(rendered(name), encoding="utf-8")
        done.append(f"wrote {path}")
    if not enable:
        return done
    instances = [f"nmtui-state-console@{t.removeprefix('/dev/')}.service" for t in consoles]
    for argv in (["systemctl", "daemon-reload"], ["systemctl", "enable", SERVICE, *instances]):
        subprocess.run(argv, check=True)
        done.append(" ".join(argv))
    return done
