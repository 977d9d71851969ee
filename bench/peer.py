"""The peer implementation (libnmstate 0.3.6), installed on demand, run against a sandbox.

The benchmarks compare nmtui-state with the tool its users know. Only
``nmstate==0.3.6`` runs on this machine kind: later releases need nispor
(Rust, not installable here). 0.3.6 is pure Python over libnm through
GObject introspection, so it needs Debian's ``python3-gi`` and
``gir1.2-nm-1.0`` and a venv that sees the system site-packages; its
Python dependencies (jsonschema, varlink, pyyaml) come from pip. Nothing
of this belongs in the project's own dependencies, so it lives in a cache
venv (``~/.cache/nmtui-state-bench/nmstate-venv``, or
``$NMTUI_BENCH_PEER_VENV``) that survives between runs and is built again
when missing.

libnmstate 0.3.6 reads NetworkManager through libnm (the system bus, so
``DBUS_SYSTEM_BUS_ADDRESS`` selects the sandbox) and the kernel only through
ethtool ioctls and ``/sys/class/net`` (bridge options and ports, MACs). An
ioctl follows the caller's netns, but sysfs shows the netns of whoever
mounted it: under a bare ``nsenter --net`` the peer would read the *host's*
``/sys`` and silently report bridges without options or ports. So every
peer process runs inside the sandbox's netns (:meth:`Sandbox.run`, i.e.
nsenter) *and* in a private mount namespace with the netns's sysfs mounted
on ``/sys`` (:data:`SYSFS_WRAPPER`), with the sandbox's bus address.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nmtui_state.sandbox import Sandbox

PEER_VERSION = "0.3.6"
PEER_PIP = [f"nmstate=={PEER_VERSION}"]
PEER_DEPS = ["jsonschema", "varlink", "pyyaml"]
APT_PACKAGES = ["python3-gi", "gir1.2-nm-1.0"]
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's: the one python3-gi is built for
VENV = Path(
    os.environ.get(
        "NMTUI_BENCH_PEER_VENV",
        Path.home() / ".cache" / "nmtui-state-bench" / "nmstate-venv",
    )
)
STAMP = VENV / ".nmtui-bench-ok"

# Runs its arguments with the current netns's sysfs on /sys, in a private mount namespace
# (nothing leaks to the host's mounts); costs a few ms, reported by wrapper_seconds().
SYSFS_WRAPPER = [
    "unshare",
    "--mount",
    "--",
    "/bin/sh",
    "-c",
    'mount --make-rprivate / && mount -t sysfs -o ro sysfs /sys && exec "$@"',
    "sh",
]

# A peer run prints one JSON line with this prefix; anything else on stdout
# (libnm warnings, logging) is ignored.
RESULT_TAG = "@@RESULT@@"

SHOW_SCRIPT = f"""
import json, sys, time
import libnmstate
repeat = int(sys.argv[1])
times = []
for _ in range(repeat):
    t = time.perf_counter()
    state = libnmstate.show()
    times.append(time.perf_counter() - t)
print({RESULT_TAG!r} + json.dumps({{"times": times, "links": len(state["interfaces"])}}))
"""

APPLY_SCRIPT = f"""
import json, sys, time
import libnmstate
state = json.load(sys.stdin)
t = time.perf_counter()
libnmstate.apply(state, verify_change=True, commit=True, rollback_timeout=60,
                 save_to_disk={{save}})
print({RESULT_TAG!r} + json.dumps({{"seconds": time.perf_counter() - t}}))
"""


def _say(message: str) -> None:
    print(f"peer: {message}", file=sys.stderr)


def _run(argv: list[str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)


def _apt_missing() -> list[str]:
    """Debian packages of :data:`APT_PACKAGES` that are not installed."""
    missing = []
    for pkg in APT_PACKAGES:
        res = _run(["dpkg-query", "-W", "-f=${Status}", pkg])
        if res.returncode != 0 or "install ok installed" not in res.stdout:
            missing.append(pkg)
    return missing


def _apt_install(packages: list[str]) -> str | None:
    """Install Debian packages; None on success, else why not (an update is tried once)."""
    if os.geteuid() != 0:
        return f"need root to install {' '.join(packages)} (apt-get install {' '.join(packages)})"
    if not shutil.which("apt-get"):
        return f"no apt-get to install {' '.join(packages)}"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    argv = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    res = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if res.returncode != 0:  # an old or missing package list: refresh once and retry
        subprocess.run(["apt-get", "update"], capture_output=True, env=env, check=False)
        res = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if res.returncode != 0:
        tail = (res.stderr or res.stdout).strip().splitlines()[-1:]
        return f"apt-get install {' '.join(packages)} failed: {' '.join(tail)}"
    return None


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def _importable() -> bool:
    """The venv's python imports libnmstate of the wanted version (and libnm through gi)."""
    probe = (
        "import gi; gi.require_version('NM', '1.0'); from gi.repository import NM; "
        "import libnmstate, importlib.metadata as m; print(m.version('nmstate'))"
    )
    res = _run([str(_venv_python()), "-c", probe], timeout=60)
    return res.returncode == 0 and res.stdout.strip() == PEER_VERSION


