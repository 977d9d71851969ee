"""A disposable host with a real NetworkManager, for tests, demos and learning.

The sandbox is a named network namespace, a private ``dbus-daemon`` with a
system-bus configuration listening on a socket in a temp dir, and
``NetworkManager --no-daemon`` started inside that netns under its own
mount and UTS namespaces:

* ``/run`` is a fresh tmpfs and ``/sys`` a read-only sysfs of the netns, so
  NetworkManager runs in its no-udev mode and treats new links as ready;
  only the software links' directories (``/sys/devices/virtual/net``) are
  writable, because NM sets bridge-port options through them;
* ``/etc`` is an overlay with a private upper dir, so the ``/etc/hostname``
  and ``/etc/resolv.conf`` NetworkManager writes stay inside (bind-mounting
  the single files breaks NM's atomic rename with EBUSY);
* ``/etc/NetworkManager`` and ``/var/lib/NetworkManager`` are private dirs
  (keyfile plugin, ``no-auto-default=*``);
* the UTS namespace keeps NM's hostname off the host.

Clients stay in the ordinary namespaces: they reach NM through the bus
address and read the kernel side through the netns. Several sandboxes can
run at once. Teardown kills only what it started and removes the netns,
mounts (they die with the mount namespace) and temp dirs.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from engine.errors import NoBackend

NETNS_PREFIX = "nmtui-sb-"
PR_SET_PDEATHSIG = 1
APT_FIX = "apt-get install network-manager dbus iproute2"

DBUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
"""

NM_CONFIG = """[main]
plugins=keyfile
no-auto-default=*
auth-polkit=false
dhcp=internal
rc-manager=file

[logging]
level={log_level}

[connectivity]
enabled=false
"""

# Runs inside the sandbox's netns, mount and UTS namespaces, then becomes NetworkManager.
# No PID namespace: NM authorizes callers by reading /proc/<caller pid>, which a private
# /proc would hide ("Unable to authenticate the request").
INNER_SCRIPT = """set -e
mount --make-rprivate /
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t sysfs sysfs /sys
mount -o remount,bind,ro /sys
mount --bind /sys/devices/virtual/net /sys/devices/virtual/net
mount -o remount,bind,rw /sys/devices/virtual/net
mount -t overlay overlay -o lowerdir=/etc,upperdir="$SB/etc-upper",workdir="$SB/etc-work" /etc
mkdir -p /etc/NetworkManager /var/lib/NetworkManager
mount --bind "$SB/etc-nm" /etc/NetworkManager
mount --bind "$SB/var-lib-nm" /var/lib/NetworkManager
hostname nmtui-sandbox
exec "$NM_BIN" --debug --config=/etc/NetworkManager/NetworkManager.conf
"""


def _search_path() -> str:
    return os.environ.get("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin"


def missing_prerequisites(search_path: str | None = None) -> str | None:
    """One line saying what is missing to run a sandbox and the command that fixes it."""
    if os.geteuid() != 0:
        return "the sandbox needs root (namespaces, mounts); run: sudo nmtui-state --sandbox ..."
    wanted = {
        "NetworkManager": "network-manager",
        "dbus-daemon": "dbus",
        "ip": "iproute2",
        "unshare": "util-linux",
        "nsenter": "util-linux",
    }
    path = search_path if search_path is not None else _search_path()
    missing = sorted({pkg for exe, pkg in wanted.items() if not shutil.which(exe, path=path)})
    if missing:
        return f"missing {', '.join(missing)}; install with: apt-get install {' '.join(missing)}"
    return None


def _die_with_parent() -> None:
    """In the child before exec: get SIGKILL when the process that owns the sandbox dies.

    So a crashed test run or a killed owner leaves no NetworkManager behind.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _run_sync(coro: Coroutine[Any, Any, None]) -> None:
    """Run ``coro`` to completion, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coro)
        return
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coro).result()


def _which(exe: str) -> str:
    found = shutil.which(exe, path=_search_path())
    if not found:
        raise NoBackend(f"{exe} not found; install with: {APT_FIX}")
    return found


@dataclass
class Sandbox:
    """A private NetworkManager host. Use as a context manager or call start()/stop().

    ``demo=True`` builds the demo host (eth1, eth2, eth3, br0, addresses, a
    route, DNS, hostname) before :meth:`start` returns.
    """

    demo: bool = False
    log_level: str = "WARN"
    name: str = field(default_factory=lambda: NETNS_PREFIX + uuid.uuid4().hex[:8])
    root: Path = field(init=False)
    bus_address: str = field(init=False, default="")
    ready_seconds: float = field(init=False, default=0.0)
    _dbus: subprocess.Popen[bytes] | None = field(init=False, default=None)
    _nm: subprocess.Popen[bytes] | None = field(init=False, default=None)
    _netns_made: bool = field(init=False, default=False)

    @property
    def netns_path(self) -> str:
        return f"/run/netns/{self.name}"

    @property
    def nm_log(self) -> Path:
        return self.root / "NetworkManager.log"

    def env(self) -> dict[str, str]:
        """The environment a client of this sandbox runs with."""
        env = dict(os.environ)
        env["DBUS_SYSTEM_BUS_ADDRESS"] = self.bus_address
        env["NMTUI_STATE_NETNS"] = self.name
        env["NMTUI_STATE_RUNDIR"] = str(self.root / "run")  # pending-change records
        return env

    # -- lifecycle -------------------------------------------------------------

    def start(self, timeout: float = 15.0) -> Sandbox:
        """Start dbus-daemon and NetworkManager; return once NM answers (and the demo is up)."""
        problem = missing_prerequisites()
        if problem:
            raise NoBackend(problem)
        started = time.monotonic()
        from nmtui_state.sandbox_cleanup import cleanup_stale, write_owner

        with contextlib.suppress(OSError):
            cleanup_stale()  # what a SIGKILLed owner left behind (its teardown never ran)
        self.root = Path(tempfile.mkdtemp(prefix="nmtui-sandbox-"))
        try:
            write_owner(self.root, self.name)
            self._start_processes()
            from nmtui_state.sandbox_demo import build_demo, wait_nm

            _run_sync(wait_nm(self.bus_address, timeout))
            if self.demo:
                _run_sync(build_demo(self.bus_address, self.name, timeout))
        except BaseException:
            self.stop()
            raise
        self.ready_seconds = time.monotonic() - started
        return self

    def _start_processes(self) -> None:
        for sub in (
            "etc-upper",
            "etc-work",
            "etc-nm/system-connections",
            "etc-nm/conf.d",
            "var-lib-nm",
        ):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        sock = self.root / "bus"
        (self.root / "dbus.conf").write_text(DBUS_CONFIG.format(socket=sock))
        (self.root / "etc-nm" / "NetworkManager.conf").write_text(
            NM_CONFIG.format(log_level=self.log_level)
        )
        if self.demo:
            from nmtui_state.sandbox_demo import DEMO_NM_CONF

            (self.root / "etc-nm" / "conf.d" / "demo.conf").write_text(DEMO_NM_CONF)
        self.bus_address = f"unix:path={sock}"
        log = open(self.nm_log, "wb")  # noqa: SIM115 - handed to the child processes
        with log:
            self._dbus = subprocess.Popen(
                [
                    _which("dbus-daemon"),
                    f"--config-file={self.root / 'dbus.conf'}",
                    "--nofork",
                    "--nopidfile",
                    "--nosyslog",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            subprocess.run(
                [_which("ip"), "netns", "add", self.name], check=True, capture_output=True
            )
            self._netns_made = True
            env = {
                "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                "SB": str(self.root),
                "NM_BIN": _which("NetworkManager"),
                "DBUS_SYSTEM_BUS_ADDRESS": self.bus_address,
                "LANG": "C.UTF-8",
            }
            self._nm = subprocess.Popen(
                [
                    _which("nsenter"),
                    f"--net={self.netns_path}",
                    "--",
                    _which("unshare"),
                    "--mount",
                    "--uts",
                    "--",
                    "/bin/sh",
                    "-c",
                    INNER_SCRIPT,
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + 5
        while not sock.exists():
            if self._dbus.poll() is not None or time.monotonic() > deadline:
                raise NoBackend(f"private dbus-daemon did not start; see {self.nm_log}")
            time.sleep(0.005)

    def stop(self) -> None:
        """Kill what this sandbox started, remove its netns and temp dir. Idempotent."""
        for proc in (self._nm, self._dbus):
            if proc is not None and proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self._nm = self._dbus = None
        if self._netns_made:
            subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
            self._netns_made = False
        root = getattr(self, "root", None)
        if root is not None and root.exists():
            shutil.rmtree(root, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- running things against it ---------------------------------------------

    def command(self, argv: Sequence[str]) -> list[str]:
        """``argv`` wrapped to run inside the sandbox's netns (bus address comes from env())."""
        return [_which("nsenter"), f"--net={self.netns_path}", "--", *argv]

    def run(self, argv: Sequence[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` inside the sandbox's netns with the bus address exported."""
        result = subprocess.run(self.command(argv), env=self.env(), text=True, **kwargs)
        return cast("subprocess.CompletedProcess[str]", result)

    def kill_nm(self, signum: int = signal.SIGKILL) -> None:
        """Stop this sandbox's NetworkManager (a fault to test against); waits for it."""
        if self._nm is not None and self._nm.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._nm.pid, signum)
            self._nm.wait()

    def nm_alive(self) -> bool:
        return self._nm is not None and self._nm.poll() is None


@contextlib.contextmanager
def sandbox(demo: bool = False) -> Iterator[Sandbox]:
    """``with sandbox(demo=True) as sb:`` — a started sandbox, always torn down."""
    sb = Sandbox(demo=demo)
    with sb:
        yield sb