def install() -> str | None:
    """Build the cache venv; None when it is ready, else one line saying why it is not."""
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} missing (the peer needs Debian's python3 with python3-gi)"
    missing = _apt_missing()
    if missing:
        _say(f"installing {' '.join(missing)} (apt-get)")
        problem = _apt_install(missing)
        if problem:
            return problem
    if not _venv_python().exists():
        _say(f"creating {VENV}")
        VENV.parent.mkdir(parents=True, exist_ok=True)
        res = _run([SYSTEM_PYTHON, "-m", "venv", "--system-site-packages", str(VENV)])
        if res.returncode != 0:
            return f"venv creation failed (apt-get install python3-venv?): {res.stderr.strip()}"
    pip = [str(_venv_python()), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    _say(f"pip install {' '.join(PEER_PIP + PEER_DEPS)}")
    for argv in ([*pip, "--no-deps", *PEER_PIP], [*pip, *PEER_DEPS]):
        res = _run(argv)
        if res.returncode != 0:
            tail = res.stderr.strip().splitlines()[-1:]
            return f"{' '.join(argv[3:])} failed: {' '.join(tail)}"
    if not _importable():
        return f"libnmstate {PEER_VERSION} installed in {VENV} but does not import"
    STAMP.write_text(PEER_VERSION + "\n")
    return None


def peer_python() -> str | None:
    """The peer venv's python, installing it first if needed; None (and why, printed) if not.

    A stamp file short-cuts the check, so a benchmark run pays for the
    install once, not per sandbox.
    """
    if STAMP.exists() and STAMP.read_text().strip() == PEER_VERSION and _venv_python().exists():
        return str(_venv_python())
    problem = install()
    if problem:
        _say(f"libnmstate {PEER_VERSION} unavailable: {problem}")
        return None
    return str(_venv_python())


def nmstatectl() -> str | None:
    """The peer's ``nmstatectl`` entry point (whole-process runs), or None if unavailable."""
    python = peer_python()
    if python is None:
        return None
    exe = Path(python).parent / "nmstatectl"
    return str(exe) if exe.exists() else None


def _result(res: subprocess.CompletedProcess[str], what: str) -> dict[str, Any]:
    for line in res.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            result: dict[str, Any] = json.loads(line[len(RESULT_TAG) :])
            return result
    tail = "\n".join((res.stderr or res.stdout).strip().splitlines()[-8:])
    raise RuntimeError(f"peer {what} failed (exit {res.returncode}):\n{tail}")


def run_script(
    sb: Sandbox, script: str, args: list[str], stdin: str | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` under the peer python inside ``sb``'s netns, on ``sb``'s bus."""
    python = peer_python()
    if python is None:
        raise RuntimeError("peer unavailable")
    return sb.run(
        [*SYSFS_WRAPPER, python, "-c", script, *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def show_times(sb: Sandbox, repeat: int) -> tuple[list[float], int]:
    """In-process ``libnmstate.show()``: seconds of each of ``repeat`` calls, and links seen.

    One process for all calls: the import and libnm's initial sync are paid
    once, as in a long-running user of the library.
    """
    result = _result(run_script(sb, SHOW_SCRIPT, [str(repeat)]), "show")
    return [float(t) for t in result["times"]], int(result["links"])


def apply_seconds(sb: Sandbox, state: dict[str, Any], memory_only: bool) -> float:
    """``libnmstate.apply(state)`` (verify, commit, checkpoint) timed inside the peer process.

    The process start and import are left out, as they are for our in-process
    numbers; ``save_to_disk`` mirrors our ``memory_only``.
    """
    script = APPLY_SCRIPT.replace("{save}", "False" if memory_only else "True")
    res = run_script(sb, script, [], stdin=json.dumps(state))
    return float(_result(res, "apply")["seconds"])


def nmstatectl_show_seconds(sb: Sandbox) -> float:
    """Wall time of one ``nmstatectl show`` process inside the sandbox (start to exit)."""
    exe = nmstatectl()
    if exe is None:
        raise RuntimeError("peer unavailable")
    start = time.perf_counter()
    res = sb.run([*SYSFS_WRAPPER, exe, "show"], capture_output=True, timeout=600, check=False)
    seconds = time.perf_counter() - start
    if res.returncode != 0:
        raise RuntimeError(f"nmstatectl show failed: {res.stderr.strip()[-400:]}")
    return seconds


def wrapper_seconds(sb: Sandbox, repeat: int = 5) -> float:
    """Best wall time of nsenter + :data:`SYSFS_WRAPPER` around ``true``: the peer's handicap.

    Reported next to whole-process numbers so the reader can see the peer
    is not charged for more than this.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        sb.run([*SYSFS_WRAPPER, "true"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    """``python bench/peer.py``: install the peer (if needed) and print where it is."""
    python = peer_python()
    if python is None:
        return 1
    print(f"libnmstate {PEER_VERSION}: {python} (nmstatectl: {nmstatectl()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
